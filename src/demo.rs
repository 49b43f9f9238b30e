//! The embedded demo server: a real HTTP server on 127.0.0.1 that answers like the Webex API,
//! from the demo data in `assets/`, so `wxpick --demo` exercises the real client end to end.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use reqwest::Url;

use crate::numbers::record::{NumberRecord, State as NumberState, parse_page};
use crate::webex::{ENDPOINTS, Endpoint, PathId, endpoint::QUEUE};

pub mod auth;
mod lists;
pub mod locations;
pub mod owners;

/// The demo location's ID (`ciscospark://us/LOCATION/demo`, base64, as Webex IDs are).
pub const DEMO_LOCATION: &str = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2RlbW8";
/// The only token the demo server accepts. It is not a secret.
pub const DEMO_TOKEN: &str = "wxpick-demo-token";
/// The most numbers the demo server puts on one page, whatever `max` asks: real servers cap too.
pub const DEMO_PAGE_CAP: usize = 500;

const DEMO_DATA: &str = include_str!("../assets/demo-numbers.json");

#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// How many numbers to serve; beyond the demo data, more are made in the same pattern.
    pub size: Option<usize>,
    /// Delay before each page.
    pub latency: Duration,
    pub page_cap: usize,
    /// Misbehave like a bad day of a real server: see [`Chaos`].
    pub chaos: bool,
    /// Whether replies carry a `Link` header to the next page (the default). Without, clients
    /// page by offset (`start`), as with servers that send no links: the case where several
    /// requests can be in flight.
    pub link_headers: bool,
    /// How long the access tokens of the demo's sign-in last (`wxpick --demo auth login`).
    pub token_lifetime: Duration,
    /// Delay before each refresh is answered (widens the window two processes race in).
    pub refresh_latency: Duration,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            size: None,
            latency: Duration::from_millis(120),
            page_cap: DEMO_PAGE_CAP,
            chaos: false,
            link_headers: true,
            token_lifetime: Duration::from_secs(10 * 60),
            refresh_latency: Duration::from_millis(100),
        }
    }
}

/// A running demo server. It stops when the runtime does.
#[derive(Debug)]
pub struct DemoServer {
    /// The base URL to give the client, e.g. `http://127.0.0.1:41234/v1`.
    pub base_url: Url,
    pub addr: SocketAddr,
    pub numbers: usize,
}

/// The ID the demo accepts for each kind of object in a path (and gives when `--demo` runs a
/// list without its ID).
pub fn demo_id(which: PathId) -> &'static str {
    match which {
        PathId::Location => DEMO_LOCATION,
        PathId::Person => "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9kZW1v",
        PathId::Workspace => "Y2lzY29zcGFyazovL3VzL1BMQUNFL2RlbW8",
        PathId::VirtualLine => "Y2lzY29zcGFyazovL3VzL1ZJUlRVQUxfTElORS9kZW1v",
    }
}

/// One served list, as the handler sees it.
struct Served {
    endpoint: &'static Endpoint,
    /// Made on the first request (the queue's at start): 36 lists of a large `--demo-size` made
    /// up front would take 36 times the memory of one.
    records: std::sync::OnceLock<Vec<NumberRecord>>,
    /// Which location each of `records` belongs to.
    by_location: std::sync::OnceLock<locations::ByLocation>,
    opts: DemoOptions,
    base: Url,
    /// Requests seen per `start` offset, for `chaos`.
    seen: std::sync::Mutex<HashMap<usize, usize>>,
}

/// What `--demo-chaos` does, by page (with pages of 500): page 2 is rate limited once (429,
/// `Retry-After: 1`); page 3 is 2 s slow; page 4 answers 503 to its first 5 requests, which is
/// one more than wxpick retries, so it fails until `r` asks again; and the list starts with hostile
/// records: escape sequences and a bidi override in numbers and in a state, an overlong number,
/// a duplicate, and enum values wxpick does not know.
pub mod chaos {
    pub const RATE_LIMITED_PAGE: usize = 2;
    pub const SLOW_PAGE: usize = 3;
    pub const FAILING_PAGE: usize = 4;
    pub const FAILURES: usize = 5;

