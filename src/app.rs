//! The ways wxpick runs: `--filter` (print and exit), `--select-1`/`--exit-0` (decide without
//! the picker when the answer is clear), and the interactive picker.

use std::io::Write;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::cli::Cli;
use crate::error::Error;
use crate::load::source::{self, Source};
use crate::numbers::catalog::Catalog;
use crate::numbers::filters::{Filters, StateFilter, TypeFilter};
use crate::numbers::matcher::{Matcher, Query, search};
use crate::output::{self, OutputFormat, Terminator};
use crate::webex::{ApiClient, ApiError, FetchEvent, Resume, spawn_fetch};

/// What to print, and how the run ended.
pub enum Outcome {
    /// Print these records (indices into the catalog), in order.
    Print(Printout),
    /// Nothing matched.
    NoMatch,
    /// The user cancelled.
    Cancelled,
}

pub struct Printout {
    pub catalog: Arc<Catalog>,
    pub picks: Vec<u32>,
    /// `--print-query`: the query, printed first.
    pub query: Option<String>,
    pub format: OutputFormat,
    pub terminator: Terminator,
    /// An error to report after printing (an incomplete list).
    pub then: Option<Error>,
    /// Nothing matched (only the query is printed): exit 1.
    pub no_match: bool,
}

impl Printout {
    /// What the flags ask to print for these picks.
    pub fn new(cli: &Cli, catalog: Arc<Catalog>, picks: Vec<u32>, query: &str) -> Self {
        Printout {
            catalog,
            picks,
            query: cli.print_query.then(|| query.to_string()),
            format: cli.output,
            terminator: if cli.print0 { Terminator::Nul } else { Terminator::Newline },
            then: None,
            no_match: false,
        }
    }

    /// Writes the result. A reader that went away is not an error.
    pub fn write(&self, w: &mut impl Write) -> std::io::Result<()> {
        let res = (|| {
            if let Some(q) = &self.query {
                output::write_text(w, q, self.terminator)?;
            }
            for &i in &self.picks {
                output::write_record(w, self.catalog.get(i as usize), self.format, self.terminator)?;
            }
            w.flush()
        })();
        match res {
            Err(e) if output::is_broken_pipe(&e) => Ok(()),
            other => other,
        }
    }
}

pub fn filters_from(cli: &Cli) -> Filters {
    Filters { state: cli.state.unwrap_or(StateFilter::All), types: TypeFilter::of(&cli.types) }
}

/// Everything a complete or failed load brought.
pub struct Collected {
    pub catalog: Catalog,
    /// How many pages arrived.
    pub pages: usize,
    /// The page that failed for good, why, and where to resume.
    pub failure: Option<(usize, ApiError, Resume)>,
    pub client: Option<Arc<ApiClient>>,
}

/// Loads everything the source has, without a UI.
pub async fn collect(source: Source) -> Collected {
    match source {
        Source::Loaded(records) => {
            Collected { catalog: Catalog::from_records(records), pages: 1, failure: None, client: None }
        }
        Source::Api(client) => {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let task = spawn_fetch(Arc::clone(&client), Resume::start(), tx, |e| e);
            let (mut catalog, mut pages) = (Catalog::new(), 0);
            let mut failure = None;
            let mut done = false;
            while let Some(event) = rx.recv().await {
                match event {
                    FetchEvent::Page { numbers, .. } => {
                        catalog.extend(numbers);
                        pages += 1;
                    }
                    FetchEvent::Retrying { page, wait, error, .. } => tracing::info!(page, ?wait, %error, "retrying"),
                    FetchEvent::Done { .. } => {
                        done = true;
                        break;
                    }
                    FetchEvent::Failed { page, error, resume } => {
                        failure = Some((page, error, resume));
                        break;
                    }
                }
            }
            task.abort();
            if failure.is_none() && !done {
                // The task ended without saying so: never take that for a whole list.
                let error = ApiError::FetchStopped;
                failure = Some((pages + 1, error, Resume::start()));
            }
            Collected { catalog, pages, failure, client: Some(client) }
        }
    }
}

