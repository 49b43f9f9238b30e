//! The API client and the fetch task against real local HTTP servers: wiremock, a few raw TCP
//! replies, and the embedded demo server.

mod common;

use common::{GUARD, fetch_all, received_numbers};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::mpsc;
use wiremock::matchers::{any, method, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use wxpick::demo::{self, DEMO_LOCATION, DEMO_PAGE_CAP, DEMO_TOKEN, DemoOptions};
use wxpick::numbers::record::State;
use wxpick::webex::{
    ApiClient, ApiError, BadReplyKind, ClientConfig, FetchEvent, Ids, Resume, RetryPolicy, Token, spawn_fetch,
};

const TOKEN: &str = "tok-SECRET-0123456789";
const LOCATION: &str = "LOC1";
/// The path the client asks for at `LOCATION` under the base `/v1`.
const PATH: &str = "/v1/telephony/config/locations/LOC1/queues/availableNumbers";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `n` distinct, plausible E.164 numbers.
fn make_numbers(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("+1205555{i:04}")).collect()
}

fn record_json(number: &str) -> serde_json::Value {
    serde_json::json!({
        "phoneNumber": number,
        "state": "ACTIVE",
        "isMainNumber": false,
        "telephonyType": "PSTN_NUMBER",
        "tollFreeNumber": false,
        "isServiceNumber": false,
    })
}

fn page_body<'a>(numbers: impl IntoIterator<Item = &'a String>) -> serde_json::Value {
    serde_json::json!({ "phoneNumbers": numbers.into_iter().map(|n| record_json(n)).collect::<Vec<_>>() })
}

fn webex_error_body(message: &str, description: &str, tracking_id: &str) -> serde_json::Value {
    serde_json::json!({
        "message": message,
        "errors": [{ "description": description }],
        "trackingId": tracking_id,
    })
}

/// How the fake server announces the next page.
#[derive(Clone, Debug)]
enum Links {
    /// No `Link` header: the client advances `start` itself.
    None,
    /// An absolute URL on this server (the server's base URI).
    Absolute(String),
    /// A path-absolute reference, resolved against the request URL.
    Relative,
}

/// A fake Webex endpoint serving a fixed list by `start` and `max`, like the real API.
#[derive(Clone)]
struct Paged {
    numbers: Arc<Vec<String>>,
    /// The most numbers on one page, whatever `max` asks.
    cap: usize,
    links: Links,
    /// A broken server: always serves from the beginning.
    ignore_start: bool,
}

impl Paged {
    fn new(numbers: &[String], links: Links) -> Self {
        Paged { numbers: Arc::new(numbers.to_vec()), cap: usize::MAX, links, ignore_start: false }
    }
}

impl Respond for Paged {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let q: HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let num = |k: &str, default: usize| q.get(k).map(|v| v.parse::<usize>().expect("a number")).unwrap_or(default);
        let start = if self.ignore_start { 0 } else { num("start", 0) };
        let max = num("max", 2000);
        let page: Vec<&String> = self.numbers.iter().skip(start).take(max.min(self.cap)).collect();
        let next = start + page.len();
        let mut t = ResponseTemplate::new(200).set_body_json(page_body(page.iter().copied()));
        if !page.is_empty() && next < self.numbers.len() {
            let target = format!("{}?max={max}&start={next}", req.url.path());
            let link = match &self.links {
                Links::None => None,
                Links::Absolute(base) => Some(format!("<{base}{target}>; rel=\"next\"")),
                Links::Relative => Some(format!("<{target}>; rel=\"next\"")),
            };
            if let Some(link) = link {
                // A `first` link before the `next` one, as paging APIs send.
                t = t.insert_header("Link", format!("<{}>; rel=\"first\", {link}", req.url.path()));
            }
        }
        t
    }
}

fn config(server_uri: &str) -> ClientConfig {
    let base = Url::parse(&format!("{server_uri}/v1")).unwrap();
    let mut cfg = ClientConfig::new(base, LOCATION, Token::new(TOKEN).unwrap());
    cfg.connect_timeout = Duration::from_secs(5);
    cfg.timeout = Duration::from_secs(10);
    // These tests check the exact requests of one-at-a-time paging; tests/fetch_concurrency.rs
    // checks paging with several requests in flight.
    cfg.concurrency = 1;
    // No test may wait long for a retry.
    cfg.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(50),
    };
    cfg
}

fn client(cfg: ClientConfig) -> Arc<ApiClient> {
    Arc::new(ApiClient::new(cfg).expect("a valid client configuration"))
}

/// The events in a form that compares well: `page 1: 20`, `retrying 1: HTTP 503`, `done 5`, ...
fn summary(events: &[FetchEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            FetchEvent::Page { page, numbers } => format!("page {page}: {}", numbers.len()),
            FetchEvent::Retrying { page, error, .. } => format!("retrying {page}: {}", status_of(error)),
            FetchEvent::Done { pages, .. } => format!("done {pages}"),
            FetchEvent::Failed { page, error, .. } => format!("failed {page}: {}", status_of(error)),
        })
        .collect()
}

fn status_of(e: &ApiError) -> String {
    match e {
        ApiError::Http { status, .. } => format!("HTTP {status}"),
        other => format!("{other:?}").split([' ', '{', '(']).next().unwrap_or("").to_string(),
    }
}

fn assert_each_once(got: &[String], expected: &[String]) {
    let distinct: HashSet<&String> = got.iter().collect();
    assert_eq!(distinct.len(), got.len(), "a number arrived twice");
    assert_eq!(got, expected, "every number, once, in the server's order");
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("request recording is on")
}

