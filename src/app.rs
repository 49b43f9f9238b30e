//! The ways wxpick runs, and what each prints and exits with: `--filter` (print and exit),
//! `--select-1`/`--exit-0` (decide without the picker when the answer is clear), and the
//! interactive picker. The only user of [`crate::tui`].

mod list_locations;
mod list_owners;
mod location;
mod owner;
mod printout;
pub(crate) mod setup;
mod which_list;

pub use printout::Printout;

use std::sync::Arc;
use std::time::Duration;

use crate::cache::{Bounds, Cache};
use crate::cli::{CacheAction, Cli, Command};
use crate::error::Error;
use crate::load::{Feed, ListLoad, Source, collect};
use crate::numbers::catalog::Catalog;
use crate::numbers::filters::{Filters, StateFilter, TypeFilter};
use crate::numbers::matcher::{Matcher, Query, search};
use crate::output::OutputFormat;
use crate::tui::{self, Choice, Chosen, LookupStart, PickerOptions};
use crate::webex::locations::Location;
use location::Target;
use which_list::LocationUse;

/// What to print, and how the run ended.
pub enum Outcome {
    /// Print these records (indices into the catalog), in order.
    Print(Printout),
    /// Print this text as it is.
    Text(String),
    /// Nothing matched.
    NoMatch,
    /// The user cancelled.
    Cancelled,
}

pub fn filters_from(cli: &Cli) -> Filters {
    Filters { state: cli.state.unwrap_or(StateFilter::All), types: TypeFilter::of(&cli.types) }
}

/// Runs wxpick as the flags ask. SIGINT, SIGTERM and SIGHUP (on Windows: Ctrl-C, Ctrl-Break,
/// closing the window) cancel it in every mode (exit 130); the picker, dropped, restores the
/// terminal.
pub async fn run(cli: Cli) -> Result<Outcome, Error> {
    let mut cancel =
        crate::platform::Cancel::listen().map_err(|e| Error::Terminal(format!("cannot watch signals: {e}")))?;
    tokio::select! {
        result = run_mode(cli) => result,
        _ = cancel.recv() => Ok(Outcome::Cancelled),
    }
}

async fn run_mode(cli: Cli) -> Result<Outcome, Error> {
    if let Some(path) = &cli.log_file {
        crate::logging::init(path)?;
    }
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "start");
    let mut warn = |m: String| eprintln!("wxpick: {m}");
    if let Some(Command::Auth { action }) = &cli.command {
        return crate::auth::run(&cli, action).await;
    }
    if let Some(Command::Locations { filter, output }) = &cli.command {
        let api = setup::api(&cli, &mut warn).await?;
        return list_locations::run(&api, filter.as_deref(), *output).await;
    }
    if let Some((lookup, filter, output)) = cli.command.as_ref().and_then(Command::lookup) {
        let api = setup::api(&cli, &mut warn).await?;
        return list_owners::run(&api, lookup, filter, output).await;
    }
    if cli.list == "list" {
        return Ok(Outcome::Text(match cli.output {
            OutputFormat::Json => which_list::kinds_json(),
            _ => which_list::kinds_table(),
        }));
    }
    if cli.filter.is_none() && !cli.select_1 && !cli.exit_0 && cli.input.is_none() {
        return connect_and_pick(&cli, &mut warn).await;
    }
    let (source, header) = match numbers(&cli, &mut warn).await? {
        Numbers::Listed(source, header) => (source, header),
        Numbers::Choose(start, header) => {
            return picker(&cli, ListLoad::new(), None, header, Some(*start), None).await;
        }
    };
    if let Some(q) = &cli.filter {
        let (list, _) = collect(source, cli.max_age).await;
        return filter_mode(&cli, list, q);
    }
    if cli.select_1 || cli.exit_0 {
        return select_or_exit(&cli, source, header).await;
    }
    // The picker shows a cached list at once, and fetches it again meanwhile.
    let (list, feed) = source.start_cached(cli.max_age).await;
    picker(&cli, list, feed, header, None, None).await
}

/// Where the numbers come from.
enum Numbers {
    /// A saved reply, or the API's list (for a location given, or for none).
    Listed(Source, Header),
    /// The admin chooses the location (or person, workspace, virtual line) first, in the picker.
    Choose(Box<LookupStart>, Header),
}

/// The numbers the flags ask for: `--input`, else the API's list (`--for`), at the location
/// `--location` names, or one chosen in the picker.
async fn numbers(cli: &Cli, warn: &mut dyn FnMut(String)) -> Result<Numbers, Error> {
    if let Some(input) = &cli.input {
        // A saved reply says so, and which: its numbers may since have been taken.
        let place = Some(input.display().to_string());
        return Ok(Numbers::Listed(
            setup::saved(cli).await?,
            Header { title: "saved reply".into(), location: None, place },
        ));
    }
    let (api, list) = api_and_list(cli, warn).await?;
    numbers_of(cli, &api, list).await
}

