//! Key and mouse bindings: terminal events become intents here and nowhere else.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::msg::{Intent, Msg};

/// Maps a terminal event to a message. `query_empty` lets `?` and `r` act as keys only when
/// they cannot be meant as query text.
pub fn to_msg(event: Event, query_empty: bool, can_retry: bool, mouse: bool) -> Option<Msg> {
    match event {
        Event::Key(k) if k.kind != KeyEventKind::Release => key(k, query_empty, can_retry).map(Msg::Intent),
        Event::Mouse(m) if mouse => match m.kind {
            MouseEventKind::ScrollUp => Some(Msg::Intent(Intent::Scroll(-3))),
            MouseEventKind::ScrollDown => Some(Msg::Intent(Intent::Scroll(3))),
            MouseEventKind::Down(_) => Some(Msg::Intent(Intent::Click(m.row))),
            _ => None,
        },
        Event::Resize(width, height) => Some(Msg::Resize { width, height }),
        Event::Paste(text) => Some(Msg::Paste(text)),
        _ => None,
    }
}

fn key(k: KeyEvent, query_empty: bool, can_retry: bool) -> Option<Intent> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    Some(match k.code {
        KeyCode::Char(c) if ctrl => match c.to_ascii_lowercase() {
            'c' | 'g' | 'q' => Intent::Cancel,
            'u' => Intent::ClearQuery,
            'w' => Intent::DeleteWord,
            'h' => Intent::Backspace,
            'p' | 'k' => Intent::Up,
            'n' | 'j' => Intent::Down,
            'a' => Intent::CursorHome,
            'e' => Intent::CursorEnd,
            'b' => Intent::CursorLeft,
            'f' => Intent::CursorRight,
            's' => Intent::CycleState,
            't' => Intent::CycleType,
            'y' => Intent::Copy,
            'r' => Intent::Retry,
            'm' => Intent::Confirm,
            _ => return None,
        },
        KeyCode::Char('?') if query_empty => Intent::ToggleHelp,
        KeyCode::Char('r') if query_empty && can_retry && !alt => Intent::Retry,
        KeyCode::Backspace if alt || ctrl => Intent::DeleteWord,
        KeyCode::Char(c) if !alt => Intent::Insert(c),
        KeyCode::Backspace => Intent::Backspace,
        KeyCode::Delete => Intent::Delete,
        KeyCode::Left => Intent::CursorLeft,
        KeyCode::Right => Intent::CursorRight,
        KeyCode::Home if ctrl => Intent::First,
        KeyCode::End if ctrl => Intent::Last,
        KeyCode::Home => Intent::CursorHome,
        KeyCode::End => Intent::CursorEnd,
        KeyCode::Up => Intent::Up,
        KeyCode::Down => Intent::Down,
        KeyCode::PageUp => Intent::PageUp,
        KeyCode::PageDown => Intent::PageDown,
        KeyCode::Enter => Intent::Confirm,
        KeyCode::Esc => Intent::Escape,
        KeyCode::F(1) => Intent::ToggleHelp,
        KeyCode::F(2) => Intent::CycleState,
        KeyCode::F(3) => Intent::CycleType,
        KeyCode::F(5) => Intent::Retry,
        KeyCode::Tab => Intent::Down,
        KeyCode::BackTab => Intent::Up,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(code: KeyCode, m: KeyModifiers) -> Option<Intent> {
        key(KeyEvent::new(code, m), true, false)
    }

    #[test]
    fn bindings() {
        assert_eq!(k(KeyCode::Char('c'), KeyModifiers::CONTROL), Some(Intent::Cancel));
        assert_eq!(k(KeyCode::Char('s'), KeyModifiers::CONTROL), Some(Intent::CycleState));
        assert_eq!(k(KeyCode::F(3), KeyModifiers::NONE), Some(Intent::CycleType));
        assert_eq!(k(KeyCode::Char('j'), KeyModifiers::CONTROL), Some(Intent::Down));
        assert_eq!(k(KeyCode::Char('w'), KeyModifiers::CONTROL), Some(Intent::DeleteWord));
        assert_eq!(k(KeyCode::Char('?'), KeyModifiers::NONE), Some(Intent::ToggleHelp));
        assert_eq!(key(KeyEvent::new(KeyCode::Char('?'), KeyModifiers::NONE), false, false), Some(Intent::Insert('?')));
        let r = KeyEvent::new(KeyCode::Char('r'), KeyModifiers::NONE);
        assert_eq!(key(r, false, true), Some(Intent::Insert('r')), "r in a query is text");
        assert_eq!(key(r, true, false), Some(Intent::Insert('r')), "r is text when nothing failed");
        assert_eq!(key(r, true, true), Some(Intent::Retry));
        assert_eq!(k(KeyCode::Char('5'), KeyModifiers::NONE), Some(Intent::Insert('5')));
    }
}
