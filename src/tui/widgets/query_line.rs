//! The query line: text and a cursor (in characters, drawn by screen cells), edited as a shell line is, and drawn with
//! a prompt, scrolled sideways so the cursor stays visible.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::tui::msg::Intent;
use crate::tui::theme::Theme;
use crate::tui::widgets::fit;

const PROMPT: &str = "> ";

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryLine {
    pub text: String,
    pub cursor: usize,
}

impl QueryLine {
    pub fn new(text: &str) -> Self {
        QueryLine { text: text.to_string(), cursor: text.chars().count() }
    }
    fn byte_at(&self, char_index: usize) -> usize {
        self.text.char_indices().nth(char_index).map_or(self.text.len(), |(b, _)| b)
    }
    pub fn insert(&mut self, c: char) {
        let at = self.byte_at(self.cursor);
        self.text.insert(at, c);
        self.cursor += 1;
    }
    pub fn backspace(&mut self) {
        if self.cursor > 0 {
            self.cursor -= 1;
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }
    pub fn delete(&mut self) {
        if self.cursor < self.text.chars().count() {
            let at = self.byte_at(self.cursor);
            self.text.remove(at);
        }
    }
    /// Deletes the word before the cursor, and the spaces after it (as a shell's Ctrl-W does).
    pub fn delete_word(&mut self) {
        let chars: Vec<char> = self.text.chars().collect();
        let mut start = self.cursor;
        while start > 0 && chars[start - 1].is_whitespace() {
            start -= 1;
        }
        while start > 0 && !chars[start - 1].is_whitespace() {
            start -= 1;
        }
        let (a, b) = (self.byte_at(start), self.byte_at(self.cursor));
        self.text.replace_range(a..b, "");
        self.cursor = start;
    }
    pub fn clear(&mut self) {
        self.text.clear();
        self.cursor = 0;
    }
    pub fn left(&mut self) {
        self.cursor = self.cursor.saturating_sub(1);
    }
    pub fn right(&mut self) {
        self.cursor = (self.cursor + 1).min(self.text.chars().count());
    }
    pub fn home(&mut self) {
        self.cursor = 0;
    }
    pub fn end(&mut self) {
        self.cursor = self.text.chars().count();
    }

    /// Applies an editing intent; false when `i` is not one (the screen handles it).
    pub fn edit(&mut self, i: Intent) -> bool {
        match i {
            Intent::Insert(c) => self.insert(c),
            Intent::Backspace => self.backspace(),
            Intent::Delete => self.delete(),
            Intent::DeleteWord => self.delete_word(),
            Intent::ClearQuery => self.clear(),
            Intent::CursorLeft => self.left(),
            Intent::CursorRight => self.right(),
            Intent::CursorHome => self.home(),
            Intent::CursorEnd => self.end(),
            _ => return false,
        }
        true
    }

    /// Draws the prompt and the query; places the terminal cursor unless `hide_cursor`. Measured
    /// in screen cells: a wide character takes two, a combining mark none.
    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme, hide_cursor: bool) {
        let room = (area.width as usize).saturating_sub(PROMPT.len() + 1);
        let (shown, cursor) = self.visible(room);
        let line = Line::from(vec![
            Span::styled(PROMPT, theme.fg(Color::Cyan).add_modifier(Modifier::BOLD)),
            Span::raw(shown),
        ]);
        f.render_widget(Paragraph::new(line), area);
        if !hide_cursor {
            let x = area.x + (PROMPT.len() + cursor) as u16;
            f.set_cursor_position((x.min(area.right() - 1), area.y));
        }
    }

    /// The part of the query shown in `room` cells, scrolled sideways so that the cursor stays
    /// visible, and the cursor's cell in it.
    fn visible(&self, room: usize) -> (String, usize) {
        let chars: Vec<char> = self.text.chars().collect();
        let cells = |cs: &[char]| fit::width(&cs.iter().collect::<String>());
        // The first character shown: the latest that leaves the cursor within `room`.
        let mut start = 0;
        while start < self.cursor && cells(&chars[start..self.cursor]) > room {
            start += 1;
        }
        let mut shown = String::new();
        for &c in &chars[start..] {
            let mut s = shown.clone();
            s.push(c);
            if fit::width(&s) > room {
                break;
            }
            shown = s;
        }
        (shown, cells(&chars[start..self.cursor]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_counts_cells() {
        let mut q = QueryLine::new("東京 Zu\u{308}rich");
        // 東京 is 4 cells, the space 1, "Zürich" 6 (the combining mark takes none).
        assert_eq!(q.visible(20), ("東京 Zu\u{308}rich".to_string(), 11));
        q.home();
        q.right();
        assert_eq!(q.visible(20).1, 2);
        // Scrolled: the cursor at the end stays in view.
        q.end();
        let (shown, cursor) = q.visible(6);
        assert_eq!((shown.as_str(), cursor), ("Zu\u{308}rich", 6));
        q.home();
        assert_eq!(q.visible(3), ("東".to_string(), 0));
    }
}
