//! Every list wxpick knows (`src/webex/endpoint.rs`) against the OpenAPI description in
//! `api/webex/`: same path, same query parameters (for the number inventory: parameters of the
//! description only, with values of its enums).

use std::collections::{BTreeMap, BTreeSet};

use wxpick::webex::ENDPOINTS;
use wxpick::webex::endpoint::INVENTORY;

const SPEC: &str = include_str!("../api/webex/webex-calling.openapi.yaml");

/// Paths of lists that this cut of the description lacks (see `api/webex/README.md`).
const NOT_IN_SPEC: [&str; 5] = [
    "/telephony/config/locations/{locationId}/availableNumbers",
    "/telephony/config/locations/{locationId}/emergencyCallbackNumber/availableNumbers",
    "/telephony/config/locations/{locationId}/callIntercept/availableNumbers",
    "/telephony/config/locations/{locationId}/externalCallerId/availableNumbers",
    "/telephony/config/locations/{locationId}/webexGo/availableNumbers",
];

/// The number inventory's query parameters that wxpick does not send: sorting (wxpick sorts),
/// `ownerId` (owners are found by name), and filters no admin asked for yet. A parameter the
/// description adds fails [`every_list_matches_the_api_description`] until it is sent or named here.
const INVENTORY_NOT_SENT: [&str; 7] = [
    "order",
    "ownerId",
    "phoneNumberType",
    "details",
    "restrictedNonGeoNumbers",
    "includedTelephonyTypes",
    "serviceNumber",
];

/// Whether a row is the number inventory, whose query parameters are a part of the description's.
fn is_inventory(e: &wxpick::webex::Endpoint) -> bool {
    std::ptr::eq(e, &INVENTORY)
}

/// The values of query parameter `name`'s enum, in `path`'s GET (the same regular layout as
/// [`spec_paths`] reads: a parameter's `name:` at eight, its `schema:`'s `enum:` and values at ten).
fn query_enum(spec: &str, path: &str, name: &str) -> Vec<String> {
    let head = format!("  {path}:");
    let mut lines = spec.lines().skip_while(|l| *l != head).skip(1).take_while(|l| !l.starts_with("  /"));
    let (mut current, mut in_enum, mut out) = (None::<String>, false, Vec::new());
    for line in &mut lines {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if indent <= 8 {
            in_enum = false;
            if let Some(n) = text.trim_start_matches("- ").strip_prefix("name: ") {
                current = Some(n.trim().to_string());
            }
            if text.starts_with("- ") {
                current = None;
            }
            if text == "responses:" {
                break;
            }
        } else if indent == 10 && text == "enum:" {
            in_enum = true;
        } else if indent == 10 && in_enum && current.as_deref() == Some(name) {
            match text.strip_prefix("- ") {
                Some(v) => out.push(v.trim().to_string()),
                None => in_enum = false,
            }
        } else if indent == 10 {
            in_enum = false;
        }
    }
    out
}

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

/// The spec's path with each `{placeholder}` replaced by an ID, as a request would carry it.
fn filled(path: &str, id: &str) -> String {
    path.split('/').map(|seg| if seg.starts_with('{') { id } else { seg }).collect::<Vec<_>>().join("/")
}

#[test]
fn every_list_of_the_description_is_a_kind() {
    let paths = spec_paths(SPEC);
    let ours: BTreeSet<String> = ENDPOINTS.iter().map(|e| format!("/{}", e.path)).collect();
    let lists: Vec<&String> = paths.keys().filter(|p| p.ends_with("/availableNumbers")).collect();
    assert_eq!(lists.len(), 31);
    for path in lists {
        assert!(ours.contains(path), "the API description has {path}, and wxpick has no --for for it");
    }
    for path in NOT_IN_SPEC {
        assert!(ours.contains(path), "api/webex/README.md names {path}, and wxpick has no --for for it");
    }
    assert_eq!(ours.len(), ENDPOINTS.len(), "no two kinds share a path");
}

