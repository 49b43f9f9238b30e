//! Rendering snapshots at 80x24 and 40x12 (and tiny sizes), through ratatui's TestBackend.

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::draw;
use crate::demo::demo_records;
use crate::load::{LoadStatus, LocationList};
use crate::numbers::catalog::Catalog;
use crate::numbers::filters::{Filters, NumberKind, StateFilter, TypeFilter};
use crate::numbers::matcher::{Matcher, Query, search};
use crate::tui::model::Model;
use crate::webex::{ApiError, Resume};

fn render(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw(m, f)).unwrap();
    t.backend().to_string()
}

/// A model showing the first `n` demo numbers, searched for `query`.
fn loaded(n: usize, query: &str, filters: Filters, w: u16, h: u16) -> Model {
    let mut m = Model::new(query, filters, w, h);
    m.color = false;
    m.numbers.list.catalog = Arc::new(Catalog::from_records(demo_records(Some(n))));
    let matcher = Matcher::new(Query::parse(query));
    m.numbers.results.hits = Arc::new(search(&m.numbers.list.catalog, None, &matcher, &filters));
    m.numbers.results.matcher = matcher;
    m.numbers.results.covered = m.numbers.list.catalog.len();
    m.numbers.list.status = LoadStatus::Done;
    m
}

fn failure() -> LoadStatus {
    let error = ApiError::Http {
        status: 503,
        message: Some("Service Unavailable".into()),
        tracking_id: Some("ROUTER_123".into()),
        retry_after: None,
        endpoint: None,
    };
    LoadStatus::Failed { page: 3, reason: error.to_string(), error, resume: Resume::start() }
}

#[test]
fn loading() {
    for (w, h) in [(80, 24), (40, 12)] {
        let m = Model::new("", Filters::default(), w, h);
        insta::assert_snapshot!(format!("loading_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn loaded_with_query() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = loaded(2881, "635 00", Filters::default(), w, h);
        m.numbers.cursor.selected = 1;
        insta::assert_snapshot!(format!("loaded_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn loading_more_pages_with_filters() {
    let f = Filters { state: StateFilter::Active, types: TypeFilter::of(&[NumberKind::Service]) };
    let mut m = loaded(500, "", f, 80, 24);
    m.numbers.list.status = LoadStatus::Loading { page: 2 };
    insta::assert_snapshot!(render(&m, 80, 24));
}

#[test]
fn empty_reasons() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut none = Model::new("", Filters::default(), w, h);
        none.color = false;
        none.numbers.list.status = LoadStatus::Done;
        insta::assert_snapshot!(format!("empty_location_{w}x{h}"), render(&none, w, h));
        let nothing = loaded(300, "99999", Filters::default(), w, h);
        insta::assert_snapshot!(format!("empty_query_{w}x{h}"), render(&nothing, w, h));
        let f = Filters { state: StateFilter::Inactive, types: TypeFilter::of(&[NumberKind::Main]) };
        let hidden = loaded(300, "", f, w, h);
        insta::assert_snapshot!(format!("empty_filters_{w}x{h}"), render(&hidden, w, h));
    }
}

#[test]
fn error() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut partial = loaded(1000, "", Filters::default(), w, h);
        partial.numbers.list.status = failure();
        insta::assert_snapshot!(format!("error_partial_{w}x{h}"), render(&partial, w, h));
        let mut nothing = Model::new("", Filters::default(), w, h);
        nothing.color = false;
        nothing.numbers.list.status = failure();
        insta::assert_snapshot!(format!("error_nothing_{w}x{h}"), render(&nothing, w, h));
    }
}

#[test]
fn help() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = loaded(100, "", Filters::default(), w, h);
        m.help = true;
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn tiny_and_zero_sizes_do_not_panic() {
    let m = loaded(100, "0001", Filters::default(), 20, 5);
    for (w, h) in [(0, 0), (0, 10), (10, 0)] {
        // TestBackend cannot print an empty buffer; drawing must simply not panic.
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| draw(&m, f)).unwrap();
    }
    for (w, h) in [(1, 1), (19, 2), (20, 3), (20, 5), (200, 1), (3, 60)] {
        let text = render(&m, w, h);
        assert_eq!(text.lines().count(), h as usize);
    }
    insta::assert_snapshot!(render(&m, 20, 5));
}

