//! Locations by name: the built binary against a local API server (wiremock) that lists
//! locations in pages and serves each location's numbers.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use wiremock::matchers::{any, bearer_token, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

mod common;
use common::{Run, finish, wxpick};

const TOKEN: &str = "tok-LOCATIONS-0123456789";
const LIST: &str = "/v1/telephony/config/locations";

/// (name, the one number its location serves).
const SITES: &[(&str, &str)] = &[
    ("Berlin", "+49305550001"),
    ("Berlin Adlershof", "+49305550002"),
    ("London Soho", "+442079460003"),
    ("London Canary Wharf", "+442079460004"),
    ("Köln", "+49221555005"),
];

fn id(name: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("ciscospark://us/LOCATION/{}", name.to_lowercase().replace(' ', "-")))
}

fn location_json(name: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id(name), "name": name, "orgId": "ORG", "timeZone": "Europe/Berlin",
        "address": {"address1": "Street 1", "city": name, "country": "DE"},
        "somethingNew": [1, {"x": null}],
    })
}

fn page(names: &[&str]) -> serde_json::Value {
    serde_json::json!({ "locations": names.iter().map(|n| location_json(n)).collect::<Vec<_>>() })
}

fn numbers(list: &[&str]) -> serde_json::Value {
    serde_json::json!({ "phoneNumbers": list.iter().map(|n| serde_json::json!({
        "phoneNumber": n, "state": "ACTIVE", "isMainNumber": false, "telephonyType": "PSTN_NUMBER",
        "tollFreeNumber": false, "isServiceNumber": false,
    })).collect::<Vec<_>>() })
}

