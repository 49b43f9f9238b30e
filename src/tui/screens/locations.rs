//! The locations screen: the organization's locations as they load, searched by name; Enter
//! opens the highlighted location's numbers.

mod draw;
pub mod update;

pub use draw::draw;
pub use update::update;

use crate::load::LocationList;
use crate::tui::widgets::list_cursor::ListCursor;
use crate::tui::widgets::query_line::QueryLine;
use crate::webex::locations::Location;

/// How loading the locations stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocationsStatus {
    Loading,
    Retrying(String),
    Done,
    Failed(String),
}

pub struct LocationsScreen {
    /// The locations in view, as they load: folded by the one fold (each once).
    pub list: LocationList,
    /// The fresh list, while a cached `list` is in view: it replaces `list` once whole.
    pub refresh: Option<LocationList>,
    pub status: LocationsStatus,
    pub query: QueryLine,
    /// The locations matching the query, best first (indices into `locations()`).
    pub hits: Vec<usize>,
    pub cursor: ListCursor,
    /// A short message for the status line (e.g. why a location could not be opened).
    pub note: Option<String>,
    /// The list can be asked for again after a failure.
    pub retryable: bool,
}

impl LocationsScreen {
    /// The screen on `list` (more to come while it is loading), with this query, showing `rows`
    /// rows at a time. A cached list stays in view while the fresh one loads aside.
    pub fn new(list: LocationList, query: &str, rows: usize) -> Self {
        let refresh = (!list.is_fresh()).then(LocationList::new);
        let mut s = LocationsScreen {
            list,
            refresh,
            status: LocationsStatus::Done,
            query: QueryLine::new(query),
            hits: Vec::new(),
            cursor: ListCursor::new(rows),
            note: None,
            retryable: false,
        };
        s.status = update::status_of(s.refresh.as_ref().unwrap_or(&s.list));
        update::search(&mut s, false);
        s
    }

    /// A screen on a fixed list of locations (candidates of a name), whole from the start.
    pub fn of(locations: Vec<Location>, query: &str, rows: usize) -> Self {
        Self::new(LocationList::complete(locations), query, rows)
    }

    /// A screen on these locations, more still to come (page 1 in): for tests.
    #[cfg(test)]
    pub fn loading(locations: Vec<Location>, query: &str, rows: usize) -> Self {
        let mut list = LocationList::new();
        list.apply(crate::webex::FetchEvent::Page { page: 1, numbers: locations });
        Self::new(list, query, rows)
    }

    /// Every location loaded so far.
    pub fn locations(&self) -> &[Location] {
        use crate::load::Collection;
        self.list.catalog.records()
    }

    /// When the list in view came from the cache.
    pub fn cached(&self) -> Option<&crate::load::fold::Cached> {
        self.list.cached.as_ref()
    }

    /// The highlighted location, if any.
    pub fn selected(&self) -> Option<&Location> {
        self.hits.get(self.cursor.selected).map(|&i| &self.locations()[i])
    }

    /// Whether the list failed and can be asked for again.
    pub fn can_retry(&self) -> bool {
        self.retryable && matches!(self.status, LocationsStatus::Failed(_))
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.status, LocationsStatus::Loading | LocationsStatus::Retrying(_))
    }

    /// Marks the failed list as loading again; where to resume it.
    pub fn resume(&mut self) -> Option<crate::webex::Resume> {
        let list = self.refresh.as_mut().unwrap_or(&mut self.list);
        let resume = list.resume()?;
        self.status = LocationsStatus::Loading;
        Some(resume)
    }
}