#[test]
fn counts_have_separators() {
    assert_eq!(crate::tui::widgets::status_line::count(4518), "4,518");
    assert_eq!(crate::tui::widgets::status_line::count(1_000_000), "1,000,000");
    assert_eq!(crate::tui::widgets::status_line::count(12), "12");
}

#[test]
fn malformed_records_are_counted_and_say_what_was_wrong() {
    let body = br#"{"phoneNumbers":[{"phoneNumber":"+12056350001","state":"ACTIVE"},
        {"phoneNumber":"+12056350002","isMainNumber":"false"}]}"#;
    let records = crate::numbers::record::parse_page(body).unwrap().numbers;
    let mut m = Model::new("", Filters::default(), 100, 6);
    m.color = false;
    m.numbers.list = crate::load::ListLoad::complete(records);
    let matcher = Matcher::new(Query::parse(""));
    m.numbers.results.hits = Arc::new(search(&m.numbers.list.catalog, None, &matcher, &Filters::default()));
    m.numbers.results.covered = 2;
    let screen = render(&m, 100, 6);
    assert!(screen.contains("1 malformed"), "{screen}");
    let bad = screen.lines().find(|l| l.contains("12056350002")).expect("the malformed record is listed");
    assert!(bad.contains("INVALID") && bad.contains("isMainNumber"), "{bad}");
}

#[test]
fn the_retry_wait_counts_down_with_the_ticks() {
    use crate::webex::FetchEvent;
    use std::time::{Duration, Instant};
    let mut m = loaded(10, "", Filters::default(), 80, 6);
    let error = ApiError::Http { status: 429, message: None, tracking_id: None, retry_after: Some(5), endpoint: None };
    let start = Instant::now();
    let until = start + Duration::from_secs(5);
    m.numbers.list.apply(FetchEvent::Retrying { page: 2, wait: Duration::from_secs(5), until, error });
    let status = |m: &Model| render(m, 80, 6).lines().last().unwrap().to_string();
    assert!(status(&m).contains("retrying in 5 s"), "{}", status(&m));
    m.now = Some(start + Duration::from_millis(2200));
    assert!(status(&m).contains("retrying in 3 s"), "{}", status(&m));
    m.now = Some(start + Duration::from_secs(9));
    assert!(status(&m).contains("retrying in 0 s"), "{}", status(&m));
}

#[test]
fn a_list_that_ended_on_a_repeated_page_says_it_is_probably_whole() {
    use crate::webex::{FetchEvent, ListEnd};
    let mut m = loaded(10, "", Filters::default(), 100, 6);
    m.numbers.list.apply(FetchEvent::Done { pages: 2, end: ListEnd::NoNewNumbers });
    let screen = render(&m, 100, 6);
    assert!(screen.contains("probably all"), "{screen}");
    m.numbers.list.apply(FetchEvent::Done { pages: 2, end: ListEnd::Complete });
    assert!(render(&m, 100, 6).contains("all loaded"));
}

/// The demo's locations, as the demo server lists them.
fn demo_locations() -> Vec<crate::webex::locations::Location> {
    let body = serde_json::json!({ "locations": crate::demo::locations::locations() }).to_string();
    crate::webex::locations::parse_locations(body.as_bytes()).unwrap()
}

