//! The one fold of a load: pages in, a list out. `--filter`, `--select-1`/`--exit-0`, the
//! picker and every lookup (locations, people, workspaces, virtual lines) see a list through
//! [`ListLoad`], and only [`ListLoad::apply`] changes it. It is generic over where the records go
//! ([`Collection`]): the numbers' [`Catalog`], or [`Records`] for a lookup. Both drop a record
//! seen before in O(1).

use std::ops::Range;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use super::source::{Feed, Source};
use crate::cache::Item;
use crate::numbers::catalog::Catalog;
use crate::numbers::record::NumberRecord;
use crate::webex::listed::Listed;
use crate::webex::{ApiError, FetchEvent, ListEnd, Resume};

/// Where a list's records go: each once, in the order they came.
pub trait Collection: Clone + Send + Sync + 'static {
    type Record: Listed + Item + Clone;
    /// No records yet.
    fn empty() -> Self;
    /// A whole list at once (it may hold duplicates: they are dropped).
    fn from_records(records: Vec<Self::Record>) -> Self;
    /// Adds records, dropping those already present; returns the range of the new indices.
    fn extend(&mut self, records: Vec<Self::Record>) -> Range<usize>;
    fn records(&self) -> &[Self::Record];
    fn len(&self) -> usize {
        self.records().len()
    }
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// How many of the records in `range` could not be read whole.
    fn malformed(&self, _range: Range<usize>) -> usize {
        0
    }
}

impl Collection for Catalog {
    type Record = NumberRecord;
    fn empty() -> Self {
        Catalog::new()
    }
    fn from_records(records: Vec<NumberRecord>) -> Self {
        Catalog::from_records(records)
    }
    fn extend(&mut self, records: Vec<NumberRecord>) -> Range<usize> {
        Catalog::extend(self, records)
    }
    fn records(&self) -> &[NumberRecord] {
        Catalog::records(self)
    }
    fn malformed(&self, range: Range<usize>) -> usize {
        // A record that could not be read whole cannot be picked: only those are looked at.
        self.invalid_in(range).filter(|&i| self.get(i).fault().is_some()).count()
    }
}

/// A lookup's records (locations, people...), each once by [`Listed::identity`], in order.
#[derive(Clone)]
pub struct Records<R> {
    records: Vec<R>,
    hasher: hashbrown::DefaultHashBuilder,
    index: hashbrown::HashTable<u32>,
}

impl<R> std::fmt::Debug for Records<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Records({})", self.records.len())
    }
}

impl<R> Default for Records<R> {
    fn default() -> Self {
        Records { records: Vec::new(), hasher: Default::default(), index: hashbrown::HashTable::new() }
    }
}

impl<R: Listed + Item + Clone> Collection for Records<R> {
    type Record = R;
    fn empty() -> Self {
        Records::default()
    }
    fn from_records(records: Vec<R>) -> Self {
        let mut r = Records::default();
        r.extend(records);
        r
    }
    fn extend(&mut self, records: Vec<R>) -> Range<usize> {
        use std::hash::BuildHasher;
        let first = self.records.len();
        let Records { records: all, hasher, index } = self;
        for record in records {
            let id = record.identity();
            if !id.is_empty() {
                let h = hasher.hash_one(id);
                if index.find(h, |&j| all[j as usize].identity() == id).is_some() {
                    continue;
                }
                index.insert_unique(h, all.len() as u32, |&j| hasher.hash_one(all[j as usize].identity()));
            }
            all.push(record);
        }
        first..self.records.len()
    }
    fn records(&self) -> &[R] {
        &self.records
    }
}

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

/// A list as far as it has loaded: every record so far, each once, and how loading stands.
#[derive(Clone)]
pub struct ListLoad<C = Catalog> {
    pub catalog: Arc<C>,
    pub status: LoadStatus,
    /// Pages received.
    pub pages: usize,
    /// Records the server sent that could not be read whole (kept, marked, never pickable).
    pub malformed: usize,
    /// Paging stopped because a page brought no new number (a server that ignores `start`):
    /// the list is probably whole, but wxpick cannot know.
    pub uncertain_end: bool,
    /// Paging stopped at a bound (`--max-numbers`, or the most pages): the list is incomplete,
    /// and this says why.
    pub bounded: Option<String>,
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

impl<C: Collection> Default for ListLoad<C> {
    fn default() -> Self {
        ListLoad::new()
    }
}

impl<C: Collection> ListLoad<C> {
    /// Nothing loaded yet; page 1 is next.
    pub fn new() -> Self {
        ListLoad {
            catalog: Arc::new(C::empty()),
            status: LoadStatus::Loading { page: 1 },
            pages: 0,
            malformed: 0,
            uncertain_end: false,
            bounded: None,
            cached: None,
        }
    }

    /// A list that is whole from the start (a saved reply).
    pub fn complete(records: Vec<C::Record>) -> Self {
        let catalog = C::from_records(records);
        let malformed = catalog.malformed(0..catalog.len());
        ListLoad {
            catalog: Arc::new(catalog),
            status: LoadStatus::Done,
            pages: 1,
            malformed,
            uncertain_end: false,
            bounded: None,
            cached: None,
        }
    }

    /// A list read from the cache, `age` old: whole, but perhaps no longer true.
    pub fn cached(records: Vec<C::Record>, age: Duration) -> Self {
        ListLoad { cached: Some(Cached { age, read: Instant::now() }), ..ListLoad::complete(records) }
    }

    /// Whether the list is the server's answer of this run (not one from the cache).
    pub fn is_fresh(&self) -> bool {
        self.cached.is_none()
    }

    /// Whether the list is whole and fresh, so worth keeping in the cache: every page in, the
    /// end certain.
    pub fn is_keepable(&self) -> bool {
        self.is_fresh() && matches!(self.status, LoadStatus::Done) && !self.uncertain_end && self.bounded.is_none()
    }

    /// Applies one event of the fetch. Returns whether the list gained records.
    pub fn apply(&mut self, event: FetchEvent<C::Record>) -> bool {
        match event {
            FetchEvent::Page { page, numbers } => {
                let before = self.catalog.len();
                let added = Arc::make_mut(&mut self.catalog).extend(numbers);
                // Counted once each: a repeated page adds nothing to the catalog.
                self.malformed += self.catalog.malformed(added);
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
                self.bounded = match end {
                    ListEnd::Bounded { .. } => end.why_incomplete(),
                    _ => None,
                };
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
    pub fn uncertain_end_text(&self) -> Option<String> {
        self.uncertain_end.then(|| ListEnd::NoNewNumbers.why_incomplete()).flatten()
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

/// Loads everything the source has, without a UI: the fold run to its end. Returns the list and
/// the feed that can resume it.
/// With `max_age`, a list the cache holds that is at most that old is taken instead (as
/// cached: a picker opened on it fetches it again). A list loaded whole is kept in the cache.
pub async fn collect<C: Collection>(source: Source<C>, max_age: Option<Duration>) -> (ListLoad<C>, Option<Feed<C>>) {
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
            tracing::info!(page, ?wait, %error, what = C::Record::NOUN, "retrying");
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
        let mut list: ListLoad = ListLoad::new();
        for page in 1..=2 {
            list.apply(FetchEvent::Page { page, numbers: parse_page(body).unwrap().numbers });
        }
        assert_eq!((list.catalog.len(), list.malformed), (2, 1));
        let mut twice = parse_page(body).unwrap().numbers;
        twice.extend(parse_page(body).unwrap().numbers);
        assert_eq!(ListLoad::<Catalog>::complete(twice).malformed, 1);
    }
}
