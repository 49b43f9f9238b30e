//! What few records carry, kept out of line and small: a million records of an owner list hold
//! six short texts each (extension, the owner's id, type and names), which as a `String` each
//! cost about 350 bytes a record in boxes and allocations. Here the texts of a record live in one
//! allocation, one after another, each behind its length; what is rarer still (a location,
//! unknown fields, a fault) sits in a second box that most records do not have.

use std::borrow::Cow;
use std::fmt;
use std::sync::LazyLock;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use serde_json::{Map, Value};

use super::{Fault, NumberLocation, Owner};

mod thin;

use thin::{HAS_OWNER, OWNER_TYPE, TEXTS, Thin};

/// The texts a [`Rare`] packs, by index.
pub(super) const EXTENSION: usize = 0;
const OWNER_ID: usize = 1;
const FIRST_NAME: usize = 3;
const LAST_NAME: usize = 4;
const DISPLAY_NAME: usize = 5;
pub(super) const STATE_TEXT: usize = 6;
pub(super) const TYPE_TEXT: usize = 7;

/// An owner's five texts as [`Rare::set_texts`] takes them: id, type, first, last and
/// display name.
pub(super) type OwnerTexts<'a> = [Option<&'a str>; 5];

/// What few records carry: extension, owner, unknown enum texts, location, unknown fields and
/// why the record could not be read.
///
/// One pointer wide, never null, over one allocation (see [`thin`]): a two-byte header (bit `k`
/// set when text `k` is there, [`HAS_OWNER`], and a few more), the pointer to the box of what
/// even fewer records have if there is one (none when all of it is empty), then for each text
/// there, in index order, its length (LEB128) and its UTF-8 bytes. Every change of a text, and
/// the box's coming and going, makes a new allocation.
#[derive(Clone)]
pub struct Rare(Thin);

#[derive(Clone, Default, PartialEq, Debug)]
struct More {
    location: Option<NumberLocation>,
    /// The record's unknown fields, in the order the server sent them.
    extra: Map<String, Value>,
    /// The owner's unknown fields.
    owner_extra: Map<String, Value>,
    fault: Option<Fault>,
}

impl More {
    fn is_empty(&self) -> bool {
        self.location.is_none() && self.extra.is_empty() && self.owner_extra.is_empty() && self.fault.is_none()
    }
}

static NO_FIELDS: LazyLock<Map<String, Value>> = LazyLock::new(Map::new);

/// An empty map of fields, for records without any.
pub(super) fn no_fields() -> &'static Map<String, Value> {
    &NO_FIELDS
}

impl Default for Rare {
    /// Nothing at all (still one small allocation: the two-byte header).
    fn default() -> Self {
        Rare(Thin::new(None, false, [None; TEXTS]))
    }
}

impl Rare {
    /// The extension and the owner's texts (`owner` `None`: no owner), in one allocation: what a
    /// record read from a server mostly carries.
    pub(super) fn from_texts(extension: Option<&str>, owner: Option<OwnerTexts<'_>>) -> Rare {
        let o = owner.unwrap_or_default();
        Rare(Thin::new(None, owner.is_some(), [extension, o[0], o[1], o[2], o[3], o[4], None, None]))
    }

    fn header(&self) -> u16 {
        self.0.header()
    }

    fn more(&self) -> Option<&More> {
        self.0.more()
    }

    /// Every text, decoded at once.
    fn texts(&self) -> [Option<&str>; TEXTS] {
        self.0.texts()
    }

    /// Text `k`, if it is there.
    pub(super) fn text(&self, k: usize) -> Option<&str> {
        self.0.text(k)
    }

    /// Sets text `k` (one of the texts that are not the owner's).
    pub(super) fn set_text(&mut self, k: usize, value: Option<&str>) {
        let mut new = [None; TEXTS];
        new[k] = Some(value);
        self.0.repack(self.has_owner(), new);
    }

