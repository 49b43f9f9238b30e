//! Paging by offset with several requests in flight (`ClientConfig::concurrency`): pages still
//! arrive in order, each number once, the list ends where one-at-a-time paging ends it, and a
//! 429 brings the fetch down to one request at a time.

mod common;

use common::{fetch_all, received_numbers};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::Url;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};
use wxpick::demo::{self, DEMO_LOCATION, DEMO_TOKEN, DemoOptions};
use wxpick::webex::{ApiClient, ClientConfig, FetchEvent, Resume, RetryPolicy, Token};

fn numbers(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("+1312555{i:04}")).collect()
}

fn page_body(numbers: &[String]) -> serde_json::Value {
    let records: Vec<_> = numbers
        .iter()
        .map(|n| serde_json::json!({ "phoneNumber": n, "state": "ACTIVE", "isMainNumber": false }))
        .collect();
    serde_json::json!({ "phoneNumbers": records })
}

fn start_of(req: &Request) -> usize {
    req.url.query_pairs().find(|(k, _)| k == "start").map_or(0, |(_, v)| v.parse().unwrap())
}

/// One request as the server saw it: when it arrived, its `start`, the status sent, and how
/// long the reply took.
type Arrival = (Instant, usize, u16, Duration);

/// A server of a fixed list by `start` and `max`, with no `Link` headers unless `links`; each
/// reply waits `delay(start)`, and every request's arrival is logged.
struct Paged {
    numbers: Vec<String>,
    cap: usize,
    /// Other page lengths at these offsets (a server whose page size changes).
    lengths: HashMap<usize, usize>,
    links: Option<String>,
    ignore_start: bool,
    /// Status codes to send instead, once each, at these offsets.
    errors: Mutex<HashMap<usize, Vec<u16>>>,
    delay: fn(usize) -> Duration,
    log: Arc<Mutex<Vec<Arrival>>>,
}

impl Paged {
    fn new(numbers: Vec<String>, cap: usize) -> Self {
        Paged {
            numbers,
            cap,
            lengths: HashMap::new(),
            links: None,
            ignore_start: false,
            errors: Mutex::new(HashMap::new()),
            delay: |_| Duration::ZERO,
            log: Arc::default(),
        }
    }
}

impl Respond for Paged {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        let start = if self.ignore_start { 0 } else { start_of(req) };
        let delay = (self.delay)(start);
        if let Some(status) = self.errors.lock().unwrap().get_mut(&start).and_then(Vec::pop) {
            self.log.lock().unwrap().push((Instant::now(), start, status, Duration::ZERO));
            // Errors come back at once, before the replies sent with them.
            return ResponseTemplate::new(status)
                .insert_header("Retry-After", "1")
                .set_body_json(serde_json::json!({ "message": "not now", "trackingId": "T" }));
        }
        self.log.lock().unwrap().push((Instant::now(), start, 200, delay));
        let len = self.lengths.get(&start).copied().unwrap_or(self.cap);
        let page: Vec<String> = self.numbers.iter().skip(start).take(len).cloned().collect();
        let next = start + page.len();
        let mut t = ResponseTemplate::new(200).set_body_json(page_body(&page)).set_delay(delay);
        if let Some(base) = &self.links
            && !page.is_empty()
            && next < self.numbers.len()
        {
            t = t.insert_header("Link", format!("<{base}{}?start={next}>; rel=\"next\"", req.url.path()));
        }
        t
    }
}

async fn serve(paged: Paged) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any()).respond_with(paged).mount(&server).await;
    server
}

fn client(server_uri: &str, concurrency: usize) -> Arc<ApiClient> {
    let base = Url::parse(&format!("{server_uri}/v1")).unwrap();
    let mut cfg = ClientConfig::new(base, "LOC1", Token::new("tok-0123456789").unwrap());
    cfg.concurrency = concurrency;
    cfg.retry = RetryPolicy {
        max_retries: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_millis(50),
    };
    Arc::new(ApiClient::new(cfg).unwrap())
}

fn summary(events: &[FetchEvent]) -> Vec<String> {
    events
        .iter()
        .map(|e| match e {
            FetchEvent::Page { page, numbers } => format!("page {page}: {}", numbers.len()),
            FetchEvent::Retrying { page, .. } => format!("retrying {page}"),
            FetchEvent::Done { pages, .. } => format!("done {pages}"),
            FetchEvent::Failed { page, .. } => format!("failed {page}"),
        })
        .collect()
}

