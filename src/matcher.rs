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

pub use query::{Attr, Query};

use crate::catalog::Catalog;
use crate::filters::Filters;
use crate::model::NumberRecord;

/// How well one record matched: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// 0 for a contiguous match, 1 for a scattered one.
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
        if !self.query.words.is_empty() && !self.words_match(rec) {
            return None;
        }
        let Some(finder) = &self.finder else {
            return Some(Rank { class: 0, neg_score: 0, position: 0 });
        };
        if let Some(p) = finder.find(digits) {
            return Some(Rank { class: 0, neg_score: 0, position: p as u16 });
        }
        if let Some(p) = self.trunkless.as_ref().and_then(|f| f.find(digits)) {
            return Some(Rank { class: 0, neg_score: 0, position: p as u16 });
        }
        self.fuzzy(digits).map(|(score, first)| Rank { class: 1, neg_score: -(score as i32), position: first as u16 })
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

    fn words_match(&self, rec: &NumberRecord) -> bool {
        let mut hay = String::new();
        if let Some(o) = rec.owner().and_then(|o| o.name()) {
            hay.push_str(&o);
        }
        if let Some(e) = rec.extension() {
            hay.push(' ');
            hay.push_str(e);
        }
        hay.push(' ');
        hay.push_str(rec.state_text());
        hay.push(' ');
        hay.push_str(rec.type_text());
        let hay = hay.to_lowercase();
        self.query.words.iter().all(|w| hay.contains(w.as_str()) || self.skim.fuzzy_match(&hay, w).is_some())
    }
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
    let mut hits: Vec<(Rank, u32)> = Vec::new();
    let all: Vec<u32>;
    let order: &[u32] = match candidates {
        Some(c) => c,
        None => {
            all = (0..catalog.len() as u32).collect();
            &all
        }
    };
    for chunk in order.chunks(4096) {
        if stop() {
            return None;
        }
        for &i in chunk {
            let rec = catalog.get(i as usize);
            if !filters.admits(rec) {
                continue;
            }
            if let Some(rank) = matcher.rank(rec, catalog.digits(i as usize)) {
                hits.push((rank, i));
            }
        }
    }
    if matcher.query().digits.is_empty() {
        hits.sort_unstable_by_key(|&(_, i)| i);
    } else {
        hits.sort_unstable_by(|a, b| compare(catalog, a, b));
    }
    Some(hits.into_iter().map(|(_, i)| i).collect())
}

fn compare(catalog: &Catalog, a: &(Rank, u32), b: &(Rank, u32)) -> Ordering {
    a.0.cmp(&b.0).then_with(|| catalog.get(a.1 as usize).phone_number.cmp(&catalog.get(b.1 as usize).phone_number))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::filters::{NumberKind, StateFilter, TypeFilter};
    use crate::model::State;

    fn catalog(numbers: &[(&str, State, bool)]) -> Catalog {
        Catalog::from_records(numbers.iter().map(|&(n, s, svc)| NumberRecord::new(n, s, false, false, svc)).collect())
    }

    fn find(c: &Catalog, q: &str) -> Vec<String> {
        search(c, None, &Matcher::new(Query::parse(q)), &Filters::default())
            .into_iter()
            .map(|i| c.get(i as usize).phone_number.to_string())
            .collect()
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
    fn narrowed_search_equals_full_search() {
        let c = sample();
        let f = Filters::default();
        let prev = search(&c, None, &Matcher::new(Query::parse("20")), &f);
        let full = search(&c, None, &Matcher::new(Query::parse("205")), &f);
        let narrowed = search(&c, Some(&prev), &Matcher::new(Query::parse("205")), &f);
        assert_eq!(full, narrowed);
    }
}
