//! The picker end to end: the built binary in a real pseudo-terminal, its screen read back
//! through a terminal emulator (`vt100`), and its stdout kept apart from the terminal, as
//! `NUM=$(wxpick --demo)` keeps it.
//!
//! The harness opens the pty itself (`/dev/ptmx`) rather than through `expectrl`: the window
//! size is then set before the child exists (no race with the first draw), the new terminal
//! starts in the kernel's default cooked mode with echo (so "raw mode is off again" means
//! something), and the test owns the master, so it can also hang the terminal up. Linux only:
//! the termios checks rely on the master reporting the slave's modes, as Linux ptys do.
#![cfg(target_os = "linux")]

mod common;

use std::ffi::CStr;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::os::fd::AsRawFd;
use std::os::unix::fs::OpenOptionsExt;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tempfile::NamedTempFile;
use wxpick::demo::demo_location_records;
use wxpick::numbers::catalog::Catalog;
use wxpick::numbers::filters::{Filters, NumberKind, StateFilter, TypeFilter};
use wxpick::numbers::matcher::{Matcher, Query, search};
use wxpick::numbers::record::NumberRecord;
use wxpick::tui::widgets::status_line::count;

/// The longest any one wait may take before the test gives up (a guard against hangs, not a
/// timing assertion: every wait ends as soon as its condition holds).
const DEADLINE: Duration = Duration::from_secs(30);

/// Variables that would let the caller's environment change what wxpick does (besides every
/// `WEBEX_*`, removed by prefix).
const CLEARED_ENV: &[&str] = &[
    "WXPICK_DEFAULT_OPTS",
    "RUST_LOG",
    "NO_COLOR",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "ALL_PROXY",
    "http_proxy",
    "https_proxy",
    "all_proxy",
];

const ESC: u8 = 0x1b;
const ENTER: &[u8] = b"\r";
const DOWN: &[u8] = b"\x1b[B";
const CTRL_C: &[u8] = b"\x03";
const CTRL_S: &[u8] = b"\x13";
const CTRL_T: &[u8] = b"\x14";

// ---------------------------------------------------------------------------------------------
// The harness
// ---------------------------------------------------------------------------------------------

/// Where the child's stdout goes.
enum Stdout {
    /// A regular file, as `> file` or `$(...)` through a file.
    File(NamedTempFile),
    /// A pipe, as `wxpick | cat > file`; the thread collects what comes through it.
    Pipe(Option<JoinHandle<Vec<u8>>>),
}

/// wxpick running in a pseudo-terminal.
struct Picker {
    child: Child,
    /// The pty's master side; `None` once the test has hung the terminal up.
    master: Option<File>,
    /// Every byte the child wrote to the terminal.
    raw: Vec<u8>,
    /// The terminal as a user would see it.
    parser: vt100::Parser,
    /// The master read EIO: no process holds the terminal any more.
    eof: bool,
    status: Option<ExitStatus>,
    stdout: Stdout,
    /// stderr, when it goes to a file rather than the terminal.
    stderr: Option<NamedTempFile>,
    /// The terminal's modes before wxpick started.
    initial: libc::termios,
}

/// How a run ended.
struct Ended {
    status: ExitStatus,
    stdout: Vec<u8>,
    /// stderr, when it went to a file.
    stderr: String,
}

impl Ended {
    fn code(&self) -> Option<i32> {
        self.status.code()
    }
    fn stdout(&self) -> String {
        String::from_utf8(self.stdout.clone()).expect("stdout is UTF-8")
    }
}

fn winsize(cols: u16, rows: u16) -> libc::winsize {
    libc::winsize { ws_row: rows, ws_col: cols, ws_xpixel: 0, ws_ypixel: 0 }
}

/// Opens a new pty pair of the given size; both ends are close-on-exec, so other tests'
/// children never inherit them.
fn open_pty(cols: u16, rows: u16) -> (File, File) {
    let master = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open("/dev/ptmx")
        .expect("open /dev/ptmx");
    let fd = master.as_raw_fd();
    let mut name = [0 as libc::c_char; 256];
    // SAFETY: plain calls on a valid descriptor; `ptsname_r` writes a NUL-terminated name of at
    // most `name.len()` bytes.
    unsafe {
        assert_eq!(libc::grantpt(fd), 0, "grantpt: {}", io::Error::last_os_error());
        assert_eq!(libc::unlockpt(fd), 0, "unlockpt: {}", io::Error::last_os_error());
        assert_eq!(libc::ptsname_r(fd, name.as_mut_ptr(), name.len()), 0, "ptsname_r");
    }
    // SAFETY: `ptsname_r` succeeded, so `name` holds a NUL-terminated string.
    let path = unsafe { CStr::from_ptr(name.as_ptr()) }.to_str().expect("a UTF-8 pty name").to_string();
    let slave = OpenOptions::new()
        .read(true)
        .write(true)
        .custom_flags(libc::O_NOCTTY)
        .open(&path)
        .unwrap_or_else(|e| panic!("open {path}: {e}"));
    set_window_size(&master, cols, rows);
    (master, slave)
}

fn set_window_size(master: &File, cols: u16, rows: u16) {
    let ws = winsize(cols, rows);
    // SAFETY: TIOCSWINSZ reads one `winsize` from the pointer.
    let rc = unsafe { libc::ioctl(master.as_raw_fd(), libc::TIOCSWINSZ, &ws) };
    assert_eq!(rc, 0, "TIOCSWINSZ: {}", io::Error::last_os_error());
}

/// The terminal's modes (through the master, the kernel reports the slave's).
fn modes(master: &File) -> libc::termios {
    // SAFETY: `termios` is plain data; tcgetattr fills it.
    let mut t: libc::termios = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::tcgetattr(master.as_raw_fd(), &mut t) };
    assert_eq!(rc, 0, "tcgetattr: {}", io::Error::last_os_error());
    t
}

fn local_modes(master: &File) -> libc::tcflag_t {
    modes(master).c_lflag
}

fn cooked(lflag: libc::tcflag_t) -> bool {
    lflag & libc::ICANON != 0 && lflag & libc::ECHO != 0
}

/// `wxpick` with a clean environment.
fn wxpick_command(args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpick"));
    cmd.args(args);
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("WEBEX_") {
            cmd.env_remove(&name);
        }
    }
    for var in CLEARED_ENV {
        cmd.env_remove(var);
    }
    cmd.env("TERM", "xterm-256color");
    // The user's cache is not the tests' (and a list cached by one run must not feed the next);
    // the tests of the cache give a directory of their own instead.
    cmd.env("WXPICK_NO_CACHE", "1");
    // Nor is the user's sign-in: a file in a directory of the tests' own.
    cmd.env("WXPICK_CREDENTIALS", "file").env("WXPICK_CONFIG_DIR", config_dir());
    cmd
}

