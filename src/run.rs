//! The two ways wxpick runs: `--filter` (print and exit) and the interactive picker.

use std::io::Write;
use std::sync::Arc;

use tokio::sync::mpsc;

use crate::api::{FetchEvent, Resume, spawn_fetch};
use crate::catalog::Catalog;
use crate::cli::Cli;
use crate::error::Error;
use crate::filters::{Filters, StateFilter, TypeFilter};
use crate::matcher::{Matcher, Query, search};
use crate::output::{self, OutputFormat, Terminator};
use crate::source::{self, Source};

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
}

impl Printout {
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

/// Runs wxpick as the flags ask.
pub async fn run(cli: Cli) -> Result<Outcome, Error> {
    let mut warn = |m: String| eprintln!("wxpick: {m}");
    let source = source::prepare(&cli, &mut warn).await?;
    match &cli.filter {
        Some(q) => filter_mode(&cli, source, q).await,
        None => crate::tui::pick(&cli, source).await,
    }
}

/// Loads everything, then prints every match, best first.
async fn filter_mode(cli: &Cli, source: Source, query: &str) -> Result<Outcome, Error> {
    let mut catalog = Catalog::new();
    let mut incomplete = None;
    match source {
        Source::Loaded(records) => {
            catalog.extend(records);
        }
        Source::Api(client) => {
            let (tx, mut rx) = mpsc::unbounded_channel();
            let task = spawn_fetch(client, Resume::start(), tx, |e| e);
            while let Some(event) = rx.recv().await {
                match event {
                    FetchEvent::Page { numbers, .. } => {
                        catalog.extend(numbers);
                    }
                    FetchEvent::Retrying { page, wait, error } => {
                        tracing::info!(page, ?wait, %error, "retrying");
                    }
                    FetchEvent::Done { .. } => break,
                    FetchEvent::Failed { page, error, .. } => {
                        incomplete = Some((page, error));
                        break;
                    }
                }
            }
            task.abort();
        }
    }
    let picks = search(&catalog, None, &Matcher::new(Query::parse(query)), &filters_from(cli));
    let then = match incomplete {
        // Nothing loaded at all: a plain error, not an incomplete list.
        Some((_, error)) if catalog.is_empty() => return Err(Error::Api(error)),
        Some((page, error)) => Some(Error::Incomplete { loaded: catalog.len(), page, error }),
        None => None,
    };
    if picks.is_empty() && then.is_none() {
        return Ok(Outcome::NoMatch);
    }
    Ok(Outcome::Print(Printout {
        catalog: Arc::new(catalog),
        picks,
        query: None,
        format: cli.output,
        terminator: Terminator::Newline,
        then,
    }))
}
