//! Webex's OAuth endpoints, under the API's base URL: the device grant (`/device/authorize`,
//! `/device/token`), the authorization code and the refresh (`/access_token`), and
//! `GET /people/me`. Every piece of server text is redacted before it is shown.

use std::time::Duration;

use base64::Engine;
use reqwest::{StatusCode, Url};
use serde::Deserialize;
use serde_json::Value;

use crate::error::Error;
use crate::webex::{Token, USER_AGENT};

/// What a token endpoint hands out.
#[derive(Clone, Deserialize)]
pub struct TokenReply {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub refresh_token_expires_in: Option<u64>,
}

/// The device grant's first answer.
#[derive(Clone, Deserialize)]
pub struct DeviceCode {
    pub device_code: String,
    pub user_code: String,
    pub verification_uri: String,
    #[serde(default)]
    pub verification_uri_complete: Option<String>,
    pub expires_in: u64,
    #[serde(default)]
    pub interval: Option<u64>,
}

/// One poll of the device grant.
pub enum Poll {
    /// Not approved yet (HTTP 428, `authorization_pending`).
    Pending,
    /// Poll less often: 5 s more between polls (RFC 8628).
    SlowDown,
    Done(TokenReply),
}

/// Who is signed in.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub emails: Vec<String>,
    #[serde(default)]
    pub org_id: Option<String>,
}

/// A client of the token endpoints for one integration (or service app).
pub struct OAuth {
    http: reqwest::Client,
    base: Url,
    pub client_id: String,
    client_secret: String,
}

impl OAuth {
    pub fn new(base: &Url, client_id: &str, client_secret: &str, timeout: Duration) -> Result<OAuth, Error> {
        crate::sanitize::register_secret(client_secret);
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder().user_agent(USER_AGENT).timeout(timeout);
        if base.host_str().is_some_and(|h| h == "127.0.0.1" || h == "localhost" || h == "[::1]") {
            builder = builder.no_proxy();
        }
        let http = builder.build().map_err(|e| Error::Auth(format!("cannot set up HTTP: {e}")))?;
        Ok(OAuth {
            http,
            base: base.clone(),
            client_id: client_id.trim().to_string(),
            client_secret: client_secret.trim().to_string(),
        })
    }

    /// `{base}/{path}`.
    pub fn url(&self, path: &str) -> Url {
        let mut url = self.base.clone();
        url.set_query(None);
        if let Ok(mut segs) = url.path_segments_mut() {
            segs.pop_if_empty();
            segs.extend(path.split('/'));
        }
        url
    }

    /// `POST /device/authorize`: the code to show.
    pub async fn device_authorize(&self, scopes: &str) -> Result<DeviceCode, Error> {
        let form = [("client_id", self.client_id.as_str()), ("scope", scopes)];
        let (status, body) = self.post("device/authorize", &form, false).await?;
        if !status.is_success() {
            return Err(endpoint_error("device/authorize", status, &body));
        }
        let code: DeviceCode = parse(&body, "device/authorize")?;
        crate::sanitize::register_secret(&code.device_code);
        Ok(code)
    }

    /// `POST /device/token`: one poll.
    pub async fn device_poll(&self, device_code: &str) -> Result<Poll, Error> {
        let form = [
            ("client_id", self.client_id.as_str()),
            ("device_code", device_code),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
        ];
        let (status, body) = self.post("device/token", &form, true).await?;
        if status.is_success() {
            return Ok(Poll::Done(self.token_reply(&body)?));
        }
        match error_code(&body).as_deref() {
            Some("authorization_pending") => Ok(Poll::Pending),
            Some("slow_down") => Ok(Poll::SlowDown),
            Some("expired_token") => {
                Err(Error::Auth("the code expired before it was approved: run wxpick auth login again".into()))
            }
            Some("access_denied") => Err(Error::Auth("the sign-in was denied: nothing was stored".into())),
            _ if status == StatusCode::PRECONDITION_REQUIRED => Ok(Poll::Pending),
            _ => Err(endpoint_error("device/token", status, &body)),
        }
    }