    /// The hostile records put at the top of page 1.
    pub fn hostile_records() -> serde_json::Value {
        serde_json::json!([
            {"phoneNumber": "+1205\u{1b}[2J\u{1b}]0;pwned\u{7}6350999", "state": "ACTIVE", "isMainNumber": false,
             "tollFreeNumber": false, "telephonyType": "PSTN_NUMBER", "isServiceNumber": false},
            {"phoneNumber": "+1205\u{202e}9990536", "state": "ACTIVE\u{1b}[31m", "isMainNumber": false,
             "tollFreeNumber": false, "telephonyType": "PSTN_NUMBER", "isServiceNumber": false},
            {"phoneNumber": format!("+{}", "9".repeat(300)), "state": "INACTIVE"},
            {"phoneNumber": "+12056350002", "state": "ACTIVE", "isMainNumber": false, "tollFreeNumber": false,
             "telephonyType": "PSTN_NUMBER", "isServiceNumber": true},
            {"phoneNumber": "+12056359998", "state": "PORTING", "telephonyType": "SATELLITE_NUMBER",
             "isServiceNumber": false, "newField": {"nested": [1, 2]}},
        ])
    }
}

/// Every free number of the demo organization, at every demo location: the data from `assets/`.
pub fn org_records() -> Vec<NumberRecord> {
    parse_page(DEMO_DATA.as_bytes()).expect("the demo data is valid").numbers
}

/// The numbers the demo location (Birmingham HQ) offers: its part of the data from `assets/`, cut
/// or extended to `size` (`--demo-size`).
pub fn demo_location_records(size: Option<usize>) -> Vec<NumberRecord> {
    let mut records = org_records();
    records.retain(|r| locations::location_of(&r.phone_number).0 == DEMO_LOCATION);
    extended(records, size)
}

/// The demo numbers of every location: the data from `assets/`, cut or extended to `size` (for
/// tests and benchmarks that need realistic numbers of several countries).
pub fn demo_records(size: Option<usize>) -> Vec<NumberRecord> {
    extended(org_records(), size)
}

/// `records` cut or extended to `size`.
fn extended(mut records: Vec<NumberRecord>, size: Option<usize>) -> Vec<NumberRecord> {
    if let Some(n) = size {
        records.truncate(n);
        let mut i = 0u64;
        while records.len() < n {
            // More US numbers in a block of their own; every 5th inactive, every 9th a service number.
            let number = format!("+1205{:07}", 2_000_000 + i);
            let state = if i % 5 == 4 { NumberState::Inactive } else { NumberState::Active };
            records.push(NumberRecord::new(&number, state, false, false, i.is_multiple_of(9)));
            i += 1;
        }
    }
    records
}

/// A region the synthetic numbers are drawn from: numbers are `cc` + an area + an exchange of
/// `exchange_digits` digits + a 3-digit line number, in blocks of a thousand, as carriers hand out
/// DID ranges.
struct Region {
    cc: &'static str,
    areas: &'static [&'static str],
    exchange_digits: u32,
    toll_free: bool,
    mobile: bool,
    /// Relative share of the blocks.
    weight: u32,
}

const REGIONS: &[Region] = &[
    Region {
        cc: "+1",
        areas: &["205", "212", "312", "415", "416", "512", "617", "646", "713", "919"],
        exchange_digits: 4,
        toll_free: false,
        mobile: false,
        weight: 50,
    },
    Region { cc: "+1", areas: &["800", "888"], exchange_digits: 4, toll_free: true, mobile: false, weight: 4 },
    Region { cc: "+44", areas: &["20"], exchange_digits: 5, toll_free: false, mobile: false, weight: 8 },
    Region { cc: "+44", areas: &["161", "117"], exchange_digits: 4, toll_free: false, mobile: false, weight: 6 },
    Region { cc: "+44", areas: &["7700"], exchange_digits: 3, toll_free: false, mobile: true, weight: 4 },
    Region { cc: "+44", areas: &["808"], exchange_digits: 4, toll_free: true, mobile: false, weight: 2 },
    Region { cc: "+49", areas: &["30", "89", "40"], exchange_digits: 5, toll_free: false, mobile: false, weight: 10 },
    Region { cc: "+33", areas: &["1", "4"], exchange_digits: 5, toll_free: false, mobile: false, weight: 8 },
    Region { cc: "+61", areas: &["2", "3"], exchange_digits: 5, toll_free: false, mobile: false, weight: 8 },
];