/// The `start` parameter of each request (`None` when absent).
async fn starts(server: &MockServer) -> Vec<Option<String>> {
    requests(server)
        .await
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "start").map(|(_, v)| v.into_owned()))
        .collect()
}

fn header<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

async fn mount_paged(server: &MockServer, paged: Paged) {
    Mock::given(method("GET")).respond_with(paged).mount(server).await;
}

// ---------------------------------------------------------------------------------------------
// Paging
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn paging_follows_absolute_link_headers() {
    let server = MockServer::start().await;
    let all = make_numbers(95);
    mount_paged(&server, Paged::new(&all, Links::Absolute(server.uri()))).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(20);

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 20", "page 2: 20", "page 3: 20", "page 4: 20", "page 5: 15", "done 5"]);
    assert_each_once(&received_numbers(&events), &all);
    // The last page has no next link, so nothing is asked after it.
    let s = starts(&server).await;
    assert_eq!(s, [None, Some("20".into()), Some("40".into()), Some("60".into()), Some("80".into())]);
}

#[tokio::test]
async fn paging_follows_relative_link_headers() {
    let server = MockServer::start().await;
    let all = make_numbers(45);
    mount_paged(&server, Paged::new(&all, Links::Relative)).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(20);

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 20", "page 2: 20", "page 3: 5", "done 3"]);
    assert_each_once(&received_numbers(&events), &all);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    for r in reqs {
        assert_eq!(r.url.path(), PATH);
    }
}

#[tokio::test]
async fn paging_without_links_advances_start_by_the_items_received() {
    let server = MockServer::start().await;
    let all = make_numbers(95);
    mount_paged(&server, Paged::new(&all, Links::None)).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(20);

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 20", "page 2: 20", "page 3: 20", "page 4: 20", "page 5: 15", "done 5"]);
    assert_each_once(&received_numbers(&events), &all);
    // A short page does not prove the end (servers cap pages): the empty page at 95 does.
    let s = starts(&server).await;
    let expected: Vec<Option<String>> =
        [None, Some(20), Some(40), Some(60), Some(80), Some(95)].iter().map(|s| s.map(|n| n.to_string())).collect();
    assert_eq!(s, expected);
}

#[tokio::test]
async fn server_capping_the_page_size_without_links_still_gives_every_number_once() {
    let server = MockServer::start().await;
    let all = make_numbers(200);
    mount_paged(&server, Paged { cap: 30, ..Paged::new(&all, Links::None) }).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(100);

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(
        summary(&events),
        ["page 1: 30", "page 2: 30", "page 3: 30", "page 4: 30", "page 5: 30", "page 6: 30", "page 7: 20", "done 7"]
    );
    assert_each_once(&received_numbers(&events), &all);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 8, "seven pages and the empty page that ends them");
    for r in reqs {
        assert_eq!(r.url.query_pairs().find(|(k, _)| k == "max").unwrap().1, "100", "max is what was asked");
    }
}

#[tokio::test]
async fn server_capping_the_page_size_with_links_still_gives_every_number_once() {
    let server = MockServer::start().await;
    let all = make_numbers(200);
    mount_paged(&server, Paged { cap: 30, ..Paged::new(&all, Links::Absolute(server.uri())) }).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(100);

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events).last().map(String::as_str), Some("done 7"));
    assert_each_once(&received_numbers(&events), &all);
    assert_eq!(requests(&server).await.len(), 7);
}

#[tokio::test]
async fn server_ignoring_start_does_not_loop() {
    let server = MockServer::start().await;
    let all = make_numbers(80);
    mount_paged(&server, Paged { cap: 30, ignore_start: true, ..Paged::new(&all, Links::None) }).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(100);

    let events = fetch_all(client(cfg), Resume::start()).await;

    // The second page brings nothing new: the list ends there.
    assert_eq!(summary(&events), ["page 1: 30", "page 2: 30", "done 2"]);
    let got = received_numbers(&events);
    let distinct: HashSet<&String> = got.iter().collect();
    assert_eq!(distinct, all[..30].iter().collect::<HashSet<_>>());
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn server_whose_next_link_repeats_the_same_page_does_not_loop() {
    let server = MockServer::start().await;
    let all = make_numbers(10);
    // Every reply links to page 1 again.
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_body(&all))
                .insert_header("Link", format!("<{}{PATH}>; rel=\"next\"", server.uri())),
        )
        .mount(&server)
        .await;

    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 10", "page 2: 10", "done 2"]);
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn empty_first_page_is_an_empty_list() {
    let bodies = [
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "phoneNumbers": [] })),
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "phoneNumbers": null })),
        ResponseTemplate::new(204),
    ];
    for body in bodies {
        let server = MockServer::start().await;
        Mock::given(method("GET")).respond_with(body.clone()).mount(&server).await;

        let events = fetch_all(client(config(&server.uri())), Resume::start()).await;

        assert_eq!(summary(&events), ["done 0"], "{body:?}");
        assert_eq!(requests(&server).await.len(), 1, "{body:?}");
    }
}

