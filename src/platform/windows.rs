//! Windows: the console (`CONOUT$` to draw, `CONIN$` for keys, which crossterm opens itself),
//! console control events, and files left to the user profile's access list.

use std::fs::{File, OpenOptions};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::signal::windows::{CtrlBreak, CtrlC, CtrlClose, CtrlLogoff, CtrlShutdown};

pub const TERMINAL_NAME: &str = "the console";

/// `ENABLE_VIRTUAL_TERMINAL_PROCESSING`: the console understands escape sequences (Windows 10
/// and later), as Windows Terminal always does.
const VIRTUAL_TERMINAL: u32 = 0x0004;
const CP_UTF8: u32 = 65001;
const ERROR_FILE_NOT_FOUND: i32 = 2;
const ERROR_INVALID_HANDLE: i32 = 6;
const ERROR_BROKEN_PIPE: i32 = 109;
const ERROR_NO_DATA: i32 = 232;

#[link(name = "kernel32")]
unsafe extern "system" {
    fn GetConsoleOutputCP() -> u32;
    fn SetConsoleOutputCP(code_page: u32) -> i32;
}

/// The console's output code page before the picker set UTF-8 (0: not changed).
static ORIGINAL_CODE_PAGE: AtomicU32 = AtomicU32::new(0);

/// The console's active screen buffer, whatever stdout and stdin are redirected to. What is
/// written to it is UTF-8: the console's output code page is set to UTF-8 until
/// [`release_terminal`] (bytes written to a console are read in its code page, by default the
/// OEM one, which would turn `·` into `┬╖`).
pub fn open_terminal() -> std::io::Result<File> {
    let console = OpenOptions::new().read(true).write(true).open("CONOUT$")?;
    enable_escape_sequences();
    // SAFETY: plain console calls without pointers.
    let now = unsafe { GetConsoleOutputCP() };
    if now != 0
        && now != CP_UTF8
        && ORIGINAL_CODE_PAGE.compare_exchange(0, now, Ordering::SeqCst, Ordering::SeqCst).is_ok()
    {
        // SAFETY: as above.
        unsafe { SetConsoleOutputCP(CP_UTF8) };
    }
    Ok(console)
}

/// Gives the console its own output code page back (the shell that started wxpick shares it).
pub fn release_terminal() {
    let original = ORIGINAL_CODE_PAGE.swap(0, Ordering::SeqCst);
    if original != 0 {
        // SAFETY: a plain console call without pointers.
        unsafe { SetConsoleOutputCP(original) };
    }
}

pub fn open_terminal_for_writing() -> std::io::Result<File> {
    let console = OpenOptions::new().write(true).open("CONOUT$")?;
    enable_escape_sequences();
    Ok(console)
}

/// Turns escape sequences on for the console's screen buffer (the mode belongs to the buffer,
/// not to the handle). Best effort: a console that cannot would show them as text.
fn enable_escape_sequences() {
    use crossterm_winapi::{ConsoleMode, Handle};
    if let Ok(mode) = Handle::current_out_handle().map(ConsoleMode::from)
        && let Ok(now) = mode.mode()
        && now & VIRTUAL_TERMINAL == 0
    {
        let _ = mode.set_mode(now | VIRTUAL_TERMINAL);
    }
}

pub fn no_terminal_reason(e: &std::io::Error) -> String {
    match e.raw_os_error() {
        Some(ERROR_FILE_NOT_FOUND) | Some(ERROR_INVALID_HANDLE) => "no console".to_string(),
        _ => e.to_string(),
    }
}

pub fn terminal_gone(e: &std::io::Error) -> bool {
    matches!(e.raw_os_error(), Some(ERROR_INVALID_HANDLE) | Some(ERROR_BROKEN_PIPE) | Some(ERROR_NO_DATA))
}

/// The console says where its cursor is, relative to the visible window (crossterm asks the
/// screen buffer, not stdout).
pub fn cursor_position(_tty: &File, _timeout: Duration) -> Option<(u16, u16)> {
    crossterm::cursor::position().ok()
}

/// Ctrl-C and Ctrl-Break (outside the picker: inside it they are keys), closing the console
/// window, logging off and shutting down. For the last three Windows ends the process shortly
/// after: the run is cancelled and the terminal restored before then.
pub struct Cancel {
    c: CtrlC,
    brk: CtrlBreak,
    close: CtrlClose,
    logoff: CtrlLogoff,
    shutdown: CtrlShutdown,
}

impl Cancel {
    pub fn listen() -> std::io::Result<Self> {
        use tokio::signal::windows::{ctrl_break, ctrl_c, ctrl_close, ctrl_logoff, ctrl_shutdown};
        Ok(Cancel {
            c: ctrl_c()?,
            brk: ctrl_break()?,
            close: ctrl_close()?,
            logoff: ctrl_logoff()?,
            shutdown: ctrl_shutdown()?,
        })
    }

    pub async fn recv(&mut self) {
        tokio::select! {
            _ = self.c.recv() => {}
            _ = self.brk.recv() => {}
            _ = self.close.recv() => {}
            _ = self.logoff.recv() => {}
            _ = self.shutdown.recv() => {}
        }
    }
}

pub fn desktop_session(_is_set: &dyn Fn(&str) -> bool) -> bool {
    true
}
