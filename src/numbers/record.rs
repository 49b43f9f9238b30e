//! The record model: one available phone number as the Webex API describes it.
//!
//! The model is tolerant by design. Webex adds enum values over time, sibling endpoints add
//! fields (`extension`, `owner`), and saved responses may come from any of them, so:
//! unknown enum values are kept as text, missing booleans read as `false` (while remembering that
//! they were missing, so `--output json` reports only what the server sent), and unknown fields
//! are kept verbatim for `--output json`.
//!
//! The common fields live inline (the number too, see [`PhoneText`]); everything rare sits behind
//! one optional pointer to one allocation, its texts packed (see [`Rare`]), so that a million
//! records stay small: 32 bytes each, and for a record with an owner and an extension one
//! allocation of 23 bytes on average (heaptrack, the generated owner list): glibc's smallest
//! chunk, 32 bytes, for 93 % of them.

mod page;
mod parallel;
mod phone_text;
mod rare;
mod stream;

pub use page::{NumbersPage, ParseError, parse_page, parse_page_reader, parse_page_reader_plain};
pub use parallel::parse_file;
pub use phone_text::PhoneText;
pub use rare::{OwnerRef, Rare};

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A number's state. Values Webex may add later are kept in [`Rare::state_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum State {
    Active,
    Inactive,
    /// The field was absent or null.
    Missing,
    /// A value this version does not know; the text is in [`Rare::state_text`].
    Other,
}

/// A number's telephony type. Values Webex may add later are kept in [`Rare::type_text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TelephonyType {
    Pstn,
    Mobile,
    Missing,
    Other,
}

/// The owner of a number, as sibling endpoints of the same family report it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct Owner {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub owner_type: Option<String>,
    #[serde(rename = "firstName", default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(rename = "lastName", default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(rename = "displayName", default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Fields this version does not know, kept for `--output json` (within [`UNKNOWN_BUDGET`]).
    #[serde(flatten, deserialize_with = "bounded_extra")]
    pub extra: Map<String, Value>,
}

/// How many bytes of JSON (about) of unknown fields a record keeps, its owner's included: a
/// server that sends a large unknown field with every record must not make memory grow with
/// it. Fields past the budget are dropped, counted (see [`take_dropped_unknown`]) and logged.
pub const UNKNOWN_BUDGET: usize = 4 << 10;

thread_local! {
    /// Unknown fields dropped by parsing on this thread (a page is parsed on one thread; the
    /// parts of a large file add theirs to the thread that joins them).
    static DROPPED_UNKNOWN: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many unknown fields this thread dropped over [`UNKNOWN_BUDGET`] since the last call.
pub fn take_dropped_unknown() -> u64 {
    DROPPED_UNKNOWN.with(|d| d.replace(0))
}

/// Counts unknown fields dropped elsewhere (by the parts of a file) as this thread's.
fn add_dropped_unknown(n: u64) {
    DROPPED_UNKNOWN.with(|d| d.set(d.get() + n));
}

/// Keeps `value` in `extra` if `used` bytes plus its size stay within [`UNKNOWN_BUDGET`].
fn keep_unknown(extra: &mut Map<String, Value>, used: &mut usize, name: String, value: Value) {
    let size = name.len() + 4 + json_size(&value);
    if *used + size <= UNKNOWN_BUDGET {
        *used += size;
        extra.insert(name, value);
    } else {
        add_dropped_unknown(1);
    }
}

/// About how many bytes a value takes written as compact JSON.
fn json_size(v: &Value) -> usize {
    match v {
        Value::Null => 4,
        Value::Bool(_) => 5,
        Value::Number(_) => 8,
        Value::String(s) => s.len() + 2,
        Value::Array(a) => 2 + a.iter().map(|v| json_size(v) + 1).sum::<usize>(),
        Value::Object(o) => 2 + o.iter().map(|(k, v)| k.len() + 4 + json_size(v)).sum::<usize>(),
    }
}

/// An owner's unknown fields, within [`UNKNOWN_BUDGET`].
fn bounded_extra<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Map<String, Value>, D::Error> {
    struct Bounded;
    impl<'de> Visitor<'de> for Bounded {
        type Value = Map<String, Value>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let (mut extra, mut used) = (Map::new(), 0);
            while let Some((k, v)) = map.next_entry::<String, Value>()? {
                keep_unknown(&mut extra, &mut used, k, v);
            }
            Ok(extra)
        }
    }
    deserializer.deserialize_map(Bounded)
}

