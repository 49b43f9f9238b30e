//! Every number loaded so far, each once, with what matching reads kept beside it: the digits
//! of each number, the lowercase text that words are matched against (owner's name, owner's type
//! in words, extension), and which records cannot be picked.

use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;

use crate::numbers::record::NumberRecord;

#[derive(Default, Clone)]
pub struct Catalog {
    records: Vec<NumberRecord>,
    /// What matching reads of the records, [`PIECE`] records a piece: record `i` is in piece
    /// `i / PIECE`.
    pieces: Vec<Piece>,
    /// One bit per record: set when it cannot be picked (see [`NumberRecord::is_pickable`]).
    invalid: Vec<u64>,
    /// How many records have their bit set in `invalid`.
    invalid_count: usize,
    /// Record indices by number, to drop duplicates.
    by_number: HashTable<u32>,
    /// foldhash, seeded per process: several times faster than SipHash on short numbers.
    hasher: hashbrown::DefaultHashBuilder,
    duplicates: usize,
    /// How many records (from the first) `by_number` holds; after a bulk load, none until the
    /// next load needs them.
    indexed: usize,
}

/// How many records a piece of the index holds (a power of two). Each piece is built on its
/// own, by one thread, in one pass over its records while they are in cache: nothing has to be
/// sized first, nor placed at an offset that depends on the pieces before it.
const PIECE_BITS: u32 = 14;
const PIECE: usize = 1 << PIECE_BITS;

/// What matching reads of up to [`PIECE`] records, by their position in the piece.
#[derive(Default, Clone, PartialEq, Debug)]
struct Piece {
    /// The ASCII digits of each record's number, each followed by its extension's digits.
    digits: Vec<u8>,
    /// Where each record's digits end in `digits` (they start where the previous record's end).
    digit_ends: Vec<u32>,
    /// How many of each record's digits are its extension's (at the end of its digits), or
    /// [`LONG_EXTENSION`]; empty while no record of the piece has an extension.
    ext_lens: Vec<u8>,
    /// The lowercase text of each record's owner and extension (`ada lovelace person 1234`),
    /// one after another; empty for a record without them (most lists).
    words: String,
    /// Where each record's text ends in `words`; empty while no record of the piece has any.
    word_ends: Vec<u32>,
}

impl Piece {
    /// A piece with room for `n` records of the usual size (its texts' vectors are given room
    /// when its first record with an owner or an extension comes): growing a vector a step at a
    /// time copied it over and over.
    fn for_records(n: usize) -> Self {
        Piece { digits: Vec::with_capacity(n * 12), digit_ends: Vec::with_capacity(n), ..Piece::default() }
    }

    /// Adds a record; returns whether it can be picked.
    fn push(&mut self, rec: &NumberRecord) -> bool {
        let n = self.digit_ends.len();
        push_digits(&mut self.digits, &rec.phone_number);
        if rec.has_rare() && self.words.capacity() == 0 {
            let rest = self.digit_ends.capacity().saturating_sub(n).max(1);
            self.words.reserve(rest * 32);
            self.digits.reserve(rest * 6);
        }
        let ext = rec.index_texts(&mut self.words);
        if let Some(ext) = ext {
            let len = extension_len(ext);
            if self.ext_lens.is_empty() {
                self.ext_lens.reserve(self.digit_ends.capacity());
                self.ext_lens.resize(n, 0);
            }
            self.ext_lens.push(len);
            if len != LONG_EXTENSION {
                push_digits(&mut self.digits, ext);
            }
        } else if !self.ext_lens.is_empty() {
            self.ext_lens.push(0);
        }
        self.digit_ends.push(self.digits.len() as u32);
        if !self.word_ends.is_empty() || !self.words.is_empty() {
            // Records before the first with words had none: their texts end at 0.
            if self.word_ends.is_empty() {
                self.word_ends.reserve(self.digit_ends.capacity());
            }
            self.word_ends.resize(n, 0);
            self.word_ends.push(self.words.len() as u32);
        }
        rec.is_pickable()
    }

