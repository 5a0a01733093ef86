//! Configuration: [`ClientBuilder`] (base URL, timeouts, default headers, retries, body
//! size limit, the HTTP client), the [`BuildError`] of a configuration that cannot work,
//! and the redirect policy that keeps credentials on the request's origin.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::auth::{Credential, SecurityScheme};
use super::client::{Client, Inner};
use super::retry::RetryPolicy;

/// The `User-Agent` sent unless a default header overrides it: this crate's name and version.
/// A generated crate's builder sends the generated crate's instead (see `client_types!`).
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Why a [`Client`] could not be built.
#[derive(Debug)]
#[non_exhaustive]
pub enum BuildError {
    /// The base URL is not an absolute `http`/`https` URL.
    InvalidBaseUrl { url: String, reason: String },
    /// A default header's name or value is not valid in HTTP.
    InvalidHeader { name: String, reason: String },
    /// `reqwest` could not build its client (TLS back end, resolver).
    Http(reqwest::Error),
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::InvalidBaseUrl { url, reason } => {
                write!(f, "invalid base URL {url:?}: {reason}")
            }
            BuildError::InvalidHeader { name, reason } => {
                write!(f, "invalid default header {name:?}: {reason}")
            }
            BuildError::Http(e) => write!(f, "cannot build the HTTP client: {e}"),
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Http(e) => Some(e),
            _ => None,
        }
    }
}

/// Configures a [`Client`]: base URL, credentials, timeouts, headers, the HTTP client.
///
/// Two safety limits apply unless changed: response bodies read into memory stop at
/// [`ClientBuilder::max_body_size`] (16 MiB), and redirects are followed only within the
/// request's origin ([`same_origin_redirects`]), so credentials never go to another host.
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    schemes: &'static [SecurityScheme],
    pub(super) credentials: Vec<(&'static str, Credential)>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    headers: HeaderMap,
    retry: RetryPolicy,
    max_body: u64,
    http2_prior_knowledge: bool,
    error: Option<BuildError>,
}

/// The default of [`ClientBuilder::max_body_size`]: 16 MiB.
pub const DEFAULT_MAX_BODY_SIZE: u64 = 16 * 1024 * 1024;

/// How many redirects one request follows at most.
const MAX_REDIRECTS: usize = 10;

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("headers", &self.headers)
            .field("retry", &self.retry)
            .field("max_body_size", &self.max_body)
            .field("http2_prior_knowledge", &self.http2_prior_knowledge)
            .finish_non_exhaustive()
    }
}

impl ClientBuilder {
    pub(super) fn new(base_url: &str, schemes: &'static [SecurityScheme]) -> Self {
        ClientBuilder {
            base_url: base_url.to_owned(),
            schemes,
            credentials: Vec::new(),
            http: None,
            timeout: None,
            connect_timeout: None,
            headers: HeaderMap::new(),
            retry: RetryPolicy::default(),
            max_body: DEFAULT_MAX_BODY_SIZE,
            http2_prior_knowledge: false,
            error: None,
        }
    }

    /// The URL that operation paths are appended to (the spec's first server by default).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Total time allowed for each attempt of a request, from sending to the end of the body
    /// (for streams: to the end of the stream). No limit by default; a request can set its
    /// own with [`RequestExt::with_timeout`](super::options::RequestExt::with_timeout).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When and how often failed requests are sent again; [`RetryPolicy::default`] unless
    /// set (2 retries), [`RetryPolicy::never`] to turn retries off. A request can set its own
    /// with [`RequestExt::with_retry`](super::options::RequestExt::with_retry).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Time allowed to establish a connection. Ignored with [`ClientBuilder::http_client`],
    /// whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// The longest response body read into memory, in bytes ([`DEFAULT_MAX_BODY_SIZE`],
    /// 16 MiB, unless set): JSON, text and byte bodies, documented or not. A longer body
    /// fails with [`Error::BodyTooLarge`](super::error::Error::BodyTooLarge) as soon as it is
    /// known to be longer (from its `Content-Length`, or while reading it), so a server
    /// cannot exhaust memory. Streams (server-sent events, byte streams) have no limit: they
    /// are read a piece at a time.
    pub fn max_body_size(mut self, bytes: u64) -> Self {
        self.max_body = bytes;
        self
    }

