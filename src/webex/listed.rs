//! What the one pager and the one fold need of a record: how a page of them is read, and what
//! makes two of them the same (a page that comes again must add nothing). Numbers, locations,
//! people, workspaces and virtual lines are all [`Listed`].

use super::error::{ApiError, BadReplyKind};
use crate::numbers::record::{NumberRecord, parse_page};

/// A record of a paged Webex list.
pub trait Listed: Sized + Send + Sync + 'static {
    /// What the records are, in messages: `numbers`, `locations`, `people`.
    const NOUN: &'static str;

    /// Reads one page's body (a 2xx reply that is not blank).
    fn parse_page(body: &[u8], status: u16, tracking_id: Option<String>) -> Result<Vec<Self>, ApiError>;

    /// What makes this record the same as another: its number, its ID. Records whose identity
    /// is empty are never the same as another.
    fn identity(&self) -> &str;
}

impl Listed for NumberRecord {
    const NOUN: &'static str = "numbers";

    fn parse_page(body: &[u8], status: u16, tracking_id: Option<String>) -> Result<Vec<Self>, ApiError> {
        parse_page(body).map(|p| p.numbers).map_err(|e| ApiError::bad_reply(status, e, tracking_id))
    }

    /// The number as sent; for a record without a readable number, its text as sent.
    fn identity(&self) -> &str {
        self.identity()
    }
}

/// The error for a page whose body is not the list it should be.
pub fn wrong_shape(status: u16, detail: String, tracking_id: Option<String>) -> ApiError {
    ApiError::BadReply { status, kind: BadReplyKind::WrongShape, detail, tracking_id }
}
