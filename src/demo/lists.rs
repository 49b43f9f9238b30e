//! What each demo list holds: the queue list is the demo data itself (the free numbers); every
//! other list a slice of it of its own, and mobile numbers where the list may hold them. The lists
//! with owners (those that take `ownerName`) add the numbers already assigned, with their owners
//! (and extensions where the API's list has them). The number inventory holds both: every free
//! number unassigned and every assigned number with its owner and extension, each at its location.

use serde_json::{Map, Value};

use super::locations::location_of;
use super::{DemoOptions, org_records, served_records};
use crate::numbers::record::{NumberLocation, NumberRecord, Owner, State, TelephonyType};
use crate::webex::{ENDPOINTS, Endpoint, endpoint::INVENTORY, endpoint::QUEUE};

const FIRST: &[&str] = &[
    "Ava", "Noah", "Mia", "Liam", "Zoë", "Jonas", "Amélie", "Oliver", "Chloé", "Mateo", "Hannah", "Lukas", "Isla",
    "Arjun", "Sofía", "Kenji", "Grace", "Émile", "Priya", "Finn",
];
const LAST: &[&str] = &[
    "Smith", "Müller", "Dubois", "Johnson", "Nguyen", "Schmidt", "Martin", "Brown", "García", "Wilson", "Fischer",
    "Bernard", "Taylor", "O'Brien", "Kowalski", "Lee", "Novak", "Rossi", "Okafor",
];
/// Features that own numbers, with their display names.
const FEATURES: &[(&str, &str)] = &[
    ("HUNT_GROUP", "Sales Hunt Group"),
    ("CALL_QUEUE", "Support Queue"),
    ("AUTO_ATTENDANT", "Main Auto Attendant"),
    ("GROUP_PAGING", "Warehouse Paging"),
    ("VOICEMAIL_GROUP", "Billing Voicemail"),
];

/// The records of `endpoint`'s demo list.
pub fn records(endpoint: &Endpoint, opts: &DemoOptions) -> Vec<NumberRecord> {
    if std::ptr::eq(endpoint, &INVENTORY) {
        return inventory(opts);
    }
    let all = served_records(opts);
    if std::ptr::eq(endpoint, &QUEUE) {
        return all;
    }
    let k = ENDPOINTS.iter().position(|e| std::ptr::eq(*e, endpoint)).unwrap_or(0);
    let owners = endpoint.extra_query.contains(&"ownerName");
    let extensions = endpoint.extra_query.contains(&"extension");
    // Emergency callback numbers belong to people, workspaces and virtual lines only.
    let features = extensions;
    let mobile = endpoint.kind == "person-primary" || endpoint.kind == "location-webex-go";
    let mut out: Vec<NumberRecord> = all
        .into_iter()
        .enumerate()
        .filter(|(i, _)| (i * 5 + k * 3) % 7 > 1)
        .map(|(i, mut rec)| {
            if mobile && i % 4 == 0 {
                rec.telephony_type = TelephonyType::Mobile;
                let mut extra = Map::new();
                extra.insert("includedTelephonyTypes".into(), Value::from("MOBILE_NUMBER"));
                extra.insert("mobileNetwork".into(), Value::from("Demo Mobile"));
                extra.insert("routingProfile".into(), Value::from("DemoRtPf"));
                rec.extra_mut().extend(extra);
            }
            rec
        })
        .collect();
    if owners {
        // The numbers already assigned, as every list with owners shows them: the same owner in
        // each (and in the inventory).
        for (owner, extension, mut rec) in assigned() {
            if !features && !is_owner_of_a_line(&owner) {
                continue;
            }
            rec.set_owner(Some(owner));
            if extensions {
                rec.set_extension(Some(&extension));
            }
            out.push(rec);
        }
        out.sort_by(|a, b| a.phone_number.cmp(&b.phone_number));
    }
    out
}

/// Whether an owner is a person, a workspace or a virtual line (not a feature).
fn is_owner_of_a_line(owner: &Owner) -> bool {
    matches!(owner.owner_type.as_deref(), Some("PEOPLE" | "PLACE" | "VIRTUAL_LINE"))
}

/// The numbers already assigned: those the ranges of the demo data skip (a gap of one to three
/// between two free numbers of one location), each with its owner and its extension (its last
/// four digits), active, in the order of the numbers.
pub fn assigned() -> Vec<(Owner, String, NumberRecord)> {
    let mut free: Vec<(u64, usize, String)> = org_records()
        .iter()
        .filter_map(|r| {
            Some((r.phone_number.get(1..)?.parse().ok()?, r.phone_number.len(), location_of(&r.phone_number).0))
        })
        .collect();
    free.sort();
    let mut out = Vec::new();
    for pair in free.windows(2) {
        let ((a, len_a, loc_a), (b, len_b, loc_b)) = (&pair[0], &pair[1]);
        if len_a != len_b || loc_a != loc_b || !(2..=4).contains(&(b - a)) {
            continue;
        }
        for n in a + 1..*b {
            let number = format!("+{n}");
            if location_of(&number).0 != *loc_a {
                continue;
            }
            let i = out.len();
            let extension = number[number.len() - 4..].to_string();
            out.push((owner(i, true), extension, NumberRecord::new(&number, State::Active, false, false, false)));
        }
    }
    out
}

