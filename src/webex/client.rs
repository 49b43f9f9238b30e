//! One HTTP request for one page of one list (an [`Endpoint`] row).

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderMap, LINK, RETRY_AFTER};
use reqwest::{StatusCode, Url};

use super::endpoint::{Endpoint, PathId, QUEUE};
use super::error::{ApiError, BadReplyKind, WebexErrorBody};
use super::link::next_link;
use super::listed::Listed;
use super::retry::{RetryPolicy, RetryWatch};
use crate::numbers::record::NumberRecord;

pub const DEFAULT_BASE_URL: &str = "https://webexapis.com/v1";
pub const USER_AGENT: &str = concat!("wxpick/", env!("CARGO_PKG_VERSION"));

/// An access token. It is never shown: `Debug` and `Display` print a placeholder.
#[derive(Clone)]
pub struct Token(String);

impl Token {
    /// Accepts a token, trimmed; refuses an empty one or one that cannot go in an HTTP header.
    pub fn new(raw: &str) -> Result<Self, String> {
        let t = raw.trim();
        let t = t.strip_prefix("Bearer ").unwrap_or(t).trim();
        if t.is_empty() {
            return Err("the access token is empty".into());
        }
        if t.bytes().any(|b| !(0x21..=0x7e).contains(&b)) {
            return Err(
                "the access token contains spaces or control characters; it must be one line of printable text".into(),
            );
        }
        // Whatever a server echoes of it is redacted before it is shown or logged.
        crate::sanitize::register_secret(t);
        Ok(Token(t.to_string()))
    }

    /// The token itself: for the sign-in's storage and `wxpick auth token`, the only places that
    /// may hold or print it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Whose token it is, for keeping lists of different organizations apart (never the token):
    /// the organization's UUID that Webex access tokens end with (`…_PF84_<org uuid>`), else a
    /// 64-bit FNV-1a digest of the token (such a token's lists are then kept per token).
    pub fn org_label(&self) -> String {
        let tail = self.0.rsplit('_').next().unwrap_or("");
        if self.0.contains('_') && uuid::Uuid::try_parse(tail).is_ok() {
            return format!("org {}", tail.to_ascii_lowercase());
        }
        format!("token {:016x}", crate::digest::fnv1a64(self.0.as_bytes()))
    }

    pub(crate) fn header_value(&self) -> reqwest::header::HeaderValue {
        let mut v = reqwest::header::HeaderValue::from_str(&format!("Bearer {}", self.0))
            .expect("Token::new admits only visible ASCII");
        v.set_sensitive(true);
        v
    }
}

impl PartialEq for Token {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// The IDs of Webex objects a list may need: in its path ([`Endpoint::path_id`]) or, for the
/// location or person, as a query parameter such as `locationId` ([`Endpoint::query_ids`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    pub location: Option<String>,
    pub person: Option<String>,
    pub workspace: Option<String>,
    pub virtual_line: Option<String>,
}

impl Ids {
    /// Just a location.
    pub fn location(id: &str) -> Self {
        Ids { location: Some(id.to_string()), ..Ids::default() }
    }

    /// The ID of the given kind, if given.
    pub fn get(&self, which: PathId) -> Option<&str> {
        match which {
            PathId::Location => self.location.as_deref(),
            PathId::Person => self.person.as_deref(),
            PathId::Workspace => self.workspace.as_deref(),
            PathId::VirtualLine => self.virtual_line.as_deref(),
        }
    }
}

/// Everything needed to list one list's numbers.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    /// The list asked for.
    pub endpoint: &'static Endpoint,
    /// The IDs the list needs (see [`Endpoint::path_id`]).
    pub ids: Ids,
    /// Query parameters of the list's own ([`Endpoint::extra_query`]), by API name, sent in this
    /// order after the common ones.
    pub extra_query: Vec<(String, String)>,
    pub org_id: Option<String>,
    pub phone_numbers: Option<String>,
    pub page_size: Option<u32>,
    pub token: Token,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body_bytes: u64,
    pub retry: RetryPolicy,
    /// Page requests in flight at once when paging by offset (no `Link` header); 1 asks for one
    /// page at a time. After a 429 or 423 the fetch drops to one at a time.
    pub concurrency: usize,
    /// The stored sign-in the token came from, if it did: a 401 then refreshes it once and
    /// repeats the request.
    pub session: Option<std::sync::Arc<crate::auth::Session>>,
    /// The most records and pages a list may have: paging stops there, keeping what came
    /// (a server that never ends its list must not make wxpick page forever).
    pub max_records: usize,
    pub max_pages: usize,
    /// Told of each retry (the picker's "connecting" countdown); none: retries are only logged.
    pub on_retry: Option<RetryWatch>,
}

