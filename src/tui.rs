//! The interactive picker: a ratatui list on `/dev/tty`. A leaf: it takes its options, a list
//! (perhaps still loading) and the feed that fills it, and returns what the user did. It knows
//! nothing of the command line, the modes or what is printed.
//!
//! Its public face is [`pick`], its options ([`PickerOptions`], [`LookupStart`] to begin on a
//! lookup's list) and its answer ([`Picked`]); everything else is the crate's own (the
//! benchmarks drive the model through [`bench`]).
//!
//! [`event_loop`] runs the one `select!`, [`keymap`] turns keys into intents, [`update`] is the
//! only place state changes, [`draw`] only reads it, [`screens`] hold each screen's state,
//! update and drawing, [`widgets`] the pieces screens share, and [`terminal`] owns the terminal.

pub(crate) mod connecting;
pub(crate) mod draw;
pub(crate) mod event_loop;
pub(crate) mod keymap;
pub(crate) mod model;
pub(crate) mod msg;
pub(crate) mod screens;
pub(crate) mod terminal;
pub(crate) mod theme;
pub(crate) mod update;
pub(crate) mod widgets;

pub use connecting::{Connecting, Start};
pub use event_loop::CopyFn;
pub use terminal::Height;

use tokio::sync::mpsc::UnboundedReceiver;

use crate::error::Error;
use crate::load::{Feed, ListLoad, Records};
use crate::numbers::filters::Filters;
use crate::webex::FetchEvent;
use crate::webex::locations::Location;
use crate::webex::owners::Lookup;
use model::{Exit, Model, View};
use screens::lookup::{AnyLookup, LookupEvent, LookupFeed, LookupScreen};

pub use screens::lookup::Chosen;
pub(crate) use screens::lookup::ScreenRow;

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
    /// Start on a lookup's list (locations, people...) instead of the numbers.
    pub lookup: Option<LookupStart>,
    /// `--multi`: Tab marks numbers and Enter picks them all; `Some(Some(n))` allows at most
    /// `n` marks. `None`: one pick, Tab moves.
    pub multi: Option<Option<usize>>,
    /// `--exact`: every term of the query matches only as typed (`'term` makes one fuzzy).
    pub exact: bool,
    /// Open before the list is known: say where the requests go and count down the retries
    /// until the app says what to list (the list given to [`pick`] is then an empty one).
    pub connecting: Option<Connecting>,
}

/// Sets up the loading of the numbers of a location or owner chosen on the lookup screen: the
/// list as it stands (it may come from the cache, read off the loop), and the feed that fills
/// it; or why it cannot be.
pub type OpenFn = Box<dyn Fn(&Chosen) -> futures::future::BoxFuture<'static, OpenResult> + Send>;

/// What an [`OpenFn`] comes back with.
pub type OpenResult = Result<(ListLoad, Option<Feed>), String>;

/// A lookup's records to choose from: the locations, people, workspaces or virtual lines, as
/// loaded so far, and what brings the rest.
pub(crate) struct ToChoose<R: ScreenRow> {
    /// Which lookup: the screen's title, columns and nouns.
    pub row: &'static Lookup,
    /// The records as loaded so far (whole, for a fixed list of candidates; the cache's, to be
    /// replaced by the fresh one `more` brings).
    pub list: ListLoad<Records<R>>,
    /// The listing's events from here on (none when `list` is all there is).
    pub more: Option<UnboundedReceiver<FetchEvent<R>>>,
    /// The query to start the list with.
    pub query: String,
    /// Lists them again after a failure, and keeps a whole list in the cache (none for a fixed
    /// list of candidates).
    pub feed: Option<Feed<Records<R>>>,
    /// Why the list is shown, for its title (`3 people match "smith"`); `None`: "Choose a …".
    pub heading: Option<String>,
}

/// A picker that starts on a lookup's list; Enter there opens the chosen one's numbers.
pub struct LookupStart {
    screen: AnyLookup,
    more: Option<UnboundedReceiver<LookupEvent>>,
    feed: Option<LookupFeed>,
    open: OpenFn,
}

