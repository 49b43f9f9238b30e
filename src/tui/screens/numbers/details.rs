//! The details pane: everything known of the highlighted number, one field a line. Every
//! string the server sent is escaped before it is drawn; drawing reads, never changes.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use serde_json::Value;

use crate::numbers::kinds::NumberKind;
use crate::numbers::phone;
use crate::numbers::record::{NumberRecord, State, TelephonyType};
use crate::sanitize;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;

/// The list the numbers came from, for the pane's last lines.
pub struct Source<'a> {
    /// The list's title (`call queue primary`); empty when unknown.
    pub title: &'a str,
    /// Whose numbers they are (a location's name, an ID).
    pub place: Option<&'a str>,
}

/// Fields some lists send, kept among the record's unknown fields: (field, label).
const EXTRA_FIELDS: [(&str, &str); 5] = [
    ("mobileNetwork", "mobile network"),
    ("routingProfile", "routing profile"),
    ("includedTelephonyTypes", "included types"),
    ("phoneNumberType", "number use"),
    ("esn", "ESN"),
];

/// The longest a value runs, in lines, before it is cut.
const MAX_VALUE_LINES: usize = 3;

/// The pane's fields for a record, as (label, text): every text escaped, on one line.
pub fn fields(rec: &NumberRecord, source: &Source) -> Vec<(&'static str, String)> {
    let safe = |s: &str| sanitize::one_line(s, usize::MAX);
    let mut out = Vec::new();
    // While libphonenumber's data loads (the first frames of a relaunch from the cache), the
    // pane shows the number as sent rather than hold the frame; the formats follow a tick later.
    let loading = phone::metadata_loading();
    let described = (rec.is_pickable() && !loading).then(|| phone::describe(&rec.phone_number)).flatten();
    match &described {
        Some(d) => {
            out.push(("E.164", d.e164.clone()));
            out.push(("international", d.international.clone()));
            out.push(("national", d.national.clone()));
            out.push(("country", d.region.clone().unwrap_or_else(|| "none (non-geographic)".into())));
            out.push(("line type", d.line_type.into()));
        }
        None if loading && rec.is_pickable() => out.push(("E.164", safe(&rec.phone_number))),
        // A malformed record's line below says what was wrong.
        None if rec.fault().is_some() => out.push(("number", safe(&rec.phone_number))),
        None => out.push(("number", format!("{} (not valid E.164)", safe(&rec.phone_number)))),
    }
    let state = match rec.state {
        State::Active => "active".into(),
        State::Inactive => "inactive".into(),
        State::Missing => "not given".into(),
        State::Other => safe(rec.state_text()).to_lowercase(),
    };
    out.push(("state", state));
    let kinds: Vec<&str> = NumberKind::badges().filter(|(k, _)| k.holds(rec)).map(|(_, b)| b.label).collect();
    out.push(("kind", kinds.join(", ")));
    let telephony = match rec.telephony_type {
        TelephonyType::Pstn => "PSTN".into(),
        TelephonyType::Mobile => "mobile".into(),
        TelephonyType::Missing => "not given".into(),
        TelephonyType::Other => safe(rec.type_text()),
    };
    out.push(("telephony", telephony));
    if let Some(ext) = rec.extension() {
        out.push(("extension", safe(ext)));
    }
    if let Some(location) = rec.location() {
        out.push(("location", location.name.as_deref().map_or_else(|| "no name given".into(), safe)));
        if let Some(id) = &location.id {
            out.push(("location id", safe(id)));
        }
    }
    if let Some(owner) = rec.owner() {
        out.push(("owner", owner.shown_name(sanitize::LONGEST).unwrap_or_else(|| "no name given".into())));
        if let Some(words) = owner.type_words() {
            out.push(("owner type", words.into_owned()));
        }
        if let Some(id) = owner.id() {
            out.push(("owner id", safe(id)));
        }
    } else if rec.location().is_some() {
        // The inventory lists every number: one without an owner is free.
        out.push(("owner", "none (unassigned)".into()));
    }
    for (field, label) in EXTRA_FIELDS {
        if let Some(v) = rec.extra().get(field).filter(|v| !v.is_null()) {
            out.push((label, safe(&value_text(v))));
        }
    }
    if let Some(fault) = rec.fault() {
        out.push(("malformed", safe(fault)));
    }
    if !source.title.is_empty() {
        out.push(("list", safe(source.title)));
    }
    if let Some(place) = source.place {
        out.push(("for", safe(place)));
    }
    out
}

/// A JSON value as text: a string as itself, a list's items joined by commas, else JSON.
fn value_text(v: &Value) -> Cow<'_, str> {
    match v {
        Value::String(s) => Cow::Borrowed(s),
        Value::Array(items) => Cow::Owned(items.iter().map(value_text).collect::<Vec<_>>().join(", ")),
        other => Cow::Owned(other.to_string()),
    }
}

