//! What the user typed, read as digits, attribute words and free text.

use crate::numbers::kinds::NumberKind;

/// The shortest query to which [`Query::without_dial_prefix`] applies.
pub const PREFIX_MIN_DIGITS: usize = 7;

/// A parsed query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    /// The digits to look for, in order (ASCII).
    pub digits: Vec<u8>,
    /// The kinds asked for by a word (`active`, `toll`, ...).
    pub attrs: Vec<NumberKind>,
    /// Other words, lowercased, matched against the owner's name and the extension.
    pub words: Vec<String>,
    /// For each of `words`, whether it must be found as typed (`'word`, or `--exact`).
    pub exact_words: Vec<bool>,
    /// The digits must be found together, never scattered (`'0001`, or `--exact`).
    pub exact_digits: bool,
    /// `invalid` was typed: only the records that cannot be picked.
    pub invalid: bool,
    /// `ext` was typed (`ext 1234`, `x1234`): the digits are an extension's, and only numbers
    /// with an extension match.
    pub extension: bool,
}

/// The words that say the digits are an extension's.
const EXTENSION_WORDS: [&str; 4] = ["ext", "ext.", "extension", "x"];

/// `ext1234`, `ext.1234`, `x1234`: the digits of an extension written with its word.
fn extension_digits(token: &str) -> Option<&str> {
    let lower = token.get(..4).map(str::to_ascii_lowercase);
    let rest = match lower.as_deref() {
        Some("ext.") => &token[4..],
        Some(l) if l.starts_with("ext") => &token[3..],
        _ if token.starts_with(['x', 'X']) => &token[1..],
        _ => return None,
    };
    (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit())).then_some(rest)
}

/// Characters that may appear in a phone number as typed.
fn is_phone_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, '+' | '-' | '(' | ')' | '.' | '/' | ' ' | '\t')
}

/// The word that finds the records that cannot be picked (shown as INVALID), and the shortest
/// prefix of it that does.
const INVALID_WORD: &str = "invalid";
const INVALID_MIN: usize = 3;

impl Query {
    /// Reads a query as typed: terms match fuzzily unless written `'term` (fzf's exact term).
    pub fn parse(text: &str) -> Query {
        Query::parse_as(text, false)
    }

    /// Reads a query; with `exact` (`--exact`) every term matches only as typed, and `'term`
    /// turns that off for the term (as in fzf).
    pub fn parse_as(text: &str, exact: bool) -> Query {
        let mut q = Query::default();
        if text.chars().all(is_phone_char) {
            q.digits = text.bytes().filter(u8::is_ascii_digit).collect();
            q.exact_digits = exact;
            return q;
        }
        for token in text.split_whitespace() {
            let (token, exact) = match token.strip_prefix('\'') {
                Some(rest) => (rest, !exact),
                None => (token, exact),
            };
            if token.is_empty() {
                continue;
            }
            if token.chars().all(is_phone_char) {
                q.digits.extend(token.bytes().filter(u8::is_ascii_digit));
                q.exact_digits |= exact;
            } else if token.len() >= INVALID_MIN
                && token.len() <= INVALID_WORD.len()
                && INVALID_WORD.as_bytes()[..token.len()].eq_ignore_ascii_case(token.as_bytes())
            {
                q.invalid = true;
            } else if EXTENSION_WORDS.iter().any(|w| token.eq_ignore_ascii_case(w)) {
                q.extension = true;
            } else if let Some(d) = extension_digits(token) {
                q.extension = true;
                q.digits.extend(d.bytes());
            } else if let Some(a) = NumberKind::from_word(token) {
                if !q.attrs.contains(&a) {
                    q.attrs.push(a);
                }
            } else {
                q.words.push(token.to_lowercase());
                q.exact_words.push(exact);
            }
        }
        q
    }

    /// The digits without a dialling prefix, for numbers typed in national (`020 7946 0001`) or
    /// international-access (`0044 20 7946 0001`) form. Only for queries of at least
    /// [`PREFIX_MIN_DIGITS`] digits: a short `0001` is the end of a number, not a national one.
    pub fn without_dial_prefix(&self) -> Option<&[u8]> {
        let d = &self.digits;
        if d.len() < PREFIX_MIN_DIGITS || d[0] != b'0' {
            return None;
        }
        Some(if d[1] == b'0' { &d[2..] } else { &d[1..] })
    }

    pub fn is_empty(&self) -> bool {
        self.digits.is_empty() && self.attrs.is_empty() && self.words.is_empty() && !self.extension && !self.invalid
    }

