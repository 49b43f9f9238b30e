//! Pure tests of a list from the cache in the picker: shown at once, replaced by its refresh,
//! and picks and copies from it checked with the server first.

use std::time::Duration;

use crate::load::{ListLoad, LoadStatus};
use crate::numbers::filters::Filters;
use crate::numbers::record::{NumberRecord, State};
use crate::tui::model::{Exit, Model};
use crate::tui::msg::{Effect, Intent, Msg};
use crate::webex::{ApiError, FetchEvent, ListEnd, Resume};

fn recs(numbers: &[&str]) -> Vec<NumberRecord> {
    numbers.iter().map(|n| NumberRecord::new(n, State::Active, false, false, false)).collect()
}

use super::lookup_tests::send;

fn key(m: &mut Model, i: Intent) -> Vec<Effect> {
    send(m, Msg::Intent(i))
}

/// The picker opened on a cached list of these numbers, searched.
fn opened_on_cache(numbers: &[&str]) -> Model {
    let mut m = Model::new("", Filters::default(), 80, 24);
    m.numbers.set_list(ListLoad::cached(recs(numbers), Duration::from_secs(180)));
    send(&mut m, Msg::Opened);
    m
}

fn shown(m: &Model) -> Vec<String> {
    m.numbers.results.hits.iter().map(|&i| m.numbers.list.catalog.get(i as usize).phone_number.to_string()).collect()
}

fn selected(m: &Model) -> Option<String> {
    m.numbers.selected_index().map(|i| m.numbers.list.catalog.get(i as usize).phone_number.to_string())
}

const OLD: [&str; 4] = ["+12056350001", "+12056350002", "+12056350003", "+12056350004"];

#[test]
fn the_fresh_list_replaces_the_cached_one_when_whole_and_the_highlight_keeps_its_number() {
    let mut m = opened_on_cache(&OLD);
    assert!(m.is_loading(), "the refresh is loading");
    assert_eq!(shown(&m).len(), 4);
    key(&mut m, Intent::Down);
    key(&mut m, Intent::Down);
    assert_eq!(selected(&m).as_deref(), Some("+12056350003"));
    // Pages of the refresh go aside: the cached rows stay as they are until it is whole.
    let fx = send(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: recs(&["+12056350003", "+12056350005"]) }));
    assert!(fx.is_empty());
    assert_eq!(shown(&m), OLD);
    send(&mut m, Msg::Fetch(FetchEvent::Page { page: 2, numbers: recs(&["+12056350006", "+12056350004"]) }));
    assert_eq!(shown(&m), OLD);
    let fx = send(&mut m, Msg::Fetch(FetchEvent::Done { pages: 2, end: ListEnd::Complete }));
    assert_eq!(shown(&m), ["+12056350003", "+12056350005", "+12056350006", "+12056350004"]);
    assert!(m.numbers.list.is_fresh() && m.numbers.refresh.is_none() && !m.is_loading());
    assert_eq!(m.numbers.refreshed.as_deref(), Some("refreshed: 2 gone, 2 new"));
    assert_eq!(selected(&m).as_deref(), Some("+12056350003"), "the highlight stays on its number");
    assert!(matches!(fx.as_slice(), [Effect::Keep(c)] if c.len() == 4), "the fresh list is kept: {fx:?}");
    // Fresh now: Enter picks at once.
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Confirmed(0)));
}

#[test]
fn a_failed_refresh_keeps_the_cached_rows_and_r_resumes_it() {
    let mut m = opened_on_cache(&OLD);
    send(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: recs(&["+12056350009"]) }));
    let error = ApiError::Http { status: 503, message: None, tracking_id: None, retry_after: None, endpoint: None };
    send(&mut m, Msg::Fetch(FetchEvent::Failed { page: 2, error, resume: Resume::start() }));
    assert_eq!(shown(&m), OLD);
    assert!(!m.numbers.list.is_fresh() && m.can_retry());
    assert!(matches!(m.numbers.refresh.as_ref().map(|r| &r.status), Some(LoadStatus::Failed { page: 2, .. })));
    let fx = key(&mut m, Intent::Retry);
    assert!(matches!(fx.as_slice(), [Effect::Fetch(_)]), "{fx:?}");
    assert!(m.is_loading());
}

