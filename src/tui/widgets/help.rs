//! The help popup, generated from the keymap: the keys that work on the screen in view, in an
//! aligned column, what they do beside them (wrapped lines indented to that column).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Padding, Paragraph};

use crate::tui::keymap::{self, Screen};
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;

/// Columns between the keys and what they do.
const GAP: usize = 2;

/// Draws the keys of `screen` in a box centred on `area`, scrolled down by `scroll` rows.
pub fn draw(f: &mut Frame, area: Rect, theme: &Theme, screen: Screen, scroll: u16) {
    let (popup, rows) = popup(area, screen);
    let key_style = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let lines: Vec<Line> =
        rows.into_iter().map(|(k, v)| Line::from(vec![Span::styled(k, key_style), Span::raw(v)])).collect();
    let more = lines.len() as u16 > popup.height.saturating_sub(2);
    f.render_widget(Clear, popup);
    let what = if screen == Screen::Locations { "locations" } else { "numbers" };
    let title = match more {
        true => format!(" keys: {what} · Up/Down scroll, any other key closes "),
        false => format!(" keys: {what} · any key closes "),
    };
    let block = Block::default().borders(Borders::ALL).title(title).padding(Padding::horizontal(1));
    f.render_widget(Paragraph::new(lines).block(block).scroll((scroll.min(overflow(area, screen)), 0)), popup);
}

/// The help box on `area` and its lines: as wide as the screen allows up to 80 columns, as
/// high as its lines need and the screen allows.
fn popup(area: Rect, screen: Screen) -> (Rect, Vec<(String, String)>) {
    let w = area.width.min(80);
    // A column of padding inside each border.
    let rows = layout(&keymap::help_lines(screen), w.saturating_sub(4).max(1) as usize);
    let h = area.height.min(rows.len() as u16 + 2);
    (Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h }, rows)
}

/// How many of the help's lines do not fit on `area` (how far it scrolls).
pub fn overflow(area: Rect, screen: Screen) -> u16 {
    let (popup, rows) = popup(area, screen);
    (rows.len() as u16).saturating_sub(popup.height.saturating_sub(2))
}

/// The help's screen lines in `width` columns: (keys padded to the key column, text).
fn layout(help: &[(String, String)], width: usize) -> Vec<(String, String)> {
    // The key column: as wide as the widest keys, at most a third of the width.
    let widest = help.iter().map(|(k, _)| fit::width(k)).max().unwrap_or(0);
    let keys_width = widest.min(width / 3).max(1);
    let text_width = width.saturating_sub(keys_width + GAP).max(1);
    let mut out = Vec::new();
    for (keys, text) in help {
        let keys = wrap_groups(keys, keys_width);
        let text = fit::wrap(text, text_width);
        for i in 0..keys.len().max(text.len()) {
            let k = keys.get(i).map_or("", String::as_str);
            let pad = keys_width + GAP - fit::width(k);
            out.push((format!("{k}{}", " ".repeat(pad)), text.get(i).cloned().unwrap_or_default()));
        }
    }
    out
}

/// Keys in lines of at most `width` columns, broken between groups (two spaces apart), else
/// between keys.
fn wrap_groups(keys: &str, width: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for group in keys.split("  ") {
        if line.is_empty() {
            line = group.to_string();
        } else if fit::width(&line) + 2 + fit::width(group) <= width {
            line = format!("{line}  {group}");
        } else {
            out.push(std::mem::take(&mut line));
            line = group.to_string();
        }
        if fit::width(&line) > width {
            let mut pieces = fit::wrap(&line, width);
            line = pieces.pop().unwrap_or_default();
            out.extend(pieces);
        }
    }
    out.push(line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_line_up_and_wrapped_text_is_indented() {
        let help = vec![
            ("Esc  Ctrl-C  Ctrl-G  Ctrl-Q".to_string(), "quit without picking (exit 130)".to_string()),
            ("F1".to_string(), "this help; any key closes it and does nothing else".to_string()),
        ];
        let rows = layout(&help, 45);
        let column = fit::width(&rows[0].0);
        assert!(rows.iter().all(|(k, _)| fit::width(k) == column), "{rows:?}");
        assert_eq!(rows[0].0.trim_end(), "Esc  Ctrl-C");
        assert_eq!(rows[1].0.trim_end(), "Ctrl-G  Ctrl-Q");
        // F1's text wraps: the second line has no key, and starts in the text column.
        let f1: Vec<_> = rows.iter().skip_while(|(k, _)| !k.starts_with("F1")).collect();
        assert!(f1.len() >= 2 && f1[1].0.trim().is_empty() && !f1[1].1.is_empty(), "{rows:?}");
    }
}
