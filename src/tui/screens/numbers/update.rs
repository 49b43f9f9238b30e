//! How the numbers screen changes. Pure: no I/O, no clock, no terminal.

use std::sync::Arc;

use super::marks::Refused;
use super::{NumbersScreen, Then};
use crate::numbers::kinds::NumberKind;
use crate::numbers::matcher::{Matcher, Query, search_until};
use crate::tui::msg::{Effect, Intent, Msg, SearchJob, SearchResult};
use crate::webex::FetchEvent;

/// The most characters a paste adds to the query.
const MAX_PASTE: usize = 200;

/// Applies one message to the screen; returns what the event loop must do.
pub fn update(s: &mut NumbersScreen, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Intent(i) => intent(s, i, &mut fx),
        Msg::Paste(text) => {
            // A query is a few words; a huge paste is cut short.
            for c in text.chars().take(MAX_PASTE) {
                s.query.insert(if c.is_control() { ' ' } else { c });
            }
            request_search(s, &mut fx);
        }
        Msg::Fetch(event) => {
            let done = matches!(event, FetchEvent::Done { .. });
            if let Some(fresh) = &mut s.refresh {
                // Pages of the fresh list go aside until it is whole; then it replaces the shown one.
                fresh.apply(event);
                if done {
                    super::refresh::replace(s, &mut fx);
                }
            } else {
                if s.list.apply(event) {
                    s.results.cache.clear();
                    request_search(s, &mut fx);
                }
                if done && s.list.is_keepable() {
                    fx.push(Effect::Keep(Arc::clone(&s.list.catalog)));
                }
            }
        }
        Msg::Opened => request_search(s, &mut fx),
        Msg::Searched(result) => searched(s, result),
        Msg::Copied(Ok(text)) | Msg::Copied(Err(text)) => s.note = Some(text),
        Msg::Resize { height, .. } => s.fit(height),
        // The picker's own, or the lookup screen's.
        Msg::Tick(_)
        | Msg::Signal
        | Msg::FetchFor(..)
        | Msg::Prepared(..)
        | Msg::Lookup(_)
        | Msg::LookupOpened(_)
        | Msg::LookupFailed(_)
        | Msg::Started(_)
        | Msg::Began(_)
        | Msg::Retried(_)
        | Msg::Checked { .. } => {}
    }
    fx
}

/// How many numbers of the catalog each kind of Ctrl-T's cycle has, in the cycle's order.
fn kind_counts(catalog: &crate::numbers::catalog::Catalog) -> Vec<(NumberKind, usize)> {
    let mut counts: Vec<(NumberKind, usize)> = NumberKind::types().map(|k| (k, 0)).collect();
    for i in 0..catalog.len() {
        let rec = catalog.get(i);
        for (k, n) in counts.iter_mut() {
            *n += usize::from(k.holds(rec));
        }
    }
    counts
}

/// How many numbers each kind of Ctrl-T's cycle has (kinds with none left out: the cycle skips
/// them): `all 1,022, service 143, standard 879`. The status line already names a type filter
/// that is on (`type: service`); back at all, the note says so itself (`type: all · all 1,022, …`).
fn type_note(types: crate::numbers::filters::TypeFilter, counts: &[(NumberKind, usize)], total: usize) -> String {
    use crate::tui::widgets::status_line::count;
    let each: Vec<String> =
        counts.iter().filter(|(_, n)| *n > 0).map(|(k, n)| format!("{} {}", k.label(), count(*n))).collect();
    let counts = format!("all {}, {}", count(total), each.join(", "));
    if types.is_all() { format!("type: all · {counts}") } else { counts }
}

/// Rows for the list on a screen of `height` rows: all but the query line and the status line.
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(list_top(height) + 1) as usize
}

/// The rows above the list in a numbers screen `height` rows high: the query line, and the
/// column header line unless the screen is too low to spare it (then the list keeps its row).
pub fn list_top(height: u16) -> u16 {
    if height >= 4 { 2 } else { 1 }
}

/// What Enter picks or Ctrl-Y copies: the marks (`--multi`), else the highlighted record if it
/// is a valid number; else why not. `None`: nothing is highlighted.
pub fn chosen(s: &NumbersScreen, then: Then) -> Option<Result<Vec<u32>, String>> {
    // Marked numbers are the choice, also those the query hides now.
    if !s.marks.is_empty() {
        return Some(Ok(s.marks.in_list_order()));
    }
    let i = s.selected_index()?;
    let Some(why) = s.list.catalog.get(i as usize).not_pickable_reason() else { return Some(Ok(vec![i])) };
    let what = match then {
        Then::Pick => "picked",
        Then::Copy => "copied",
    };
    Some(Err(format!("{why}: it cannot be {what}")))
}

