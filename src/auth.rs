//! Signing in once: `wxpick auth login` (device grant, authorization code with PKCE, a service
//! app's refresh token), the stored sign-in (OS credential store, else a private file), and the
//! session that refreshes its access token before it expires and after a 401.
//!
//! Tokens and the client secret never reach any output but `wxpick auth token`'s: they are
//! registered with [`crate::sanitize::register_secret`] as soon as they are read, so that server
//! text that echoes them is redacted.

mod browser;
mod commands;
mod device;
mod oauth;
mod session;
mod store;

pub use browser::DEFAULT_PORT;
pub use commands::run;
pub use oauth::{OAuth, TokenReply};
pub use session::Session;
pub use store::{SignIn, Store};

use reqwest::Url;

/// The scopes `wxpick auth login` asks for by default: every list's (see the README's table), and
/// `spark:people_read` for `GET /people/me`.
pub const DEFAULT_SCOPES: &str = "spark:people_read spark-admin:telephony_config_read spark-admin:locations_read spark-admin:people_read spark-admin:workspaces_read";

/// A stored access token that expires within this many seconds is refreshed before it is used.
pub const REFRESH_MARGIN_SECS: u64 = 5 * 60;

/// Which sign-in a base URL uses: one per API, so FedRAMP, a test server and the real API never
/// mix. The demo server's port changes every run: its sign-in is `demo`.
pub fn sign_in_key(base: &Url, demo: bool) -> String {
    if demo {
        return "demo".into();
    }
    base.as_str().trim_end_matches('/').to_string()
}

/// Seconds since the Unix epoch.
pub fn now_secs() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}
