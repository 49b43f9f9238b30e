//! The interactive picker: a ratatui list on `/dev/tty`. A leaf: it takes its options, a list
//! (perhaps still loading) and the feed that fills it, and returns what the user did. It knows
//! nothing of the command line, the modes or what is printed.
//!
//! [`event_loop`] runs the one `select!`, [`keymap`] turns keys into intents, [`update`] is the
//! only place state changes, [`draw`] only reads it, [`screens`] hold each screen's state,
//! update and drawing, [`widgets`] the pieces screens share, and [`terminal`] owns the terminal.

pub mod connecting;
pub mod draw;
pub mod event_loop;
pub mod keymap;
pub mod model;
pub mod msg;
pub mod screens;
pub mod terminal;
pub mod theme;
pub mod update;
pub mod widgets;

pub use connecting::{Connecting, Start};
pub use terminal::Height;

use tokio::sync::mpsc::UnboundedReceiver;

use crate::error::Error;
use crate::load::{Feed, ListLoad};
use crate::load::{LocationFeed, LocationList};
use crate::numbers::filters::Filters;
use crate::webex::FetchEvent;
use crate::webex::locations::Location;
use event_loop::CopyFn;
use model::{Exit, Model, View};

/// How the picker looks and starts.
pub struct PickerOptions {
    /// The starting query.
    pub query: String,
    pub filters: Filters,
    pub mouse: bool,
    /// Colours (off for `NO_COLOR`).
    pub color: bool,
    /// Draw inline in this many rows instead of on the alternate screen.
    pub height: Option<Height>,
    /// Copies a number to the clipboard (Ctrl-Y); says what was copied, or why not.
    pub copy: CopyFn,
    /// The location whose numbers are listed, when known by name (shown above them).
    pub location: Option<Location>,
    /// The list's title, shown above the numbers with whose they are (`call queue primary`);
    /// empty: no title.
    pub title: String,
    /// Whose numbers these are, when `location` is `None` (a location ID, `person Y2lz…`).
    pub place: Option<String>,
    /// Start on a list of locations instead of the numbers.
    pub locations: Option<LocationsStart>,
    /// `--multi`: Tab marks numbers and Enter picks them all; `Some(Some(n))` allows at most
    /// `n` marks. `None`: one pick, Tab moves.
    pub multi: Option<Option<usize>>,
    /// `--exact`: every term of the query matches only as typed (`'term` makes one fuzzy).
    pub exact: bool,
    /// Open before the list is known: say where the requests go and count down the retries
    /// until the app says what to list (the list given to [`pick`] is then an empty one).
    pub connecting: Option<Connecting>,
}

/// Sets up the loading of a location's numbers: the list as it stands (it may come from the
/// cache, read off the loop), and the feed that fills it; or why it cannot be.
pub type OpenFn = Box<dyn Fn(&Location) -> futures::future::BoxFuture<'static, OpenResult> + Send>;

/// What an [`OpenFn`] comes back with.
pub type OpenResult = Result<(ListLoad, Option<Feed>), String>;

/// A picker that starts on a list of locations.
pub struct LocationsStart {
    /// The locations as loaded so far (whole, for a fixed list of candidates; the cache's, to
    /// be replaced by the fresh one `more` brings).
    pub list: LocationList,
    /// The listing's events from here on (none when `list` is all there is).
    pub more: Option<UnboundedReceiver<FetchEvent<Location>>>,
    /// The query to start the list with.
    pub query: String,
    pub open: OpenFn,
    /// Lists the locations again after a failure, and keeps a whole list in the cache (none
    /// for a fixed list of candidates).
    pub feed: Option<LocationFeed>,
    /// A note for the status line at start (why the list is shown).
    pub note: Option<String>,
}

/// What the user did.
pub enum Choice {
    /// Enter on these records (indices into the list's catalog): the highlighted one, or the
    /// marked ones in the list's order.
    Picked(Vec<u32>),
    Cancelled,
}

/// The picker's answer: the choice, the query as it stood, and the list the user saw.
pub struct Picked {
    pub choice: Choice,
    pub query: String,
    pub list: ListLoad,
    /// The picker ended on the list of locations (so `list` is not what the user saw last).
    pub on_locations: bool,
}

/// Runs the picker on `list`, filled by `feed` when it is still loading; the terminal is
/// restored before this returns.
pub async fn pick(opts: PickerOptions, list: ListLoad, feed: Option<Feed>) -> Result<Picked, Error> {
    crate::numbers::phone::warm_up();
    let rows_for = opts.height.map(|h| move |rows: u16| h.rows(rows));
    let rows_for: Option<terminal::RowsFor> = rows_for.as_ref().map(|f| f as terminal::RowsFor);
    let mut session = terminal::Session::start(opts.mouse, rows_for)?;
    let (width, height) = session.size();
    let mut model = Model::new(&opts.query, opts.filters, width, height);
    model.numbers.set_list(list);
    model.numbers.set_exact(opts.exact);
    model.mouse = opts.mouse;
    model.color = opts.color;
    model.location = opts.location;
    if let Some(max) = opts.multi {
        model.numbers.marks = screens::numbers::Marks::new(max);
    }
    model.title = opts.title;
    model.place = opts.place;
    let locations = opts.locations.map(|start| {
        connecting::show_locations(&mut model, start.list, &start.query, start.note, start.feed.is_some());
        event_loop::LocationSource { open: start.open, more: start.more, feed: start.feed }
    });
    let connecting = opts.connecting.map(|c| {
        model.connection = Some(connecting::Connection::new(c.to));
        (c.start, c.retries)
    });
    // The header and the details pane take room from the numbers.
    model.relayout();
    let exit = event_loop::run(&mut session, &mut model, feed, opts.copy, rows_for, locations, connecting).await;
    session.restore();
    drop(session);
    let choice = match exit? {
        Exit::Confirmed(i) => Choice::Picked(vec![i]),
        Exit::Marked => Choice::Picked(model.numbers.marks.in_list_order()),
        Exit::Cancelled => Choice::Cancelled,
    };
    let on_locations = model.view == View::Locations;
    let screen = model.numbers;
    Ok(Picked { choice, query: screen.query.text, list: screen.list, on_locations })
}
