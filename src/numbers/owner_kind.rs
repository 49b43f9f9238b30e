//! What owns a number, in words: the API's owner `type` (`PEOPLE`, `HUNT_GROUP`, ...) as an
//! admin says it, for the picker and for search (`hunt group` finds the hunt groups' numbers).

use std::borrow::Cow;

/// The API's owner types and their words. Types Webex adds later read as their name in lower
/// case, with spaces.
const WORDS: &[(&str, &str)] = &[
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

/// The words for an owner type: `HUNT_GROUP` → `hunt group`.
pub fn words(api_type: &str) -> Cow<'static, str> {
    match WORDS.iter().find(|(t, _)| t.eq_ignore_ascii_case(api_type)) {
        Some((_, w)) => Cow::Borrowed(w),
        None => Cow::Owned(crate::sanitize::one_line(&api_type.replace('_', " ").to_lowercase(), 40)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_unknown_types() {
        assert_eq!(words("PEOPLE"), "person");
        assert_eq!(words("HUNT_GROUP"), "hunt group");
        assert_eq!(words("OFFICE_ANYWHERE"), "single number reach");
        assert_eq!(words("SATELLITE_DISH"), "satellite dish");
        assert!(!words("BAD\u{1b}[2J").contains('\u{1b}'));
    }
}
