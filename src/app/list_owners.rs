//! `wxpick people`, `wxpick workspaces`, `wxpick virtual-lines`: a lookup's list for scripts,
//! one a line, as `wxpick locations` prints the locations.

use super::Outcome;
use super::setup::{self, Api};
use crate::cli::LocationsFormat;
use crate::error::Error;
use crate::load::lookup_all;
use crate::location_search::search;
use crate::sanitize::one_line;
use crate::webex::ApiError;
use crate::webex::owners::{Lookup, Owner};

/// Lists the lookup's records (those matching `filter`, best first); exit 1 when none match.
pub async fn run(api: &Api, lookup: &Lookup, filter: Option<&str>, output: LocationsFormat) -> Result<Outcome, Error> {
    let client = setup::lookup_client(api, lookup.endpoint, Vec::new())?;
    let all: Vec<Owner> =
        lookup_all(&client, None).await.map_err(|e: ApiError| Error::Lookup { what: lookup.command, error: e })?;
    let shown = search(&all, filter.unwrap_or(""));
    if shown.is_empty() {
        return Ok(Outcome::NoMatch);
    }
    let mut text = String::new();
    for i in shown {
        let o = &all[i];
        match output {
            LocationsFormat::Plain => {
                text.push_str(&one_line(&o.id, 200));
                text.push('\t');
                text.push_str(&one_line(&o.name, 200));
                if lookup.email_param.is_some() {
                    text.push('\t');
                    text.push_str(&one_line(o.email.as_deref().unwrap_or(""), 200));
                }
            }
            LocationsFormat::Json => text.push_str(&crate::output::safe_json::to_string(o)),
        }
        text.push('\n');
    }
    Ok(Outcome::Text(text))
}
