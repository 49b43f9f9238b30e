//! From flags to sources: a saved reply, or the API (the demo server, or the real one with a
//! token) and clients on it for the locations and for one location's numbers.

use std::path::PathBuf;
use std::sync::Arc;

use reqwest::Url;

use crate::cache::{Bounds, Cache, Key};
use crate::cli::Cli;
use crate::config::{self, RequestOptions, TokenSource};
use crate::error::Error;
use crate::load::source::read_input;
use crate::load::{Source, Stash};
use crate::webex::endpoint::LOCATIONS;
use crate::webex::{ApiClient, ClientConfig, Ids, PageReply, Token};

use super::which_list::ListChoice;

/// Where the API is, and the token for it.
pub struct Api {
    pub base: Url,
    pub token: Token,
    /// The embedded demo server.
    pub demo: bool,
    /// Where complete lists are kept (none with `--no-cache`).
    pub cache: Option<Arc<Cache>>,
    /// Which API the cache files name: the base URL, or for the demo server (whose port
    /// changes every run) its settings that change the list.
    pub origin: String,
    /// What every request shares, the stored sign-in included when the token came from it.
    pub request: RequestOptions,
}

/// What every request shares, from the flags.
pub fn request_options(cli: &Cli) -> RequestOptions {
    RequestOptions {
        org_id: cli.org_id.clone(),
        phone_numbers: cli.phone_number.clone(),
        page_size: cli.page_size,
        timeout: std::time::Duration::from_secs(cli.timeout),
        connect_timeout: std::time::Duration::from_secs(cli.connect_timeout),
        concurrency: cli.concurrency as usize,
        session: None,
        max_records: usize::try_from(cli.max_numbers).unwrap_or(usize::MAX),
        on_retry: None,
    }
}

/// The cache of lists, unless `--no-cache`; a cache that cannot be placed (no home directory)
/// is none, and logged; one in a directory that others could tamper with is none, with a
/// warning. The directory is looked at on a blocking thread (it may be on a stalled network
/// file system).
async fn cache(cli: &Cli, warn: &mut dyn FnMut(String)) -> Option<Arc<Cache>> {
    if cli.no_cache {
        return None;
    }
    let cache = match Cache::default_dir() {
        Ok(dir) => Cache::new(dir, Bounds::default()),
        Err(e) => {
            tracing::warn!(error = %e, "no cache");
            return None;
        }
    };
    match tokio::task::spawn_blocking(move || cache.check().map(|()| cache)).await {
        Ok(Ok(cache)) => Some(Arc::new(cache)),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "no cache");
            warn(format!("warning: {e}"));
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "no cache");
            None
        }
    }
}

/// The saved reply of `--input`.
pub async fn saved(cli: &Cli) -> Result<Source, Error> {
    let path = cli.input.clone().unwrap_or_default();
    let records = tokio::task::spawn_blocking(move || read_input(&path))
        .await
        .map_err(|e| Error::Input { path: path_shown(&cli.input), detail: e.to_string() })??;
    Ok(Source::Saved(records))
}

/// The API the flags ask for: for `--demo` this starts the demo server; else the base URL is
/// checked and the token found: `--token-file`, the environment, else the stored sign-in.
pub async fn api(cli: &Cli, warn: &mut dyn FnMut(String)) -> Result<Api, Error> {
    let mut request = request_options(cli);
    if cli.demo {
        let (base, token) = demo_server(cli).await?;
        let origin = format!("demo:size={:?},chaos={}", cli.demo_size, cli.demo_chaos);
        return Ok(Api { base, token, demo: true, cache: cache(cli, warn).await, origin, request });
    }
    let base = config::check_base_url(&cli.base_url, cli.insecure_http)?;
    let (token, _, session) = token(cli, &base, warn).await?;
    request.session = session;
    // The same base URL serves every organization: the lists of two are kept apart, by the
    // organization the token is of (and `orgId`, in the key's query, for partner admins).
    let origin = format!("{base} {}", token.org_label());
    let cache = cache(cli, warn).await;
    Ok(Api { origin, base, token, demo: false, cache, request })
}