#[tokio::test]
async fn empty_page_behind_a_next_link_ends_the_list() {
    let server = MockServer::start().await;
    let all = make_numbers(5);
    Mock::given(method("GET"))
        .and(query_param("start", "5"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({ "phoneNumbers": [] }))
                // Even with yet another link, an empty page is the end.
                .insert_header("Link", format!("<{}{PATH}?start=10>; rel=\"next\"", server.uri())),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_body(&all))
                .insert_header("Link", format!("<{}{PATH}?start=5>; rel=\"next\"", server.uri())),
        )
        .mount(&server)
        .await;

    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 5", "done 1"]);
    assert_each_once(&received_numbers(&events), &all);
    assert_eq!(starts(&server).await, [None, Some("5".to_string())]);
}

// ---------------------------------------------------------------------------------------------
// What is sent
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn query_parameters_are_sent() {
    let server = MockServer::start().await;
    let all = make_numbers(3);
    mount_paged(&server, Paged::new(&all, Links::None)).await;
    let mut cfg = config(&server.uri());
    cfg.org_id = Some("Y2lzY29/ORG+1==".into());
    cfg.page_size = Some(2);
    cfg.phone_numbers = Some("+12055550000,+12055550002".into());

    let events = fetch_all(client(cfg), Resume::start()).await;
    assert_eq!(summary(&events), ["page 1: 2", "page 2: 1", "done 2"]);

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    for (r, start) in reqs.iter().zip([None, Some("2"), Some("3")]) {
        assert_eq!(r.url.path(), PATH);
        let q: Vec<(String, String)> = r.url.query_pairs().into_owned().collect();
        let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
        // Decoded by the server exactly as given: `+`, `/` and `=` were percent-encoded.
        assert_eq!(get("orgId"), Some("Y2lzY29/ORG+1=="), "{}", r.url);
        assert_eq!(get("phoneNumber"), Some("+12055550000,+12055550002"), "{}", r.url);
        assert_eq!(get("max"), Some("2"), "{}", r.url);
        assert_eq!(get("start"), start, "{}", r.url);
        assert_eq!(q.len(), 3 + usize::from(start.is_some()), "no other parameter: {}", r.url);
    }
}

#[tokio::test]
async fn no_query_parameters_unless_configured() {
    let server = MockServer::start().await;
    mount_paged(&server, Paged::new(&make_numbers(1), Links::None)).await;
    let c = client(config(&server.uri()));
    c.get_page(&c.page_url(0)).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs[0].url.query(), None, "{}", reqs[0].url);
}

