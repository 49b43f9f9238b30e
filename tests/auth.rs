//! `wxpick auth`: every sign-in flow, the stored sign-in's refreshes and the token source order,
//! end to end: the built binary against the demo server (started here, reached with
//! `--base-url`) or wiremock, with the sign-in kept in a file of a temporary config directory.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use wiremock::matchers::{bearer_token, body_string_contains, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
use wxpick::demo::{self, DemoOptions, auth as demo_auth};

/// What a run left.
#[derive(Debug)]
struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// A temporary config directory holding the sign-in, and the API the runs talk to.
struct Home {
    dir: tempfile::TempDir,
    base: String,
}

impl Home {
    fn new(base: &str) -> Home {
        Home { dir: tempfile::tempdir().unwrap(), base: base.trim_end_matches('/').to_string() }
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("wxpick")
    }

    fn credentials(&self) -> PathBuf {
        self.config().join("credentials.json")
    }

    /// The stored sign-in of this base URL, as JSON.
    fn stored(&self) -> Option<serde_json::Value> {
        let text = std::fs::read_to_string(self.credentials()).ok()?;
        let all: serde_json::Value = serde_json::from_str(&text).unwrap();
        all["sign_ins"].get(&self.base).cloned()
    }

    fn stored_field(&self, field: &str) -> String {
        self.stored().expect("a stored sign-in")[field].as_str().unwrap_or_default().to_string()
    }

    /// `wxpick --base-url BASE ARGS` with the demo's client secret in the environment.
    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpick"));
        for (name, _) in std::env::vars_os() {
            let n = name.to_string_lossy();
            if n.starts_with("WEBEX_") || n.starts_with("WXPICK_") || n.ends_with("_proxy") || n.ends_with("_PROXY") {
                cmd.env_remove(&name);
            }
        }
        cmd.args(["--base-url", &self.base]).args(args);
        cmd.env("WXPICK_CREDENTIALS", "file")
            .env("WXPICK_CONFIG_DIR", self.config())
            .env("WXPICK_NO_CACHE", "1")
            .env("WXPICK_BROWSER", "none")
            .env("WXPICK_CLIENT_SECRET", demo_auth::CLIENT_SECRET)
            .stdin(Stdio::null());
        cmd
    }

    async fn run(&self, args: &[&str]) -> Run {
        run(self.command(args)).await
    }

    async fn login(&self, client: &str) -> Run {
        self.run(&["auth", "login", "--client-id", client]).await
    }
}

