//! The state and type filters, shared by `--filter` mode and the picker.

use crate::numbers::record::{NumberRecord, State};

/// Which states are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, clap::ValueEnum)]
pub enum StateFilter {
    #[default]
    #[value(skip)]
    All,
    Active,
    Inactive,
}

impl StateFilter {
    pub fn admits(self, r: &NumberRecord) -> bool {
        match self {
            StateFilter::All => true,
            StateFilter::Active => r.state == State::Active,
            StateFilter::Inactive => r.state == State::Inactive,
        }
    }
    /// all -> active -> inactive -> all
    pub fn next(self) -> Self {
        match self {
            StateFilter::All => StateFilter::Active,
            StateFilter::Active => StateFilter::Inactive,
            StateFilter::Inactive => StateFilter::All,
        }
    }
    /// The API's `state` value (the inventory's query parameter); none for all.
    pub fn api_value(self) -> Option<&'static str> {
        match self {
            StateFilter::All => None,
            StateFilter::Active => Some("ACTIVE"),
            StateFilter::Inactive => Some("INACTIVE"),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StateFilter::All => "all",
            StateFilter::Active => "active",
            StateFilter::Inactive => "inactive",
        }
    }
}

pub use crate::numbers::kinds::NumberKind;

fn bit(k: NumberKind) -> u8 {
    1 << k as u8
}

/// Which kinds are listed: a number is listed when it is of any kind in the set; the empty set
/// lists everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TypeFilter(u8);

impl TypeFilter {
    pub fn of(kinds: &[NumberKind]) -> Self {
        TypeFilter(kinds.iter().fold(0, |acc, &k| acc | bit(k)))
    }
    pub fn is_all(self) -> bool {
        self.0 == 0
    }
    pub fn admits(self, r: &NumberRecord) -> bool {
        self.0 == 0 || NumberKind::ALL.iter().any(|&k| self.0 & bit(k) != 0 && k.holds(r))
    }
    /// all -> each `--type` kind in turn (service, standard, toll-free, main) -> all; a set of
    /// several goes to all.
    pub fn next(self) -> Self {
        let kinds = self.kinds();
        match kinds.as_slice() {
            [] => NumberKind::types().next().map_or_else(TypeFilter::default, |k| TypeFilter::of(&[k])),
            [k] => NumberKind::types()
                .skip_while(|x| x != k)
                .nth(1)
                .map_or_else(TypeFilter::default, |next| TypeFilter::of(&[next])),
            _ => TypeFilter::default(),
        }
    }
    /// The next filter of the cycle ([`next`](Self::next)) that lets through at least one
    /// number: kinds for which `count` is 0 are skipped.
    pub fn next_held(self, count: impl Fn(NumberKind) -> usize) -> Self {
        let mut next = self.next();
        while let [k] = next.kinds().as_slice()
            && count(*k) == 0
        {
            next = next.next();
        }
        next
    }
    pub fn kinds(self) -> Vec<NumberKind> {
        NumberKind::ALL.into_iter().filter(|&k| self.0 & bit(k) != 0).collect()
    }
    pub fn label(self) -> String {
        if self.is_all() {
            return "all".into();
        }
        self.kinds().iter().map(|k| k.label()).collect::<Vec<_>>().join("|")
    }
}

#[cfg(test)]
mod cycle_tests {
    use super::*;

    #[test]
    fn the_type_cycle_skips_kinds_without_numbers() {
        let none_but = |held: &'static [NumberKind]| move |k: NumberKind| usize::from(held.contains(&k));
        let count = none_but(&[NumberKind::Standard, NumberKind::Mobile]);
        let mut seen = Vec::new();
        let mut f = TypeFilter::default();
        for _ in 0..4 {
            f = f.next_held(count);
            seen.push(f.label());
        }
        assert_eq!(seen, ["standard", "mobile", "all", "standard"]);
        assert_eq!(TypeFilter::default().next_held(|_| 0).label(), "all");
    }
}

/// Both filters together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Filters {
    pub state: StateFilter,
    pub types: TypeFilter,
}

impl Filters {
    pub fn admits(&self, r: &NumberRecord) -> bool {
        self.state.admits(r) && self.types.admits(r)
    }
    pub fn is_all(&self) -> bool {
        self.state == StateFilter::All && self.types.is_all()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles() {
        let mut s = StateFilter::All;
        let seen: Vec<_> = (0..3)
            .map(|_| {
                s = s.next();
                s.label()
            })
            .collect();
        assert_eq!(seen, ["active", "inactive", "all"]);
        let mut t = TypeFilter::default();
        let seen: Vec<_> = (0..6)
            .map(|_| {
                t = t.next();
                t.label()
            })
            .collect();
        assert_eq!(seen, ["service", "standard", "toll-free", "main", "mobile", "all"]);
        assert_eq!(TypeFilter::of(&[NumberKind::Main, NumberKind::Service]).next(), TypeFilter::default());
    }

    #[test]
    fn admits_any_kind_in_the_set() {
        let main_std = NumberRecord::new("+1", State::Inactive, true, false, false);
        assert!(TypeFilter::of(&[NumberKind::Service, NumberKind::Main]).admits(&main_std));
        assert!(!TypeFilter::of(&[NumberKind::Service]).admits(&main_std));
        assert!(TypeFilter::of(&[NumberKind::Standard]).admits(&main_std));
        assert!(!StateFilter::Active.admits(&main_std));
    }
}
