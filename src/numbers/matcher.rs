//! Matching and ranking numbers against a query.
//!
//! A query made of digits and phone punctuation is matched on digits only: first a fast exact
//! path (a contiguous `memmem` search over the digits of each number, also without a leading
//! national trunk `0` or international `00`), then fuzzy matching (fuzzy-matcher's Skim algorithm) for what it misses.
//! Contiguous matches rank above scattered ones; ties break by match position, then by number.

mod query;

use std::cmp::Ordering;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;

pub use query::Query;

use crate::numbers::catalog::Catalog;
use crate::numbers::filters::Filters;
use crate::numbers::record::NumberRecord;

/// How well one record matched: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// 0 for a contiguous match in the number, 1 for one in the extension, 2 for a scattered one.
    class: u8,
    /// For scattered matches, the negated fuzzy score.
    neg_score: i32,
    /// Where the match starts in the digits.
    position: u16,
}

/// A query prepared for matching many records.
pub struct Matcher {
    query: Query,
    finder: Option<memmem::Finder<'static>>,
    /// The digits without a dialling prefix, for national-format queries.
    trunkless: Option<memmem::Finder<'static>>,
    digits_text: String,
    trunkless_text: String,
    skim: SkimMatcherV2,
}

impl Matcher {
    pub fn new(query: Query) -> Self {
        let finder = (!query.digits.is_empty()).then(|| memmem::Finder::new(&query.digits).into_owned());
        let prefixless = query.without_dial_prefix().map(<[u8]>::to_vec).unwrap_or_default();
        let trunkless = (!prefixless.is_empty()).then(|| memmem::Finder::new(&prefixless).into_owned());
        let digits_text = String::from_utf8(query.digits.clone()).unwrap_or_default();
        let trunkless_text = String::from_utf8(prefixless).unwrap_or_default();
        Matcher { query, finder, trunkless, digits_text, trunkless_text, skim: SkimMatcherV2::default() }
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    /// How record `rec` with digits `digits` matches, if it does.
    pub fn rank(&self, rec: &NumberRecord, digits: &[u8]) -> Option<Rank> {
        if !self.query.attrs.iter().all(|a| a.holds(rec)) {
            return None;
        }
        // Words found as typed rank before words found only fuzzily.
        let words_class = match self.query.words.is_empty() {
            true => 0,
            false => self.words_match(rec)?,
        };
        if self.query.extension {
            return self.extension_rank(rec);
        }
        let Some(finder) = &self.finder else {
            return Some(Rank { class: words_class, neg_score: 0, position: 0 });
        };
        if let Some(p) = find(finder, digits) {
            return Some(Rank { class: 0, neg_score: 0, position: p as u16 });
        }
        if let Some(p) = self.trunkless.as_ref().and_then(|f| find(f, digits)) {
            return Some(Rank { class: 0, neg_score: 0, position: p as u16 });
        }
        if rec.rare.is_some()
            && let Some(rank) = self.extension_rank(rec)
        {
            return Some(rank);
        }
        self.fuzzy(digits).map(|(score, first)| Rank { class: 2, neg_score: -(score as i32), position: first as u16 })
    }

    /// How the record's extension matches the digits (contiguous), if it has one that does.
    fn extension_rank(&self, rec: &NumberRecord) -> Option<Rank> {
        let ext = rec.extension()?;
        let Some(finder) = &self.finder else {
            return Some(Rank { class: 1, neg_score: 0, position: 0 });
        };
        // Extensions are digits as a rule: only another shape is copied to its digits.
        let position = if ext.bytes().all(|b| b.is_ascii_digit()) {
            find(finder, ext.as_bytes())
        } else {
            find(finder, &ext.bytes().filter(u8::is_ascii_digit).collect::<Vec<u8>>())
        };
        position.map(|p| Rank { class: 1, neg_score: 0, position: p as u16 })
    }

    /// The positions (indices into the number's digits) to highlight.
    pub fn digit_positions(&self, digits: &[u8]) -> Vec<usize> {
        let Some(finder) = &self.finder else { return Vec::new() };
        if let Some(p) = finder.find(digits) {
            return (p..p + self.query.digits.len()).collect();
        }
        if let Some(p) = self.trunkless.as_ref().and_then(|f| f.find(digits)) {
            return (p..p + self.trunkless_text.len()).collect();
        }
        let text = std::str::from_utf8(digits).unwrap_or("");
        for pattern in [&self.digits_text, &self.trunkless_text] {
            if pattern.is_empty() {
                continue;
            }
            if let Some((_, idx)) = self.skim.fuzzy_indices(text, pattern) {
                return idx;
            }
        }
        Vec::new()
    }

    fn fuzzy(&self, digits: &[u8]) -> Option<(i64, usize)> {
        for pattern in [&self.query.digits[..], self.trunkless_bytes()] {
            if pattern.is_empty() || !is_subsequence(pattern, digits) {
                continue;
            }
            let text = std::str::from_utf8(digits).ok()?;
            let pat = std::str::from_utf8(pattern).ok()?;
            if let Some((score, idx)) = self.skim.fuzzy_indices(text, pat) {
                return Some((score, idx.first().copied().unwrap_or(0)));
            }
        }
        None
    }

    fn trunkless_bytes(&self) -> &[u8] {
        self.trunkless_text.as_bytes()
    }

    /// Whether every word is in the record's owner, extension, location, state or type: `Some(0)` when
    /// each is there as typed, `Some(2)` when some are there only scattered (fuzzy).
    fn words_match(&self, rec: &NumberRecord) -> Option<u8> {
        let mut hay = String::new();
        if let Some(o) = rec.owner().and_then(|o| o.given_name()) {
            hay.push_str(&o);
        }
        if let Some(t) = rec.owner().and_then(|o| o.type_words()) {
            hay.push(' ');
            hay.push_str(&t);
        }
        if let Some(e) = rec.extension() {
            hay.push(' ');
            hay.push_str(e);
        }
        if let Some(l) = rec.location_name() {
            hay.push(' ');
            hay.push_str(l);
        }
        hay.push(' ');
        hay.push_str(rec.state_text());
        hay.push(' ');
        hay.push_str(rec.type_text());
        let hay = hay.to_lowercase();
        let mut class = 0;
        for w in &self.query.words {
            if !hay.contains(w.as_str()) {
                self.skim.fuzzy_match(&hay, w)?;
                class = 2;
            }
        }
        Some(class)
    }
}

/// Where the finder's needle first occurs in `hay`. The digits of a phone number are short, and
/// for them a plain scan beats memmem, whose set-up per call costs more than it saves.
fn find(finder: &memmem::Finder<'_>, hay: &[u8]) -> Option<usize> {
    let needle = finder.needle();
    if hay.len() > 32 {
        return finder.find(hay);
    }
    let (&first, rest) = needle.split_first()?;
    let last = hay.len().checked_sub(needle.len())?;
    (0..=last).find(|&i| hay[i] == first && hay[i + 1..i + needle.len()] == *rest)
}

/// Whether `needle` occurs in `hay` in order, not necessarily together.
fn is_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay;
    for &b in needle {
        match memchr::memchr(b, rest) {
            Some(i) => rest = &rest[i + 1..],
            None => return false,
        }
    }
    true
}