/// `n` distinct, realistic numbers of several countries, for benchmarks and load tests:
/// blocks of a thousand consecutive numbers (8% already taken), about half in the US and Canada,
/// the rest in the UK, Germany, France and Australia, with toll-free and mobile ranges; 80% active,
/// 15% service numbers, one main number in about every fiftieth block. Deterministic.
pub fn synthetic_records(n: usize) -> Vec<NumberRecord> {
    let mut rng = fastrand::Rng::with_seed(0x5eed_2026);
    let total_weight: u32 = REGIONS.iter().map(|r| r.weight).sum();
    let mut used = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    let mut number = String::with_capacity(20);
    while out.len() < n {
        let mut pick = rng.u32(0..total_weight);
        let region = REGIONS
            .iter()
            .find(|r| {
                if pick < r.weight {
                    return true;
                }
                pick -= r.weight;
                false
            })
            .expect("a region");
        let area = region.areas[rng.usize(0..region.areas.len())];
        let low = 10u32.pow(region.exchange_digits - 1) * 2;
        let exchange = rng.u32(low..10u32.pow(region.exchange_digits));
        if !used.insert((region.cc, area, exchange)) {
            continue;
        }
        let main_at = rng.u32(0..50).eq(&0).then(|| rng.u32(0..1000));
        for line in 0..1000u32 {
            if out.len() == n {
                break;
            }
            if rng.u32(0..100) < 8 {
                continue;
            }
            number.clear();
            let width = region.exchange_digits as usize;
            let _ = write!(number, "{}{area}{exchange:0width$}{line:03}", region.cc);
            let state = if rng.u32(0..100) < 80 { NumberState::Active } else { NumberState::Inactive };
            let service = !region.toll_free && rng.u32(0..100) < 15;
            let main = main_at == Some(line) && !region.toll_free;
            let mut rec = NumberRecord::new(&number, state, main, region.toll_free, service);
            if region.mobile {
                rec.telephony_type = crate::numbers::record::TelephonyType::Mobile;
            }
            out.push(rec);
        }
    }
    out
}

/// Writes `records` as one API reply, `{"phoneNumbers":[...]}`, on one line as the API sends it.
pub fn write_reply(records: &[NumberRecord], w: &mut impl std::io::Write) -> std::io::Result<()> {
    w.write_all(b"{\"phoneNumbers\":[")?;
    for (i, r) in records.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        serde_json::to_writer(&mut *w, r)?;
    }
    w.write_all(b"]}\n")
}

/// The records the server lists: the demo location's (cut or extended to `size`), with the
/// hostile records first for `chaos` (part of the list, so offsets stay consistent, as a real
/// server's would), then the other locations'.
fn served_records(opts: &DemoOptions) -> Vec<NumberRecord> {
    let mut records = demo_location_records(opts.size);
    records.extend(org_records().into_iter().filter(|r| locations::location_of(&r.phone_number).0 != DEMO_LOCATION));
    if opts.chaos {
        let hostile = serde_json::json!({ "phoneNumbers": chaos::hostile_records() }).to_string();
        let mut first = parse_page(hostile.as_bytes()).expect("the hostile records parse").numbers;
        first.append(&mut records);
        records = first;
    }
    records
}

/// Starts the demo server on an ephemeral port of 127.0.0.1.
pub async fn start(opts: DemoOptions) -> std::io::Result<DemoServer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let base = Url::parse(&format!("http://{addr}/v1")).expect("a valid URL");
    let mut app = Router::new();
    let mut numbers = 0;
    for &endpoint in ENDPOINTS {
        let served = Arc::new(Served {
            endpoint,
            records: Default::default(),
            by_location: Default::default(),
            opts: opts.clone(),
            base: base.clone(),
            seen: Default::default(),
        });
        if std::ptr::eq(endpoint, &QUEUE) {
            numbers = served.numbers_at(DEMO_LOCATION).map_or(0, |n| n.len());
            // The list of locations, with the same options (latency, chaos).
            app = app.route("/v1/telephony/config/locations", get(locations::list).with_state(Arc::clone(&served)));
            // People, workspaces and virtual lines: the lookups.
            for (path, which) in [
                ("/v1/people", PathId::Person),
                ("/v1/workspaces", PathId::Workspace),
                ("/v1/telephony/config/virtualLines", PathId::VirtualLine),
            ] {
                app = app.route(path, get(owners::list).with_state((Arc::clone(&served), which)));
            }
        }
        // The row's template is axum's route syntax too: `{locationId}` captures one segment.
        let route = format!("/v1/{}", endpoint.path);
        app = match endpoint.path_id {
            Some(_) => app.route(&route, get(list_with_id).with_state(served)),
            None => app.route(&route, get(list_without_id).with_state(served)),
        };
    }
    let sign_in = Arc::new(auth::AuthState::new(opts.token_lifetime, opts.refresh_latency));
    let app = app.merge(auth::routes(sign_in)).fallback(not_found);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Ok(DemoServer { base_url: base, addr, numbers })
}