/// The API and the list the flags ask for, its owner found by name when given so.
async fn api_and_list(cli: &Cli, warn: &mut dyn FnMut(String)) -> Result<(setup::Api, which_list::ListChoice), Error> {
    let list = which_list::choose(cli)?;
    if list.location_use() != LocationUse::None && cli.location.as_deref().is_some_and(|l| l.trim().is_empty()) {
        return Err(Error::Usage("--location is empty: give a location ID or name".into()));
    }
    let api = setup::api(cli, warn).await?;
    Ok((api, list))
}

/// The numbers of `list` on `api`: at the location `--location` names, or one chosen in the
/// picker; an owner found by name, or chosen in the picker.
async fn numbers_of(cli: &Cli, api: &setup::Api, mut list: which_list::ListChoice) -> Result<Numbers, Error> {
    let location_use = list.location_use();
    let interactive = cli.filter.is_none() && !cli.select_1 && !cli.exit_0;
    let title = list.endpoint.title.to_string();
    let first = match owner::resolve(cli, api, &mut list, interactive).await? {
        owner::Resolved::Ready(first) => first.map(|page| *page),
        owner::Resolved::Choose(choose) => {
            let open =
                opener(setup::numbers_config(api, &list, None), api.cache.clone(), api.origin.clone(), cli.max_age);
            let start = LookupStart::new(*choose, open);
            return Ok(Numbers::Choose(Box::new(start), Header { title, location: None, place: None }));
        }
    };
    let (cache, origin) = (api.cache.as_ref(), api.origin.as_str());
    if location_use == LocationUse::None || (location_use == LocationUse::Optional && cli.location.is_none()) {
        let header = Header { title, location: None, place: Some(list.place(None)) };
        return Ok(Numbers::Listed(
            setup::numbers_source(setup::numbers_config(api, &list, None), cache, origin, first)?,
            header,
        ));
    }
    match location::target(cli, api, &list, interactive).await? {
        Target::Id { id, location, first } => {
            let place = location.is_none().then(|| list.place(Some(&id)));
            let cfg = setup::numbers_config(api, &list, Some(&id));
            Ok(Numbers::Listed(setup::numbers_source(cfg, cache, origin, first)?, Header { title, location, place }))
        }
        Target::Choose(choose) => {
            let cfg = setup::numbers_config(api, &list, None);
            let open = opener(cfg, api.cache.clone(), api.origin.clone(), cli.max_age);
            let start = LookupStart::new(choose, open);
            Ok(Numbers::Choose(Box::new(start), Header { title, location: None, place: None }))
        }
    }
}

/// The picker, opened before the first request to the API: it says where it connects and
/// counts down the retries while the location is looked up (the lookups run beside it, and
/// tell it what to list when they are done), so that an API that cannot be reached shows at
/// once rather than after the retries.
async fn connect_and_pick(cli: &Cli, warn: &mut dyn FnMut(String)) -> Result<Outcome, Error> {
    let (mut api, list) = api_and_list(cli, warn).await?;
    let (retried, retries) = tokio::sync::mpsc::unbounded_channel();
    api.request.on_retry = Some(crate::webex::RetryWatch::new(move |note| {
        let _ = retried.send(note);
    }));
    let (started, start) = tokio::sync::oneshot::channel();
    let header = Header { title: list.endpoint.title.to_string(), location: None, place: None };
    let connecting = tui::Connecting { to: crate::webex::host_port(&api.base), start, retries };
    let finding = async {
        let start = match numbers_of(cli, &api, list).await {
            Ok(Numbers::Listed(source, header)) => {
                let (list, feed) = source.start_cached(cli.max_age).await;
                Ok(tui::Start::Numbers { list, feed, location: header.location, place: header.place })
            }
            Ok(Numbers::Choose(start, _)) => Ok(tui::Start::Lookup(*start)),
            Err(e) => Err(e),
        };
        let _ = started.send(start);
        // The picker ends the run; this waits for it.
        std::future::pending::<()>().await
    };
    tokio::select! {
        picked = picker(cli, ListLoad::new(), None, header, None, Some(connecting)) => picked,
        () = finding => unreachable!("never ends"),
    }
}

