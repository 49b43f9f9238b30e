//! Everything that can happen to the picker, as one message type.

use std::sync::Arc;

use crate::load::ListLoad;
use crate::numbers::filters::Filters;
use crate::webex::locations::Location;
use crate::webex::{FetchEvent, Resume};

/// What the user asked for, after key bindings are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    Insert(char),
    Backspace,
    Delete,
    DeleteWord,
    ClearQuery,
    CursorLeft,
    CursorRight,
    CursorHome,
    CursorEnd,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    /// Tab: with `--multi`, marks (or unmarks) the highlighted number and moves down; else down.
    Mark,
    /// Shift-Tab: with `--multi`, unmarks the highlighted number and moves up; else up.
    Unmark,
    /// Mouse wheel, in rows (negative: up).
    Scroll(i32),
    /// A click on a screen row.
    Click(u16),
    CycleState,
    CycleType,
    ToggleHelp,
    /// Shows or hides the details of the highlighted number.
    ToggleDetails,
    /// Esc: cancels the pick, as Ctrl-C does (any key, Esc too, first closes an open help).
    Escape,
    Cancel,
    Confirm,
    Copy,
    Retry,
    /// Back from a location's numbers to the list of locations.
    Back,
}

/// A search result: which records match, best first, for which query.
#[derive(Debug, Clone)]
pub struct SearchResult {
    pub generation: u64,
    /// The list searched (see [`SearchJob::epoch`]).
    pub epoch: u64,
    pub query: String,
    pub filters: Filters,
    /// How many catalog records the search covered.
    pub covered: usize,
    pub hits: Arc<Vec<u32>>,
}

#[derive(Debug)]
pub enum Msg {
    Intent(Intent),
    Fetch(FetchEvent),
    /// A fetch event of the numbers load `load` (the loop passes on only the current one's).
    FetchFor(u64, FetchEvent),
    /// The list of locations, as it loads.
    Locations(FetchEvent<Location>),
    /// A location's numbers, set up off the loop, for setting-up number `n` (the loop takes
    /// it, and passes on only the latest's as `LocationOpened` or `LocationFailed`).
    Prepared(u64, Box<Prepared>),
    /// A location's numbers are ready to load.
    LocationOpened(Opened),
    /// A location's numbers could not be set up.
    LocationFailed(String),
    /// The picker opened on a list that has records already: search them.
    Opened,
    /// What the picker opened before knowing (see [`super::connecting`]) is known: the loop
    /// takes its feeds and passes the rest on as [`Msg::Began`]; an error ends the picker.
    Started(Box<Result<super::Start, crate::error::Error>>),
    /// The list to show, once known.
    Began(super::connecting::Began),
    /// A request is tried again (for the connecting countdown).
    Retried(crate::webex::RetryNote),
    Searched(SearchResult),
    /// Text pasted in one piece (bracketed paste): it goes into the query, never confirms.
    Paste(String),
    /// The spinner's tick, with the time (for countdowns: drawing never reads the clock).
    Tick(std::time::Instant),
    Resize {
        width: u16,
        height: u16,
    },
    /// SIGINT, SIGTERM or SIGHUP.
    Signal,
    /// The outcome of a clipboard copy, for the status line.
    Copied(Result<String, String>),
    /// The server's answer to [`Effect::Check`]: which of `numbers` it still lists, or why it
    /// could not say.
    Checked {
        numbers: Vec<String>,
        result: Result<Vec<String>, String>,
    },
}

/// What `update` asks the event loop to do; `update` itself does no I/O.
#[derive(Debug)]
pub enum Effect {
    Search(SearchJob),
    Fetch(Resume),
    Copy(String),
    /// Set up the loading of this location's numbers.
    OpenLocation(Location),
    /// List the locations again, from where they failed.
    ListLocations(Resume),
    /// Ask the server whether it still lists these numbers (picked or copied from a list that
    /// is not fresh); the answer comes back as [`Msg::Checked`].
    Check(Vec<String>),
    /// Keep this whole, fresh list in the cache.
    Keep(Arc<crate::numbers::catalog::Catalog>),
    /// Keep this whole, fresh list of locations in the cache.
    KeepLocations(Arc<crate::load::Records<Location>>),
}

/// A location and its numbers' list, as it stands before the first page.
pub struct Opened {
    pub location: Location,
    pub list: ListLoad,
}

/// A location and what setting up its numbers came to.
pub struct Prepared {
    pub location: Location,
    pub result: super::OpenResult,
}

impl std::fmt::Debug for Prepared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Prepared({:?}, ok: {})", self.location.name, self.result.is_ok())
    }
}

impl std::fmt::Debug for Opened {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Opened({:?}, {} numbers)", self.location.name, self.list.catalog.len())
    }
}

/// A search to run, on the loop for small lists or on a worker for large ones.
#[derive(Debug)]
pub struct SearchJob {
    pub generation: u64,
    /// Which list is searched: a refreshed list replaces the shown one, and record indices of
    /// the one before mean nothing in it.
    pub epoch: u64,
    pub query: String,
    /// `--exact`: every term matches only as typed (`'term` makes one fuzzy again).
    pub exact: bool,
    pub filters: Filters,
    pub catalog: Arc<crate::numbers::catalog::Catalog>,
    /// Only these records can match (the previous results of a narrower query).
    pub candidates: Option<Arc<Vec<u32>>>,
}

impl Msg {
    /// A one-line description for the log (pages and results by size, not content).
    pub fn summary(&self) -> String {
        match self {
            Msg::Fetch(FetchEvent::Page { page, numbers }) => format!("page {page}: {} numbers", numbers.len()),
            Msg::Fetch(FetchEvent::Retrying { page, wait, error, .. }) => {
                format!("page {page}: retry in {wait:?}: {error}")
            }
            Msg::Fetch(FetchEvent::Done { pages, .. }) => format!("all {pages} pages loaded"),
            Msg::Fetch(FetchEvent::Failed { page, error, .. }) => format!("page {page} failed: {error}"),
            Msg::Searched(r) => {
                format!("search {} {:?}: {} hits of {}", r.generation, r.query, r.hits.len(), r.covered)
            }
            Msg::Locations(FetchEvent::Page { page, numbers }) => format!("locations page {page}: {}", numbers.len()),
            Msg::Paste(t) => format!("paste of {} characters", t.chars().count()),
            other => format!("{other:?}"),
        }
    }
}
