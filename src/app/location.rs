//! Which location's numbers to list: `--location` as an ID or a name, or, without one, the
//! list of locations to choose from (interactive), or the organization's only location.

use std::sync::Arc;

use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::setup::{self, Api};
use super::which_list::ListChoice;
use crate::cache::{Cache, Key};
use crate::cli::Cli;
use crate::error::Error;
use crate::load::locations::LocationFeed;
use crate::location_search::{ByName, by_name};
use crate::webex::ApiError;
use crate::webex::locations::{self, Location, LocationEvent, LocationValue, classify};

/// Where the numbers come from.
pub enum Target {
    /// This location's numbers (the location itself when known by name).
    Id { id: String, location: Option<Location> },
    /// The user chooses among these locations (and the rest, when `more` brings them).
    Choose {
        initial: Vec<Location>,
        more: Option<UnboundedReceiver<LocationEvent>>,
        query: String,
        /// Lists them again after a failure (none for a fixed list of candidates).
        feed: Option<LocationFeed>,
        /// `initial` is the cache's list, this old; `more` brings the fresh one to replace it.
        cached: Option<std::time::Duration>,
    },
}

/// Decides the location. `interactive`: the picker can ask the user.
pub async fn target(cli: &Cli, api: &Api, list: &ListChoice, interactive: bool) -> Result<Target, Error> {
    let Some(value) = cli.location.as_deref().map(str::trim) else {
        return without_location(cli, api, interactive).await;
    };
    match classify(value) {
        LocationValue::Id => Ok(Target::Id { id: value.to_string(), location: None }),
        LocationValue::OtherId(kind) => Err(Error::Usage(format!(
            "--location {value}: that is the ID of a {kind}, not of a location; give a location's ID or name"
        ))),
        LocationValue::Name => named(cli, api, value, interactive).await?.ok_or_else(|| none_named(value)),
        LocationValue::Either => {
            // Asked for as an ID first: it may be one (of another API, or an older form).
            let client = crate::webex::ApiClient::new(setup::numbers_config(api, list, Some(value)))?;
            match client.get_page(&client.page_url(0)).await {
                Ok(_) => Ok(Target::Id { id: value.to_string(), location: None }),
                Err(as_id @ ApiError::Http { status: 400 | 404, .. }) => {
                    match named(cli, api, value, interactive).await {
                        Ok(Some(target)) => Ok(target),
                        // Several locations have it in their names; or the token may not list them.
                        Err(e @ Error::Usage(_)) => Err(e),
                        // Neither: in the picker, the ID's error shows as it always did.
                        _ if interactive => Ok(Target::Id { id: value.to_string(), location: None }),
                        _ => Err(Error::NoSuchLocation { value: value.to_string(), as_id }),
                    }
                }
                Err(e) => Err(Error::Api(e)),
            }
        }
    }
}