/// The config directory of this test process's runs of wxpick.
fn config_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("wxpick-pty-config-{}", std::process::id()))
}

/// Where the picker's stdout and stderr go, for [`Picker::spawn`].
#[derive(Clone, Copy, PartialEq)]
enum Out {
    /// stdout to a file, stderr to the terminal.
    File,
    /// stdout to a pipe, stderr to the terminal.
    Pipe,
    /// stdout and stderr each to a file (for runs that take the terminal away).
    Files,
}

impl Picker {
    /// `wxpick --demo ARGS` in a `cols` x `rows` terminal that is its controlling terminal
    /// (stdin, and stderr unless `out` says otherwise, on it), stdout on a file or a pipe.
    fn spawn(args: &[&str], cols: u16, rows: u16, out: Out) -> Picker {
        // The demo location by ID: without a location the picker would start on the locations.
        let mut all = vec!["--demo", "--location", wxpick::demo::DEMO_LOCATION];
        all.extend_from_slice(args);
        Picker::spawn_exactly(&all, cols, rows, out)
    }

    /// `wxpick ARGS`, and nothing more, as [`Picker::spawn`] runs it.
    fn spawn_exactly(all: &[&str], cols: u16, rows: u16, out: Out) -> Picker {
        Picker::spawn_with_cache(all, None, cols, rows, out)
    }

    /// As [`Picker::spawn_exactly`], with the cache in `cache` (none: no cache).
    fn spawn_with_cache(all: &[&str], cache: Option<&std::path::Path>, cols: u16, rows: u16, out: Out) -> Picker {
        let (master, slave) = open_pty(cols, rows);
        let initial = modes(&master);
        assert!(cooked(initial.c_lflag), "a new terminal starts cooked, with echo");
        let mut cmd = wxpick_command(all);
        if let Some(dir) = cache {
            cmd.env_remove("WXPICK_NO_CACHE").env("WXPICK_CACHE_DIR", dir);
        }
        cmd.stdin(slave.try_clone().expect("dup the slave"));
        let stderr = match out {
            Out::Files => {
                let file = NamedTempFile::new().expect("a temp file");
                cmd.stderr(file.reopen().expect("reopen the temp file"));
                Some(file)
            }
            Out::File | Out::Pipe => {
                cmd.stderr(slave.try_clone().expect("dup the slave"));
                None
            }
        };
        let mut stdout = match out {
            Out::File | Out::Files => {
                let file = NamedTempFile::new().expect("a temp file");
                cmd.stdout(file.reopen().expect("reopen the temp file"));
                Stdout::File(file)
            }
            Out::Pipe => {
                cmd.stdout(Stdio::piped());
                Stdout::Pipe(None)
            }
        };
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                // A session of its own, with the pty (already on fd 0) as controlling terminal,
                // as a terminal emulator starts a shell.
                if libc::setsid() < 0 {
                    return Err(io::Error::last_os_error());
                }
                if libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut child = cmd.spawn().expect("spawn wxpick");
        // Only the child may hold the slave: then the master reads EIO once the child is gone.
        drop(cmd);
        drop(slave);
        if let Stdout::Pipe(reader) = &mut stdout {
            let mut pipe = child.stdout.take().expect("a stdout pipe");
            *reader = Some(std::thread::spawn(move || {
                let mut bytes = Vec::new();
                pipe.read_to_end(&mut bytes).expect("read the stdout pipe");
                bytes
            }));
        }
        let rows = std::num::NonZeroU16::new(rows).expect("rows > 0");
        let cols = std::num::NonZeroU16::new(cols).expect("cols > 0");
        Picker {
            child,
            master: Some(master),
            raw: Vec::new(),
            parser: vt100::Parser::new(rows, cols, 0),
            eof: false,
            status: None,
            stdout,
            stderr,
            initial,
        }
    }

    fn pid(&self) -> libc::pid_t {
        self.child.id() as libc::pid_t
    }

    fn master(&self) -> &File {
        self.master.as_ref().expect("the terminal is still there")
    }

    /// Reads what the child wrote, waiting up to `wait` for the first byte.
    fn pump(&mut self, wait: Duration) {
        let Some(master) = self.master.as_mut().filter(|_| !self.eof) else {
            std::thread::sleep(wait);
            return;
        };
        let mut pfd = libc::pollfd { fd: master.as_raw_fd(), events: libc::POLLIN, revents: 0 };
        // SAFETY: one valid pollfd.
        let n = unsafe { libc::poll(&mut pfd, 1, wait.as_millis() as libc::c_int) };
        if n <= 0 {
            return;
        }
        let mut buf = [0u8; 64 * 1024];
        match master.read(&mut buf) {
            Ok(0) => self.eof = true,
            Ok(n) => {
                self.raw.extend_from_slice(&buf[..n]);
                self.parser.process(&buf[..n]);
            }
            Err(e) if e.raw_os_error() == Some(libc::EIO) => self.eof = true,
            Err(e) if matches!(e.kind(), io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock) => {}
            Err(e) => panic!("reading the pty: {e}"),
        }
    }

    fn exited(&mut self) -> bool {
        if self.status.is_none() {
            self.status = self.child.try_wait().expect("try_wait");
        }
        self.status.is_some()
    }

    fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    fn rows(&self) -> Vec<String> {
        let (_, cols) = self.screen().size();
        self.screen().rows(0, cols.get()).collect()
    }

    /// The status line: the bottom row.
    fn status_line(&self) -> String {
        self.rows().pop().unwrap_or_default()
    }

    /// The query line: the top row, or the second under a header (the list and the place).
    fn query_line(&self) -> String {
        self.rows().into_iter().take(2).find(|r| r.starts_with('>')).unwrap_or_default()
    }

    /// The highlighted row, if any.
    fn selected_row(&self) -> Option<String> {
        self.rows().into_iter().find(|r| r.starts_with('▶'))
    }

    /// What to show when a test fails: the screen, the end of the raw output, the exit status.
    fn report(&self) -> String {
        let tail = &self.raw[self.raw.len().saturating_sub(600)..];
        format!(
            "screen ({} x {}, alternate: {}):\n{}\n--- last bytes from the pty: {:?}\n--- exit status: {:?}",
            self.screen().size().1,
            self.screen().size().0,
            self.screen().alternate_screen(),
            self.rows().join("\n"),
            String::from_utf8_lossy(tail),
            self.status,
        )
    }

