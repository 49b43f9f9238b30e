//! The one allocation behind a [`Rare`](super::Rare), and the only unsafe code of the record
//! model's rare part. A record with an owner costs one small heap chunk this way: at a million
//! records of an owner list, one chunk of 32 bytes for most, where it was a 32-byte box and a
//! 48-byte chunk of texts.
//!
//! The allocation is laid out as
//!
//! ```text
//! [header: u16, little-endian][more: *mut More, unaligned, only if HAS_MORE][text][text]...
//! ```
//!
//! where header bit `k` (below [`TEXTS`]) says text `k` is there, [`HAS_OWNER`] says the record has
//! an owner, [`HAS_MORE`] says the box of what even fewer records have is there (its pointer, 8
//! bytes, follows the header), and the bits from [`TYPE_CODE_SHIFT`] give the owner's type when it
//! is one of [`KNOWN_TYPES`] (text [`OWNER_TYPE`] is then not stored). Each text there, in index
//! order, is its length (LEB128) and its UTF-8 bytes. No total length is stored: the size is read
//! back from the header and the lengths when it is needed (to drop, to clone, to slice). All this
//! keeps a typical owner record (extension, first and last name, type `PEOPLE`: 23 bytes) within
//! glibc's smallest chunk, which holds 24.
//!
//! The invariant every [`Thin`] keeps: `ptr` is an allocation of [`layout`]`(n)`, where `n` is what
//! [`walk`] reads from its bytes; when the header has [`HAS_MORE`], the pointer after it came
//! from `Box::<More>::into_raw` and the handle owns that box; and its texts are well formed (every
//! text inside the allocation, valid UTF-8). Only [`Thin::build`] makes allocations, and it checks
//! the walk before it hands one out.

use std::alloc::{Layout, alloc_zeroed, dealloc, handle_alloc_error};
use std::marker::PhantomData;
use std::ptr::NonNull;

use super::More;

/// How many texts a record packs (header bits `0..TEXTS`).
pub(super) const TEXTS: usize = 8;
/// The index of the owner's type among the texts.
pub(super) const OWNER_TYPE: usize = 2;
/// In the header: the record has an owner (which may have no text at all).
pub(super) const HAS_OWNER: u16 = 1 << TEXTS;
/// In the header: the box's pointer follows the header.
const HAS_MORE: u16 = 1 << (TEXTS + 1);
/// In the header, from this bit on: 1 + the index in [`KNOWN_TYPES`] of the owner's type, or 0.
const TYPE_CODE_SHIFT: u32 = TEXTS as u32 + 2;
/// The owner types Webex sends (see `owner_type.rs`), kept as a code of 4 bits in the header.
const KNOWN_TYPES: [&str; 15] = [
    "PEOPLE",
    "PLACE",
    "VIRTUAL_LINE",
    "HUNT_GROUP",
    "CALL_QUEUE",
    "AUTO_ATTENDANT",
    "GROUP_PAGING",
    "VOICEMAIL_GROUP",
    "VOICE_MESSAGING",
    "OFFICE_ANYWHERE",
    "BROADWORKS_ANYWHERE",
    "CONTACT_CENTER_LINK",
    "CONTACT_CENTER_ADAPTER",
    "ROUTE_LIST",
    "COLLABORATE_BRIDGE",
];
const _: () = assert!(KNOWN_TYPES.len() < 1 << (16 - TYPE_CODE_SHIFT));

/// The size of the box's pointer, when there is one.
const MORE: usize = size_of::<*mut More>();

/// What a handle owns, as far as the compiler is told (drop check, variance, auto traits).
type Owned = (Option<Box<More>>, Box<[u8]>);

/// An owning handle, one pointer wide and never null (so `Option<Thin>` is one pointer too).
pub(super) struct Thin {
    ptr: NonNull<u8>,
    /// It owns a `More` box and bytes, as a `Box` of them would.
    _owns: PhantomData<Owned>,
}

// SAFETY: a `Thin` owns its allocation and its box alone (no other handle points into them,
// nothing is shared behind them), just like a `(Box<[u8]>, Option<Box<More>>)`, which is `Send`
// and `Sync` because `More` is; the assertion below keeps that true when `More` changes.
unsafe impl Send for Thin {}
// SAFETY: as for `Send`: `&Thin` only reads, and `More` is `Sync`.
unsafe impl Sync for Thin {}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<More>();
};

