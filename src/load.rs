//! Where a list comes from (the API, the demo server or a saved reply), and loading it.

pub mod source;
