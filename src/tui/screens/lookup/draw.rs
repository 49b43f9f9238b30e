//! Drawing the lookup screen: reads its state, never changes it.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::update::top_rows;
use super::{LookupScreen, LookupStatus};
use crate::sanitize;
use crate::tui::keymap;
use crate::tui::msg::Intent;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;
use crate::tui::widgets::status_line::{self, count};
use crate::webex::owners::{Column, Row};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What a frame needs besides the screen: the spinner's step, the time of the last tick, and
/// whether the help is open (then the query line shows no cursor).
#[derive(Debug, Clone, Copy)]
pub struct FrameState {
    pub spinner: usize,
    pub now: Option<Instant>,
    pub help_open: bool,
}

/// Draws the screen in `area`: the title (what to choose, for which list), the query line,
/// the column header, the list, the status line. `title` is the list's (`call queue primary`).
pub fn draw<R: Row>(s: &LookupScreen<R>, f: &mut Frame, area: Rect, theme: &Theme, title: &str, frame: FrameState) {
    let top = top_rows(area.height);
    let titled = top > 1;
    let query_y = area.y + u16::from(titled);
    let list_y = area.y + top;
    let query_area = Rect { y: query_y, height: 1, ..area };
    let list_area = Rect { y: list_y, height: area.height.saturating_sub(top + 1), ..area };
    let status_area = Rect { y: area.bottom() - 1, height: 1, ..area };
    if titled {
        f.render_widget(Paragraph::new(title_line(s, title, theme, area.width as usize)), Rect { height: 1, ..area });
    }
    s.query.draw(f, query_area, theme, frame.help_open);
    let shown: Vec<usize> = s.hits.iter().skip(s.cursor.offset).take(list_area.height as usize).copied().collect();
    let columns = Columns::of(s, &shown, area.width as usize);
    if titled && !s.hits.is_empty() {
        let header = Rect { y: query_y + 1, height: 1, ..area };
        f.render_widget(Paragraph::new(columns.header(theme)), header);
    }
    draw_list(s, &shown, &columns, f, list_area, theme);
    f.render_widget(
        Paragraph::new(status(s, frame.spinner, frame.now, theme, status_area.width as usize)),
        status_area,
    );
}

/// The title: why the list is shown (`2 locations match "Birmingham"`), else what to do
/// (`Choose a location`), and the list's title; cut to the width.
fn title_line<'a, R: Row>(s: &LookupScreen<R>, title: &str, theme: &Theme, width: usize) -> Line<'a> {
    let room = width.saturating_sub(1);
    let heading = match &s.heading {
        Some(h) => sanitize::one_line(h, usize::MAX),
        None => format!("Choose a {}", s.row.noun),
    };
    let heading = fit::truncate(&heading, room);
    let mut left = room - fit::width(&heading);
    let mut spans = vec![Span::styled(heading, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD))];
    if !title.is_empty() && left > 5 {
        let title = fit::truncate(&sanitize::one_line(title, usize::MAX), left - 3);
        left -= 3 + fit::width(&title);
        spans.push(Span::styled(" · ", theme.dim()));
        spans.push(Span::styled(title, theme.fg(Color::Cyan)));
    }
    let _ = left;
    Line::from(spans)
}

/// The widths of the name and of the columns shown beside it, in screen cells, for the rows
/// in view: each as wide as its widest cell (or heading); on a narrow screen the name keeps at
/// least half the width, and the columns that no longer fit are left out, from the last.
struct Columns {
    name: usize,
    shown: Vec<(Column, usize)>,
    width: usize,
}

/// Between columns.
const GAP: usize = 2;
/// The marker of the highlighted row (`▶ `).
const MARK: usize = 2;
/// A column narrower than this is left out rather than cut to nothing.
const NARROWEST: usize = 5;
const NAME: &str = "Name";

fn cell_text(text: &str) -> String {
    sanitize::one_line(text, usize::MAX)
}

impl Columns {
    fn of<R: Row>(s: &LookupScreen<R>, shown: &[usize], width: usize) -> Columns {
        let records = s.records();
        let room = width.saturating_sub(MARK);
        let widest =
            |cells: &mut dyn Iterator<Item = Option<&str>>| cells.flatten().map(|c| fit::width(&cell_text(c))).max();
        let name_wanted =
            widest(&mut shown.iter().map(|&i| Some(records[i].name()))).unwrap_or(0).max(fit::width(NAME));
        // A column none of the rows in view has is left out.
        let wanted: Vec<(Column, usize)> = s
            .row
            .columns
            .iter()
            .filter_map(|&c| {
                let w = widest(&mut shown.iter().map(|&i| records[i].cell(c)))?;
                Some((c, w.max(fit::width(c.heading()))))
            })
            .collect();
        // Too wide: the widest column narrows first, a cell at a time, to no less than half its
        // width (the name to no less than half the screen); when none may narrow further, the
        // last column is left out.
        let (mut name, mut shown) = (name_wanted, wanted);
        let name_floor = name_wanted.min(room / 2).max(1);
        let floor = |natural: usize| natural.min(NARROWEST.max(natural / 2));
        let mut naturals: Vec<usize> = shown.iter().map(|(_, w)| *w).collect();
        loop {
            let total = name + shown.iter().map(|(_, w)| GAP + w).sum::<usize>();
            if total <= room {
                break;
            }
            let narrowable = (0..shown.len()).filter(|&i| shown[i].1 > floor(naturals[i])).max_by_key(|&i| shown[i].1);
            match narrowable {
                Some(i) if shown[i].1 >= name || name <= name_floor => shown[i].1 -= 1,
                _ if name > name_floor => name -= 1,
                _ => {
                    if shown.pop().is_none() {
                        name = room;
                        break;
                    }
                    naturals.pop();
                    // What is left widens again to its own width first.
                    for (i, (_, w)) in shown.iter_mut().enumerate() {
                        *w = naturals[i];
                    }
                    name = name_wanted;
                }
            }
        }
        Columns { name: name.max(1), shown, width }
    }