    /// Gives back what the vectors hold beyond their contents, once the piece is full.
    fn shrink(&mut self) {
        self.digits.shrink_to_fit();
        self.digit_ends.shrink_to_fit();
        self.ext_lens.shrink_to_fit();
        self.words.shrink_to_fit();
        self.word_ends.shrink_to_fit();
    }

    fn digits_of(&self, j: usize) -> &[u8] {
        let start = if j == 0 { 0 } else { self.digit_ends[j - 1] as usize };
        &self.digits[start..self.digit_ends[j] as usize]
    }

    fn ext_len(&self, j: usize) -> u8 {
        self.ext_lens.get(j).copied().unwrap_or(0)
    }

    fn words_of(&self, j: usize) -> &str {
        let Some(&end) = self.word_ends.get(j) else { return "" };
        let start = if j == 0 { 0 } else { self.word_ends[j - 1] as usize };
        &self.words[start..end as usize]
    }
}

/// Adds the ASCII digits of `text` to `out`. A number is nearly always `+` and digits, and an
/// extension digits alone: those are copied whole (a byte at a time through a filter, it was
/// half of building the index).
fn push_digits(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let rest = bytes.strip_prefix(b"+").unwrap_or(bytes);
    if rest.iter().all(u8::is_ascii_digit) {
        out.extend_from_slice(rest);
    } else {
        out.extend(rest.iter().copied().filter(u8::is_ascii_digit));
    }
}

/// From this many records, a first load finds duplicates by [`bulk_duplicates`].
const BULK: usize = 1 << 15;

/// An extension with more digits than this many keeps them in its record only: matching reads
/// it from there.
const LONG_EXTENSION: u8 = u8::MAX;

/// How many digits of an extension the catalog keeps beside its number's ([`LONG_EXTENSION`]
/// for none).
fn extension_len(ext: &str) -> u8 {
    let n = ext.bytes().filter(u8::is_ascii_digit).count();
    if n < usize::from(LONG_EXTENSION) { n as u8 } else { LONG_EXTENSION }
}

/// Whether every record's number is greater than the one before it (so none is repeated), as
/// the API sends them. A record without a number (an extension of the inventory) says no.
fn ascending(records: &[NumberRecord]) -> bool {
    use rayon::prelude::*;
    records
        .par_windows(2)
        .with_min_len(1 << 14)
        .all(|w| !w[0].identity().is_empty() && w[0].identity() < w[1].identity())
}

/// The positions (ascending) of the records whose number an earlier record has. Each block of
/// records is hashed and spread over 256 partitions on its own (on every core, in one pass over
/// the records). Then each partition, gathered from the blocks, is sorted by hash: only records
/// whose hashes are equal can be the same number, and those are few, so they alone are compared.
fn bulk_duplicates(records: &[NumberRecord], hasher: &hashbrown::DefaultHashBuilder) -> Vec<u32> {
    use rayon::prelude::*;
    const PARTS: usize = 256;
    /// Records per block: a block's partitions are written while its records are in cache.
    const BLOCK: usize = 1 << 16;
    // Each block's keys (the hash's low 32 bits above the record's position), by partition;
    // `starts[p]..starts[p + 1]` are partition `p`'s.
    struct Block {
        keys: Vec<u64>,
        starts: [u32; PARTS + 1],
    }
    impl Block {
        fn part(&self, p: usize) -> &[u64] {
            &self.keys[self.starts[p] as usize..self.starts[p + 1] as usize]
        }
    }
    let blocks: Vec<Block> = records
        .par_chunks(BLOCK)
        .enumerate()
        .map(|(b, chunk)| {
            let first = b * BLOCK;
            let hashes: Vec<u64> = chunk.iter().map(|r| hasher.hash_one(r.identity())).collect();
            let mut starts = [0u32; PARTS + 1];
            for (r, h) in chunk.iter().zip(&hashes) {
                if !r.identity().is_empty() {
                    starts[(h >> 56) as usize + 1] += 1;
                }
            }
            for p in 0..PARTS {
                starts[p + 1] += starts[p];
            }
            let mut fill = starts;
            let mut keys = vec![0u64; starts[PARTS] as usize];
            for (i, (r, h)) in chunk.iter().zip(&hashes).enumerate() {
                if !r.identity().is_empty() {
                    let p = (h >> 56) as usize;
                    keys[fill[p] as usize] = (h & 0xffff_ffff) << 32 | (first + i) as u64;
                    fill[p] += 1;
                }
            }
            Block { keys, starts }
        })
        .collect();
    // The partitions are independent: sorted and scanned on every core.
    let mut dropped: Vec<u32> = (0..PARTS)
        .into_par_iter()
        .flat_map_iter(|p| {
            let mut keys: Vec<u64> = blocks.iter().flat_map(|b| b.part(p)).copied().collect();
            // By hash, then by position: the first of equal numbers comes first.
            keys.sort_unstable();
            let mut twins = Vec::new();
            let mut run = 0;
            while run < keys.len() {
                let hash = keys[run] >> 32;
                let end = run + keys[run..].iter().take_while(|&&k| k >> 32 == hash).count();
                // Equal hashes (nearly always one record alone): which are an earlier one's number.
                for (n, &key) in keys[run..end].iter().enumerate().skip(1) {
                    let number = records[key as u32 as usize].identity();
                    if keys[run..run + n].iter().any(|&k| records[k as u32 as usize].identity() == number) {
                        twins.push(key as u32);
                    }
                }
                run = end;
            }
            twins
        })
        .collect();
    dropped.sort_unstable();
    dropped
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Catalog({} numbers)", self.records.len())
    }
}

