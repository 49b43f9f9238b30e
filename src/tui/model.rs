//! The picker's state. `update` changes it; drawing only reads it.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use crate::numbers::catalog::Catalog;
use crate::numbers::filters::Filters;
use crate::numbers::matcher::{Matcher, Query};
use crate::webex::{ApiError, Resume};

/// The query line: text and a cursor (in characters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryLine {
    pub text: String,
    pub cursor: usize,
}

impl QueryLine {
    pub fn new(text: &str) -> Self {
        QueryLine { text: text.to_string(), cursor: text.chars().count() }
    }
    fn byte_at(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(b, _)| b)
    }
    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }
    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }
    /// Deletes the word before the cursor, and the spaces after it (as a shell's Ctrl-W does).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }
    pub fn home(&mut self) {
        self.cursor = 0;
    }
    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }
}

/// How loading stands.
#[derive(Debug, Clone)]
pub enum Load {
    /// Waiting for page `page`.
    Loading {
        page: usize,
    },
    /// Waiting `wait` before trying page `page` again, because of `reason`.
    Retrying {
        page: usize,
        wait: Duration,
        reason: String,
        rate_limited: bool,
    },
    Done,
    /// Page `page` failed for good; `resume` fetches from it again.
    Failed {
        page: usize,
        reason: String,
        error: ApiError,
        resume: Resume,
    },
}

/// How the picker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Enter on this record.
    Confirmed(u32),
    Cancelled,
}

pub struct Model {
    pub catalog: Arc<Catalog>,
    pub query: QueryLine,
    pub filters: Filters,
    /// The current results, best first; they match `shown_query` and `shown_filters` over the
    /// first `shown_covered` records.
    pub hits: Arc<Vec<u32>>,
    pub shown_query: String,
    pub shown_filters: Filters,
    pub shown_covered: usize,
    /// The prepared matcher of the shown results, for highlighting.
    pub matcher: Matcher,
    /// Position of the selection in `hits`.
    pub selected: usize,
    /// The record selected, kept across new results.
    pub selected_record: Option<u32>,
    /// First visible row.
    pub offset: usize,
    pub width: u16,
    pub height: u16,
    pub load: Load,
    pub spinner: usize,
    pub help: bool,
    /// A short message for the status line (e.g. what was copied).
    pub note: Option<String>,
    pub exit: Option<Exit>,
    /// The newest search asked for; older results are dropped.
    pub generation: u64,
    /// Results by query text and filters, for the current catalog size.
    pub cache: HashMap<(String, Filters), Arc<Vec<u32>>>,
    pub mouse: bool,
    /// Colours on (off with `NO_COLOR`); state and type are always shown as text too.
    pub color: bool,
}

impl Model {
    pub fn new(query: &str, filters: Filters, width: u16, height: u16) -> Self {
        Model {
            catalog: Arc::new(Catalog::new()),
            query: QueryLine::new(query),
            filters,
            hits: Arc::new(Vec::new()),
            shown_query: query.to_string(),
            shown_filters: filters,
            shown_covered: 0,
            matcher: Matcher::new(Query::parse(query)),
            selected: 0,
            selected_record: None,
            offset: 0,
            width,
            height,
            load: Load::Loading { page: 1 },
            spinner: 0,
            help: false,
            note: None,
            exit: None,
            generation: 0,
            cache: HashMap::new(),
            mouse: true,
            color: true,
        }
    }

    /// Rows available to the list: everything but the query line and the status line.
    pub fn list_height(&self) -> usize {
        self.height.saturating_sub(2) as usize
    }

    /// The highlighted record, if any.
    pub fn selected_index(&self) -> Option<u32> {
        self.hits.get(self.selected).copied()
    }

    /// Whether a page failed for good, so that `r` retries.
    pub fn can_retry(&self) -> bool {
        matches!(self.load, Load::Failed { .. })
    }

    pub fn is_loading(&self) -> bool {
        matches!(self.load, Load::Loading { .. } | Load::Retrying { .. })
    }

    /// Whether the shown results are for what the user typed now.
    pub fn is_current(&self) -> bool {
        self.shown_query == self.query.text
            && self.shown_filters == self.filters
            && self.shown_covered == self.catalog.len()
    }
}
