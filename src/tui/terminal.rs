//! The terminal: drawn on `/dev/tty`, never on stdout, and restored on every way out.
//!
//! stdout carries only the result, so `NUM=$(wxpick)` works. Keys come from the terminal even
//! when stdin is a pipe (crossterm reads `/dev/tty` when stdin is not a terminal). Nothing here
//! asks the terminal for the cursor position through stdout: [`TtyBackend`] answers that
//! question itself, since ratatui's `Terminal::clear()` would otherwise make crossterm write
//! `ESC [ 6 n` to stdout.

use std::fs::{File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::Terminal;
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};

use crate::error::Error;

/// Whether the terminal is in picker mode, for the panic hook.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
static HOOK: Once = Once::new();

/// Opens the controlling terminal for reading and writing.
pub fn open_tty() -> Result<File, Error> {
    OpenOptions::new().read(true).write(true).open("/dev/tty").map_err(|e| {
        let why = match e.raw_os_error() {
            Some(libc::ENXIO) | Some(libc::ENOENT) => "no controlling terminal".to_string(),
            _ => e.to_string(),
        };
        Error::NoTerminal(why)
    })
}

/// A crossterm backend on `/dev/tty` that keeps track of the cursor instead of asking the
/// terminal where it is.
pub struct TtyBackend {
    inner: CrosstermBackend<BufWriter<File>>,
    cursor: Position,
}

impl TtyBackend {
    pub fn new(tty: File) -> Self {
        TtyBackend { inner: CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, tty)), cursor: Position::ORIGIN }
    }
}

impl Write for TtyBackend {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.inner.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        Write::flush(&mut self.inner)
    }
}

impl Backend for TtyBackend {
    type Error = io::Error;

    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(&mut self, content: I) -> io::Result<()> {
        self.inner.draw(content)
    }
    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        self.inner.append_lines(n)
    }
    fn hide_cursor(&mut self) -> io::Result<()> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> io::Result<()> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor)
    }
    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        self.cursor = p;
        self.inner.set_cursor_position(p)
    }
    fn clear(&mut self) -> io::Result<()> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> io::Result<Size> {
        self.inner.size()
    }
    fn window_size(&mut self) -> io::Result<WindowSize> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> io::Result<()> {
        Backend::flush(&mut self.inner)
    }
}

/// The picker's hold on the terminal. Dropping it gives the terminal back.
pub struct Session {
    pub terminal: Terminal<TtyBackend>,
    restored: bool,
}

impl Session {
    /// Raw mode, alternate screen, bracketed paste, and mouse reporting if `mouse`.
    pub fn start(mouse: bool) -> Result<Self, Error> {
        let tty = open_tty()?;
        let mut out = tty.try_clone().map_err(|e| Error::NoTerminal(e.to_string()))?;
        install_panic_hook();
        terminal::enable_raw_mode().map_err(|e| Error::NoTerminal(e.to_string()))?;
        ACTIVE.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let entered = execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide)
            .and_then(|_| if mouse { execute!(out, EnableMouseCapture) } else { Ok(()) });
        let terminal = entered.and_then(|_| Terminal::new(TtyBackend::new(tty)));
        match terminal {
            Ok(terminal) => Ok(Session { terminal, restored: false }),
            Err(e) => {
                restore_terminal();
                Err(Error::Terminal(e.to_string()))
            }
        }
    }

    /// The terminal's size (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        self.terminal.size().map(|s| (s.width, s.height)).unwrap_or((80, 24))
    }

    /// Gives the terminal back; safe to call more than once.
    pub fn restore(&mut self) {
        if !self.restored {
            self.restored = true;
            // Push out what is buffered, before leaving the alternate screen. (Not
            // `Terminal::flush`, which would draw a diff against an empty buffer.)
            let _ = Backend::flush(self.terminal.backend_mut());
            restore_terminal();
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.restore();
    }
}

/// Leaves the alternate screen, shows the cursor, turns mouse reporting and raw mode off.
/// Errors are ignored: after SIGHUP there may be no terminal left to restore.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Ok(mut tty) = OpenOptions::new().write(true).open("/dev/tty") {
        if MOUSE.load(Ordering::SeqCst) {
            let _ = execute!(tty, DisableMouseCapture);
        }
        let _ = execute!(tty, DisableBracketedPaste, LeaveAlternateScreen, Show);
        let _ = tty.flush();
    }
    let _ = terminal::disable_raw_mode();
}

/// Restores the terminal before the default panic message, so the message is readable.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}
