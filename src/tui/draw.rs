//! Drawing: reads the model, never changes it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::model::Model;
use super::screens::{locations, numbers};
use super::theme::Theme;
use super::widgets::help;

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
    let ctx = numbers::DrawContext { theme: &theme, spinner: m.spinner, help_open: m.help, now: m.now };
    match (m.locations_in_view(), &m.location) {
        (Some(l), _) => locations::draw(l, f, area, &theme, (m.spinner, m.now), m.help),
        (None, Some(location)) if m.numbers_top() == 1 => {
            header(location, f, Rect { height: 1, ..area }, &theme);
            let rest = Rect { y: area.y + 1, height: area.height - 1, ..area };
            numbers::draw(&m.numbers, f, rest, &ctx);
        }
        _ => numbers::draw(&m.numbers, f, area, &ctx),
    }
    if m.help {
        help::draw(f, area, &theme);
    }
}

/// The line above the numbers: the location's name, and its address or calling line number.
fn header(location: &crate::webex::locations::Location, f: &mut Frame, area: Rect, theme: &Theme) {
    let width = area.width as usize;
    let name = crate::sanitize::one_line(&location.name, width.saturating_sub(2).max(1));
    let room = width.saturating_sub(name.chars().count() + 4);
    let mut spans = vec![Span::styled(name, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD))];
    if let Some(detail) = location.detail().filter(|_| room > 4) {
        spans.push(Span::styled(" · ", theme.dim()));
        spans.push(Span::styled(crate::sanitize::one_line(detail, room), theme.dim()));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

#[cfg(all(test, feature = "demo"))]
mod snapshots;