impl Owner {
    /// A human name for the owner: the display name, else first and last name, else the type.
    pub fn name(&self) -> Option<String> {
        self.names().name()
    }

    /// The name the owner was given: the display name, else first and last name (raw: sanitize
    /// before drawing).
    pub fn given_name(&self) -> Option<String> {
        self.names().given_name()
    }

    /// [`given_name`](Self::given_name) as drawn: escaped, on one line, at most `max`
    /// characters, and made from the names' first characters only (never a copy of a
    /// megabyte-long name).
    pub fn shown_name(&self, max: usize) -> Option<String> {
        self.names().shown_name(max)
    }

    /// The owner's type in words (`person`, `hunt group`, ...; see [`crate::numbers::owner_type`]).
    pub fn type_words(&self) -> Option<std::borrow::Cow<'static, str>> {
        self.names().type_words()
    }

    fn names(&self) -> Names<'_> {
        Names {
            display: self.display_name.as_deref(),
            first: self.first_name.as_deref(),
            last: self.last_name.as_deref(),
            kind: self.owner_type.as_deref(),
        }
    }
}

/// An owner's names and type, wherever they are kept: what [`Owner`] and [`OwnerRef`] make
/// names of.
struct Names<'a> {
    display: Option<&'a str>,
    first: Option<&'a str>,
    last: Option<&'a str>,
    kind: Option<&'a str>,
}

impl<'a> Names<'a> {
    fn name(&self) -> Option<String> {
        self.given_name().or_else(|| self.kind.map(str::to_owned))
    }

    fn given_name(&self) -> Option<String> {
        let parts = self.parts();
        (!parts.is_empty()).then(|| parts.join(" "))
    }

    fn shown_name(&self, max: usize) -> Option<String> {
        let max = max.min(crate::sanitize::LONGEST);
        let parts = self.parts();
        if parts.is_empty() {
            return None;
        }
        let starts: Vec<&str> = parts.iter().map(|p| crate::sanitize::start(p, max)).collect();
        Some(crate::sanitize::one_line(&starts.join(" "), max))
    }

    /// The display name, else the first and last names; blank ones left out.
    fn parts(&self) -> Vec<&'a str> {
        if let Some(d) = self.display.filter(|d| !d.trim().is_empty()) {
            return vec![d];
        }
        [self.first, self.last].into_iter().flatten().filter(|s| !s.trim().is_empty()).collect()
    }

    fn type_words(&self) -> Option<std::borrow::Cow<'static, str>> {
        self.kind.filter(|t| !t.is_empty()).map(crate::numbers::owner_type::words)
    }

    /// The given name and the type in words, lowercase, as the catalog keeps them for words to
    /// match: `ada lovelace person`.
    fn push_words(&self, out: &mut String) {
        let blank = |s: &&str| s.trim().is_empty();
        let names = match self.display.filter(|d| !blank(d)) {
            Some(d) => [Some(d), None],
            None => [self.first, self.last],
        };
        for (k, part) in names.into_iter().flatten().filter(|s| !blank(s)).enumerate() {
            if k > 0 {
                out.push(' ');
            }
            push_lowercase(out, part);
        }
        if let Some(t) = self.type_words() {
            // The type comes after a space even without a name, as it always did.
            out.push(' ');
            push_lowercase(out, &t);
        }
    }
}