/// The most records of a list, unless `--max-numbers` says otherwise.
pub const DEFAULT_MAX_RECORDS: usize = 1_000_000;
/// The most pages of a list.
pub const DEFAULT_MAX_PAGES: usize = 10_000;

impl ClientConfig {
    /// The `queue` list of one location: the convenience most callers want.
    pub fn new(base_url: Url, location_id: &str, token: Token) -> Self {
        Self::for_endpoint(base_url, &QUEUE, Ids::location(location_id), token)
    }

    /// Any list, with the IDs it needs.
    pub fn for_endpoint(base_url: Url, endpoint: &'static Endpoint, ids: Ids, token: Token) -> Self {
        ClientConfig {
            base_url,
            endpoint,
            ids,
            extra_query: Vec::new(),
            org_id: None,
            phone_numbers: None,
            page_size: None,
            token,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_body_bytes: 64 << 20,
            retry: RetryPolicy::default(),
            concurrency: 4,
            session: None,
            max_records: DEFAULT_MAX_RECORDS,
            max_pages: DEFAULT_MAX_PAGES,
            on_retry: None,
        }
    }
}

/// One page as received.
#[derive(Debug)]
pub struct PageReply<R = NumberRecord> {
    /// The page's records (numbers, or locations, people... for a lookup), as received.
    pub numbers: Vec<R>,
    /// The `rel="next"` link, resolved and checked to stay on the API's origin.
    pub next: Option<Url>,
    /// A `rel="next"` link that was not followed because it leaves the API's origin
    /// ([`ApiError::ForeignLink`]); `next` is then `None`.
    pub refused_next: Option<ApiError>,
    pub tracking_id: Option<String>,
}

/// A successful reply as received, for [`ApiClient::get_raw`].
pub(crate) struct RawReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub tracking_id: Option<String>,
}

/// The client. Cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct ApiClient {
    /// Built at the first request (see [`ApiClient::http`]).
    http: std::sync::OnceLock<reqwest::Client>,
    cfg: ClientConfig,
    endpoint: Url,
    session: String,
    counter: AtomicU64,
}

impl ApiClient {
    pub fn new(cfg: ClientConfig) -> Result<Self, ApiError> {
        let path_id = match cfg.endpoint.path_id {
            Some(which) => Some((which.placeholder(), checked_id(which, cfg.ids.get(which))?)),
            None => None,
        };
        if let Some((name, _)) = cfg.extra_query.iter().find(|(k, _)| !cfg.endpoint.extra_query.contains(&k.as_str())) {
            return Err(ApiError::Config(format!("the {} list takes no query parameter {name:?}", cfg.endpoint.kind)));
        }
        if cfg.base_url.cannot_be_a_base() {
            return Err(ApiError::Config(format!("--base-url {} cannot hold a path", cfg.base_url)));
        }
        let mut endpoint = cfg.base_url.clone();
        endpoint.set_query(None);
        endpoint.set_fragment(None);
        {
            let mut segs = endpoint.path_segments_mut().map_err(|_| ApiError::Config("bad --base-url".into()))?;
            segs.pop_if_empty();
            for s in cfg.endpoint.segments() {
                // `push` percent-encodes `/`, `?`, `#`, `%` and whitespace: the ID stays one segment.
                match path_id {
                    Some((placeholder, id)) if s == placeholder => segs.push(id),
                    _ => segs.push(s),
                };
            }
        }
        Ok(ApiClient {
            http: std::sync::OnceLock::new(),
            cfg,
            endpoint,
            session: uuid::Uuid::new_v4().to_string(),
            counter: AtomicU64::new(0),
        })
    }

