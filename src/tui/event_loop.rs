//! The event loop: one `select!` over terminal input, messages from background tasks, the
//! spinner tick and signals. Every input becomes a [`Msg`], `update` applies it, and the loop
//! carries out the effects `update` asks for.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use crossterm::event::EventStream;
use futures::StreamExt;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};
use tokio::task::JoinHandle;

use super::connecting::{Began, Start};
use super::draw::draw;
use super::keymap;
use super::model::{Exit, Model, View};
use super::msg::{Effect, Intent, Msg, Opened, Prepared};
use super::screens::numbers::run_search;
use super::terminal::{RowsFor, Session};
use super::update::update;
use super::{LocationsStart, OpenFn};
use crate::error::Error;
use crate::load::LocationFeed;
use crate::load::{Feed, LoadStatus};
use crate::numbers::phone;
use crate::platform::{self, Cancel};
use crate::webex::FetchEvent;
use crate::webex::locations::Location;
use crate::webex::{Resume, RetryNote};

/// Lists up to this size are searched on the loop itself (well within a frame); larger ones on a
/// worker thread, so typing never waits.
const INLINE_SEARCH_LIMIT: usize = 100_000;
const TICK: Duration = Duration::from_millis(100);
const HEARTBEAT: Duration = Duration::from_secs(1);

/// Copies text to the clipboard; says what was copied, or why not.
pub type CopyFn = Box<dyn Fn(&str) -> Result<String, String> + Send>;

/// The listing's events of the locations, as they come.
type LocationEvents = UnboundedReceiver<FetchEvent<Location>>;

/// What the loop needs besides the model.
struct Context {
    tx: UnboundedSender<Msg>,
    /// Where more pages of the numbers in view come from (none for a list that is whole).
    feed: Option<Feed>,
    /// Which numbers load is current: events of earlier ones (another location's) are dropped.
    load: u64,
    /// The task fetching the current numbers.
    fetch: Option<JoinHandle<()>>,
    /// Sets up the loading of a location's numbers (when the picker lists locations).
    open: Option<OpenFn>,
    /// Which location's setting up is current (an earlier one still reading the cache is dropped).
    opening: u64,
    /// Lists the locations again after a failure.
    location_feed: Option<LocationFeed>,
    /// The newest search generation, to cancel stale searches on workers.
    latest: Arc<AtomicU64>,
    copy: CopyFn,
    /// Lists being written to the cache: waited for before the picker returns (the process does
    /// not wait for blocking tasks, and a list cut off would be a list not kept).
    keeping: Vec<JoinHandle<()>>,
}

/// Where a picker that lists locations gets them, and what it does with the one chosen.
pub struct LocationSource {
    /// Sets up the loading of a location's numbers.
    pub open: OpenFn,
    /// The rest of the locations, as they load.
    pub more: Option<LocationEvents>,
    /// Lists the locations again after a failure.
    pub feed: Option<LocationFeed>,
}

impl Context {
    fn new(tx: UnboundedSender<Msg>, feed: Option<Feed>, copy: CopyFn, locations: Option<LocationSource>) -> Self {
        let mut ctx = Context {
            tx,
            feed,
            load: 0,
            fetch: None,
            open: None,
            opening: 0,
            location_feed: None,
            latest: Arc::new(AtomicU64::new(0)),
            copy,
            keeping: Vec::new(),
        };
        if let Some(locations) = locations {
            ctx.take_locations(locations);
        }
        ctx
    }

    /// The picker lists locations: how to open one, the rest of them as they load, and how
    /// to list them again.
    fn take_locations(&mut self, LocationSource { open, more, feed }: LocationSource) {
        if let Some(more) = more {
            forward_locations(more, self.tx.clone());
        }
        self.open = Some(open);
        self.location_feed = feed;
    }