/// `text` in lowercase, added to `out` (ASCII without allocating).
pub(crate) fn push_lowercase(out: &mut String, text: &str) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        out[start..].make_ascii_lowercase();
    } else {
        out.push_str(&text.to_lowercase());
    }
}

/// The location a number belongs to, as the number inventory (`GET /telephony/config/numbers`)
/// reports it.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
pub struct NumberLocation {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Fields this version does not know, kept for `--output json`.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Why a record could not be read, and its text as the server sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    /// What was wrong, on one line, safe to print (`isMainNumber: invalid type: ...`).
    pub reason: Box<str>,
    /// The element of `phoneNumbers` exactly as sent (valid JSON), for `--output json`.
    pub raw: Box<str>,
}

const MAIN: u8 = 1;
const TOLL_FREE: u8 = 2;
const SERVICE: u8 = 4;
const HAS_MAIN: u8 = 8;
const HAS_TOLL_FREE: u8 = 16;
const HAS_SERVICE: u8 = 32;
const HAS_NUMBER: u8 = 64;
/// The main-number flag came as the inventory spells it, `mainNumber` (else `isMainNumber`).
const MAIN_AS_INVENTORY: u8 = 128;

/// One entry of the `phoneNumbers` array.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberRecord {
    /// The number exactly as the server sent it (empty when the field was missing).
    pub phone_number: PhoneText,
    pub state: State,
    pub telephony_type: TelephonyType,
    flags: u8,
    rare: Option<Rare>,
}

/// A million records stay 32 bytes each: the rare part is one pointer, `None` when null.
const _: () = assert!(size_of::<NumberRecord>() == 32 && size_of::<Option<Rare>>() == size_of::<usize>());

impl NumberRecord {
    /// A record with the fields of this endpoint; used by the demo data, tests and benchmarks.
    pub fn new(phone_number: &str, state: State, main: bool, toll_free: bool, service: bool) -> Self {
        let mut flags = HAS_MAIN | HAS_TOLL_FREE | HAS_SERVICE | HAS_NUMBER;
        if main {
            flags |= MAIN;
        }
        if toll_free {
            flags |= TOLL_FREE;
        }
        if service {
            flags |= SERVICE;
        }
        NumberRecord {
            phone_number: phone_number.into(),
            state,
            telephony_type: TelephonyType::Pstn,
            flags,
            rare: None,
        }
    }

