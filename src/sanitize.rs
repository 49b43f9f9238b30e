//! Server strings are data, not terminal commands.
//!
//! Before anything a server chose is drawn or printed as text, control characters (C0, DEL, C1,
//! so every escape sequence loses its ESC), bidirectional controls (which can make text read
//! in a different order than it is), and invisible characters (zero-width spaces and joiners,
//! word joiners, the byte-order mark, tag characters: every format character, Unicode's `Cf`,
//! and the invisible Hangul fillers), which can make two different texts look the same, are
//! shown escaped as `\u{..}`. A number that looks like `+12056350002` but holds a zero-width
//! space reads `+1205635\u{200b}0002`.
//!
//! Text drawn is also bounded: [`one_line`] looks at no more than [`LONGEST`] characters (a
//! few times that, for runs of whitespace), so a megabyte of owner name costs a frame no more
//! than a screenful.

use std::borrow::Cow;
use std::fmt::Write;

/// The most characters [`one_line`] returns (the `…` included), whatever `max` it is given.
pub const LONGEST: usize = 2000;

/// Whether a character must not reach a terminal as itself.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_format(c) || matches!(c, '\u{2028}' | '\u{2029}') || is_invisible_filler(c)
}

/// Unicode's format characters (general category `Cf`, Unicode 15.1): invisible, and some
/// reorder text (bidirectional controls). Among them U+200B–U+200F, U+2060–U+2064, U+FEFF.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{0600}'..='\u{0605}' | '\u{061C}' | '\u{06DD}' | '\u{070F}'
        | '\u{0890}'..='\u{0891}' | '\u{08E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}'
        | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}' | '\u{13430}'..='\u{1343F}'
        | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Letters that draw as nothing at all (Hangul fillers), a known way to fake an empty or
/// look-alike name.
fn is_invisible_filler(c: char) -> bool {
    matches!(c, '\u{115F}' | '\u{1160}' | '\u{3164}' | '\u{FFA0}')
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

/// How many characters [`one_line`] looks at for `max`: enough to fill it, whatever the
/// whitespace; past them, the text is cut anyway.
fn scanned(max: usize) -> usize {
    max.min(LONGEST) * 4 + 8
}

/// The start of `s` that [`one_line`]`(s, max)` looks at: to transform before it (lower case,
/// joining), without touching the rest of a huge string.
pub fn start(s: &str, max: usize) -> &str {
    s.char_indices().nth(scanned(max)).map_or(s, |(i, _)| &s[..i])
}

/// Escaped, on one line (runs of whitespace become one space, none at either end), and at most
/// `max` characters (and never more than [`LONGEST`]): longer text is cut, with `…`. Only the
/// start of `s` is looked at, never all of a huge string.
pub fn one_line(s: &str, max: usize) -> String {
    let max = max.min(LONGEST);
    let scan = scanned(max);
    let mut out = String::new();
    let mut count = 0;
    let mut space = false;
    let mut cut = false;
    // Where the text may be cut to make room for the `…` (never inside an escape): bytes, and
    // characters.
    let mut room = (0, 0);
    let mut push = |out: &mut String, c: char| -> bool {
        let escaped_len = if is_unsafe(c) { format!("\\u{{{:x}}}", c as u32).len() } else { 1 };
        if count + escaped_len > max {
            return false;
        }
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
        count += escaped_len;
        if count < max {
            room = (out.len(), count);
        }
        true
    };
    for (i, c) in s.chars().enumerate() {
        if i >= scan {
            cut = true;
            break;
        }
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if std::mem::take(&mut space) && !push(&mut out, ' ') {
            cut = true;
            break;
        }
        if !push(&mut out, c) {
            cut = true;
            break;
        }
    }
    if !cut {
        return out;
    }
    if max == 0 {
        return String::new();
    }
    out.truncate(room.0);
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
        assert_eq!(one_line("  a  ", 80), "a");
        assert_eq!(one_line("abcdef", 4), "abc…");
        assert_eq!(one_line("abcd", 4), "abcd");
        assert_eq!(one_line("ab cdef", 4), "ab …");
        assert_eq!(one_line("abcdef", 0), "");
        assert_eq!(one_line("a\u{1b}bcdefgh", 8), "a\\u{1b}…");
        assert_eq!(one_line("ab\u{1b}cd", 8), "ab…", "an escape is never cut in half");
        assert_eq!(one_line("a\u{1b}b", 80), "a\\u{1b}b");
    }

    #[test]
    fn invisible_characters_are_shown() {
        let look_alike = "+1205635\u{200B}0002";
        assert_eq!(escape(look_alike), "+1205635\\u{200b}0002");
        assert_ne!(one_line(look_alike, 40), "+12056350002");
        for c in [
            '\u{200B}',
            '\u{200C}',
            '\u{200D}',
            '\u{200E}',
            '\u{200F}',
            '\u{2060}',
            '\u{2061}',
            '\u{2062}',
            '\u{2063}',
            '\u{2064}',
            '\u{FEFF}',
            '\u{00AD}',
            '\u{180E}',
            '\u{E0041}',
            '\u{3164}',
            '\u{206F}',
        ] {
            assert!(is_unsafe(c), "U+{:04X}", c as u32);
        }
        // Visible text stays as it is: accents, CJK, emoji, a combining accent.
        for fine in ["Zürich", "東京オフィス", "Berlin 🚀 Lab", "Cafe\u{301}", "+12056350002"] {
            assert!(matches!(escape(fine), Cow::Borrowed(_)), "{fine}");
        }
    }

    #[test]
    fn a_huge_string_is_looked_at_only_as_far_as_it_is_shown() {
        // A megabyte of name: cut at LONGEST, whatever `max` says.
        let huge = "x".repeat(1 << 20);
        let shown = one_line(&huge, usize::MAX);
        assert_eq!(shown.chars().count(), LONGEST);
        assert!(shown.ends_with('…'));
        // A name whose end is a megabyte of whitespace away: the scan stops long before it.
        let far = format!("a{}b", " ".repeat(1 << 20));
        assert_eq!(one_line(&far, 80), "a…");
    }
}
