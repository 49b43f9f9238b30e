//! The kinds of number, in one table: what each one is (a predicate over a record), the words
//! that name it in a query, whether `--type` takes it (and its help there), and its badge in a
//! row of the picker. The filters, the query parser and the picker's rows all read [`KINDS`]:
//! a new kind, or a kind becoming a `--type` value, is one row.

use clap::builder::PossibleValue;

use crate::numbers::record::{NumberRecord, State, TelephonyType};

/// One kind of number (or attribute a query can ask for). The order is that of [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberKind {
    Active,
    Inactive,
    Service,
    Standard,
    TollFree,
    Main,
    Mobile,
    Pstn,
}

/// A badge shown in a row of the picker for numbers of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Badge {
    /// On a wide row.
    pub label: &'static str,
    /// On a narrow row.
    pub short: &'static str,
}

/// What the table says about one kind.
pub struct KindInfo {
    pub kind: NumberKind,
    /// Whether a record is of this kind.
    pub holds: fn(&NumberRecord) -> bool,
    /// The words naming it in a query; the first is its name (in `--type`, in the filter's
    /// label). A prefix of three letters or more of any of them names it too (the first kind in
    /// the table that has such a word wins).
    pub words: &'static [&'static str],
    /// The help of its `--type` value, when `--type` takes it.
    pub type_help: Option<&'static str>,
    /// Its badge, when rows show one.
    pub badge: Option<Badge>,
}

/// Every kind, once. The order is that of the query words' priority, of `--type`'s values and
/// of the picker's Ctrl-T cycle, and of the badges in a row.
pub const KINDS: [KindInfo; 8] = [
    KindInfo {
        kind: NumberKind::Active,
        holds: |r| r.state == State::Active,
        words: &["active"],
        type_help: None,
        badge: None,
    },
    KindInfo {
        kind: NumberKind::Inactive,
        holds: |r| r.state == State::Inactive,
        words: &["inactive"],
        type_help: None,
        badge: None,
    },
    KindInfo {
        kind: NumberKind::Service,
        holds: NumberRecord::is_service_number,
        words: &["service"],
        type_help: Some("isServiceNumber: high-utilization numbers"),
        badge: Some(Badge { label: "service", short: "svc" }),
    },
    KindInfo {
        kind: NumberKind::Standard,
        holds: |r| !r.is_service_number(),
        words: &["standard"],
        type_help: Some("not a service number"),
        badge: Some(Badge { label: "standard", short: "std" }),
    },
    KindInfo {
        kind: NumberKind::TollFree,
        holds: NumberRecord::is_toll_free,
        words: &["toll-free", "tollfree", "free"],
        type_help: Some("tollFreeNumber"),
        badge: Some(Badge { label: "toll-free", short: "toll" }),
    },
    KindInfo {
        kind: NumberKind::Main,
        holds: NumberRecord::is_main_number,
        words: &["main"],
        type_help: Some("isMainNumber: the location's main number (CLID)"),
        badge: Some(Badge { label: "main", short: "main" }),
    },
    KindInfo {
        kind: NumberKind::Mobile,
        holds: |r| r.telephony_type == TelephonyType::Mobile,
        words: &["mobile"],
        type_help: Some("telephonyType MOBILE_NUMBER (the lists that hold them: person-primary, location-webex-go)"),
        badge: Some(Badge { label: "mobile", short: "mob" }),
    },
    KindInfo {
        kind: NumberKind::Pstn,
        holds: |r| r.telephony_type == TelephonyType::Pstn,
        words: &["pstn"],
        type_help: None,
        badge: None,
    },
];

/// How many kinds `--type` takes.
const TYPE_COUNT: usize = {
    let mut n = 0;
    let mut i = 0;
    while i < KINDS.len() {
        if KINDS[i].type_help.is_some() {
            n += 1;
        }
        i += 1;
    }
    n
};

/// The kinds `--type` takes, in the table's order.
const TYPE_KINDS: [NumberKind; TYPE_COUNT] = {
    let mut out = [NumberKind::Active; TYPE_COUNT];
    let (mut i, mut n) = (0, 0);
    while i < KINDS.len() {
        if KINDS[i].type_help.is_some() {
            out[n] = KINDS[i].kind;
            n += 1;
        }
        i += 1;
    }
    out
};

impl NumberKind {
    /// Every kind, in the table's order.
    pub const ALL: [NumberKind; 8] = {
        let mut all = [NumberKind::Active; 8];
        let mut i = 0;
        while i < KINDS.len() {
            all[i] = KINDS[i].kind;
            i += 1;
        }
        all
    };

    /// Its row of [`KINDS`].
    pub fn info(self) -> &'static KindInfo {
        &KINDS[self as usize]
    }

    /// Whether `r` is of this kind.
    pub fn holds(self, r: &NumberRecord) -> bool {
        (self.info().holds)(r)
    }

    /// Its name: `service`, `toll-free`, ...
    pub fn label(self) -> &'static str {
        self.info().words[0]
    }

    pub fn badge(self) -> Option<Badge> {
        self.info().badge
    }

    /// Whether `--type` (and the picker's type filter) takes it.
    pub fn is_type(self) -> bool {
        self.info().type_help.is_some()
    }

    /// The kinds `--type` takes, in order.
    pub fn types() -> impl Iterator<Item = NumberKind> {
        TYPE_KINDS.into_iter()
    }

    /// The kinds rows show a badge for, with the badge, in order.
    pub fn badges() -> impl Iterator<Item = (NumberKind, Badge)> {
        KINDS.iter().filter_map(|k| Some((k.kind, k.badge?)))
    }

    /// The kind a query word names: one of its words, or a prefix of three letters or more of
    /// one (any case).
    pub fn from_word(word: &str) -> Option<NumberKind> {
        if word.len() < 3 {
            return None;
        }
        let w = word.to_ascii_lowercase();
        KINDS.iter().find(|k| k.words.iter().any(|name| name.starts_with(&w))).map(|k| k.kind)
    }
}

/// `--type KIND`: the kinds with a `type_help` in [`KINDS`].
impl clap::ValueEnum for NumberKind {
    fn value_variants<'a>() -> &'a [Self] {
        &TYPE_KINDS
    }

    fn to_possible_value(&self) -> Option<PossibleValue> {
        self.info().type_help.map(|help| PossibleValue::new(self.label()).help(help))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_in_the_enums_order() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(k.kind as usize, i, "{:?}", k.kind);
        }
    }

    #[test]
    fn type_values_are_the_five_kinds() {
        use clap::ValueEnum;
        let names: Vec<_> = NumberKind::value_variants()
            .iter()
            .filter_map(|k| k.to_possible_value())
            .map(|v| v.get_name().to_string())
            .collect();
        assert_eq!(names, ["service", "standard", "toll-free", "main", "mobile"]);
        assert_eq!(NumberKind::from_str("toll-free", false), Ok(NumberKind::TollFree));
        assert!(NumberKind::from_str("active", false).is_err());
    }

    #[test]
    fn words() {
        assert_eq!(NumberKind::from_word("free"), Some(NumberKind::TollFree));
        assert_eq!(NumberKind::from_word("TOLL"), Some(NumberKind::TollFree));
        assert_eq!(NumberKind::from_word("act"), Some(NumberKind::Active));
        assert_eq!(NumberKind::from_word("ma"), None);
        assert_eq!(NumberKind::from_word("mob"), Some(NumberKind::Mobile));
    }
}
