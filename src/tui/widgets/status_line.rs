//! The status line: parts separated by ` · `, as many as fit; the last that does not fit whole
//! is cut with an ellipsis when a useful piece of it fits.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::tui::theme::Theme;
use crate::tui::widgets::fit;

/// Lays out `parts` (text and style) in `width` columns (screen cells: a wide character takes
/// two, a combining mark none).
pub fn fit<'a>(parts: Vec<(String, Style)>, theme: &Theme, width: usize) -> Line<'a> {
    let mut spans = Vec::new();
    let mut used = 0;
    for (i, (text, style)) in parts.into_iter().enumerate() {
        let sep = if i == 0 { "" } else { " · " };
        let len = fit::width(sep) + fit::width(&text);
        if used + len > width {
            let room = width.saturating_sub(used + fit::width(sep));
            if i > 0 && room > 4 {
                spans.push(Span::styled(sep, theme.dim()));
                spans.push(Span::styled(fit::truncate(&text, room), style));
            }
            break;
        }
        spans.push(Span::styled(sep, theme.dim()));
        spans.push(Span::styled(text, style));
        used += len;
    }
    Line::from(spans)
}

/// How long ago, in one unit: "40 s", "3 min", "5 h", "2 d".
pub fn ago(d: std::time::Duration) -> String {
    match d.as_secs() {
        s @ 0..60 => format!("{s} s"),
        s @ 60..3600 => format!("{} min", s / 60),
        s @ 3600..172_800 => format!("{} h", s / 3600),
        s => format!("{} d", s / 86_400),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Parts are measured in screen cells: wide characters take two, combining marks none.
    #[test]
    fn fits_by_cells() {
        let theme = Theme { color: false };
        let text = |l: Line| l.spans.iter().map(|s| s.content.to_string()).collect::<String>();
        let parts = |note: &str| vec![("3 / 9".to_string(), Style::default()), (note.to_string(), Style::default())];
        // 5 + 3 + 12 cells: exactly 20.
        assert_eq!(text(fit(parts("東京オフィス"), &theme, 20)), "3 / 9 · 東京オフィス");
        let cut = text(fit(parts("東京オフィス"), &theme, 19));
        assert_eq!(cut, "3 / 9 · 東京オフィ…");
        assert!(fit::width(&cut) <= 19);
        // A combining accent takes no cell: "Zu\u{308}rich" is 6 cells.
        assert_eq!(text(fit(parts("Zu\u{308}rich"), &theme, 14)), "3 / 9 · Zu\u{308}rich");
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(super::count(4518), "4,518");
        assert_eq!(super::count(1_000_000), "1,000,000");
        assert_eq!(super::count(12), "12");
    }
}
