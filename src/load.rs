//! Where a list comes from (the API, the demo server or a saved reply), and the one fold that
//! turns its pages into a list. Knows nothing of the command line or the terminal.

pub mod fold;
pub mod locations;
pub mod source;

pub use fold::{ListLoad, LoadStatus, collect};
pub use source::{Feed, Source, Stash};
