//! Pure tests of the locations flow: list, open, back, open another.

use super::update;
use crate::load::ListLoad;
use crate::load::{Collection, LocationList};
use crate::numbers::filters::Filters;
use crate::numbers::record::{NumberRecord, State};
use crate::tui::model::{Exit, Model, View};
use crate::tui::msg::{Effect, Intent, Msg, Opened};
use crate::tui::screens::locations::LocationsScreen;
use crate::tui::screens::numbers::run_search;
use crate::webex::locations::Location;
use crate::webex::{ApiError, FetchEvent, ListEnd, Resume};

fn page(locations: Vec<Location>) -> FetchEvent<Location> {
    FetchEvent::Page { page: 1, numbers: locations }
}

fn done() -> FetchEvent<Location> {
    FetchEvent::Done { pages: 1, end: ListEnd::Complete }
}

fn failed(error: ApiError) -> FetchEvent<Location> {
    FetchEvent::Failed { page: 1, error, resume: Resume::start() }
}

fn locations() -> Vec<Location> {
    ["Berlin", "Köln", "Montréal", "London Soho"]
        .iter()
        .enumerate()
        .map(|(i, n)| Location::new(&format!("L{i}"), n))
        .collect()
}

/// A model on the locations screen, the first two locations in and more to come.
fn model() -> Model {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let all = locations();
    m.locations = Some(LocationsScreen::loading(all[..2].to_vec(), "", 22));
    m.view = View::Locations;
    m
}

/// Applies a message, running searches inline; returns the other effects.
pub(super) fn send(m: &mut Model, msg: Msg) -> Vec<Effect> {
    let mut queue = vec![msg];
    let mut other = Vec::new();
    while let Some(msg) = queue.pop() {
        for fx in update(m, msg) {
            match fx {
                Effect::Search(job) => queue.push(Msg::Searched(run_search(&job, &|| false).unwrap())),
                fx => other.push(fx),
            }
        }
    }
    other
}

fn typed(m: &mut Model, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| send(m, Msg::Intent(Intent::Insert(c)))).collect()
}

fn open(m: &mut Model, fx: Vec<Effect>, numbers: &[&str]) {
    let [Effect::OpenLocation(location)] = <[Effect; 1]>::try_from(fx).expect("one effect") else {
        panic!("not an OpenLocation")
    };
    let records = numbers.iter().map(|n| NumberRecord::new(n, State::Active, false, false, false)).collect();
    send(m, Msg::LocationOpened(Opened { location, list: ListLoad::complete(records) }));
}

#[test]
fn pages_arrive_while_typing_and_diacritics_do_not_matter() {
    let mut m = model();
    typed(&mut m, "mont");
    assert!(m.locations.as_ref().unwrap().selected().is_none(), "Montréal has not arrived yet");
    send(&mut m, Msg::Locations(page(locations()[2..].to_vec())));
    send(&mut m, Msg::Locations(done()));
    let l = m.locations.as_ref().unwrap();
    assert_eq!(l.selected().map(|l| l.name.as_str()), Some("Montréal"));
    assert_eq!((l.hits.len(), l.locations().len()), (1, 4));
    assert!(!m.is_loading());
}