/// The matching records among `candidates` (all records when `None`), best first.
/// An empty query keeps the catalog's order.
pub fn search(catalog: &Catalog, candidates: Option<&[u32]>, matcher: &Matcher, filters: &Filters) -> Vec<u32> {
    search_until(catalog, candidates, matcher, filters, &|| false).unwrap_or_default()
}

/// [`search`], giving up (`None`) as soon as `stop` says so; it is asked every few thousand
/// records, so a newer keystroke can cancel a stale search over a large list.
pub fn search_until(
    catalog: &Catalog,
    candidates: Option<&[u32]>,
    matcher: &Matcher,
    filters: &Filters,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    const CHUNK: usize = 4096;
    // Without digits or words there is nothing to rank: matches keep the catalog's order.
    let ranked = !matcher.query().digits.is_empty() || !matcher.query().words.is_empty();
    let mut hits: Vec<Hit> = Vec::new();
    let mut plain: Vec<u32> = Vec::new();
    let mut consider = |i: u32| {
        let rec = catalog.get(i as usize);
        if !filters.admits(rec) {
            return;
        }
        if let Some(rank) = matcher.rank(rec, catalog.digits(i as usize)) {
            if ranked {
                hits.push(Hit { rank, key: sort_key(&rec.phone_number), index: i });
            } else {
                plain.push(i);
            }
        }
    };
    let total = candidates.map_or(catalog.len(), <[u32]>::len);
    for start in (0..total).step_by(CHUNK) {
        if stop() {
            return None;
        }
        let end = (start + CHUNK).min(total);
        match candidates {
            Some(c) => c[start..end].iter().for_each(|&i| consider(i)),
            None => (start as u32..end as u32).for_each(&mut consider),
        }
    }
    if !ranked {
        if !plain.is_sorted() {
            plain.sort_unstable();
        }
        return Some(plain);
    }
    hits.sort_unstable_by(|a, b| compare(catalog, a, b));
    Some(hits.into_iter().map(|h| h.index).collect())
}

/// A match, with what sorting it needs at hand.
struct Hit {
    rank: Rank,
    /// The number as a [`sort_key`], or [`NO_KEY`].
    key: u64,
    index: u32,
}

