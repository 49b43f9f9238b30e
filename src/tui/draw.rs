//! Drawing: reads the model, never changes it.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::model::{Load, Model};
use crate::numbers::kinds::NumberKind;
use crate::numbers::phone;
use crate::numbers::record::State;
use crate::sanitize;

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
/// The smallest screen that holds a query line, one row and a status line.
const MIN_WIDTH: u16 = 20;
const MIN_HEIGHT: u16 = 3;

/// Styles, with and without colour.
struct Theme {
    color: bool,
}

impl Theme {
    fn fg(&self, c: Color) -> Style {
        if self.color { Style::default().fg(c) } else { Style::default() }
    }
    fn selected(&self) -> Style {
        if self.color {
            Style::default().bg(Color::DarkGray).add_modifier(Modifier::BOLD)
        } else {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        }
    }
    fn matched(&self) -> Style {
        let s = Style::default().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if self.color { s.fg(Color::Yellow) } else { s }
    }
    fn dim(&self) -> Style {
        Style::default().add_modifier(Modifier::DIM)
    }
}

pub fn draw(m: &Model, f: &mut Frame) {
    let area = f.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        let text = if area.width >= 8 { "terminal too small" } else { "small" };
        f.render_widget(Paragraph::new(text).wrap(Wrap { trim: true }), area);
        return;
    }
    let theme = Theme { color: m.color };
    let query_area = Rect { height: 1, ..area };
    let list_area = Rect { y: area.y + 1, height: area.height - 2, ..area };
    let status_area = Rect { y: area.bottom() - 1, height: 1, ..area };
    draw_query(m, f, query_area, &theme);
    draw_list(m, f, list_area, &theme);
    f.render_widget(Paragraph::new(status_line(m, &theme, status_area.width as usize)), status_area);
    if m.help {
        draw_help(f, area, &theme);
    }
}

fn draw_query(m: &Model, f: &mut Frame, area: Rect, theme: &Theme) {
    let prompt = "> ";
    let room = (area.width as usize).saturating_sub(prompt.len() + 1);
    let chars: Vec<char> = m.query.text.chars().collect();
    // Scroll the query sideways so the cursor stays visible.
    let start = m.query.cursor.saturating_sub(room);
    let shown: String = chars.iter().skip(start).take(room).collect();
    let line =
        Line::from(vec![Span::styled(prompt, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)), Span::raw(shown)]);
    f.render_widget(Paragraph::new(line), area);
    if !m.help {
        let x = area.x + (prompt.len() + m.query.cursor - start) as u16;
        f.set_cursor_position((x.min(area.right() - 1), area.y));
    }
}

