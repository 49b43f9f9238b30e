//! The terminal: drawn on `/dev/tty` (the console on Windows, see [`crate::platform`]), never
//! on stdout, and restored on every way out.
//!
//! stdout carries only the result, so `NUM=$(wxpick)` works. Keys come from the terminal even
//! when stdin is a pipe (crossterm reads `/dev/tty`, or `CONIN$`). Nothing here asks the
//! terminal for the cursor position through stdout: [`TtyBackend`] answers that question
//! itself, since ratatui's `Terminal::clear()` would otherwise make crossterm write `ESC [ 6 n`
//! to stdout.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture};
use crossterm::execute;
use crossterm::terminal::{self, EnterAlternateScreen, LeaveAlternateScreen};
use ratatui::backend::{Backend, ClearType, CrosstermBackend, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Rect, Size};
use ratatui::{Terminal, TerminalOptions, Viewport};

use crate::error::Error;
use crate::platform;

/// Whether the terminal is in picker mode, for the panic hook.
static ACTIVE: AtomicBool = AtomicBool::new(false);
static MOUSE: AtomicBool = AtomicBool::new(false);
/// The inline area as `top << 16 | height`, or `u32::MAX` on the alternate screen.
static INLINE: AtomicU32 = AtomicU32::new(u32::MAX);
static HOOK: Once = Once::new();

/// Opens the controlling terminal for reading and writing.
pub fn open_tty() -> Result<File, Error> {
    platform::open_terminal().map_err(|e| Error::NoTerminal(platform::no_terminal_reason(&e)))
}

/// A crossterm backend on the terminal that keeps track of the cursor instead of asking the
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

/// `--height`: rows, or a percentage of the terminal's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Height {
    Rows(u16),
    Percent(u16),
}

impl Height {
    /// The rows to use on a terminal of `rows` rows (at least 3: query, one row, status).
    pub fn rows(self, rows: u16) -> u16 {
        let h = match self {
            Height::Rows(n) => n,
            Height::Percent(p) => ((rows as u32 * p as u32) / 100) as u16,
        };
        h.max(3).min(rows)
    }
}

/// Where an inline picker (`--height`) sits on the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InlineArea {
    pub top: u16,
    pub height: u16,
}

/// Rows to use on a terminal of the given rows (from `--height`).
pub type RowsFor<'a> = &'a dyn Fn(u16) -> u16;

/// The picker's hold on the terminal. Dropping it gives the terminal back.
pub struct Session {
    pub terminal: Terminal<TtyBackend>,
    /// `Some` when drawing inline below the prompt instead of on the alternate screen.
    pub inline: Option<InlineArea>,
    restored: bool,
}

impl Session {
    /// Raw mode, bracketed paste, mouse reporting if `mouse`, and either the alternate screen or,
    /// when `height` is given and the terminal says where its cursor is, an inline area of that
    /// many rows below the prompt.
    pub fn start(mouse: bool, height: Option<RowsFor>) -> Result<Self, Error> {
        let tty = open_tty()?;
        let mut out = tty.try_clone().map_err(|e| Error::NoTerminal(e.to_string()))?;
        install_panic_hook();
        terminal::enable_raw_mode().map_err(|e| {
            platform::release_terminal();
            Error::NoTerminal(e.to_string())
        })?;
        ACTIVE.store(true, Ordering::SeqCst);
        MOUSE.store(mouse, Ordering::SeqCst);
        let inline = height.and_then(|rows_for| inline_area(&tty, rows_for));
        remember_inline(inline);
        let entered = match inline {
            Some(_) => execute!(out, EnableBracketedPaste, Hide),
            None => execute!(out, EnterAlternateScreen, EnableBracketedPaste, Hide),
        }
        .and_then(|_| if mouse { execute!(out, EnableMouseCapture) } else { Ok(()) });
        let backend = TtyBackend::new(tty);
        let terminal = entered.and_then(|_| match inline {
            Some(a) => {
                let width = backend.size()?.width;
                let viewport = Viewport::Fixed(Rect { x: 0, y: a.top, width, height: a.height });
                Terminal::with_options(backend, TerminalOptions { viewport })
            }
            None => Terminal::new(backend),
        });
        match terminal {
            Ok(terminal) => Ok(Session { terminal, inline, restored: false }),
            Err(e) => {
                restore_terminal();
                Err(Error::Terminal(e.to_string()))
            }
        }
    }

    /// The size the picker draws in (columns, rows).
    pub fn size(&self) -> (u16, u16) {
        let full = self.terminal.size().map(|s| (s.width, s.height)).unwrap_or((80, 24));
        match self.inline {
            Some(a) => (full.0, a.height),
            None => full,
        }
    }

