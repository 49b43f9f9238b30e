//! The picker's state: the screens, the one in view, the terminal's size, and how the picker
//! ends. [`update`](super::update::update) changes it; drawing only reads it.

use std::time::Instant;

use ratatui::layout::Rect;

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
    /// Enter with numbers marked (`--multi`): they are the pick.
    Marked,
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
    /// The list's title (`call queue primary`), shown above the numbers; empty: none.
    pub title: String,
    /// Whose numbers these are when `location` is unknown (a location ID, `person Y2lz…`).
    pub place: Option<String>,
    /// The details pane as the user toggled it; `None`: shown when the terminal is wide.
    pub details: Option<bool>,
    pub width: u16,
    pub height: u16,
    /// Advances on each tick while loading.
    pub spinner: usize,
    /// The time of the last tick, for countdowns (drawing never reads the clock).
    pub now: Option<Instant>,
    /// The help popup is open.
    pub help: bool,
    /// Fade the notes of the status lines: the numbers' note, what their refresh changed, the
    /// locations' note.
    pub fades: [super::widgets::status_line::Fade; 3],
    /// How far the help is scrolled down (when it is longer than the screen).
    pub help_scroll: u16,
    pub exit: Option<Exit>,
    pub mouse: bool,
    /// Colours on (off with `NO_COLOR`); state and type are always shown as text too.
    pub color: bool,
    /// Where the requests go, and their retries, for the "connecting" text before anything
    /// came (none when the picker opened on a list it was given).
    pub connection: Option<super::connecting::Connection>,
}

impl Model {
    pub fn new(query: &str, filters: Filters, width: u16, height: u16) -> Self {
        let mut numbers = NumbersScreen::new(query, filters, list_rows(height));
        numbers.fit(height);
        Model {
            numbers,
            locations: None,
            view: View::Numbers,
            location: None,
            title: String::new(),
            place: None,
            details: None,
            width,
            height,
            spinner: 0,
            now: None,
            help: false,
            fades: Default::default(),
            help_scroll: 0,
            exit: None,
            mouse: true,
            color: true,
            connection: None,
        }
    }

    /// Rows above the numbers screen: one for the header (the list and whose numbers).
    pub fn numbers_top(&self) -> u16 {
        u16::from(self.has_header() && self.height >= 4)
    }

    /// Whether there is a header to show: a title, or whose numbers these are.
    pub fn has_header(&self) -> bool {
        !self.title.is_empty() || self.place_text().is_some()
    }

    /// Whose numbers are listed, as text: the location's name, else the place the app gave.
    pub fn place_text(&self) -> Option<&str> {
        match &self.location {
            Some(l) => Some(&l.name),
            None => self.place.as_deref().filter(|p| !p.is_empty()),
        }
    }

    /// Whether the details pane is on: as the user toggled it, else when the terminal is wide.
    pub fn details_on(&self) -> bool {
        self.details.unwrap_or(self.width >= DETAILS_AUTO_WIDTH)
    }

    /// Where the numbers screen's parts go on a screen of the model's size.
    pub fn layout(&self) -> Layout {
        Layout::of(Rect::new(0, 0, self.width, self.height), self.numbers_top(), self.details_on())
    }

    /// Follows a change of the numbers screen's area (resize, header, pane): its list rows.
    pub fn relayout(&mut self) {
        self.numbers.fit(self.layout().numbers.height);
    }

    /// The locations screen, when it is in view.
    pub fn locations_in_view(&self) -> Option<&LocationsScreen> {
        self.locations.as_ref().filter(|_| self.view == View::Locations)
    }

    /// Which screen's keys the help lists: Ctrl-L only where there are locations to go back to.
    pub fn help_screen(&self) -> super::keymap::Screen {
        match self.locations_in_view() {
            Some(_) => super::keymap::Screen::Locations,
            None => super::keymap::Screen::Numbers { back: self.locations.is_some() },
        }
    }

    /// Whether a status line shows a note that fades (so ticks must come).
    pub fn has_note(&self) -> bool {
        self.numbers.note.is_some()
            || self.numbers.refreshed.is_some()
            || self.locations.as_ref().is_some_and(|l| l.note.is_some())
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

/// The details pane is on by default from this width.
pub const DETAILS_AUTO_WIDTH: u16 = 120;
/// From this width the pane goes on the right of the list; below, under it.
const DETAILS_RIGHT_FROM: u16 = 80;

/// The areas of the numbers view: the header line, the numbers screen, the details pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    pub header: Option<Rect>,
    pub numbers: Rect,
    pub details: Option<Rect>,
}

impl Layout {
    /// Splits `area`: `top` rows of header, then the numbers, and the pane when `details` is
    /// on and there is room for it (on the right from 80 columns, else below the list when the
    /// list keeps 8 rows; else not at all).
    pub fn of(area: Rect, top: u16, details: bool) -> Layout {
        let top = top.min(area.height);
        let header = (top > 0).then_some(Rect { height: top, ..area });
        let body = Rect { y: area.y + top, height: area.height - top, ..area };
        let mut layout = Layout { header, numbers: body, details: None };
        if !details {
            return layout;
        }
        if body.width >= DETAILS_RIGHT_FROM {
            let pane = if body.width >= DETAILS_AUTO_WIDTH { 44 } else { 40 };
            let list = body.width - pane;
            layout.numbers = Rect { width: list, ..body };
            // The status line below the list takes the whole width: the pane stops above it.
            layout.details =
                Some(Rect { x: body.x + list, width: pane, height: body.height.saturating_sub(1), ..body });
        } else if body.height >= 16 {
            let pane = (body.height / 2).min(14);
            let list = body.height - pane;
            layout.numbers = Rect { height: list, ..body };
            layout.details = Some(Rect { y: body.y + list, height: pane, ..body });
        }
        layout
    }
}
