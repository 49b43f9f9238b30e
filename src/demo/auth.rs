//! The demo server's sign-in: the device grant (approved after a couple of polls), the
//! authorization code with PKCE (approved at once), the refresh (refresh tokens rotate: the old
//! one is refused after use), and `GET /people/me`. Access tokens are short-lived and carry their
//! expiry, so any demo server accepts them until then.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use base64::Engine;
use sha2::Digest;

/// The demo integration's client ID and secret (not secrets: `wxpick --demo auth login` uses them).
pub const CLIENT_ID: &str = "wxpick-demo-client";
pub const CLIENT_SECRET: &str = "wxpick-demo-secret";
/// Client IDs that make the device grant fail, for trying and testing each failure.
pub const CLIENT_DENIED: &str = "wxpick-demo-deny";
pub const CLIENT_EXPIRED: &str = "wxpick-demo-expire";
pub const CLIENT_SLOW: &str = "wxpick-demo-slow";
/// A client whose device grant is never approved (it stays pending until the code expires).
pub const CLIENT_WAIT: &str = "wxpick-demo-wait";
/// The device grant's polls answered 428 before the approval.
pub const PENDING_POLLS: u32 = 2;

const ACCESS_PREFIX: &str = "wxpick-demo-access-";
const REFRESH_PREFIX: &str = "wxpick-demo-refresh-";

/// The sign-in's settings and state.
#[derive(Default)]
pub struct AuthState {
    pub token_lifetime: Duration,
    pub refresh_latency: Duration,
    polls: Mutex<HashMap<String, (String, u32)>>,
    codes: Mutex<HashMap<String, String>>,
    spent: Mutex<Vec<String>>,
}

impl AuthState {
    pub fn new(token_lifetime: Duration, refresh_latency: Duration) -> Self {
        AuthState { token_lifetime, refresh_latency, ..Default::default() }
    }
}

/// The routes, under `/v1`.
pub fn routes(state: Arc<AuthState>) -> Router {
    Router::new()
        .route("/v1/device/authorize", post(device_authorize))
        .route("/v1/device/token", post(device_token))
        .route("/v1/authorize", get(authorize))
        .route("/v1/access_token", post(access_token))
        .route("/v1/people/me", get(me))
        .with_state(state)
}

/// Whether `token` is one the demo handed out and it has not expired.
pub fn valid_access_token(token: &str) -> bool {
    let Some(rest) = token.strip_prefix(ACCESS_PREFIX) else { return false };
    let expires: u64 = rest.split('-').next().and_then(|s| s.parse().ok()).unwrap_or(0);
    expires > crate::auth::now_secs()
}

fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn known_client(id: &str) -> bool {
    [CLIENT_ID, CLIENT_DENIED, CLIENT_EXPIRED, CLIENT_SLOW, CLIENT_WAIT].contains(&id)
}

fn oauth_error(status: StatusCode, code: &str, text: &str) -> Response {
    let body = serde_json::json!({
        "error": code,
        "error_description": text,
        "message": text,
        "errors": [{ "description": code }],
        "trackingId": "WXPICK_DEMO",
    });
    (status, [("content-type", "application/json")], body.to_string()).into_response()
}

fn random() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

