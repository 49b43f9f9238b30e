//! The background task that pages through the list and sends each page as it arrives.
//!
//! One pager for every case. The first page is asked for alone. When a page carries a `Link` to
//! the next one, links are followed one at a time; without one, paging goes by offset with up to
//! [`ClientConfig::concurrency`](super::ClientConfig::concurrency) requests in flight (a window of
//! one is plain one-at-a-time paging). Pages are delivered strictly in order, so the rules are the
//! same whatever the window: an empty page, or a page that brings no new number, ends the list (the
//! answers ahead of it are dropped); a page of another length than the one before means the offsets
//! asked for ahead were wrong: they are dropped and asked for again from where that page ended.
//! After a 429 or 423, one request at a time. A list is bounded: after
//! [`ClientConfig::max_records`](super::ClientConfig::max_records) records or
//! [`ClientConfig::max_pages`](super::ClientConfig::max_pages) pages paging stops, keeping what
//! came ([`ListEnd::Bounded`]).
//!
//! The pager is generic over the record ([`Listed`]): numbers, locations, people, workspaces
//! and virtual lines are all paged here.

use std::collections::{BTreeMap, HashSet};
use std::hash::{BuildHasher, RandomState};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::future::BoxFuture;
use futures::stream::FuturesUnordered;

use reqwest::Url;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::client::{ApiClient, PageReply};
use super::error::ApiError;
use super::listed::Listed;
use crate::numbers::record::NumberRecord;

/// What the fetch task reports. Pages are numbered from 1 and arrive in order.
#[derive(Debug)]
pub enum FetchEvent<R = NumberRecord> {
    /// A page of records (numbers, or a lookup's records), as received (duplicates are the
    /// receiver's to drop).
    Page { page: usize, numbers: Vec<R> },
    /// A request failed in a way that may pass; the task waits `wait`, until `until`, then tries
    /// again. Sent when the wait starts (in a window of several requests, when a slot is free).
    Retrying { page: usize, wait: Duration, until: Instant, error: ApiError },
    /// The list ended after `pages` pages; `end` says how wxpick knows.
    Done { pages: usize, end: ListEnd },
    /// A page failed for good. What came before it stands; `resume` fetches from it again.
    Failed { page: usize, error: ApiError, resume: Resume },
}

/// How a list ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEnd {
    /// The server said so: an empty page, or no next link after following links.
    Complete,
    /// A page brought no number not seen before (a server that ignores `start`, or a next link
    /// back to a page already seen): paging stopped there. The list is probably complete, but
    /// wxpick cannot know.
    NoNewNumbers,
    /// The list reached a bound ([`ClientConfig::max_records`](super::ClientConfig::max_records)
    /// records, or `max_pages` pages): paging stopped there, and the list is incomplete.
    Bounded { records: bool, limit: usize },
}

impl ListEnd {
    /// Why paging stopped, when the list may not be whole.
    pub fn why_incomplete(self) -> Option<String> {
        match self {
            ListEnd::Complete => None,
            ListEnd::NoNewNumbers => Some(
                "the server sent a page with no new record, so paging stopped there; the list is probably complete, but wxpick cannot be sure".into(),
            ),
            ListEnd::Bounded { records: true, limit } => Some(format!(
                "paging stopped at {limit} records (--max-numbers): the list is incomplete"
            )),
            ListEnd::Bounded { records: false, limit } => {
                Some(format!("paging stopped at {limit} pages: the list is incomplete"))
            }
        }
    }
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
pub fn spawn_fetch<R: Listed, M: Send + 'static>(
    client: Arc<ApiClient>,
    from: Resume,
    tx: UnboundedSender<M>,
    wrap: fn(FetchEvent<R>) -> M,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let send = |e: FetchEvent<R>| tx.send(wrap(e)).is_ok();
        Pager::new(&client, from, send).run().await;
    })
}

/// Pages through the whole list (from `from`), reporting each event to `send`, in this task;
/// returns when the list ends, fails, or `send` returns false.
pub async fn page_through<R: Listed>(client: &ApiClient, from: Resume, send: impl Fn(FetchEvent<R>) -> bool) {
    Pager::new(client, from, send).run().await;
}

/// The first page alone, asked for with the pager's retry rules (the same policy, `Retry-After`
/// and backoff); a next link that leaves the API's origin is kept aside in the reply
/// ([`PageReply::refused_next`]), as the pager does. For a probe whose page is then reused by
/// [`page_through_from`].
pub async fn first_page<R: Listed>(client: &ApiClient) -> Result<PageReply<R>, ApiError> {
    let url = client.page_url(0);
    let mut retries = 0;
    loop {
        let error = match client.fetch(&url).await {
            Ok(reply) => return Ok(reply),
            Err(error) => error,
        };
        let Some(wait) = client.retry_policy().delay(&error, retries) else { return Err(error) };
        tracing::warn!(page = 1, ?wait, %error, "retrying");
        if let Some(watch) = &client.config().on_retry {
            watch.tell(client.retry_policy(), retries, wait, &error);
        }
        tokio::time::sleep(wait).await;
        retries += 1;
    }
}

