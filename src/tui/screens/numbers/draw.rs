//! Drawing the numbers screen: reads its state, never changes it.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::NumbersScreen;
use crate::load::LoadStatus;
use crate::numbers::kinds::NumberKind;
use crate::numbers::phone;
use crate::numbers::record::{NumberRecord, OwnerRef, State};
use crate::sanitize;
use crate::tui::connecting::ConnectingText;
use crate::tui::keymap;
use crate::tui::msg::Intent;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;
use crate::tui::widgets::status_line::{self, count};

const SPINNER: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/// What drawing needs besides the screen.
pub struct DrawContext<'a> {
    pub theme: &'a Theme,
    pub spinner: usize,
    /// The help popup is drawn over the screen: the cursor is not placed.
    pub help_open: bool,
    /// The time of the last tick, for the retry countdown.
    pub now: Option<Instant>,
    /// The status line's width: the terminal's, also when a pane is beside the list.
    pub status_width: u16,
    /// Nothing came from the server yet: where the picker connects, and the retry countdown.
    pub connecting: Option<ConnectingText>,
    /// The list itself is not known yet (the app is still looking up what to list).
    pub pending: bool,
}

/// Draws the screen in `area`: the query line, the list, the status line. The help popup, if
/// open, is drawn over it by the picker, and the cursor is then not placed.
pub fn draw(s: &NumbersScreen, f: &mut Frame, area: Rect, ctx: &DrawContext) {
    let theme = ctx.theme;
    let query_area = Rect { height: 1, ..area };
    let top = super::update::list_top(area.height);
    let header_area = (top > 1).then_some(Rect { y: area.y + 1, height: 1, ..area });
    let list_area = Rect { y: area.y + top, height: area.height.saturating_sub(top + 1), ..area };
    let status_area = Rect { y: area.bottom() - 1, height: 1, width: area.width.max(ctx.status_width), ..area };
    s.query.draw(f, query_area, theme, ctx.help_open);
    match &ctx.connecting {
        Some(text) => draw_connecting(text, f, list_area, theme),
        None => draw_list(s, f, list_area, header_area, theme),
    }
    f.render_widget(Paragraph::new(status_line(s, ctx, status_area.width as usize)), status_area);
}

/// `connecting to HOST:PORT…`, and under it the last failure and the countdown to the next
/// attempt, where the list will be.
fn draw_connecting(text: &ConnectingText, f: &mut Frame, area: Rect, theme: &Theme) {
    let mut lines = vec![Line::styled(text.headline.clone(), theme.fg(Color::Yellow))];
    if let Some(retry) = &text.retry {
        lines.push(Line::styled(retry.clone(), theme.dim()));
    }
    let p = Paragraph::new(lines).alignment(Alignment::Center).wrap(Wrap { trim: true });
    let y = area.y + area.height.saturating_sub(1) / 3;
    f.render_widget(p, Rect { y, height: area.bottom() - y, ..area });
}