fn intent(s: &mut NumbersScreen, i: Intent, fx: &mut Vec<Effect>) {
    let before = s.query.text.clone();
    let len = s.results.hits.len();
    if s.marks.on && matches!(i, Intent::Mark | Intent::Unmark) {
        mark(s, i);
        return;
    }
    if let Some(delta) = s.cursor.delta(i) {
        move_by(s, delta);
        return;
    }
    match i {
        _ if s.query.edit(i) => {}
        // Screen row 0 is the query line, and row 1 the column header when there is one.
        Intent::Click(row) if row >= s.list_top && s.cursor.click((row - s.list_top) as usize, len) => {
            s.selected_record = s.selected_index();
        }
        Intent::CycleState => {
            s.filters.state = s.filters.state.next();
            request_search(s, fx);
        }
        Intent::CycleType => {
            // Kinds no number of the list has are skipped; the note counts each kind.
            let counts = kind_counts(&s.list.catalog);
            let count = |k: NumberKind| counts.iter().find(|(kind, _)| *kind == k).map_or(0, |(_, n)| *n);
            s.filters.types = s.filters.types.next_held(count);
            s.note = Some(type_note(s.filters.types, &counts, s.list.catalog.len()));
            request_search(s, fx);
        }
        Intent::Copy => match chosen(s, Then::Copy) {
            Some(Ok(picks)) => match super::check::deliver(s, picks, Then::Copy) {
                Ok(picks) => fx.push(Effect::Copy(s.list.catalog.numbers_text(&picks))),
                Err(checking) => fx.extend(checking),
            },
            Some(Err(why)) => s.note = Some(why),
            None => {}
        },
        Intent::Retry => {
            if let Some(resume) = s.refresh.as_mut().unwrap_or(&mut s.list).resume() {
                fx.push(Effect::Fetch(resume));
            }
        }
        // Edits and moves are handled above; the picker's own keys (help, quit, pick, back)
        // never reach a screen.
        _ => {}
    }
    if s.query.text != before {
        request_search(s, fx);
    }
}

/// `--multi`: Tab marks the highlighted number, or unmarks it when marked, and moves down;
/// Shift-Tab unmarks it and moves up. A mark refused (an invalid number, the limit reached)
/// says why in the status line and does not move, as in fzf.
fn mark(s: &mut NumbersScreen, i: Intent) {
    let Some(rec) = s.selected_index() else { return };
    if i == Intent::Unmark {
        s.marks.unmark(rec);
        move_by(s, -1);
        return;
    }
    if !s.marks.contains(rec)
        && let Some(why) = s.list.catalog.get(rec as usize).not_pickable_reason()
    {
        s.note = Some(format!("{why}: it cannot be marked"));
        return;
    }
    if let Err(Refused::Full(max)) = s.marks.toggle(rec) {
        s.note = Some(format!("{max} marked already, the most --multi={max} allows"));
        return;
    }
    move_by(s, 1);
}

fn move_by(s: &mut NumbersScreen, delta: i64) {
    if s.results.hits.is_empty() {
        return;
    }
    s.cursor.move_by(delta, s.results.hits.len());
    s.selected_record = s.selected_index();
}

/// Asks for the results of the current query and filters: from the cache when they are there,
/// else by a search over the previous results when the query only narrows them.
pub(super) fn request_search(s: &mut NumbersScreen, fx: &mut Vec<Effect>) {
    let r = &mut s.results;
    r.generation += 1;
    let key = (s.query.text.clone(), s.filters);
    if let Some(hits) = r.cache.get(&key).cloned() {
        let result = SearchResult {
            generation: r.generation,
            epoch: r.epoch,
            query: key.0,
            filters: key.1,
            covered: s.list.catalog.len(),
            hits,
        };
        searched(s, result);
        return;
    }
    let query = Query::parse_as(&s.query.text, s.exact);
    let narrows = r.filters == s.filters && r.covered == s.list.catalog.len() && query.narrows(r.matcher.query());
    fx.push(Effect::Search(SearchJob {
        generation: r.generation,
        epoch: r.epoch,
        query: s.query.text.clone(),
        exact: s.exact,
        filters: s.filters,
        catalog: Arc::clone(&s.list.catalog),
        candidates: narrows.then(|| Arc::clone(&r.hits)),
    }));
}

fn searched(s: &mut NumbersScreen, res: SearchResult) {
    let matcher = (res.query != s.results.query).then(|| Matcher::new(s.parse(&res.query)));
    let r = &mut s.results;
    // A result over a list since replaced indexes another catalog.
    if res.epoch != r.epoch {
        return;
    }
    // A result for an older keystroke or a smaller catalog than shown is stale.
    if res.generation < r.generation && !(res.query == s.query.text && res.filters == s.filters) {
        return;
    }
    if res.covered < r.covered && res.covered < s.list.catalog.len() {
        return;
    }
    let same_question = res.query == r.query && res.filters == r.filters;
    if res.covered == s.list.catalog.len() {
        r.cache.insert((res.query.clone(), res.filters), Arc::clone(&res.hits));
    }
    r.hits = res.hits;
    if let Some(matcher) = matcher {
        r.matcher = matcher;
    }
    r.query = res.query;
    r.filters = res.filters;
    r.covered = res.covered;
    let len = r.hits.len();
    let kept =
        if same_question { s.selected_record.and_then(|rec| r.hits.iter().position(|&h| h == rec)) } else { None };
    s.cursor.selected = match kept {
        Some(p) => p,
        None if same_question => s.cursor.selected.min(len.saturating_sub(1)),
        None => 0,
    };
    s.selected_record = s.selected_index();
    if !same_question {
        s.cursor.offset = 0;
    }
    s.cursor.keep_visible(len);
}

/// Runs a search job; `None` when it went stale before finishing.
pub fn run_search(job: &SearchJob, stop: &dyn Fn() -> bool) -> Option<SearchResult> {
    let matcher = Matcher::new(Query::parse_as(&job.query, job.exact));
    let hits =
        search_until(&job.catalog, job.candidates.as_deref().map(|v| v.as_slice()), &matcher, &job.filters, stop)?;
    Some(SearchResult {
        generation: job.generation,
        epoch: job.epoch,
        query: job.query.clone(),
        filters: job.filters,
        covered: job.catalog.len(),
        hits: Arc::new(hits),
    })
}