    /// Waits until the screen shows what `ready` looks for.
    fn wait_for(&mut self, what: &str, ready: impl Fn(&Picker) -> bool) {
        let deadline = Instant::now() + DEADLINE;
        loop {
            if ready(self) {
                return;
            }
            if self.exited() && self.eof {
                panic!("wxpick ended before the screen showed {what}\n{}", self.report());
            }
            if Instant::now() > deadline {
                panic!("the screen did not show {what} within {DEADLINE:?}\n{}", self.report());
            }
            self.pump(Duration::from_millis(50));
        }
    }

    /// Waits for the picker's first frame: the query line on top and a status line at the bottom.
    fn wait_first_draw(&mut self) {
        self.wait_for("the first frame", |p| {
            p.screen().alternate_screen() && p.query_line().starts_with('>') && p.status_line().contains("F1 help")
        });
    }

    /// Waits until every page is in.
    fn wait_all_loaded(&mut self) {
        self.wait_for("all loaded", |p| p.status_line().contains("all loaded"));
    }

    fn send(&mut self, bytes: &[u8]) {
        let master = self.master.as_mut().expect("the terminal is still there");
        master.write_all(bytes).expect("write to the pty");
        master.flush().expect("flush the pty");
    }

    fn signal(&self, sig: libc::c_int) {
        // SAFETY: a signal to our own child, which has not been reaped yet.
        let rc = unsafe { libc::kill(self.pid(), sig) };
        assert_eq!(rc, 0, "kill: {}", io::Error::last_os_error());
    }

    /// Closes the master: the terminal is gone, as when its window is closed.
    fn hang_up(&mut self) {
        self.master = None;
    }

    /// Waits for the child to exit and reads everything it wrote; checks that stdout never
    /// carries a terminal escape.
    fn wait_end(&mut self) -> Ended {
        let deadline = Instant::now() + DEADLINE;
        while !self.exited() {
            if Instant::now() > deadline {
                panic!("wxpick did not exit within {DEADLINE:?}\n{}", self.report());
            }
            self.pump(Duration::from_millis(20));
        }
        // The rest of what it wrote, up to EIO (no one holds the terminal any more).
        while self.master.is_some() && !self.eof {
            if Instant::now() > deadline {
                panic!("the pty did not close within {DEADLINE:?} of the exit\n{}", self.report());
            }
            self.pump(Duration::from_millis(20));
        }
        let stdout = match &mut self.stdout {
            Stdout::File(file) => std::fs::read(file.path()).expect("read the stdout file"),
            Stdout::Pipe(reader) => reader.take().expect("one reader").join().expect("the pipe reader"),
        };
        assert!(
            !stdout.contains(&ESC),
            "stdout must carry only the result, never terminal escapes: {:?}",
            String::from_utf8_lossy(&stdout)
        );
        let stderr = match &self.stderr {
            Some(file) => std::fs::read_to_string(file.path()).expect("read the stderr file"),
            None => String::new(),
        };
        Ended { status: self.status.expect("exited"), stdout, stderr }
    }

    /// The terminal is as it was before the picker: main screen, cursor shown, no mouse
    /// reporting, no bracketed paste, and (while the terminal is there) cooked mode with echo.
    fn assert_restored(&self) {
        let last = |needle: &[u8]| self.raw.windows(needle.len()).rposition(|w| w == needle);
        let entered =
            last(b"\x1b[?1049h").unwrap_or_else(|| panic!("never entered the alternate screen\n{}", self.report()));
        let left = last(b"\x1b[?1049l");
        assert!(left.is_some_and(|l| l > entered), "the alternate screen was not left at the end\n{}", self.report());
        let shown = last(b"\x1b[?25h");
        let hidden = last(b"\x1b[?25l");
        assert!(
            shown.is_some_and(|s| s > entered && hidden.is_none_or(|h| s > h)),
            "the cursor was not shown at the end\n{}",
            self.report()
        );
        let screen = self.screen();
        assert!(!screen.alternate_screen(), "still on the alternate screen\n{}", self.report());
        assert!(!screen.hide_cursor(), "the cursor is still hidden\n{}", self.report());
        assert!(!screen.bracketed_paste(), "bracketed paste is still on\n{}", self.report());
        assert_eq!(
            screen.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse reporting is still on\n{}",
            self.report()
        );
        if let Some(master) = &self.master {
            let now = modes(master);
            let lflag = now.c_lflag;
            assert!(cooked(lflag), "raw mode is still on: c_lflag = {lflag:#o}\n{}", self.report());
            let (was, is) = (&self.initial, &now);
            assert_eq!(
                (is.c_iflag, is.c_oflag, is.c_lflag),
                (was.c_iflag, was.c_oflag, was.c_lflag),
                "the terminal's modes (iflag, oflag, lflag) are not back to what they were"
            );
        }
    }
}

impl Drop for Picker {
    fn drop(&mut self) {
        // A failed test must not leave wxpick running.
        if !self.exited() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The demo numbers as the picker holds them (each once).
fn demo_catalog() -> Catalog {
    Catalog::from_records(demo_location_records(None))
}

fn demo_total() -> String {
    count(demo_catalog().len())
}

/// The `N` of a status line `N / TOTAL · ...`.
fn shown_count(status: &str) -> Option<usize> {
    let first = status.split(" / ").next()?;
    first.trim().replace(',', "").parse().ok()
}

fn numbers_admitted(filters: Filters) -> Vec<NumberRecord> {
    let catalog = demo_catalog();
    (0..catalog.len()).map(|i| catalog.get(i)).filter(|r| filters.admits(r)).cloned().collect()
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn typing_narrows_the_list_and_enter_prints_the_number() {
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    let total = demo_total();
    assert!(p.status_line().starts_with(&format!("{total} / {total} · all loaded")), "{}", p.report());
    type_635_0001_and_pick_it(&mut p);
}

/// Types `635 0001`, waits for it in the query and for its one match among every demo number,
/// picks it with Enter, and checks that it alone was printed and the terminal restored.
fn type_635_0001_and_pick_it(p: &mut Picker) {
    let total = demo_total();
    p.send(b"635 0001");
    p.wait_for("the query and the one match", |p| {
        p.query_line().starts_with("> 635 0001")
            && p.status_line().starts_with(&format!("1 / {total}"))
            && p.selected_row().is_some_and(|r| r.contains("+1 205-635-0001"))
    });
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), "+12056350001\n");
    p.assert_restored();
}

#[test]
fn down_then_enter_prints_the_second_number() {
    let second = demo_location_records(None)[1].phone_number.to_string();
    let shown = wxpick::numbers::phone::international(&second);
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    p.send(DOWN);
    p.wait_for("the second number highlighted", |p| p.selected_row().is_some_and(|r| r.contains(&shown)));
    assert_eq!(p.query_line().trim_end(), ">", "the query is empty\n{}", p.report());
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{second}\n"));
    p.assert_restored();
}

#[test]
fn escape_cancels_with_130_and_restores_the_terminal() {
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    assert_eq!(p.screen().mouse_protocol_mode(), vt100::MouseProtocolMode::None, "--no-mouse\n{}", p.report());
    p.send(&[ESC]);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(130), "{}", p.report());
    assert!(end.stdout.is_empty(), "nothing is printed on cancel: {:?}", end.stdout());
    p.assert_restored();
}

