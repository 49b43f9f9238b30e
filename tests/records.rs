//! Malformed records in a reply, through the built binary (`--input FILE`): the rest of the
//! page is listed, the malformed ones are left out of the plain output, and `--output json`
//! writes them as sent.

use std::process::{Command, Output};

const REPLY: &str = r#"{"phoneNumbers":[
    {"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false},
    {"phoneNumber":"+12056350002","state":"ACTIVE","isMainNumber":"false"},
    {"phoneNumber":12056350003,"state":5},
    42,
    {"phoneNumber":"+12056350004","state":"INACTIVE"}
]}"#;

fn run(args: &[&str]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("reply.json");
    std::fs::write(&file, REPLY).unwrap();
    Command::new(env!("CARGO_BIN_EXE_wxpick"))
        .arg("--input")
        .arg(&file)
        .args(args)
        .env_remove("WEBEX_ACCESS_TOKEN")
        .env_remove("WEBEX_TOKEN")
        .output()
        .unwrap()
}

#[test]
fn one_bad_record_does_not_fail_the_page() {
    let out = run(&["--filter", ""]);
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(lines, ["+12056350001", "+12056350004"]);
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("left out 3 "), "{stderr}");
    assert!(stderr.contains("3 records of the reply were malformed"), "{stderr}");
}

#[test]
fn output_json_keeps_bad_records_as_sent() {
    let out = run(&["--filter", "", "--output", "json"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let mut lines: Vec<&str> = stdout.lines().collect();
    lines.sort_unstable();
    assert_eq!(
        lines,
        [
            "42",
            r#"{"phoneNumber":"+12056350001","state":"ACTIVE","isMainNumber":false}"#,
            r#"{"phoneNumber":"+12056350002","state":"ACTIVE","isMainNumber":"false"}"#,
            r#"{"phoneNumber":"+12056350004","state":"INACTIVE"}"#,
            r#"{"phoneNumber":12056350003,"state":5}"#,
        ]
    );
}
