//! wxpick: pick a Webex Calling phone number from a location's available numbers.
//!
//! The layers, from the bottom: [`model`] (the records), [`api`] (the client and the fetch task),
//! [`catalog`] and [`matcher`] (storage and search), [`output`]; then [`run`] for `--filter` mode
//! and [`tui`] for the picker. Only [`tui`] knows about the terminal.

pub mod api;
pub mod catalog;
pub mod cli;
pub mod clipboard;
pub mod config;
pub mod demo;
pub mod error;
pub mod filters;
pub mod logging;
pub mod matcher;
pub mod model;
pub mod output;
pub mod phone;
pub mod run;
pub mod safe_json;
pub mod sanitize;
pub mod source;
pub mod tui;