#[tokio::test]
async fn headers_are_sent() {
    let server = MockServer::start().await;
    mount_paged(&server, Paged::new(&make_numbers(4), Links::None)).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(2);

    fetch_all(client(cfg), Resume::start()).await;

    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
    let mut tracking_ids = HashSet::new();
    for r in &reqs {
        assert_eq!(header(r, "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
        let ua = header(r, "user-agent").expect("a User-Agent");
        assert!(ua.starts_with("wxpick/"), "{ua}");
        let tracking = header(r, "trackingid").expect("a TrackingID");
        assert!(tracking.starts_with("WXPICK_") && tracking.len() > "WXPICK_".len(), "{tracking}");
        tracking_ids.insert(tracking.to_string());
        assert!(header(r, "accept").is_some_and(|a| a.contains("application/json")));
    }
    assert_eq!(tracking_ids.len(), reqs.len(), "each request has its own TrackingID");
}

#[tokio::test]
async fn bearer_prefix_and_whitespace_in_the_token_are_not_sent_twice() {
    let server = MockServer::start().await;
    mount_paged(&server, Paged::new(&make_numbers(1), Links::None)).await;
    let mut cfg = config(&server.uri());
    cfg.token = Token::new(&format!("  Bearer {TOKEN}\n")).unwrap();
    let c = client(cfg);
    c.get_page(&c.page_url(0)).await.unwrap();
    assert_eq!(header(&requests(&server).await[0], "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
}

#[tokio::test]
async fn location_id_stays_one_percent_encoded_path_segment() {
    for (base_suffix, location, segment) in [
        ("/v1", "a/b?c#d e", "a%2Fb%3Fc%23d%20e"),
        ("/v1/", "../x", "..%2Fx"),
        ("/v1", "100%", "100%25"),
        ("/v1", "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMw==", "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMw=="),
    ] {
        let server = MockServer::start().await;
        mount_paged(&server, Paged::new(&make_numbers(1), Links::None)).await;
        let base = Url::parse(&format!("{}{base_suffix}", server.uri())).unwrap();
        let cfg = ClientConfig { base_url: base, ids: Ids::location(location), ..config(&server.uri()) };
        let c = client(cfg);

        let reply = c.get_page(&c.page_url(0)).await.unwrap();
        assert_eq!(reply.numbers.len(), 1);

        let reqs = requests(&server).await;
        assert_eq!(reqs.len(), 1);
        let expected = format!("/v1/telephony/config/locations/{segment}/queues/availableNumbers");
        assert_eq!(reqs[0].url.path(), expected, "location {location:?}");
        assert_eq!(reqs[0].url.query(), None, "location {location:?}: nothing leaked into the query");
        assert_eq!(reqs[0].url.fragment(), None);
    }
}

#[tokio::test]
async fn base_url_query_and_fragment_are_dropped_but_its_path_is_kept() {
    let server = MockServer::start().await;
    mount_paged(&server, Paged::new(&make_numbers(1), Links::None)).await;
    let base = Url::parse(&format!("{}/proxy/v1?x=1#frag", server.uri())).unwrap();
    let c = client(ClientConfig { base_url: base, ..config(&server.uri()) });
    c.get_page(&c.page_url(0)).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs[0].url.path(), "/proxy/v1/telephony/config/locations/LOC1/queues/availableNumbers");
    assert_eq!(reqs[0].url.query(), None);
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// A server answering every request with `status` and a Webex error body; returns the error the
/// fetch task reports, after checking it failed at once on page 1 without retrying.
async fn error_for_status(status: u16, message: &str, description: &str, tracking_id: &str) -> String {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_json(webex_error_body(message, description, tracking_id)))
        .mount(&server)
        .await;

    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;

    assert_eq!(summary(&events), [format!("failed 1: HTTP {status}")], "a {status} is not retried");
    assert_eq!(requests(&server).await.len(), 1);
    let FetchEvent::Failed { error, .. } = &events[0] else { unreachable!() };
    let text = error.to_string();
    assert!(text.contains(&format!("HTTP {status}")), "{text}");
    assert!(text.contains(message.trim_end_matches('.')), "{text}");
    assert!(text.contains(description.trim_end_matches('.')), "{text}");
    assert!(text.contains(tracking_id), "{text}");
    assert!(!text.contains(TOKEN), "{text}");
    assert!(!text.contains('\n'), "{text}");
    text
}

#[tokio::test]
async fn error_400_text_has_status_message_tracking_id_and_hint() {
    let text = error_for_status(400, "Invalid request.", "Invalid max value", "ROUTER_400_abc").await;
    assert!(text.contains("check --location, --org-id, --phone-number"), "{text}");
}

#[tokio::test]
async fn error_401_text_has_status_message_tracking_id_and_hint() {
    let text = error_for_status(401, "Invalid access token.", "Authentication failed", "ROUTER_401_abc").await;
    assert!(text.contains("Unauthorized"), "{text}");
    assert!(text.contains("missing, invalid or expired") && text.contains("WEBEX_ACCESS_TOKEN"), "{text}");
}

#[tokio::test]
async fn error_403_text_has_status_message_tracking_id_and_hint() {
    let text = error_for_status(403, "Forbidden.", "Missing scope", "ROUTER_403_abc").await;
    assert!(text.contains("spark-admin:telephony_config_read"), "{text}");
}

#[tokio::test]
async fn error_404_text_has_status_message_tracking_id_and_hint() {
    let text = error_for_status(404, "Location not found.", "Location not found.", "ROUTER_404_abc").await;
    assert!(text.contains("Unknown location: check --location"), "{text}");
    // The same message and description are not shown twice.
    assert_eq!(text.matches("Location not found").count(), 1, "{text}");
}

#[tokio::test]
async fn error_without_a_body_tracking_id_uses_the_header() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(404).set_body_string("Not here").insert_header("TrackingID", "HDR_777"))
        .mount(&server)
        .await;
    let c = client(config(&server.uri()));
    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    assert!(
        matches!(&err, ApiError::Http { status: 404, tracking_id: Some(t), message: None, .. } if t == "HDR_777"),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(text.contains("HTTP 404") && text.contains("HDR_777") && text.contains("Unknown location"), "{text}");
}

#[tokio::test]
async fn server_text_in_errors_cannot_drive_the_terminal() {
    let server = MockServer::start().await;
    let body = webex_error_body("Bad\u{1b}[2J request\u{202e}", "", "TRK\u{1b}]0;owned\u{7}\nnext line");
    Mock::given(any()).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let c = client(config(&server.uri()));

    let err = c.get_page(&c.page_url(0)).await.unwrap_err();

    let text = err.to_string();
    assert!(!text.chars().any(wxpick::sanitize::is_unsafe), "{text:?}");
    assert!(text.contains("Bad\\u{1b}[2J request") && text.contains("TRK\\u{1b}]0;owned"), "{text:?}");
}

#[tokio::test]
async fn html_body_with_status_200_is_a_bad_reply() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("<html><body>Please sign in</body></html>", "text/html")
                .insert_header("TrackingID", "HTML_1"),
        )
        .mount(&server)
        .await;
    let c = client(config(&server.uri()));

    let err = c.get_page(&c.page_url(0)).await.unwrap_err();

    match &err {
        ApiError::BadReply { status: 200, detail, tracking_id, .. } => {
            assert!(detail.contains("not JSON"), "{detail}");
            assert_eq!(tracking_id.as_deref(), Some("HTML_1"));
        }
        other => panic!("expected BadReply, got {other:?}"),
    }
    assert!(!err.is_transient());
    let text = err.to_string();
    assert!(text.contains("HTTP 200") && text.contains("HTML_1"), "{text}");
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_a_bad_reply() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({ "items": [] })))
        .mount(&server)
        .await;
    let c = client(config(&server.uri()));
    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    assert!(
        matches!(&err, ApiError::BadReply { status: 200, detail, .. } if detail.contains("phoneNumbers")),
        "{err:?}"
    );
}

