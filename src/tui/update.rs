//! The one place where the picker's state changes. Pure: no I/O, no clock, no terminal. The
//! picker's own keys (help, quit, pick) are handled here; everything else goes to the screen.

use super::model::{Exit, Model};
use super::msg::{Effect, Intent, Msg};
use super::screens::numbers;

/// Applies one message; returns what the event loop must do.
pub fn update(m: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Intent(i) => return intent(m, i),
        Msg::Tick(now) => {
            m.spinner = m.spinner.wrapping_add(1);
            m.now = Some(now);
        }
        Msg::Resize { width, height } => {
            m.width = width;
            m.height = height;
            return numbers::update(&mut m.numbers, msg);
        }
        Msg::Signal => m.exit = Some(Exit::Cancelled),
        other => return numbers::update(&mut m.numbers, other),
    }
    Vec::new()
}

fn intent(m: &mut Model, i: Intent) -> Vec<Effect> {
    // Any key closes the help, and does nothing else: Enter must not pick unseen.
    if m.help {
        m.help = false;
        return Vec::new();
    }
    if !matches!(i, Intent::Copy) {
        m.numbers.note = None;
    }
    match i {
        Intent::ToggleHelp => m.help = true,
        Intent::Escape | Intent::Cancel => m.exit = Some(Exit::Cancelled),
        Intent::Confirm => match numbers::update::pick(&m.numbers) {
            Some(Ok(i)) => m.exit = Some(Exit::Confirmed(i)),
            Some(Err(why)) => m.numbers.note = Some(why),
            None => {}
        },
        other => return numbers::update(&mut m.numbers, Msg::Intent(other)),
    }
    Vec::new()
}

#[cfg(test)]
mod tests;
