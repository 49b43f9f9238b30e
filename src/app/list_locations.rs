//! `wxpick locations`: the locations for scripts, one a line.

use super::Outcome;
use super::setup::{self, Api};
use crate::cli::LocationsFormat;
use crate::error::Error;
use crate::load::lookup_all;
use crate::location_search::search;
use crate::webex::locations::Location;

/// Lists the locations (those matching `filter`, best first); exit 1 when none match.
pub async fn run(api: &Api, filter: Option<&str>, output: LocationsFormat) -> Result<Outcome, Error> {
    let client = setup::locations_client(api, None)?;
    let all: Vec<Location> = lookup_all(&client, None).await.map_err(Error::Locations)?;
    let shown = search(&all, filter.unwrap_or(""));
    if shown.is_empty() {
        return Ok(Outcome::NoMatch);
    }
    let mut text = String::new();
    for i in shown {
        let l = &all[i];
        match output {
            LocationsFormat::Plain => {
                text.push_str(&crate::sanitize::one_line(&l.id, 200));
                text.push('\t');
                text.push_str(&crate::sanitize::one_line(&l.name, 200));
            }
            LocationsFormat::Json => text.push_str(&crate::output::safe_json::to_string(l)),
        }
        text.push('\n');
    }
    Ok(Outcome::Text(text))
}