    /// Speaks HTTP/2 from the first byte, without negotiating it (HTTP/2 over cleartext
    /// with prior knowledge), for servers known to speak it. Over `https` HTTP/2 is
    /// negotiated during the TLS handshake either way. Ignored with
    /// [`ClientBuilder::http_client`], whose own settings apply.
    pub fn http2_prior_knowledge(mut self) -> Self {
        self.http2_prior_knowledge = true;
        self
    }

    /// Sends requests through the caller's own `reqwest::Client` (proxies, pools, TLS). Its
    /// own redirect policy then applies instead of [`same_origin_redirects`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A header sent with every request (it replaces `User-Agent` if so named). Values of
    /// headers whose name suggests a credential (`Authorization`, `Cookie`, names with `key`,
    /// `token`, `secret` or `auth`) are marked sensitive: `Debug` output hides them.
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|n| {
                HeaderValue::from_str(value)
                    .map(|v| (n, v))
                    .map_err(|e| e.to_string())
            });
        match parsed {
            Ok((n, mut v)) => {
                // Header names are lowercase; `auth` covers `Authorization`.
                if ["auth", "cookie", "key", "token", "secret"]
                    .iter()
                    .any(|word| n.as_str().contains(word))
                {
                    v.set_sensitive(true);
                }
                self.headers.insert(n, v);
            }
            Err(reason) => {
                self.error.get_or_insert(BuildError::InvalidHeader {
                    name: name.to_owned(),
                    reason,
                });
            }
        }
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        match reqwest::Url::parse(&base_url) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.has_host() => {}
            Ok(url) => {
                return Err(BuildError::InvalidBaseUrl {
                    reason: format!(
                        "expected an http or https URL with a host, got scheme {:?}",
                        url.scheme()
                    ),
                    url: base_url,
                })
            }
            Err(e) => {
                return Err(BuildError::InvalidBaseUrl {
                    url: base_url,
                    reason: e.to_string(),
                })
            }
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                let mut builder = reqwest::Client::builder().redirect(same_origin_redirects());
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
                }
                if self.http2_prior_knowledge {
                    builder = builder.http2_prior_knowledge();
                }
                builder.build().map_err(BuildError::Http)?
            }
        };
        let mut headers = HeaderMap::new();
        headers.insert(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static(USER_AGENT),
        );
        headers.extend(self.headers);
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                schemes: self.schemes,
                credentials: self.credentials,
                timeout: self.timeout,
                headers,
                retry: self.retry,
                max_body: self.max_body,
            }),
        })
    }
}