fn draw_list(s: &NumbersScreen, f: &mut Frame, area: Rect, header: Option<Rect>, theme: &Theme) {
    if s.results.hits.is_empty() {
        let msg = empty_message(s);
        let p = Paragraph::new(msg).style(theme.dim()).alignment(Alignment::Center).wrap(Wrap { trim: true });
        let y = area.y + area.height.saturating_sub(1) / 3;
        f.render_widget(p, Rect { y, height: area.bottom() - y, ..area });
        return;
    }
    let width = area.width as usize;
    let rows: Vec<(u32, Row)> = s
        .results
        .hits
        .iter()
        .enumerate()
        .skip(s.cursor.offset)
        .take(area.height as usize)
        .map(|(pos, &i)| (i, row(s, i, pos == s.cursor.selected, width, theme)))
        .collect();
    let columns = OwnerColumns::of(s, &rows, width);
    if let Some(header) = header {
        f.render_widget(Paragraph::new(column_header(s, columns.as_ref(), &rows, width, theme)), header);
    }
    let lines: Vec<Line> = rows
        .into_iter()
        .map(|(i, mut row)| {
            if let Some(c) = &columns {
                c.draw(s.list.catalog.get(i as usize), &mut row, width, theme);
            }
            if row.selected && row.used < width {
                row.spans.push(Span::styled(" ".repeat(width - row.used), row.base));
            }
            Line::from(row.spans)
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

/// Why the list is empty.
fn empty_message(s: &NumbersScreen) -> String {
    let total = s.list.catalog.len();
    if total == 0 {
        return match &s.list.status {
            LoadStatus::Loading { .. } | LoadStatus::Retrying { .. } => "loading numbers…".into(),
            LoadStatus::Done => "No numbers are available at this location.".into(),
            LoadStatus::Failed { reason, .. } => {
                format!("Could not load the numbers: {reason}. Press r to retry, Esc to quit.")
            }
        };
    }
    let query_empty = s.query.text.trim().is_empty();
    if !s.is_current() {
        return "searching…".into();
    }
    let filtered = !s.filters.is_all();
    match (query_empty, filtered) {
        (true, true) => format!(
            "The filters (state: {}, type: {}) hide all {} numbers. Ctrl-S and Ctrl-T change them.",
            s.filters.state.label(),
            s.filters.types.label(),
            count(total)
        ),
        (false, true) => format!(
            "Nothing matches “{}” with these filters (state: {}, type: {}).",
            s.query.text.trim(),
            s.filters.state.label(),
            s.filters.types.label()
        ),
        _ => format!("Nothing matches “{}” among {} numbers.", s.query.text.trim(), count(total)),
    }
}

/// The column header line: each column's name where its column starts, as [`row`] and
/// [`OwnerColumns`] place them for the rows in view (in screen cells, so that wide and
/// combining characters in the rows never move a name off its column). A name that would run
/// into the next column, or past the width, is cut.
fn column_header<'a>(
    s: &NumbersScreen,
    columns: Option<&OwnerColumns>,
    rows: &[(u32, Row)],
    width: usize,
    theme: &Theme,
) -> Line<'a> {
    let prefix = if s.marks.on { 3 } else { 2 };
    let records = || rows.iter().map(|(i, _)| s.list.catalog.get(*i as usize));
    let mut heads: Vec<(usize, &str)> = vec![(prefix, "Number")];
    // As `row` lays them out: the number's 18 cells and a space, the region's 3 and a space
    // (from 60 columns), the state's 8 and a space, then the kinds.
    let state = prefix + 18.min(width.saturating_sub(prefix)) + 1 + if width >= 60 { 4 } else { 0 };
    if records().any(|r| !r.is_extension_only()) {
        heads.push((state, "State"));
        heads.push((state + 9, "Kind"));
    }
    if let Some(c) = columns {
        if c.loc > 0 {
            heads.push((c.start, "Location"));
        }
        let owners = records().any(|r| has_columns(r) && r.owner().is_some());
        let owner_fits = c.start + c.loc + c.ext + MIN_OWNER < width;
        match (c.ext > 0, owners && owner_fits) {
            (true, true) => heads.push((c.start + c.loc, "Extension / Owner")),
            (true, false) => heads.push((c.start + c.loc, "Extension")),
            (false, true) => heads.push((c.start + c.loc, "Owner")),
            (false, false) => {}
        }
    }
    let style = theme.dim().add_modifier(Modifier::BOLD);
    let mut spans = Vec::new();
    let mut used = 0;
    for (n, &(at, name)) in heads.iter().enumerate() {
        // One column kept free at the end, and one before the next name.
        let end = heads.get(n + 1).map_or(width.saturating_sub(1), |&(next, _)| next.saturating_sub(1));
        if at < used || at >= end {
            continue;
        }
        let text = fit::truncate(name, end - at);
        spans.push(Span::raw(" ".repeat(at - used)));
        used = at + fit::width(&text);
        spans.push(Span::styled(text, style));
    }
    Line::from(spans)
}

/// A row as drawn so far: its spans, the columns they take, its style.
struct Row<'a> {
    spans: Vec<Span<'a>>,
    used: usize,
    base: Style,
    selected: bool,
}

