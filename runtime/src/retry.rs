//! Retries: the [`RetryPolicy`] (how many, exponential backoff with jitter), which statuses
//! are worth another attempt, and the wait a `Retry-After` header asks for.

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

/// When a failed request is sent again, and how long to wait first.
///
/// Retried: connection failures and the statuses 408, 409, 429, 500, 502, 503 and 504 (and
/// 524 or 529 where the operation documents them), for idempotent methods or requests with
/// an `Idempotency-Key`, unless a part of the body is a stream. The wait doubles from
/// `min_delay` up to `max_delay`, each wait lengthened by a random fraction of itself
/// (jitter); a `Retry-After` header (seconds or an HTTP date) replaces it, up to
/// `max_retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    min_delay: Duration,
    max_delay: Duration,
    pub(super) max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 2 retries, waits from 500 ms doubling up to 8 s (plus jitter), `Retry-After` honoured
    /// up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_retries: 2,
            min_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: every request is sent once.
    pub fn never() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// How many times a request may be sent again after the first attempt.
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The first wait, and the longest one the doubling reaches.
    pub fn backoff(mut self, min_delay: Duration, max_delay: Duration) -> Self {
        self.min_delay = min_delay;
        self.max_delay = max_delay.max(min_delay);
        self
    }

    /// The longest `Retry-After` honoured; a longer one is cut to it.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// The waits between attempts, exponential with jitter (from `backon`).
    pub(super) fn delays(&self) -> impl Iterator<Item = Duration> {
        use backon::BackoffBuilder;
        backon::ExponentialBuilder::default()
            .with_min_delay(self.min_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .with_max_times(self.max_retries as usize)
            .build()
    }
}

/// The wait a `Retry-After` header asks for: seconds, or an HTTP date.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let wait = date.signed_duration_since(now);
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Whether a status is worth another attempt.
pub(super) fn retryable_status(status: StatusCode, extra: &[u16]) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504)
        || extra.contains(&status.as_u16())
}
