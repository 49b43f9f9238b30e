//! What each demo list holds: the queue list is the demo data itself; every other list a slice
//! of it of its own, with owners and extensions where the API's list has them (the lists that
//! take `ownerName`), and mobile numbers where the list may hold them.

use serde_json::{Map, Value};

use super::{DemoOptions, served_records};
use crate::numbers::record::{NumberRecord, Owner, Rare, TelephonyType};
use crate::webex::{ENDPOINTS, Endpoint, endpoint::QUEUE};

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
    all.into_iter()
        .enumerate()
        .filter(|(i, _)| (i * 5 + k * 3) % 7 > 1)
        .map(|(i, mut rec)| {
            let mut rare = rec.rare.take().map(|b| *b).unwrap_or_default();
            if owners && i % 5 < 3 {
                rare.owner = Some(owner(i, features));
                if extensions {
                    rare.extension = Some(format!("{}", 1000 + i % 9000));
                }
            }
            if mobile && i % 4 == 0 {
                rec.telephony_type = TelephonyType::Mobile;
                let mut extra = Map::new();
                extra.insert("includedTelephonyTypes".into(), Value::from("MOBILE_NUMBER"));
                extra.insert("mobileNetwork".into(), Value::from("Demo Mobile"));
                extra.insert("routingProfile".into(), Value::from("DemoRtPf"));
                rare.extra.extend(extra);
            }
            if rare != Rare::default() {
                rec.rare = Some(Box::new(rare));
            }
            rec
        })
        .collect()
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
        assert!(fwd.iter().filter(|r| r.owner().is_some()).count() > fwd.len() / 2);
        assert!(fwd.iter().any(|r| r.extension().is_some()));
        assert!(fwd.iter().any(|r| r.owner().and_then(|o| o.owner_type.as_deref()) == Some("HUNT_GROUP")));
        let ecbn = records(by_kind("person-ecbn").unwrap(), &opts);
        assert!(ecbn.iter().any(|r| r.owner().is_some()) && ecbn.iter().all(|r| r.extension().is_none()));
        let types: std::collections::HashSet<_> = ecbn.iter().filter_map(|r| r.owner()?.owner_type.clone()).collect();
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
}