#[test]
fn locations() {
    use crate::tui::model::View;
    use crate::tui::screens::lookup::{LocationsScreen, LookupStatus};
    use crate::webex::owners::LOCATIONS_LOOKUP;
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = Model::new("", Filters::default(), w, h);
        m.color = false;
        m.lookup = Some(LocationsScreen::loading(&LOCATIONS_LOOKUP, demo_locations()[..20].to_vec(), "", h).into());
        m.view = View::Lookup;
        insta::assert_snapshot!(format!("locations_loading_{w}x{h}"), render(&m, w, h));
        let mut s = LocationsScreen::of(&LOCATIONS_LOOKUP, demo_locations(), "paris", h);
        s.cursor.selected = 1;
        m.lookup = Some(s.into());
        insta::assert_snapshot!(format!("locations_query_{w}x{h}"), render(&m, w, h));
        let mut none = LocationsScreen::of(&LOCATIONS_LOOKUP, Vec::new(), "", h);
        none.status = LookupStatus::Failed("HTTP 503 Service Unavailable".into());
        m.lookup = Some(none.into());
        insta::assert_snapshot!(format!("locations_failed_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn numbers_of_a_location_chosen_by_name() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = loaded(300, "635", Filters::default(), w, h);
        m.location = Some(demo_locations()[0].clone());
        m.numbers.back_hint = Some("Ctrl-L locations".into());
        m.numbers.cursor.rows = (h - 3) as usize;
        insta::assert_snapshot!(format!("numbers_with_location_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn marks_of_multi() {
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = loaded(2881, "635 00", Filters::default(), w, h);
        m.numbers.marks = crate::tui::screens::numbers::Marks::new(Some(5));
        let hits = m.numbers.results.hits.clone();
        // Two marked rows, the highlight on a third; a mark the query hides still counts.
        for i in [hits[0], hits[2], 2880] {
            m.numbers.marks.toggle(i).unwrap();
        }
        m.numbers.cursor.selected = 1;
        insta::assert_snapshot!(format!("marks_{w}x{h}"), render(&m, w, h));
    }
}
/// A list whose records have owners and extensions, as the person, workspace and hunt group
/// lists send them: long and wide names, an unknown owner type, a name with an escape sequence.
fn owned(query: &str, w: u16, h: u16) -> Model {
    let body = r#"{"phoneNumbers":[
        {"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":true,"tollFreeNumber":false,"telephonyType":"PSTN_NUMBER","isServiceNumber":false,"extension":"1001",
         "owner":{"id":"Y2lzY29zcGFyazovL3VzL1BFT1BMRS9hZGEtbG92ZWxhY2UtMDAwMQ","type":"PEOPLE","firstName":"Ada","lastName":"Lovelace"}},
        {"phoneNumber":"+12056350002","state":"ACTIVE","isMainNumber":false,"tollFreeNumber":false,"telephonyType":"PSTN_NUMBER","isServiceNumber":true,"extension":"20002",
         "owner":{"id":"d3M","type":"PLACE","displayName":"Lobby phone, ground floor, building 7 east wing"}},
        {"phoneNumber":"+12056350003","state":"INACTIVE","isMainNumber":false,"tollFreeNumber":false,"telephonyType":"PSTN_NUMBER","isServiceNumber":false},
        {"phoneNumber":"+18005550100","state":"ACTIVE","isMainNumber":false,"tollFreeNumber":true,"telephonyType":"PSTN_NUMBER","isServiceNumber":true,"extension":"7",
         "owner":{"id":"aGc","type":"HUNT_GROUP","displayName":"Support \u001b[2J\u202eline"}},
        {"phoneNumber":"+442079460001","state":"ACTIVE","isMainNumber":false,"tollFreeNumber":false,"telephonyType":"MOBILE_NUMBER","isServiceNumber":false,
         "owner":{"id":"eWFt","type":"PEOPLE","firstName":"太郎","lastName":"山田"},"mobileNetwork":"Vodafone","routingProfile":"standard-eu"},
        {"phoneNumber":"+12056350006","state":"ACTIVE","isMainNumber":false,"tollFreeNumber":false,"telephonyType":"PSTN_NUMBER","isServiceNumber":false,"extension":"1006",
         "owner":{"id":"bmV3","type":"SHARED_LINE_THING"}},
        {"phoneNumber":"+12056350007","isMainNumber":"no","extension":"1007","owner":{"type":"PEOPLE","displayName":"Broken"}}
    ]}"#;
    let records = crate::numbers::record::parse_page(body.as_bytes()).unwrap().numbers;
    let mut m = Model::new(query, Filters::default(), w, h);
    m.color = false;
    m.title = "person numbers".into();
    m.place = Some("Birmingham HQ".into());
    m.numbers.list = crate::load::ListLoad::complete(records);
    let matcher = Matcher::new(Query::parse(query));
    m.numbers.results.hits = Arc::new(search(&m.numbers.list.catalog, None, &matcher, &Filters::default()));
    m.numbers.results.matcher = matcher;
    m.numbers.results.covered = m.numbers.list.catalog.len();
    m.numbers.cursor.selected = 1;
    m.relayout();
    m
}

#[test]
fn owners_and_extensions() {
    // 80 columns: the owner cut to fit; 40: left out; 140: the details pane on at first.
    for (w, h) in [(80, 24), (40, 12), (140, 40)] {
        let m = owned("", w, h);
        insta::assert_snapshot!(format!("owners_{w}x{h}"), render(&m, w, h));
    }
}

#[test]
fn details_pane_toggled() {
    let mut m = owned("", 80, 24);
    assert!(!m.details_on());
    m.details = Some(true);
    m.relayout();
    insta::assert_snapshot!("details_80x24", render(&m, 80, 24));
    // Under 80 columns the pane goes below the list.
    let mut narrow = owned("", 60, 30);
    narrow.details = Some(true);
    narrow.relayout();
    insta::assert_snapshot!("details_60x30", render(&narrow, 60, 30));
    // A malformed record says why; a wide name is cut by columns, not characters.
    let mut m = owned("", 140, 40);
    m.numbers.cursor.selected = 6;
    insta::assert_snapshot!("details_malformed_140x40", render(&m, 140, 40));
    // A mobile number with the fields only some lists send.
    m.numbers.cursor.selected = 4;
    insta::assert_snapshot!("details_mobile_140x40", render(&m, 140, 40));
}

#[test]
fn owners_never_reach_the_terminal_raw_and_no_size_panics() {
    for (w, h) in [(20, 5), (140, 40), (80, 24), (79, 40), (120, 3), (1, 1), (300, 100)] {
        for details in [false, true] {
            let mut m = owned("", w, h);
            m.details = Some(details);
            m.relayout();
            let text = render(&m, w, h);
            assert_eq!(text.lines().count(), h as usize);
            assert!(text.lines().all(|l| !l.chars().any(crate::sanitize::is_unsafe)), "{text}");
        }
    }
    // ratatui alone would drop the escape character silently: it is shown escaped instead, in
    // the row and in the pane.
    let mut m = owned("", 140, 40);
    m.numbers.cursor.selected = 3;
    let text = render(&m, 140, 40);
    assert!(text.contains("Support \\u{1b}[2J\\u… (hunt group)"), "{text}");
    assert!(text.contains("\\u{1b}[2J\\u{202e}line"), "{text}");
}

#[test]
fn owner_columns_line_up() {
    let m = owned("", 100, 12);
    let text = render(&m, 100, 12);
    let at = |needle: &str| {
        let line = text.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {text}"));
        line[..line.find(needle).unwrap()].chars().count()
    };
    assert_eq!(at("ext 1001"), at("ext 20002"));
    assert_eq!(at("Ada Lovelace"), at("Lobby phone"));
    assert_eq!(at("Ada Lovelace"), at("(shared line thing)"));
    assert!(text.contains("Ada Lovelace (person)") && text.contains("(hunt group)"), "{text}");
}

#[test]
fn the_header_names_the_list_and_the_place() {
    let mut m = owned("", 80, 24);
    assert!(render(&m, 80, 24).starts_with("\"person numbers · Birmingham HQ "));
    m.location = Some(demo_locations()[0].clone());
    let top = render(&m, 80, 24).lines().next().unwrap().to_string();
    assert!(top.starts_with("\"person numbers · Birmingham HQ · 1 Demo Plaza"), "{top}");
    m.title = "a title far too long for a terminal this narrow, \u{1b}[2J it goes on".into();
    let top = render(&m, 30, 10).lines().next().unwrap().to_string();
    assert_eq!(top, "\"a title far too long for a t… \"");
}

/// The number inventory of `body` (a reply), whole and searched with no query, as the picker
/// shows it at `w` x `h` without colour.
fn inventory_model(body: &str, w: u16, h: u16) -> Model {
    let records = crate::numbers::record::parse_page(body.as_bytes()).unwrap().numbers;
    let mut m = Model::new("", Filters::default(), w, h);
    m.color = false;
    m.title = "number inventory".into();
    m.place = Some("all locations".into());
    m.numbers.list = crate::load::ListLoad::complete(records);
    let matcher = Matcher::new(Query::parse(""));
    m.numbers.results.hits = Arc::new(search(&m.numbers.list.catalog, None, &matcher, &Filters::default()));
    m.numbers.results.matcher = matcher;
    m.numbers.results.covered = m.numbers.list.catalog.len();
    m
}

/// The number inventory: free and assigned numbers of several locations, as the API sends them.
fn inventory(w: u16, h: u16) -> Model {
    let body = r#"{"phoneNumbers":[
        {"phoneNumber":"+12056350001","state":"INACTIVE","mainNumber":true,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false,"phoneNumberType":"PRIMARY",
         "location":{"id":"TE9D","name":"Birmingham HQ"}},
        {"phoneNumber":"+12056350004","extension":"0004","state":"ACTIVE","mainNumber":false,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false,"phoneNumberType":"PRIMARY",
         "location":{"id":"TE9D","name":"Birmingham HQ"},"owner":{"id":"QXZh","type":"PEOPLE","firstName":"Ava","lastName":"Smith"}},
        {"phoneNumber":"+12056350006","state":"ACTIVE","mainNumber":false,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":true,"phoneNumberType":"PRIMARY",
         "location":{"id":"REM","name":"Birmingham Data Center"}},
        {"phoneNumber":"+492214710036","extension":"0036","state":"ACTIVE","mainNumber":false,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false,"phoneNumberType":"PRIMARY",
         "location":{"id":"S8O2","name":"Köln"},"owner":{"id":"SEc","type":"HUNT_GROUP","firstName":"Vertrieb"}},
        {"phoneNumber":"+81312345678","extension":"5678","state":"ACTIVE","mainNumber":false,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false,"phoneNumberType":"PRIMARY",
         "location":{"id":"VG9r","name":"東京オフィス"},"owner":{"id":"eWFt","type":"PEOPLE","firstName":"太郎","lastName":"山田"}},
        {"phoneNumber":null,"extension":"568","routingPrefix":"1234","esn":"1234568","mainNumber":false,"includedTelephonyTypes":"PSTN_NUMBER","tollFreeNumber":false,"isServiceNumber":false,
         "location":{"id":"UmlD","name":"Richardson"},"owner":{"id":"Y2g","type":"PEOPLE","firstName":"chandru_2","lastName":"test_2"}}
    ]}"#;
    let mut m = inventory_model(body, w, h);
    m.numbers.cursor.selected = 1;
    m.relayout();
    m
}

