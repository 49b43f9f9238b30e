//! Reading a large reply from a reader quickly, without holding its text whole.
//!
//! serde_json's reader path works a byte at a time through `io::Read`, several times slower than
//! its slice path. This reads the input in large chunks and parses each element of the
//! `phoneNumbers` array from the chunk, dropping the text behind it: an element in the common
//! form (this endpoint's six fields, plain strings and booleans) by [`quick_element`], any other
//! by serde's slice parser. It takes only the usual shape,
//! `{"phoneNumbers":[{...},{...}]}` with any whitespace; whenever the input leaves
//! that shape (another key, an element that is not an object or does not parse, an early end, an
//! element nested deeper than serde's stream would allow), serde's reader path takes over for the
//! rest of the input, and decides. So results and errors are those of
//! `serde_json::from_reader`, including the line and column of an error, and the only text held
//! is the current chunk (or the one element that does not fit in it).
//!
//! The hand-over is exact because it happens at a point where the stream parser's state is
//! known: before the first key (nothing has been dropped yet: the input is read again from its
//! first byte), or at an element boundary of the array, where a short synthetic prefix
//! (`{"phoneNumbers":[{},` and the like) puts serde's parser in the very same state; its error
//! positions are then moved back to the original text.

use std::fmt;
use std::io::{self, BufReader, Cursor, Read};

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};

use serde_json::value::RawValue;

use scan::plain_end;

use super::page::{PageField, RecordSeq, classify, record_from_element};
use super::rare::OwnerTexts;
use super::{
    HAS_MAIN, HAS_SERVICE, HAS_TOLL_FREE, MAIN, NumberRecord, NumbersPage, ParseError, PhoneText, SERVICE, STATE_TEXTS,
    TOLL_FREE, TYPE_TEXTS, Text,
};

mod scan;

/// How much is read at a time.
pub(super) const CHUNK: usize = 1 << 20;
/// An element larger than this is left to the reader path (which holds it whole anyway).
const MAX_ELEMENT: usize = 16 << 20;
/// How many bytes of whitespace may come before the array before the reader path takes over.
const MAX_HEADER: usize = 64 << 10;
/// The deepest nesting (counting the element's own braces) that serde's parser accepts inside an
/// element of the array: it allows 127 levels in all, and the reply object and the array take
/// two. An element parsed alone may go two levels deeper, so deeper ones go to serde's reader
/// path (`nesting_at_the_edge_of_serdes_limit` checks the number).
const STREAM_ELEMENT_DEPTH: usize = 125;

/// Where in the array the fast path stopped: what the synthetic prefix must recreate.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Glue {
    /// Just after `[`: an element or `]` comes next.
    Open,
    /// Just after a `,` between elements: an element comes next.
    Comma,
    /// Just after an element: `,` or `]` comes next.
    Element,
    /// Just after the array's `]`: `,` or `}` comes next.
    Closed,
    /// After the reply's closing `}`: only whitespace may follow.
    Done,
}

