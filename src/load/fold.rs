//! The one fold of a load: pages in, a list out. `--filter`, `--select-1`/`--exit-0` and the
//! picker all see a list through [`ListLoad`], and only [`ListLoad::apply`] changes it.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::source::{Feed, Source};
use crate::numbers::catalog::Catalog;
use crate::numbers::record::NumberRecord;
use crate::webex::{ApiError, FetchEvent, ListEnd, Resume};

/// How loading stands.
#[derive(Debug, Clone)]
pub enum LoadStatus {
    /// Waiting for page `page`.
    Loading { page: usize },
    /// Waiting `wait`, until `until`, before trying page `page` again, because of `reason`.
    Retrying { page: usize, wait: Duration, until: Instant, reason: String, rate_limited: bool },
    /// Every page is in.
    Done,
    /// Page `page` failed for good; `resume` fetches from it again.
    Failed { page: usize, reason: String, error: ApiError, resume: Resume },
}

/// A list as far as it has loaded: every number so far, each once, and how loading stands.
#[derive(Clone)]
pub struct ListLoad {
    pub catalog: Arc<Catalog>,
    pub status: LoadStatus,
    /// Pages received.
    pub pages: usize,
    /// Records the server sent that could not be read whole (kept, marked, never pickable).
    pub malformed: usize,
    /// Paging stopped because a page brought no new number (a server that ignores `start`):
    /// the list is probably whole, but wxpick cannot know.
    pub uncertain_end: bool,
    /// The list came from the cache: it was whole, but may have changed since.
    pub cached: Option<Cached>,
}

/// How old a cached list is: `age` old at `read` (drawing adds the time since, from its tick).
#[derive(Debug, Clone, Copy)]
pub struct Cached {
    pub age: Duration,
    pub read: Instant,
}

impl Cached {
    /// Its age at `now` (at reading, without one).
    pub fn age_at(&self, now: Option<Instant>) -> Duration {
        self.age + now.map_or(Duration::ZERO, |now| now.saturating_duration_since(self.read))
    }
}

impl Default for ListLoad {
    fn default() -> Self {
        ListLoad::new()
    }
}

impl ListLoad {
    /// Nothing loaded yet; page 1 is next.
    pub fn new() -> Self {
        ListLoad {
            catalog: Arc::new(Catalog::new()),
            status: LoadStatus::Loading { page: 1 },
            pages: 0,
            malformed: 0,
            uncertain_end: false,
            cached: None,
        }
    }

    /// A list that is whole from the start (a saved reply).
    pub fn complete(records: Vec<NumberRecord>) -> Self {
        let catalog = Catalog::from_records(records);
        let malformed = count_malformed(&catalog, 0..catalog.len());
        ListLoad {
            catalog: Arc::new(catalog),
            status: LoadStatus::Done,
            pages: 1,
            malformed,
            uncertain_end: false,
            cached: None,
        }
    }

    /// A list read from the cache, `age` old: whole, but perhaps no longer true.
    pub fn cached(records: Vec<NumberRecord>, age: Duration) -> Self {
        ListLoad { cached: Some(Cached { age, read: Instant::now() }), ..ListLoad::complete(records) }
    }

    /// Whether the list is the server's answer of this run (not one from the cache).
    pub fn is_fresh(&self) -> bool {
        self.cached.is_none()
    }

    /// Whether the list is whole and fresh, so worth keeping in the cache: every page in, the
    /// end certain.
    pub fn is_keepable(&self) -> bool {
        self.is_fresh() && matches!(self.status, LoadStatus::Done) && !self.uncertain_end
    }

    /// Applies one event of the fetch. Returns whether the list gained records.
    pub fn apply(&mut self, event: FetchEvent) -> bool {
        match event {
            FetchEvent::Page { page, numbers } => {
                let before = self.catalog.len();
                let added = Arc::make_mut(&mut self.catalog).extend(numbers);
                // Counted once each: a repeated page adds nothing to the catalog.
                self.malformed += count_malformed(&self.catalog, added);
                self.pages += 1;
                // With several requests in flight, a later page may already be waiting to retry:
                // that is the news to keep showing.
                if !matches!(self.status, LoadStatus::Retrying { page: waiting, .. } if waiting > page) {
                    self.status = LoadStatus::Loading { page: page + 1 };
                }
                return self.catalog.len() != before;
            }
            // The earliest page that waits is what holds the list up: keep showing it.
            FetchEvent::Retrying { page, .. } if matches!(self.status, LoadStatus::Retrying { page: first, .. } if first < page) =>
                {}
            FetchEvent::Retrying { page, wait, until, error } => {
                let rate_limited = error.is_rate_limited();
                self.status = LoadStatus::Retrying { page, wait, until, reason: error.to_string(), rate_limited };
            }
            FetchEvent::Done { end, .. } => {
                self.uncertain_end = end == ListEnd::NoNewNumbers;
                self.status = LoadStatus::Done;
            }
            FetchEvent::Failed { page, error, resume } => {
                self.status = LoadStatus::Failed { page, reason: error.to_string(), error, resume };
            }
        }
        false
    }