/// Serves each location's one number (then an empty page), to the right token.
async fn mount_numbers(server: &MockServer, sites: &[(&str, &str)]) {
    for (name, number) in sites {
        let p = format!("{LIST}/{}/queues/availableNumbers", id(name));
        Mock::given(path(p.clone()))
            .and(bearer_token(TOKEN))
            .and(query_param("start", "1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(numbers(&[])))
            .with_priority(1)
            .mount(server)
            .await;
        Mock::given(path(p))
            .and(bearer_token(TOKEN))
            .respond_with(ResponseTemplate::new(200).set_body_json(numbers(&[number])))
            .with_priority(2)
            .mount(server)
            .await;
    }
}

/// Lists the locations in pages of two, each with a relative `Link` to the next.
async fn linked_server() -> MockServer {
    let server = MockServer::start().await;
    let names: Vec<&str> = SITES.iter().map(|s| s.0).collect();
    for (i, chunk) in names.chunks(2).enumerate() {
        let start = i * 2;
        let mut reply = ResponseTemplate::new(200).set_body_json(page(chunk));
        if start + 2 < names.len() {
            reply = reply.insert_header("link", format!("<{LIST}?start={}>; rel=\"next\"", start + 2).as_str());
        }
        let m = Mock::given(method("GET")).and(path(LIST)).and(bearer_token(TOKEN));
        let m = if start == 0 {
            m.and(query_param_is_missing("start"))
        } else {
            m.and(query_param("start", start.to_string()))
        };
        m.respond_with(reply).mount(&server).await;
    }
    mount_numbers(&server, SITES).await;
    server
}

/// The binary against `server`, with the token and nothing else from the environment.
fn run(server: &MockServer, args: &[&str]) -> Run {
    let base = format!("{}/v1", server.uri());
    finish(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).args(["--base-url", &base]).args(args))
}

async fn list_requests(server: &MockServer) -> Vec<Request> {
    let all = server.received_requests().await.expect("recording is on");
    all.into_iter().filter(|r| r.url.path() == LIST).collect()
}

#[tokio::test]
async fn the_list_follows_next_links_and_prints_id_tab_name() {
    let server = linked_server().await;
    let r = run(&server, &["locations"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let expected: Vec<String> = SITES.iter().map(|(n, _)| format!("{}\t{n}", id(n))).collect();
    assert_eq!(r.stdout.lines().collect::<Vec<_>>(), expected);
    assert_eq!(list_requests(&server).await.len(), 3, "three pages of two, linked");
}

#[tokio::test]
async fn without_links_the_list_pages_by_start_until_an_empty_page() {
    let server = MockServer::start().await;
    let names: Vec<&str> = SITES.iter().map(|s| s.0).collect();
    for (start, chunk) in [(0, &names[0..2]), (2, &names[2..4]), (4, &names[4..5]), (5, &names[5..5])] {
        let m = Mock::given(path(LIST)).and(bearer_token(TOKEN));
        let m = if start == 0 {
            m.and(query_param_is_missing("start"))
        } else {
            m.and(query_param("start", start.to_string()))
        };
        m.respond_with(ResponseTemplate::new(200).set_body_json(page(chunk))).mount(&server).await;
    }
    let r = run(&server, &["--org-id", "ORG", "locations", "--output", "json", "--filter", "koln"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let lines: Vec<serde_json::Value> = r.stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 1, "{r:?}");
    assert_eq!(lines[0]["name"], "Köln", "diacritics-insensitive");
    assert_eq!(lines[0]["id"], id("Köln"));
    let starts: Vec<Option<String>> = list_requests(&server)
        .await
        .iter()
        .map(|r| r.url.query_pairs().find(|(k, _)| k == "start").map(|(_, v)| v.to_string()))
        .collect();
    // The one pager: page 1 alone, then a window of offsets planned with the last page's length
    // (answers past the end are dropped), planned again after the short page.
    assert_eq!(starts[0], None, "{starts:?}");
    for wanted in ["2", "4", "5"] {
        assert!(starts.contains(&Some(wanted.to_string())), "{starts:?}");
    }
    assert!(!starts.contains(&Some("3".into())), "{starts:?}");
    let first = &list_requests(&server).await[0];
    assert!(first.url.query_pairs().any(|(k, v)| k == "orgId" && v == "ORG"), "{}", first.url);
}

#[tokio::test]
async fn a_next_link_to_another_origin_is_refused() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(page(&["Berlin"]))
                .insert_header("link", "<http://127.0.0.2:9/v1/telephony/config/locations?start=1>; rel=\"next\""),
        )
        .mount(&server)
        .await;
    // Like any page's: the link is not followed (the token stays here), paging goes on by
    // offset, and the page that comes again ends the list.
    let r = run(&server, &["locations"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, format!("{}\tBerlin\n", id("Berlin")), "{r:?}");
    let requests = server.received_requests().await.unwrap();
    assert!(requests.len() >= 2, "{requests:?}");
    assert!(requests.iter().any(|r| r.url.query_pairs().any(|(k, v)| k == "start" && v == "1")), "{requests:?}");
}

#[tokio::test]
async fn an_exact_name_wins_over_names_containing_it() {
    let server = linked_server().await;
    // One word: first asked for as an ID (404 here), then looked up by name.
    let r = run(&server, &["--location", "berlin", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+49305550001\n");
    let lookups = list_requests(&server).await;
    assert!(!lookups.is_empty());
    assert!(lookups[0].url.query_pairs().any(|(k, v)| k == "name" && v == "berlin"), "{}", lookups[0].url);
}

#[tokio::test]
async fn the_only_name_containing_the_value_wins() {
    let server = linked_server().await;
    let r = run(&server, &["--location", "canary wharf", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+442079460004\n");
    let r = run(&server, &["--location", "KÖLN", "--select-1", "--query", "555"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+49221555005\n");
    // Without its accent, as the picker's search finds it.
    let r = run(&server, &["--location", "koln", "--select-1", "--query", "555"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+49221555005\n");
}

#[tokio::test]
async fn an_id_is_used_without_asking_for_the_list() {
    let server = linked_server().await;
    let r = run(&server, &["--location", &id("London Soho"), "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+442079460003\n");
    assert_eq!(list_requests(&server).await.len(), 0, "an ID needs no list");
}

#[tokio::test]
async fn several_matches_exit_2_listing_the_candidates() {
    let server = linked_server().await;
    let r = run(&server, &["--location", "London", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 3, "{r:?}");
    assert_eq!(lines[0], format!("London Soho\t{}", id("London Soho")));
    assert_eq!(lines[1], format!("London Canary Wharf\t{}", id("London Canary Wharf")));
    assert!(lines[2].starts_with("wxpick: ") && lines[2].contains("matches these 2 locations"), "{r:?}");
}

#[tokio::test]
async fn no_match_exits_2_saying_so() {
    let server = linked_server().await;
    let r = run(&server, &["--location", "Paris Nord", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains("no location is named \"Paris Nord\""), "{r:?}");
    // One word: the ID's answer is part of the message.
    let r = run(&server, &["--location", "Paris", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("no location is named \"Paris\"") && r.stderr.contains("404"), "{r:?}");
}

#[tokio::test]
async fn a_token_that_may_not_list_locations_is_asked_for_an_id() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({
            "message": "Forbidden", "trackingId": "ROUTER_403"
        })))
        .mount(&server)
        .await;
    Mock::given(any()).respond_with(ResponseTemplate::new(404)).mount(&server).await;
    let r = run(&server, &["--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains("403") && r.stderr.contains("--location ID"), "{r:?}");
    let r = run(&server, &["--location", "London Soho", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains("403") && r.stderr.contains("give its ID"), "{r:?}");
}

#[tokio::test]
async fn scripts_without_a_location_use_the_only_one_or_ask() {
    let server = MockServer::start().await;
    Mock::given(path(LIST))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["Köln"])))
        .mount(&server)
        .await;
    mount_numbers(&server, &SITES[4..5]).await;
    let r = run(&server, &["--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.stdout, "+49221555005\n");

    let server = linked_server().await;
    let r = run(&server, &["--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stderr.lines().count(), 1, "{r:?}");
    assert!(r.stderr.contains("which location?") && r.stderr.contains("5 locations"), "{r:?}");
}

/// wxpick on its demo server, with nothing from the environment that would point it elsewhere.
#[cfg(feature = "demo")]
fn on_the_demo(args: &[&str]) -> Run {
    finish(wxpick().args(args))
}

#[test]
#[cfg(feature = "demo")]
fn the_demo_lists_its_locations_with_source_flags_after_the_subcommand() {
    let out = on_the_demo(&["locations", "--demo", "--filter", "paris"]);
    assert_eq!(out.code, Some(0), "{out:?}");
    let names: Vec<&str> = out.stdout.lines().map(|l| l.split_once('\t').expect("ID, tab, name").1).collect();
    assert_eq!(names, ["Paris La Défense", "Paris Opéra"]);
}

/// The demo's `name` filter, like the API's, does not ignore accents: a name typed without them
/// is found by looking through every location once.
#[test]
#[cfg(feature = "demo")]
fn a_name_without_its_accents_is_found_on_the_demo() {
    for (typed, expected) in [("paris opera", "Paris Opéra"), ("montreal", "Montréal")] {
        let out =
            on_the_demo(&["--demo", "--demo-latency-ms", "0", "--location", typed, "--filter", "", "--output", "json"]);
        assert_eq!(out.code, Some(0), "{typed}: {out:?}");
        assert!(!out.stdout.is_empty(), "{typed}: no numbers");
        let names = on_the_demo(&["locations", "--demo", "--filter", expected]);
        assert!(names.stdout.contains(expected), "{expected} is a demo location");
    }
}
