//! Which list `--for` asks for, and what the flags give it: the IDs it needs or takes and its
//! own query parameters. A flag the list does not take is an error, not silently dropped.

use crate::cli::Cli;
use crate::error::Error;
use crate::webex::{ENDPOINTS, Endpoint, Ids, PathId, endpoint};

/// The list asked for, with what the flags give it (the location is decided later).
#[derive(Debug)]
pub struct ListChoice {
    pub endpoint: &'static Endpoint,
    /// The person, workspace or virtual line; never the location.
    pub ids: Ids,
    /// The list's own query parameters, by API name.
    pub extra_query: Vec<(String, String)>,
}

/// How the list uses a location.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocationUse {
    /// In its path: one is needed (given, chosen, or the only one).
    Needed,
    /// As the `locationId` query parameter: without one, the whole organization.
    Optional,
    /// Not at all.
    None,
}

impl ListChoice {
    pub fn location_use(&self) -> LocationUse {
        if self.endpoint.path_id == Some(PathId::Location) {
            LocationUse::Needed
        } else if self.endpoint.takes(PathId::Location) {
            LocationUse::Optional
        } else {
            LocationUse::None
        }
    }
}

impl ListChoice {
    /// Whose numbers these are, for the picker's header: the location's ID (when its name is not
    /// known), the person, workspace or virtual line, or the whole organization.
    pub fn place(&self, location_id: Option<&str>) -> String {
        let mut parts = Vec::new();
        match location_id {
            Some(id) => parts.push(format!("location {id}")),
            None if self.location_use() == LocationUse::Optional => parts.push("all locations".to_string()),
            None => {}
        }
        for which in [PathId::Person, PathId::Workspace, PathId::VirtualLine] {
            if let Some(id) = self.ids.get(which) {
                parts.push(format!("{} {id}", which.noun()));
            }
        }
        parts.join(" · ")
    }
}

/// A list's own query parameters and their flags (the IDs' flags are [`PathId::flag`]).
const OWN_FLAGS: [(&str, &str); 8] = [
    ("ownerName", "--owner-name"),
    ("extension", "--extension"),
    ("licenseType", "--license-type"),
    ("available", "--available"),
    ("state", "--state"),
    ("ownerType", "--owner-type"),
    ("numberType", "--number-type"),
    ("tollFreeNumbers", "--toll-free"),
];

/// The flag of one of a list's own query parameters.
fn flag_of(api_name: &str) -> &'static str {
    OWN_FLAGS.iter().find(|(name, _)| *name == api_name).map_or("", |(_, flag)| flag)
}

/// What the flag of query parameter `name` gives: `None` when it was not given, `Some(None)` when
/// it was given but asks for the API's default (`--number-type both`).
fn flag_value(cli: &Cli, name: &str) -> Option<Option<String>> {
    let given = |v: Option<String>| v.map(Some);
    match name {
        "ownerName" => given(cli.owner_name.clone()),
        "extension" => given(cli.extension.clone()),
        "licenseType" => given(cli.license_type.map(|l| l.api_value().to_string())),
        "available" => given(cli.available.then(|| "true".to_string())),
        "state" => given(cli.state.and_then(|s| s.api_value()).map(str::to_string)),
        "ownerType" => {
            given(cli.owner_type.as_deref().and_then(crate::numbers::owner_type::query_value).map(str::to_string))
        }
        "numberType" => cli.number_type.map(|t| t.api_value().map(str::to_string)),
        "tollFreeNumbers" => given(cli.toll_free.then(|| "true".to_string())),
        _ => None,
    }
}

/// The inventory's rules for its parameters (the API's description gives them): `numberType`
/// goes with neither `available` nor `state`, and `available` not with `ownerType`. A `--state`
/// beside a `--number-type` is not sent: it filters here, as on every list.
fn inventory_rules(query: &mut Vec<(String, String)>) -> Result<(), Error> {
    let has = |q: &[(String, String)], name: &str| q.iter().any(|(k, _)| k == name);
    if has(query, "available") && has(query, "numberType") {
        return Err(Error::Usage(
            "--available goes without --number-type: the API takes numberType only without available".into(),
        ));
    }
    if has(query, "available") && has(query, "ownerType") {
        return Err(Error::Usage(
            "--available goes without --owner-type: unassigned numbers have no owner, and the API takes ownerType only without available".into(),
        ));
    }
    if has(query, "numberType") {
        query.retain(|(k, _)| k != "state");
    }
    Ok(())
}