    pub fn is_main_number(&self) -> bool {
        self.flags & MAIN != 0
    }
    pub fn is_toll_free(&self) -> bool {
        self.flags & TOLL_FREE != 0
    }
    pub fn is_service_number(&self) -> bool {
        self.flags & SERVICE != 0
    }
    pub fn extension(&self) -> Option<&str> {
        self.rare.as_ref()?.extension()
    }
    pub fn owner(&self) -> Option<OwnerRef<'_>> {
        self.rare.as_ref()?.owner()
    }
    /// Whether the record has anything beyond this endpoint's six fields (an extension, an
    /// owner, unknown fields or values, a fault, ...).
    pub fn has_rare(&self) -> bool {
        self.rare.is_some()
    }
    /// The fields this version does not know, in the order the server sent them.
    pub fn extra(&self) -> &Map<String, Value> {
        match &self.rare {
            Some(r) => r.extra(),
            None => rare::no_fields(),
        }
    }
    /// The unknown fields, to add to (within [`UNKNOWN_BUDGET`] when read from a server).
    pub fn extra_mut(&mut self) -> &mut Map<String, Value> {
        self.rare_mut().extra_mut()
    }
    /// Sets the extension (`None`: none).
    pub fn set_extension(&mut self, extension: Option<&str>) {
        match &mut self.rare {
            Some(rare) => rare.set_text(rare::EXTENSION, extension),
            None if extension.is_some() => self.rare = Some(Rare::from_texts(extension, None)),
            None => {}
        }
        self.drop_empty_rare();
    }
    /// Sets the owner (`None`: none).
    pub fn set_owner(&mut self, owner: Option<Owner>) {
        self.rare_mut().set_owner(owner);
        self.drop_empty_rare();
    }
    /// Sets the location (the number inventory's).
    pub fn set_location(&mut self, location: Option<NumberLocation>) {
        self.rare_mut().set_location(location);
        self.drop_empty_rare();
    }
    fn drop_empty_rare(&mut self) {
        if self.rare.as_ref().is_some_and(|r| r.is_empty()) {
            self.rare = None;
        }
    }
    /// Marks the record as one that could not be read whole.
    pub(crate) fn set_fault(&mut self, fault: Fault) {
        self.rare_mut().set_fault(fault);
    }
    /// The fault's whole text, if the record has one.
    pub(crate) fn fault_whole(&self) -> Option<&Fault> {
        self.rare.as_ref()?.fault()
    }
    /// The record's extension, and its lowercase word text (the owner's name and type in
    /// words, the extension, the location's name) added to `out`: what the catalog keeps of
    /// it, read in one pass over its texts.
    pub(crate) fn index_texts(&self, out: &mut String) -> Option<&str> {
        let rare = self.rare.as_ref()?;
        let extension = rare.index_texts(out);
        if let Some(l) = self.location_name() {
            out.push(' ');
            push_lowercase(out, l);
        }
        extension
    }
    /// The location the number belongs to (the number inventory says; the other lists do not).
    pub fn location(&self) -> Option<&NumberLocation> {
        self.rare.as_ref()?.location()
    }
    /// The name of the number's location, if it was sent and is not blank (raw: sanitize before
    /// drawing).
    pub fn location_name(&self) -> Option<&str> {
        self.location()?.name.as_deref().filter(|n| !n.trim().is_empty())
    }

    /// What was wrong with this record as sent (a field of the wrong type, or not an object at
    /// all), on one line and safe to print; `None` for a record read whole. A faulty record keeps
    /// the fields that could be read, cannot be picked, and is written as sent by `--output json`.
    pub fn fault(&self) -> Option<&str> {
        Some(&self.rare.as_ref()?.fault()?.reason)
    }

    /// What makes two records the same: the number as sent; for a record without a readable
    /// number, its text as sent (so a page that comes again does not add it twice).
    pub fn identity(&self) -> &str {
        if self.phone_number.is_empty()
            && let Some(fault) = self.fault_whole()
        {
            return &fault.raw;
        }
        &self.phone_number
    }

    /// Whether this record can be picked: it was read whole and its number is a plausible E.164
    /// number. The one rule for the picker, `--filter`, `--select-1` and copying.
    pub fn is_pickable(&self) -> bool {
        self.fault().is_none() && crate::numbers::phone::is_plausible_e164(&self.phone_number)
    }

    /// Whether this is an extension without a phone number, as the number inventory lists them
    /// (read whole, no number, an extension): not malformed, but nothing to pick.
    pub fn is_extension_only(&self) -> bool {
        self.phone_number.is_empty() && self.fault().is_none() && self.extension().is_some_and(|e| !e.is_empty())
    }

    /// Why this record cannot be picked, in words for a note (`None`: it can be).
    pub fn not_pickable_reason(&self) -> Option<&'static str> {
        match self.is_pickable() {
            true => None,
            false if self.is_extension_only() => Some("an extension without a number"),
            false => Some("not a valid E.164 number"),
        }
    }

    /// The state as the API spells it (`ACTIVE`, `INACTIVE`, or the unknown text).
    pub fn state_text(&self) -> &str {
        match self.state {
            State::Active => "ACTIVE",
            State::Inactive => "INACTIVE",
            State::Missing => "",
            State::Other => self.rare.as_ref().and_then(|r| r.text(rare::STATE_TEXT)).unwrap_or(""),
        }
    }

    /// The telephony type as the API spells it.
    pub fn type_text(&self) -> &str {
        match self.telephony_type {
            TelephonyType::Pstn => "PSTN_NUMBER",
            TelephonyType::Mobile => "MOBILE_NUMBER",
            TelephonyType::Missing => "",
            TelephonyType::Other => self.rare.as_ref().and_then(|r| r.text(rare::TYPE_TEXT)).unwrap_or(""),
        }
    }

    fn rare_mut(&mut self) -> &mut Rare {
        self.rare.get_or_insert_with(Rare::default)
    }

    /// Sets the extension and the owner's texts at once (see [`Rare::set_texts`]): for a record
    /// without a rare part yet, in the one allocation that makes it.
    fn set_texts(&mut self, extension: Option<&str>, owner: Option<rare::OwnerTexts<'_>>) {
        match &mut self.rare {
            Some(rare) => rare.set_texts(extension, owner),
            None => self.rare = Some(Rare::from_texts(extension, owner)),
        }
        self.drop_empty_rare();
    }

    fn set_flag(&mut self, value: bool, bit: u8, has: u8) {
        self.flags |= has;
        if value {
            self.flags |= bit;
        }
    }
}