/// The pages, done and failed events, without the retries (whose order varies).
fn outcome(events: &[FetchEvent]) -> Vec<String> {
    summary(events).into_iter().filter(|s| !s.starts_with("retrying")).collect()
}

fn assert_each_once_in_order(got: &[String], expected: &[String]) {
    assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len(), "a number arrived twice");
    assert_eq!(got, expected);
}

/// Whether a request in `log` arrived before the one before it was answered.
fn overlapping(log: &[Arrival]) -> bool {
    log.windows(2).any(|w| w[1].0 < w[0].0 + w[0].3)
}

#[tokio::test]
async fn pages_arrive_in_order_each_number_once_whatever_order_the_replies_come_in() {
    let all = numbers(1000);
    for concurrency in [1, 2, 4, 8] {
        let mut paged = Paged::new(all.clone(), 37);
        // Early pages answer last: replies come back out of order.
        paged.delay = |start| Duration::from_millis(20 + (7 - start as u64 / 37 % 8) * 5);
        let log = Arc::clone(&paged.log);
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        let pages = all.len().div_ceil(37);
        let expected: Vec<String> =
            (1..=pages).map(|p| format!("page {p}: {}", if p < pages { 37 } else { 1000 % 37 })).collect();
        assert_eq!(outcome(&events)[..pages], expected[..], "concurrency {concurrency}");
        assert_eq!(outcome(&events)[pages], format!("done {pages}"), "concurrency {concurrency}");
        assert_each_once_in_order(&received_numbers(&events), &all);
        let log = log.lock().unwrap();
        assert_eq!(overlapping(&log), concurrency > 1, "concurrency {concurrency}");
    }
}

#[tokio::test]
async fn a_short_page_in_the_middle_loses_nothing() {
    let all = numbers(300);
    for concurrency in [1, 4] {
        let mut paged = Paged::new(all.clone(), 40);
        // The page at 80 holds 25 numbers: the next one starts at 105, not 120.
        paged.lengths.insert(80, 25);
        paged.delay = |_| Duration::from_millis(5);
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        assert_each_once_in_order(&received_numbers(&events), &all);
        assert_eq!(outcome(&events)[2], "page 3: 25");
        assert!(outcome(&events).last().unwrap().starts_with("done"), "{:?}", summary(&events));
    }
}

#[tokio::test]
async fn a_first_page_longer_than_the_rest_loses_nothing() {
    let all = numbers(300);
    for concurrency in [1, 4] {
        let mut paged = Paged::new(all.clone(), 20);
        paged.lengths.insert(0, 50);
        paged.delay = |_| Duration::from_millis(5);
        let log = Arc::clone(&paged.log);
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        assert_each_once_in_order(&received_numbers(&events), &all);
        assert_eq!(outcome(&events).last().map(String::as_str), Some("done 14"));
        // Once the page length is known to have changed, the offsets asked for follow it: at
        // most one window of requests was asked at the first page's length.
        let wasted = log.lock().unwrap().iter().filter(|r| r.1 > 50 && (r.1 - 50) % 20 != 0).count();
        assert!(wasted <= 2 * concurrency, "{wasted} requests at wrong offsets");
    }
}

/// A server with numbers behind a gap: after an empty page, more pages. The list ends at the
/// empty page, with N requests in flight as with one.
struct Gap(Paged);

impl Respond for Gap {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        if start_of(req) == 100 {
            return ResponseTemplate::new(200).set_body_json(page_body(&[]));
        }
        self.0.respond(req)
    }
}

#[tokio::test]
async fn the_first_empty_page_ends_the_list_and_later_replies_are_dropped() {
    let all = numbers(300);
    for concurrency in [1, 4] {
        let server = MockServer::start().await;
        Mock::given(wiremock::matchers::any()).respond_with(Gap(Paged::new(all.clone(), 20))).mount(&server).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        assert_eq!(summary(&events), ["page 1: 20", "page 2: 20", "page 3: 20", "page 4: 20", "page 5: 20", "done 5"]);
        assert_each_once_in_order(&received_numbers(&events), &all[..100]);
    }
}

#[tokio::test]
async fn a_server_ignoring_start_does_not_loop() {
    for concurrency in [1, 4] {
        let mut paged = Paged::new(numbers(80), 30);
        paged.ignore_start = true;
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        assert_eq!(summary(&events), ["page 1: 30", "page 2: 30", "done 2"], "concurrency {concurrency}");
    }
}

