//! `--person NAME|EMAIL|ID`, `--workspace NAME|ID`, `--virtual-line NAME|ID`: resolved as
//! `--location` is. An ID is used as it is; a name (or, for people, an email) is looked up with
//! the API's own filter (`displayName`, `email`, `ownerName`): an exact name or email wins, else
//! the one whose name contains it. Several are listed (name, tab, ID) and the run ends with exit
//! 2; none is exit 2. Case and accents do not count. The API's `displayName` matches names that
//! start with the value, with the case and accents as typed: when it finds nothing, the whole list
//! is searched here instead (once, folded), so `muller` still finds `Ana Müller` and `smith`
//! finds `Grace Smith`.
//!
//! In the picker, a list that needs an owner and has none opens on the lookup's list (of the
//! `--location`, when given: the API's `locationId`); a name that several have opens it on
//! them; a name that none has opens it with the name typed in. A one-word value that is no
//! name is asked for as an ID, and when the list says there is no such ID, the run ends with
//! both answers (exit 2), as for `--location`.

use super::location::{self, candidates_to_choose, none_heading};
use super::setup::{self, Api};
use super::which_list::ListChoice;
use crate::cli::Cli;
use crate::error::Error;
use crate::load::lookup_all;
use crate::location_search::{ByName, by_name};
use crate::numbers::record::NumberRecord;
use crate::tui::ToChoose;
use crate::webex::owners::{LOOKUPS, Lookup, Owner};
use crate::webex::{ApiError, PageReply, first_page};

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

/// What the owner flags came to.
pub enum Resolved {
    /// Every owner is an ID now; the first page of the numbers, when a probe of a one-word
    /// value asked for it already.
    Ready(Option<Box<PageReply<NumberRecord>>>),
    /// The user chooses the owner in the picker.
    Choose(Box<ToChoose<Owner>>),
}

/// Where owners are looked for: the `--location` given on the command line (not the
/// environment's default), as an ID.
async fn location_filter(cli: &Cli, api: &Api) -> Result<Option<String>, Error> {
    match cli.location.as_deref() {
        Some(value) if !cli.location_from_env => Ok(Some(location::id_of(api, value).await?)),
        _ => Ok(None),
    }
}

/// Turns every owner flag of the list that holds a name into its ID; in the picker
/// (`interactive`), an owner the list needs and was not given, or a name that several or none
/// have, is chosen on the lookup's list.
pub async fn resolve(cli: &Cli, api: &Api, list: &mut ListChoice, interactive: bool) -> Result<Resolved, Error> {
    let mut first = None;
    let needed = list.endpoint.path_id;
    let wanted = |lookup: &Lookup, list: &ListChoice| {
        list.ids.get(lookup.id).is_some() || (interactive && needed == Some(lookup.id))
    };
    // The location filter is looked up only when an owner is.
    let mut at: Option<Option<String>> = None;
    for &lookup in LOOKUPS {
        if !wanted(lookup, list) {
            continue;
        }
        let Some(value) = list.ids.get(lookup.id).map(str::to_string) else {
            let at = at.get_or_insert(location_filter(cli, api).await?).clone();
            return Ok(Resolved::Choose(Box::new(everyone(cli, api, lookup, at, None).await?)));
        };
        // The demo's own IDs, given for a list without one, need no lookup.
        #[cfg(feature = "demo")]
        if api.demo && value == crate::demo::demo_id(lookup.id) {
            continue;
        }
        let class = classify(lookup, &value);
        if matches!(class, Value::Id) {
            continue;
        }
        let at = at.get_or_insert(location_filter(cli, api).await?).clone();
        let id = match class {
            Value::Id => continue,
            Value::OtherId(kind) => {
                return Err(Error::Usage(format!(
                    "{} {value}: that is the ID of a {kind}, not of a {}; give its ID, name{}",
                    lookup.id.flag(),
                    lookup.noun,
                    if lookup.email_param.is_some() { " or email" } else { "" }
                )));
            }
            Value::Name => match named(api, lookup, &value, at.as_deref(), false, interactive).await? {
                Found::Id(id) => id,
                Found::Choose(choose) => return Ok(Resolved::Choose(choose)),
                Found::Nothing if interactive => {
                    return Ok(Resolved::Choose(Box::new(everyone(cli, api, lookup, at, Some(&value)).await?)));
                }
                Found::Nothing | Found::Unknown => return Err(none_named(lookup, &value)),
            },
            // One word: a name when one matches, else (and when the lookup cannot be had: no
            // scope, an error) taken as an ID.
            Value::Either => match named(api, lookup, &value, at.as_deref(), true, interactive).await? {
                Found::Id(id) => id,
                Found::Choose(choose) => return Ok(Resolved::Choose(choose)),
                Found::Unknown => value,
                // No name: an ID, when the list says so.
                Found::Nothing => match probe(api, list, lookup, &value).await {
                    Probe::Listed(page) => {
                        first = page.map(Box::new);
                        value
                    }
                    Probe::NoSuchId(_) if interactive => {
                        return Ok(Resolved::Choose(Box::new(everyone(cli, api, lookup, at, Some(&value)).await?)));
                    }
                    Probe::NoSuchId(as_id) => {
                        return Err(Error::NoSuchName { noun: lookup.noun, value, as_id });
                    }
                },
            },
        };
        tracing::info!(what = lookup.noun, "resolved by name");
        set(list, lookup, id);
    }
    Ok(Resolved::Ready(first))
}

