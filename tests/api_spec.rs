//! Every list wxpick knows (`src/webex/endpoint.rs`) against the OpenAPI description in
//! `api/webex/`: same path, same query parameters.

use std::collections::{BTreeMap, BTreeSet};

use wxpick::webex::ENDPOINTS;

const SPEC: &str = include_str!("../api/webex/available-numbers.openapi.yaml");

/// Paths of lists that this cut of the description lacks (see `api/webex/README.md`).
const NOT_IN_SPEC: [&str; 5] = [
    "/telephony/config/locations/{locationId}/availableNumbers",
    "/telephony/config/locations/{locationId}/emergencyCallbackNumber/availableNumbers",
    "/telephony/config/locations/{locationId}/callIntercept/availableNumbers",
    "/telephony/config/locations/{locationId}/externalCallerId/availableNumbers",
    "/telephony/config/locations/{locationId}/webexGo/availableNumbers",
];

/// The parameters of one path's `get`, by where they go (`path`, `query`, `header`).
type Params = BTreeMap<String, BTreeSet<String>>;

/// The `paths:` of the description, with each GET's parameters. The file is written by a
/// generator in one regular layout: paths at two spaces, `parameters:` at six, each parameter's
/// `in:` and `name:` at eight. A small reader of that layout, not a YAML parser.
fn spec_paths(spec: &str) -> BTreeMap<String, Params> {
    let mut paths = BTreeMap::new();
    let (mut in_paths, mut path, mut in_params) = (false, None::<String>, false);
    let mut pending: (Option<String>, Option<String>) = (None, None);
    let flush = |path: &Option<String>,
                 pending: &mut (Option<String>, Option<String>),
                 paths: &mut BTreeMap<String, Params>| {
        if let (Some(p), (Some(loc), Some(name))) = (path, &pending) {
            paths.entry(p.clone()).or_default().entry(loc.clone()).or_default().insert(name.clone());
        }
        *pending = (None, None);
    };
    for line in spec.lines() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        if indent == 0 {
            flush(&path, &mut pending, &mut paths);
            in_paths = text == "paths:";
            path = None;
            continue;
        }
        if !in_paths {
            continue;
        }
        match indent {
            2 => {
                flush(&path, &mut pending, &mut paths);
                let p = text.strip_suffix(':').expect("a path key").trim_matches('\'').to_string();
                paths.entry(p.clone()).or_default();
                path = Some(p);
                in_params = false;
            }
            4 => in_params = false,
            6 if !text.starts_with("- ") => {
                flush(&path, &mut pending, &mut paths);
                in_params = text == "parameters:";
                continue;
            }
            _ => {}
        }
        if !in_params {
            continue;
        }
        // A parameter starts with `- ` at six; its keys are at eight (the first on the dash line).
        let key = if indent == 6 {
            flush(&path, &mut pending, &mut paths);
            text.trim_start_matches("- ")
        } else if indent == 8 {
            text
        } else {
            continue;
        };
        if let Some(v) = key.strip_prefix("in: ") {
            pending.0 = Some(v.trim().to_string());
        } else if let Some(v) = key.strip_prefix("name: ") {
            pending.1 = Some(v.trim().to_string());
        }
    }
    flush(&path, &mut pending, &mut paths);
    paths
}

#[test]
fn the_reader_finds_the_paths_and_their_parameters() {
    let paths = spec_paths(SPEC);
    let available = paths.keys().filter(|p| p.ends_with("/availableNumbers")).count();
    assert_eq!(available, 31, "the README of api/webex says 31 lists");
    let people = &paths["/telephony/config/people/primary/availableNumbers"];
    let query: Vec<_> = people["query"].iter().map(String::as_str).collect();
    assert_eq!(query, ["licenseType", "locationId", "max", "orgId", "phoneNumber", "start"]);
    assert!(!people.contains_key("path"));
    let fwd = &paths["/telephony/config/people/{personId}/callForwarding/availableNumbers"];
    assert_eq!(fwd["path"].iter().collect::<Vec<_>>(), ["personId"]);
}

#[test]
fn every_list_matches_the_api_description() {
    let paths = spec_paths(SPEC);
    let mut checked = 0;
    for e in ENDPOINTS {
        let path = format!("/{}", e.path);
        let Some(params) = paths.get(&path) else {
            assert!(NOT_IN_SPEC.contains(&path.as_str()), "{}: {path} is not in the API description", e.kind);
            continue;
        };
        let want_path: BTreeSet<String> =
            e.path_id.map(|p| p.placeholder().trim_matches(['{', '}']).to_string()).into_iter().collect();
        assert_eq!(params.get("path").cloned().unwrap_or_default(), want_path, "{}: path parameters", e.kind);
        let want_query: BTreeSet<String> = e.query_params().into_iter().map(str::to_string).collect();
        assert_eq!(params.get("query").cloned().unwrap_or_default(), want_query, "{}: query parameters", e.kind);
        checked += 1;
    }
    let in_spec = ENDPOINTS.iter().filter(|e| !NOT_IN_SPEC.contains(&format!("/{}", e.path).as_str())).count();
    assert!(checked > 0 && checked == in_spec, "{checked} of {in_spec} rows checked");
}
