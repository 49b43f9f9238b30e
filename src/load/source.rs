//! Where a list comes from: a saved reply, read whole, or the API (real or the demo server),
//! paged in by a [`Feed`].

use std::path::Path;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::fold::{Collection, ListLoad};
use crate::cache::{Cache, CacheError, Entry, Key};
use crate::error::Error;
use crate::numbers::catalog::Catalog;
use crate::numbers::record::{NumberRecord, parse_file, parse_page_reader};
use crate::webex::{ApiClient, ApiError, FetchEvent, PageReply, Resume, page_through_from, spawn_fetch};

pub enum Source<C: Collection = Catalog> {
    /// Read whole, from `--input`.
    Saved(Vec<C::Record>),
    /// Paged in from the API (and kept in the cache when the feed has a stash).
    Api(Feed<C>),
}

impl<C: Collection> Source<C> {
    /// The API's list, kept in `stash` when it has loaded whole.
    pub fn api(client: Arc<ApiClient>, stash: Option<Stash>) -> Self {
        Source::Api(Feed { client, stash, first: Arc::default() })
    }

    /// As [`api`](Self::api), with the list's first page in hand already (a probe's): the
    /// first fetch from the start delivers it instead of asking for it again.
    pub fn api_from(client: Arc<ApiClient>, stash: Option<Stash>, first: PageReply<C::Record>) -> Self {
        Source::Api(Feed { client, stash, first: Arc::new(Mutex::new(Some(first))) })
    }

    /// The list as it stands before anything is fetched, and the feed that fills it (none for a
    /// saved reply, which is whole from the start).
    pub fn start(self) -> (ListLoad<C>, Option<Feed<C>>) {
        match self {
            Source::Saved(records) => (ListLoad::complete(records), None),
            Source::Api(feed) => (ListLoad::new(), Some(feed)),
        }
    }

    /// As [`start`](Self::start), but a list the cache holds (at most `max_age` old, when given)
    /// starts whole and stale: the feed then fetches it again, to replace it. The cache is read
    /// on a blocking thread, so that a signal still ends a run whose file system stalls.
    pub async fn start_cached(self, max_age: Option<std::time::Duration>) -> (ListLoad<C>, Option<Feed<C>>) {
        match self {
            Source::Api(feed) => {
                let entry = match feed.stash.clone() {
                    Some(stash) => tokio::task::spawn_blocking(move || stash.load(max_age)).await.ok().flatten(),
                    None => None,
                };
                match entry {
                    Some(entry) => (ListLoad::cached(entry.records, entry.age), Some(feed)),
                    None => (ListLoad::new(), Some(feed)),
                }
            }
            saved => saved.start(),
        }
    }
}

/// Where a list is kept in the cache.
#[derive(Clone)]
pub struct Stash {
    cache: Arc<Cache>,
    key: Key,
}

impl Stash {
    pub fn new(cache: Arc<Cache>, key: Key) -> Self {
        Stash { cache, key }
    }

    /// The list as the cache holds it, if at most `max_age` old (when given). Blocking: call it
    /// off the runtime.
    pub fn load<T: crate::cache::Item>(&self, max_age: Option<std::time::Duration>) -> Option<Entry<T>> {
        self.cache.load(&self.key, max_age)
    }

    /// Keeps a whole list. Blocking: call it off the runtime.
    pub fn keep<C: Collection>(&self, catalog: &C) -> Result<(), CacheError> {
        self.cache.save(&self.key, catalog.records())
    }
}

/// Fetches pages of a list in the background, from the start or from where it failed; keeps
/// the list in the cache once it is whole; checks numbers one request at a time.
pub struct Feed<C: Collection = Catalog> {
    client: Arc<ApiClient>,
    stash: Option<Stash>,
    /// The first page, when a probe asked for it already: used once.
    first: Arc<Mutex<Option<PageReply<C::Record>>>>,
}

impl<C: Collection> Clone for Feed<C> {
    fn clone(&self) -> Self {
        Feed { client: Arc::clone(&self.client), stash: self.stash.clone(), first: Arc::clone(&self.first) }
    }
}

impl<C: Collection> Feed<C> {
    /// Keeps a whole list in the cache (when this list has a place there), on a blocking
    /// thread; a failure is logged, never an error.
    pub fn keep(&self, catalog: Arc<C>) -> Option<JoinHandle<()>> {
        let stash = self.stash.clone()?;
        Some(tokio::task::spawn_blocking(move || {
            if let Err(e) = stash.keep(&*catalog) {
                tracing::warn!(error = %e, what = <C::Record as crate::webex::Listed>::NOUN, "cannot cache the list");
            }
        }))
    }

    /// Starts fetching at `from`; each event is wrapped by `wrap` and sent on `tx`.
    pub fn spawn<M: Send + 'static>(
        &self,
        from: Resume,
        tx: UnboundedSender<M>,
        wrap: fn(FetchEvent<C::Record>) -> M,
    ) -> JoinHandle<()> {
        let first = if from.page() == 1 { self.first.lock().ok().and_then(|mut f| f.take()) } else { None };
        match first {
            Some(first) => {
                let client = Arc::clone(&self.client);
                tokio::spawn(async move {
                    page_through_from(&client, first, |e| tx.send(wrap(e)).is_ok()).await;
                })
            }
            None => spawn_fetch(Arc::clone(&self.client), from, tx, wrap),
        }
    }

    /// The client the list is fetched with.
    pub fn client(&self) -> &Arc<ApiClient> {
        &self.client
    }
}

impl Feed<Catalog> {
    /// Which of `numbers` the list still has, asked with one request (the API's `phoneNumber`
    /// filter, a comma-separated list), for numbers picked from a list that is not fresh.
    pub async fn check(&self, numbers: Vec<String>) -> Result<Vec<String>, ApiError> {
        let url = self.client.numbers_url(&numbers);
        let reply = self.client.get_page(&url).await?;
        let listed: std::collections::HashSet<&str> =
            reply.numbers.iter().filter(|r| r.is_pickable()).map(|r| &*r.phone_number).collect();
        Ok(numbers.into_iter().filter(|n| listed.contains(n.as_str())).collect())
    }
}

/// Reads a saved response from a file, or stdin for `-`, streaming it through the parser.
pub fn read_input(path: &Path) -> Result<Vec<NumberRecord>, Error> {
    let shown = if path.as_os_str() == "-" { "stdin".to_string() } else { path.display().to_string() };
    let err = |detail: String| Error::Input { path: shown.clone(), detail };
    let parsed = if path.as_os_str() == "-" {
        parse_page_reader(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
        let meta = f.metadata();
        if meta.as_ref().is_ok_and(|m| m.is_dir()) {
            return Err(err("it is a directory".into()));
        }
        if meta.is_ok_and(|m| m.is_file()) {
            // A regular file: read in parallel parts when it is large.
            parse_file(&f)
        } else {
            parse_page_reader(f)
        }
    };
    parsed.map(|p| p.numbers).map_err(|e| err(e.to_string()))
}
