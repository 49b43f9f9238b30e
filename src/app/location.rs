//! Which location's numbers to list: `--location` as an ID or a name, or, without one, the
//! list of locations to choose from (interactive), or the organization's only location. The
//! locations are paged and folded like every list (the one pager, the one fold), and kept in the
//! cache by the feed that lists them.

use std::sync::Arc;

use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::setup::{self, Api};
use super::which_list::ListChoice;
use crate::cli::Cli;
use crate::error::Error;
use crate::load::{Feed, ListLoad, LocationList, Records, Source, lookup_all};
use crate::location_search::{ByName, by_name};
use crate::numbers::record::NumberRecord;
use crate::tui::ToChoose;
use crate::webex::locations::{Location, LocationValue, classify};
use crate::webex::owners::{LOCATIONS_LOOKUP, Row};
use crate::webex::{ApiClient, ApiError, FetchEvent, PageReply, Resume, first_page};

/// Where the numbers come from.
pub enum Target {
    /// This location's numbers (the location itself when known by name; the first page of its
    /// numbers when a probe asked for it already).
    Id { id: String, location: Option<Location>, first: Option<PageReply<NumberRecord>> },
    /// The user chooses among these locations (and the rest, when `more` brings them).
    Choose(ToChoose<Location>),
}

impl Target {
    fn id(id: &str, location: Option<Location>) -> Self {
        Target::Id { id: id.to_string(), location, first: None }
    }
}

/// Decides the location. `interactive`: the picker can ask the user.
pub async fn target(cli: &Cli, api: &Api, list: &ListChoice, interactive: bool) -> Result<Target, Error> {
    let Some(value) = cli.location.as_deref().map(str::trim) else {
        return without_location(cli, api, interactive, None).await;
    };
    match classify(value) {
        LocationValue::Id => Ok(Target::id(value, None)),
        LocationValue::OtherId(kind) => Err(Error::Usage(format!(
            "--location {value}: that is the ID of a {kind}, not of a location; give a location's ID or name"
        ))),
        LocationValue::Name => match named(api, value, interactive).await? {
            Some(target) => Ok(target),
            None => unknown(cli, api, value, interactive, None).await,
        },
        LocationValue::Either => {
            // Asked for as an ID first: it may be one (of another API, or an older form). The
            // probe is retried as any page is, and its page is the first of the list.
            let client = crate::webex::ApiClient::new(setup::numbers_config(api, list, Some(value)))?;
            match first_page::<NumberRecord>(&client).await {
                Ok(page) => Ok(Target::Id { id: value.to_string(), location: None, first: Some(page) }),
                Err(as_id @ ApiError::Http { status: 400 | 404, .. }) => {
                    match named(api, value, interactive).await {
                        Ok(Some(target)) => Ok(target),
                        // Several locations have it in their names; or the token may not list them.
                        Err(e @ Error::Usage(_)) => Err(e),
                        Ok(None) => unknown(cli, api, value, interactive, Some(as_id)).await,
                        Err(_) => Err(Error::NoSuchName { noun: "location", value: value.to_string(), as_id }),
                    }
                }
                Err(e) => Err(Error::Api(e)),
            }
        }
    }
}

/// No location has `name`: in the picker, the list of locations with the name typed in and a
/// note saying so; in scripts, exit 2.
async fn unknown(
    cli: &Cli,
    api: &Api,
    name: &str,
    interactive: bool,
    as_id: Option<ApiError>,
) -> Result<Target, Error> {
    if interactive {
        return without_location(cli, api, true, Some(name)).await;
    }
    Err(match as_id {
        Some(as_id) => Error::NoSuchName { noun: "location", value: name.to_string(), as_id },
        None => none_named(name),
    })
}

/// The location named `name` (asked for with the API's `name` filter): the one, or the picker
/// on the candidates (interactive), or `None` when no location has it in its name.
async fn named(api: &Api, name: &str, interactive: bool) -> Result<Option<Target>, Error> {
    let client = setup::locations_client(api, Some(name))?;
    let all: Vec<Location> = lookup_all(&client, None).await.map_err(|e| refused(e, Some(name)))?;
    let mut found = by_name(&all, name);
    if matches!(found, ByName::None) {
        // The API's `name` filter need not ignore accents as wxpick does (`koln` for `Köln`):
        // then look through every location once.
        let client = setup::locations_client(api, None)?;
        let all: Vec<Location> = lookup_all(&client, None).await.map_err(|e| refused(e, Some(name)))?;
        found = by_name(&all, name);
    }
    match found {
        ByName::One(l) => Ok(Some(Target::id(&l.id.clone(), Some(l)))),
        ByName::Several(candidates) if interactive => {
            Ok(Some(Target::Choose(candidates_to_choose(&LOCATIONS_LOOKUP, candidates, name))))
        }
        ByName::Several(candidates) => {
            for l in &candidates {
                eprintln!("{}\t{}", crate::sanitize::one_line(&l.name, 200), crate::sanitize::one_line(&l.id, 200));
            }
            Err(Error::Usage(format!(
                "--location {name:?} matches these {} locations: give the full name or the ID",
                candidates.len()
            )))
        }
        ByName::None => Ok(None),
    }
}

/// The picker on the candidates of a name, the name typed in, the title saying why.
pub(super) fn candidates_to_choose<R: crate::tui::ScreenRow>(
    row: &'static crate::webex::owners::Lookup,
    candidates: Vec<R>,
    name: &str,
) -> ToChoose<R> {
    let heading = Some(format!("{} {} match {:?}", candidates.len(), row.plural, crate::sanitize::one_line(name, 60)));
    ToChoose { row, list: ListLoad::complete(candidates), more: None, query: name.to_string(), feed: None, heading }
}