#[tokio::test]
async fn unknown_enum_values_and_extra_fields_are_kept() {
    let server = MockServer::start().await;
    let body = serde_json::json!({
        "phoneNumbers": [{
            "phoneNumber": "+12055550001",
            "state": "PORTING",
            "telephonyType": "SATELLITE_NUMBER",
            "isMainNumber": true,
            "newField": { "a": [1, 2] },
            "owner": { "id": "o1", "type": "ROBOT", "displayName": "Lobby", "badge": 7 },
        }],
        "pageInfo": { "total": 1 },
    });
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let c = client(config(&server.uri()));

    let reply = c.get_page(&c.page_url(0)).await.unwrap();

    assert_eq!(reply.numbers.len(), 1);
    let rec = &reply.numbers[0];
    assert_eq!(rec.state, State::Other);
    assert_eq!(rec.state_text(), "PORTING");
    assert_eq!(rec.type_text(), "SATELLITE_NUMBER");
    assert!(rec.is_main_number());
    let v = serde_json::to_value(rec).unwrap();
    assert_eq!(v["state"], "PORTING");
    assert_eq!(v["telephonyType"], "SATELLITE_NUMBER");
    assert_eq!(v["newField"], serde_json::json!({ "a": [1, 2] }));
    assert_eq!(v["owner"]["badge"], 7);
    assert_eq!(v["owner"]["displayName"], "Lobby");
    assert!(v.get("tollFreeNumber").is_none(), "fields the server did not send are not invented");
}

// ---------------------------------------------------------------------------------------------
// Retries and resuming
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn rate_limit_429_is_retried_after_retry_after() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1").set_body_json(webex_error_body(
            "Too many requests",
            "slow down",
            "RL_1",
        )))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let all = make_numbers(3);
    mount_paged(&server, Paged::new(&all, Links::None)).await;
    let cfg = config(&server.uri());
    let cap = cfg.retry.max_retry_after;

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["retrying 1: HTTP 429", "page 1: 3", "done 1"]);
    let FetchEvent::Retrying { wait, error, .. } = &events[0] else { unreachable!() };
    assert!(matches!(error, ApiError::Http { retry_after: Some(1), .. }), "Retry-After was read: {error:?}");
    // Retry-After: 1 asks for one second; the test's policy caps that to its small maximum.
    assert_eq!(*wait, Duration::from_secs(1).min(cap));
    assert_each_once(&received_numbers(&events), &all);
    assert_eq!(starts(&server).await, [None, None, Some("3".to_string())], "page 1 asked again, then the rest");
}

#[tokio::test]
async fn service_unavailable_twice_then_success() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_json(webex_error_body("Service Unavailable", "", "U_1")))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    let all = make_numbers(4);
    mount_paged(&server, Paged::new(&all, Links::None)).await;
    let mut cfg = config(&server.uri());
    cfg.retry.max_retries = 2;

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["retrying 1: HTTP 503", "retrying 1: HTTP 503", "page 1: 4", "done 1"]);
    assert_each_once(&received_numbers(&events), &all);
    assert_eq!(starts(&server).await, [None, None, None, Some("4".to_string())]);
}

#[tokio::test]
async fn service_unavailable_gives_up_after_max_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_json(webex_error_body("Service Unavailable", "", "U_2")))
        .mount(&server)
        .await;
    let mut cfg = config(&server.uri());
    cfg.retry.max_retries = 2;

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["retrying 1: HTTP 503", "retrying 1: HTTP 503", "failed 1: HTTP 503"]);
    assert_eq!(requests(&server).await.len(), 3);
    let FetchEvent::Failed { error, resume, .. } = &events[2] else { unreachable!() };
    assert_eq!(resume.page(), 1);
    assert!(error.to_string().contains("U_2"), "{error}");
}

/// A server whose page at `start=20` fails with 500 while `broken` is set.
struct Outage {
    broken: Arc<AtomicBool>,
    inner: Paged,
}

impl Respond for Outage {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let at_20 = req.url.query_pairs().any(|(k, v)| k == "start" && v == "20");
        if at_20 && self.broken.load(Ordering::SeqCst) {
            return ResponseTemplate::new(500).set_body_json(webex_error_body("Internal error", "", "E500"));
        }
        self.inner.respond(req)
    }
}

/// Page 2 fails for good; the pages before it arrive, then `Failed { page: 2 }`; after the
/// server recovers, the resume point fetches the rest.
async fn failing_middle_page_then_resume(links: fn(&MockServer) -> Links) {
    let server = MockServer::start().await;
    let all = make_numbers(50);
    let broken = Arc::new(AtomicBool::new(true));
    let links = links(&server);
    let without_links = matches!(links, Links::None);
    let outage = Outage { broken: broken.clone(), inner: Paged::new(&all, links) };
    Mock::given(method("GET")).respond_with(outage).mount(&server).await;
    let mut cfg = config(&server.uri());
    cfg.page_size = Some(20);
    cfg.retry.max_retries = 0;
    let c = client(cfg);

    let first = fetch_all(c.clone(), Resume::start()).await;

    assert_eq!(summary(&first), ["page 1: 20", "failed 2: HTTP 500"]);
    let FetchEvent::Failed { resume, error, .. } = &first[1] else { unreachable!() };
    assert_eq!(resume.page(), 2);
    assert!(error.to_string().contains("E500"), "{error}");

    broken.store(false, Ordering::SeqCst);
    let second = fetch_all(c, resume.clone()).await;

    assert_eq!(summary(&second), ["page 2: 20", "page 3: 10", "done 3"]);
    let mut got = received_numbers(&first);
    got.extend(received_numbers(&second));
    assert_each_once(&got, &all);
    let mut expected = vec![None, Some("20".to_string()), Some("20".into()), Some("40".into())];
    if without_links {
        expected.push(Some("50".into())); // The empty page that ends a list without links.
    }
    assert_eq!(starts(&server).await, expected);
}

#[tokio::test]
async fn failing_middle_page_without_links_then_resume() {
    failing_middle_page_then_resume(|_| Links::None).await;
}

#[tokio::test]
async fn failing_middle_page_with_links_then_resume() {
    failing_middle_page_then_resume(|s| Links::Absolute(s.uri())).await;
}

