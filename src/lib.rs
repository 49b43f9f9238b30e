//! wxpick: pick a Webex Calling phone number from a location's available numbers.
//!
//! The layers, from the bottom: [`numbers`] (records, kinds, catalog, matcher), [`webex`] (the
//! client and the pager, no UI), [`load`] (sources and the one fold of a load), [`output`];
//! then [`tui`] (the picker, a leaf that knows nothing of the command line) and [`app`], which
//! dispatches the modes and decides what is printed and the exit code.

pub mod app;
pub mod cache;
pub mod cli;
pub mod config;
#[cfg(feature = "demo")]
pub mod demo;
pub mod digest;
pub mod error;
pub mod load;
pub mod location_search;
pub mod logging;
pub mod numbers;
pub mod output;
pub mod safe_fs;
pub mod sanitize;
pub mod tui;
pub mod webex;