    /// Sets the extension and the owner's texts at once (`owner` `None`: no owner), keeping the
    /// other texts.
    pub(super) fn set_texts(&mut self, extension: Option<&str>, owner: Option<OwnerTexts<'_>>) {
        let o = owner.unwrap_or_default();
        let new = [Some(extension), Some(o[0]), Some(o[1]), Some(o[2]), Some(o[3]), Some(o[4]), None, None];
        self.0.repack(owner.is_some(), new);
    }

    /// The extension, and the lowercase word text of the owner (name, type in words) and of
    /// the extension added to `out`: what the catalog keeps, from one read of the texts.
    pub(super) fn index_texts(&self, out: &mut String) -> Option<&str> {
        let t = self.texts();
        if self.has_owner() {
            names_in(&t).push_words(out);
        }
        if let Some(e) = t[EXTENSION] {
            out.push(' ');
            super::push_lowercase(out, e);
        }
        t[EXTENSION]
    }

    pub(super) fn extension(&self) -> Option<&str> {
        self.text(EXTENSION)
    }

    fn has_owner(&self) -> bool {
        self.header() & HAS_OWNER != 0
    }

    /// The owner, if the record has one.
    pub(super) fn owner(&self) -> Option<OwnerRef<'_>> {
        self.has_owner().then_some(OwnerRef { rare: self })
    }

    /// Sets the owner, keeping the extension.
    pub(super) fn set_owner(&mut self, owner: Option<Owner>) {
        let ext = self.extension().map(str::to_owned);
        match owner {
            Some(o) => {
                let texts = [
                    o.id.as_deref(),
                    o.owner_type.as_deref(),
                    o.first_name.as_deref(),
                    o.last_name.as_deref(),
                    o.display_name.as_deref(),
                ];
                self.set_texts(ext.as_deref(), Some(texts));
                self.more_with(|m| m.owner_extra = o.extra);
            }
            None => {
                self.set_texts(ext.as_deref(), None);
                self.more_with(|m| m.owner_extra = Map::new());
            }
        }
    }

    /// Changes what the box holds, and drops it when it is left empty.
    fn more_with(&mut self, change: impl FnOnce(&mut More)) {
        match self.0.more_mut() {
            Some(more) => {
                change(more);
                if more.is_empty() {
                    self.0.set_more(None);
                }
            }
            None => {
                let mut more = More::default();
                change(&mut more);
                if !more.is_empty() {
                    self.0.set_more(Some(Box::new(more)));
                }
            }
        }
    }

    pub(super) fn location(&self) -> Option<&NumberLocation> {
        self.more()?.location.as_ref()
    }
    pub(super) fn set_location(&mut self, location: Option<NumberLocation>) {
        self.more_with(|m| m.location = location);
    }
    pub(super) fn extra(&self) -> &Map<String, Value> {
        self.more().map_or(&NO_FIELDS, |m| &m.extra)
    }
    pub(super) fn extra_mut(&mut self) -> &mut Map<String, Value> {
        if self.more().is_none() {
            self.0.set_more(Some(Box::default()));
        }
        &mut self.0.more_mut().expect("the box was just made").extra
    }
    pub(super) fn fault(&self) -> Option<&Fault> {
        self.more()?.fault.as_ref()
    }
    pub(super) fn set_fault(&mut self, fault: Fault) {
        self.more_with(|m| m.fault = Some(fault));
    }

    /// Whether it holds nothing at all.
    pub(super) fn is_empty(&self) -> bool {
        self.0.texts_key().0 == 0 && self.more().is_none_or(|m| m.is_empty())
    }
}

impl PartialEq for Rare {
    /// The same texts (and owner or not), and the same rarer things, an emptied box being none.
    fn eq(&self, other: &Self) -> bool {
        fn more(r: &Rare) -> Option<&More> {
            r.more().filter(|m| !m.is_empty())
        }
        self.0.texts_key() == other.0.texts_key() && more(self) == more(other)
    }
}

impl fmt::Debug for Rare {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let t = self.texts();
        f.debug_struct("Rare")
            .field("extension", &t[EXTENSION])
            .field("owner", &self.owner())
            .field("state_text", &t[STATE_TEXT])
            .field("type_text", &t[TYPE_TEXT])
            .field("more", &self.more())
            .finish()
    }
}

