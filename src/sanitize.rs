//! Server strings are data, not terminal commands.
//!
//! Before anything a server chose is drawn or printed as text, control characters (C0, DEL, C1,
//! so every escape sequence loses its ESC), and bidirectional controls (which can make text read
//! in a different order than it is) are shown escaped as `\u{..}`.

use std::borrow::Cow;
use std::fmt::Write;
use std::sync::Mutex;

/// Every token and secret this process holds (access and refresh tokens, client secrets, device
/// codes), so that [`server_text`] can take them out of whatever a server sends back.
static SECRETS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Remembers a secret for [`redact`]. Very short strings are not remembered (they would blank
/// out ordinary words).
pub fn register_secret(secret: &str) {
    let secret = secret.trim();
    if secret.len() < 6 {
        return;
    }
    let mut all = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
    if !all.iter().any(|s| s == secret) {
        all.push(secret.to_string());
    }
}

/// The text with every secret this process holds, and whatever follows `Bearer ` or `Basic `,
/// replaced by `<redacted>`: a server that echoes the request's Authorization header, or a token
/// endpoint that repeats the token it was sent, shows none of it.
pub fn redact(text: &str) -> Cow<'_, str> {
    let mut out = Cow::Borrowed(text);
    {
        let all = SECRETS.lock().unwrap_or_else(|e| e.into_inner());
        for secret in all.iter() {
            if out.contains(secret.as_str()) {
                out = Cow::Owned(out.replace(secret.as_str(), REDACTED));
            }
        }
    }
    for scheme in ["Bearer ", "bearer ", "Basic ", "basic "] {
        if !out.contains(scheme) {
            continue;
        }
        let mut s = String::with_capacity(out.len());
        let mut rest: &str = &out;
        while let Some(at) = rest.find(scheme) {
            let after = &rest[at + scheme.len()..];
            let len =
                after.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | ';')).unwrap_or(after.len());
            s.push_str(&rest[..at + scheme.len()]);
            s.push_str(if len > 0 && !after.starts_with(REDACTED) { REDACTED } else { "" });
            rest = if after.starts_with(REDACTED) { after } else { &after[len..] };
        }
        s.push_str(rest);
        out = Cow::Owned(s);
    }
    out
}

/// Text a server chose, made fit to show or log: secrets redacted ([`redact`]), then escaped on
/// one line of at most `max` characters ([`one_line`]). The one path for API error bodies and
/// token endpoint replies alike.
pub fn server_text(s: &str, max: usize) -> String {
    one_line(&redact(s), max)
}

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
    fn secrets_and_authorization_values_are_redacted() {
        register_secret("sekrit-refresh-0123456789");
        let text = "bad token sekrit-refresh-0123456789; header was Bearer abc.def-123, and Basic dXNlcjpwYXNz";
        let got = server_text(text, 500);
        assert_eq!(got, "bad token <redacted>; header was Bearer <redacted>, and Basic <redacted>");
        assert_eq!(redact("nothing to hide"), "nothing to hide");
        register_secret("abc");
        assert_eq!(redact("abc"), "abc", "too short to be a secret");
    }

    #[test]
    fn one_line_collapses_and_truncates() {
        assert_eq!(one_line("a\n\n b\tc", 80), "a b c");
        assert_eq!(one_line("abcdef", 4), "abc…");
    }
}
