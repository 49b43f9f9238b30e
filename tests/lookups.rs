//! People, workspaces and virtual lines by name, through the binary: `--person NAME|EMAIL|ID`
//! (and the others) resolved with the API's filters against wiremock, the listing commands on
//! the demo server, and the 403 that names the scope.

use wiremock::matchers::{method, path, path_regex, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

mod common;
use common::{Run, finish, wxpick};

const TOKEN: &str = "lookup-test-token";
const ANA: &str = "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hbmE";

fn run_with(base: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = wxpick();
    cmd.env("WEBEX_ACCESS_TOKEN", TOKEN);
    if let Some(base) = base {
        cmd.args(["--base-url", base]);
    }
    finish(cmd.args(args))
}

fn run(server: &MockServer, args: &[&str]) -> Run {
    run_with(Some(&format!("{}/v1", server.uri())), args)
}

/// `GET /people` with the API's filters: `displayName` starts with (as typed), `email` exact.
struct People;

impl Respond for People {
    fn respond(&self, r: &Request) -> ResponseTemplate {
        let people = [
            (ANA, "Ana Müller", "ana@example.com"),
            ("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9ncmFjZQ", "Grace Smith", "grace@example.com"),
            ("Y2lzY29zcGFyazovL3VzL1BFT1BMRS9qb2hu", "John Smith", "john@example.com"),
        ];
        let q: Vec<(String, String)> = r.url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
        let get = |k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let items: Vec<_> = people
            .iter()
            .filter(|p| get("displayName").is_none_or(|d| p.1.starts_with(&d)))
            .filter(|p| get("email").is_none_or(|e| p.2 == e))
            .map(|(id, name, email)| serde_json::json!({"id": id, "displayName": name, "emails": [email]}))
            .collect();
        ResponseTemplate::new(200).set_body_json(serde_json::json!({ "items": items }))
    }
}

async fn server_with_people() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("GET")).and(path("/v1/people")).respond_with(People).mount(&server).await;
    Mock::given(method("GET"))
        .and(path_regex("^/v1/telephony/config/people/[^/]+/faxMessage/availableNumbers$"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"phoneNumbers": [{"phoneNumber": "+12056350001", "state": "ACTIVE"}]}),
            ),
        )
        .mount(&server)
        .await;
    server
}

async fn paths(server: &MockServer) -> Vec<String> {
    server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or("")))
        .collect()
}

#[tokio::test]
async fn a_person_by_name_is_asked_for_with_display_name_and_their_id_lists_the_numbers() {
    let server = server_with_people().await;
    let r = run(&server, &["--for", "person-fax", "--person", "Ana Müller", "--filter", ""]);
    assert_eq!((r.code, r.stdout.as_str()), (Some(0), "+12056350001\n"), "{r:?}");
    let asked = paths(&server).await;
    assert!(asked[0].starts_with("/v1/people?") && asked[0].contains("displayName=Ana+M%C3%BCller"), "{asked:?}");
    assert!(asked.iter().any(|p| p.contains(&format!("/people/{ANA}/faxMessage"))), "{asked:?}");
}

#[tokio::test]
async fn a_person_by_email_uses_the_email_filter() {
    let server = server_with_people().await;
    let r = run(&server, &["--for", "person-fax", "--person", "ana@example.com", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let asked = paths(&server).await;
    assert!(asked[0].contains("email=ana%40example.com"), "{asked:?}");
    assert!(asked.iter().any(|p| p.contains(ANA)), "{asked:?}");
}

#[tokio::test]
async fn without_case_or_accents_the_whole_list_is_searched_when_the_filter_finds_nothing() {
    let server = server_with_people().await;
    let r = run(&server, &["--for", "person-fax", "--person", "muller", "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let asked = paths(&server).await;
    assert!(asked[0].contains("displayName=muller"), "{asked:?}");
    assert!(asked.iter().any(|p| p == "/v1/people?"), "then the whole list: {asked:?}");
    assert!(asked.iter().any(|p| p.contains(ANA)), "{asked:?}");
}

#[tokio::test]
async fn several_people_exit_2_with_name_tab_id_and_none_exits_2() {
    let server = server_with_people().await;
    let r = run(&server, &["--for", "person-fax", "--person", "Smith", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("Grace Smith\tY2lzY29zcGFyazovL3VzL1BFT1BMRS9ncmFjZQ\n"), "{r:?}");
    assert!(r.stderr.contains("John Smith\t") && r.stderr.contains("matches these 2 people"), "{r:?}");
    assert!(r.stdout.is_empty());
    let r = run(&server, &["--for", "person-fax", "--person", "Nobody Here", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("no person is named \"Nobody Here\""), "{r:?}");
}

#[tokio::test]
async fn an_id_is_used_as_it_is_without_a_lookup() {
    let server = server_with_people().await;
    let r = run(&server, &["--for", "person-fax", "--person", ANA, "--filter", ""]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(paths(&server).await.iter().all(|p| !p.starts_with("/v1/people?")));
}

#[tokio::test]
async fn a_403_on_a_lookup_names_its_scope_and_says_an_id_still_works() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/people"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({"message": "Forbidden"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/workspaces"))
        .and(query_param("displayName", "Lobby Phone"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    let r = run(&server, &["--for", "person-fax", "--person", "Ana Müller", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("spark-admin:people_read") && r.stderr.contains("give its ID"), "{r:?}");
    let r = run(&server, &["--for", "workspace-fax", "--workspace", "Lobby Phone", "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("spark-admin:workspaces_read"), "{r:?}");
    let r = run(&server, &["people"]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("spark-admin:people_read") && r.stderr.contains("--person ID still works"), "{r:?}");
}

#[test]
fn the_demo_lists_people_workspaces_and_virtual_lines_for_scripts() {
    let r = run_with(None, &["--demo", "people"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let lines: Vec<Vec<&str>> = r.stdout.lines().map(|l| l.split('\t').collect()).collect();
    assert!(lines.len() >= 8 && lines.iter().all(|l| l.len() == 3), "ID, name, email: {r:?}");
    assert!(lines.iter().any(|l| l[1] == "山田 太郎"), "{r:?}");
    let r = run_with(None, &["--demo", "people", "--filter", "muller"]);
    assert_eq!(r.stdout.lines().map(|l| l.split('\t').nth(1).unwrap()).collect::<Vec<_>>(), ["Ana Müller"], "{r:?}");
    let r = run_with(None, &["--demo", "workspaces", "--output", "json", "--filter", "etoile"]);
    let w: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(w["name"], "Salle Étoile", "{r:?}");
    let r = run_with(None, &["--demo", "virtual-lines", "--filter", "smith"]);
    assert_eq!(r.stdout.lines().count(), 1, "{r:?}");
    assert!(r.stdout.ends_with("\tSales Smith\n"), "{r:?}");
    assert_eq!(run_with(None, &["--demo", "people", "--filter", "zzzz"]).code, Some(1));
    // And a demo person by name lists their numbers.
    let r = run_with(None, &["--demo", "--for", "person-fax", "--person", "jose alvarez", "--filter", "0001"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.lines().any(|l| l == "+12056350001"), "{r:?}");
}
