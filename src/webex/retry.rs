//! When to try a failed request again, and after how long.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::error::ApiError;

/// A request that failed in a way that may pass, about to be tried again: for a countdown
/// ("attempt 1 of 5, next try in 3 s") while nothing has come yet.
#[derive(Debug, Clone)]
pub struct RetryNote {
    /// The attempts made so far (1 after the first failure).
    pub attempt: u32,
    /// The most attempts the policy makes (the first and its retries).
    pub attempts: u32,
    /// The wait before the next attempt, and when it ends.
    pub wait: Duration,
    pub until: Instant,
    pub error: ApiError,
}

/// Told of every retry of the clients that carry it (see [`ClientConfig::on_retry`]): the picker
/// draws its "connecting" countdown from these while the lookups before the list run.
///
/// [`ClientConfig::on_retry`]: super::ClientConfig::on_retry
#[derive(Clone)]
pub struct RetryWatch(Arc<dyn Fn(RetryNote) + Send + Sync>);

impl RetryWatch {
    pub fn new(f: impl Fn(RetryNote) + Send + Sync + 'static) -> Self {
        RetryWatch(Arc::new(f))
    }

    /// Tells the watcher of retry number `retry` (0-based) after `error`, in `wait`.
    pub fn tell(&self, policy: &RetryPolicy, retry: u32, wait: Duration, error: &ApiError) {
        let note = RetryNote {
            attempt: retry + 1,
            attempts: policy.max_retries + 1,
            wait,
            until: Instant::now() + wait,
            error: error.clone(),
        };
        (self.0)(note);
    }
}

impl std::fmt::Debug for RetryWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RetryWatch")
    }
}

#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// First backoff when the server gave no `Retry-After`; doubled each time, with jitter.
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// The longest `Retry-After` wxpick honours; longer ones are shortened to this.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 4,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// How long to wait before retry number `retry` (0-based), or `None` to give up: the server's
    /// `Retry-After` when it sent one (on any status worth retrying, 429, 423 and 503 alike), up
    /// to `max_retry_after`; else exponential backoff with jitter.
    pub fn delay(&self, err: &ApiError, retry: u32) -> Option<Duration> {
        if retry >= self.max_retries || !err.is_transient() {
            return None;
        }
        if let ApiError::Http { retry_after: Some(secs), .. } = err {
            return Some(Duration::from_secs(*secs).min(self.max_retry_after));
        }
        let exp = self.base_delay.saturating_mul(1 << retry.min(16)).min(self.max_delay);
        // Full jitter between half and all of the exponential step.
        let half = exp / 2;
        Some(half + half.mul_f64(fastrand::f64()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn http(status: u16, retry_after: Option<u64>) -> ApiError {
        ApiError::Http { status, message: None, tracking_id: None, retry_after, endpoint: None }
    }

    #[test]
    fn honours_retry_after_with_a_cap() {
        let p = RetryPolicy::default();
        assert_eq!(p.delay(&http(429, Some(3)), 0), Some(Duration::from_secs(3)));
        assert_eq!(p.delay(&http(423, Some(3600)), 0), Some(Duration::from_secs(60)));
        assert_eq!(p.delay(&http(503, Some(2)), 0), Some(Duration::from_secs(2)));
    }

    #[test]
    fn rate_limit_without_retry_after_backs_off() {
        let p = RetryPolicy::default();
        let d0 = p.delay(&http(429, None), 0).unwrap();
        let d3 = p.delay(&http(429, None), 3).unwrap();
        assert!(d0 >= Duration::from_millis(250) && d0 <= Duration::from_millis(500), "{d0:?}");
        assert!(d3 >= Duration::from_secs(2) && d3 <= Duration::from_secs(4), "{d3:?}");
    }

    #[test]
    fn backs_off_on_server_errors_and_gives_up() {
        let p = RetryPolicy::default();
        let d0 = p.delay(&http(503, None), 0).unwrap();
        let d2 = p.delay(&http(503, None), 2).unwrap();
        assert!(d0 <= Duration::from_millis(500) && d0 >= Duration::from_millis(250));
        assert!(d2 >= Duration::from_secs(1) && d2 <= Duration::from_secs(2));
        assert_eq!(p.delay(&http(503, None), 4), None);
        assert_eq!(p.delay(&http(404, None), 0), None);
        assert_eq!(p.delay(&http(401, None), 0), None);
    }
}
