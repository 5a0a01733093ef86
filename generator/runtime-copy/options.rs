//! Per-request settings: [`RequestOptions`] (timeout, retry policy, extra headers, and the
//! escape hatches for what the spec does not have yet: extra query parameters and JSON body
//! fields) and the [`RequestExt`] trait through which every generated request builder sets
//! them.

use std::fmt;
use std::time::Duration;

use super::retry::RetryPolicy;

/// What a caller sets on one request, beside its parameters: a timeout, a retry policy,
/// extra headers, query parameters and body fields. Set through [`RequestExt`] on any
/// request builder.
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(super) timeout: Option<Duration>,
    pub(super) retry: Option<RetryPolicy>,
    pub(super) headers: Vec<(String, String)>,
    pub(super) query: Vec<(String, String)>,
    pub(super) body_fields: Vec<(String, serde_json::Value)>,
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Header, query and body values may be secrets: only their names are shown.
        let names =
            |pairs: &mut dyn Iterator<Item = &String>| -> Vec<String> { pairs.cloned().collect() };
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &names(&mut self.headers.iter().map(|(n, _)| n)))
            .field("query", &names(&mut self.query.iter().map(|(n, _)| n)))
            .field(
                "body_fields",
                &names(&mut self.body_fields.iter().map(|(n, _)| n)),
            )
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

    /// An extra query parameter, sent after the operation's own (`name=value`,
    /// percent-encoded): for a parameter the API accepts but the spec does not have yet.
    /// Called twice with one name, both pairs are sent.
    fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request_options()
            .query
            .push((name.into(), value.into()));
        self
    }

    /// An extra top-level field of the JSON body, for a field the API accepts but the spec
    /// does not have yet: `with_body_field("reasoning", json!({"exclude": true}))`. It is
    /// merged into the body the request's own fields make: an object into an object of the
    /// same name key by key (so `reasoning.effort` set through the typed body stays), any
    /// other value in place of the field. When the body is not a JSON object (the operation
    /// takes no body, a form or an upload, or an array), `send` fails with
    /// [`Error::InvalidRequest`](super::error::Error::InvalidRequest) before anything is sent.
    fn with_body_field(
        mut self,
        name: impl Into<String>,
        value: impl Into<serde_json::Value>,
    ) -> Self {
        self.request_options()
            .body_fields
            .push((name.into(), value.into()));
        self
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
            .with_query("key", "q-s3cr3t")
            .with_body_field("token", "b-s3cr3t")
            .options;
        let shown = format!("{options:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        for name in ["Authorization", "X-Api-Key", "key", "token"] {
            assert!(shown.contains(name), "{name} in {shown}");
        }
    }

    #[test]
    fn extra_query_pairs_and_body_fields_land_in_the_options_in_order() {
        let options = Builder::default()
            .with_query("a", "1")
            .with_query("a", "2")
            .with_body_field("reasoning", serde_json::json!({"exclude": true}))
            .with_body_field("n", 3)
            .options;
        assert_eq!(
            options.query,
            [
                ("a".to_owned(), "1".to_owned()),
                ("a".to_owned(), "2".to_owned())
            ]
        );
        assert_eq!(
            options.body_fields,
            [
                ("reasoning".to_owned(), serde_json::json!({"exclude": true})),
                ("n".to_owned(), serde_json::json!(3)),
            ]
        );
    }
}
