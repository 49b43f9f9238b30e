//! Every number loaded so far, each once, with a digits-only index for matching.

use std::hash::BuildHasher;
use std::ops::Range;

use hashbrown::HashTable;

use crate::model::NumberRecord;

#[derive(Default, Clone)]
pub struct Catalog {
    records: Vec<NumberRecord>,
    /// The ASCII digits of every number, one after another.
    digits: Vec<u8>,
    /// Where each record's digits start in `digits`; one more entry than records.
    offsets: Vec<u32>,
    /// Record indices by number, to drop duplicates.
    by_number: HashTable<u32>,
    hasher: std::hash::RandomState,
    duplicates: usize,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "Catalog({} numbers)", self.records.len())
    }
}

impl Catalog {
    pub fn new() -> Self {
        Catalog { offsets: vec![0], ..Default::default() }
    }

    pub fn from_records(records: Vec<NumberRecord>) -> Self {
        let mut c = Catalog::new();
        c.extend(records);
        c
    }

    /// Adds records, dropping numbers already present; returns the range of the new indices.
    pub fn extend(&mut self, records: Vec<NumberRecord>) -> Range<usize> {
        let first = self.records.len();
        self.records.reserve(records.len());
        self.offsets.reserve(records.len());
        for rec in records {
            if !rec.phone_number.is_empty() {
                let h = self.hasher.hash_one(&*rec.phone_number);
                let recs = &self.records;
                if self.by_number.find(h, |&i| recs[i as usize].phone_number == rec.phone_number).is_some() {
                    self.duplicates += 1;
                    continue;
                }
                let hasher = &self.hasher;
                self.by_number
                    .insert_unique(h, recs.len() as u32, |&i| hasher.hash_one(&*recs[i as usize].phone_number));
            }
            self.digits.extend(rec.phone_number.bytes().filter(u8::is_ascii_digit));
            self.offsets.push(self.digits.len() as u32);
            self.records.push(rec);
        }
        first..self.records.len()
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
    pub fn records(&self) -> &[NumberRecord] {
        &self.records
    }
    /// The digits of record `i`'s number.
    pub fn digits(&self, i: usize) -> &[u8] {
        &self.digits[self.offsets[i] as usize..self.offsets[i + 1] as usize]
    }
    /// How many duplicate numbers were dropped.
    pub fn duplicates(&self) -> usize {
        self.duplicates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::State;

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
}
