//! The lookup screen: the records of one lookup (locations, people, workspaces, virtual lines)
//! as they load, searched by name; Enter opens the highlighted one's numbers. One screen type,
//! configured by a [`Lookup`] row (its title, its columns, its nouns): adding a lookup is a
//! row and its demo data, not a screen.

mod any;
mod draw;
pub(crate) mod update;

#[cfg(all(test, feature = "demo"))]
mod snapshots;

pub use any::{AnyLookup, Chosen, Kept, LookupEvent, LookupFeed, ScreenRow};
pub(crate) use draw::FrameState;
pub(crate) use update::update;

use crate::load::{Collection, ListLoad, Records};
use crate::tui::widgets::list_cursor::ListCursor;
use crate::tui::widgets::query_line::QueryLine;
use crate::webex::owners::{Lookup, Row};

/// How loading the list stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LookupStatus {
    Loading,
    Retrying(String),
    Done,
    Failed(String),
}

/// The locations screen: the lookup screen on the locations' row.
#[cfg(test)]
pub(crate) type LocationsScreen = LookupScreen<crate::webex::locations::Location>;

pub struct LookupScreen<R: Row> {
    /// What is listed: its nouns, its columns.
    pub row: &'static Lookup,
    /// The records in view, as they load: folded by the one fold (each once).
    pub list: ListLoad<Records<R>>,
    /// The fresh list, while a cached `list` is in view: it replaces `list` once whole.
    pub refresh: Option<ListLoad<Records<R>>>,
    pub status: LookupStatus,
    pub query: QueryLine,
    /// The records matching the query, best first (indices into `records()`).
    pub hits: Vec<usize>,
    pub cursor: ListCursor,
    /// The screen's rows above the list (title, query line, column header).
    pub top: u16,
    /// A short message for the status line (e.g. why a record could not be opened).
    pub note: Option<String>,
    /// Why the list is shown, for the title (`2 locations match "Birmingham"`); else the title
    /// asks to choose one.
    pub heading: Option<String>,
    /// The list can be asked for again after a failure.
    pub retryable: bool,
}

impl<R: Row> LookupScreen<R> {
    /// The screen of `row` on `list` (more to come while it is loading), with this query, on a
    /// screen of `height` rows. A cached list stays in view while the fresh one loads aside.
    pub fn new(row: &'static Lookup, list: ListLoad<Records<R>>, query: &str, height: u16) -> Self {
        let refresh = (!list.is_fresh()).then(ListLoad::new);
        let mut s = LookupScreen {
            row,
            list,
            refresh,
            status: LookupStatus::Done,
            query: QueryLine::new(query),
            hits: Vec::new(),
            cursor: ListCursor::new(update::list_rows(height)),
            top: update::top_rows(height),
            note: None,
            heading: None,
            retryable: false,
        };
        s.status = update::status_of(s.refresh.as_ref().unwrap_or(&s.list));
        update::search(&mut s, false);
        s
    }

    /// Every record loaded so far.
    pub fn records(&self) -> &[R] {
        self.list.catalog.records()
    }

    /// When the list in view came from the cache.
    pub fn cached(&self) -> Option<&crate::load::fold::Cached> {
        self.list.cached.as_ref()
    }

    /// The highlighted record, if any.
    pub fn selected(&self) -> Option<&R> {
        self.hits.get(self.cursor.selected).map(|&i| &self.records()[i])
    }

    /// Whether the list failed and can be asked for again.
    pub fn can_retry(&self) -> bool {
        self.retryable && matches!(self.status, LookupStatus::Failed(_))
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.status, LookupStatus::Loading | LookupStatus::Retrying(_))
    }

    /// Marks the failed list as loading again; where to resume it.
    pub fn resume(&mut self) -> Option<crate::webex::Resume> {
        let list = self.refresh.as_mut().unwrap_or(&mut self.list);
        let resume = list.resume()?;
        self.status = LookupStatus::Loading;
        Some(resume)
    }
}

#[cfg(test)]
impl LookupScreen<crate::webex::locations::Location> {
    /// The locations' screen on `list`.
    pub fn locations(list: ListLoad<Records<crate::webex::locations::Location>>, query: &str, height: u16) -> Self {
        Self::new(&crate::webex::owners::LOCATIONS_LOOKUP, list, query, height)
    }
}

#[cfg(test)]
impl<R: Row> LookupScreen<R> {
    /// A screen on a fixed list of records (candidates of a name), whole from the start.
    pub fn of(row: &'static Lookup, records: Vec<R>, query: &str, height: u16) -> Self {
        Self::new(row, ListLoad::complete(records), query, height)
    }

    /// A screen on these records, more still to come (page 1 in).
    pub fn loading(row: &'static Lookup, records: Vec<R>, query: &str, height: u16) -> Self {
        let mut list = ListLoad::new();
        list.apply(crate::webex::FetchEvent::Page { page: 1, numbers: records });
        Self::new(row, list, query, height)
    }
}
