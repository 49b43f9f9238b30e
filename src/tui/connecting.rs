//! The picker before its list is known: it opens at once, says `connecting to HOST:PORT…`, and
//! counts down the retries while the app finds out what to list (the location by name, the
//! owner, the first locations). What the app comes back with starts the picker proper.
//!
//! The app's lookups run beside the picker; their outcome and every request's retries come in
//! as messages on the loop's one channel ([`Msg::Started`](super::msg::Msg::Started),
//! [`Msg::Retried`](super::msg::Msg::Retried)), so the first frame is drawn before the first
//! request is made.

use std::time::Instant;

use tokio::sync::mpsc::UnboundedReceiver;
use tokio::sync::oneshot;

use super::LocationsStart;
use super::model::{Model, View};
use super::screens::locations::LocationsScreen;
use crate::error::Error;
use crate::load::{Feed, ListLoad, LoadStatus};
use crate::webex::RetryNote;
use crate::webex::locations::Location;

/// A picker that opens before it knows its list.
pub struct Connecting {
    /// Where the requests go (`127.0.0.1:9`, `webexapis.com:443`).
    pub to: String,
    /// What to list, once the app knows; an error ends the picker with it.
    pub start: oneshot::Receiver<Result<Start, Error>>,
    /// Every request's retries, from now on.
    pub retries: UnboundedReceiver<RetryNote>,
}

/// What the picker lists once the app knows.
pub enum Start {
    /// A list of numbers (loading), the feed that fills it, and whose numbers they are.
    Numbers { list: ListLoad, feed: Option<Feed>, location: Option<Location>, place: Option<String> },
    /// The locations to choose from first.
    Locations(LocationsStart),
}

impl std::fmt::Debug for Start {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Start::Numbers { list, .. } => write!(f, "Start::Numbers({} numbers)", list.catalog.len()),
            Start::Locations(_) => f.write_str("Start::Locations"),
        }
    }
}

/// What a [`Start`] brings to the model (the feeds stay with the event loop).
pub enum Began {
    Numbers { list: ListLoad, location: Option<Location>, place: Option<String> },
    Locations { list: crate::load::LocationList, query: String, note: Option<String>, retryable: bool },
}

impl std::fmt::Debug for Began {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Began::Numbers { list, .. } => write!(f, "Began::Numbers({} numbers)", list.catalog.len()),
            Began::Locations { query, .. } => write!(f, "Began::Locations({query:?})"),
        }
    }
}

/// The model's part: where the requests go, whether the list is still to be known, and the
/// last retry.
#[derive(Debug, Clone)]
pub struct Connection {
    pub to: String,
    /// The app has not said yet what to list.
    pub pending: bool,
    pub retry: Option<RetryNote>,
}

impl Connection {
    pub fn new(to: String) -> Self {
        Connection { to, pending: true, retry: None }
    }
}

/// A request is retried.
pub fn retried(m: &mut Model, note: RetryNote) {
    if let Some(c) = &mut m.connection {
        c.retry = Some(note);
    }
}

/// The app said what to list: the numbers, or the locations first.
pub fn began(m: &mut Model, began: Began) {
    if let Some(c) = &mut m.connection {
        c.pending = false;
    }
    match began {
        Began::Numbers { list, location, place } => {
            m.location = location;
            m.place = place;
            m.numbers.set_list(list);
            m.view = View::Numbers;
        }
        Began::Locations { list, query, note, retryable } => show_locations(m, list, &query, note, retryable),
    }
    // The header may have come or gone.
    m.relayout();
}

/// Puts the list of locations in view.
pub fn show_locations(
    m: &mut Model,
    list: crate::load::LocationList,
    query: &str,
    note: Option<String>,
    retryable: bool,
) {
    let rows = super::screens::locations::update::list_rows(m.height);
    let mut screen = LocationsScreen::new(list, query, rows);
    screen.retryable = retryable;
    screen.note = note;
    m.locations = Some(screen);
    m.view = View::Locations;
}

/// What the picker says while it connects: `connecting to HOST:PORT…`, and after a failed
/// attempt why, which attempt it was, and when the next one comes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectingText {
    pub headline: String,
    pub retry: Option<String>,
}

/// The connecting text, while there is nothing else to show: the list is still to be known, or
/// the numbers' first page has not come (and no cached list is in view).
pub fn text(m: &Model) -> Option<ConnectingText> {
    let c = m.connection.as_ref()?;
    let first_page = |status: &LoadStatus| match status {
        LoadStatus::Loading { page } | LoadStatus::Retrying { page, .. } => *page == 1,
        _ => false,
    };
    let list = &m.numbers.list;
    let waiting = c.pending
        || (m.view == View::Numbers
            && list.catalog.is_empty()
            && list.cached.is_none()
            && first_page(&m.numbers.loading().status));
    if !waiting {
        return None;
    }
    let retrying = c.pending || matches!(m.numbers.loading().status, LoadStatus::Retrying { .. });
    let retry = c.retry.as_ref().filter(|_| retrying).map(|note| retry_text(note, &c.to, m.now));
    Some(ConnectingText { headline: format!("connecting to {}…", c.to), retry })
}

