//! Where the highlight and the scroll stand in a list of rows, and how keys, the wheel and
//! clicks move them. The list itself (what the rows are) belongs to the screen.

use crate::tui::msg::Intent;

/// The highlight and the first visible row of a list of `len` rows shown `rows` at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListCursor {
    /// Position of the highlight.
    pub selected: usize,
    /// First visible row.
    pub offset: usize,
    /// Rows on screen.
    pub rows: usize,
}

impl ListCursor {
    pub fn new(rows: usize) -> Self {
        ListCursor { selected: 0, offset: 0, rows }
    }

    /// Moves the highlight by `delta` rows within a list of `len`, scrolling as needed.
    pub fn move_by(&mut self, delta: i64, len: usize) {
        if len == 0 {
            return;
        }
        let last = len as i64 - 1;
        self.selected = (self.selected as i64).saturating_add(delta).clamp(0, last) as usize;
        self.keep_visible(len);
    }

    /// How far a moving intent moves the highlight (`None` for other intents).
    pub fn delta(&self, i: Intent) -> Option<i64> {
        Some(match i {
            Intent::Up => -1,
            Intent::Down => 1,
            // Tab and Shift-Tab move where nothing is marked (no `--multi`, the locations).
            Intent::Mark => 1,
            Intent::Unmark => -1,
            Intent::PageUp => -self.page(),
            Intent::PageDown => self.page(),
            Intent::First => i64::MIN / 2,
            Intent::Last => i64::MAX / 2,
            Intent::Scroll(n) => n as i64,
            _ => return None,
        })
    }

    /// A page: the rows on screen.
    pub fn page(&self) -> i64 {
        self.rows.max(1) as i64
    }

    /// Highlights the row at `row` on screen (0 is the first list row), if there is one.
    pub fn click(&mut self, row: usize, len: usize) -> bool {
        if row < self.rows && self.offset + row < len {
            self.selected = self.offset + row;
            return true;
        }
        false
    }

    /// Follows a new screen height.
    pub fn resize(&mut self, rows: usize, len: usize) {
        self.rows = rows;
        self.keep_visible(len);
    }

    /// Scrolls so that the highlight is on screen, and no further than needed.
    pub fn keep_visible(&mut self, len: usize) {
        let h = self.rows.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + h {
            self.offset = self.selected + 1 - h;
        }
        self.offset = self.offset.min(len.saturating_sub(h));
    }
}
