//! Reading a large saved reply on every core: the file is cut into as many parts as there are
//! cores, and each part is parsed by the stream parser on a thread of its own, reading the file
//! at its own offsets.
//!
//! A part other than the first starts at a guess: the first `{` after its cut that follows a
//! `}` and a `,` (whitespace allowed), and whose element parses. Text inside a string can look
//! like that, so the guess is checked afterwards: the part before it parses on past its own cut
//! up to the first element that starts at or after it, and the two must meet at the same byte.
//! When they do not, that stretch is parsed again in order. So the records are exactly those of
//! the stream parser alone; and whenever anything is not of the usual shape (a syntax error,
//! another key after the array, text after the reply, a read error), the whole file is read
//! again by [`super::stream::parse_reader`], which decides as it always does.

use std::fs::File;
use std::io::{self, Read};

use super::stream::{CHUNK, Input, element, header, parse_reader};
use super::{NumberRecord, NumbersPage, ParseError};

/// Below this size a file is read by one thread: the threads would cost more than they save.
pub const PARALLEL_MIN_BYTES: u64 = 4 << 20;

/// Parses a saved reply from a file, in parallel parts when it is large and there is more than
/// one core. The result is that of [`parse_reader`] over the same file.
pub fn parse_file(file: &File) -> Result<NumbersPage, ParseError> {
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    let parts = std::thread::available_parallelism().map_or(1, |n| n.get()).min(16);
    let page = parse_file_in_parts(file, len, parts, CHUNK);
    super::page::log_dropped_unknown();
    page
}

fn parse_file_in_parts(file: &File, len: u64, parts: usize, chunk: usize) -> Result<NumbersPage, ParseError> {
    if parts < 2 || len < PARALLEL_MIN_BYTES || !cfg!(any(unix, windows)) {
        return parse_reader(At { file, offset: 0 });
    }
    match in_parts(file, len, parts, chunk) {
        Some(numbers) => Ok(NumbersPage { numbers }),
        None => {
            // Counted again by the parse that decides.
            super::take_dropped_unknown();
            parse_reader(At { file, offset: 0 })
        }
    }
}

/// How a part ended.
#[derive(Debug, Clone, Copy, PartialEq)]
enum End {
    /// The next element starts at this offset, at or after the part's stop.
    Next(u64),
    /// The array and the reply closed, and only whitespace followed to the end of the file.
    Closed,
    /// Something not of the usual shape: the stream parser must read the whole file.
    Unusual,
}

/// One part's result: where its first element starts (none found), its records, its end.
struct Part {
    start: Option<u64>,
    numbers: Vec<NumberRecord>,
    end: End,
    /// Unknown fields it dropped over the budget.
    dropped: u64,
}

/// The parts, parsed at once and joined; `None` when the whole file must go to the stream
/// parser.
fn in_parts(file: &File, len: u64, parts: usize, chunk: usize) -> Option<Vec<NumberRecord>> {
    let cuts: Vec<u64> = (0..=parts).map(|k| len * k as u64 / parts as u64).collect();
    let results: Vec<Part> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..parts)
            .map(|k| {
                let (from, stop) = (cuts[k], if k + 1 == parts { u64::MAX } else { cuts[k + 1] });
                s.spawn(
                    move || if k == 0 { first_part(file, chunk, stop) } else { later_part(file, chunk, from, stop) },
                )
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Part { start: None, numbers: Vec::new(), end: End::Unusual, dropped: 0 }))
            .collect()
    });
    let total: usize = results.iter().map(|p| p.numbers.len()).sum();
    let mut results = results.into_iter();
    let first = results.next()?;
    let mut end = first.end;
    let mut dropped = first.dropped;
    // The first part's vector grows to hold them all: a large block grows in place (or is
    // remapped), where a new one would hold every record twice for a moment.
    let mut numbers = first.numbers;
    numbers.reserve_exact(total - numbers.len());
    for (k, mut part) in results.enumerate().map(|(i, p)| (i + 1, p)) {
        let stop = cuts.get(k + 1).filter(|_| k + 1 < parts).copied().unwrap_or(u64::MAX);
        match end {
            // The reply ended, and the parts before it were checked: the rest is whitespace.
            End::Closed => break,
            End::Unusual => return None,
            End::Next(at) if part.start == Some(at) => {
                dropped += part.dropped;
                // Moved over on every core: one thread alone took 11 ms for half a million
                // records (the copy, and the page faults of the memory it fills).
                rayon::iter::ParallelExtend::par_extend(&mut numbers, std::mem::take(&mut part.numbers));
                end = part.end;
            }
            End::Next(at) => {
                // The guess was wrong (or there was none): this stretch again, in order.
                tracing::debug!(at, "parallel parse: a part's start was not an element's; parsing it in order");
                drop(part);
                let mut input = Input::part(At { file, offset: at }, chunk, at);
                end = elements(&mut input, Glue::Comma, stop, &mut numbers);
            }
        }
    }
    if end != End::Closed {
        return None;
    }
    super::add_dropped_unknown(dropped);
    Some(numbers)
}

