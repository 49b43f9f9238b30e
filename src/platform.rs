//! Everything that differs between Unix and Windows, in one place: the terminal the picker
//! draws on, the signals that cancel a run, how a vanished terminal shows in an error, and
//! whether there is a desktop clipboard. (Files wxpick does not trust, with their Unix checks and
//! the Windows counterparts beside them, are `crate::safe_fs`.)
//!
//! | what | Unix (Linux, macOS) | Windows |
//! | --- | --- | --- |
//! | the terminal | `/dev/tty` | the console, `CONOUT$` (crossterm reads keys from `CONIN$`) |
//! | cancelling | SIGINT, SIGTERM, SIGHUP | Ctrl-C, Ctrl-Break, closing the window, log-off, shut-down |
//! | cursor position | `ESC [ 6 n` asked and answered on `/dev/tty` | the console's screen buffer |
//! | system clipboard | with a display (`DISPLAY`, `WAYLAND_DISPLAY`); always on macOS | always |
//!
//! stdout is never the terminal: it carries only the result, so `NUM=$(wxpick)` in a shell and
//! `$n = wxpick` in PowerShell capture only the pick.

#[cfg(unix)]
mod unix;
#[cfg(unix)]
use unix as imp;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
use windows as imp;

use std::fs::File;
use std::time::Duration;

/// The terminal's name, for messages: `/dev/tty` or `the console`.
pub const TERMINAL_NAME: &str = imp::TERMINAL_NAME;

/// Opens the terminal for reading and writing (the picker's drawing surface). Keys are read by
/// crossterm, which finds the same terminal itself.
pub fn open_terminal() -> std::io::Result<File> {
    imp::open_terminal()
}

/// Gives back what [`open_terminal`] changed beyond crossterm's raw mode (on Windows, the
/// console's output code page). Called once the picker has restored the terminal.
pub fn release_terminal() {
    imp::release_terminal()
}

/// Opens the terminal for writing only (restoring it, the clipboard's escape sequence).
pub fn open_terminal_for_writing() -> std::io::Result<File> {
    imp::open_terminal_for_writing()
}

/// Why [`open_terminal`] failed, in words: "no controlling terminal" rather than an errno.
pub fn no_terminal_reason(e: &std::io::Error) -> String {
    imp::no_terminal_reason(e)
}

/// Whether an I/O error on the terminal means it is gone (window closed, SSH connection
/// dropped): a cancel, like the signal that usually comes with it, not a failure.
pub fn terminal_gone(e: &std::io::Error) -> bool {
    imp::terminal_gone(e) || matches!(e.kind(), std::io::ErrorKind::BrokenPipe | std::io::ErrorKind::UnexpectedEof)
}

/// Where the cursor is on `tty`, as (column, row) from zero; `None` when the terminal does not
/// say within `timeout`.
pub fn cursor_position(tty: &File, timeout: Duration) -> Option<(u16, u16)> {
    imp::cursor_position(tty, timeout)
}

/// The events that cancel a run: each ends it with exit 130, the terminal restored.
pub struct Cancel(imp::Cancel);

impl Cancel {
    /// Starts listening. Must be called inside the tokio runtime.
    pub fn listen() -> std::io::Result<Self> {
        imp::Cancel::listen().map(Cancel)
    }

    /// Waits for the next cancelling event.
    pub async fn recv(&mut self) {
        self.0.recv().await
    }
}

/// Whether this is a desktop session with a system clipboard, judged by `is_set(VARIABLE)`: an
/// X11 or Wayland display on Linux and the BSDs, always on macOS and Windows. (Over SSH the
/// clipboard code leaves the remote machine's clipboard alone.)
pub fn desktop_session(is_set: &dyn Fn(&str) -> bool) -> bool {
    imp::desktop_session(is_set)
}