impl Catalog {
    pub fn new() -> Self {
        Catalog::default()
    }

    pub fn from_records(records: Vec<NumberRecord>) -> Self {
        let mut c = Catalog::new();
        c.extend(records);
        c
    }

    /// Adds records, dropping numbers already present; returns the range of the new indices.
    /// The first load into an empty catalog takes the vector over instead of copying it.
    pub fn extend(&mut self, records: Vec<NumberRecord>) -> Range<usize> {
        let first = self.records.len();
        if first == 0 {
            self.records = records;
        } else {
            let mut records = records;
            self.records.append(&mut records);
        }
        let added = self.records.len() - first;
        if first == 0 && added >= BULK {
            // One large load (a saved reply): find its duplicates in cache-sized pieces, and
            // leave the index by number until a later load needs it.
            // The API sends its numbers in order: numbers each greater than the last are
            // distinct, and that is checked far sooner than duplicates are looked for.
            let dropped =
                if ascending(&self.records) { Vec::new() } else { bulk_duplicates(&self.records, &self.hasher) };
            self.duplicates += dropped.len();
            if !dropped.is_empty() {
                let records = &mut self.records;
                let mut dropped = dropped.into_iter().peekable();
                let mut kept = 0;
                for i in 0..records.len() {
                    if dropped.next_if_eq(&(i as u32)).is_some() {
                        continue;
                    }
                    records.swap(kept, i);
                    kept += 1;
                }
                records.truncate(kept);
            }
            self.index_from(0);
            self.indexed = 0;
        } else {
            self.index_up_to(first);
            self.add_indexed(first);
        }
        first..self.records.len()
    }

    /// Puts `records[indexed..end]` (known to be distinct) into the index by number.
    fn index_up_to(&mut self, end: usize) {
        let Catalog { records, by_number, hasher, indexed, .. } = self;
        if *indexed >= end {
            return;
        }
        let hash = |n: &str| hasher.hash_one(n);
        by_number.reserve(end - *indexed, |&i| hash(records[i as usize].identity()));
        for (i, r) in records.iter().enumerate().take(end).skip(*indexed) {
            if !r.identity().is_empty() {
                by_number.insert_unique(hash(r.identity()), i as u32, |&j| hash(records[j as usize].identity()));
            }
        }
        *indexed = end;
    }