/// The owner's names and type among a record's texts.
fn names_in<'a>(t: &[Option<&'a str>; TEXTS]) -> super::Names<'a> {
    super::Names { display: t[DISPLAY_NAME], first: t[FIRST_NAME], last: t[LAST_NAME], kind: t[OWNER_TYPE] }
}

/// A record's owner, read from where the record keeps it.
#[derive(Clone, Copy)]
pub struct OwnerRef<'a> {
    rare: &'a Rare,
}

impl<'a> OwnerRef<'a> {
    pub fn id(&self) -> Option<&'a str> {
        self.rare.text(OWNER_ID)
    }
    /// The owner's type as sent (`PEOPLE`, `PLACE`, ...).
    pub fn owner_type(&self) -> Option<&'a str> {
        self.rare.text(OWNER_TYPE)
    }
    pub fn first_name(&self) -> Option<&'a str> {
        self.rare.text(FIRST_NAME)
    }
    pub fn last_name(&self) -> Option<&'a str> {
        self.rare.text(LAST_NAME)
    }
    pub fn display_name(&self) -> Option<&'a str> {
        self.rare.text(DISPLAY_NAME)
    }
    /// The owner's fields this version does not know.
    pub fn extra(&self) -> &'a Map<String, Value> {
        self.rare.more().map_or(&NO_FIELDS, |m| &m.owner_extra)
    }

    /// The names, as [`Owner`]'s methods read them.
    fn names(&self) -> super::Names<'a> {
        names_in(&self.rare.texts())
    }

    /// See [`Owner::name`].
    pub fn name(&self) -> Option<String> {
        self.names().name()
    }
    /// See [`Owner::given_name`].
    pub fn given_name(&self) -> Option<String> {
        self.names().given_name()
    }
    /// See [`Owner::shown_name`].
    pub fn shown_name(&self, max: usize) -> Option<String> {
        self.names().shown_name(max)
    }
    /// See [`Owner::type_words`].
    pub fn type_words(&self) -> Option<Cow<'static, str>> {
        self.names().type_words()
    }

    /// The owner as an [`Owner`] of its own.
    pub fn to_owner(&self) -> Owner {
        let s = |t: Option<&str>| t.map(str::to_owned);
        Owner {
            id: s(self.id()),
            owner_type: s(self.owner_type()),
            first_name: s(self.first_name()),
            last_name: s(self.last_name()),
            display_name: s(self.display_name()),
            extra: self.extra().clone(),
        }
    }
}

impl fmt::Debug for OwnerRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        self.to_owner().fmt(f)
    }
}

impl PartialEq<Owner> for OwnerRef<'_> {
    fn eq(&self, other: &Owner) -> bool {
        self.to_owner() == *other
    }
}

