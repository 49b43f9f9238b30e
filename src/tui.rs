//! The interactive picker.

use crate::cli::Cli;
use crate::error::Error;
use crate::run::Outcome;
use crate::source::Source;

pub async fn pick(_cli: &Cli, _source: Source) -> Result<Outcome, Error> {
    Err(Error::Usage("the picker is not built yet".into()))
}
