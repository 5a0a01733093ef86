//! The [`Client`] and the attempt loop: each attempt of a request built from the client's
//! configuration (URL, default headers, timeout, credentials, body), sent, and sent again
//! as the retry policy allows; and [`send_request`], what every operation's `send` runs.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE};

use super::auth::{Credential, SecurityScheme};
use super::config::ClientBuilder;
use super::error::{Error, RequestError, TransportError};
use super::options::RequestOptions;
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
    pub async fn open(&self, mut request: Request) -> Result<LiveResponse, TransportError> {
        request
            .merge_body_fields()
            .map_err(|e| TransportError::Invalid(e.0))?;
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
        query.extend(request.options.query.iter().cloned());
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

/// What an operation's `send` does: sends the request (or returns the error met building
/// it) with the caller's options, and decodes the response with `decode`, the operation's
/// match on statuses. One generic future here rather than an `async fn` per operation:
/// a crate compiles the operations' futures only for the operations its users call.
#[doc(hidden)]
pub async fn send_request<T, E>(
    client: &Client,
    request: Result<Request, RequestError>,
    options: RequestOptions,
    decode: impl FnOnce(Response) -> Result<T, Error<E>>,
) -> Result<T, Error<E>> {
    let mut request = request?;
    request.options(options);
    let response = client.execute(request).await?;
    decode(response)
}

/// `client_types!("builder docs", "default base URL", SECURITY_SCHEMES)`: a generated
/// crate's own `Client` and `ClientBuilder`, which wrap this module's and forward to them.
///
/// A generated crate adds an inherent method per operation to its `Client` and a credential
/// setter per security scheme to its `ClientBuilder`, which Rust allows only on types the
/// crate defines: these are those types. The wrappers and their forwarding methods are
/// written here once, next to what they forward to, rather than by the generator into every
/// crate: a generated `client.rs` stays a few lines, and a setting added to the builder reaches
/// every crate built against this runtime. `Client` derefs to the runtime's, so generated
/// code passes `self.client` where `&Client` of the runtime is expected. The docs link to the
/// generated crate's root (`crate::RetryPolicy`), which re-exports the runtime's public types.
#[doc(hidden)]
#[macro_export]
macro_rules! client_types {
    ($builder_doc:literal, $default_url:literal, $schemes:expr $(,)?) => {
        /// The API client: a method per operation, each starting a request to `send().await`.
        /// Cheap to clone: clones share one connection pool and configuration. Built with
        /// [`Client::builder`].
        #[derive(Clone)]
        pub struct Client($crate::runtime::Client);

        /// The `User-Agent` sent unless a default header overrides it: this crate's name and
        /// version.
        pub const USER_AGENT: &str =
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        impl Client {
            #[doc = $builder_doc]
            pub fn builder() -> ClientBuilder {
                let builder = $crate::runtime::Client::builder_with($default_url, $schemes);
                ClientBuilder(builder.default_header("user-agent", USER_AGENT))
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                self.0.base_url()
            }
        }

        impl std::ops::Deref for Client {
            type Target = $crate::runtime::Client;

            /// The runtime's client, which operations send their requests through.
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }

        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        /// Configures a [`Client`]: base URL, credentials, timeouts, headers, retries, the
        /// HTTP client.
        ///
        /// Two safety limits apply unless changed: response bodies read into memory stop at
        /// [`ClientBuilder::max_body_size`] (16 MiB), and redirects are followed only within
        /// the request's origin ([`same_origin_redirects`](crate::same_origin_redirects)), so
        /// credentials never go to another host.
        #[must_use]
        pub struct ClientBuilder($crate::runtime::ClientBuilder);

        impl std::fmt::Debug for ClientBuilder {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(&self.0, f)
            }
        }

        impl ClientBuilder {
            /// The URL that operation paths are appended to (the spec's first server by
            /// default).
            pub fn base_url(self, url: impl Into<String>) -> Self {
                Self(self.0.base_url(url))
            }

            /// Total time allowed for each attempt of a request, from sending to the end of
            /// the body (for streams: to the end of the stream). No limit by default; a
            /// request can set its own with
            /// [`RequestExt::with_timeout`](crate::RequestExt::with_timeout).
            pub fn timeout(self, timeout: std::time::Duration) -> Self {
                Self(self.0.timeout(timeout))
            }

            /// When and how often failed requests are sent again;
            /// [`RetryPolicy::default`](crate::RetryPolicy::default) unless set (2 retries),
            /// [`RetryPolicy::never`](crate::RetryPolicy::never) to turn retries off. A
            /// request can set its own with
            /// [`RequestExt::with_retry`](crate::RequestExt::with_retry).
            pub fn retry_policy(self, policy: $crate::runtime::RetryPolicy) -> Self {
                Self(self.0.retry_policy(policy))
            }

            /// Time allowed to establish a connection. Ignored with
            /// [`ClientBuilder::http_client`], whose own settings apply.
            pub fn connect_timeout(self, timeout: std::time::Duration) -> Self {
                Self(self.0.connect_timeout(timeout))
            }

            /// The longest response body read into memory, in bytes
            /// ([`DEFAULT_MAX_BODY_SIZE`](crate::DEFAULT_MAX_BODY_SIZE), 16 MiB, unless set).
            /// A longer body fails with [`Error::BodyTooLarge`](crate::Error::BodyTooLarge) as
            /// soon as it is known to be longer, so a server cannot exhaust memory. Streams
            /// (server-sent events, byte streams) have no limit.
            pub fn max_body_size(self, bytes: u64) -> Self {
                Self(self.0.max_body_size(bytes))
            }

            /// Speaks HTTP/2 from the first byte, without negotiating it (HTTP/2 over
            /// cleartext with prior knowledge), for servers known to speak it. Ignored with
            /// [`ClientBuilder::http_client`], whose own settings apply.
            pub fn http2_prior_knowledge(self) -> Self {
                Self(self.0.http2_prior_knowledge())
            }

            /// Sends requests through the caller's own `reqwest::Client` (proxies, pools,
            /// TLS). Its own redirect policy then applies instead of
            /// [`same_origin_redirects`](crate::same_origin_redirects).
            pub fn http_client(self, client: reqwest::Client) -> Self {
                Self(self.0.http_client(client))
            }

            /// A header sent with every request (it replaces `User-Agent` if so named).
            /// Values of headers whose name suggests a credential (`Authorization`,
            /// `Cookie`, names with `key`, `token`, `secret` or `auth`) are marked sensitive:
            /// `Debug` output hides them.
            pub fn default_header(self, name: &str, value: &str) -> Self {
                Self(self.0.default_header(name, value))
            }

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, $crate::runtime::BuildError> {
                self.0.build().map(Client)
            }

            /// Sets the token or key of `scheme`: what the credential setters call.
            #[doc(hidden)]
            pub fn token(self, scheme: &'static str, token: String) -> Self {
                Self(self.0.token(scheme, token))
            }

            /// Sets the user name and password of `scheme`, an HTTP Basic one.
            #[doc(hidden)]
            pub fn basic(self, scheme: &'static str, username: String, password: String) -> Self {
                Self(self.0.basic(scheme, username, password))
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use client_types;

#[cfg(test)]
mod tests {
    use reqwest::Method;
    use wiremock::matchers::{header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;
    use crate::options::{RequestExt, RequestOptions};

    /// Retries without waiting long.
    fn quick() -> RetryPolicy {
        RetryPolicy::default().backoff(Duration::from_millis(1), Duration::from_millis(2))
    }

    fn client(url: &str, retry: RetryPolicy) -> Client {
        Client::builder_with(url, &[])
            .retry_policy(retry)
            .build()
            .unwrap()
    }

    fn request(method: Method) -> Request {
        let mut request = Request::new(method, "/items", "/items".into());
        request.accept("application/json");
        request
    }

    /// A server answering `first` once, then 200.
    async fn server(first: ResponseTemplate) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(path("/items"))
            .respond_with(first)
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(path("/items"))
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(&server)
            .await;
        server
    }

    #[tokio::test]
    async fn an_idempotent_request_is_sent_again_after_a_retryable_status() {
        let server = server(ResponseTemplate::new(503)).await;
        let response = client(&server.uri(), quick())
            .execute(request(Method::GET))
            .await
            .unwrap();
        assert_eq!((response.status(), response.attempts), (200, 2));
        assert_eq!(&response.body[..], b"ok");
    }

    #[tokio::test]
    async fn a_post_is_sent_again_only_with_an_idempotency_key() {
        let server = server(ResponseTemplate::new(503)).await;
        let client = client(&server.uri(), quick());
        let response = client.execute(request(Method::POST)).await.unwrap();
        assert_eq!((response.status(), response.attempts), (503, 1));
        let server = self::server(ResponseTemplate::new(503)).await;
        let client = self::client(&server.uri(), quick());
        let mut keyed = request(Method::POST);
        keyed.options(Options::default().with_idempotency_key("k").0);
        let response = client.execute(keyed).await.unwrap();
        assert_eq!((response.status(), response.attempts), (200, 2));
    }

    #[tokio::test]
    async fn other_statuses_and_spent_retries_come_back_as_they_are() {
        let server = server(ResponseTemplate::new(404)).await;
        let response = client(&server.uri(), quick())
            .execute(request(Method::GET))
            .await
            .unwrap();
        assert_eq!((response.status(), response.attempts), (404, 1));
        let server = MockServer::start().await;
        Mock::given(path("/items"))
            .respond_with(ResponseTemplate::new(429))
            .mount(&server)
            .await;
        let response = client(&server.uri(), quick().max_retries(3))
            .execute(request(Method::GET))
            .await
            .unwrap();
        assert_eq!((response.status(), response.attempts), (429, 4));
        let response = client(&server.uri(), RetryPolicy::never())
            .execute(request(Method::GET))
            .await
            .unwrap();
        assert_eq!((response.status(), response.attempts), (429, 1));
    }

    #[tokio::test]
    async fn statuses_the_operation_documents_are_retried_too() {
        let server = server(ResponseTemplate::new(529)).await;
        let mut documented = request(Method::GET);
        documented.retry_statuses(&[529]);
        let response = client(&server.uri(), quick())
            .execute(documented)
            .await
            .unwrap();
        assert_eq!((response.status(), response.attempts), (200, 2));
    }

    #[tokio::test]
    async fn a_retry_after_is_honoured_up_to_its_cap() {
        let server = server(ResponseTemplate::new(503).insert_header("Retry-After", "3600")).await;
        let policy = quick().max_retry_after(Duration::from_millis(5));
        let client = client(&server.uri(), policy);
        let sent = client.execute(request(Method::GET));
        let response = tokio::time::timeout(Duration::from_secs(10), sent)
            .await
            .expect("the hour-long Retry-After is cut to 5 ms")
            .unwrap();
        assert_eq!((response.status(), response.attempts), (200, 2));
    }

    #[tokio::test]
    async fn a_refused_connection_is_retried_then_reported_with_its_attempts() {
        // A port that was just free: nothing listens there.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let error = client(&format!("http://127.0.0.1:{port}"), quick())
            .execute(request(Method::GET))
            .await
            .expect_err("nothing listens");
        assert!(
            matches!(error, TransportError::Transport(_, 3)),
            "{error:?}"
        );
    }

    /// A request builder as generated code declares one.
    #[derive(Default)]
    struct Options(RequestOptions);

    impl RequestExt for Options {
        fn request_options(&mut self) -> &mut RequestOptions {
            &mut self.0
        }
    }

    #[tokio::test]
    async fn an_attempt_carries_headers_query_cookies_and_body() {
        let client = Client::builder_with("http://api.test/v1", &[])
            .default_header("X-Default", "d")
            .default_header("X-Replaced", "client")
            .build()
            .unwrap();
        let mut request = Request::new(Method::POST, "/items/{id}", "/items/a%2Fb".into());
        request.accept("text/event-stream");
        request
            .query("a", &serde_json::json!({"b": ["c"]}))
            .unwrap();
        request.query("q", "x y").unwrap();
        request.header("X-Param", &7).unwrap();
        request.cookie("one", "1").unwrap();
        request.cookie("two", "2").unwrap();
        request
            .json("application/json", &serde_json::json!({"k": "v"}))
            .unwrap();
        let options = Options::default()
            .with_header("X-Replaced", "request")
            .with_timeout(Duration::from_secs(1));
        request.options(options.0);
        let sent = client.build(&request).await.unwrap().build().unwrap();
        assert_eq!(
            sent.url().as_str(),
            "http://api.test/v1/items/a%2Fb?a%5Bb%5D%5B0%5D=c&q=x+y"
        );
        let headers = sent.headers();
        assert_eq!(headers[ACCEPT], "text/event-stream");
        assert_eq!(headers["x-default"], "d");
        assert_eq!(headers["x-param"], "7");
        assert_eq!(headers.get_all("x-replaced").iter().count(), 1);
        assert_eq!(headers["x-replaced"], "request");
        assert_eq!(headers[reqwest::header::COOKIE], "one=1; two=2");
        assert!(headers[reqwest::header::COOKIE].is_sensitive());
        assert_eq!(headers[CONTENT_TYPE], "application/json");
        let body = sent.body().and_then(|b| b.as_bytes()).unwrap();
        assert_eq!(body, br#"{"k":"v"}"#);
        assert_eq!(sent.timeout(), Some(&Duration::from_secs(1)));
    }

    #[tokio::test]
    async fn an_invalid_request_header_is_refused_before_sending() {
        let server = MockServer::start().await;
        let client = client(&server.uri(), quick());
        let mut request = request(Method::GET);
        request.options(Options::default().with_header("bad name", "v").0);
        let error = client.execute(request).await.expect_err("invalid header");
        assert!(matches!(&error, TransportError::Invalid(message) if message.contains("bad name")));
        assert!(server.received_requests().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn open_returns_before_the_body_is_read() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(header("accept", "application/json"))
            .respond_with(ResponseTemplate::new(201).set_body_string("later"))
            .mount(&server)
            .await;
        let live = client(&server.uri(), quick())
            .open(request(Method::GET))
            .await
            .unwrap();
        assert_eq!(live.status(), 201);
        let response = live.buffer().await.unwrap();
        assert_eq!(&response.body[..], b"later");
    }

    /// What a generated `client.rs` writes, with no security scheme.
    #[allow(dead_code)]
    mod generated {
        const SCHEMES: &[crate::SecurityScheme] = &[];
        crate::runtime::client_types!(" A builder.", "http://api.test/v1", SCHEMES);
    }

    #[test]
    fn the_generated_client_types_wrap_the_runtime_ones() {
        let client = generated::Client::builder()
            .retry_policy(RetryPolicy::never())
            .timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        assert_eq!(client.base_url(), "http://api.test/v1");
        let runtime: &Client = &client;
        assert_eq!(format!("{runtime:?}"), format!("{client:?}"));
        // The crate that invokes the macro names itself (here the runtime crate does).
        assert_eq!(generated::USER_AGENT, crate::USER_AGENT);
        assert_eq!(
            runtime.inner.headers[reqwest::header::USER_AGENT],
            generated::USER_AGENT
        );
        let error = generated::Client::builder()
            .base_url("ftp://files.test")
            .build()
            .unwrap_err();
        assert!(matches!(error, crate::BuildError::InvalidBaseUrl { .. }));
    }
}