    /// Follows a terminal resize; an inline area is kept on screen. Returns the size to draw in.
    pub fn resized(&mut self, width: u16, rows: u16, rows_for: Option<RowsFor>) -> (u16, u16) {
        let (Some(old), Some(rows_for)) = (self.inline, rows_for) else { return (width, rows) };
        let height = rows_for(rows).min(rows).max(1);
        let top = old.top.min(rows.saturating_sub(height));
        // Clear the rows drawn so far, then draw afresh in the new area. (ratatui's own resize
        // of a fixed viewport would clear the whole screen, scrollback rows included.)
        let backend = self.terminal.backend_mut();
        for row in old.top..(old.top + old.height).min(rows) {
            let _ = write!(backend, "\x1b[{};1H\x1b[2K", row + 1);
        }
        let _ = Backend::flush(backend);
        if let Ok(tty) = open_tty() {
            let viewport = Viewport::Fixed(Rect { x: 0, y: top, width, height });
            if let Ok(t) = Terminal::with_options(TtyBackend::new(tty), TerminalOptions { viewport }) {
                self.terminal = t;
            }
        }
        self.inline = Some(InlineArea { top, height });
        remember_inline(self.inline);
        (width, height)
    }

    /// Gives the terminal back; safe to call more than once.
    pub fn restore(&mut self) {
        if !self.restored {
            self.restored = true;
            // Push out what is buffered first. (Not `Terminal::flush`, which would draw a diff
            // against an empty buffer.)
            let _ = Backend::flush(self.terminal.backend_mut());
            restore_terminal();
        }
    }
}

/// The inline area: `rows_for(terminal rows)` rows from the cursor down, scrolling the screen
/// up first if they do not fit. `None` (use the full screen) when they would fill the screen or
/// the terminal does not answer where its cursor is.
fn inline_area(tty: &File, rows_for: RowsFor) -> Option<InlineArea> {
    let (_, rows) = terminal::size().ok()?;
    let height = rows_for(rows);
    if height >= rows {
        return None;
    }
    let (col, row) = platform::cursor_position(tty, std::time::Duration::from_millis(300))?;
    // Start on a line of our own: below a prompt that does not end in a newline, if need be.
    let first = if col > 0 { row + 1 } else { row };
    // Make room: newlines scroll the screen when the area would run past the bottom.
    let mut out = tty;
    let newlines = "\r\n".repeat((height - 1 + first - row) as usize);
    out.write_all(newlines.as_bytes()).ok()?;
    let top = first.min(rows - height);
    write!(out, "\x1b[{};1H", top + 1).ok()?;
    out.flush().ok()?;
    Some(InlineArea { top, height })
}

impl Drop for Session {
    fn drop(&mut self) {
        self.restore();
    }
}

/// Tells [`restore_terminal`] where the inline area is (`None`: the alternate screen).
fn remember_inline(area: Option<InlineArea>) {
    INLINE.store(area.map_or(u32::MAX, |a| ((a.top as u32) << 16) | a.height as u32), Ordering::SeqCst);
}

/// Leaves the alternate screen, shows the cursor, turns mouse reporting and raw mode off.
/// Errors are ignored: after SIGHUP there may be no terminal left to restore.
pub fn restore_terminal() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Ok(mut tty) = platform::open_terminal_for_writing() {
        if MOUSE.load(Ordering::SeqCst) {
            let _ = execute!(tty, DisableMouseCapture);
        }
        let inline = INLINE.load(Ordering::SeqCst);
        if inline == u32::MAX {
            let _ = execute!(tty, DisableBracketedPaste, LeaveAlternateScreen, Show);
        } else {
            // Clear exactly the rows used, and leave the cursor where the picker began.
            let (top, height) = ((inline >> 16) as u16, (inline & 0xffff) as u16);
            let _ = execute!(tty, DisableBracketedPaste);
            for row in top..top + height {
                let _ = write!(tty, "\x1b[{};1H\x1b[2K", row + 1);
            }
            let _ = write!(tty, "\x1b[{};1H", top + 1);
            let _ = execute!(tty, Show);
        }
        let _ = tty.flush();
    }
    let _ = terminal::disable_raw_mode();
    platform::release_terminal();
}

/// Restores the terminal before the default panic message, so the message is readable.
fn install_panic_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let picking = ACTIVE.load(Ordering::SeqCst);
            restore_terminal();
            previous(info);
            // A panic anywhere, a background task's included, ends the picker: it must not run
            // on in a terminal that was just given back.
            if picking {
                std::process::exit(crate::error::exit::ERROR);
            }
        }));
    });
}
