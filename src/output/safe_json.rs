//! JSON output that is harmless on a terminal: besides the control characters JSON always
//! escapes, C1 controls and bidirectional controls are written as `\uXXXX` escapes.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{CharEscape, Formatter, Serializer};

use crate::sanitize::is_unsafe;

struct SafeFormatter;

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + Write>(&mut self, w: &mut W, fragment: &str) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_unsafe(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    write!(w, "\\u{:04x}", unit)?;
                }
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + Write>(&mut self, w: &mut W, escape: CharEscape) -> io::Result<()> {
        serde_json::ser::CompactFormatter.write_char_escape(w, escape)
    }
}

/// Writes `value` as compact JSON with the extra escapes.
pub fn write<W: Write, T: Serialize + ?Sized>(w: &mut W, value: &T) -> io::Result<()> {
    let mut ser = Serializer::with_formatter(w, SafeFormatter);
    // Keep the kind of an I/O error (a closed pipe is not a failure: see `is_broken_pipe`).
    value.serialize(&mut ser).map_err(|e| match e.io_error_kind() {
        Some(kind) => io::Error::new(kind, e),
        None => io::Error::other(e),
    })
}

/// `value` as compact JSON with the extra escapes, in a string.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::new();
    write(&mut out, value).expect("writing to memory");
    String::from_utf8(out).expect("JSON is UTF-8")
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_bidi_and_c1_and_stays_valid_json() {
        let v = serde_json::json!({"n": "+1\u{202E}2\u{1b}[31m\u{9b}x"});
        let mut out = Vec::new();
        super::write(&mut out, &v).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text, r#"{"n":"+1\u202e2\u001b[31m\u009bx"}"#);
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
