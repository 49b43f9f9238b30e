//! Issue 12: the failures a real network and a real gateway produce, each against a real local
//! server (wiremock, or a raw TCP listener).

mod common;

use common::{fetch_all, page_body, received_numbers};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::Url;
use wiremock::matchers::{any, method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wxpick::webex::{ApiClient, ApiError, ClientConfig, FetchEvent, ListEnd, Resume, RetryPolicy, Token};

const TOKEN: &str = "tok-SECRET-0123456789";
const PATH: &str = "/v1/telephony/config/locations/LOC1/queues/availableNumbers";

fn numbers(from: usize, n: usize) -> Vec<String> {
    (from..from + n).map(|i| format!("+1205555{i:04}")).collect()
}

fn config(server_uri: &str) -> ClientConfig {
    let base = Url::parse(&format!("{server_uri}/v1")).unwrap();
    let mut cfg = ClientConfig::new(base, "LOC1", Token::new(TOKEN).unwrap());
    cfg.connect_timeout = Duration::from_secs(5);
    cfg.timeout = Duration::from_secs(10);
    cfg.concurrency = 1;
    cfg.retry = RetryPolicy {
        max_retries: 2,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(2),
    };
    cfg
}

fn client(cfg: ClientConfig) -> Arc<ApiClient> {
    Arc::new(ApiClient::new(cfg).expect("a valid client configuration"))
}

fn waits(events: &[FetchEvent]) -> Vec<Duration> {
    events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Retrying { wait, .. } => Some(*wait),
            _ => None,
        })
        .collect()
}

/// The first request gets `first`; every later one gets a page of 2 numbers (then the list ends).
async fn server_failing_once(first: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(first).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(query_param_is_missing("start"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(0, 2))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[])))
        .mount(&server)
        .await;
    server
}

// ---------------------------------------------------------------------------------------------
// Retry-After
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn fractional_retry_after_is_not_shortened() {
    let server = server_failing_once(ResponseTemplate::new(429).insert_header("Retry-After", "1.5")).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    let w = waits(&events);
    assert_eq!(w.len(), 1, "{events:?}");
    assert!(w[0] >= Duration::from_millis(1500), "Retry-After 1.5 honoured: {w:?}");
    assert_eq!(received_numbers(&events), numbers(0, 2));
}

#[tokio::test]
async fn http_date_retry_after_is_honoured_up_to_the_cap() {
    // Thirty seconds from now, in the IMF-fixdate form; the cap (2 s in this test) shortens it.
    let date = httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(30));
    let server = server_failing_once(ResponseTemplate::new(423).insert_header("Retry-After", date.as_str())).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert_eq!(waits(&events), [Duration::from_secs(2)], "{date}: {events:?}");
    assert_eq!(received_numbers(&events), numbers(0, 2));
}

#[tokio::test]
async fn retry_after_is_honoured_on_503() {
    let server = server_failing_once(ResponseTemplate::new(503).insert_header("Retry-After", "1")).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert_eq!(waits(&events), [Duration::from_secs(1)], "{events:?}");
}

#[tokio::test]
async fn rate_limit_without_retry_after_backs_off_exponentially() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(429)).mount(&server).await;
    let mut cfg = config(&server.uri());
    cfg.retry.max_retries = 3;
    let events = fetch_all(client(cfg), Resume::start()).await;
    let w = waits(&events);
    assert_eq!(w.len(), 3, "{events:?}");
    // The test policy: 5 ms doubled each time, with jitter between half and all of it, at most 20 ms.
    let bounds = [(2, 5), (5, 10), (10, 20)];
    for (wait, (lo, hi)) in w.iter().zip(bounds) {
        assert!(
            (Duration::from_millis(lo)..=Duration::from_millis(hi)).contains(wait),
            "{w:?}: not a flat second, but the policy's backoff"
        );
    }
    assert!(matches!(events.last(), Some(FetchEvent::Failed { error: ApiError::Http { status: 429, .. }, .. })));
}