fn draw_list(m: &Model, f: &mut Frame, area: Rect, theme: &Theme) {
    if m.hits.is_empty() {
        let msg = empty_message(m);
        let p = Paragraph::new(msg).style(theme.dim()).alignment(Alignment::Center).wrap(Wrap { trim: true });
        let y = area.y + area.height.saturating_sub(1) / 3;
        f.render_widget(p, Rect { y, height: area.bottom() - y, ..area });
        return;
    }
    let lines: Vec<Line> = m
        .hits
        .iter()
        .enumerate()
        .skip(m.offset)
        .take(area.height as usize)
        .map(|(pos, &i)| row(m, i, pos == m.selected, area.width as usize, theme))
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

/// Why the list is empty.
fn empty_message(m: &Model) -> String {
    let total = m.catalog.len();
    if total == 0 {
        return match &m.load {
            Load::Loading { .. } | Load::Retrying { .. } => "loading numbers…".into(),
            Load::Done => "No numbers are available at this location.".into(),
            Load::Failed { reason, .. } => {
                format!("Could not load the numbers: {reason}. Press r to retry, Esc to quit.")
            }
        };
    }
    let query_empty = m.query.text.trim().is_empty();
    if !m.is_current() {
        return "searching…".into();
    }
    let filtered = !m.filters.is_all();
    match (query_empty, filtered) {
        (true, true) => format!(
            "The filters (state: {}, type: {}) hide all {} numbers. Ctrl-S and Ctrl-T change them.",
            m.filters.state.label(),
            m.filters.types.label(),
            count(total)
        ),
        (false, true) => format!(
            "Nothing matches “{}” with these filters (state: {}, type: {}).",
            m.query.text.trim(),
            m.filters.state.label(),
            m.filters.types.label()
        ),
        _ => format!("Nothing matches “{}” among {} numbers.", m.query.text.trim(), count(total)),
    }
}

/// One row: marker, number with highlights, region, state, badges.
fn row<'a>(m: &Model, i: u32, selected: bool, width: usize, theme: &Theme) -> Line<'a> {
    let rec = m.catalog.get(i as usize);
    let valid = rec.is_pickable();
    // One parse gives both the readable number and its region.
    let (shown, region) = match valid.then(|| phone::for_display(&rec.phone_number)).flatten() {
        Some((shown, region)) => (shown, region.unwrap_or_default()),
        None if valid => (rec.phone_number.to_string(), String::new()),
        None => (sanitize::escape(&rec.phone_number).into_owned(), String::new()),
    };
    let base = if selected { theme.selected() } else { Style::default() };
    let mut spans = vec![Span::styled(if selected { "▶ " } else { "  " }, base.patch(theme.fg(Color::Cyan)))];
    // Highlight the matched digits: the n-th digit of the number is the n-th digit shown.
    let positions = if valid { m.matcher.digit_positions(m.catalog.digits(i as usize)) } else { Vec::new() };
    let mut digit = 0;
    let mut used = 2;
    let number_width = 18.min(width.saturating_sub(2));
    for c in shown.chars().take(number_width) {
        let hit = c.is_ascii_digit() && positions.contains(&digit);
        if c.is_ascii_digit() {
            digit += 1;
        }
        spans.push(Span::styled(c.to_string(), if hit { base.patch(theme.matched()) } else { base }));
        used += 1;
    }
    let pad = number_width.saturating_sub(used - 2) + 1;
    spans.push(Span::styled(" ".repeat(pad), base));
    used += pad;
    let mut cols: Vec<(String, Style)> = Vec::new();
    if !valid {
        cols.push(("INVALID".into(), theme.fg(Color::Red).add_modifier(Modifier::BOLD)));
    }
    let wide = width >= 60;
    if wide {
        cols.push((format!("{region:<3}"), theme.dim()));
    }
    let (state, state_style) = match rec.state {
        State::Active => ("active".to_string(), theme.fg(Color::Green)),
        State::Inactive => ("inactive".to_string(), theme.fg(Color::Yellow)),
        State::Missing => ("?".to_string(), theme.dim()),
        State::Other => (sanitize::one_line(&rec.state_text().to_lowercase(), 12), theme.fg(Color::Magenta)),
    };
    cols.push((format!("{state:<8}"), state_style));
    for (kind, badge) in NumberKind::badges() {
        if kind.holds(rec) {
            cols.push(((if wide { badge.label } else { badge.short }).to_string(), theme.fg(badge_color(kind))));
        }
    }
    for (text, style) in cols {
        let need = text.chars().count() + 1;
        if used + need > width {
            break;
        }
        spans.push(Span::styled(text, base.patch(style)));
        spans.push(Span::styled(" ", base));
        used += need;
    }
    if selected && used < width {
        spans.push(Span::styled(" ".repeat(width - used), base));
    }
    Line::from(spans)
}

/// The colour of a kind's badge.
fn badge_color(kind: NumberKind) -> Color {
    match kind {
        NumberKind::Service => Color::Cyan,
        NumberKind::TollFree => Color::Magenta,
        NumberKind::Main => Color::LightRed,
        _ => Color::Reset,
    }
}

/// The status line: counts, loading, filters, a note, and a key hint, as room allows.
fn status_line<'a>(m: &Model, theme: &Theme, width: usize) -> Line<'a> {
    let mut parts: Vec<(String, Style)> = Vec::new();
    let counts = format!("{} / {}", count(m.hits.len()), count(m.catalog.len()));
    parts.push((counts, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)));
    let spin = SPINNER[m.spinner % SPINNER.len()];
    match &m.load {
        Load::Loading { page } => parts.push((format!("{spin} loading page {page}…"), theme.fg(Color::Yellow))),
        Load::Retrying { wait, rate_limited: true, .. } => parts.push((
            format!("{spin} rate limited, retrying in {} s", wait.as_secs_f64().ceil() as u64),
            theme.fg(Color::Yellow),
        )),
        Load::Retrying { page, wait, reason, .. } => parts.push((
            format!("{spin} page {page}: {}; retrying in {} s", short_reason(reason), wait.as_secs_f64().ceil() as u64),
            theme.fg(Color::Yellow),
        )),
        Load::Done => parts.push(("all loaded".into(), theme.fg(Color::Green))),
        Load::Failed { page, reason, .. } => parts.push((
            format!(
                "INCOMPLETE, page {page} failed ({}: retry): {}",
                if m.query.text.is_empty() { "r" } else { "Ctrl-R" },
                short_reason(reason)
            ),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
    }
    if !m.filters.is_all() {
        parts.push((
            format!("state: {} type: {}", m.filters.state.label(), m.filters.types.label()),
            theme.fg(Color::Magenta),
        ));
    }
    if let Some(note) = &m.note {
        parts.push((note.clone(), theme.fg(Color::Green).add_modifier(Modifier::BOLD)));
    }
    parts.push(("F1 help".into(), theme.dim()));
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, (text, style)) in parts.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let len = sep.chars().count() + text.chars().count();
        if used + len > width {
            let room = width.saturating_sub(used + sep.chars().count());
            if i > 0 && room > 4 {
                let cut: String = text.chars().take(room - 1).collect();
                spans.push(Span::styled(sep, theme.dim()));
                spans.push(Span::styled(format!("{cut}…"), style));
            }
            break;
        }
        spans.push(Span::styled(sep, theme.dim()));
        spans.push(Span::styled(text, style));
        used += len;
    }
    Line::from(spans)
}

