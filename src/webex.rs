//! The Webex API client: endpoints, one request per page, the pager, retries and errors.
//! Nothing here knows about the terminal UI.

mod client;
pub mod endpoint;
mod error;
mod link;
pub mod listed;
pub mod locations;
pub mod owners;
mod pager;
mod retry;

pub use client::{
    ApiClient, ClientConfig, DEFAULT_BASE_URL, DEFAULT_MAX_PAGES, DEFAULT_MAX_RECORDS, Ids, PageReply, Token,
    USER_AGENT, host_port,
};
pub use endpoint::{ENDPOINTS, Endpoint, PathId};
pub use error::{ApiError, BadReplyKind, WebexErrorBody, WebexErrorItem};
pub use link::next_link;
pub use listed::Listed;
pub use pager::{FetchEvent, ListEnd, Resume, first_page, page_through, page_through_from, spawn_fetch};
pub use retry::{RetryNote, RetryPolicy, RetryWatch};
