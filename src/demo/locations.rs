//! The demo server's locations: a few dozen in the six demo countries, answered like
//! `GET /telephony/config/locations` (the `name` filter, `start`, `max`, pages of
//! [`LOCATION_PAGE_CAP`] with a `Link` to the next), and the numbers each one serves: the demo
//! location all of them, the others a slice of their country's demo numbers, or none.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{DEMO_LOCATION, Served, webex_error};
use crate::numbers::record::NumberRecord;

/// The most locations on one page.
pub const LOCATION_PAGE_CAP: usize = 10;
/// The demo location's name.
pub const DEMO_LOCATION_NAME: &str = "Birmingham HQ";

/// One demo location: name, street, city, country, calling line number, and the numbers it
/// serves: those starting with `prefix`, every `every`-th of them (`every` 0: none).
struct Site {
    name: &'static str,
    street: &'static str,
    city: &'static str,
    country: &'static str,
    calling_line: Option<&'static str>,
    prefix: &'static str,
    every: usize,
}

const fn site(name: &'static str, street: &'static str, city: &'static str, country: &'static str) -> Site {
    Site { name, street, city, country, calling_line: None, prefix: "", every: 0 }
}

const fn serving(s: Site, prefix: &'static str, every: usize, calling_line: &'static str) -> Site {
    Site { prefix, every, calling_line: Some(calling_line), ..s }
}

/// Every demo location but the demo location itself (first in the list, see [`locations`]).
const SITES: &[Site] = &[
    serving(site("Birmingham Data Center", "2100 Data Way", "Birmingham", "US"), "+1205", 7, "+12056350007"),
    serving(site("Chicago Loop", "233 S Wacker Dr", "Chicago", "US"), "+1312", 1, "+13125550100"),
    serving(site("Chicago O'Hare Office", "10255 W Higgins Rd", "Rosemont", "US"), "+1312", 3, "+13125550199"),
    site("New York Midtown", "1 Bryant Park", "New York", "US"),
    serving(site("San José Lab", "170 W Tasman Dr", "San José", "US"), "+1888", 2, "+18885550100"),
    site("Austin", "500 W 2nd St", "Austin", "US"),
    serving(site("Toronto King Street", "100 King St W", "Toronto", "CA"), "+1416", 1, "+14165550100"),
    serving(site("Montréal", "1000 Rue De La Gauchetière", "Montréal", "CA"), "+1416", 5, "+14165550150"),
    site("Québec", "900 Boulevard René-Lévesque", "Québec", "CA"),
    site("Vancouver", "1055 W Georgia St", "Vancouver", "CA"),
    serving(site("London Canary Wharf", "1 Canada Square", "London", "GB"), "+4420", 1, "+442079460100"),
    serving(site("London Soho", "20 Soho Square", "London", "GB"), "+4420", 4, "+442079460200"),
    serving(site("Manchester", "1 Spinningfields", "Manchester", "GB"), "+4480", 1, "+448005550100"),
    site("Edinburgh", "1 Princes St", "Edinburgh", "GB"),
    serving(site("Berlin", "Unter den Linden 1", "Berlin", "DE"), "+4930", 1, "+49305550100"),
    serving(site("Berlin Adlershof", "Rudower Chaussee 17", "Berlin", "DE"), "+4930", 5, "+49305550200"),
    serving(site("Köln", "Domkloster 4", "Köln", "DE"), "+4930", 6, "+49305550300"),
    site("München", "Marienplatz 8", "München", "DE"),
    site("Düsseldorf", "Königsallee 1", "Düsseldorf", "DE"),
    serving(site("Paris La Défense", "1 Parvis de la Défense", "Puteaux", "FR"), "+3319", 1, "+33199550100"),
    serving(site("Paris Opéra", "8 Rue Scribe", "Paris", "FR"), "+3319", 3, "+33199550200"),
    site("Lyon Part-Dieu", "17 Rue du Docteur Bouchut", "Lyon", "FR"),
    site("Besançon", "2 Rue Mégevand", "Besançon", "FR"),
    serving(site("Sydney", "1 Macquarie Pl", "Sydney", "AU"), "+6125", 1, "+61255500100"),
    site("Melbourne", "120 Collins St", "Melbourne", "AU"),
    site("Brisbane", "480 Queen St", "Brisbane", "AU"),
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

/// The numbers a demo location serves, or `None` for a location the demo does not have.
pub fn numbers_at<'a>(location: &str, records: &'a [NumberRecord]) -> Option<Vec<&'a NumberRecord>> {
    if location == DEMO_LOCATION {
        return Some(records.iter().collect());
    }
    let (_, s) = SITES.iter().enumerate().find(|(i, _)| site_id(*i) == location)?;
    if s.every == 0 {
        return Some(Vec::new());
    }
    Some(records.iter().filter(|r| r.phone_number.starts_with(s.prefix)).step_by(s.every).collect())
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
    let number = |k: &str| q.get(k).map(|v| v.parse::<usize>());
    let (max, start) = match (number("max").unwrap_or(Ok(100)), number("start").unwrap_or(Ok(0))) {
        (Ok(m), Ok(s)) if m > 0 => (m.min(LOCATION_PAGE_CAP), s),
        _ => return webex_error(StatusCode::BAD_REQUEST, "Invalid max or start."),
    };
    let name = q.get("name").map(|n| n.to_lowercase());
    let matching: Vec<serde_json::Value> = locations()
        .into_iter()
        .filter(|l| name.as_ref().is_none_or(|n| l["name"].as_str().unwrap_or("").to_lowercase().contains(n)))
        .collect();
    let page: Vec<&serde_json::Value> = matching.iter().skip(start).take(max).collect();
    let body = serde_json::json!({ "locations": page }).to_string();
    let mut resp = (StatusCode::OK, [("content-type", "application/json")], body).into_response();
    let next = start + page.len();
    if !page.is_empty() && next < matching.len() {
        let mut url = s.base.clone();
        url.path_segments_mut().expect("base URL").extend(["telephony", "config", "locations"]);
        super::link_next(&mut resp, url, &q, next);
    }
    resp.headers_mut().insert("trackingid", HeaderValue::from_static("WXPICK_DEMO"));
    resp
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
        assert_eq!(numbers_at(DEMO_LOCATION, &records).unwrap().len(), records.len());
        let koln = all.iter().find(|l| l.name == "Köln").unwrap();
        let at_koln = numbers_at(&koln.id, &records).unwrap();
        assert!(!at_koln.is_empty() && at_koln.len() < records.len() / 10, "{}", at_koln.len());
        let austin = all.iter().find(|l| l.name == "Austin").unwrap();
        assert_eq!(numbers_at(&austin.id, &records).unwrap().len(), 0);
        assert!(numbers_at("nope", &records).is_none());
    }
}
