//! Pure tests of `update`: messages in, state and effects out, searches run inline.

use std::time::Duration;

use super::update;
use crate::load::{ListLoad, LoadStatus};
use crate::numbers::filters::{Filters, StateFilter};
use crate::numbers::record::{NumberRecord, State};
use crate::tui::model::{Exit, Model};
use crate::tui::msg::{Effect, Intent, Msg};
use crate::tui::screens::numbers::run_search;
use crate::webex::{ApiError, FetchEvent, Resume};

fn rec(n: &str, state: State, service: bool) -> NumberRecord {
    NumberRecord::new(n, state, false, false, service)
}

/// Applies a message and carries out searches inline, as the event loop does for small lists.
/// Returns the effects other than searches, and how many searches ran.
fn send(m: &mut Model, msg: Msg) -> (Vec<Effect>, usize) {
    let mut queue = vec![msg];
    let mut other = Vec::new();
    let mut searches = 0;
    while let Some(msg) = queue.pop() {
        for fx in update(m, msg) {
            match fx {
                Effect::Search(job) => {
                    searches += 1;
                    queue.push(Msg::Searched(run_search(&job, &|| false).unwrap()));
                }
                other_fx => other.push(other_fx),
            }
        }
    }
    (other, searches)
}

fn key(m: &mut Model, i: Intent) -> (Vec<Effect>, usize) {
    send(m, Msg::Intent(i))
}

fn typed(m: &mut Model, text: &str) {
    for c in text.chars() {
        key(m, Intent::Insert(c));
    }
}

fn page(m: &mut Model, page: usize, numbers: Vec<NumberRecord>) {
    send(m, Msg::Fetch(FetchEvent::Page { page, numbers }));
}

fn selected_number(m: &Model) -> Option<String> {
    m.numbers.selected_index().map(|i| m.numbers.list.catalog.get(i as usize).phone_number.to_string())
}

fn first_page() -> Vec<NumberRecord> {
    vec![
        rec("+12056350001", State::Active, false),
        rec("+12056351000", State::Inactive, true),
        rec("+12056350100", State::Active, true),
        rec("+13125550001", State::Active, false),
    ]
}

#[test]
fn a_new_page_keeps_the_query_and_the_selected_number() {
    let mut m = Model::new("0001", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    assert_eq!(m.numbers.results.hits.len(), 2);
    key(&mut m, Intent::Down);
    assert_eq!(selected_number(&m).as_deref(), Some("+13125550001"));
    // Page 2 brings a number that ranks above the selected one.
    page(&mut m, 2, vec![rec("+10000000001", State::Active, false), rec("+19999999999", State::Active, false)]);
    assert_eq!(m.numbers.query.text, "0001");
    assert_eq!(m.numbers.list.catalog.len(), 6);
    assert_eq!(m.numbers.list.catalog.get(m.numbers.results.hits[0] as usize).phone_number.as_ref(), "+10000000001");
    assert_eq!(selected_number(&m).as_deref(), Some("+13125550001"), "the selection follows its number");
    assert_eq!(m.numbers.cursor.selected, 2);
    assert!(matches!(m.numbers.list.status, LoadStatus::Loading { page: 3 }));
}

#[test]
fn typing_moves_the_selection_to_the_best_match() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::Last);
    assert_eq!(m.numbers.cursor.selected, 3);
    typed(&mut m, "555");
    assert_eq!(selected_number(&m).as_deref(), Some("+13125550001"));
    assert_eq!(m.numbers.cursor.selected, 0);
}

#[test]
fn filters_cycle_and_narrow() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    let mut states = Vec::new();
    for _ in 0..3 {
        key(&mut m, Intent::CycleState);
        states.push((m.numbers.filters.state, m.numbers.results.hits.len()));
    }
    assert_eq!(states, [(StateFilter::Active, 3), (StateFilter::Inactive, 1), (StateFilter::All, 4)]);
    let mut types = Vec::new();
    for _ in 0..6 {
        key(&mut m, Intent::CycleType);
        types.push((m.numbers.filters.types.label(), m.numbers.results.hits.len()));
    }
    // Kinds no number has (toll-free, main, mobile) are skipped.
    assert_eq!(
        types,
        [
            ("service".into(), 2),
            ("standard".into(), 2),
            ("all".into(), 4),
            ("service".into(), 2),
            ("standard".into(), 2),
            ("all".into(), 4)
        ]
    );
    key(&mut m, Intent::CycleType);
    // The status line names the filter (`type: service`); the note only counts.
    assert_eq!(m.numbers.note.as_deref(), Some("all 4, service 2, standard 2"));
    key(&mut m, Intent::CycleType);
    key(&mut m, Intent::CycleType);
    assert!(m.numbers.filters.types.is_all(), "service, standard, then all again");
    assert_eq!(m.numbers.note.as_deref(), Some("type: all · all 4, service 2, standard 2"));
}

