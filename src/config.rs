//! Turning flags and environment into a client configuration: the token, the base URL.

use std::io::Read;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use reqwest::Url;

use crate::cli::Cli;
use crate::error::Error;
use crate::webex::{ClientConfig, Endpoint, Ids, Token};

/// The token: `--token-file`, else `WEBEX_ACCESS_TOKEN`, else `WEBEX_TOKEN`. Reading the file
/// may block (a FIFO, `<(pass ...)`, a stalled network file system): call it off the runtime.
pub fn resolve_token(token_file: Option<&Path>, warn: &mut dyn FnMut(String)) -> Result<Token, Error> {
    if let Some(path) = token_file {
        return read_token_file(path, warn);
    }
    for var in ["WEBEX_ACCESS_TOKEN", "WEBEX_TOKEN"] {
        if let Some(v) = std::env::var_os(var) {
            let v = v.to_str().ok_or_else(|| Error::Usage(format!("{var} is not valid UTF-8")))?;
            if v.trim().is_empty() {
                continue;
            }
            return Token::new(v).map_err(|e| Error::Usage(format!("{var}: {e}")));
        }
    }
    Err(Error::Usage(
        "no access token: set WEBEX_ACCESS_TOKEN (or WEBEX_TOKEN), or give --token-file PATH; try --demo to see wxpick without one".into(),
    ))
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

/// The client configuration for the list `endpoint` of the API at `base`, with the IDs it needs.
pub fn client_config(cli: &Cli, base: Url, endpoint: &'static Endpoint, ids: Ids, token: Token) -> ClientConfig {
    let mut cfg = ClientConfig::for_endpoint(base, endpoint, ids, token);
    cfg.org_id = cli.org_id.clone().filter(|o| !o.is_empty());
    cfg.phone_numbers = cli.phone_number.clone();
    cfg.page_size = cli.page_size;
    cfg.timeout = Duration::from_secs(cli.timeout);
    cfg.connect_timeout = Duration::from_secs(cli.connect_timeout);
    cfg.concurrency = (cli.concurrency as usize).max(1);
    cfg.max_records = usize::try_from(cli.max_numbers).unwrap_or(usize::MAX);
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
