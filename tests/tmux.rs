//! wxpick in a real terminal multiplexer: a tmux server started by each test (own socket,
//! `set-clipboard on`), driven with send-keys and read with capture-pane and show-buffer.
//! Covers the clipboard round trip, `--height`, and the fzf-style script flags in a terminal.
//!
//! Every test here is `#[ignore = "needs tmux"]`: a plain `cargo test` lists them as ignored
//! (so a machine without tmux shows the skip), and `cargo test -- --include-ignored` (what
//! `.ci/run` and the README run) runs them. A test that runs never passes without tmux: it fails
//! saying tmux is missing (under `CI=true`, that tmux is required there).

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const WXPICK: &str = env!("CARGO_BIN_EXE_wxpick");

/// A tmux server of the test's own, on its own socket, killed on drop.
struct Tmux {
    socket: String,
}

impl Tmux {
    /// Starts the server; fails the test if tmux cannot be run.
    fn start(name: &str) -> Tmux {
        require_tmux();
        let socket = format!("wxpick-test-{}-{name}", std::process::id());
        let t = Tmux { socket };
        let ok =
            t.run(&["-f", "/dev/null", "new-session", "-d", "-s", "main", "-x", "100", "-y", "30"]).status.success();
        assert!(ok, "tmux new-session failed");
        assert!(t.run(&["set-option", "-g", "set-clipboard", "on"]).status.success());
        t
    }

    fn run(&self, args: &[&str]) -> Output {
        Command::new("tmux").arg("-L").arg(&self.socket).args(args).output().expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "main"];
        args.extend_from_slice(keys);
        assert!(self.run(&args).status.success());
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "main"]).stdout).into_owned()
    }

    /// The screen with its escape sequences (colours), to see what was drawn where.
    fn screen_lines(&self) -> Vec<String> {
        self.screen().lines().map(str::to_string).collect()
    }

    fn buffer(&self) -> Option<String> {
        let out = self.run(&["show-buffer"]);
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }

    /// Waits until `check` holds, or fails the test with what was on screen.
    fn wait_for(&self, what: &str, check: impl Fn(&Tmux) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if check(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("timed out waiting for {what}; screen:\n{}", self.screen());
    }
}

/// Fails the test, with the reason, unless `tmux -V` runs. Never a silent pass: these tests are
/// `#[ignore]`d for machines without tmux, so a run that includes them asked for tmux.
fn require_tmux() {
    let found = Command::new("tmux").arg("-V").output().is_ok_and(|o| o.status.success());
    if found {
        return;
    }
    if std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0") {
        panic!("CI is set and tmux is not installed: the tmux tests must run in CI (.ci/run installs tmux)");
    }
    panic!(
        "tmux is not installed: install it to run the tmux tests, or leave out `--include-ignored` \
         (a plain `cargo test` lists them as ignored)"
    );
}

/// The exit code the shell printed (`exit=N` on a line of its own), if any yet.
fn exit_code(t: &Tmux) -> Option<i32> {
    t.screen_lines().iter().rev().find_map(|l| l.strip_prefix("exit=")?.trim().parse().ok())
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.run(&["kill-server"]);
    }
}

fn command_line(args: &str, out: &Path) -> String {
    format!(
        "env -u WEBEX_ACCESS_TOKEN -u WEBEX_TOKEN -u WXPICK_DEFAULT_OPTS -u DISPLAY -u WAYLAND_DISPLAY WXPICK_NO_CACHE=1 {WXPICK} --demo --demo-latency-ms 10 --no-mouse --location {} {args} > {}; echo exit=$?",
        wxpick::demo::DEMO_LOCATION,
        out.display()
    )
}

#[test]
#[ignore = "needs tmux"]
fn ctrl_y_copies_the_highlighted_number_into_tmux() {
    let tmux = Tmux::start("ctrl-y");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&[&command_line("", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("all loaded"));
    tmux.send(&["635 0002"]);
    tmux.wait_for("the query to narrow", |t| t.screen().contains("1 / 1,022"));
    tmux.send(&["C-y"]);
    tmux.wait_for("the copy", |t| t.buffer().as_deref() == Some("+12056350002"));
    tmux.wait_for("the status line note", |t| t.screen().contains("copied +12056350002 "));
    // Copying does not leave the picker; Esc does, with nothing on stdout.
    tmux.send(&["Escape"]);
    tmux.wait_for("exit", |t| exit_code(t) == Some(130));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "");
}

#[test]
#[ignore = "needs tmux"]
fn clipboard_flag_copies_the_pick_and_stdout_still_gets_it() {
    let tmux = Tmux::start("flag");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&[&command_line("--clipboard --query 8885550101", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("all loaded"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t) == Some(0));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "+18885550101\n");
    tmux.wait_for("the copy", |t| t.buffer().as_deref() == Some("+18885550101"));
}