#[test]
fn enter_confirms_the_highlighted_number_and_esc_cancels() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::Down);
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Confirmed(1)));

    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::Escape);
    assert_eq!(m.exit, Some(Exit::Cancelled));
}

#[test]
fn enter_with_nothing_highlighted_does_nothing() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, None);
    page(&mut m, 1, first_page());
    typed(&mut m, "777777");
    assert!(m.numbers.results.hits.is_empty());
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, None);
}

#[test]
fn esc_closes_the_help_before_it_cancels() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::ToggleHelp);
    assert!(m.help);
    key(&mut m, Intent::Confirm);
    assert!(!m.help);
    assert_eq!(m.exit, None, "the key that closes the help does nothing else");
    key(&mut m, Intent::ToggleHelp);
    key(&mut m, Intent::Escape);
    assert!(!m.help);
    assert_eq!(m.exit, None);
    key(&mut m, Intent::Escape);
    assert_eq!(m.exit, Some(Exit::Cancelled));
}

#[test]
fn a_help_longer_than_the_screen_scrolls_then_closes() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::ToggleHelp);
    key(&mut m, Intent::Down);
    assert!(m.help && m.help_scroll == 1, "Down scrolls the help");
    key(&mut m, Intent::PageDown);
    let most = m.help_scroll;
    key(&mut m, Intent::Down);
    assert_eq!(m.help_scroll, most, "no further than its end");
    key(&mut m, Intent::Up);
    assert_eq!(m.help_scroll, most - 1);
    assert_eq!(m.numbers.cursor.selected, 0, "the list did not move");
    key(&mut m, Intent::Insert('x'));
    assert!(!m.help && m.help_scroll == 0 && m.numbers.query.text.is_empty());
    // On a tall screen the whole help fits: Down closes it, as any key does.
    let mut m = Model::new("", Filters::default(), 80, 60);
    key(&mut m, Intent::ToggleHelp);
    key(&mut m, Intent::Down);
    assert!(!m.help);
}

#[test]
fn an_implausible_number_cannot_be_confirmed() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, vec![rec("+1\u{1b}[2J", State::Active, false)]);
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, None);
    assert!(m.numbers.note.as_deref().unwrap().contains("cannot be picked"));
    let (fx, _) = key(&mut m, Intent::Copy);
    assert!(fx.is_empty(), "nor copied: {fx:?}");
    assert!(m.numbers.note.as_deref().unwrap().contains("cannot be copied"));
}

#[test]
fn narrowing_searches_previous_results_and_deleting_uses_the_cache() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    typed(&mut m, "20");
    let fx = update(&mut m, Msg::Intent(Intent::Insert('5')));
    match fx.as_slice() {
        [Effect::Search(job)] => assert!(job.candidates.is_some(), "an extended query searches only the previous hits"),
        other => panic!("expected one search, got {other:?}"),
    }
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    typed(&mut m, "205");
    let (_, searches) = key(&mut m, Intent::Backspace);
    assert_eq!(searches, 0, "\"20\" was searched before: its results come from the cache");
    assert_eq!(m.numbers.results.query, "20");
    assert_eq!(m.numbers.results.hits.len(), 3, "the three numbers holding 20 (+1 312 555 0001 holds it scattered)");
}

#[test]
fn stale_results_are_dropped() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    let old = update(&mut m, Msg::Intent(Intent::Insert('9')));
    let Effect::Search(old_job) = &old[0] else { panic!() };
    let stale = run_search(old_job, &|| false).unwrap();
    typed(&mut m, "");
    key(&mut m, Intent::Backspace);
    key(&mut m, Intent::Insert('5'));
    let current = m.numbers.results.hits.clone();
    send(&mut m, Msg::Searched(stale));
    assert_eq!(m.numbers.results.hits, current, "results for an older query do not replace newer ones");
    assert_eq!(m.numbers.results.query, "5");
}

#[test]
fn a_failed_page_keeps_rows_and_retry_resumes() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    let error = ApiError::Http {
        status: 500,
        message: Some("boom".into()),
        tracking_id: None,
        retry_after: None,
        endpoint: None,
    };
    send(&mut m, Msg::Fetch(FetchEvent::Failed { page: 2, error, resume: Resume::start() }));
    assert_eq!(m.numbers.results.hits.len(), 4, "rows already loaded stay usable");
    assert!(matches!(m.numbers.list.status, LoadStatus::Failed { page: 2, .. }));
    let (fx, _) = key(&mut m, Intent::Retry);
    assert!(matches!(fx.as_slice(), [Effect::Fetch(_)]));
    assert!(matches!(m.numbers.list.status, LoadStatus::Loading { page: 1 }));
}

