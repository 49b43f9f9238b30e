//! One page of the locations list: `{"locations":[{"id","name",...}]}`. Only `id` and `name`
//! are needed; `address` and `callingLineId` are read when present, and anything else, or any
//! field of another shape, is ignored. A location without an ID or a name is left out. Names
//! are kept as sent: they are escaped where they are drawn or printed as text, and JSON output
//! escapes them its own way.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A Webex Calling location, as much of it as wxpick shows.
/// Serialized (for `wxpick locations --output json` and the cache) and read back in this form,
/// not the API's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Location {
    pub id: String,
    pub name: String,
    /// The street address on one line (`address1, city, state, country`), when sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The calling line ID's phone number, when sent.
    #[serde(default, rename = "callingLineNumber", skip_serializing_if = "Option::is_none")]
    pub calling_line: Option<String>,
}

impl Location {
    pub fn new(id: &str, name: &str) -> Self {
        Location { id: id.to_string(), name: name.to_string(), address: None, calling_line: None }
    }

    /// The address, else the calling line number: what the picker shows beside the name.
    pub fn detail(&self) -> Option<&str> {
        self.address.as_deref().or(self.calling_line.as_deref())
    }
}

#[derive(Deserialize)]
struct Reply {
    #[serde(default)]
    locations: Option<Vec<Value>>,
}

/// Reads a page. A body that is not an object with a `locations` array is an error.
pub fn parse_locations(body: &[u8]) -> Result<Vec<Location>, String> {
    let reply: Reply = serde_json::from_slice(body).map_err(|e| format!("not a list of locations: {e}"))?;
    let items = reply.locations.ok_or_else(|| "not a list of locations: no \"locations\" array".to_string())?;
    Ok(items.iter().filter_map(location).collect())
}

fn text(v: Option<&Value>) -> Option<&str> {
    v.and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

fn location(v: &Value) -> Option<Location> {
    let id = text(v.get("id"))?;
    let name = text(v.get("name"))?;
    let address = v.get("address").and_then(|a| {
        let parts: Vec<&str> =
            ["address1", "city", "state", "country"].iter().filter_map(|k| text(a.get(*k))).collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    });
    let calling_line = text(v.get("callingLineId").and_then(|c| c.get("phoneNumber"))).map(str::to_string);
    Some(Location { id: id.to_string(), name: name.to_string(), address, calling_line })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_id_and_name_and_ignores_the_rest() {
        let body = br#"{"locations":[
            {"id":"L1","name":"K\u00f6ln","orgId":"O","timeZone":"Europe/Berlin","new":{"x":[1]},
             "address":{"address1":"Domkloster 4","city":"K\u00f6ln","country":"DE","postalCode":50667},
             "callingLineId":{"name":"Koeln","phoneNumber":"+49221555"}},
            {"id":"L2","name":"Paris","address":"not an object","callingLineId":7},
            {"id":"L3"},
            {"name":"no id"},
            {"id":"","name":"empty id"}
        ],"other":true}"#;
        let l = parse_locations(body).unwrap();
        assert_eq!(l.len(), 2, "{l:?}");
        assert_eq!(l[0].name, "Köln");
        assert_eq!(l[0].address.as_deref(), Some("Domkloster 4, Köln, DE"));
        assert_eq!(l[0].calling_line.as_deref(), Some("+49221555"));
        assert_eq!(l[1], Location::new("L2", "Paris"));
        assert!(parse_locations(br#"{"phoneNumbers":[]}"#).is_err());
        assert!(parse_locations(b"[1]").is_err());
        assert_eq!(parse_locations(br#"{"locations":[]}"#).unwrap(), []);
    }

    #[test]
    fn names_are_kept_as_sent() {
        let l = parse_locations(br#"{"locations":[{"id":"L","name":"a\u001b[2Jb\u202e"}]}"#).unwrap();
        assert_eq!(l[0].name, "a\u{1b}[2Jb\u{202e}");
    }
}
