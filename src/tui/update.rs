//! The one place where the picker's state changes. Pure: no I/O, no clock, no terminal. The
//! picker's own keys (help, quit, pick, back) are handled here; everything else goes to the
//! screen in view.

use super::model::{Exit, Model, View};
use super::msg::{Effect, Intent, Msg, Opened};
use super::screens::numbers::check;
use super::screens::numbers::{NumbersScreen, Then};
use super::screens::{locations, numbers};

/// Applies one message; returns what the event loop must do.
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Intent(i) => return intent(m, i),
        Msg::Tick(now) => {
            m.spinner = m.spinner.wrapping_add(1);
            m.now = Some(now);
            // Notes fade; "checking …" stays while the check is pending.
            if m.numbers.checking.is_none() {
                m.fades[0].tick(&mut m.numbers.note, now);
            }
            m.fades[1].tick(&mut m.numbers.refreshed, now);
            if let Some(l) = &mut m.locations {
                m.fades[2].tick(&mut l.note, now);
            }
        }
        Msg::Resize { width, height } => {
            m.width = width;
            m.height = height;
            if let Some(l) = &mut m.locations {
                locations::update(l, Msg::Resize { width, height });
            }
            let area = m.layout().numbers;
            return numbers::update(&mut m.numbers, Msg::Resize { width: area.width, height: area.height });
        }
        Msg::Signal => m.exit = Some(Exit::Cancelled),
        Msg::Locations(event) => {
            if let Some(l) = &mut m.locations
                && let Some(whole) = locations::update::apply(l, event)
            {
                return vec![Effect::KeepLocations(whole)];
            }
        }
        Msg::LocationOpened(opened) => return opened_location(m, opened),
        Msg::Began(began) => super::connecting::began(m, began),
        Msg::Retried(note) => super::connecting::retried(m, note),
        Msg::Checked { numbers, result } => return checked(m, numbers, result),
        Msg::LocationFailed(why) => {
            if let Some(l) = &mut m.locations {
                l.note = Some(why);
            }
        }
        Msg::Paste(text) if m.view == View::Locations => {
            if let Some(l) = &mut m.locations {
                locations::update(l, Msg::Paste(text));
            }
        }
        other => return numbers::update(&mut m.numbers, other),
    }
    Vec::new()
}

fn intent(m: &mut Model, i: Intent) -> Vec<Effect> {
    // Any key closes the help, and does nothing else: Enter must not pick unseen. A help
    // longer than the screen scrolls with Up/Down (PgUp/PgDn, the wheel) first.
    if m.help {
        let area = ratatui::layout::Rect::new(0, 0, m.width, m.height);
        let most = super::widgets::help::overflow(area, m.help_screen());
        let by = match i {
            Intent::Up | Intent::Unmark => -1,
            Intent::Down | Intent::Mark => 1,
            Intent::PageUp => -i32::from(m.height),
            Intent::PageDown => i32::from(m.height),
            Intent::Scroll(n) => n,
            _ => 0,
        };
        if by != 0 && most > 0 {
            m.help_scroll = (i32::from(m.help_scroll) + by).clamp(0, i32::from(most)) as u16;
        } else if !matches!(i, Intent::Scroll(_) | Intent::Click(_)) || most == 0 {
            m.help = false;
            m.help_scroll = 0;
        }
        return Vec::new();
    }
    if !matches!(i, Intent::Copy) {
        m.numbers.note = None;
    }
    if let Some(l) = &mut m.locations {
        l.note = None;
    }
    match i {
        Intent::ToggleHelp => m.help = true,
        // From now on the user's choice, whatever the width.
        Intent::ToggleDetails => {
            m.details = Some(!m.details_on());
            m.relayout();
        }
        Intent::Escape | Intent::Cancel => m.exit = Some(Exit::Cancelled),
        Intent::Back => {
            if m.locations.is_some() {
                m.view = View::Locations;
            }
        }
        Intent::Retry if m.view == View::Locations => {
            if let Some(l) = m.locations.as_mut().filter(|l| l.can_retry())
                && let Some(from) = l.resume()
            {
                return vec![Effect::ListLocations(from)];
            }
        }
        Intent::Confirm if m.view == View::Locations => {
            let Some(chosen) = m.locations.as_ref().and_then(|l| l.selected()) else { return Vec::new() };
            // The location already open: back to its numbers as they were.
            if m.location.as_ref().is_some_and(|open| open.id == chosen.id) {
                m.view = View::Numbers;
                return Vec::new();
            }
            return vec![Effect::OpenLocation(chosen.clone())];
        }
        Intent::Confirm => match numbers::update::chosen(&m.numbers, Then::Pick) {
            Some(Ok(picks)) => match check::deliver(&mut m.numbers, picks, Then::Pick) {
                Ok(picks) => picked(m, picks),
                Err(checking) => return checking,
            },
            Some(Err(why)) => m.numbers.note = Some(why),
            None => {}
        },
        other if m.view == View::Locations => {
            if let Some(l) = &mut m.locations {
                locations::update(l, Msg::Intent(other));
            }
        }
        // Screen rows below the header line are the numbers screen's.
        Intent::Click(row) => {
            let top = m.numbers_top();
            if row >= top {
                return numbers::update(&mut m.numbers, Msg::Intent(Intent::Click(row - top)));
            }
        }
        other => return numbers::update(&mut m.numbers, Msg::Intent(other)),
    }
    Vec::new()
}

/// The server's word on numbers picked or copied from a list that was not fresh: they are
/// printed (or copied) only when it still lists every one of them.
fn checked(m: &mut Model, numbers: Vec<String>, result: Result<Vec<String>, String>) -> Vec<Effect> {
    match check::answer(&mut m.numbers, numbers, result) {
        Some((picks, Then::Pick)) => picked(m, picks),
        Some((picks, Then::Copy)) => return vec![Effect::Copy(m.numbers.list.catalog.numbers_text(&picks))],
        None => {}
    }
    Vec::new()
}

/// The picker ends on `picks`: the marks (`--multi`), else the one number.
fn picked(m: &mut Model, mut picks: Vec<u32>) {
    if m.numbers.marks.is_empty() {
        m.exit = picks.first().map(|&i| Exit::Confirmed(i));
        return;
    }
    // Marks checked with the server may have been reordered by a refresh meanwhile, or changed.
    picks.sort_unstable();
    if m.numbers.marks.in_list_order() == picks {
        m.exit = Some(Exit::Marked);
    } else {
        m.numbers.note = Some("the marks changed while they were checked: press Enter again".into());
    }
}

/// A location's numbers start loading: a new numbers screen, with the query and filters the
/// user had, in view.
fn opened_location(m: &mut Model, opened: Opened) -> Vec<Effect> {
    let Opened { location, list } = opened;
    m.location = Some(location);
    let height = m.layout().numbers.height;
    let mut screen = NumbersScreen::new(&m.numbers.query.text, m.numbers.filters, numbers::update::list_rows(height));
    screen.fit(height);
    screen.set_exact(m.numbers.exact);
    screen.query = m.numbers.query.clone();
    screen.back_hint = crate::tui::keymap::key_for(Intent::Back).map(|k| format!("{k} locations"));
    screen.set_list(list);
    // Marks are of one location's numbers: another location's start with none.
    screen.marks = m.numbers.marks.cleared();
    m.numbers = screen;
    m.view = View::Numbers;
    if m.numbers.list.catalog.is_empty() { Vec::new() } else { numbers::update(&mut m.numbers, Msg::Opened) }
}

#[cfg(test)]
mod cache_tests;
#[cfg(test)]
mod location_tests;
#[cfg(test)]
mod tests;