#[test]
fn rate_limits_are_shown_as_such() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let error = ApiError::Http { status: 429, message: None, tracking_id: None, retry_after: Some(3), endpoint: None };
    send(
        &mut m,
        Msg::Fetch(FetchEvent::Retrying {
            page: 1,
            wait: Duration::from_secs(3),
            until: std::time::Instant::now() + Duration::from_secs(3),
            error,
        }),
    );
    assert!(matches!(m.numbers.list.status, LoadStatus::Retrying { rate_limited: true, .. }));
}

#[test]
fn an_earlier_page_arriving_keeps_a_later_page_s_retry_in_view() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    let error = ApiError::Http { status: 429, message: None, tracking_id: None, retry_after: Some(1), endpoint: None };
    send(
        &mut m,
        Msg::Fetch(FetchEvent::Retrying {
            page: 2,
            wait: Duration::from_secs(1),
            until: std::time::Instant::now() + Duration::from_secs(1),
            error,
        }),
    );
    let error = ApiError::Http { status: 503, message: None, tracking_id: None, retry_after: None, endpoint: None };
    send(
        &mut m,
        Msg::Fetch(FetchEvent::Retrying {
            page: 4,
            wait: Duration::from_secs(1),
            until: std::time::Instant::now() + Duration::from_secs(1),
            error,
        }),
    );
    page(&mut m, 1, first_page());
    assert!(
        matches!(m.numbers.list.status, LoadStatus::Retrying { page: 2, rate_limited: true, .. }),
        "{:?}",
        m.numbers.list.status
    );
    page(&mut m, 2, vec![rec("+19999999999", State::Active, false)]);
    assert!(matches!(m.numbers.list.status, LoadStatus::Loading { page: 3 }), "{:?}", m.numbers.list.status);
}

#[test]
fn paging_down_scrolls_and_clicks_select() {
    let mut m = Model::new("", Filters::default(), 80, 7);
    let many: Vec<_> = (0..20).map(|i| rec(&format!("+1205635{i:04}"), State::Active, false)).collect();
    page(&mut m, 1, many);
    // 7 rows: the query line, the column header, 4 numbers, the status line.
    assert_eq!(m.numbers.cursor.rows, 4);
    key(&mut m, Intent::PageDown);
    assert_eq!((m.numbers.cursor.selected, m.numbers.cursor.offset), (4, 1));
    key(&mut m, Intent::Click(2));
    assert_eq!(m.numbers.cursor.selected, 1);
    key(&mut m, Intent::Click(1));
    assert_eq!(m.numbers.cursor.selected, 1, "a click on the column header selects nothing");
    key(&mut m, Intent::Click(6));
    assert_eq!(m.numbers.cursor.selected, 1, "a click on the status line selects nothing");
    key(&mut m, Intent::Scroll(100));
    assert_eq!(m.numbers.cursor.selected, 19);
}

#[test]
fn query_editing() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    typed(&mut m, "635 0001");
    key(&mut m, Intent::DeleteWord);
    assert_eq!(m.numbers.query.text, "635 ");
    key(&mut m, Intent::CursorHome);
    key(&mut m, Intent::Insert('2'));
    assert_eq!((m.numbers.query.text.as_str(), m.numbers.query.cursor), ("2635 ", 1));
    key(&mut m, Intent::ClearQuery);
    assert_eq!(m.numbers.query.text, "");
    send(&mut m, Msg::Paste("+1 (205)\n635".into()));
    assert_eq!(m.numbers.query.text, "+1 (205) 635");
}

#[test]
fn a_catalog_loaded_beforehand_is_searched_with_the_starting_query() {
    let mut m = Model::new("555", Filters::default(), 80, 24);
    m.numbers.list = ListLoad::complete(first_page());
    send(&mut m, Msg::Opened);
    assert_eq!(selected_number(&m).as_deref(), Some("+13125550001"));
    assert!(m.numbers.is_current() && matches!(m.numbers.list.status, LoadStatus::Done));
}

/// A model with `--multi` (at most `max` marks) on the first page.
fn multi(max: Option<usize>) -> Model {
    let mut m = Model::new("", Filters::default(), 80, 24);
    m.numbers.marks = crate::tui::screens::numbers::Marks::new(max);
    page(&mut m, 1, first_page());
    m
}