#[test]
fn ctrl_c_cancels_with_130_and_turns_the_mouse_off_again() {
    // With the mouse on (no --no-mouse): reporting is on while the picker runs, off after.
    let mut p = Picker::spawn(&[], 100, 30, Out::File);
    p.wait_first_draw();
    assert_ne!(p.screen().mouse_protocol_mode(), vt100::MouseProtocolMode::None, "mouse capture\n{}", p.report());
    assert!(p.screen().bracketed_paste(), "bracketed paste is on while picking\n{}", p.report());
    p.send(CTRL_C);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(130), "{}", p.report());
    assert!(end.stdout.is_empty(), "nothing is printed on cancel: {:?}", end.stdout());
    p.assert_restored();
}

/// A signal while pages are still loading: the terminal comes back, the exit is 130.
fn signal_while_loading(sig: libc::c_int) {
    let mut p = Picker::spawn(&["--no-mouse", "--demo-latency-ms", "2000"], 100, 30, Out::File);
    p.wait_for("loading page 1", |p| p.status_line().contains("loading page 1"));
    let during = local_modes(p.master());
    assert_eq!(during & (libc::ICANON | libc::ECHO), 0, "raw mode while picking: c_lflag = {during:#o}");
    p.signal(sig);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(130), "{}", p.report());
    assert!(end.stdout.is_empty(), "nothing is printed on a signal: {:?}", end.stdout());
    p.assert_restored();
}

#[test]
fn sigterm_while_loading_restores_the_terminal_and_exits_130() {
    signal_while_loading(libc::SIGTERM);
}

#[test]
fn sighup_while_loading_restores_the_terminal_and_exits_130() {
    signal_while_loading(libc::SIGHUP);
}

#[test]
fn sigint_while_loading_restores_the_terminal_and_exits_130() {
    signal_while_loading(libc::SIGINT);
}

#[test]
fn closing_the_terminal_exits_130() {
    // The real hangup: the terminal window goes away (the master closes), the kernel sends
    // SIGHUP, and every write to the terminal fails from then on. While pages load, the spinner
    // redraws every 100 ms, so a hangup often meets a redraw: a few rounds make sure a redraw
    // that fails after the hangup is seen to end the same way, as a cancel.
    for round in 1..=3 {
        let mut p = Picker::spawn(&["--no-mouse", "--demo-latency-ms", "2000"], 100, 30, Out::Files);
        p.wait_for("loading page 1", |p| p.status_line().contains("loading page 1"));
        p.hang_up();
        let end = p.wait_end();
        assert_eq!(
            end.code(),
            Some(130),
            "round {round}: a hangup is a cancel; exit status {:?}, stderr {:?}",
            end.status,
            end.stderr
        );
        assert!(end.stdout.is_empty(), "nothing is printed on a hangup: {:?}", end.stdout());
    }
}

