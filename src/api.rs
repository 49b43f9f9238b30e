//! The Webex API client: one endpoint, complete paging, retries, and a background fetch task.
//! Nothing here knows about the terminal UI.

mod client;
mod fetch;
mod link;
mod retry;
mod webex_error;

pub use client::{ApiClient, ClientConfig, DEFAULT_BASE_URL, PageReply, Token, USER_AGENT};
pub use fetch::{FetchEvent, Resume, spawn_fetch};
pub use link::next_link;
pub use retry::RetryPolicy;
pub use webex_error::{ApiError, WebexErrorBody};
