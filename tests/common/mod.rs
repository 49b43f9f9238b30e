//! Helpers shared by the tests of the fetch task (`client.rs`, `fetch_concurrency.rs`).

#![allow(dead_code)]

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::mpsc;
use wxpick::webex::{ApiClient, FetchEvent, Resume, spawn_fetch};

/// The longest a fetch may take before a test gives up on it (a guard against hangs, not a
/// measurement).
pub const GUARD: Duration = Duration::from_secs(30);

/// Runs the fetch task from `from` and returns every event it sends, in order. The channel
/// closes when the task ends, so this also checks that the task stops after its last event.
pub async fn fetch_all(client: Arc<ApiClient>, from: Resume) -> Vec<FetchEvent> {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = spawn_fetch(client, from, tx, |e| e);
    let mut events = Vec::new();
    tokio::time::timeout(GUARD, async {
        while let Some(e) = rx.recv().await {
            events.push(e);
        }
    })
    .await
    .unwrap_or_else(|_| panic!("the fetch task did not finish; events so far: {events:?}"));
    task.await.expect("the fetch task does not panic");
    events
}

/// Every number of every page, in order of arrival.
pub fn received_numbers(events: &[FetchEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            FetchEvent::Page { numbers, .. } => Some(numbers.iter().map(|r| r.phone_number.to_string())),
            _ => None,
        })
        .flatten()
        .collect()
}

/// A reply of active, non-main numbers, as the API sends it.
pub fn page_body(numbers: &[String]) -> serde_json::Value {
    let records: Vec<_> = numbers
        .iter()
        .map(|n| serde_json::json!({ "phoneNumber": n, "state": "ACTIVE", "isMainNumber": false }))
        .collect();
    serde_json::json!({ "phoneNumbers": records })
}
