//! The lookup screen as the picker holds it, whatever its records: locations, or owners
//! (people, workspaces, virtual lines: one record type, [`Owner`], whose row says which). The
//! picker's messages and effects carry a lookup's records in these enums; [`ScreenRow`] says
//! which variant a record type goes in.

use std::sync::Arc;

use ratatui::Frame;
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::LookupScreen;
use crate::load::{Feed, Records};
use crate::tui::msg::Msg;
use crate::tui::theme::Theme;
use crate::webex::locations::Location;
use crate::webex::owners::{Lookup, Owner, Row};
use crate::webex::{FetchEvent, Resume};

/// The lookup screen in the picker.
pub enum AnyLookup {
    Locations(LookupScreen<Location>),
    Owners(LookupScreen<Owner>),
}

/// The record chosen on a lookup screen: whose numbers to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chosen {
    Location(Location),
    Owner(Owner),
}

/// A lookup's list, as it loads.
#[derive(Debug)]
pub enum LookupEvent {
    Locations(FetchEvent<Location>),
    Owners(FetchEvent<Owner>),
}

/// A lookup's whole, fresh list, to keep in the cache.
#[derive(Debug)]
pub enum Kept {
    Locations(Arc<Records<Location>>),
    Owners(Arc<Records<Owner>>),
}

/// Lists a lookup again after a failure, and keeps its whole list in the cache.
#[derive(Clone)]
pub enum LookupFeed {
    Locations(Feed<Records<Location>>),
    Owners(Feed<Records<Owner>>),
}

/// A record type a lookup screen lists, and the variants it goes in.
pub trait ScreenRow: Row {
    #[doc(hidden)]
    fn wrap_event(event: FetchEvent<Self>) -> LookupEvent;
    #[doc(hidden)]
    fn wrap_screen(screen: LookupScreen<Self>) -> AnyLookup;
    #[doc(hidden)]
    fn wrap_feed(feed: Feed<Records<Self>>) -> LookupFeed;
    #[doc(hidden)]
    fn chosen(self) -> Chosen;
}

impl ScreenRow for Location {
    fn wrap_event(event: FetchEvent<Self>) -> LookupEvent {
        LookupEvent::Locations(event)
    }
    fn wrap_screen(screen: LookupScreen<Self>) -> AnyLookup {
        AnyLookup::Locations(screen)
    }
    fn wrap_feed(feed: Feed<Records<Self>>) -> LookupFeed {
        LookupFeed::Locations(feed)
    }
    fn chosen(self) -> Chosen {
        Chosen::Location(self)
    }
}

impl ScreenRow for Owner {
    fn wrap_event(event: FetchEvent<Self>) -> LookupEvent {
        LookupEvent::Owners(event)
    }
    fn wrap_screen(screen: LookupScreen<Self>) -> AnyLookup {
        AnyLookup::Owners(screen)
    }
    fn wrap_feed(feed: Feed<Records<Self>>) -> LookupFeed {
        LookupFeed::Owners(feed)
    }
    fn chosen(self) -> Chosen {
        Chosen::Owner(self)
    }
}

impl<R: ScreenRow> From<LookupScreen<R>> for AnyLookup {
    fn from(screen: LookupScreen<R>) -> Self {
        R::wrap_screen(screen)
    }
}

/// The same code on either screen.
macro_rules! each {
    ($any:expr, $s:ident => $body:expr) => {
        match $any {
            AnyLookup::Locations($s) => $body,
            AnyLookup::Owners($s) => $body,
        }
    };
}

impl AnyLookup {
    pub fn row(&self) -> &'static Lookup {
        each!(self, s => s.row)
    }

    pub fn note(&self) -> Option<&str> {
        each!(self, s => s.note.as_deref())
    }

    pub fn note_mut(&mut self) -> &mut Option<String> {
        each!(self, s => &mut s.note)
    }

    pub fn query_text(&self) -> &str {
        each!(self, s => &s.query.text)
    }

    pub fn is_loading(&self) -> bool {
        each!(self, s => s.is_loading())
    }

    pub fn can_retry(&self) -> bool {
        each!(self, s => s.can_retry())
    }

    pub fn resume(&mut self) -> Option<Resume> {
        each!(self, s => s.resume())
    }

    /// The highlighted record, if any.
    pub fn selected(&self) -> Option<Chosen> {
        each!(self, s => s.selected().cloned().map(ScreenRow::chosen))
    }

    /// Applies a message of the screen's own (keys, paste, resize).
    pub fn update(&mut self, msg: Msg) {
        each!(self, s => super::update(s, msg))
    }

    /// Folds an event of the listing in (an event of another lookup's records is dropped);
    /// the list to keep in the cache, once one is whole.
    pub fn apply(&mut self, event: LookupEvent) -> Option<Kept> {
        match (self, event) {
            (AnyLookup::Locations(s), LookupEvent::Locations(e)) => super::update::apply(s, e).map(Kept::Locations),
            (AnyLookup::Owners(s), LookupEvent::Owners(e)) => super::update::apply(s, e).map(Kept::Owners),
            _ => None,
        }
    }

    /// Draws the screen in `area`; `title` is the list's (`call queue primary`).
    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, title: &str, frame: super::draw::FrameState) {
        each!(self, s => super::draw::draw(s, f, area, theme, title, frame))
    }
}

impl Chosen {
    pub fn id(&self) -> &str {
        match self {
            Chosen::Location(l) => &l.id,
            Chosen::Owner(o) => &o.id,
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Chosen::Location(l) => &l.name,
            Chosen::Owner(o) => &o.name,
        }
    }
}

impl LookupFeed {
    /// Lists the lookup again from `from`; its events come to the loop on `tx`.
    pub fn spawn(&self, from: Resume, tx: UnboundedSender<Msg>) -> JoinHandle<()> {
        match self {
            LookupFeed::Locations(f) => f.spawn(from, tx, |e| Msg::Lookup(LookupEvent::Locations(e))),
            LookupFeed::Owners(f) => f.spawn(from, tx, |e| Msg::Lookup(LookupEvent::Owners(e))),
        }
    }

    /// Keeps a whole list in the cache (a list of another lookup's records is not kept).
    pub fn keep(&self, kept: Kept) -> Option<JoinHandle<()>> {
        match (self, kept) {
            (LookupFeed::Locations(f), Kept::Locations(list)) => f.keep(list),
            (LookupFeed::Owners(f), Kept::Owners(list)) => f.keep(list),
            _ => None,
        }
    }
}

#[cfg(test)]
impl AnyLookup {
    /// The screen of locations (a test's own).
    pub fn locations(&self) -> &LookupScreen<Location> {
        match self {
            AnyLookup::Locations(s) => s,
            AnyLookup::Owners(_) => panic!("not the locations"),
        }
    }

    pub fn locations_mut(&mut self) -> &mut LookupScreen<Location> {
        match self {
            AnyLookup::Locations(s) => s,
            AnyLookup::Owners(_) => panic!("not the locations"),
        }
    }

    /// The screen of owners (a test's own).
    pub fn owners(&self) -> &LookupScreen<Owner> {
        match self {
            AnyLookup::Owners(s) => s,
            AnyLookup::Locations(_) => panic!("not owners"),
        }
    }
}
