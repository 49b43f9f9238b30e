//! The one allocation behind a [`Rare`](super::Rare), and the only unsafe code of the record
//! model's rare part. A record with an owner costs one heap chunk this way, not two (a box for
//! the handle and one for the texts): at a million records that is 600,000 chunks fewer.
//!
//! The allocation is laid out as
//!
//! ```text
//! [more: Option<Box<More>>][header: u16, little-endian][text][text]...
//! ```
//!
//! where header bit `k` (below [`TEXTS`]) says text `k` is there, [`HAS_OWNER`] says the record has
//! an owner, and each text there, in index order, is its length (LEB128) and its UTF-8 bytes. The
//! header and the texts are "the packed bytes". No total length is stored: it would push a typical
//! owner record (about 30 packed bytes) from a 48-byte into a 64-byte glibc chunk. The size is
//! read back from the header and the lengths when it is needed (to drop, to clone, to slice).
//!
//! The invariant every [`Thin`] keeps: `ptr` is an allocation of [`layout`]`(n)`, where `n` is what
//! [`walk`] reads from the packed bytes; its first [`MORE`] bytes hold an `Option<Box<More>>` the
//! handle owns; and its packed bytes are well formed (every text inside the allocation, valid
//! UTF-8). Only [`Thin::build`] makes allocations, and it checks the walk before it hands one out.

use std::alloc::{Layout, alloc_zeroed, dealloc, handle_alloc_error};
use std::marker::PhantomData;
use std::ptr::NonNull;

use super::More;

/// How many texts a record packs (header bits `0..TEXTS`).
pub(super) const TEXTS: usize = 8;
/// In the header: the record has an owner (which may have no text at all).
pub(super) const HAS_OWNER: u16 = 1 << TEXTS;

/// The first part of the allocation: the rarer things' box, or none (null: `Option<Box<_>>` is
/// guaranteed to be a nullable pointer).
type MoreSlot = Option<Box<More>>;
/// Where the packed bytes start.
const MORE: usize = size_of::<MoreSlot>();

/// An owning handle, one pointer wide and never null (so `Option<Thin>` is one pointer too).
pub(super) struct Thin {
    ptr: NonNull<u8>,
    /// It owns a `More` box and bytes, as a `Box` of them would.
    _owns: PhantomData<(MoreSlot, Box<[u8]>)>,
}

// SAFETY: a `Thin` owns its allocation alone (no other handle points into it, nothing is shared
// behind it), just like a `Box<(Option<Box<More>>, [u8])>`, which is `Send` and `Sync` because
// `More` is; the assertion below keeps that true when `More` changes.
unsafe impl Send for Thin {}
// SAFETY: as for `Send`: `&Thin` only reads, and `More` is `Sync`.
unsafe impl Sync for Thin {}

const _: () = {
    const fn send_sync<T: Send + Sync>() {}
    send_sync::<More>();
};

/// The allocation for `packed` packed bytes after the box.
fn layout(packed: usize) -> Layout {
    Layout::from_size_align(MORE + packed, align_of::<MoreSlot>()).expect("a record's texts fit in memory")
}

impl Thin {
    /// A new allocation holding `more`, the header and the texts given (`None`: not there).
    pub(super) fn new(more: Option<Box<More>>, owner: bool, texts: [Option<&str>; TEXTS]) -> Thin {
        let mut header = if owner { HAS_OWNER } else { 0 };
        let mut size = 2;
        for (k, t) in texts.iter().enumerate() {
            if let Some(t) = t {
                header |= 1 << k;
                size += len_size(t.len()) + t.len();
            }
        }
        Thin::build(more, size, |out| {
            out[..2].copy_from_slice(&header.to_le_bytes());
            let mut at = 2;
            for t in texts.into_iter().flatten() {
                at = write_len(out, at, t.len());
                out[at..at + t.len()].copy_from_slice(t.as_bytes());
                at += t.len();
            }
        })
    }

    /// An allocation for `size` packed bytes, which `fill` writes (from `&str`s, so UTF-8, or
    /// from another handle's packed bytes), with `more` in front. Panics (leaking the
    /// allocation, which is safe) if what `fill` wrote does not walk to exactly `size` bytes.
    fn build(more: Option<Box<More>>, size: usize, fill: impl FnOnce(&mut [u8])) -> Thin {
        let layout = layout(size);
        // SAFETY: the layout's size is at least `MORE` > 0.
        let ptr = unsafe { alloc_zeroed(layout) };
        let Some(ptr) = NonNull::new(ptr) else { handle_alloc_error(layout) };
        // SAFETY: the allocation is `MORE + size` bytes, all initialised (zeroed), and nothing
        // else refers to it; the slice is its last `size` bytes.
        let packed = unsafe { std::slice::from_raw_parts_mut(ptr.as_ptr().add(MORE), size) };
        fill(packed);
        assert_eq!(walk(packed), Some(size), "the packed texts fill their allocation");
        debug_assert!(texts_are_utf8(packed));
        // SAFETY: the allocation starts aligned for `MoreSlot` and has `MORE` bytes for it; they
        // hold no value yet (the zeroes are not dropped, they are overwritten).
        unsafe { ptr.cast::<MoreSlot>().write(more) };
        Thin { ptr, _owns: PhantomData }
    }