#[test]
fn inventory_rows_show_location_state_owner_and_extension() {
    // 100 columns: every column; 80: the location cut to leave the owner room; 140: the pane
    // names the location; 40: the number and its state.
    for (w, h) in [(100, 10), (80, 10), (140, 30), (40, 10)] {
        let m = inventory(w, h);
        insta::assert_snapshot!(format!("inventory_{w}x{h}"), render(&m, w, h));
    }
    let text = render(&inventory(100, 10), 100, 10);
    let row = text.lines().find(|l| l.contains("205-635-0004")).unwrap();
    assert!(row.contains("Birmingham HQ") && row.contains("ext 0004") && row.contains("Ava Smith (person)"), "{row}");
    let free = text.lines().find(|l| l.contains("205-635-0001")).unwrap();
    assert!(free.contains("Birmingham HQ") && free.contains("main") && !free.contains("ext"), "{free}");
    // An extension without a number: no state or kind, not INVALID.
    let ext = text.lines().find(|l| l.contains("ext 568")).unwrap();
    assert!(ext.contains("(no number)") && ext.contains("Richardson") && !ext.contains("INVALID"), "{ext}");
    assert!(!ext.contains("standard") && !ext.contains('?'), "{ext}");
    let pane = render(&inventory(140, 30), 140, 30);
    assert!(pane.contains("location       Birmingham HQ") || pane.contains("location Birmingham HQ"), "{pane}");
}