    /// Whether every record this query matches is also matched by `prev`, so that searching
    /// `prev`'s results is enough. True when the new query only appends digits, attributes,
    /// words, or letters to its words (a word that holds the old one, as typed or scattered, holds
    /// it; unless the old word had to be found as typed and the new one need not).
    pub fn narrows(&self, prev: &Query) -> bool {
        self.words.len() >= prev.words.len()
            && prev
                .words
                .iter()
                .zip(&prev.exact_words)
                .zip(self.words.iter().zip(&self.exact_words))
                .all(|((p, &p_exact), (w, &w_exact))| w.starts_with(p.as_str()) && (w_exact || !p_exact))
            && self.digits.starts_with(&prev.digits)
            && (prev.without_dial_prefix().is_some() || self.without_dial_prefix().is_none())
            && prev.attrs.iter().all(|a| self.attrs.contains(a))
            && (self.extension || !prev.extension)
            && (self.invalid || !prev.invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_shapes_become_digits() {
        for s in ["2056350001", "+1 205 635 0001", "(205) 635-0001", "205.635.0001"] {
            let q = Query::parse(s);
            assert!(q.attrs.is_empty() && q.words.is_empty(), "{s}");
            assert!(String::from_utf8(q.digits).unwrap().ends_with("2056350001"), "{s}");
        }
        assert_eq!(Query::parse("635-0001").digits, b"6350001");
    }

    #[test]
    fn words_become_attributes() {
        let q = Query::parse("active 555");
        assert_eq!(q.attrs, [NumberKind::Active]);
        assert_eq!(q.digits, b"555");
        assert_eq!(Query::parse("INACT toll").attrs, [NumberKind::Inactive, NumberKind::TollFree]);
        assert_eq!(Query::parse("toll-free main").attrs, [NumberKind::TollFree, NumberKind::Main]);
        assert_eq!(Query::parse("ma").words, ["ma"]);
        assert_eq!(Query::parse("lobby 12").words, ["lobby"]);
    }

    #[test]
    fn extension_words() {
        for s in ["ext 1234", "EXT 1234", "ext. 1234", "x 1234", "ext1234", "x1234", "Ext.1234", "extension 1234"] {
            let q = Query::parse(s);
            assert!(q.extension && q.digits == b"1234" && q.words.is_empty(), "{s}: {q:?}");
        }
        assert!(Query::parse("ext").extension);
        let q = Query::parse("xavier 12");
        assert!(!q.extension && q.words == ["xavier"], "{q:?}");
        assert!(!Query::parse("1234").extension);
        assert!(Query::parse("ext 12345").narrows(&Query::parse("ext 1234")));
        assert!(Query::parse("ext 1234").narrows(&Query::parse("123")));
        assert!(!Query::parse("1234").narrows(&Query::parse("ext 123")));
    }

    #[test]
    fn narrowing() {
        let p = Query::parse("205");
        assert!(Query::parse("2056").narrows(&p));
        assert!(Query::parse("205 active").narrows(&p));
        assert!(!Query::parse("20").narrows(&p));
        // Words: letters added, or words added, as typed or scattered.
        assert!(Query::parse("lobby").narrows(&Query::parse("lob")));
        assert!(Query::parse("lob 12").narrows(&Query::parse("lob")));
        assert!(Query::parse("lob ada").narrows(&Query::parse("lob")));
        assert!(Query::parse("'lobby").narrows(&Query::parse("lob")));
        assert!(!Query::parse("lobby").narrows(&Query::parse("'lob")), "scattered after exact widens");
        assert!(!Query::parse("lob").narrows(&Query::parse("lobby")));
        assert!(!Query::parse("ada").narrows(&Query::parse("lob")));
        assert!(!Query::parse("lob").narrows(&Query::parse("lob ada")));
        // The dialling-prefix rule switching on widens the match: no narrowing across it.
        assert!(!Query::parse("0207946").narrows(&Query::parse("020794")));
        assert!(Query::parse("02079460").narrows(&Query::parse("0207946")));
    }

    #[test]
    fn exact_terms_and_the_invalid_word() {
        let q = Query::parse("'0001");
        assert!(q.exact_digits && q.digits == b"0001", "{q:?}");
        assert!(!Query::parse("0001").exact_digits);
        assert!(Query::parse_as("0001", true).exact_digits);
        let q = Query::parse("'smith lov");
        assert_eq!((q.words, q.exact_words), (vec!["smith".to_string(), "lov".to_string()], vec![true, false]));
        let q = Query::parse_as("'smith lov", true);
        assert_eq!(q.exact_words, [false, true], "with --exact, ' makes a term fuzzy again");
        for s in ["invalid", "INVALID", "inv", "Inval"] {
            let q = Query::parse(s);
            assert!(q.invalid && q.words.is_empty(), "{s}: {q:?}");
        }
        assert!(!Query::parse("in").invalid);
        assert!(!Query::parse("invalids").invalid);
        assert!(Query::parse("inv 205").narrows(&Query::parse("205")));
        assert!(!Query::parse("205").narrows(&Query::parse("inv 205")));
    }

    #[test]
    fn dial_prefixes() {
        assert_eq!(Query::parse("0001").without_dial_prefix(), None);
        assert_eq!(Query::parse("020 7946 0001").without_dial_prefix(), Some(&b"2079460001"[..]));
        assert_eq!(Query::parse("0044 20 7946").without_dial_prefix(), Some(&b"44207946"[..]));
    }
}