/// The heading of a lookup opened for a name that none has.
pub(super) fn none_heading(noun: &str, name: &str) -> String {
    format!("No {noun} is named {:?}: choose one", crate::sanitize::one_line(name, 60))
}

fn none_named(name: &str) -> Error {
    Error::Usage(format!(
        "no location is named {name:?} or has it in its name; `wxpick locations` lists them (or give --location ID)"
    ))
}

/// The demo server's own location (none in a build without the demo).
fn demo_location() -> Option<&'static str> {
    #[cfg(feature = "demo")]
    return Some(crate::demo::DEMO_LOCATION);
    #[cfg(not(feature = "demo"))]
    None
}

/// No `--location` (or one no location has, `typed`): the demo's own location for scripts; the
/// list of locations to choose from in the picker; the only location when there is one.
async fn without_location(cli: &Cli, api: &Api, interactive: bool, typed: Option<&str>) -> Result<Target, Error> {
    if api.demo
        && !interactive
        && let Some(id) = demo_location()
    {
        return Ok(Target::id(id, None));
    }
    let client = setup::locations_client(api, None)?;
    if !interactive {
        let all = lookup_all::<Location>(&client, None).await.map_err(|e| refused(e, None))?;
        return match <[Location; 1]>::try_from(all) {
            Ok([only]) => Ok(Target::id(&only.id.clone(), Some(only))),
            Err(all) => Err(Error::Usage(format!(
                "which location? there are {} locations: give --location ID or NAME, or set WEBEX_LOCATION_ID (`wxpick locations` lists them)",
                all.len()
            ))),
        };
    }
    let query = typed.unwrap_or_default().to_string();
    let heading = typed.map(|name| none_heading("location", name));
    let (list, feed, mut rx) = listing::<Location>(cli, api, client).await;
    let choose = |list, rx, feed| {
        Target::Choose(ToChoose { row: &LOCATIONS_LOOKUP, list, more: Some(rx), query, feed: Some(feed), heading })
    };
    // A cached list of several opens the picker at once; the listing refreshes it meanwhile.
    if list.catalog.records().len() >= 2 || typed.is_some() {
        return Ok(choose(list, rx, feed));
    }
    // Wait for two locations (or the end of a list of one) before opening the picker; the rest
    // arrive while it is open.
    let mut list = LocationList::new();
    use crate::load::Collection;
    while list.catalog.len() < 2 && list.is_loading() {
        let Some(event) = rx.recv().await else { break };
        list.apply(event);
    }
    if let Some((_, e)) = list.failure()
        && list.catalog.is_empty()
    {
        return Err(refused(e.clone(), None));
    }
    if !list.is_loading() && list.catalog.len() < 2 {
        if list.is_keepable()
            && let Some(saving) = feed.keep(Arc::clone(&list.catalog))
        {
            let _ = saving.await;
        }
        return match list.catalog.records().first() {
            Some(only) => Ok(Target::id(&only.id.clone(), Some(only.clone()))),
            None => Err(Error::Usage("there are no Webex Calling locations to list numbers of".into())),
        };
    }
    Ok(choose(list, rx, feed))
}

/// A lookup's list for the picker, as the cache has it (when it may, `--max-age`) and as it
/// loads: the list so far, the feed that lists it again and keeps it, and the listing's events,
/// started.
pub(super) async fn listing<R: Row>(
    cli: &Cli,
    api: &Api,
    client: Arc<ApiClient>,
) -> (ListLoad<Records<R>>, Feed<Records<R>>, UnboundedReceiver<FetchEvent<R>>) {
    let stash = api.cache.as_ref().map(|cache| setup::stash(cache, &api.origin, &client));
    let source: Source<Records<R>> = Source::api(client, stash);
    let (list, feed) = source.start_cached(cli.max_age).await;
    let feed = feed.expect("the API's list has a feed");
    let (tx, rx) = mpsc::unbounded_channel();
    feed.spawn(Resume::start(), tx, |e| e);
    (list, feed, rx)
}

/// The ID `--location` names, for filtering a lookup of owners (`locationId`): an ID as it is,
/// else the one location whose name it is (or holds); several are listed and refused, as in
/// scripts. A one-word value that no location has is taken as an ID.
pub async fn id_of(api: &Api, value: &str) -> Result<String, Error> {
    let value = value.trim();
    let either = match classify(value) {
        LocationValue::Id => return Ok(value.to_string()),
        LocationValue::OtherId(kind) => {
            return Err(Error::Usage(format!(
                "--location {value}: that is the ID of a {kind}, not of a location; give a location's ID or name"
            )));
        }
        LocationValue::Name => false,
        LocationValue::Either => true,
    };
    match named(api, value, false).await {
        Ok(Some(Target::Id { id, .. })) => Ok(id),
        Ok(_) if either => Ok(value.to_string()),
        Ok(_) => Err(none_named(value)),
        Err(Error::Usage(m)) => Err(Error::Usage(m)),
        Err(_) if either => Ok(value.to_string()),
        Err(e) => Err(e),
    }
}

/// The error for a list of locations that could not be had; a 403 asks for the ID instead.
fn refused(e: ApiError, name: Option<&str>) -> Error {
    match (e, name) {
        (ApiError::Http { status: 403, .. }, None) => Error::Usage(
            "this token may not list locations (HTTP 403): give --location ID or set WEBEX_LOCATION_ID".into(),
        ),
        (ApiError::Http { status: 403, .. }, Some(name)) => Error::Usage(format!(
            "--location {name:?}: this token may not list locations (HTTP 403) to find it by name: give its ID"
        )),
        (e, _) => Error::Locations(e),
    }
}
