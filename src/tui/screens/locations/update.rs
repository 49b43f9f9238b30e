//! How the locations screen changes. Pure: no I/O, no clock, no terminal.

use std::collections::HashSet;
use std::sync::Arc;

use super::{LocationsScreen, LocationsStatus};
use crate::load::{Collection, LoadStatus, LocationList, Records};
use crate::location_search;
use crate::tui::msg::{Intent, Msg};
use crate::webex::FetchEvent;
use crate::webex::locations::Location;

/// The most characters a paste adds to the query.
const MAX_PASTE: usize = 200;

/// Applies one message to the screen (Enter, Esc and help are the picker's).
pub fn update(s: &mut LocationsScreen, msg: Msg) {
    match msg {
        Msg::Intent(i) => intent(s, i),
        Msg::Paste(text) => {
            for c in text.chars().take(MAX_PASTE) {
                s.query.insert(if c.is_control() { ' ' } else { c });
            }
            search(s, false);
        }
        Msg::Locations(event) => {
            apply(s, event);
        }
        Msg::Resize { height, .. } => s.cursor.resize(list_rows(height), s.hits.len()),
        _ => {}
    }
}

/// Rows for the list on a screen of `height` rows: all but the query line and the status line.
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(2) as usize
}

/// How the screen's status reads from a list's.
pub fn status_of(list: &LocationList) -> LocationsStatus {
    match &list.status {
        LoadStatus::Loading { .. } => LocationsStatus::Loading,
        LoadStatus::Retrying { wait, reason, .. } => {
            LocationsStatus::Retrying(format!("{reason}; retrying in {} s", wait.as_secs_f64().ceil()))
        }
        LoadStatus::Done => LocationsStatus::Done,
        LoadStatus::Failed { reason, .. } => LocationsStatus::Failed(reason.clone()),
    }
}

/// Folds one event of the listing into the list (or, while a cached list is in view, into the
/// fresh one beside it). Returns the list to keep in the cache, once one is whole.
pub fn apply(s: &mut LocationsScreen, event: FetchEvent<Location>) -> Option<Arc<Records<Location>>> {
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
    s.list.is_keepable().then(|| Arc::clone(&s.list.catalog)).filter(|_| matches!(s.status, LocationsStatus::Done))
}

/// The fresh list in place of the cached one; the highlight stays on its location.
fn replace(s: &mut LocationsScreen) {
    let Some(fresh) = s.refresh.take() else { return };
    let highlighted = s.selected().map(|l| l.id.clone());
    let ids = |l: &LocationList| l.catalog.records().iter().map(|l| l.id.clone()).collect::<HashSet<String>>();
    let (old, new) = (ids(&s.list), ids(&fresh));
    let gone = old.difference(&new).count();
    let added = new.difference(&old).count();
    s.list = fresh;
    s.status = LocationsStatus::Done;
    s.note = Some(match (gone, added) {
        (0, 0) => "up to date".to_string(),
        _ => format!("refreshed: {gone} gone, {added} new"),
    });
    search(s, false);
    if let Some(p) = highlighted.and_then(|id| s.hits.iter().position(|&h| s.locations()[h].id == id)) {
        s.cursor.selected = p;
        s.cursor.keep_visible(s.hits.len());
    }
}

fn intent(s: &mut LocationsScreen, i: Intent) {
    let before = s.query.text.clone();
    let len = s.hits.len();
    if let Some(delta) = s.cursor.delta(i) {
        s.cursor.move_by(delta, len);
        return;
    }
    match i {
        _ if s.query.edit(i) => {}
        // Screen row 0 is the query line.
        Intent::Click(row) if row >= 1 => {
            s.cursor.click(row as usize - 1, len);
        }
        // Number filters, copy and retry mean nothing here.
        _ => {}
    }
    if s.query.text != before {
        search(s, false);
    }
}

/// Searches the locations for the query. With `keep` (pages arriving), the highlight stays on
/// the same location; else it goes to the best match.
pub fn search(s: &mut LocationsScreen, keep: bool) {
    let kept = s.hits.get(s.cursor.selected).copied().filter(|_| keep);
    s.hits = location_search::search(s.locations(), &s.query.text);
    s.cursor.selected = kept.and_then(|k| s.hits.iter().position(|&h| h == k)).unwrap_or(0);
    if kept.is_none() {
        s.cursor.offset = 0;
    }
    s.cursor.keep_visible(s.hits.len());
}