async fn run(mut cmd: Command) -> Run {
    let out = tokio::time::timeout(Duration::from_secs(60), tokio::task::spawn_blocking(move || cmd.output()))
        .await
        .expect("wxpick ended within a minute")
        .unwrap()
        .unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

async fn demo_server(token_lifetime: Duration, refresh_latency: Duration) -> String {
    let opts = DemoOptions { latency: Duration::ZERO, token_lifetime, refresh_latency, ..DemoOptions::default() };
    demo::start(opts).await.unwrap().base_url.to_string()
}

/// The last line of stderr: the error, one line.
fn last_line(run: &Run) -> &str {
    run.stderr.trim_end().lines().last().unwrap_or("")
}

const HOUR: Duration = Duration::from_secs(3600);

#[tokio::test(flavor = "multi_thread")]
async fn device_login_then_status_token_the_picker_and_logout() {
    let home = Home::new(&demo_server(HOUR, Duration::ZERO).await);
    let login = home.login(demo_auth::CLIENT_ID).await;
    assert_eq!(login.code, Some(0), "{login:?}");
    assert_eq!(login.stdout, "", "the code and address never go to stdout");
    assert!(login.stderr.contains("/v1/demo/verify") && login.stderr.contains("enter the code"), "{}", login.stderr);
    assert!(login.stderr.contains('▀'), "a QR code: {}", login.stderr);
    assert!(last_line(&login).contains("signed in to") && last_line(&login).contains("Dana Demo"), "{login:?}");
    let access = home.stored_field("access_token");
    assert!(access.starts_with("wxpick-demo-access-"), "{access}");
    assert_eq!(home.stored_field("client_secret"), demo_auth::CLIENT_SECRET);
    assert!(!login.stderr.contains(&access) && !login.stderr.contains(demo_auth::CLIENT_SECRET));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&home.credentials()), 0o600);
        assert_eq!(mode(&home.config()), 0o700);
    }

    let status = home.run(&["auth", "status"]).await;
    assert_eq!(status.code, Some(0), "{status:?}");
    for want in [
        "Dana Demo <dana.demo@example.com>",
        "0f1c3b2a-1111-4c5d-9e8f-0123456789ab",
        "the sign-in of wxpick auth login",
        "expires",
        "none refused",
    ] {
        assert!(status.stdout.contains(want), "{want:?} in {}", status.stdout);
    }
    assert!(!status.stdout.contains(&access));

    let token = home.run(&["auth", "token"]).await;
    assert_eq!((token.code, token.stdout.as_str()), (Some(0), format!("{access}\n").as_str()), "{token:?}");

    // The picker takes the stored sign-in when no token is given.
    let list = home.run(&["--location", demo::DEMO_LOCATION, "--filter", ""]).await;
    assert_eq!(list.code, Some(0), "{list:?}");
    assert!(list.stdout.lines().count() > 100, "{list:?}");
    // A token given outright comes first: the demo refuses this one.
    let mut given = home.command(&["--location", demo::DEMO_LOCATION, "--filter", ""]);
    given.env("WEBEX_ACCESS_TOKEN", "not-the-demo-token-1234");
    let given = run(given).await;
    assert_eq!(given.code, Some(2), "{given:?}");
    assert!(given.stderr.contains("401") && !given.stderr.contains("not-the-demo-token-1234"), "{given:?}");

    let logout = home.run(&["auth", "logout"]).await;
    assert_eq!(logout.code, Some(0), "{logout:?}");
    assert!(home.stored().is_none(), "forgotten");
    let status = home.run(&["auth", "status"]).await;
    assert_eq!(status.code, Some(1), "{status:?}");
    assert!(last_line(&status).contains("not signed in"), "{status:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_failed_sign_in_is_one_line_and_stores_nothing() {
    let base = demo_server(HOUR, Duration::ZERO).await;
    let home = Home::new(&base);
    let denied = home.login(demo_auth::CLIENT_DENIED).await;
    let expired = home.login(demo_auth::CLIENT_EXPIRED).await;
    let mut wrong = home.command(&["auth", "login", "--client-id", demo_auth::CLIENT_ID]);
    wrong.env("WXPICK_CLIENT_SECRET", "not-the-secret-42");
    let wrong = run(wrong).await;
    // A token endpoint that is down: nothing listens on this port any more.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let down = Home::new(&format!("http://{closed}/v1"));
    let down_run = down.login(demo_auth::CLIENT_ID).await;
    for (run, want) in [
        (&denied, "denied"),
        (&expired, "expired before it was approved"),
        (&wrong, "client ID or secret was refused"),
        (&down_run, "cannot reach the token endpoint"),
    ] {
        assert_eq!(run.code, Some(2), "{run:?}");
        assert!(last_line(run).starts_with("wxpick: ") && last_line(run).contains(want), "{want:?}: {run:?}");
        assert_eq!(run.stdout, "");
        assert!(!run.stderr.contains("not-the-secret-42"), "{run:?}");
    }
    assert!(home.stored().is_none() && down.stored().is_none(), "nothing stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn slow_down_is_honoured_and_the_sign_in_completes() {
    let home = Home::new(&demo_server(HOUR, Duration::ZERO).await);
    let login = home.login(demo_auth::CLIENT_SLOW).await;
    assert_eq!(login.code, Some(0), "{login:?}");
    assert!(home.stored().is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_expiring_soon_is_refreshed_first_and_the_rotated_refresh_token_stored() {
    // Tokens of one minute: always within the 5 minutes, so each run refreshes first.
    let home = Home::new(&demo_server(Duration::from_secs(60), Duration::ZERO).await);
    assert_eq!(home.login(demo_auth::CLIENT_ID).await.code, Some(0));
    let (access, refresh) = (home.stored_field("access_token"), home.stored_field("refresh_token"));
    let token = home.run(&["auth", "token"]).await;
    assert_eq!(token.code, Some(0), "{token:?}");
    let new_access = home.stored_field("access_token");
    assert_ne!(new_access, access, "refreshed before use");
    assert_eq!(token.stdout.trim(), new_access);
    let new_refresh = home.stored_field("refresh_token");
    assert_ne!(new_refresh, refresh, "the rotated refresh token is stored");

    // The old refresh token is spent: exchanging it fails in one line that never shows it
    // (the demo's error echoes it), and the stored sign-in stays as it was.
    let file = home.dir.path().join("old-refresh");
    std::fs::write(&file, &refresh).unwrap();
    let old = home
        .run(&["auth", "login", "--client-id", demo_auth::CLIENT_ID, "--refresh-token-file", file.to_str().unwrap()])
        .await;
    assert_eq!(old.code, Some(2), "{old:?}");
    assert!(last_line(&old).contains("refresh token was refused"), "{old:?}");
    assert!(!old.stderr.contains(&refresh) && old.stderr.contains("<redacted>"), "{old:?}");
    assert_eq!(home.stored_field("refresh_token"), new_refresh);

    // A service app's refresh token: exchanged at once, what comes back stored.
    std::fs::write(&file, "wxpick-demo-refresh-serviceapp1\n").unwrap();
    let service = home
        .run(&["auth", "login", "--client-id", demo_auth::CLIENT_ID, "--refresh-token-file", file.to_str().unwrap()])
        .await;
    assert_eq!(service.code, Some(0), "{service:?}");
    assert_eq!(home.stored_field("flow"), "refresh-token");
    assert_ne!(home.stored_field("refresh_token"), "wxpick-demo-refresh-serviceapp1");
}

/// Makes the stored access token expired, so that the next run refreshes it first.
fn expire(home: &Home) {
    let mut all: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(home.credentials()).unwrap()).unwrap();
    all["sign_ins"][&home.base]["expires_at"] = 0.into();
    std::fs::write(home.credentials(), all.to_string()).unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn two_processes_refreshing_at_once_keep_the_refresh_token() {
    // The refresh takes 300 ms, so the two runs overlap; the demo refuses a spent refresh token,
    // so a run that refreshed with the refresh token the other one already spent would fail.
    let home = Home::new(&demo_server(HOUR, Duration::from_millis(300)).await);
    assert_eq!(home.login(demo_auth::CLIENT_ID).await.code, Some(0));
    expire(&home);
    let (a, b) = tokio::join!(home.run(&["auth", "token"]), home.run(&["auth", "token"]));
    assert_eq!((a.code, b.code), (Some(0), Some(0)), "{a:?} {b:?}");
    assert_eq!(a.stdout, b.stdout, "the second took the first one's refreshed token");
    assert_eq!(a.stdout.trim(), home.stored_field("access_token"));
    // The stored refresh token is the live one: the next refresh works.
    expire(&home);
    let c = home.run(&["auth", "token"]).await;
    assert_eq!(c.code, Some(0), "{c:?}");
    assert_ne!(c.stdout, a.stdout);
}

/// A stored sign-in for `server`, written as `wxpick auth login` writes it.
fn seed(home: &Home, access: &str, refresh: &str) {
    std::fs::create_dir_all(home.config()).unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    let body = serde_json::json!({ "version": 1, "sign_ins": { home.base.clone(): {
        "base_url": home.base, "client_id": "C1", "client_secret": "client-secret-xyz",
        "access_token": access, "expires_at": now + 3600, "refresh_token": refresh,
        "refresh_expires_at": null, "flow": "device" } } });
    std::fs::write(home.credentials(), body.to_string()).unwrap();
}

const LOC: &str = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2F1dGh0ZXN0";

fn numbers_path() -> String {
    format!("/v1/telephony/config/locations/{LOC}/queues/availableNumbers")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_mid_run_refreshes_once_and_repeats_the_request() {
    let server = MockServer::start().await;
    let home = Home::new(&format!("{}/v1", server.uri()));
    seed(&home, "old-access-token-1", "old-refresh-token-1");
    Mock::given(method("GET"))
        .and(path(numbers_path()))
        .and(bearer_token("old-access-token-1"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "Invalid token"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/access_token"))
        .and(body_string_contains("refresh_token=old-refresh-token-1"))
        .and(body_string_contains("client_secret=client-secret-xyz"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": "new-access-token-2", "expires_in": 3600,
            "refresh_token": "new-refresh-token-2", "refresh_token_expires_in": 86400})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path(numbers_path()))
        .and(bearer_token("new-access-token-2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"phoneNumbers": [
            {"phoneNumber": "+12055550100", "state": "ACTIVE", "isMainNumber": false}]})))
        .expect(1..)
        .mount(&server)
        .await;
    let list = home.run(&["--location", LOC, "--filter", ""]).await;
    assert_eq!((list.code, list.stdout.as_str()), (Some(0), "+12055550100\n"), "{list:?}");
    assert_eq!(home.stored_field("access_token"), "new-access-token-2");
    assert_eq!(home.stored_field("refresh_token"), "new-refresh-token-2", "the rotated refresh token is stored");
    server.verify().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_401_that_no_refresh_mends_ends_the_run_signed_out() {
    let server = MockServer::start().await;
    let home = Home::new(&format!("{}/v1", server.uri()));
    seed(&home, "old-access-token-1", "old-refresh-token-1");
    Mock::given(method("GET"))
        .and(path(numbers_path()))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"message": "Invalid token"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/access_token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "error": "invalid_grant", "error_description": "refresh token old-refresh-token-1 revoked"})))
        .expect(1)
        .mount(&server)
        .await;
    let list = home.run(&["--location", LOC, "--filter", ""]).await;
    assert_eq!(list.code, Some(2), "{list:?}");
    assert_eq!(list.stderr, "wxpick: signed out: run wxpick auth login\n");
    assert_eq!(home.stored_field("refresh_token"), "old-refresh-token-1", "nothing stored");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_that_echoes_the_token_has_it_redacted() {
    // An API error body that repeats the Authorization header and the token on its own: without
    // the redaction both would reach the error line.
    let token = "echoed-secret-token-0123456789";
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(400).set_body_json(serde_json::json!({
            "message": format!("Bad request with header Authorization: Bearer {token}"),
            "errors": [{"description": format!("token {token} is not valid here")}]})))
        .mount(&server)
        .await;
    let home = Home::new(&format!("{}/v1", server.uri()));
    let mut cmd = home.command(&["--location", LOC, "--filter", ""]);
    cmd.env("WEBEX_ACCESS_TOKEN", token);
    let log = home.dir.path().join("log");
    cmd.env("WXPICK_LOG", &log);
    let r = run(cmd).await;
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(!r.stderr.contains(token), "{}", r.stderr);
    assert!(
        r.stderr.contains("Bearer <redacted>") && r.stderr.contains("token <redacted> is not valid"),
        "{}",
        r.stderr
    );
    assert!(!std::fs::read_to_string(&log).unwrap().contains(token), "nor in the log");
}