    /// The column header line.
    fn header<'a>(&self, theme: &Theme) -> Line<'a> {
        let mut text = " ".repeat(MARK);
        text.push_str(&fit::pad(&fit::truncate(NAME, self.name), self.name));
        for (c, w) in &self.shown {
            text.push_str(&" ".repeat(GAP));
            text.push_str(&fit::pad(&fit::truncate(c.heading(), *w), *w));
        }
        let text = fit::truncate(text.trim_end(), self.width);
        Line::from(Span::styled(text, theme.dim().add_modifier(Modifier::BOLD)))
    }
}

fn draw_list<R: Row>(
    s: &LookupScreen<R>,
    shown: &[usize],
    columns: &Columns,
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
) {
    if s.hits.is_empty() {
        let p =
            Paragraph::new(empty_message(s)).style(theme.dim()).alignment(Alignment::Center).wrap(Wrap { trim: true });
        let y = area.y + area.height.saturating_sub(1) / 3;
        f.render_widget(p, Rect { y, height: area.bottom() - y, ..area });
        return;
    }
    let lines: Vec<Line> = shown
        .iter()
        .enumerate()
        .map(|(row, &i)| {
            let selected = s.cursor.offset + row == s.cursor.selected;
            let record = &s.records()[i];
            let base = if selected { theme.selected() } else { Style::default() };
            let name = fit::truncate(&cell_text(record.name()), columns.name.max(1));
            let pad = columns.name.saturating_sub(fit::width(&name));
            let mut spans = vec![
                Span::styled(if selected { "▶ " } else { "  " }, base.patch(theme.fg(Color::Cyan))),
                Span::styled(name, base.add_modifier(Modifier::BOLD)),
            ];
            let mut used = MARK + columns.name - pad;
            let mut gap = pad;
            for &(c, w) in &columns.shown {
                let Some(cell) = record.cell(c) else {
                    gap += GAP + w;
                    continue;
                };
                let cell = fit::truncate(&cell_text(cell), w);
                spans.push(Span::styled(" ".repeat(gap + GAP), base));
                used += gap + GAP + fit::width(&cell);
                spans.push(Span::styled(cell.clone(), base.patch(theme.dim())));
                gap = w - fit::width(&cell);
            }
            // The highlight spans the whole row.
            if selected {
                spans.push(Span::styled(" ".repeat(columns.width.saturating_sub(used)), base));
            }
            Line::from(spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

/// Why the list is empty.
fn empty_message<R: Row>(s: &LookupScreen<R>) -> String {
    let (noun, plural) = (s.row.noun, s.row.plural);
    if s.records().is_empty() {
        return match &s.status {
            LookupStatus::Loading | LookupStatus::Retrying(_) => format!("loading {plural}…"),
            LookupStatus::Done if noun == "location" => "There are no Webex Calling locations.".into(),
            LookupStatus::Done => format!("There are no {plural} to list."),
            LookupStatus::Failed(reason) if s.retryable => {
                format!("Could not load the {plural}: {reason}. Press r to retry, Esc to quit.")
            }
            LookupStatus::Failed(reason) => format!("Could not load the {plural}: {reason}. Esc to quit."),
        };
    }
    format!("No {noun} matches “{}” among {}.", s.query.text.trim(), count(s.records().len()))
}

/// The status line: counts, loading, a note, and the keys that matter here.
fn status<'a, R: Row>(
    s: &LookupScreen<R>,
    spinner: usize,
    now: Option<Instant>,
    theme: &Theme,
    width: usize,
) -> Line<'a> {
    let mut parts: Vec<(String, Style)> = Vec::new();
    // "locations" only where it leaves room for the keys.
    let noun = if width >= 60 { format!(" {}", s.row.plural) } else { String::new() };
    let counts = format!("{} / {}{noun}", count(s.hits.len()), count(s.records().len()));
    parts.push((counts, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)));
    let spin = SPINNER[spinner % SPINNER.len()];
    if let Some(cached) = s.cached() {
        let age = crate::tui::widgets::status_line::ago(cached.age_at(now));
        let stale = if matches!(s.status, LookupStatus::Failed(_)) { "STALE, cached" } else { "cached" };
        parts.push((format!("{stale} {age} ago"), theme.fg(Color::Yellow)));
    }
    match &s.status {
        LookupStatus::Loading if s.cached().is_some() => {
            parts.push((format!("{spin} refreshing"), theme.fg(Color::Yellow)))
        }
        LookupStatus::Loading => parts.push((format!("{spin} loading…"), theme.fg(Color::Yellow))),
        LookupStatus::Retrying(why) => {
            parts.push((format!("{spin} {}", sanitize::one_line(why, 80)), theme.fg(Color::Yellow)))
        }
        LookupStatus::Done => parts.push(("all loaded".into(), theme.fg(Color::Green))),
        LookupStatus::Failed(why) => parts.push((
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