    /// The HTTP client, built at the first request rather than with the `ApiClient`: building
    /// it reads and parses the system's root certificates (3 to 13 ms here), which a list read
    /// from the cache can be drawn without.
    fn http(&self) -> Result<&reqwest::Client, ApiError> {
        if let Some(http) = self.http.get() {
            return Ok(http);
        }
        // The TLS provider is chosen once per process; a second call is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .connect_timeout(self.cfg.connect_timeout)
            .timeout(self.cfg.timeout);
        if is_loopback(&self.endpoint) {
            // A proxy from the environment (HTTP_PROXY, ALL_PROXY) is for the outside world: it
            // cannot reach this machine's loopback, where the demo server and test servers live.
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| ApiError::Config(format!("cannot set up HTTP: {}", innermost(&e))))?;
        // Two requests at once may both build one: the first kept is used by both.
        Ok(self.http.get_or_init(|| http))
    }

    pub fn config(&self) -> &ClientConfig {
        &self.cfg
    }

    /// The URL of the page that starts at the zero-based offset `start`.
    pub fn page_url(&self, start: usize) -> Url {
        self.url(start, self.cfg.phone_numbers.as_deref(), self.cfg.page_size)
    }

    /// The URL that asks the list for just these numbers (E.164, comma-separated), in one page:
    /// `max` is their count, whatever `--page-size` says.
    pub fn numbers_url(&self, numbers: &[String]) -> Url {
        self.url(0, Some(&numbers.join(",")), Some((numbers.len() as u32).max(1)))
    }

    fn url(&self, start: usize, phone_numbers: Option<&str>, max: Option<u32>) -> Url {
        let mut url = self.endpoint.clone();
        {
            let mut q = url.query_pairs_mut();
            if let Some(org) = &self.cfg.org_id {
                q.append_pair("orgId", org);
            }
            if let Some(max) = max {
                q.append_pair("max", &max.to_string());
            }
            if start > 0 {
                q.append_pair("start", &start.to_string());
            }
            if let Some(p) = phone_numbers {
                q.append_pair("phoneNumber", p);
            }
            for &which in self.cfg.endpoint.query_ids {
                if let Some(id) = self.cfg.ids.get(which) {
                    q.append_pair(which.query_name(), id);
                }
            }
            for (k, v) in &self.cfg.extra_query {
                q.append_pair(k, v);
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        url
    }

    /// The list asked for.
    pub fn endpoint(&self) -> &'static Endpoint {
        self.cfg.endpoint
    }

    /// Fetches one page: one request, no retry. A next link that leaves the API's origin is an
    /// error here; [`fetch_page`](Self::fetch_page) keeps the page instead.
    pub async fn get_page(&self, url: &Url) -> Result<PageReply, ApiError> {
        let mut reply = self.fetch_page(url).await?;
        match reply.refused_next.take() {
            Some(refused) => Err(refused),
            None => Ok(reply),
        }
    }

    /// Fetches one page: one request, no retry. A next link that leaves the API's origin is not
    /// followed: it is reported in [`PageReply::refused_next`], with the page's numbers.
    pub async fn fetch_page(&self, url: &Url) -> Result<PageReply, ApiError> {
        self.fetch(url).await
    }

    /// Fetches one page of records of any kind: one request, no retry. A next link that leaves
    /// the API's origin is not followed: it is reported in [`PageReply::refused_next`].
    pub async fn fetch<R: Listed>(&self, url: &Url) -> Result<PageReply<R>, ApiError> {
        let RawReply { status, headers, body, tracking_id } = self.get_raw(url).await?;
        // 204 No Content is the server saying, on purpose, that there is nothing: the end of the
        // list. An empty 200 is not something the API sends (it always sends its list): a proxy
        // or gateway lost the body, so it is a bad reply worth another try.
        if status == StatusCode::NO_CONTENT {
            return Ok(PageReply { numbers: Vec::new(), next: None, refused_next: None, tracking_id });
        }
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err(ApiError::BadReply {
                status: status.as_u16(),
                kind: BadReplyKind::Empty,
                detail: format!(
                    "the reply has no {} list, only {} bytes of whitespace",
                    self.cfg.endpoint.list_key,
                    body.len()
                ),
                tracking_id,
            });
        }
        let records = R::parse_page(&body, status.as_u16(), tracking_id.clone())?;
        let links = headers.get_all(LINK).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
        let (next, refused_next) = match next_link(links) {
            Some(target) => match self.checked_link(url, &target)? {
                Ok(next) => (Some(next), None),
                Err(refused) => (None, Some(refused)),
            },
            None => (None, None),
        };
        Ok(PageReply { numbers: records, next, refused_next, tracking_id })
    }

