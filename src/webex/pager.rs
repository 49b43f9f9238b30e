//! The background task that pages through the list and sends each page as it arrives.
//!
//! The first page is asked for alone. When it carries a `Link` to the next page, the links are
//! followed one at a time; without one, paging goes by offset, with up to
//! [`ClientConfig::concurrency`](super::ClientConfig::concurrency) requests in flight.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;

use reqwest::Url;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::client::{ApiClient, PageReply};
use super::error::ApiError;
use crate::numbers::record::NumberRecord;

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
    let mut seen = Seen::default();
    let mut throttled = false;
    loop {
        let url = at.url.clone().unwrap_or_else(|| client.page_url(at.start));
        let reply = match get_with_retry(client, &url, at.page, &send, &mut throttled).await {
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
        let fresh = seen.count_fresh(&numbers);
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
        let concurrency = client.config().concurrency.max(1);
        if at.url.is_none() && !at.followed_link && concurrency > 1 && !throttled {
            // Paging by offset: the offsets of the pages ahead are known, so ask for several.
            let mut window = Window::new(client, at.page, at.start, count, concurrency);
            window.run(&mut seen, &send).await;
            return;
        }
    }
}

/// Hashes of the numbers delivered so far.
#[derive(Default)]
struct Seen {
    hasher: RandomState,
    hashes: HashSet<u64>,
}

impl Seen {
    /// How many of `numbers` were not seen before (they are seen now).
    fn count_fresh(&mut self, numbers: &[NumberRecord]) -> usize {
        numbers.iter().filter(|r| self.hashes.insert(self.hasher.hash_one(&r.phone_number))).count()
    }
}

fn is_rate_limit(error: &ApiError) -> bool {
    matches!(error, ApiError::Http { status: 423 | 429, .. })
}

/// One request of the window: page number, start offset, retries so far, and the outcome.
type Answer = (usize, usize, u32, Result<PageReply, ApiError>);

/// Offset paging with several requests in flight. Pages are asked for at `start + k * page_len`
/// (the length of the first page received), and delivered strictly in page order, so every
/// rule of one-at-a-time paging holds: an empty page or one with no new number ends the list
/// (the answers ahead of it are dropped), and a page of another length than expected (a short
/// page in the middle, say) means the offsets ahead were wrong: they are dropped and asked for
/// again from where that page ended, with that page's length. After a 429 or 423, one request
/// at a time.
struct Window<'a> {
    client: &'a ApiClient,
    /// The next page to deliver, and its offset.
    next_page: usize,
    next_start: usize,
    /// The next page not yet asked for, and its offset.
    ask_page: usize,
    ask_start: usize,
    page_len: usize,
    /// Requests at once: the concurrency, or 1 once the server has asked to slow down.
    limit: usize,
    /// How far past `next_page` pages may be asked for (answers wait in `ready` meanwhile).
    span: usize,
    in_flight: FuturesUnordered<BoxFuture<'a, Answer>>,
    /// Answers for pages not yet delivered.
    ready: BTreeMap<usize, (usize, Result<PageReply, ApiError>)>,
    /// Pages to ask again: page -> (start, retries so far, wait first).
    retries: BTreeMap<usize, (usize, u32, Duration)>,
}

impl<'a> Window<'a> {
    fn new(client: &'a ApiClient, page: usize, start: usize, page_len: usize, concurrency: usize) -> Self {
        Window {
            client,
            next_page: page,
            next_start: start,
            ask_page: page,
            ask_start: start,
            page_len,
            limit: concurrency,
            span: concurrency * 2,
            in_flight: FuturesUnordered::new(),
            ready: BTreeMap::new(),
            retries: BTreeMap::new(),
        }
    }

    async fn run(&mut self, seen: &mut Seen, send: &impl Fn(FetchEvent) -> bool) {
        loop {
            if !self.deliver(seen, send) {
                return;
            }
            self.ask();
            let Some((page, start, retry, result)) = self.in_flight.next().await else {
                // Nothing in flight and nothing to ask: cannot happen while pages are owed.
                return;
            };
            let error = match result {
                Ok(reply) => {
                    self.ready.insert(page, (start, Ok(reply)));
                    continue;
                }
                Err(error) => error,
            };
            match self.client.retry_policy().delay(&error, retry) {
                Some(wait) => {
                    tracing::warn!(page, ?wait, %error, "retrying");
                    if is_rate_limit(&error) && self.limit > 1 {
                        tracing::info!(page, "rate limited: one request at a time from now on");
                        self.limit = 1;
                    }
                    if !send(FetchEvent::Retrying { page, wait, error }) {
                        return;
                    }
                    self.retries.insert(page, (start, retry + 1, wait));
                }
                None => {
                    self.ready.insert(page, (start, Err(error)));
                }
            }
        }
    }

    /// Sends the answers that are next in order. False when the fetch is over.
    fn deliver(&mut self, seen: &mut Seen, send: &impl Fn(FetchEvent) -> bool) -> bool {
        while let Some((start, result)) = self.ready.remove(&self.next_page) {
            let page = self.next_page;
            let numbers = match result {
                Ok(reply) => reply.numbers,
                Err(error) => {
                    let resume = Resume { url: Some(self.client.page_url(start)), page, start, followed_link: false };
                    send(FetchEvent::Failed { page, error, resume });
                    return false;
                }
            };
            if numbers.is_empty() {
                send(FetchEvent::Done { pages: page - 1 });
                return false;
            }
            let count = numbers.len();
            let fresh = seen.count_fresh(&numbers);
            if !send(FetchEvent::Page { page, numbers }) {
                return false;
            }
            if fresh == 0 {
                send(FetchEvent::Done { pages: page });
                return false;
            }
            self.next_page += 1;
            self.next_start += count;
            if count != self.page_len {
                // The offsets asked for ahead assumed pages of `page_len`: drop what was asked,
                // and ask again from here, expecting pages of this length from now on.
                self.in_flight = FuturesUnordered::new();
                self.ready.clear();
                self.retries.clear();
                self.ask_page = self.next_page;
                self.ask_start = self.next_start;
                self.page_len = count;
            }
        }
        true
    }

    /// Asks for pages while there is room: retries first, lowest page first, then new pages.
    fn ask(&mut self) {
        while self.in_flight.len() < self.limit {
            let (page, start, retry, wait) = match self.retries.pop_first() {
                Some((page, (start, retry, wait))) => (page, start, retry, wait),
                None if self.ask_page < self.next_page + self.span => {
                    let asked = (self.ask_page, self.ask_start, 0, Duration::ZERO);
                    self.ask_page += 1;
                    self.ask_start += self.page_len;
                    asked
                }
                None => return,
            };
            let client = self.client;
            let url = client.page_url(start);
            self.in_flight.push(Box::pin(async move {
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
                (page, start, retry, client.get_page(&url).await)
            }));
        }
    }
}

/// One page, retried as the policy allows; each wait is announced first. A 429 or 423 sets
/// `throttled`: the rest of the fetch asks for one page at a time.
async fn get_with_retry(
    client: &ApiClient,
    url: &Url,
    page: usize,
    send: &impl Fn(FetchEvent) -> bool,
    throttled: &mut bool,
) -> Result<PageReply, ApiError> {
    let mut retry = 0;
    loop {
        match client.get_page(url).await {
            Ok(r) => return Ok(r),
            Err(error) => match client.retry_policy().delay(&error, retry) {
                Some(wait) => {
                    tracing::warn!(page, ?wait, %error, "retrying");
                    *throttled |= is_rate_limit(&error);
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