/// One row: marker, number with highlights, region, state, badges (the extension and owner
/// columns are added by [`OwnerColumns`], the selected row's padding last).
fn row<'a>(s: &NumbersScreen, i: u32, selected: bool, width: usize, theme: &Theme) -> Row<'a> {
    let rec = s.list.catalog.get(i as usize);
    let valid = rec.is_pickable();
    // One parse gives both the readable number and its region.
    let (shown, region) = match valid.then(|| phone::for_display(&rec.phone_number)).flatten() {
        Some((shown, region)) => (shown, region.unwrap_or_default()),
        None if valid => (rec.phone_number.to_string(), String::new()),
        None if rec.is_extension_only() => ("(no number)".to_string(), String::new()),
        None => (sanitize::one_line(&rec.phone_number, 40), String::new()),
    };
    let base = if selected { theme.selected() } else { Style::default() };
    let pointer = |text: &'static str| Span::styled(text, base.patch(theme.fg(Color::Cyan)));
    // `--multi`: a column of marks after the pointer, `*` on a marked number (as fzf's marker;
    // readable without colour).
    let (mut spans, prefix) = if s.marks.on {
        let mark = if s.marks.contains(i) { "* " } else { "  " };
        let mark = Span::styled(mark, base.patch(theme.fg(Color::Magenta).add_modifier(Modifier::BOLD)));
        (vec![pointer(if selected { "▶" } else { " " }), mark], 3)
    } else {
        (vec![pointer(if selected { "▶ " } else { "  " })], 2)
    };
    // Highlight the matched digits: the n-th digit of the number is the n-th digit shown.
    let positions =
        if valid { s.results.matcher.digit_positions(s.list.catalog.digits(i as usize)) } else { Vec::new() };
    let mut digit = 0;
    let mut used = prefix;
    let number_width = 18.min(width.saturating_sub(prefix));
    for c in shown.chars().take(number_width) {
        let hit = c.is_ascii_digit() && positions.contains(&digit);
        if c.is_ascii_digit() {
            digit += 1;
        }
        spans.push(Span::styled(c.to_string(), if hit { base.patch(theme.matched()) } else { base }));
        used += 1;
    }
    let pad = number_width.saturating_sub(used - prefix) + 1;
    spans.push(Span::styled(" ".repeat(pad), base));
    used += pad;
    let mut cols: Vec<(String, Style)> = Vec::new();
    if !valid && !rec.is_extension_only() {
        cols.push(("INVALID".into(), theme.fg(Color::Red).add_modifier(Modifier::BOLD)));
        if let Some(fault) = rec.fault() {
            // Safe to print: the record's own text is never drawn, only what was wrong with it.
            cols.push((fit::truncate(&sanitize::one_line(fault, usize::MAX), 60), theme.fg(Color::Red)));
        }
    }
    let wide = width >= 60;
    if wide {
        cols.push((format!("{region:<3}"), theme.dim()));
    }
    let (state, state_style) = match rec.state {
        State::Active => ("active".to_string(), theme.fg(Color::Green)),
        State::Inactive => ("inactive".to_string(), theme.fg(Color::Yellow)),
        State::Missing => ("?".to_string(), theme.dim()),
        State::Other => {
            (fit::truncate(&sanitize::one_line(rec.state_text(), 12).to_lowercase(), 12), theme.fg(Color::Magenta))
        }
    };
    // An extension without a number has neither a state nor a kind of number.
    let number = !rec.is_extension_only();
    if number {
        cols.push((fit::pad(&state, 8), state_style));
    }
    for (kind, badge) in NumberKind::badges() {
        if number && kind.holds(rec) {
            cols.push(((if wide { badge.label } else { badge.short }).to_string(), theme.fg(badge_color(kind))));
        }
    }
    for (text, style) in cols {
        let need = fit::width(&text) + 1;
        if used + need > width {
            break;
        }
        spans.push(Span::styled(text, base.patch(style)));
        spans.push(Span::styled(" ", base));
        used += need;
    }
    Row { spans, used, base, selected }
}

