//! Where a list comes from (the API, the demo server or a saved reply), and the one fold that
//! turns its pages into a list. Knows nothing of the command line or the terminal.

pub mod fold;
pub mod source;

pub use fold::{Collection, ListLoad, LoadStatus, Records, collect};
pub use source::{Feed, Source, Stash};

use std::sync::Arc;

use crate::webex::locations::Location;
use crate::webex::{ApiClient, ApiError, Listed, PageReply, Resume};

/// The list of locations as it loads, and the feed that fills it.
pub type LocationList = ListLoad<Records<Location>>;
pub type LocationFeed = Feed<Records<Location>>;

/// Every record of a lookup's list (people, locations...), paged and folded like any list; the
/// first page may be in hand already (a probe's). A list that failed is an error; one that
/// stopped at a bound or was cut short by a repeated page is what came.
pub async fn lookup_all<R: Listed + crate::cache::Item + Clone>(
    client: &Arc<ApiClient>,
    first: Option<PageReply<R>>,
) -> Result<Vec<R>, ApiError> {
    let mut list: ListLoad<Records<R>> = ListLoad::new();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let send = move |e| tx.send(e).is_ok();
    let paging = async {
        match first {
            Some(first) => crate::webex::page_through_from(client, first, send).await,
            None => crate::webex::page_through(client, Resume::start(), send).await,
        }
    };
    let folding = async {
        while let Some(event) = rx.recv().await {
            if let crate::webex::FetchEvent::Retrying { page, wait, error, .. } = &event {
                tracing::info!(page, ?wait, %error, what = R::NOUN, "retrying");
            }
            list.apply(event);
        }
    };
    tokio::join!(paging, folding);
    if let Some(why) = list.bounded.as_deref().or(list.uncertain_end.then_some("the server repeated a page")) {
        tracing::warn!(what = R::NOUN, why, "the lookup may be incomplete");
    }
    match list.status {
        LoadStatus::Failed { error, .. } => Err(error),
        LoadStatus::Done => Ok(list.catalog.records().to_vec()),
        _ => Err(ApiError::FetchStopped),
    }
}
