//! `--multi`: the numbers marked with Tab, as catalog indices. A mark is on a record, not on a
//! row of the results, so it survives new queries and filters, and a number the query hides
//! stays marked and is still printed.

use std::collections::{BTreeSet, HashSet};

use crate::numbers::catalog::Catalog;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Marks {
    /// Marking is on (`--multi`): else Tab and Shift-Tab only move.
    pub on: bool,
    /// The most marks allowed (`--multi=MAX`); `None`: no limit.
    pub max: Option<usize>,
    /// Catalog indices, so that iterating gives the list's own (catalog) order.
    marked: BTreeSet<u32>,
}

/// Why a record was not marked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// `MAX` marks already.
    Full(usize),
}

impl Marks {
    /// Marking on, with at most `max` marks (`None`: no limit).
    pub fn new(max: Option<usize>) -> Self {
        Marks { on: true, max, marked: BTreeSet::new() }
    }

    /// Marking off: one pick, Tab moves.
    pub fn off() -> Self {
        Marks::default()
    }

    /// Marking on, with the same limit and no marks (another location's list).
    pub fn cleared(&self) -> Self {
        Marks { on: self.on, max: self.max, marked: BTreeSet::new() }
    }

    pub fn len(&self) -> usize {
        self.marked.len()
    }

    pub fn is_empty(&self) -> bool {
        self.marked.is_empty()
    }

    pub fn contains(&self, i: u32) -> bool {
        self.marked.contains(&i)
    }

    /// Marks record `i`, or unmarks it when it is marked (Tab toggles, as in fzf).
    pub fn toggle(&mut self, i: u32) -> Result<(), Refused> {
        if self.marked.remove(&i) {
            return Ok(());
        }
        match self.max {
            Some(max) if self.marked.len() >= max => Err(Refused::Full(max)),
            _ => {
                self.marked.insert(i);
                Ok(())
            }
        }
    }

    /// Unmarks record `i` (Shift-Tab: it never marks).
    pub fn unmark(&mut self, i: u32) {
        self.marked.remove(&i);
    }

    /// The marked records in the list's order (the order they were loaded in, not the order of
    /// the current matches).
    pub fn in_list_order(&self) -> Vec<u32> {
        self.marked.iter().copied().collect()
    }

    /// The status line's count: `3 marked`, or `3/5 marked` under a limit.
    pub fn label(&self) -> String {
        match self.max {
            Some(max) => format!("{}/{max} marked", self.len()),
            None => format!("{} marked", self.len()),
        }
    }

    /// Keeps the marks across a catalog that replaces `old` (a list loaded again): each marked
    /// number is marked again where `new` holds it; returns how many numbers `new` no longer has.
    pub fn remap(&mut self, old: &Catalog, new: &Catalog) -> usize {
        if self.marked.is_empty() {
            return 0;
        }
        let numbers: HashSet<&str> = self.marked.iter().map(|&i| &*old.get(i as usize).phone_number).collect();
        let marked: BTreeSet<u32> =
            (0..new.len()).filter(|&i| numbers.contains(&*new.get(i).phone_number)).map(|i| i as u32).collect();
        let gone = self.marked.len() - marked.len();
        self.marked = marked;
        gone
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::{NumberRecord, State};

    fn catalog(numbers: &[&str]) -> Catalog {
        Catalog::from_records(
            numbers.iter().map(|n| NumberRecord::new(n, State::Active, false, false, false)).collect(),
        )
    }

    #[test]
    fn tab_toggles_and_the_limit_refuses_one_more() {
        let mut m = Marks::new(Some(2));
        assert_eq!((m.toggle(5), m.toggle(1)), (Ok(()), Ok(())));
        assert_eq!(m.toggle(3), Err(Refused::Full(2)));
        assert_eq!(m.in_list_order(), [1, 5], "catalog order, not the order of marking");
        assert_eq!(m.label(), "2/2 marked");
        assert_eq!(m.toggle(5), Ok(()), "a marked record unmarks even at the limit");
        m.unmark(3);
        m.unmark(1);
        assert_eq!((m.in_list_order(), m.label()), (vec![], "0/2 marked".to_string()));
    }

    #[test]
    fn marks_follow_their_numbers_into_a_new_catalog() {
        let old = catalog(&["+12056350001", "+12056350002", "+12056350003"]);
        let new = catalog(&["+12056350009", "+12056350003", "+12056350001"]);
        let mut m = Marks::new(None);
        for i in [0, 1, 2] {
            m.toggle(i).unwrap();
        }
        assert_eq!(m.remap(&old, &new), 1, "+12056350002 is gone");
        assert_eq!(m.in_list_order(), [1, 2]);
        assert_eq!(m.label(), "2 marked");
    }
}
