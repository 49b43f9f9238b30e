//! Matching and ranking numbers against a query.
//!
//! A query made of digits and phone punctuation is matched on digits only, as a person reads a
//! number: first the numbers that end with the digits, then those whose number (its national
//! part, or the whole) starts with them, then those that hold them anywhere; a number written
//! in national form (`020 7946 0001`) is also looked for without its trunk `0` (or `00`).
//! Extensions that are the digits rank just after the numbers that end with them, extensions
//! that hold them after every number that does. Scattered (fuzzy) digit matches (fuzzy-matcher's
//! Skim algorithm) are looked for only when no record holds the digits together, and the
//! result says so ([`Found::scattered`]); a `'` before the digits (fzf's exact term) or
//! `--exact` rules them out. Words (owner's name and type, extension, state) match as typed or
//! scattered, as typed first; `'word` only as typed. Records that cannot be picked (INVALID)
//! sort after every other match. Ties break by match position, then by number.
//!
//! Large searches run on every core (rayon), in blocks, asking between blocks whether a newer
//! keystroke made them stale.

mod query;

use std::cmp::Ordering;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use memchr::memmem;
use rayon::prelude::*;

pub use query::Query;

use crate::numbers::catalog::Catalog;
use crate::numbers::filters::Filters;
use crate::numbers::phone::calling_code_len;
use crate::numbers::record::{NumberRecord, State, TelephonyType};

/// How well one record matched: lower sorts first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Rank {
    /// Records that cannot be picked come after all others.
    invalid: bool,
    /// One of the `ENDS` .. `SCATTERED` classes.
    class: u8,
    /// 0 when every word was found as typed, 1 when some only scattered.
    words: u8,
    /// For scattered matches, the negated fuzzy score.
    neg_score: i32,
    /// Where the match starts in the digits.
    position: u16,
}

impl Rank {
    /// The rank as a small integer that sorts as the rank does, for ranks without a fuzzy score
    /// and with the match in the first 64 digits (every rank but scattered ones, as a rule).
    fn bucket(&self) -> Option<usize> {
        if self.neg_score != 0 || self.position >= 64 || self.class >= 8 || self.words >= 2 {
            return None;
        }
        let (invalid, class, words) = (usize::from(self.invalid), usize::from(self.class), usize::from(self.words));
        Some(((invalid * 8 + class) * 2 + words) * 64 + usize::from(self.position))
    }

    /// The rank as one integer that sorts as the rank does.
    fn packed(&self) -> u64 {
        (u64::from(self.invalid) << 63)
            | (u64::from(self.class) << 52)
            | (u64::from(self.words) << 48)
            | (u64::from((self.neg_score as u32) ^ 0x8000_0000) << 16)
            | u64::from(self.position)
    }
}

/// The number ends with the digits.
const ENDS: u8 = 0;
/// The extension is the digits.
const EXT_IS: u8 = 1;
/// The number (its national part, or the whole) starts with the digits.
const STARTS: u8 = 2;
/// The number holds the digits.
const HOLDS: u8 = 3;
/// The extension holds the digits.
const EXT_HOLDS: u8 = 4;
/// The digits are in the number, scattered.
const SCATTERED: u8 = 5;

/// A query prepared for matching many records.
pub struct Matcher {
    query: Query,
    finder: Option<memmem::Finder<'static>>,
    /// The digits without a dialling prefix, for national-format queries.
    trunkless: Option<memmem::Finder<'static>>,
    digits_text: String,
    trunkless_text: String,
    skim: SkimMatcherV2,
    /// One finder per word of the query, built once rather than per record.
    word_finders: Vec<memmem::Finder<'static>>,
    /// [`Matcher::words_class`] of a record without word text, by its state and type (the
    /// known ones, and missing): most lists' records, looked up rather than matched.
    plain_words: [[Option<u8>; 3]; 3],
    /// For each word of the query, what a known state and type do for it, by state and type
    /// (in the order of [`PLAIN_STATES`] and [`PLAIN_TYPES`]): worked out once, so that a
    /// record with word text is matched against that text alone.
    plain_tails: Vec<[[Tail; 3]; 3]>,
}

/// What the words of a known state and type (` active pstn_number`, after a record's text) do
/// for one word of a query.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Tail {
    /// The word is in them as typed.
    holds: bool,
    /// How many bytes at the end of the word (an ASCII one) they hold in order: the record's
    /// text must hold the rest in order for a scattered match.
    suffix: usize,
}

/// The states and types whose words [`Matcher::plain_words`] holds, in its order.
const PLAIN_STATES: [State; 3] = [State::Active, State::Inactive, State::Missing];
const PLAIN_TYPES: [TelephonyType; 3] = [TelephonyType::Pstn, TelephonyType::Mobile, TelephonyType::Missing];