/// Runs wxpick as the flags ask. SIGINT, SIGTERM and SIGHUP cancel it in every mode (exit 130);
/// the picker, dropped, restores the terminal.
pub async fn run(cli: Cli) -> Result<Outcome, Error> {
    use tokio::signal::unix::{SignalKind, signal};
    let watch = |kind| signal(kind).map_err(|e| Error::Terminal(format!("cannot watch signals: {e}")));
    let (mut int, mut term, mut hup) =
        (watch(SignalKind::interrupt())?, watch(SignalKind::terminate())?, watch(SignalKind::hangup())?);
    tokio::select! {
        result = run_mode(cli) => result,
        _ = int.recv() => Ok(Outcome::Cancelled),
        _ = term.recv() => Ok(Outcome::Cancelled),
        _ = hup.recv() => Ok(Outcome::Cancelled),
    }
}

async fn run_mode(cli: Cli) -> Result<Outcome, Error> {
    if let Some(path) = &cli.log_file {
        crate::logging::init(path)?;
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "start");
    let mut warn = |m: String| eprintln!("wxpick: {m}");
    let source = source::prepare(&cli, &mut warn).await?;
    if let Some(q) = &cli.filter {
        return filter_mode(&cli, collect(source).await, q);
    }
    if cli.select_1 || cli.exit_0 {
        let collected = collect(source).await;
        // Nothing could be loaded at all: report it, as --filter does, rather than open an empty picker.
        if collected.catalog.is_empty()
            && let Some((_, error, _)) = collected.failure
        {
            return Err(Error::Api(error));
        }
        if collected.failure.is_none() {
            let query = cli.query.as_deref().unwrap_or("");
            let catalog = &collected.catalog;
            let mut picks = search(catalog, None, &Matcher::new(Query::parse(query)), &filters_from(&cli));
            picks.retain(|&i| is_pickable(catalog, i));
            if picks.is_empty() && cli.exit_0 {
                return Ok(no_match(&cli, query));
            }
            if picks.len() == 1 && cli.select_1 {
                let out = Printout::new(&cli, Arc::new(collected.catalog), picks, query);
                if cli.clipboard {
                    crate::tui::copy_pick(&out);
                }
                return Ok(Outcome::Print(out));
            }
        }
        return crate::tui::pick(&cli, crate::tui::Start::Collected(Box::new(collected))).await;
    }
    crate::tui::pick(&cli, crate::tui::Start::Source(source)).await
}

/// Nothing matched: exit 1, after printing the query for `--print-query` (as fzf does).
fn no_match(cli: &Cli, query: &str) -> Outcome {
    if !cli.print_query {
        return Outcome::NoMatch;
    }
    let mut out = Printout::new(cli, Arc::new(Catalog::new()), Vec::new(), query);
    out.no_match = true;
    Outcome::Print(out)
}

/// Whether a record can be picked: its number is a plausible E.164 string.
fn is_pickable(catalog: &Catalog, i: u32) -> bool {
    crate::numbers::phone::is_plausible_e164(&catalog.get(i as usize).phone_number)
}

/// Prints every match, best first. An incomplete list is printed, then reported as an error.
fn filter_mode(cli: &Cli, collected: Collected, query: &str) -> Result<Outcome, Error> {
    let Collected { catalog, failure, .. } = collected;
    let mut picks = search(&catalog, None, &Matcher::new(Query::parse(query)), &filters_from(cli));
    if cli.output != OutputFormat::Json {
        let before = picks.len();
        picks.retain(|&i| is_pickable(&catalog, i));
        let skipped = before - picks.len();
        if skipped > 0 {
            eprintln!("wxpick: left out {skipped} matches that are not valid E.164 numbers (--output json shows them)");
        }
    }
    let then = match failure {
        // Nothing loaded at all: a plain error, not an incomplete list.
        Some((_, error, _)) if catalog.is_empty() => return Err(Error::Api(error)),
        Some((page, error, _)) => Some(Error::Incomplete { loaded: catalog.len(), page, error }),
        None => None,
    };
    if picks.is_empty() && then.is_none() {
        return Ok(no_match(cli, query));
    }
    let mut out = Printout::new(cli, Arc::new(catalog), picks, query);
    out.then = then;
    Ok(Outcome::Print(out))
}
