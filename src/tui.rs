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

use crate::cli::Cli;
use crate::error::Error;
use crate::output::Terminator;
use crate::run::{Outcome, Printout, filters_from};
use crate::source::Source;
use model::{Exit, Model};

/// Runs the picker; the terminal is restored before this returns.
pub async fn pick(cli: &Cli, source: Source) -> Result<Outcome, Error> {
    crate::phone::warm_up();
    let mut session = terminal::Session::start(!cli.no_mouse)?;
    let (width, height) = session.size();
    let mut model = Model::new(cli.query.as_deref().unwrap_or(""), filters_from(cli), width, height);
    model.mouse = !cli.no_mouse;
    model.color = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let copy = Box::new(|_: &str| Err::<String, String>("clipboard: not available".to_string()));
    let exit = app::run(&mut session, &mut model, source, copy).await;
    session.restore();
    match exit? {
        Exit::Confirmed(i) => Ok(Outcome::Print(Printout {
            catalog: model.catalog,
            picks: vec![i],
            query: None,
            format: cli.output,
            terminator: Terminator::Newline,
            then: None,
        })),
        Exit::Cancelled => Ok(Outcome::Cancelled),
    }
}
