//! The one place where the picker's state changes. Pure: no I/O, no clock, no terminal.

use std::sync::Arc;

use super::model::{Exit, Load, Model};
use super::msg::{Effect, Intent, Msg, SearchJob, SearchResult};
use crate::numbers::matcher::{Matcher, Query};
use crate::numbers::phone;
use crate::webex::FetchEvent;

/// The most characters a paste adds to the query.
const MAX_PASTE: usize = 200;

/// Applies one message; returns what the event loop must do.
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut fx = Vec::new();
    match msg {
        Msg::Intent(i) => intent(m, i, &mut fx),
        Msg::Paste(text) => {
            // A query is a few words; a huge paste is cut short.
            for c in text.chars().take(MAX_PASTE) {
                m.query.insert(if c.is_control() { ' ' } else { c });
            }
            request_search(m, &mut fx);
        }
        Msg::Fetch(event) => fetched(m, event, &mut fx),
        Msg::Loaded(catalog) => {
            m.catalog = catalog;
            m.cache.clear();
            request_search(m, &mut fx);
        }
        Msg::Searched(result) => searched(m, result),
        Msg::Tick => m.spinner = m.spinner.wrapping_add(1),
        Msg::Resize { width, height } => {
            m.width = width;
            m.height = height;
            keep_visible(m);
        }
        Msg::Signal => m.exit = Some(Exit::Cancelled),
        Msg::Copied(Ok(text)) => m.note = Some(text),
        Msg::Copied(Err(e)) => m.note = Some(e),
    }
    fx
}

fn intent(m: &mut Model, i: Intent, fx: &mut Vec<Effect>) {
    // Any key closes the help, and does nothing else: Enter must not pick unseen.
    if m.help {
        m.help = false;
        return;
    }
    if !matches!(i, Intent::Copy) {
        m.note = None;
    }
    let before = m.query.text.clone();
    match i {
        Intent::Insert(c) => m.query.insert(c),
        Intent::Backspace => m.query.backspace(),
        Intent::Delete => m.query.delete(),
        Intent::DeleteWord => m.query.delete_word(),
        Intent::ClearQuery => m.query.clear(),
        Intent::CursorLeft => m.query.left(),
        Intent::CursorRight => m.query.right(),
        Intent::CursorHome => m.query.home(),
        Intent::CursorEnd => m.query.end(),
        Intent::Up => move_by(m, -1),
        Intent::Down => move_by(m, 1),
        Intent::PageUp => move_by(m, -(m.list_height().max(1) as i64)),
        Intent::PageDown => move_by(m, m.list_height().max(1) as i64),
        Intent::First => move_by(m, i64::MIN / 2),
        Intent::Last => move_by(m, i64::MAX / 2),
        Intent::Scroll(n) => move_by(m, n as i64),
        Intent::Click(row) => {
            let row = row as usize;
            if row >= 1 && row <= m.list_height() && m.offset + row - 1 < m.hits.len() {
                m.selected = m.offset + row - 1;
                m.selected_record = m.selected_index();
            }
        }
        Intent::CycleState => {
            m.filters.state = m.filters.state.next();
            request_search(m, fx);
        }
        Intent::CycleType => {
            m.filters.types = m.filters.types.next();
            request_search(m, fx);
        }
        Intent::ToggleHelp => m.help = true,
        Intent::Escape | Intent::Cancel => m.exit = Some(Exit::Cancelled),
        Intent::Confirm => confirm(m),
        Intent::Copy => {
            if let Some(i) = m.selected_index() {
                let number = &m.catalog.get(i as usize).phone_number;
                if phone::is_plausible_e164(number) {
                    fx.push(Effect::Copy(number.to_string()));
                } else {
                    m.note = Some("not a valid E.164 number: it cannot be copied".into());
                }
            }
        }
        Intent::Retry => {
            if let Load::Failed { resume, .. } = &m.load {
                fx.push(Effect::Fetch(resume.clone()));
                m.load = Load::Loading { page: resume.page() };
            }
        }
    }
    if m.query.text != before {
        request_search(m, fx);
    }
}