#[test]
fn without_a_terminal_it_exits_2_and_points_to_filter() {
    let mut cmd = wxpick_command(&["--demo", "--demo-latency-ms", "0"]);
    cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // SAFETY: only an async-signal-safe call between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            // A new session has no controlling terminal: /dev/tty cannot be opened.
            if libc::setsid() < 0 {
                return Err(io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = cmd.spawn().expect("spawn wxpick");
    drop(child.stdin.take());
    let mut out_pipe = child.stdout.take().expect("stdout");
    let mut err_pipe = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut v = Vec::new();
        out_pipe.read_to_end(&mut v).map(|_| v)
    });
    let err = std::thread::spawn(move || {
        let mut v = Vec::new();
        err_pipe.read_to_end(&mut v).map(|_| v)
    });
    let deadline = Instant::now() + DEADLINE;
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("wxpick without a terminal did not exit within {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().expect("stdout reader").expect("read stdout");
    let stderr = String::from_utf8(err.join().expect("stderr reader").expect("read stderr")).expect("UTF-8");
    assert_eq!(status.code(), Some(2), "status {status:?}, stderr {stderr:?}");
    assert!(stdout.is_empty(), "nothing on stdout: {:?}", String::from_utf8_lossy(&stdout));
    assert!(stderr.contains("--filter"), "stderr points to --filter: {stderr:?}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "one line: {stderr:?}");
    assert!(!stderr.contains('\x1b'), "no terminal escapes without a terminal: {stderr:?}");
}

#[test]
fn ctrl_s_and_ctrl_t_cycle_the_filters() {
    let total = demo_catalog().len();
    let active = Filters { state: StateFilter::Active, types: TypeFilter::default() };
    let active_service = Filters { state: StateFilter::Active, types: TypeFilter::of(&[NumberKind::Service]) };
    let n_active = numbers_admitted(active).len();
    let picks = numbers_admitted(active_service);
    assert!(!picks.is_empty() && picks.len() < n_active && n_active < total, "the demo data has a mix");

    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    assert_eq!(shown_count(&p.status_line()), Some(total), "{}", p.report());

    p.send(CTRL_S);
    p.wait_for("state: active", |p| p.status_line().contains("state: active"));
    assert_eq!(shown_count(&p.status_line()), Some(n_active), "{}", p.report());
    assert!(p.status_line().contains(&format!("{} / {}", count(n_active), count(total))), "{}", p.report());
    // Under the header, the query line and the column header, above the status line.
    assert!(p.rows()[2].trim_start().starts_with("Number") && p.rows()[2].contains("State"), "{}", p.report());
    let listed: Vec<String> =
        p.rows()[3..p.rows().len() - 1].iter().filter(|r| !r.trim().is_empty()).cloned().collect();
    assert_eq!(listed.len(), n_active.min(p.rows().len() - 4), "a full list of rows\n{}", p.report());
    assert!(listed.iter().all(|r| r.contains(" active ")), "only active numbers are listed\n{}", p.report());

    p.send(CTRL_T);
    p.wait_for("type: service", |p| p.status_line().contains("state: active · type: service"));
    assert_eq!(shown_count(&p.status_line()), Some(picks.len()), "{}", p.report());
    let first = wxpick::numbers::phone::international(&picks[0].phone_number);
    assert!(p.selected_row().is_some_and(|r| r.contains(&first) && r.contains("service")), "{}", p.report());

    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{}\n", picks[0].phone_number));
    p.assert_restored();
}

#[test]
fn exact_holds_in_the_picker_and_a_quote_makes_a_term_fuzzy_again() {
    // Digits that no demo number holds in a row, but many hold scattered.
    let catalog = demo_catalog();
    let scattered = search(&catalog, None, &Matcher::new(Query::parse("2051")), &Filters::default()).len();
    let exact = search(&catalog, None, &Matcher::new(Query::parse_as("2051", true)), &Filters::default()).len();
    assert!(scattered > 0 && exact == 0, "the demo data fits the test: {scattered} {exact}");
    let total = count(catalog.len());
    let mut p = Picker::spawn(&["--no-mouse", "--exact", "--query", "2051"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    p.wait_for("no match: --exact", |p| p.status_line().starts_with(&format!("0 / {total}")));
    // `'2051` under --exact: fuzzy again, as in fzf.
    p.send(CTRL_U);
    p.send(b"'2051");
    let fuzzy = format!("{} / {total}", count(scattered));
    p.wait_for("the scattered matches", |p| p.status_line().starts_with(&fuzzy));
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
}

#[test]
fn stdout_to_a_pipe_gets_only_the_result() {
    let first = demo_location_records(None)[0].phone_number.to_string();
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::Pipe);
    p.wait_first_draw();
    p.wait_all_loaded();
    p.wait_for("the first number highlighted", |p| {
        p.selected_row().is_some_and(|r| r.contains(&wxpick::numbers::phone::international(&first)))
    });
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{first}\n"));
    p.assert_restored();
}

#[test]
fn a_pasted_line_break_does_not_pick() {
    // A paste that ends in a line break goes into the query and picks nothing: Down then Enter
    // picks the second match. (Had the paste's CR confirmed, the first match would be printed.)
    let query = "635 000";
    let catalog = demo_catalog();
    let hits = search(&catalog, None, &Matcher::new(Query::parse(query)), &Filters::default());
    assert!(hits.len() >= 2, "the query matches several numbers");
    let second = catalog.get(hits[1] as usize).phone_number.to_string();
    let shown = wxpick::numbers::phone::international(&second);

    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    assert!(p.screen().bracketed_paste(), "bracketed paste is on while picking\n{}", p.report());
    p.send(format!("\x1b[200~{query}\r\n\x1b[201~").as_bytes());
    let counted = format!("{} / {}", count(hits.len()), count(catalog.len()));
    p.wait_for("the pasted query and its matches", |p| {
        p.query_line().starts_with(&format!("> {query}")) && p.status_line().starts_with(&counted)
    });
    p.send(DOWN);
    p.wait_for("the second match highlighted", |p| p.selected_row().is_some_and(|r| r.contains(&shown)));
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{second}\n"));
    p.assert_restored();
}

#[test]
fn resizing_redraws_at_the_new_size() {
    let first = demo_location_records(None)[0].phone_number.to_string();
    let total = demo_total();
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    assert_eq!(p.rows().len(), 30);
    assert!(!p.rows()[1].contains("details"), "no details pane under 120 columns\n{}", p.report());
    // The kernel sends SIGWINCH to the terminal's foreground process group: wxpick.
    set_window_size(p.master(), 130, 30);
    p.parser.set_size(std::num::NonZeroU16::new(30).unwrap(), std::num::NonZeroU16::new(130).unwrap());
    // From 120 columns the details pane is on, right of the list, until the user toggles it.
    p.wait_for("the details pane at 130 columns", |p| {
        p.rows()[1].contains("│ details") && p.rows().iter().any(|r| r.contains("│ E.164"))
    });
    set_window_size(p.master(), 40, 12);
    p.parser.set_size(std::num::NonZeroU16::new(12).unwrap(), std::num::NonZeroU16::new(40).unwrap());
    // At 40 columns the rows drop the region column and use the short badges; the pane is off.
    let narrow = |p: &Picker| {
        let rows = p.rows();
        rows.len() == 12
            && rows[0].starts_with("call queue primary")
            && rows[1].starts_with('>')
            && rows[11].starts_with(&format!("{total} / {total}"))
            && rows[11].contains("all loaded")
            && rows[2].starts_with("  Number ")
            && rows[3].starts_with('▶')
            && (rows[3].contains(" std") || rows[3].contains(" svc"))
            && !rows[3].contains("standard")
            && !rows.iter().any(|r| r.contains("details"))
    };
    p.wait_for("the picker redrawn at 40x12", narrow);
    p.send(ENTER);
    let end = p.wait_end();
    let raw = String::from_utf8_lossy(&p.raw).into_owned();
    assert!(!raw.contains("panicked"), "{}", p.report());
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{first}\n"));
    p.assert_restored();
}

// ---------------------------------------------------------------------------------------------
// Locations
// ---------------------------------------------------------------------------------------------

const CTRL_L: &[u8] = b"\x0c";
const CTRL_U: &[u8] = b"\x15";

#[test]
fn without_a_location_the_picker_starts_on_the_locations_and_ends_with_a_number() {
    let mut p = Picker::spawn_exactly(&["--demo", "--demo-latency-ms", "20", "--no-mouse"], 80, 24, Out::File);
    p.wait_for("every location", |p| p.status_line().starts_with("27 / 27 locations · all loaded"));
    // Diacritics-insensitive: koln finds Köln.
    p.send(b"koln");
    p.wait_for("Köln alone", |p| {
        p.status_line().starts_with("1 / 27") && p.selected_row().is_some_and(|r| r.contains("Köln"))
    });
    p.send(ENTER);
    p.wait_for("Köln's numbers under the list's title and its name", |p| {
        p.rows()[0].starts_with("call queue primary · Köln · Domkloster 4")
            && p.rows()[1].trim_end() == ">"
            && p.status_line().contains("all loaded · Ctrl-L locations")
    });
    p.send(CTRL_L);
    p.wait_for("the locations, query kept", |p| {
        p.rows()[0].starts_with("> koln") && p.status_line().contains("locations")
    });
    p.send(CTRL_U);
    p.send(b"birm hq");
    p.wait_for("Birmingham HQ", |p| p.selected_row().is_some_and(|r| r.contains("Birmingham HQ")));
    p.send(ENTER);
    p.wait_for("the demo location's numbers", |p| p.rows()[0].starts_with("call queue primary · Birmingham HQ"));
    type_635_0001_and_pick_it(&mut p);
}

#[test]
fn escape_on_the_locations_cancels_with_130() {
    let mut p = Picker::spawn_exactly(&["--demo", "--demo-latency-ms", "0"], 40, 12, Out::File);
    p.wait_for("the locations", |p| p.status_line().contains("all loaded · Enter numbers"));
    p.send(&[ESC]);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(130), "{}", p.report());
    assert_eq!(end.stdout(), "");
    p.assert_restored();
}

#[test]
fn an_ambiguous_name_opens_the_picker_on_its_candidates() {
    let mut p = Picker::spawn_exactly(&["--demo", "--demo-latency-ms", "0", "--location", "london"], 80, 24, Out::File);
    p.wait_for("the two London locations", |p| {
        p.rows()[0].starts_with("> london") && p.status_line().starts_with("2 / 2 locations · all loaded")
    });
    p.send(DOWN);
    p.send(ENTER);
    p.wait_for("Soho's numbers", |p| {
        p.rows()[0].starts_with("call queue primary · London Soho") && p.status_line().contains("all loaded")
    });
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
}

#[test]
fn an_unknown_location_opens_the_locations_with_its_name_typed_and_a_note() {
    let args = ["--demo", "--demo-latency-ms", "0", "--location", "Nowhere"];
    let mut p = Picker::spawn_exactly(&args, 80, 24, Out::File);
    p.wait_for("the locations, Nowhere typed, and the note", |p| {
        p.rows()[0].starts_with("> Nowhere") && p.status_line().contains("no location named Nowhere")
    });
    // Another query finds a location, and Enter opens its numbers.
    for _ in 0.."Nowhere".len() {
        p.send(&[0x7f]);
    }
    p.send(b"koln");
    p.wait_for("Köln", |p| p.selected_row().is_some_and(|r| r.contains("Köln")));
    p.send(ENTER);
    p.wait_for("Köln's numbers", |p| p.rows()[0].starts_with("call queue primary · Köln"));
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
}

/// A token file (private, so wxpick does not warn) for runs against a local server.
fn token_file() -> NamedTempFile {
    use std::os::unix::fs::PermissionsExt;
    let file = NamedTempFile::new().expect("a temp file");
    std::fs::write(file.path(), "tok-PTY-0123456789\n").unwrap();
    std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
    file
}

#[tokio::test(flavor = "multi_thread")]
async fn one_location_only_is_chosen_without_asking() {
    use wiremock::matchers::{path, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    let id = "Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OL29ubHk";
    Mock::given(path("/v1/telephony/config/locations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "locations": [{"id": id, "name": "Zürich", "callingLineId": {"phoneNumber": "+41445550000"}}]
        })))
        .mount(&server)
        .await;
    let numbers = format!("/v1/telephony/config/locations/{id}/queues/availableNumbers");
    Mock::given(path(numbers.clone()))
        .and(query_param("start", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"phoneNumbers": []})))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path(numbers))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "phoneNumbers": [{"phoneNumber": "+41445550001", "state": "ACTIVE"}]
        })))
        .with_priority(2)
        .mount(&server)
        .await;
    let token = token_file();
    let base = format!("{}/v1", server.uri());
    let args = ["--base-url", &base, "--token-file", token.path().to_str().unwrap(), "--no-mouse"];
    let mut p = tokio::task::block_in_place(|| Picker::spawn_exactly(&args, 80, 24, Out::File));
    tokio::task::block_in_place(|| {
        p.wait_for("Zürich's numbers, at once", |p| {
            p.rows()[0].starts_with("call queue primary · Zürich · +41445550000")
                && p.status_line().starts_with("1 / 1 · all loaded")
        });
        // No list of locations to go back to.
        assert!(!p.status_line().contains("locations"), "{}", p.report());
        p.send(ENTER);
        let end = p.wait_end();
        assert_eq!(end.code(), Some(0), "{}", p.report());
        assert_eq!(end.stdout(), "+41445550001\n");
    });
}