/// The location, extension and owner columns of the rows in view, for lists whose records have
/// them (the number inventory has all three; call forwarding lists the last two): they start
/// after the longest row in view so that they line up, the location and extension columns as
/// wide as their longest text in view. Records without any look as they always did.
struct OwnerColumns {
    start: usize,
    /// The location column's width, with its space (0: no location in view, or no room).
    loc: usize,
    /// The extension column's width, with its space (0: no extension in view).
    ext: usize,
}

/// The fewest columns an owner is shown in; narrower, the column is left out.
const MIN_OWNER: usize = 10;
/// The location column's widest and narrowest: a longer name is cut; with less room, no column.
const MAX_LOCATION: usize = 22;
const MIN_LOCATION: usize = 8;
/// The columns an owner keeps before the location takes its share, when there are enough.
const OWNER_ROOM: usize = 20;

impl OwnerColumns {
    fn of(s: &NumbersScreen, rows: &[(u32, Row)], width: usize) -> Option<OwnerColumns> {
        let with: Vec<(&NumberRecord, usize)> = rows
            .iter()
            .map(|(i, row)| (s.list.catalog.get(*i as usize), row.used))
            .filter(|(rec, _)| has_columns(rec))
            .collect();
        let start = with.iter().map(|(_, used)| *used).max()?;
        let ext = with.iter().filter_map(|(rec, _)| ext_text(rec)).map(|t| fit::width(&t) + 1).max().unwrap_or(0);
        let owners = with.iter().any(|(rec, _)| rec.owner().is_some());
        // Room for the location once the owner has its share: a name and its type when the
        // row is wide enough, else the fewest columns an owner is shown in.
        let after = |owner: usize| width.saturating_sub(start + ext + owner + 1);
        let room = match owners {
            true if after(OWNER_ROOM) > MIN_LOCATION => after(OWNER_ROOM),
            true => after(MIN_OWNER),
            false => after(0),
        };
        let longest = with.iter().filter_map(|(rec, _)| location_text(rec)).map(|t| fit::width(&t)).max();
        let loc = match longest {
            Some(w) if room > MIN_LOCATION => w.min(MAX_LOCATION).min(room - 1) + 1,
            _ => 0,
        };
        (loc > 0 || start + ext.max(MIN_OWNER) <= width).then_some(OwnerColumns { start, loc, ext })
    }

    /// Adds the record's location, extension and owner to its row, as room allows.
    fn draw(&self, rec: &NumberRecord, row: &mut Row, width: usize, theme: &Theme) {
        if !has_columns(rec) {
            return;
        }
        let base = row.base;
        row.spans.push(Span::styled(" ".repeat(self.start - row.used), base));
        row.used = self.start;
        if self.loc > 0 {
            let text = fit::truncate(&location_text(rec).unwrap_or_default(), self.loc - 1);
            let pad = self.loc - fit::width(&text);
            row.spans.push(Span::styled(text, base.patch(theme.fg(Color::Blue))));
            row.spans.push(Span::styled(" ".repeat(pad), base));
            row.used += self.loc;
        }
        if self.ext > 0 && row.used + self.ext <= width {
            let text = ext_text(rec).unwrap_or_default();
            let pad = self.ext - fit::width(&text);
            row.spans.push(Span::styled(text, base.patch(theme.fg(Color::Cyan))));
            row.spans.push(Span::styled(" ".repeat(pad), base));
            row.used += self.ext;
        }
        // One column kept free at the end, as the other columns keep it.
        let room = width.saturating_sub(row.used + 1);
        let Some(owner) = rec.owner().filter(|_| room >= MIN_OWNER) else { return };
        for (text, style) in owner_cell(owner, room, theme) {
            row.used += fit::width(&text);
            row.spans.push(Span::styled(text, base.patch(style)));
        }
    }
}