    /// Indexes `records[first..]`, dropping the numbers already indexed (or seen earlier in it).
    fn add_indexed(&mut self, first: usize) {
        let Catalog { records, by_number, hasher, duplicates, indexed, .. } = self;
        let hash = |n: &str| hasher.hash_one(n);
        // Room for every new number up front: the table never rehashes while it fills, so its
        // closure never looks at a slot not yet filled.
        by_number.reserve(records.len() - first, |&i| hash(records[i as usize].identity()));
        // Records kept move down over the duplicates dropped; `kept` is the next free slot.
        let mut kept = first;
        for i in first..records.len() {
            if !records[i].identity().is_empty() {
                let h = hash(records[i].identity());
                let number = records[i].identity();
                if by_number.find(h, |&j| records[j as usize].identity() == number).is_some() {
                    *duplicates += 1;
                    continue;
                }
                records.swap(kept, i);
                by_number.insert_unique(h, kept as u32, |&j| hash(records[j as usize].identity()));
            } else {
                records.swap(kept, i);
            }
            kept += 1;
        }
        records.truncate(kept);
        *indexed = kept;
        self.index_from(first);
    }

    /// Adds what matching keeps of `records[first..]`: into the last piece until it is full, then
    /// into new pieces, each built by one thread of its own.
    fn index_from(&mut self, first: usize) {
        use rayon::prelude::*;
        let Catalog { records, pieces, invalid, invalid_count, .. } = self;
        debug_assert_eq!(pieces.len(), first.div_ceil(PIECE));
        let mut bad = Vec::new();
        // The last piece, if not full.
        let boundary = first.next_multiple_of(PIECE).min(records.len());
        if first < boundary {
            let piece = match pieces.last_mut() {
                Some(piece) if !first.is_multiple_of(PIECE) => piece,
                _ => {
                    pieces.push(Piece::default());
                    pieces.last_mut().expect("just pushed")
                }
            };
            for (i, rec) in records.iter().enumerate().take(boundary).skip(first) {
                if !piece.push(rec) {
                    bad.push(i);
                }
            }
            if boundary.is_multiple_of(PIECE) {
                piece.shrink();
            }
        }
        // New pieces.
        let built: Vec<(Piece, Vec<usize>)> = records[boundary..]
            .par_chunks(PIECE)
            .enumerate()
            .map(|(k, chunk)| {
                let at = boundary + k * PIECE;
                let mut piece = Piece::for_records(chunk.len());
                let mut bad = Vec::new();
                for (j, rec) in chunk.iter().enumerate() {
                    if !piece.push(rec) {
                        bad.push(at + j);
                    }
                }
                if chunk.len() == PIECE {
                    piece.shrink();
                }
                (piece, bad)
            })
            .collect();
        pieces.reserve(built.len());
        invalid.resize(records.len().div_ceil(64), 0);
        for (piece, more) in built {
            pieces.push(piece);
            bad.extend(more);
        }
        for i in bad {
            invalid[i / 64] |= 1 << (i % 64);
            *invalid_count += 1;
        }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }
    pub fn get(&self, i: usize) -> &NumberRecord {
        &self.records[i]
    }

