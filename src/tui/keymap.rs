//! Key and mouse bindings, in one table: terminal events become intents here and nowhere else,
//! and the help screen is generated from the same table.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseEventKind};

use super::msg::{Intent, Msg};

/// A key as the table names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A character typed with Ctrl (case-insensitive).
    Ctrl(char),
    /// A key with no Ctrl (other modifiers allowed unless a more specific binding takes them).
    Code(KeyCode),
    /// A key with Ctrl.
    CtrlCode(KeyCode),
    /// A key with Alt.
    AltCode(KeyCode),
    /// A character that acts as a key only when the query is empty (else it is typed).
    Bare(char),
}

impl Key {
    fn name(self) -> String {
        match self {
            Key::Ctrl(c) => format!("Ctrl-{}", c.to_ascii_uppercase()),
            Key::Code(code) => code_name(code),
            Key::CtrlCode(code) => format!("Ctrl-{}", code_name(code)),
            Key::AltCode(code) => format!("Alt-{}", code_name(code)),
            Key::Bare(c) => c.to_string(),
        }
    }
}

fn code_name(code: KeyCode) -> String {
    match code {
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Up => "Up".into(),
        KeyCode::Down => "Down".into(),
        KeyCode::Left => "Left".into(),
        KeyCode::Right => "Right".into(),
        KeyCode::Home => "Home".into(),
        KeyCode::End => "End".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::BackTab => "Shift-Tab".into(),
        KeyCode::Backspace => "Backspace".into(),
        KeyCode::Delete => "Delete".into(),
        KeyCode::F(n) => format!("F{n}"),
        other => format!("{other:?}"),
    }
}

/// One binding: a key, what it asks for, and whether the help names it.
#[derive(Debug, Clone, Copy)]
pub struct Bind {
    pub key: Key,
    pub intent: Intent,
    pub shown: bool,
}

const fn b(key: Key, intent: Intent) -> Bind {
    Bind { key, intent, shown: true }
}

/// A binding that works but is not named in the help (a synonym of a named one).
const fn hidden(key: Key, intent: Intent) -> Bind {
    Bind { key, intent, shown: false }
}

/// One line of the help: groups of keys (shown with two spaces between groups) and what they do.
pub struct Entry {
    /// Shown instead of the key names, for entries that are not keys (typing, the mouse).
    pub label: Option<&'static str>,
    pub groups: &'static [&'static [Bind]],
    /// What the keys do on the numbers screen.
    pub help: &'static str,
    /// Which screens the keys work on.
    pub on: On,
}

/// Where an entry's keys work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum On {
    /// On the numbers screen only.
    Numbers,
    /// On the numbers screen, when there is a list of locations to go back to.
    NumbersWithBack,
    /// On the locations screen only.
    Locations,
    /// On both, doing the same.
    Both,
    /// On both; on the locations screen they do this instead.
    BothAs(&'static str),
}

/// Which screen's help to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    /// The numbers; `back`: there is a list of locations to go back to.
    Numbers {
        back: bool,
    },
    Locations,
    /// Every key of every screen (the man page, README).
    All,
}

use Intent as I;
use KeyCode as K;

