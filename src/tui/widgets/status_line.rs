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

/// How long a note stays on the status line once shown.
pub const NOTE_LIFE: std::time::Duration = std::time::Duration::from_secs(5);

/// Makes a note fade: remembers when it was first seen at a tick, and clears it once it has
/// stayed unchanged for [`NOTE_LIFE`].
#[derive(Debug, Clone, Default)]
pub struct Fade {
    seen: Option<(String, std::time::Instant)>,
}

impl Fade {
    /// At the tick `now`: clears `note` when it has been shown, unchanged, for [`NOTE_LIFE`].
    pub fn tick(&mut self, note: &mut Option<String>, now: std::time::Instant) {
        let Some(text) = note.as_ref() else {
            self.seen = None;
            return;
        };
        match &self.seen {
            Some((seen, since)) if seen == text => {
                if now.saturating_duration_since(*since) >= NOTE_LIFE {
                    *note = None;
                    self.seen = None;
                }
            }
            _ => self.seen = Some((text.clone(), now)),
        }
    }
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
    fn notes_fade_after_a_few_seconds_unchanged() {
        let t0 = std::time::Instant::now();
        let at = |s: u64| t0 + std::time::Duration::from_secs(s);
        let mut fade = Fade::default();
        let mut note = Some("copied +12056350002".to_string());
        fade.tick(&mut note, at(0));
        fade.tick(&mut note, at(4));
        assert!(note.is_some());
        // A new note starts its own time.
        note = Some("up to date".into());
        fade.tick(&mut note, at(5));
        fade.tick(&mut note, at(9));
        assert!(note.is_some());
        fade.tick(&mut note, at(10));
        assert_eq!(note, None);
    }

    #[test]
    fn counts_have_separators() {
        assert_eq!(super::count(4518), "4,518");
        assert_eq!(super::count(1_000_000), "1,000,000");
        assert_eq!(super::count(12), "12");
    }
}
