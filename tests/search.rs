//! Search as a script sees it (issue 20): digits ranked as a person reads a number, scattered
//! digits only when no number holds them together, fzf's `'` and `--exact`, the word `invalid`.
//! The built binary against the demo server and saved replies.

use std::process::{Command, Stdio};

const LOCATION: &str = "Birmingham HQ";

fn wxpick() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wxpick"));
    for var in ["WEBEX_ACCESS_TOKEN", "WEBEX_TOKEN", "WEBEX_LOCATION_ID", "WEBEX_BASE_URL", "WXPICK_DEFAULT_OPTS"] {
        cmd.env_remove(var);
    }
    cmd.env("WXPICK_NO_CACHE", "1").stdin(Stdio::null());
    cmd
}

/// Runs wxpick on the demo's location: exit code and stdout lines.
fn demo(args: &[&str]) -> (Option<i32>, Vec<String>) {
    let out = wxpick()
        .args(["--demo", "--demo-latency-ms", "0", "--location", LOCATION])
        .args(args)
        .output()
        .expect("run wxpick");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
    (out.status.code(), String::from_utf8_lossy(&out.stdout).lines().map(str::to_string).collect())
}

fn digits(s: &str) -> String {
    s.chars().filter(char::is_ascii_digit).collect()
}

fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut rest = hay.chars();
    needle.chars().all(|c| rest.any(|h| h == c))
}

/// The location's numbers, as `--filter ''` prints them.
fn all_numbers() -> Vec<String> {
    let (code, lines) = demo(&["--filter", ""]);
    assert_eq!(code, Some(0));
    assert!(lines.len() > 100, "the demo location has many numbers");
    lines
}

#[test]
fn the_last_digits_come_first_and_only_numbers_that_hold_them() {
    let (code, lines) = demo(&["--filter", "0001"]);
    assert_eq!(code, Some(0));
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|n| digits(n).contains("0001")), "only numbers holding 0001: {lines:?}");
    let holding = all_numbers().iter().filter(|n| digits(n).contains("0001")).count();
    assert_eq!(lines.len(), holding, "every number holding 0001");
    // Those that end with it first, then the others.
    let ends = lines.iter().take_while(|n| n.ends_with("0001")).count();
    assert!(ends > 0, "{lines:?}");
    assert!(lines[ends..].iter().all(|n| !n.ends_with("0001")), "{lines:?}");
}

#[test]
fn scattered_digits_only_when_no_number_holds_them_and_never_when_exact() {
    let numbers = all_numbers();
    // A query of digits that no number holds together, but some hold scattered.
    let query = ["20560001", "2050001", "2069", "6359", "20591"]
        .into_iter()
        .find(|q| {
            numbers.iter().all(|n| !digits(n).contains(q)) && numbers.iter().any(|n| is_subsequence(q, &digits(n)))
        })
        .expect("a query held only scattered");
    let (code, lines) = demo(&["--filter", query]);
    assert_eq!(code, Some(0));
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|n| is_subsequence(query, &digits(n))), "{lines:?}");
    // fzf's exact term, and --exact: nothing.
    let quoted = format!("'{query}");
    assert_eq!(demo(&["--filter", &quoted]), (Some(1), vec![]));
    assert_eq!(demo(&["--exact", "--filter", query]), (Some(1), vec![]));
    // With --exact, `'` makes the term fuzzy again.
    assert_eq!(demo(&["-e", "--filter", &quoted]).1, lines);
}

#[test]
fn select_1_picks_the_one_number_that_holds_the_digits() {
    let numbers = all_numbers();
    // Digits one number holds together and others hold scattered: before, all of those matched.
    let (query, one) = numbers
        .iter()
        .flat_map(|n| (4..=7).map(move |len| (n, len)))
        .find_map(|(n, len)| {
            let d = digits(n);
            let q = d[d.len() - len..].to_string();
            let together: Vec<&String> = numbers.iter().filter(|m| digits(m).contains(&q)).collect();
            let scattered = numbers.iter().filter(|m| is_subsequence(&q, &digits(m))).count();
            (together.len() == 1 && scattered > 1).then(|| (q, together[0].clone()))
        })
        .expect("a number whose last 4 to 7 digits only it holds together");
    let (code, lines) = demo(&["--query", &query, "--select-1"]);
    assert_eq!((code, lines), (Some(0), vec![one]));
}

#[test]
fn the_word_invalid_finds_the_rows_that_cannot_be_picked_and_they_sort_last() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.json");
    std::fs::write(
        &path,
        r#"{"phoneNumbers":[
            {"phoneNumber":"+1","state":"ACTIVE"},
            {"phoneNumber":"+12056350001","state":"ACTIVE"},
            {"phoneNumber":"+12056350002","state":5},
            {"phoneNumber":"+12056350003","state":"ACTIVE"}
        ]}"#,
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = wxpick().arg("--input").arg(&path).args(args).args(["--output", "json"]).output().unwrap();
        let v: Vec<serde_json::Value> =
            String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        v.iter().map(|r| r["phoneNumber"].to_string().trim_matches('"').to_string()).collect::<Vec<_>>()
    };
    assert_eq!(run(&["--filter", ""]), ["+12056350001", "+12056350003", "+1", "+12056350002"]);
    assert_eq!(run(&["--filter", "invalid"]), ["+1", "+12056350002"]);
    assert_eq!(run(&["--filter", "inv 0002"]), ["+12056350002"]);
    // Printed as numbers, only the valid ones.
    let out = wxpick().arg("--input").arg(&path).args(["--filter", "2056350"]).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().collect::<Vec<_>>(), ["+12056350001", "+12056350003"]);
}