/// Every binding, in the order the help lists them.
pub const KEYMAP: &[Entry] = &[
    Entry {
        label: Some("type"),
        groups: &[],
        help: "search: digits in any shape, or words active, inactive, service, standard, toll, main, mobile",
        on: On::Numbers,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Code(K::Enter), I::Confirm), hidden(Key::Ctrl('m'), I::Confirm)]],
        help: "pick the highlighted number, or the marked ones",
        on: On::BothAs("open the highlighted location's numbers"),
    },
    Entry {
        label: None,
        groups: &[
            &[b(Key::Code(K::Esc), I::Escape)],
            &[b(Key::Ctrl('c'), I::Cancel)],
            &[b(Key::Ctrl('g'), I::Cancel)],
            &[b(Key::Ctrl('q'), I::Cancel)],
        ],
        help: "quit without picking (exit 130)",
        on: On::Both,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Ctrl('l'), I::Back)]],
        help: "back to the list of locations (or people, workspaces, virtual lines), its query kept",
        on: On::NumbersWithBack,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Code(K::F(4)), I::ToggleDetails)], &[b(Key::Ctrl('d'), I::ToggleDetails)]],
        help: "show or hide the highlighted number's details",
        on: On::Numbers,
    },
    Entry {
        label: None,
        groups: &[
            &[b(Key::Code(K::Up), I::Up), b(Key::Code(K::Down), I::Down)],
            &[b(Key::Ctrl('p'), I::Up), b(Key::Ctrl('n'), I::Down)],
            &[b(Key::Ctrl('k'), I::Up), b(Key::Ctrl('j'), I::Down)],
        ],
        help: "move",
        on: On::Both,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Code(K::Tab), I::Mark), b(Key::Code(K::BackTab), I::Unmark)]],
        help: "--multi: (un)mark and go down, unmark and go up; else move",
        on: On::BothAs("move"),
    },
    Entry {
        label: None,
        groups: &[
            &[b(Key::Code(K::PageUp), I::PageUp), b(Key::Code(K::PageDown), I::PageDown)],
            &[b(Key::CtrlCode(K::Home), I::First), b(Key::CtrlCode(K::End), I::Last)],
        ],
        help: "move by a page, to the first, to the last",
        on: On::Both,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Ctrl('s'), I::CycleState)], &[b(Key::Code(K::F(2)), I::CycleState)]],
        help: "state filter: all, active, inactive",
        on: On::Numbers,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Ctrl('t'), I::CycleType)], &[b(Key::Code(K::F(3)), I::CycleType)]],
        help: "type filter: all, service, standard, toll-free, main, mobile (kinds with no number skipped)",
        on: On::Numbers,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Ctrl('y'), I::Copy)]],
        help: "copy the highlighted number, or the marked ones",
        on: On::Numbers,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Bare('r'), I::Retry)], &[b(Key::Ctrl('r'), I::Retry)], &[b(Key::Code(K::F(5)), I::Retry)]],
        help: "retry a failed page (r with an empty query)",
        on: On::BothAs("list the locations again after a failure"),
    },
    Entry {
        label: None,
        groups: &[
            &[b(Key::Code(K::Backspace), I::Backspace), b(Key::Ctrl('h'), I::Backspace)],
            &[b(Key::Code(K::Delete), I::Delete)],
            &[
                b(Key::Ctrl('w'), I::DeleteWord),
                b(Key::AltCode(K::Backspace), I::DeleteWord),
                hidden(Key::CtrlCode(K::Backspace), I::DeleteWord),
            ],
            &[b(Key::Ctrl('u'), I::ClearQuery)],
        ],
        help: "delete back, forward, a word, the query",
        on: On::Both,
    },
    Entry {
        label: None,
        groups: &[
            &[b(Key::Code(K::Left), I::CursorLeft), b(Key::Code(K::Right), I::CursorRight)],
            &[b(Key::Code(K::Home), I::CursorHome), b(Key::Code(K::End), I::CursorEnd)],
            &[
                b(Key::Ctrl('b'), I::CursorLeft),
                b(Key::Ctrl('f'), I::CursorRight),
                b(Key::Ctrl('a'), I::CursorHome),
                b(Key::Ctrl('e'), I::CursorEnd),
            ],
        ],
        help: "move in the query",
        on: On::Both,
    },
    Entry { label: Some("type"), groups: &[], help: "search the list by name (people: and email)", on: On::Locations },
    Entry {
        label: Some("mouse"),
        groups: &[],
        help: "wheel scrolls, click selects (--no-mouse turns it off)",
        on: On::Both,
    },
    Entry {
        label: None,
        groups: &[&[b(Key::Code(K::F(1)), I::ToggleHelp)], &[b(Key::Bare('?'), I::ToggleHelp)]],
        help: "this help (? with an empty query)",
        on: On::Both,
    },
];