#[test]
fn enter_opens_numbers_back_keeps_the_query_and_another_location_replaces_them() {
    let mut m = model();
    typed(&mut m, "koln");
    let fx = send(&mut m, Msg::Intent(Intent::Confirm));
    open(&mut m, fx, &["+49221555001", "+49221555002"]);
    assert_eq!(m.view, View::Numbers);
    assert_eq!(m.location.as_ref().map(|l| l.name.as_str()), Some("Köln"));
    assert_eq!(m.numbers.results.hits.len(), 2);
    assert_eq!(m.numbers.back_hint.as_deref(), Some("Ctrl-L locations"));
    typed(&mut m, "002");
    assert_eq!(m.numbers.results.hits.len(), 1);

    send(&mut m, Msg::Intent(Intent::Back));
    assert_eq!(m.view, View::Locations);
    assert_eq!(m.locations.as_ref().unwrap().query.text, "koln", "the query is kept");
    // The same location again: its numbers as they were, no reload.
    assert!(send(&mut m, Msg::Intent(Intent::Confirm)).is_empty());
    assert_eq!((m.view, m.numbers.query.text.as_str()), (View::Numbers, "002"));

    send(&mut m, Msg::Intent(Intent::Back));
    send(&mut m, Msg::Intent(Intent::ClearQuery));
    typed(&mut m, "berlin");
    let fx = send(&mut m, Msg::Intent(Intent::Confirm));
    open(&mut m, fx, &["+49305550001", "+49305550002"]);
    assert_eq!(m.location.as_ref().map(|l| l.name.as_str()), Some("Berlin"));
    assert_eq!(m.numbers.query.text, "002", "the numbers' query carries over");
    assert_eq!(m.numbers.results.hits.len(), 1);
    send(&mut m, Msg::Intent(Intent::Confirm));
    let picked = m.numbers.list.catalog.get(match m.exit {
        Some(Exit::Confirmed(i)) => i as usize,
        other => panic!("{other:?}"),
    });
    assert_eq!(&*picked.phone_number, "+49305550002");
}

#[test]
fn escape_on_the_locations_cancels_and_a_failed_open_is_a_note() {
    let mut m = model();
    let fx = send(&mut m, Msg::Intent(Intent::Confirm));
    assert_eq!(fx.len(), 1);
    send(&mut m, Msg::LocationFailed("cannot open".into()));
    assert_eq!(m.view, View::Locations);
    assert_eq!(m.locations.as_ref().unwrap().note.as_deref(), Some("cannot open"));
    send(&mut m, Msg::Intent(Intent::Escape));
    assert_eq!(m.exit, Some(Exit::Cancelled));
}

#[test]
fn back_without_a_list_of_locations_does_nothing() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    send(&mut m, Msg::Intent(Intent::Back));
    assert_eq!(m.view, View::Numbers);
    assert!(m.exit.is_none());
}

/// A 503 on the list of locations.
fn unavailable() -> crate::webex::ApiError {
    crate::webex::ApiError::Http { status: 503, message: None, tracking_id: None, retry_after: None, endpoint: None }
}

#[test]
fn a_failed_list_is_listed_again_and_keeps_each_location_once() {
    let mut m = model();
    m.locations.as_mut().unwrap().retryable = true;
    assert!(!m.can_retry(), "nothing failed yet");
    send(&mut m, Msg::Locations(failed(unavailable())));
    assert!(m.can_retry() && !m.is_loading());
    assert!(matches!(send(&mut m, Msg::Intent(Intent::Retry))[..], [Effect::ListLocations(_)]));
    assert!(m.is_loading());
    // The list again from its start: the first two are there already.
    send(&mut m, Msg::Locations(page(locations())));
    send(&mut m, Msg::Locations(done()));
    let names: Vec<&str> = m.locations.as_ref().unwrap().locations().iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["Berlin", "Köln", "Montréal", "London Soho"]);
    assert!(send(&mut m, Msg::Intent(Intent::Retry)).is_empty(), "nothing to retry once whole");
}

#[test]
fn a_fixed_list_of_candidates_cannot_be_retried() {
    let mut m = model();
    send(&mut m, Msg::Locations(failed(unavailable())));
    assert!(!m.can_retry());
    assert!(send(&mut m, Msg::Intent(Intent::Retry)).is_empty());
}