/// The location named `name`: the one, or the picker on the candidates (interactive), or
/// `None` when no location has it in its name.
async fn named(cli: &Cli, api: &Api, name: &str, interactive: bool) -> Result<Option<Target>, Error> {
    let client = setup::locations_client(cli, api)?;
    let all = locations::list_all(&client, Some(name)).await.map_err(|e| refused(e, Some(name)))?;
    let mut found = by_name(&all, name);
    if matches!(found, ByName::None) {
        // The API's `name` filter need not ignore accents as wxpick does (`koln` for `Köln`):
        // then look through every location once.
        let all = locations::list_all(&client, None).await.map_err(|e| refused(e, Some(name)))?;
        found = by_name(&all, name);
    }
    match found {
        ByName::One(l) => Ok(Some(Target::Id { id: l.id.clone(), location: Some(l) })),
        ByName::Several(candidates) if interactive => Ok(Some(Target::Choose {
            initial: candidates,
            more: None,
            query: name.to_string(),
            feed: None,
            cached: None,
        })),
        ByName::Several(candidates) => {
            for l in &candidates {
                eprintln!("{}\t{}", l.name, crate::sanitize::one_line(&l.id, 200));
            }
            Err(Error::Usage(format!(
                "--location {name:?} matches these {} locations: give the full name or the ID",
                candidates.len()
            )))
        }
        ByName::None => Ok(None),
    }
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

/// No `--location`: the demo's own location for scripts; the list of locations to choose from
/// in the picker; the only location when there is one.
async fn without_location(cli: &Cli, api: &Api, interactive: bool) -> Result<Target, Error> {
    if api.demo
        && !interactive
        && let Some(id) = demo_location()
    {
        return Ok(Target::Id { id: id.to_string(), location: None });
    }
    let client = setup::locations_client(cli, api)?;
    if !interactive {
        let all = locations::list_all(&client, None).await.map_err(|e| refused(e, None))?;
        return match <[Location; 1]>::try_from(all) {
            Ok([only]) => Ok(Target::Id { id: only.id.clone(), location: Some(only) }),
            Err(all) => Err(Error::Usage(format!(
                "which location? there are {} locations: give --location ID or NAME, or set WEBEX_LOCATION_ID (`wxpick locations` lists them)",
                all.len()
            ))),
        };
    }
    let stash = api.cache.as_ref().and_then(|cache| {
        let url = locations::list_url(&client, None, 0).ok()?;
        Some((Arc::clone(cache), Key::for_list(&api.origin, &url)))
    });
    let feed = LocationFeed::new(client);
    let mut rx = listing(&feed, stash.clone());
    // A cached list of several opens the picker at once; the listing refreshes it meanwhile.
    // Read on a blocking thread: a signal must still end a run whose file system stalls.
    let max_age = cli.max_age;
    let cached = match stash {
        Some((cache, key)) => {
            tokio::task::spawn_blocking(move || cache.load::<Location>(&key, max_age)).await.ok().flatten()
        }
        None => None,
    };
    if let Some(entry) = cached
        && entry.records.len() >= 2
    {
        let cached = Some(entry.age);
        return Ok(Target::Choose {
            initial: entry.records,
            more: Some(rx),
            query: String::new(),
            feed: Some(feed),
            cached,
        });
    }
    // Wait for two locations (or the end of a list of one) before opening the picker; the rest
    // arrive while it is open.
    let mut initial = Vec::new();
    while initial.len() < 2 {
        match rx.recv().await {
            Some(LocationEvent::Page(page)) => initial.extend(page),
            Some(LocationEvent::Retrying { wait, error }) => tracing::info!(?wait, %error, "retrying"),
            Some(LocationEvent::Done) | None => {
                return match <[Location; 1]>::try_from(initial) {
                    Ok([only]) => Ok(Target::Id { id: only.id.clone(), location: Some(only) }),
                    Err(_) => Err(Error::Usage("there are no Webex Calling locations to list numbers of".into())),
                };
            }
            Some(LocationEvent::Failed(e)) => return Err(refused(e, None)),
        }
    }
    Ok(Target::Choose { initial, more: Some(rx), query: String::new(), feed: Some(feed), cached: None })
}

/// Lists the locations; every event is passed on, and the list, once whole, is kept in the
/// cache (when there is one).
fn listing(feed: &LocationFeed, stash: Option<(Arc<Cache>, Key)>) -> UnboundedReceiver<LocationEvent> {
    let (inner, mut events) = mpsc::unbounded_channel();
    feed.spawn(inner, |e| e);
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        let mut all: Vec<Location> = Vec::new();
        while let Some(event) = events.recv().await {
            match &event {
                LocationEvent::Page(page) => all.extend(page.iter().cloned()),
                // Only a list that loaded whole is kept.
                LocationEvent::Failed(_) => all.clear(),
                LocationEvent::Done => {
                    if let Some((cache, key)) = stash.clone() {
                        let list = std::mem::take(&mut all);
                        let kept = tokio::task::spawn_blocking(move || cache.save(&key, &list)).await;
                        if let Ok(Err(e)) = kept {
                            tracing::warn!(error = %e, "cannot cache the locations");
                        }
                    }
                }
                _ => {}
            }
            if tx.send(event).is_err() {
                break;
            }
        }
    });
    rx
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