    /// Marks the load as resumed from a failed page; returns where to resume from.
    pub fn resume(&mut self) -> Option<Resume> {
        let LoadStatus::Failed { resume, .. } = &self.status else { return None };
        let resume = resume.clone();
        self.status = LoadStatus::Loading { page: resume.page() };
        Some(resume)
    }

    /// What to say of a list whose end wxpick could not be sure of.
    pub fn uncertain_end_text(&self) -> Option<&'static str> {
        self.uncertain_end.then_some(
            "the server sent a page with no new number, so paging stopped there; the list is probably complete, but wxpick cannot be sure",
        )
    }

    /// Whether pages are still coming.
    pub fn is_loading(&self) -> bool {
        matches!(self.status, LoadStatus::Loading { .. } | LoadStatus::Retrying { .. })
    }

    /// Whether a page failed for good (so a retry can resume it).
    pub fn has_failed(&self) -> bool {
        matches!(self.status, LoadStatus::Failed { .. })
    }

    /// The page that failed for good, and why.
    pub fn failure(&self) -> Option<(usize, &ApiError)> {
        match &self.status {
            LoadStatus::Failed { page, error, .. } => Some((*page, error)),
            _ => None,
        }
    }
}

/// How many of the catalog's records in `range` could not be read whole.
fn count_malformed(catalog: &Catalog, range: std::ops::Range<usize>) -> usize {
    range.filter(|&i| catalog.get(i).fault().is_some()).count()
}

/// Loads everything the source has, without a UI: the fold run to its end. Returns the list and
/// the feed that can resume it.
/// With `max_age`, a list the cache holds that is at most that old is taken instead (as
/// cached: a picker opened on it fetches it again). A list loaded whole is kept in the cache.
pub async fn collect(source: Source, max_age: Option<Duration>) -> (ListLoad, Option<Feed>) {
    let (mut list, feed) = match max_age {
        Some(_) => source.start_cached(max_age).await,
        None => source.start(),
    };
    let Some(feed) = feed else { return (list, None) };
    if !list.is_loading() {
        return (list, Some(feed));
    }
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = feed.spawn(Resume::start(), tx, |e| e);
    while let Some(event) = rx.recv().await {
        if let FetchEvent::Retrying { page, wait, error, .. } = &event {
            tracing::info!(page, ?wait, %error, "retrying");
        }
        list.apply(event);
        if !list.is_loading() {
            break;
        }
    }
    task.abort();
    if list.is_loading() {
        // The task ended without saying so: never take that for a whole list.
        let error = ApiError::FetchStopped;
        list.apply(FetchEvent::Failed { page: list.pages + 1, error, resume: Resume::start() });
    }
    if list.is_keepable()
        && let Some(saving) = feed.keep(Arc::clone(&list.catalog))
    {
        // Before the exit: the process does not wait for blocking tasks.
        let _ = saving.await;
    }
    (list, Some(feed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::parse_page;
    use crate::webex::FetchEvent;

    #[test]
    fn a_malformed_record_is_counted_once_even_when_its_page_comes_again() {
        let body = br#"{"phoneNumbers":[{"phoneNumber":"+12056350001"},
            {"phoneNumber":"+12056350002","isMainNumber":"false"}]}"#;
        let mut list = ListLoad::new();
        for page in 1..=2 {
            list.apply(FetchEvent::Page { page, numbers: parse_page(body).unwrap().numbers });
        }
        assert_eq!((list.catalog.len(), list.malformed), (2, 1));
        let mut twice = parse_page(body).unwrap().numbers;
        twice.extend(parse_page(body).unwrap().numbers);
        assert_eq!(ListLoad::complete(twice).malformed, 1);
    }
}
