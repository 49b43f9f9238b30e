//! Paging by offset with several requests in flight (`ClientConfig::concurrency`): pages still
//! arrive in order, each number once, the list ends where one-at-a-time paging ends it, and a
//! 429 brings the fetch down to one request at a time.

mod common;

use common::{fetch_all, page_body, received_numbers};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Json, Response};
use reqwest::Url;
use wxpick::demo::{self, DEMO_LOCATION, DEMO_TOKEN, DemoOptions};
use wxpick::webex::{ApiClient, ClientConfig, FetchEvent, Resume, RetryPolicy, Token};

fn numbers(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("+1312555{i:04}")).collect()
}

/// One request as the server saw it.
#[derive(Clone, Copy, Debug)]
enum Event {
    /// A request arrived: its number (in order of arrival), its `start`, the status it gets, and
    /// how many requests were in flight with it (itself included).
    Arrived { id: usize, start: usize, status: u16, in_flight: usize },
    /// The reply to request `id` was sent (the handler returned).
    Answered { id: usize },
}

/// Counts requests in flight, logs every arrival and answer in order, and keeps the most ever in
/// flight at once (in a watch, so a request can wait for it).
#[derive(Default)]
struct Tally {
    state: Mutex<(usize, usize, Vec<Event>)>, // (in flight, next id, log)
    most: tokio::sync::watch::Sender<usize>,
}

impl Tally {
    fn arrive(&self, start: usize, status: u16) -> usize {
        let mut st = self.state.lock().unwrap();
        st.0 += 1;
        let (in_flight, id) = (st.0, st.1);
        st.1 += 1;
        st.2.push(Event::Arrived { id, start, status, in_flight });
        self.most.send_modify(|m| *m = (*m).max(in_flight));
        id
    }

    fn answer(&self, id: usize) {
        let mut st = self.state.lock().unwrap();
        st.0 -= 1;
        st.2.push(Event::Answered { id });
    }
}

/// A request in flight: answered when dropped, also when the client goes away before its reply.
struct InFlight<'a>(&'a Tally, usize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.answer(self.1);
    }
}

impl Tally {
    fn log(&self) -> Vec<Event> {
        self.state.lock().unwrap().2.clone()
    }

    /// The most requests that were ever in flight at once.
    fn most(&self) -> usize {
        *self.most.borrow()
    }
}

/// The arrivals in `log`: (id, start, status, in flight).
fn arrivals(log: &[Event]) -> Vec<(usize, usize, u16, usize)> {
    log.iter()
        .filter_map(|e| match *e {
            Event::Arrived { id, start, status, in_flight } => Some((id, start, status, in_flight)),
            Event::Answered { .. } => None,
        })
        .collect()
}

/// How long a request is held waiting for others to arrive before it is answered anyway: only
/// a bound on a hang (a client that does not send them together then fails the test's
/// concurrency assertion, after this wait).
const HOLD_GUARD: Duration = Duration::from_secs(10);

/// A server of a fixed list by `start` and `max`, with no `Link` headers unless `links`; each
/// reply waits `delay(start)`, and every request is tallied.
struct Paged {
    numbers: Vec<String>,
    cap: usize,
    /// Other page lengths at these offsets (a server whose page size changes).
    lengths: HashMap<usize, usize>,
    /// `Link` headers to the next page, on this server.
    links: bool,
    ignore_start: bool,
    /// An empty page at this offset, with more numbers behind it.
    empty_at: Option<usize>,
    /// Status codes to send instead, once each, at these offsets.
    errors: Mutex<HashMap<usize, Vec<u16>>>,
    delay: fn(usize) -> Duration,
    /// Every request after the first is held until this many have been in flight at once (so
    /// requests sent together are seen together, however slowly they travel).
    window: usize,
    tally: Arc<Tally>,
}

