//! Formatting numbers for people, with the `phonenumber` crate (libphonenumber's metadata).
//!
//! Parsing costs about 10 µs a number and loading the metadata about 100 ms on first use, so
//! callers format only what they show, and [`warm_up`] loads the metadata off the UI thread.

mod lengths;

use std::sync::atomic::{AtomicU8, Ordering};

use phonenumber::{Mode, PhoneNumber};

use lengths::LENGTH_BY_CODE;

/// Whether a string is a plausible E.164 number: `+` and at most 15 ASCII digits, nothing else,
/// whose country calling code libphonenumber knows and whose national number has a length
/// possible in that country (`+2902345`, Saint Helena: 4 digits; `+12056350001`: 10). Looser
/// than `phonenumber::is_valid`, which also checks the number ranges (the demo data uses
/// fictional ones). A table lookup (see `lengths`): no metadata is loaded.
pub fn is_plausible_e164(s: &str) -> bool {
    let Some(d) = s.strip_prefix('+') else { return false };
    if !(2..=15).contains(&d.len()) || !d.bytes().all(|b| b.is_ascii_digit()) || d.starts_with('0') {
        return false;
    }
    // Calling codes are prefix-free: at most one of the first 1, 2 or 3 digits is one.
    (1..=3.min(d.len() - 1)).any(|n| {
        let code = d[..n].bytes().fold(0, |c, b| c * 10 + usize::from(b - b'0'));
        LENGTH_BY_CODE[code] & (1 << (d.len() - n)) != 0
    })
}

/// How many of an E.164 number's digits (`12056350001`) are its country calling code, when the
/// first 1, 2 or 3 of them are one libphonenumber knows. A table lookup.
pub fn calling_code_len(digits: &[u8]) -> Option<usize> {
    (1..=3.min(digits.len())).find(|&n| {
        let code = digits[..n].iter().fold(0usize, |c, &b| c * 10 + usize::from(b.wrapping_sub(b'0')).min(9));
        digits[..n].iter().all(u8::is_ascii_digit) && LENGTH_BY_CODE.get(code).is_some_and(|&l| l != 0)
    })
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
///
/// `None` too while [`warm_up`] is still loading the metadata: the picker's first frames then
/// show numbers as sent (E.164) rather than wait for it.
pub fn for_display(s: &str) -> Option<(String, Option<String>)> {
    if METADATA.load(Ordering::Acquire) == WARMING {
        return None;
    }
    let n = parse(s)?;
    let region = n.country().id().map(|id| id.as_ref().to_string());
    Some((n.format().mode(Mode::International).to_string(), region))
}

/// What libphonenumber knows of a number, from one parse: the details pane of the picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Described {
    pub e164: String,
    pub international: String,
    pub national: String,
    /// The region code (`US`, `GB`), when the number belongs to one.
    pub region: Option<String>,
    /// What kind of line the number's range is for, in words (`fixed line`, `toll free`, ...).
    pub line_type: &'static str,
}

/// Describes a plausible E.164 number; `None` when it cannot be parsed.
pub fn describe(s: &str) -> Option<Described> {
    let n = parse(s)?;
    let line_type = line_type_words(n.number_type(&phonenumber::metadata::DATABASE));
    Some(Described {
        e164: n.format().mode(Mode::E164).to_string(),
        international: n.format().mode(Mode::International).to_string(),
        national: n.format().mode(Mode::National).to_string(),
        region: n.country().id().map(|id| id.as_ref().to_string()),
        line_type,
    })
}

fn line_type_words(t: phonenumber::Type) -> &'static str {
    use phonenumber::Type as T;
    match t {
        T::FixedLine => "fixed line",
        T::Mobile => "mobile",
        T::FixedLineOrMobile => "fixed line or mobile",
        T::TollFree => "toll free",
        T::PremiumRate => "premium rate",
        T::SharedCost => "shared cost",
        T::PersonalNumber => "personal number",
        T::Voip => "VoIP",
        T::Pager => "pager",
        T::Uan => "universal access number",
        T::Emergency => "emergency",
        T::Voicemail => "voicemail access",
        T::ShortCode => "short code",
        T::StandardRate => "standard rate",
        T::Carrier => "carrier",
        T::NoInternational => "no international",
        T::Unknown => "unknown (not in a known range)",
    }
}

/// Where the metadata stands: not asked for (formatting loads it, and waits), being loaded by
/// [`warm_up`] (display formatting does not wait), loaded.
static METADATA: AtomicU8 = AtomicU8::new(COLD);
const COLD: u8 = 0;
const WARMING: u8 = 1;
const READY: u8 = 2;

/// Whether [`warm_up`] is still loading the metadata: formatting would wait for it.
pub fn metadata_loading() -> bool {
    METADATA.load(Ordering::Acquire) == WARMING
}

/// Loads the metadata in a background thread, so the first formatted row does not wait for it.
pub fn warm_up() {
    if METADATA.compare_exchange(COLD, WARMING, Ordering::AcqRel, Ordering::Acquire).is_ok() {
        std::thread::spawn(|| {
            let _ = parse("+12056350001");
            METADATA.store(READY, Ordering::Release);
        });
    }
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
    fn describes() {
        let d = describe("+442079460001").unwrap();
        assert_eq!(d.e164, "+442079460001");
        assert_eq!(d.international, "+44 20 7946 0001");
        assert_eq!(d.national, "020 7946 0001");
        assert_eq!(d.region.as_deref(), Some("GB"));
        assert_eq!(d.line_type, "fixed line");
        assert_eq!(describe("+18005550100").unwrap().line_type, "toll free");
        assert_eq!(describe("+1205\u{1b}[2J"), None);
    }

    #[test]
    fn plausibility() {
        assert!(is_plausible_e164("+12056350001"));
        assert!(!is_plausible_e164("12056350001"));
        assert!(!is_plausible_e164("+1205"));
        assert!(!is_plausible_e164("+1205635000199999"));
        assert!(!is_plausible_e164("+1205\u{1b}[2J"));
    }

    #[test]
    fn short_numbers_where_the_country_has_them() {
        // Saint Helena: 4 or 5 digits after +290; Niue: 4 after +683; Falklands: 5 after +500.
        for s in ["+2902345", "+29022345", "+6834002", "+50031234", "+442079460001", "+33199001234"] {
            assert!(is_plausible_e164(s), "{s}");
        }
        for s in [
            "+",
            "+2",
            "+1205",
            "+12056",
            "+1205635",
            "+290",
            "+29012",
            "+2902234567",
            "+0290223",
            "+999123",
            "+ 2902345",
            "+2902345 ",
            "+29\u{0}2345",
            "+290٢٣٤٥",
            "2902345",
            "+1205635000199999",
        ] {
            assert!(!is_plausible_e164(s), "{s}");
        }
    }
}
