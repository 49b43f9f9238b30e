//! `--person NAME|EMAIL|ID`, `--workspace NAME|ID`, `--virtual-line NAME|ID`: resolved as
//! `--location` is. An ID is used as it is; a name (or, for people, an email) is looked up with
//! the API's own filter (`displayName`, `email`, `ownerName`): an exact name or email wins, else
//! the one whose name contains it. Several are listed (name, tab, ID) and the run ends with exit
//! 2; none is exit 2. Case and accents do not count. The API's `displayName` matches names that
//! start with the value, with the case and accents as typed: when it finds nothing, the whole list
//! is searched here instead (once, folded), so `muller` still finds `Ana Müller` and `smith`
//! finds `Grace Smith`.

use super::setup::{self, Api};
use super::which_list::ListChoice;
use crate::cli::Cli;
use crate::error::Error;
use crate::load::lookup_all;
use crate::location_search::{ByName, by_name};
use crate::webex::ApiError;
use crate::webex::owners::{LOOKUPS, Lookup, Owner};

/// What an owner flag's value is.
#[derive(Debug, PartialEq, Eq)]
enum Value {
    /// A Webex ID of the lookup's kind.
    Id,
    /// A Webex ID of another kind (the kind it names).
    OtherId(String),
    /// A name or an email (it has a space, a character outside ASCII, or an `@`).
    Name,
    /// One word of ASCII: a name if one matches, else an ID.
    Either,
}

fn classify(lookup: &Lookup, value: &str) -> Value {
    if value.contains('@') {
        return Value::Name;
    }
    match crate::webex::locations::classify(value) {
        crate::webex::locations::LocationValue::Name => Value::Name,
        crate::webex::locations::LocationValue::Either => Value::Either,
        crate::webex::locations::LocationValue::Id => Value::OtherId("LOCATION".into()),
        crate::webex::locations::LocationValue::OtherId(kind) if lookup.id_kinds.contains(&kind.as_str()) => Value::Id,
        crate::webex::locations::LocationValue::OtherId(kind) => Value::OtherId(kind),
    }
}

/// Turns every owner flag of the list that holds a name into its ID.
pub async fn resolve(cli: &Cli, api: &Api, list: &mut ListChoice) -> Result<(), Error> {
    for lookup in LOOKUPS {
        let Some(value) = list.ids.get(lookup.id).map(str::to_string) else { continue };
        // The demo's own IDs, given for a list without one, need no lookup.
        #[cfg(feature = "demo")]
        if api.demo && value == crate::demo::demo_id(lookup.id) {
            continue;
        }
        let id = match classify(lookup, &value) {
            Value::Id => continue,
            Value::OtherId(kind) => {
                return Err(Error::Usage(format!(
                    "{} {value}: that is the ID of a {kind}, not of a {}; give its ID, name{}",
                    lookup.id.flag(),
                    lookup.noun,
                    if lookup.email_param.is_some() { " or email" } else { "" }
                )));
            }
            Value::Name => named(cli, api, lookup, &value, false).await?.ok_or_else(|| none_named(lookup, &value))?,
            // One word: a name when one matches, else (and when the lookup cannot be had: no
            // scope, an error) taken as an ID.
            Value::Either => named(cli, api, lookup, &value, true).await?.unwrap_or(value),
        };
        tracing::info!(what = lookup.noun, "resolved by name");
        set(list, lookup, id);
    }
    Ok(())
}

fn set(list: &mut ListChoice, lookup: &Lookup, id: String) {
    match lookup.id {
        crate::webex::PathId::Person => list.ids.person = Some(id),
        crate::webex::PathId::Workspace => list.ids.workspace = Some(id),
        crate::webex::PathId::VirtualLine => list.ids.virtual_line = Some(id),
        crate::webex::PathId::Location => list.ids.location = Some(id),
    }
}

