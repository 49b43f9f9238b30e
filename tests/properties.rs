//! Property tests (proptest) for what reads or shows bytes a server chose: the reply parser,
//! the sanitiser, the JSON output, and the matcher's ranking. Run more cases with
//! `PROPTEST_CASES=100000 cargo test --release --test properties`.

use proptest::prelude::*;
use wxpick::numbers::catalog::Catalog;
use wxpick::numbers::filters::Filters;
use wxpick::numbers::matcher::{Matcher, Query, search};
use wxpick::numbers::record::{NumberRecord, State, parse_page, parse_page_reader};
use wxpick::sanitize::{escape, is_unsafe, one_line};

/// Text with a good share of what a hostile server might send.
fn nasty_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            Just('\u{1b}'),
            Just('\u{9b}'),
            Just('\u{202e}'),
            Just('\u{2066}'),
            Just('\u{7}'),
            Just('\n'),
            Just('"'),
            Just('\\'),
            Just('+'),
            prop::char::range('0', '9'),
            any::<char>(),
        ],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

fn record_json() -> impl Strategy<Value = serde_json::Value> {
    (
        nasty_text(),
        prop_oneof![Just("ACTIVE".to_string()), Just("INACTIVE".to_string()), nasty_text()],
        any::<Option<bool>>(),
        any::<Option<bool>>(),
        any::<Option<bool>>(),
        prop::option::of(nasty_text()),
    )
        .prop_map(|(number, state, main, toll, service, extra)| {
            let mut o = serde_json::json!({ "phoneNumber": number, "state": state, "telephonyType": "PSTN_NUMBER" });
            let m = o.as_object_mut().unwrap();
            if let Some(b) = main {
                m.insert("isMainNumber".into(), b.into());
            }
            if let Some(b) = toll {
                m.insert("tollFreeNumber".into(), b.into());
            }
            if let Some(b) = service {
                m.insert("isServiceNumber".into(), b.into());
            }
            if let Some(x) = extra {
                m.insert("futureField".into(), serde_json::json!({ "x": x }));
            }
            o
        })
}

/// A record, or one with a field of the wrong type, or a value that is not an object: with
/// whether it should read whole.
fn element_json() -> impl Strategy<Value = (serde_json::Value, bool)> {
    let wrong = prop_oneof![
        Just(serde_json::json!(5)),
        Just(serde_json::json!("false")),
        Just(serde_json::json!([1])),
        Just(serde_json::json!({"a": 1})),
    ];
    let field = prop_oneof![
        Just("phoneNumber"),
        Just("state"),
        Just("telephonyType"),
        Just("isMainNumber"),
        Just("tollFreeNumber"),
        Just("isServiceNumber"),
        Just("extension"),
        Just("owner"),
    ];
    prop_oneof![
        record_json().prop_map(|r| (r, true)),
        (record_json(), field, wrong).prop_map(|(mut r, f, w)| {
            // A string is the right type for the text fields, an object (of any fields) for the
            // owner: only then is the record whole.
            let whole = (w.is_string() && matches!(f, "phoneNumber" | "state" | "telephonyType" | "extension"))
                || (w.is_object() && f == "owner");
            r.as_object_mut().unwrap().insert(f.into(), w);
            (r, whole)
        }),
        prop_oneof![Just(serde_json::json!(42)), Just(serde_json::Value::Null), Just(serde_json::json!("x"))]
            .prop_map(|v| (v, false)),
    ]
}

