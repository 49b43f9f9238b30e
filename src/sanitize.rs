//! Server strings are data, not terminal commands.
//!
//! Before anything a server chose is drawn or printed as text, control characters (C0, DEL, C1,
//! so every escape sequence loses its ESC), and bidirectional controls (which can make text read
//! in a different order than it is) are shown escaped as `\u{..}`.

use std::borrow::Cow;
use std::fmt::Write;

/// Whether a character must not reach a terminal as itself.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
            | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// The text with every unsafe character shown as `\u{XX}`.
pub fn escape(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Escaped, on one line (runs of whitespace become one space), and at most `max` characters.
pub fn one_line(s: &str, max: usize) -> String {
    let joined = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let escaped = escape(&joined);
    if escaped.chars().count() <= max {
        return escaped.into_owned();
    }
    let mut out: String = escaped.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_controls_and_bidi() {
        assert_eq!(escape("+1\u{1b}[2J"), "+1\\u{1b}[2J");
        assert_eq!(escape("a\u{202E}b"), "a\\u{202e}b");
        assert_eq!(escape("\u{9b}31m"), "\\u{9b}31m");
        assert!(matches!(escape("+12056350001"), Cow::Borrowed(_)));
    }

    #[test]
    fn one_line_collapses_and_truncates() {
        assert_eq!(one_line("a\n\n b\tc", 80), "a b c");
        assert_eq!(one_line("abcdef", 4), "abc…");
    }
}