fn find(m: &mut Model, query: &str) {
    key(m, Intent::ClearQuery);
    typed(m, query);
}

#[test]
fn multi_marks_survive_queries_and_enter_picks_them_in_list_order() {
    let mut m = multi(None);
    // Marked in the order 3, 0, 1; each query hides the numbers marked before.
    for (query, number) in
        [("3125550001", "+13125550001"), ("2056350001", "+12056350001"), ("2056351000", "+12056351000")]
    {
        find(&mut m, query);
        assert_eq!(selected_number(&m).as_deref(), Some(number));
        key(&mut m, Intent::Mark);
    }
    assert_eq!(m.numbers.marks.label(), "3 marked");
    // Shift-Tab unmarks the highlighted number (the only match, so the highlight stays); Tab
    // marks it again.
    key(&mut m, Intent::Unmark);
    assert_eq!(m.numbers.marks.in_list_order(), [0, 3]);
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::CycleState);
    key(&mut m, Intent::CycleState);
    assert_eq!(m.numbers.results.hits.len(), 1, "the inactive filter leaves one number shown");
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Marked));
    assert_eq!(m.numbers.marks.in_list_order(), [0, 1, 3], "the list's order, not the marking order");
}

#[test]
fn multi_enter_picks_the_marks_even_when_nothing_is_shown() {
    let mut m = multi(None);
    key(&mut m, Intent::Mark);
    find(&mut m, "777777");
    assert!(m.numbers.results.hits.is_empty());
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Marked));
    assert_eq!(m.numbers.marks.in_list_order(), [0]);
}

#[test]
fn multi_tab_toggles_and_moves_down_and_shift_tab_unmarks_and_moves_up() {
    let mut m = multi(None);
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::Mark);
    assert_eq!((m.numbers.marks.len(), m.numbers.cursor.selected), (2, 2));
    key(&mut m, Intent::Unmark);
    assert_eq!((m.numbers.marks.len(), m.numbers.cursor.selected), (2, 1), "row 2 was not marked");
    key(&mut m, Intent::Unmark);
    assert_eq!((m.numbers.marks.len(), m.numbers.cursor.selected), (1, 0));
    key(&mut m, Intent::Mark);
    assert_eq!((m.numbers.marks.len(), m.numbers.cursor.selected), (0, 1), "Tab on a marked number unmarks it");
    // With no marks, Enter picks the highlighted number as without --multi.
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Confirmed(m.numbers.results.hits[1])));
}

#[test]
fn multi_max_refuses_one_more_mark_and_says_so() {
    let mut m = multi(Some(2));
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::Mark);
    assert_eq!(m.numbers.marks.label(), "2/2 marked");
    assert_eq!(m.numbers.cursor.selected, 2, "a refused mark does not move on");
    assert_eq!(m.numbers.note.as_deref(), Some("2 marked already, the most --multi=2 allows"));
    // Unmarking one (Shift-Tab on row 2, not marked, then on row 1) makes room again.
    key(&mut m, Intent::Unmark);
    key(&mut m, Intent::Unmark);
    assert_eq!((m.numbers.marks.label().as_str(), m.numbers.cursor.selected), ("1/2 marked", 0));
    key(&mut m, Intent::Last);
    key(&mut m, Intent::Mark);
    assert_eq!(m.numbers.marks.in_list_order(), [m.numbers.results.hits[0], m.numbers.results.hits[3]]);
    assert_eq!(m.numbers.note, None);
}

#[test]
fn multi_ctrl_y_copies_the_marked_numbers_and_invalid_ones_cannot_be_marked() {
    let mut m = multi(None);
    key(&mut m, Intent::Last);
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::First);
    key(&mut m, Intent::Mark);
    let (fx, _) = key(&mut m, Intent::Copy);
    let picked: Vec<String> = m
        .numbers
        .marks
        .in_list_order()
        .iter()
        .map(|&i| m.numbers.list.catalog.get(i as usize).phone_number.to_string())
        .collect();
    match fx.as_slice() {
        [Effect::Copy(text)] => assert_eq!(*text, picked.join("\n")),
        other => panic!("expected one copy, got {other:?}"),
    }
    assert_eq!(picked.len(), 2);
    page(&mut m, 2, vec![rec("+1\u{1b}[2J", State::Active, false)]);
    find(&mut m, "");
    key(&mut m, Intent::Last);
    assert!(!m.numbers.list.catalog.get(m.numbers.selected_index().unwrap() as usize).is_pickable());
    key(&mut m, Intent::Mark);
    assert_eq!(m.numbers.marks.len(), 2);
    assert!(m.numbers.note.as_deref().unwrap().contains("cannot be marked"));
}