impl Glue {
    /// The text that leaves serde's parser in this state, and whether it made a dummy element
    /// (to be dropped) to get there.
    fn prefix(self) -> (&'static [u8], bool) {
        match self {
            Glue::Open => (br#"{"phoneNumbers":["#, false),
            Glue::Comma => (br#"{"phoneNumbers":[{},"#, true),
            Glue::Element => (br#"{"phoneNumbers":[{}"#, true),
            Glue::Closed => (br#"{"phoneNumbers":[]"#, false),
            Glue::Done => (br#"{"phoneNumbers":[]}"#, false),
        }
    }
}

/// The input, read in chunks: `buf[pos..]` is not parsed yet; what came before `buf` was
/// dropped, and only its line count and the length of its last line are kept (for error
/// positions).
pub(super) struct Input<R> {
    reader: R,
    pub(super) buf: Vec<u8>,
    pub(super) pos: usize,
    eof: bool,
    /// Newlines in the dropped text.
    lines: usize,
    /// Bytes after the last newline of the dropped text.
    tail: usize,
    /// How many bytes were dropped before `buf` (and skipped before the reader, for a part).
    dropped: u64,
    /// How much to read at a time ([`CHUNK`]; less in tests, to cut elements up).
    chunk: usize,
    /// A read that failed: the input ends there for the fast path, and serde's reader path meets
    /// the error where it would have met it alone.
    pub(super) failed: Option<io::Error>,
    /// Whether `lines` and `tail` are kept. A part of a file does not need them (its errors are
    /// never reported: the whole file is then read again), and counting the newlines of 200 MB
    /// is a pass over all of it.
    positions: bool,
}

impl<R: Read> Input<R> {
    /// An input whose first byte is at offset `at` of the whole text.
    pub(super) fn new(reader: R, chunk: usize, at: u64) -> Self {
        let buf = Vec::with_capacity(chunk + (chunk >> 2));
        Input { reader, buf, pos: 0, eof: false, lines: 0, tail: 0, dropped: at, chunk, failed: None, positions: true }
    }

    /// As [`new`](Self::new), for a part of a file: without the line count of errors.
    pub(super) fn part(reader: R, chunk: usize, at: u64) -> Self {
        Input { positions: false, ..Input::new(reader, chunk, at) }
    }

    /// The offset in the whole text of the next byte to parse.
    pub(super) fn offset(&self) -> u64 {
        self.dropped + self.pos as u64
    }

    /// Reads more, first dropping the parsed text unless `keep` (before the array, when the
    /// whole input may yet go to the reader path). Returns whether anything was read.
    pub(super) fn fill(&mut self, keep: bool) -> bool {
        if !keep && self.pos > 0 {
            if self.positions {
                let (lines, tail) = position_after(self.lines, self.tail, &self.buf[..self.pos]);
                (self.lines, self.tail) = (lines, tail);
            }
            self.dropped += self.pos as u64;
            self.buf.drain(..self.pos);
            self.pos = 0;
        }
        if self.eof {
            return false;
        }
        let before = self.buf.len();
        match (&mut self.reader).take(self.chunk as u64).read_to_end(&mut self.buf) {
            Ok(n) => self.eof = n < self.chunk,
            Err(e) => {
                // What was read before the error is in `buf`.
                self.failed = Some(e);
                self.eof = true;
            }
        }
        self.buf.len() > before
    }

    /// The rest of the input for serde's reader path, after `prefix`: the unparsed text, then
    /// the failed read's error if there was one, then the reader.
    fn rest(self, prefix: &'static [u8], from: usize) -> impl Read {
        let Input { reader, buf, failed, .. } = self;
        let mut unread = Cursor::new(buf);
        unread.set_position(from as u64);
        BufReader::with_capacity(1 << 16, Cursor::new(prefix).chain(unread).chain(Replay { failed, reader }))
    }

    /// The next byte that is not whitespace (`pos` moves to it), reading more as needed. With
    /// `keep`, gives up (`None`) after [`MAX_HEADER`] bytes rather than hold more.
    pub(super) fn peek_nonspace(&mut self, keep: bool) -> Option<u8> {
        loop {
            if keep && self.pos > MAX_HEADER {
                return None;
            }
            while let Some(&b) = self.buf.get(self.pos) {
                if !matches!(b, b' ' | b'\n' | b'\r' | b'\t') {
                    return Some(b);
                }
                self.pos += 1;
            }
            if !self.fill(keep) {
                return None;
            }
        }
    }
}

/// A reader that first fails with the error a read already met, if any.
struct Replay<R> {
    failed: Option<io::Error>,
    reader: R,
}

impl<R: Read> Read for Replay<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        match self.failed.take() {
            Some(e) => Err(e),
            None => self.reader.read(out),
        }
    }
}

/// Parses a reply from a reader. See the module documentation.
pub fn parse_reader<R: Read>(reader: R) -> Result<NumbersPage, ParseError> {
    parse_reader_in_chunks(reader, CHUNK)
}

fn parse_reader_in_chunks<R: Read>(reader: R, chunk: usize) -> Result<NumbersPage, ParseError> {
    let mut input = Input::new(reader, chunk, 0);
    if !header(&mut input) {
        // Not the usual shape, and nothing dropped yet: serde reads all of it.
        return serde_json::from_reader::<_, NumbersPage>(input.rest(b"", 0)).map_err(classify);
    }
    let mut numbers = Vec::new();
    let mut glue = Glue::Open;
    loop {
        let Some(b) = input.peek_nonspace(false) else {
            return hand_over(input, glue, numbers);
        };
        match (glue, b) {
            (Glue::Open | Glue::Element, b']') => {
                input.pos += 1;
                return finish(input, numbers);
            }
            (Glue::Element, b',') => {
                input.pos += 1;
                glue = Glue::Comma;
            }
            (Glue::Open | Glue::Comma, b'{') => match element(&mut input) {
                Some(rec) => {
                    numbers.push(rec);
                    glue = Glue::Element;
                }
                None => return hand_over(input, glue, numbers),
            },
            _ => return hand_over(input, glue, numbers),
        }
    }
}

/// Reads `{ "phoneNumbers" : [` (any whitespace). False when the input does not start so.
pub(super) fn header<R: Read>(input: &mut Input<R>) -> bool {
    for expected in [&b"{"[..], b"\"phoneNumbers\"", b":", b"["] {
        if input.peek_nonspace(true).is_none() {
            return false;
        }
        while input.buf.len() - input.pos < expected.len() && input.fill(true) {}
        if !input.buf[input.pos..].starts_with(expected) {
            return false;
        }
        input.pos += expected.len();
    }
    true
}

/// Parses the object element at `pos`. `None` when it must be left to the reader path: it does
/// not parse (or not yet, at the end of the input), it is too large, or too deeply nested.
pub(super) fn element<R: Read>(input: &mut Input<R>) -> Option<NumberRecord> {
    loop {
        let rest = &input.buf[input.pos..];
        match one_element(rest) {
            Ok((rec, len)) => {
                input.pos += len;
                return Some(rec);
            }
            Err(Cut::Short) if !input.eof && rest.len() <= MAX_ELEMENT => {
                // The element goes on in the next chunk.
                input.fill(false);
            }
            Err(_) => return None,
        }
    }
}

/// Why [`one_element`] gave up.
enum Cut {
    /// The text ends inside the element.
    Short,
    /// Anything else: serde's reader path must decide.
    Unusual,
}

/// The element at the start of `text` (an object) and the length of its text: by
/// [`quick_element`] when it can, else by serde's slice parser, which the caller then trusts
/// only as far as serde's stream parser would agree (see [`STREAM_ELEMENT_DEPTH`]).
fn one_element(text: &[u8]) -> Result<(NumberRecord, usize), Cut> {
    if let Some(found) = quick_element(text) {
        return Ok(found);
    }
    let mut stream = serde_json::Deserializer::from_slice(text).into_iter::<&RawValue>();
    match stream.next() {
        Some(Ok(raw)) => {
            let len = stream.byte_offset();
            if nesting(&text[..len]) > STREAM_ELEMENT_DEPTH {
                return Err(Cut::Unusual);
            }
            // As the reader path reads an element (see `RecordSeq`): a faulty record, not an
            // error, when a field has the wrong type.
            Ok((record_from_element(raw.get()), len))
        }
        Some(Err(e)) if e.is_eof() => Err(Cut::Short),
        _ => Err(Cut::Unusual),
    }
}

/// Parses the common form of an element without serde: an object of this endpoint's six fields
/// and the `extension` and `owner` of its siblings (each any number of times; an owner of its
/// five known fields, each at most once), whose strings hold no escape and no control
/// character, whose flags are `true`, `false` or `null`, with any whitespace. Returns the record and the length of its
/// text, or `None` for anything else (serde then decides), including an element cut off by the
/// end of `text`. What it accepts, serde reads to the same record.
fn quick_element(text: &[u8]) -> Option<(NumberRecord, usize)> {
    let mut p = Parser { text, at: 0 };
    p.byte(b'{')?;
    let mut rec = NumberRecord::empty();
    p.space();
    if p.peek()? == b'}' {
        return Some((rec, p.at + 1));
    }
    // The extension and owner as they come (the last of each wins), packed once at the end.
    let (mut extension, mut owner) = (None, None);
    let done = |mut rec: NumberRecord, extension: Option<&str>, owner: Option<OwnerTexts<'_>>| {
        if extension.is_some() || owner.is_some() {
            rec.set_texts(extension, owner);
        }
        rec
    };
    loop {
        let key = p.one_of(&RECORD_KEYS)?;
        p.space();
        p.byte(b':')?;
        p.space();
        match key {
            Key::PhoneNumber => rec.apply_number(p.nullable(Parser::text)?.map(PhoneText::new)),
            Key::State => rec.apply_state(p.nullable(|p| p.one_of(&STATES))?.map_or(Text::Null, Text::Known)),
            Key::TelephonyType => rec.apply_type(p.nullable(|p| p.one_of(&TYPES))?.map_or(Text::Null, Text::Known)),
            Key::IsMainNumber => rec.apply_flag(p.nullable(Parser::boolean)?, MAIN, HAS_MAIN),
            Key::TollFreeNumber => rec.apply_flag(p.nullable(Parser::boolean)?, TOLL_FREE, HAS_TOLL_FREE),
            Key::IsServiceNumber => rec.apply_flag(p.nullable(Parser::boolean)?, SERVICE, HAS_SERVICE),
            Key::Extension => {
                if let Some(ext) = p.nullable(Parser::text)? {
                    extension = Some(ext);
                }
            }
            Key::Owner => {
                if let Some(o) = p.nullable(Parser::owner)? {
                    owner = Some(o);
                }
            }
        }
        p.space();
        match p.peek()? {
            b',' => {
                p.at += 1;
                p.space();
            }
            b'}' => return Some((done(rec, extension, owner), p.at + 1)),
            _ => return None,
        }
    }
}

/// The keys of a record that [`quick_element`] reads.
#[derive(Clone, Copy)]
enum Key {
    PhoneNumber,
    State,
    TelephonyType,
    IsMainNumber,
    TollFreeNumber,
    IsServiceNumber,
    Extension,
    Owner,
}

const RECORD_KEYS: [(&[u8], Key); 8] = [
    (b"phoneNumber", Key::PhoneNumber),
    (b"state", Key::State),
    (b"telephonyType", Key::TelephonyType),
    (b"isMainNumber", Key::IsMainNumber),
    (b"tollFreeNumber", Key::TollFreeNumber),
    (b"isServiceNumber", Key::IsServiceNumber),
    (b"extension", Key::Extension),
    (b"owner", Key::Owner),
];

/// The keys of an owner, with their place in [`OwnerTexts`].
const OWNER_KEYS: [(&[u8], usize); 5] =
    [(b"id", 0), (b"type", 1), (b"firstName", 2), (b"lastName", 3), (b"displayName", 4)];

/// The known states and types, with their place in [`STATE_TEXTS`] and [`TYPE_TEXTS`].
const STATES: [(&[u8], usize); 2] = [(STATE_TEXTS[0].as_bytes(), 0), (STATE_TEXTS[1].as_bytes(), 1)];
const TYPES: [(&[u8], usize); 2] = [(TYPE_TEXTS[0].as_bytes(), 0), (TYPE_TEXTS[1].as_bytes(), 1)];

/// A cursor over an element's text for [`quick_element`]; every method gives up with `None`.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn byte(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    fn space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.at += 1;
        }
    }

    /// A string without escapes or control characters (which serde would refuse unescaped),
    /// found, checked and (when it is ASCII, as nearly all are) known to be UTF-8 in one pass.
    fn text(&mut self) -> Option<&'a str> {
        self.byte(b'"')?;
        let start = self.at;
        let (len, ascii) = plain_end(&self.text[start..])?;
        if self.text[start + len] != b'"' {
            return None;
        }
        self.at = start + len + 1;
        let raw = &self.text[start..start + len];
        if ascii {
            // SAFETY: every byte is ASCII (checked by `plain_end`, whose answer a test compares
            // with `is_ascii` for every byte at every position), and ASCII is UTF-8. Checking
            // again with `from_utf8` was 4 % of reading a million owner records.
            Some(unsafe { std::str::from_utf8_unchecked(raw) })
        } else {
            std::str::from_utf8(raw).ok()
        }
    }

    /// An owner object of the known fields only, each at most once (serde decides repeats).
    fn owner(&mut self) -> Option<OwnerTexts<'a>> {
        self.byte(b'{')?;
        self.space();
        let mut owner: OwnerTexts<'a> = [None; 5];
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(owner);
        }
        let mut seen = 0u8;
        loop {
            // In the order of `OwnerTexts`.
            let k = self.one_of(&OWNER_KEYS)?;
            self.space();
            self.byte(b':')?;
            self.space();
            if seen & (1 << k) != 0 {
                return None;
            }
            seen |= 1 << k;
            owner[k] = self.nullable(Parser::text)?;
            self.space();
            match self.peek()? {
                b',' => {
                    self.at += 1;
                    self.space();
                }
                b'}' => {
                    self.at += 1;
                    return Some(owner);
                }
                _ => return None,
            }
        }
    }

    /// Which of `texts` the string at the cursor is (its value in the table); `None` for any
    /// other string, which serde then reads. None of them holds a quote or an escape, so the
    /// string is one of them when its text starts with it and the closing quote follows: it is
    /// compared where it stands, without a search for its end first (a tenth of reading a
    /// million owner records). Inlined, so that each comparison is with a text of known length.
    #[inline(always)]
    fn one_of<T: Copy, const N: usize>(&mut self, texts: &[(&[u8], T); N]) -> Option<T> {
        self.byte(b'"')?;
        let rest = &self.text[self.at..];
        for &(text, value) in texts {
            if rest.get(text.len()) == Some(&b'"') && rest.starts_with(text) {
                self.at += text.len() + 1;
                return Some(value);
            }
        }
        None
    }

    fn boolean(&mut self) -> Option<bool> {
        if self.literal(b"true") {
            Some(true)
        } else if self.literal(b"false") {
            Some(false)
        } else {
            None
        }
    }

    fn literal(&mut self, word: &[u8]) -> bool {
        let found = self.text[self.at..].starts_with(word);
        if found {
            self.at += word.len();
        }
        found
    }

    /// `null`, or what `value` reads.
    fn nullable<T>(&mut self, value: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        if self.literal(b"null") { Some(None) } else { value(self).map(Some) }
    }
}

