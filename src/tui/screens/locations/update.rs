//! How the locations screen changes. Pure: no I/O, no clock, no terminal.

use super::{LocationsScreen, LocationsStatus};
use crate::location_search;
use crate::tui::msg::{Intent, Msg};
use crate::webex::locations::LocationEvent;

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
        Msg::Locations(event) => apply(s, event),
        Msg::Resize { height, .. } => s.cursor.resize(list_rows(height), s.hits.len()),
        _ => {}
    }
}

/// Rows for the list on a screen of `height` rows: all but the query line and the status line.
pub fn list_rows(height: u16) -> usize {
    height.saturating_sub(2) as usize
}

fn apply(s: &mut LocationsScreen, event: LocationEvent) {
    if let Some(fresh) = &mut s.refresh {
        // The cached list stays in view until the fresh one is whole.
        match event {
            LocationEvent::Page(page) => {
                let new: Vec<_> = page.into_iter().filter(|l| !fresh.iter().any(|k| k.id == l.id)).collect();
                fresh.extend(new);
                return;
            }
            LocationEvent::Done => return replace(s),
            // A failure leaves the cached list (the status line says it is stale); a retry
            // lists again from the start.
            LocationEvent::Failed(_) => fresh.clear(),
            LocationEvent::Retrying { .. } => {}
        }
    }
    match event {
        LocationEvent::Page(page) => {
            // After a retry the list comes again from its start: keep each location once.
            let fresh: Vec<_> = page.into_iter().filter(|l| !s.locations.iter().any(|k| k.id == l.id)).collect();
            s.locations.extend(fresh);
            if s.status != LocationsStatus::Done {
                s.status = LocationsStatus::Loading;
            }
            search(s, true);
        }
        LocationEvent::Retrying { wait, error } => {
            s.status = LocationsStatus::Retrying(format!("{error}; retrying in {} s", wait.as_secs_f64().ceil()));
        }
        LocationEvent::Done => s.status = LocationsStatus::Done,
        LocationEvent::Failed(error) => s.status = LocationsStatus::Failed(error.to_string()),
    }
}

/// The fresh list in place of the cached one; the highlight stays on its location.
fn replace(s: &mut LocationsScreen) {
    let Some(fresh) = s.refresh.take() else { return };
    let highlighted = s.selected().map(|l| l.id.clone());
    let gone = s.locations.iter().filter(|l| !fresh.iter().any(|k| k.id == l.id)).count();
    let new = fresh.iter().filter(|l| !s.locations.iter().any(|k| k.id == l.id)).count();
    s.locations = fresh;
    s.cached = None;
    s.status = LocationsStatus::Done;
    s.note = Some(match (gone, new) {
        (0, 0) => "up to date".to_string(),
        _ => format!("refreshed: {gone} gone, {new} new"),
    });
    search(s, false);
    if let Some(p) = highlighted.and_then(|id| s.hits.iter().position(|&h| s.locations[h].id == id)) {
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
    s.hits = location_search::search(&s.locations, &s.query.text);
    s.cursor.selected = kept.and_then(|k| s.hits.iter().position(|&h| h == k)).unwrap_or(0);
    if kept.is_none() {
        s.cursor.offset = 0;
    }
    s.cursor.keep_visible(s.hits.len());
}