impl Paged {
    fn new(numbers: Vec<String>, cap: usize) -> Self {
        Paged {
            numbers,
            cap,
            lengths: HashMap::new(),
            links: false,
            ignore_start: false,
            empty_at: None,
            errors: Mutex::new(HashMap::new()),
            delay: |_| Duration::ZERO,
            window: 1,
            tally: Arc::default(),
        }
    }
}

/// A running [`Paged`] server on 127.0.0.1; it stops with the test's runtime.
struct Served {
    uri: String,
}

impl Served {
    fn uri(&self) -> String {
        self.uri.clone()
    }
}

fn query_num(uri: &Uri, key: &str) -> Option<usize> {
    let query = uri.query().unwrap_or("");
    url::form_urlencoded::parse(query.as_bytes()).find(|(k, _)| k == key).map(|(_, v)| v.parse().unwrap())
}

async fn reply(State((paged, base)): State<(Arc<Paged>, String)>, uri: Uri) -> Response {
    let start = if paged.ignore_start { 0 } else { query_num(&uri, "start").unwrap_or(0) };
    let error = paged.errors.lock().unwrap().get_mut(&start).and_then(Vec::pop);
    let in_flight = InFlight(&paged.tally, paged.tally.arrive(start, error.unwrap_or(200)));
    if in_flight.1 > 0 {
        let mut most = paged.tally.most.subscribe();
        let _ = tokio::time::timeout(HOLD_GUARD, most.wait_for(|m| *m >= paged.window)).await;
    }
    if let Some(status) = error {
        // Errors come back at once, before the replies sent with them.
        let body = Json(serde_json::json!({ "message": "not now", "trackingId": "T" }));
        return (StatusCode::from_u16(status).unwrap(), [("Retry-After", "1")], body).into_response();
    }
    tokio::time::sleep((paged.delay)(start)).await;
    let page: Vec<String> = if paged.empty_at == Some(start) {
        Vec::new()
    } else {
        let len = paged.lengths.get(&start).copied().unwrap_or(paged.cap);
        paged.numbers.iter().skip(start).take(len).cloned().collect()
    };
    let next = start + page.len();
    let mut response = Json(page_body(&page)).into_response();
    if paged.links && !page.is_empty() && next < paged.numbers.len() {
        let link = format!("<{base}{}?start={next}>; rel=\"next\"", uri.path());
        response.headers_mut().insert("Link", link.parse().unwrap());
    }
    drop(in_flight);
    response
}

