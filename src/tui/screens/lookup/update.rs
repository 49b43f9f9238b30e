//! How the lookup screen changes. Pure: no I/O, no clock, no terminal.

use std::collections::HashSet;
use std::sync::Arc;

use super::{LookupScreen, LookupStatus};
use crate::load::{Collection, ListLoad, LoadStatus, Records};
use crate::location_search;
use crate::tui::msg::{Intent, Msg};
use crate::webex::FetchEvent;
use crate::webex::owners::Row;

/// The most characters a paste adds to the query.
const MAX_PASTE: usize = 200;

/// Applies one message to the screen (Enter, Esc and help are the picker's).
pub fn update<R: Row>(s: &mut LookupScreen<R>, msg: Msg) {
    match msg {
        Msg::Intent(i) => intent(s, i),
        Msg::Paste(text) => {
            for c in text.chars().take(MAX_PASTE) {
                s.query.insert(if c.is_control() { ' ' } else { c });
            }
            search(s, false);
        }
        Msg::Resize { height, .. } => {
            s.top = top_rows(height);
            s.cursor.resize(list_rows(height), s.hits.len());
        }
        _ => {}
    }
}

/// The screen's rows above the list: the title, the query line and the column header; on a
/// screen too low for them, the query line only.
pub fn top_rows(height: u16) -> u16 {
    if height >= TITLED_FROM { 3 } else { 1 }
}

/// From this height the screen has a title line and a column header.
pub const TITLED_FROM: u16 = 6;

/// Rows for the list on a screen of `height` rows: all but the rows above it and the status line.
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(top_rows(height) + 1) as usize
}

/// How the screen's status reads from a list's.
pub fn status_of<R: Row>(list: &ListLoad<Records<R>>) -> LookupStatus {
    match &list.status {
        LoadStatus::Loading { .. } => LookupStatus::Loading,
        LoadStatus::Retrying { wait, reason, .. } => {
            LookupStatus::Retrying(format!("{reason}; retrying in {} s", wait.as_secs_f64().ceil()))
        }
        LoadStatus::Done => LookupStatus::Done,
        LoadStatus::Failed { reason, .. } => LookupStatus::Failed(reason.clone()),
    }
}

/// Folds one event of the listing into the list (or, while a cached list is in view, into the
/// fresh one beside it). Returns the list to keep in the cache, once one is whole.
pub fn apply<R: Row>(s: &mut LookupScreen<R>, event: FetchEvent<R>) -> Option<Arc<Records<R>>> {
    if let Some(fresh) = &mut s.refresh {
        // The cached list stays in view until the fresh one is whole; a failure leaves it (the
        // status line says it is stale), and a retry resumes the fresh one.
        fresh.apply(event);
        s.status = status_of(fresh);
        if fresh.is_keepable() {
            let keep = Arc::clone(&fresh.catalog);
            replace(s);
            return Some(keep);
        }
        if matches!(fresh.status, LoadStatus::Done) {
            // Whole, but not surely so: the cached list stays in view, and is not replaced.
            s.refresh = None;
        }
        return None;
    }
    let grew = s.list.apply(event);
    s.status = status_of(&s.list);
    if grew {
        search(s, true);
    }
    s.list.is_keepable().then(|| Arc::clone(&s.list.catalog)).filter(|_| matches!(s.status, LookupStatus::Done))
}

/// The fresh list in place of the cached one; the highlight stays on its record.
fn replace<R: Row>(s: &mut LookupScreen<R>) {
    let Some(fresh) = s.refresh.take() else { return };
    let highlighted = s.selected().map(|l| l.id().to_string());
    let ids =
        |l: &ListLoad<Records<R>>| l.catalog.records().iter().map(|l| l.id().to_string()).collect::<HashSet<String>>();
    let (old, new) = (ids(&s.list), ids(&fresh));
    let gone = old.difference(&new).count();
    let added = new.difference(&old).count();
    s.list = fresh;
    s.status = LookupStatus::Done;
    s.note = Some(match (gone, added) {
        (0, 0) => "up to date".to_string(),
        _ => format!("refreshed: {gone} gone, {added} new"),
    });
    search(s, false);
    if let Some(p) = highlighted.and_then(|id| s.hits.iter().position(|&h| s.records()[h].id() == id)) {
        s.cursor.selected = p;
        s.cursor.keep_visible(s.hits.len());
    }
}

fn intent<R: Row>(s: &mut LookupScreen<R>, i: Intent) {
    let before = s.query.text.clone();
    let len = s.hits.len();
    if let Some(delta) = s.cursor.delta(i) {
        s.cursor.move_by(delta, len);
        return;
    }
    match i {
        _ if s.query.edit(i) => {}
        // The screen's rows above the list are the title, the query line and the header.
        Intent::Click(row) if row >= s.top => {
            s.cursor.click((row - s.top) as usize, len);
        }
        // Number filters, copy and retry mean nothing here.
        _ => {}
    }
    if s.query.text != before {
        search(s, false);
    }
}

/// Searches the records for the query. With `keep` (pages arriving), the highlight stays on
/// the same record; else it goes to the best match.
pub fn search<R: Row>(s: &mut LookupScreen<R>, keep: bool) {
    let kept = s.hits.get(s.cursor.selected).copied().filter(|_| keep);
    s.hits = location_search::search(s.records(), &s.query.text);
    s.cursor.selected = kept.and_then(|k| s.hits.iter().position(|&h| h == k)).unwrap_or(0);
    if kept.is_none() {
        s.cursor.offset = 0;
    }
    s.cursor.keep_visible(s.hits.len());
}