/// Whether a row has any of the location, extension and owner columns.
fn has_columns(rec: &NumberRecord) -> bool {
    shows_owner(rec) && (rec.extension().is_some() || rec.owner().is_some() || rec.location_name().is_some())
}

/// The location's name, escaped and on one line.
fn location_text(rec: &NumberRecord) -> Option<String> {
    rec.location_name().map(|n| sanitize::one_line(n, usize::MAX))
}

/// Whether a row shows an extension and owner: not for an invalid record, whose row says what
/// was wrong with it instead (the details pane shows them).
fn shows_owner(rec: &NumberRecord) -> bool {
    rec.fault().is_none()
}

fn ext_text(rec: &NumberRecord) -> Option<String> {
    rec.extension().filter(|e| !e.is_empty()).map(|e| format!("ext {}", sanitize::one_line(e, 12)))
}

/// The owner in `room` columns: the name, then its type in words; a long name is cut first,
/// and the type left out when even a short name would not fit beside it.
fn owner_cell(owner: OwnerRef<'_>, room: usize, theme: &Theme) -> Vec<(String, Style)> {
    let name = owner.shown_name(sanitize::LONGEST);
    let kind = owner.type_words().map(|w| format!("({w})"));
    match (name, kind) {
        (Some(name), Some(kind)) => {
            let kind_width = fit::width(&kind);
            if fit::width(&name) + 1 + kind_width <= room || room >= kind_width + 1 + 6 {
                let name = fit::truncate(&name, room - kind_width - 1);
                vec![(name, Style::default()), (" ".into(), Style::default()), (kind, theme.dim())]
            } else {
                vec![(fit::truncate(&name, room), Style::default())]
            }
        }
        (Some(name), None) => vec![(fit::truncate(&name, room), Style::default())],
        (None, Some(kind)) => vec![(fit::truncate(&kind, room), theme.dim())],
        (None, None) => Vec::new(),
    }
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
fn status_line<'a>(s: &NumbersScreen, ctx: &DrawContext, width: usize) -> Line<'a> {
    let (theme, spinner) = (ctx.theme, ctx.spinner);
    // The wait left: counted down from the tick's time, never read from the clock here.
    let left = |wait: &Duration, until: &Instant| {
        let left = ctx.now.map_or(*wait, |now| until.saturating_duration_since(now));
        left.as_secs_f64().ceil() as u64
    };
    let mut parts: Vec<(String, Style)> = Vec::new();
    // Nothing to count before the list is known.
    if !ctx.pending {
        let counts = format!("{} / {}", count(s.results.hits.len()), count(s.list.catalog.len()));
        parts.push((counts, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)));
    }
    // No number holds the digits together: say that these matches hold them scattered.
    if s.results.matcher.is_scattered(&s.list.catalog, &s.results.hits) {
        parts.push(("scattered digits: none in a row".into(), theme.fg(Color::Yellow)));
    }
    // Next to the counts, so that a narrow screen still shows it.
    if s.marks.on {
        parts.push((s.marks.label(), theme.fg(Color::Magenta).add_modifier(Modifier::BOLD)));
    }
    let spin = SPINNER[spinner % SPINNER.len()];
    if let Some(cached) = &s.list.cached {
        // A list from the cache, shown while it is fetched again.
        let age = status_line::ago(cached.age_at(ctx.now));
        match s.refresh.as_ref().map(|r| &r.status) {
            Some(LoadStatus::Failed { reason, .. }) => parts.push((
                format!(
                    "STALE, cached {age} ago: refresh failed ({}: retry): {}",
                    if s.query.text.is_empty() { "r" } else { "Ctrl-R" },
                    short_reason(reason)
                ),
                theme.fg(Color::Red).add_modifier(Modifier::BOLD),
            )),
            Some(LoadStatus::Retrying { wait, until, reason, .. }) => {
                parts.push((format!("cached {age} ago"), theme.fg(Color::Yellow)));
                parts.push((
                    format!("{spin} refreshing: retrying in {} s ({})", left(wait, until), short_reason(reason)),
                    theme.fg(Color::Yellow),
                ));
            }
            _ => {
                parts.push((format!("cached {age} ago"), theme.fg(Color::Yellow)));
                parts.push((format!("{spin} refreshing"), theme.fg(Color::Yellow)));
            }
        }
    } else if let Some(text) = ctx.connecting.as_ref().filter(|_| ctx.pending) {
        // The list is not known yet: no page to speak of.
        parts.push((format!("{spin} {}", text.headline), theme.fg(Color::Yellow)));
    } else {
        load_status(s, &mut parts, spin, left, theme);
    }
    if s.list.malformed > 0 {
        parts.push((format!("{} malformed", count(s.list.malformed)), theme.fg(Color::Red)));
    }
    // Only the filters that are on: `state: active · type: service`.
    if s.filters.state != crate::numbers::filters::StateFilter::All {
        parts.push((format!("state: {}", s.filters.state.label()), theme.fg(Color::Magenta)));
    }
    if !s.filters.types.is_all() {
        parts.push((format!("type: {}", s.filters.types.label()), theme.fg(Color::Magenta)));
    }
    // `--exact`: why scattered digits and near names do not match.
    if s.exact {
        parts.push(("exact".into(), theme.fg(Color::Magenta)));
    }
    if let Some(note) = &s.note {
        parts.push((note.clone(), theme.fg(Color::Green).add_modifier(Modifier::BOLD)));
    }
    if let Some(back) = &s.back_hint {
        parts.push((back.clone(), theme.dim()));
    }
    let help = keymap::key_for(Intent::ToggleHelp).unwrap_or_default();
    parts.push((format!("{help} help"), theme.dim()));
    status_line::fit(parts, theme, width)
}

