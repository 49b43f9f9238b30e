//! RFC 8288 `Link` header parsing, as much as paging needs: the `rel="next"` target.

/// Returns the target of the `rel="next"` link among the given `Link` header values.
pub fn next_link<'a>(values: impl IntoIterator<Item = &'a str>) -> Option<String> {
    for value in values {
        for part in split_links(value) {
            let part = part.trim();
            let Some(rest) = part.strip_prefix('<') else { continue };
            let Some(end) = rest.find('>') else { continue };
            let target = &rest[..end];
            let params = &rest[end + 1..];
            let is_next = params.split(';').any(|p| {
                let p = p.trim();
                let Some((k, v)) = p.split_once('=') else { return false };
                k.trim().eq_ignore_ascii_case("rel")
                    && v.trim().trim_matches('"').split_whitespace().any(|r| r.eq_ignore_ascii_case("next"))
            });
            if is_next {
                return Some(target.to_string());
            }
        }
    }
    None
}

/// Splits a header value on the commas between links, not those inside `<...>` or quotes.
fn split_links(value: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut in_angle, mut in_quote, mut start) = (false, false, 0);
    for (i, c) in value.char_indices() {
        match c {
            '<' if !in_quote => in_angle = true,
            '>' if !in_quote => in_angle = false,
            '"' if !in_angle => in_quote = !in_quote,
            ',' if !in_angle && !in_quote => {
                parts.push(&value[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use super::next_link;

    #[test]
    fn finds_next_among_several() {
        let v = r#"<https://x/v1/a?start=0&max=2>; rel="first", <https://x/v1/a?start=2&max=2>; rel="next""#;
        assert_eq!(next_link([v]).as_deref(), Some("https://x/v1/a?start=2&max=2"));
    }

    #[test]
    fn accepts_unquoted_and_multi_valued_rel_and_commas_in_urls() {
        assert_eq!(next_link(["<https://x/a?p=1,2>; rel=next"]).as_deref(), Some("https://x/a?p=1,2"));
        assert_eq!(next_link([r#"<https://x/b>; rel="prev next""#]).as_deref(), Some("https://x/b"));
        assert_eq!(
            next_link(["<https://x/c>; rel=\"prev\"", "<https://x/d>; rel=\"next\""]).as_deref(),
            Some("https://x/d")
        );
    }

    #[test]
    fn none_without_next() {
        assert_eq!(next_link([r#"<https://x/a>; rel="prev""#]), None);
        assert_eq!(next_link(["garbage"]), None);
        assert_eq!(next_link(Vec::<&str>::new()), None);
    }
}