/// The help screen's lines on `screen`: (keys, what they do), generated from [`KEYMAP`], only
/// the keys that work there.
pub fn help_lines(screen: Screen) -> Vec<(String, String)> {
    KEYMAP
        .iter()
        .filter_map(|e| {
            let help = match (screen, e.on) {
                (Screen::All, On::BothAs(there)) => format!("{}; on the locations: {there}", e.help),
                (Screen::All, On::NumbersWithBack) => format!("{}, after choosing one there", e.help),
                (Screen::All, _) => e.help.to_string(),
                (Screen::Locations, On::Locations | On::Both) => e.help.to_string(),
                (Screen::Locations, On::BothAs(there)) => there.to_string(),
                (Screen::Locations, _) => return None,
                (Screen::Numbers { .. }, On::Locations) => return None,
                (Screen::Numbers { back: false }, On::NumbersWithBack) => return None,
                (Screen::Numbers { .. }, _) => e.help.to_string(),
            };
            let keys = match e.label {
                Some(label) => label.to_string(),
                None => e
                    .groups
                    .iter()
                    .map(|g| g.iter().filter(|b| b.shown).map(|b| b.key.name()).collect::<Vec<_>>().join(" "))
                    .collect::<Vec<_>>()
                    .join("  "),
            };
            Some((keys, help))
        })
        .collect()
}

/// The first key the help names for an intent (for the status line's help hint).
pub fn key_for(intent: Intent) -> Option<String> {
    binds().find(|b| b.shown && b.intent == intent).map(|b| b.key.name())
}

fn binds() -> impl Iterator<Item = &'static Bind> {
    KEYMAP.iter().flat_map(|e| e.groups.iter()).flat_map(|g| g.iter())
}

fn find(key: Key) -> Option<Intent> {
    binds().find(|b| b.key == key).map(|b| b.intent)
}

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