// ---------------------------------------------------------------------------------------------
// Replies that are not a page
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn empty_or_blank_200_body_is_retried_like_a_dropped_connection() {
    for body in ["", "  \r\n\t "] {
        let server = server_failing_once(ResponseTemplate::new(200).set_body_string(body)).await;
        let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
        assert_eq!(waits(&events).len(), 1, "{body:?}: {events:?}");
        let FetchEvent::Retrying { error, .. } = &events[0] else { panic!("{events:?}") };
        assert!(matches!(error, ApiError::BadReply { status: 200, .. }), "{error:?}");
        assert!(error.is_transient());
        assert_eq!(received_numbers(&events), numbers(0, 2), "{body:?}");
    }
}

#[tokio::test]
async fn a_persistently_empty_200_body_fails_the_page() {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string("\n")).mount(&server).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert_eq!(waits(&events).len(), 2, "{events:?}");
    match events.last() {
        Some(FetchEvent::Failed { page: 1, error: ApiError::BadReply { status: 200, .. }, .. }) => {}
        other => panic!("the page fails: {other:?}"),
    }
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_body_that_ends_mid_json_is_retried_then_fails() {
    let full = page_body(&numbers(0, 3)).to_string();
    let cut = full[..full.len() / 2].to_string();
    let server = MockServer::start().await;
    // A complete HTTP message whose JSON stops halfway: a gateway that cut it.
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_string(cut)).mount(&server).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert_eq!(waits(&events).len(), 2, "{events:?}");
    assert!(
        matches!(events.last(), Some(FetchEvent::Failed { page: 1, error: ApiError::BadReply { .. }, .. })),
        "{events:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// A next link to another origin
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_foreign_next_link_keeps_the_page_and_continues_by_offset() {
    let server = MockServer::start().await;
    let foreign = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[]))).mount(&foreign).await;
    Mock::given(query_param_is_missing("start"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page_body(&numbers(0, 3)))
                .insert_header("Link", format!("<{}{PATH}?start=3>; rel=\"next\"", foreign.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("start", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(3, 2))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "5"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[])))
        .mount(&server)
        .await;

    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;

    assert_eq!(received_numbers(&events), numbers(0, 5), "{events:?}");
    assert!(matches!(events.last(), Some(FetchEvent::Done { .. })), "{events:?}");
    assert!(foreign.received_requests().await.unwrap().is_empty(), "nothing was sent to the other origin");
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
}

// ---------------------------------------------------------------------------------------------
// Error bodies
// ---------------------------------------------------------------------------------------------

async fn error_text(body: serde_json::Value) -> String {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(400).set_body_json(body)).mount(&server).await;
    let c = client(config(&server.uri()));
    c.get_page(&c.page_url(0)).await.unwrap_err().to_string()
}

#[tokio::test]
async fn error_bodies_are_read_leniently_field_by_field() {
    let s = error_text(serde_json::json!({"message": "Bad phone", "errors": null, "trackingId": "TR_1"})).await;
    assert!(s.contains("Bad phone") && s.contains("TR_1"), "errors: null: {s}");

    let s = error_text(
        serde_json::json!({"message": 42, "errors": [{"description": "Invalid start"}], "trackingId": "TR_2"}),
    )
    .await;
    assert!(s.contains("Invalid start") && s.contains("TR_2"), "a number as message: {s}");

    let s = error_text(serde_json::json!({
        "message": {"text": "x"}, "errors": [{"description": 7}, {"description": "Invalid max", "code": 1}],
        "trackingId": "TR_3", "extra": [1, 2], "status": "BAD"
    }))
    .await;
    assert!(s.contains("Invalid max") && s.contains("TR_3"), "extra fields and odd types: {s}");
}

