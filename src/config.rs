//! Turning flags and environment into a client configuration: the token, the base URL.

use std::io::Read;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;

use crate::error::Error;
use crate::webex::{ClientConfig, Endpoint, Ids, Token};

/// Where the access token came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenSource {
    /// `--token-file PATH`.
    File(PathBuf),
    /// `WEBEX_ACCESS_TOKEN` or `WEBEX_TOKEN`.
    Env(&'static str),
    /// The stored sign-in (`wxpick auth login`), kept in the place named.
    SignIn(String),
    /// The demo server's own token.
    Demo,
}

impl std::fmt::Display for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            TokenSource::File(p) => write!(f, "the file {} (--token-file)", p.display()),
            TokenSource::Env(var) => write!(f, "the environment ({var})"),
            TokenSource::SignIn(place) => write!(f, "the sign-in of wxpick auth login, kept in {place}"),
            TokenSource::Demo => f.write_str("the demo server"),
        }
    }
}

/// The message when no token is found anywhere.
pub const NO_TOKEN: &str = "no access token: run wxpick auth login, set WEBEX_ACCESS_TOKEN (or WEBEX_TOKEN), or give --token-file PATH; try --demo to see wxpick without one";

/// A token given outright: `--token-file`, else `WEBEX_ACCESS_TOKEN`, else `WEBEX_TOKEN`; `None`
/// when there is none (the stored sign-in comes next). Reading the file may block (a FIFO,
/// `<(pass ...)`, a stalled network file system): call it off the runtime.
pub fn given_token(
    token_file: Option<&Path>,
    warn: &mut dyn FnMut(String),
) -> Result<Option<(Token, TokenSource)>, Error> {
    if let Some(path) = token_file {
        return Ok(Some((read_token_file(path, warn)?, TokenSource::File(path.to_path_buf()))));
    }
    for var in ["WEBEX_ACCESS_TOKEN", "WEBEX_TOKEN"] {
        if let Some(v) = std::env::var_os(var) {
            let v = v.to_str().ok_or_else(|| Error::Usage(format!("{var} is not valid UTF-8")))?;
            if v.trim().is_empty() {
                continue;
            }
            let token = Token::new(v).map_err(|e| Error::Usage(format!("{var}: {e}")))?;
            return Ok(Some((token, TokenSource::Env(var))));
        }
    }
    Ok(None)
}

/// The token given outright ([`given_token`]), or the error that says where one may come from.
pub fn resolve_token(token_file: Option<&Path>, warn: &mut dyn FnMut(String)) -> Result<Token, Error> {
    given_token(token_file, warn)?.map(|(t, _)| t).ok_or_else(|| Error::Usage(NO_TOKEN.into()))
}

/// The most a token file may hold: Webex tokens are a few hundred bytes.
pub const TOKEN_FILE_MAX: u64 = 8 << 10;

fn read_token_file(path: &Path, warn: &mut dyn FnMut(String)) -> Result<Token, Error> {
    let shown = path.display();
    let (file, readable_by) = crate::safe_fs::open_token_file(path)
        .map_err(|e| Error::Usage(format!("--token-file {shown}: {}", io_text(&e))))?;
    if let Some(who) = readable_by {
        warn(format!("warning: --token-file {shown} is readable by {who}; run chmod 600 {shown}"));
    }
    let mut text = String::new();
    file.take(TOKEN_FILE_MAX + 1)
        .read_to_string(&mut text)
        .map_err(|e| Error::Usage(format!("--token-file {shown}: {}", io_text(&e))))?;
    if text.len() as u64 > TOKEN_FILE_MAX {
        return Err(Error::Usage(format!(
            "--token-file {shown} holds more than {} KiB: it is not a token file",
            TOKEN_FILE_MAX >> 10
        )));
    }
    let token = text.trim();
    if token.is_empty() {
        return Err(Error::Usage(format!("--token-file {shown} is empty")));
    }
    if token.lines().count() > 1 {
        return Err(Error::Usage(format!("--token-file {shown} must hold only the token, on one line")));
    }
    Token::new(token).map_err(|e| Error::Usage(format!("--token-file {shown}: {e}")))
}

fn io_text(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        std::io::ErrorKind::InvalidData => "not valid UTF-8 text".into(),
        _ => e.to_string(),
    }
}

/// Checks `--base-url`: https, or http to a loopback address, or `--insecure-http`.
pub fn check_base_url(text: &str, insecure_http: bool) -> Result<Url, Error> {
    let url = Url::parse(text.trim()).map_err(|e| Error::Usage(format!("--base-url {text:?} is not a URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if insecure_http || is_loopback(&url) => {}
        "http" => {
            return Err(Error::Usage(format!(
                "--base-url {url} is not https: the token would travel in clear text; use https, or --insecure-http if you must"
            )));
        }
        other => return Err(Error::Usage(format!("--base-url must be an https URL, not {other}:"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(Error::Usage(format!("--base-url {url} has no host")));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Usage("--base-url must not contain a user name or password".into()));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// What every request of a run shares, as the flags gave it.
#[derive(Debug, Clone, Default)]
pub struct RequestOptions {
    /// `--org-id` (empty counts as none).
    pub org_id: Option<String>,
    /// `--phone-number`.
    pub phone_numbers: Option<String>,
    /// `--page-size`.
    pub page_size: Option<u32>,
    /// `--timeout`, `--connect-timeout`.
    pub timeout: Duration,
    pub connect_timeout: Duration,
    /// `--concurrency`.
    pub concurrency: usize,
    /// The stored sign-in the token came from, which refreshes it after a 401.
    pub session: Option<std::sync::Arc<crate::auth::Session>>,
    /// `--max-numbers`: the most records a list may hold (0 in `Default` means none at all, so
    /// [`RequestOptions`] built by hand should set it).
    pub max_records: usize,
    /// Told of every request's retries (the picker's "connecting" countdown).
    pub on_retry: Option<crate::webex::RetryWatch>,
}

/// The client configuration for the list `endpoint` of the API at `base`, with the IDs it needs.
pub fn client_config(
    opts: &RequestOptions,
    base: Url,
    endpoint: &'static Endpoint,
    ids: Ids,
    token: Token,
) -> ClientConfig {
    let mut cfg = ClientConfig::for_endpoint(base, endpoint, ids, token);
    cfg.org_id = opts.org_id.clone().filter(|o| !o.is_empty());
    cfg.phone_numbers = opts.phone_numbers.clone();
    cfg.page_size = opts.page_size;
    cfg.timeout = opts.timeout;
    cfg.connect_timeout = opts.connect_timeout;
    cfg.concurrency = opts.concurrency.max(1);
    cfg.session = opts.session.clone();
    cfg.max_records = opts.max_records;
    cfg.on_retry = opts.on_retry.clone();
    cfg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_rules() {
        assert!(check_base_url("https://webexapis.com/v1", false).is_ok());
        assert!(check_base_url("http://127.0.0.1:8080/v1", false).is_ok());
        assert!(check_base_url("http://[::1]:8080/v1", false).is_ok());
        assert!(check_base_url("http://localhost/v1", false).is_ok());
        let e = check_base_url("http://example.com/v1", false).unwrap_err().to_string();
        assert!(e.contains("clear text"), "{e}");
        assert!(check_base_url("http://example.com/v1", true).is_ok());
        assert!(check_base_url("ftp://x/v1", false).is_err());
        assert!(check_base_url("webexapis.com", false).is_err());
        assert!(check_base_url("https://u:p@x/v1", false).is_err());
    }
}
