//! The Webex API client: endpoints, one request per page, the pager, retries and errors.
//! Nothing here knows about the terminal UI.

mod client;
mod error;
mod link;
pub mod locations;
mod pager;
mod retry;

pub use client::{ApiClient, ClientConfig, DEFAULT_BASE_URL, PageReply, Token, USER_AGENT};
pub use error::{ApiError, WebexErrorBody};
pub use link::next_link;
pub use pager::{FetchEvent, Resume, spawn_fetch};
pub use retry::RetryPolicy;
