//! Unix (Linux, macOS): `/dev/tty`, signals, file modes.

use std::fs::{File, OpenOptions};
use std::io::{Read, Write};
use std::os::fd::AsRawFd;
use std::time::{Duration, Instant};

use tokio::signal::unix::{Signal, SignalKind, signal};

pub const TERMINAL_NAME: &str = "/dev/tty";

pub fn open_terminal() -> std::io::Result<File> {
    OpenOptions::new().read(true).write(true).open("/dev/tty")
}

/// Nothing to give back: a terminal's settings are restored by crossterm (raw mode).
pub fn release_terminal() {}

pub fn open_terminal_for_writing() -> std::io::Result<File> {
    OpenOptions::new().write(true).open("/dev/tty")
}

pub fn no_terminal_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(libc::ENXIO) | Some(libc::ENOENT) => "no controlling terminal".to_string(),
        _ => e.to_string(),
    }
}

pub fn terminal_gone(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::EIO) | Some(libc::ENXIO) | Some(libc::EBADF))
}

/// Asks the terminal where the cursor is (`ESC [ 6 n`) on `/dev/tty` itself (crossterm's own
/// query would go through stdout), and waits at most `timeout` for the answer
/// (`ESC [ row ; col R`).
pub fn cursor_position(tty: &File, timeout: Duration) -> Option<(u16, u16)> {
    let mut out = tty;
    out.write_all(b"\x1b[6n").ok()?;
    out.flush().ok()?;
    let deadline = Instant::now() + timeout;
    let mut reply = Vec::new();
    let mut input = tty;
    while !reply.ends_with(b"R") && reply.len() < 32 {
        if !wait_readable(tty, deadline.saturating_duration_since(Instant::now())) {
            return None;
        }
        let mut byte = [0u8; 1];
        if input.read(&mut byte).ok()? == 0 {
            return None;
        }
        reply.push(byte[0]);
    }
    parse_cursor_reply(&reply)
}

/// Whether `file` has something to read within `timeout`.
fn wait_readable(file: &File, timeout: Duration) -> bool {
    if timeout.is_zero() {
        return false;
    }
    let mut pfd = libc::pollfd { fd: file.as_raw_fd(), events: libc::POLLIN, revents: 0 };
    // SAFETY: one valid pollfd, alive for the duration of the call.
    let ready = unsafe { libc::poll(&mut pfd, 1, timeout.as_millis().min(i32::MAX as u128) as i32) };
    ready > 0
}

fn parse_cursor_reply(reply: &[u8]) -> Option<(u16, u16)> {
    let text = std::str::from_utf8(reply).ok()?;
    let start = text.rfind("\x1b[")?;
    let body = text[start + 2..].strip_suffix('R')?;
    let (row, col) = body.split_once(';')?;
    Some((col.parse::<u16>().ok()?.checked_sub(1)?, row.parse::<u16>().ok()?.checked_sub(1)?))
}

/// SIGINT (Ctrl-C outside the picker), SIGTERM, and SIGHUP (the terminal or SSH connection
/// closed).
pub struct Cancel {
    int: Signal,
    term: Signal,
    hup: Signal,
}

impl Cancel {
    pub fn listen() -> std::io::Result<Self> {
        Ok(Cancel {
            int: signal(SignalKind::interrupt())?,
            term: signal(SignalKind::terminate())?,
            hup: signal(SignalKind::hangup())?,
        })
    }

    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.int.recv() => {}
            _ = self.term.recv() => {}
            _ = self.hup.recv() => {}
        }
    }
}

pub fn desktop_session(is_set: &dyn Fn(&str) -> bool) -> bool {
    cfg!(target_os = "macos") || is_set("WAYLAND_DISPLAY") || is_set("DISPLAY")
}

#[cfg(test)]
mod tests {
    #[test]
    fn cursor_replies() {
        assert_eq!(super::parse_cursor_reply(b"\x1b[12;5R"), Some((4, 11)));
        assert_eq!(super::parse_cursor_reply(b"junk\x1b[1;1R"), Some((0, 0)));
        assert_eq!(super::parse_cursor_reply(b"\x1b[0;0R"), None);
        assert_eq!(super::parse_cursor_reply(b"\x1b[x;1R"), None);
    }
}
