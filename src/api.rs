//! The Webex API client: one endpoint, complete paging, retries, and a background fetch task.
//! Nothing here knows about the terminal UI.

mod client;
mod fetch;
mod link;
mod retry;
mod webex_error;

pub use client::{ApiClient, ClientConfig, PageReply, Token, DEFAULT_BASE_URL, USER_AGENT};
pub use fetch::{spawn_fetch, FetchEvent, Resume};
pub use link::next_link;
pub use retry::RetryPolicy;
pub use webex_error::{ApiError, WebexErrorBody};
