//! The Webex Calling locations: `GET {base}/telephony/config/locations`, one page at a time,
//! following `Link rel="next"` within the API's origin, else paging by `start`.

mod id;
mod page;

pub use id::{LocationValue, classify};
pub use page::{Location, parse_locations};

use std::collections::HashSet;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::LINK;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::client::ApiClient;
use super::error::{ApiError, BadReplyKind};
use super::link::next_link;

const PATH: [&str; 3] = ["telephony", "config", "locations"];

/// What the listing reports, in order.
#[derive(Debug)]
pub enum LocationEvent {
    /// Locations as received (never one already sent).
    Page(Vec<Location>),
    /// A request failed in a way that may pass; the listing waits, then tries again.
    Retrying { wait: Duration, error: ApiError },
    /// Every page is in.
    Done,
    /// A page failed for good.
    Failed(ApiError),
}

/// The URL of the list at offset `start`, with the organization and a name filter (the API's
/// `name`: contains, case-insensitive).
pub fn list_url(client: &ApiClient, name: Option<&str>, start: usize) -> Result<Url, ApiError> {
    let cfg = client.config();
    let mut url = cfg.base_url.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut().map_err(|_| ApiError::Config("bad --base-url".into()))?.pop_if_empty().extend(PATH);
    {
        let mut q = url.query_pairs_mut();
        if let Some(org) = &cfg.org_id {
            q.append_pair("orgId", org);
        }
        if let Some(name) = name {
            q.append_pair("name", name);
        }
        if start > 0 {
            q.append_pair("start", &start.to_string());
        }
    }
    if url.query() == Some("") {
        url.set_query(None);
    }
    Ok(url)
}

/// Lists every location (whose name contains `name`, when given), reporting each event to
/// `send`; stops when `send` returns false.
pub async fn list(client: &ApiClient, name: Option<&str>, mut send: impl FnMut(LocationEvent) -> bool) {
    let mut seen = HashSet::new();
    let mut start = 0;
    let mut url = match list_url(client, name, 0) {
        Ok(u) => u,
        Err(e) => {
            send(LocationEvent::Failed(e));
            return;
        }
    };
    let mut followed_link = false;
    loop {
        let (locations, next) = match get_with_retry(client, &url, &mut send).await {
            Some(Ok(page)) => page,
            Some(Err(e)) => {
                send(LocationEvent::Failed(e));
                return;
            }
            None => return,
        };
        let count = locations.len();
        let fresh: Vec<Location> = locations.into_iter().filter(|l| seen.insert(l.id.clone())).collect();
        let nothing_new = fresh.is_empty();
        if !fresh.is_empty() && !send(LocationEvent::Page(fresh)) {
            return;
        }
        // An empty page, or one with nothing new, ends the list; so does a missing next link
        // once links were followed.
        if count == 0 || nothing_new || (next.is_none() && followed_link) {
            send(LocationEvent::Done);
            return;
        }
        start += count;
        url = match next {
            Some(next) => {
                followed_link = true;
                next
            }
            None => match list_url(client, name, start) {
                Ok(u) => u,
                Err(e) => {
                    send(LocationEvent::Failed(e));
                    return;
                }
            },
        };
    }
}

/// Lists every location whose name contains `name` (all without), as one result.
pub async fn list_all(client: &ApiClient, name: Option<&str>) -> Result<Vec<Location>, ApiError> {
    let mut all = Vec::new();
    let mut failed = None;
    list(client, name, |e| {
        match e {
            LocationEvent::Page(page) => all.extend(page),
            LocationEvent::Failed(e) => failed = Some(e),
            LocationEvent::Retrying { wait, error } => tracing::info!(?wait, %error, "retrying"),
            LocationEvent::Done => {}
        }
        true
    })
    .await;
    match failed {
        Some(e) => Err(e),
        None => Ok(all),
    }
}

/// Spawns the listing; each event is wrapped by `wrap` and sent on `tx`. The task ends with the
/// list, or when `tx` closes.
pub fn spawn_list<M: Send + 'static>(
    client: std::sync::Arc<ApiClient>,
    tx: UnboundedSender<M>,
    wrap: fn(LocationEvent) -> M,
) -> JoinHandle<()> {
    tokio::spawn(async move { list(&client, None, |e| tx.send(wrap(e)).is_ok()).await })
}

/// One page, retried as the client's policy allows. `None` when `send` refused an event.
async fn get_with_retry(
    client: &ApiClient,
    url: &Url,
    send: &mut impl FnMut(LocationEvent) -> bool,
) -> Option<Result<(Vec<Location>, Option<Url>), ApiError>> {
    let mut retry = 0;
    loop {
        match get_page(client, url).await {
            Ok(page) => return Some(Ok(page)),
            Err(error) => match client.retry_policy().delay(&error, retry) {
                Some(wait) => {
                    if !send(LocationEvent::Retrying { wait, error }) {
                        return None;
                    }
                    tokio::time::sleep(wait).await;
                    retry += 1;
                }
                None => return Some(Err(error)),
            },
        }
    }
}

/// One page of locations and the next page's link (checked to stay on the API's origin, since
/// the token goes with every request).
async fn get_page(client: &ApiClient, url: &Url) -> Result<(Vec<Location>, Option<Url>), ApiError> {
    let reply = client.get_raw(url).await?;
    if reply.body.iter().all(u8::is_ascii_whitespace) {
        // The API always sends its list: a blank body was cut somewhere on the way.
        return Err(ApiError::BadReply {
            status: reply.status.as_u16(),
            kind: BadReplyKind::Empty,
            detail: format!("the reply has no locations list, only {} bytes of whitespace", reply.body.len()),
            tracking_id: reply.tracking_id.clone(),
        });
    }
    let locations = parse_locations(&reply.body).map_err(|detail| ApiError::BadReply {
        status: reply.status.as_u16(),
        kind: BadReplyKind::WrongShape,
        detail,
        tracking_id: reply.tracking_id.clone(),
    })?;
    let links = reply.headers.get_all(LINK).iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>();
    let next = match next_link(links) {
        Some(target) => {
            let next = url.join(&target).map_err(|e| ApiError::BadReply {
                status: 200,
                kind: BadReplyKind::BadLink,
                detail: format!("unusable next-page link: {e}"),
                tracking_id: None,
            })?;
            if next.origin() != client.config().base_url.origin() {
                return Err(ApiError::ForeignLink {
                    expected: client.config().base_url.origin().ascii_serialization(),
                    got: next.origin().ascii_serialization(),
                });
            }
            Some(next)
        }
        None => None,
    };
    Ok((locations, next))
}
