//! Telling a location ID from a location name without asking the API, where that can be told.
//!
//! Webex IDs are base64 (standard or URL-safe alphabet, usually without padding) of a URI like
//! `ciscospark://us/LOCATION/<uuid>`. A value that decodes to such a URI is an ID; one with a
//! space or a character outside ASCII cannot be one and is a name. Anything else (one word of
//! ASCII, like `Berlin`, or an ID of some other API) could be either.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};

/// What a `--location` value is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocationValue {
    /// A Webex location ID.
    Id,
    /// A Webex ID of something else (the kind it names, e.g. `PEOPLE`).
    OtherId(String),
    /// Certainly a name.
    Name,
    /// One word of ASCII: an ID if the API takes it as one, else a name.
    Either,
}

/// Classifies a `--location` value (trimmed).
pub fn classify(value: &str) -> LocationValue {
    let v = value.trim();
    if v.chars().any(|c| c.is_whitespace() || !c.is_ascii()) {
        return LocationValue::Name;
    }
    if let Some(kind) = decoded_kind(v) {
        return if kind == "LOCATION" { LocationValue::Id } else { LocationValue::OtherId(kind) };
    }
    LocationValue::Either
}

/// The kind segment of a decoded `ciscospark://<region>/<KIND>/<id>`.
fn decoded_kind(v: &str) -> Option<String> {
    let bytes = [URL_SAFE_NO_PAD, STANDARD_NO_PAD, URL_SAFE, STANDARD].iter().find_map(|e| e.decode(v).ok())?;
    let text = String::from_utf8(bytes).ok()?;
    let rest = text.strip_prefix("ciscospark://")?;
    let mut parts = rest.splitn(3, '/');
    let (region, kind, id) = (parts.next()?, parts.next()?, parts.next()?);
    let plain = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    (plain(region) && plain(kind) && !id.is_empty() && !id.contains(char::is_whitespace)).then(|| kind.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(s: &str) -> String {
        URL_SAFE_NO_PAD.encode(s)
    }

    #[test]
    fn ids_names_and_values_that_may_be_either() {
        #[cfg(feature = "demo")]
        assert_eq!(classify(crate::demo::DEMO_LOCATION), LocationValue::Id);
        let uuid = "ciscospark://us/LOCATION/2a3e8a5e-7c52-4e5a-9b1f-64b0c3d2e111";
        assert_eq!(classify(&b64(uuid)), LocationValue::Id);
        assert_eq!(classify(&STANDARD.encode(uuid)), LocationValue::Id, "padded, standard alphabet");
        // A `+` or `/` of the standard alphabet.
        let odd = "ciscospark://us/LOCATION/\u{3e}\u{3f}\u{3e}";
        assert_eq!(classify(&STANDARD_NO_PAD.encode(odd)), LocationValue::Id);
        assert_eq!(classify(&b64("ciscospark://us/PEOPLE/abc")), LocationValue::OtherId("PEOPLE".into()));
        assert_eq!(classify("Köln"), LocationValue::Name);
        assert_eq!(classify("London Soho"), LocationValue::Name);
        assert_eq!(classify("Berlin"), LocationValue::Either, "decodes, but not to an ID");
        assert_eq!(classify("LOC1"), LocationValue::Either);
        assert_eq!(classify("my-real-location"), LocationValue::Either);
        assert_eq!(classify(&b64("https://us/LOCATION/x")), LocationValue::Either);
        assert_eq!(classify(&b64("ciscospark://us/LOCATION/")), LocationValue::Either, "no id part");
    }
}
