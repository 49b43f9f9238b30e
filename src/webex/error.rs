//! Errors from the Webex API, with what the user can do about each.

use std::time::Duration;

use serde_json::Value;

use super::endpoint::Endpoint;
use crate::numbers::record::ParseError;

/// The error body Webex sends: `{"message", "errors":[{"description"}], "trackingId"}`.
#[derive(Debug, Default)]
pub struct WebexErrorBody {
    pub message: Option<String>,
    pub errors: Vec<WebexErrorItem>,
    pub tracking_id: Option<String>,
}

/// One entry of an error body's `errors`.
#[derive(Debug, Default)]
pub struct WebexErrorItem {
    pub description: Option<String>,
}

impl WebexErrorBody {
    /// Reads an error body field by field, so that a `null`, a number where text was expected or
    /// extra fields lose only that field; anything that is not a JSON object gives an empty
    /// body. The tracking ID is made safe to print, as the `TrackingID` header is.
    pub fn parse(body: &[u8]) -> Self {
        let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(body) else { return Self::default() };
        let errors = match obj.get("errors") {
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| WebexErrorItem { description: item.get("description").and_then(text_of) })
                .collect(),
            _ => Vec::new(),
        };
        WebexErrorBody {
            message: obj.get("message").and_then(text_of),
            errors,
            tracking_id: obj.get("trackingId").and_then(text_of).map(|t| crate::sanitize::server_text(&t, 200)),
        }
    }

    /// The message, or else the first error description.
    pub fn text(&self) -> Option<String> {
        let msg = self.message.as_deref().filter(|m| !m.trim().is_empty());
        let desc = self.errors.iter().filter_map(|e| e.description.as_deref()).find(|d| !d.trim().is_empty());
        match (msg, desc) {
            (Some(m), Some(d)) if m.trim() != d.trim() && !m.contains(d.trim()) => Some(format!("{m} ({d})")),
            (Some(m), _) => Some(m.to_string()),
            (None, Some(d)) => Some(d.to_string()),
            (None, None) => None,
        }
    }
}

/// A JSON value as text, if it is a string: a message that is a number or an object is not
/// Webex's text, and the error's descriptions are used instead.
fn text_of(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

/// What was wrong with a reply that came with a success status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadReplyKind {
    /// No body, or only whitespace: the API always sends its list, so something cut it.
    Empty,
    /// Not JSON at all ([`ParseError::NotJson`]).
    NotJson,
    /// JSON, but not the list ([`ParseError::WrongShape`]).
    WrongShape,
    /// JSON that stops in the middle ([`ParseError::Truncated`]).
    Truncated,
    /// A `Link` header whose next-page target is not a URL.
    BadLink,
}

impl From<&ParseError> for BadReplyKind {
    fn from(e: &ParseError) -> Self {
        match e {
            ParseError::NotJson(_) => BadReplyKind::NotJson,
            ParseError::WrongShape(_) => BadReplyKind::WrongShape,
            ParseError::Truncated(_) => BadReplyKind::Truncated,
        }
    }
}

/// Anything that went wrong talking to the API.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error status. `retry_after` is the `Retry-After` header in whole
    /// seconds (rounded up; an HTTP-date counts from now); `endpoint` is the list asked for, whose
    /// row says what a 403 or 404 means there.
    #[error("{}", http_text(*.status, .message.as_deref(), .tracking_id.as_deref(), *.endpoint))]
    Http {
        status: u16,
        message: Option<String>,
        tracking_id: Option<String>,
        retry_after: Option<u64>,
        endpoint: Option<&'static Endpoint>,
    },
    /// No answer: connection refused, reset, DNS, TLS. `host` is `host:port`; `connect`: the
    /// connection could not be made (else it broke off).
    #[error(
        "{} {host}: {detail}. Check the network, a proxy (HTTPS_PROXY) or --base-url",
        if *.connect { "cannot connect to" } else { "lost the connection to" }
    )]
    Network { host: String, detail: String, connect: bool },
    /// Connected, but the reply did not come within the request timeout.
    #[error("no reply from {host} within {secs} s. Try again, or raise --timeout")]
    Timeout { host: String, secs: u64 },
    /// The connection could not be made within the connect timeout.
    #[error(
        "cannot connect to {host} within {} (--connect-timeout). Check the network or a proxy (HTTPS_PROXY), or raise --connect-timeout",
        duration_text(*.after)
    )]
    ConnectTimeout { host: String, after: Duration },
    /// The answer could not be used.
    #[error("bad reply from the server (HTTP {status}{}): {detail}", tracking(.tracking_id.as_deref()))]
    BadReply { status: u16, kind: BadReplyKind, detail: String, tracking_id: Option<String> },
    /// The body was larger than wxpick will read.
    #[error("the server's reply is larger than {}; refusing to read it", size_text(*.limit_bytes))]
    TooLarge { limit_bytes: u64 },
    /// The server's next-page link points somewhere the token must not go.
    #[error("the server's next-page link leaves {expected}; refusing to send the token to {got}")]
    ForeignLink { expected: String, got: String },
    /// The request could not be built.
    #[error("{0}")]
    Config(String),
    /// The stored sign-in's token was refused and could not be refreshed.
    #[error("signed out: run wxpick auth login")]
    SignedOut,
    /// The one waiting for the fetch went away.
    #[error("cancelled")]
    Cancelled,
    /// The fetch task ended without saying how the list ended.
    #[error("the fetch stopped unexpectedly")]
    FetchStopped,
}