#[tokio::test(flavor = "multi_thread")]
async fn a_token_that_may_not_list_locations_gets_one_line_asking_for_an_id() {
    use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(403).set_body_json(serde_json::json!({"message": "Forbidden"})))
        .mount(&server)
        .await;
    let token = token_file();
    let base = format!("{}/v1", server.uri());
    let args = ["--base-url", &base, "--token-file", token.path().to_str().unwrap()];
    tokio::task::block_in_place(|| {
        let mut p = Picker::spawn_exactly(&args, 80, 24, Out::Files);
        let end = p.wait_end();
        assert_eq!(end.code(), Some(2), "{}", p.report());
        assert_eq!(end.stdout(), "");
        let lines: Vec<&str> = end.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{:?}", end.stderr);
        assert!(lines[0].contains("403") && lines[0].contains("--location ID"), "{lines:?}");
    });
}

#[test]
fn an_api_that_refuses_is_drawn_at_once_with_the_retry_countdown_then_one_line_names_the_port() {
    // A port where nothing listens: bound, never listening, so connections to it are refused.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let addr = socket.local_addr().unwrap();
    let base = format!("http://{addr}/v1");
    let token = token_file();
    // No location: the first request lists the locations, before the picker has anything to show.
    let args = ["--base-url", &base, "--token-file", token.path().to_str().unwrap()];
    let mut p = Picker::spawn_exactly(&args, 80, 24, Out::Files);
    let connecting = format!("connecting to {addr}…");
    p.wait_for("where it connects, before any answer", |p| {
        p.screen().alternate_screen() && p.rows().iter().any(|r| r.contains(&connecting))
    });
    assert!(p.status_line().contains(&connecting), "{}", p.report());
    // After the first refusal: what happened, which attempt, and the wait before the next.
    p.wait_for("the retry countdown", |p| {
        p.rows().iter().any(|r| r.contains("connection refused · attempt ") && r.contains(" of 5, next try in "))
    });
    // The countdown follows the attempts, up to the last wait.
    p.wait_for("the last wait", |p| p.rows().iter().any(|r| r.contains("attempt 4 of 5")));
    let end = p.wait_end();
    p.assert_restored();
    assert_eq!(end.code(), Some(2), "{}", p.report());
    assert_eq!(end.stdout(), "");
    let lines: Vec<&str> = end.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{:?}", end.stderr);
    assert!(lines[0].contains(&format!("cannot connect to {addr}: connection refused")), "{lines:?}");
}

// ---------------------------------------------------------------------------------------------
// --multi
// ---------------------------------------------------------------------------------------------

const TAB: &[u8] = b"\t";
const SHIFT_TAB: &[u8] = b"\x1b[Z";

