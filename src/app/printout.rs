//! What a run prints on stdout: the picks in the chosen format, perhaps after the query.

use std::io::Write;
use std::sync::Arc;

use crate::cli::Cli;
use crate::error::Error;
use crate::numbers::catalog::Catalog;
use crate::output::{self, OutputFormat, Terminator};

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

    /// `--clipboard`: copies the picks, one per line (several with `--multi`); a missing
    /// clipboard is reported, never fatal.
    pub fn copy_to_clipboard(&self) {
        if self.picks.is_empty() {
            return;
        }
        let text = self.catalog.numbers_text(&self.picks);
        if let Err(e) = output::clipboard::copy(&text, &text) {
            eprintln!("wxpick: {e}");
        }
    }
}
