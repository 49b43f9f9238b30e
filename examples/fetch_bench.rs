//! Full-fetch time against the embedded demo server, one page at a time against several in
//! flight, side by side in one run:
//!
//! ```text
//! cargo run --release --example fetch_bench -- [NUMBERS [LATENCY_MS [CONCURRENCY [ROUNDS]]]]
//! ```
//!
//! Defaults: 50,000 numbers, 50 ms before each page, concurrency 4, 3 rounds. The demo server
//! serves pages of 500 by offset, without `Link` headers (a server that sends links is followed
//! one page at a time whatever the concurrency). Each round fetches the whole list once with
//! `concurrency = 1` and once with the given concurrency, through the real client and fetch
//! task, and reports the time until the last number was delivered and until the list was known
//! to be complete (the empty page after it). The summary gives the medians and their ratio.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;
use wxpick::demo::{self, DEMO_LOCATION, DEMO_TOKEN, DemoOptions};
use wxpick::webex::{ApiClient, ClientConfig, FetchEvent, Resume, Token, spawn_fetch};

struct Run {
    last_number: Duration,
    done: Duration,
    numbers: usize,
    pages: usize,
}

async fn fetch(server: &demo::DemoServer, concurrency: usize) -> Run {
    let mut cfg = ClientConfig::new(server.base_url.clone(), DEMO_LOCATION, Token::new(DEMO_TOKEN).unwrap());
    cfg.concurrency = concurrency;
    let client = Arc::new(ApiClient::new(cfg).expect("a client"));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let started = Instant::now();
    let task = spawn_fetch::<wxpick::numbers::record::NumberRecord, _>(client, Resume::start(), tx, |e| e);
    let (mut last_number, mut numbers, mut pages) = (Duration::ZERO, 0, 0);
    let done = loop {
        match rx.recv().await {
            Some(FetchEvent::Page { numbers: n, page }) => {
                numbers += n.len();
                pages = page;
                last_number = started.elapsed();
            }
            Some(FetchEvent::Retrying { .. }) => {}
            Some(FetchEvent::Done { .. }) => break started.elapsed(),
            Some(FetchEvent::Failed { error, .. }) => panic!("the fetch failed: {error}"),
            None => panic!("the fetch task ended without a result"),
        }
    };
    task.abort();
    Run { last_number, done, numbers, pages }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn arg<T: std::str::FromStr>(i: usize, default: T) -> T {
    std::env::args().nth(i).and_then(|a| a.replace('_', "").parse().ok()).unwrap_or(default)
}

#[tokio::main]
async fn main() {
    let size: usize = arg(1, 50_000);
    let latency = Duration::from_millis(arg(2, 50));
    let concurrency: usize = arg(3, 4);
    let rounds: usize = arg(4, 3).max(1);
    let opts = DemoOptions { size: Some(size), latency, link_headers: false, ..DemoOptions::default() };
    let server = demo::start(opts).await.expect("the demo server starts");
    println!(
        "{size} numbers, pages of {}, {} ms before each page; concurrency 1 against {concurrency}, {rounds} round(s)",
        demo::DEMO_PAGE_CAP,
        latency.as_millis()
    );
    let (mut one, mut many) = (Vec::new(), Vec::new());
    for round in 1..=rounds {
        for (c, times) in [(1, &mut one), (concurrency, &mut many)] {
            let run = fetch(&server, c).await;
            assert_eq!(run.numbers, size, "every number, once");
            println!(
                "round {round}  concurrency {c:>2}: last number after {:>7.3} s, complete after {:>7.3} s ({} pages)",
                run.last_number.as_secs_f64(),
                run.done.as_secs_f64(),
                run.pages
            );
            times.push((run.last_number, run.done));
        }
    }
    let last = |v: &[(Duration, Duration)]| median(v.iter().map(|t| t.0).collect());
    let done = |v: &[(Duration, Duration)]| median(v.iter().map(|t| t.1).collect());
    let (l1, ln, d1, dn) = (last(&one), last(&many), done(&one), done(&many));
    println!(
        "median, last number: concurrency 1 {:.3} s, concurrency {concurrency} {:.3} s, ratio {:.3}",
        l1.as_secs_f64(),
        ln.as_secs_f64(),
        ln.as_secs_f64() / l1.as_secs_f64()
    );
    println!(
        "median, complete:    concurrency 1 {:.3} s, concurrency {concurrency} {:.3} s, ratio {:.3}",
        d1.as_secs_f64(),
        dn.as_secs_f64(),
        dn.as_secs_f64() / d1.as_secs_f64()
    );
}