/// The redirect policy of the clients [`ClientBuilder`] builds: redirects are followed, up
/// to 10, only within the origin (scheme, host and port) the request was sent to. A redirect
/// elsewhere is not followed, so no credential (header, query parameter or cookie) ever
/// reaches another host or drops from `https` to `http`: the 3xx response comes back as
/// [`Error::UnexpectedStatus`](super::error::Error::UnexpectedStatus), its `Location` header
/// saying where the server pointed.
pub fn same_origin_redirects() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let next = attempt.url();
        let same_origin = attempt.previous().first().is_some_and(|first| {
            first.scheme() == next.scheme()
                && first.host_str() == next.host_str()
                && first.port_or_known_default() == next.port_or_known_default()
        });
        if attempt.previous().len() > MAX_REDIRECTS {
            attempt.error(format!("more than {MAX_REDIRECTS} redirects"))
        } else if same_origin {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

#[cfg(test)]
mod tests {
    use wiremock::matchers::path;
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    fn builder() -> ClientBuilder {
        Client::builder_with("http://api.test", &[])
    }

    #[test]
    fn credential_like_default_headers_are_hidden() {
        let builder = builder()
            .default_header("X-Api-Key", "k-s3cr3t")
            .default_header("Authorization", "Bearer s3cr3t")
            .default_header("Cookie", "s=s3cr3t")
            .default_header("X-Title", "visible");
        assert!(builder.headers["x-api-key"].is_sensitive());
        assert!(builder.headers["authorization"].is_sensitive());
        assert!(builder.headers["cookie"].is_sensitive());
        assert!(!builder.headers["x-title"].is_sensitive());
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(shown.contains("visible"), "{shown}");
    }

    #[test]
    fn an_invalid_default_header_fails_the_build_with_the_first_error() {
        let error = builder()
            .default_header("bad name", "v")
            .default_header("X-Ok", "bad\nvalue")
            .build()
            .expect_err("invalid header");
        match error {
            BuildError::InvalidHeader { name, .. } => assert_eq!(name, "bad name"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_base_url_must_be_http_with_a_host() {
        for url in ["ftp://files.test", "not a url", "mailto:a@b.test", ""] {
            let error = builder().base_url(url).build().expect_err(url);
            assert!(
                matches!(&error, BuildError::InvalidBaseUrl { .. }),
                "{url}: {error:?}"
            );
        }
        let client = builder().base_url("https://api.test/v1/").build().unwrap();
        assert_eq!(client.base_url(), "https://api.test/v1");
    }

    #[test]
    fn the_user_agent_is_sent_unless_replaced() {
        let client = builder().build().unwrap();
        assert_eq!(
            client.inner.headers[reqwest::header::USER_AGENT],
            USER_AGENT
        );
        assert!(USER_AGENT.starts_with(concat!(env!("CARGO_PKG_NAME"), "/")));
        let client = builder()
            .default_header("User-Agent", "mine/1")
            .build()
            .unwrap();
        assert_eq!(client.inner.headers[reqwest::header::USER_AGENT], "mine/1");
    }

    #[test]
    fn settings_reach_the_client() {
        let client = builder()
            .timeout(Duration::from_secs(3))
            .max_body_size(10)
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        assert_eq!(client.inner.timeout, Some(Duration::from_secs(3)));
        assert_eq!(client.inner.max_body, 10);
        assert_eq!(client.inner.retry, RetryPolicy::never());
        assert_eq!(builder().max_body, DEFAULT_MAX_BODY_SIZE);
    }

    #[tokio::test]
    async fn redirects_are_followed_only_within_the_origin() {
        let here = MockServer::start().await;
        let elsewhere = MockServer::start().await;
        Mock::given(path("/old"))
            .respond_with(ResponseTemplate::new(301).insert_header("Location", "/new"))
            .mount(&here)
            .await;
        Mock::given(path("/new"))
            .respond_with(ResponseTemplate::new(200).set_body_string("moved"))
            .mount(&here)
            .await;
        let away = format!("{}/stolen", elsewhere.uri());
        Mock::given(path("/away"))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", away.as_str()))
            .mount(&here)
            .await;
        let http = reqwest::Client::builder()
            .redirect(same_origin_redirects())
            .build()
            .unwrap();
        let followed = http
            .get(format!("{}/old", here.uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(followed.status(), 200);
        assert_eq!(followed.text().await.unwrap(), "moved");
        let stopped = http
            .get(format!("{}/away", here.uri()))
            .send()
            .await
            .unwrap();
        assert_eq!(stopped.status(), 302);
        assert_eq!(stopped.headers()["location"], away.as_str());
        assert!(elsewhere.received_requests().await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn redirect_loops_stop_with_an_error() {
        let server = MockServer::start().await;
        Mock::given(path("/loop"))
            .respond_with(ResponseTemplate::new(302).insert_header("Location", "/loop"))
            .mount(&server)
            .await;
        let http = reqwest::Client::builder()
            .redirect(same_origin_redirects())
            .build()
            .unwrap();
        let error = http
            .get(format!("{}/loop", server.uri()))
            .send()
            .await
            .expect_err("a loop");
        assert!(error.is_redirect(), "{error:?}");
        let sent = server.received_requests().await.unwrap().len();
        assert_eq!(sent, MAX_REDIRECTS + 1);
    }
}