impl Served {
    fn records(&self) -> &[NumberRecord] {
        self.records.get_or_init(|| lists::records(self.endpoint, &self.opts))
    }

    /// The records a demo location offers (`None`: the demo has no such location).
    fn numbers_at(&self, location: &str) -> Option<Vec<&NumberRecord>> {
        let records = self.records();
        self.by_location.get_or_init(|| locations::ByLocation::of(records)).numbers_at(location, records)
    }
}

async fn list_with_id(
    State(s): State<Arc<Served>>,
    Path(id): Path<String>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    available_numbers(s, Some(id), q, uri, headers).await
}

async fn list_without_id(
    State(s): State<Arc<Served>>,
    Query(q): Query<HashMap<String, String>>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    available_numbers(s, None, q, uri, headers).await
}

async fn available_numbers(
    s: Arc<Served>,
    id: Option<String>,
    q: HashMap<String, String>,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    tokio::time::sleep(s.opts.latency).await;
    if let Some(refused) = unauthorized(&headers) {
        return refused;
    }
    if let (Some(which), Some(id)) = (s.endpoint.path_id, &id)
        && which != PathId::Location
        && !owners::records(which).iter().any(|o| o["id"].as_str() == Some(id.as_str()))
    {
        return webex_error(StatusCode::NOT_FOUND, &format!("{} not found.", capitalized(which.noun())));
    }
    // The location: in the path, or as the `locationId` query parameter; each demo location
    // serves its own slice of the numbers.
    let location = match (s.endpoint.path_id, &id) {
        (Some(PathId::Location), Some(id)) => Some(id.as_str()),
        _ if s.endpoint.query_ids.contains(&PathId::Location) => q.get("locationId").map(String::as_str),
        _ => None,
    };
    let here = match location {
        Some(location) => s.numbers_at(location),
        None => Some(s.records().iter().collect()),
    };
    let Some(here) = here else {
        return webex_error(StatusCode::NOT_FOUND, "Location not found.");
    };
    let number = |k: &str| q.get(k).map(|v| v.parse::<usize>());
    let (max, start) = match (number("max").unwrap_or(Ok(2000)), number("start").unwrap_or(Ok(0))) {
        (Ok(m), Ok(s)) if m > 0 => (m, s),
        _ => return webex_error(StatusCode::BAD_REQUEST, "Invalid max or start."),
    };
    if let Err(refused) = inventory_rules(&q) {
        return webex_error(StatusCode::BAD_REQUEST, refused);
    }
    let wanted: Option<Vec<&str>> = q.get("phoneNumber").map(|p| p.split(',').map(str::trim).collect());
    let owner_name = q.get("ownerName").map(|n| n.to_lowercase());
    let extension = q.get("extension");
    let matching: Vec<&NumberRecord> = here
        .into_iter()
        .filter(|r| wanted.as_ref().is_none_or(|w| w.contains(&&*r.phone_number)))
        .filter(|r| {
            owner_name
                .as_ref()
                .is_none_or(|n| r.owner().and_then(|o| o.name()).is_some_and(|o| o.to_lowercase().contains(n)))
        })
        .filter(|r| extension.is_none_or(|x| r.extension() == Some(x.as_str())))
        .filter(|r| inventory_filter(&q, r))
        .collect();
    let take = max.min(s.opts.page_cap);
    let page: Vec<&NumberRecord> = matching.iter().skip(start).take(take).copied().collect();
    let body = serde_json::json!({ s.endpoint.list_key: page });
    if s.opts.chaos {
        let page_no = start / take.max(1) + 1;
        let seen = {
            let mut seen = s.seen.lock().unwrap_or_else(|e| e.into_inner());
            let n = seen.entry(start).or_insert(0);
            *n += 1;
            *n
        };
        match page_no {
            chaos::RATE_LIMITED_PAGE if seen == 1 => {
                let mut r = webex_error(StatusCode::TOO_MANY_REQUESTS, "Too many requests.");
                r.headers_mut().insert("retry-after", HeaderValue::from_static("1"));
                return r;
            }
            chaos::SLOW_PAGE => tokio::time::sleep(Duration::from_secs(2)).await,
            chaos::FAILING_PAGE if seen <= chaos::FAILURES => {
                return webex_error(StatusCode::SERVICE_UNAVAILABLE, "Service temporarily unavailable.");
            }
            _ => {}
        }
    }
    let body = serde_json::to_vec(&body).expect("serializable");
    let mut resp = (StatusCode::OK, [("content-type", "application/json")], body).into_response();
    let next = start + page.len();
    if s.opts.link_headers && !page.is_empty() && next < matching.len() {
        // The path as asked (IDs stay encoded as they came), on the server's own origin.
        let url = s.base.join(uri.path()).expect("a path joins a base URL");
        link_next(&mut resp, url, &q, next);
    }
    resp.headers_mut().insert("trackingid", HeaderValue::from_static("WXPICK_DEMO"));
    resp
}