/// The first part: the reply's head, then elements up to `stop`.
fn first_part(file: &File, chunk: usize, stop: u64) -> Part {
    let mut input = Input::part(At { file, offset: 0 }, chunk, 0);
    let mut numbers = Vec::new();
    if !header(&mut input) {
        return Part { start: Some(0), numbers, end: End::Unusual, dropped: 0 };
    }
    let end = elements(&mut input, Glue::Open, stop, &mut numbers);
    Part { start: Some(0), numbers, end, dropped: 0 }
}

/// A later part: from the first likely element start after `from` that parses, elements up to
/// `stop`.
fn later_part(file: &File, chunk: usize, from: u64, stop: u64) -> Part {
    let mut at = from;
    let none = Part { start: None, numbers: Vec::new(), end: End::Unusual, dropped: 0 };
    loop {
        let mut input = Input::part(At { file, offset: at }, chunk, at);
        let Some(start) = likely_start(&mut input, stop) else { return none };
        let mut numbers = Vec::new();
        match element(&mut input) {
            Some(rec) => {
                numbers.push(rec);
                let end = elements(&mut input, Glue::Element, stop, &mut numbers);
                return Part { start: Some(start), numbers, end, dropped: 0 };
            }
            // Not an element after all: look further.
            None => at = start + 1,
        }
    }
}

/// Moves to the next `{` that follows `}` and `,` (with any whitespace between): an element of
/// the array, most likely. Its offset, or `None` when there is none before `stop`.
fn likely_start<R: Read>(input: &mut Input<R>, stop: u64) -> Option<u64> {
    // 0: looking for `}`; 1: after `}`, looking for `,`; 2: after `,`, looking for `{`.
    let mut state = 0u8;
    loop {
        if input.offset() >= stop {
            return None;
        }
        let Some(&b) = input.buf.get(input.pos) else {
            if !input.fill(false) {
                return None;
            }
            continue;
        };
        state = match (state, b) {
            (_, b'}') => 1,
            (1, b',') => 2,
            (2, b'{') => return Some(input.offset()),
            (1 | 2, b' ' | b'\n' | b'\r' | b'\t') => state,
            _ => 0,
        };
        input.pos += 1;
    }
}

/// Where in the array a part stands.
#[derive(Clone, Copy, PartialEq)]
enum Glue {
    /// After `[`.
    Open,
    /// After a `,`.
    Comma,
    /// After an element.
    Element,
}

/// Parses elements into `numbers` until the next one starts at or after `stop`, or the reply
/// ends.
fn elements<R: Read>(input: &mut Input<R>, mut glue: Glue, stop: u64, numbers: &mut Vec<NumberRecord>) -> End {
    loop {
        let Some(b) = input.peek_nonspace(false) else { return End::Unusual };
        match (glue, b) {
            (Glue::Open | Glue::Element, b']') => {
                input.pos += 1;
                return closed(input);
            }
            (Glue::Element, b',') => {
                input.pos += 1;
                glue = Glue::Comma;
            }
            (Glue::Open | Glue::Comma, b'{') => {
                if input.offset() >= stop {
                    return End::Next(input.offset());
                }
                match element(input) {
                    Some(rec) => {
                        numbers.push(rec);
                        glue = Glue::Element;
                    }
                    None => return End::Unusual,
                }
            }
            _ => return End::Unusual,
        }
    }
}