/// `--select-1` / `--exit-0`: the whole list is loaded, and the picker opens only when the
/// answer is not clear.
async fn select_or_exit(cli: &Cli, source: Source, header: Header) -> Result<Outcome, Error> {
    let (mut list, mut feed) = collect(source, cli.max_age).await;
    // The one match of a cached list (--max-age) is asked for again before it is printed;
    // when the server no longer has it, the decision is made again on the server's list.
    if cli.select_1
        && !list.is_fresh()
        && let Some(number) = single_pick(cli, &list)
        && let Some(f) = &feed
        && f.check(vec![number]).await.map_or(true, |still| still.is_empty())
    {
        tracing::info!("the cached list's one match is not available: loading the list");
        (list, feed) = collect(Source::Api(f.clone()), None).await;
    }
    // Nothing could be loaded at all: report it, as --filter does, rather than open an empty picker.
    if list.catalog.is_empty()
        && let Some((_, error)) = list.failure()
    {
        return Err(Error::Api(error.clone()));
    }
    if !list.has_failed() {
        let query = cli.query.as_deref().unwrap_or("");
        let picks = pickable_matches(cli, &list);
        if picks.is_empty() && cli.exit_0 {
            say_if_cached(&list);
            return Ok(no_match(cli, query));
        }
        if picks.len() == 1 && cli.select_1 {
            say_if_cached(&list);
            let out = Printout::new(cli, Arc::clone(&list.catalog), picks, query);
            if cli.clipboard {
                out.copy_to_clipboard();
            }
            return Ok(Outcome::Print(out));
        }
    }
    picker(cli, list, feed, header, None, None).await
}

/// How the picker sets up the numbers of a location or owner chosen there: `cfg` with its ID,
/// from the cache first as for `--location`.
fn opener(
    cfg: crate::webex::ClientConfig,
    cache: Option<Arc<Cache>>,
    origin: String,
    max_age: Option<Duration>,
) -> tui::OpenFn {
    // The kind of owner the list is of (the path's ID), when it is an owner's.
    let owner = cfg.endpoint.path_id.and_then(crate::webex::owners::lookup_for);
    Box::new(move |chosen: &Chosen| {
        let mut cfg = cfg.clone();
        match (chosen, owner) {
            (Chosen::Owner(o), Some(lookup)) => owner::set_id(&mut cfg.ids, lookup, o.id.clone()),
            (chosen, _) => cfg.ids.location = Some(chosen.id().to_string()),
        }
        let source = setup::numbers_source(cfg, cache.as_ref(), &origin, None).map_err(|e| e.to_string());
        Box::pin(async move { Ok(source?.start_cached(max_age).await) })
    })
}

/// `wxpick cache path` and `wxpick cache clear`: what to print.
pub fn cache_command(action: CacheAction) -> Result<String, Error> {
    let dir = Cache::default_dir().map_err(|e| Error::Usage(e.to_string()))?;
    match action {
        CacheAction::Path => Ok(format!("{}\n", dir.display())),
        CacheAction::Clear => {
            let removed = Cache::new(dir.clone(), Bounds::default())
                .clear()
                .map_err(|e| Error::Usage(format!("cannot clear the cache {}: {e}", dir.display())))?;
            let lists = if removed == 1 { "list" } else { "lists" };
            Ok(format!("removed {removed} cached {lists} from {}\n", dir.display()))
        }
    }
}

/// The line above the numbers: which list, and whose.
struct Header {
    /// `call queue primary`, `saved reply`.
    title: String,
    /// The location, when known by name.
    location: Option<Location>,
    /// Otherwise: its ID, `person <ID>`, `all locations`, the saved reply's path.
    place: Option<String>,
}

/// Opens the picker; what the user chose becomes what is printed.
async fn picker(
    cli: &Cli,
    list: ListLoad,
    feed: Option<Feed>,
    header: Header,
    lookup: Option<LookupStart>,
    connecting: Option<tui::Connecting>,
) -> Result<Outcome, Error> {
    let opts = PickerOptions {
        query: cli.query.clone().unwrap_or_default(),
        filters: filters_from(cli),
        mouse: !cli.no_mouse,
        color: std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
        height: cli.height,
        copy: Box::new(|text: &str| {
            // Exactly what was copied (--multi copies the marked numbers, one per line).
            let shown = match text.lines().count() {
                1 => crate::sanitize::one_line(text, 80),
                n => format!(
                    "{n} numbers: {}",
                    crate::sanitize::one_line(&text.lines().collect::<Vec<_>>().join(", "), 200)
                ),
            };
            crate::output::clipboard::copy(text, &shown)
        }),
        location: header.location,
        lookup,
        multi: cli.multi.map(|max| max.map(|n| n as usize)),
        title: header.title,
        place: header.place,
        exact: cli.exact,
        connecting,
    };
    let picked = tui::pick(opts, list, feed).await?;
    match picked.choice {
        Choice::Picked(picks) => {
            let out = Printout::new(cli, Arc::clone(&picked.list.catalog), picks, &picked.query);
            if cli.clipboard {
                out.copy_to_clipboard();
            }
            Ok(Outcome::Print(out))
        }
        // Nothing could be loaded at all: that is the error to report, not a cancel.
        Choice::Cancelled => match picked.list.failure() {
            Some((_, error)) if picked.list.catalog.is_empty() && !picked.on_lookup => Err(Error::Api(error.clone())),
            _ => Ok(Outcome::Cancelled),
        },
    }
}

