//! The device grant's screen: the address, the code and a QR code of the address with the code
//! in it, on the terminal (stderr, never stdout), then polls at the server's interval with a
//! countdown to the code's expiry. Ctrl-C is handled by the caller (exit 130, nothing stored).

use std::io::{IsTerminal, Write};
use std::time::{Duration, Instant};

use super::oauth::{DeviceCode, OAuth, Poll, TokenReply};
use crate::error::Error;

/// Signs in with the device grant.
pub async fn sign_in(oauth: &OAuth, scopes: &str) -> Result<TokenReply, Error> {
    let code = oauth.device_authorize(scopes).await?;
    let tty = std::io::stderr().is_terminal();
    let mut err = std::io::stderr();
    let _ = err.write_all(screen(&code).as_bytes());
    let expires = Instant::now() + Duration::from_secs(code.expires_in.max(1));
    let mut interval = Duration::from_secs(code.interval.unwrap_or(5).max(1));
    let mut next_poll = Instant::now() + interval;
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    let mut line_shown = false;
    let result = loop {
        let left = expires.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break Err(Error::Auth("the code expired before it was approved: run wxpick auth login again".into()));
        }
        if tty || !line_shown {
            let _ = write!(err, "{}", countdown(left, tty));
            let _ = err.flush();
            line_shown = true;
        }
        tokio::select! {
            _ = ticks.tick() => continue,
            _ = tokio::time::sleep_until(next_poll.into()) => {}
        }
        match oauth.device_poll(&code.device_code).await {
            Ok(Poll::Pending) => {}
            Ok(Poll::SlowDown) => {
                interval = next_interval(interval, true);
                tracing::info!(secs = interval.as_secs(), "slow_down: polling less often");
            }
            Ok(Poll::Done(reply)) => break Ok(reply),
            Err(e) => break Err(e),
        }
        next_poll = Instant::now() + interval;
    };
    let _ = writeln!(err, "{}", if tty { "\r\x1b[2K" } else { "" });
    result
}

/// The interval after a poll: 5 s more after `slow_down` (RFC 8628, 3.5).
pub fn next_interval(current: Duration, slow_down: bool) -> Duration {
    if slow_down { current + Duration::from_secs(5) } else { current }
}

/// The text shown once: where to go, the code, the QR code.
pub fn screen(code: &DeviceCode) -> String {
    let uri = crate::sanitize::one_line(&code.verification_uri, 300);
    let user_code = crate::sanitize::one_line(&code.user_code, 40);
    let scan = code.verification_uri_complete.as_deref().unwrap_or(&code.verification_uri);
    let mut s = String::new();
    s.push_str("\nSign in to Webex: open this address in a browser on any device\n\n");
    s.push_str(&format!("    {uri}\n\nand enter the code\n\n    {user_code}\n\n"));
    if let Some(qr) = qr_text(scan) {
        s.push_str("or scan this with a phone (it opens the address with the code filled in):\n\n");
        s.push_str(&qr);
        s.push('\n');
    }
    s
}

/// A QR code in half blocks, light on dark with its quiet zone, as terminal QR codes are drawn.
fn qr_text(data: &str) -> Option<String> {
    use qrcode::render::unicode::Dense1x2;
    let code = qrcode::QrCode::new(data.as_bytes()).ok()?;
    let text = code.render::<Dense1x2>().dark_color(Dense1x2::Light).light_color(Dense1x2::Dark).build();
    Some(text.lines().map(|l| format!("    {l}\n")).collect())
}

fn countdown(left: Duration, tty: bool) -> String {
    let secs = left.as_secs();
    let text = format!("waiting for approval · the code expires in {}:{:02} · Ctrl-C cancels", secs / 60, secs % 60);
    if tty { format!("\r\x1b[2K{text}") } else { format!("{text}\n") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slow_down_adds_five_seconds() {
        assert_eq!(next_interval(Duration::from_secs(5), true), Duration::from_secs(10));
        assert_eq!(next_interval(Duration::from_secs(5), false), Duration::from_secs(5));
    }

    #[test]
    fn the_screen_shows_the_address_the_code_and_a_qr_code() {
        let code = DeviceCode {
            device_code: "dc".into(),
            user_code: "ABCD-1234".into(),
            verification_uri: "https://example.com/verify".into(),
            verification_uri_complete: Some("https://example.com/verify?userCode=ABCD-1234".into()),
            expires_in: 300,
            interval: Some(5),
        };
        let s = screen(&code);
        assert!(s.contains("https://example.com/verify\n") && s.contains("ABCD-1234"), "{s}");
        assert!(s.contains('▀') || s.contains('▄'), "a QR code: {s}");
        assert_eq!(
            countdown(Duration::from_secs(125), false),
            "waiting for approval · the code expires in 2:05 · Ctrl-C cancels\n"
        );
    }
}