    /// The header and the texts.
    pub(super) fn packed(&self) -> &[u8] {
        let start = self.start();
        // SAFETY: by the invariant the packed bytes are well formed, so the walk reads only bytes
        // of the allocation (the header, then each length) and ends at its end; the slice lives
        // as long as `&self`, and nothing writes to the packed bytes after `build`.
        unsafe {
            let len = walk_raw(start);
            std::slice::from_raw_parts(start, len)
        }
    }

    fn start(&self) -> *const u8 {
        // SAFETY: the allocation is at least `MORE + 2` bytes long.
        unsafe { self.ptr.as_ptr().add(MORE) }
    }

    pub(super) fn header(&self) -> u16 {
        let start = self.start();
        // SAFETY: the header's two bytes are always there, right after the box.
        unsafe { u16::from_le_bytes([*start, *start.add(1)]) }
    }

    /// What even fewer records have.
    pub(super) fn more(&self) -> Option<&More> {
        // SAFETY: by the invariant the first `MORE` bytes hold an initialised `MoreSlot`, aligned,
        // and owned by this handle: borrowing `self` borrows it.
        unsafe { self.ptr.cast::<MoreSlot>().as_ref() }.as_deref()
    }

    pub(super) fn more_mut(&mut self) -> &mut Option<Box<More>> {
        // SAFETY: as in `more`, and `&mut self` makes the borrow unique.
        unsafe { self.ptr.cast::<MoreSlot>().as_mut() }
    }

    /// Every text, decoded at once.
    pub(super) fn texts(&self) -> [Option<&str>; TEXTS] {
        let packed = self.packed();
        let header = self.header();
        let mut out = [None; TEXTS];
        let mut at = 2;
        for (k, slot) in out.iter_mut().enumerate() {
            if header & (1 << k) != 0 {
                let (len, after) = read_len(packed, at);
                // SAFETY: the slice is text `k`, by its length.
                *slot = Some(unsafe { utf8(&packed[after..after + len]) });
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
        let packed = self.packed();
        let mut at = 2;
        for j in 0..k {
            if header & (1 << j) != 0 {
                let (len, after) = read_len(packed, at);
                at = after + len;
            }
        }
        let (len, after) = read_len(packed, at);
        // SAFETY: the slice is text `k`, by its length.
        Some(unsafe { utf8(&packed[after..after + len]) })
    }
}

/// A text's bytes as the `&str` they were written from.
///
/// # Safety
/// `bytes` must be exactly one text of a handle's packed bytes, sliced by its length.
unsafe fn utf8(bytes: &[u8]) -> &str {
    debug_assert!(std::str::from_utf8(bytes).is_ok());
    // SAFETY: `Thin::new` wrote each text whole from a `&str`, and a clone copies those bytes as
    // they are; the caller's slice is one such text.
    unsafe { std::str::from_utf8_unchecked(bytes) }
}

impl Clone for Thin {
    fn clone(&self) -> Self {
        let more = self.more().map(|m| Box::new(m.clone()));
        let packed = self.packed();
        Thin::build(more, packed.len(), |out| out.copy_from_slice(packed))
    }
}

impl Drop for Thin {
    fn drop(&mut self) {
        let layout = layout(self.packed().len());
        // SAFETY: by the invariant the box's slot is initialised and owned here, and the
        // allocation was made with this very layout (the packed bytes have not changed since);
        // neither is used again.
        unsafe {
            self.ptr.cast::<MoreSlot>().drop_in_place();
            dealloc(self.ptr.as_ptr(), layout);
        }
    }
}

/// How long the packed bytes starting at `start` are, read from the header and the lengths.
///
/// # Safety
/// `start` must point to well-formed packed bytes (see the module's invariant).
unsafe fn walk_raw(start: *const u8) -> usize {
    // SAFETY: the caller's promise: the header and every length read here are inside the packed
    // bytes, since each text lies inside them.
    unsafe {
        let header = u16::from_le_bytes([*start, *start.add(1)]);
        let mut at = 2;
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

/// [`walk_raw`] on a slice, checked: where the packed bytes end, or `None` if a length or a
/// text runs past the slice. (Whether the texts are UTF-8 is up to the writer, see
/// [`texts_are_utf8`].)
pub(super) fn walk(packed: &[u8]) -> Option<usize> {
    let header = u16::from_le_bytes([*packed.first()?, *packed.get(1)?]);
    let mut at = 2;
    for k in 0..TEXTS {
        if header & (1 << k) != 0 {
            let (mut len, mut shift) = (0usize, 0u32);
            loop {
                let b = *packed.get(at)?;
                at += 1;
                len |= usize::from(b & 0x7f).checked_shl(shift)?;
                if b & 0x80 == 0 {
                    break;
                }
                shift += 7;
            }
            at = at.checked_add(len).filter(|&end| end <= packed.len())?;
        }
    }
    Some(at)
}

/// Whether every text of well-formed packed bytes is UTF-8.
fn texts_are_utf8(packed: &[u8]) -> bool {
    let header = u16::from_le_bytes([packed[0], packed[1]]);
    let mut at = 2;
    (0..TEXTS).filter(|k| header & (1 << k) != 0).all(|_| {
        let (len, after) = read_len(packed, at);
        at = after + len;
        std::str::from_utf8(&packed[after..at]).is_ok()
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
