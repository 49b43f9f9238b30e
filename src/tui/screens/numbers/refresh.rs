//! A fresh list replaces the cached one it was fetched for: numbers gone disappear, new ones
//! appear, the highlight stays on the same number where it still exists, and the status line
//! says what changed.

use std::collections::HashSet;
use std::sync::Arc;

use super::NumbersScreen;
use super::update::request_search;
use crate::load::LoadStatus;
use crate::numbers::catalog::Catalog;
use crate::tui::msg::Effect;

/// Puts the refresh, now whole, in place of the shown list (a refresh that ended otherwise stays
/// aside: the cached rows are kept, and the status line says why they are stale).
pub fn replace(s: &mut NumbersScreen, fx: &mut Vec<Effect>) {
    if !s.refresh.as_ref().is_some_and(|r| matches!(r.status, LoadStatus::Done)) {
        return;
    }
    let Some(fresh) = s.refresh.take() else { return };
    let highlighted = s.selected_index().map(|i| s.list.catalog.get(i as usize).phone_number.clone());
    let old = std::mem::replace(&mut s.list, fresh);
    let (gone, new) = changes(&old.catalog, &s.list.catalog);
    // Marks are indices into the catalog: they follow their numbers into the fresh one.
    let unmarked = s.marks.remap(&old.catalog, &s.list.catalog);
    s.refreshed = Some(match unmarked {
        0 if gone == 0 && new == 0 => "up to date".to_string(),
        0 => format!("refreshed: {gone} gone, {new} new"),
        n => format!("refreshed: {gone} gone ({n} marked), {new} new"),
    });
    tracing::info!(gone, new, numbers = s.list.catalog.len(), "cached list replaced by the fresh one");
    // The old results index the old catalog: start over, for the same question.
    let r = &mut s.results;
    r.epoch += 1;
    r.cache.clear();
    r.hits = Arc::new(Vec::new());
    r.covered = 0;
    s.selected_record =
        highlighted.and_then(|n| s.list.catalog.records().iter().position(|r| r.phone_number == n)).map(|i| i as u32);
    if s.list.is_keepable() {
        fx.push(Effect::Keep(Arc::clone(&s.list.catalog)));
    }
    request_search(s, fx);
}

/// How many numbers of `old` are not in `new`, and how many of `new` were not in `old`.
fn changes(old: &Catalog, new: &Catalog) -> (usize, usize) {
    fn numbers(c: &Catalog) -> HashSet<&str> {
        c.records().iter().map(|r| &*r.phone_number).collect()
    }
    let (before, after) = (numbers(old), numbers(new));
    (before.difference(&after).count(), after.difference(&before).count())
}