#[tokio::test(flavor = "multi_thread")]
async fn status_names_the_lists_a_token_lacks_the_scope_for() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/people/me"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "displayName": "Ada Admin", "emails": ["ada@example.com"], "orgId": "ORG1"})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/telephony/config/locations"))
        .respond_with(ResponseTemplate::new(403))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let home = Home::new(&format!("{}/v1", server.uri()));
    let mut cmd = home.command(&["auth", "status"]);
    cmd.env("WEBEX_ACCESS_TOKEN", "scoped-token-0123456789");
    let r = run(cmd).await;
    assert_eq!(r.code, Some(0), "{r:?}");
    assert!(r.stdout.contains("Ada Admin <ada@example.com>"), "{}", r.stdout);
    assert!(r.stdout.contains("the environment (WEBEX_ACCESS_TOKEN)"), "{}", r.stdout);
    assert!(r.stdout.contains("refused") && r.stdout.contains("spark-admin:telephony_config_read"), "{}", r.stdout);
    assert!(!r.stdout.contains("people_read"), "people are readable: {}", r.stdout);
}

/// Starts `wxpick auth login --browser` and returns it with the authorize address it printed.
async fn start_browser_login(home: &Home) -> (std::process::Child, String, std::sync::mpsc::Receiver<String>) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut cmd = home.command(&["auth", "login", "--browser", "--port", "0", "--client-id", demo_auth::CLIENT_ID]);
    cmd.stderr(Stdio::piped()).stdout(Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let stderr = child.stderr.take().unwrap();
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let (rest_tx, rest_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("/authorize?") {
                let _ = url_tx.send(line.trim().to_string());
            }
            let _ = rest_tx.send(line);
        }
    });
    let url = tokio::task::spawn_blocking(move || url_rx.recv_timeout(Duration::from_secs(60)))
        .await
        .unwrap()
        .expect("the authorize address is printed");
    (child, url, rest_rx)
}

