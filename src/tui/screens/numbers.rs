//! The numbers screen: a list as it loads, the query and filters over it, the results of the
//! search, and the highlight.

pub mod details;
mod draw;
pub mod marks;
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
        }
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
