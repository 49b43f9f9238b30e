//! What owns a number, in words: the `owner.type` values of the Webex "available numbers"
//! lists, as the picker shows them and a search can match them. One table, read by both.

use std::borrow::Cow;

use crate::sanitize;

/// Each known `owner.type`, and its words.
pub const WORDS: &[(&str, &str)] = &[
    ("PEOPLE", "person"),
    ("PLACE", "workspace"),
    ("VIRTUAL_LINE", "virtual line"),
    ("HUNT_GROUP", "hunt group"),
    ("CALL_QUEUE", "call queue"),
    ("AUTO_ATTENDANT", "auto attendant"),
    ("GROUP_PAGING", "paging group"),
    ("VOICEMAIL_GROUP", "voicemail group"),
    ("VOICE_MESSAGING", "voice messaging"),
    ("OFFICE_ANYWHERE", "single number reach"),
    ("CONTACT_CENTER_LINK", "contact center link"),
    ("CONTACT_CENTER_ADAPTER", "contact center adapter"),
    ("ROUTE_LIST", "route list"),
    ("COLLABORATE_BRIDGE", "collaborate bridge"),
];

/// The words for an owner type: from [`WORDS`], else the value itself in lower case with
/// spaces for underscores, escaped and on one line (it came from a server).
pub fn words(owner_type: &str) -> Cow<'static, str> {
    match WORDS.iter().find(|(t, _)| *t == owner_type) {
        Some((_, w)) => Cow::Borrowed(w),
        // Only its start: a type may be a megabyte long, and is drawn on every row.
        None => Cow::Owned(sanitize::one_line(&sanitize::start(owner_type, 60).replace('_', " ").to_lowercase(), 60)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_have_their_words() {
        assert_eq!(words("PEOPLE"), "person");
        assert_eq!(words("PLACE"), "workspace");
        assert_eq!(words("OFFICE_ANYWHERE"), "single number reach");
        assert_eq!(words("CONTACT_CENTER_ADAPTER"), "contact center adapter");
        assert_eq!(words("GROUP_PAGING"), "paging group");
        assert!(WORDS.iter().all(|(t, w)| words(t) == *w && !w.contains('_')));
    }

    #[test]
    fn unknown_types_are_lower_case_words_and_safe() {
        assert_eq!(words("SHARED_LINE_APPEARANCE"), "shared line appearance");
        assert_eq!(words("people"), "people", "the table is exact: only the API's spelling");
        assert_eq!(words("EVIL_\u{1b}[2J\u{202e}"), "evil \\u{1b}[2j\\u{202e}");
        assert_eq!(words("A__\nB"), "a b");
    }
}