#[tokio::test]
async fn after_a_429_one_request_at_a_time() {
    const D: Duration = Duration::from_millis(60);
    let all = numbers(400);
    let mut paged = Paged::new(all.clone(), 20);
    paged.delay = |_| D;
    // The fourth page is rate limited twice.
    paged.errors.lock().unwrap().insert(60, vec![429, 429]);
    let log = Arc::clone(&paged.log);
    let server = serve(paged).await;

    let events = fetch_all(client(&server.uri(), 4), Resume::start()).await;

    assert_each_once_in_order(&received_numbers(&events), &all);
    assert_eq!(summary(&events).iter().filter(|s| *s == "retrying 4").count(), 2, "{:?}", summary(&events));
    let log = log.lock().unwrap();
    let t429 = log.iter().find(|r| r.2 == 429).expect("a 429 was sent").0;
    // The requests sent together with the rate-limited one arrive within a few milliseconds.
    let before: Vec<_> = log.iter().filter(|r| r.0 < t429 + D / 2).copied().collect();
    assert!(overlapping(&before), "requests overlapped before the 429: {before:?}");
    // Those may still be out when the 429 comes back; every request after them waits for the
    // one before it to be answered.
    let after: Vec<_> = log.iter().filter(|r| r.0 > t429 + D / 2).copied().collect();
    assert!(after.len() > 10, "{after:?}");
    assert!(!overlapping(&after), "requests overlapped after the 429: {after:?}");
}

#[tokio::test]
async fn a_page_that_fails_for_good_ends_in_order_and_resumes_there() {
    let all = numbers(200);
    let mut paged = Paged::new(all.clone(), 20);
    // The page at 60 fails once, and no retry is allowed; the pages after it answer later.
    paged.errors.lock().unwrap().insert(60, vec![500]);
    paged.delay = |_| Duration::from_millis(20);
    let server = serve(paged).await;
    let base = Url::parse(&format!("{}/v1", server.uri())).unwrap();
    let mut cfg = ClientConfig::new(base, "LOC1", Token::new("tok-0123456789").unwrap());
    cfg.retry.max_retries = 0;
    let c = Arc::new(ApiClient::new(cfg).unwrap());

    let first = fetch_all(Arc::clone(&c), Resume::start()).await;

    assert_eq!(summary(&first), ["page 1: 20", "page 2: 20", "page 3: 20", "failed 4"]);
    let FetchEvent::Failed { resume, .. } = first.last().unwrap() else { unreachable!() };
    assert_eq!(resume.page(), 4);
    let second = fetch_all(c, resume.clone()).await;
    let mut got = received_numbers(&first);
    got.extend(received_numbers(&second));
    assert_each_once_in_order(&got, &all);
    assert_eq!(summary(&second).first().map(String::as_str), Some("page 4: 20"));
}

#[tokio::test]
async fn with_link_headers_one_request_at_a_time() {
    const D: Duration = Duration::from_millis(30);
    let all = numbers(200);
    let server = MockServer::start().await;
    let mut paged = Paged::new(all.clone(), 20);
    paged.links = Some(server.uri());
    paged.delay = |_| D;
    let log = Arc::clone(&paged.log);
    Mock::given(wiremock::matchers::any()).respond_with(paged).mount(&server).await;

    let events = fetch_all(client(&server.uri(), 8), Resume::start()).await;

    assert_each_once_in_order(&received_numbers(&events), &all);
    assert_eq!(summary(&events).last().map(String::as_str), Some("done 10"));
    assert!(!overlapping(&log.lock().unwrap()));
}

#[tokio::test]
async fn the_demo_server_without_links_pages_by_offset() {
    let opts = DemoOptions {
        size: Some(5000),
        latency: Duration::from_millis(5),
        link_headers: false,
        ..DemoOptions::default()
    };
    let server = demo::start(opts).await.unwrap();
    let expected: Vec<String> = demo::demo_records(Some(5000)).iter().map(|r| r.phone_number.to_string()).collect();
    for concurrency in [1, 4] {
        let mut cfg = ClientConfig::new(server.base_url.clone(), DEMO_LOCATION, Token::new(DEMO_TOKEN).unwrap());
        cfg.concurrency = concurrency;
        let events = fetch_all(Arc::new(ApiClient::new(cfg).unwrap()), Resume::start()).await;
        assert_each_once_in_order(&received_numbers(&events), &expected);
        assert_eq!(summary(&events).last().map(String::as_str), Some("done 10"));
    }
}
