//! The authorization code flow with PKCE (S256): the browser opens Webex's authorize page, and a
//! one-shot listener on 127.0.0.1 takes the code, checks `state`, answers that one request with a
//! short page, and closes.

use std::io::Write;
use std::time::Duration;

use base64::Engine;
use sha2::Digest;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::oauth::{OAuth, TokenReply};
use crate::error::Error;

/// The port the loopback redirect URI uses by default (W-X-P-K on a phone's keypad).
pub const DEFAULT_PORT: u16 = 9975;
/// How long to wait for the browser.
const PATIENCE: Duration = Duration::from_secs(10 * 60);

/// Signs in through the browser, listening on 127.0.0.1:`port` (0: any free port).
pub async fn sign_in(oauth: &OAuth, scopes: &str, port: u16) -> Result<TokenReply, Error> {
    let listener = TcpListener::bind(("127.0.0.1", port)).await.map_err(|e| {
        Error::Auth(format!("cannot listen on 127.0.0.1:{port} for the browser's answer ({e}); give another --port"))
    })?;
    let port = listener.local_addr().map_err(|e| Error::Auth(e.to_string()))?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let verifier = random_text();
    let state = random_text();
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(verifier.as_bytes()));
    let mut url = oauth.url("authorize");
    url.query_pairs_mut()
        .append_pair("client_id", &oauth.client_id)
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", &redirect_uri)
        .append_pair("scope", scopes)
        .append_pair("state", &state)
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256");
    let mut err = std::io::stderr();
    let opened = open_browser(url.as_str());
    let _ = if opened {
        writeln!(err, "Opened the browser to sign in to Webex. If it did not open, visit:\n\n    {url}\n")
    } else {
        writeln!(err, "Open this address in a browser on this machine to sign in to Webex:\n\n    {url}\n")
    };
    let _ = writeln!(err, "waiting for the browser on {redirect_uri} · Ctrl-C cancels");
    let code = tokio::time::timeout(PATIENCE, wait_for_code(&listener, &state))
        .await
        .map_err(|_| Error::Auth("no answer from the browser within 10 minutes: nothing was stored".into()))??;
    drop(listener);
    oauth.exchange_code(&code, &redirect_uri, &verifier).await
}

/// Accepts connections until the callback comes; answers it with a short page.
async fn wait_for_code(listener: &TcpListener, state: &str) -> Result<String, Error> {
    loop {
        let (mut conn, _) = listener.accept().await.map_err(|e| Error::Auth(format!("the listener failed: {e}")))?;
        let Ok(Ok(head)) = tokio::time::timeout(Duration::from_secs(10), read_head(&mut conn)).await else {
            continue;
        };
        let target = head.split_whitespace().nth(1).unwrap_or("").to_string();
        let Ok(url) = reqwest::Url::parse(&format!("http://127.0.0.1{target}")) else { continue };
        if url.path() != "/callback" {
            let _ = reply(&mut conn, "404 Not Found", "Not the sign-in callback.").await;
            continue;
        }
        let q: std::collections::HashMap<String, String> = url.query_pairs().into_owned().collect();
        let result = if q.get("state").map(String::as_str) != Some(state) {
            Err(Error::Auth("the browser's answer did not carry this sign-in's state: nothing was stored".into()))
        } else if let Some(e) = q.get("error") {
            let e = crate::sanitize::server_text(e, 100);
            Err(Error::Auth(format!("the sign-in was not approved ({e}): nothing was stored")))
        } else if let Some(code) = q.get("code").filter(|c| !c.is_empty()) {
            crate::sanitize::register_secret(code);
            Ok(code.clone())
        } else {
            Err(Error::Auth("the browser's answer carried no code: nothing was stored".into()))
        };
        let page = match &result {
            Ok(_) => "Signed in to wxpick. You may close this tab and return to the terminal.",
            Err(_) => "wxpick could not sign in. Return to the terminal to see why.",
        };
        let _ = reply(&mut conn, "200 OK", page).await;
        return result;
    }
}

async fn read_head(conn: &mut tokio::net::TcpStream) -> std::io::Result<String> {
    let mut buf = Vec::with_capacity(1024);
    let mut chunk = [0u8; 1024];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() < 16 * 1024 {
        let n = conn.read(&mut chunk).await?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(String::from_utf8_lossy(&buf).lines().next().unwrap_or("").to_string())
}

async fn reply(conn: &mut tokio::net::TcpStream, status: &str, text: &str) -> std::io::Result<()> {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>wxpick</title><p style=\"font:16px sans-serif;margin:3em\">{text}</p>\n"
    );
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\ncache-control: no-store\r\n\r\n",
        body.len()
    );
    conn.write_all(head.as_bytes()).await?;
    conn.write_all(body.as_bytes()).await?;
    conn.shutdown().await
}

/// 43 characters of base64url from 32 random bytes: a PKCE verifier or a state.
fn random_text() -> String {
    let mut bytes = [0u8; 32];
    bytes[..16].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    bytes[16..].copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Opens the browser where there is one: macOS and Windows, or a Linux desktop session that is
/// not reached over SSH. `WXPICK_BROWSER=none` never opens one (the address is printed anyway).
fn open_browser(url: &str) -> bool {
    use std::process::{Command, Stdio};
    if std::env::var("WXPICK_BROWSER").is_ok_and(|v| v == "none") || std::env::var_os("SSH_CONNECTION").is_some() {
        return false;
    }
    let mut cmd = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("rundll32");
        c.arg("url.dll,FileProtocolHandler");
        c
    } else {
        let desktop = ["DISPLAY", "WAYLAND_DISPLAY"].iter().any(|v| std::env::var_os(v).is_some_and(|v| !v.is_empty()));
        if !desktop {
            return false;
        }
        Command::new("xdg-open")
    };
    cmd.arg(url).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
    cmd.spawn().is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verifiers_are_long_random_and_url_safe() {
        let (a, b) = (random_text(), random_text());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
    }
}