/// Marks a number that has no [`sort_key`]: it is compared as text.
const NO_KEY: u64 = 0;

/// A number of at most 16 characters, all `+` or digits (every E.164 number), packed into an
/// integer that sorts as the text does: four bits a character, the first in the highest ones,
/// `+` as 1, `0`..`9` as 2..11, and 0 after the end, so that a shorter number sorts before the
/// longer ones it starts. Comparing two keys is then comparing the numbers, without following
/// two pointers to compare strings. [`NO_KEY`] for anything else (and for the empty number).
fn sort_key(number: &str) -> u64 {
    if number.is_empty() || number.len() > 16 {
        return NO_KEY;
    }
    let mut key = 0u64;
    for (i, b) in number.bytes().enumerate() {
        let code = match b {
            b'+' => 1,
            b'0'..=b'9' => u64::from(b - b'0') + 2,
            _ => return NO_KEY,
        };
        key |= code << (60 - 4 * i);
    }
    key
}

/// Best rank first; equal ranks by number.
fn compare(catalog: &Catalog, a: &Hit, b: &Hit) -> Ordering {
    a.rank.cmp(&b.rank).then_with(|| {
        if a.key != NO_KEY && b.key != NO_KEY {
            a.key.cmp(&b.key)
        } else {
            catalog.get(a.index as usize).phone_number.cmp(&catalog.get(b.index as usize).phone_number)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::filters::{NumberKind, StateFilter, TypeFilter};
    use crate::numbers::record::State;

    fn catalog(numbers: &[(&str, State, bool)]) -> Catalog {
        Catalog::from_records(numbers.iter().map(|&(n, s, svc)| NumberRecord::new(n, s, false, false, svc)).collect())
    }

    fn find(c: &Catalog, q: &str) -> Vec<String> {
        search(c, None, &Matcher::new(Query::parse(q)), &Filters::default())
            .into_iter()
            .map(|i| c.get(i as usize).phone_number.to_string())
            .collect()
    }

    /// A catalog of numbers with owners and extensions, as the call-forwarding lists send them.
    fn owned() -> Catalog {
        let page = br#"{"phoneNumbers":[
            {"phoneNumber":"+12056350001","state":"ACTIVE","extension":"1234","owner":{"type":"PEOPLE","firstName":"Ava","lastName":"Smith"}},
            {"phoneNumber":"+12056351234","state":"ACTIVE"},
            {"phoneNumber":"+12056350003","state":"ACTIVE","extension":"5678","owner":{"type":"HUNT_GROUP","displayName":"Sales"}},
            {"phoneNumber":"+12056350004","state":"ACTIVE","owner":{"type":"PLACE","displayName":"Lobby"}}
        ]}"#;
        Catalog::from_records(crate::numbers::record::parse_page(page).unwrap().numbers)
    }

    #[test]
    fn owners_and_extensions_are_searchable() {
        let c = owned();
        assert_eq!(find(&c, "smith"), ["+12056350001"]);
        assert_eq!(find(&c, "hunt group"), ["+12056350003"]);
        assert_eq!(find(&c, "workspace"), ["+12056350004"]);
        // Digits find the number, then the extension, then scattered digits.
        assert_eq!(find(&c, "1234"), ["+12056351234", "+12056350001", "+12056350004"]);
        // With `ext`, only the extension.
        assert_eq!(find(&c, "ext 1234"), ["+12056350001"]);
        assert_eq!(find(&c, "x5678"), ["+12056350003"]);
        assert_eq!(find(&c, "ext"), ["+12056350001", "+12056350003"]);
        assert!(find(&c, "ext 9999").is_empty());
    }

    #[test]
    fn the_inventorys_locations_are_searchable() {
        let page = br#"{"phoneNumbers":[
            {"phoneNumber":"+12056350001","state":"ACTIVE","location":{"id":"a","name":"Birmingham HQ"}},
            {"phoneNumber":"+13125550101","state":"ACTIVE","location":{"id":"b","name":"Chicago Loop"},"owner":{"type":"PEOPLE","firstName":"Ava","lastName":"Smith"}}
        ]}"#;
        let c = Catalog::from_records(crate::numbers::record::parse_page(page).unwrap().numbers);
        assert_eq!(find(&c, "chicago"), ["+13125550101"]);
        assert_eq!(find(&c, "loop smith"), ["+13125550101"]);
        assert_eq!(find(&c, "birmingham 0001"), ["+12056350001"]);
    }

    fn sample() -> Catalog {
        catalog(&[
            ("+12056350001", State::Active, true),
            ("+12056350002", State::Inactive, false),
            ("+12056351000", State::Active, false),
            ("+13125550001", State::Active, false),
            ("+442079460001", State::Active, true),
            ("+12065306001", State::Inactive, true),
        ])
    }

    #[test]
    fn every_shape_of_one_number_finds_it_first() {
        let c = sample();
        for q in ["2056350001", "+1 205 635 0001", "(205) 635-0001", "635-0001", "12056350001"] {
            assert_eq!(find(&c, q).first().map(String::as_str), Some("+12056350001"), "{q}");
        }
    }

    #[test]
    fn contiguous_before_scattered_then_position_then_number() {
        let c = sample();
        let got = find(&c, "0001");
        // Contiguous first, by match position (7, 7, 8), then by number; the one scattered match
        // (0.0.0.1 spread over +12065306001) last; numbers without 0,0,0,1 in order not at all.
        assert_eq!(got, ["+12056350001", "+13125550001", "+442079460001", "+12065306001"]);
    }

    #[test]
    fn national_format_with_trunk_zero() {
        let c = sample();
        assert_eq!(find(&c, "020 7946 0001").first().map(String::as_str), Some("+442079460001"));
    }

    #[test]
    fn attribute_words_and_filters() {
        let c = sample();
        assert_eq!(find(&c, "inactive"), ["+12056350002", "+12065306001"]);
        assert_eq!(find(&c, "active 555"), ["+13125550001"]);
        let f = Filters { state: StateFilter::Active, types: TypeFilter::of(&[NumberKind::Service]) };
        let got = search(&c, None, &Matcher::new(Query::parse("")), &f);
        assert_eq!(got, [0, 4]);
    }

    #[test]
    fn empty_query_keeps_order_and_no_match_is_empty() {
        let c = sample();
        assert_eq!(find(&c, "").len(), 6);
        assert_eq!(find(&c, "")[0], "+12056350001");
        assert!(find(&c, "99999").is_empty());
    }

    #[test]
    fn highlight_positions() {
        let m = Matcher::new(Query::parse("635-0001"));
        assert_eq!(m.digit_positions(b"12056350001"), vec![4, 5, 6, 7, 8, 9, 10]);
        let m = Matcher::new(Query::parse("2051"));
        let p = m.digit_positions(b"12056350001");
        assert_eq!(p.len(), 4);
        assert_eq!(p[0], 1);
    }

    #[test]
    fn short_and_long_haystacks_find_the_first_occurrence() {
        let long = "9".repeat(40) + "12312";
        for (needle, hay) in
            [("1", "0001"), ("12", "112"), ("123", "12123"), ("0001", "0001"), ("5", ""), ("55", "5"), ("12", &long)]
        {
            let f = memmem::Finder::new(needle.as_bytes());
            assert_eq!(super::find(&f, hay.as_bytes()), hay.find(needle), "{needle} in {hay}");
        }
    }

    #[test]
    fn sort_keys_order_numbers_as_text() {
        let numbers = [
            "",
            "+",
            "+1",
            "+12",
            "+1205",
            "+12056350001",
            "+1205635000",
            "+1999",
            "+2",
            "+44",
            "0",
            "00",
            "0+",
            "9",
            "+123456789012345",
            "+1234567890123456",
            "+12345678901234567",
            "+1 205",
            "+1-205",
            "abc",
            "+٣",
        ];
        for a in numbers {
            for b in numbers {
                let (ka, kb) = (sort_key(a), sort_key(b));
                if ka != NO_KEY && kb != NO_KEY {
                    assert_eq!(ka.cmp(&kb), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
        assert_ne!(sort_key("+123456789012345"), NO_KEY, "the longest E.164 number");
        assert_eq!(sort_key("+1234567890123456"), NO_KEY);
        assert_eq!(sort_key("+1 205"), NO_KEY);
        assert_eq!(sort_key(""), NO_KEY);
    }

    #[test]
    fn numbers_with_and_without_keys_sort_together_as_text() {
        let c = catalog(&[
            ("+1 205 635 0001", State::Active, false),
            ("+12056350001", State::Active, false),
            ("+1(205)6350001", State::Active, false),
            ("+120563500011234567", State::Active, false),
            ("12056350001", State::Active, false),
        ]);
        let mut want: Vec<String> = c.records().iter().map(|r| r.phone_number.to_string()).collect();
        // Every one matches contiguously at the same position of its digits: the order is the
        // numbers' order as text.
        want.sort();
        assert_eq!(find(&c, "12056350001"), want);
    }

    #[test]
    fn narrowed_search_equals_full_search() {
        let c = sample();
        let f = Filters::default();
        let prev = search(&c, None, &Matcher::new(Query::parse("20")), &f);
        let full = search(&c, None, &Matcher::new(Query::parse("205")), &f);
        let narrowed = search(&c, Some(&prev), &Matcher::new(Query::parse("205")), &f);
        assert_eq!(full, narrowed);
    }
}
