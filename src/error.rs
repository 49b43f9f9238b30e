//! The errors wxpick reports, and the exit code of each.

use crate::webex::ApiError;

/// Exit codes, as fzf uses them.
pub mod exit {
    pub const OK: i32 = 0;
    pub const NO_MATCH: i32 = 1;
    pub const ERROR: i32 = 2;
    pub const CANCELLED: i32 = 130;
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad flags or flag values.
    #[error("{0}")]
    Usage(String),
    /// Listing the numbers failed.
    #[error("listing available numbers failed: {0}")]
    Api(#[from] ApiError),
    /// Listing the locations failed.
    #[error("listing locations failed: {0}")]
    Locations(ApiError),
    /// Listing people, workspaces or virtual lines failed.
    #[error("listing {what} failed: {error}")]
    Lookup { what: &'static str, error: ApiError },
    /// A one-word `--location` that is neither a location's name nor taken as an ID.
    #[error("no location is named {value:?}, and as a location ID: {as_id}")]
    NoSuchLocation { value: String, as_id: ApiError },
    /// Listing stopped part way: what was printed is not the whole list.
    #[error("the list is incomplete ({loaded} numbers loaded, page {page} failed): {error}")]
    Incomplete { loaded: usize, page: usize, error: ApiError },
    /// Paging stopped at a bound (`--max-numbers`, the most pages): what was printed is not the
    /// whole list.
    #[error("the list is incomplete ({loaded} records loaded): {why}")]
    Bounded { loaded: usize, why: String },
    /// A saved response could not be read.
    #[error("cannot read {path}: {detail}")]
    Input { path: String, detail: String },
    /// No terminal for the interactive picker.
    #[error("the interactive picker needs a terminal ({0}); in scripts use --filter QUERY")]
    NoTerminal(String),
    /// The terminal failed while in use.
    #[error("terminal error: {0}")]
    Terminal(String),
    /// Signing in, or using the sign-in, failed (nothing was stored).
    #[error("{0}")]
    Auth(String),
    /// `wxpick auth status` found no usable token (exit 1).
    #[error("{0}")]
    NotSignedIn(String),
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

impl Error {
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::NotSignedIn(_) => exit::NO_MATCH,
            _ => exit::ERROR,
        }
    }

    /// The line to report: a stored sign-in that could not be refreshed says only that.
    pub fn report(&self) -> String {
        let signed_out = |e: &ApiError| matches!(e, ApiError::SignedOut);
        match self {
            Error::Api(e) | Error::Locations(e) | Error::Incomplete { error: e, .. } if signed_out(e) => e.to_string(),
            _ => self.to_string(),
        }
    }
}