/// The number inventory's rules for its parameters, as its API description gives them.
fn inventory_rules(q: &HashMap<String, String>) -> Result<(), &'static str> {
    let available = q.get("available").is_some_and(|v| v == "true");
    if q.contains_key("numberType") && (available || q.contains_key("state")) {
        return Err("numberType cannot be used along with the available or state query parameters.");
    }
    if available && q.contains_key("ownerType") {
        return Err("available cannot be used along with the ownerType query parameter.");
    }
    Ok(())
}

/// Whether a record passes the number inventory's filters (other lists are not sent them).
fn inventory_filter(q: &HashMap<String, String>, r: &NumberRecord) -> bool {
    let has_number = !r.phone_number.is_empty();
    (q.get("available").is_none_or(|v| v != "true") || r.owner().is_none())
        && q.get("state").is_none_or(|s| has_number && r.state_text() == s)
        && q.get("ownerType").is_none_or(|t| r.owner().and_then(|o| o.owner_type()) == Some(t))
        && match q.get("numberType").map(String::as_str) {
            Some("NUMBER") => has_number,
            Some("EXTENSION") => !has_number,
            _ => true,
        }
        && q.get("tollFreeNumbers").is_none_or(|v| v != "true" || r.is_toll_free())
}

/// The 401 the API gives a request without the demo's token or one its sign-in handed out and
/// that has not expired; `None` when the token is right.
fn unauthorized(headers: &HeaderMap) -> Option<Response> {
    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("");
    let token = auth.strip_prefix("Bearer ").unwrap_or("");
    (token != DEMO_TOKEN && !auth::valid_access_token(token)).then(|| {
        webex_error(
            StatusCode::UNAUTHORIZED,
            "The request requires a valid access token set in the Authorization request header.",
        )
    })
}

/// The window a lookup's list asks for (`max`, at most `cap`, and `start`), or the API's 400.
fn lookup_window(q: &HashMap<String, String>, cap: usize) -> Result<(usize, usize), Box<Response>> {
    let number = |k: &str| q.get(k).map(|v| v.parse::<usize>());
    match (number("max").unwrap_or(Ok(100)), number("start").unwrap_or(Ok(0))) {
        (Ok(m), Ok(s)) if m > 0 => Ok((m.min(cap), s)),
        _ => Err(Box::new(webex_error(StatusCode::BAD_REQUEST, "Invalid max or start."))),
    }
}

/// One page of a lookup's list (locations, people...) at `path`: the records of `matching` in
/// the window, under `key`, with a `Link` to the next page when there is one.
fn lookup_page(
    base: &Url,
    path: &str,
    q: &HashMap<String, String>,
    key: &str,
    matching: &[serde_json::Value],
    (max, start): (usize, usize),
) -> Response {
    let page: Vec<&serde_json::Value> = matching.iter().skip(start).take(max).collect();
    let body = serde_json::json!({ key: page }).to_string();
    let mut resp = (StatusCode::OK, [("content-type", "application/json")], body).into_response();
    let next = start + page.len();
    if !page.is_empty() && next < matching.len() {
        let mut url = base.clone();
        url.path_segments_mut().expect("base URL").extend(path.split('/'));
        link_next(&mut resp, url, q, next);
    }
    resp.headers_mut().insert("trackingid", HeaderValue::from_static("WXPICK_DEMO"));
    resp
}

/// Adds `Link: <url?...&start=next>; rel="next"` to a reply, keeping the other query parameters.
fn link_next(resp: &mut Response, mut url: Url, q: &HashMap<String, String>, next: usize) {
    {
        let mut qp = url.query_pairs_mut();
        for (k, v) in q.iter().filter(|(k, _)| k.as_str() != "start") {
            qp.append_pair(k, v);
        }
        qp.append_pair("start", &next.to_string());
    }
    if let Ok(v) = HeaderValue::from_str(&format!("<{url}>; rel=\"next\"")) {
        resp.headers_mut().insert("link", v);
    }
}

