//! Reading a reply, `{"phoneNumbers":[...]}`, into records with serde, element by element: a
//! reply held in memory (an API page) from its slice, a saved reply (`--input`) from a reader,
//! never holding its text whole.
//!
//! One bad record does not fail the page: an element whose fields have the wrong type (say
//! `"isMainNumber": "false"`), or that is not an object at all (`42`, `null`), is kept as a
//! record marked with a [`Fault`] that says what was wrong and holds the element's text as sent.
//! Only a reply that is not JSON, not of this shape, or cut short fails as a whole.

use std::fmt;
use std::fmt::Write as _;
use std::io::{BufReader, Read};

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize as _};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::{Fault, NumberRecord};
use crate::sanitize::{is_unsafe, one_line};

/// A parsed reply: `{"phoneNumbers": [...]}`. Records with a [`NumberRecord::fault`] are
/// counted by [`NumbersPage::faults`].
#[derive(Debug, Default)]
pub struct NumbersPage {
    /// Every element of `phoneNumbers`, in order, faulty ones included.
    pub numbers: Vec<NumberRecord>,
}

impl NumbersPage {
    /// How many records could not be read as sent.
    pub fn faults(&self) -> usize {
        self.numbers.iter().filter(|r| r.fault().is_some()).count()
    }
}

/// Why a reply could not be read as a page of numbers.
#[derive(Debug, thiserror::Error)]
pub enum ParseError {
    #[error("the reply is not JSON ({0})")]
    NotJson(String),
    #[error("the reply is JSON but not a list of phone numbers ({0})")]
    WrongShape(String),
    #[error("the reply ends early ({0})")]
    Truncated(String),
}

/// Parses a reply body held in memory.
pub fn parse_page(body: &[u8]) -> Result<NumbersPage, ParseError> {
    let page = serde_json::from_slice::<NumbersPage>(body).map_err(classify);
    log_dropped_unknown();
    page
}

/// Logs how many unknown fields were dropped over the budget since the last time, if any.
pub(super) fn log_dropped_unknown() {
    let dropped = super::take_dropped_unknown();
    if dropped > 0 {
        tracing::warn!(dropped, budget = super::UNKNOWN_BUDGET, "unknown fields over a record's budget were dropped");
    }
}

/// Parses a reply from a reader, streaming: the raw text is never held whole. Large chunks of
/// the input go through serde's slice parser, element by element (see `stream`), which makes
/// `--input` several times faster than serde's reader path; the result is that of
/// [`parse_page_reader_plain`].
pub fn parse_page_reader<R: Read>(reader: R) -> Result<NumbersPage, ParseError> {
    let page = super::stream::parse_reader(reader);
    log_dropped_unknown();
    page
}

/// [`parse_page_reader`] by serde's reader path alone: the reference the fast path is tested
/// against.
pub fn parse_page_reader_plain<R: Read>(reader: R) -> Result<NumbersPage, ParseError> {
    serde_json::from_reader::<_, NumbersPage>(BufReader::with_capacity(1 << 16, reader)).map_err(classify)
}

pub(super) fn classify(e: serde_json::Error) -> ParseError {
    use serde_json::error::Category;
    let text = one_line(&e.to_string(), 500);
    match e.classify() {
        Category::Eof | Category::Io => ParseError::Truncated(text),
        Category::Syntax => ParseError::NotJson(text),
        Category::Data => ParseError::WrongShape(text),
    }
}

impl<'de> Deserialize<'de> for NumbersPage {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PageVisitor)
    }
}

struct PageVisitor;

impl<'de> Visitor<'de> for PageVisitor {
    type Value = NumbersPage;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(r#"an object {"phoneNumbers": [...]}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<NumbersPage, A::Error> {
        let mut numbers = None;
        while let Some(key) = map.next_key::<PageField>()? {
            if key.0 {
                numbers = Some(map.next_value::<RecordSeq>()?.0);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        match numbers {
            Some(numbers) => Ok(NumbersPage { numbers }),
            None => Err(de::Error::missing_field("phoneNumbers")),
        }
    }
}

/// A key of the reply object: whether it is `phoneNumbers` (the others are skipped unread).
pub(super) struct PageField(pub(super) bool);

impl<'de> Deserialize<'de> for PageField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = PageField;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PageField, E> {
                Ok(PageField(v == "phoneNumbers"))
            }
        }
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

/// The `phoneNumbers` array (`null` reads as empty), element by element: each element's text,
/// then the record read from it.
pub(super) struct RecordSeq(pub(super) Vec<NumberRecord>);

impl<'de> Deserialize<'de> for RecordSeq {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SeqVisitor;
        impl<'de> Visitor<'de> for SeqVisitor {
            type Value = RecordSeq;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an array of phone number objects")
            }
            fn visit_unit<E: de::Error>(self) -> Result<RecordSeq, E> {
                Ok(RecordSeq(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RecordSeq, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
                    out.push(record_from_element(raw.get()));
                }
                Ok(RecordSeq(out))
            }
        }
        deserializer.deserialize_any(SeqVisitor)
    }
}

/// The record an element's text (valid JSON) holds; a faulty one when it cannot be read whole.
pub(super) fn record_from_element(text: &str) -> NumberRecord {
    match serde_json::from_str::<NumberRecord>(text) {
        Ok(rec) => rec,
        Err(e) => faulty(text, &e),
    }
}