#[test]
fn multi_marks_stay_with_their_location_and_tab_moves_on_the_locations() {
    let mut m = model();
    m.numbers.marks = crate::tui::screens::numbers::Marks::new(Some(3));
    send(&mut m, Msg::Locations(page(locations()[2..].to_vec())));
    // On the locations, Tab moves.
    send(&mut m, Msg::Intent(Intent::Mark));
    assert_eq!(m.locations.as_ref().unwrap().selected().map(|l| l.name.as_str()), Some("Köln"));
    let fx = send(&mut m, Msg::Intent(Intent::Confirm));
    open(&mut m, fx, &["+49221555001", "+49221555002"]);
    send(&mut m, Msg::Intent(Intent::Mark));
    assert_eq!(m.numbers.marks.label(), "1/3 marked");
    // Back and to the same location: its numbers as they were, marks too.
    send(&mut m, Msg::Intent(Intent::Back));
    send(&mut m, Msg::Intent(Intent::Confirm));
    assert_eq!((m.view, m.numbers.marks.label().as_str()), (View::Numbers, "1/3 marked"));
    // Another location: --multi still on, with its limit, and no marks.
    send(&mut m, Msg::Intent(Intent::Back));
    send(&mut m, Msg::Intent(Intent::Down));
    let fx = send(&mut m, Msg::Intent(Intent::Confirm));
    open(&mut m, fx, &["+15145550001"]);
    assert_eq!(m.location.as_ref().map(|l| l.name.as_str()), Some("Montréal"));
    assert_eq!(m.numbers.marks.label(), "0/3 marked");
    send(&mut m, Msg::Intent(Intent::Mark));
    send(&mut m, Msg::Intent(Intent::Confirm));
    assert_eq!((m.exit, m.numbers.marks.in_list_order()), (Some(Exit::Marked), vec![0]));
}

#[test]
fn a_cached_list_of_locations_is_replaced_by_the_fresh_one_when_whole() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let all = locations();
    let screen =
        LocationsScreen::new(LocationList::cached(all[..3].to_vec(), std::time::Duration::from_secs(600)), "", 22);
    m.locations = Some(screen);
    m.view = View::Locations;
    assert!(m.is_loading());
    send(&mut m, Msg::Intent(Intent::Down));
    let l = |m: &Model| m.locations.as_ref().unwrap().selected().map(|l| l.name.clone());
    assert_eq!(l(&m).as_deref(), Some("Köln"));
    // Pages of the fresh list go aside: the cached list stays as it is until it is whole.
    send(&mut m, Msg::Locations(page(vec![all[3].clone(), all[1].clone()])));
    assert_eq!(m.locations.as_ref().unwrap().locations().len(), 3);
    send(&mut m, Msg::Locations(done()));
    let s = m.locations.as_ref().unwrap();
    let names: Vec<&str> = s.locations().iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["London Soho", "Köln"], "Berlin and Montréal gone, London Soho new");
    assert_eq!(s.note.as_deref(), Some("refreshed: 2 gone, 1 new"));
    assert!(s.cached().is_none() && !m.is_loading());
    assert_eq!(l(&m).as_deref(), Some("Köln"), "the highlight stays on its location");
}

#[test]
fn a_failed_refresh_of_the_locations_keeps_the_cached_list() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let mut screen =
        LocationsScreen::new(LocationList::cached(locations(), std::time::Duration::from_secs(600)), "", 22);
    screen.retryable = true;
    m.locations = Some(screen);
    m.view = View::Locations;
    send(&mut m, Msg::Locations(page(vec![locations()[0].clone()])));
    let error = crate::webex::ApiError::Http {
        status: 503,
        message: None,
        tracking_id: None,
        retry_after: None,
        endpoint: None,
    };
    send(&mut m, Msg::Locations(failed(error)));
    let s = m.locations.as_ref().unwrap();
    assert_eq!(s.locations().len(), 4);
    assert!(s.cached().is_some() && m.can_retry());
    // The retry resumes the fresh list where it failed, keeping what came of it.
    assert!(matches!(send(&mut m, Msg::Intent(Intent::Retry)).as_slice(), [Effect::ListLocations(_)]));
    assert_eq!(m.locations.as_ref().unwrap().refresh.as_ref().map(|r| r.catalog.len()), Some(1));
}
