//! The Webex Calling locations (`GET {base}/telephony/config/locations`): how one is read, and
//! how a `--location` value is told to be an ID or a name. They are paged by the one pager
//! ([`super::pager`]) like every list: see [`super::endpoint::LOCATIONS`].

mod id;
mod page;

pub use id::{LocationValue, classify};
pub use page::{Location, parse_locations};

use super::error::{ApiError, BadReplyKind};
use super::listed::Listed;

impl Listed for Location {
    const NOUN: &'static str = "locations";

    fn parse_page(body: &[u8], status: u16, tracking_id: Option<String>) -> Result<Vec<Self>, ApiError> {
        parse_locations(body).map_err(|detail| ApiError::BadReply {
            status,
            kind: BadReplyKind::WrongShape,
            detail,
            tracking_id,
        })
    }

    fn identity(&self) -> &str {
        &self.id
    }
}
