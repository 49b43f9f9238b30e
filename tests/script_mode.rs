//! wxpick's script mode, run against any build of the binary: the one cargo built for this
//! machine, or another named by `WXPICK_TEST_BIN` and started through `WXPICK_TEST_RUNNER`.
//! `.ci/run` runs these tests three times: natively (in the README's test command), against the
//! static musl binary, and against the Windows `.exe` under Wine:
//!
//! ```text
//! WXPICK_TEST_BIN=target/x86_64-pc-windows-gnu/release/wxpick.exe WXPICK_TEST_RUNNER=wine \
//!     cargo test --release --locked --test script_mode
//! ```
//!
//! A binary that is named but missing, or a runner that cannot be started, fails every test:
//! nothing is skipped.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wxpick::demo::{self, DEMO_LOCATION, DEMO_TOKEN, DemoOptions};

/// Variables that would let the caller's environment change what wxpick does.
const CLEARED_ENV: &[&str] = &[
    "WEBEX_ACCESS_TOKEN",
    "WEBEX_TOKEN",
    "WEBEX_LOCATION_ID",
    "WEBEX_BASE_URL",
    "WEBEX_ORG_ID",
    "WXPICK_DEFAULT_OPTS",
    "WXPICK_CACHE_DIR",
    "RUST_LOG",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

/// The longest a run may take (Wine's first start in a new prefix is slow) before the test gives
/// up on it: a guard against hangs, not a measure of speed.
const GUARD: Duration = Duration::from_secs(180);

/// The binary under test, and how to start it.
struct Target {
    bin: PathBuf,
    runner: Option<String>,
    /// A Windows `.exe`: paths are given as Windows paths, and the platform's own places differ.
    windows: bool,
}

fn target() -> Target {
    let bin = match std::env::var_os("WXPICK_TEST_BIN").filter(|v| !v.is_empty()) {
        Some(bin) => PathBuf::from(bin),
        None => PathBuf::from(env!("CARGO_BIN_EXE_wxpick")),
    };
    let head = std::fs::read(&bin).unwrap_or_else(|e| panic!("the binary under test {}: {e}", bin.display()));
    let runner = std::env::var("WXPICK_TEST_RUNNER").ok().filter(|r| !r.is_empty());
    Target { windows: head.starts_with(b"MZ"), bin, runner }
}

impl Target {
    fn command(&self) -> Command {
        let mut cmd = match &self.runner {
            Some(runner) => {
                let mut cmd = Command::new(runner);
                cmd.arg(&self.bin);
                cmd
            }
            None => Command::new(&self.bin),
        };
        for var in CLEARED_ENV {
            cmd.env_remove(var);
        }
        // Wine's own diagnostics stay off the output the tests read.
        cmd.env("WINEDEBUG", "-all");
        cmd.env("WXPICK_NO_CACHE", "1");
        cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
        cmd
    }

    /// A path as the binary under test names it: under Wine, `/tmp/a b` is `Z:\tmp\a b`.
    fn path(&self, p: &Path) -> String {
        let text = p.to_str().expect("test paths are UTF-8");
        if self.windows && self.runner.is_some() { format!("Z:{}", text.replace('/', "\\")) } else { text.to_string() }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_env(args, &[])
    }

    fn run_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = self.command();
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().unwrap_or_else(|e| panic!("cannot start {cmd:?}: {e}"));
        let (out, err) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
        let out = std::thread::spawn(move || read_all(out));
        let err = std::thread::spawn(move || read_all(err));
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            if started.elapsed() > GUARD {
                let _ = child.kill();
                panic!("{cmd:?} still running after {GUARD:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        Run { code: status.code(), stdout: out.join().unwrap(), stderr: err.join().unwrap() }
    }
}

fn read_all(mut pipe: impl std::io::Read) -> String {
    let mut text = String::new();
    pipe.read_to_string(&mut text).expect("UTF-8 output");
    text
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

/// The run for a failed assertion: its exit code, and the start of its output.
impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cut = |s: &str| s.chars().take(600).collect::<String>();
        let lines = self.stdout.lines().count();
        write!(f, "exit {:?}, {lines} lines: {:?}, stderr: {:?}", self.code, cut(&self.stdout), cut(&self.stderr))
    }
}

impl Run {
    fn lines(&self) -> Vec<&str> {
        self.stdout.lines().collect()
    }

    /// Exit 2 with one line on stderr, naming `what`.
    fn assert_usage_error(&self, what: &str) {
        assert_eq!(self.code, Some(2), "{self:?}");
        assert!(self.stdout.is_empty(), "{self:?}");
        let lines: Vec<&str> = self.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "one line: {self:?}");
        assert!(lines[0].starts_with("wxpick: ") && lines[0].contains(what), "{self:?}");
    }
}