/// A list that never ends: every page holds ten new numbers.
struct Endless;

impl Respond for Endless {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let start: usize = req.url.query_pairs().find(|(k, _)| k == "start").map_or(0, |(_, v)| v.parse().unwrap());
        let page: Vec<String> = (start..start + 10).map(|i| format!("+1205{i:07}")).collect();
        ResponseTemplate::new(200).set_body_json(page_body(&page))
    }
}

#[tokio::test]
async fn dropping_the_receiver_stops_the_fetch_task() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(Endless).mount(&server).await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = spawn_fetch::<wxpick::numbers::record::NumberRecord, _>(
        client(config(&server.uri())),
        Resume::start(),
        tx,
        |e| e,
    );

    let first = tokio::time::timeout(GUARD, rx.recv()).await.unwrap();
    assert!(matches!(first, Some(FetchEvent::Page { page: 1, .. })), "{first:?}");
    drop(rx);

    // The list never ends, so only the closed channel can stop the task.
    tokio::time::timeout(GUARD, task).await.expect("the task ends once nobody listens").unwrap();
}

// ---------------------------------------------------------------------------------------------
// The token stays home; the body size is bounded
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn next_link_to_another_host_is_refused() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[]))).mount(&foreign).await;
    let all = make_numbers(3);
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_body(&all))
                .insert_header("Link", format!("<{}{PATH}?start=3>; rel=\"next\"", foreign.uri())),
        )
        .mount(&server)
        .await;
    let c = client(config(&server.uri()));

    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    match &err {
        ApiError::ForeignLink { expected, got } => {
            assert_eq!(expected, &server.uri());
            assert_eq!(got, &foreign.uri());
        }
        other => panic!("expected ForeignLink, got {other:?}"),
    }
    assert!(!err.to_string().contains(TOKEN));

    // The fetch keeps the page and goes on by offset (issue 12); this server serves the same
    // page again, so the list ends there. Nothing goes to the other host either way.
    let events = fetch_all(c, Resume::start()).await;
    assert_eq!(summary(&events), ["page 1: 3", "page 2: 3", "done 2"]);
    assert!(requests(&foreign).await.is_empty(), "nothing was sent to the other host");
}

#[tokio::test]
async fn next_link_with_another_scheme_or_port_on_the_same_host_is_refused() {
    for other_scheme in [true, false] {
        let server = MockServer::start().await;
        let port = server.address().port();
        let target = if other_scheme {
            format!("https://127.0.0.1:{port}{PATH}")
        } else {
            format!("http://127.0.0.1:{}{PATH}", port ^ 1)
        };
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(page_body(&make_numbers(1)))
                    .insert_header("Link", format!("<{target}>; rel=\"next\"")),
            )
            .mount(&server)
            .await;
        let c = client(config(&server.uri()));
        let err = c.get_page(&c.page_url(0)).await.unwrap_err();
        assert!(matches!(err, ApiError::ForeignLink { .. }), "{target}: {err:?}");
    }
}

#[tokio::test]
async fn redirect_to_another_host_does_not_carry_the_token() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&make_numbers(1))))
        .mount(&foreign)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("Location", format!("{}/elsewhere", foreign.uri())))
        .mount(&server)
        .await;
    let c = client(config(&server.uri()));

    let _ = c.get_page(&c.page_url(0)).await;

    assert_eq!(header(&requests(&server).await[0], "authorization"), Some(format!("Bearer {TOKEN}").as_str()));
    // The redirect is followed (one request reaches the other host), without the token.
    let foreign_reqs = requests(&foreign).await;
    assert_eq!(foreign_reqs.len(), 1, "the redirect was followed once");
    for r in foreign_reqs {
        assert_eq!(header(&r, "authorization"), None, "the token followed a redirect to {}", r.url);
    }
}

#[tokio::test]
async fn body_larger_than_the_limit_is_refused() {
    const LIMIT: u64 = 1 << 20;
    let server = MockServer::start().await;
    // A valid page padded with whitespace: only its size is wrong.
    let padded = |len: usize| {
        let mut body = serde_json::to_vec(&page_body(&make_numbers(2))).unwrap();
        body.resize(len, b' ');
        body
    };
    Mock::given(query_param("start", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(padded(LIMIT as usize), "application/json"))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(padded(LIMIT as usize + 1), "application/json"))
        .mount(&server)
        .await;
    let c = client(ClientConfig { max_body_bytes: LIMIT, ..config(&server.uri()) });

    let at_limit = c.get_page(&c.page_url(1)).await.expect("a body of exactly the limit is read");
    assert_eq!(at_limit.numbers.len(), 2);

    let err = c.get_page(&c.page_url(2)).await.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { limit_bytes: 1048576 }), "{err:?}");
    assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
}

/// A one-shot HTTP/1.1 server that sends `total` bytes of whitespace in chunks, with no
/// Content-Length, so only counting while reading can stop it.
async fn chunked_whitespace_server(total: usize) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut req = Vec::new();
        let mut buf = [0u8; 4096];
        while !req.windows(4).any(|w| w == b"\r\n\r\n") {
            match sock.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => req.extend_from_slice(&buf[..n]),
            }
        }
        let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
        if sock.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let chunk = vec![b' '; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            let n = chunk.len().min(total - sent);
            let framed = [format!("{n:x}\r\n").as_bytes(), &chunk[..n], b"\r\n"].concat();
            if sock.write_all(&framed).await.is_err() {
                return; // The client stopped reading: expected.
            }
            sent += n;
        }
        let _ = sock.write_all(b"0\r\n\r\n").await;
    });
    addr
}