#[test]
fn without_multi_tab_and_shift_tab_move() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    key(&mut m, Intent::Mark);
    key(&mut m, Intent::Mark);
    assert_eq!(m.numbers.cursor.selected, 2);
    key(&mut m, Intent::Unmark);
    assert_eq!(m.numbers.cursor.selected, 1);
    assert!(m.numbers.marks.is_empty());
    key(&mut m, Intent::Confirm);
    assert_eq!(m.exit, Some(Exit::Confirmed(m.numbers.results.hits[1])));
}

fn resize(m: &mut Model, width: u16, height: u16) {
    send(m, Msg::Resize { width, height });
}

#[test]
fn the_details_pane_follows_the_width_until_toggled() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    assert!(!m.details_on(), "off below 120 columns");
    resize(&mut m, 120, 24);
    assert!(m.details_on(), "on from 120 columns");
    resize(&mut m, 119, 24);
    assert!(!m.details_on());
    key(&mut m, Intent::ToggleDetails);
    assert!(m.details_on(), "toggled on below 120 columns");
    resize(&mut m, 60, 24);
    assert!(m.details_on(), "the user's choice stays through a resize");
    resize(&mut m, 200, 24);
    key(&mut m, Intent::ToggleDetails);
    assert!(!m.details_on(), "toggled off on a wide terminal");
    resize(&mut m, 300, 50);
    assert!(!m.details_on());
}

#[test]
fn the_details_pane_below_the_list_takes_its_rows_back_when_hidden() {
    let mut m = Model::new("", Filters::default(), 60, 30);
    page(&mut m, 1, first_page());
    // 30 rows: the query line, the column header and the status line take three.
    assert_eq!(m.numbers.cursor.rows, 27);
    key(&mut m, Intent::ToggleDetails);
    // Under 80 columns the pane goes under the list: 14 rows of 30.
    assert_eq!(m.layout().details.map(|r| (r.y, r.height, r.width)), Some((16, 14, 60)));
    assert_eq!(m.numbers.cursor.rows, 13);
    key(&mut m, Intent::ToggleDetails);
    assert_eq!(m.numbers.cursor.rows, 27);
    // On the right of the list, the rows stay.
    resize(&mut m, 100, 30);
    key(&mut m, Intent::ToggleDetails);
    assert_eq!(m.layout().details.map(|r| (r.x, r.width)), Some((60, 40)));
    assert_eq!(m.numbers.cursor.rows, 27);
}

#[test]
fn toggling_the_details_with_the_help_open_only_closes_the_help() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    key(&mut m, Intent::ToggleHelp);
    key(&mut m, Intent::ToggleDetails);
    assert!(!m.help && !m.details_on() && m.details.is_none());
}

#[test]
fn a_title_takes_a_line_above_the_numbers() {
    let mut m = Model::new("", Filters::default(), 80, 24);
    page(&mut m, 1, first_page());
    assert_eq!(m.numbers_top(), 0, "no title, no place: no header");
    m.title = "call queue primary".into();
    m.relayout();
    assert_eq!((m.numbers_top(), m.numbers.cursor.rows), (1, 20));
    // A click on row 3 of the screen is row 2 of the numbers screen (under the query line and
    // the column header): the first number.
    key(&mut m, Intent::Click(3));
    assert_eq!(m.numbers.cursor.selected, 0);
    key(&mut m, Intent::Click(4));
    assert_eq!(m.numbers.cursor.selected, 1);
    m.title.clear();
    m.place = Some("person Y2lz".into());
    assert_eq!((m.numbers_top(), m.place_text()), (1, Some("person Y2lz")));
}

#[test]
fn exact_makes_every_term_match_only_as_typed_and_a_quote_makes_one_fuzzy_again() {
    // `2051` is in no number of the page in a row, but scattered in several.
    let hits = |exact: bool, query: &str| {
        let mut m = Model::new("", Filters::default(), 80, 24);
        m.numbers.set_exact(exact);
        page(&mut m, 1, first_page());
        typed(&mut m, query);
        m.numbers.results.hits.len()
    };
    assert!(hits(false, "2051") > 0, "fuzzy by default: the scattered digits match");
    assert_eq!(hits(false, "'2051"), 0, "'term: only as typed");
    assert_eq!(hits(true, "2051"), 0, "--exact: only as typed");
    assert!(hits(true, "'2051") > 0, "--exact and 'term: fuzzy again");
    assert_eq!(hits(true, "0001"), 2, "--exact: the digits in a row still match");
}
