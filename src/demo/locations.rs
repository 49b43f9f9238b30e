//! The demo server's locations: a few dozen in the six demo countries, answered like
//! `GET /telephony/config/locations` (the `name` filter, `start`, `max`, pages of
//! [`LOCATION_PAGE_CAP`] with a `Link` to the next), and the numbers each one serves: the demo
//! location all of them, the others a slice of their country's demo numbers, or none.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{DEMO_LOCATION, Served};
use crate::numbers::record::NumberRecord;

/// The most locations on one page.
pub const LOCATION_PAGE_CAP: usize = 10;
/// The demo location's name.
pub const DEMO_LOCATION_NAME: &str = "Birmingham HQ";

/// One demo location: name, street, city, country, and calling line number (for those that
/// offer numbers; which they offer is [`AREAS`]).
struct Site {
    name: &'static str,
    street: &'static str,
    city: &'static str,
    country: &'static str,
    calling_line: Option<&'static str>,
}

const fn site(name: &'static str, street: &'static str, city: &'static str, country: &'static str) -> Site {
    Site { name, street, city, country, calling_line: None }
}

const fn serving(s: Site, calling_line: &'static str) -> Site {
    Site { calling_line: Some(calling_line), ..s }
}

/// Every demo location but the demo location itself (first in the list, see [`locations`]).
const SITES: &[Site] = &[
    serving(site("Birmingham Data Center", "2100 Data Way", "Birmingham", "US"), "+12056350006"),
    serving(site("Chicago Loop", "233 S Wacker Dr", "Chicago", "US"), "+13125550100"),
    serving(site("Chicago O'Hare Office", "10255 W Higgins Rd", "Rosemont", "US"), "+18475550100"),
    site("New York Midtown", "1 Bryant Park", "New York", "US"),
    serving(site("San José Lab", "170 W Tasman Dr", "San José", "US"), "+14085550100"),
    site("Austin", "500 W 2nd St", "Austin", "US"),
    serving(site("Toronto King Street", "100 King St W", "Toronto", "CA"), "+14165550100"),
    serving(site("Montréal", "1000 Rue De La Gauchetière", "Montréal", "CA"), "+15145550100"),
    site("Québec", "900 Boulevard René-Lévesque", "Québec", "CA"),
    site("Vancouver", "1055 W Georgia St", "Vancouver", "CA"),
    serving(site("London Canary Wharf", "1 Canada Square", "London", "GB"), "+442079460100"),
    serving(site("London Soho", "20 Soho Square", "London", "GB"), "+442079460203"),
    serving(site("Manchester", "1 Spinningfields", "Manchester", "GB"), "+441614960100"),
    site("Edinburgh", "1 Princes St", "Edinburgh", "GB"),
    serving(site("Berlin", "Unter den Linden 1", "Berlin", "DE"), "+493023125000"),
    serving(site("Berlin Adlershof", "Rudower Chaussee 17", "Berlin", "DE"), "+493023125003"),
    serving(site("Köln", "Domkloster 4", "Köln", "DE"), "+492214710100"),
    site("München", "Marienplatz 8", "München", "DE"),
    site("Düsseldorf", "Königsallee 1", "Düsseldorf", "DE"),
    serving(site("Paris La Défense", "1 Parvis de la Défense", "Puteaux", "FR"), "+33199000100"),
    serving(site("Paris Opéra", "8 Rue Scribe", "Paris", "FR"), "+33199000101"),
    site("Lyon Part-Dieu", "17 Rue du Docteur Bouchut", "Lyon", "FR"),
    site("Besançon", "2 Rue Mégevand", "Besançon", "FR"),
    serving(site("Sydney", "1 Macquarie Pl", "Sydney", "AU"), "+61255500100"),
    site("Melbourne", "120 Collins St", "Melbourne", "AU"),
    site("Brisbane", "480 Queen St", "Brisbane", "AU"),
];