#[test]
#[ignore = "needs tmux"]
fn height_draws_below_the_prompt_and_leaves_the_lines_above() {
    let tmux = Tmux::start("height");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&["clear; for i in 1 2 3 4 5; do echo keep-line-$i; done", "Enter"]);
    tmux.wait_for("the lines", |t| t.screen().contains("keep-line-5"));
    tmux.send(&[&command_line("--height 10", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("all loaded"));
    let lines = tmux.screen_lines();
    for i in 1..=5 {
        assert_eq!(lines[i - 1], format!("keep-line-{i}"), "the scrollback above stays while picking:\n{lines:#?}");
    }
    let status = lines.iter().position(|l| l.contains("all loaded")).unwrap();
    // The query line is the last prompt above the status line (the shell's command line, wrapped,
    // may hold a "> " of its own).
    let query = lines[..status].iter().rposition(|l| l == ">" || l.starts_with("> ")).unwrap();
    // The list's title takes the row above the query line.
    assert!(lines[query - 1].starts_with("call queue primary"), "the header:\n{lines:#?}");
    assert_eq!(status - query + 2, 10, "exactly 10 rows:\n{lines:#?}");
    assert!(lines[status + 1..].iter().all(|l| l.trim().is_empty()), "nothing below the picker");
    tmux.send(&["2056350001"]);
    tmux.wait_for("the query to narrow", |t| t.screen().contains("1 / 1,022"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t) == Some(0));
    let lines = tmux.screen_lines();
    for i in 1..=5 {
        assert_eq!(lines[i - 1], format!("keep-line-{i}"), "the scrollback above stays after exit:\n{lines:#?}");
    }
    assert!(!tmux.screen().contains("all loaded"), "the picker's area is cleared on exit");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "+12056350001\n");
}

