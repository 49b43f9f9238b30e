//! The numbers screen: a list as it loads, the query and filters over it, the results of the
//! search, and the highlight.

pub mod check;
pub mod details;
mod draw;
pub mod marks;
mod refresh;
mod results;
pub mod update;

pub use draw::{DrawContext, draw};
pub use marks::Marks;
pub use results::Results;
pub use update::{run_search, update};

use crate::load::ListLoad;
use crate::numbers::filters::Filters;
use crate::tui::widgets::list_cursor::ListCursor;
use crate::tui::widgets::query_line::QueryLine;

pub struct NumbersScreen {
    pub list: ListLoad,
    pub query: QueryLine,
    pub filters: Filters,
    pub results: Results,
    pub cursor: ListCursor,
    /// The record highlighted, kept across new results.
    pub selected_record: Option<u32>,
    /// A short message for the status line (e.g. what was copied).
    pub note: Option<String>,
    /// The key back to the locations, for the status line, when there is a way back.
    pub back_hint: Option<String>,
    /// `--multi`: the marked numbers (off by default).
    pub marks: Marks,
    /// The fresh list loading to replace `list`, while `list` is one from the cache.
    pub refresh: Option<ListLoad>,
    /// What the last refresh changed, for the status line.
    pub refreshed: Option<String>,
    /// Numbers picked or copied from a list that is not fresh, waiting for the server's word.
    pub checking: Option<Check>,
    /// The screen rows above the list: the query line, and the column header line (see
    /// [`update::list_top`]).
    pub list_top: u16,
    /// `--exact`: every term of the query matches only as typed; `'term` makes one fuzzy again
    /// (without it, `'term` is the exact one), as in fzf.
    pub exact: bool,
}

/// A pick or a copy waiting for the server to say the numbers are still available.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub numbers: Vec<String>,
    pub then: Then,
}

/// What to do with checked numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    Pick,
    Copy,
}

impl NumbersScreen {
    /// An empty list with this query and these filters, showing `rows` rows at a time.
    pub fn new(query: &str, filters: Filters, rows: usize) -> Self {
        NumbersScreen {
            list: ListLoad::new(),
            query: QueryLine::new(query),
            filters,
            results: Results::new(query, filters),
            cursor: ListCursor::new(rows),
            selected_record: None,
            note: None,
            back_hint: None,
            marks: Marks::off(),
            refresh: None,
            refreshed: None,
            checking: None,
            list_top: 2,
            exact: false,
        }
    }

    /// Matches every term only as typed (`--exact`), or not.
    pub fn set_exact(&mut self, exact: bool) {
        self.exact = exact;
        self.results.matcher = crate::numbers::matcher::Matcher::new(self.parse(&self.results.query));
    }

    /// A query as this screen reads it (`--exact` or not).
    pub fn parse(&self, text: &str) -> crate::numbers::matcher::Query {
        crate::numbers::matcher::Query::parse_as(text, self.exact)
    }

    /// Follows the screen's height: the list's rows, and whether the column header fits.
    pub fn fit(&mut self, height: u16) {
        self.list_top = update::list_top(height);
        self.cursor.resize(update::list_rows(height), self.results.hits.len());
    }

    /// Shows `list`; one from the cache is fetched again, into [`refresh`](Self::refresh).
    pub fn set_list(&mut self, list: ListLoad) {
        self.refresh = list.cached.is_some().then(ListLoad::new);
        self.list = list;
    }

    /// The load that pages are going to: the refresh while there is one, else the list.
    pub fn loading(&self) -> &ListLoad {
        self.refresh.as_ref().unwrap_or(&self.list)
    }

    /// Whether pages are still coming (of the list, or of its refresh).
    pub fn is_loading(&self) -> bool {
        self.loading().is_loading()
    }

    /// Whether a page failed for good, so that `r` retries.
    pub fn has_failed(&self) -> bool {
        self.loading().has_failed()
    }

    /// The highlighted record, if any.
    pub fn selected_index(&self) -> Option<u32> {
        self.results.hits.get(self.cursor.selected).copied()
    }

    /// Whether the shown results are for what the user typed now.
    pub fn is_current(&self) -> bool {
        self.results.query == self.query.text
            && self.results.filters == self.filters
            && self.results.covered == self.list.catalog.len()
    }
}