/// Which location offers which numbers: every number starting with a prefix belongs to one of
/// its locations, dealt out by the number's last four digits (a location named twice gets twice
/// the share). Each location has numbers of its own country and area only; the toll-free ranges
/// (no area) belong to each country's head office. A number no row takes (the numbers
/// `--demo-size` adds, `--demo-chaos`'s records) belongs to the demo location.
const AREAS: &[(&str, &[&str])] = &[
    (
        "+1205635",
        &[
            DEMO_LOCATION_NAME,
            DEMO_LOCATION_NAME,
            DEMO_LOCATION_NAME,
            DEMO_LOCATION_NAME,
            DEMO_LOCATION_NAME,
            DEMO_LOCATION_NAME,
            "Birmingham Data Center",
        ],
    ),
    ("+1888", &[DEMO_LOCATION_NAME]),
    ("+1312", &["Chicago Loop"]),
    ("+1847", &["Chicago O'Hare Office"]),
    ("+1408", &["San José Lab"]),
    ("+1416", &["Toronto King Street"]),
    ("+1514", &["Montréal"]),
    ("+4420", &["London Canary Wharf", "London Canary Wharf", "London Canary Wharf", "London Soho"]),
    ("+44808", &["London Canary Wharf"]),
    ("+44161", &["Manchester"]),
    ("+4930", &["Berlin", "Berlin", "Berlin", "Berlin Adlershof"]),
    ("+49221", &["Köln"]),
    ("+3319", &["Paris La Défense", "Paris La Défense", "Paris Opéra"]),
    ("+6125", &["Sydney"]),
];

/// The ID of the `i`-th demo location after the demo location: base64 of a Webex URI.
fn site_id(i: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("ciscospark://us/LOCATION/6a1b{i:04x}-d3c1-4e8a-9f00-0000000{i:05}"))
}

/// Every demo location as the API lists it: `{"id","name","address",...}`, the demo location first.
pub fn locations() -> Vec<serde_json::Value> {
    let mut out = vec![serde_json::json!({
        "id": DEMO_LOCATION,
        "name": DEMO_LOCATION_NAME,
        "timeZone": "America/Chicago",
        "address": {"address1": "1 Demo Plaza", "city": "Birmingham", "state": "AL", "country": "US"},
        "callingLineId": {"name": "Birmingham HQ", "phoneNumber": "+12056350001"},
    })];
    for (i, s) in SITES.iter().enumerate() {
        let mut v = serde_json::json!({
            "id": site_id(i),
            "name": s.name,
            "address": {"address1": s.street, "city": s.city, "country": s.country},
        });
        if let Some(n) = s.calling_line {
            v["callingLineId"] = serde_json::json!({"name": s.name, "phoneNumber": n});
        }
        out.push(v);
    }
    out
}

/// The demo location that offers `number`, as (ID, name).
pub fn location_of(number: &str) -> (String, &'static str) {
    let name = AREAS
        .iter()
        .find(|(prefix, _)| number.starts_with(prefix))
        .map(|(_, names)| {
            let tail = number.get(number.len().saturating_sub(4)..).unwrap_or("");
            let last: usize = tail.parse().unwrap_or(0);
            names[last % names.len()]
        })
        .unwrap_or(DEMO_LOCATION_NAME);
    (location_id(name).expect("every name in AREAS is a location"), name)
}

/// The ID of the demo location named `name`.
fn location_id(name: &str) -> Option<String> {
    if name == DEMO_LOCATION_NAME {
        return Some(DEMO_LOCATION.to_string());
    }
    SITES.iter().position(|s| s.name == name).map(site_id)
}

/// The location a record belongs to: the one it names (the inventory's records), else the one
/// that offers its number.
fn record_location(r: &NumberRecord) -> String {
    match r.location().and_then(|l| l.id.clone()) {
        Some(id) => id,
        None => location_of(&r.phone_number).0,
    }
}

/// Where each record of a list belongs: its indices by location ID. Made once per list, so
/// that a page of a large list is not a pass over all of it to find its location's numbers.
#[derive(Debug, Default)]
pub struct ByLocation(HashMap<String, Vec<u32>>);

impl ByLocation {
    pub fn of(records: &[NumberRecord]) -> Self {
        let mut map: HashMap<String, Vec<u32>> = HashMap::new();
        for (i, r) in records.iter().enumerate() {
            map.entry(record_location(r)).or_default().push(i as u32);
        }
        ByLocation(map)
    }