/// The organization's number inventory: every free number (of every location, the demo location's
/// cut or extended to `--demo-size`) unassigned, and every assigned one with its owner and
/// extension, each with its location, as `GET /telephony/config/numbers` sends them, in the order
/// of the numbers.
fn inventory(opts: &DemoOptions) -> Vec<NumberRecord> {
    let free = served_records(opts).into_iter().map(|r| (None, r));
    let taken = assigned().into_iter().map(|(owner, ext, r)| (Some((owner, ext)), r));
    let mut out: Vec<NumberRecord> = free.chain(taken).map(|(owner, r)| inventory_record(r, owner)).collect();
    out.extend(extensions_only());
    // In the order of the numbers; the extensions without one last.
    out.sort_by(|a, b| (a.phone_number.is_empty(), &a.phone_number).cmp(&(b.phone_number.is_empty(), &b.phone_number)));
    out
}

/// An owner as the inventory names it: by first and last name (no display name), a workspace or
/// a feature by its name as the first.
fn inventory_owner(owner: Owner) -> Value {
    let mut owner = serde_json::to_value(owner).expect("an owner serializes");
    if let Some(o) = owner.as_object_mut()
        && let Some(name) = o.remove("displayName")
        && !o.contains_key("firstName")
    {
        o.insert("firstName".into(), name);
    }
    owner
}

/// People with an extension and no number, at a few locations: the inventory lists them too
/// (`numberType` `EXTENSION`), as the API description's example does.
fn extensions_only() -> Vec<NumberRecord> {
    // A number of each location, to name it.
    const AT: [&str; 6] =
        ["+12056350001", "+13125550100", "+442079460100", "+493023125000", "+492214710100", "+61255500100"];
    (0..12)
        .map(|k| {
            let (id, name) = location_of(AT[k % AT.len()]);
            let owner = inventory_owner(owner(1000 + k * 5, false));
            let json = serde_json::json!({
                "phoneNumber": null, "extension": format!("8{k:03}"), "mainNumber": false,
                "includedTelephonyTypes": "PSTN_NUMBER", "tollFreeNumber": false, "isServiceNumber": false,
                "location": {"id": id, "name": name}, "owner": owner,
            });
            serde_json::from_value(json).expect("an extension's record reads")
        })
        .collect()
}

/// A record as the inventory sends it: `mainNumber` and `includedTelephonyTypes` (not
/// `isMainNumber` and `telephonyType`), `phoneNumberType`, `location`, and the owner's.
fn inventory_record(rec: NumberRecord, owner: Option<(Owner, String)>) -> NumberRecord {
    let mut json = serde_json::to_value(&rec).expect("a record serializes");
    let Some(fields) = json.as_object_mut() else { return rec };
    if let Some(main) = fields.remove("isMainNumber") {
        fields.insert("mainNumber".into(), main);
    }
    if let Some(kind) = fields.remove("telephonyType") {
        fields.insert("includedTelephonyTypes".into(), kind);
    }
    fields.insert("phoneNumberType".into(), Value::from("PRIMARY"));
    let (id, name) = location_of(&rec.phone_number);
    let location = NumberLocation { id: Some(id), name: Some(name.to_string()), ..NumberLocation::default() };
    fields.insert("location".into(), serde_json::to_value(location).expect("a location serializes"));
    if let Some((owner, extension)) = owner {
        fields.insert("extension".into(), Value::from(extension));
        fields.insert("owner".into(), inventory_owner(owner));
    }
    serde_json::from_value(json).unwrap_or(rec)
}

