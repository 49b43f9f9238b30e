//! Text measured in terminal columns, not characters: a wide character (CJK, most emoji) takes
//! two, a combining mark none. Columns of a row only line up when measured this way.

use ratatui::text::Span;

/// The columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

fn char_width(c: char) -> usize {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf))
}

/// `s` in at most `max` columns: cut with `…` when longer.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w + 1 > max {
            break;
        }
        out.push(c);
        used += w;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

/// `s` padded with spaces to `cells` columns (as it is when already that wide).
pub fn pad(s: &str, cells: usize) -> String {
    format!("{s}{}", " ".repeat(cells.saturating_sub(width(s))))
}

/// `s` cut into pieces of at most `max` columns each (at least one column each).
pub fn chunks(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out = vec![String::new()];
    let mut used = 0;
    for c in s.chars() {
        let w = char_width(c);
        if used + w > max && used > 0 {
            out.push(String::new());
            used = 0;
        }
        out.last_mut().expect("never empty").push(c);
        used += w;
    }
    out
}

/// `s` in lines of at most `max` columns, broken at spaces; a word longer than a line is cut.
pub fn wrap(s: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut out = Vec::new();
    let (mut line, mut used) = (String::new(), 0);
    for word in s.split(' ') {
        let w = width(word);
        let sep = usize::from(used > 0);
        if used + sep + w <= max {
            if sep > 0 {
                line.push(' ');
            }
            line.push_str(word);
            used += sep + w;
            continue;
        }
        if used > 0 {
            out.push(std::mem::take(&mut line));
        }
        let mut pieces = chunks(word, max);
        line = pieces.pop().expect("never empty");
        used = width(&line);
        out.extend(pieces);
    }
    out.push(line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_columns() {
        assert_eq!(width("Ada"), 3);
        assert_eq!(width("山田太郎"), 8);
        assert_eq!(truncate("山田太郎", 5), "山田…");
        assert_eq!(width(&truncate("山田太郎", 5)), 5);
        assert_eq!(truncate("Ada Lovelace", 6), "Ada L…");
        assert_eq!(truncate("Ada", 3), "Ada");
        assert_eq!(truncate("Ada", 0), "");
        assert_eq!(pad("東京", 6), "東京  ");
        assert_eq!(pad("Zu\u{308}rich", 8), "Zu\u{308}rich  ");
        assert_eq!(width("Berlin 🚀 Lab"), 13);
    }

    #[test]
    fn wraps_at_spaces() {
        assert_eq!(wrap("Lobby phone, ground floor, building 7", 14), ["Lobby phone,", "ground floor,", "building 7"]);
        assert_eq!(wrap("ab Y2lzY29zcGFyaw", 6), ["ab", "Y2lzY2", "9zcGFy", "aw"]);
        assert_eq!(wrap("", 6), [""]);
        assert_eq!(wrap("山田 太郎", 4), ["山田", "太郎"]);
    }

    #[test]
    fn cuts_into_pieces() {
        assert_eq!(chunks("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(chunks("山田太", 3), ["山", "田", "太"]);
        assert_eq!(chunks("", 3), [""]);
        assert_eq!(chunks("ab", 0), ["a", "b"]);
    }
}