    /// The numbers a demo location offers, or `None` for a location the demo does not have.
    pub fn numbers_at<'a>(&self, location: &str, records: &'a [NumberRecord]) -> Option<Vec<&'a NumberRecord>> {
        let known = location == DEMO_LOCATION || (0..SITES.len()).any(|i| site_id(i) == location);
        if !known {
            return None;
        }
        Some(self.0.get(location).map_or_else(Vec::new, |at| at.iter().map(|&i| &records[i as usize]).collect()))
    }
}

/// `GET /v1/telephony/config/locations`.
pub(super) async fn list(
    State(s): State<Arc<Served>>,
    Query(q): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    tokio::time::sleep(s.opts.latency).await;
    if let Some(refused) = super::unauthorized(&headers) {
        return refused;
    }
    let window = match super::lookup_window(&q, LOCATION_PAGE_CAP) {
        Ok(window) => window,
        Err(refused) => return *refused,
    };
    let name = q.get("name").map(|n| n.to_lowercase());
    let matching: Vec<serde_json::Value> = locations()
        .into_iter()
        .filter(|l| name.as_ref().is_none_or(|n| l["name"].as_str().unwrap_or("").to_lowercase().contains(n)))
        .collect();
    super::lookup_page(&s.base, "telephony/config/locations", &q, "locations", &matching, window)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webex::locations::{LocationValue, classify, parse_locations};

    #[test]
    fn demo_locations_are_ids_with_names_across_six_countries() {
        let body = serde_json::json!({ "locations": locations() }).to_string();
        let all = parse_locations(body.as_bytes()).unwrap();
        assert!(all.len() >= 24, "a few dozen: {}", all.len());
        assert!(all.iter().all(|l| classify(&l.id) == LocationValue::Id), "every ID reads as one");
        let countries: std::collections::HashSet<_> =
            locations().iter().map(|l| l["address"]["country"].clone()).collect();
        assert_eq!(countries.len(), 6);
        let ids: std::collections::HashSet<_> = all.iter().map(|l| &l.id).collect();
        assert_eq!(ids.len(), all.len(), "distinct IDs");
        let records = crate::demo::demo_records(None);
        let by = ByLocation::of(&records);
        let koln = all.iter().find(|l| l.name == "Köln").unwrap();
        let at_koln = by.numbers_at(&koln.id, &records).unwrap();
        assert!(!at_koln.is_empty() && at_koln.len() < records.len() / 10, "{}", at_koln.len());
        let austin = all.iter().find(|l| l.name == "Austin").unwrap();
        assert_eq!(by.numbers_at(&austin.id, &records).unwrap().len(), 0);
        assert!(by.numbers_at("nope", &records).is_none());
    }

    /// A number belongs to one location, and a location offers numbers of its own country and
    /// area (toll-free numbers, of no area, at the country's head office).
    #[test]
    fn each_number_is_offered_by_one_location_of_its_own_area() {
        let records = crate::demo::demo_records(None);
        let by = ByLocation::of(&records);
        let mut seen = std::collections::HashMap::new();
        for l in locations() {
            let (id, name) = (l["id"].as_str().unwrap(), l["name"].as_str().unwrap().to_string());
            let at = by.numbers_at(id, &records).unwrap();
            let areas: std::collections::HashSet<&str> = at
                .iter()
                .map(|r| AREAS.iter().find(|(p, _)| r.phone_number.starts_with(p)).expect("an area").0)
                .collect();
            let country = l["address"]["country"].as_str().unwrap();
            for area in &areas {
                let code = match country {
                    "US" | "CA" => "+1",
                    "GB" => "+44",
                    "DE" => "+49",
                    "FR" => "+33",
                    _ => "+61",
                };
                assert!(area.starts_with(code), "{name} offers {area}");
            }
            let geographic: Vec<_> = areas.iter().filter(|a| !["+1888", "+44808"].contains(a)).collect();
            assert!(geographic.len() <= 1, "{name}: one area, not {geographic:?}");
            for r in at {
                assert!(seen.insert(r.phone_number.to_string(), name.clone()).is_none(), "{} twice", r.phone_number);
            }
        }
        assert_eq!(seen.len(), records.len(), "every number at a location");
        assert_eq!(seen["+12056350001"], DEMO_LOCATION_NAME);
        assert_eq!(location_of("+12056350001").1, DEMO_LOCATION_NAME);
        assert_eq!(location_of("+33199000001").1, "Paris La Défense");
    }
}
