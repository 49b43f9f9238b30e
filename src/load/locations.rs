//! Where the list of locations comes from, for the picker: a feed that lists them (again,
//! after a failure) in the background.

use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use crate::webex::ApiClient;
use crate::webex::locations::{LocationEvent, spawn_list};

/// Lists the locations from the start; the receiver drops those it has.
#[derive(Clone)]
pub struct LocationFeed {
    client: Arc<ApiClient>,
}

impl LocationFeed {
    pub fn new(client: Arc<ApiClient>) -> Self {
        LocationFeed { client }
    }

    /// Starts listing; each event is wrapped by `wrap` and sent on `tx`.
    pub fn spawn<M: Send + 'static>(&self, tx: UnboundedSender<M>, wrap: fn(LocationEvent) -> M) -> JoinHandle<()> {
        spawn_list(Arc::clone(&self.client), tx, wrap)
    }
}
