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

#[cfg(test)]
mod tests {
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    use super::*;

    fn headers(retry_after: &[u8]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_bytes(retry_after).unwrap());
        headers
    }

    #[test]
    fn retry_after_in_seconds() {
        assert_eq!(
            retry_after(&headers(b"120")),
            Some(Duration::from_secs(120))
        );
        assert_eq!(retry_after(&headers(b" 0 ")), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_as_an_http_date() {
        let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
        let at = now + chrono::Duration::seconds(90);
        let date = at.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let wait = retry_after(&headers(date.as_bytes())).expect("a date");
        assert!(
            (Duration::from_secs(85)..=Duration::from_secs(90)).contains(&wait),
            "{date}: {wait:?}"
        );
        // A date already past asks for no wait at all.
        let past = retry_after(&headers(b"Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(past, Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_garbage_or_absent_asks_nothing() {
        for garbage in [&b"soon"[..], b"-5", b"1.5", b"", b"12 seconds", b"\xFF"] {
            assert_eq!(retry_after(&headers(garbage)), None, "{garbage:?}");
        }
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[test]
    fn delays_double_and_are_capped_with_jitter_within_bounds() {
        let policy = RetryPolicy::default()
            .max_retries(7)
            .backoff(Duration::from_millis(100), Duration::from_millis(800));
        let bases = [100, 200, 400, 800, 800, 800, 800].map(Duration::from_millis);
        for _ in 0..20 {
            let delays: Vec<Duration> = policy.delays().collect();
            assert_eq!(delays.len(), bases.len());
            for (delay, base) in delays.iter().zip(bases) {
                // Jitter lengthens each wait by a fraction of itself, never shortens it.
                assert!(
                    base <= *delay && *delay <= base * 2,
                    "{delay:?} for {base:?}"
                );
            }
        }
    }

    #[test]
    fn jitter_spreads_the_waits() {
        let policy = RetryPolicy::default().backoff(Duration::from_secs(1), Duration::from_secs(1));
        let firsts: std::collections::BTreeSet<Duration> =
            (0..20).filter_map(|_| policy.delays().next()).collect();
        assert!(firsts.len() > 1, "the same wait every time: {firsts:?}");
    }

    #[test]
    fn never_and_max_retries_bound_the_waits() {
        assert_eq!(RetryPolicy::never().delays().count(), 0);
        assert_eq!(RetryPolicy::default().delays().count(), 2);
        assert_eq!(RetryPolicy::default().max_retries(5).delays().count(), 5);
    }

    #[test]
    fn a_cap_below_the_first_wait_is_raised_to_it() {
        let policy = RetryPolicy::default()
            .max_retries(3)
            .backoff(Duration::from_millis(300), Duration::from_millis(10));
        for delay in policy.delays() {
            let bounds = Duration::from_millis(300)..=Duration::from_millis(600);
            assert!(bounds.contains(&delay), "{delay:?}");
        }
    }

    #[test]
    fn retryable_statuses() {
        for status in [408, 409, 429, 500, 502, 503, 504] {
            assert!(retryable_status(StatusCode::from_u16(status).unwrap(), &[]));
        }
        for status in [200, 301, 400, 401, 404, 501, 529] {
            assert!(!retryable_status(
                StatusCode::from_u16(status).unwrap(),
                &[]
            ));
        }
        assert!(retryable_status(
            StatusCode::from_u16(529).unwrap(),
            &[524, 529]
        ));
    }
}