/// Every kind, fetched once from a local server with every ID and query parameter it takes set:
/// the request's path and query parameters are exactly those of the API description.
#[tokio::test]
async fn every_kind_requests_exactly_its_path_and_query_parameters() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    use wxpick::webex::{ApiClient, ClientConfig, Ids, PathId, Token};

    let paths = spec_paths(SPEC);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"phoneNumbers":[]}"#))
        .mount(&server)
        .await;
    let base = reqwest::Url::parse(&format!("{}/v1", server.uri())).unwrap();
    const ID: &str = "Y2lzY29zcGFyazovL3VzL0lELzE";
    for (n, e) in ENDPOINTS.iter().enumerate() {
        let id = |which: PathId| e.takes(which).then(|| ID.to_string());
        let ids = Ids {
            location: id(PathId::Location),
            person: id(PathId::Person),
            workspace: id(PathId::Workspace),
            virtual_line: id(PathId::VirtualLine),
        };
        let mut cfg = ClientConfig::for_endpoint(base.clone(), e, ids, Token::new("t").unwrap());
        cfg.org_id = Some("ORG".into());
        cfg.page_size = Some(10);
        cfg.phone_numbers = Some("+12025550100".into());
        cfg.extra_query = e.extra_query.iter().map(|k| (k.to_string(), "x".to_string())).collect();
        let client = ApiClient::new(cfg).unwrap();
        client.get_page(&client.page_url(10)).await.unwrap_or_else(|err| panic!("{}: {err}", e.kind));

        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), n + 1, "{}: one request each", e.kind);
        let got = &requests[n].url;
        let want_path = format!("/{}", e.path);
        let spec = paths.get(&want_path).map(|p| p.get("query").cloned().unwrap_or_default());
        assert_eq!(got.path(), format!("/v1{}", filled(&want_path, ID)), "{}", e.kind);
        let query: BTreeSet<String> = got.query_pairs().map(|(k, _)| k.into_owned()).collect();
        match spec {
            // The inventory: every parameter it takes, each one of the description's.
            Some(spec_query) if is_inventory(e) => {
                let want: BTreeSet<String> = e.query_params().into_iter().map(str::to_string).collect();
                assert_eq!(query, want, "{}", e.kind);
                assert!(query.is_subset(&spec_query), "{}: {query:?} not all in {spec_query:?}", e.kind);
            }
            Some(spec_query) => assert_eq!(query, spec_query, "{}: query parameters", e.kind),
            // The five lists of the README: the common parameters, the IDs and its own.
            None => {
                assert!(NOT_IN_SPEC.contains(&want_path.as_str()), "{}", e.kind);
                let want: BTreeSet<String> = e.query_params().into_iter().map(str::to_string).collect();
                assert_eq!(query, want, "{}", e.kind);
            }
        }
    }
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
        let spec_query = params.get("query").cloned().unwrap_or_default();
        if is_inventory(e) {
            let left_out: BTreeSet<String> = spec_query.difference(&want_query).cloned().collect();
            let named: BTreeSet<String> = INVENTORY_NOT_SENT.iter().map(|s| s.to_string()).collect();
            assert!(want_query.is_subset(&spec_query), "{}: {want_query:?} not all in {spec_query:?}", e.kind);
            assert_eq!(left_out, named, "{}: the parameters left out are those named", e.kind);
        } else {
            assert_eq!(spec_query, want_query, "{}: query parameters", e.kind);
        }
        checked += 1;
    }
    let in_spec = ENDPOINTS.iter().filter(|e| !NOT_IN_SPEC.contains(&format!("/{}", e.path).as_str())).count();
    assert!(checked > 0 && checked == in_spec, "{checked} of {in_spec} rows checked");
}

/// The values wxpick sends for the inventory's enum parameters are the description's.
#[test]
fn the_inventorys_values_are_the_descriptions() {
    let path = format!("/{}", INVENTORY.path);
    let owner_types = query_enum(SPEC, &path, "ownerType");
    assert!(owner_types.len() >= 12, "{owner_types:?}");
    for (api, word) in wxpick::numbers::owner_type::QUERY_TYPES {
        assert!(owner_types.iter().any(|t| t == api), "--owner-type {word} sends {api}, not in {owner_types:?}");
    }
    assert_eq!(wxpick::numbers::owner_type::QUERY_TYPES.len(), owner_types.len(), "every owner type has a word");
    let number_types = query_enum(SPEC, &path, "numberType");
    for t in [wxpick::cli::NumberType::Number, wxpick::cli::NumberType::Extension] {
        let v = t.api_value().unwrap();
        assert!(number_types.iter().any(|n| n == v), "{v} not in {number_types:?}");
    }
    let states = query_enum(SPEC, &path, "state");
    for s in [wxpick::numbers::filters::StateFilter::Active, wxpick::numbers::filters::StateFilter::Inactive] {
        let v = s.api_value().unwrap();
        assert!(states.iter().any(|n| n == v), "{v} not in {states:?}");
    }
    // The reader reads enums of this path only, and of the parameter named.
    assert!(query_enum(SPEC, &path, "phoneNumber").is_empty());
    assert!(
        query_enum(SPEC, "/telephony/config/locations/{locationId}/queues/availableNumbers", "ownerType").is_empty()
    );
}