fn sorted(lines: Vec<&str>) -> Vec<String> {
    let mut v: Vec<String> = lines.into_iter().map(str::to_string).collect();
    v.sort();
    v
}

/// `--filter 2056350001` on the demo's numbers: the number itself first, then only demo numbers
/// (valid E.164, each once).
fn assert_demo_match(r: &Run) {
    assert_eq!(r.code, Some(0), "{r:?}");
    let lines = r.lines();
    assert_eq!(lines.first(), Some(&"+12056350001"), "the exact match first: {r:?}");
    let demo: std::collections::HashSet<String> =
        demo::demo_records(None).iter().map(|n| n.phone_number.to_string()).collect();
    assert!(lines.iter().all(|l| demo.contains(*l)), "only the demo's numbers: {r:?}");
    assert_eq!(sorted(lines.clone()).windows(2).filter(|w| w[0] == w[1]).count(), 0, "each once: {r:?}");
    assert!(lines.len() < demo.len(), "filtered: {r:?}");
}

/// A directory whose path has spaces in it.
fn spaced_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("wxpick script ").tempdir().unwrap()
}

/// A saved reply with Windows line ends, in a directory and under a name with spaces.
fn saved_reply(dir: &Path, numbers: &[&str]) -> PathBuf {
    let records: Vec<String> = numbers
        .iter()
        .map(|n| {
            format!(
                r#"{{"phoneNumber":"{n}","state":"ACTIVE","isMainNumber":false,"tollFreeNumber":false,"telephonyType":"PSTN_NUMBER","isServiceNumber":false}}"#
            )
        })
        .collect();
    let text = format!("{{\r\n\"phoneNumbers\":[\r\n{}\r\n]\r\n}}\r\n", records.join(",\r\n"));
    let path = dir.join("saved reply.json");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn demo_filter_prints_the_matching_numbers_and_nothing_else() {
    assert_demo_match(&target().run(&["--demo", "--demo-latency-ms", "0", "--filter", "2056350001"]));
}

#[test]
fn a_query_matching_nothing_exits_1_with_nothing_printed() {
    let r = target().run(&["--demo", "--demo-latency-ms", "0", "--filter", "no such thing zzz"]);
    assert_eq!(r.code, Some(1), "{r:?}");
    assert!(r.stdout.is_empty(), "{r:?}");
}

#[test]
fn bad_flags_exit_2_with_one_line() {
    let t = target();
    t.run(&["--demo", "--filter", "1", "--page-size", "0"]).assert_usage_error("--page-size");
    t.run(&["--no-such-flag"]).assert_usage_error("--no-such-flag");
    t.run(&["--filter", "1", "--location", "x"]).assert_usage_error("WEBEX_ACCESS_TOKEN");
}

#[test]
fn a_saved_reply_with_crlf_line_ends_in_a_path_with_spaces_is_read() {
    let t = target();
    let dir = spaced_dir();
    let path = saved_reply(dir.path(), &["+12056350001", "+12056350002", "+442071838750"]);
    let r = t.run(&["--input", &t.path(&path), "--filter", "2056"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    assert_eq!(r.lines(), vec!["+12056350001", "+12056350002"], "{r:?}");
    // A missing file is an error that names it.
    let missing = dir.path().join("not there.json");
    let r = t.run(&["--input", &t.path(&missing), "--filter", ""]);
    assert_eq!(r.code, Some(2), "{r:?}");
    assert!(r.stderr.contains("not there.json"), "{r:?}");
}

#[test]
fn json_output_is_one_object_per_number_with_the_fields_as_sent() {
    let t = target();
    let dir = spaced_dir();
    let path = saved_reply(dir.path(), &["+12056350001", "+12056350002"]);
    let r = t.run(&["--input", &t.path(&path), "--filter", "", "--output", "json"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let objects: Vec<serde_json::Value> =
        r.lines().iter().map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l:?}: {e}"))).collect();
    let numbers: Vec<&str> = objects.iter().map(|o| o["phoneNumber"].as_str().unwrap()).collect();
    assert_eq!(sorted(numbers), vec!["+12056350001", "+12056350002"]);
    assert!(objects.iter().all(|o| o["state"] == "ACTIVE" && o["telephonyType"] == "PSTN_NUMBER"), "{r:?}");
}

#[test]
fn locations_are_listed_and_filtered() {
    let r = target().run(&["locations", "--demo", "--filter", "paris"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    // ID, tab, name; the names as sent, accents included (UTF-8 on every platform).
    let names: Vec<&str> = r.lines().iter().filter_map(|l| l.split_once('\t')).map(|(_, name)| name).collect();
    assert_eq!(names, vec!["Paris La Défense", "Paris Opéra"], "{r:?}");
}

#[test]
fn for_list_names_every_kind() {
    let r = target().run(&["--for", "list"]);
    assert_eq!(r.code, Some(0), "{r:?}");
    for kind in ["queue", "queue-forward", "hunt-group", "auto-attendant", "person-primary"] {
        assert!(r.lines().iter().any(|l| l.split_whitespace().next() == Some(kind)), "{kind}: {r:?}");
    }
}

/// A token file written on Windows ends its line with CRLF: the token is read without the CR
/// (the demo server refuses any other token, so a CR kept would fail the run).
#[test]
fn a_token_file_with_crlf_in_a_path_with_spaces_works() {
    let t = target();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let opts = DemoOptions { latency: Duration::ZERO, ..Default::default() };
    let server = rt.block_on(demo::start(opts)).expect("the demo server starts");
    let dir = spaced_dir();
    let token_file = |name: &str, content: &str| {
        let path = dir.path().join(name);
        let mut f = std::fs::File::create(&path).unwrap();
        f.write_all(content.as_bytes()).unwrap();
        path
    };
    let base = server.base_url.to_string();
    let run = |path: &Path| {
        t.run(&[
            "--base-url",
            &base,
            "--token-file",
            &t.path(path),
            "--location",
            DEMO_LOCATION,
            "--filter",
            "2056350001",
        ])
    };
    let good = run(&token_file("token crlf.txt", &format!("{DEMO_TOKEN}\r\n")));
    assert_demo_match(&good);
    // The server does check: a wrong token is refused.
    let bad = run(&token_file("wrong token.txt", "not-the-demo-token\r\n"));
    assert_eq!(bad.code, Some(2), "{bad:?}");
    assert!(bad.stdout.is_empty() && bad.stderr.contains("401"), "{bad:?}");
}

/// The cache lives in the platform's own place: `%LOCALAPPDATA%\wxpick` on Windows, the XDG
/// cache directory on Linux (`WXPICK_CACHE_DIR` overrides both).
#[test]
fn the_cache_is_in_the_platforms_place() {
    let t = target();
    let r = t.run_env(&["cache", "path"], &[("XDG_CACHE_HOME", "/tmp/xdg cache")]);
    assert_eq!(r.code, Some(0), "{r:?}");
    let path = r.stdout.trim_end();
    if t.windows {
        assert!(path.ends_with("\\AppData\\Local\\wxpick"), "{r:?}");
    } else if cfg!(target_os = "macos") {
        assert!(path.ends_with("/Library/Caches/wxpick"), "{r:?}");
    } else {
        assert_eq!(path, "/tmp/xdg cache/wxpick", "{r:?}");
    }
    let dir = spaced_dir();
    let r = t.run_env(&["cache", "path"], &[("WXPICK_CACHE_DIR", &t.path(dir.path()))]);
    assert_eq!(r.stdout.trim_end(), t.path(dir.path()), "{r:?}");
}