/// What a one-word value that is no name comes to as an ID.
enum Probe {
    /// The list takes it (its first page, when the list is the owner's own).
    Listed(Option<PageReply<NumberRecord>>),
    /// The list says there is no such ID (400 or 404).
    NoSuchId(ApiError),
}

/// Asks the list for `value` as the lookup's ID, when the owner is in the list's path (a 404
/// then means there is no such owner); any other answer leaves it to the list itself.
async fn probe(api: &Api, list: &ListChoice, lookup: &Lookup, value: &str) -> Probe {
    if list.endpoint.path_id != Some(lookup.id) {
        return Probe::Listed(None);
    }
    let mut ids = list.ids.clone();
    set_id(&mut ids, lookup, value.to_string());
    let probe = ListChoice { endpoint: list.endpoint, ids, extra_query: list.extra_query.clone() };
    let Ok(client) = crate::webex::ApiClient::new(setup::numbers_config(api, &probe, None)) else {
        return Probe::Listed(None);
    };
    match first_page::<NumberRecord>(&client).await {
        Ok(page) => Probe::Listed(Some(page)),
        Err(as_id @ ApiError::Http { status: 400 | 404, .. }) => Probe::NoSuchId(as_id),
        Err(e) => {
            tracing::info!(error = %e, "the probe of an owner ID failed: the list will say");
            Probe::Listed(None)
        }
    }
}

/// The lookup's whole list (of the location `at`) for the picker: the cache's at once, when it
/// may, and the listing's pages as they come. `typed`: a name none has, typed in the query.
async fn everyone(
    cli: &Cli,
    api: &Api,
    lookup: &'static Lookup,
    at: Option<String>,
    typed: Option<&str>,
) -> Result<ToChoose<Owner>, Error> {
    let client = setup::lookup_client_at(api, lookup.endpoint, at.as_deref(), Vec::new())?;
    let (list, feed, more) = location::listing::<Owner>(cli, api, client).await;
    Ok(ToChoose {
        row: lookup,
        list,
        more: Some(more),
        query: typed.unwrap_or_default().to_string(),
        feed: Some(feed),
        heading: typed.map(|name| none_heading(lookup.noun, name)),
    })
}

fn set(list: &mut ListChoice, lookup: &Lookup, id: String) {
    set_id(&mut list.ids, lookup, id);
}

/// Sets the ID of the lookup's kind.
pub fn set_id(ids: &mut crate::webex::Ids, lookup: &Lookup, id: String) {
    match lookup.id {
        crate::webex::PathId::Person => ids.person = Some(id),
        crate::webex::PathId::Workspace => ids.workspace = Some(id),
        crate::webex::PathId::VirtualLine => ids.virtual_line = Some(id),
        crate::webex::PathId::Location => ids.location = Some(id),
    }
}

/// What a name came to.
enum Found {
    Id(String),
    /// Several have it: the picker on them.
    Choose(Box<ToChoose<Owner>>),
    /// None has it.
    Nothing,
    /// The lookup could not be had (a one-word value is then tried as an ID).
    Unknown,
}

/// The ID of the one `value` names (among the owners at location `at`, when given); several
/// are listed (exit 2), or, `interactive`, offered in the picker. With `or_id`, a lookup that
/// failed is [`Found::Unknown`] rather than an error.
async fn named(
    api: &Api,
    lookup: &'static Lookup,
    value: &str,
    at: Option<&str>,
    or_id: bool,
    interactive: bool,
) -> Result<Found, Error> {
    let param = match lookup.email_param {
        Some(email) if value.contains('@') => email,
        _ => lookup.name_param,
    };
    let failed = |e: ApiError| match or_id {
        true => {
            tracing::info!(error = %e, what = lookup.noun, "cannot look the value up by name: taken as an ID");
            Ok(Found::Unknown)
        }
        false => Err(refused(lookup, value, e)),
    };
    let filtered = match list(api, lookup, at, vec![(param.to_string(), value.to_string())]).await {
        Ok(found) => found,
        Err(e) => return failed(e),
    };
    let answer = match by_name(&filtered, value) {
        ByName::None => match list(api, lookup, at, Vec::new()).await {
            Ok(all) => by_name(&all, value),
            Err(e) => return failed(e),
        },
        found => found,
    };
    match answer {
        ByName::One(o) => Ok(Found::Id(o.id)),
        ByName::None => Ok(Found::Nothing),
        ByName::Several(candidates) if interactive => {
            Ok(Found::Choose(Box::new(candidates_to_choose(lookup, candidates, value))))
        }
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
async fn list(
    api: &Api,
    lookup: &Lookup,
    at: Option<&str>,
    query: Vec<(String, String)>,
) -> Result<Vec<Owner>, ApiError> {
    let client =
        setup::lookup_client_at(api, lookup.endpoint, at, query).map_err(|e| ApiError::Config(e.to_string()))?;
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