/// The token for `base`, where it came from, and the stored sign-in when it came from there.
pub async fn token(
    cli: &Cli,
    base: &Url,
    warn: &mut dyn FnMut(String),
) -> Result<(Token, TokenSource, Option<Arc<crate::auth::Session>>), Error> {
    // Read on a blocking thread, so that a signal still cancels a read that hangs (a FIFO
    // whose writer stalls): the signals are watched by the task that awaits this.
    let token_file = cli.token_file.clone();
    let (given, warnings) = tokio::task::spawn_blocking(move || {
        let mut warnings = Vec::new();
        (config::given_token(token_file.as_deref(), &mut |m| warnings.push(m)), warnings)
    })
    .await
    .map_err(|e| Error::Usage(format!("cannot read the token: {e}")))?;
    warnings.into_iter().for_each(&mut *warn);
    if let Some((token, source)) = given? {
        return Ok((token, source, None));
    }
    let store = Arc::new(crate::auth::Store::open()?);
    let key = crate::auth::sign_in_key(base, false);
    let timeout = std::time::Duration::from_secs(cli.timeout);
    match crate::auth::Session::open(store, &key, base, timeout).await? {
        Some(session) => {
            let source = TokenSource::SignIn(session.place());
            Ok((session.token(), source, Some(Arc::new(session))))
        }
        None => Err(Error::Usage(config::NO_TOKEN.into())),
    }
}

/// The client configuration for the list asked for, at `location` if it takes one.
pub fn numbers_config(api: &Api, list: &ListChoice, location: Option<&str>) -> ClientConfig {
    let mut ids = list.ids.clone();
    ids.location = location.map(str::to_string);
    let mut cfg = config::client_config(&api.request, api.base.clone(), list.endpoint, ids, api.token.clone());
    cfg.extra_query = list.extra_query.clone();
    cfg
}

/// The numbers of one location, from the API, kept in the cache when it loads whole (its first
/// page, when a probe asked for it already, is not asked for again).
pub fn numbers_source(
    cfg: ClientConfig,
    cache: Option<&Arc<Cache>>,
    origin: &str,
    first: Option<PageReply>,
) -> Result<Source, Error> {
    let client = Arc::new(ApiClient::new(cfg)?);
    let stash = cache.map(|c| stash(c, origin, &client));
    Ok(match first {
        Some(first) => Source::api_from(client, stash, first),
        None => Source::api(client, stash),
    })
}

/// Where the list `client` fetches is kept in the cache (its first page's URL names it).
pub fn stash(cache: &Arc<Cache>, origin: &str, client: &ApiClient) -> Stash {
    Stash::new(Arc::clone(cache), Key::for_list(origin, &client.page_url(0)))
}

/// A client for a lookup's list (the locations, people...), filtered by the API's own query
/// parameters (`name`, `displayName`...).
pub fn lookup_client(
    api: &Api,
    endpoint: &'static crate::webex::Endpoint,
    query: Vec<(String, String)>,
) -> Result<Arc<ApiClient>, Error> {
    lookup_client_at(api, endpoint, None, query)
}

/// A client for a lookup's list at one location (the API's `locationId`), when `at` is given.
pub fn lookup_client_at(
    api: &Api,
    endpoint: &'static crate::webex::Endpoint,
    at: Option<&str>,
    query: Vec<(String, String)>,
) -> Result<Arc<ApiClient>, Error> {
    let ids = Ids { location: at.map(str::to_string), ..Ids::default() };
    let mut cfg = config::client_config(&api.request, api.base.clone(), endpoint, ids, api.token.clone());
    // `--phone-number` is the number lists' filter, not a lookup's.
    cfg.phone_numbers = None;
    cfg.extra_query = query;
    Ok(Arc::new(ApiClient::new(cfg)?))
}

/// A client for the list of locations (those whose name contains `name`, when given: the
/// API's `name` filter).
pub fn locations_client(api: &Api, name: Option<&str>) -> Result<Arc<ApiClient>, Error> {
    let query = name.map(|n| vec![("name".to_string(), n.to_string())]).unwrap_or_default();
    lookup_client(api, &LOCATIONS, query)
}

fn path_shown(p: &Option<PathBuf>) -> String {
    p.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
}

/// Starts the embedded demo server: its base URL and token.
#[cfg(feature = "demo")]
async fn demo_server(cli: &Cli) -> Result<(Url, Token), Error> {
    use crate::demo::{self, DemoOptions};
    use std::time::Duration;
    let opts = DemoOptions {
        size: cli.demo_size.map(|n| n as usize),
        latency: cli.demo_latency_ms.map(Duration::from_millis).unwrap_or(DemoOptions::default().latency),
        chaos: cli.demo_chaos,
        link_headers: cli.demo_links,
        ..DemoOptions::default()
    };
    let server = demo::start(opts).await?;
    Ok((server.base_url, Token::new(demo::DEMO_TOKEN).expect("a valid token")))
}

#[cfg(not(feature = "demo"))]
async fn demo_server(_: &Cli) -> Result<(Url, Token), Error> {
    Err(Error::Usage("this wxpick was built without the demo server (cargo feature `demo`)".into()))
}
