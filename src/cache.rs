//! The on-disk cache of complete lists: a list loaded to its end is kept, so that the next run
//! can show it at once (marked stale) while it is fetched again.
//!
//! [`key`] says which list a file holds (never the token), [`file`] is the format of one file
//! (a header line with a format version, then the records as the API sent them), and [`store`]
//! is the directory: atomic writes with mode 0600, bounded in files and bytes, oldest out first.
//! A file that cannot be read as this list is ignored (and logged), never an error.

pub mod file;
pub mod key;
pub mod store;

pub use file::{CacheError, Entry, Item};
pub use key::Key;
pub use store::{Bounds, Cache};