    /// One GET of `url` with the token: the body of a successful reply, with its status and
    /// headers; an error status becomes [`ApiError::Http`]. For endpoints other than the numbers.
    pub(crate) async fn get_raw(&self, url: &Url) -> Result<RawReply, ApiError> {
        let Some(session) = &self.cfg.session else { return self.get_with(url, &self.cfg.token).await };
        let token = session.token();
        match self.get_with(url, &token).await {
            // The sign-in's token was refused: refresh it once (or take the one another request
            // or process refreshed meanwhile) and ask again.
            Err(ApiError::Http { status: 401, .. }) => {
                let fresh = session.after_401(&token).await?;
                match self.get_with(url, &fresh).await {
                    Err(ApiError::Http { status: 401, .. }) => Err(ApiError::SignedOut),
                    other => other,
                }
            }
            other => other,
        }
    }

    async fn get_with(&self, url: &Url, token: &Token) -> Result<RawReply, ApiError> {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let tracking = format!("WXPICK_{}_{n}", self.session);
        let started = std::time::Instant::now();
        tracing::debug!(method = "GET", url = %url, tracking = %tracking, "request");
        let resp = self
            .http()?
            .get(url.clone())
            .header(AUTHORIZATION, token.header_value())
            .header("TrackingID", &tracking)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = resp.status();
        let headers = resp.headers().clone();
        let tracking_id = header_text(&headers, "trackingid").or(Some(tracking));
        let body = self.read_capped(resp).await?;
        tracing::info!(
            method = "GET",
            url = %url,
            status = status.as_u16(),
            tracking_id = tracking_id.as_deref().unwrap_or(""),
            bytes = body.len(),
            ms = started.elapsed().as_millis() as u64,
            "response"
        );
        if !status.is_success() {
            let err = WebexErrorBody::parse(&body);
            return Err(ApiError::Http {
                status: status.as_u16(),
                message: err.text().map(|m| crate::sanitize::server_text(&m, 300)),
                tracking_id: err.tracking_id.or(tracking_id),
                retry_after: retry_after(&headers, SystemTime::now()),
                endpoint: Some(self.cfg.endpoint),
            });
        }
        Ok(RawReply { status, headers, body, tracking_id })
    }

