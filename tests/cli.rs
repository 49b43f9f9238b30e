//! The built `wxpick` binary, run as a user or a script would run it.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use wiremock::matchers::{any, bearer_token, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};
use wxpick::demo::demo_location_records;
use wxpick::numbers::phone::is_plausible_e164;

/// Variables that would let the caller's environment change what wxpick does.
const CLEARED_ENV: &[&str] = &[
    "WEBEX_ACCESS_TOKEN",
    "WEBEX_TOKEN",
    "WEBEX_LOCATION_ID",
    "WEBEX_BASE_URL",
    "WEBEX_ORG_ID",
    "WXPICK_DEFAULT_OPTS",
    "RUST_LOG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// The longest a run may take before the test gives up on it (a guard against hangs).
const GUARD: Duration = Duration::from_secs(60);

const TOKEN: &str = "tok-SECRET-abcdef0123456789";

fn wxpick() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpick"));
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    // The user's cache is not the tests' (and a list cached by one run must not feed the next).
    cmd.env("WXPICK_NO_CACHE", "1");
    cmd.stdin(Stdio::null());
    cmd
}

/// `wxpick --demo` without the demo's simulated latency.
fn demo() -> Command {
    let mut cmd = wxpick();
    cmd.args(["--demo", "--demo-latency-ms", "0"]);
    cmd
}

#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }
    fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

fn reader_thread(mut pipe: impl Read + Send + 'static) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        let _ = pipe.read_to_end(&mut buf);
        String::from_utf8(buf).expect("wxpick writes UTF-8")
    })
}

/// Waits for `child`, killing it and failing the test if it runs past the guard.
fn wait_guarded(child: &mut Child) -> Option<i32> {
    let deadline = Instant::now() + GUARD;
    loop {
        if let Some(status) = child.try_wait().expect("wait for wxpick") {
            return status.code();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wxpick did not finish");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits until the log at `log` holds `what` (the guard only bounds a hang).
fn wait_for_log(log: &std::path::Path, what: &str) {
    let deadline = Instant::now() + GUARD;
    while !std::fs::read_to_string(log).unwrap_or_default().contains(what) {
        assert!(Instant::now() < deadline, "{what:?} never logged");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn send_signal(child: &Child, signal: libc::c_int) {
    // SAFETY: sending a signal to our own child, not yet reaped.
    assert_eq!(unsafe { libc::kill(child.id() as i32, signal) }, 0, "kill");
}

/// Runs the command, feeding `stdin` if given, and collects everything.
fn run_with_stdin(cmd: &mut Command, stdin: Option<&[u8]>) -> Run {
    if stdin.is_some() {
        cmd.stdin(Stdio::piped());
    }
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("start wxpick");
    if let Some(input) = stdin {
        let mut pipe = child.stdin.take().unwrap();
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out = reader_thread(child.stdout.take().unwrap());
    let err = reader_thread(child.stderr.take().unwrap());
    let code = wait_guarded(&mut child);
    Run { code, stdout: out.join().unwrap(), stderr: err.join().unwrap() }
}

fn run(cmd: &mut Command) -> Run {
    run_with_stdin(cmd, None)
}

fn assert_one_line_error(r: &Run) {
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.stderr_lines().len(), 1, "exactly one line on stderr: {r:?}");
    assert!(r.stderr.starts_with("wxpick: "), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
}

/// The numbers of the demo location, which `--demo` lists without `--location`.
fn demo_numbers() -> Vec<String> {
    demo_location_records(None).iter().map(|r| r.phone_number.to_string()).collect()
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut rest = hay.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

fn assert_distinct(lines: &[&str]) {
    let set: HashSet<&&str> = lines.iter().collect();
    assert_eq!(set.len(), lines.len(), "a number printed twice");
}

/// A saved API response with known records of every kind.
const SAVED: &str = r#"{"phoneNumbers":[
{"phoneNumber":"+12055550101","state":"ACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":true},
{"phoneNumber":"+12055550102","state":"INACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false},
{"phoneNumber":"+18005550103","state":"ACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":true,"isServiceNumber":false},
{"phoneNumber":"+12055550104","state":"ACTIVE","isMainNumber":true,"telephonyType":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false},
{"phoneNumber":"+442079460105","state":"PORTING","telephonyType":"SATELLITE_NUMBER","isMainNumber":false,"tollFreeNumber":false,"isServiceNumber":false,"newField":{"a":[1,2]},"owner":{"id":"o1","type":"ROBOT","displayName":"Lobby","badge":7},"zeta":null}
]}"#;
const SAVED_NUMBERS: [&str; 5] = ["+12055550101", "+12055550102", "+18005550103", "+12055550104", "+442079460105"];

fn saved_file(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let path = dir.path().join("numbers.json");
    std::fs::write(&path, SAVED).unwrap();
    path
}

fn saved_records() -> Vec<serde_json::Value> {
    let v: serde_json::Value = serde_json::from_str(SAVED).unwrap();
    v["phoneNumbers"].as_array().unwrap().clone()
}

/// `wxpick --input SAVED --filter '' <args>`: the printed lines.
fn filter_saved(args: &[&str]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_file(&dir);
    let r = run(wxpick().arg("--input").arg(&path).args(["--filter", ""]).args(args));
    match r.code {
        Some(0) => {}
        Some(1) => assert!(r.stdout.is_empty(), "{r:?}"),
        _ => panic!("{args:?}: {r:?}"),
    }
    assert!(r.stderr.is_empty(), "{r:?}");
    r.lines().iter().map(|s| s.to_string()).collect()
}

fn page_json(numbers: &[&str]) -> serde_json::Value {
    serde_json::json!({
        "phoneNumbers": numbers.iter().map(|n| serde_json::json!({
            "phoneNumber": n, "state": "ACTIVE", "isMainNumber": false,
            "telephonyType": "PSTN_NUMBER", "tollFreeNumber": false, "isServiceNumber": false,
        })).collect::<Vec<_>>()
    })
}

/// A server that serves `numbers` on one page, then an empty page, to the right token only.
async fn api_server(numbers: &[&str]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(bearer_token(TOKEN))
        .and(query_param("start", numbers.len().to_string()))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(&[])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(numbers)))
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "message": "The request requires a valid access token set in the Authorization request header.",
            "errors": [{ "description": "The request requires a valid access token set in the Authorization request header." }],
            "trackingId": "ROUTER_TEST_401",
        })))
        .with_priority(3)
        .mount(&server)
        .await;
    server
}