#[tokio::test]
async fn chunked_body_larger_than_the_limit_is_refused() {
    const LIMIT: u64 = 1 << 20;
    for (total, too_large) in [(LIMIT as usize, false), (LIMIT as usize + 1, true)] {
        let addr = chunked_whitespace_server(total).await;
        let c = client(ClientConfig { max_body_bytes: LIMIT, ..config(&format!("http://{addr}")) });
        let res = c.get_page(&c.page_url(0)).await;
        if too_large {
            assert!(matches!(res, Err(ApiError::TooLarge { limit_bytes: 1048576 })), "{total}: {res:?}");
        } else {
            // All whitespace, read in full: not a page (issue 12: an empty 200 is a bad reply).
            assert!(matches!(res, Err(ApiError::BadReply { kind: BadReplyKind::Empty, .. })), "{total}: {res:?}");
        }
    }
}

#[tokio::test]
async fn connection_refused_is_a_network_error_naming_the_host() {
    // A bound socket that does not listen: its port is held, and connections to it are refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let mut cfg = config(&format!("http://{addr}"));
    cfg.retry.max_retries = 0;
    let events = fetch_all(client(cfg), Resume::start()).await;
    assert_eq!(summary(&events), ["failed 1: Network"]);
    let FetchEvent::Failed { error, .. } = &events[0] else { unreachable!() };
    // The host and the port, and what happened in words (not `Connection refused (os error 111)`).
    let expected = format!("cannot connect to {addr}: connection refused. ");
    assert!(error.to_string().starts_with(&expected), "{error}");
    assert!(error.is_transient());
}

// ---------------------------------------------------------------------------------------------
// The embedded demo server
// ---------------------------------------------------------------------------------------------

async fn demo_server(size: Option<usize>) -> demo::DemoServer {
    demo::start(DemoOptions { size, latency: Duration::ZERO, page_cap: DEMO_PAGE_CAP, ..DemoOptions::default() })
        .await
        .unwrap()
}

fn demo_config(server: &demo::DemoServer, token: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new(server.base_url.clone(), DEMO_LOCATION, Token::new(token).unwrap());
    cfg.retry.max_retries = 0;
    cfg
}

#[tokio::test]
async fn demo_server_pages_deliver_every_demo_number_once() {
    let server = demo_server(None).await;
    let expected: Vec<String> = demo::demo_location_records(None).iter().map(|r| r.phone_number.to_string()).collect();
    assert_eq!(server.numbers, expected.len());
    let mut cfg = demo_config(&server, DEMO_TOKEN);
    cfg.page_size = Some(700); // Above the demo's cap of 500.

    let events = fetch_all(client(cfg), Resume::start()).await;

    let pages = expected.len().div_ceil(DEMO_PAGE_CAP);
    assert_eq!(summary(&events).last().cloned(), Some(format!("done {pages}")));
    assert!(summary(&events).iter().take(pages - 1).all(|s| s.ends_with(&format!(": {DEMO_PAGE_CAP}"))));
    assert_each_once(&received_numbers(&events), &expected);
}

#[tokio::test]
async fn demo_server_phone_number_query_selects_those_numbers() {
    let server = demo_server(None).await;
    let records = demo::demo_location_records(None);
    let wanted = [records[3].phone_number.to_string(), records[records.len() - 1].phone_number.to_string()];
    let mut cfg = demo_config(&server, DEMO_TOKEN);
    cfg.phone_numbers = Some(wanted.join(","));

    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(summary(&events), ["page 1: 2", "done 1"]);
    assert_each_once(&received_numbers(&events), &wanted);
}

#[tokio::test]
async fn demo_server_refuses_a_wrong_token_with_401() {
    let server = demo_server(Some(10)).await;
    let c = client(demo_config(&server, "not-the-demo-token"));
    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 401, .. }), "{err:?}");
    let text = err.to_string();
    assert!(text.contains("HTTP 401") && text.contains("WXPICK_DEMO") && text.contains("expired"), "{text}");
    assert!(!text.contains("not-the-demo-token"), "{text}");
}

#[tokio::test]
async fn demo_server_unknown_location_is_404() {
    let server = demo_server(Some(10)).await;
    let cfg = ClientConfig { ids: Ids::location("nowhere"), ..demo_config(&server, DEMO_TOKEN) };
    let c = client(cfg);
    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    assert!(matches!(err, ApiError::Http { status: 404, .. }), "{err:?}");
    assert!(err.to_string().contains("Unknown location"), "{err}");
}

/// A raw HTTP/1.1 server that answers each connection, in turn, with the next of `replies`
/// (bytes written as they are, then the connection is closed).
async fn scripted_server(replies: Vec<Vec<u8>>) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        for reply in replies {
            let Ok((mut sock, _)) = listener.accept().await else { return };
            let mut req = Vec::new();
            let mut buf = [0u8; 4096];
            while !req.windows(4).any(|w| w == b"\r\n\r\n") {
                match sock.read(&mut buf).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => req.extend_from_slice(&buf[..n]),
                }
            }
            let _ = sock.write_all(&reply).await;
            let _ = sock.shutdown().await;
        }
    });
    addr
}

fn http_reply(body: &str, declared_len: usize) -> Vec<u8> {
    format!("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {declared_len}\r\nConnection: close\r\n\r\n{body}")
        .into_bytes()
}