async fn wait(mut child: std::process::Child) -> Option<i32> {
    tokio::time::timeout(Duration::from_secs(60), tokio::task::spawn_blocking(move || child.wait()))
        .await
        .expect("wxpick ended within a minute")
        .unwrap()
        .unwrap()
        .code()
}

#[tokio::test(flavor = "multi_thread")]
async fn browser_login_with_pkce_and_a_one_shot_listener() {
    let home = Home::new(&demo_server(HOUR, Duration::ZERO).await);
    let (child, url, lines) = start_browser_login(&home).await;
    let url = reqwest::Url::parse(&url).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["code_challenge_method"], "S256");
    assert_eq!(q["code_challenge"].len(), 43, "base64url of a SHA-256");
    assert!(q["redirect_uri"].starts_with("http://127.0.0.1:") && q["redirect_uri"].ends_with("/callback"));
    // The test is the browser: the demo's authorize page redirects to the listener.
    let page = reqwest::get(url.clone()).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("You may close this tab"));
    assert_eq!(wait(child).await, Some(0), "{:?}", lines.try_iter().collect::<Vec<_>>());
    assert_eq!(home.stored_field("flow"), "browser");
    // One request only: the listener is closed.
    assert!(reqwest::get(q["redirect_uri"].as_str()).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_browser_answer_with_another_state_is_refused() {
    let home = Home::new(&demo_server(HOUR, Duration::ZERO).await);
    let (child, url, lines) = start_browser_login(&home).await;
    let url = reqwest::Url::parse(&url).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    let forged = format!("{}?code=forged-code-123&state=not-the-state", q["redirect_uri"]);
    let page = reqwest::get(forged).await.unwrap();
    assert!(page.text().await.unwrap().contains("could not sign in"));
    assert_eq!(wait(child).await, Some(2));
    // Every line, to the end of stderr: the reader thread may not have passed on the last one yet.
    let said: Vec<String> = lines.iter().collect();
    assert!(said.last().is_some_and(|l| l.contains("state") && l.contains("nothing was stored")), "{said:?}");
    assert!(home.stored().is_none());
}

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread")]
async fn without_a_secret_service_the_sign_in_goes_to_the_file() {
    // A D-Bus session address where nothing answers: the credential store fails, the file is used.
    let home = Home::new(&demo_server(HOUR, Duration::ZERO).await);
    let mut cmd = home.command(&["auth", "login", "--client-id", demo_auth::CLIENT_ID]);
    cmd.env_remove("WXPICK_CREDENTIALS").env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/wxpick-test-bus");
    let login = run(cmd).await;
    assert_eq!(login.code, Some(0), "{login:?}");
    assert!(last_line(&login).contains("kept in the file"), "{login:?}");
    assert!(home.stored().is_some());
}