fn tokens(state: &AuthState) -> Response {
    let lifetime = state.token_lifetime.as_secs().max(1);
    let access = format!("{ACCESS_PREFIX}{}-{}", crate::auth::now_secs() + lifetime, random());
    let body = serde_json::json!({
        "access_token": access,
        "expires_in": lifetime,
        "refresh_token": format!("{REFRESH_PREFIX}{}", random()),
        "refresh_token_expires_in": 90 * 86_400,
        "token_type": "Bearer",
    });
    (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
}

async fn device_authorize(State(s): State<Arc<AuthState>>, headers: HeaderMap, body: Bytes) -> Response {
    let f = form(&body);
    let client = f.get("client_id").cloned().unwrap_or_default();
    if !known_client(&client) {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_client", "Unknown client_id.");
    }
    let device_code = random();
    let user_code = format!("{}-{}", &random()[..4], &random()[..4]).to_uppercase();
    s.polls.lock().unwrap_or_else(|e| e.into_inner()).insert(device_code.clone(), (client, 0));
    let host = headers.get("host").and_then(|h| h.to_str().ok()).unwrap_or("127.0.0.1");
    let verify = format!("http://{host}/v1/demo/verify");
    let expires_in = if f.get("client_id").is_some_and(|c| c == CLIENT_EXPIRED) { 2 } else { 300 };
    let body = serde_json::json!({
        "device_code": device_code,
        "user_code": user_code,
        "verification_uri": verify,
        "verification_uri_complete": format!("{verify}?userCode={user_code}"),
        "expires_in": expires_in,
        "interval": 1,
    });
    (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
}

fn basic_ok(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.strip_prefix("Basic ")?;
    let pair = String::from_utf8(base64::engine::general_purpose::STANDARD.decode(value).ok()?).ok()?;
    let (id, secret) = pair.split_once(':')?;
    (known_client(id) && secret == CLIENT_SECRET).then(|| id.to_string())
}

async fn device_token(State(s): State<Arc<AuthState>>, headers: HeaderMap, body: Bytes) -> Response {
    if basic_ok(&headers).is_none() {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "The client ID or secret is wrong.");
    }
    let f = form(&body);
    let code = f.get("device_code").cloned().unwrap_or_default();
    let (client, polls) = {
        let mut all = s.polls.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = all.get_mut(&code) else {
            return oauth_error(StatusCode::BAD_REQUEST, "expired_token", "The device code is unknown or expired.");
        };
        entry.1 += 1;
        entry.clone()
    };
    let pending = || oauth_error(StatusCode::PRECONDITION_REQUIRED, "authorization_pending", "authorization_pending");
    match client.as_str() {
        CLIENT_DENIED => oauth_error(StatusCode::BAD_REQUEST, "access_denied", "The user denied the request."),
        CLIENT_EXPIRED => oauth_error(StatusCode::BAD_REQUEST, "expired_token", "The device code has expired."),
        CLIENT_SLOW if polls == 1 => oauth_error(StatusCode::BAD_REQUEST, "slow_down", "slow_down"),
        CLIENT_WAIT => pending(),
        _ if polls <= PENDING_POLLS => pending(),
        _ => {
            s.polls.lock().unwrap_or_else(|e| e.into_inner()).remove(&code);
            tokens(&s)
        }
    }
}

async fn authorize(State(s): State<Arc<AuthState>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let (Some(redirect), Some(state)) = (q.get("redirect_uri"), q.get("state")) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "redirect_uri and state are required.");
    };
    let Ok(mut target) = url::Url::parse(redirect) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Bad redirect_uri.");
    };
    if q.get("client_id").map(String::as_str) == Some(CLIENT_DENIED) {
        target.query_pairs_mut().append_pair("error", "access_denied").append_pair("state", state);
        return Redirect::to(target.as_str()).into_response();
    }
    if !q.get("client_id").is_some_and(|c| known_client(c))
        || q.get("code_challenge_method").map(String::as_str) != Some("S256")
    {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Unknown client_id, or no S256 challenge.");
    }
    let code = random();
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    s.codes.lock().unwrap_or_else(|e| e.into_inner()).insert(code.clone(), challenge);
    target.query_pairs_mut().append_pair("code", &code).append_pair("state", state);
    Redirect::to(target.as_str()).into_response()
}

async fn access_token(State(s): State<Arc<AuthState>>, body: Bytes) -> Response {
    let f = form(&body);
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    if !known_client(get("client_id")) || get("client_secret") != CLIENT_SECRET {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "The client ID or secret is wrong.");
    }
    match get("grant_type") {
        "authorization_code" => {
            let challenge = s.codes.lock().unwrap_or_else(|e| e.into_inner()).remove(get("code"));
            let computed = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .encode(sha2::Sha256::digest(get("code_verifier").as_bytes()));
            match challenge {
                Some(c) if c == computed => tokens(&s),
                _ => oauth_error(StatusCode::BAD_REQUEST, "invalid_grant", "The code or its verifier is wrong."),
            }
        }
        "refresh_token" => {
            tokio::time::sleep(s.refresh_latency).await;
            let token = get("refresh_token").to_string();
            let mut spent = s.spent.lock().unwrap_or_else(|e| e.into_inner());
            if !token.starts_with(REFRESH_PREFIX) || spent.contains(&token) {
                return oauth_error(
                    StatusCode::BAD_REQUEST,
                    "invalid_grant",
                    &format!("The refresh token {token} is expired or revoked."),
                );
            }
            // Rotation: the refresh token is spent, a new one comes with the new access token.
            spent.push(token);
            drop(spent);
            tokens(&s)
        }
        _ => oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "Unknown grant_type."),
    }
}

async fn me(headers: HeaderMap) -> Response {
    if let Some(refused) = super::unauthorized(&headers) {
        return refused;
    }
    let org = base64::engine::general_purpose::STANDARD_NO_PAD
        .encode("ciscospark://us/ORGANIZATION/0f1c3b2a-1111-4c5d-9e8f-0123456789ab");
    let body = serde_json::json!({
        "displayName": "Dana Demo",
        "emails": ["dana.demo@example.com"],
        "orgId": org,
    });
    (StatusCode::OK, [("content-type", "application/json")], body.to_string()).into_response()
}
