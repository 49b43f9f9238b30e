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

/// The texts a [`Rare`] packs, by index.
pub(super) const EXTENSION: usize = 0;
const OWNER_ID: usize = 1;
const OWNER_TYPE: usize = 2;
const FIRST_NAME: usize = 3;
const LAST_NAME: usize = 4;
const DISPLAY_NAME: usize = 5;
pub(super) const STATE_TEXT: usize = 6;
pub(super) const TYPE_TEXT: usize = 7;
const TEXTS: usize = 8;
/// In the header: the record has an owner (which may have no text at all).
const HAS_OWNER: u16 = 1 << TEXTS;

/// An owner's five texts as [`Rare::set_owner_texts`] takes them: id, type, first, last and
/// display name.
pub(super) type OwnerTexts<'a> = [Option<&'a str>; 5];

/// What few records carry: extension, owner, unknown enum texts, location, unknown fields and
/// why the record could not be read.
#[derive(Clone, Default)]
pub struct Rare {
    /// A two-byte header (bit `k` set when text `k` is there, and [`HAS_OWNER`]), then for each
    /// text there, in index order, its length (LEB128) and its UTF-8 bytes. Empty: no text.
    packed: Box<[u8]>,
    /// What even fewer records have; `None` when all of it is empty.
    more: Option<Box<More>>,
}

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

impl Rare {
    fn header(&self) -> u16 {
        match *self.packed {
            [a, b, ..] => u16::from_le_bytes([a, b]),
            _ => 0,
        }
    }

    /// Every text, decoded at once.
    fn texts(&self) -> [Option<&str>; TEXTS] {
        let mut out = [None; TEXTS];
        let header = self.header();
        let mut at = 2;
        for (k, slot) in out.iter_mut().enumerate() {
            if header & (1 << k) != 0 {
                let (len, after) = read_len(&self.packed, at);
                *slot = Some(utf8(&self.packed[after..after + len]));
                at = after + len;
            }
        }
        out
    }

    /// Text `k`, if it is there.
    pub(super) fn text(&self, k: usize) -> Option<&str> {
        let header = self.header();
        if header & (1 << k) == 0 {
            return None;
        }
        let mut at = 2;
        for j in 0..k {
            if header & (1 << j) != 0 {
                let (len, after) = read_len(&self.packed, at);
                at = after + len;
            }
        }
        let (len, after) = read_len(&self.packed, at);
        Some(utf8(&self.packed[after..after + len]))
    }

    fn pack(&mut self, texts: [Option<&str>; TEXTS], owner: bool) {
        let mut header = if owner { HAS_OWNER } else { 0 };
        let mut size = 2;
        for (k, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                header |= 1 << k;
                size += len_size(t.len()) + t.len();
            }
        }
        if header == 0 {
            self.packed = Box::default();
            return;
        }
        let mut out = Vec::with_capacity(size);
        out.extend_from_slice(&header.to_le_bytes());
        for t in texts.into_iter().flatten() {
            write_len(&mut out, t.len());
            out.extend_from_slice(t.as_bytes());
        }
        self.packed = out.into_boxed_slice();
    }

    /// Sets text `k` (one of the texts that are not the owner's).
    pub(super) fn set_text(&mut self, k: usize, value: Option<&str>) {
        let owner = self.has_owner();
        let mut texts = self.texts();
        texts[k] = value;
        let texts = texts.map(|t| t.map(str::to_owned));
        self.pack(texts.each_ref().map(|t| t.as_deref()), owner);
    }

    /// Sets the extension and the owner's texts at once (`owner` `None`: no owner), keeping the
    /// other texts.
    pub(super) fn set_texts(&mut self, extension: Option<&str>, owner: Option<OwnerTexts<'_>>) {
        let old = self.texts();
        let (state, kind) = (old[STATE_TEXT].map(str::to_owned), old[TYPE_TEXT].map(str::to_owned));
        let o = owner.unwrap_or_default();
        let texts = [extension, o[0], o[1], o[2], o[3], o[4], state.as_deref(), kind.as_deref()];
        self.pack(texts, owner.is_some());
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

    /// Changes what the second box holds, and drops it when it is left empty.
    fn more_with(&mut self, change: impl FnOnce(&mut More)) {
        let mut more = self.more.take().unwrap_or_default();
        change(&mut more);
        if !more.is_empty() {
            self.more = Some(more);
        }
    }

    pub(super) fn location(&self) -> Option<&NumberLocation> {
        self.more.as_ref()?.location.as_ref()
    }
    pub(super) fn set_location(&mut self, location: Option<NumberLocation>) {
        self.more_with(|m| m.location = location);
    }
    pub(super) fn extra(&self) -> &Map<String, Value> {
        self.more.as_ref().map_or(&NO_FIELDS, |m| &m.extra)
    }
    pub(super) fn extra_mut(&mut self) -> &mut Map<String, Value> {
        &mut self.more.get_or_insert_with(Box::default).extra
    }
    pub(super) fn fault(&self) -> Option<&Fault> {
        self.more.as_ref()?.fault.as_ref()
    }
    pub(super) fn set_fault(&mut self, fault: Fault) {
        self.more_with(|m| m.fault = Some(fault));
    }

    /// Whether it holds nothing at all.
    pub(super) fn is_empty(&self) -> bool {
        self.header() == 0 && self.more.as_ref().is_none_or(|m| m.is_empty())
    }
}

impl PartialEq for Rare {
    fn eq(&self, other: &Self) -> bool {
        let more = |r: &Rare| r.more.as_deref().filter(|m| !m.is_empty()).cloned();
        self.header() == other.header() && self.packed == other.packed && more(self) == more(other)
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
            .field("more", &self.more)
            .finish()
    }
}

/// A packed text's bytes as the `&str` they were written from.
fn utf8(bytes: &[u8]) -> &str {
    // SAFETY: `pack` is the only writer of `packed`: each text is written whole from a `&str`
    // behind its length, and readers slice exactly those bytes by that length.
    debug_assert!(std::str::from_utf8(bytes).is_ok());
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

/// The length of a text, as LEB128 from `at`: the length and where the text starts.
fn read_len(packed: &[u8], mut at: usize) -> (usize, usize) {
    let mut len = 0usize;
    let mut shift = 0;
    loop {
        let b = packed[at];
        at += 1;
        len |= usize::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
            return (len, at);
        }
        shift += 7;
    }
}

fn write_len(out: &mut Vec<u8>, mut len: usize) {
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn len_size(len: usize) -> usize {
    (usize::BITS - len.max(1).leading_zeros()).div_ceil(7) as usize
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
        self.rare.more.as_ref().map_or(&NO_FIELDS, |m| &m.owner_extra)
    }

    /// The names, as [`Owner`]'s methods read them.
    fn names(&self) -> super::Names<'a> {
        let t = self.rare.texts();
        super::Names { display: t[DISPLAY_NAME], first: t[FIRST_NAME], last: t[LAST_NAME], kind: t[OWNER_TYPE] }
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
    /// Writes the owner's lowercase name and type in words into `out` (the catalog's word text),
    /// without building the name first.
    pub(crate) fn push_words(&self, out: &mut String) {
        self.names().push_words(out);
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
        r.pack(texts, true);
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
            let mut out = vec![9];
            write_len(&mut out, len);
            assert_eq!(out.len(), 1 + len_size(len), "{len}");
            assert_eq!(read_len(&out, 1), (len, out.len()), "{len}");
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
        assert!(r.more.is_none());
    }
}