/// A record marked with what was wrong: every field that reads alone is kept (so the picker can
/// show the number), the others are named in the reason.
fn faulty(text: &str, e: &serde_json::Error) -> NumberRecord {
    let mut reasons = Vec::new();
    let mut rec = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => {
            let mut good = Map::new();
            for (k, v) in fields {
                let alone = Value::Object(Map::from_iter([(k.clone(), v.clone())]));
                match serde_json::from_value::<NumberRecord>(alone) {
                    Ok(_) => {
                        good.insert(k, v);
                    }
                    Err(e) => reasons.push(format!("{k}: {e}")),
                }
            }
            serde_json::from_value(Value::Object(good)).unwrap_or_else(|_| NumberRecord::empty())
        }
        Ok(other) => {
            reasons.push(format!("not an object but {}", kind_of(&other)));
            NumberRecord::empty()
        }
        Err(_) => NumberRecord::empty(),
    };
    if reasons.is_empty() {
        reasons.push(e.to_string());
    }
    let reason = one_line(&reasons.join("; "), 200).into();
    rec.set_fault(Fault { reason, raw: text.into() });
    rec
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A faulty record's text for output: as sent, but on one line and with every character that
/// is unsafe on a terminal (only possible inside its strings) written as a `\uXXXX` escape, so
/// it reads back as the same JSON value.
pub(super) fn raw_for_output(raw: &str) -> Result<Box<RawValue>, serde_json::Error> {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        match c {
            // Raw line breaks and tabs can only be whitespace between tokens in valid JSON.
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_unsafe(c) => {
                for unit in c.encode_utf16(&mut [0; 2]) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    RawValue::from_string(out)
}

/// Writes a faulty record's output text into `s` (used by `NumberRecord`'s `Serialize`).
pub(super) fn serialize_raw<S: serde::Serializer>(raw: &str, s: S) -> Result<S::Ok, S::Error> {
    raw_for_output(raw).map_err(serde::ser::Error::custom)?.serialize(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &[u8] = br#"{"phoneNumbers":[
        {"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false},
        {"phoneNumber":"+12056350002","state":"ACTIVE","isMainNumber":"false"},
        {"phoneNumber":12056350003,"state":5},
        42,
        null,
        {"phoneNumber":"+12056350004","state":"INACTIVE","owner":[1]}
    ]}"#;

    fn both(body: &[u8]) -> NumbersPage {
        let page = parse_page(body).unwrap();
        let streamed = parse_page_reader(body).unwrap();
        assert_eq!(page.numbers, streamed.numbers, "the slice and the reader read alike");
        page
    }

    #[test]
    fn a_wrong_typed_field_marks_its_record_and_keeps_the_page() {
        let page = both(MIXED);
        assert_eq!(page.numbers.len(), 6);
        assert_eq!(page.faults(), 5);
        let [good, flag, number, int, null, owner] = &page.numbers[..] else { panic!() };
        assert_eq!(good.fault(), None);
        assert!(good.is_pickable());
        let reason = flag.fault().unwrap();
        assert!(reason.starts_with("isMainNumber: invalid type: string \"false\""), "{reason}");
        assert_eq!(&*flag.phone_number, "+12056350002", "the fields that read are kept");
        assert_eq!(flag.state, super::super::State::Active);
        assert!(!flag.is_pickable());
        let reason = number.fault().unwrap();
        assert!(reason.contains("phoneNumber: invalid type: integer") && reason.contains("state: "), "{reason}");
        assert_eq!(int.fault(), Some("not an object but a number"));
        assert_eq!(null.fault(), Some("not an object but null"));
        assert!(owner.fault().unwrap().starts_with("owner: "));
        assert_eq!(&*owner.phone_number, "+12056350004");
        for r in &page.numbers[1..] {
            assert!(!r.is_pickable());
            assert!(!r.fault().unwrap().contains('\n'));
        }
    }

    #[test]
    fn a_faulty_record_is_written_as_sent() {
        let page = both(MIXED);
        let out: Vec<String> = page.numbers.iter().map(|r| serde_json::to_string(r).unwrap()).collect();
        assert_eq!(out[1], r#"{"phoneNumber":"+12056350002","state":"ACTIVE","isMainNumber":"false"}"#);
        assert_eq!(out[2], r#"{"phoneNumber":12056350003,"state":5}"#);
        assert_eq!(out[3], "42");
        assert_eq!(out[4], "null");
    }

    #[test]
    fn a_faulty_records_text_is_safe_and_reads_back_the_same() {
        let body = "{\"phoneNumbers\":[{\"phoneNumber\":\"+1\u{202e}\u{9b}\",\n\t\"state\":[\"\u{7f}\"]}]}";
        let page = both(body.as_bytes());
        let rec = &page.numbers[0];
        assert!(!rec.fault().unwrap().chars().any(crate::sanitize::is_unsafe));
        let out = serde_json::to_string(rec).unwrap();
        assert!(!out.chars().any(crate::sanitize::is_unsafe), "{out:?}");
        let sent: Value = serde_json::from_str(body).unwrap();
        assert_eq!(serde_json::from_str::<Value>(&out).unwrap(), sent["phoneNumbers"][0]);
    }

    #[test]
    fn whole_replies_still_fail_as_a_whole() {
        assert!(matches!(parse_page(br#"{"phoneNumbers":[{"state":5}"#), Err(ParseError::Truncated(_))));
        assert!(matches!(parse_page(br#"{"phoneNumbers":[{"state":}]}"#), Err(ParseError::NotJson(_))));
        assert!(matches!(parse_page(br#"{"phoneNumbers":{"state":5}}"#), Err(ParseError::WrongShape(_))));
    }
}