/// The allocation for `size` bytes (the header, the box's pointer if any, the texts). Every read
/// of it is bytewise or unaligned.
fn layout(size: usize) -> Layout {
    Layout::from_size_align(size, 1).expect("a record's texts fit in memory")
}

/// Where the texts start after `header`.
fn texts_start(header: u16) -> usize {
    if header & HAS_MORE != 0 { 2 + MORE } else { 2 }
}

impl Thin {
    /// A new allocation holding `more`, an owner or not, and the texts given (`None`: not there).
    pub(super) fn new(more: Option<Box<More>>, owner: bool, texts: [Option<&str>; TEXTS]) -> Thin {
        Thin::new_raw(more.map(|m| NonNull::from(Box::leak(m))), owner, texts)
    }

    /// [`Thin::new`] with the box's pointer, which the new handle owns once this returns.
    fn new_raw(more: Option<NonNull<More>>, owner: bool, mut texts: [Option<&str>; TEXTS]) -> Thin {
        let mut header = if owner { HAS_OWNER } else { 0 };
        if let Some(code) = texts[OWNER_TYPE].and_then(|t| KNOWN_TYPES.iter().position(|k| *k == t)) {
            header |= (code as u16 + 1) << TYPE_CODE_SHIFT;
            texts[OWNER_TYPE] = None;
        }
        if more.is_some() {
            header |= HAS_MORE;
        }
        let mut size = texts_start(header);
        for (k, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                header |= 1 << k;
                size += len_size(t.len()) + t.len();
            }
        }
        Thin::build(more, header, size, |out| {
            let mut at = 0;
            for t in texts.into_iter().flatten() {
                at = write_len(out, at, t.len());
                out[at..at + t.len()].copy_from_slice(t.as_bytes());
                at += t.len();
            }
        })
    }

    /// An allocation of `size` bytes: `header`, the box's pointer `more` if the header says so,
    /// and the texts, which `fill` writes (from `&str`s, so UTF-8, or from another handle's
    /// texts) into the slice it gets. The new handle owns the box once this returns. Panics
    /// (leaking the allocation and the box, which is safe) if what `fill` wrote does not walk to
    /// exactly `size` bytes.
    fn build(more: Option<NonNull<More>>, header: u16, size: usize, fill: impl FnOnce(&mut [u8])) -> Thin {
        assert_eq!(more.is_some(), header & HAS_MORE != 0, "the header says whether the box is there");
        let layout = layout(size);
        // SAFETY: the layout's size is at least 2 (`texts_start`) > 0.
        let ptr = unsafe { alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(ptr) else { handle_alloc_error(layout) };
        // SAFETY: the allocation is `size` bytes, all initialised (zeroed), and nothing else
        // refers to it.
        let bytes = unsafe { std::slice::from_raw_parts_mut(ptr.as_ptr(), size) };
        bytes[..2].copy_from_slice(&header.to_le_bytes());
        let start = texts_start(header);
        fill(&mut bytes[start..]);
        assert_eq!(walk(bytes), Some(size), "the texts fill their allocation");
        debug_assert!(texts_are_utf8(bytes));
        if let Some(more) = more {
            // SAFETY: the header has `HAS_MORE`, so bytes `2..2 + MORE` are the pointer's, inside
            // the allocation; written unaligned, as a pointer (keeping its provenance).
            unsafe { ptr.as_ptr().add(2).cast::<*mut More>().write_unaligned(more.as_ptr()) };
        }
        Thin { ptr, _owns: PhantomData }
    }

    /// All the allocation's bytes.
    fn bytes(&self) -> &[u8] {
        let start = self.ptr.as_ptr().cast_const();
        // SAFETY: by the invariant the bytes are well formed, so the walk reads only bytes of the
        // allocation (the header, then each length) and ends at its end; the slice lives as long
        // as `&self`, and nothing writes to the allocation after `build`.
        unsafe {
            let len = walk_raw(start);
            std::slice::from_raw_parts(start, len)
        }
    }

    pub(super) fn header(&self) -> u16 {
        let start = self.ptr.as_ptr().cast_const();
        // SAFETY: the header's two bytes are always there, at the start.
        unsafe { u16::from_le_bytes([*start, *start.add(1)]) }
    }

    /// What tells records apart: the header (without [`HAS_MORE`]) and the texts, as packed.
    pub(super) fn texts_key(&self) -> (u16, &[u8]) {
        let header = self.header();
        (header & !HAS_MORE, &self.bytes()[texts_start(header)..])
    }

    /// The box's pointer, if it is there.
    fn more_ptr(&self) -> Option<NonNull<More>> {
        let header = self.header();
        if header & HAS_MORE == 0 {
            return None;
        }
        // SAFETY: with `HAS_MORE` in the header, `build` wrote the box's pointer at bytes
        // `2..2 + MORE`, inside the allocation; read unaligned, as it was written.
        let p = unsafe { self.ptr.as_ptr().add(2).cast::<*mut More>().read_unaligned() };
        NonNull::new(p)
    }

    /// What even fewer records have.
    pub(super) fn more(&self) -> Option<&More> {
        // SAFETY: by the invariant the pointer came from a leaked `Box<More>` and the box is owned by
        // this handle: borrowing `self` borrows it.
        self.more_ptr().map(|p| unsafe { p.as_ref() })
    }

    pub(super) fn more_mut(&mut self) -> Option<&mut More> {
        // SAFETY: as in `more`, and `&mut self` makes the borrow unique.
        self.more_ptr().map(|mut p| unsafe { p.as_mut() })
    }

    /// Puts `more` in the box's place (dropping what was there); a new allocation when the box
    /// comes or goes.
    pub(super) fn set_more(&mut self, more: Option<Box<More>>) {
        match (self.more_mut(), more) {
            (Some(old), Some(new)) => *old = *new,
            (None, None) => {}
            (_, more) => {
                let header = self.header();
                let texts = &self.bytes()[texts_start(header)..];
                let header = if more.is_some() { header | HAS_MORE } else { header & !HAS_MORE };
                let more = more.map(|m| NonNull::from(Box::leak(m)));
                let size = texts_start(header) + texts.len();
                // The old allocation, dropped here, takes its own box with it (if it had one).
                *self = Thin::build(more, header, size, |out| out.copy_from_slice(texts));
            }
        }
    }

    /// Packs new texts, keeping the box: `new[k]` `Some(t)` sets text `k` to `t`, `None` keeps it.
    pub(super) fn repack(&mut self, owner: bool, new: [Option<Option<&str>>; TEXTS]) {
        let old = self.texts();
        let texts = std::array::from_fn(|k| new[k].unwrap_or(old[k]));
        // The box moves to the new allocation: `release` then frees the old one's bytes alone.
        let fresh = Thin::new_raw(self.more_ptr(), owner, texts);
        std::mem::replace(self, fresh).release();
    }

    /// Frees the allocation's bytes without dropping the box: its pointer was handed on.
    fn release(self) {
        let layout = layout(self.bytes().len());
        // SAFETY: the allocation was made with this very layout, and `forget` keeps `Drop` from
        // touching it (or the box) again.
        unsafe { dealloc(self.ptr.as_ptr(), layout) };
        std::mem::forget(self);
    }

    /// Every text, decoded at once.
    pub(super) fn texts(&self) -> [Option<&str>; TEXTS] {
        let bytes = self.bytes();
        let header = self.header();
        let mut out = [None; TEXTS];
        let mut at = texts_start(header);
        for (k, slot) in out.iter_mut().enumerate() {
            if header & (1 << k) != 0 {
                let (len, after) = read_len(bytes, at);
                // SAFETY: the slice is text `k`, by its length.
                *slot = Some(unsafe { utf8(&bytes[after..after + len]) });
                at = after + len;
            }
        }
        out[OWNER_TYPE] = out[OWNER_TYPE].or_else(|| known_type(header));
        out
    }

    /// Text `k`, if it is there.
    pub(super) fn text(&self, k: usize) -> Option<&str> {
        let header = self.header();
        if header & (1 << k) == 0 {
            return if k == OWNER_TYPE { known_type(header) } else { None };
        }
        let bytes = self.bytes();
        let mut at = texts_start(header);
        for j in 0..k {
            if header & (1 << j) != 0 {
                let (len, after) = read_len(bytes, at);
                at = after + len;
            }
        }
        let (len, after) = read_len(bytes, at);
        // SAFETY: the slice is text `k`, by its length.
        Some(unsafe { utf8(&bytes[after..after + len]) })
    }
}

