//! The interactive picker: a ratatui list on `/dev/tty`.
//!
//! [`app`] runs the event loop, [`keys`] turns keys into intents, [`update`] is the only place
//! state changes, [`draw`] only reads it, and [`terminal`] owns the terminal.

pub mod app;
pub mod draw;
pub mod keys;
pub mod model;
pub mod msg;
pub mod terminal;
pub mod update;

use crate::app::{Collected, Outcome, Printout, filters_from};
use crate::cli::Cli;
use crate::error::Error;
use crate::load::source::Source;
use model::{Exit, Model};

/// What the picker starts from.
pub enum Start {
    /// Load from the source while the picker runs.
    Source(Source),
    /// Everything was loaded already (for `--select-1` / `--exit-0`).
    Collected(Box<Collected>),
}

/// Runs the picker; the terminal is restored before this returns.
pub async fn pick(cli: &Cli, start: Start) -> Result<Outcome, Error> {
    crate::numbers::phone::warm_up();
    let rows_for = cli.height.map(|h| move |rows: u16| h.rows(rows));
    let rows_for: Option<terminal::RowsFor> = rows_for.as_ref().map(|f| f as terminal::RowsFor);
    let mut session = terminal::Session::start(!cli.no_mouse, rows_for)?;
    let (width, height) = session.size();
    let mut model = Model::new(cli.query.as_deref().unwrap_or(""), filters_from(cli), width, height);
    model.mouse = !cli.no_mouse;
    model.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let copy: app::CopyFn =
        Box::new(|number: &str| crate::output::clipboard::copy(number, &crate::numbers::phone::international(number)));
    let exit = app::run(&mut session, &mut model, start, copy, rows_for).await;
    session.restore();
    drop(session);
    match exit? {
        Exit::Confirmed(i) => {
            let out = Printout::new(cli, model.catalog, vec![i], &model.query.text);
            if cli.clipboard {
                copy_pick(&out);
            }
            Ok(Outcome::Print(out))
        }
        // Nothing could be loaded at all: that is the error to report, not a cancel.
        Exit::Cancelled => match model.load {
            model::Load::Failed { error, .. } if model.catalog.is_empty() => Err(Error::Api(error)),
            _ => Ok(Outcome::Cancelled),
        },
    }
}

/// `--clipboard`: copies the pick; a missing clipboard is reported, never fatal.
pub fn copy_pick(out: &Printout) {
    let Some(&i) = out.picks.first() else { return };
    let number = &out.catalog.get(i as usize).phone_number;
    if let Err(e) = crate::output::clipboard::copy(number, number) {
        eprintln!("wxpick: {e}");
    }
}