/// The pickable matches of `--query` in `list`, best first: what `--select-1` and `--exit-0`
/// decide on.
fn pickable_matches(cli: &Cli, list: &ListLoad) -> Vec<u32> {
    let catalog = &list.catalog;
    let query = Query::parse_as(cli.query.as_deref().unwrap_or(""), cli.exact);
    let mut picks = search(catalog, None, &Matcher::new(query), &filters_from(cli));
    picks.retain(|&i| is_pickable(catalog, i));
    picks
}

/// The number `--select-1` would print from `list`: its only pickable match, if it has one.
fn single_pick(cli: &Cli, list: &ListLoad) -> Option<String> {
    match pickable_matches(cli, list)[..] {
        [one] => Some(list.catalog.get(one as usize).phone_number.to_string()),
        _ => None,
    }
}

/// Nothing matched: exit 1, after printing the query for `--print-query` (as fzf does).
fn no_match(cli: &Cli, query: &str) -> Outcome {
    if !cli.print_query {
        return Outcome::NoMatch;
    }
    let mut out = Printout::new(cli, Arc::new(Catalog::new()), Vec::new(), query);
    out.no_match = true;
    Outcome::Print(out)
}

/// Whether a record can be picked (see [`crate::numbers::record::NumberRecord::is_pickable`]).
fn is_pickable(catalog: &Catalog, i: u32) -> bool {
    catalog.get(i as usize).is_pickable()
}

/// What to say of records that could not be read whole.
pub fn malformed_text(n: usize) -> String {
    let (records, were) = if n == 1 { ("record", "was") } else { ("records", "were") };
    format!(
        "{n} {records} of the reply {were} malformed: kept as INVALID, not pickable (--output json shows them as sent)"
    )
}

/// A script that let `--max-age` take the cache's list hears so on stderr, with its age (the
/// picker says it in its status line).
fn say_if_cached(list: &ListLoad) {
    if let Some(cached) = &list.cached {
        let ago = crate::tui::widgets::status_line::ago(cached.age);
        eprintln!("wxpick: the list is from the cache, saved {ago} ago (--max-age)");
    }
}

/// Prints every match, best first. An incomplete list is printed, then reported as an error.
fn filter_mode(cli: &Cli, list: ListLoad, query: &str) -> Result<Outcome, Error> {
    say_if_cached(&list);
    if list.malformed > 0 {
        eprintln!("wxpick: {}", malformed_text(list.malformed));
    }
    if let Some(text) = list.uncertain_end_text() {
        eprintln!("wxpick: {text}");
    }
    let bounded = list.bounded.clone();
    let catalog = list.catalog;
    let mut picks = search(&catalog, None, &Matcher::new(Query::parse_as(query, cli.exact)), &filters_from(cli));
    if cli.output != OutputFormat::Json {
        let extensions = picks.iter().filter(|&&i| catalog.get(i as usize).is_extension_only()).count();
        let before = picks.len();
        picks.retain(|&i| is_pickable(&catalog, i));
        let skipped = before - picks.len() - extensions;
        if skipped > 0 {
            eprintln!("wxpick: left out {skipped} matches that are not valid E.164 numbers (--output json shows them)");
        }
        // The inventory lists extensions without a number: nothing to print in a number's format.
        if extensions > 0 {
            eprintln!("wxpick: left out {extensions} extensions without a number (--output json shows them)");
        }
    }
    let then = match list.status {
        crate::load::LoadStatus::Failed { page, error, .. } => {
            // Nothing loaded at all: a plain error, not an incomplete list.
            if catalog.is_empty() {
                return Err(Error::Api(error));
            }
            Some(Error::Incomplete { loaded: catalog.len(), page, error })
        }
        // Stopped at a bound: what came is printed, and the run ends as an incomplete list's.
        _ => bounded.map(|why| Error::Bounded { loaded: catalog.len(), why }),
    };
    if picks.is_empty() && then.is_none() {
        return Ok(no_match(cli, query));
    }
    let mut out = Printout::new(cli, catalog, picks, query);
    out.then = then;
    Ok(Outcome::Print(out))
}