#[tokio::test]
async fn a_connection_dropped_mid_body_is_retried() {
    let numbers = make_numbers(3);
    let full = page_body(&numbers).to_string();
    let cut = &full[..full.len() / 2];
    let empty = page_body(&Vec::<String>::new()).to_string();
    let addr = scripted_server(vec![
        http_reply(cut, full.len()), // promises more than it sends, then hangs up
        http_reply(&full, full.len()),
        http_reply(&empty, empty.len()),
    ])
    .await;
    let events = fetch_all(client(config(&format!("http://{addr}"))), Resume::start()).await;
    let s = summary(&events);
    assert_eq!(s[1..], ["page 1: 3", "done 1"], "{s:?}");
    assert!(s[0].starts_with("retrying 1"), "{s:?}");
    match &events[0] {
        FetchEvent::Retrying { error, .. } => assert!(error.is_transient(), "{error:?}"),
        other => panic!("{other:?}"),
    }
    assert_each_once(&received_numbers(&events), &numbers);
}

#[tokio::test]
async fn a_page_slower_than_the_timeout_fails_with_a_timeout() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&make_numbers(2))).set_delay(GUARD))
        .mount(&server)
        .await;
    let mut cfg = config(&server.uri());
    cfg.timeout = Duration::from_millis(300);
    cfg.retry.max_retries = 1;
    let events = fetch_all(client(cfg), Resume::start()).await;
    let s = summary(&events);
    assert_eq!(s.len(), 2, "{s:?}");
    assert!(s[0].starts_with("retrying 1"), "a timeout may pass, so it is retried: {s:?}");
    match &events[1] {
        FetchEvent::Failed { page: 1, error: ApiError::Timeout { .. }, .. } => {}
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn cancelling_does_not_wait_for_a_slow_server() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&make_numbers(2))).set_delay(GUARD * 4))
        .mount(&server)
        .await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = spawn_fetch::<wxpick::numbers::record::NumberRecord, _>(
        client(config(&server.uri())),
        Resume::start(),
        tx,
        |e| e,
    );
    // Wait until the request is at the server, then cancel the task.
    tokio::time::timeout(GUARD, async {
        while requests(&server).await.is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the request reaches the server");
    task.abort();
    let joined = tokio::time::timeout(GUARD, task).await.expect("the task ends without waiting for the server");
    assert!(joined.unwrap_err().is_cancelled());
    assert!(rx.recv().await.is_none(), "no event after cancelling");
}

// ---------------------------------------------------------------------------------------------
// Owners and extensions (the lists of issue 10)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn owner_and_extension_records_of_a_workspace_list_are_read_whole() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"phoneNumbers": [
        {"phoneNumber": "+12055550001", "state": "ACTIVE", "isMainNumber": false, "tollFreeNumber": false,
         "telephonyType": "PSTN_NUMBER", "isServiceNumber": false, "extension": "1001",
         "owner": {"id": "OWN1", "type": "PLACE", "displayName": "Lobby"}},
        {"phoneNumber": "+12055550002", "state": "ACTIVE", "extension": "1002",
         "owner": {"id": "OWN2", "type": "HOLOGRAM_DESK", "firstName": "Ada", "lastName": "Lovelace", "badge": 7}},
        {"phoneNumber": "+447700900001", "state": "INACTIVE", "telephonyType": "MOBILE_NUMBER",
         "mobileNetwork": "Net", "routingProfile": "Rt", "includedTelephonyTypes": "MOBILE_NUMBER"},
    ]});
    Mock::given(method("GET"))
        .and(query_param("start", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"phoneNumbers": []})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(body)).mount(&server).await;
    let endpoint = wxpick::webex::endpoint::by_kind("workspace-forward").unwrap();
    let mut cfg = config(&server.uri());
    cfg.endpoint = endpoint;
    cfg.ids = Ids { workspace: Some("WS1".into()), ..Ids::default() };
    cfg.extra_query = vec![("ownerName".into(), "lobby".into())];
    let events = fetch_all(client(cfg), Resume::start()).await;
    let records: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Page { numbers, .. } => Some(numbers.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(records.len(), 3, "{events:?}");
    let [lobby, ada, mobile] = &records[..] else { unreachable!() };
    assert_eq!(lobby.extension(), Some("1001"));
    assert_eq!(lobby.owner().unwrap().name().as_deref(), Some("Lobby"));
    assert_eq!(lobby.owner().unwrap().owner_type(), Some("PLACE"));
    // An owner type Webex may add later, and an owner field it may add, are kept.
    assert_eq!(ada.owner().unwrap().owner_type(), Some("HOLOGRAM_DESK"));
    assert_eq!(ada.owner().unwrap().name().as_deref(), Some("Ada Lovelace"));
    assert_eq!(ada.owner().unwrap().extra().get("badge"), Some(&serde_json::json!(7)));
    assert!(ada.fault().is_none() && mobile.fault().is_none());
    assert_eq!(mobile.telephony_type, wxpick::numbers::record::TelephonyType::Mobile);
    let json = serde_json::to_value(mobile).unwrap();
    assert_eq!((json["mobileNetwork"].as_str(), json["routingProfile"].as_str()), (Some("Net"), Some("Rt")));
    let reqs = requests(&server).await;
    assert_eq!(reqs[0].url.path(), "/v1/telephony/config/workspaces/WS1/callForwarding/availableNumbers");
    assert_eq!(reqs[0].url.query(), Some("ownerName=lobby"));
}
