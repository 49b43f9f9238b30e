//! Finding locations, people, workspaces and virtual lines by name: the fuzzy search of the
//! location picker and `wxpick locations|people|... --filter` (case- and diacritics-insensitive:
//! `zurich` finds `Zürich`), and the stricter rule that turns a `--location NAME` (or
//! `--person NAME|EMAIL`...) into one.

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use crate::webex::locations::Location;

/// Something found by its name (and, for people, email).
pub trait Named {
    fn name(&self) -> &str;
    fn email(&self) -> Option<&str> {
        None
    }
}

impl Named for Location {
    fn name(&self) -> &str {
        &self.name
    }
}

/// Lower case, with the diacritics of Latin letters taken off (`Köln` -> `koln`, `ß` -> `ss`).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'à'..='å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'æ' => out.push_str("ae"),
            'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => out.push('c'),
            'ď' | 'đ' | 'ð' => out.push('d'),
            'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => out.push('g'),
            'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => out.push('i'),
            'ł' | 'ľ' | 'ĺ' | 'ļ' => out.push('l'),
            'ñ' | 'ń' | 'ņ' | 'ň' => out.push('n'),
            'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => out.push('o'),
            'œ' => out.push_str("oe"),
            'ŕ' | 'ř' | 'ŗ' => out.push('r'),
            'ß' => out.push_str("ss"),
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => out.push('s'),
            'ţ' | 'ť' | 'ț' => out.push('t'),
            'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            c => out.push(c),
        }
    }
    out
}

/// The locations matching `query`, best first (indices into `locations`). Every word of the
/// query must match the name fuzzily; names holding the query as written come first. An empty
/// query keeps the list's order.
pub fn search<T: Named>(locations: &[T], query: &str) -> Vec<usize> {
    let q = fold(query.trim());
    if q.is_empty() {
        return (0..locations.len()).collect();
    }
    let matcher = SkimMatcherV2::default().ignore_case();
    let mut scored: Vec<(i64, usize)> = locations
        .iter()
        .enumerate()
        .filter_map(|(i, l)| {
            let name = match l.email() {
                Some(email) => fold(&format!("{} {email}", l.name())),
                None => fold(l.name()),
            };
            let mut score = 0;
            for word in q.split_whitespace() {
                score += matcher.fuzzy_match(&name, word)?;
            }
            if name.contains(&q) {
                score += 1000 - name.find(&q).unwrap_or(0) as i64;
            }
            Some((score, i))
        })
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| locations[a.1].name().cmp(locations[b.1].name())));
    scored.into_iter().map(|(_, i)| i).collect()
}

/// What a `--location NAME` names.
#[derive(Debug, PartialEq, Eq)]
pub enum ByName<T = Location> {
    One(T),
    Several(Vec<T>),
    None,
}

/// The one `name` names: one whose name (or email) is `name`, else the one whose name contains
/// it; several that contain it, or none, are not an answer. Case and accents do not count.
pub fn by_name<T: Named + Clone>(locations: &[T], name: &str) -> ByName<T> {
    let wanted = fold(name.trim());
    let exact: Vec<&T> = locations
        .iter()
        .filter(|l| fold(l.name().trim()) == wanted || l.email().is_some_and(|e| fold(e.trim()) == wanted))
        .collect();
    if let [one] = exact[..] {
        return ByName::One(one.clone());
    }
    if exact.len() > 1 {
        return ByName::Several(exact.into_iter().cloned().collect());
    }
    let mut containing: Vec<T> = locations.iter().filter(|l| fold(l.name()).contains(&wanted)).cloned().collect();
    match containing.len() {
        0 => ByName::None,
        1 => ByName::One(containing.remove(0)),
        _ => ByName::Several(containing),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn locs(names: &[&str]) -> Vec<Location> {
        names.iter().enumerate().map(|(i, n)| Location::new(&format!("L{i}"), n)).collect()
    }

    #[test]
    fn folding_takes_off_case_and_diacritics() {
        assert_eq!(fold("Zürich"), "zurich");
        assert_eq!(fold("Montréal QUÉBEC"), "montreal quebec");
        assert_eq!(fold("Straße Łódź Œuvre"), "strasse lodz oeuvre");
    }

    #[test]
    fn search_is_fuzzy_and_diacritics_insensitive() {
        let l = locs(&["Köln", "Zürich", "Paris La Défense", "Paris Opéra", "Berlin"]);
        assert_eq!(search(&l, "zurich"), [1]);
        assert_eq!(search(&l, "koln"), [0]);
        assert_eq!(search(&l, "defense"), [2]);
        assert_eq!(search(&l, "par op"), [3]);
        assert_eq!(search(&l, "").len(), 5);
        assert_eq!(search(&l, "xyz"), Vec::<usize>::new());
    }

    #[test]
    fn exact_wins_then_one_containing() {
        let l = locs(&["Berlin", "Berlin Adlershof", "London Soho", "London Canary Wharf", "Köln"]);
        assert_eq!(by_name(&l, "berlin"), ByName::One(l[0].clone()));
        assert_eq!(by_name(&l, "ADLER"), ByName::One(l[1].clone()));
        assert_eq!(by_name(&l, "köln"), ByName::One(l[4].clone()));
        assert_eq!(by_name(&l, "london"), ByName::Several(vec![l[2].clone(), l[3].clone()]));
        assert_eq!(by_name(&l, "Paris"), ByName::None);
    }

    #[test]
    fn a_name_given_without_its_accents_still_names_it() {
        let l = locs(&["Köln", "Montréal", "Paris Opéra", "Paris La Défense"]);
        assert_eq!(by_name(&l, "koln"), ByName::One(l[0].clone()));
        assert_eq!(by_name(&l, "MONTREAL"), ByName::One(l[1].clone()));
        assert_eq!(by_name(&l, "paris opera"), ByName::One(l[2].clone()));
        assert_eq!(by_name(&l, "defense"), ByName::One(l[3].clone()));
    }
}
