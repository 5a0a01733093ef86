//! The [`Client`] and the attempt loop: each attempt of a request built from the client's
//! configuration (URL, default headers, timeout, credentials, body), sent, and sent again
//! as the retry policy allows.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};

use super::auth::{Credential, SecurityScheme};
use super::config::ClientBuilder;
use super::error::TransportError;
use super::request::Request;
use super::response::{LiveResponse, Response};
use super::retry::{retry_after, retryable_status, RetryPolicy};

/// The API client. Cheap to clone: clones share one connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    pub(super) inner: Arc<Inner>,
}

/// A client's configuration, as [`ClientBuilder::build`] checked it.
pub(super) struct Inner {
    pub(super) http: reqwest::Client,
    pub(super) base_url: String,
    pub(super) schemes: &'static [SecurityScheme],
    pub(super) credentials: Vec<(&'static str, Credential)>,
    pub(super) timeout: Option<Duration>,
    pub(super) headers: HeaderMap,
    pub(super) retry: RetryPolicy,
    pub(super) max_body: u64,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .field("retry", &self.inner.retry)
            .field("max_body_size", &self.inner.max_body)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// A builder for a client of `base_url` with the spec's security schemes: what the
    /// generated `Client::builder` calls.
    #[doc(hidden)]
    pub fn builder_with(base_url: &str, schemes: &'static [SecurityScheme]) -> ClientBuilder {
        ClientBuilder::new(base_url, schemes)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request, again as the retry policy allows, and reads the whole response.
    #[doc(hidden)]
    pub async fn execute(&self, request: Request) -> Result<Response, TransportError> {
        self.open(request).await?.buffer().await
    }

    /// Sends a request, again as the retry policy allows, and returns once the response's
    /// headers arrive: the body is still to be read.
    #[doc(hidden)]
    pub async fn open(&self, request: Request) -> Result<LiveResponse, TransportError> {
        let policy = request.options.retry.as_ref().unwrap_or(&self.inner.retry);
        let may_retry = request.idempotent() && request.replayable();
        // The backoff is set up at the first retry: most requests never need it.
        let mut delays = None;
        let mut attempts = 0u32;
        #[cfg(feature = "tracing")]
        let span = tracing::info_span!(
            "request",
            method = %request.method,
            path = request.template,
            attempt = tracing::field::Empty,
            status = tracing::field::Empty,
        );
        loop {
            attempts += 1;
            #[cfg(feature = "tracing")]
            span.record("attempt", attempts);
            let outcome = self.build(&request).await?.send().await;
            // `Some(retry_after)` when the outcome is worth another attempt.
            let worth_retrying = match &outcome {
                Ok(response) => {
                    #[cfg(feature = "tracing")]
                    span.record("status", response.status().as_u16());
                    retryable_status(response.status(), request.retry_statuses)
                        .then(|| retry_after(response.headers()))
                }
                Err(e) => e.is_connect().then_some(None),
            };
            let delay = match worth_retrying {
                Some(asked) if may_retry => delays
                    .get_or_insert_with(|| policy.delays())
                    .next()
                    .map(|backoff| {
                        asked.map_or(backoff, |asked| asked.min(policy.max_retry_after))
                    }),
                _ => None,
            };
            match (outcome, delay) {
                (Ok(response), None) => {
                    return Ok(LiveResponse {
                        response,
                        attempts,
                        max_body: self.inner.max_body,
                    })
                }
                (Err(e), None) => return Err(TransportError::from_reqwest(e, attempts)),
                (_, Some(delay)) => {
                    #[cfg(feature = "tracing")]
                    tracing::debug!(
                        parent: &span,
                        attempt = attempts,
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    tokio::time::sleep(delay).await;
                }
            }
        }
    }

    /// One attempt of a request: URL, headers, credentials and body.
    async fn build(&self, request: &Request) -> Result<reqwest::RequestBuilder, TransportError> {
        let inner = &*self.inner;
        let mut url = String::with_capacity(inner.base_url.len() + request.path.len());
        url.push_str(&inner.base_url);
        url.push_str(&request.path);
        let mut builder = inner.http.request(request.method.clone(), url);
        // Header by header: cloning the map would allocate it anew for every request.
        for (name, value) in &inner.headers {
            builder = builder.header(name, value.clone());
        }
        builder = builder.header(ACCEPT, request.accept);
        if let Some(timeout) = request.options.timeout.or(inner.timeout) {
            builder = builder.timeout(timeout);
        }
        let mut query = request.query.clone();
        let mut cookies = request.cookies.clone();
        builder = self.authenticate(builder, request.security, &mut query, &mut cookies);
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in &request.headers {
            builder = builder.header(*name, value);
        }
        if !cookies.is_empty() {
            let mut cookie = HeaderValue::from_str(&cookies.join("; "))
                .map_err(|e| TransportError::Invalid(e.to_string()))?;
            cookie.set_sensitive(true);
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
        if !request.options.headers.is_empty() {
            let mut extra = HeaderMap::new();
            for (name, value) in &request.options.headers {
                let header = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|e| TransportError::Invalid(format!("header {name:?}: {e}")))?;
                let value = HeaderValue::from_str(value)
                    .map_err(|e| TransportError::Invalid(format!("header {name:?}: {e}")))?;
                extra.append(header, value);
            }
            builder = builder.headers(extra);
        }
        if !request.parts.is_empty() {
            builder = builder.multipart(request.multipart().await?);
        } else if let Some((content_type, body)) = &request.body {
            builder = builder
                .header(CONTENT_TYPE, *content_type)
                .body(body.clone());
        }
        Ok(builder)
    }
}