/// These numbers, one per line, in the order of the list as loaded (the catalog's).
fn in_list_order(numbers: &[&str]) -> String {
    let catalog = demo_catalog();
    let mut at: Vec<(usize, &str)> = numbers
        .iter()
        .map(|n| ((0..catalog.len()).position(|i| &*catalog.get(i).phone_number == *n).expect("a demo number"), *n))
        .collect();
    at.sort();
    at.iter().map(|(_, n)| format!("{n}\n")).collect()
}

/// Queries `number` by its own digits; waits until it is the only row, highlighted.
fn find_alone(p: &mut Picker, number: &str) {
    let shown = wxpick::numbers::phone::international(number);
    p.send(CTRL_U);
    p.send(number.trim_start_matches("+1").as_bytes());
    p.wait_for("the number alone, highlighted", |p| {
        shown_count(&p.status_line()) == Some(1) && p.selected_row().is_some_and(|r| r.contains(&shown))
    });
}

/// Finds `number` and marks it with Tab; waits for the count.
fn mark_by_query(p: &mut Picker, number: &str, marked: &str) {
    find_alone(p, number);
    p.send(TAB);
    p.wait_for(marked, |p| p.status_line().contains(&format!(" · {marked} · ")));
}

#[test]
fn multi_prints_every_marked_number_in_list_order_even_those_the_query_hides() {
    // Marked out of order; each query hides the numbers marked before it.
    let numbers = ["+12056350003", "+12056350001", "+12056350002"];
    let mut p = Picker::spawn(&["--no-mouse", "--multi"], 100, 30, Out::Pipe);
    p.wait_first_draw();
    p.wait_all_loaded();
    assert!(p.status_line().contains(" · 0 marked · "), "{}", p.report());
    for (i, number) in numbers.iter().enumerate() {
        mark_by_query(&mut p, number, &format!("{} marked", i + 1));
    }
    // The mark column shows the last one, the only row the query leaves.
    let row = p.selected_row().unwrap();
    assert!(row.starts_with("▶* +1 205-635-0002"), "{row:?}\n{}", p.report());
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), in_list_order(&numbers));
    assert_eq!(end.stdout(), "+12056350001\n+12056350002\n+12056350003\n");
    p.assert_restored();
}

#[test]
fn multi_max_refuses_a_mark_too_many_and_shift_tab_unmarks() {
    let mut p = Picker::spawn(&["--no-mouse", "--multi=2"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    mark_by_query(&mut p, "+12056350002", "1/2 marked");
    mark_by_query(&mut p, "+12056350003", "2/2 marked");
    find_alone(&mut p, "+12056350005");
    p.send(TAB);
    p.wait_for("the refusal", |p| p.status_line().contains("2 marked already, the most --multi=2 allows"));
    assert!(p.selected_row().unwrap().starts_with("▶  +1 205-635-0005"), "not marked\n{}", p.report());
    // Shift-Tab unmarks +12056350003.
    find_alone(&mut p, "+12056350003");
    assert!(p.selected_row().unwrap().starts_with("▶* "), "{}", p.report());
    p.send(SHIFT_TAB);
    p.wait_for("one mark left", |p| p.status_line().contains(" · 1/2 marked · "));
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), "+12056350002\n");
}

#[test]
fn without_multi_tab_and_shift_tab_move_and_nothing_is_marked() {
    let catalog = demo_catalog();
    let second = catalog.get(1).phone_number.to_string();
    let third = wxpick::numbers::phone::international(&catalog.get(2).phone_number);
    let mut p = Picker::spawn(&["--no-mouse"], 100, 30, Out::File);
    p.wait_first_draw();
    p.wait_all_loaded();
    p.send(TAB);
    p.send(TAB);
    p.wait_for("the third number highlighted", |p| p.selected_row().is_some_and(|r| r.contains(&third)));
    assert!(!p.status_line().contains("marked"), "{}", p.report());
    p.send(SHIFT_TAB);
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    assert_eq!(end.stdout(), format!("{second}\n"));
}

#[test]
fn another_list_shows_owners_searches_them_and_prints_the_pick() {
    // The person call forwarding list: the demo's person when none is given.
    let mut p = Picker::spawn_exactly(
        &["--demo", "--demo-latency-ms", "0", "--no-mouse", "--for", "person-forward"],
        140,
        30,
        Out::Pipe,
    );
    p.wait_for("the list's header, owners and the details pane", |p| {
        p.rows()[0].starts_with("person call forwarding · person ")
            && p.status_line().contains("all loaded")
            && p.rows().iter().any(|r| r.contains("(person)") && r.contains("ext "))
            && p.rows().iter().any(|r| r.contains("│ details"))
    });
    p.send(b"smith ext 1");
    p.wait_for("a Smith's number with an extension", |p| {
        p.selected_row().is_some_and(|r| r.contains("Smith (") && r.contains("ext 1"))
            && p.rows().iter().any(|r| r.contains("│ owner ") && r.contains("Smith"))
    });
    let row = p.selected_row().unwrap();
    p.send(ENTER);
    let end = p.wait_end();
    assert_eq!(end.code(), Some(0), "{}", p.report());
    let printed = end.stdout();
    // The row shows the number formatted, or as sent while libphonenumber's data still loads.
    let shown = wxpick::numbers::phone::international(printed.trim_end());
    assert!(row.contains(&shown) || row.contains(printed.trim_end()), "{printed:?} is the row {row:?}");
    p.assert_restored();
}

// ---------------------------------------------------------------------------------------------
// The cache: a second run opens on the list the first one kept, then on the fresh list
// ---------------------------------------------------------------------------------------------

const FIRST_LIST: [&str; 6] =
    ["+12056350001", "+12056350002", "+12056350003", "+12056350004", "+12056350005", "+12056350006"];

/// The picker on [`common::ListServer`]'s location, two numbers a page, one request at a time,
/// with its cache in `cache`.
fn spawn_on_list(server: &wiremock::MockServer, cache: &std::path::Path, token: &NamedTempFile) -> Picker {
    let base = format!("{}/v1", server.uri());
    let args = [
        "--base-url",
        &base,
        "--token-file",
        token.path().to_str().unwrap(),
        "--location",
        common::LIST_LOCATION,
        "--page-size",
        "2",
        "--concurrency",
        "1",
        "--no-mouse",
    ];
    Picker::spawn_with_cache(&args, Some(cache), 100, 30, Out::File)
}