/// The owner's type, when the header keeps it as a code.
fn known_type(header: u16) -> Option<&'static str> {
    let code = usize::from(header >> TYPE_CODE_SHIFT);
    code.checked_sub(1).map(|i| KNOWN_TYPES[i])
}

/// A text's bytes as the `&str` they were written from.
///
/// # Safety
/// `bytes` must be exactly one text of a handle's bytes, sliced by its length.
unsafe fn utf8(bytes: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(bytes).is_ok());
    // SAFETY: `Thin::new` wrote each text whole from a `&str`, and a copy keeps those bytes as
    // they are; the caller's slice is one such text.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

impl Clone for Thin {
    fn clone(&self) -> Self {
        let more = self.more().map(|m| NonNull::from(Box::leak(Box::new(m.clone()))));
        let header = self.header();
        let bytes = self.bytes();
        Thin::build(more, header, bytes.len(), |out| out.copy_from_slice(&bytes[texts_start(header)..]))
    }
}

impl Drop for Thin {
    fn drop(&mut self) {
        let layout = layout(self.bytes().len());
        if let Some(p) = self.more_ptr() {
            // SAFETY: by the invariant the pointer came from a leaked `Box<More>` and the box is owned
            // here; it is not used again.
            drop(unsafe { Box::from_raw(p.as_ptr()) });
        }
        // SAFETY: the allocation was made with this very layout (its bytes have not changed since
        // `build`), and it is not used again.
        unsafe { dealloc(self.ptr.as_ptr(), layout) };
    }
}