/// `connection refused · attempt 1 of 5, next try in 3 s` (the line above says where to).
fn retry_text(note: &RetryNote, to: &str, now: Option<Instant>) -> String {
    // Counted down from the tick's time, never read from the clock here.
    let left = now.map_or(note.wait, |now| note.until.saturating_duration_since(now)).as_secs_f64().ceil() as u64;
    let reason = note.error.to_string();
    let reason = reason.split(". ").next().unwrap_or(&reason);
    let reason = reason.strip_prefix(&format!("cannot connect to {to}: ")).unwrap_or(reason);
    let reason = crate::sanitize::one_line(reason, 120);
    let next = if left == 0 { "trying again…".to_string() } else { format!("next try in {left} s") };
    format!("{reason} · attempt {} of {}, {next}", note.attempt, note.attempts)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::numbers::filters::Filters;
    use crate::tui::msg::Msg;
    use crate::tui::update::update;
    use crate::webex::{ApiError, FetchEvent};

    fn refused(attempt: u32, at: Instant) -> RetryNote {
        let error =
            ApiError::Network { host: "127.0.0.1:9".into(), detail: "connection refused".into(), connect: true };
        let wait = Duration::from_secs(2);
        RetryNote { attempt, attempts: 5, wait, until: at + wait, error }
    }

    fn connecting() -> Model {
        let mut m = Model::new("", Filters::default(), 80, 24);
        m.connection = Some(Connection::new("127.0.0.1:9".into()));
        m
    }

    #[test]
    fn before_the_list_is_known_it_says_where_it_connects_and_counts_down() {
        let mut m = connecting();
        let shown = text(&m).expect("connecting");
        assert_eq!(shown.headline, "connecting to 127.0.0.1:9…");
        assert_eq!(shown.retry, None);
        let t0 = Instant::now();
        update(&mut m, Msg::Retried(refused(1, t0)));
        update(&mut m, Msg::Tick(t0 + Duration::from_millis(300)));
        let retry = text(&m).and_then(|t| t.retry);
        assert_eq!(retry.as_deref(), Some("connection refused · attempt 1 of 5, next try in 2 s"));
        update(&mut m, Msg::Tick(t0 + Duration::from_millis(1500)));
        assert!(text(&m).and_then(|t| t.retry).is_some_and(|r| r.ends_with("next try in 1 s")));
        update(&mut m, Msg::Tick(t0 + Duration::from_secs(3)));
        assert!(text(&m).and_then(|t| t.retry).is_some_and(|r| r.ends_with("trying again…")));
    }

    #[test]
    fn the_numbers_once_known_say_it_until_their_first_page_and_then_not() {
        let mut m = connecting();
        m.title = "call queue primary".into();
        let list = ListLoad::new();
        update(&mut m, Msg::Began(Began::Numbers { list, location: None, place: Some("location L1".into()) }));
        assert_eq!(m.place.as_deref(), Some("location L1"));
        // Waiting for page 1, no retry yet: connecting, no countdown.
        assert!(text(&m).is_some_and(|t| t.retry.is_none()));
        let t0 = Instant::now();
        let note = refused(2, t0);
        let event = FetchEvent::Retrying { page: 1, wait: note.wait, until: note.until, error: note.error.clone() };
        update(&mut m, Msg::Retried(note));
        update(&mut m, Msg::Fetch(event));
        assert!(text(&m).and_then(|t| t.retry).is_some_and(|r| r.contains("attempt 2 of 5")));
        let page = vec![crate::numbers::record::NumberRecord::new(
            "+12056350001",
            crate::numbers::record::State::Active,
            false,
            false,
            false,
        )];
        update(&mut m, Msg::Fetch(FetchEvent::Page { page: 1, numbers: page }));
        assert_eq!(text(&m), None, "the numbers are in");
    }

    #[test]
    fn the_locations_once_known_are_in_view() {
        let mut m = connecting();
        let list = crate::load::LocationList::new();
        let began = Began::Locations { list, query: "Nowhere".into(), note: Some("why".into()), retryable: true };
        update(&mut m, Msg::Began(began));
        assert_eq!(m.view, View::Locations);
        let screen = m.locations.as_ref().expect("the locations screen");
        assert_eq!(
            (screen.query.text.as_str(), screen.note.as_deref(), screen.retryable),
            ("Nowhere", Some("why"), true)
        );
        assert_eq!(text(&m), None);
    }

    #[test]
    fn a_picker_given_its_list_never_says_it_connects() {
        let m = Model::new("", Filters::default(), 80, 24);
        assert_eq!(text(&m), None);
    }
}