#[test]
fn a_stale_pick_is_checked_and_refused_when_the_server_no_longer_has_it() {
    let mut m = opened_on_cache(&OLD);
    let fx = key(&mut m, Intent::Confirm);
    assert!(matches!(fx.as_slice(), [Effect::Check(n)] if n == &["+12056350001"]), "{fx:?}");
    assert_eq!(m.exit, None, "not picked before the server says so");
    // A second Enter while the check is pending asks nothing more.
    assert!(key(&mut m, Intent::Confirm).is_empty());
    let numbers = vec!["+12056350001".to_string()];
    send(&mut m, Msg::Checked { numbers: numbers.clone(), result: Ok(Vec::new()) });
    assert_eq!(m.exit, None);
    let note = m.numbers.note.clone().unwrap_or_default();
    assert!(note.contains("+1 205-635-0001") && note.contains("no longer available"), "{note}");
    // A check that cannot be made refuses too.
    key(&mut m, Intent::Confirm);
    send(&mut m, Msg::Checked { numbers: numbers.clone(), result: Err("HTTP 503".into()) });
    assert_eq!(m.exit, None);
    assert!(m.numbers.note.as_deref().is_some_and(|n| n.contains("could not check")), "{:?}", m.numbers.note);
    // The next number is still there: picked.
    key(&mut m, Intent::Down);
    let fx = key(&mut m, Intent::Confirm);
    assert!(matches!(fx.as_slice(), [Effect::Check(n)] if n == &["+12056350002"]), "{fx:?}");
    let two = vec!["+12056350002".to_string()];
    send(&mut m, Msg::Checked { numbers: two.clone(), result: Ok(two) });
    assert_eq!(m.exit, Some(Exit::Confirmed(1)));
}

#[test]
fn a_check_answered_after_the_refresh_picks_the_number_in_the_fresh_list() {
    let mut m = opened_on_cache(&OLD);
    key(&mut m, Intent::Last);
    key(&mut m, Intent::Confirm);
    send(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: recs(&["+12056350007", "+12056350004"]) }));
    send(&mut m, Msg::Fetch(FetchEvent::Done { pages: 1, end: ListEnd::Complete }));
    let four = vec!["+12056350004".to_string()];
    send(&mut m, Msg::Checked { numbers: four.clone(), result: Ok(four) });
    let Some(Exit::Confirmed(i)) = m.exit else { panic!("not picked: {:?}", m.numbers.note) };
    assert_eq!(&*m.numbers.list.catalog.get(i as usize).phone_number, "+12056350004");
}

#[test]
fn a_stale_copy_is_checked_first() {
    let mut m = opened_on_cache(&OLD);
    let fx = key(&mut m, Intent::Copy);
    assert!(matches!(fx.as_slice(), [Effect::Check(n)] if n == &["+12056350001"]), "{fx:?}");
    let one = vec!["+12056350001".to_string()];
    let fx = send(&mut m, Msg::Checked { numbers: one.clone(), result: Ok(Vec::new()) });
    assert!(fx.is_empty(), "nothing copied: {fx:?}");
    key(&mut m, Intent::Copy);
    let fx = send(&mut m, Msg::Checked { numbers: one.clone(), result: Ok(one) });
    assert!(matches!(fx.as_slice(), [Effect::Copy(n)] if n == "+12056350001"), "{fx:?}");
    assert_eq!(m.exit, None);
}

#[test]
fn a_list_loaded_fresh_is_kept_once_whole() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let fx = send(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: recs(&OLD) }));
    assert!(!fx.iter().any(|f| matches!(f, Effect::Keep(_))));
    let fx = send(&mut m, Msg::Fetch(FetchEvent::Done { pages: 1, end: ListEnd::Complete }));
    assert!(matches!(fx.as_slice(), [Effect::Keep(c)] if c.len() == 4), "{fx:?}");
    // Fresh: Enter picks without asking.
    assert!(key(&mut m, Intent::Confirm).is_empty());
    assert_eq!(m.exit, Some(Exit::Confirmed(0)));
}

#[test]
fn multi_marks_on_a_cached_list_are_checked_together_and_follow_the_refresh() {
    let mut m = opened_on_cache(&OLD);
    m.numbers.marks = crate::tui::screens::numbers::Marks::new(None);
    key(&mut m, Intent::Mark); // +…0001
    key(&mut m, Intent::Down); // on +…0003
    key(&mut m, Intent::Mark); // +…0003
    assert_eq!(m.numbers.marks.len(), 2);
    // Enter on a stale list: one check of both marked numbers, in list order.
    let fx = key(&mut m, Intent::Confirm);
    let [Effect::Check(numbers)] = fx.as_slice() else { panic!("{fx:?}") };
    assert_eq!(numbers, &["+12056350001", "+12056350003"]);
    // One is gone: nothing is picked, the picker says which.
    send(&mut m, Msg::Checked { numbers: numbers.clone(), result: Ok(vec!["+12056350003".into()]) });
    assert_eq!(m.exit, None);
    assert!(m.numbers.note.as_deref().unwrap().contains("no longer available"), "{:?}", m.numbers.note);
    // The refresh drops +…0001 and reorders the list: the other mark follows its number.
    send(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: recs(&["+12056350009", "+12056350003"]) }));
    send(&mut m, Msg::Fetch(FetchEvent::Done { pages: 1, end: ListEnd::Complete }));
    assert_eq!(m.numbers.refreshed.as_deref(), Some("refreshed: 3 gone (1 marked), 1 new"));
    assert_eq!(m.numbers.marks.in_list_order(), [1], "+12056350003 is now the second number");
    // Fresh: Enter picks the marks at once.
    assert!(key(&mut m, Intent::Confirm).is_empty());
    assert_eq!(m.exit, Some(Exit::Marked));
}