    /// The retry policy in force.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.cfg.retry
    }

    /// Resolves a next link (the outer error: it is not a URL) and checks that it stays on the
    /// API's scheme, host and port (the inner error: it leaves), since the token goes with every
    /// request.
    fn checked_link(&self, base: &Url, target: &str) -> Result<Result<Url, ApiError>, ApiError> {
        let url = base.join(target).map_err(|e| ApiError::BadReply {
            status: 200,
            kind: BadReplyKind::BadLink,
            detail: format!("unusable next-page link: {e}"),
            tracking_id: None,
        })?;
        if url.origin() != self.endpoint.origin() {
            return Ok(Err(ApiError::ForeignLink {
                expected: self.endpoint.origin().ascii_serialization(),
                got: url.origin().ascii_serialization(),
            }));
        }
        Ok(Ok(url))
    }

    async fn read_capped(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, ApiError> {
        let cap = self.cfg.max_body_bytes;
        if resp.content_length().is_some_and(|n| n > cap) {
            return Err(ApiError::TooLarge { limit_bytes: cap });
        }
        let mut body = Vec::with_capacity(resp.content_length().unwrap_or(0).min(cap) as usize);
        while let Some(chunk) = resp.chunk().await.map_err(|e| self.transport_error(&e))? {
            if body.len() as u64 + chunk.len() as u64 > cap {
                return Err(ApiError::TooLarge { limit_bytes: cap });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    }

    fn transport_error(&self, e: &reqwest::Error) -> ApiError {
        let host = host_port(&self.endpoint);
        if e.is_connect() && e.is_timeout() {
            return ApiError::ConnectTimeout { host, after: self.cfg.connect_timeout };
        }
        if e.is_timeout() {
            let secs = self.cfg.timeout.as_secs().max(1);
            return ApiError::Timeout { host, secs };
        }
        ApiError::Network { host, detail: network_detail(e), connect: e.is_connect() }
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name)?.to_str().ok().map(|s| crate::sanitize::one_line(s, 200))
}

/// The ID the list needs, checked: given, not empty, not `.` or `..` (which would change the path).
fn checked_id(which: PathId, id: Option<&str>) -> Result<&str, ApiError> {
    match id {
        None | Some("") => Err(ApiError::Config(format!("the {} is empty: {}", which.what(), which.how_to_give()))),
        Some(id @ ("." | "..")) => Err(ApiError::Config(format!("{id:?} is not a {}", which.what()))),
        Some(id) => Ok(id),
    }
}

/// Whether the URL's host is this machine: `localhost`, 127.0.0.0/8 or `::1`.
fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// `Retry-After` in whole seconds, rounded up, in both forms of RFC 9110: delay-seconds (a
/// fractional value too, which some servers send) and an HTTP-date, counted from `now` (a date in
/// the past is 0). Anything else is ignored.
fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<u64> {
    let v = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(secs);
    }
    if let Ok(secs) = v.parse::<f64>() {
        // Past a day it does not matter: the policy caps it far below.
        return (secs.is_finite() && secs >= 0.0).then(|| secs.min(86_400.0).ceil() as u64);
    }
    let at = httpdate::parse_http_date(v).ok()?;
    let d = at.duration_since(now).unwrap_or_default();
    Some(d.as_secs() + u64::from(d.subsec_nanos() > 0))
}

/// The most specific cause in an error chain, on one line.
/// The host and port a URL reaches (`127.0.0.1:9`, `webexapis.com:443`): errors name both,
/// since a wrong port is as common a mistake as a wrong host.
pub fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("the server");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    }
}

/// What went wrong with the connection, as a person says it: `connection refused` rather than
/// `Connection refused (os error 111)`.
fn network_detail(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    loop {
        if let Some(io) = cur.downcast_ref::<std::io::Error>() {
            use std::io::ErrorKind::*;
            let said = match io.kind() {
                ConnectionRefused => Some("connection refused"),
                ConnectionReset => Some("connection reset"),
                ConnectionAborted => Some("connection aborted"),
                HostUnreachable => Some("host unreachable"),
                NetworkUnreachable => Some("network unreachable"),
                AddrNotAvailable => Some("address not available"),
                _ => None,
            };
            if let Some(said) = said {
                return said.to_string();
            }
        }
        match cur.source() {
            Some(next) => cur = next,
            None => break,
        }
    }
    let text = innermost(e);
    // `... (os error 111)` says nothing to an admin.
    let text = match text.rfind(" (os error ") {
        Some(i) if text.ends_with(')') => text[..i].to_string(),
        _ => text,
    };
    let mut chars = text.chars();
    match chars.next() {
        // `Connection refused` reads as the middle of a sentence here.
        Some(c) if c.is_uppercase() && chars.next().is_some_and(char::is_lowercase) => {
            c.to_lowercase().chain(text[c.len_utf8()..].chars()).collect()
        }
        _ => text,
    }
}

fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    crate::sanitize::one_line(&cur.to_string(), 300)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(base: &str, loc: &str) -> ApiClient {
        let cfg = ClientConfig::new(Url::parse(base).unwrap(), loc, Token::new("t").unwrap());
        ApiClient::new(cfg).unwrap()
    }

    #[test]
    fn the_org_label_tells_organizations_apart_and_never_holds_the_token() {
        let org_a = "NjQ2ZWQ2ZjctZjM0Ni00ZDI2LWE2YjQtYjM0ZjIzN2Y1MjAx_PF84_0f1c3b2a-1111-4c5d-9e8f-0123456789ab";
        let org_b = "NjQ2ZWQ2ZjctZjM0Ni00ZDI2LWE2YjQtYjM0ZjIzN2Y1MjAx_PF84_9a8b7c6d-2222-4c5d-9e8f-0123456789ab";
        let a = Token::new(org_a).unwrap().org_label();
        assert_eq!(a, "org 0f1c3b2a-1111-4c5d-9e8f-0123456789ab");
        assert_ne!(a, Token::new(org_b).unwrap().org_label());
        // A new token of the same organization keeps its lists.
        assert_eq!(a, Token::new(&org_a.replace("NjQ2", "ZZZZ")).unwrap().org_label());
        // Another shape of token: a digest, per token.
        let other = Token::new("some-opaque-token").unwrap().org_label();
        assert!(other.starts_with("token ") && !other.contains("opaque"), "{other}");
        assert_ne!(other, Token::new("some-opaque-token2").unwrap().org_label());
        assert!(!a.contains("NjQ2"));
    }

    #[test]
    fn location_is_one_encoded_segment() {
        let c = client("https://webexapis.com/v1", "a/b?c#d e%");
        assert_eq!(
            c.page_url(0).as_str(),
            "https://webexapis.com/v1/telephony/config/locations/a%2Fb%3Fc%23d%20e%25/queues/availableNumbers"
        );
        let c = client("https://example.com/v1/", "..%2e");
        assert!(c.page_url(0).path().contains("/locations/..%252e/queues/"));
    }

    #[test]
    fn rejects_empty_and_dot_locations() {
        for loc in ["", ".", ".."] {
            let cfg = ClientConfig::new(Url::parse("https://x/v1").unwrap(), loc, Token::new("t").unwrap());
            assert!(ApiClient::new(cfg).is_err(), "{loc:?}");
        }
    }

    #[test]
    fn query_parameters() {
        let mut cfg = ClientConfig::new(Url::parse("https://x/v1").unwrap(), "L", Token::new("t").unwrap());
        cfg.org_id = Some("O=1".into());
        cfg.page_size = Some(50);
        cfg.phone_numbers = Some("+12056350001,+12056350002".into());
        let c = ApiClient::new(cfg).unwrap();
        assert_eq!(
            c.page_url(100).query(),
            Some("orgId=O%3D1&max=50&start=100&phoneNumber=%2B12056350001%2C%2B12056350002")
        );
        // A check asks for all its numbers in one page, however small the pages are.
        let mut cfg = ClientConfig::new(Url::parse("https://x/v1").unwrap(), "L", Token::new("t").unwrap());
        cfg.page_size = Some(2);
        let c = ApiClient::new(cfg).unwrap();
        let three = ["+12056350001".to_string(), "+12056350002".into(), "+12056350003".into()];
        assert_eq!(
            c.numbers_url(&three).query(),
            Some("max=3&phoneNumber=%2B12056350001%2C%2B12056350002%2C%2B12056350003")
        );
    }

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let at = |v: &str| {
            let mut h = HeaderMap::new();
            h.insert(RETRY_AFTER, v.parse().unwrap());
            retry_after(&h, now)
        };
        assert_eq!(at("3"), Some(3));
        assert_eq!(at(" 1.5 "), Some(2));
        assert_eq!(at("0.2"), Some(1));
        assert_eq!(at(&httpdate::fmt_http_date(now + Duration::from_secs(90))), Some(90));
        assert_eq!(at(&httpdate::fmt_http_date(now - Duration::from_secs(90))), Some(0));
        assert_eq!(at("soon"), None);
        assert_eq!(at("-1"), None);
        assert_eq!(at("NaN"), None);
    }

    #[test]
    fn the_row_says_which_id_is_needed() {
        let token = Token::new("t").unwrap();
        let base = Url::parse("https://x/v1").unwrap();
        let cfg = ClientConfig::for_endpoint(base.clone(), &QUEUE, Ids::default(), token.clone());
        let e = ApiClient::new(cfg).unwrap_err().to_string();
        assert_eq!(e, "the location ID is empty: give --location ID or set WEBEX_LOCATION_ID");
        let cfg =
            ClientConfig { extra_query: vec![("ownerName".into(), "x".into())], ..ClientConfig::new(base, "L", token) };
        let e = ApiClient::new(cfg).unwrap_err().to_string();
        assert!(e.contains("ownerName"), "{e}");
    }

    #[test]
    fn token_is_never_shown() {
        let t = Token::new("  Bearer secret123 \n").unwrap();
        assert!(!format!("{t:?}").contains("secret"));
        assert!(Token::new(" ").is_err());
        assert!(Token::new("a\u{1b}b").is_err());
    }
}