#[test]
#[ignore = "needs tmux"]
fn print_query_and_print0_in_the_picker() {
    let tmux = Tmux::start("print");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&[&command_line("--print-query --print0", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("all loaded"));
    tmux.send(&["+1 205 635 0002"]);
    tmux.wait_for("the query to narrow", |t| t.screen().contains("1 / 1,022"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t) == Some(0));
    assert_eq!(std::fs::read(&out).unwrap(), b"+1 205 635 0002\0+12056350002\0");
}

#[test]
#[ignore = "needs tmux"]
fn select_1_and_exit_0_decide_without_the_picker() {
    let tmux = Tmux::start("select");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&[&command_line("--select-1 --query 2056350002", &out), "Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "+12056350002\n");
    tmux.send(&["clear", "Enter"]);
    tmux.wait_for("clear", |t| exit_code(t).is_none());
    tmux.send(&[&command_line("--exit-0 --query 99999999999", &out), "Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(1), "{}", tmux.screen());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "");
    // More than one match: --select-1 opens the picker.
    tmux.send(&["clear", "Enter"]);
    tmux.wait_for("clear", |t| exit_code(t).is_none());
    tmux.send(&[&command_line("--select-1 --exit-0 --query 635", &out), "Enter"]);
    tmux.wait_for("the picker", |t| t.screen().contains("all loaded"));
    tmux.send(&["Escape"]);
    tmux.wait_for("exit", |t| exit_code(t) == Some(130));
}

#[test]
#[ignore = "needs tmux"]
fn a_closed_stdout_is_not_an_error() {
    let tmux = Tmux::start("pipe");
    // `true` exits at once, so wxpick's stdout is a pipe nobody reads by the time it prints.
    let line = format!(
        "env -u WXPICK_DEFAULT_OPTS WXPICK_NO_CACHE=1 {WXPICK} --demo --demo-latency-ms 10 --no-mouse --location {} --query 2056350003 | true; echo exit=${{PIPESTATUS[0]}}",
        wxpick::demo::DEMO_LOCATION
    );
    tmux.send(&["exec bash --norc", "Enter"]);
    tmux.send(&[&line, "Enter"]);
    tmux.wait_for("the picker", |t| t.screen().contains("1 / 1,022"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
}

#[test]
#[ignore = "needs tmux"]
fn a_bad_server_day_loses_nothing_and_r_retries_the_failed_page() {
    let tmux = Tmux::start("chaos");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // As many numbers as there were when the demo location offered every demo number: four pages.
    tmux.send(&[&command_line("--demo-chaos --demo-size 2881", &out), "Enter"]);
    tmux.wait_for("the rate limit", |t| t.screen().contains("rate limited, retrying in 1 s"));
    // Hostile records are shown escaped: had the ESC [ 2 J reached the terminal, the screen
    // would have been wiped.
    // INVALID rows sort last: the word `invalid` finds them.
    tmux.wait_for("page 4 to fail for good", |t| t.screen().contains("INCOMPLETE, page 4 failed (r: retry)"));
    assert!(tmux.screen().contains("1,499 / 1,499"), "the pages before stay: {}", tmux.screen());
    tmux.send(&["inv"]);
    tmux.wait_for("the hostile rows", |t| t.screen().contains("+1205\\u{1b}[2J") && t.screen().contains("INVALID"));
    tmux.send(&["BSpace", "BSpace", "BSpace"]);
    tmux.send(&["r"]);
    tmux.wait_for("the rest", |t| t.screen().contains("2,885 / 2,885 · all loaded"));
    // An invalid number cannot be picked; the first row, a valid one, can.
    tmux.send(&["inv"]);
    tmux.wait_for("the invalid rows", |t| t.screen().contains("INVALID") && !t.screen().contains("2,885 / 2,885"));
    tmux.send(&["Enter"]);
    tmux.wait_for("the refusal", |t| t.screen().contains("cannot be picked"));
    tmux.send(&["BSpace", "BSpace", "BSpace"]);
    tmux.wait_for("every row again", |t| t.screen().contains("2,885 / 2,885"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "+12056350002\n");
}

#[test]
#[ignore = "needs tmux"]
fn a_picker_that_could_load_nothing_exits_2_with_the_error() {
    let tmux = Tmux::start("failed");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // An ID (of no location): used as it is, so the numbers' 404 is the picker's error. (A name
    // no location has opens the locations instead: see pty.rs.)
    tmux.send(&[&command_line("--location Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL25vcGU", &out), "Enter"]);
    tmux.wait_for("the error", |t| t.screen().contains("Could not load the numbers: HTTP 404"));
    tmux.send(&["Escape"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(2), "{}", tmux.screen());
    assert!(tmux.screen().contains("wxpick: listing available numbers failed: HTTP 404"), "{}", tmux.screen());
}

#[test]
#[ignore = "needs tmux"]
fn the_first_frame_comes_before_the_first_page_and_rows_right_after_it() {
    let tmux = Tmux::start("first");
    let dir = tempfile::tempdir().unwrap();
    let (out, log) = (dir.path().join("out"), dir.path().join("log"));
    let args = format!("--demo-latency-ms 400 --log-file {}", log.display());
    tmux.send(&[&command_line(&args, &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("all loaded"));
    tmux.send(&["Escape"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    let text = std::fs::read_to_string(&log).unwrap();
    let at = |what: &str| text.lines().position(|l| l.contains(what)).unwrap_or_else(|| panic!("{what}:\n{text}"));
    let (frame, page, rows) = (at("first frame drawn"), at("msg=page 1:"), at("first rows drawn"));
    assert!(frame < page, "the first frame is drawn before the first page arrives:\n{text}");
    assert!(page < rows, "{text}");
    // Between the first page and its rows: only that page's own search, no other event.
    let between: Vec<&str> = text.lines().skip(page + 1).take(rows - page - 1).collect();
    assert!(between.iter().all(|l| !l.contains("event")), "{between:#?}");
}

#[test]
#[ignore = "needs tmux"]
fn locations_then_numbers_then_back_then_numbers_prints_only_the_number() {
    let tmux = Tmux::start("locations");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    // No --location: the picker starts on the demo's locations.
    let line = format!(
        "env -u WEBEX_ACCESS_TOKEN -u WEBEX_TOKEN -u WEBEX_LOCATION_ID -u WXPICK_DEFAULT_OPTS -u DISPLAY -u WAYLAND_DISPLAY WXPICK_NO_CACHE=1 {WXPICK} --demo --demo-latency-ms 10 --no-mouse > {}; echo exit=$?",
        out.display()
    );
    tmux.send(&[&line, "Enter"]);
    tmux.wait_for("the locations", |t| t.screen().contains("27 / 27 locations · all loaded"));
    tmux.send(&["paris op"]);
    tmux.wait_for("Paris Opéra", |t| t.screen().contains("▶ Paris Opéra"));
    tmux.send(&["Enter"]);
    tmux.wait_for("its numbers", |t| {
        t.screen().contains("Paris Opéra · 8 Rue Scribe") && t.screen().contains("Ctrl-L locations")
    });
    // F4 shows the details of the highlighted number, and hides them again; Ctrl-L goes back.
    tmux.send(&["F4"]);
    tmux.wait_for("the details pane", |t| t.screen().contains("│ details") && t.screen().contains("E.164"));
    tmux.send(&["F4"]);
    tmux.wait_for("no details pane", |t| !t.screen().contains("│ details") && t.screen().contains("Ctrl-L locations"));
    tmux.send(&["C-l"]);
    tmux.wait_for("back, query kept", |t| t.screen().contains("> paris op") && t.screen().contains("▶ Paris Opéra"));
    tmux.send(&["C-u", "adlershof"]);
    tmux.wait_for("Berlin Adlershof", |t| t.screen().contains("▶ Berlin Adlershof"));
    tmux.send(&["Enter"]);
    tmux.wait_for("its numbers", |t| {
        t.screen().contains("Berlin Adlershof · Rudower") && t.screen().contains("all loaded")
    });
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
    let printed = std::fs::read_to_string(&out).unwrap();
    // The first of the Berlin numbers that Berlin Adlershof offers (one in four).
    let adlershof: Vec<String> = wxpick::demo::demo_records(None)
        .into_iter()
        .map(|r| r.phone_number.to_string())
        .filter(|n| wxpick::demo::locations::location_of(n).1 == "Berlin Adlershof")
        .collect();
    assert!(adlershof.len() > 5 && adlershof.iter().all(|n| n.starts_with("+4930")), "{adlershof:?}");
    assert_eq!(printed, format!("{}\n", adlershof[0]), "stdout holds only the number");
}

/// `command_line`, but with stdout through a pipe (`| cat > out`), as `wxpick | xargs` has it;
/// the exit code is wxpick's. Needs bash (for PIPESTATUS): the test starts it first.
fn piped_command_line(args: &str, out: &Path) -> String {
    let to_file = format!("> {}; echo exit=$?", out.display());
    let line = command_line(args, out);
    assert!(line.ends_with(&to_file), "{line}");
    format!("{}| cat > {}; echo exit=${{PIPESTATUS[0]}}", line.strip_suffix(&to_file).unwrap(), out.display())
}

/// Shows only `number` (by its digits), waits for the status line (`marked`: the count so far),
/// and marks it with Tab.
fn mark(tmux: &Tmux, number: &str, marked: &str) {
    tmux.send(&["C-u", number.trim_start_matches("+1")]);
    tmux.wait_for("the number alone", |t| t.screen().contains(&format!("1 / 1,022 · {marked}")));
    tmux.send(&["Tab"]);
}

#[test]
#[ignore = "needs tmux"]
fn multi_through_a_pipe_prints_query_and_marks_with_nul_and_copies_them_all() {
    let tmux = Tmux::start("multi-pipe");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&["exec bash --norc", "Enter"]);
    tmux.send(&[&piped_command_line("--multi --print-query --print0 --clipboard", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("1,022 / 1,022 · 0 marked · all loaded"));
    mark(&tmux, "+18885550101", "0 marked");
    mark(&tmux, "+12056350002", "1 marked");
    // The last query hides the first mark; both are printed, in the list's order.
    tmux.wait_for("two marks", |t| t.screen().contains("1 / 1,022 · 2 marked"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
    assert_eq!(std::fs::read(&out).unwrap(), b"2056350002\0+12056350002\0+18885550101\0");
    tmux.wait_for("the copy", |t| t.buffer().as_deref() == Some("+12056350002\n+18885550101"));
}

#[test]
#[ignore = "needs tmux"]
fn multi_ctrl_y_copies_the_marks_and_json_prints_one_object_a_line() {
    let tmux = Tmux::start("multi-json");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    tmux.send(&["exec bash --norc", "Enter"]);
    tmux.send(&[&piped_command_line("--multi=2 --output json", &out), "Enter"]);
    tmux.wait_for("all loaded", |t| t.screen().contains("1,022 / 1,022 · 0/2 marked · all loaded"));
    mark(&tmux, "+12056350003", "0/2 marked");
    mark(&tmux, "+12056350001", "1/2 marked");
    tmux.wait_for("two marks", |t| t.screen().contains("1 / 1,022 · 2/2 marked"));
    tmux.send(&["C-y"]);
    tmux.wait_for("the copy", |t| t.buffer().as_deref() == Some("+12056350001\n+12056350003"));
    tmux.wait_for("the status line note", |t| t.screen().contains("copied 2 numbers"));
    tmux.send(&["Enter"]);
    tmux.wait_for("exit", |t| exit_code(t).is_some());
    assert_eq!(exit_code(&tmux), Some(0), "{}", tmux.screen());
    let printed = std::fs::read_to_string(&out).unwrap();
    let numbers: Vec<String> = printed
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["phoneNumber"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(numbers, ["+12056350001", "+12056350003"], "{printed}");
}