impl<'de> Deserialize<'de> for NumberRecord {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(RecordVisitor)
    }
}

struct RecordVisitor;

impl<'de> Visitor<'de> for RecordVisitor {
    type Value = NumberRecord;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a phone number object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NumberRecord, A::Error> {
        let mut rec = NumberRecord::empty();
        let mut unknown = 0;
        while let Some(key) = map.next_key::<Field>()? {
            match key {
                Field::PhoneNumber => rec.apply_number(map.next_value::<Option<Box<str>>>()?.map(PhoneText::from)),
                Field::State => rec.apply_state(map.next_value_seed(TextSeed(&STATE_TEXTS))?),
                Field::TelephonyType => rec.apply_type(map.next_value_seed(TextSeed(&TYPE_TEXTS))?),
                Field::IsMainNumber => rec.apply_flag(map.next_value::<Option<bool>>()?, MAIN, HAS_MAIN),
                Field::MainNumber => {
                    let v = map.next_value::<Option<bool>>()?;
                    if v.is_some() {
                        rec.flags |= MAIN_AS_INVENTORY;
                    }
                    rec.apply_flag(v, MAIN, HAS_MAIN);
                }
                Field::TollFreeNumber => rec.apply_flag(map.next_value::<Option<bool>>()?, TOLL_FREE, HAS_TOLL_FREE),
                Field::IsServiceNumber => rec.apply_flag(map.next_value::<Option<bool>>()?, SERVICE, HAS_SERVICE),
                Field::Extension => {
                    if let Some(v) = map.next_value::<Option<String>>()? {
                        rec.rare_mut().set_text(rare::EXTENSION, Some(&v));
                    }
                }
                Field::Owner => {
                    if let Some(v) = map.next_value::<Option<Owner>>()? {
                        rec.rare_mut().set_owner(Some(v));
                    }
                }
                Field::Location => {
                    if let Some(v) = map.next_value::<Option<NumberLocation>>()? {
                        rec.rare_mut().set_location(Some(v));
                    }
                }
                Field::Other(name) => {
                    let v = map.next_value::<Value>()?;
                    keep_unknown(rec.rare_mut().extra_mut(), &mut unknown, name, v);
                }
            }
        }
        Ok(rec)
    }
}

/// The states and types this version knows, in the order of [`Text::Known`]'s index.
const STATE_TEXTS: [&str; 2] = ["ACTIVE", "INACTIVE"];
const TYPE_TEXTS: [&str; 2] = ["PSTN_NUMBER", "MOBILE_NUMBER"];

/// How each field's value lands in a record.
impl NumberRecord {
    fn empty() -> Self {
        NumberRecord {
            phone_number: "".into(),
            state: State::Missing,
            telephony_type: TelephonyType::Missing,
            flags: 0,
            rare: None,
        }
    }