    /// What the app said to list, once known: the feeds stay here, the rest goes to `update`.
    fn begin(&mut self, start: Start) -> Msg {
        match start {
            Start::Numbers { list, feed, location, place } => {
                self.feed = feed;
                Msg::Began(Began::Numbers { list, location, place })
            }
            Start::Locations(start) => {
                let retryable = start.feed.is_some();
                let LocationsStart { list, more, query, open, feed, note } = start;
                self.take_locations(LocationSource { open, more, feed });
                Msg::Began(Began::Locations { list, query, note, retryable })
            }
        }
    }

    /// Stops the fetch and waits for the lists being written to the cache.
    async fn finish(mut self) {
        if let Some(task) = self.fetch.take() {
            task.abort();
        }
        for saving in self.keeping {
            let _ = saving.await;
        }
    }
}

/// Runs the picker until the user confirms or cancels.
pub async fn run(
    session: &mut Session,
    model: &mut Model,
    feed: Option<Feed>,
    copy: CopyFn,
    rows_for: Option<RowsFor<'_>>,
    locations: Option<LocationSource>,
    connecting: Option<(Pending, UnboundedReceiver<RetryNote>)>,
) -> Result<Exit, Error> {
    let mut cancel = Cancel::listen().map_err(|e| Error::Terminal(format!("cannot watch signals: {e}")))?;
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    if let Some((start, retries)) = connecting {
        forward_start(start, retries, tx.clone());
    }
    let mut ctx = Context::new(tx, feed, copy, locations);
    start_numbers(model, &mut ctx);
    let (reader, mut input) = read_terminal();
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // When idle, a redraw now and then notices a terminal that went away without a SIGHUP.
    let mut heartbeat = tokio::time::interval(HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut firsts = Firsts::default();
    let result = loop {
        if let Err(e) = session.terminal.draw(|f| draw(model, f)) {
            break if platform::terminal_gone(&e) { Ok(Exit::Cancelled) } else { Err(Error::Terminal(e.to_string())) };
        }
        firsts.log(model);
        let msg = tokio::select! {
            event = input.recv() => match event {
                Some(Ok(event)) => keymap::to_msg(event, model.query_empty(), model.can_retry(), model.mouse),
                Some(Err(e)) if platform::terminal_gone(&e) => break Ok(Exit::Cancelled),
                Some(Err(e)) => break Err(Error::Terminal(e.to_string())),
                // The terminal is gone.
                None => Some(Msg::Signal),
            },
            Some(msg) = rx.recv() => match msg {
                // Only the current load's pages count.
                Msg::FetchFor(load, event) => (load == ctx.load).then_some(Msg::Fetch(event)),
                Msg::Prepared(n, prepared) => (n == ctx.opening).then(|| opened(&mut ctx, *prepared)),
                Msg::Started(start) => match *start {
                    Ok(start) => {
                        let began = ctx.begin(start);
                        handle(model, began, &mut ctx);
                        start_numbers(model, &mut ctx);
                        None
                    }
                    Err(e) => break Err(e),
                },
                msg => Some(msg),
            },
            // Ticks also while libphonenumber's data loads: rows drawn without it are redrawn
            // formatted once it is in, even when nothing else happens.
            _ = tick.tick(), if model.is_loading() || phone::metadata_loading() => {
                Some(Msg::Tick(std::time::Instant::now()))
            }
            // Also makes notes fade when nothing else happens.
            _ = heartbeat.tick(), if !model.is_loading() => model.has_note().then(|| Msg::Tick(std::time::Instant::now())),
            _ = cancel.recv() => Some(Msg::Signal),
        };
        if let Some(msg) = msg.and_then(|msg| fit_to_session(msg, session, rows_for)) {
            tracing::debug!(msg = %msg.summary(), "event");
            handle(model, msg, &mut ctx);
        }
        if let Some(exit) = model.exit {
            break Ok(exit);
        }
    };
    reader.abort();
    ctx.finish().await;
    result
}

/// What the app will say to list (see [`super::connecting`]).
type Pending = tokio::sync::oneshot::Receiver<Result<Start, Error>>;

/// Passes the retries on to the loop as they come, and what to list once the app knows.
fn forward_start(start: Pending, mut retries: UnboundedReceiver<RetryNote>, tx: UnboundedSender<Msg>) {
    let to_loop = tx.clone();
    tokio::spawn(async move {
        while let Some(note) = retries.recv().await {
            if to_loop.send(Msg::Retried(note)).is_err() {
                break;
            }
        }
    });
    tokio::spawn(async move {
        // The app gone without a word: nothing to pass on (the picker ends with it).
        if let Ok(start) = start.await {
            let _ = tx.send(Msg::Started(Box::new(start)));
        }
    });
}

/// Passes the rest of the locations on to the loop as they come.
fn forward_locations(mut more: LocationEvents, tx: UnboundedSender<Msg>) {
    tokio::spawn(async move {
        while let Some(event) = more.recv().await {
            if tx.send(Msg::Locations(event)).is_err() {
                break;
            }
        }
    });
}

/// On the numbers: a list still to load is fetched from its start; one that has records is
/// searched at once.
fn start_numbers(model: &mut Model, ctx: &mut Context) {
    if model.view != View::Numbers {
        return;
    }
    if model.is_loading() {
        spawn_numbers(ctx, Resume::start());
    }
    if !model.numbers.list.catalog.is_empty() {
        handle(model, Msg::Opened, ctx);
    }
}

/// Terminal input, read by a task of its own: when the terminal goes away, crossterm's reader
/// can block inside a poll, and the loop must still see the signal and exit.
fn read_terminal() -> (JoinHandle<()>, UnboundedReceiver<std::io::Result<crossterm::event::Event>>) {
    let (input_tx, input) = mpsc::unbounded_channel();
    let reader = tokio::spawn(async move {
        let mut events = EventStream::new();
        while let Some(event) = events.next().await {
            if input_tx.send(event).is_err() {
                break;
            }
        }
    });
    (reader, input)
}

/// Screen coordinates to the picker's: mouse rows are screen rows, and the picker may start
/// lower down (`--height`); a resize also moves an inline picker. `None`: not the picker's.
fn fit_to_session(msg: Msg, session: &mut Session, rows_for: Option<RowsFor>) -> Option<Msg> {
    match msg {
        Msg::Intent(Intent::Click(row)) => {
            let top = session.inline.map_or(0, |a| a.top);
            (row >= top).then(|| Msg::Intent(Intent::Click(row - top)))
        }
        Msg::Resize { width, height } => {
            let (width, height) = session.resized(width, height, rows_for);
            Some(Msg::Resize { width, height })
        }
        other => Some(other),
    }
}

/// For the log (and the benchmarks): when the first frame, the first rows, and the first full
/// list were drawn.
struct Firsts {
    frame: bool,
    rows: bool,
    full: bool,
}

impl Default for Firsts {
    fn default() -> Self {
        Firsts { frame: true, rows: true, full: true }
    }
}

impl Firsts {
    /// Called after each frame drawn.
    fn log(&mut self, model: &Model) {
        if std::mem::take(&mut self.frame) {
            tracing::info!("first frame drawn");
        }
        let numbers = &model.numbers;
        if self.rows && !numbers.results.hits.is_empty() {
            self.rows = false;
            tracing::info!(rows = numbers.results.hits.len(), "first rows drawn");
        }
        // Every number of a whole list (from the cache, or every page in) searched and drawn.
        if self.full && matches!(numbers.list.status, LoadStatus::Done) && numbers.is_current() {
            self.full = false;
            tracing::info!(
                rows = numbers.results.hits.len(),
                cached = !numbers.list.is_fresh(),
                "first full frame drawn"
            );
        }
    }
}

fn handle(model: &mut Model, msg: Msg, ctx: &mut Context) {
    let mut queue = vec![msg];
    while let Some(msg) = queue.pop() {
        for effect in update(model, msg) {
            if let Some(follow_up) = perform(effect, ctx) {
                queue.push(follow_up);
            }
        }
    }
}

/// Carries out one effect; a result available at once comes back as the next message.
fn perform(effect: Effect, ctx: &mut Context) -> Option<Msg> {
    match effect {
        Effect::Search(job) => {
            ctx.latest.store(job.generation, Ordering::SeqCst);
            if job.catalog.len() <= INLINE_SEARCH_LIMIT {
                return run_search(&job, &|| false).map(Msg::Searched);
            }
            let (tx, latest) = (ctx.tx.clone(), Arc::clone(&ctx.latest));
            tokio::task::spawn_blocking(move || {
                let stale = || latest.load(Ordering::Relaxed) != job.generation;
                if let Some(result) = run_search(&job, &stale) {
                    let _ = tx.send(Msg::Searched(result));
                }
            });
            None
        }
        Effect::Fetch(resume) => {
            spawn_numbers(ctx, resume);
            None
        }
        Effect::Copy(text) => Some(Msg::Copied((ctx.copy)(&text))),
        Effect::Check(numbers) => {
            let Some(feed) = ctx.feed.clone() else {
                return Some(Msg::Checked { numbers, result: Err("no server to ask".into()) });
            };
            let tx = ctx.tx.clone();
            tokio::spawn(async move {
                let result = feed.check(numbers.clone()).await.map_err(|e| e.to_string());
                let still = result.as_ref().map_or(0, Vec::len);
                tracing::info!(asked = numbers.len(), still, failed = result.is_err(), "checked");
                let _ = tx.send(Msg::Checked { numbers, result });
            });
            None
        }
        Effect::Keep(catalog) => {
            if let Some(saving) = ctx.feed.as_ref().and_then(|f| f.keep(catalog)) {
                ctx.keeping.retain(|h| !h.is_finished());
                ctx.keeping.push(saving);
            }
            None
        }
        Effect::ListLocations(from) => {
            if let Some(feed) = &ctx.location_feed {
                feed.spawn(from, ctx.tx.clone(), Msg::Locations);
            }
            None
        }
        Effect::KeepLocations(list) => {
            if let Some(saving) = ctx.location_feed.as_ref().and_then(|f| f.keep(list)) {
                ctx.keeping.retain(|h| !h.is_finished());
                ctx.keeping.push(saving);
            }
            None
        }
        Effect::OpenLocation(location) => {
            // Set up off the loop (it may read the cache); the loop takes it from there.
            let setting_up = (ctx.open.as_ref()?)(&location);
            ctx.opening += 1;
            let (tx, n) = (ctx.tx.clone(), ctx.opening);
            tokio::spawn(async move {
                let result = setting_up.await;
                let _ = tx.send(Msg::Prepared(n, Box::new(Prepared { location, result })));
            });
            None
        }
    }
}

/// A location's numbers, set up: they become the numbers in view.
fn opened(ctx: &mut Context, Prepared { location, result }: Prepared) -> Msg {
    match result {
        Ok((list, feed)) => {
            // A new load: the previous location's fetch stops, and its pages in flight are
            // dropped.
            ctx.load += 1;
            if let Some(task) = ctx.fetch.take() {
                task.abort();
            }
            ctx.feed = feed;
            // A list from the cache is fetched again, to replace it.
            if list.is_loading() || !list.is_fresh() {
                spawn_numbers(ctx, Resume::start());
            }
            Msg::LocationOpened(Opened { location, list })
        }
        Err(why) => Msg::LocationFailed(why),
    }
}

/// Starts fetching the current numbers at `from`; its events come back tagged with the load.
fn spawn_numbers(ctx: &mut Context, from: Resume) {
    let Some(feed) = &ctx.feed else { return };
    let (events, mut rx) = mpsc::unbounded_channel();
    let task = feed.spawn(from, events, |e| e);
    let (tx, load) = (ctx.tx.clone(), ctx.load);
    tokio::spawn(async move {
        while let Some(event) = rx.recv().await {
            if tx.send(Msg::FetchFor(load, event)).is_err() {
                break;
            }
        }
    });
    if let Some(old) = ctx.fetch.replace(task) {
        // A retry starts where the old task gave up; the old one has ended.
        old.abort();
    }
}
