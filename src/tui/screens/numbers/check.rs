//! Numbers picked or copied from a list that is not fresh (one from the cache) are asked for
//! again, in one request, before they are printed or copied: a number another admin took since
//! is refused, and the picker stays open.

use super::{Check, NumbersScreen, Then};
use crate::numbers::phone;
use crate::tui::msg::Effect;

/// Picks or copies `picks` (indices into the shown list): `Ok` with them when the list is fresh,
/// to be acted on now; else a number from the cache may be taken by now, so the server is asked
/// first and `Err` holds the effect that asks (the answer comes back as `Msg::Checked`, and
/// [`answer`] says what to act on then).
pub fn deliver(s: &mut NumbersScreen, picks: Vec<u32>, then: Then) -> Result<Vec<u32>, Vec<Effect>> {
    if s.list.is_fresh() { Ok(picks) } else { Err(start(s, picks, then)) }
}

/// Starts the check of the records `picks` (indices into the shown list): the server is asked,
/// and the answer comes back as `Msg::Checked`. While a check is pending, another is not started.
pub fn start(s: &mut NumbersScreen, picks: Vec<u32>, then: Then) -> Vec<Effect> {
    if s.checking.is_some() {
        return Vec::new();
    }
    let numbers: Vec<String> = picks.iter().map(|&i| s.list.catalog.get(i as usize).phone_number.to_string()).collect();
    s.note = Some(format!("checking {} with the server…", shown(&numbers)));
    s.checking = Some(Check { numbers: numbers.clone(), then });
    vec![Effect::Check(numbers)]
}

/// What the server said of the pending check: `Some` (the numbers, as indices into the list
/// shown now, and what to do with them) when every one is still available; else the note says
/// which are not, or why they could not be checked, and nothing is done.
pub fn answer(
    s: &mut NumbersScreen,
    numbers: Vec<String>,
    result: Result<Vec<String>, String>,
) -> Option<(Vec<u32>, Then)> {
    let check = s.checking.take_if(|c| c.numbers == numbers)?;
    let what = match check.then {
        Then::Pick => "picked",
        Then::Copy => "copied",
    };
    let available = match result {
        Ok(available) => available,
        Err(why) => {
            s.note = Some(format!("could not check {} with the server ({why}): not {what}", shown(&numbers)));
            return None;
        }
    };
    let gone: Vec<String> = numbers.iter().filter(|n| !available.contains(n)).cloned().collect();
    if !gone.is_empty() {
        let is = if gone.len() == 1 { "is" } else { "are" };
        s.note = Some(format!("{} {is} no longer available: not {what}", shown(&gone)));
        return None;
    }
    // The list may have been replaced by its refresh meanwhile: the numbers are found again.
    // One pass over the list, however many marks were checked.
    let wanted: std::collections::HashMap<&str, usize> =
        numbers.iter().enumerate().map(|(k, n)| (n.as_str(), k)).collect();
    let mut found = vec![None; numbers.len()];
    for (i, r) in s.list.catalog.records().iter().enumerate() {
        if let Some(&k) = wanted.get(&*r.phone_number) {
            found[k].get_or_insert(i as u32);
        }
    }
    let picks: Option<Vec<u32>> = found.into_iter().collect();
    match picks {
        Some(picks) => {
            s.note = None;
            Some((picks, check.then))
        }
        None => {
            s.note = Some(format!("{} left the list as it refreshed: not {what}", shown(&numbers)));
            None
        }
    }
}

/// Numbers for the status line: the first two, and how many more.
fn shown(numbers: &[String]) -> String {
    let mut text: Vec<String> = numbers.iter().take(2).map(|n| phone::international(n)).collect();
    if numbers.len() > 2 {
        text.push(format!("{} more", numbers.len() - 2));
    }
    text.join(", ")
}