/// `wxpick` pointed at `server` for location `LOC1`.
fn against(server: &MockServer) -> Command {
    let mut cmd = wxpick();
    cmd.args(["--base-url", &format!("{}/v1", server.uri()), "--location", "LOC1"]);
    cmd
}

/// The requests for lists of numbers (a one-word `--person P1` is first looked up by name, on
/// `/people`: those requests are the lookups' tests').
async fn requests(server: &MockServer) -> Vec<Request> {
    let lookups = ["/v1/people", "/v1/workspaces", "/v1/telephony/config/virtualLines"];
    let all = server.received_requests().await.expect("request recording is on");
    all.into_iter().filter(|r| !lookups.contains(&r.url.path())).collect()
}

fn write_token_file(dir: &tempfile::TempDir, content: &str, mode: u32) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.path().join("token");
    std::fs::write(&path, content).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
    path
}

// ---------------------------------------------------------------------------------------------
// --filter against the demo server
// ---------------------------------------------------------------------------------------------

#[test]
fn demo_filter_prints_only_matching_numbers() {
    let r = run(demo().args(["--filter", "0001"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");

    let lines = r.lines();
    let all = demo_numbers();
    let known: HashSet<&str> = all.iter().map(String::as_str).collect();
    assert!(!lines.is_empty());
    assert!(lines.len() < all.len(), "the query narrowed the list");
    assert_distinct(&lines);
    for line in &lines {
        assert!(is_plausible_e164(line), "{line:?} is one E.164 number");
        assert!(known.contains(line), "{line} is a demo number");
        assert!(is_subsequence("0001", &digits(line)), "{line} matches 0001");
    }
    // Every number with 0001 together is there, and before those with the digits apart.
    let contiguous: Vec<&str> = all.iter().map(String::as_str).filter(|n| digits(n).contains("0001")).collect();
    assert!(!contiguous.is_empty());
    let printed: HashSet<&str> = lines.iter().copied().collect();
    assert!(contiguous.iter().all(|n| printed.contains(n)));
    assert!(lines[..contiguous.len()].iter().all(|n| digits(n).contains("0001")), "contiguous matches first");
}

#[test]
fn demo_filter_empty_prints_every_number_once() {
    let r = run(demo().args(["--filter", ""]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.len(), demo_numbers().len());
    assert_distinct(&lines);
    assert_eq!(lines, demo_numbers(), "every demo number, in the server's order");
}

#[test]
fn demo_query_matching_nothing_exits_1_with_empty_stdout() {
    let query = "9999999999999";
    assert!(demo_numbers().iter().all(|n| !is_subsequence(query, &digits(n))), "precondition: no demo number matches");
    let r = run(demo().args(["--filter", query]));
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[test]
fn closed_stdout_still_exits_0() {
    for format in ["plain", "json"] {
        // Far more output than a pipe holds, so wxpick is still writing when the reader goes.
        let mut child = demo()
            .args(["--demo-size", "100000", "--filter", "", "--output", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start wxpick");
        let err = reader_thread(child.stderr.take().unwrap());
        {
            let mut out = BufReader::new(child.stdout.take().unwrap());
            let mut first = String::new();
            out.read_line(&mut first).unwrap();
            assert!(first.contains("+1205635"), "{format}: {first:?}");
        } // The read end closes here, like `| head -1`.
        let code = wait_guarded(&mut child);
        let stderr = err.join().unwrap();
        assert_eq!(code, Some(0), "{format}: stderr: {stderr}");
        assert!(stderr.is_empty(), "{format}: {stderr}");
    }
}

// ---------------------------------------------------------------------------------------------
// --input, output formats, filters
// ---------------------------------------------------------------------------------------------

#[test]
fn input_file_is_read() {
    assert_eq!(filter_saved(&[]), SAVED_NUMBERS);
}

#[test]
fn input_from_stdin_is_read() {
    let r = run_with_stdin(wxpick().args(["--input", "-", "--filter", ""]), Some(SAVED.as_bytes()));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    assert_eq!(r.lines(), SAVED_NUMBERS);
}

#[test]
fn input_that_is_not_a_saved_response_exits_2() {
    let r = run_with_stdin(wxpick().args(["--input", "-", "--filter", ""]), Some(b"<html>sign in</html>"));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("stdin") && r.stderr.contains("not JSON"), "{r:?}");

    let r = run(wxpick().args(["--input", "/nonexistent/wxpick-test.json", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("/nonexistent/wxpick-test.json"), "{r:?}");
}

#[test]
fn json_output_keeps_every_field_of_the_input() {
    let lines = filter_saved(&["--output", "json"]);
    let expected = saved_records();
    assert_eq!(lines.len(), expected.len());
    for (line, want) in lines.iter().zip(&expected) {
        let got: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(&got, want, "every field the input had, unknown ones included");
    }
    let last: serde_json::Value = serde_json::from_str(&lines[4]).unwrap();
    assert_eq!(last["state"], "PORTING");
    assert_eq!(last["newField"]["a"][1], 2);
    assert_eq!(last["owner"]["badge"], 7);
}

#[test]
fn state_filter_narrows_the_output() {
    assert_eq!(filter_saved(&["--state", "active"]), ["+12055550101", "+18005550103", "+12055550104"]);
    assert_eq!(filter_saved(&["--state", "inactive"]), ["+12055550102"]);
}

#[test]
fn type_filter_narrows_the_output() {
    assert_eq!(filter_saved(&["--type", "service"]), ["+12055550101"]);
    assert_eq!(filter_saved(&["--type", "toll-free", "--type", "main"]), ["+18005550103", "+12055550104"]);
    assert_eq!(
        filter_saved(&["--type", "standard"]),
        ["+12055550102", "+18005550103", "+12055550104", "+442079460105"]
    );
    assert_eq!(filter_saved(&["--state", "inactive", "--type", "service"]), Vec::<String>::new());
}

#[test]
fn default_opts_apply_and_the_command_line_overrides_them() {
    let dir = tempfile::tempdir().unwrap();
    let path = saved_file(&dir);

    let r = run(wxpick().env("WXPICK_DEFAULT_OPTS", "--output json").arg("--input").arg(&path).args(["--filter", ""]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.len(), SAVED_NUMBERS.len());
    for (line, number) in lines.iter().zip(SAVED_NUMBERS) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(v["phoneNumber"], number);
    }

    let r = run(wxpick()
        .env("WXPICK_DEFAULT_OPTS", "--output json")
        .arg("--input")
        .arg(&path)
        .args(["--filter", "", "--output", "plain"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), SAVED_NUMBERS);
}

#[test]
fn other_output_formats() {
    assert_eq!(filter_saved(&["--output", "e164", "--type", "main"]), ["+12055550104"]);
    assert_eq!(filter_saved(&["--output", "national", "--type", "main"]), ["(205) 555-0104"]);
}

#[test]
fn server_text_is_escaped_in_json_output_and_never_printed_raw() {
    let hostile = r"+1205\u001b[2J\u202e5550199"; // JSON escapes
    let input = format!(
        r#"{{"phoneNumbers":[{{"phoneNumber":"+12055550198"}},{{"phoneNumber":"{hostile}","state":"ACTIVE","note":"a\u009bb"}}]}}"#
    );
    let safe = |text: &str| !text.chars().any(|c| c != '\n' && wxpick::sanitize::is_unsafe(c));

    let r = run_with_stdin(wxpick().args(["--input", "-", "--filter", "", "--output", "json"]), Some(input.as_bytes()));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(safe(&r.stdout), "{:?}", r.stdout);
    let lines = r.lines();
    assert_eq!(lines.len(), 2, "{r:?}");
    // Escaped, yet the same data.
    let v: serde_json::Value = serde_json::from_str(lines[1]).unwrap();
    assert_eq!(v["phoneNumber"], "+1205\u{1b}[2J\u{202e}5550199");
    assert_eq!(v["note"], "a\u{9b}b");

    // Text formats print only real numbers; whatever they say about the rest is escaped too.
    for format in ["plain", "e164", "national"] {
        let r =
            run_with_stdin(wxpick().args(["--input", "-", "--filter", "", "--output", format]), Some(input.as_bytes()));
        assert_eq!(r.code, Some(0), "{format}: {r:?}");
        assert!(safe(&r.stdout) && safe(&r.stderr), "{format}: {r:?}");
        assert_eq!(r.lines().len(), 1, "{format}: {r:?}");
        assert!(r.stdout.contains("555-0198") || r.stdout.contains("5550198"), "{format}: {r:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Usage errors
// ---------------------------------------------------------------------------------------------

#[test]
fn bad_flag_values_exit_2_with_one_line_naming_the_flag() {
    for (flag, value) in [
        ("--state", "busy"),
        ("--type", "fax"),
        ("--output", "xml"),
        ("--page-size", "0"),
        ("--timeout", "soon"),
        ("--demo-size", "lots"),
    ] {
        let r = run(demo().args(["--filter", ""]).args([flag, value]));
        assert_one_line_error(&r);
        assert!(r.stderr.contains(flag), "{flag} {value}: {r:?}");
        assert!(r.stderr.contains(value), "{flag} {value}: {r:?}");
    }
}

#[test]
fn no_token_exits_2_with_one_line_naming_the_variable() {
    let r = run(wxpick().args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("WEBEX_ACCESS_TOKEN"), "{r:?}");

    // A blank variable is no token either.
    let r = run(wxpick().env("WEBEX_ACCESS_TOKEN", "  ").args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("WEBEX_ACCESS_TOKEN"), "{r:?}");
}

#[test]
fn plain_http_base_url_off_loopback_exits_2() {
    let r = run(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).args([
        "--base-url",
        "http://example.com/v1",
        "--location",
        "LOC1",
        "--filter",
        "",
    ]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--base-url") && r.stderr.contains("http://example.com/v1"), "{r:?}");
    assert!(!r.stderr.contains(TOKEN), "{r:?}");
}

#[test]
fn empty_location_exits_2() {
    let r = run(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).args(["--location", "", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--location"), "{r:?}");
}

#[test]
fn token_file_with_more_than_one_line_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_token_file(&dir, &format!("{TOKEN}\nsecond line\n"), 0o600);
    let r = run(wxpick().arg("--token-file").arg(&path).args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("one line"), "{r:?}");
    assert!(!r.stderr.contains(TOKEN), "{r:?}");
}

#[test]
fn token_file_missing_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("absent");
    let r = run(wxpick().arg("--token-file").arg(&path).args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--token-file") && r.stderr.contains(path.to_str().unwrap()), "{r:?}");
    assert!(r.stderr.contains("no such file"), "{r:?}");
}

#[test]
fn token_file_empty_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_token_file(&dir, "\n", 0o600);
    let r = run(wxpick().arg("--token-file").arg(&path).args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--token-file") && r.stderr.contains("empty"), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Against an API server
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn token_from_the_environment_lists_numbers() {
    let numbers = ["+12055550001", "+12055550002"];
    let server = api_server(&numbers).await;
    for var in ["WEBEX_ACCESS_TOKEN", "WEBEX_TOKEN"] {
        let r = run(against(&server).env(var, TOKEN).args(["--filter", ""]));
        assert_eq!(r.code, Some(0), "{var}: {r:?}");
        assert_eq!(r.lines(), numbers, "{var}");
        assert!(r.stderr.is_empty(), "{r:?}");
    }
}

#[tokio::test]
async fn environment_supplies_location_and_base_url() {
    let server = api_server(&["+12055550001"]).await;
    let r = run(wxpick()
        .env("WEBEX_ACCESS_TOKEN", TOKEN)
        .env("WEBEX_LOCATION_ID", "LOC/ENV")
        .env("WEBEX_BASE_URL", format!("{}/v1", server.uri()))
        .args(["--filter", ""]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), ["+12055550001"]);
    let reqs = requests(&server).await;
    assert_eq!(reqs[0].url.path(), "/v1/telephony/config/locations/LOC%2FENV/queues/availableNumbers");
}

#[tokio::test]
async fn source_flags_become_query_parameters() {
    let server = api_server(&["+12055550001"]).await;
    let r = run(against(&server).env("WEBEX_ACCESS_TOKEN", TOKEN).args([
        "--org-id",
        "ORG/1+2=",
        "--page-size",
        "7",
        "--phone-number",
        "+12055550001",
        "--filter",
        "",
    ]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), ["+12055550001"]);
    let reqs = requests(&server).await;
    assert!(!reqs.is_empty());
    let first = &reqs[0];
    assert_eq!(first.url.path(), "/v1/telephony/config/locations/LOC1/queues/availableNumbers");
    let q: Vec<(String, String)> = first.url.query_pairs().into_owned().collect();
    let get = |k: &str| q.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str());
    assert_eq!(get("orgId"), Some("ORG/1+2="));
    assert_eq!(get("max"), Some("7"));
    assert_eq!(get("phoneNumber"), Some("+12055550001"));
    assert_eq!(get("start"), None);
}

#[tokio::test]
async fn unauthorized_exits_2_with_status_tracking_id_and_hint_but_not_the_token() {
    let server = api_server(&["+12055550001"]).await;
    let wrong = "tok-WRONG-9876543210";
    let r = run(against(&server).env("WEBEX_ACCESS_TOKEN", wrong).args(["--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("401"), "{r:?}");
    assert!(r.stderr.contains("ROUTER_TEST_401"), "{r:?}");
    assert!(r.stderr.contains("expired"), "{r:?}");
    assert!(!r.stderr.contains(wrong), "the token is never shown: {r:?}");
    assert_eq!(requests(&server).await.len(), 1, "a 401 is not retried");
}

#[tokio::test]
async fn token_files_readable_by_others_warn_but_work() {
    let numbers = ["+12055550001"];
    let server = api_server(&numbers).await;
    for (mode, said) in [(0o644, "readable by every user"), (0o640, "readable by its group")] {
        let dir = tempfile::tempdir().unwrap();
        let path = write_token_file(&dir, &format!("{TOKEN}\n"), mode);

        let r = run(against(&server).arg("--token-file").arg(&path).args(["--filter", ""]));

        assert_eq!(r.code, Some(0), "{mode:o}: {r:?}");
        assert_eq!(r.lines(), numbers);
        assert_eq!(r.stderr_lines().len(), 1, "{mode:o}: {r:?}");
        assert!(r.stderr.contains(said) && r.stderr.contains("chmod 600"), "{mode:o}: {r:?}");
        assert!(!r.stderr.contains(TOKEN), "{mode:o}: {r:?}");
    }
}

#[tokio::test]
async fn a_token_file_over_8_kib_is_refused_not_cut() {
    let dir = tempfile::tempdir().unwrap();
    // One line of printable text: cut at 8 KiB it would pass for a token.
    let path = write_token_file(&dir, &"a".repeat(8 * 1024 + 1), 0o600);
    let r = run(wxpick().arg("--token-file").arg(&path).args(["--location", "LOC1", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("more than 8 KiB"), "{r:?}");
    // At the bound it is read, and sent: the server judges it.
    let server = api_server(&["+12055550001"]).await;
    let path = write_token_file(&dir, &"a".repeat(8 * 1024), 0o600);
    let r = run(against(&server).arg("--token-file").arg(&path).args(["--filter", ""]));
    assert!(r.stderr.contains("401"), "{r:?}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[test]
fn a_directory_or_a_device_as_token_file_is_not_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    for path in [dir.path(), std::path::Path::new("/dev/null")] {
        let r = run(wxpick().arg("--token-file").arg(path).args(["--location", "LOC1", "--filter", ""]));
        assert_one_line_error(&r);
        assert!(r.stderr.contains("not a regular file"), "{r:?}");
        assert!(!r.stderr.contains("readable by"), "no permission warning for what is no file: {r:?}");
    }
}

#[tokio::test]
async fn private_token_file_works_without_a_warning() {
    let numbers = ["+12055550001"];
    let server = api_server(&numbers).await;
    let dir = tempfile::tempdir().unwrap();
    let path = write_token_file(&dir, &format!("{TOKEN}\n"), 0o600);

    // The file wins over the environment.
    let r = run(against(&server)
        .env("WEBEX_ACCESS_TOKEN", "tok-other")
        .arg("--token-file")
        .arg(&path)
        .args(["--filter", ""]));

    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), numbers);
    assert!(r.stderr.is_empty(), "{r:?}");
}

#[tokio::test]
async fn failure_part_way_prints_what_loaded_then_exits_2() {
    let server = MockServer::start().await;
    Mock::given(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_json(serde_json::json!({
            "message": "Internal Server Error", "errors": [], "trackingId": "ROUTER_TEST_500",
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(&["+12055550001", "+12055550002"])))
        .with_priority(2)
        .mount(&server)
        .await;

    let r = run(against(&server).env("WEBEX_ACCESS_TOKEN", TOKEN).args(["--filter", ""]));

    assert_eq!(r.code, Some(2), "{r:?}");
    assert_eq!(r.lines(), ["+12055550001", "+12055550002"]);
    assert_eq!(r.stderr_lines().len(), 1, "{r:?}");
    assert!(r.stderr.contains("incomplete") && r.stderr.contains("page 2"), "{r:?}");
    assert!(r.stderr.contains("500") && r.stderr.contains("ROUTER_TEST_500"), "{r:?}");
}

// ---------------------------------------------------------------------------------------------
// Subcommands
// ---------------------------------------------------------------------------------------------

#[test]
fn completions_bash_prints_a_script() {
    let r = run(wxpick().args(["completions", "bash"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains("_wxpick") && r.stdout.contains("--filter"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{r:?}");
    // --for offers every list, with its title where the shell shows one.
    assert!(r.stdout.contains("person-forward") && r.stdout.contains("location-webex-go"), "{}", r.stdout);
    let zsh = run(wxpick().args(["completions", "zsh"]));
    assert!(zsh.stdout.contains(r#"hunt-group-forward\:"hunt group call forwarding""#), "{}", zsh.stdout);
}

#[test]
fn completions_without_a_shell_list_the_shells_and_where_their_files_go() {
    let r = run(wxpick().arg("completions"));
    assert_eq!(r.code, Some(0), "{r:?}");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        assert!(r.lines().iter().any(|l| l.trim_start().starts_with(shell)), "{shell}: {}", r.stdout);
    }
    assert!(r.stdout.contains("bash-completion/completions/wxpick"), "{}", r.stdout);
}

#[test]
fn man_prints_a_man_page() {
    let r = run(wxpick().arg("man"));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains(".TH wxpick") && r.stdout.contains("filter"), "{}", r.stdout);
    assert!(r.stderr.is_empty(), "{r:?}");
    for section in ["KEYS", "EXAMPLES", "ENVIRONMENT", "FILES", "EXIT STATUS"] {
        assert!(r.stdout.contains(&format!(".SH \"{section}\"")), "no {section}: {}", r.stdout);
    }
    // No pages that do not exist (clap's default names wxpick-completions(1) and the like).
    assert!(!r.stdout.contains("(1)"), "{}", r.stdout);
}

#[test]
fn a_negative_number_of_seconds_says_what_is_wrong() {
    let r = run(wxpick().args(["--timeout", "-1", "--demo"]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--timeout") && r.stderr.contains("-1 is out of range"), "{r:?}");
    assert!(!r.stderr.contains("none was supplied"), "{r:?}");
}

#[test]
fn a_phone_number_that_is_not_e164_is_refused_before_any_request() {
    let r = run(wxpick().args(["--phone-number", "555", "--demo", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--phone-number") && r.stderr.contains("E.164") && r.stderr.contains("+1"), "{r:?}");
    let ok = run(wxpick().args(["--phone-number", "+12056350001", "--demo", "--filter", ""]));
    assert_eq!((ok.code, ok.lines()), (Some(0), vec!["+12056350001"]), "{ok:?}");
}

#[test]
fn token_value_never_appears_in_help() {
    // The help names the variables, and never takes the token as a flag value.
    let r = run(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).arg("--help"));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains("WEBEX_ACCESS_TOKEN"), "{r:?}");
    assert!(!r.stdout.contains(TOKEN) && !r.stderr.contains(TOKEN), "{r:?}");
}

#[tokio::test]
async fn the_log_file_records_requests_but_never_the_token() {
    let server = api_server(&["+12055550001"]).await;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("wxpick.log");
    let r = run(against(&server).env("WEBEX_ACCESS_TOKEN", TOKEN).env("WXPICK_LOG", &log).args(["--filter", ""]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "nothing is logged to the terminal: {r:?}");
    let text = std::fs::read_to_string(&log).unwrap();
    let response = text.lines().find(|l| l.contains("response")).unwrap_or_else(|| panic!("{text}"));
    assert!(response.contains("method=\"GET\"") || response.contains("method=GET"), "{response}");
    assert!(response.contains("/queues/availableNumbers") && response.contains("status=200"), "{response}");
    assert!(response.contains("tracking_id=") && response.contains("ms="), "{response}");
    assert!(!text.contains(TOKEN) && !text.contains("SECRET"), "the token is never logged:\n{text}");
}

#[test]
fn json_output_escapes_invisible_characters() {
    // A look-alike of +12056350002 (a zero-width space inside) and a name with invisible marks.
    let reply = "{\"phoneNumbers\":[{\"phoneNumber\":\"+1205635\u{200B}0002\",\"state\":\"ACTIVE\"},\
        {\"phoneNumber\":\"+12056350003\",\"state\":\"ACTIVE\",\"owner\":{\"displayName\":\"Ada\u{2062}\u{FEFF}\"}}]}";
    let r = run_with_stdin(wxpick().args(["--input", "-", "--filter", "", "--output", "json"]), Some(reply.as_bytes()));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains(r"+1205635\u200b0002") && r.stdout.contains(r"Ada\u2062\ufeff"), "{r:?}");
    assert!(
        !r.stdout.contains('\u{200B}') && !r.stdout.contains('\u{2062}') && !r.stdout.contains('\u{FEFF}'),
        "{r:?}"
    );
    // The JSON still reads back as the same text (the look-alike cannot be picked: it sorts last).
    let last: serde_json::Value = serde_json::from_str(r.stdout.lines().last().unwrap()).unwrap();
    assert_eq!(last["phoneNumber"], "+1205635\u{200B}0002", "{last}");
    // Plain output leaves out what is no number.
    let r = run_with_stdin(wxpick().args(["--input", "-", "--filter", ""]), Some(reply.as_bytes()));
    assert_eq!(r.lines(), ["+12056350003"], "{r:?}");
}

#[test]
fn the_log_file_is_created_private_and_never_through_a_link() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("new.log");
    let r = run(demo().arg("--log-file").arg(&log).args(["--filter", "0001"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(std::fs::read_to_string(&log).unwrap().contains("start"));
    assert_eq!(std::fs::metadata(&log).unwrap().permissions().mode() & 0o777, 0o600);
    // A link planted where the log goes: refused, and its target left alone.
    let target = dir.path().join("target");
    std::fs::write(&target, "precious\n").unwrap();
    let link = dir.path().join("link.log");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let r = run(demo().arg("--log-file").arg(&link).args(["--filter", "0001"]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--log-file") && r.stderr.contains("symbolic link"), "{r:?}");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "precious\n");
}

#[test]
fn an_exported_location_does_not_break_the_demo() {
    let r = run(demo().env("WEBEX_LOCATION_ID", "my-real-location").args(["--filter", "2056350001"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), ["+12056350001"]);
    // Given on the command line, it is used (and the demo server does not know it).
    let r = run(demo().args(["--location", "my-real-location", "--filter", ""]));
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("404"), "{r:?}");
}

#[test]
fn print_query_prints_the_query_even_when_nothing_matches() {
    let r = run(demo().args(["--filter", "99999999999", "--print-query"]));
    assert_eq!(r.code, Some(1), "{r:?}");
    assert_eq!(r.stdout, "99999999999\n");
}

#[test]
fn select_1_reports_a_load_that_failed_instead_of_opening_the_picker() {
    let r = run(demo().args(["--location", "nope", "--select-1", "--query", "555"]));
    assert_eq!(r.code, Some(2), "{r:?}");
    assert_one_line_error(&r);
    assert!(r.stderr.contains("404"), "{r:?}");
}

#[test]
fn a_signal_cancels_filter_mode_with_130() {
    for signal in [libc::SIGTERM, libc::SIGHUP, libc::SIGINT] {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("log");
        let mut child = demo()
            .args(["--demo-latency-ms", "30000", "--filter", ""])
            .env("WXPICK_LOG", &log)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Wait until the first request is out: the signal handlers are set up before it.
        wait_for_log(&log, "request");
        send_signal(&child, signal);
        let code = wait_guarded(&mut child);
        assert_eq!(code, Some(130), "signal {signal}");
    }
}

#[tokio::test]
async fn a_server_that_ignores_start_ends_the_list_with_a_notice() {
    // Every request gets the same page: paging stops at the first page with no new number.
    let server = MockServer::start().await;
    Mock::given(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(&["+12056350001", "+12056350002"])))
        .mount(&server)
        .await;
    // A location ID in Webex's own form, so that no request goes to telling an ID from a name.
    let id = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2RlbW8";
    let r = run(against(&server).env("WEBEX_ACCESS_TOKEN", TOKEN).args([
        "--location",
        id,
        "--filter",
        "",
        "--concurrency",
        "1",
    ]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines().len(), 2, "{r:?}");
    assert_eq!(requests(&server).await.len(), 2, "the repeated page ends paging");
    let notices: Vec<&str> = r.stderr.lines().filter(|l| l.contains("probably complete")).collect();
    assert_eq!(notices.len(), 1, "said once: {r:?}");
}

#[test]
fn a_signal_cancels_a_token_file_read_that_hangs() {
    // A FIFO with no writer: opening it blocks, as `--token-file <(cmd)` does while cmd stalls.
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("token");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0, "mkfifo");
    let log = dir.path().join("log");
    let mut child = wxpick()
        .args(["--base-url", "http://127.0.0.1:9/v1", "--location", "LOC1", "--filter", ""])
        .arg("--token-file")
        .arg(&fifo)
        .env("WXPICK_LOG", &log)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The log's first line comes after the signal handlers are set up, before the token is read.
    wait_for_log(&log, "start");
    send_signal(&child, libc::SIGTERM);
    assert_eq!(wait_guarded(&mut child), Some(130));
}

// ---------------------------------------------------------------------------------------------
// --for: every list
// ---------------------------------------------------------------------------------------------

/// The kinds `wxpick --for list` prints (first column, header left out).
fn kinds() -> Vec<String> {
    let r = run(wxpick().args(["--for", "list"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    r.lines().iter().skip(1).map(|l| l.split_whitespace().next().unwrap().to_string()).collect()
}

#[test]
fn for_list_prints_every_kind_with_its_request_and_needs_no_token() {
    let r = run(wxpick().args(["--for", "list"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    let kinds = kinds();
    assert_eq!(kinds.len(), 37, "{kinds:?}");
    assert_eq!(kinds[0], "queue");
    let person_fwd = r.lines().into_iter().find(|l| l.starts_with("person-forward ")).unwrap();
    assert!(person_fwd.contains("--person ID") && person_fwd.contains("person call forwarding"), "{person_fwd}");
    assert!(r.lines().iter().all(|l| l.chars().count() <= 80), "wider than 80 columns: {}", r.stdout);
    // JSON carries the rest: the flags each list takes and its request.
    let json = run(wxpick().args(["--for", "list", "--output", "json"]));
    assert_eq!(json.code, Some(0), "{json:?}");
    let rows: Vec<serde_json::Value> = json.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rows.len(), 37);
    let fwd = rows.iter().find(|r| r["kind"] == "person-forward").unwrap();
    assert!(fwd["path"].as_str().unwrap().contains("/people/{personId}/callForwarding/"), "{fwd}");
    assert_eq!(fwd["takes"], serde_json::json!(["--owner-name", "--extension"]));
}

#[test]
fn every_kind_can_be_filtered_on_the_demo() {
    let kinds = kinds();
    assert_eq!(kinds.len(), 37);
    for kind in &kinds {
        let r = run(demo().args(["--for", kind, "--filter", "", "--output", "json"]));
        assert_eq!(r.code, Some(0), "{kind}: {r:?}");
        assert!(r.stderr.is_empty(), "{kind}: {r:?}");
        let records: Vec<serde_json::Value> = r.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert!(records.len() > 100, "{kind}: {} numbers", records.len());
        let owned = records.iter().filter(|v| v.get("owner").is_some()).count();
        let has_owners = ["-forward", "-intercept", "-ecbn", "location-main", "location-caller-id", "numbers"]
            .iter()
            .any(|k| kind.ends_with(k) || kind == k);
        assert_eq!(owned > 0, has_owners, "{kind}: {owned} numbers with an owner");
    }
}

#[test]
fn owners_and_extensions_are_searched_in_filter_mode() {
    let r = run(demo().args(["--for", "queue-forward", "--filter", "ext 0004", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let v: Vec<serde_json::Value> = r.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!v.is_empty() && v.iter().all(|v| v["extension"].as_str().unwrap().contains("0004")), "{v:?}");
    // Words that are in the owner's words come first; fuzzy matches after them.
    let r = run(demo().args(["--for", "hunt-group-forward", "--filter", "hunt group", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let types: Vec<String> = r
        .lines()
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["owner"]["type"].to_string())
        .collect();
    let groups = types.iter().filter(|t| *t == "\"HUNT_GROUP\"").count();
    assert!(groups >= 2, "{types:?}");
    assert!(types[..groups].iter().all(|t| t == "\"HUNT_GROUP\""), "{types:?}");
    // The text formats stay one number a line.
    let r = run(demo().args(["--for", "queue-forward", "--filter", "ext 0004"]));
    assert!(r.lines().iter().all(|l| is_plausible_e164(l)), "{r:?}");
}

#[test]
fn a_missing_id_or_a_flag_the_list_does_not_take_is_exit_2() {
    let r = run(wxpick().args(["--for", "workspace-fax"]).env("WEBEX_ACCESS_TOKEN", TOKEN));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("needs --workspace ID"), "{r:?}");
    for args in [
        &["--person", "P", "--location", "L"][..],
        &["--for", "person-ecbn", "--person", "P", "--extension", "1"],
        &["--for", "person-fax", "--person", "P", "--location", "L"],
        &["--for", "hunt-group", "--location", "L", "--license-type", "standard"],
    ] {
        let r = run(wxpick().args(args).env("WEBEX_ACCESS_TOKEN", TOKEN));
        assert_one_line_error(&r);
        assert!(r.stderr.contains("takes no --"), "{args:?}: {r:?}");
    }
    // An exported location is not a flag given: a list that takes none ignores it.
    let r = run(demo().args(["--for", "person-fax", "--filter", "0001"]).env("WEBEX_LOCATION_ID", "L"));
    assert_eq!(r.code, Some(0), "{r:?}");
}

/// `wxpick ARGS` with the token, against `server`'s `/v1`.
fn run_against(server: &MockServer, args: &[&str]) -> Run {
    let base = format!("{}/v1", server.uri());
    run(wxpick().env("WEBEX_ACCESS_TOKEN", TOKEN).args(["--base-url", &base]).args(args))
}

#[tokio::test]
async fn a_persons_list_against_a_real_server_sends_its_ids_and_filters_and_keeps_owners() {
    let server = MockServer::start().await;
    let body = serde_json::json!({"phoneNumbers": [
        {"phoneNumber": "+12055550001", "state": "ACTIVE", "extension": "1001",
         "owner": {"id": "OWNER1", "type": "PEOPLE", "firstName": "Ava", "lastName": "Smith"}},
        {"phoneNumber": "+12055550002", "state": "ACTIVE"},
    ]});
    Mock::given(bearer_token(TOKEN))
        .and(query_param("start", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page_json(&[])))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(2)
        .mount(&server)
        .await;
    let r = run_against(
        &server,
        &[
            "--for",
            "person-forward",
            "--person",
            "PERSON/1",
            "--owner-name",
            "Smith",
            "--extension",
            "1001",
            "--filter",
            "smith",
            "--output",
            "json",
        ],
    );
    assert_eq!(r.code, Some(0), "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.len(), 1, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!((v["extension"].as_str(), v["owner"]["id"].as_str()), (Some("1001"), Some("OWNER1")));
    let reqs = requests(&server).await;
    assert!(reqs.len() >= 2, "a page, then an empty one: {reqs:?}");
    for req in &reqs {
        assert_eq!(req.url.path(), "/v1/telephony/config/people/PERSON%2F1/callForwarding/availableNumbers");
        let q: Vec<(String, String)> = req.url.query_pairs().into_owned().filter(|(k, _)| k != "start").collect();
        assert_eq!(q, [("ownerName".into(), "Smith".into()), ("extension".into(), "1001".into())]);
    }
}

#[tokio::test]
async fn a_404_on_a_persons_list_says_the_person_was_not_found_and_a_403_names_the_scope() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path_regex("/people/"))
        .respond_with(ResponseTemplate::new(404).set_body_json(serde_json::json!({"message": "Not found"})))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path_regex("/huntGroups/"))
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({"message": "Forbidden"})))
        .mount(&server)
        .await;
    let r = run_against(&server, &["--for", "person-secondary", "--person", "P1", "--filter", ""]);
    assert_one_line_error(&r);
    assert!(r.stderr.contains("HTTP 404") && r.stderr.contains("Unknown person: check --person"), "{r:?}");
    let r = run_against(
        &server,
        &["--for", "hunt-group", "--location", "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE", "--filter", ""],
    );
    assert_one_line_error(&r);
    assert!(
        r.stderr.contains("HTTP 403")
            && r.stderr.contains("hunt group primary list")
            && r.stderr.contains("spark-admin:telephony_config_read"),
        "{r:?}"
    );
    assert_eq!(requests(&server).await.len(), 2, "neither is retried");
}

#[test]
fn max_age_with_the_cache_turned_off_by_the_environment_is_not_an_error() {
    let r = run(demo().env("WXPICK_NO_CACHE", "1").args(["--filter", "6350001", "--max-age", "10m"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), ["+12056350001"]);
}

// --for numbers: the organization's number inventory
// ---------------------------------------------------------------------------------------------

/// The inventory's records printed by `--output json`.
fn json_lines(r: &Run) -> Vec<serde_json::Value> {
    r.lines().iter().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn the_inventory_says_who_has_a_number_in_one_line_of_json() {
    // Assigned: its owner, extension and location.
    let r =
        run(demo().args(["--for", "numbers", "--phone-number", "+12056350004", "--filter", "", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty(), "{r:?}");
    let v = json_lines(&r);
    assert_eq!(v.len(), 1, "{r:?}");
    assert_eq!(v[0]["phoneNumber"], "+12056350004");
    assert_eq!((v[0]["owner"]["firstName"].as_str(), v[0]["owner"]["lastName"].as_str()), (Some("Ava"), Some("Smith")));
    assert_eq!((v[0]["owner"]["type"].as_str(), v[0]["extension"].as_str()), (Some("PEOPLE"), Some("0004")));
    assert_eq!(v[0]["location"]["name"], "Birmingham HQ");
    assert_eq!(v[0]["location"]["id"], wxpick::demo::DEMO_LOCATION);
    // Free: no owner, and the one location that offers it.
    let r =
        run(demo().args(["--for", "numbers", "--phone-number", "+12056350001", "--filter", "", "--output", "json"]));
    let v = json_lines(&r);
    assert_eq!(v.len(), 1, "{r:?}");
    assert!(v[0].get("owner").is_none() && v[0].get("extension").is_none(), "{v:?}");
    assert_eq!(v[0]["location"]["name"], "Birmingham HQ");
    // The same number in the queue list of that location: free there too.
    let r = run(demo().args(["--filter", "", "--phone-number", "+12056350001"]));
    assert_eq!(r.lines(), ["+12056350001"], "{r:?}");
}

#[test]
fn available_is_every_free_number_of_every_location_in_one_list() {
    let r = run(demo().args(["--for", "numbers", "--available", "--filter", "", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let v = json_lines(&r);
    assert!(v.iter().all(|v| v.get("owner").is_none()), "only unassigned numbers");
    let got: HashSet<String> = v.iter().map(|v| v["phoneNumber"].as_str().unwrap().to_string()).collect();
    let free: HashSet<String> = wxpick::demo::org_records().iter().map(|r| r.phone_number.to_string()).collect();
    assert_eq!(got, free, "every free number of the organization, each once");
    assert_eq!(got.len(), v.len());
    let locations: HashSet<&str> = v.iter().map(|v| v["location"]["name"].as_str().unwrap()).collect();
    assert!(locations.len() >= 15 && locations.contains("Köln") && locations.contains("Sydney"), "{locations:?}");
    // Without --available, the assigned numbers too; with a location, that location's only.
    let all = run(demo().args(["--for", "numbers", "--filter", "", "--output", "json"]));
    let all = json_lines(&all);
    let assigned = all.iter().filter(|v| v.get("owner").is_some()).count();
    assert!(assigned > 100 && all.len() == v.len() + assigned, "{} = {} + {assigned}", all.len(), v.len());
    let r = run(demo().args(["--for", "numbers", "--location", "Köln", "--filter", "", "--output", "json"]));
    let koln = json_lines(&r);
    assert!(!koln.is_empty() && koln.iter().all(|v| v["location"]["name"] == "Köln"), "{r:?}");
    // Its numbers in its own area (an extension without a number has none).
    assert!(koln.iter().all(|v| v["phoneNumber"].as_str().is_none_or(|n| n.starts_with("+49221"))), "Köln's area");
    assert!(koln.iter().filter(|v| v["phoneNumber"].is_string()).count() > 100, "{}", koln.len());
}

#[test]
fn the_inventorys_rows_are_searched_by_location_and_owner() {
    let r = run(demo().args(["--for", "numbers", "--filter", "chicago smith", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let v = json_lines(&r);
    assert!(!v.is_empty(), "{r:?}");
    for v in &v {
        assert!(v["location"]["name"].as_str().unwrap().starts_with("Chicago"), "{v}");
        assert!(v["owner"]["lastName"].as_str().unwrap().to_lowercase().contains("s"), "{v}");
    }
    // The plain format stays one number a line.
    let r = run(demo().args(["--for", "numbers", "--filter", "chicago smith"]));
    assert!(!r.lines().is_empty() && r.lines().iter().all(|l| is_plausible_e164(l)), "{r:?}");
}

#[test]
fn the_inventorys_flags_are_refused_by_other_lists_and_where_the_api_refuses_them() {
    for args in [
        &["--available"][..],
        &["--owner-type", "person"],
        &["--number-type", "number"],
        &["--toll-free"],
        &["--for", "numbers", "--available", "--owner-type", "person"],
        &["--for", "numbers", "--available", "--number-type", "extension"],
    ] {
        let r = run(demo().args(args).args(["--filter", ""]));
        assert_one_line_error(&r);
    }
    let r = run(demo().args(["--for", "numbers", "--owner-type", "robot", "--filter", ""]));
    assert_one_line_error(&r);
    assert!(r.stderr.contains("--owner-type"), "{r:?}");
}

/// A server of the number inventory that answers with the API description's example record
/// (an owner, a location, fields wxpick does not know), then an empty page.
async fn inventory_server() -> MockServer {
    let server = MockServer::start().await;
    let body = serde_json::json!({"phoneNumbers": [
        {"phoneNumber": "+12056350001", "extension": "11", "routingPrefix": "1234", "esn": "123411",
         "state": "ACTIVE", "phoneNumberType": "FAX", "mainNumber": false, "includedTelephonyTypes": "MOBILE_NUMBER",
         "tollFreeNumber": false, "isServiceNumber": false,
         "location": {"id": "LOC1", "name": "Banglore"},
         "owner": {"id": "OWNER1", "type": "PEOPLE", "firstName": "sadiq", "lastName": "hussain"}},
    ], "count": {"assigned": 1}});
    Mock::given(bearer_token(TOKEN))
        .and(query_param("start", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"phoneNumbers": []})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(bearer_token(TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(body))
        .with_priority(2)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn the_inventorys_flags_become_its_query_parameters() {
    const LOC: &str = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE";
    // The flags of a run, and the query parameters (besides paging) they send.
    type FlagsAndQuery = (&'static [&'static str], &'static [(&'static str, &'static str)]);
    let runs: [FlagsAndQuery; 3] = [
        (
            &["--location", LOC, "--available", "--state", "active", "--extension", "11", "--toll-free"],
            &[
                ("locationId", LOC),
                ("available", "true"),
                ("state", "ACTIVE"),
                ("extension", "11"),
                ("tollFreeNumbers", "true"),
            ],
        ),
        // A state beside a number type is applied here, not sent (the API takes them only apart).
        (
            &["--owner-name", "hussain", "--owner-type", "person", "--number-type", "NUMBER", "--state", "active"],
            &[("ownerName", "hussain"), ("ownerType", "PEOPLE"), ("numberType", "NUMBER")],
        ),
        // Both is the API's default: nothing is sent for it.
        (&["--number-type", "both", "--owner-type", "HUNT_GROUP"], &[("ownerType", "HUNT_GROUP")]),
    ];
    for (args, want) in runs {
        let server = inventory_server().await;
        let common = ["--for", "numbers", "--phone-number", "+12056350001", "--filter", "", "--output", "json"];
        let r = run_against(&server, &[&common[..], args].concat());
        assert_eq!(r.code, Some(0), "{args:?}: {r:?}");
        // Who has it, in one line: the record as sent, unknown fields and all.
        let v = json_lines(&r);
        assert_eq!(v.len(), 1, "{r:?}");
        assert_eq!(v[0]["location"], serde_json::json!({"id": "LOC1", "name": "Banglore"}));
        assert_eq!((v[0]["owner"]["id"].as_str(), v[0]["esn"].as_str()), (Some("OWNER1"), Some("123411")));
        assert_eq!(
            (&v[0]["mainNumber"], &v[0]["phoneNumberType"]),
            (&serde_json::json!(false), &serde_json::json!("FAX"))
        );
        let reqs = requests(&server).await;
        assert!(!reqs.is_empty());
        for req in &reqs {
            assert_eq!(req.url.path(), "/v1/telephony/config/numbers");
            let mut q: Vec<(String, String)> =
                req.url.query_pairs().into_owned().filter(|(k, _)| !["start", "max"].contains(&k.as_str())).collect();
            let mut expected: Vec<(String, String)> =
                want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            expected.push(("phoneNumber".into(), "+12056350001".into()));
            q.sort();
            expected.sort();
            assert_eq!(q, expected, "{args:?}");
        }
    }
}

#[test]
fn extensions_without_a_number_are_listed_but_never_printed_as_numbers() {
    let r = run(demo().args(["--for", "numbers", "--number-type", "extension", "--filter", "", "--output", "json"]));
    assert_eq!(r.code, Some(0), "{r:?}");
    let v = json_lines(&r);
    assert!(!v.is_empty(), "{r:?}");
    assert!(v.iter().all(|v| v.get("phoneNumber").is_none() && v["extension"].is_string() && v["owner"].is_object()));
    // In a number's format there is nothing to print: said once, on stderr.
    let r = run(demo().args(["--for", "numbers", "--number-type", "extension", "--filter", ""]));
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
    assert_eq!(
        r.stderr_lines(),
        [format!("wxpick: left out {} extensions without a number (--output json shows them)", v.len())]
    );
    // --number-type number: numbers only, of every location.
    let r = run(demo().args(["--for", "numbers", "--number-type", "number", "--filter", ""]));
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stderr.is_empty() && r.lines().len() > 3000, "{r:?}");
}

/// A port on this machine where nothing listens: a socket bound to it (so no one else takes
/// it) that never listens, so that every connection to it is refused; kept while it lives.
fn refused_port() -> (std::net::SocketAddr, tokio::net::TcpSocket) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    (socket.local_addr().unwrap(), socket)
}

#[test]
fn a_refused_connection_is_one_line_naming_the_host_and_port() {
    let (addr, _held) = refused_port();
    let base = format!("http://{addr}/v1");
    // A script's run: --filter, with a location ID (the numbers' request) and by name (the
    // locations' request); each retries, then says where it could not connect.
    for location in ["Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzEyMw", "Birmingham HQ"] {
        let r = run(wxpick()
            .args(["--base-url", &base, "--location", location, "--filter", "1"])
            .env("WEBEX_TOKEN", TOKEN));
        assert_eq!(r.code, Some(2), "{r:?}");
        assert_eq!(r.stdout, "");
        let lines = r.stderr_lines();
        assert_eq!(lines.len(), 1, "{r:?}");
        let expected = format!("cannot connect to {addr}: connection refused. ");
        assert!(lines[0].starts_with("wxpick: ") && lines[0].contains(&expected), "{lines:?}");
        assert!(!lines[0].contains("os error"), "{lines:?}");
    }
}