proptest! {
    #[test]
    fn a_bad_record_is_kept_marked_and_written_back_as_sent(elements in prop::collection::vec(element_json(), 1..8)) {
        let values: Vec<_> = elements.iter().map(|(v, _)| v.clone()).collect();
        let body = serde_json::to_vec_pretty(&serde_json::json!({ "phoneNumbers": values })).unwrap();
        let page = parse_page(&body).unwrap();
        prop_assert_eq!(&page.numbers, &parse_page_reader(&body[..]).unwrap().numbers);
        prop_assert_eq!(page.numbers.len(), elements.len());
        prop_assert_eq!(page.faults(), elements.iter().filter(|(_, whole)| !whole).count());
        for (rec, (original, whole)) in page.numbers.iter().zip(&elements) {
            prop_assert_eq!(rec.fault().is_none(), *whole, "{}", original);
            if let Some(reason) = rec.fault() {
                prop_assert!(!rec.is_pickable());
                prop_assert!(!reason.chars().any(is_unsafe) && !reason.contains('\n'), "{reason:?}");
            }
            // Whole or not, --output json writes the element back as sent.
            prop_assert_eq!(&serde_json::to_value(rec).unwrap(), original);
        }
    }

    #[test]
    fn the_parser_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = parse_page(&bytes);
    }

    #[test]
    fn the_parser_never_panics_on_near_miss_json(prefix in "[\\[\\]{}\",:a-zA-Z0-9 ]{0,80}") {
        let _ = parse_page(format!("{{\"phoneNumbers\":[{prefix}").as_bytes());
        let _ = parse_page(format!("{{\"phoneNumbers\":{prefix}}}").as_bytes());
    }

    #[test]
    fn records_round_trip_through_json(records in prop::collection::vec(record_json(), 0..8)) {
        let body = serde_json::to_vec(&serde_json::json!({ "phoneNumbers": records })).unwrap();
        let page = parse_page(&body).unwrap();
        prop_assert_eq!(page.numbers.len(), records.len());
        for (rec, original) in page.numbers.iter().zip(&records) {
            let back = serde_json::to_value(rec).unwrap();
            prop_assert_eq!(&back, original);
            // The safe JSON output reads back the same and shows no unsafe character raw.
            let mut out = Vec::new();
            wxpick::output::safe_json::write(&mut out, rec).unwrap();
            let text = String::from_utf8(out).unwrap();
            prop_assert!(!text.chars().any(is_unsafe), "{text:?}");
            prop_assert_eq!(&serde_json::from_str::<serde_json::Value>(&text).unwrap(), original);
        }
    }

    #[test]
    fn escaped_text_is_safe_and_safe_text_is_unchanged(s in nasty_text()) {
        let e = escape(&s);
        prop_assert!(!e.chars().any(is_unsafe));
        if !s.chars().any(is_unsafe) {
            prop_assert_eq!(e.as_ref(), s.as_str());
        }
        let line = one_line(&s, 30);
        prop_assert!(!line.chars().any(is_unsafe));
        prop_assert!(line.chars().count() <= 30);
    }

    #[test]
    fn contiguous_matches_rank_before_all_others(
        numbers in prop::collection::hash_set("[1-9][0-9]{7,11}", 1..60),
        query in "[0-9]{1,5}",
    ) {
        let records: Vec<NumberRecord> = numbers
            .iter()
            .map(|n| NumberRecord::new(&format!("+{n}"), State::Active, false, false, false))
            .collect();
        let catalog = Catalog::from_records(records);
        let hits = search(&catalog, None, &Matcher::new(Query::parse(&query)), &Filters::default());
        let contiguous: Vec<bool> = hits
            .iter()
            .map(|&i| catalog.get(i as usize).phone_number.contains(query.as_str()))
            .collect();
        // Every number that holds the query digits together is found...
        let expected = numbers.iter().filter(|n| n.contains(query.as_str())).count();
        prop_assert_eq!(contiguous.iter().filter(|&&c| c).count(), expected);
        // ...and all of them come before any scattered match.
        prop_assert!(contiguous.windows(2).all(|w| w[0] || !w[1]));
        // No number is listed twice.
        let mut seen = hits.clone();
        seen.sort_unstable();
        seen.dedup();
        prop_assert_eq!(seen.len(), hits.len());
    }
}
