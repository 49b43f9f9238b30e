//! The background task that pages through the list and sends each page as it arrives.

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::client::{ApiClient, PageReply};
use super::webex_error::ApiError;
use crate::model::NumberRecord;

/// What the fetch task reports. Pages are numbered from 1 and arrive in order.
#[derive(Debug)]
pub enum FetchEvent {
    /// A page of records, as received (duplicates are the receiver's to drop).
    Page { page: usize, numbers: Vec<NumberRecord> },
    /// A request failed in a way that may pass; the task waits, then tries again.
    Retrying { page: usize, wait: Duration, error: ApiError },
    /// Every page is in.
    Done { pages: usize },
    /// A page failed for good. What came before it stands; `resume` fetches from it again.
    Failed { page: usize, error: ApiError, resume: Resume },
}

/// Where paging stands: the next page to ask for.
#[derive(Debug, Clone)]
pub struct Resume {
    url: Option<Url>,
    page: usize,
    start: usize,
    followed_link: bool,
}

impl Resume {
    /// The beginning of the list.
    pub fn start() -> Self {
        Resume { url: None, page: 1, start: 0, followed_link: false }
    }
    pub fn page(&self) -> usize {
        self.page
    }
}

/// Spawns the fetch task. Each event is wrapped by `wrap` and sent on `tx`, so the receiver can
/// merge it into its own message type; the task ends when the list ends, fails, or `tx` closes.
pub fn spawn_fetch<M: Send + 'static>(
    client: Arc<ApiClient>,
    from: Resume,
    tx: UnboundedSender<M>,
    wrap: fn(FetchEvent) -> M,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let send = |e: FetchEvent| tx.send(wrap(e)).is_ok();
        run(&client, from, send).await;
    })
}

async fn run(client: &ApiClient, mut at: Resume, send: impl Fn(FetchEvent) -> bool) {
    // Hashes of the numbers seen so far, to notice a server that ignores `start`.
    let hasher = RandomState::new();
    let mut seen: HashSet<u64> = HashSet::new();
    loop {
        let url = at.url.clone().unwrap_or_else(|| client.page_url(at.start));
        let reply = match get_with_retry(client, &url, at.page, &send).await {
            Ok(r) => r,
            Err(error) => {
                let resume = Resume { url: Some(url), ..at.clone() };
                send(FetchEvent::Failed { page: at.page, error, resume });
                return;
            }
        };
        let PageReply { numbers, next, .. } = reply;
        if numbers.is_empty() {
            send(FetchEvent::Done { pages: at.page - 1 });
            return;
        }
        let count = numbers.len();
        let fresh = numbers.iter().filter(|r| seen.insert(hasher.hash_one(&r.phone_number))).count();
        if !send(FetchEvent::Page { page: at.page, numbers }) {
            return;
        }
        // A page that brings nothing new ends the list: the server is repeating itself.
        // Without a next link, after following links, the list has ended.
        if fresh == 0 || (next.is_none() && at.followed_link) {
            send(FetchEvent::Done { pages: at.page });
            return;
        }
        at.followed_link |= next.is_some();
        at.start += count;
        at.page += 1;
        at.url = next;
    }
}

/// One page, retried as the policy allows; each wait is announced first.
async fn get_with_retry(
    client: &ApiClient,
    url: &Url,
    page: usize,
    send: &impl Fn(FetchEvent) -> bool,
) -> Result<PageReply, ApiError> {
    let mut retry = 0;
    loop {
        match client.get_page(url).await {
            Ok(r) => return Ok(r),
            Err(error) => match client.retry_policy().delay(&error, retry) {
                Some(wait) => {
                    tracing::warn!(page, ?wait, %error, "retrying");
                    if !send(FetchEvent::Retrying { page, wait, error }) {
                        return Err(ApiError::Config("cancelled".into()));
                    }
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
                None => return Err(error),
            },
        }
    }
}
