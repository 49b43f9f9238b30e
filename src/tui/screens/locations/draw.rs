//! Drawing the locations screen: reads its state, never changes it.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::{LocationsScreen, LocationsStatus};
use crate::sanitize;
use crate::tui::keymap;
use crate::tui::msg::Intent;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;
use crate::tui::widgets::status_line::{self, count};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// Draws the screen in `area`: the query line, the list, the status line.
pub fn draw(
    s: &LocationsScreen,
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    (spinner, now): (usize, Option<Instant>),
    help_open: bool,
) {
    let query_area = Rect { height: 1, ..area };
    let list_area = Rect { y: area.y + 1, height: area.height - 2, ..area };
    let status_area = Rect { y: area.bottom() - 1, height: 1, ..area };
    s.query.draw(f, query_area, theme, help_open);
    draw_list(s, f, list_area, theme);
    f.render_widget(Paragraph::new(status(s, spinner, now, theme, status_area.width as usize)), status_area);
}

fn draw_list(s: &LocationsScreen, f: &mut Frame, area: Rect, theme: &Theme) {
    if s.hits.is_empty() {
        let p =
            Paragraph::new(empty_message(s)).style(theme.dim()).alignment(Alignment::Center).wrap(Wrap { trim: true });
        let y = area.y + area.height.saturating_sub(1) / 3;
        f.render_widget(p, Rect { y, height: area.bottom() - y, ..area });
        return;
    }
    let width = area.width as usize;
    // The name column: as wide as the longest name shown, at most half the width.
    let shown = s.hits.iter().skip(s.cursor.offset).take(area.height as usize);
    // Measured in screen cells: wide characters take two, combining marks none.
    let name_of = |i: usize| sanitize::one_line(&s.locations()[i].name, usize::MAX);
    let name_width = shown.clone().map(|&i| fit::width(&name_of(i))).max().unwrap_or(0).min(width / 2);
    let lines: Vec<Line> = shown
        .enumerate()
        .map(|(row, &i)| {
            let selected = s.cursor.offset + row == s.cursor.selected;
            let loc = &s.locations()[i];
            let base = if selected { theme.selected() } else { Style::default() };
            let name = fit::truncate(&name_of(i), name_width.max(1));
            let pad = name_width.saturating_sub(fit::width(&name));
            let mut spans = vec![
                Span::styled(if selected { "▶ " } else { "  " }, base.patch(theme.fg(Color::Cyan))),
                Span::styled(name, base.add_modifier(Modifier::BOLD)),
                Span::styled(" ".repeat(pad + 2), base),
            ];
            let used = 2 + name_width + 2;
            let room = width.saturating_sub(used);
            if let Some(detail) = loc.detail().filter(|_| room > 4) {
                let detail = fit::truncate(&sanitize::one_line(detail, usize::MAX), room);
                let len = fit::width(&detail);
                spans.push(Span::styled(detail, base.patch(theme.dim())));
                if selected {
                    spans.push(Span::styled(" ".repeat(room.saturating_sub(len)), base));
                }
            } else if selected {
                spans.push(Span::styled(" ".repeat(room), base));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

/// Why the list is empty.
fn empty_message(s: &LocationsScreen) -> String {
    if s.locations().is_empty() {
        return match &s.status {
            LocationsStatus::Loading | LocationsStatus::Retrying(_) => "loading locations…".into(),
            LocationsStatus::Done => "There are no Webex Calling locations.".into(),
            LocationsStatus::Failed(reason) if s.retryable => {
                format!("Could not load the locations: {reason}. Press r to retry, Esc to quit.")
            }
            LocationsStatus::Failed(reason) => format!("Could not load the locations: {reason}. Esc to quit."),
        };
    }
    format!("No location matches “{}” among {}.", s.query.text.trim(), count(s.locations().len()))
}

/// The status line: counts, loading, a note, and the keys that matter here.
fn status<'a>(s: &LocationsScreen, spinner: usize, now: Option<Instant>, theme: &Theme, width: usize) -> Line<'a> {
    let mut parts: Vec<(String, Style)> = Vec::new();
    // "locations" only where it leaves room for the keys.
    let noun = if width >= 60 { " locations" } else { "" };
    let counts = format!("{} / {}{noun}", count(s.hits.len()), count(s.locations().len()));
    parts.push((counts, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)));
    let spin = SPINNER[spinner % SPINNER.len()];
    if let Some(cached) = s.cached() {
        let age = crate::tui::widgets::status_line::ago(cached.age_at(now));
        let stale = if matches!(s.status, LocationsStatus::Failed(_)) { "STALE, cached" } else { "cached" };
        parts.push((format!("{stale} {age} ago"), theme.fg(Color::Yellow)));
    }
    match &s.status {
        LocationsStatus::Loading if s.cached().is_some() => {
            parts.push((format!("{spin} refreshing"), theme.fg(Color::Yellow)))
        }
        LocationsStatus::Loading => parts.push((format!("{spin} loading…"), theme.fg(Color::Yellow))),
        LocationsStatus::Retrying(why) => {
            parts.push((format!("{spin} {}", sanitize::one_line(why, 80)), theme.fg(Color::Yellow)))
        }
        LocationsStatus::Done => parts.push(("all loaded".into(), theme.fg(Color::Green))),
        LocationsStatus::Failed(why) => parts.push((
            match s.retryable {
                true => format!(
                    "INCOMPLETE ({}: retry): {}",
                    if s.query.text.is_empty() { "r" } else { "Ctrl-R" },
                    sanitize::one_line(why, 80)
                ),
                false => format!("INCOMPLETE: {}", sanitize::one_line(why, 80)),
            },
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
    }
    if let Some(note) = &s.note {
        parts.push((note.clone(), theme.fg(Color::Red).add_modifier(Modifier::BOLD)));
    }
    let enter = keymap::key_for(Intent::Confirm).unwrap_or_default();
    parts.push((format!("{enter} numbers"), theme.dim()));
    parts.push(("F1 help".into(), theme.dim()));
    status_line::fit(parts, theme, width)
}
