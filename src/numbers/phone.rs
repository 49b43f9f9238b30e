//! Formatting numbers for people, with the `phonenumber` crate (libphonenumber's metadata).
//!
//! Parsing costs about 10 µs a number and loading the metadata about 100 ms on first use, so
//! callers format only what they show, and [`warm_up`] loads the metadata off the UI thread.

use phonenumber::{Mode, PhoneNumber};

/// Whether a string is a plausible E.164 number: `+` and 8 to 15 digits, nothing else.
pub fn is_plausible_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else { return false };
    (8..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')
}

fn parse(s: &str) -> Option<PhoneNumber> {
    if !is_plausible_e164(s) {
        return None;
    }
    phonenumber::parse(None, s).ok()
}

/// A readable international form, e.g. `+1 205-635-0001`; the input itself when it cannot be
/// parsed.
pub fn international(s: &str) -> String {
    parse(s).map(|n| n.format().mode(Mode::International).to_string()).unwrap_or_else(|| s.to_string())
}

/// The national form, e.g. `(205) 635-0001`.
pub fn national(s: &str) -> String {
    parse(s).map(|n| n.format().mode(Mode::National).to_string()).unwrap_or_else(|| s.to_string())
}

/// The E.164 form, e.g. `+12056350001`.
pub fn e164(s: &str) -> String {
    parse(s).map(|n| n.format().mode(Mode::E164).to_string()).unwrap_or_else(|| s.to_string())
}

/// The international form and the region, from one parse: what a row of the picker shows.
/// `None` when the number cannot be parsed.
pub fn for_display(s: &str) -> Option<(String, Option<String>)> {
    let n = parse(s)?;
    let region = n.country().id().map(|id| id.as_ref().to_string());
    Some((n.format().mode(Mode::International).to_string(), region))
}

/// Loads the metadata in a background thread, so the first formatted row does not wait for it.
pub fn warm_up() {
    std::thread::spawn(|| {
        let _ = parse("+12056350001");
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(international("+12056350001"), "+1 205-635-0001");
        assert_eq!(national("+12056350001"), "(205) 635-0001");
        assert_eq!(international("+442079460001"), "+44 20 7946 0001");
        assert_eq!(for_display("+442079460001"), Some(("+44 20 7946 0001".into(), Some("GB".into()))));
        assert_eq!(for_display("bogus"), None);
        assert_eq!(international("bogus"), "bogus");
    }

    #[test]
    fn plausibility() {
        assert!(is_plausible_e164("+12056350001"));
        assert!(!is_plausible_e164("12056350001"));
        assert!(!is_plausible_e164("+1205"));
        assert!(!is_plausible_e164("+1205635000199999"));
        assert!(!is_plausible_e164("+1205\u{1b}[2J"));
    }
}