/// As [`page_through`], but with the first page already in hand (asked for by someone else,
/// say the probe that tells an ID from a name): it is delivered as it is, not asked again.
pub async fn page_through_from<R: Listed>(
    client: &ApiClient,
    first: PageReply<R>,
    send: impl Fn(FetchEvent<R>) -> bool,
) {
    let mut pager = Pager::new(client, Resume::start(), send);
    let url = client.page_url(0);
    pager.ask_page = 2;
    pager.ready.insert(1, (Request { page: 1, start: 0, url, retries: 0, after: None }, Ok(first)));
    pager.run().await;
}

/// Hashes of the numbers delivered so far.
#[derive(Default)]
struct Seen {
    hasher: RandomState,
    hashes: HashSet<u64>,
}

impl Seen {
    /// How many of `records` were not seen before (they are seen now).
    fn count_fresh<R: Listed>(&mut self, records: &[R]) -> usize {
        records.iter().filter(|r| self.hashes.insert(self.hasher.hash_one(r.identity()))).count()
    }
}

/// One request for one page: what to ask, and how many times it was asked before.
struct Request {
    page: usize,
    start: usize,
    url: Url,
    retries: u32,
    /// For a retry: the wait before asking again, and the error that caused it.
    after: Option<(Duration, ApiError)>,
}

type Answer<R> = (Request, Result<PageReply<R>, ApiError>);

struct Pager<'a, R, S> {
    client: &'a ApiClient,
    send: S,
    seen: Seen,
    /// Records delivered so far (counted against the bound).
    delivered: usize,
    /// The next page to deliver, and its offset.
    next_page: usize,
    next_start: usize,
    /// The URL of `next_page`, when the server said it (a next link, or where a resume starts).
    next_url: Option<Url>,
    /// Whether paging follows next links (then one request at a time, and no link is the end).
    followed_link: bool,
    /// The next page not yet asked for, and its offset.
    ask_page: usize,
    ask_start: usize,
    /// The length of the last page delivered: the offsets ahead are planned with it. Unknown
    /// until a page arrives, so the first page is asked for alone.
    page_len: Option<usize>,
    concurrency: usize,
    /// The server asked to slow down: one request at a time from then on.
    throttled: bool,
    /// A refused next link was logged.
    warned_link: bool,
    in_flight: FuturesUnordered<BoxFuture<'a, Answer<R>>>,
    /// Answers for pages not yet delivered.
    ready: BTreeMap<usize, Answer<R>>,
    /// Pages to ask again.
    retries: BTreeMap<usize, Request>,
}

impl<'a, R: Listed, S: Fn(FetchEvent<R>) -> bool> Pager<'a, R, S> {
    fn new(client: &'a ApiClient, from: Resume, send: S) -> Self {
        Pager {
            client,
            send,
            seen: Seen::default(),
            delivered: 0,
            next_page: from.page,
            next_start: from.start,
            next_url: from.url,
            followed_link: from.followed_link,
            ask_page: from.page,
            ask_start: from.start,
            page_len: None,
            concurrency: client.config().concurrency.max(1),
            throttled: false,
            warned_link: false,
            in_flight: FuturesUnordered::new(),
            ready: BTreeMap::new(),
            retries: BTreeMap::new(),
        }
    }

    /// Requests in flight at once: one for the first page, when following links or when throttled.
    fn limit(&self) -> usize {
        if self.throttled || self.followed_link || self.page_len.is_none() { 1 } else { self.concurrency }
    }

    /// How far past `next_page` pages may be asked for (answers wait in `ready` meanwhile).
    fn span(&self) -> usize {
        match self.limit() {
            1 => 1,
            n => n * 2,
        }
    }

    async fn run(mut self) {
        loop {
            if !self.deliver() || !self.ask() {
                return;
            }
            let Some((request, result)) = self.in_flight.next().await else {
                // Nothing in flight and nothing to ask: cannot happen while pages are owed.
                return;
            };
            let error = match result {
                Ok(reply) => {
                    self.ready.insert(request.page, (request, Ok(reply)));
                    continue;
                }
                Err(error) => error,
            };
            match self.client.retry_policy().delay(&error, request.retries) {
                Some(wait) => {
                    tracing::warn!(page = request.page, ?wait, %error, "retrying");
                    if let Some(watch) = &self.client.config().on_retry {
                        watch.tell(self.client.retry_policy(), request.retries, wait, &error);
                    }
                    if error.is_rate_limited() && !self.throttled {
                        tracing::info!(page = request.page, "rate limited: one request at a time from now on");
                        self.throttled = true;
                    }
                    let retry = Request { retries: request.retries + 1, after: Some((wait, error)), ..request };
                    self.retries.insert(retry.page, retry);
                }
                None => {
                    self.ready.insert(request.page, (request, Err(error)));
                }
            }
        }
    }

