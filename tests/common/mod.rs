//! Helpers shared by the tests of the fetch task (`client.rs`, `fetch_concurrency.rs`).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use wxpick::webex::{ApiClient, FetchEvent, Resume, spawn_fetch};

/// The longest a fetch may take before a test gives up on it (a guard against hangs, not a
/// measurement).
pub const GUARD: Duration = Duration::from_secs(30);

/// Runs the fetch task from `from` and returns every event it sends, in order. The channel
/// closes when the task ends, so this also checks that the task stops after its last event.
pub async fn fetch_all(client: Arc<ApiClient>, from: Resume) -> Vec<FetchEvent> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = spawn_fetch(client, from, tx, |e| e);
    let mut events = Vec::new();
    tokio::time::timeout(GUARD, async {
        while let Some(e) = rx.recv().await {
            events.push(e);
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the fetch task did not finish; events so far: {events:?}"));
    task.await.expect("the fetch task does not panic");
    events
}

/// Every number of every page, in order of arrival.
pub fn received_numbers(events: &[FetchEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Page { numbers, .. } => Some(numbers.iter().map(|r| r.phone_number.to_string())),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A reply of active, non-main numbers, as the API sends it.
pub fn page_body(numbers: &[String]) -> serde_json::Value {
    let records: Vec<_> = numbers
        .iter()
        .map(|n| serde_json::json!({ "phoneNumber": n, "state": "ACTIVE", "isMainNumber": false }))
        .collect();
    serde_json::json!({ "phoneNumbers": records })
}

/// A location's list of numbers on a local server (wiremock) that pages by offset (`start`,
/// `max`) and answers the `phoneNumber` filter (a comma-separated list) with those it has. Its
/// list can change between runs, as another admin's work changes a real one.
#[derive(Clone, Default)]
pub struct ListServer {
    state: Arc<std::sync::Mutex<ListState>>,
}

#[derive(Default)]
struct ListState {
    numbers: Vec<String>,
    /// Added before the first page of a load (`start` 0 or absent), to hold a refresh up.
    first_page_delay: Duration,
    /// Requests for pages, and the `phoneNumber` value of each check, in order.
    pages: usize,
    checks: Vec<String>,
}

/// The ID of the location that [`ListServer`] serves.
pub const LIST_LOCATION: &str = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL2NhY2hldGVzdDE";

impl ListServer {
    /// Starts serving `numbers` as the queue list of [`LIST_LOCATION`].
    pub async fn start(numbers: &[&str]) -> (wiremock::MockServer, ListServer) {
        let server = wiremock::MockServer::start().await;
        let list = ListServer::default();
        list.set(numbers);
        let path = format!("/v1/telephony/config/locations/{LIST_LOCATION}/queues/availableNumbers");
        wiremock::Mock::given(wiremock::matchers::path(path)).respond_with(list.clone()).mount(&server).await;
        (server, list)
    }

    /// The list from now on.
    pub fn set(&self, numbers: &[&str]) {
        self.state.lock().unwrap().numbers = numbers.iter().map(|n| n.to_string()).collect();
    }

    /// Holds every first page back this long from now on.
    pub fn delay_first_page(&self, delay: Duration) {
        self.state.lock().unwrap().first_page_delay = delay;
    }

    /// How many page requests (not checks) came.
    pub fn pages(&self) -> usize {
        self.state.lock().unwrap().pages
    }

    /// The `phoneNumber` value of each check that came.
    pub fn checks(&self) -> Vec<String> {
        self.state.lock().unwrap().checks.clone()
    }
}

impl wiremock::Respond for ListServer {
    fn respond(&self, req: &wiremock::Request) -> wiremock::ResponseTemplate {
        let q: std::collections::HashMap<String, String> = req.url.query_pairs().into_owned().collect();
        let mut st = self.state.lock().unwrap();
        if let Some(asked) = q.get("phoneNumber") {
            st.checks.push(asked.clone());
            let wanted: Vec<&str> = asked.split(',').collect();
            let found: Vec<String> = st.numbers.iter().filter(|n| wanted.contains(&n.as_str())).cloned().collect();
            return wiremock::ResponseTemplate::new(200).set_body_json(page_body(&found));
        }
        st.pages += 1;
        let start: usize = q.get("start").and_then(|s| s.parse().ok()).unwrap_or(0);
        let max: usize = q.get("max").and_then(|s| s.parse().ok()).unwrap_or(2000);
        let page: Vec<String> = st.numbers.iter().skip(start).take(max).cloned().collect();
        let delay = if start == 0 { st.first_page_delay } else { Duration::ZERO };
        wiremock::ResponseTemplate::new(200).set_body_json(page_body(&page)).set_delay(delay)
    }
}

/// What a run of the binary printed, and how it ended.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "exit {:?}\nstdout:\n{}\nstderr:\n{}", self.code, self.stdout, self.stderr)
    }
}

/// The built binary, with nothing of the user's environment that would change what it does
/// (tokens, wxpick's settings, proxies), and without the user's cache (a list cached by one run
/// must not feed the next).
pub fn wxpick() -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_wxpick"));
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy().to_string();
        if name.starts_with("WEBEX_") || name.starts_with("WXPICK_") || name.to_lowercase().ends_with("_proxy") {
            cmd.env_remove(&name);
        }
    }
    cmd.env("WXPICK_NO_CACHE", "1");
    cmd
}

/// Runs `cmd` with no input and waits for it (killing it, and failing, after a minute: a guard
/// against hangs, not a measurement).
pub fn finish(cmd: &mut std::process::Command) -> Run {
    use std::process::Stdio;
    use std::time::Instant;
    let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let deadline = Instant::now() + 2 * GUARD;
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("wxpick did not finish");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}
