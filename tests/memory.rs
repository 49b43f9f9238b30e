//! What records cost on the heap, counted by a global allocator: a record with an owner or an
//! extension is one allocation (issue 22's memory target), a record without is none, and
//! dropping or cloning records frees or makes exactly what they hold (a rare part freed with the
//! wrong size shows as bytes that never come back).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering::Relaxed};

use serde_json::Value;
use wxpick::numbers::record::{NumberLocation, NumberRecord, Owner, State, parse_file, parse_page_reader};

/// The system allocator, counting the allocations alive and their bytes (by the layouts given,
/// so a free with another size than the allocation's is seen).
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static BYTES: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed to `System` as it came; the counters only watch.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as isize, Relaxed);
        // SAFETY: the caller's promises are `System`'s.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(1, Relaxed);
        BYTES.fetch_add(layout.size() as isize, Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(1, Relaxed);
        BYTES.fetch_sub(layout.size() as isize, Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        BYTES.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

fn live() -> (isize, isize) {
    (LIVE.load(Relaxed), BYTES.load(Relaxed))
}

/// A reply of `n` records as the call-forwarding lists send them: each fourth without an
/// extension or owner, each fourth with an extension only, the rest with an owner too, some
/// names not ASCII and some long enough for lengths of two and three LEB128 bytes.
fn reply(n: usize) -> (String, usize) {
    let mut out = String::from(r#"{"phoneNumbers":["#);
    let mut rare = 0;
    for i in 0..n {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#"{{"phoneNumber":"+1205635{i:04}","state":"ACTIVE","isMainNumber":false"#));
        if i % 4 != 0 {
            rare += 1;
            out.push_str(&format!(r#","extension":"{}""#, 1000 + i));
        }
        if i % 4 >= 2 {
            let last = match i % 50 {
                2 => "é".repeat(100),    // 200 bytes: a two-byte length
                3 => "x".repeat(70_000), // a three-byte length
                _ => format!("Łukasiewicz{i}"),
            };
            out.push_str(&format!(r#","owner":{{"type":"PEOPLE","firstName":"Zoë","lastName":"{last}"}}"#));
        }
        out.push('}');
    }
    out.push_str("]}");
    (out, rare)
}

/// The counters are the whole process's, and the test harness allocates as a test thread ends:
/// so this file has one test, which runs the others in turn.
#[test]
fn records_on_the_heap() {
    a_record_with_an_owner_or_an_extension_is_one_allocation();
    cloned_and_dropped_records_give_back_every_byte();
}

fn a_record_with_an_owner_or_an_extension_is_one_allocation() {
    let (text, rare) = reply(4_000);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.json");
    std::fs::write(&path, &text).unwrap();
    let file = std::fs::File::open(&path).unwrap();
    for parallel in [false, true] {
        let before = live();
        let page = if parallel { parse_file(&file) } else { parse_page_reader(text.as_bytes()) }.unwrap();
        let held = live().0 - before.0;
        assert_eq!(page.numbers.len(), 4_000);
        assert_eq!(page.numbers.iter().filter(|r| r.has_rare()).count(), rare);
        assert_eq!(page.numbers[3].owner().and_then(|o| o.last_name()).map(str::len), Some(70_000));
        // The records' vector, and one allocation for each record with a rare part.
        assert_eq!(held, rare as isize + 1, "parallel: {parallel}");
        drop(page);
        assert_eq!(live(), before, "dropping the page frees all it held (parallel: {parallel})");
    }
}

fn cloned_and_dropped_records_give_back_every_byte() {
    let before = live();
    let mut records = Vec::with_capacity(8);
    for (k, ext) in ["1", &"9".repeat(128), &"٣".repeat(8_200), &"e".repeat(70_000)].into_iter().enumerate() {
        let mut plain = NumberRecord::new(&format!("+1205555000{k}"), State::Active, false, false, false);
        plain.set_extension(Some(ext));
        plain.set_owner(Some(Owner {
            first_name: Some("Ada".into()),
            last_name: Some(format!("Lövelace {k}")),
            owner_type: Some("PEOPLE".into()),
            ..Owner::default()
        }));
        let mut more = plain.clone();
        more.set_location(Some(NumberLocation { name: Some("Zürich".into()), ..NumberLocation::default() }));
        more.extra_mut().insert("badge".into(), Value::from(vec![1, 2, 3]));
        records.push(plain);
        records.push(more);
    }
    let held = live();
    assert!(held.0 - before.0 >= 9, "the vector and eight rare parts at least: {held:?} {before:?}");
    let copies = records.clone();
    assert_eq!(copies, records);
    assert_ne!(copies[0], copies[1], "the location and unknown field count");
    assert_eq!(copies[7].extension().map(str::len), Some(70_000));
    assert_eq!(copies[5].location().and_then(|l| l.name.as_deref()), Some("Zürich"));
    let cloned = live();
    assert_eq!(cloned.0 - held.0, held.0 - before.0, "a clone allocates as much as the original");
    assert_eq!(cloned.1 - held.1, held.1 - before.1);
    drop(records);
    assert_eq!(copies[6].owner().and_then(|o| o.last_name()), Some("Lövelace 3"), "copies own their texts");
    // Emptying what the second box holds drops the box, and then the record's rare part.
    let mut last = copies.last().unwrap().clone();
    last.set_location(None);
    last.extra_mut().clear();
    assert_eq!(&last, copies.iter().nth_back(1).unwrap(), "an emptied box equals none");
    last.set_extension(None);
    last.set_owner(None);
    assert!(!last.has_rare(), "{last:?}");
    drop((copies, last));
    assert_eq!(live(), before, "every byte given back");
}