/// The deepest nesting of arrays and objects in a JSON value's text.
fn nesting(text: &[u8]) -> usize {
    let (mut depth, mut max, mut in_string, mut escaped) = (0usize, 0usize, false, false);
    for &b in text {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                max = max.max(depth);
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

/// After the array: done if only `}` and whitespace remain; anything else goes to the reader
/// path.
fn finish<R: Read>(mut input: Input<R>, numbers: Vec<NumberRecord>) -> Result<NumbersPage, ParseError> {
    if input.peek_nonspace(false) != Some(b'}') {
        return hand_over(input, Glue::Closed, numbers);
    }
    input.pos += 1;
    match input.peek_nonspace(false) {
        None if input.failed.is_none() => Ok(NumbersPage { numbers }),
        // Something follows the reply, or the input could not be read to its end: serde says
        // what, and where.
        _ => hand_over(input, Glue::Done, numbers),
    }
}

/// Lets serde's reader path parse the rest of the input from the state `glue`, and joins its
/// result to the records read so far.
fn hand_over<R: Read>(input: Input<R>, glue: Glue, mut numbers: Vec<NumberRecord>) -> Result<NumbersPage, ParseError> {
    let (prefix, dummy) = glue.prefix();
    let (lines, tail) = position_after(input.lines, input.tail, &input.buf[..input.pos]);
    let pos = input.pos;
    match serde_json::from_reader::<_, Continued>(input.rest(prefix, pos)) {
        Ok(Continued { first, last: Some(last) }) => {
            // A later `phoneNumbers` key replaces the first array, as with serde alone.
            drop((first, numbers));
            Ok(NumbersPage { numbers: last })
        }
        Ok(Continued { first, last: None }) => {
            numbers.extend(first.into_iter().skip(usize::from(dummy)));
            Ok(NumbersPage { numbers })
        }
        Err(e) => Err(reposition(e, prefix.len(), lines, tail)),
    }
}

/// Classifies an error of the reader path over `prefix + rest`, with its position moved to the
/// original input, in which `rest` started after `lines` newlines and `tail` bytes.
fn reposition(e: serde_json::Error, prefix_len: usize, lines: usize, tail: usize) -> ParseError {
    if e.line() == 0 {
        return classify(e);
    }
    let (line, column) = if e.line() == 1 {
        match (e.column() + tail).checked_sub(prefix_len) {
            Some(c) => (lines + 1, c),
            None => return classify(e),
        }
    } else {
        (e.line() + lines, e.column())
    };
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    let detail = text.strip_suffix(&suffix).unwrap_or(&text);
    let detail = crate::sanitize::one_line(&format!("{detail} at line {line} column {column}"), 500);
    let mut out = classify(e);
    match &mut out {
        ParseError::NotJson(d) | ParseError::WrongShape(d) | ParseError::Truncated(d) => *d = detail,
    }
    out
}

/// The line count and last-line length after `text`, given those before it.
fn position_after(lines: usize, tail: usize, text: &[u8]) -> (usize, usize) {
    match memchr::memrchr(b'\n', text) {
        Some(last) => (lines + memchr::memchr_iter(b'\n', text).count(), text.len() - last - 1),
        None => (lines, tail + text.len()),
    }
}

/// The reply as the reader path sees it after the hand-over: the first `phoneNumbers` array
/// (the one the fast path was in) and, when the key comes again, the last one.
struct Continued {
    first: Vec<NumberRecord>,
    last: Option<Vec<NumberRecord>>,
}

impl<'de> Deserialize<'de> for Continued {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ContinuedVisitor;
        impl<'de> Visitor<'de> for ContinuedVisitor {
            type Value = Continued;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(r#"an object {"phoneNumbers": [...]}"#)
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Continued, A::Error> {
                let mut first = None;
                let mut last = None;
                while let Some(key) = map.next_key::<PageField>()? {
                    if !key.0 {
                        map.next_value::<IgnoredAny>()?;
                    } else if first.is_none() {
                        first = Some(map.next_value::<RecordSeq>()?.0);
                    } else {
                        last = Some(map.next_value::<RecordSeq>()?.0);
                    }
                }
                // The synthetic prefix always starts with the key.
                let first = first.ok_or_else(|| de::Error::missing_field("phoneNumbers"))?;
                Ok(Continued { first, last })
            }
        }
        deserializer.deserialize_map(ContinuedVisitor)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::numbers::record::parse_page_reader_plain;

    /// A reader that hands out at most `step` bytes a call, and fails at byte `fail_at`.
    struct Trickle<'a> {
        data: &'a [u8],
        at: usize,
        step: usize,
        fail_at: Option<usize>,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
            if self.fail_at == Some(self.at) {
                return Err(io::Error::other("the disk is on fire"));
            }
            let end = self.fail_at.unwrap_or(usize::MAX).min(self.data.len()).min(self.at.saturating_add(self.step));
            let n = (end - self.at).min(out.len());
            out[..n].copy_from_slice(&self.data[self.at..self.at + n]);
            self.at += n;
            Ok(n)
        }
    }

    fn show(r: Result<NumbersPage, ParseError>) -> Result<Vec<NumberRecord>, String> {
        r.map(|p| p.numbers).map_err(|e| format!("{e:?}"))
    }

    /// The fast paths give what serde alone gives, record for record and error for error (with
    /// its position), however the input is cut into reads and chunks.
    fn agree_with(text: &[u8], chunks: &[usize], fail_at: Option<usize>) {
        let reader = |step| Trickle { data: text, at: 0, step, fail_at };
        let want = show(parse_page_reader_plain(reader(usize::MAX)));
        for &chunk in chunks {
            for step in [1, 5, usize::MAX] {
                let got = show(parse_reader_in_chunks(reader(step), chunk));
                assert_eq!(
                    got,
                    want,
                    "chunk {chunk}, step {step}, fail at {fail_at:?}: {}",
                    String::from_utf8_lossy(text)
                );
            }
        }
    }

    fn agree(text: &[u8]) {
        agree_with(text, &[1, 2, 3, 7, 64, CHUNK], None);
    }

    const SAMPLE: &str = r#"{"phoneNumbers":[
        {"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false,"telephonyType":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":true},
        {"phoneNumber":"+12056350003","state":"INACTIVE","isMainNumber":null,"telephonyType":"MOBILE_NUMBER","tollFreeNumber":true},
        {"phoneNumber":"+441234567890","state":"PORTING","telephonyType":"SATELLITE","newField":{"a":[1,2.5,"x\"y"]},"extension":"1234","owner":{"id":"x","type":"ROBOT","displayName":"Lobby \u00e9","badge":7}},
        { "state" : null , "phoneNumber" : "+3319900\u0031" },
        {},
        {"phoneNumber":"+61255500001","isMainNumber":true,"isMainNumber":false,"state":"ACTIVE","state":"INACTIVE"}
    ]}"#;

    #[test]
    fn the_usual_shape_in_any_cut() {
        agree(SAMPLE.as_bytes());
        let page = parse_reader_in_chunks(SAMPLE.as_bytes(), 3).unwrap();
        assert_eq!(page.numbers.len(), 6);
        assert_eq!(page.numbers[2].state_text(), "PORTING");
        assert_eq!(&*page.numbers[3].phone_number, "+33199001");
        assert!(page.numbers[5].is_main_number(), "a repeated flag reads as serde reads it");
        assert_eq!(page.numbers[5].state, crate::numbers::record::State::Inactive);
        let compact: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
        agree(serde_json::to_string(&compact).unwrap().as_bytes());
        agree(serde_json::to_string_pretty(&compact).unwrap().as_bytes());
    }

    #[test]
    fn unusual_shapes() {
        for text in [
            r#"{"phoneNumbers":[]}"#,
            r#" {"phoneNumbers":null} "#,
            r#"{"phoneNumbers":[{"phoneNumber":"+1"}],"other":{"a":[1]},"more":null}"#,
            r#"{"other":1,"phoneNumbers":[{"phoneNumber":"+1"}]}"#,
            r#"{"phoneNumbers":[{"phoneNumber":"+1"}],"phoneNumbers":[{"phoneNumber":"+2"}]}"#,
            r#"{"phoneNumbers":[{"phoneNumber":"+1"}],"phoneNumbers":null}"#,
            r#"{"phoneNumbers":[{"phoneNumber":"+1"}],"x":1,"phoneNumbers":[],"y":[{"phoneNumbers":[]}]}"#,
            r#"{"phone\u004eumbers":[{"phoneNumber":"+1"}]}"#,
            r#"{"phoneNumbers":[{"phone\u004eumber":"+1","st\u0061te":"ACT\u0049VE"}]}"#,
            "{\"phoneNumbers\":[{\"phoneNumber\":\"+1\u{7f}\u{e9}\u{1F4DE}\"}]}",
            r#"{"phoneNumbers":[{"phoneNumber":"+1","extension":null,"owner":null}]}"#,
        ] {
            agree(text.as_bytes());
        }
    }

    #[test]
    fn errors_and_their_positions() {
        for text in [
            "",
            "   \n ",
            "nul",
            "<html>oops</html>",
            "[1,2]",
            "\"phoneNumbers\"",
            r#"{"items":[]}"#,
            r#"{"phoneNumbers":"no"}"#,
            r#"{"phoneNumbers":[1]}"#,
            r#"{"phoneNumbers":[{},1]}"#,
            r#"{"phoneNumbers":[{},null]}"#,
            r#"{"phoneNumbers":[{},"x"]}"#,
            r#"{"phoneNumbers":[{},[]]}"#,
            r#"{"phoneNumbers":[{},]}"#,
            r#"{"phoneNumbers":[,]}"#,
            r#"{"phoneNumbers":[{} {}]}"#,
            r#"{"phoneNumbers":[{}],}"#,
            r#"{"phoneNumbers":[{}]} x"#,
            "{\"phoneNumbers\":[{}]}\n\n  {}",
            r#"{"phoneNumbers":[{"state":5}]}"#,
            r#"{"phoneNumbers":[{"isMainNumber":"yes"}]}"#,
            r#"{"phoneNumbers":[{"isMainNumber":tru}]}"#,
            r#"{"phoneNumbers":[{"isMainNumber":truex}]}"#,
            r#"{"phoneNumbers":[{"phoneNumber":"+1\q"}]}"#,
            "{\"phoneNumbers\":[{\"phoneNumber\":\"+1\n2\"}]}",
            r#"{"phoneNumbers":[{"phoneNumber":"+1"}"#,
            "{\"phoneNumbers\":[\n{},\n{\"a\":\n[1,\n2}\n]}",
        ] {
            agree(text.as_bytes());
        }
        agree(b"{\"phoneNumbers\":[{\"phoneNumber\":\"+1\xff\"}]}");
        agree(b"{\"phoneNumbers\":[{\"phone\xffNumber\":\"+1\"}]}");
    }

    #[test]
    fn every_truncation_and_many_corruptions_of_a_reply() {
        let text = SAMPLE.as_bytes();
        for end in 0..text.len() {
            agree_with(&text[..end], &[1, 7, CHUNK], None);
        }
        for at in 0..text.len() {
            for b in [b'x', b']', b'}', b'"', b'\\', b',', b'\n', b'{', 0xc3] {
                let mut bad = text.to_vec();
                bad[at] = b;
                agree_with(&bad, &[3, CHUNK], None);
            }
        }
    }

    #[test]
    fn read_errors_surface_where_serde_meets_them() {
        let text = SAMPLE.as_bytes();
        for fail_at in (0..text.len()).step_by(7) {
            agree_with(text, &[1, 16, CHUNK], Some(fail_at));
            let got = show(parse_reader_in_chunks(Trickle { data: text, at: 0, step: 9, fail_at: Some(fail_at) }, 16));
            assert!(got.is_err_and(|e| e.contains("fire")), "{fail_at}");
        }
    }

    #[test]
    fn nesting_at_the_edge_of_serdes_limit() {
        for depth in 120..=132 {
            let deep = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            for element in [format!(r#"{{"x":{deep}}}"#), format!(r#"{{"owner":{{"x":{deep}}}}}"#)] {
                agree(format!(r#"{{"phoneNumbers":[{{}},{element}]}}"#).as_bytes());
            }
        }
    }

    #[test]
    fn an_element_larger_than_a_chunk() {
        let big = "x".repeat(10_000);
        let text = format!(r#"{{"phoneNumbers":[{{"phoneNumber":"+1"}},{{"phoneNumber":"+2","note":"{big}"}},{{}}]}}"#);
        agree_with(text.as_bytes(), &[1 << 10, CHUNK], None);
        assert_eq!(parse_reader_in_chunks(text.as_bytes(), 1 << 10).unwrap().numbers.len(), 3);
    }

    #[test]
    fn quick_element_reads_only_what_it_is_sure_of() {
        let (rec, len) = quick_element(br#"{"phoneNumber":"+1","state":"ACTIVE"} ,"#).unwrap();
        assert_eq!((&*rec.phone_number, rec.state_text(), len), ("+1", "ACTIVE", 37));
        let text =
            r#"{"phoneNumber":"+1","extension":"12","owner":{"type":"PEOPLE","firstName":"Zoë","lastName":null}}"#;
        let (rec, len) = quick_element(text.as_bytes()).unwrap();
        assert_eq!(len, text.len());
        assert_eq!(rec, serde_json::from_str::<NumberRecord>(text).unwrap());
        assert_eq!(rec.owner().and_then(|o| o.name()).as_deref(), Some("Zoë"));
        for text in [
            &br#"{"phoneNumber":"+1""#[..],
            br#"{"phoneNumber":"+1\"2"}"#,
            br#"{"state":"PORTING"}"#,
            br#"{"isMainNumber":1}"#,
            br#"{"phoneNumber":"+1",}"#,
            br#"{"owner":{"id":"a","id":"b"}}"#,
            br#"{"owner":{"id":"a","badge":7}}"#,
            br#"{"owner":{"firstName":1}}"#,
            b"{\"phoneNumber\":\"\xc3\"}",
            b"{\"phoneNumber\":\"\x01\"}",
            // Keys and known values are compared where they stand: one that only starts or
            // ends like a known one is not it.
            br#"{"phoneNumberX":"+1"}"#,
            br#"{"phone":"+1"}"#,
            br#"{"state":"ACTIVEX"}"#,
            br#"{"state":"ACTIV"}"#,
            br#"{"state":"INACTIVE\u0020"}"#,
            br#"{"owner":{"typeX":"PEOPLE"}}"#,
            br#"{"owner":{"i":"a"}}"#,
            br#"{"phoneNumber":"+1","extensio":"1"}"#,
        ] {
            assert!(quick_element(text).is_none(), "{}", String::from_utf8_lossy(text));
        }
    }

    /// A JSON value of a few levels, as unknown fields hold.
    fn any_value() -> impl Strategy<Value = serde_json::Value> {
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::from),
            any::<i64>().prop_map(serde_json::Value::from),
            "[a-z\"\\\\é\n]{0,6}".prop_map(serde_json::Value::from),
        ];
        leaf.prop_recursive(3, 12, 3, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..3).prop_map(serde_json::Value::from),
                prop::collection::vec(("[a-z]{1,4}", inner), 0..3)
                    .prop_map(|kv| serde_json::Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// One field of a record: mostly the usual ones and values, sometimes not.
    fn any_field() -> impl Strategy<Value = (String, serde_json::Value)> {
        let text = prop_oneof![
            4 => "\\+[0-9]{1,12}".prop_map(serde_json::Value::from),
            1 => "[ -~é\\n]{0,5}".prop_map(serde_json::Value::from),
            1 => Just(serde_json::Value::Null),
        ];
        let known =
            prop_oneof![Just("ACTIVE"), Just("INACTIVE"), Just("PSTN_NUMBER"), Just("MOBILE_NUMBER"), Just("PORTING")]
                .prop_map(serde_json::Value::from);
        let flag = prop_oneof![
            4 => any::<bool>().prop_map(serde_json::Value::from),
            1 => Just(serde_json::Value::Null),
            1 => Just(serde_json::Value::from(1)),
        ];
        prop_oneof![
            4 => text.prop_map(|v| ("phoneNumber".to_string(), v)),
            2 => known.clone().prop_map(|v| ("state".to_string(), v)),
            2 => known.prop_map(|v| ("telephonyType".to_string(), v)),
            2 => prop_oneof![Just("isMainNumber"), Just("tollFreeNumber"), Just("isServiceNumber")]
                .prop_flat_map(move |k| flag.clone().prop_map(move |v| (k.to_string(), v))),
            1 => ("extension|owner|[a-z]{1,5}", any_value()).prop_map(|(k, v)| (k, v)),
        ]
    }

    /// A reply as text: records of fields in any order (repeats included), written compact or
    /// spaced out, sometimes with something after the array.
    fn any_reply() -> impl Strategy<Value = Vec<u8>> {
        let record = prop::collection::vec(any_field(), 0..8);
        let space = prop_oneof![Just(""), Just(" "), Just("\n  "), Just("\t\r\n")];
        (prop::collection::vec(record, 0..6), space, prop::option::of(any_value()), any::<bool>()).prop_map(
            |(records, space, after, trailing)| {
                let mut out = format!("{space}{{{space}\"phoneNumbers\"{space}:{space}[{space}");
                for (i, fields) in records.iter().enumerate() {
                    if i > 0 {
                        out.push_str(&format!("{space},{space}"));
                    }
                    out.push('{');
                    for (j, (k, v)) in fields.iter().enumerate() {
                        if j > 0 {
                            out.push(',');
                        }
                        out.push_str(&format!("{space}{}{space}:{space}{v}", serde_json::Value::from(k.as_str())));
                    }
                    out.push_str(&format!("{space}}}"));
                }
                out.push_str(&format!("{space}]"));
                if let Some(v) = after {
                    out.push_str(&format!(",{space}\"after\":{v}"));
                }
                out.push_str(&format!("{space}}}{space}"));
                if trailing {
                    out.push_str(" 1");
                }
                out.into_bytes()
            },
        )
    }

    proptest! {
        // 300 cases unless PROPTEST_CASES asks for more.
        #![proptest_config(ProptestConfig {
            cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(300),
            ..ProptestConfig::default()
        })]

        #[test]
        fn fast_paths_agree_with_serde_on_generated_replies(text in any_reply(), chunk in 1usize..200) {
            agree_with(&text, &[chunk, CHUNK], None);
        }

        #[test]
        fn fast_paths_agree_with_serde_on_damaged_replies(
            text in any_reply(),
            cut in any::<prop::sample::Index>(),
            byte in any::<u8>(),
            chunk in 1usize..200,
        ) {
            let at = cut.index(text.len().max(1));
            let mut changed = text.clone();
            if at < changed.len() {
                changed[at] = byte;
            }
            agree_with(&changed, &[chunk, CHUNK], None);
            agree_with(&text[..at.min(text.len())], &[chunk], None);
        }
    }
}