/// The status of a list loading from the server (not from the cache).
fn load_status(
    s: &NumbersScreen,
    parts: &mut Vec<(String, Style)>,
    spin: &str,
    left: impl Fn(&Duration, &Instant) -> u64,
    theme: &Theme,
) {
    match &s.list.status {
        LoadStatus::Loading { page } => parts.push((format!("{spin} loading page {page}…"), theme.fg(Color::Yellow))),
        LoadStatus::Retrying { wait, until, rate_limited: true, .. } => {
            parts.push((format!("{spin} rate limited, retrying in {} s", left(wait, until)), theme.fg(Color::Yellow)))
        }
        LoadStatus::Retrying { page, wait, until, reason, .. } => parts.push((
            format!("{spin} page {page}: retrying in {} s ({})", left(wait, until), short_reason(reason)),
            theme.fg(Color::Yellow),
        )),
        LoadStatus::Done if s.list.bounded.is_some() => {
            let why = s.list.bounded.as_deref().unwrap_or_default();
            parts.push((format!("INCOMPLETE: {why}"), theme.fg(Color::Red).add_modifier(Modifier::BOLD)))
        }
        LoadStatus::Done if s.list.uncertain_end => {
            parts.push(("loaded (probably all: the server repeated a page)".into(), theme.fg(Color::Yellow)))
        }
        LoadStatus::Done => match &s.refreshed {
            Some(changes) => parts.push((changes.clone(), theme.fg(Color::Green))),
            None => parts.push(("all loaded".into(), theme.fg(Color::Green))),
        },
        LoadStatus::Failed { page, reason, .. } => parts.push((
            format!(
                "INCOMPLETE, page {page} failed ({}: retry): {}",
                if s.query.text.is_empty() { "r" } else { "Ctrl-R" },
                short_reason(reason)
            ),
            theme.fg(Color::Red).add_modifier(Modifier::BOLD),
        )),
    }
}

/// The first clause of an error, for the status line.
fn short_reason(reason: &str) -> String {
    sanitize::one_line(reason.split(". ").next().unwrap_or(reason), 120)
}