// ---------------------------------------------------------------------------------------------
// Timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_connect_timeout_says_it_is_the_connect_timeout() {
    // A listener whose accept queue is full and never drained: the kernel drops further SYNs, so a
    // new connection neither succeeds nor is refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let addr = listener.local_addr().unwrap();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let s = tokio::net::TcpSocket::new_v4().unwrap();
        if let Ok(Ok(c)) = tokio::time::timeout(Duration::from_millis(200), s.connect(addr)).await {
            fillers.push(c);
        }
    }
    assert!(!fillers.is_empty(), "the accept queue took at least one connection");
    let mut cfg = config(&format!("http://{addr}"));
    cfg.connect_timeout = Duration::from_millis(300);
    cfg.timeout = Duration::from_secs(20);
    cfg.retry.max_retries = 0;
    let c = client(cfg);
    let err = c.get_page(&c.page_url(0)).await.unwrap_err();
    let s = err.to_string();
    assert!(s.contains("--connect-timeout") && s.contains("300 ms"), "{s}");
    assert!(!s.contains("20 s"), "not the request timeout: {s}");
    assert!(err.is_transient());
    drop(listener);
}

// ---------------------------------------------------------------------------------------------
// Proxies
// ---------------------------------------------------------------------------------------------

#[test]
#[cfg(feature = "demo")]
fn a_proxy_in_the_environment_does_not_catch_loopback() {
    // A port that was just free: nothing listens there, so a request through this "proxy" fails.
    let dead = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let proxy = format!("http://{dead}");
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wxpick"));
    for var in ["NO_PROXY", "no_proxy", "WXPICK_DEFAULT_OPTS", "WEBEX_BASE_URL", "WEBEX_ACCESS_TOKEN", "WEBEX_TOKEN"] {
        cmd.env_remove(var);
    }
    for var in ["ALL_PROXY", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "http_proxy", "https_proxy"] {
        cmd.env(var, &proxy);
    }
    cmd.env("WXPICK_NO_CACHE", "1");
    let out = cmd
        .args(["--demo", "--demo-latency-ms", "0", "--filter", ""])
        .stdin(std::process::Stdio::null())
        .output()
        .expect("wxpick runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        stdout.lines().count() > 1000,
        "every number of the demo location is listed: {} lines",
        stdout.lines().count()
    );
}

// ---------------------------------------------------------------------------------------------
// How a list ended; when a wait ends
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn done_says_whether_the_list_ended_or_only_stopped_bringing_new_numbers() {
    let server = server_failing_once(ResponseTemplate::new(200).set_body_json(page_body(&numbers(0, 2)))).await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert!(matches!(events.last(), Some(FetchEvent::Done { pages: 1, end: ListEnd::Complete })), "{events:?}");

    // A server that ignores `start`: the second page is the first again.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(0, 2))))
        .mount(&server)
        .await;
    let events = fetch_all(client(config(&server.uri())), Resume::start()).await;
    assert!(matches!(events.last(), Some(FetchEvent::Done { pages: 2, end: ListEnd::NoNewNumbers })), "{events:?}");
}

#[tokio::test]
async fn retrying_says_when_the_wait_ends_counted_from_when_it_starts() {
    let server = MockServer::start().await;
    let slow = Duration::from_millis(500);
    Mock::given(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(query_param_is_missing("start"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(0, 2))))
        .mount(&server)
        .await;
    Mock::given(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(2, 2))))
        .mount(&server)
        .await;
    for start in [4, 6, 8] {
        Mock::given(query_param("start", start.to_string()))
            .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&numbers(start, 2))).set_delay(slow))
            .mount(&server)
            .await;
    }
    Mock::given(query_param("start", "10"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&[])))
        .mount(&server)
        .await;
    let mut cfg = config(&server.uri());
    cfg.concurrency = 4;
    let started = Instant::now();
    let events = fetch_all(client(cfg), Resume::start()).await;

    assert_eq!(received_numbers(&events), numbers(0, 10), "{events:?}");
    let retries: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Retrying { page, wait, until, .. } => Some((*page, *wait, *until)),
            _ => None,
        })
        .collect();
    assert_eq!(retries.len(), 1, "{events:?}");
    let (page, wait, until) = retries[0];
    assert_eq!((page, wait), (2, Duration::from_secs(1)));
    // Pages 3 to 5 were in flight when page 2 was refused; after a 429 only one request may be,
    // so page 2's wait starts once the slow pages are in, not when the 429 came.
    assert!(until >= started + slow + wait, "the wait starts when a slot is free: {:?}", until - started);
}
