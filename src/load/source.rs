//! Where a list comes from: a saved reply, read whole, or the API (real or the demo server),
//! paged in by a [`Feed`].

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::fold::ListLoad;
use crate::error::Error;
use crate::numbers::record::{NumberRecord, parse_page_reader};
use crate::webex::{ApiClient, FetchEvent, Resume, spawn_fetch};

pub enum Source {
    /// Read whole, from `--input`.
    Saved(Vec<NumberRecord>),
    /// Paged in from the API.
    Api(Arc<ApiClient>),
}

impl Source {
    /// The list as it stands before anything is fetched, and the feed that fills it (none for a
    /// saved reply, which is whole from the start).
    pub fn start(self) -> (ListLoad, Option<Feed>) {
        match self {
            Source::Saved(records) => (ListLoad::complete(records), None),
            Source::Api(client) => (ListLoad::new(), Some(Feed { client })),
        }
    }
}

/// Fetches pages of a list in the background, from the start or from where it failed.
#[derive(Clone)]
pub struct Feed {
    client: Arc<ApiClient>,
}

impl Feed {
    /// Starts fetching at `from`; each event is wrapped by `wrap` and sent on `tx`.
    pub fn spawn<M: Send + 'static>(
        &self,
        from: Resume,
        tx: UnboundedSender<M>,
        wrap: fn(FetchEvent) -> M,
    ) -> JoinHandle<()> {
        spawn_fetch(Arc::clone(&self.client), from, tx, wrap)
    }
}

/// Reads a saved response from a file, or stdin for `-`, streaming it through the parser.
pub fn read_input(path: &Path) -> Result<Vec<NumberRecord>, Error> {
    let shown = if path.as_os_str() == "-" { "stdin".to_string() } else { path.display().to_string() };
    let err = |detail: String| Error::Input { path: shown.clone(), detail };
    let reader: Box<dyn Read> = if path.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(path).map_err(|e| err(e.to_string()))?;
        if f.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(err("it is a directory".into()));
        }
        Box::new(f)
    };
    parse_page_reader(reader).map(|p| p.numbers).map_err(|e| err(e.to_string()))
}
