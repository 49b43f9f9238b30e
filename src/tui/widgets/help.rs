//! The help popup, generated from the keymap.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::tui::keymap;
use crate::tui::theme::Theme;

/// Draws the keys of [`keymap::KEYMAP`] in a box centred on `area`.
pub fn draw(f: &mut Frame, area: Rect, theme: &Theme) {
    let help = keymap::help_lines();
    let w = area.width.saturating_sub(4).min(76);
    let inner = w.saturating_sub(2).max(1) as usize;
    let needed: usize = help.iter().map(|(k, v)| (k.chars().count() + 2 + v.chars().count()).div_ceil(inner)).sum();
    let h = area.height.saturating_sub(2).min(needed as u16 + 2);
    let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
    let key_style = theme.fg(Color::Cyan).add_modifier(Modifier::BOLD);
    let lines: Vec<Line> = help
        .into_iter()
        .map(|(k, v)| Line::from(vec![Span::styled(format!("{k}: "), key_style), Span::raw(v)]))
        .collect();
    f.render_widget(Clear, popup);
    let block = Block::default().borders(Borders::ALL).title(" wxpick keys (any key closes) ");
    f.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), popup);
}