async fn serve(paged: Paged) -> Served {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().fallback(reply).with_state((Arc::new(paged), uri.clone()));
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Served { uri }
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

#[tokio::test]
async fn pages_arrive_in_order_each_number_once_whatever_order_the_replies_come_in() {
    let all = numbers(1000);
    for concurrency in [1, 2, 4, 8] {
        let mut paged = Paged::new(all.clone(), 37);
        // Early pages answer last: replies come back out of order.
        paged.delay = |start| Duration::from_millis(20 + (7 - start as u64 / 37 % 8) * 5);
        paged.window = concurrency;
        let tally = Arc::clone(&paged.tally);
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        let pages = all.len().div_ceil(37);
        let expected: Vec<String> =
            (1..=pages).map(|p| format!("page {p}: {}", if p < pages { 37 } else { 1000 % 37 })).collect();
        assert_eq!(outcome(&events)[..pages], expected[..], "concurrency {concurrency}");
        assert_eq!(outcome(&events)[pages], format!("done {pages}"), "concurrency {concurrency}");
        assert_each_once_in_order(&received_numbers(&events), &all);
        // The server held the requests after the first until `concurrency` were in flight: as
        // many were sent together, and never more.
        assert_eq!(tally.most(), concurrency, "most requests in flight at once: {:?}", tally.log());
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
        let tally = Arc::clone(&paged.tally);
        let server = serve(paged).await;

        let events = fetch_all(client(&server.uri(), concurrency), Resume::start()).await;

        assert_each_once_in_order(&received_numbers(&events), &all);
        assert_eq!(outcome(&events).last().map(String::as_str), Some("done 14"));
        let log = arrivals(&tally.log());
        assert!(log.len() >= 14, "{log:?}");
        // Once the page length is known to have changed, the offsets asked for follow it: at
        // most one window of requests was asked at the first page's length.
        let wasted = log.iter().filter(|r| r.1 > 50 && (r.1 - 50) % 20 != 0).count();
        assert!(wasted <= 2 * concurrency, "{wasted} requests at wrong offsets");
    }
}

#[tokio::test]
async fn the_first_empty_page_ends_the_list_and_later_replies_are_dropped() {
    let all = numbers(300);
    for concurrency in [1, 4] {
        // Numbers behind a gap: after the empty page at 100, more pages. The list ends at the
        // empty page, with N requests in flight as with one.
        let mut paged = Paged::new(all.clone(), 20);
        paged.empty_at = Some(100);
        let server = serve(paged).await;

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
    // The first window (pages 2 to 5, the fourth page among them) is held until all four are in
    // flight, so the 429 is answered with the other three out.
    paged.window = 4;
    let tally = Arc::clone(&paged.tally);
    let server = serve(paged).await;

    let events = fetch_all(client(&server.uri(), 4), Resume::start()).await;

    assert_each_once_in_order(&received_numbers(&events), &all);
    assert_eq!(summary(&events).iter().filter(|s| *s == "retrying 4").count(), 2, "{:?}", summary(&events));
    let log = tally.log();
    let id429 = arrivals(&log).iter().find(|r| r.2 == 429).expect("a 429 was sent").0;
    let answered_429 = log.iter().position(|e| matches!(e, Event::Answered { id } if *id == id429)).unwrap();
    // The requests in flight when the 429 was answered may still be out for a while: the point
    // after the last of them was answered.
    let out: HashSet<usize> = log[..answered_429]
        .iter()
        .filter_map(|e| match *e {
            Event::Arrived { id, .. } => Some(id),
            Event::Answered { .. } => None,
        })
        .filter(|id| !log[..answered_429].iter().any(|e| matches!(e, Event::Answered { id: a } if a == id)))
        .collect();
    let drained = log
        .iter()
        .rposition(|e| matches!(e, Event::Answered { id } if out.contains(id)))
        .map_or(answered_429, |i| i.max(answered_429));
    // Before that, requests were in flight together...
    let before = arrivals(&log[..drained]);
    assert!(before.iter().any(|r| r.3 > 1), "requests overlapped before the 429: {before:?}");
    // ...and every request after it waits for the one before it to be answered.
    let after = arrivals(&log[drained..]);
    assert!(after.len() > 10, "{after:?}");
    assert!(after.iter().all(|r| r.3 == 1), "requests overlapped after the 429: {after:?}");
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
    let mut paged = Paged::new(all.clone(), 20);
    paged.links = true;
    paged.delay = |_| D;
    let tally = Arc::clone(&paged.tally);
    let server = serve(paged).await;

    let events = fetch_all(client(&server.uri(), 8), Resume::start()).await;

    assert_each_once_in_order(&received_numbers(&events), &all);
    assert_eq!(summary(&events).last().map(String::as_str), Some("done 10"));
    assert_eq!(arrivals(&tally.log()).len(), 10);
    assert_eq!(tally.most(), 1, "one request at a time: {:?}", tally.log());
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
    let expected: Vec<String> =
        demo::demo_location_records(Some(5000)).iter().map(|r| r.phone_number.to_string()).collect();
    for concurrency in [1, 4] {
        let mut cfg = ClientConfig::new(server.base_url.clone(), DEMO_LOCATION, Token::new(DEMO_TOKEN).unwrap());
        cfg.concurrency = concurrency;
        let events = fetch_all(Arc::new(ApiClient::new(cfg).unwrap()), Resume::start()).await;
        assert_each_once_in_order(&received_numbers(&events), &expected);
        assert_eq!(summary(&events).last().map(String::as_str), Some("done 10"));
    }
}