/// The result of a search.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Found {
    /// The matching records, best first.
    pub hits: Vec<u32>,
    /// No record holds the query's digits together: these hold them scattered.
    pub scattered: bool,
}

impl Matcher {
    pub fn new(query: Query) -> Self {
        let finder = (!query.digits.is_empty()).then(|| memmem::Finder::new(&query.digits).into_owned());
        let prefixless = query.without_dial_prefix().map(<[u8]>::to_vec).unwrap_or_default();
        let trunkless = (!prefixless.is_empty()).then(|| memmem::Finder::new(&prefixless).into_owned());
        let digits_text = String::from_utf8(query.digits.clone()).unwrap_or_default();
        let trunkless_text = String::from_utf8(prefixless).unwrap_or_default();
        let word_finders = query.words.iter().map(|w| memmem::Finder::new(w.as_bytes()).into_owned()).collect();
        let mut m = Matcher {
            query,
            finder,
            trunkless,
            digits_text,
            trunkless_text,
            skim: SkimMatcherV2::default(),
            word_finders,
            plain_words: [[None; 3]; 3],
            plain_tails: Vec::new(),
        };
        for (i, &state) in PLAIN_STATES.iter().enumerate() {
            for (j, &kind) in PLAIN_TYPES.iter().enumerate() {
                m.plain_words[i][j] = m.words_class("", state_word(state, ""), type_word(kind, ""));
            }
        }
        m.plain_tails = m
            .query
            .words
            .iter()
            .zip(&m.word_finders)
            .map(|(w, finder)| {
                let mut tails = [[Tail::default(); 3]; 3];
                for (i, &state) in PLAIN_STATES.iter().enumerate() {
                    for (j, &kind) in PLAIN_TYPES.iter().enumerate() {
                        let (state, kind) = (state_word(state, ""), type_word(kind, ""));
                        let holds = [state, kind].iter().any(|p| finder.find(p.as_bytes()).is_some());
                        let tail = format!(" {state} {kind}");
                        tails[i][j] = Tail { holds, suffix: suffix_in_order(w.as_bytes(), tail.as_bytes()) };
                    }
                }
                tails
            })
            .collect();
        m
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Whether `hits`, this matcher's results over `catalog`, are scattered matches: no record
    /// holds the digits together (see [`Found::scattered`]). Looks at the first hit only.
    pub fn is_scattered(&self, catalog: &Catalog, hits: &[u32]) -> bool {
        if self.finder.is_none() || self.query.extension || self.query.exact_digits {
            return false;
        }
        hits.first().is_some_and(|&i| (i as usize) < catalog.len() && self.rank(catalog, i as usize).is_none())
    }

    /// How record `i` of `catalog` matches with its digits together (or without digits), if it
    /// does.
    fn rank(&self, catalog: &Catalog, i: usize) -> Option<Rank> {
        let rec = catalog.get(i);
        let invalid = catalog.is_invalid(i);
        let words = self.admits(rec, invalid, catalog.words(i))?;
        let base = Rank { invalid, class: ENDS, words, neg_score: 0, position: 0 };
        if self.query.extension {
            return self.extension_rank(rec).map(|(class, position)| Rank { class, position, ..base });
        }
        let Some(finder) = &self.finder else { return Some(base) };
        let digits = catalog.digits(i);
        let mut best = None;
        if let Some(p) = find(finder, digits) {
            best = Some(number_class(digits, self.query.digits.len(), p));
        }
        if let Some(f) = &self.trunkless
            && let Some(p) = find(f, digits)
        {
            best = best.min(Some(number_class(digits, f.needle().len(), p)));
        }
        if rec.has_rare()
            && let Some(ext) = match catalog.extension_digits(i) {
                // The digits kept beside the number's: no trip to the record's texts.
                Some(digits) => ext_class(finder, digits),
                None => self.extension_rank(rec),
            }
        {
            best = Some(best.map_or(ext, |b| b.min(ext)));
        }
        best.map(|(class, position)| Rank { class, position, ..base })
    }

    /// How record `i` matches with its digits scattered, if it does.
    fn rank_scattered(&self, catalog: &Catalog, i: usize) -> Option<Rank> {
        let rec = catalog.get(i);
        let invalid = catalog.is_invalid(i);
        let words = self.admits(rec, invalid, catalog.words(i))?;
        let (score, first) = self.fuzzy(catalog.digits(i))?;
        Some(Rank { invalid, class: SCATTERED, words, neg_score: -(score as i32), position: first as u16 })
    }

    /// Whether the record passes the query's kinds, `invalid` and words; its words class.
    fn admits(&self, rec: &NumberRecord, invalid: bool, words: &str) -> Option<u8> {
        if self.query.invalid && !invalid {
            return None;
        }
        if !self.query.attrs.iter().all(|a| a.holds(rec)) {
            return None;
        }
        if self.query.words.is_empty() { Some(0) } else { self.words_match(rec, words) }
    }

    /// How the record's extension holds the digits, if it has one that does.
    fn extension_rank(&self, rec: &NumberRecord) -> Option<(u8, u16)> {
        let ext = rec.extension()?;
        let Some(finder) = &self.finder else { return Some((EXT_IS, 0)) };
        // Extensions are digits as a rule: only another shape is copied to its digits.
        let owned;
        let digits = if ext.bytes().all(|b| b.is_ascii_digit()) {
            ext.as_bytes()
        } else {
            owned = ext.bytes().filter(u8::is_ascii_digit).collect::<Vec<u8>>();
            &owned
        };
        ext_class(finder, digits)
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
        if self.query.exact_digits {
            return Vec::new();
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
        for pattern in [&self.query.digits[..], self.trunkless_text.as_bytes()] {
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

    /// Whether every word is in the record's owner, extension, state or type (`words`, kept
    /// lowercase in the catalog, then the state and type): `Some(0)` when each is there as
    /// typed, `Some(1)` when some are there only scattered (not for exact words).
    fn words_match(&self, rec: &NumberRecord, words: &str) -> Option<u8> {
        let (state_at, type_at) = (
            PLAIN_STATES.iter().position(|&s| s == rec.state),
            PLAIN_TYPES.iter().position(|&t| t == rec.telephony_type),
        );
        // A known state and type: looked up without word text, else its text matched alone.
        if let (Some(i), Some(j)) = (state_at, type_at) {
            return if words.is_empty() { self.plain_words[i][j] } else { self.words_class_plain(words, i, j) };
        }
        let other = (rec.state == State::Other).then(|| rec.state_text().to_lowercase());
        let other_type = (rec.telephony_type == TelephonyType::Other).then(|| rec.type_text().to_lowercase());
        let state = state_word(rec.state, other.as_deref().unwrap_or(""));
        let kind = type_word(rec.telephony_type, other_type.as_deref().unwrap_or(""));
        self.words_class(words, state, kind)
    }

    /// [`Matcher::words_match`] given the texts.
    fn words_class(&self, words: &str, state: &str, kind: &str) -> Option<u8> {
        let parts = [words, " ", state, " ", kind];
        let mut class = 0;
        for ((w, &exact), finder) in self.query.words.iter().zip(&self.query.exact_words).zip(&self.word_finders) {
            if [words, state, kind].iter().any(|p| finder.find(p.as_bytes()).is_some()) {
                continue;
            }
            if exact || !chars_in_order(w, &parts) {
                return None;
            }
            class = 1;
        }
        Some(class)
    }

    /// [`Matcher::words_class`] for a record of a known state and type (`i` and `j` in
    /// [`PLAIN_STATES`] and [`PLAIN_TYPES`]), given its word text. Nearly every record of a
    /// search is not a match, and for an ASCII word one pass over the text tells so: a word
    /// that is there as typed is there in order too.
    fn words_class_plain(&self, words: &str, i: usize, j: usize) -> Option<u8> {
        let parts = [words, " ", state_word(PLAIN_STATES[i], ""), " ", type_word(PLAIN_TYPES[j], "")];
        let mut class = 0;
        for (((w, &exact), finder), tails) in
            self.query.words.iter().zip(&self.query.exact_words).zip(&self.word_finders).zip(&self.plain_tails)
        {
            let tail = tails[i][j];
            if tail.holds {
                continue;
            }
            if exact {
                finder.find(words.as_bytes())?;
                continue;
            }
            if !w.is_ascii() {
                if finder.find(words.as_bytes()).is_some() {
                    continue;
                }
                if !chars_in_order(w, &parts) {
                    return None;
                }
                class = 1;
                continue;
            }
            let w = w.as_bytes();
            let got = prefix_in_order(w, words.as_bytes());
            if got + tail.suffix < w.len() {
                return None;
            }
            if got < w.len() || finder.find(words.as_bytes()).is_none() {
                class = 1;
            }
        }
        Some(class)
    }
}

/// How many bytes at the start of `word` occur in order in `hay` (the most that can).
fn prefix_in_order(word: &[u8], hay: &[u8]) -> usize {
    let mut hay = hay;
    for (n, &w) in word.iter().enumerate() {
        match hay.iter().position(|&b| b == w) {
            Some(at) => hay = &hay[at + 1..],
            None => return n,
        }
    }
    word.len()
}

/// How many bytes at the end of `word` occur in order in `hay` (the most that can).
fn suffix_in_order(word: &[u8], hay: &[u8]) -> usize {
    let mut hay = hay;
    for (n, &w) in word.iter().rev().enumerate() {
        match hay.iter().rposition(|&b| b == w) {
            Some(at) => hay = &hay[..at],
            None => return n,
        }
    }
    word.len()
}

/// How an extension of these digits holds the finder's, if it does.
fn ext_class(finder: &memmem::Finder<'_>, digits: &[u8]) -> Option<(u8, u16)> {
    let p = find(finder, digits)?;
    Some((if digits.len() == finder.needle().len() { EXT_IS } else { EXT_HOLDS }, p as u16))
}

/// A state as words match it (`other`: an unknown state's text, lowercase).
fn state_word(state: State, other: &str) -> &str {
    match state {
        State::Active => "active",
        State::Inactive => "inactive",
        State::Missing => "",
        State::Other => other,
    }
}

/// A telephony type as words match it (`other`: an unknown type's text, lowercase).
fn type_word(kind: TelephonyType, other: &str) -> &str {
    match kind {
        TelephonyType::Pstn => "pstn_number",
        TelephonyType::Mobile => "mobile_number",
        TelephonyType::Missing => "",
        TelephonyType::Other => other,
    }
}

/// The class of a number whose digits hold the needle (`len` digits) first at `p`.
fn number_class(digits: &[u8], len: usize, p: usize) -> (u8, u16) {
    let needle = &digits[p..p + len];
    if digits.ends_with(needle) {
        return (ENDS, (digits.len() - len) as u16);
    }
    let national = calling_code_len(digits).map_or(&[][..], |cc| &digits[cc..]);
    let class = if p == 0 || national.starts_with(needle) { STARTS } else { HOLDS };
    (class, p as u16)
}

/// Whether the characters of `word` occur in order in the texts of `parts`, one after another
/// (what a scattered match needs).
fn chars_in_order(word: &str, parts: &[&str]) -> bool {
    if word.is_ascii() { ascii_in_order(word.as_bytes(), parts) } else { decoded_in_order(word, parts) }
}

/// [`chars_in_order`] for an ASCII word. An ASCII character is one byte, and no byte of another
/// character's UTF-8 is ASCII: the bytes match as the characters do, without decoding the text
/// (a fifth of a word search over a million owner records).
fn ascii_in_order(word: &[u8], parts: &[&str]) -> bool {
    let mut want = word;
    for part in parts {
        let mut hay = part.as_bytes();
        while let Some((&w, rest)) = want.split_first() {
            let Some(at) = hay.iter().position(|&b| b == w) else { break };
            hay = &hay[at + 1..];
            want = rest;
        }
    }
    want.is_empty()
}

/// [`chars_in_order`], character by character.
fn decoded_in_order(word: &str, parts: &[&str]) -> bool {
    let mut want = word.chars().peekable();
    for part in parts {
        for c in part.chars() {
            match want.peek() {
                None => return true,
                Some(&w) if w == c => {
                    want.next();
                }
                Some(_) => {}
            }
        }
    }
    want.peek().is_none()
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
/// An empty query keeps the catalog's order (records that cannot be picked last).
pub fn search(catalog: &Catalog, candidates: Option<&[u32]>, matcher: &Matcher, filters: &Filters) -> Vec<u32> {
    search_until(catalog, candidates, matcher, filters, &|| false).unwrap_or_default()
}

/// [`search`], giving up (`None`) as soon as `stop` says so.
pub fn search_until(
    catalog: &Catalog,
    candidates: Option<&[u32]>,
    matcher: &Matcher,
    filters: &Filters,
    stop: &dyn Fn() -> bool,
) -> Option<Vec<u32>> {
    find_until(catalog, candidates, matcher, filters, stop).map(|f| f.hits)
}

/// [`search`] with whether the matches are scattered ones, giving up (`None`) as soon as
/// `stop` says so: it is asked between blocks of records, so a newer keystroke can cancel a
/// stale search over a large list.
///
/// `candidates` (the results of a query this one narrows) bound the matches with the digits
/// together; scattered ones, looked for only when there are none, are looked for in every record.
pub fn find_until(
    catalog: &Catalog,
    candidates: Option<&[u32]>,
    matcher: &Matcher,
    filters: &Filters,
    stop: &dyn Fn() -> bool,
) -> Option<Found> {
    let q = matcher.query();
    // Without digits or words there is nothing to rank: matches keep the catalog's order.
    let ranked = !q.digits.is_empty() || !q.words.is_empty();
    let rank = |i: u32| -> Option<Hit> {
        let rec = catalog.get(i as usize);
        if !filters.admits(rec) {
            return None;
        }
        let rank = matcher.rank(catalog, i as usize)?;
        Some(Hit { rank, key: if ranked { sort_key(&rec.phone_number) } else { NO_KEY }, index: i })
    };
    let mut hits = collect(catalog, candidates, stop, &rank)?;
    let mut scattered = false;
    if hits.is_empty() && !q.digits.is_empty() && !q.exact_digits && !q.extension {
        let rank = |i: u32| -> Option<Hit> {
            let rec = catalog.get(i as usize);
            if !filters.admits(rec) {
                return None;
            }
            let rank = matcher.rank_scattered(catalog, i as usize)?;
            Some(Hit { rank, key: sort_key(&rec.phone_number), index: i })
        };
        hits = collect(catalog, None, stop, &rank)?;
        scattered = !hits.is_empty();
    }
    if !ranked {
        // Candidates are in rank order: back to the catalog's, the ones that cannot be picked last.
        if !hits.is_sorted_by_key(|h| (h.rank.invalid, h.index)) {
            hits.par_sort_unstable_by_key(|h| (h.rank.invalid, h.index));
        }
    } else if hits.iter().all(|h| h.key != NO_KEY) && hits.iter().all(|h| h.rank.bucket().is_some()) {
        return Some(Found { hits: sort_in_buckets(hits), scattered });
    } else if hits.iter().all(|h| h.key != NO_KEY) {
        // Every number has a key: rank and number packed in one integer, compared at once.
        let packed = |h: &Hit| (u128::from(h.rank.packed()) << 64) | u128::from(h.key);
        if hits.len() > PARALLEL {
            hits.par_sort_unstable_by_key(packed);
        } else {
            hits.sort_unstable_by_key(packed);
        }
    } else if hits.len() > PARALLEL {
        hits.par_sort_unstable_by(|a, b| compare(catalog, a, b));
    } else {
        hits.sort_unstable_by(|a, b| compare(catalog, a, b));
    }
    Some(Found { hits: hits.into_iter().map(|h| h.index).collect(), scattered })
}

/// Hits whose numbers all have a [`sort_key`] and whose ranks all have a [`Rank::bucket`],
/// best first: counted into one bucket per rank (ranks take few values unless scattered), and
/// each bucket sorted by number alone, on every core. Sorting a million (number, index) pairs
/// by one integer is about twice as fast as sorting them by rank and number together.
fn sort_in_buckets(hits: Vec<Hit>) -> Vec<u32> {
    let mut starts = vec![0usize; BUCKETS + 1];
    for h in &hits {
        starts[h.rank.bucket().unwrap_or(0) + 1] += 1;
    }
    for b in 0..BUCKETS {
        starts[b + 1] += starts[b];
    }
    let mut fill = starts.clone();
    let mut placed = vec![(0u64, 0u32); hits.len()];
    for h in hits {
        let b = h.rank.bucket().unwrap_or(0);
        placed[fill[b]] = (h.key, h.index);
        fill[b] += 1;
    }
    let mut buckets = Vec::new();
    let mut rest = &mut placed[..];
    for b in 0..BUCKETS {
        let (bucket, tail) = rest.split_at_mut(starts[b + 1] - starts[b]);
        if bucket.len() > 1 {
            buckets.push(bucket);
        }
        rest = tail;
    }
    buckets.into_par_iter().for_each(|bucket| {
        if bucket.len() > PARALLEL {
            bucket.par_sort_unstable_by_key(|p| p.0);
        } else {
            bucket.sort_unstable_by_key(|p| p.0);
        }
    });
    placed.into_iter().map(|p| p.1).collect()
}

/// How many values [`Rank::bucket`] takes.
const BUCKETS: usize = 2 * 8 * 2 * 64;

/// From this many records a search runs on every core.
const PARALLEL: usize = 1 << 14;

/// The hits among `candidates` (all records when `None`), in their order; `None` when `stop`
/// said so between two blocks.
fn collect(
    catalog: &Catalog,
    candidates: Option<&[u32]>,
    stop: &dyn Fn() -> bool,
    rank: &(dyn Fn(u32) -> Option<Hit> + Sync),
) -> Option<Vec<Hit>> {
    /// Records between two questions to `stop`.
    const BLOCK: usize = 1 << 16;
    const PIECE: usize = 1 << 12;
    let total = candidates.map_or(catalog.len(), <[u32]>::len);
    let mut hits = Vec::new();
    for start in (0..total).step_by(BLOCK) {
        if stop() {
            return None;
        }
        let end = (start + BLOCK).min(total);
        match candidates {
            Some(c) if total < PARALLEL => hits.extend(c[start..end].iter().filter_map(|&i| rank(i))),
            Some(c) => hits.par_extend(c[start..end].par_iter().with_min_len(PIECE).filter_map(|&i| rank(i))),
            None if total < PARALLEL => hits.extend((start as u32..end as u32).filter_map(rank)),
            None => hits.par_extend((start as u32..end as u32).into_par_iter().with_min_len(PIECE).filter_map(rank)),
        }
    }
    Some(hits)
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

    #[test]
    fn ascii_words_are_found_in_order_as_characters_are() {
        let texts =
            ["ada lovelace person 1234", "zürich hall", "東京 太郎 person", "🦀 crab", "σίσυφος", "", "l o v e"];
        let words = ["", "a", "love", "lovelace", "zh", "hall", "person", "crab", "xyz", "ll", "aaaa", "🦀"];
        for (k, _) in texts.iter().enumerate() {
            for n in 0..=3 {
                let parts: Vec<&str> = texts.iter().cycle().skip(k).take(n).copied().collect();
                for word in words {
                    assert_eq!(chars_in_order(word, &parts), decoded_in_order(word, &parts), "{word:?} in {parts:?}");
                }
            }
        }
        assert!(ascii_in_order(b"lvlc", &["ada lovelace"]));
        assert!(!ascii_in_order(b"lvlcz", &["ada lovelace", " ", "active"]));
        assert!(ascii_in_order(b"ace", &["ada lovel", "a", "ce"]), "across parts");
    }
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
        // Digits find the number that ends with them, then the extension that is them; no
        // scattered digits while some record holds them together.
        assert_eq!(find(&c, "1234"), ["+12056351234", "+12056350001"]);
        assert_eq!(find(&c, "smith 1234"), ["+12056350001"]);
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
        // Contiguous only, by match position (7, 7, 8), then by number; the scattered match
        // (0.0.0.1 spread over +12065306001) not at all while others hold the digits together.
        assert_eq!(got, ["+12056350001", "+13125550001", "+442079460001"]);
        // Scattered matches when nothing holds the digits together, and the result says so.
        let found = find_until(&c, None, &Matcher::new(Query::parse("2051")), &Filters::default(), &|| false).unwrap();
        assert!(found.scattered);
        assert!(!found.hits.is_empty());
        assert!(Matcher::new(Query::parse("2051")).is_scattered(&c, &found.hits));
        let together = find_until(&c, None, &Matcher::new(Query::parse("0001")), &Filters::default(), &|| false);
        let together = together.unwrap();
        assert!(!together.scattered);
        assert!(!Matcher::new(Query::parse("0001")).is_scattered(&c, &together.hits));
        // fzf's `'`, or --exact: never scattered.
        assert!(find(&c, "'2051").is_empty());
        let exact = Matcher::new(Query::parse_as("2051", true));
        assert!(search(&c, None, &exact, &Filters::default()).is_empty());
    }

    #[test]
    fn digits_rank_as_a_person_reads_a_number() {
        let c = catalog(&[
            ("+13122056000", State::Active, false),
            ("+12506000056", State::Active, false),
            ("+12056350001", State::Active, false),
            ("+14045552056", State::Active, false),
            ("+442056000001", State::Active, false),
            ("+20561234567", State::Active, false),
        ]);
        // Ends with 2056; then starts with it (national part: +1 205 6..., +44 2056...; or
        // the whole: +20 56...); then holds it; +1 250 600 0056 (scattered) not at all.
        assert_eq!(find(&c, "2056"), ["+14045552056", "+20561234567", "+12056350001", "+442056000001", "+13122056000"]);
        assert_eq!(find(&c, "0056"), ["+12506000056"]);
        // A number that holds the digits twice is read by its best place: the end.
        let c = catalog(&[("+12000100001", State::Active, false), ("+12056000100", State::Active, false)]);
        assert_eq!(find(&c, "0001"), ["+12000100001", "+12056000100"]);
    }

    #[test]
    fn invalid_rows_are_found_by_the_word_and_sort_last() {
        let page = br#"{"phoneNumbers":[
            {"phoneNumber":"+1","state":"ACTIVE"},
            {"phoneNumber":"+12056350001","state":"ACTIVE"},
            {"phoneNumber":"+12056350002","state":5},
            {"phoneNumber":"+12056350003","state":"ACTIVE"}
        ]}"#;
        let c = Catalog::from_records(crate::numbers::record::parse_page(page).unwrap().numbers);
        assert_eq!(c.invalid_count(), 2);
        assert_eq!(find(&c, ""), ["+12056350001", "+12056350003", "+1", "+12056350002"]);
        assert_eq!(find(&c, "invalid"), ["+1", "+12056350002"]);
        assert_eq!(find(&c, "INV 0002"), ["+12056350002"]);
        assert_eq!(find(&c, "205635000"), ["+12056350001", "+12056350003", "+12056350002"]);
    }

    #[test]
    fn words_are_fuzzy_unless_exact() {
        let c = owned();
        assert_eq!(find(&c, "smth"), ["+12056350001"]);
        assert!(find(&c, "'smth").is_empty());
        assert_eq!(find(&c, "'smi"), ["+12056350001"]);
        let exact = Matcher::new(Query::parse_as("smth", true));
        assert!(search(&c, None, &exact, &Filters::default()).is_empty());
        // Words found as typed rank before words found only scattered.
        assert_eq!(find(&c, "sa"), ["+12056350003", "+12056350001", "+12056350004"]);
    }

    #[test]
    fn large_searches_on_every_core_agree_with_small_ones() {
        let mut rng = fastrand::Rng::with_seed(22);
        let records: Vec<_> = (0..100_000)
            .map(|i| {
                let state = if rng.u8(..5) == 0 { State::Inactive } else { State::Active };
                let number =
                    if i % 1000 == 7 { "+1".to_string() } else { format!("+1205{:07}", rng.u32(..10_000_000)) };
                NumberRecord::new(&number, state, false, false, rng.bool())
            })
            .collect();
        let big = Catalog::from_records(records);
        // Exact digits: a piece alone would otherwise look for scattered digits when it holds
        // none together.
        for q in ["'2056", "'0001", "'635001", "active '555", "", "'99999999", "inactive", "invalid"] {
            let m = Matcher::new(Query::parse(q));
            let all = search(&big, None, &m, &Filters::default());
            // The same search over the records in small pieces, one at a time.
            let mut one_by_one: Vec<u32> = Vec::new();
            for piece in (0..big.len() as u32).collect::<Vec<_>>().chunks(PARALLEL - 1) {
                one_by_one.extend(search(&big, Some(piece), &m, &Filters::default()));
            }
            let mut sorted = all.clone();
            sorted.sort_unstable();
            one_by_one.sort_unstable();
            assert_eq!(sorted, one_by_one, "{q}");
        }
        assert!(search_until(&big, None, &Matcher::new(Query::parse("2056")), &Filters::default(), &|| true).is_none());
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
    fn packed_ranks_sort_as_ranks() {
        let mut ranks = Vec::new();
        for invalid in [false, true] {
            for class in [ENDS, EXT_IS, STARTS, SCATTERED] {
                for words in [0, 1] {
                    for neg_score in [i32::MIN, -300, -1, 0, 5] {
                        for position in [0, 1, 9, u16::MAX] {
                            ranks.push(Rank { invalid, class, words, neg_score, position });
                        }
                    }
                }
            }
        }
        for a in &ranks {
            for b in &ranks {
                assert_eq!(a.packed().cmp(&b.packed()), a.cmp(b), "{a:?} {b:?}");
                if let (Some(x), Some(y)) = (a.bucket(), b.bucket()) {
                    assert!(x < BUCKETS && y < BUCKETS);
                    assert_eq!(x.cmp(&y), a.cmp(b), "{a:?} {b:?}");
                }
            }
        }
        assert!(ranks.iter().filter(|r| r.bucket().is_some()).count() > 20);
    }

    #[test]
    fn bucket_sort_sorts_as_rank_then_number() {
        let mut rng = fastrand::Rng::with_seed(22);
        for n in [0, 1, 2, 100, 50_000] {
            let hits: Vec<Hit> = (0..n)
                .map(|i| Hit {
                    rank: Rank {
                        invalid: rng.u8(0..10) == 0,
                        class: rng.u8(0..5),
                        words: rng.u8(0..2),
                        neg_score: 0,
                        position: rng.u16(0..64),
                    },
                    key: rng.u64(1..1 << 20),
                    index: i,
                })
                .collect();
            let mut want: Vec<(Rank, u64, u32)> = hits.iter().map(|h| (h.rank, h.key, h.index)).collect();
            want.sort();
            let got = sort_in_buckets(hits);
            // Equal (rank, number) pairs do not occur among distinct numbers; here keys may repeat,
            // so compare the (rank, number) sequence, and the indices as a set.
            let by_index: std::collections::HashMap<u32, (Rank, u64)> =
                want.iter().map(|w| (w.2, (w.0, w.1))).collect();
            let seq: Vec<(Rank, u64)> = got.iter().map(|i| by_index[i]).collect();
            assert_eq!(seq, want.iter().map(|w| (w.0, w.1)).collect::<Vec<_>>(), "{n} hits");
            let mut sorted = got.clone();
            sorted.sort();
            assert_eq!(sorted, (0..n).collect::<Vec<u32>>());
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
    fn known_states_and_types_are_matched_as_the_texts_are() {
        // A record of a known state and type is matched against its own text alone, with what
        // the state and type do worked out beforehand: the same answer as matching them all.
        let texts = ["", "ada lovelace person 1234", "zürich hall", "東京 太郎 person", "🦀 crab", "l o v e", "ac ti"];
        let queries = [
            "lovelace",
            "love act",
            "'love",
            "ive",
            "zh",
            "ac ve",
            "'active",
            "pstn",
            "mobnum",
            "ti mo",
            "actpstn",
            "zü",
            "東京",
            "e e e",
            "🦀",
            "x",
            "inactive 'hall",
            "num ber",
            "onpe",
        ];
        let mut seen = std::collections::BTreeSet::new();
        for q in queries {
            let m = Matcher::new(Query::parse(q));
            for (i, &state) in PLAIN_STATES.iter().enumerate() {
                for (j, &kind) in PLAIN_TYPES.iter().enumerate() {
                    for text in texts {
                        let slow = m.words_class(text, state_word(state, ""), type_word(kind, ""));
                        assert_eq!(m.words_class_plain(text, i, j), slow, "{q:?} in {text:?}, {state:?}, {kind:?}");
                        seen.insert(slow);
                    }
                }
            }
        }
        assert_eq!(seen.into_iter().collect::<Vec<_>>(), [None, Some(0), Some(1)], "every answer is checked");
        assert_eq!((prefix_in_order(b"love", b"l o v"), suffix_in_order(b"love", b" active")), (3, 2));
    }

    #[test]
    fn numbers_with_and_without_keys_sort_together_as_text() {
        let c = catalog(&[
            ("+1 205 635 0001", State::Active, false),
            ("+12056350001", State::Active, false),
            ("+1(205)6350001", State::Active, false),
            ("12056350001", State::Active, false),
            ("+120563500011234567", State::Active, false),
        ]);
        // Every one but the last ends with the digits, and all but +12056350001 cannot be
        // picked: that one first, then the others of its class as text, then the last.
        assert_eq!(
            find(&c, "12056350001"),
            ["+12056350001", "+1 205 635 0001", "+1(205)6350001", "12056350001", "+120563500011234567"]
        );
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

    #[test]
    fn typing_words_narrows_and_finds_what_a_full_search_finds() {
        let page = r#"{"phoneNumbers":[
            {"phoneNumber":"+12056350001","state":"ACTIVE","extension":"1234","owner":{"type":"PEOPLE","firstName":"Ada","lastName":"Lovelace"}},
            {"phoneNumber":"+12056350002","state":"INACTIVE","owner":{"type":"PEOPLE","firstName":"Lou","lastName":"Veldt"}},
            {"phoneNumber":"+12056350003","state":"ACTIVE","extension":"5678","owner":{"type":"HUNT_GROUP","displayName":"Lobby Zürich"}},
            {"phoneNumber":"+12056350004","state":"ACTIVE","owner":{"type":"PLACE","displayName":"東京 Lobby"}},
            {"phoneNumber":"+12056350005","state":"ACTIVE"},
            {"phoneNumber":"+12056350006","telephonyType":"MOBILE_NUMBER"}
        ]}"#;
        let c = Catalog::from_records(crate::numbers::record::parse_page(page.as_bytes()).unwrap().numbers);
        let f = Filters::default();
        for typed in ["lovelace", "lobby zürich", "'lob z", "lo 'ze", "mobile", "東京 lo", "ada 1234", "lov 205"] {
            let mut prev: Option<(Query, Vec<u32>)> = None;
            for end in typed.char_indices().map(|(i, c)| i + c.len_utf8()) {
                let q = Query::parse(&typed[..end]);
                let full = search(&c, None, &Matcher::new(q.clone()), &f);
                if let Some((p, hits)) = &prev
                    && q.narrows(p)
                {
                    let narrowed = search(&c, Some(hits), &Matcher::new(q.clone()), &f);
                    assert_eq!(narrowed, full, "{:?} after {:?}", &typed[..end], p);
                }
                prev = Some((q, full));
            }
        }
        // Some of them narrowed (the test would hold trivially otherwise).
        assert!(Query::parse("lovel").narrows(&Query::parse("love")));
    }
}
