//! The owners of numbers that wxpick can look up by name: people (`GET /people`), workspaces
//! (`GET /workspaces`) and virtual lines (`GET /telephony/config/virtualLines`). One record for
//! the three ([`Owner`]), read from whichever shape the list sends, and one table ([`LOOKUPS`]):
//! adding a lookup is a row (and its demo data).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::endpoint::{Endpoint, PEOPLE, PathId, VIRTUAL_LINES, WORKSPACES};
use super::error::ApiError;
use super::listed::{Listed, wrong_shape};

/// A person, workspace or virtual line, as much of it as wxpick shows and searches. Names are
/// kept as sent (escaped where drawn). Serialized (for `--output json` and the cache) and read
/// back in this form, not the API's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Owner {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, rename = "locationId", skip_serializing_if = "Option::is_none")]
    pub location_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<String>,
}

impl Owner {
    pub fn new(id: &str, name: &str, email: Option<&str>) -> Self {
        Owner { id: id.into(), name: name.into(), email: email.map(Into::into), location_id: None, extension: None }
    }
}

/// One lookup: which list, which ID it gives, and the API's filters it is searched with.
#[derive(Debug)]
pub struct Lookup {
    /// The listing command: `people`.
    pub command: &'static str,
    /// What one of them is: `person`.
    pub noun: &'static str,
    pub endpoint: &'static Endpoint,
    /// The ID it gives (and the flag that takes it).
    pub id: PathId,
    /// The kinds its IDs decode to (`ciscospark://us/PEOPLE/…`).
    pub id_kinds: &'static [&'static str],
    /// The API's filter by name.
    pub name_param: &'static str,
    /// The API's filter by email, for people.
    pub email_param: Option<&'static str>,
}

pub static PEOPLE_LOOKUP: Lookup = Lookup {
    command: "people",
    noun: "person",
    endpoint: &PEOPLE,
    id: PathId::Person,
    id_kinds: &["PEOPLE"],
    name_param: "displayName",
    email_param: Some("email"),
};

pub static WORKSPACES_LOOKUP: Lookup = Lookup {
    command: "workspaces",
    noun: "workspace",
    endpoint: &WORKSPACES,
    id: PathId::Workspace,
    id_kinds: &["PLACE", "PLACES", "WORKSPACE"],
    name_param: "displayName",
    email_param: None,
};

pub static VIRTUAL_LINES_LOOKUP: Lookup = Lookup {
    command: "virtual-lines",
    noun: "virtual line",
    endpoint: &VIRTUAL_LINES,
    id: PathId::VirtualLine,
    id_kinds: &["VIRTUAL_LINE", "VIRTUAL_PROFILE"],
    name_param: "ownerName",
    email_param: None,
};

/// Every lookup of an owner.
pub static LOOKUPS: &[&Lookup] = &[&PEOPLE_LOOKUP, &WORKSPACES_LOOKUP, &VIRTUAL_LINES_LOOKUP];

/// The lookup that gives this kind of ID.
pub fn lookup_for(id: PathId) -> Option<&'static Lookup> {
    LOOKUPS.iter().copied().find(|l| l.id == id)
}

/// The lookup whose list this is.
pub fn lookup_of(endpoint: &Endpoint) -> Option<&'static Lookup> {
    LOOKUPS.iter().copied().find(|l| std::ptr::eq(l.endpoint, endpoint))
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// One element of `items` (people, workspaces) or `virtualLines`; `None` without an ID or a name.
fn owner(v: &Value) -> Option<Owner> {
    let id = text(v.get("id"))?;
    let joined =
        [text(v.get("firstName")), text(v.get("lastName"))].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let name = text(v.get("displayName")).map(str::to_string).or((!joined.is_empty()).then_some(joined))?;
    let email = v.get("emails").and_then(|e| text(e.get(0))).map(str::to_string);
    let location_id = text(v.get("locationId")).or(text(v.get("location").and_then(|l| l.get("id"))));
    let extension = text(v.get("extension")).or(text(v.get("number").and_then(|n| n.get("extension"))));
    Some(Owner {
        id: id.to_string(),
        name,
        email,
        location_id: location_id.map(str::to_string),
        extension: extension.map(str::to_string),
    })
}

/// Reads a page: an object with an `items` or `virtualLines` array.
pub fn parse_owners(body: &[u8]) -> Result<Vec<Owner>, String> {
    let v: Value = serde_json::from_slice(body).map_err(|e| format!("not a list: {e}"))?;
    let items = ["items", "virtualLines"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_array))
        .ok_or_else(|| "not a list: no \"items\" or \"virtualLines\" array".to_string())?;
    Ok(items.iter().filter_map(owner).collect())
}

impl Listed for Owner {
    const NOUN: &'static str = "owners";

    fn parse_page(body: &[u8], status: u16, tracking_id: Option<String>) -> Result<Vec<Self>, ApiError> {
        parse_owners(body).map_err(|detail| wrong_shape(status, detail, tracking_id))
    }

    fn identity(&self) -> &str {
        &self.id
    }
}

#[derive(Deserialize)]
struct Kept {
    items: Vec<Owner>,
}

impl crate::cache::Item for Owner {
    const FIELD: &'static str = "items";
    fn parse(body: &[u8]) -> Result<Vec<Self>, String> {
        serde_json::from_slice::<Kept>(body).map(|k| k.items).map_err(|e| e.to_string())
    }
}

impl crate::location_search::Named for Owner {
    fn name(&self) -> &str {
        &self.name
    }
    fn email(&self) -> Option<&str> {
        self.email.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_workspaces_and_virtual_lines_read_as_owners() {
        let people = br#"{"items":[{"id":"P1","emails":["ana@example.com"],"displayName":"Ana Mu\u00f1oz",
            "locationId":"L1","extension":"133","new":[1]},{"id":"P2"},{"displayName":"no id"}]}"#;
        let p = parse_owners(people).unwrap();
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].name.as_str(), p[0].email.as_deref()), ("Ana Muñoz", Some("ana@example.com")));
        assert_eq!((p[0].location_id.as_deref(), p[0].extension.as_deref()), (Some("L1"), Some("133")));
        let lines = br#"{"virtualLines":[{"id":"V1","firstName":"Bob","lastName":"Smith",
            "number":{"extension":"6103"},"location":{"id":"L2","name":"Denver"}}]}"#;
        let v = parse_owners(lines).unwrap();
        assert_eq!(
            (v[0].name.as_str(), v[0].extension.as_deref(), v[0].location_id.as_deref()),
            ("Bob Smith", Some("6103"), Some("L2"))
        );
        assert!(parse_owners(br#"{"locations":[]}"#).is_err());
        assert!(parse_owners(b"[]").is_err());
    }

    #[test]
    fn every_lookup_names_its_list_and_scope() {
        for l in LOOKUPS {
            assert_eq!(lookup_for(l.id).map(|x| x.command), Some(l.command));
            assert_eq!(lookup_of(l.endpoint).map(|x| x.command), Some(l.command));
            assert!(l.endpoint.extra_query.contains(&l.name_param), "{}", l.command);
        }
        assert_eq!(PEOPLE.scope, "spark-admin:people_read");
        assert_eq!(WORKSPACES.scope, "spark-admin:workspaces_read");
    }
}
