//! A record's number as sent, kept inside the record: a million `Box<str>`s of a dozen bytes
//! each cost a million allocations and 32 MB of heap, where an E.164 number of up to fifteen
//! characters (`+` and fourteen digits: nearly every number) fits in the sixteen bytes the box's
//! pointer took. Longer text (a malformed record's, or sixteen-character numbers) is boxed.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::num::NonZeroU8;
use std::ops::Deref;

/// How many bytes are kept inline.
const INLINE: usize = 15;

/// A number's text as sent; reads as a `&str`.
#[derive(Clone)]
pub struct PhoneText(Repr);

#[derive(Clone)]
enum Repr {
    /// The length plus one (so that the other variant fits in its niche), and the bytes.
    Inline(NonZeroU8, [u8; INLINE]),
    /// Longer text. Boxed twice so that the whole stays sixteen bytes.
    Heap(Box<Box<str>>),
}

impl PhoneText {
    pub fn new(text: &str) -> Self {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            // At most 16: never zero.
            let len = NonZeroU8::new(text.len() as u8 + 1).unwrap_or(NonZeroU8::MIN);
            PhoneText(Repr::Inline(len, bytes))
        } else {
            PhoneText(Repr::Heap(Box::new(text.into())))
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // SAFETY: the bytes were copied whole from a `&str` (see `new`), and `len` is that
            // string's length: they are UTF-8. Checking again cost 15 % of reading a million
            // records, where every search and sort reads each number.
            Repr::Inline(len, bytes) => unsafe { std::str::from_utf8_unchecked(&bytes[..usize::from(len.get() - 1)]) },
            Repr::Heap(text) => text,
        }
    }
}

impl Default for PhoneText {
    fn default() -> Self {
        PhoneText::new("")
    }
}

impl Deref for PhoneText {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for PhoneText {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for PhoneText {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for PhoneText {
    fn from(text: &str) -> Self {
        PhoneText::new(text)
    }
}

impl From<String> for PhoneText {
    fn from(text: String) -> Self {
        PhoneText::new(&text)
    }
}

impl From<Box<str>> for PhoneText {
    fn from(text: Box<str>) -> Self {
        if text.len() <= INLINE { PhoneText::new(&text) } else { PhoneText(Repr::Heap(Box::new(text))) }
    }
}

impl PartialEq for PhoneText {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for PhoneText {}

impl PartialEq<str> for PhoneText {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for PhoneText {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialOrd for PhoneText {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for PhoneText {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for PhoneText {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for PhoneText {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for PhoneText {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_as_given_inline_or_boxed() {
        assert_eq!(std::mem::size_of::<PhoneText>(), 16);
        let long = "+1".repeat(40);
        for text in [
            "",
            "+",
            "+12056350001",
            "+441214960000",
            "+12345678901234",
            "+123456789012345",
            "Zürich",
            "東京 +81 3",
            "🦀🦀🦀🦀",
            "🦀🦀🦀🦀x",
            long.as_str(),
        ] {
            for t in [PhoneText::new(text), PhoneText::from(Box::<str>::from(text)), PhoneText::from(text.to_string())]
            {
                assert_eq!(t.as_str(), text);
                assert_eq!(&*t, text);
                assert_eq!(t.len(), text.len());
                assert_eq!(t.to_string(), text);
                assert_eq!(format!("{t:?}"), format!("{text:?}"));
                assert!(t == text);
            }
            let inline = matches!(PhoneText::new(text).0, Repr::Inline(..));
            assert_eq!(inline, text.len() <= INLINE, "{text}");
        }
        assert_eq!(PhoneText::default().as_str(), "");
    }

    #[test]
    fn compares_and_hashes_as_its_text() {
        use std::hash::BuildHasher;
        let h = std::collections::hash_map::RandomState::new();
        let long = "+1205635000100000001";
        let (a, b, c) = (PhoneText::new("+12056350001"), PhoneText::new("+12056350002"), PhoneText::new(long));
        assert!(a < b && a < c && b > c, "by text, whether inline or boxed");
        assert_eq!(a.cmp(&a.clone()), std::cmp::Ordering::Equal);
        assert_eq!(h.hash_one(&a), h.hash_one("+12056350001"));
        assert_eq!(h.hash_one(&c), h.hash_one(long));
    }
}
