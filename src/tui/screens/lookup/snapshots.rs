//! Snapshots of the lookup screen on the owners' rows (the locations' are with the picker's
//! other snapshots): the demo's people and workspaces, whose names hold accents and CJK, at
//! 80x24 and on a narrow terminal; and the numbers of the person chosen, under their name.

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::LookupScreen;
use crate::numbers::filters::Filters;
use crate::tui::draw::draw;
use crate::tui::model::{Model, View};
use crate::webex::PathId;
use crate::webex::owners::{Lookup, Owner, PEOPLE_LOOKUP, VIRTUAL_LINES_LOOKUP, WORKSPACES_LOOKUP, parse_owners};

fn render(m: &Model, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| draw(m, f)).unwrap();
    t.backend().to_string()
}

/// The demo's owners of a kind, as the demo server lists them.
fn demo_owners(which: PathId) -> Vec<Owner> {
    let key = if which == PathId::VirtualLine { "virtualLines" } else { "items" };
    let body = serde_json::json!({ key: crate::demo::owners::records(which) }).to_string();
    parse_owners(body.as_bytes()).unwrap()
}

fn on(row: &'static Lookup, owners: Vec<Owner>, query: &str, title: &str, w: u16, h: u16) -> Model {
    let mut m = Model::new("", Filters::default(), w, h);
    m.color = false;
    m.title = title.into();
    m.lookup = Some(LookupScreen::of(row, owners, query, h).into());
    m.view = View::Lookup;
    m
}

/// The rows' cells up to `needle` (TestBackend's text notes wide characters after each line).
fn column_of(text: &str, needle: &str) -> Vec<usize> {
    text.lines().filter_map(|l| l.find(needle).map(|at| crate::tui::widgets::fit::width(&l[..at]))).collect()
}

#[test]
fn people() {
    for (w, h) in [(80, 24), (40, 12)] {
        let m = on(&PEOPLE_LOOKUP, demo_owners(PathId::Person), "", "person call forwarding", w, h);
        let text = render(&m, w, h);
        insta::assert_snapshot!(format!("people_{w}x{h}"), text);
        assert!(text.lines().next().unwrap().contains("Choose a person"), "{text}");
        // Names of wide characters keep the email column in place.
        let emails = ["grace.smith", "ana.mueller", "taro.yamada", "an.nguyen"];
        let at: Vec<usize> = emails.iter().flat_map(|e| column_of(&text, e)).collect();
        assert_eq!(at.len(), 4, "{text}");
        assert!(at.iter().all(|&c| c == at[0]), "the email column moved: {at:?}\n{text}");
    }
}

#[test]
fn several_match_and_other_lookups() {
    let mut m =
        on(&PEOPLE_LOOKUP, demo_owners(PathId::Person)[..3].to_vec(), "smith", "person call forwarding", 80, 24);
    if let Some(crate::tui::screens::lookup::AnyLookup::Owners(s)) = &mut m.lookup {
        s.heading = Some("3 people match \"smith\"".into());
    }
    insta::assert_snapshot!("people_matching_80x24", render(&m, 80, 24));
    for (row, which) in [(&WORKSPACES_LOOKUP, PathId::Workspace), (&VIRTUAL_LINES_LOOKUP, PathId::VirtualLine)] {
        let m = on(row, demo_owners(which), "", "", 40, 12);
        insta::assert_snapshot!(format!("{}_40x12", row.command), render(&m, 40, 12));
    }
}