impl ApiError {
    pub fn bad_reply(status: u16, e: ParseError, tracking_id: Option<String>) -> Self {
        ApiError::BadReply { status, kind: BadReplyKind::from(&e), detail: e.to_string(), tracking_id }
    }

    /// Whether the server asked to slow down (429 Too Many Requests, 423 Locked).
    pub fn is_rate_limited(&self) -> bool {
        matches!(self, ApiError::Http { status: 423 | 429, .. })
    }

    /// Whether trying again later may help.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => matches!(status, 423 | 429 | 502 | 503 | 504),
            ApiError::Network { .. } | ApiError::Timeout { .. } | ApiError::ConnectTimeout { .. } => true,
            ApiError::BadReply { kind, .. } => matches!(kind, BadReplyKind::Empty | BadReplyKind::Truncated),
            _ => false,
        }
    }
}

/// `300 ms`, `10 s`, `1.5 s`.
fn duration_text(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{} ms", d.as_millis())
    } else if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{:.1} s", d.as_secs_f64())
    }
}

fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{bytes} bytes")
    }
}

fn tracking(id: Option<&str>) -> String {
    id.map(|t| format!(", trackingId {t}")).unwrap_or_default()
}

fn http_text(status: u16, message: Option<&str>, tracking_id: Option<&str>, endpoint: Option<&Endpoint>) -> String {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    let mut s = format!("HTTP {status} {reason}").trim_end().to_string();
    if let Some(m) = message {
        s.push_str(": ");
        s.push_str(m.trim_end_matches('.'));
    }
    if let Some(t) = tracking_id {
        s.push_str(&format!(" (trackingId {t})"));
    }
    if let Some(h) = hint(status, endpoint) {
        s.push_str(". ");
        s.push_str(&h);
    }
    s
}

/// What the user can do about an error status: 403 and 404 from the list's row, the rest generic.
fn hint(status: u16, endpoint: Option<&Endpoint>) -> Option<std::borrow::Cow<'static, str>> {
    Some(match (status, endpoint) {
        (403, Some(e)) => return Some(e.hint_403().into()),
        (404, Some(e)) => return Some(e.hint_404().into()),
        (400, _) => {
            "The request was refused: check --location, --org-id, --phone-number (E.164, comma-separated) and --page-size"
        }
        (401, _) => {
            "The access token is missing, invalid or expired: run wxpick auth login, or set a new one in WEBEX_ACCESS_TOKEN or --token-file"
        }
        (403, None) => {
            "The token lacks the scope this list needs, or you are not an administrator of it (or of --org-id)"
        }
        (404, None) => "Not found: check the ID given (and --org-id for another organization)",
        (423 | 429, _) => "The API is rate limiting; wait a moment and try again",
        (500..=599, _) => "The Webex service had a problem; try again later",
        _ => return None,
    }
    .into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webex::endpoint::QUEUE;

    #[test]
    fn error_text_has_status_message_tracking_and_hint() {
        let body = WebexErrorBody::parse(br#"{"message":"Invalid access token.","errors":[{"description":"Invalid access token."}],"trackingId":"ROUTER_1"}"#);
        let e = ApiError::Http {
            status: 401,
            message: body.text(),
            tracking_id: body.tracking_id,
            retry_after: None,
            endpoint: None,
        };
        let s = e.to_string();
        assert!(s.starts_with("HTTP 401 Unauthorized: Invalid access token (trackingId ROUTER_1)."), "{s}");
        assert!(s.contains("expired"), "{s}");
    }

    #[test]
    fn description_used_when_message_missing() {
        let body = WebexErrorBody::parse(br#"{"errors":[{"description":"Location not found"}]}"#);
        assert_eq!(body.text().as_deref(), Some("Location not found"));
        assert!(WebexErrorBody::parse(b"<html>").text().is_none());
    }

    #[test]
    fn hints_for_403_and_404_come_from_the_row() {
        let e = |status| ApiError::Http {
            status,
            message: None,
            tracking_id: None,
            retry_after: None,
            endpoint: Some(&QUEUE),
        };
        assert!(e(404).to_string().ends_with(&QUEUE.hint_404()), "{}", e(404));
        assert!(e(403).to_string().ends_with(&QUEUE.hint_403()), "{}", e(403));
    }

    #[test]
    fn transient_by_kind_not_by_text() {
        let bad = |kind| ApiError::BadReply { status: 200, kind, detail: "ends early".into(), tracking_id: None };
        assert!(bad(BadReplyKind::Empty).is_transient());
        assert!(bad(BadReplyKind::Truncated).is_transient());
        assert!(!bad(BadReplyKind::NotJson).is_transient(), "the text does not matter");
        assert!(!bad(BadReplyKind::WrongShape).is_transient());
    }
}