/// Reads `--for` and the flags that go with it.
pub fn choose(cli: &Cli) -> Result<ListChoice, Error> {
    let e = endpoint::by_kind(&cli.list)
        .ok_or_else(|| Error::Usage(format!("--for {:?} is not a list: `wxpick --for list` shows them", cli.list)))?;
    let named = format!("--for {} ({})", e.kind, e.title);
    let not_taken =
        |flag: &str| Error::Usage(format!("{named} takes no {flag}: `wxpick --for list` shows which lists take it"));
    let mut ids = Ids::default();
    // In the picker, an owner the list needs and was not given is chosen there.
    let interactive = cli.filter.is_none() && !cli.select_1 && !cli.exit_0;
    for which in [PathId::Person, PathId::Workspace, PathId::VirtualLine] {
        let given = match which {
            PathId::Person => &cli.person,
            PathId::Workspace => &cli.workspace,
            _ => &cli.virtual_line,
        };
        let given = given.as_deref().map(str::trim);
        // The demo server has one of each: a list of it can be tried in scripts without knowing
        // its ID (the picker lists them all).
        let given = given
            .or_else(|| (cli.demo && !interactive && e.path_id == Some(which)).then(|| demo_default(which)).flatten());
        match given {
            Some("") => return Err(Error::Usage(format!("{} is empty: give the {}'s ID", which.flag(), which.noun()))),
            Some(_) if !e.takes(which) => return Err(not_taken(which.flag())),
            Some(id) => match which {
                PathId::Person => ids.person = Some(id.to_string()),
                PathId::Workspace => ids.workspace = Some(id.to_string()),
                _ => ids.virtual_line = Some(id.to_string()),
            },
            None if e.path_id == Some(which) && !interactive => {
                return Err(Error::Usage(format!("{named} needs {} ID", which.flag())));
            }
            None => {}
        }
    }
    // The lists of an owner take a location too: where the owner is looked for (by name, or in
    // the picker).
    let owners_at = e.path_id.is_some_and(|p| crate::webex::owners::lookup_for(p).is_some());
    if cli.location.is_some() && !cli.location_from_env && !e.takes(PathId::Location) && !owners_at {
        return Err(not_taken("--location"));
    }
    for (name, flag) in OWN_FLAGS {
        // `--state` filters every list here; only the lists that take it ask the API too.
        if name != "state" && flag_value(cli, name).is_some() && !e.extra_query.contains(&name) {
            return Err(not_taken(flag));
        }
    }
    // In the row's order, as the API's description lists them.
    let mut extra_query: Vec<(String, String)> =
        e.extra_query.iter().filter_map(|name| Some((name.to_string(), flag_value(cli, name)??))).collect();
    inventory_rules(&mut extra_query)?;
    Ok(ListChoice { endpoint: e, ids, extra_query })
}

#[cfg(feature = "demo")]
fn demo_default(which: PathId) -> Option<&'static str> {
    Some(crate::demo::demo_id(which))
}

#[cfg(not(feature = "demo"))]
fn demo_default(_: PathId) -> Option<&'static str> {
    None
}