/// The lookups by name (people, workspaces, virtual lines): each row's path is the description's,
/// and the filters it is searched with (`displayName`, `email`, `ownerName`, `locationId`) are
/// parameters the description lists for it.
#[test]
fn every_lookup_row_matches_the_api_description() {
    use wxpick::webex::owners::LOOKUPS;
    let paths = spec_paths(SPEC);
    assert_eq!(LOOKUPS.len(), 3);
    for lookup in LOOKUPS {
        let path = format!("/{}", lookup.endpoint.path);
        let params =
            paths.get(&path).unwrap_or_else(|| panic!("{}: {path} is not in the API description", lookup.command));
        let query = params.get("query").cloned().unwrap_or_default();
        assert!(params.get("path").is_none_or(|p| p.is_empty()), "{}: a lookup's path has no ID", lookup.command);
        let filters = [Some(lookup.name_param), lookup.email_param, Some("locationId")];
        for name in filters.into_iter().flatten() {
            assert!(
                query.contains(name),
                "{}: the description has no query parameter {name}: {query:?}",
                lookup.command
            );
        }
        // What the row says it takes (besides the common parameters) is the description's too.
        for name in lookup.endpoint.extra_query.iter().chain(&[lookup.endpoint.query_ids[0].query_name()]) {
            assert!(query.contains(*name), "{}: {name} is not in {query:?}", lookup.command);
        }
    }
}

/// Each lookup, asked for by name at a location from a local server as wxpick asks for it: every
/// query parameter of the request is one the description lists for its path.
#[tokio::test]
async fn every_lookup_requests_only_parameters_of_the_description() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    use wxpick::webex::owners::{LOOKUPS, Owner};
    use wxpick::webex::{ApiClient, ClientConfig, Ids, Token};

    let paths = spec_paths(SPEC);
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"items":[],"virtualLines":[]}"#))
        .mount(&server)
        .await;
    let base = reqwest::Url::parse(&format!("{}/v1", server.uri())).unwrap();
    for (n, lookup) in LOOKUPS.iter().enumerate() {
        let ids = Ids::location("Y2lzY29zcGFyazovL3VzL0xPQ0FUSU9OLzE");
        let mut cfg = ClientConfig::for_endpoint(base.clone(), lookup.endpoint, ids, Token::new("t").unwrap());
        cfg.org_id = Some("ORG".into());
        cfg.page_size = Some(10);
        cfg.phone_numbers = None;
        cfg.extra_query = vec![(lookup.name_param.to_string(), "Ana".to_string())];
        let client = ApiClient::new(cfg).unwrap();
        let page = client.fetch::<Owner>(&client.page_url(0)).await;
        page.unwrap_or_else(|err| panic!("{}: {err}", lookup.command));
        let requests = server.received_requests().await.unwrap();
        assert_eq!(requests.len(), n + 1, "{}: one request each", lookup.command);
        let got = &requests[n].url;
        let path = format!("/{}", lookup.endpoint.path);
        assert_eq!(got.path(), format!("/v1{path}"), "{}", lookup.command);
        let query: BTreeSet<String> = got.query_pairs().map(|(k, _)| k.into_owned()).collect();
        for sent in [lookup.name_param, "locationId", "orgId", "max"] {
            assert!(query.contains(sent), "{}: {sent} was not sent: {query:?}", lookup.command);
        }
        let spec_query = paths[&path].get("query").cloned().unwrap_or_default();
        assert!(query.is_subset(&spec_query), "{}: {query:?} not all in {spec_query:?}", lookup.command);
    }
}
