//! The picker's state: the screen in view, the terminal's size, and how the picker ends.
//! [`update`](super::update::update) changes it; drawing only reads it.

use std::time::Instant;

use super::screens::numbers::NumbersScreen;
use super::screens::numbers::update::list_rows;
use crate::numbers::filters::Filters;

/// How the picker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Enter on this record.
    Confirmed(u32),
    Cancelled,
}

pub struct Model {
    pub numbers: NumbersScreen,
    pub width: u16,
    pub height: u16,
    /// Advances on each tick while loading.
    pub spinner: usize,
    /// The time of the last tick, for countdowns (drawing never reads the clock).
    pub now: Option<Instant>,
    /// The help popup is open.
    pub help: bool,
    pub exit: Option<Exit>,
    pub mouse: bool,
    /// Colours on (off with `NO_COLOR`); state and type are always shown as text too.
    pub color: bool,
}

impl Model {
    pub fn new(query: &str, filters: Filters, width: u16, height: u16) -> Self {
        Model {
            numbers: NumbersScreen::new(query, filters, list_rows(height)),
            width,
            height,
            spinner: 0,
            now: None,
            help: false,
            exit: None,
            mouse: true,
            color: true,
        }
    }

    /// Whether the spinner should turn.
    pub fn is_loading(&self) -> bool {
        self.numbers.list.is_loading()
    }

    /// Whether a page failed for good, so that `r` retries.
    pub fn can_retry(&self) -> bool {
        self.numbers.list.has_failed()
    }

    /// Whether the query line is empty (so `?` and `r` are keys, not text).
    pub fn query_empty(&self) -> bool {
        self.numbers.query.text.is_empty()
    }
}