/// `wxpick --for list`: every KIND, what it lists and the flag it needs, in at most 80 columns
/// (the flags it also takes, its request, query parameters and scope are in [`kinds_json`]).
pub fn kinds_table() -> String {
    let rows: Vec<[String; 3]> = ENDPOINTS
        .iter()
        .map(|e| {
            let needs = match e.path_id {
                Some(PathId::Location) => "--location ID|NAME".to_string(),
                Some(p) => format!("{} ID", p.flag()),
                None => "-".into(),
            };
            [e.kind.to_string(), e.title.to_string(), needs]
        })
        .collect();
    let head = ["KIND", "LIST", "NEEDS"].map(String::from);
    let mut widths = [0usize; 2];
    for r in std::iter::once(&head).chain(&rows) {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    for r in std::iter::once(&head).chain(&rows) {
        for (w, cell) in widths.iter().zip(r) {
            out.push_str(&format!("{cell:<w$}  "));
        }
        out.push_str(&r[2]);
        out.push('\n');
    }
    out
}

/// The flags a list takes besides the one it needs (`--owner-name`, `--location` on the lists
/// of a new person ...).
fn takes(e: &crate::webex::Endpoint) -> Vec<&'static str> {
    e.query_ids.iter().map(|p| p.flag()).chain(e.extra_query.iter().map(|q| flag_of(q))).collect()
}