/// Locations whose names are wide (CJK, emoji) or written with a combining accent.
fn worldwide_locations() -> Vec<crate::webex::locations::Location> {
    let site = |id: &str, name: &str, street: &str| serde_json::json!({"id": id, "name": name, "address": {"address1": street, "city": "X", "country": "DE"}});
    let body = serde_json::json!({ "locations": [
        site("a", "Zürich", "Bahnhofstrasse 1"),
        site("b", "東京オフィス", "Marunouchi 2-4-1"),
        site("c", "Berlin 🚀 Lab", "Alexanderplatz 5"),
        site("d", "Sa\u{300}o Paulo", "Avenida Paulista 9"),
    ]})
    .to_string();
    crate::webex::locations::parse_locations(body.as_bytes()).unwrap()
}

/// The screen cell a text starts at on a rendered line (wide characters take two cells).
fn cell_of(text: &str, needle: &str) -> usize {
    let line = text.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle}: {text}"));
    crate::tui::widgets::fit::width(&line[..line.find(needle).unwrap()])
}

/// The cells of a rendered line, quotes included (TestBackend notes wide characters after it).
fn cells(line: &str) -> usize {
    crate::tui::widgets::fit::width(&line[..line[1..].find('"').map_or(line.len(), |q| q + 2)])
}

