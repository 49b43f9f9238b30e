//! Finding where a JSON string's plain text ends, eight bytes at a time.
//!
//! The fast path reads string values of a few to a dozen bytes each (a number, an extension, an
//! owner's names): a byte-at-a-time loop over them, and over the keys, was the largest part of
//! reading a million records with owners. A word of eight bytes is tested at once (SWAR: bit
//! tricks on a `u64`), which needs no unsafe code and no particular CPU; the last few bytes of
//! the text are tested one at a time. (Keys are not searched at all: they are compared where
//! they stand.)

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether a byte ends a string's plain text: a quote, a backslash (an escape), or a control
/// character (which JSON allows only escaped).
fn ends_plain(b: u8) -> bool {
    b == b'"' || b == b'\\' || b < 0x20
}

/// The high bit of each byte of `word` that is zero, exact up to and including the first such
/// byte (a later byte may be marked wrongly by the borrow; only the first is used).
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Where the plain text at the start of `text` ends: the position of its first quote,
/// backslash or control character, and whether every byte before it is ASCII. `None` when
/// `text` has none of them.
pub(super) fn plain_end(text: &[u8]) -> Option<(usize, bool)> {
    let mut high = 0u64;
    let mut at = 0;
    while let Some(chunk) = text.get(at..at + 8) {
        let word = u64::from_le_bytes(chunk.try_into().expect("eight bytes"));
        let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
        let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
        // Bytes below 0x20: subtracting 0x20 borrows into the high bit, which the byte lacked.
        let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let found = quote | backslash | control;
        if found != 0 {
            let len = at + (found.trailing_zeros() / 8) as usize;
            // The bytes of this word before the end, and those of the words before it.
            let before = if len == at { 0 } else { word & (u64::MAX >> (64 - 8 * (len - at))) };
            return Some((len, (high | before) & HIGHS == 0));
        }
        high |= word;
        at += 8;
    }
    let len = at + text[at..].iter().position(|&b| ends_plain(b))?;
    Some((len, high & HIGHS == 0 && text[at..len].is_ascii()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte-at-a-time answer.
    fn plain_end_slowly(text: &[u8]) -> Option<(usize, bool)> {
        let len = text.iter().position(|&b| ends_plain(b))?;
        Some((len, text[..len].is_ascii()))
    }

    #[test]
    fn every_ending_byte_at_every_position() {
        // Each byte value at each position of texts up to three words long, after ASCII or
        // non-ASCII bytes: the found end and the ASCII answer agree with the plain loop.
        for len in 0..24 {
            for at in 0..=len {
                for b in 0..=255u8 {
                    for filler in [b'a', 0x7f, 0x80, 0xff, b'!', b'#', b'[', b']'] {
                        let mut text = vec![filler; len];
                        if at < len {
                            text[at] = b;
                        }
                        assert_eq!(plain_end(&text), plain_end_slowly(&text), "{text:?}");
                        text.push(b'"');
                        assert_eq!(plain_end(&text), plain_end_slowly(&text), "{text:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn the_first_of_several_endings() {
        for text in [&b"ab\"\\\x01"[..], b"abcdefg\\\"", b"abcdefgh\x1f\"", b"\"", b"0123456789abcdef\"\""] {
            assert_eq!(plain_end(text), plain_end_slowly(text), "{text:?}");
        }
        assert_eq!(plain_end(b"+12054388000\",\"state\""), Some((12, true)));
        assert_eq!(plain_end("Zoë Åström\"".as_bytes()), Some(("Zoë Åström".len(), false)));
        assert_eq!(plain_end(b"no end at all"), None);
    }
}