/// The owner of the `i`-th number: mostly people, then workspaces and virtual lines, and with
/// `features`, hunt groups, queues and the like.
fn owner(i: usize, features: bool) -> Owner {
    let id = |kind: &str| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("ciscospark://us/{kind}/demo-{i}"))
    };
    let person = |kind: &str, type_: &str| {
        let (first, last) = (FIRST[i % FIRST.len()], LAST[(i * 7 + i / FIRST.len()) % LAST.len()]);
        Owner {
            id: Some(id(kind)),
            owner_type: Some(type_.into()),
            first_name: Some(first.into()),
            last_name: Some(last.into()),
            display_name: Some(format!("{first} {last}")),
            ..Owner::default()
        }
    };
    match (i / 5) % 10 {
        0..=5 => person("PEOPLE", "PEOPLE"),
        6 => Owner {
            id: Some(id("PLACE")),
            owner_type: Some("PLACE".into()),
            display_name: Some(format!("Meeting Room {}", 100 + i % 400)),
            ..Owner::default()
        },
        7 => person("VIRTUAL_LINE", "VIRTUAL_LINE"),
        _ if features => {
            let (kind, name) = FEATURES[i % FEATURES.len()];
            Owner {
                id: Some(id(kind)),
                owner_type: Some(kind.into()),
                display_name: Some(name.into()),
                ..Owner::default()
            }
        }
        _ => person("PEOPLE", "PEOPLE"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webex::endpoint::by_kind;

    #[test]
    fn lists_with_owners_have_owners_and_the_others_none() {
        let opts = DemoOptions::default();
        let fwd = records(by_kind("queue-forward").unwrap(), &opts);
        // The owners are those of the numbers already assigned: none is free in the queue list.
        let free: std::collections::HashSet<_> =
            records(&QUEUE, &opts).into_iter().map(|r| r.phone_number.to_string()).collect();
        let owned: Vec<_> = fwd.iter().filter(|r| r.owner().is_some()).collect();
        assert!(owned.len() > 100 && owned.iter().all(|r| !free.contains(&*r.phone_number)), "{}", owned.len());
        assert!(fwd.iter().filter(|r| r.owner().is_none()).all(|r| free.contains(&*r.phone_number)));
        assert!(owned.iter().all(|r| r.extension().is_some_and(|e| r.phone_number.ends_with(e))));
        assert!(fwd.iter().any(|r| r.owner().and_then(|o| o.owner_type()) == Some("HUNT_GROUP")));
        let ecbn = records(by_kind("person-ecbn").unwrap(), &opts);
        assert!(ecbn.iter().any(|r| r.owner().is_some()) && ecbn.iter().all(|r| r.extension().is_none()));
        let types: std::collections::HashSet<_> =
            ecbn.iter().filter_map(|r| r.owner()?.owner_type().map(str::to_owned)).collect();
        assert_eq!(types, ["PEOPLE", "PLACE", "VIRTUAL_LINE"].map(String::from).into_iter().collect());
        let alt = records(by_kind("hunt-group-alternate").unwrap(), &opts);
        assert!(alt.iter().all(|r| r.owner().is_none() && r.extension().is_none()));
        assert!(
            records(by_kind("person-primary").unwrap(), &opts)
                .iter()
                .any(|r| r.telephony_type == TelephonyType::Mobile)
        );
        assert_ne!(fwd.len(), 0);
        assert_ne!(alt[..10], fwd[..10], "each list is a slice of its own");
    }

    /// The inventory agrees with the lists: a free number is unassigned there, at the location
    /// that offers it; an assigned one has the owner and extension the lists with owners show.
    #[test]
    fn the_inventory_agrees_with_the_lists() {
        let opts = DemoOptions::default();
        let all = records(&INVENTORY, &opts);
        let (extensions, inv): (Vec<_>, Vec<_>) = all.iter().partition(|r| r.is_extension_only());
        assert!(extensions.len() > 5 && extensions.iter().all(|r| r.owner().is_some() && r.location_name().is_some()));
        let by_number: std::collections::HashMap<_, _> = inv.iter().map(|r| (r.phone_number.to_string(), *r)).collect();
        assert_eq!(by_number.len(), inv.len(), "each number once");
        let free = records(&QUEUE, &opts);
        for r in &free {
            let i = by_number[&*r.phone_number];
            assert!(i.owner().is_none() && i.extension().is_none(), "{} is free", r.phone_number);
            assert_eq!(i.location().and_then(|l| l.id.clone()), Some(location_of(&r.phone_number).0));
            assert_eq!(
                (i.state, i.is_main_number(), i.is_service_number()),
                (r.state, r.is_main_number(), r.is_service_number())
            );
        }
        let fwd = records(by_kind("hunt-group-forward").unwrap(), &opts);
        let owned: Vec<_> = fwd.iter().filter(|r| r.owner().is_some()).collect();
        assert_eq!(owned.len(), inv.len() - free.len(), "every assigned number, in a list with features");
        for r in owned {
            let i = by_number[&*r.phone_number];
            assert_eq!(i.owner().and_then(|o| o.given_name()), r.owner().and_then(|o| o.given_name()));
            assert_eq!(i.extension(), r.extension());
        }
        // As the API sends them: the inventory's spelling, a location with an ID and a name.
        let json = serde_json::to_value(inv[0]).unwrap();
        assert!(json.get("mainNumber").is_some() && json.get("isMainNumber").is_none(), "{json}");
        assert!(all.last().unwrap().is_extension_only(), "the extensions last");
        assert_eq!(json["includedTelephonyTypes"], "PSTN_NUMBER");
        assert!(json["location"]["id"].is_string() && json["location"]["name"].is_string());
        let locations: std::collections::HashSet<_> = inv.iter().filter_map(|r| r.location_name()).collect();
        assert!(locations.len() >= 15, "{locations:?}");
        assert_eq!(by_number["+12056350001"].location_name(), Some("Birmingham HQ"));
    }
}