    /// The numbers of these records as sent, one a line: what several picks copy.
    pub fn numbers_text(&self, picks: &[u32]) -> String {
        let numbers: Vec<&str> = picks.iter().map(|&i| &*self.get(i as usize).phone_number).collect();
        numbers.join("\n")
    }
    pub fn records(&self) -> &[NumberRecord] {
        &self.records
    }
    /// The digits of record `i`'s number.
    pub fn digits(&self, i: usize) -> &[u8] {
        let (piece, j) = self.piece(i);
        let all = piece.digits_of(j);
        &all[..all.len() - usize::from(piece.ext_len(j)) % usize::from(LONG_EXTENSION)]
    }
    /// The digits of record `i`'s extension: empty without one; `None` when there are too many
    /// to keep here (read the record's).
    pub fn extension_digits(&self, i: usize) -> Option<&[u8]> {
        let (piece, j) = self.piece(i);
        let all = piece.digits_of(j);
        match piece.ext_len(j) {
            LONG_EXTENSION => None,
            n => Some(&all[all.len() - usize::from(n)..]),
        }
    }
    /// The lowercase text of record `i`'s owner and extension (empty without them).
    pub fn words(&self, i: usize) -> &str {
        let (piece, j) = self.piece(i);
        piece.words_of(j)
    }
    /// The piece that holds record `i`, and its position there.
    fn piece(&self, i: usize) -> (&Piece, usize) {
        (&self.pieces[i >> PIECE_BITS], i & (PIECE - 1))
    }
    /// Whether record `i` cannot be picked (see [`NumberRecord::is_pickable`]).
    pub fn is_invalid(&self, i: usize) -> bool {
        self.invalid_count > 0 && self.invalid[i / 64] & (1 << (i % 64)) != 0
    }
    /// The records in `range` that cannot be picked, in order.
    pub fn invalid_in(&self, range: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let end = range.end.min(self.records.len());
        let start = range.start.min(end);
        let words = if self.invalid_count == 0 { 0..0 } else { start / 64..end.div_ceil(64) };
        words
            .flat_map(move |w| {
                let mut bits = self.invalid[w];
                std::iter::from_fn(move || {
                    let bit = (bits != 0).then(|| bits.trailing_zeros() as usize)?;
                    bits &= bits - 1;
                    Some(w * 64 + bit)
                })
            })
            .filter(move |i| (start..end).contains(i))
    }
    /// How many records cannot be picked.
    pub fn invalid_count(&self) -> usize {
        self.invalid_count
    }
    /// How many duplicate numbers were dropped.
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::State;

    #[test]
    fn drops_duplicates_and_indexes_digits() {
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        let mut c = Catalog::new();
        assert_eq!(c.extend(vec![r("+1 205"), r("+44")]), 0..2);
        assert_eq!(c.extend(vec![r("+44"), r("+33")]), 2..3);
        assert_eq!(c.len(), 3);
        assert_eq!(c.duplicates(), 1);
        assert_eq!(c.digits(0), b"1205");
        assert_eq!(c.digits(2), b"33");
    }

    #[test]
    fn keeps_the_first_of_each_number_in_order_across_loads() {
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        let mut c = Catalog::new();
        assert_eq!(c.extend(vec![r("+1"), r("+2"), r("+1"), r(""), r("+3"), r(""), r("+2")]), 0..5);
        let numbers = |c: &Catalog| c.records().iter().map(|r| r.phone_number.to_string()).collect::<Vec<_>>();
        assert_eq!(numbers(&c), ["+1", "+2", "", "+3", ""], "records without a number are all kept");
        assert_eq!(c.duplicates(), 2);
        assert_eq!(c.extend(vec![r("+3"), r("+4"), r("+4"), r("+1"), r("+5")]), 5..7);
        assert_eq!(numbers(&c), ["+1", "+2", "", "+3", "", "+4", "+5"]);
        assert_eq!(c.duplicates(), 5);
        for i in 0..c.len() {
            let want: Vec<u8> = c.get(i).phone_number.bytes().filter(u8::is_ascii_digit).collect();
            assert_eq!(c.digits(i), want);
        }
        // Large loads, in pieces and whole, agree.
        let many: Vec<_> = (0..50_000).map(|i| r(&format!("+1205{:07}", i % 40_000))).collect();
        let whole = Catalog::from_records(many.clone());
        let mut pieces = Catalog::new();
        for chunk in many.chunks(777) {
            pieces.extend(chunk.to_vec());
        }
        assert_eq!(whole.len(), 40_000);
        assert_eq!(whole.records(), pieces.records());
        assert_eq!(whole.duplicates(), 10_000);
        assert_eq!(whole.pieces, pieces.pieces, "the same index, however the records came");
        // A load after a bulk one still finds the numbers of both.
        let mut later = whole.clone();
        let more = vec![r("+12050000001"), r("+19999"), r("+19999"), r("+12050039999"), r("")];
        assert_eq!(later.extend(more.clone()), 40_000..40_002);
        pieces.extend(more);
        assert_eq!(later.records(), pieces.records());
        assert_eq!(later.duplicates(), pieces.duplicates());
        assert_eq!(later.extend(vec![r("+19999"), r("+12050000002")]), 40_002..40_002);
    }

