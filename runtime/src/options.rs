//! Per-request settings: [`RequestOptions`] (timeout, retry policy, extra headers) and the
//! [`RequestExt`] trait through which every generated request builder sets them.

use std::fmt;
use std::time::Duration;

use super::retry::RetryPolicy;

/// What a caller sets on one request, beside its parameters: a timeout, a retry policy,
/// extra headers. Set through [`RequestExt`] on any request builder.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) headers: Vec<(String, String)>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header values may be secrets: only their names are shown.
        let names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names)
            .finish()
    }
}

/// Settings every request builder takes beside its parameters. Import it
/// (`use <crate>::RequestExt;`) to call them.
pub trait RequestExt: Sized {
    #[doc(hidden)]
    fn request_options(&mut self) -> &mut RequestOptions;

    /// The total time allowed for each attempt of this request, replacing the client's.
    fn with_timeout(mut self, timeout: Duration) -> Self {
        self.request_options().timeout = Some(timeout);
        self
    }

    /// Retries for this request, replacing the client's policy.
    fn with_retry(mut self, policy: RetryPolicy) -> Self {
        self.request_options().retry = Some(policy);
        self
    }

    /// An extra header for this request (`X-Title`, `HTTP-Referer`), beside the client's
    /// default headers; it replaces one of theirs with the same name. An invalid name or
    /// value makes `send` fail with
    /// [`Error::InvalidRequest`](super::error::Error::InvalidRequest) before anything is sent.
    fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request_options()
            .headers
            .push((name.into(), value.into()));
        self
    }

    /// An `Idempotency-Key` header: the server performs the request once however often it
    /// arrives, so a `POST` or `PATCH` carrying it is retried like a `GET`.
    fn with_idempotency_key(self, key: impl Into<String>) -> Self {
        self.with_header("Idempotency-Key", key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request builder as generated code declares one.
    #[derive(Default)]
    struct Builder {
        options: RequestOptions,
    }

    impl RequestExt for Builder {
        fn request_options(&mut self) -> &mut RequestOptions {
            &mut self.options
        }
    }

    #[test]
    fn settings_land_in_the_options() {
        let options = Builder::default()
            .with_timeout(Duration::from_secs(5))
            .with_retry(RetryPolicy::never())
            .with_header("X-Title", "app")
            .with_idempotency_key("key-1")
            .options;
        assert_eq!(options.timeout, Some(Duration::from_secs(5)));
        assert_eq!(options.retry, Some(RetryPolicy::never()));
        let headers: Vec<(&str, &str)> = options
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(headers, [("X-Title", "app"), ("Idempotency-Key", "key-1")]);
    }

    #[test]
    fn debug_shows_header_names_but_never_values() {
        let options = Builder::default()
            .with_header("Authorization", "Bearer s3cr3t")
            .with_header("X-Api-Key", "k-s3cr3t")
            .options;
        let shown = format!("{options:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("Authorization") && shown.contains("X-Api-Key"),
            "{shown}"
        );
    }
}