/// Draws the pane for `rec` (none highlighted: says so) in `area`, with a rule on its left, or
/// on its top when it is `below` the list.
pub fn draw(rec: Option<&NumberRecord>, source: &Source, f: &mut Frame, area: Rect, below: bool, theme: &Theme) {
    let block = Block::default()
        .borders(if below { Borders::TOP } else { Borders::LEFT })
        .border_style(theme.dim())
        .title(Span::styled(" details ", theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let inner = Rect { x: inner.x.saturating_add(1).min(inner.right()), width: inner.width.saturating_sub(1), ..inner };
    let Some(rec) = rec else {
        f.render_widget(Paragraph::new("no number highlighted").style(theme.dim()), inner);
        return;
    };
    f.render_widget(Paragraph::new(lines(&fields(rec, source), inner.width as usize, theme)), inner);
}

/// The fields as lines of `width` columns: labels in a column, long values wrapped under
/// their start, cut after a few lines.
fn lines<'a>(fields: &[(&'static str, String)], width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let label_width = fields.iter().map(|(l, _)| l.len()).max().unwrap_or(0) + 1;
    // A narrow pane puts each value under its label.
    let wide = width >= label_width + 12;
    let (indent, room) = if wide { (label_width, width - label_width) } else { (2, width.saturating_sub(2)) };
    let mut out = Vec::new();
    for (label, value) in fields {
        let mut pieces = fit::wrap(value, room);
        if pieces.len() > MAX_VALUE_LINES {
            pieces.truncate(MAX_VALUE_LINES);
            let last = pieces.last_mut().expect("never empty");
            *last = fit::truncate(&format!("{last}…"), room);
        }
        if !wide {
            out.push(Line::from(Span::styled(label.to_string(), theme.dim())));
        }
        for (n, piece) in pieces.into_iter().enumerate() {
            let lead = if n == 0 && wide {
                Span::styled(format!("{label:<label_width$}"), theme.dim())
            } else {
                Span::raw(" ".repeat(indent))
            };
            out.push(Line::from(vec![lead, Span::raw(piece)]));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbers::record::parse_page;

    fn record(json: &str) -> NumberRecord {
        let body = format!(r#"{{"phoneNumbers":[{json}]}}"#);
        parse_page(body.as_bytes()).unwrap().numbers.remove(0)
    }

    fn get<'a>(fields: &'a [(&str, String)], label: &str) -> Option<&'a str> {
        fields.iter().find(|(l, _)| *l == label).map(|(_, v)| v.as_str())
    }

    const SOURCE: Source = Source { title: "person numbers", place: Some("person Y2lz") };

    #[test]
    fn shows_every_field_in_words() {
        let rec = record(
            r#"{"phoneNumber":"+442079460001","state":"ACTIVE","isMainNumber":true,"tollFreeNumber":false,
            "isServiceNumber":false,"telephonyType":"PSTN_NUMBER","extension":"1234",
            "owner":{"id":"Y2lz","type":"PLACE","displayName":"Lobby"},"mobileNetwork":"Vodafone",
            "includedTelephonyTypes":["PSTN_NUMBER","MOBILE_NUMBER"],"routingProfile":null}"#,
        );
        let f = fields(&rec, &SOURCE);
        assert_eq!(get(&f, "E.164"), Some("+442079460001"));
        assert_eq!(get(&f, "national"), Some("020 7946 0001"));
        assert_eq!(get(&f, "country"), Some("GB"));
        assert_eq!(get(&f, "line type"), Some("fixed line"));
        assert_eq!(get(&f, "kind"), Some("standard, main"));
        assert_eq!(get(&f, "telephony"), Some("PSTN"));
        assert_eq!(get(&f, "owner"), Some("Lobby"));
        assert_eq!(get(&f, "owner type"), Some("workspace"));
        assert_eq!(get(&f, "owner id"), Some("Y2lz"));
        assert_eq!(get(&f, "extension"), Some("1234"));
        assert_eq!(get(&f, "mobile network"), Some("Vodafone"));
        assert_eq!(get(&f, "included types"), Some("PSTN_NUMBER, MOBILE_NUMBER"));
        assert_eq!(get(&f, "routing profile"), None, "null is not shown");
        assert_eq!(get(&f, "list"), Some("person numbers"));
        assert_eq!(get(&f, "for"), Some("person Y2lz"));
    }

    #[test]
    fn nothing_the_server_sent_is_drawn_raw() {
        let evil = "\\u001b]52;c;aGk=\\u0007\\u202e";
        let rec = record(&format!(
            r#"{{"phoneNumber":"+1205{evil}","state":"X{evil}","telephonyType":"T{evil}","extension":"1{evil}",
            "owner":{{"id":"i{evil}","type":"T{evil}","firstName":"A{evil}"}},"mobileNetwork":{{"k":"{evil}"}},
            "routingProfile":"r{evil}","includedTelephonyTypes":["{evil}"]}}"#
        ));
        let f = fields(&rec, &Source { title: "t\u{1b}[2J", place: Some("p\u{202e}") });
        assert!(f.len() > 10, "{f:?}");
        for (label, value) in &f {
            assert!(!value.chars().any(sanitize::is_unsafe), "{label}: {value:?}");
        }
        assert!(get(&f, "number").unwrap().contains("not valid"));
    }

    #[test]
    fn a_malformed_record_says_why() {
        let rec = record(r#"{"phoneNumber":"+12056350002","isMainNumber":"false"}"#);
        let f = fields(&rec, &SOURCE);
        assert!(get(&f, "malformed").unwrap().contains("isMainNumber"), "{f:?}");
        assert_eq!((get(&f, "number"), get(&f, "E.164")), (Some("+12056350002"), None));
    }

    #[test]
    fn long_values_wrap_and_stop() {
        let theme = Theme { color: false };
        let f = vec![("owner id", "x".repeat(200)), ("state", "active".into())];
        let text: Vec<String> = lines(&f, 30, &theme).iter().map(|l| l.to_string()).collect();
        assert_eq!(text.len(), MAX_VALUE_LINES + 1, "{text:?}");
        assert!(text[2].ends_with('…') && text.iter().all(|l| fit::width(l) <= 30), "{text:?}");
        assert_eq!(text[3], "state    active");
        let narrow: Vec<String> = lines(&f, 12, &theme).iter().map(|l| l.to_string()).collect();
        assert_eq!(narrow[..2], ["owner id", "  xxxxxxxxxx"], "{narrow:?}");
    }
}
