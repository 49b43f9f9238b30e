//! The numbers domain: the API's records, their kinds and filters, the catalog that holds them,
//! the matcher that searches it, and phone-number knowledge. No I/O, no UI.

pub mod catalog;
pub mod filters;
pub mod kinds;
pub mod matcher;
pub mod owner_type;
pub mod phone;
pub mod record;