    /// Sends the answers that are next in order. False when the fetch is over.
    fn deliver(&mut self) -> bool {
        while let Some((request, result)) = self.ready.remove(&self.next_page) {
            let page = self.next_page;
            let reply = match result {
                Ok(reply) => reply,
                Err(error) => {
                    let resume = Resume {
                        url: Some(request.url),
                        page,
                        start: request.start,
                        followed_link: self.followed_link,
                    };
                    (self.send)(FetchEvent::Failed { page, error, resume });
                    return false;
                }
            };
            let PageReply { numbers, next, refused_next, .. } = reply;
            if numbers.is_empty() {
                (self.send)(FetchEvent::Done { pages: page - 1, end: ListEnd::Complete });
                return false;
            }
            let count = numbers.len();
            let fresh = self.seen.count_fresh(&numbers);
            self.delivered += count;
            if !(self.send)(FetchEvent::Page { page, numbers }) {
                return false;
            }
            let cfg = self.client.config();
            let bound = if self.delivered >= cfg.max_records {
                Some(ListEnd::Bounded { records: true, limit: cfg.max_records })
            } else if page >= cfg.max_pages {
                Some(ListEnd::Bounded { records: false, limit: cfg.max_pages })
            } else {
                None
            };
            if let Some(end) = bound {
                tracing::warn!(page, records = self.delivered, "the list reached its bound: paging stops");
                (self.send)(FetchEvent::Done { pages: page, end });
                return false;
            }
            if fresh == 0 {
                tracing::warn!(
                    page,
                    "page {page} brought no new record (the server may ignore `start`): paging stops; the list is probably complete, but wxpick cannot know"
                );
                (self.send)(FetchEvent::Done { pages: page, end: ListEnd::NoNewNumbers });
                return false;
            }
            if let Some(refused) = refused_next {
                if !self.warned_link {
                    tracing::warn!(page, %refused, "next link ignored: paging goes on by offset");
                    self.warned_link = true;
                }
                self.followed_link = false;
                self.next_url = None;
            } else if let Some(next) = next {
                self.followed_link = true;
                self.next_url = Some(next);
            } else if self.followed_link {
                (self.send)(FetchEvent::Done { pages: page, end: ListEnd::Complete });
                return false;
            } else {
                self.next_url = None;
            }
            self.next_page += 1;
            self.next_start += count;
            if self.followed_link || self.page_len != Some(count) {
                // The offsets asked for ahead assumed pages of another length (or none were
                // planned yet): drop what was asked, and plan again from here with this length.
                self.in_flight = FuturesUnordered::new();
                self.ready.clear();
                self.retries.clear();
                self.ask_page = self.next_page;
                self.ask_start = self.next_start;
                self.page_len = Some(count);
            }
        }
        true
    }

    /// Asks for pages while there is room: retries first, lowest page first, then new pages. A
    /// retry's wait starts here, when it has a slot, and is announced then. False when the
    /// receiver is gone.
    fn ask(&mut self) -> bool {
        while self.in_flight.len() < self.limit() {
            let request = match self.retries.pop_first() {
                Some((_, request)) => request,
                None if self.ask_page < self.next_page + self.span() => {
                    let url = match &self.next_url {
                        Some(url) if self.ask_page == self.next_page => url.clone(),
                        _ => self.client.page_url(self.ask_start),
                    };
                    let request = Request { page: self.ask_page, start: self.ask_start, url, retries: 0, after: None };
                    self.ask_page += 1;
                    self.ask_start += self.page_len.unwrap_or(0);
                    request
                }
                None => return true,
            };
            let wait = match &request.after {
                Some((wait, error)) => {
                    let (page, wait) = (request.page, *wait);
                    let until = Instant::now() + wait;
                    if !(self.send)(FetchEvent::Retrying { page, wait, until, error: error.clone() }) {
                        return false;
                    }
                    wait
                }
                None => Duration::ZERO,
            };
            let client = self.client;
            self.in_flight.push(Box::pin(async move {
                if !wait.is_zero() {
                    tokio::time::sleep(wait).await;
                }
                let result = client.fetch(&request.url).await;
                (request, result)
            }));
        }
        true
    }
}