/// "Location" from "location".
fn capitalized(what: &str) -> String {
    let mut c = what.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

async fn not_found() -> Response {
    webex_error(StatusCode::NOT_FOUND, "The requested resource could not be found.")
}

fn webex_error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({
        "message": message,
        "errors": [{ "description": message }],
        "trackingId": "WXPICK_DEMO",
    });
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_data_is_realistic() {
        let r = demo_records(None);
        assert!(r.len() > 2000, "a few thousand numbers");
        let regions: std::collections::HashSet<_> = r.iter().map(|n| &n.phone_number[..3]).collect();
        assert!(regions.len() >= 5, "several countries");
        assert!(r.iter().any(|n| n.state == NumberState::Inactive));
        assert!(
            r.iter().any(|n| n.is_toll_free())
                && r.iter().any(|n| n.is_service_number())
                && r.iter().any(|n| n.is_main_number())
        );
        assert!(r.iter().all(|n| crate::numbers::phone::is_plausible_e164(&n.phone_number)));
        assert_eq!(demo_records(Some(10)).len(), 10);
        let big = demo_records(Some(5000));
        assert_eq!(big.len(), 5000);
        assert_eq!(crate::numbers::catalog::Catalog::from_records(big).len(), 5000, "no duplicates");
    }

    #[tokio::test]
    async fn every_demo_list_is_served_on_its_rows_path() {
        use crate::webex::{ApiClient, ClientConfig, Ids, Token};
        let opts = DemoOptions { latency: Duration::ZERO, link_headers: false, ..DemoOptions::default() };
        let server = start(opts.clone()).await.unwrap();
        for &endpoint in ENDPOINTS {
            let mut ids =
                Ids { location: endpoint.takes(PathId::Location).then(|| DEMO_LOCATION.to_string()), ..Ids::default() };
            match endpoint.path_id {
                Some(PathId::Location) => ids.location = Some(DEMO_LOCATION.into()),
                Some(PathId::Person) => ids.person = Some(demo_id(PathId::Person).into()),
                Some(PathId::Workspace) => ids.workspace = Some(demo_id(PathId::Workspace).into()),
                Some(PathId::VirtualLine) => ids.virtual_line = Some(demo_id(PathId::VirtualLine).into()),
                None => {}
            }
            let cfg = ClientConfig::for_endpoint(
                server.base_url.clone(),
                endpoint,
                ids.clone(),
                Token::new(DEMO_TOKEN).unwrap(),
            );
            let client = ApiClient::new(cfg).unwrap();
            let page = client.get_page(&client.page_url(0)).await.unwrap();
            let all = lists::records(endpoint, &opts);
            // The demo location's part, for lists of a location.
            let want: Vec<NumberRecord> = match ids.location.as_deref() {
                Some(at) => {
                    locations::ByLocation::of(&all).numbers_at(at, &all).unwrap().into_iter().cloned().collect()
                }
                None => all,
            };
            assert!(!want.is_empty(), "{}", endpoint.kind);
            assert_eq!(page.numbers, want[..want.len().min(opts.page_cap)], "{}", endpoint.kind);
        }
    }

    #[test]
    fn synthetic_records_are_realistic_distinct_and_repeatable() {
        let r = synthetic_records(20_000);
        assert_eq!(r.len(), 20_000);
        assert_eq!(r, synthetic_records(20_000), "deterministic");
        assert!(r.iter().all(|n| crate::numbers::phone::is_plausible_e164(&n.phone_number)), "plausible E.164");
        let countries: std::collections::HashSet<_> = r.iter().map(|n| &n.phone_number[..3]).collect();
        assert!(countries.len() >= 5, "several countries: {countries:?}");
        assert_eq!(crate::numbers::catalog::Catalog::from_records(r.clone()).len(), r.len(), "no duplicates");
        let share = |f: &dyn Fn(&NumberRecord) -> bool| r.iter().filter(|n| f(n)).count() * 100 / r.len();
        assert!((70..=90).contains(&share(&|n| n.state == NumberState::Active)));
        assert!((5..=25).contains(&share(&|n| n.is_service_number())));
        assert!(r.iter().any(|n| n.is_toll_free()));
        let mut json = Vec::new();
        write_reply(&r[..100], &mut json).unwrap();
        assert_eq!(parse_page(&json).unwrap().numbers, r[..100]);
    }
}