    /// `POST /access_token` for an authorization code.
    pub async fn exchange_code(&self, code: &str, redirect_uri: &str, verifier: &str) -> Result<TokenReply, Error> {
        let form = [
            ("grant_type", "authorization_code"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("code_verifier", verifier),
        ];
        let (status, body) = self.post("access_token", &form, false).await?;
        if !status.is_success() {
            return Err(endpoint_error("access_token", status, &body));
        }
        self.token_reply(&body)
    }

    /// `POST /access_token` for a refresh token: the new tokens (the refresh token may be new).
    pub async fn refresh(&self, refresh_token: &str) -> Result<TokenReply, Error> {
        crate::sanitize::register_secret(refresh_token);
        let form = [
            ("grant_type", "refresh_token"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.as_str()),
            ("refresh_token", refresh_token),
        ];
        let (status, body) = self.post("access_token", &form, false).await?;
        if !status.is_success() {
            if error_code(&body).as_deref() == Some("invalid_grant") || status == StatusCode::BAD_REQUEST {
                return Err(Error::Auth(format!(
                    "the refresh token was refused (expired or revoked){}: run wxpick auth login",
                    detail(&body)
                )));
            }
            return Err(endpoint_error("access_token", status, &body));
        }
        self.token_reply(&body)
    }

    /// `GET /people/me` with `token`.
    pub async fn me(&self, token: &Token) -> Result<Me, (Option<u16>, String)> {
        let resp = self
            .http
            .get(self.url("people/me"))
            .header(reqwest::header::AUTHORIZATION, token.header_value())
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|e| (None, format!("cannot reach {}: {}", host(&self.base), innermost(&e))))?;
        let status = resp.status();
        let body = resp.bytes().await.map_err(|e| (None, innermost(&e)))?;
        if !status.is_success() {
            return Err((Some(status.as_u16()), format!("HTTP {}{}", status.as_u16(), detail(&body))));
        }
        serde_json::from_slice(&body).map_err(|e| (Some(status.as_u16()), format!("an unreadable reply ({e})")))
    }

    /// `GET {path}?max=1` with `token`: its status, or none when the server could not be asked.
    pub async fn probe(&self, token: &Token, path: &str) -> Option<u16> {
        let mut url = self.url(path);
        url.set_query(Some("max=1"));
        let resp = self.http.get(url).header(reqwest::header::AUTHORIZATION, token.header_value()).send().await.ok()?;
        Some(resp.status().as_u16())
    }

    async fn post(&self, path: &str, form: &[(&str, &str)], basic: bool) -> Result<(StatusCode, Vec<u8>), Error> {
        let url = self.url(path);
        let body = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(form).finish();
        let mut req = self
            .http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .body(body);
        if basic {
            let pair = format!("{}:{}", self.client_id, self.client_secret);
            let mut value = reqwest::header::HeaderValue::from_str(&format!(
                "Basic {}",
                base64::engine::general_purpose::STANDARD.encode(pair)
            ))
            .map_err(|_| Error::Auth("the client ID or secret holds characters a header cannot carry".into()))?;
            value.set_sensitive(true);
            req = req.header(reqwest::header::AUTHORIZATION, value);
        }
        let resp = req.send().await.map_err(|e| {
            Error::Auth(format!(
                "cannot reach the token endpoint {}: {}. Check the network or --base-url; nothing was stored",
                url.path(),
                innermost(&e)
            ))
        })?;
        let status = resp.status();
        let body = resp
            .bytes()
            .await
            .map_err(|e| Error::Auth(format!("the token endpoint {} failed: {}", url.path(), innermost(&e))))?;
        tracing::info!(method = "POST", path = url.path(), status = status.as_u16(), "token endpoint");
        Ok((status, body.to_vec()))
    }

