//! The locations screen: the organization's locations as they load, searched by name; Enter
//! opens the highlighted location's numbers.

mod draw;
pub mod update;

pub use draw::draw;
pub use update::update;

use crate::load::fold::Cached;
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
    pub locations: Vec<Location>,
    pub status: LocationsStatus,
    pub query: QueryLine,
    /// The locations matching the query, best first (indices into `locations`).
    pub hits: Vec<usize>,
    pub cursor: ListCursor,
    /// A short message for the status line (e.g. why a location could not be opened).
    pub note: Option<String>,
    /// The list can be asked for again after a failure.
    pub retryable: bool,
    /// The list came from the cache (and `refresh` collects the fresh one to replace it).
    pub cached: Option<Cached>,
    pub refresh: Option<Vec<Location>>,
}

impl LocationsScreen {
    /// The screen on `locations` (more to come while `loading`), with this query, showing
    /// `rows` rows at a time.
    pub fn new(locations: Vec<Location>, loading: bool, query: &str, rows: usize) -> Self {
        let mut s = LocationsScreen {
            locations,
            status: if loading { LocationsStatus::Loading } else { LocationsStatus::Done },
            query: QueryLine::new(query),
            hits: Vec::new(),
            cursor: ListCursor::new(rows),
            note: None,
            retryable: false,
            cached: None,
            refresh: None,
        };
        update::search(&mut s, false);
        s
    }

    /// The list is the cache's, `age` old: the locations that load from now on collect aside,
    /// and replace it once all are in.
    pub fn start_cached(&mut self, age: std::time::Duration) {
        self.cached = Some(Cached { age, read: std::time::Instant::now() });
        self.refresh = Some(Vec::new());
        self.status = LocationsStatus::Loading;
    }

    /// The highlighted location, if any.
    pub fn selected(&self) -> Option<&Location> {
        self.hits.get(self.cursor.selected).map(|&i| &self.locations[i])
    }

    /// Whether the list failed and can be asked for again.
    pub fn can_retry(&self) -> bool {
        self.retryable && matches!(self.status, LocationsStatus::Failed(_))
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.status, LocationsStatus::Loading | LocationsStatus::Retrying(_))
    }
}
