//! The picker's state: the screens, the one in view, the terminal's size, and how the picker
//! ends. [`update`](super::update::update) changes it; drawing only reads it.

use std::time::Instant;

use super::screens::locations::LocationsScreen;
use super::screens::numbers::NumbersScreen;
use super::screens::numbers::update::list_rows;
use crate::numbers::filters::Filters;
use crate::webex::locations::Location;

/// How the picker ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Enter on this record.
    Confirmed(u32),
    Cancelled,
}

/// The screen in view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Numbers,
    Locations,
}

pub struct Model {
    pub numbers: NumbersScreen,
    /// The list of locations, when the picker started there.
    pub locations: Option<LocationsScreen>,
    pub view: View,
    /// The location whose numbers are listed, when known by name: shown above the numbers.
    pub location: Option<Location>,
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
            locations: None,
            view: View::Numbers,
            location: None,
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

    /// Rows above the numbers screen: one for the location's name when it is known.
    pub fn numbers_top(&self) -> u16 {
        u16::from(self.location.is_some() && self.height >= 4)
    }

    /// The locations screen, when it is in view.
    pub fn locations_in_view(&self) -> Option<&LocationsScreen> {
        self.locations.as_ref().filter(|_| self.view == View::Locations)
    }

    /// Whether the spinner should turn.
    pub fn is_loading(&self) -> bool {
        match self.locations_in_view() {
            Some(l) => l.is_loading(),
            None => self.numbers.is_loading(),
        }
    }

    /// Whether a page failed for good, so that `r` retries.
    pub fn can_retry(&self) -> bool {
        match self.locations_in_view() {
            Some(l) => l.can_retry(),
            None => self.numbers.has_failed(),
        }
    }

    /// Whether the query line in view is empty (so `?` and `r` are keys, not text).
    pub fn query_empty(&self) -> bool {
        match self.locations_in_view() {
            Some(l) => l.query.text.is_empty(),
            None => self.numbers.query.text.is_empty(),
        }
    }
}
