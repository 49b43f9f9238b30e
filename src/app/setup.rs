//! From flags to a source: a saved reply, the demo server, or the API with a token.

use std::path::PathBuf;
use std::sync::Arc;

use crate::cli::Cli;
use crate::config;
use crate::error::Error;
use crate::load::Source;
use crate::load::source::read_input;
use crate::webex::{ApiClient, Token};

/// Sets up the source the flags ask for. For `--demo` this starts the demo server.
pub async fn source(cli: &Cli, warn: &mut dyn FnMut(String)) -> Result<Source, Error> {
    if let Some(path) = &cli.input {
        let path = path.clone();
        let records = tokio::task::spawn_blocking(move || read_input(&path))
            .await
            .map_err(|e| Error::Input { path: path_shown(&cli.input), detail: e.to_string() })??;
        return Ok(Source::Saved(records));
    }
    let (base, location, token) = if cli.demo {
        demo_server(cli).await?
    } else {
        let base = config::check_base_url(&cli.base_url, cli.insecure_http)?;
        let location = cli.location.clone().ok_or_else(|| {
            Error::Usage("which location? give --location ID or set WEBEX_LOCATION_ID (or try --demo)".into())
        })?;
        let token = config::resolve_token(cli, warn)?;
        (base, location, token)
    };
    if location.trim().is_empty() {
        return Err(Error::Usage("--location is empty: give a location ID".into()));
    }
    let client = ApiClient::new(config::client_config(cli, base, &location, token))?;
    Ok(Source::Api(Arc::new(client)))
}

fn path_shown(p: &Option<PathBuf>) -> String {
    p.as_deref().map(|p| p.display().to_string()).unwrap_or_default()
}

/// Starts the embedded demo server: its base URL, location and token.
#[cfg(feature = "demo")]
async fn demo_server(cli: &Cli) -> Result<(reqwest::Url, String, Token), Error> {
    use crate::demo::{self, DemoOptions};
    use std::time::Duration;
    let opts = DemoOptions {
        size: cli.demo_size.map(|n| n as usize),
        latency: cli.demo_latency_ms.map(Duration::from_millis).unwrap_or(DemoOptions::default().latency),
        chaos: cli.demo_chaos,
        link_headers: cli.demo_links,
        ..DemoOptions::default()
    };
    let server = demo::start(opts).await?;
    let location = cli.location.clone().unwrap_or_else(|| demo::DEMO_LOCATION.to_string());
    Ok((server.base_url, location, Token::new(demo::DEMO_TOKEN).expect("a valid token")))
}

#[cfg(not(feature = "demo"))]
async fn demo_server(_: &Cli) -> Result<(reqwest::Url, String, Token), Error> {
    Err(Error::Usage("this wxpick was built without the demo server (cargo feature `demo`)".into()))
}