/// After the array's `]`: `}`, then only whitespace to the end.
fn closed<R: Read>(input: &mut Input<R>) -> End {
    if input.peek_nonspace(false) != Some(b'}') {
        return End::Unusual;
    }
    input.pos += 1;
    match input.peek_nonspace(false) {
        None if input.failed.is_none() => End::Closed,
        _ => End::Unusual,
    }
}

/// A file read from `offset` on, by positioned reads (so parts share one open file).
struct At<'a> {
    file: &'a File,
    offset: u64,
}

impl Read for At<'_> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        let n = read_at(self.file, out, self.offset)?;
        self.offset += n as u64;
        Ok(n)
    }
}

#[cfg(unix)]
fn read_at(file: &File, out: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::unix::fs::FileExt::read_at(file, out, offset)
}

#[cfg(windows)]
fn read_at(file: &File, out: &mut [u8], offset: u64) -> io::Result<usize> {
    std::os::windows::fs::FileExt::seek_read(file, out, offset)
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &File, _: &mut [u8], _: u64) -> io::Result<usize> {
    Err(io::Error::other("positioned reads are not supported here"))
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;
    use crate::numbers::record::parse_page_reader_plain;

    fn file_of(text: &[u8]) -> File {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(text).unwrap();
        f
    }

    /// Parts of every size and count give what serde alone gives.
    fn agree(text: &[u8]) {
        let want = parse_page_reader_plain(text).map(|p| p.numbers).map_err(|e| format!("{e:?}"));
        let f = file_of(text);
        for parts in [2, 3, 5, 16] {
            for chunk in [1, 4, 64, CHUNK] {
                let got = match in_parts(&f, text.len() as u64, parts, chunk) {
                    Some(numbers) => Ok(numbers),
                    None => parse_reader(At { file: &f, offset: 0 }).map(|p| p.numbers),
                }
                .map_err(|e| format!("{e:?}"));
                assert_eq!(got, want, "{parts} parts, chunk {chunk}: {}", String::from_utf8_lossy(text));
            }
        }
    }

    #[test]
    fn parts_join_to_the_whole() {
        let mut text = String::from(r#"{"phoneNumbers":["#);
        for i in 0..300 {
            if i > 0 {
                text.push_str(if i % 7 == 0 { " ,\n " } else { "," });
            }
            match i % 5 {
                // Strings that look like element boundaries, and records serde must read.
                0 => text.push_str(&format!(r#"{{"phoneNumber":"+1205635{i:04}","owner":{{"displayName":"a}},{{b"}}}}"#)),
                1 => text.push_str(&format!(r#"{{"phoneNumber":"+1205635{i:04}","x":["}} , {{\"phoneNumber\":\"+1\"}}"]}}"#)),
                2 => text.push_str(&format!(r#"{{"phoneNumber":"+1205635{i:04}","state":5}}"#)),
                _ => text.push_str(&format!(r#"{{"phoneNumber":"+1205635{i:04}","extension":"{i}","owner":{{"type":"PEOPLE","firstName":"Zoë"}}}}"#)),
            }
        }
        text.push_str("]}\n");
        agree(text.as_bytes());
        let f = file_of(text.as_bytes());
        let whole = in_parts(&f, text.len() as u64, 4, 64).expect("the usual shape is read in parts");
        assert_eq!(whole.len(), 300);
    }

    #[test]
    fn unusual_replies_go_to_the_stream_parser() {
        for text in [
            &br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"}],"phoneNumbers":[{"phoneNumber":"+3"}]}"#[..],
            br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"},{"phoneNumber":"+3"}]} x"#,
            br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"},{"phoneNumber":"+3"}"#,
            br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"},{"phoneNumber":"+3"},]}"#,
            br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"},[],{"phoneNumber":"+3"}]}"#,
            br#"{"phoneNumbers":[{"phoneNumber":"+1"},{"phoneNumber":"+2"},{"phoneNumber":"+3"}],"more":{"a":"},{"}}"#,
            br#"[{"phoneNumber":"+1"},{"phoneNumber":"+2"},{"phoneNumber":"+3"}]"#,
            br#"{"phoneNumbers":[]}"#,
            b"",
        ] {
            agree(text);
        }
    }
}