    fn token_reply(&self, body: &[u8]) -> Result<TokenReply, Error> {
        let reply: TokenReply = parse(body, "the token endpoint")?;
        if crate::webex::Token::new(&reply.access_token).is_err() {
            return Err(Error::Auth("the token endpoint sent an unusable access token; nothing was stored".into()));
        }
        if let Some(r) = &reply.refresh_token {
            crate::sanitize::register_secret(r);
        }
        Ok(reply)
    }
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8], what: &str) -> Result<T, Error> {
    // Whatever the reply holds is registered before any of it could be shown.
    if let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) {
        for key in ["access_token", "refresh_token", "device_code"] {
            if let Some(v) = obj.get(key).and_then(Value::as_str) {
                crate::sanitize::register_secret(v);
            }
        }
    }
    serde_json::from_slice(body).map_err(|e| {
        Error::Auth(format!(
            "{what} sent an unreadable reply ({}); nothing was stored",
            crate::sanitize::server_text(&e.to_string(), 200)
        ))
    })
}

/// RFC 6749/8628's `error`, else one of its codes in Webex's `message` or `errors[0].description`.
pub fn error_code(body: &[u8]) -> Option<String> {
    const CODES: [&str; 7] = [
        "authorization_pending",
        "slow_down",
        "expired_token",
        "access_denied",
        "invalid_grant",
        "invalid_client",
        "unauthorized_client",
    ];
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else { return None };
    if let Some(e) = obj.get("error").and_then(Value::as_str) {
        return Some(e.to_string());
    }
    let texts = obj.get("message").and_then(Value::as_str).into_iter().chain(
        obj.get("errors")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("description")?.as_str()),
    );
    for text in texts {
        if let Some(code) = CODES.iter().find(|c| text.contains(**c)) {
            return Some(code.to_string());
        }
    }
    None
}

/// `: what the server said`, redacted and on one line, or nothing.
fn detail(body: &[u8]) -> String {
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else { return String::new() };
    let text = ["error_description", "message", "error"]
        .iter()
        .find_map(|k| obj.get(*k).and_then(Value::as_str).filter(|s| !s.trim().is_empty()))
        .map(str::to_string)
        .or_else(|| {
            obj.get("errors")?.as_array()?.iter().find_map(|e| e.get("description")?.as_str().map(str::to_string))
        });
    match text {
        Some(t) => format!(" ({})", crate::sanitize::server_text(&t, 200)),
        None => String::new(),
    }
}

/// The one line for a token endpoint's error status.
fn endpoint_error(path: &str, status: StatusCode, body: &[u8]) -> Error {
    let code = error_code(body);
    let what = match (status.as_u16(), code.as_deref()) {
        (_, Some("invalid_client" | "unauthorized_client")) | (401, _) => {
            "the client ID or secret was refused: check WXPICK_CLIENT_ID / --client-id and WXPICK_CLIENT_SECRET"
        }
        (500..=599, _) => "the token endpoint is not working; try again later",
        _ => "the token endpoint refused the request",
    };
    Error::Auth(format!("{what} (HTTP {} from /{path}{}); nothing was stored", status.as_u16(), detail(body)))
}

fn host(url: &Url) -> String {
    url.host_str().unwrap_or("the server").to_string()
}

fn innermost(e: &(dyn std::error::Error + 'static)) -> String {
    let mut cur = e;
    while let Some(next) = cur.source() {
        cur = next;
    }
    crate::sanitize::server_text(&cur.to_string(), 200)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_from_either_field() {
        assert_eq!(error_code(br#"{"error":"slow_down"}"#).as_deref(), Some("slow_down"));
        assert_eq!(
            error_code(br#"{"message":"x","errors":[{"description":"authorization_pending"}]}"#).as_deref(),
            Some("authorization_pending")
        );
        assert_eq!(error_code(b"<html>"), None);
    }
}