    #[test]
    fn word_text_is_kept_lowercase_and_the_same_however_records_come() {
        use crate::numbers::record::Owner;
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        let owned = |n: &str, first: &str, last: &str, ext: Option<&str>| {
            let mut rec = r(n);
            let owner = Owner {
                owner_type: Some("PEOPLE".into()),
                first_name: Some(first.into()),
                last_name: Some(last.into()),
                ..Owner::default()
            };
            rec.set_owner(Some(owner));
            rec.set_extension(ext);
            rec
        };
        // No words at all: none kept, every text empty.
        let plain = Catalog::from_records((0..70_000).map(|i| r(&format!("+1205{i:07}"))).collect());
        assert!(plain.pieces.iter().all(|p| p.words.is_empty() && p.word_ends.is_empty()));
        assert!((0..plain.len()).all(|i| plain.words(i).is_empty()));
        // Words arriving after records without any.
        let mut c = plain.clone();
        c.extend(vec![owned("+33100000001", "Zoë", "ÅSTRÖM", Some("12")), r("+33100000002")]);
        assert_eq!(c.words(70_000), "zoë åström person 12");
        assert_eq!(c.words(69_999), "");
        assert_eq!(c.words(70_001), "");
        // Large loads, whole and in pieces, with names in several scripts.
        let names = [("Ada", "Lovelace"), ("Zürich", "Hall"), ("東京", "太郎"), ("🦀", "Crab"), ("ΣΊΣΥΦΟΣ", "Ω")];
        let many: Vec<_> = (0..70_000)
            .map(|i| match i % 3 {
                0 => r(&format!("+1205{i:07}")),
                _ => {
                    let (f, l) = names[i % names.len()];
                    owned(&format!("+1205{i:07}"), f, l, (i % 2 == 0).then_some("4711"))
                }
            })
            .collect();
        let whole = Catalog::from_records(many.clone());
        let mut pieces = Catalog::new();
        for chunk in many.chunks(999) {
            pieces.extend(chunk.to_vec());
        }
        assert_eq!(whole.pieces, pieces.pieces, "the same index, however the records came");
        for i in 0..whole.len() {
            let rec = whole.get(i);
            let mut want = String::new();
            if let Some(o) = rec.owner() {
                want = format!("{} person", o.given_name().unwrap().to_lowercase());
            }
            if let Some(e) = rec.extension() {
                want = format!("{want} {e}");
            }
            assert_eq!(whole.words(i), want, "record {i}");
        }
        assert_eq!(whole.words(1), "zürich hall person");
        assert_eq!(whole.words(2), "東京 太郎 person 4711");
        assert_eq!(whole.words(4), "σίσυφος ω person 4711", "a final sigma, as the whole text lowercased");
        for i in 0..whole.len() {
            let want: Vec<u8> = whole.get(i).extension().unwrap_or("").bytes().filter(u8::is_ascii_digit).collect();
            assert_eq!(whole.extension_digits(i), Some(&want[..]), "record {i}");
            assert_eq!(pieces.extension_digits(i), Some(&want[..]), "record {i}");
            let number: Vec<u8> = whole.get(i).phone_number.bytes().filter(u8::is_ascii_digit).collect();
            assert_eq!(whole.digits(i), number, "record {i}");
        }
    }

    #[test]
    fn numbers_in_order_need_no_search_for_duplicates_and_the_rest_still_get_one() {
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        let sorted: Vec<_> = (0..40_000).map(|i| r(&format!("+1205{i:07}"))).collect();
        assert!(ascending(&sorted));
        let c = Catalog::from_records(sorted.clone());
        assert_eq!((c.len(), c.duplicates()), (40_000, 0));
        // One number again at the end, one in the middle, one record without a number: each
        // breaks the order, and the search for duplicates finds what it must.
        for (at, rec) in [(40_000, r("+12050039999")), (20_000, r("+12050000005")), (20_000, r(""))] {
            let mut records = sorted.clone();
            records.insert(at, rec.clone());
            assert!(!ascending(&records));
            let c = Catalog::from_records(records);
            let dup = usize::from(!rec.phone_number.is_empty());
            assert_eq!((c.len(), c.duplicates()), (40_001 - dup, dup), "{rec:?} at {at}");
        }
    }

