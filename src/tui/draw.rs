//! Drawing: reads the model, never changes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::model::{Layout, Model};
use super::screens::numbers::details;
use super::screens::{locations, numbers};
use super::theme::Theme;
use super::widgets::{fit, help};
use crate::sanitize;

/// The smallest screen that holds a query line, one row and a status line.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 3;

pub fn draw(m: &Model, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = if area.width >= 8 { "terminal too small" } else { "small" };
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let theme = Theme { color: m.color };
    let ctx = numbers::DrawContext {
        theme: &theme,
        spinner: m.spinner,
        help_open: m.help,
        now: m.now,
        status_width: area.width,
        connecting: super::connecting::text(m),
        pending: m.connection.as_ref().is_some_and(|c| c.pending),
    };
    if let Some(l) = m.locations_in_view() {
        locations::draw(l, f, area, &theme, (m.spinner, m.now), m.help);
    } else {
        let layout = Layout::of(area, m.numbers_top(), m.details_on());
        if let Some(top) = layout.header {
            header(m, f, top, &theme);
        }
        numbers::draw(&m.numbers, f, layout.numbers, &ctx);
        if let Some(pane) = layout.details {
            let rec = m.numbers.selected_index().map(|i| m.numbers.list.catalog.get(i as usize));
            let source = details::Source { title: &m.title, place: m.place_text() };
            // Below the list when it has the whole width, else on its right.
            details::draw(rec, &source, f, pane, pane.x == area.x, &theme);
        }
    }
    if m.help {
        help::draw(f, area, &theme, m.help_screen(), m.help_scroll);
    }
}

/// The line above the numbers: the list's title, whose numbers they are (the location's name,
/// else the place the app gave), and the location's address or calling line number; cut to
/// the width. Every part may come from a server: all are escaped.
fn header(m: &Model, f: &mut Frame, area: Rect, theme: &Theme) {
    // One column kept free at the end, as the list's rows keep it.
    let mut room = (area.width as usize).saturating_sub(1);
    let mut spans = Vec::new();
    let part = |text: &str, style, spans: &mut Vec<Span>, room: &mut usize| {
        let sep = if spans.is_empty() { 0 } else { 3 };
        if *room < sep + 2 {
            return false;
        }
        if sep > 0 {
            spans.push(Span::styled(" · ", theme.dim()));
        }
        let text = fit::truncate(&sanitize::one_line(text, usize::MAX), *room - sep);
        *room -= sep + fit::width(&text);
        spans.push(Span::styled(text, style));
        true
    };
    if !m.title.is_empty() {
        part(&m.title, theme.fg(Color::Cyan), &mut spans, &mut room);
    }
    let bold = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    if let Some(place) = m.place_text()
        && part(place, bold, &mut spans, &mut room)
        && let Some(detail) = m.location.as_ref().and_then(|l| l.detail()).filter(|_| room > 7)
    {
        part(detail, theme.dim(), &mut spans, &mut room);
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(all(test, feature = "demo"))]
mod snapshots;