/// How long the allocation starting at `start` is, read from the header and the lengths.
///
/// # Safety
/// `start` must point to a handle's well-formed bytes (see the module's invariant).
unsafe fn walk_raw(start: *const u8) -> usize {
    // SAFETY: the caller's promise: the header and every length read here are inside the
    // allocation, since each text lies inside it.
    unsafe {
        let header = u16::from_le_bytes([*start, *start.add(1)]);
        let mut at = texts_start(header);
        for k in 0..TEXTS {
            if header & (1 << k) != 0 {
                let mut len = 0usize;
                let mut shift = 0;
                loop {
                    let b = *start.add(at);
                    at += 1;
                    len |= usize::from(b & 0x7f) << shift;
                    if b & 0x80 == 0 {
                        break;
                    }
                    shift += 7;
                }
                at += len;
            }
        }
        at
    }
}

/// [`walk_raw`] on a slice, checked: where the bytes end, or `None` if the header, a length or a
/// text runs past the slice. (Whether the texts are UTF-8 is up to the writer, see
/// [`texts_are_utf8`].)
pub(super) fn walk(bytes: &[u8]) -> Option<usize> {
    let header = u16::from_le_bytes([*bytes.first()?, *bytes.get(1)?]);
    let mut at = texts_start(header);
    for k in 0..TEXTS {
        if header & (1 << k) != 0 {
            let (mut len, mut shift) = (0usize, 0u32);
            loop {
                let b = *bytes.get(at)?;
                at += 1;
                len |= usize::from(b & 0x7f).checked_shl(shift)?;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            at = at.checked_add(len)?;
        }
    }
    (at <= bytes.len()).then_some(at)
}

/// Whether every text of well-formed bytes is UTF-8.
fn texts_are_utf8(bytes: &[u8]) -> bool {
    let header = u16::from_le_bytes([bytes[0], bytes[1]]);
    let mut at = texts_start(header);
    (0..TEXTS).filter(|k| header & (1 << k) != 0).all(|_| {
        let (len, after) = read_len(bytes, at);
        at = after + len;
        std::str::from_utf8(&bytes[after..at]).is_ok()
    })
}

/// The length of a text, as LEB128 from `at`: the length and where the text starts.
pub(super) fn read_len(packed: &[u8], mut at: usize) -> (usize, usize) {
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

/// Writes `len` as LEB128 at `at`; returns where it ends.
pub(super) fn write_len(out: &mut [u8], mut at: usize, mut len: usize) -> usize {
    loop {
        let b = (len & 0x7f) as u8;
        len >>= 7;
        if len == 0 {
            out[at] = b;
            return at + 1;
        }
        out[at] = b | 0x80;
        at += 1;
    }
}

/// How many bytes `len` takes as LEB128.
pub(super) fn len_size(len: usize) -> usize {
    (usize::BITS - len.max(1).leading_zeros()).div_ceil(7) as usize
}
