//! The demo server's people, workspaces and virtual lines, answered like `GET /people`,
//! `GET /workspaces` and `GET /telephony/config/virtualLines` with the API's filters
//! (`displayName`: starts with; `email`: exact; `ownerName`: contains; `locationId`), `start`,
//! `max` and a `Link` to the next page. Realistic names: accents, CJK, and a surname (Smith)
//! that several share. The first of each is the demo's own (its ID is [`super::demo_id`]).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{DEMO_LOCATION, Served, demo_id};
use crate::webex::PathId;

/// The most records on one page.
pub const OWNER_PAGE_CAP: usize = 4;

/// People: display name, email, extension.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("Grace Smith", "grace.smith@example.com", "1001"),
    ("John Smith", "john.smith@example.com", "1002"),
    ("Priya Smith", "priya.smith@example.com", "1003"),
    ("Ana Müller", "ana.mueller@example.com", "1004"),
    ("José Álvarez", "jose.alvarez@example.com", "1005"),
    ("Zoë Lefèvre", "zoe.lefevre@example.com", "1006"),
    ("山田 太郎", "taro.yamada@example.com", "1007"),
    ("Nguyễn Văn An", "an.nguyen@example.com", "1008"),
    ("Grace Johnson", "grace.johnson@example.com", "1009"),
];

/// Workspaces: display name.
const WORKSPACES: &[&str] =
    &["Lobby Phone", "Salle Étoile", "会議室 東京", "Warehouse Dock 3", "Kitchen", "Board Room Smith Wing"];

/// Virtual lines: first name, last name, extension.
const VIRTUAL_LINES: &[(&str, &str, &str)] = &[
    ("Front Desk", "Line", "2001"),
    ("Support", "Hotline", "2002"),
    ("Night", "Service", "2003"),
    ("Björk", "Hansen", "2004"),
    ("花子", "佐藤", "2005"),
    ("Sales", "Smith", "2006"),
];

fn id(kind: &str, i: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("ciscospark://us/{kind}/7c0e{i:04x}-a1b2-4c3d-8e9f-0000000{i:05}"))
}

/// The records of one lookup, as the API sends them (the first is the demo's own).
pub fn records(which: PathId) -> Vec<serde_json::Value> {
    match which {
        PathId::Person => PEOPLE
            .iter()
            .enumerate()
            .map(|(i, (name, email, ext))| {
                let pid = if i == 0 { demo_id(which).to_string() } else { id("PEOPLE", i) };
                serde_json::json!({"id": pid, "displayName": name, "emails": [email], "extension": ext,
                    "locationId": DEMO_LOCATION, "type": "person"})
            })
            .collect(),
        PathId::Workspace => WORKSPACES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let wid = if i == 0 { demo_id(which).to_string() } else { id("PLACE", i) };
                serde_json::json!({"id": wid, "displayName": name, "locationId": DEMO_LOCATION, "capacity": 4})
            })
            .collect(),
        PathId::VirtualLine => VIRTUAL_LINES
            .iter()
            .enumerate()
            .map(|(i, (first, last, ext))| {
                let vid = if i == 0 { demo_id(which).to_string() } else { id("VIRTUAL_LINE", i) };
                serde_json::json!({"id": vid, "firstName": first, "lastName": last,
                    "number": {"extension": ext, "primary": true},
                    "location": {"id": DEMO_LOCATION, "name": super::locations::DEMO_LOCATION_NAME}})
            })
            .collect(),
        PathId::Location => Vec::new(),
    }
}

fn name_of(v: &serde_json::Value) -> String {
    match v.get("displayName").and_then(|n| n.as_str()) {
        Some(n) => n.to_string(),
        None => format!("{} {}", v["firstName"].as_str().unwrap_or(""), v["lastName"].as_str().unwrap_or("")),
    }
}

/// Serves one lookup's list (the router's state says which).
pub(super) async fn list(
    State((s, which)): State<(Arc<Served>, PathId)>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    tokio::time::sleep(s.opts.latency).await;
    if let Some(refused) = super::unauthorized(&headers) {
        return refused;
    }
    let window = match super::lookup_window(&q, OWNER_PAGE_CAP) {
        Ok(window) => window,
        Err(refused) => return *refused,
    };
    let lower = |k: &str| q.get(k).map(|v| v.to_lowercase());
    let (starts, email, owner, location) =
        (lower("displayName"), lower("email"), lower("ownerName"), q.get("locationId"));
    let matching: Vec<serde_json::Value> = records(which)
        .into_iter()
        .filter(|v| starts.as_ref().is_none_or(|p| name_of(v).to_lowercase().starts_with(p.as_str())))
        .filter(|v| email.as_ref().is_none_or(|e| v["emails"][0].as_str().is_some_and(|x| x.to_lowercase() == *e)))
        .filter(|v| owner.as_ref().is_none_or(|o| name_of(v).to_lowercase().contains(o.as_str())))
        .filter(|v| {
            location.is_none_or(|l| {
                v["locationId"].as_str().or(v["location"]["id"].as_str()).is_some_and(|x| x == l.as_str())
            })
        })
        .collect();
    let key = if which == PathId::VirtualLine { "virtualLines" } else { "items" };
    let path = match which {
        PathId::Person => "people",
        PathId::Workspace => "workspaces",
        _ => "telephony/config/virtualLines",
    };
    super::lookup_page(&s.base, path, &q, key, &matching, window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webex::owners::parse_owners;

    #[test]
    fn demo_owners_read_back_with_the_demo_ids_first_and_a_shared_surname() {
        for which in [PathId::Person, PathId::Workspace, PathId::VirtualLine] {
            let key = if which == PathId::VirtualLine { "virtualLines" } else { "items" };
            let body = serde_json::json!({ key: records(which) }).to_string();
            let all = parse_owners(body.as_bytes()).unwrap();
            assert_eq!(all.len(), records(which).len());
            assert_eq!(all[0].id, demo_id(which));
            let ids: std::collections::HashSet<_> = all.iter().map(|o| &o.id).collect();
            assert_eq!(ids.len(), all.len());
        }
        let people = records(PathId::Person);
        assert!(people.iter().filter(|p| name_of(p).ends_with("Smith")).count() >= 3);
        assert!(people.iter().any(|p| name_of(p).chars().any(|c| c > '\u{3000}')), "a CJK name");
    }
}
