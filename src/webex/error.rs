//! Errors from the Webex API, with what the user can do about each.

use serde::Deserialize;

use crate::numbers::record::ParseError;

/// The error body Webex sends: `{"message", "errors":[{"description"}], "trackingId"}`.
#[derive(Debug, Default, Deserialize)]
pub struct WebexErrorBody {
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub errors: Vec<WebexErrorItem>,
    #[serde(rename = "trackingId", default)]
    pub tracking_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct WebexErrorItem {
    #[serde(default)]
    pub description: Option<String>,
}

impl WebexErrorBody {
    /// Reads an error body; anything that is not one gives an empty body. The tracking ID is made
    /// safe to print, as the `TrackingID` header is.
    pub fn parse(body: &[u8]) -> Self {
        let mut parsed: Self = serde_json::from_slice(body).unwrap_or_default();
        parsed.tracking_id = parsed.tracking_id.map(|t| crate::sanitize::one_line(&t, 200));
        parsed
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

/// Anything that went wrong talking to the API.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    /// The server answered with an error status.
    #[error("{}", http_text(*.status, .message.as_deref(), .tracking_id.as_deref()))]
    Http { status: u16, message: Option<String>, tracking_id: Option<String>, retry_after: Option<u64> },
    /// No answer: connection refused, reset, DNS, TLS.
    #[error("cannot reach {host}: {detail}. Check the network, a proxy (HTTPS_PROXY) or --base-url")]
    Network { host: String, detail: String },
    /// The server took too long.
    #[error("no reply from {host} within {secs} s. Try again, or raise --timeout")]
    Timeout { host: String, secs: u64 },
    /// The answer could not be used.
    #[error("bad reply from the server (HTTP {status}{}): {detail}", tracking(.tracking_id.as_deref()))]
    BadReply { status: u16, detail: String, tracking_id: Option<String> },
    /// The body was larger than wxpick will read.
    #[error("the server's reply is larger than {}; refusing to read it", size_text(*.limit_bytes))]
    TooLarge { limit_bytes: u64 },
    /// The server's next-page link points somewhere the token must not go.
    #[error("the server's next-page link leaves {expected}; refusing to send the token to {got}")]
    ForeignLink { expected: String, got: String },
    /// The request could not be built.
    #[error("{0}")]
    Config(String),
}

impl ApiError {
    pub fn bad_reply(status: u16, e: ParseError, tracking_id: Option<String>) -> Self {
        ApiError::BadReply { status, detail: e.to_string(), tracking_id }
    }

    /// Whether trying again later may help.
    pub fn is_transient(&self) -> bool {
        match self {
            ApiError::Http { status, .. } => matches!(status, 423 | 429 | 502 | 503 | 504),
            ApiError::Network { .. } | ApiError::Timeout { .. } => true,
            ApiError::BadReply { detail, .. } => detail.contains("ends early"),
            _ => false,
        }
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

fn http_text(status: u16, message: Option<&str>, tracking_id: Option<&str>) -> String {
    let reason = reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("");
    let mut s = format!("HTTP {status} {reason}").trim_end().to_string();
    if let Some(m) = message {
        s.push_str(": ");
        s.push_str(m.trim_end_matches('.'));
    }
    if let Some(t) = tracking_id {
        s.push_str(&format!(" (trackingId {t})"));
    }
    if let Some(h) = hint(status) {
        s.push_str(". ");
        s.push_str(h);
    }
    s
}

/// What the user can do about an error status.
fn hint(status: u16) -> Option<&'static str> {
    Some(match status {
        400 => {
            "The request was refused: check --location, --org-id, --phone-number (E.164, comma-separated) and --page-size"
        }
        401 => {
            "The access token is missing, invalid or expired: get a new one and set WEBEX_ACCESS_TOKEN or use --token-file"
        }
        403 => {
            "The token lacks the scope spark-admin:telephony_config_read, or you are not an administrator of this location (or of --org-id)"
        }
        404 => "Unknown location: check --location (and --org-id for another organization)",
        423 | 429 => "The API is rate limiting; wait a moment and try again",
        500..=599 => "The Webex service had a problem; try again later",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_has_status_message_tracking_and_hint() {
        let body = WebexErrorBody::parse(br#"{"message":"Invalid access token.","errors":[{"description":"Invalid access token."}],"trackingId":"ROUTER_1"}"#);
        let e = ApiError::Http { status: 401, message: body.text(), tracking_id: body.tracking_id, retry_after: None };
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
}