    #[test]
    fn duplicates_across_blocks_are_found_as_one_table_would() {
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        // Three blocks and more; numbers repeated near and far, and records without a number.
        let records: Vec<_> = (0..200_000u64)
            .map(|i| match i % 11 {
                0 => r(""),
                _ => r(&format!("+1205{:07}", (i * 7_919) % 150_000)),
            })
            .collect();
        let mut seen = std::collections::HashSet::new();
        let want: Vec<u32> = (0..records.len() as u32)
            .filter(|&i| {
                let n = records[i as usize].identity();
                !n.is_empty() && !seen.insert(n.to_string())
            })
            .collect();
        assert!(want.len() > 10_000);
        assert_eq!(bulk_duplicates(&records, &Default::default()), want);
    }

    #[test]
    fn invalid_records_are_found_by_range() {
        let r = |n: &str| NumberRecord::new(n, State::Active, false, false, false);
        // Every 37th record is not a plausible number.
        let records: Vec<_> =
            (0..5_000).map(|i| if i % 37 == 5 { r(&format!("bad{i}")) } else { r(&format!("+1205{i:07}")) }).collect();
        let c = Catalog::from_records(records);
        let want = |range: Range<usize>| range.filter(|&i| !c.get(i).is_pickable()).collect::<Vec<_>>();
        for range in [0..5_000, 0..0, 5..6, 6..64, 63..65, 100..4_999, 4_990..9_000, 9_000..9_500] {
            assert_eq!(
                c.invalid_in(range.clone()).collect::<Vec<_>>(),
                want(range.start.min(5_000)..range.end.min(5_000)),
                "{range:?}"
            );
        }
        assert_eq!(c.invalid_in(0..5_000).count(), c.invalid_count());
        let clean = Catalog::from_records(vec![r("+12056350001")]);
        assert_eq!(clean.invalid_in(0..1).count(), 0);
    }

    #[test]
    fn digits_are_kept_as_the_filter_keeps_them() {
        for text in ["+12056350001", "12056350001", "+1 205 635", "+1+2", "++1", "+", "", "x1y2", "1234", "٣"] {
            let mut out = b"9".to_vec();
            push_digits(&mut out, text);
            let mut want = b"9".to_vec();
            want.extend(text.bytes().filter(u8::is_ascii_digit));
            assert_eq!(out, want, "{text:?}");
        }
    }

    #[test]
    fn extension_digits_sit_beside_the_numbers() {
        let r = |n: &str, ext: Option<&str>| {
            let mut rec = NumberRecord::new(n, State::Active, false, false, false);
            rec.set_extension(ext);
            rec
        };
        let long = "7".repeat(300);
        let mut c = Catalog::new();
        c.extend(vec![r("+12056350001", None), r("+12056350002", None)]);
        assert!(c.pieces.iter().all(|p| p.ext_lens.is_empty()), "none kept while no record has an extension");
        assert_eq!(c.extension_digits(1), Some(&b""[..]));
        c.extend(vec![
            r("+12056350003", Some("12-34")),
            r("+12056350004", Some("x")),
            r("+12056350005", Some(&long)),
            r("+33 1 00", Some("٣٤ 56")),
            r("+12056350007", None),
        ]);
        assert_eq!(c.extension_digits(0), Some(&b""[..]));
        assert_eq!(c.extension_digits(2), Some(&b"1234"[..]));
        assert_eq!(c.extension_digits(3), Some(&b""[..]), "an extension without digits");
        assert_eq!(c.extension_digits(4), None, "too long to keep here: read from the record");
        assert_eq!(c.extension_digits(5), Some(&b"56"[..]), "ASCII digits only, as the number's");
        assert_eq!(c.extension_digits(6), Some(&b""[..]));
        for (i, n) in
            ["12056350001", "12056350002", "12056350003", "12056350004", "12056350005", "33100", "12056350007"]
                .iter()
                .enumerate()
        {
            assert_eq!(c.digits(i), n.as_bytes(), "record {i}");
        }
    }
}