impl Serialize for OwnerRef<'_> {
    /// As [`Owner`] is written: the known fields in order, then the unknown ones.
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (key, value) in [
            ("id", self.id()),
            ("type", self.owner_type()),
            ("firstName", self.first_name()),
            ("lastName", self.last_name()),
            ("displayName", self.display_name()),
        ] {
            if let Some(v) = value {
                m.serialize_entry(key, v)?;
            }
        }
        for (k, v) in self.extra() {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owner(
        id: Option<&str>,
        kind: Option<&str>,
        first: Option<&str>,
        last: Option<&str>,
        display: Option<&str>,
    ) -> Owner {
        let s = |t: Option<&str>| t.map(str::to_owned);
        Owner {
            id: s(id),
            owner_type: s(kind),
            first_name: s(first),
            last_name: s(last),
            display_name: s(display),
            extra: Map::new(),
        }
    }

    #[test]
    fn texts_come_back_as_set_in_any_order_and_length() {
        let long = "ß".repeat(70_000);
        let texts = [
            Some("1234"),
            None,
            Some(""),
            Some("Zürich"),
            Some("東京"),
            Some("🦀 crab"),
            Some(long.as_str()),
            Some("x"),
        ];
        let mut r = Rare::default();
        assert!(r.is_empty() && r.owner().is_none() && r.extension().is_none());
        r = Rare(Thin::new(None, true, texts));
        assert_eq!(r.texts(), texts);
        for (k, t) in texts.iter().enumerate() {
            assert_eq!(r.text(k), *t, "text {k}");
        }
        let o = r.owner().unwrap();
        assert_eq!((o.id(), o.owner_type(), o.first_name()), (None, Some(""), Some("Zürich")));
        assert_eq!((o.last_name(), o.display_name()), (Some("東京"), Some("🦀 crab")));
        assert_eq!(r.text(STATE_TEXT).map(str::len), Some(long.len()), "a length of three LEB128 bytes");
        // One text changed; the others stay.
        r.set_text(EXTENSION, None);
        assert_eq!(r.extension(), None);
        assert_eq!(r.text(TYPE_TEXT), Some("x"));
        assert_eq!(r.owner().unwrap().last_name(), Some("東京"));
        r.set_text(STATE_TEXT, None);
        r.set_text(TYPE_TEXT, None);
        r.set_owner(None);
        assert!(r.is_empty(), "{r:?}");
        assert_eq!(r, Rare::default());
    }

    #[test]
    fn lengths_round_trip_at_the_edges() {
        for len in [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, usize::MAX >> 1] {
            let mut out = [9; 12];
            let end = thin::write_len(&mut out, 1, len);
            assert_eq!(end, 1 + thin::len_size(len), "{len}");
            assert_eq!(thin::read_len(&out, 1), (len, end), "{len}");
        }
    }

    #[test]
    fn owners_read_as_they_were_given() {
        let mut r = Rare::default();
        r.set_text(EXTENSION, Some("42"));
        let mut ada = owner(Some("o1"), Some("PEOPLE"), Some("Ada"), Some("Lovelace"), None);
        ada.extra.insert("badge".into(), Value::from(7));
        r.set_owner(Some(ada.clone()));
        let o = r.owner().unwrap();
        assert_eq!(o, ada);
        assert_eq!(o.name().as_deref(), Some("Ada Lovelace"));
        assert_eq!(o.given_name(), ada.given_name());
        assert_eq!(o.type_words(), ada.type_words());
        assert_eq!(serde_json::to_string(&o).unwrap(), serde_json::to_string(&ada).unwrap());
        assert_eq!(r.extension(), Some("42"), "the extension stays");
        // An owner with no text at all is still an owner.
        r.set_owner(Some(Owner::default()));
        assert!(r.owner().is_some_and(|o| o.name().is_none() && o.extra().is_empty()));
        assert_eq!(r.extension(), Some("42"));
        // The display name wins; blank names are left out.
        r.set_owner(Some(owner(None, Some("PLACE"), Some(" "), Some("Hall"), Some(""))));
        assert_eq!(r.owner().unwrap().name().as_deref(), Some("Hall"));
        r.set_owner(Some(owner(None, Some("PLACE"), None, None, Some("Lobby 東京"))));
        assert_eq!(r.owner().unwrap().given_name().as_deref(), Some("Lobby 東京"));
    }

    #[test]
    fn the_second_box_comes_and_goes_with_what_it_holds() {
        let mut r = Rare::default();
        r.extra_mut().insert("x".into(), Value::from(1));
        assert_eq!(r.extra().len(), 1);
        r.extra_mut().clear();
        assert!(r.is_empty());
        assert_eq!(r, Rare::default(), "an emptied box compares as none");
        r.set_location(Some(NumberLocation { name: Some("Köln".into()), ..NumberLocation::default() }));
        assert_eq!(r.location().and_then(|l| l.name.as_deref()), Some("Köln"));
        r.set_location(None);
        assert!(r.more().is_none());
    }

    /// A text of `len` bytes, not all ASCII when it is long enough (`é` is two bytes).
    fn text_of(len: usize) -> String {
        let mut t = "é".repeat(len / 2);
        if len % 2 == 1 {
            t.push('x');
        }
        assert_eq!(t.len(), len);
        t
    }

    /// A rare part with all eight texts, an owner, and (when `more`) a location and unknown fields.
    fn full(texts: &[String; TEXTS], more: bool) -> Rare {
        let t = |k: usize| Some(texts[k].as_str());
        let mut r = Rare::from_texts(t(EXTENSION), Some([t(1), t(2), t(3), t(4), t(5)]));
        r.set_text(STATE_TEXT, t(STATE_TEXT));
        r.set_text(TYPE_TEXT, t(TYPE_TEXT));
        if more {
            r.set_location(Some(NumberLocation { name: Some("Zürich".into()), ..NumberLocation::default() }));
            r.extra_mut().insert("badge".into(), Value::from("東京"));
        }
        r
    }

    #[test]
    fn one_allocation_holds_texts_of_every_length_with_or_without_the_box() {
        // Lengths of one, two and three LEB128 bytes, at and around the edges, and 70,000 bytes.
        for len in [0, 1, 127, 128, 300, 16_383, 16_384, 70_000] {
            for more in [false, true] {
                let texts: [String; TEXTS] = std::array::from_fn(|k| text_of(len + k));
                let r = full(&texts, more);
                let want: [Option<&str>; TEXTS] = std::array::from_fn(|k| Some(texts[k].as_str()));
                assert_eq!(r.texts(), want, "{len} {more}");
                for (k, t) in want.iter().enumerate() {
                    assert_eq!(r.text(k), *t, "{len} {more} text {k}");
                }
                let size: usize = texts.iter().map(|t| thin::len_size(t.len()) + t.len()).sum();
                assert_eq!(r.0.texts_key().1.len(), size, "nothing but the header, the box and the texts");
                assert_eq!(r.more().is_some(), more);
                let copy = r.clone();
                assert_eq!(copy, r);
                assert_eq!(copy.texts(), want, "a clone has its own copy of every text");
                assert_eq!(copy.location(), r.location());
                assert_eq!(copy.extra(), r.extra());
                assert_ne!(copy.0.texts_key().1.as_ptr(), r.0.texts_key().1.as_ptr(), "a clone is a new allocation");
                drop(r);
                // The clone outlives the original: it reads its own bytes and box.
                assert_eq!(copy.texts(), want);
                assert_eq!(copy.location().and_then(|l| l.name.as_deref()), if more { Some("Zürich") } else { None });
                let o = copy.owner().unwrap();
                assert_eq!((o.id(), o.display_name()), (want[OWNER_ID], want[DISPLAY_NAME]));
            }
        }
    }

    #[test]
    fn equal_means_the_same_texts_owner_and_box_an_emptied_box_being_none() {
        let texts: [String; TEXTS] = std::array::from_fn(|k| format!("t{k} ünï"));
        let (plain, boxed) = (full(&texts, false), full(&texts, true));
        assert_eq!(plain, full(&texts, false));
        assert_eq!(boxed, full(&texts, true));
        assert_ne!(plain, boxed, "the box's contents count");
        let mut emptied = boxed.clone();
        emptied.set_location(None);
        emptied.extra_mut().clear();
        assert!(emptied.more().is_some(), "clearing the fields through extra_mut leaves the box");
        assert_eq!(emptied, plain, "an emptied box equals none");
        let shown = format!("{boxed:?}");
        assert!(shown.contains("t3 ünï") && shown.contains("Zürich") && shown.contains("badge"), "{shown}");
        assert!(format!("{plain:?}").ends_with("more: None }"), "{plain:?}");
        let mut other = plain.clone();
        other.set_text(TYPE_TEXT, Some("t7 ünÏ"));
        assert_ne!(other, plain, "one text differs");
        // An owner without texts is not the same as no owner, though both pack no owner text.
        let (owner, none) = (Rare::from_texts(Some("1"), Some([None; 5])), Rare::from_texts(Some("1"), None));
        assert_ne!(owner, none);
        assert!(owner.owner().is_some() && none.owner().is_none());
        // Built at once or text by text, it is the same.
        let mut stepwise = Rare::default();
        stepwise.set_text(EXTENSION, Some("1"));
        assert_eq!(stepwise, none);
        stepwise.set_owner(Some(Owner::default()));
        assert_eq!(stepwise, owner);
    }

    #[test]
    fn texts_change_without_losing_the_box() {
        let mut r = Rare::from_texts(Some("42"), None);
        r.set_fault(Fault { reason: "isMainNumber: invalid type".into(), raw: "{}".into() });
        r.extra_mut().insert("x".into(), Value::from(1));
        r.set_text(STATE_TEXT, Some(&"Ω".repeat(40_000)));
        r.set_owner(Some(owner(Some("o1"), None, Some("Ada"), None, None)));
        assert_eq!(r.fault().map(|f| &*f.reason), Some("isMainNumber: invalid type"));
        assert_eq!(r.extra().get("x"), Some(&Value::from(1)));
        assert_eq!(r.text(STATE_TEXT).map(str::len), Some(80_000));
        assert_eq!((r.extension(), r.owner().unwrap().first_name()), (Some("42"), Some("Ada")));
        r.set_texts(None, None);
        assert_eq!((r.extension(), r.owner().is_none()), (None, true));
        assert_eq!(r.text(STATE_TEXT).map(str::len), Some(80_000), "set_texts keeps the other texts");
        assert!(r.fault().is_some() && !r.is_empty());
    }

    #[test]
    fn known_owner_types_are_a_code_and_the_box_takes_room_only_when_there() {
        // A typical owner record: extension, type, first and last name, in glibc's smallest
        // chunk (24 bytes usable).
        let typical =
            Rare::from_texts(Some("39688"), Some([None, Some("PEOPLE"), Some("Margaret"), Some("Jones"), None]));
        assert_eq!(typical.0.texts_key().1.len(), 6 + 9 + 6, "the type is not stored as text");
        let o = typical.owner().unwrap();
        assert_eq!((o.owner_type(), o.first_name(), o.last_name()), (Some("PEOPLE"), Some("Margaret"), Some("Jones")));
        assert_eq!(typical.texts()[OWNER_TYPE], Some("PEOPLE"));
        // Unknown, empty and lowercase types stay text, and come back as sent.
        for kind in ["ROBOT", "", "people", "PEOPLE ", "COLLABORATE_BRIDGEX"] {
            let r = Rare::from_texts(None, Some([None, Some(kind), None, None, None]));
            assert_eq!(r.owner().unwrap().owner_type(), Some(kind));
            assert_eq!(r.0.texts_key().1.len(), 1 + kind.len(), "{kind:?} is text");
        }
        for kind in ["PLACE", "VIRTUAL_LINE", "COLLABORATE_BRIDGE", "BROADWORKS_ANYWHERE"] {
            let r = Rare::from_texts(None, Some([None, Some(kind), None, None, None]));
            assert_eq!((r.owner().unwrap().owner_type(), r.0.texts_key().1.len()), (Some(kind), 0));
            assert_ne!(r, Rare::from_texts(None, Some([None; 5])), "a coded type is still a type");
        }
        // Built at once or in steps, the same type compares equal however it got there.
        let mut stepwise = Rare::default();
        stepwise.set_owner(Some(owner(None, Some("ROBOT"), Some("Margaret"), Some("Jones"), None)));
        stepwise.set_text(EXTENSION, Some("39688"));
        stepwise.set_owner(Some(owner(None, Some("PEOPLE"), Some("Margaret"), Some("Jones"), None)));
        assert_eq!(stepwise, typical);
        // The box's pointer comes with the box and goes with it; the texts stay.
        stepwise.set_location(Some(NumberLocation { name: Some("Köln".into()), ..NumberLocation::default() }));
        assert_eq!(stepwise.texts(), typical.texts());
        assert_ne!(stepwise, typical);
        stepwise.set_text(STATE_TEXT, Some("RESERVED"));
        assert_eq!(stepwise.location().and_then(|l| l.name.as_deref()), Some("Köln"), "a repack keeps the box");
        stepwise.set_text(STATE_TEXT, None);
        stepwise.set_location(None);
        assert!(stepwise.more().is_none());
        assert_eq!(stepwise, typical);
        assert_eq!(stepwise.0.texts_key(), typical.0.texts_key());
    }
}