fn confirm(m: &mut Model) {
    let Some(i) = m.selected_index() else { return };
    let number = &m.catalog.get(i as usize).phone_number;
    if phone::is_plausible_e164(number) {
        m.exit = Some(Exit::Confirmed(i));
    } else {
        m.note = Some("not a valid E.164 number: it cannot be picked".into());
    }
}

fn move_by(m: &mut Model, delta: i64) {
    if m.hits.is_empty() {
        return;
    }
    let last = m.hits.len() as i64 - 1;
    m.selected = (m.selected as i64).saturating_add(delta).clamp(0, last) as usize;
    m.selected_record = m.selected_index();
    keep_visible(m);
}

/// Scrolls so that the selection is on screen, and no further than needed.
fn keep_visible(m: &mut Model) {
    let h = m.list_height().max(1);
    if m.selected < m.offset {
        m.offset = m.selected;
    } else if m.selected >= m.offset + h {
        m.offset = m.selected + 1 - h;
    }
    m.offset = m.offset.min(m.hits.len().saturating_sub(h));
}

fn fetched(m: &mut Model, event: FetchEvent, fx: &mut Vec<Effect>) {
    match event {
        FetchEvent::Page { page, numbers } => {
            Arc::make_mut(&mut m.catalog).extend(numbers);
            // With several requests in flight, a later page may already be waiting to retry:
            // that is the news to keep showing.
            if !matches!(m.load, Load::Retrying { page: waiting, .. } if waiting > page) {
                m.load = Load::Loading { page: page + 1 };
            }
            m.cache.clear();
            request_search(m, fx);
        }
        // The earliest page that waits is what holds the list up: keep showing it.
        FetchEvent::Retrying { page, .. } if matches!(m.load, Load::Retrying { page: first, .. } if first < page) => {}
        FetchEvent::Retrying { page, wait, error, .. } => {
            let rate_limited = error.is_rate_limited();
            m.load = Load::Retrying { page, wait, reason: error.to_string(), rate_limited };
        }
        FetchEvent::Done { .. } => m.load = Load::Done,
        FetchEvent::Failed { page, error, resume } => {
            m.load = Load::Failed { page, reason: error.to_string(), error, resume };
        }
    }
}

/// Asks for the results of the current query and filters: from the cache when they are there,
/// else by a search over the previous results when the query only narrows them.
fn request_search(m: &mut Model, fx: &mut Vec<Effect>) {
    m.generation += 1;
    let key = (m.query.text.clone(), m.filters);
    if let Some(hits) = m.cache.get(&key).cloned() {
        let result =
            SearchResult { generation: m.generation, query: key.0, filters: key.1, covered: m.catalog.len(), hits };
        searched(m, result);
        return;
    }
    let query = Query::parse(&m.query.text);
    let narrows =
        m.shown_filters == m.filters && m.shown_covered == m.catalog.len() && query.narrows(m.matcher.query());
    fx.push(Effect::Search(SearchJob {
        generation: m.generation,
        query: m.query.text.clone(),
        filters: m.filters,
        catalog: Arc::clone(&m.catalog),
        candidates: narrows.then(|| Arc::clone(&m.hits)),
    }));
}

fn searched(m: &mut Model, r: SearchResult) {
    // A result for an older keystroke or a smaller catalog than shown is stale.
    if r.generation < m.generation && !(r.query == m.query.text && r.filters == m.filters) {
        return;
    }
    if r.covered < m.shown_covered && r.covered < m.catalog.len() {
        return;
    }
    let same_question = r.query == m.shown_query && r.filters == m.shown_filters;
    if r.covered == m.catalog.len() {
        m.cache.insert((r.query.clone(), r.filters), Arc::clone(&r.hits));
    }
    m.hits = r.hits;
    if r.query != m.shown_query {
        m.matcher = Matcher::new(Query::parse(&r.query));
    }
    m.shown_query = r.query;
    m.shown_filters = r.filters;
    m.shown_covered = r.covered;
    let kept =
        if same_question { m.selected_record.and_then(|rec| m.hits.iter().position(|&h| h == rec)) } else { None };
    m.selected = match kept {
        Some(p) => p,
        None if same_question => m.selected.min(m.hits.len().saturating_sub(1)),
        None => 0,
    };
    m.selected_record = m.selected_index();
    if !same_question {
        m.offset = 0;
    }
    keep_visible(m);
}

#[cfg(test)]
mod tests;