/// The ID of the one `value` names; `None` when nothing does (or, with `or_id`, when the
/// lookup failed: the value is then tried as an ID).
async fn named(cli: &Cli, api: &Api, lookup: &Lookup, value: &str, or_id: bool) -> Result<Option<String>, Error> {
    let param = match lookup.email_param {
        Some(email) if value.contains('@') => email,
        _ => lookup.name_param,
    };
    let failed = |e: ApiError| match or_id {
        true => {
            tracing::info!(error = %e, what = lookup.noun, "cannot look the value up by name: taken as an ID");
            Ok(None)
        }
        false => Err(refused(lookup, value, e)),
    };
    let filtered = match list(cli, api, lookup, vec![(param.to_string(), value.to_string())]).await {
        Ok(found) => found,
        Err(e) => return failed(e),
    };
    let answer = match by_name(&filtered, value) {
        ByName::None => match list(cli, api, lookup, Vec::new()).await {
            Ok(all) => by_name(&all, value),
            Err(e) => return failed(e),
        },
        found => found,
    };
    match answer {
        ByName::One(o) => Ok(Some(o.id)),
        ByName::None => Ok(None),
        ByName::Several(candidates) => {
            for o in &candidates {
                eprintln!("{}\t{}", crate::sanitize::one_line(&o.name, 200), crate::sanitize::one_line(&o.id, 200));
            }
            Err(Error::Usage(format!(
                "{} {value:?} matches these {} {}: give the full name{} or the ID",
                lookup.id.flag(),
                candidates.len(),
                lookup.command.replace('-', " "),
                if lookup.email_param.is_some() { ", the email" } else { "" }
            )))
        }
    }
}

/// The lookup's list with these filters, paged and folded like every list.
async fn list(cli: &Cli, api: &Api, lookup: &Lookup, query: Vec<(String, String)>) -> Result<Vec<Owner>, ApiError> {
    let client = setup::lookup_client(cli, api, lookup.endpoint, query).map_err(|e| ApiError::Config(e.to_string()))?;
    lookup_all(&client, None).await
}

fn none_named(lookup: &Lookup, value: &str) -> Error {
    Error::Usage(format!(
        "no {} is named {value:?} or has it in its name; `wxpick {}` lists them (or give {} ID)",
        lookup.noun,
        lookup.command,
        lookup.id.flag()
    ))
}

/// A lookup that failed; a 403 names the scope it needs, and says an ID still works.
fn refused(lookup: &Lookup, value: &str, e: ApiError) -> Error {
    match e {
        ApiError::Http { status: 403, .. } => Error::Usage(format!(
            "{} {value:?}: this token may not list {} (HTTP 403; it needs the scope {}) to find it by name: give its ID, which still works",
            lookup.id.flag(),
            lookup.command.replace('-', " "),
            lookup.endpoint.scope
        )),
        e => Error::Lookup { what: lookup.command, error: e },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webex::owners::{PEOPLE_LOOKUP, VIRTUAL_LINES_LOOKUP, WORKSPACES_LOOKUP};
    use base64::Engine;

    #[test]
    fn ids_names_emails_and_words() {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        assert_eq!(classify(&PEOPLE_LOOKUP, &b64("ciscospark://us/PEOPLE/abc")), Value::Id);
        assert_eq!(classify(&WORKSPACES_LOOKUP, &b64("ciscospark://us/PLACES/abc")), Value::Id);
        assert_eq!(classify(&VIRTUAL_LINES_LOOKUP, &b64("ciscospark://us/VIRTUAL_PROFILE/abc")), Value::Id);
        assert_eq!(classify(&PEOPLE_LOOKUP, &b64("ciscospark://us/PLACES/abc")), Value::OtherId("PLACES".into()));
        assert_eq!(classify(&PEOPLE_LOOKUP, "ana@example.com"), Value::Name);
        assert_eq!(classify(&PEOPLE_LOOKUP, "Ana Müller"), Value::Name);
        assert_eq!(classify(&PEOPLE_LOOKUP, "smith"), Value::Either);
    }
}
