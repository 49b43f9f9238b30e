//! The one pager's bounds and rules, through the binary against wiremock: a list that never
//! ends stops at `--max-numbers`; the one-word `--location` probe is retried like any page and
//! its page is not asked for twice; a malformed record of a repeated page counts once; the
//! locations' JSON is terminal-safe with names as sent.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod common;
use common::{Run, finish, wxpick};

const TOKEN: &str = "paging-test-token";

/// The binary against `server`, with the token.
fn run(server: &MockServer, args: &[&str]) -> Run {
    let base = format!("{}/v1", server.uri());
    finish(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).args(["--base-url", &base]).args(args))
}

fn start_of(r: &Request) -> usize {
    r.url.query_pairs().find(|(k, _)| k == "start").and_then(|(_, v)| v.parse().ok()).unwrap_or(0)
}

/// Every offset brings two numbers never seen before: a list without an end.
struct Endless;

impl Respond for Endless {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let start = start_of(r);
        let records: Vec<_> = (start..start + 2)
            .map(|i| serde_json::json!({"phoneNumber": format!("+1205{:07}", i), "state": "ACTIVE"}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "phoneNumbers": records }))
    }
}

#[tokio::test]
async fn a_list_without_an_end_stops_at_max_numbers_keeps_what_came_and_says_why() {
    let server = MockServer::start().await;
    Mock::given(method("GET")).respond_with(Endless).mount(&server).await;
    let r = run(&server, &["--location", "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL3Bh", "--max-numbers", "5", "--filter", ""]);
    assert_eq!(r.code, Some(2), "an incomplete list in --filter mode: {r:?}");
    let printed = r.stdout.lines().count();
    assert!((5..=5 + 2 * 8).contains(&printed), "what came is kept: {r:?}");
    assert!(r.stderr.contains("incomplete") && r.stderr.contains("--max-numbers"), "{r:?}");
    let asked = server.received_requests().await.unwrap().len();
    assert!(asked < 20, "paging stopped: {asked} requests");
}

/// Answers 503 (with a zero Retry-After) to the first request of the list's first page, then the
/// page; counts the first page's requests.
struct FlakyFirst(Arc<AtomicUsize>);

impl Respond for FlakyFirst {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        if start_of(r) > 0 {
            return ResponseTemplate::new(200).set_body_json(serde_json::json!({ "phoneNumbers": [] }));
        }
        if self.0.fetch_add(1, Ordering::SeqCst) == 0 {
            return ResponseTemplate::new(503).insert_header("retry-after", "0");
        }
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "phoneNumbers": [
            {"phoneNumber": "+12056350001", "state": "ACTIVE"},
            {"phoneNumber": "+12056350002", "state": "ACTIVE"}
        ]}))
    }
}

#[tokio::test]
async fn a_one_word_location_probe_is_retried_and_its_page_is_not_asked_for_twice() {
    let server = MockServer::start().await;
    let first = Arc::new(AtomicUsize::new(0));
    Mock::given(method("GET"))
        .and(path("/v1/telephony/config/locations/L1/queues/availableNumbers"))
        .respond_with(FlakyFirst(Arc::clone(&first)))
        .mount(&server)
        .await;
    let r = run(&server, &["--location", "L1", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+12056350001\n+12056350002\n");
    assert_eq!(first.load(Ordering::SeqCst), 2, "one 503, then the page, used as the list's first");
}

#[tokio::test]
async fn a_malformed_record_of_a_page_that_comes_again_counts_once() {
    let server = MockServer::start().await;
    // The server ignores `start`: every page is the same, with a record whose number is a JSON
    // number (unreadable).
    let body = serde_json::json!({ "phoneNumbers": [
        {"phoneNumber": "+12056350001", "state": "ACTIVE"},
        {"phoneNumber": 12056350009_u64, "state": "ACTIVE"}
    ]});
    Mock::given(method("GET"))
        .and(path_regex("availableNumbers$"))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .mount(&server)
        .await;
    let r = run(&server, &["--location", "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL3Bh", "--output", "json", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout.lines().count(), 2, "the malformed record once: {r:?}");
    assert!(r.stderr.contains("1 record of the reply was malformed"), "{r:?}");
}

#[tokio::test]
async fn locations_as_json_are_terminal_safe_with_names_as_sent() {
    let server = MockServer::start().await;
    let name = "Lab\u{9b}31m \u{202e}evil\u{200b}";
    Mock::given(method("GET"))
        .and(path("/v1/telephony/config/locations"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"locations": [{"id": "L1", "name": name}]})),
        )
        .mount(&server)
        .await;
    let r = run(&server, &["locations", "--output", "json"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(!r.stdout.contains('\u{9b}') && !r.stdout.contains('\u{202e}'), "{r:?}");
    assert!(r.stdout.contains("\\u009b") && r.stdout.contains("\\u202e"), "{r:?}");
    let back: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(back["name"], name, "the name as sent, not escaped text");
    let plain = run(&server, &["locations"]);
    assert!(!plain.stdout.contains('\u{9b}') && !plain.stdout.contains('\u{202e}'), "{plain:?}");
}