#[test]
fn wide_and_combining_names_keep_the_columns() {
    use crate::tui::model::View;
    use crate::tui::screens::lookup::LocationsScreen;
    for (w, h) in [(80, 12), (40, 12)] {
        let mut m = Model::new("", Filters::default(), w, h);
        m.color = false;
        m.lookup = Some(LocationsScreen::locations(LocationList::complete(worldwide_locations()), "", h).into());
        m.view = View::Lookup;
        let text = render(&m, w, h);
        insta::assert_snapshot!(format!("worldwide_locations_{w}x{h}"), text);
        let columns: Vec<usize> = ["Bahnhof", "Marunou", "Alexand", "Avenida"].map(|a| cell_of(&text, a)).to_vec();
        assert!(columns.iter().all(|&c| c == columns[0]), "the address column moved: {columns:?}\n{text}");
        let widths: Vec<usize> = text.lines().map(cells).collect();
        assert!(widths.iter().all(|&c| c == w as usize + 2), "{widths:?} {text}");
    }
    // The header and the status line cut a wide name by cells.
    let mut m = loaded(10, "", Filters::default(), 30, 6);
    m.title = "call queue primary".into();
    m.location = Some(worldwide_locations()[1].clone());
    let text = render(&m, 30, 6);
    insta::assert_snapshot!("worldwide_header_30x6", text);
    assert!(text.lines().all(|l| cells(l) == 32), "{text}");
}

#[test]
fn invisible_characters_are_drawn_escaped_and_huge_names_cut() {
    // A number that would look exactly like +12056350002, an owner whose name hides a zero-width
    // joiner and a byte-order mark, and a megabyte of owner name.
    let huge = "Ada ".repeat(1 << 18);
    let body = serde_json::json!({"phoneNumbers": [
        {"phoneNumber": "+1205635\u{200B}0002", "state": "ACTIVE", "isMainNumber": false, "tollFreeNumber": false},
        {"phoneNumber": "+12056350003", "state": "ACTIVE", "isMainNumber": false, "tollFreeNumber": false,
         "owner": {"type": "PEOPLE", "displayName": "Grace\u{200D}Hopper\u{FEFF}\u{2060}"}},
        {"phoneNumber": "+12056350004", "state": "ACTIVE", "isMainNumber": false, "tollFreeNumber": false,
         "owner": {"type": "PEOPLE\u{200B}", "displayName": huge}},
    ]});
    let records = crate::numbers::record::parse_page(body.to_string().as_bytes()).unwrap().numbers;
    let mut m = Model::new("", Filters::default(), 140, 40);
    m.color = false;
    m.numbers.list = crate::load::ListLoad::complete(records);
    m.numbers.results.hits = Arc::new(vec![0, 1, 2]);
    m.numbers.results.covered = 3;
    m.details = Some(true);
    m.relayout();
    for selected in 0..3 {
        m.numbers.cursor.selected = selected;
        let text = render(&m, 140, 40);
        assert!(text.contains("+1205635\\u{200b}00"), "the look-alike is visibly different:\n{text}");
        assert!(text.contains("Grace\\u{200d}Hopper\\u{feff}\\u{2060}"), "{text}");
        assert!(text.contains("Ada Ada Ada"), "{text}");
        assert!(text.lines().all(|l| !l.chars().any(crate::sanitize::is_unsafe)), "{text}");
    }
    // The owner's name as drawn is made from its start only.
    let owner = m.numbers.list.catalog.get(2).owner().unwrap();
    let shown = owner.shown_name(usize::MAX).unwrap();
    assert_eq!(shown.chars().count(), crate::sanitize::LONGEST);
    assert_eq!(owner.shown_name(10).unwrap(), "Ada Ada A…");
    assert_eq!(owner.type_words().unwrap(), "people\\u{200b}");
}

