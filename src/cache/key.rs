//! Which list a cache file holds: where the list lives (the base URL, or the demo's settings),
//! the list's path with its IDs, the organization and the server-side filters. Never the token,
//! and never the paging (`max`, `start`), which does not change the list.

use reqwest::Url;

/// A list's identity, as text (kept in the file's header and checked on reading) and as a file
/// name (a hash of that text).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Key {
    text: String,
}

/// Query parameters that page through a list without changing it.
const PAGING: [&str; 2] = ["max", "start"];

impl Key {
    /// The list whose first page is `first_page`, on the API that `origin` names: the base URL
    /// for a real API, a fixed label for the demo server (whose port changes every run).
    pub fn for_list(origin: &str, first_page: &Url) -> Key {
        let query: Vec<(String, String)> = first_page
            .query_pairs()
            .filter(|(k, _)| !PAGING.contains(&k.as_ref()))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut text = format!("{origin}\n{}", first_page.path());
        for (k, v) in &query {
            // Encoded as in a URL, so that a value cannot pass for another parameter.
            let pair: String = url::form_urlencoded::Serializer::new(String::new()).append_pair(k, v).finish();
            text.push('\n');
            text.push_str(&pair);
        }
        Key { text }
    }

    /// The key as text: what a file's header must hold to be this list's.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The file name's stem: 64 bits of FNV-1a over the text (a collision is caught by the
    /// header's full key, and costs only a miss).
    pub fn stem(&self) -> String {
        format!("list-{:016x}", crate::digest::fnv1a64(self.text.as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(origin: &str, url: &str) -> Key {
        Key::for_list(origin, &Url::parse(url).unwrap())
    }

    #[test]
    fn paging_does_not_change_the_key_but_everything_else_does() {
        let base = "https://webexapis.com/v1";
        let path = "https://webexapis.com/v1/telephony/config/locations/L1/queues/availableNumbers";
        let plain = key(base, path);
        assert_eq!(plain, key(base, &format!("{path}?max=50&start=100")));
        assert_eq!(plain.stem(), key(base, &format!("{path}?max=50")).stem());
        let others = [
            key("https://api-usgov.webex.com/v1", path),
            key(base, &path.replace("L1", "L2")),
            key(base, &path.replace("queues", "huntGroups")),
            key(base, &format!("{path}?orgId=O1")),
            key(base, &format!("{path}?phoneNumber=%2B12056350001")),
            key(base, &format!("{path}?ownerName=x")),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(&plain, other, "{i}");
            assert_ne!(plain.stem(), other.stem(), "{i}");
        }
        let stem = plain.stem();
        assert!(stem.starts_with("list-") && stem.len() == 21, "{stem}");
        assert!(!plain.as_str().contains("max") && !plain.as_str().contains("Bearer"));
    }

    #[test]
    fn a_value_cannot_pass_for_another_parameter() {
        let base = "https://x/v1";
        let a = key(base, "https://x/v1/l?orgId=a%0AphoneNumber%3D1");
        let b = key(base, "https://x/v1/l?orgId=a&phoneNumber=1");
        assert_ne!(a, b);
    }
}