/// `wxpick --for list --output json`: one object a line with everything the table leaves out:
/// the flags each list takes, its request, its query parameters and the scope it needs.
pub fn kinds_json() -> String {
    let mut out = String::new();
    for e in ENDPOINTS {
        let row = serde_json::json!({
            "kind": e.kind,
            "list": e.title,
            "needs": e.path_id.map(|p| p.flag()),
            "takes": takes(e),
            "method": "GET",
            "path": format!("/{}", e.path),
            "query": e.query_params(),
            "scope": e.scope,
        });
        out.push_str(&row.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let mut argv = vec!["wxpick".into()];
        argv.extend(args.iter().map(|a| a.into()));
        crate::cli::parse(argv).unwrap().unwrap()
    }

    fn usage(args: &[&str]) -> String {
        match choose(&cli(args)) {
            Err(Error::Usage(m)) => m,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn the_default_is_the_queue_list() {
        let c = choose(&cli(&[])).unwrap();
        assert_eq!(c.endpoint.kind, "queue");
        assert_eq!(c.location_use(), LocationUse::Needed);
        assert!(c.extra_query.is_empty());
    }

    #[test]
    fn a_missing_id_names_its_flag() {
        let m = usage(&["--for", "person-forward", "--filter", ""]);
        assert!(m.contains("--person ID") && m.contains("person-forward"), "{m}");
        // The picker lists them to choose from.
        assert!(choose(&cli(&["--for", "person-forward"])).unwrap().ids.person.is_none());
        let m = usage(&["--for", "virtual-line-fax", "--select-1"]);
        assert!(m.contains("--virtual-line ID"), "{m}");
    }

    #[test]
    fn an_id_or_parameter_the_list_does_not_take_is_refused() {
        assert!(usage(&["--person", "P"]).contains("takes no --person"));
        assert!(usage(&["--for", "person-fax", "--person", "P", "--workspace", "W"]).contains("takes no --workspace"));
        assert!(usage(&["--for", "location-caller-id", "--person", "P", "--workspace", "W"]).contains("--workspace"));
        // Where the owner is looked for.
        assert!(choose(&cli(&["--for", "person-fax", "--person", "P", "--location", "L"])).is_ok());
        assert!(usage(&["--owner-name", "smith"]).contains("takes no --owner-name"));
        assert!(
            usage(&["--for", "person-ecbn", "--person", "P", "--extension", "12"]).contains("takes no --extension")
        );
        assert!(usage(&["--for", "workspace-primary", "--license-type", "standard"]).contains("--license-type"));
        assert!(usage(&["--for", "person-fax", "--person", " "]).contains("--person is empty"));
        for flag in [&["--available"][..], &["--owner-type", "person"], &["--number-type", "both"], &["--toll-free"]] {
            let m = usage(&[&["--for", "queue-forward"][..], flag].concat());
            assert!(m.contains(&format!("takes no {}", flag[0])) && !m.contains('\n'), "{m}");
        }
    }

    #[test]
    fn the_inventory_flags_become_its_parameters_in_the_apis_order() {
        let c = choose(&cli(&[
            "--for",
            "numbers",
            "--toll-free",
            "--owner-type",
            "HUNT_GROUP",
            "--state",
            "inactive",
            "--extension",
            "12",
            "--owner-name",
            "Ava",
        ]))
        .unwrap();
        let q: Vec<(&str, &str)> = c.extra_query.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            q,
            [
                ("state", "INACTIVE"),
                ("ownerName", "Ava"),
                ("ownerType", "HUNT_GROUP"),
                ("extension", "12"),
                ("tollFreeNumbers", "true")
            ]
        );
        assert_eq!(c.location_use(), LocationUse::Optional);
        assert_eq!(c.place(None), "all locations");
        let c = choose(&cli(&["--for", "numbers", "--available", "--owner-type", "person"]));
        assert!(matches!(c, Err(Error::Usage(m)) if m.contains("--owner-type")));
        let c = choose(&cli(&["--for", "numbers", "--available", "--number-type", "extension"]));
        assert!(matches!(c, Err(Error::Usage(m)) if m.contains("--number-type")));
        // Both is the API's default: nothing is sent, and it goes with anything.
        let c = choose(&cli(&["--for", "numbers", "--available", "--number-type", "BOTH"])).unwrap();
        assert_eq!(c.extra_query, [("available".to_string(), "true".to_string())]);
        // A state beside a number type filters here only (the API takes them only apart).
        let c = choose(&cli(&["--for", "numbers", "--state", "active", "--number-type", "number"])).unwrap();
        assert_eq!(c.extra_query, [("numberType".to_string(), "NUMBER".to_string())]);
        // --state stays a filter of every list, sent to none of the others.
        let c = choose(&cli(&["--state", "active"])).unwrap();
        assert!(c.extra_query.is_empty());
    }

    #[test]
    fn the_flags_a_list_takes_become_its_parameters() {
        let c = choose(&cli(&["--for", "queue-forward", "--owner-name", "Smith", "--extension", "1234"])).unwrap();
        assert_eq!(c.extra_query, [("ownerName".into(), "Smith".into()), ("extension".into(), "1234".into())]);
        let c = choose(&cli(&["--for", "person-primary", "--license-type", "professional"])).unwrap();
        assert_eq!(c.extra_query, [("licenseType".into(), "Webex Calling Professional".into())]);
        assert_eq!(c.location_use(), LocationUse::Optional);
        let c = choose(&cli(&["--for", "location-caller-id", "--person", "P"])).unwrap();
        assert_eq!(c.ids.person.as_deref(), Some("P"));
        let c = choose(&cli(&["--for", "workspace-secondary", "--workspace", "W"])).unwrap();
        assert_eq!((c.ids.workspace.as_deref(), c.location_use()), (Some("W"), LocationUse::None));
    }

    #[test]
    fn the_readme_lists_every_kind() {
        let readme = include_str!("../../README.md");
        for e in ENDPOINTS {
            let row = format!("| `{}` | {} |", e.kind, e.title);
            assert!(readme.contains(&row), "README.md has no row {row}");
        }
    }

    #[test]
    fn the_table_has_every_kind_once() {
        let t = kinds_table();
        assert_eq!(t.lines().count(), ENDPOINTS.len() + 1);
        for e in ENDPOINTS {
            assert_eq!(t.lines().filter(|l| l.split_whitespace().next() == Some(e.kind)).count(), 1, "{}", e.kind);
        }
        assert!(t.contains("person-forward") && t.contains("--person ID"));
        let widest = t.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(widest <= 80, "{widest} columns:\n{t}");
    }

    #[test]
    fn the_json_carries_every_kind_with_its_request() {
        let rows: Vec<serde_json::Value> = kinds_json().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(rows.len(), ENDPOINTS.len());
        let fwd = rows.iter().find(|r| r["kind"] == "person-forward").unwrap();
        assert_eq!(fwd["needs"], "--person");
        assert_eq!(fwd["takes"], serde_json::json!(["--owner-name", "--extension"]));
        assert!(fwd["path"].as_str().unwrap().contains("/people/{personId}/callForwarding/"));
        assert!(fwd["query"].as_array().unwrap().contains(&serde_json::json!("ownerName")));
        let new_person = rows.iter().find(|r| r["kind"] == "person-primary").unwrap();
        assert_eq!(new_person["needs"], serde_json::Value::Null);
        assert_eq!(new_person["takes"], serde_json::json!(["--location", "--license-type"]));
    }
}