/// A first run that loads the whole list (and so keeps it in the cache), then cancels.
fn first_run(server: &wiremock::MockServer, list: &common::ListServer, cache: &std::path::Path, token: &NamedTempFile) {
    let mut p = spawn_on_list(server, cache, token);
    p.wait_for("the whole list", |p| p.status_line().starts_with("6 / 6 · all loaded"));
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
    // Three pages of two, and the empty page that ends the list.
    assert_eq!(list.pages(), 4);
    let kept =
        std::fs::read_dir(cache).unwrap().filter(|e| e.as_ref().unwrap().path().extension() == Some("cache".as_ref()));
    assert_eq!(kept.count(), 1, "the list is kept");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_run_opens_on_the_cached_list_and_ends_on_the_fresh_one() {
    let (server, list) = common::ListServer::start(&FIRST_LIST).await;
    let cache = tempfile::tempdir().unwrap();
    let token = token_file();
    tokio::task::block_in_place(|| first_run(&server, &list, cache.path(), &token));
    // Another admin took 0002 and 0003; 0007, 0008 and 0009 were added. The refresh's first page
    // is held back, so that the cached list can be seen (and used) first.
    list.set(&[
        "+12056350001",
        "+12056350004",
        "+12056350005",
        "+12056350006",
        "+12056350007",
        "+12056350008",
        "+12056350009",
    ]);
    list.delay_first_page(Duration::from_secs(4));
    let mut p = tokio::task::block_in_place(|| spawn_on_list(&server, cache.path(), &token));
    tokio::task::block_in_place(|| {
        p.wait_for("the cached list, stale, in the first frames", |p| {
            let status = p.status_line();
            status.starts_with("6 / 6 · cached ") && status.contains(" ago · ") && status.contains("refreshing")
        });
        p.wait_for("the cached rows", |p| p.rows().iter().any(|r| r.contains("+1 205-635-0003")));
        // The highlight on 0004 (the fourth row), before the fresh list comes.
        for _ in 0..3 {
            p.send(DOWN);
        }
        p.wait_for("0004 highlighted", |p| p.selected_row().is_some_and(|r| r.contains("+1 205-635-0004")));
        p.wait_for("the fresh list in place of the cached one", |p| {
            p.status_line().starts_with("7 / 7 · refreshed: 2 gone, 3 new")
        });
        let rows = p.rows().join("\n");
        assert!(!rows.contains("+1 205-635-0002") && !rows.contains("+1 205-635-0003"), "gone\n{}", p.report());
        assert!(rows.contains("+1 205-635-0009"), "new\n{}", p.report());
        let selected = p.selected_row().unwrap_or_default();
        assert!(selected.contains("+1 205-635-0004"), "the highlight stays on its number\n{}", p.report());
        // Fresh: Enter prints at once, without a check.
        p.send(ENTER);
        let end = p.wait_end();
        assert_eq!(end.code(), Some(0), "{}", p.report());
        assert_eq!(end.stdout(), "+12056350004\n");
    });
    assert!(list.checks().is_empty(), "a fresh list needs no check: {:?}", list.checks());
    assert_eq!(list.pages(), 4 + 5, "the second run fetched the whole list again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_stale_pick_the_server_no_longer_has_is_refused_and_the_picker_stays_open() {
    let (server, list) = common::ListServer::start(&FIRST_LIST).await;
    let cache = tempfile::tempdir().unwrap();
    let token = token_file();
    tokio::task::block_in_place(|| first_run(&server, &list, cache.path(), &token));
    // 0001 was taken since; the refresh is held back for the whole test.
    list.set(&FIRST_LIST[1..]);
    list.delay_first_page(Duration::from_secs(60));
    let mut p = tokio::task::block_in_place(|| spawn_on_list(&server, cache.path(), &token));
    tokio::task::block_in_place(|| {
        p.wait_for("the cached list", |p| {
            p.status_line().starts_with("6 / 6 · cached ")
                && p.selected_row().is_some_and(|r| r.contains("+1 205-635-0001"))
        });
        p.send(ENTER);
        p.wait_for("the refusal", |p| p.status_line().contains("+1 205-635-0001 is no longer available: not picked"));
        assert!(!p.exited(), "the picker stays open\n{}", p.report());
        assert_eq!(list.checks(), ["+12056350001"], "one request, for just that number");
        // 0002 is still there: checked, then printed.
        p.send(DOWN);
        p.wait_for("0002 highlighted", |p| p.selected_row().is_some_and(|r| r.contains("+1 205-635-0002")));
        p.send(ENTER);
        let end = p.wait_end();
        assert_eq!(end.code(), Some(0), "{}", p.report());
        assert_eq!(end.stdout(), "+12056350002\n", "only the number the server still has");
    });
    assert_eq!(list.checks(), ["+12056350001", "+12056350002"]);
}

#[test]
fn a_second_run_opens_on_the_cached_locations_and_then_on_the_fresh_ones() {
    let cache = tempfile::tempdir().unwrap();
    let args = |latency: &'static str| ["--demo", "--demo-latency-ms", latency, "--no-mouse"];
    let mut p = Picker::spawn_with_cache(&args("20"), Some(cache.path()), 100, 24, Out::File);
    p.wait_for("every location", |p| p.status_line().starts_with("27 / 27 locations · all loaded"));
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
    // The second run's listing is slow: the cached list shows first, whole.
    let mut p = Picker::spawn_with_cache(&args("2000"), Some(cache.path()), 100, 24, Out::File);
    p.wait_for("the cached locations at once", |p| {
        let status = p.status_line();
        status.starts_with("27 / 27 locations · cached ") && status.contains("refreshing")
    });
    p.wait_for("the fresh list in its place", |p| {
        p.status_line().starts_with("27 / 27 locations · all loaded · up to date")
    });
    p.send(&[ESC]);
    assert_eq!(p.wait_end().code(), Some(130), "{}", p.report());
}

#[test]
fn the_device_sign_in_shows_the_address_and_code_and_ctrl_c_cancels_storing_nothing() {
    let args = ["--demo", "auth", "login", "--client-id", wxpick::demo::auth::CLIENT_WAIT];
    let mut p = Picker::spawn_exactly(&args, 100, 50, Out::File);
    p.wait_for("the code and the countdown", |p| {
        let s = p.screen().contents();
        s.contains("/v1/demo/verify") && s.contains("enter the code") && s.contains("the code expires in")
    });
    let screen = p.screen().contents();
    let code = screen.lines().find(|l| l.trim().len() == 9 && l.trim().as_bytes()[4] == b'-');
    assert!(code.is_some(), "a code like ABCD-1234 on a line of its own:\n{screen}");
    assert!(screen.contains('▀') || screen.contains('▄'), "a QR code:\n{screen}");
    p.send(CTRL_C);
    let ended = p.wait_end();
    assert_eq!(ended.code(), Some(130), "{}", p.report());
    assert!(ended.stdout.is_empty(), "nothing on stdout");
    assert!(!config_dir().join("credentials.json").exists(), "nothing stored");
}