/// The intent of a key press, by the table.
pub fn key(k: KeyEvent, query_empty: bool, can_retry: bool) -> Option<Intent> {
    let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
    let alt = k.modifiers.contains(KeyModifiers::ALT);
    match k.code {
        // Ctrl with a character is a command, bound or not: never text.
        KeyCode::Char(c) if ctrl => find(Key::Ctrl(c.to_ascii_lowercase())),
        KeyCode::Char(c) => {
            let bare = find(Key::Bare(c)).filter(|&i| query_empty && (i != Intent::Retry || (can_retry && !alt)));
            bare.or((!alt).then_some(Intent::Insert(c)))
        }
        code => {
            let special = if ctrl {
                find(Key::CtrlCode(code))
            } else if alt {
                find(Key::AltCode(code))
            } else {
                None
            };
            // Ctrl-Backspace and Alt-Backspace have bindings; other modifiers fall back to the key.
            special.or_else(|| find(Key::Code(code)))
        }
    }
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
        assert_eq!(k(KeyCode::Tab, KeyModifiers::NONE), Some(Intent::Mark));
        assert_eq!(k(KeyCode::BackTab, KeyModifiers::SHIFT), Some(Intent::Unmark));
        assert_eq!(k(KeyCode::F(4), KeyModifiers::NONE), Some(Intent::ToggleDetails));
        assert_eq!(k(KeyCode::Char('d'), KeyModifiers::CONTROL), Some(Intent::ToggleDetails));
        assert_eq!(k(KeyCode::Char('l'), KeyModifiers::CONTROL), Some(Intent::Back));
    }

    /// No key is bound twice: a key reaching two intents would silently do only the first.
    #[test]
    fn every_key_is_bound_once() {
        let keys: Vec<Key> = binds().map(|b| b.key).collect();
        for (i, key) in keys.iter().enumerate() {
            assert!(!keys[..i].contains(key), "{key:?} is bound twice");
        }
    }

    #[test]
    fn modified_keys() {
        assert_eq!(k(KeyCode::Home, KeyModifiers::CONTROL), Some(Intent::First));
        assert_eq!(k(KeyCode::Home, KeyModifiers::NONE), Some(Intent::CursorHome));
        assert_eq!(k(KeyCode::Home, KeyModifiers::ALT), Some(Intent::CursorHome));
        assert_eq!(k(KeyCode::Backspace, KeyModifiers::ALT), Some(Intent::DeleteWord));
        assert_eq!(k(KeyCode::Backspace, KeyModifiers::CONTROL), Some(Intent::DeleteWord));
        assert_eq!(k(KeyCode::Backspace, KeyModifiers::NONE), Some(Intent::Backspace));
        assert_eq!(k(KeyCode::Char('x'), KeyModifiers::ALT), None);
        assert_eq!(k(KeyCode::Char('z'), KeyModifiers::CONTROL), None);
        assert_eq!(k(KeyCode::Char('M'), KeyModifiers::CONTROL), Some(Intent::Confirm));
    }

    #[test]
    fn every_intent_but_pointer_and_text_has_a_named_key() {
        for intent in [
            I::Backspace,
            I::Delete,
            I::DeleteWord,
            I::ClearQuery,
            I::CursorLeft,
            I::CursorRight,
            I::CursorHome,
            I::CursorEnd,
            I::Up,
            I::Down,
            I::PageUp,
            I::PageDown,
            I::First,
            I::Last,
            I::Mark,
            I::Unmark,
            I::CycleState,
            I::CycleType,
            I::ToggleHelp,
            I::ToggleDetails,
            I::Escape,
            I::Cancel,
            I::Confirm,
            I::Copy,
            I::Retry,
            I::Back,
        ] {
            assert!(key_for(intent).is_some(), "{intent:?} has no key in the help");
        }
    }

    fn keys_on(screen: Screen) -> Vec<String> {
        help_lines(screen).into_iter().map(|(k, _)| k).collect()
    }

    /// Each screen's help lists only the keys that work there.
    #[test]
    fn help_per_screen() {
        let locations = keys_on(Screen::Locations);
        assert!(locations.iter().any(|k| k.starts_with("Enter")));
        for numbers_only in ["Ctrl-S", "Ctrl-T", "Ctrl-Y", "Ctrl-L", "F4"] {
            assert!(
                !locations.iter().any(|k| k.contains(numbers_only)),
                "{numbers_only} on the locations: {locations:?}"
            );
        }
        let alone = keys_on(Screen::Numbers { back: false });
        assert!(alone.iter().any(|k| k.contains("Ctrl-T")) && !alone.iter().any(|k| k.contains("Ctrl-L")));
        assert!(keys_on(Screen::Numbers { back: true }).iter().any(|k| k.contains("Ctrl-L")));
        let enter = help_lines(Screen::Locations).into_iter().find(|(k, _)| k.starts_with("Enter")).unwrap().1;
        assert!(enter.contains("location"), "{enter}");
        assert_eq!(keys_on(Screen::All).iter().filter(|k| *k == "type").count(), 2);
    }

    /// The help, README.md and the cycle name the same kinds, in the same order.
    #[test]
    fn the_type_cycle_is_described_as_it_is() {
        let kinds: Vec<&str> = crate::numbers::kinds::NumberKind::types().map(|k| k.label()).collect();
        let help = help_lines(Screen::All).into_iter().find(|(k, _)| k.starts_with("Ctrl-T")).unwrap().1;
        assert!(help.contains(&format!("all, {}", kinds.join(", "))), "{help}");
        let readme = include_str!("../../README.md");
        assert!(readme.contains(&format!("all → {} → all", kinds.join(" → "))), "README.md's Ctrl-T line");
    }

    /// README.md's key table lists the same keys as the help screen.
    #[test]
    fn readme_lists_every_help_line() {
        let readme = include_str!("../../README.md");
        for (keys, _) in help_lines(Screen::All) {
            for group in keys.split("  ") {
                if group == "type" || group == "mouse" {
                    continue;
                }
                for name in group.split(' ') {
                    assert!(readme.contains(name), "README.md does not mention the key {name}");
                }
            }
        }
    }
}
