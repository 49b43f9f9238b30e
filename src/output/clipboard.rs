//! Copying a number to the clipboard, from wherever the admin is.
//!
//! The copy is an OSC 52 sequence written to `/dev/tty`: the admin's own terminal sets its
//! clipboard, across SSH. Inside tmux it is sent twice: wrapped for tmux's passthrough (reaches
//! the outer terminal with `allow-passthrough on`) and plain (tmux takes it into its buffer, and
//! on to the outer terminal, with `set-clipboard on`). Inside GNU screen it is wrapped in
//! screen's DCS. On a local desktop (Windows, macOS, or `WAYLAND_DISPLAY`/`DISPLAY` on Linux;
//! not over SSH) the system clipboard is set too, for terminals that ignore OSC 52 (the Windows
//! console host, macOS Terminal). A missing clipboard never fails a pick: the caller reports it.

use std::io::Write;
use std::sync::{Mutex, OnceLock};

use base64::Engine;

/// What the environment says about the terminal and the display.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClipboardEnv {
    pub tmux: bool,
    pub screen: bool,
    pub ssh: bool,
    /// A local desktop with a system clipboard (see [`crate::platform::desktop_session`]).
    pub display: bool,
}

impl ClipboardEnv {
    pub fn from_env() -> Self {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        ClipboardEnv {
            tmux: set("TMUX"),
            screen: set("STY"),
            ssh: set("SSH_CONNECTION") || set("SSH_TTY") || set("SSH_CLIENT"),
            display: crate::platform::desktop_session(&set),
        }
    }
}

/// `ESC ] 52 ; c ; <base64> BEL`
pub fn osc52(text: &str) -> Vec<u8> {
    let mut s = b"\x1b]52;c;".to_vec();
    s.extend(base64::engine::general_purpose::STANDARD.encode(text).bytes());
    s.push(0x07);
    s
}

/// `ESC P tmux; <sequence with each ESC doubled> ESC \`
pub fn tmux_passthrough(seq: &[u8]) -> Vec<u8> {
    let mut s = b"\x1bPtmux;".to_vec();
    for &b in seq {
        if b == 0x1b {
            s.push(0x1b);
        }
        s.push(b);
    }
    s.extend(b"\x1b\\");
    s
}

/// `ESC P <sequence> ESC \`, in chunks of at most 76 bytes (screen's limit per DCS string).
pub fn screen_dcs(seq: &[u8]) -> Vec<u8> {
    let mut s = Vec::new();
    for chunk in seq.chunks(76) {
        s.extend(b"\x1bP");
        s.extend(chunk);
        s.extend(b"\x1b\\");
    }
    s
}

/// The bytes to write to the terminal to copy `text`.
pub fn sequences(text: &str, env: ClipboardEnv) -> Vec<u8> {
    let plain = osc52(text);
    if env.tmux {
        let mut out = tmux_passthrough(&plain);
        out.extend(&plain);
        out
    } else if env.screen {
        screen_dcs(&plain)
    } else {
        plain
    }
}

/// Copies `text`: OSC 52 to the terminal, and the system clipboard where there is one.
/// `Ok` says what was done; `Err` says why nothing could be.
pub fn copy(text: &str, shown: &str) -> Result<String, String> {
    let env = ClipboardEnv::from_env();
    let terminal = crate::platform::open_terminal_for_writing()
        .and_then(|mut tty| tty.write_all(&sequences(text, env)).and_then(|_| tty.flush()));
    let system = if env.display && !env.ssh { Some(system_copy(text)) } else { None };
    match (terminal, system) {
        (Ok(()), Some(Err(e))) => Ok(format!("copied {shown} (terminal only; system clipboard: {e})")),
        (Ok(()), _) | (Err(_), Some(Ok(()))) => Ok(format!("copied {shown}")),
        (Err(e), Some(Err(e2))) => Err(format!("clipboard unavailable: {e}; {e2}")),
        (Err(e), None) => Err(format!("clipboard unavailable: {e}")),
    }
}

/// Sets the system clipboard. The clipboard handle lives as long as wxpick: on X11 the text is
/// served by the program that set it, so dropping the handle would take the text away.
fn system_copy(text: &str) -> Result<(), String> {
    static CLIPBOARD: OnceLock<Mutex<Option<arboard::Clipboard>>> = OnceLock::new();
    let mut held = CLIPBOARD.get_or_init(|| Mutex::new(None)).lock().map_err(|e| e.to_string())?;
    if held.is_none() {
        *held = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
    }
    held.as_mut().expect("set above").set_text(text.to_string()).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_shape() {
        assert_eq!(osc52("+12056350001"), b"\x1b]52;c;KzEyMDU2MzUwMDAx\x07");
    }

    #[test]
    fn tmux_doubles_escapes_and_also_sends_plain() {
        let env = ClipboardEnv { tmux: true, ..Default::default() };
        let out = sequences("+1", env);
        let plain = osc52("+1");
        assert!(out.starts_with(b"\x1bPtmux;\x1b\x1b]52;c;"));
        assert!(out.ends_with(&plain));
        assert_eq!(out.len(), plain.len() + 1 + b"\x1bPtmux;".len() + 2 + plain.len());
    }

    #[test]
    fn screen_wraps_in_dcs_chunks() {
        let env = ClipboardEnv { screen: true, ..Default::default() };
        let text = "9".repeat(100);
        let out = sequences(&text, env);
        assert!(out.starts_with(b"\x1bP\x1b]52;c;"));
        let chunks = osc52(&text).len().div_ceil(76);
        assert_eq!(chunks, 2);
        assert_eq!(out.windows(2).filter(|w| w == b"\x1bP").count(), chunks);
    }
}
