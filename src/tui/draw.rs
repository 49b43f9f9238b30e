//! Drawing: reads the model, never changes it.

use ratatui::Frame;
use ratatui::widgets::{Paragraph, Wrap};

use super::model::Model;
use super::screens::numbers;
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
    numbers::draw(&m.numbers, f, area, &ctx);
    if m.help {
        help::draw(f, area, &theme);
    }
}

#[cfg(all(test, feature = "demo"))]
mod snapshots;