#[test]
fn connecting() {
    use crate::tui::connecting::Connection;
    use crate::webex::RetryNote;
    use std::time::{Duration, Instant};
    for (w, h) in [(80, 24), (40, 12)] {
        let mut m = Model::new("", Filters::default(), w, h);
        m.color = false;
        m.title = "call queue primary".into();
        m.connection = Some(Connection::new("127.0.0.1:9".into()));
        m.relayout();
        let t0 = Instant::now();
        let error =
            ApiError::Network { host: "127.0.0.1:9".into(), detail: "connection refused".into(), connect: true };
        let wait = Duration::from_secs(4);
        m.connection.as_mut().unwrap().retry =
            Some(RetryNote { attempt: 3, attempts: 5, wait, until: t0 + wait, error });
        m.now = Some(t0 + Duration::from_millis(800));
        insta::assert_snapshot!(format!("connecting_{w}x{h}"), render(&m, w, h));
    }
}

/// The number inventory of locations whose names are wide (CJK, emoji) or written with a
/// combining accent, with owners named so too.
fn worldwide_inventory(w: u16, h: u16) -> Model {
    let row = |number: &str, ext: &str, loc: &str, owner: serde_json::Value| {
        serde_json::json!({"phoneNumber": number, "extension": ext, "state": "ACTIVE", "mainNumber": false,
            "includedTelephonyTypes": "PSTN_NUMBER", "tollFreeNumber": false, "isServiceNumber": false,
            "location": {"id": "TE9D", "name": loc}, "owner": owner})
    };
    let body = serde_json::json!({"phoneNumbers": [
        row("+41445550001", "0001", "Zürich", serde_json::json!({"type": "PEOPLE", "firstName": "Jose\u{301}", "lastName": "Müller"})),
        row("+81312345678", "5678", "東京オフィス", serde_json::json!({"type": "PEOPLE", "firstName": "太郎", "lastName": "山田"})),
        row("+493012345670", "70", "Berlin 🚀 Lab", serde_json::json!({"type": "HUNT_GROUP", "displayName": "🚀 Launch desk"})),
        row("+551130000001", "9001", "Sa\u{300}o Paulo", serde_json::json!({"type": "PLACE", "displayName": "Recepc\u{327}a\u{303}o"})),
    ]})
    .to_string();
    let mut m = inventory_model(&body, w, h);
    m.relayout();
    m
}

#[test]
fn the_column_header_lines_up_with_wide_and_combining_names() {
    // 80x24; narrow 40x12; wide, with the details pane beside the list.
    for (w, h) in [(80, 24), (40, 12), (140, 30)] {
        let m = worldwide_inventory(w, h);
        let text = render(&m, w, h);
        insta::assert_snapshot!(format!("worldwide_inventory_{w}x{h}"), text);
        let lines: Vec<&str> = text.lines().collect();
        let header = lines[2];
        // The screen cell where `needle` starts on `line` (wide characters take two).
        let at = |line: &str, needle: &str| line.find(needle).map(|i| crate::tui::widgets::fit::width(&line[..i]));
        let rows: Vec<&str> = lines[3..3 + 4].to_vec();
        let column = |name: &str, cells: &[&str]| {
            let Some(head) = at(header, name) else { return };
            for (row, cell) in rows.iter().zip(cells) {
                assert_eq!(at(row, cell), Some(head), "{w}x{h}: {cell:?} is not under {name:?}\n{text}");
            }
        };
        assert_eq!(at(header, "Number"), Some(3), "{text}");
        column("Number", &["+41", "+81", "+49", "+55"]);
        column("State", &["active"; 4]);
        column("Location", &["Zürich", "東京", "Berlin", "Sa\u{300}o"]);
        column("Extension / Owner", &["ext 0001", "ext 5678", "ext 70", "ext 9001"]);
        if w >= 80 {
            assert!(header.contains("Location") && header.contains("Extension / Owner"), "{text}");
        }
        assert!(lines.iter().all(|l| cells(l) == w as usize + 2), "{text}");
    }
}