impl LookupStart {
    /// The start on `choose`, whose chosen record's numbers `open` sets up. Call within the
    /// runtime: the listing's events are passed on by a task.
    pub(crate) fn new<R: ScreenRow>(choose: ToChoose<R>, open: OpenFn) -> Self {
        let ToChoose { row, list, more, query, feed, heading } = choose;
        let mut screen = LookupScreen::new(row, list, &query, 24);
        screen.heading = heading;
        screen.retryable = feed.is_some();
        let more = more.map(|mut more| {
            let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
            tokio::spawn(async move {
                while let Some(event) = more.recv().await {
                    if tx.send(R::wrap_event(event)).is_err() {
                        break;
                    }
                }
            });
            rx
        });
        LookupStart { screen: screen.into(), more, feed: feed.map(R::wrap_feed), open }
    }
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
    /// The picker ended on the lookup's list (so `list` is not what the user saw last).
    pub on_lookup: bool,
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
    let lookup = opts.lookup.map(|start| {
        let LookupStart { screen, more, feed, open } = start;
        connecting::show_lookup(&mut model, screen);
        event_loop::LookupSource { open, more, feed }
    });
    let connecting = opts.connecting.map(|c| {
        model.connection = Some(connecting::Connection::new(c.to));
        (c.start, c.retries)
    });
    // The header and the details pane take room from the numbers.
    model.relayout();
    let exit = event_loop::run(&mut session, &mut model, feed, opts.copy, rows_for, lookup, connecting).await;
    session.restore();
    drop(session);
    let choice = match exit? {
        Exit::Confirmed(i) => Choice::Picked(vec![i]),
        Exit::Marked => Choice::Picked(model.numbers.marks.in_list_order()),
        Exit::Cancelled => Choice::Cancelled,
    };
    let on_lookup = model.view == View::Lookup;
    let screen = model.numbers;
    Ok(Picked { choice, query: screen.query.text, list: screen.list, on_lookup })
}

/// For the benchmarks (`benches/matching.rs`): the picker's model on a whole list, keys applied
/// through `update`, searches run inline (as the picker runs them up to 100,000 numbers) and
/// frames drawn as the picker draws them, without a terminal. Not the picker's face.
#[doc(hidden)]
pub mod bench {
    use std::sync::Arc;

    use super::model::Model;
    use super::msg::{Effect, Intent, Msg};
    use super::screens::numbers::run_search;
    use super::update::update;
    use crate::numbers::catalog::Catalog;
    use crate::numbers::filters::Filters;

    /// A picker of `width` x `height` on a whole list.
    pub struct Keys {
        model: Model,
    }

    impl Keys {
        pub fn new(catalog: Arc<Catalog>, width: u16, height: u16) -> Self {
            let mut model = Model::new("", Filters::default(), width, height);
            model.numbers.list.catalog = catalog;
            model.numbers.list.status = crate::load::LoadStatus::Done;
            Keys { model }
        }

        /// Pastes `text` into the query, and runs the search it asks for.
        pub fn paste(&mut self, text: &str) {
            let fx = update(&mut self.model, Msg::Paste(text.to_string()));
            self.settle(fx);
        }

        /// Types one character, and runs the search it asks for.
        pub fn key(&mut self, c: char) {
            let fx = update(&mut self.model, Msg::Intent(Intent::Insert(c)));
            self.settle(fx);
        }

        /// How many records the results in view cover.
        pub fn covered(&self) -> usize {
            self.model.numbers.results.covered
        }

        /// Forgets the cached results, so that the next search really runs.
        pub fn clear_cache(&mut self) {
            self.model.numbers.results.cache.clear();
        }

        /// Draws a frame.
        pub fn draw(&self, f: &mut ratatui::Frame) {
            super::draw::draw(&self.model, f);
        }

        fn settle(&mut self, mut effects: Vec<Effect>) {
            while let Some(effect) = effects.pop() {
                if let Effect::Search(job) = effect {
                    let result = run_search(&job, &|| false).expect("not cancelled");
                    effects.extend(update(&mut self.model, Msg::Searched(result)));
                }
            }
        }
    }
}