/// The first clause of an error, for the status line.
fn short_reason(reason: &str) -> String {
    sanitize::one_line(reason.split(". ").next().unwrap_or(reason), 120)
}

/// 4518 -> "4,518".
pub fn count(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub const HELP: &[(&str, &str)] = &[
    ("type", "search: digits in any shape, or words active, inactive, service, standard, toll, main, mobile"),
    ("Enter", "pick the highlighted number (printed on stdout)"),
    ("Esc  Ctrl-C  Ctrl-G  Ctrl-Q", "quit without picking (exit 130)"),
    ("Up Down  Ctrl-P Ctrl-N  Ctrl-K Ctrl-J  Tab Shift-Tab", "move"),
    ("PgUp PgDn  Ctrl-Home Ctrl-End", "move by a page, to the first, to the last"),
    ("Ctrl-S  F2", "state filter: all, active, inactive"),
    ("Ctrl-T  F3", "type filter: all, service, standard, toll-free, main"),
    ("Ctrl-Y", "copy the highlighted number to the clipboard"),
    ("r  Ctrl-R  F5", "retry after a failed page (r only with an empty query)"),
    ("Backspace Ctrl-H  Delete  Ctrl-W Alt-Backspace  Ctrl-U", "delete back, forward, a word, the query"),
    ("Left Right  Home End  Ctrl-B Ctrl-F Ctrl-A Ctrl-E", "move in the query"),
    ("mouse", "wheel scrolls, click selects (--no-mouse turns it off)"),
    ("F1  ?", "this help (? with an empty query); any key closes it and does nothing else"),
];

fn draw_help(f: &mut Frame, area: Rect, theme: &Theme) {
    let w = area.width.saturating_sub(4).min(76);
    let inner = w.saturating_sub(2).max(1) as usize;
    let needed: usize = HELP.iter().map(|(k, v)| (k.chars().count() + 2 + v.chars().count()).div_ceil(inner)).sum();
    let h = area.height.saturating_sub(2).min(needed as u16 + 2);
    let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    let key_style = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let lines: Vec<Line> =
        HELP.iter().map(|(k, v)| Line::from(vec![Span::styled(format!("{k}: "), key_style), Span::raw(*v)])).collect();
    f.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(" wxpick keys (any key closes) ");
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), popup);
}

#[cfg(test)]
mod snapshots;
