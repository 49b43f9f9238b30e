//! Matching and ranking over 10k, 100k and 1M numbers, and parsing replies.
//!
//! ```text
//! cargo bench --bench matching
//! ```
//!
//! The numbers come from [`wxpick::demo::synthetic_records`]: blocks of consecutive numbers in
//! the US, Canada, the UK, Germany, France and Australia, as `--input` would load them. Each
//! search is what one keystroke costs in `--filter` mode, or in the picker without the help of
//! the previous keystroke's results: every record is looked at.

use std::sync::{Arc, Mutex, OnceLock};

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use wxpick::demo::{synthetic_records, write_reply};
use wxpick::numbers::catalog::Catalog;
use wxpick::numbers::filters::Filters;
use wxpick::numbers::matcher::{Matcher, Query, search};
use wxpick::numbers::record::{parse_page, parse_page_reader};
use wxpick::tui::bench::Keys;

fn main() {
    // The picker loads the phone number metadata off the UI thread at start; so does this, once,
    // before any frame is drawn.
    let _ = wxpick::numbers::phone::international("+12056350001");
    divan::main();
}

const SIZES: &[usize] = &[10_000, 100_000, 1_000_000];
/// The query shapes of the performance issue: a few digits, a formatted prefix, the middle and
/// the end of numbers, and an attribute with digits.
const QUERIES: &[&str] = &["2056", "+1 205 635", "635001", "0001", "active 555"];

/// The catalog of `n` synthetic numbers, built once per size.
fn catalog(n: usize) -> Arc<Catalog> {
    static BUILT: Mutex<Vec<(usize, Arc<Catalog>)>> = Mutex::new(Vec::new());
    let mut built = BUILT.lock().unwrap();
    if let Some((_, c)) = built.iter().find(|(size, _)| *size == n) {
        return Arc::clone(c);
    }
    let c = Arc::new(Catalog::from_records(synthetic_records(n)));
    built.push((n, Arc::clone(&c)));
    c
}

/// `matcher::search` over every record: match, then rank the matches.
#[divan::bench(consts = SIZES, args = QUERIES, sample_count = 10, sample_size = 1)]
fn search_all<const N: usize>(bencher: Bencher, query: &str) {
    let c = catalog(N);
    let filters = Filters::default();
    bencher.counter(ItemsCount::new(N)).bench(|| search(&c, None, &Matcher::new(Query::parse(query)), &filters));
}

/// One keystroke in the picker at 100k numbers (80x24), from a typed prefix: the key goes
/// through `update`, the search it asks for runs (over the prefix's results when the key only
/// narrows them, as the picker does), and the frame is drawn. The result cache is empty, so the
/// search really runs. Target: within one 16 ms frame.
#[divan::bench(args = ["2", "2056", "+1 205 635", "635001", "0001", "active 555"], sample_count = 30)]
fn keystroke_100k(bencher: Bencher, typed: &str) {
    let catalog = catalog(100_000);
    let (prefix, last) = typed.split_at(typed.len() - 1);
    let last = last.chars().next().unwrap();
    bencher
        .with_inputs(|| {
            let mut m = Keys::new(Arc::clone(&catalog), 80, 24);
            // Shows the results for the prefix (all numbers for an empty one), as after typing it.
            m.paste(prefix);
            assert_eq!(m.covered(), catalog.len());
            m.clear_cache();
            let terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).unwrap();
            (m, terminal)
        })
        .bench_local_values(|(mut m, mut terminal)| {
            m.key(last);
            terminal.draw(|f| m.draw(f)).unwrap();
            (m, terminal)
        });
}

/// A reply of `n` numbers as the API sends it.
fn reply(n: usize) -> &'static [u8] {
    static PAGE: OnceLock<Vec<u8>> = OnceLock::new();
    static SAVED: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if n == 2000 { &PAGE } else { &SAVED };
    cell.get_or_init(|| {
        let mut out = Vec::new();
        write_reply(&synthetic_records(n), &mut out).unwrap();
        out
    })
}

/// One 2,000-number page, as the client parses each reply (`numbers::record::parse_page`).
#[divan::bench(sample_count = 200)]
fn parse_page_2000(bencher: Bencher) {
    let body = reply(2000);
    bencher.counter(BytesCount::of_slice(body)).bench(|| parse_page(black_box(body)).unwrap());
}

/// A saved reply of 100,000 numbers read from a reader, as `--input` reads a file
/// (`numbers::record::parse_page_reader`).
#[divan::bench(sample_count = 10)]
fn parse_saved_100k(bencher: Bencher) {
    let body = reply(100_000);
    bencher.counter(BytesCount::of_slice(body)).bench(|| parse_page_reader(black_box(body)).unwrap());
}