    fn apply_number(&mut self, n: Option<PhoneText>) {
        if let Some(n) = n {
            self.phone_number = n;
            self.flags |= HAS_NUMBER;
        }
    }

    fn apply_state(&mut self, t: Text) {
        match t {
            Text::Null => self.state = State::Missing,
            Text::Known(0) => self.state = State::Active,
            Text::Known(_) => self.state = State::Inactive,
            Text::Other(other) => {
                self.state = State::Other;
                self.rare_mut().set_text(rare::STATE_TEXT, Some(&other));
            }
        }
    }

    fn apply_type(&mut self, t: Text) {
        match t {
            Text::Null => self.telephony_type = TelephonyType::Missing,
            Text::Known(0) => self.telephony_type = TelephonyType::Pstn,
            Text::Known(_) => self.telephony_type = TelephonyType::Mobile,
            Text::Other(other) => {
                self.telephony_type = TelephonyType::Other;
                self.rare_mut().set_text(rare::TYPE_TEXT, Some(&other));
            }
        }
    }

    fn apply_flag(&mut self, v: Option<bool>, bit: u8, has: u8) {
        if let Some(v) = v {
            self.set_flag(v, bit, has);
        }
    }
}

/// A key of a phone number object, read without allocating unless it is one this version does
/// not know.
enum Field {
    PhoneNumber,
    State,
    TelephonyType,
    IsMainNumber,
    /// The inventory's name for it.
    MainNumber,
    TollFreeNumber,
    IsServiceNumber,
    Extension,
    Owner,
    Location,
    Other(String),
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl<'de> Visitor<'de> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(Field::known(v).unwrap_or_else(|| Field::Other(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Field, E> {
                Ok(Field::known(&v).unwrap_or(Field::Other(v)))
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

impl Field {
    fn known(name: &str) -> Option<Field> {
        Some(match name {
            "phoneNumber" => Field::PhoneNumber,
            "state" => Field::State,
            "telephonyType" => Field::TelephonyType,
            "isMainNumber" => Field::IsMainNumber,
            "mainNumber" => Field::MainNumber,
            "tollFreeNumber" => Field::TollFreeNumber,
            "isServiceNumber" => Field::IsServiceNumber,
            "extension" => Field::Extension,
            "owner" => Field::Owner,
            "location" => Field::Location,
            _ => return None,
        })
    }
}

/// A nullable string whose usual values are known: `Known(index)` costs no allocation.
#[derive(Debug, PartialEq)]
enum Text {
    Null,
    Known(usize),
    Other(String),
}

/// Reads a [`Text`] given its known values.
struct TextSeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for TextSeed {
    type Value = Text;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        deserializer.deserialize_option(self)
    }
}

impl Text {
    fn of(known: &[&str], v: &str) -> Text {
        known.iter().position(|k| *k == v).map_or_else(|| Text::Other(v.to_string()), Text::Known)
    }
}

impl<'de> Visitor<'de> for TextSeed {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::Null)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Text, D::Error> {
        struct Inner(&'static [&'static str]);
        impl<'de> Visitor<'de> for Inner {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
                Ok(Text::of(self.0, v))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text, E> {
                Ok(self.0.iter().position(|k| *k == v).map_or(Text::Other(v), Text::Known))
            }
        }
        deserializer.deserialize_string(Inner(self.0))
    }
}

impl Serialize for NumberRecord {
    /// Writes back every field the server sent, in the API's order, unknown fields last.
    /// A faulty record is written as the server sent it (see `page::raw_for_output`).
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let Some(fault) = self.fault_whole() {
            return page::serialize_raw(&fault.raw, s);
        }
        let mut m = s.serialize_map(None)?;
        if self.flags & HAS_NUMBER != 0 {
            m.serialize_entry("phoneNumber", &*self.phone_number)?;
        }
        if let Some(ext) = self.extension() {
            m.serialize_entry("extension", ext)?;
        }
        if self.state != State::Missing {
            m.serialize_entry("state", self.state_text())?;
        }
        if self.flags & HAS_MAIN != 0 {
            let key = if self.flags & MAIN_AS_INVENTORY != 0 { "mainNumber" } else { "isMainNumber" };
            m.serialize_entry(key, &self.is_main_number())?;
        }
        if self.flags & HAS_TOLL_FREE != 0 {
            m.serialize_entry("tollFreeNumber", &self.is_toll_free())?;
        }
        if self.telephony_type != TelephonyType::Missing {
            m.serialize_entry("telephonyType", self.type_text())?;
        }
        if self.flags & HAS_SERVICE != 0 {
            m.serialize_entry("isServiceNumber", &self.is_service_number())?;
        }
        if let Some(owner) = self.owner() {
            m.serialize_entry("owner", &owner)?;
        }
        if let Some(location) = self.location() {
            m.serialize_entry("location", location)?;
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

    #[test]
    fn reads_the_documented_example() {
        let body = br#"{"phoneNumbers":[
            {"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":true},
            {"phoneNumber":"+12056350003","state":"INACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":true,"isServiceNumber":false}]}"#;
        let page = parse_page(body).unwrap();
        assert_eq!(page.numbers.len(), 2);
        let a = &page.numbers[0];
        assert_eq!(&*a.phone_number, "+12056350001");
        assert_eq!(a.state, State::Active);
        assert!(a.is_service_number() && !a.is_toll_free() && !a.is_main_number());
        assert!(page.numbers[1].is_toll_free());
        assert_eq!(page.numbers[1].state, State::Inactive);
    }

    #[test]
    fn keeps_unknown_enums_and_fields_and_defaults_missing_booleans() {
        let body = br#"{"phoneNumbers":[{"phoneNumber":"+441234567890","state":"PORTING","telephonyType":"SATELLITE","newField":{"a":[1,2]},"extension":"1234","owner":{"id":"x","type":"ROBOT","displayName":"Lobby","badge":7}}],"other":1}"#;
        let page = parse_page(body).unwrap();
        let r = &page.numbers[0];
        assert_eq!(r.state, State::Other);
        assert_eq!(r.state_text(), "PORTING");
        assert_eq!(r.type_text(), "SATELLITE");
        assert!(!r.is_main_number() && !r.is_toll_free() && !r.is_service_number());
        assert_eq!(r.extension(), Some("1234"));
        assert_eq!(r.owner().unwrap().name().as_deref(), Some("Lobby"));
        let json = serde_json::to_value(r).unwrap();
        assert_eq!(json["newField"]["a"][1], 2);
        assert_eq!(json["owner"]["badge"], 7);
        assert_eq!(json["state"], "PORTING");
        assert!(json.get("isMainNumber").is_none(), "missing fields are not invented");
    }

    #[test]
    fn json_round_trip_keeps_every_field() {
        let text = r#"{"phoneNumber":"+12056350002","extension":"0002","state":"ACTIVE","isMainNumber":true,"tollFreeNumber":false,"telephonyType":"MOBILE_NUMBER","isServiceNumber":false,"owner":{"id":"o1","type":"PEOPLE","firstName":"Ada","lastName":"Lovelace"},"zeta":null}"#;
        let rec: NumberRecord = serde_json::from_str(text).unwrap();
        assert_eq!(rec.telephony_type, TelephonyType::Mobile);
        assert_eq!(rec.owner().unwrap().name().as_deref(), Some("Ada Lovelace"));
        assert_eq!(serde_json::to_string(&rec).unwrap(), text);
    }

    #[test]
    fn the_inventorys_location_is_read_and_written_back() {
        let text = r#"{"phoneNumber":"+12056350001","extension":"11","state":"ACTIVE","owner":{"id":"o","type":"PEOPLE","firstName":"Ada"},"location":{"id":"L1","name":"Birmingham HQ","region":"AL"},"mainNumber":false,"phoneNumberType":"PRIMARY"}"#;
        let rec: NumberRecord = serde_json::from_str(text).unwrap();
        assert_eq!(rec.location_name(), Some("Birmingham HQ"));
        assert_eq!(rec.location().unwrap().id.as_deref(), Some("L1"));
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(json["location"]["region"], "AL", "unknown fields of the location are kept");
        assert_eq!(json["mainNumber"], false, "the inventory's spelling is kept");
        assert!(json.get("isMainNumber").is_none());
        assert_eq!(json["phoneNumberType"], "PRIMARY", "unknown fields of the record are kept");
        assert_eq!(serde_json::from_value::<NumberRecord>(json).unwrap(), rec);
        // A null or blank location is none; a location of the wrong type marks the record.
        let page = parse_page(br#"{"phoneNumbers":[{"phoneNumber":"+1","location":null},{"phoneNumber":"+2","location":{"name":" "}},{"phoneNumber":"+3","location":7}]}"#).unwrap();
        assert!(page.numbers[0].location().is_none() && page.numbers[1].location_name().is_none());
        assert!(page.numbers[2].fault().is_some());
        let main: NumberRecord = serde_json::from_str(r#"{"phoneNumber":"+1","mainNumber":true}"#).unwrap();
        assert!(main.is_main_number());
    }

    #[test]
    fn broken_replies_are_classified() {
        assert!(matches!(parse_page(b"<html>oops</html>"), Err(ParseError::NotJson(_))));
        assert!(matches!(parse_page(br#"{"phoneNumbers":[{"phoneNumber":"+1"#), Err(ParseError::Truncated(_))));
        assert!(matches!(parse_page(br#"{"items":[]}"#), Err(ParseError::WrongShape(_))));
        assert!(matches!(parse_page(br#"[1,2]"#), Err(ParseError::WrongShape(_))));
        // Issue 12: a wrong-typed field marks that record, it no longer fails the page.
        assert!(parse_page(br#"{"phoneNumbers":[{"state":5}]}"#).unwrap().numbers[0].fault().is_some());

        assert!(matches!(parse_page(br#"{"phoneNumbers":"no"}"#), Err(ParseError::WrongShape(_))));
    }

    #[test]
    fn unknown_fields_are_kept_within_a_budget() {
        let big = "x".repeat(UNKNOWN_BUDGET * 4);
        let body = format!(
            r#"{{"phoneNumbers":[{{"phoneNumber":"+12056350001","small":1,"huge":"{big}","after":[true],"owner":{{"firstName":"Ada","blob":"{big}","badge":7}}}},{{"phoneNumber":"+12056350002","note":"{}"}}]}}"#,
            "y".repeat(UNKNOWN_BUDGET / 2)
        );
        let page: NumbersPage = serde_json::from_slice(body.as_bytes()).unwrap();
        let dropped = take_dropped_unknown();
        let [a, b] = &page.numbers[..] else { panic!() };
        let json = serde_json::to_value(a).unwrap();
        assert_eq!(json["small"], 1);
        assert!(json.get("huge").is_none(), "over the budget: dropped");
        assert_eq!(json["after"][0], true, "smaller fields after it still fit");
        assert_eq!(json["owner"]["firstName"], "Ada");
        assert_eq!(json["owner"]["badge"], 7);
        assert!(json["owner"].get("blob").is_none());
        assert_eq!(dropped, 2);
        assert_eq!(serde_json::to_value(b).unwrap()["note"].as_str().map(str::len), Some(UNKNOWN_BUDGET / 2));
        // The stream parser (--input) reads the same, and logs the count.
        assert_eq!(parse_page_reader(body.as_bytes()).unwrap().numbers, page.numbers);
        assert_eq!(take_dropped_unknown(), 0, "counted, logged and reset");
    }

    #[test]
    fn null_list_is_empty() {
        assert!(parse_page(br#"{"phoneNumbers":null}"#).unwrap().numbers.is_empty());
    }
}
