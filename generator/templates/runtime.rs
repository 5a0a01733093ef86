//! The runtime every generated operation calls: the HTTP client and its configuration,
//! authentication, request encoding, retries, response decoding, server-sent event streams,
//! byte streams, pagination and the error type.
//!
//! It is the same for every API; the generator copies it verbatim into each crate it writes,
//! so a generated crate depends on no crate of the generator's.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_TYPE};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub use reqwest::header;

/// The `User-Agent` sent unless a default header overrides it: this crate's name and version.
pub const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// Where a security scheme puts its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SchemeKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic <base64(user:password)>`.
    Basic,
    /// A key in the named header.
    ApiKeyHeader(&'static str),
    /// A key in the named query parameter.
    ApiKeyQuery(&'static str),
    /// A key in the named cookie.
    ApiKeyCookie(&'static str),
    /// A TLS client certificate, configured on the `reqwest::Client` given to
    /// [`ClientBuilder::http_client`]; always counted as present.
    MutualTls,
}

/// A security scheme of the spec, by name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SecurityScheme {
    pub(crate) name: &'static str,
    pub(crate) kind: SchemeKind,
}

/// A secret (API key, token, password): never shown by `Debug` or `Display`.
#[derive(Clone)]
struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[derive(Clone, Debug)]
enum Credential {
    Token(Secret),
    Basic { username: String, password: Secret },
}

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
    credentials: Vec<(&'static str, Credential)>,
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
    pub(crate) fn new(base_url: &str, schemes: &'static [SecurityScheme]) -> Self {
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
    /// own with [`RequestExt::with_timeout`].
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// When and how often failed requests are sent again; [`RetryPolicy::default`] unless
    /// set (2 retries), [`RetryPolicy::never`] to turn retries off. A request can set its own
    /// with [`RequestExt::with_retry`].
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
    /// fails with [`Error::BodyTooLarge`] as soon as it is known to be longer (from its
    /// `Content-Length`, or while reading it), so a server cannot exhaust memory. Streams
    /// (server-sent events, byte streams) have no limit: they are read a piece at a time.
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

    pub(crate) fn token(mut self, scheme: &'static str, token: String) -> Self {
        self.credentials.retain(|(s, _)| *s != scheme);
        self.credentials.push((scheme, Credential::Token(Secret(token))));
        self
    }

    pub(crate) fn basic(mut self, scheme: &'static str, username: String, password: String) -> Self {
        self.credentials.retain(|(s, _)| *s != scheme);
        self.credentials.push((
            scheme,
            Credential::Basic {
                username,
                password: Secret(password),
            },
        ));
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
                    reason: format!("expected an http or https URL with a host, got scheme {:?}", url.scheme()),
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
        headers.insert(reqwest::header::USER_AGENT, HeaderValue::from_static(USER_AGENT));
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
/// [`Error::UnexpectedStatus`], its `Location` header saying where the server pointed.
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

/// The API client. Cheap to clone: clones share one connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    schemes: &'static [SecurityScheme],
    credentials: Vec<(&'static str, Credential)>,
    timeout: Option<Duration>,
    headers: HeaderMap,
    retry: RetryPolicy,
    max_body: u64,
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

/// One request as an operation describes it, before authentication and sending. It can be
/// sent more than once (retries) unless a part streams from a caller's stream.
pub(crate) struct Request {
    method: Method,
    /// The path template (`/files/{file_id}`), for tracing.
    #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
    template: &'static str,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    security: &'static [&'static [&'static str]],
    accept: &'static str,
    /// The encoded body and its content type.
    body: Option<(&'static str, Bytes)>,
    /// The parts of a `multipart/form-data` body; when any, they are the body.
    parts: Vec<(&'static str, Part)>,
    /// Statuses beyond the usual ones that the spec documents as worth retrying (529).
    retry_statuses: &'static [u16],
    options: RequestOptions,
}

/// One part of a `multipart/form-data` body.
enum Part {
    Text(String),
    File(FilePart),
}

impl Request {
    pub(crate) fn new(
        method: Method,
        template: &'static str,
        path: String,
        accept: &'static str,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        Request {
            method,
            template,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            security,
            accept,
            body: None,
            parts: Vec::new(),
            retry_statuses: &[],
            options: RequestOptions::default(),
        }
    }

    /// The caller's settings for this request: timeout, retries, extra headers.
    pub(crate) fn options(&mut self, options: RequestOptions) {
        self.options = options;
    }

    /// Replaces the `Accept` header: the stream method of an operation that also answers JSON.
    pub(crate) fn accept(&mut self, accept: &'static str) {
        self.accept = accept;
    }

    /// Statuses the operation documents that are also worth retrying (524, 529).
    pub(crate) fn retry_statuses(&mut self, statuses: &'static [u16]) {
        self.retry_statuses = statuses;
    }

    /// Adds a query parameter. Arrays give one pair per item when `explode` is set, else one
    /// comma-joined value; objects use bracketed keys (`name[key]=value`, `deepObject`).
    pub(crate) fn query<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool) -> Result<(), RequestError> {
        let value = serde_json::to_value(value).map_err(|e| RequestError(format!("cannot encode parameter `{name}`: {e}")))?;
        match &value {
            serde_json::Value::Array(items) if explode => {
                for item in items {
                    self.query.push((name.to_owned(), scalar_text(item)));
                }
            }
            serde_json::Value::Object(_) => {
                let mut pairs = Vec::new();
                flatten_form(&value, name.to_owned(), &mut pairs);
                self.query.extend(pairs);
            }
            other => self.query.push((name.to_owned(), scalar_text(other))),
        }
        Ok(())
    }

    /// Adds a header parameter.
    pub(crate) fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), RequestError> {
        let text = param_text(name, value)?;
        self.headers.push((name, text));
        Ok(())
    }

    /// Adds a cookie parameter.
    pub(crate) fn cookie<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), RequestError> {
        let text = param_text(name, value)?;
        self.cookies.push(format!("{name}={text}"));
        Ok(())
    }

    /// Sets a JSON body.
    pub(crate) fn json<T: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) -> Result<(), RequestError> {
        let bytes = serde_json::to_vec(body).map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        self.body = Some((content_type, bytes.into()));
        Ok(())
    }

    /// Sets a JSON body with one top-level field set to `value`: the field that tells the
    /// server to answer with a stream or with one document (`"stream": true`).
    pub(crate) fn json_with<T: Serialize + ?Sized>(
        &mut self,
        content_type: &'static str,
        body: &T,
        field: &str,
        value: bool,
    ) -> Result<(), RequestError> {
        let mut json = serde_json::to_value(body).map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        match &mut json {
            serde_json::Value::Object(map) => {
                map.insert(field.to_owned(), value.into());
            }
            _ => return Err(RequestError(format!("cannot set `{field}`: the request body is not a JSON object"))),
        }
        self.json(content_type, &json)
    }

    /// Sets an `application/x-www-form-urlencoded` body: nested objects and arrays become
    /// bracketed keys (`metadata[order]=1`, `items[0][price]=p`), nulls are left out.
    pub(crate) fn form<T: Serialize + ?Sized>(&mut self, content_type: &'static str, body: &T) -> Result<(), RequestError> {
        let value = serde_json::to_value(body).map_err(|e| RequestError(format!("cannot encode the request body: {e}")))?;
        let mut pairs = Vec::new();
        flatten_form(&value, String::new(), &mut pairs);
        let encoded: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", form_component(k), form_component(v)))
            .collect();
        self.body = Some((content_type, encoded.join("&").into()));
        Ok(())
    }

    /// Adds a text part to a `multipart/form-data` body: strings as they are, numbers and
    /// booleans as JSON writes them, anything else as JSON.
    pub(crate) fn part<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) -> Result<(), RequestError> {
        let value = serde_json::to_value(value).map_err(|e| RequestError(format!("cannot encode part `{name}`: {e}")))?;
        let text = match value {
            serde_json::Value::String(s) => s,
            other @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => other.to_string(),
            other => scalar_text(&other),
        };
        self.parts.push((name, Part::Text(text)));
        Ok(())
    }

    /// Adds a file part to a `multipart/form-data` body. Its content type is checked here,
    /// so a bad one is refused before anything is sent.
    pub(crate) fn file_part(&mut self, name: &'static str, file: &FilePart) -> Result<(), RequestError> {
        if let Some(content_type) = &file.content_type {
            reqwest::multipart::Part::text("")
                .mime_str(content_type)
                .map_err(|e| RequestError(format!("part `{name}`: invalid content type {content_type:?}: {e}")))?;
        }
        self.parts.push((name, Part::File(file.clone())));
        Ok(())
    }

    /// Sets a body of raw bytes or text.
    pub(crate) fn raw(&mut self, content_type: &'static str, body: impl Into<Bytes>) {
        self.body = Some((content_type, body.into()));
    }

    /// Whether the request can be sent again: no part streams from a caller's stream.
    fn replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::Text(_) => true,
            Part::File(file) => !matches!(file.source, FileSource::Stream(_)),
        })
    }

    /// Whether sending the request twice has the effect of sending it once: its method is
    /// idempotent, or it carries an `Idempotency-Key` header.
    fn idempotent(&self) -> bool {
        let key = |name: &str| name.eq_ignore_ascii_case("idempotency-key");
        matches!(
            self.method,
            Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
        ) || self.headers.iter().any(|(name, _)| key(name))
            || self.options.headers.iter().any(|(name, _)| key(name))
    }

    /// The `multipart/form-data` body for one attempt.
    async fn multipart(&self) -> Result<reqwest::multipart::Form, TransportError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(file) => file.to_part(name).await?,
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
}

/// Flattens a JSON value into form pairs with bracketed keys.
fn flatten_form(value: &serde_json::Value, key: String, pairs: &mut Vec<(String, String)>) {
    use serde_json::Value;
    let nested = |inner: &str| {
        if key.is_empty() {
            inner.to_owned()
        } else {
            format!("{key}[{inner}]")
        }
    };
    match value {
        Value::Null => {}
        Value::Object(map) => {
            for (k, v) in map {
                flatten_form(v, nested(k), pairs);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                flatten_form(v, nested(&i.to_string()), pairs);
            }
        }
        Value::String(s) => pairs.push((key, s.clone())),
        other => pairs.push((key, other.to_string())),
    }
}

/// Percent-encodes one form key or value (`application/x-www-form-urlencoded`).
fn form_component(text: &str) -> String {
    const FORM: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'*')
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b' ');
    percent_encoding::utf8_percent_encode(text, FORM).to_string().replace(' ', "+")
}

/// A file for a `multipart/form-data` part: where its bytes come from (memory, a path, or
/// a stream), and optionally the file name and content type the server sees.
#[derive(Clone)]
pub struct FilePart {
    source: FileSource,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// A stream of a part's bytes, as a caller hands it over.
type PartStream = Pin<Box<dyn Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>> + Send>>;

#[derive(Clone)]
enum FileSource {
    Bytes(Bytes),
    /// Read when the request is sent (again for each retry), never held in memory whole.
    Path(PathBuf),
    /// Sent once: a request with a stream part is never retried.
    Stream(Arc<Mutex<Option<PartStream>>>),
}

impl FilePart {
    /// A file part holding `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            source: FileSource::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file part read from `path` as the request is sent, with the path's file name.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart {
            source: FileSource::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// A file part whose bytes come from `stream` as the request is sent. The stream can be
    /// sent once, so requests with such a part are not retried.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        use futures_util::TryStreamExt;
        let stream: PartStream = Box::pin(stream.map_err(Into::into));
        FilePart {
            source: FileSource::Stream(Arc::new(Mutex::new(Some(stream)))),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent with the part (`audio.wav`); servers often derive the format from it.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's content type (`audio/wav`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The part for one attempt: a file is opened, a stream is taken.
    async fn to_part(&self, name: &str) -> Result<reqwest::multipart::Part, TransportError> {
        let part = match &self.source {
            FileSource::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(reqwest::Body::from(bytes.clone()), bytes.len() as u64),
            FileSource::Path(path) => {
                let failed = |e: std::io::Error| TransportError::Invalid(format!("part `{name}`: cannot read {}: {e}", path.display()));
                let file = tokio::fs::File::open(path).await.map_err(failed)?;
                let length = file.metadata().await.map_err(failed)?.len();
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
                reqwest::multipart::Part::stream_with_length(body, length)
            }
            FileSource::Stream(slot) => {
                let stream = slot.lock().map_err(|_| TransportError::Invalid(format!("part `{name}`: the stream is poisoned")))?.take();
                let stream = stream.ok_or_else(|| TransportError::Invalid(format!("part `{name}`: its stream was already sent")))?;
                reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream))
            }
        };
        let part = match &self.content_type {
            Some(content_type) => part
                .mime_str(content_type)
                .map_err(|e| TransportError::Invalid(format!("part `{name}`: invalid content type {content_type:?}: {e}")))?,
            None => part,
        };
        Ok(match &self.file_name {
            Some(file_name) => part.file_name(file_name.clone()),
            None => part,
        })
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("FilePart");
        match &self.source {
            FileSource::Bytes(bytes) => out.field("len", &bytes.len()),
            FileSource::Path(path) => out.field("path", path),
            FileSource::Stream(_) => out.field("stream", &true),
        };
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// What a caller sets on one request, beside its parameters: a timeout, a retry policy,
/// extra headers. Set through [`RequestExt`] on any request builder.
#[derive(Clone, Default)]
pub struct RequestOptions {
    timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    headers: Vec<(String, String)>,
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
    /// value makes `send` fail with [`Error::InvalidRequest`] before anything is sent.
    fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.request_options().headers.push((name.into(), value.into()));
        self
    }

    /// An `Idempotency-Key` header: the server performs the request once however often it
    /// arrives, so a `POST` or `PATCH` carrying it is retried like a `GET`.
    fn with_idempotency_key(self, key: impl Into<String>) -> Self {
        self.with_header("Idempotency-Key", key)
    }
}

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
    max_retry_after: Duration,
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
    fn delays(&self) -> impl Iterator<Item = Duration> {
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
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let now = chrono::DateTime::<chrono::Utc>::from(std::time::SystemTime::now());
    let wait = date.signed_duration_since(now);
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}

/// Whether a status is worth another attempt.
fn retryable_status(status: StatusCode, extra: &[u16]) -> bool {
    matches!(status.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504) || extra.contains(&status.as_u16())
}

/// A request the client refused to send; see [`Error::InvalidRequest`].
#[derive(Debug)]
pub(crate) struct RequestError(String);

/// One path parameter as a single percent-encoded path segment.
///
/// Everything but RFC 3986's unreserved characters is encoded, so `/`, `?`, `#`, `%`,
/// spaces and non-ASCII stay inside the segment. Empty values and the dot segments `.` and
/// `..` cannot be sent as a segment and are refused.
pub(crate) fn path_segment<T: Serialize + ?Sized>(name: &'static str, value: &T) -> Result<String, RequestError> {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    let text = param_text(name, value)?;
    match text.as_str() {
        "" => Err(RequestError(format!("path parameter `{name}` must not be empty"))),
        "." | ".." => Err(RequestError(format!(
            "path parameter `{name}` must not be {text:?}: URLs resolve it as a relative path"
        ))),
        // Most values need no escape: the text is then kept as it is, without a copy. (A
        // borrowed result may also be one escape, `%5C` for `\`, so it is compared.)
        _ => match std::borrow::Cow::from(percent_encoding::utf8_percent_encode(&text, SEGMENT)) {
            std::borrow::Cow::Borrowed(same) if same == text => Ok(text),
            encoded => Ok(encoded.into_owned()),
        },
    }
}

/// A parameter as text (`simple` style): strings as they are, numbers and booleans as JSON
/// writes them, arrays comma-joined, objects as `key,value` pairs comma-joined.
fn param_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, RequestError> {
    let value = serde_json::to_value(value).map_err(|e| RequestError(format!("cannot encode parameter `{name}`: {e}")))?;
    Ok(match value {
        serde_json::Value::String(text) => text,
        other => scalar_text(&other),
    })
}

fn scalar_text(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::String(s) => s.clone(),
        Value::Number(_) | Value::Bool(_) => value.to_string(),
        Value::Null => String::new(),
        Value::Array(items) => items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        Value::Object(map) => {
            let mut parts = Vec::with_capacity(map.len() * 2);
            for (k, v) in map {
                parts.push(k.clone());
                parts.push(scalar_text(v));
            }
            parts.join(",")
        }
    }
}

impl Client {
    pub(crate) fn builder_with(base_url: &str, schemes: &'static [SecurityScheme]) -> ClientBuilder {
        ClientBuilder::new(base_url, schemes)
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request, again as the retry policy allows, and reads the whole response.
    pub(crate) async fn execute(&self, request: Request) -> Result<Response, TransportError> {
        self.open(request).await?.buffer().await
    }

    /// Sends a request, again as the retry policy allows, and returns once the response's
    /// headers arrive: the body is still to be read.
    pub(crate) async fn open(&self, request: Request) -> Result<LiveResponse, TransportError> {
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
                    retryable_status(response.status(), request.retry_statuses).then(|| retry_after(response.headers()))
                }
                Err(e) => e.is_connect().then_some(None),
            };
            let delay = match worth_retrying {
                Some(asked) if may_retry => delays
                    .get_or_insert_with(|| policy.delays())
                    .next()
                    .map(|backoff| asked.map_or(backoff, |asked| asked.min(policy.max_retry_after))),
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
                    tracing::debug!(parent: &span, attempt = attempts, delay_ms = delay.as_millis() as u64, "retrying");
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
            let mut cookie = HeaderValue::from_str(&cookies.join("; ")).map_err(|e| TransportError::Invalid(e.to_string()))?;
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
            builder = builder.header(CONTENT_TYPE, *content_type).body(body.clone());
        }
        Ok(builder)
    }

    /// Applies the first alternative of `security` whose credentials are all configured.
    /// With none configured the request goes out without credentials (the server decides).
    fn authenticate(
        &self,
        mut builder: reqwest::RequestBuilder,
        security: &[&[&str]],
        query: &mut Vec<(String, String)>,
        cookies: &mut Vec<String>,
    ) -> reqwest::RequestBuilder {
        let inner = &*self.inner;
        let credential = |scheme: &str| inner.credentials.iter().find(|(s, _)| *s == scheme).map(|(_, c)| c);
        let available = |scheme: &str| {
            credential(scheme).is_some()
                || inner.schemes.iter().any(|s| s.name == scheme && s.kind == SchemeKind::MutualTls)
        };
        let Some(chosen) = security
            .iter()
            .find(|alternative| alternative.iter().all(|scheme| available(scheme)))
        else {
            return builder;
        };
        for scheme_name in chosen.iter() {
            let Some(scheme) = inner.schemes.iter().find(|s| s.name == *scheme_name) else {
                continue;
            };
            let Some(credential) = credential(scheme_name) else {
                continue;
            };
            let secret = match credential {
                Credential::Token(Secret(token)) => token.as_str(),
                Credential::Basic { username, password } => {
                    builder = builder.basic_auth(username, Some(&password.0));
                    continue;
                }
            };
            match scheme.kind {
                SchemeKind::Bearer => {
                    if let Ok(mut value) = HeaderValue::from_str(&format!("Bearer {secret}")) {
                        value.set_sensitive(true);
                        builder = builder.header(AUTHORIZATION, value);
                    }
                }
                SchemeKind::Basic => {
                    builder = builder.basic_auth(secret, None::<&str>);
                }
                SchemeKind::ApiKeyHeader(name) => {
                    if let Ok(mut value) = HeaderValue::from_str(secret) {
                        value.set_sensitive(true);
                        builder = builder.header(name, value);
                    }
                }
                SchemeKind::ApiKeyQuery(name) => query.push((name.to_owned(), secret.to_owned())),
                SchemeKind::ApiKeyCookie(name) => cookies.push(format!("{name}={secret}")),
                SchemeKind::MutualTls => {}
            }
        }
        builder
    }
}

/// A failure before a whole response arrived, after `attempts` attempts.
#[derive(Debug)]
pub(crate) enum TransportError {
    Timeout(reqwest::Error, u32),
    Transport(reqwest::Error, u32),
    Invalid(String),
    /// The body is longer than the limit; the response keeps the first `limit` bytes.
    BodyTooLarge(RawResponse, u64),
    /// The body broke off; the response keeps what arrived.
    IncompleteBody(RawResponse, reqwest::Error),
}

impl TransportError {
    fn from_reqwest(e: reqwest::Error, attempts: u32) -> Self {
        // The URL may carry an API key in its query; errors never show it.
        let e = e.without_url();
        if e.is_timeout() {
            TransportError::Timeout(e, attempts)
        } else {
            TransportError::Transport(e, attempts)
        }
    }
}

/// A response as it arrived: status, headers and the whole body, and how many attempts it
/// took (1 unless the request was retried).
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
}

/// A documented error response, decoded: `body` is the operation's enum of error bodies.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
    /// How many attempts were made (1 unless the request was retried).
    pub attempts: u32,
}

pub(crate) type Response = RawResponse;

/// A response whose headers have arrived and whose body is still to be read.
pub(crate) struct LiveResponse {
    response: reqwest::Response,
    attempts: u32,
    /// The longest body [`LiveResponse::buffer`] reads.
    max_body: u64,
}

impl LiveResponse {
    pub(crate) fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// Reads the whole body, a chunk at a time, up to the client's body size limit: a
    /// `Content-Length` beyond it fails before reading, a body growing beyond it fails once
    /// it does, so memory stays bounded whatever the server sends.
    pub(crate) async fn buffer(self) -> Result<Response, TransportError> {
        let head = self.head();
        let LiveResponse {
            mut response,
            attempts,
            max_body,
        } = self;
        if response.content_length().is_some_and(|length| length > max_body) {
            return Err(TransportError::BodyTooLarge(head, max_body));
        }
        let limit = usize::try_from(max_body).unwrap_or(usize::MAX);
        let mut body = bytes::BytesMut::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if chunk.len() > limit - body.len() {
                        let room = limit - body.len();
                        body.extend_from_slice(&chunk[..room]);
                        return Err(TransportError::BodyTooLarge(
                            RawResponse { body: body.freeze(), ..head },
                            max_body,
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(RawResponse { body: body.freeze(), ..head }),
                Err(e) if e.is_timeout() => return Err(TransportError::from_reqwest(e, attempts)),
                Err(e) => {
                    return Err(TransportError::IncompleteBody(
                        RawResponse { body: body.freeze(), ..head },
                        e.without_url(),
                    ))
                }
            }
        }
    }

    /// The body as a stream of server-sent events, each decoded as `T`.
    pub(crate) fn events<T: DeserializeOwned, E>(self, sentinel: Option<&'static str>, envelope: bool) -> EventStream<T, E> {
        let head = self.head();
        EventStream::new(Box::pin(self.response.bytes_stream()), head, sentinel, envelope)
    }

    /// The body as a stream of byte chunks.
    pub(crate) fn byte_stream<E>(self) -> ByteStream<E> {
        let head = self.head();
        ByteStream {
            body: Box::pin(self.response.bytes_stream()),
            head,
            marker: std::marker::PhantomData,
        }
    }

    fn head(&self) -> RawResponse {
        RawResponse {
            status: self.response.status(),
            headers: self.response.headers().clone(),
            body: Bytes::new(),
            attempts: self.attempts,
        }
    }
}

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body, checking the content type when the server names one.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        if let Some(content_type) = self.headers.get(CONTENT_TYPE) {
            let text = content_type.to_str().unwrap_or("");
            let essence = text.split(';').next().unwrap_or("").trim().as_bytes();
            // Compared without case and without a lowercase copy.
            let json_suffix = essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json");
            if !essence.eq_ignore_ascii_case(b"application/json") && !json_suffix {
                return Err(Error::UnexpectedContentType {
                    content_type: text.to_owned(),
                    response: Box::new(self),
                });
            }
        }
        match decode_json(&self.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(Error::Decode {
                response: Box::new(self),
                source,
            }),
        }
    }

    /// A text body.
    pub(crate) fn text<E>(self) -> Result<String, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(Error::UnexpectedContentType {
                content_type: format!("text that is not UTF-8 ({e})"),
                response: Box::new(self),
            }),
        }
    }

    /// A body of raw bytes.
    pub(crate) fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// A response documented without content; whatever body came is ignored.
    pub(crate) fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// A documented error status: the body decoded by `decode` and wrapped by `wrap`.
    pub(crate) fn api_error<B, E>(
        self,
        decode: impl FnOnce(RawResponse) -> Result<B, Error<E>>,
        wrap: impl FnOnce(B) -> E,
    ) -> Error<E> {
        let status = self.status;
        let headers = self.headers.clone();
        let attempts = self.attempts;
        match decode(self) {
            Ok(body) => Error::Api(Box::new(ApiError {
                status,
                headers,
                body: wrap(body),
                attempts,
            })),
            Err(e) => e,
        }
    }

    /// A status the spec does not document for this operation.
    pub(crate) fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self))
    }
}

/// The discriminator value of a JSON object, for decoding discriminated unions.
pub(crate) fn tag_of<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// `Option<Option<T>>` fields of PATCH bodies: absent is `None`, `null` is `Some(None)`.
/// Used with `#[serde(default, skip_serializing_if = "Option::is_none", with = ...)]`.
pub(crate) mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub(crate) fn serialize<T: Serialize, S: Serializer>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// The order in which to try an untagged union's variants on `value`: for an object, first
/// the structs that know every one of its properties, then variants of unknown shape, then
/// structs by how many properties they would drop; otherwise the declared order.
pub(crate) fn fit_order(value: &serde_json::Value, known: &[Option<&[&str]>]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..known.len()).collect();
    if let serde_json::Value::Object(map) = value {
        order.sort_by_key(|&i| match known[i] {
            Some(keys) => match map.keys().filter(|k| !keys.contains(&k.as_str())).count() {
                0 => 0,
                unknown => 1 + unknown,
            },
            None => 1,
        });
    }
    order
}

/// Decodes one variant of a discriminated union from the whole object.
pub(crate) fn from_value<T: DeserializeOwned, E: serde::de::Error>(value: serde_json::Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Encodes one variant of a discriminated union, adding the discriminator if the variant's
/// own fields do not carry it.
pub(crate) fn serialize_tagged<T: Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.entry(property.to_owned()).or_insert_with(|| tag.into());
    }
    json.serialize(serializer)
}

/// Decodes JSON, recording where in the document decoding failed. A body that decodes takes
/// `serde_json` alone; only one that fails is decoded again, tracking the path, for the error.
fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| DecodeError {
        path: e.path().to_string(),
        source: e.into_inner(),
    })?;
    deserializer.end().map_err(|source| DecodeError {
        path: ".".to_owned(),
        source,
    })?;
    Ok(value)
}

/// A body that is not the documented JSON: where decoding stopped, and why.
#[derive(Debug)]
pub struct DecodeError {
    path: String,
    source: serde_json::Error,
}

impl DecodeError {
    /// The path to the value that failed (`error.code`), `.` for the document itself.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The JSON decoder's error, with line and column.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "at `{}`: {}", self.path, self.source)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Why an operation failed. `E` is the operation's enum of documented error responses.
///
/// Responses are dispatched by status code alone: a documented status decodes into its
/// typed body ([`Error::Api`]); any other status keeps its raw body
/// ([`Error::UnexpectedStatus`]); a body that does not decode keeps status, body and the
/// decoder's message with the path to the offending field ([`Error::Decode`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request was refused before sending (an empty path parameter, say).
    InvalidRequest { message: String },
    /// The server answered with a status the spec documents as an error.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus(Box<RawResponse>),
    /// The body does not decode as the documented type.
    Decode {
        response: Box<RawResponse>,
        source: DecodeError,
    },
    /// The server sent a content type other than the documented one.
    UnexpectedContentType {
        response: Box<RawResponse>,
        content_type: String,
    },
    /// The response body is longer than [`ClientBuilder::max_body_size`]: `response` keeps
    /// the status, the headers and the first `limit` bytes (none when `Content-Length`
    /// announced the excess).
    BodyTooLarge { response: Box<RawResponse>, limit: u64 },
    /// The body broke off before its end (the connection closed or the stream was reset
    /// short of the announced `Content-Length`, say): `response` keeps the status, the
    /// headers and the bytes that arrived.
    IncompleteBody {
        response: Box<RawResponse>,
        source: reqwest::Error,
    },
    /// The request timed out (see [`ClientBuilder::timeout`]), before or while the body
    /// arrived.
    Timeout { source: reqwest::Error, attempts: u32 },
    /// Connecting, sending or receiving failed.
    Transport { source: reqwest::Error, attempts: u32 },
    /// A stream of server-sent events broke off or carried an error event.
    Stream(StreamError),
    /// A page of a paginated list came in another shape of the body's union than the one
    /// paging follows (a shape the request asked for, say); fetch it with `send`.
    UnexpectedPageShape { expected: &'static str },
}

impl<E> Error<E> {
    /// The response's status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            _ => self.raw_response().map(|r| r.status),
        }
    }

    /// The response's headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            _ => self.raw_response().map(|r| &r.headers),
        }
    }

    /// The response kept undecoded (undocumented status, undecodable body).
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::UnexpectedStatus(response)
            | Error::Decode { response, .. }
            | Error::UnexpectedContentType { response, .. }
            | Error::BodyTooLarge { response, .. }
            | Error::IncompleteBody { response, .. } => Some(response),
            Error::Api(_)
            | Error::InvalidRequest { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::Stream(_)
            | Error::UnexpectedPageShape { .. } => None,
        }
    }

    /// The documented error body, for [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => Some(&api.body),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed: timeouts, connection failures,
    /// and the statuses 408, 409, 429, 500, 502, 503, 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::IncompleteBody { .. } => true,
            Error::Transport { source, .. } => source.is_connect() || source.is_timeout(),
            Error::InvalidRequest { .. }
            | Error::Stream(_)
            | Error::UnexpectedPageShape { .. }
            | Error::BodyTooLarge { .. } => false,
            _ => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504)),
        }
    }

    /// How long the server asked to wait, from a `Retry-After` header (seconds or a date).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(self.headers()?)
    }

    /// How many times the request was sent (1 unless it was retried); 0 when it was
    /// refused before sending.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidRequest { .. } => 0,
            Error::Api(api) => api.attempts,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } => *attempts,
            Error::Stream(_) | Error::UnexpectedPageShape { .. } => 1,
            _ => self.raw_response().map_or(1, |r| r.attempts),
        }
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(e: RequestError) -> Self {
        Error::InvalidRequest { message: e.0 }
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Timeout(source, attempts) => Error::Timeout { source, attempts },
            TransportError::Transport(source, attempts) => Error::Transport { source, attempts },
            TransportError::Invalid(message) => Error::InvalidRequest { message },
            TransportError::BodyTooLarge(response, limit) => Error::BodyTooLarge {
                response: Box::new(response),
                limit,
            },
            TransportError::IncompleteBody(response, source) => Error::IncompleteBody {
                response: Box::new(response),
                source,
            },
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)?;
        match self.attempts() {
            0 | 1 => Ok(()),
            n => write!(f, " (after {n} attempts)"),
        }
    }
}

impl<E: fmt::Debug> Error<E> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Error::Api(api) => write!(f, "the server answered {}: {:?}", api.status, api.body),
            Error::UnexpectedStatus(response) => write!(
                f,
                "the server answered with undocumented status {}: {}",
                response.status,
                String::from_utf8_lossy(&response.body)
            ),
            Error::Decode { response, source } => {
                write!(f, "cannot decode the {} response body: {source}", response.status)
            }
            Error::UnexpectedContentType { response, content_type } => write!(
                f,
                "the {} response has unexpected content type {content_type:?}",
                response.status
            ),
            Error::BodyTooLarge { response, limit } => write!(
                f,
                "the {} response body is longer than the limit of {limit} bytes",
                response.status
            ),
            Error::IncompleteBody { response, source } => write!(
                f,
                "the {} response body broke off after {} bytes: {source}",
                response.status,
                response.body.len()
            ),
            Error::Timeout { source, .. } => write!(f, "the request timed out: {source}"),
            Error::Transport { source, .. } => write!(f, "the request failed: {source}"),
            Error::Stream(e) => write!(f, "the event stream failed: {e}"),
            Error::UnexpectedPageShape { expected } => {
                write!(f, "a page came in another shape than {expected}, the one paging follows")
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout { source, .. } | Error::Transport { source, .. } | Error::IncompleteBody { source, .. } => {
                Some(source)
            }
            Error::Stream(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a stream of server-sent events ended badly.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The server sent an error event mid-stream (`event: error`, or data with an `error`).
    Event(Box<EventError>),
    /// The connection ended in the middle of an event.
    EndedMidEvent,
    /// The connection ended before the end-of-stream sentinel (`[DONE]`) arrived.
    EndedWithoutSentinel { sentinel: &'static str },
    /// A line of the stream is not UTF-8.
    InvalidUtf8,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Event(e) => {
                write!(f, "the server sent an error event")?;
                if let Some(code) = e.code {
                    write!(f, " (code {code})")?;
                }
                match &e.message {
                    Some(message) => write!(f, ": {message}"),
                    None => write!(f, ": {}", e.data),
                }
            }
            StreamError::EndedMidEvent => f.write_str("the connection ended in the middle of an event"),
            StreamError::EndedWithoutSentinel { sentinel } => {
                write!(f, "the connection ended before the end-of-stream sentinel {sentinel:?}")
            }
            StreamError::InvalidUtf8 => f.write_str("the stream is not UTF-8"),
        }
    }
}

impl std::error::Error for StreamError {}

/// An error event, with the event as it came and the `code` and `message` of its `error`
/// object when it has one.
#[derive(Debug, Clone)]
pub struct EventError {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
    pub code: Option<i64>,
    pub message: Option<String>,
}

impl EventError {
    /// The error an event reports, if it reports one.
    fn of(event: &ServerEvent) -> Option<EventError> {
        let named = event.name() == "error";
        static ERROR_KEY: std::sync::OnceLock<memchr::memmem::Finder<'static>> = std::sync::OnceLock::new();
        let finder = ERROR_KEY.get_or_init(|| memchr::memmem::Finder::new(b"\"error\""));
        let may_carry_error = event.data.starts_with('{') && finder.find(event.data.as_bytes()).is_some();
        if !named && !may_carry_error {
            return None;
        }
        let json: Option<serde_json::Value> = serde_json::from_str(&event.data).ok();
        let error = match json.as_ref().and_then(|j| j.get("error")) {
            Some(serde_json::Value::Null) | None if !named => return None,
            Some(serde_json::Value::Null) | None => json.as_ref(),
            Some(error) => Some(error),
        };
        let code = error.and_then(|e| e.get("code")).and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()));
        let message = error.and_then(|e| e.get("message")).and_then(|m| m.as_str()).map(str::to_owned);
        Some(EventError {
            event: event.name().to_owned(),
            id: event.id.clone(),
            data: event.data.clone(),
            code,
            message,
        })
    }
}

/// One server-sent event as framed: its name (`None` for the default, `message`), id and
/// data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ServerEvent {
    event: Option<String>,
    id: Option<String>,
    data: String,
}

impl ServerEvent {
    fn name(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// The fields of the event being read.
#[derive(Default)]
struct EventFields {
    event: Option<String>,
    id: Option<String>,
    data: String,
    has_data: bool,
    /// A field line arrived since the last blank line.
    open: bool,
}

impl EventFields {
    /// Takes one line (without its line ending); a blank line completes an event.
    fn line(&mut self, line: &str) -> Option<ServerEvent> {
        if line.is_empty() {
            let event = self.event.take();
            self.open = false;
            if !self.has_data {
                return None;
            }
            self.has_data = false;
            return Some(ServerEvent {
                event,
                id: self.id.clone(),
                data: std::mem::take(&mut self.data),
            });
        }
        if line.starts_with(':') {
            return None; // A comment: keep-alive.
        }
        self.open = true;
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                // Lines join with newlines; one line is taken as it is.
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            _ => {} // `retry` and unknown fields: this client does not reconnect.
        }
        None
    }
}

/// Frames a byte stream into server-sent events (the WHATWG `text/event-stream` format):
/// lines end with CRLF, LF or CR, anywhere across chunk boundaries; `data` lines join with
/// newlines; comments are skipped.
#[derive(Default)]
struct SseFramer {
    buffer: Vec<u8>,
    start: usize,
    bom_checked: bool,
    fields: EventFields,
}

impl SseFramer {
    fn push(&mut self, chunk: &[u8]) {
        if self.start == self.buffer.len() {
            self.buffer.clear();
            self.start = 0;
        } else if self.start > 8192 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete event, or `None` until more bytes arrive.
    fn next_event(&mut self) -> Result<Option<ServerEvent>, StreamError> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if !self.bom_checked {
            let rest = &self.buffer[self.start..];
            if rest.len() < BOM.len() && BOM.starts_with(rest) {
                return Ok(None);
            }
            if rest.starts_with(BOM) {
                self.start += BOM.len();
            }
            self.bom_checked = true;
        }
        loop {
            let rest = &self.buffer[self.start..];
            let Some(end) = memchr::memchr2(b'\n', b'\r', rest) else {
                return Ok(None);
            };
            let mut next = end + 1;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    None => return Ok(None), // A CRLF may be split across chunks.
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                }
            }
            let line = std::str::from_utf8(&rest[..end]).map_err(|_| StreamError::InvalidUtf8)?;
            let event = self.fields.line(line);
            self.start += next;
            if event.is_some() {
                return Ok(event);
            }
        }
    }

    /// At the end of the body: the last event if a final CR completes it; an error if the
    /// body stopped in the middle of an event.
    fn finish(&mut self) -> Result<Option<ServerEvent>, StreamError> {
        let rest = &self.buffer[self.start..];
        if let Some(line) = rest.strip_suffix(b"\r") {
            if !line.contains(&b'\n') && !line.contains(&b'\r') {
                let line = std::str::from_utf8(line).map_err(|_| StreamError::InvalidUtf8)?;
                let event = self.fields.line(line);
                self.start = self.buffer.len();
                if event.is_some() {
                    return Ok(event);
                }
            }
        }
        if self.start < self.buffer.len() || self.fields.open {
            return Err(StreamError::EndedMidEvent);
        }
        Ok(None)
    }
}

type BodyStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

/// The events of a `text/event-stream` response, each decoded as `T`, as they arrive.
///
/// The stream ends after the end-of-stream sentinel (`[DONE]`) when the spec names one, or
/// when the server closes the stream between events. An error event, a connection that
/// drops mid-event or before the sentinel, and an event that does not decode are error
/// items, after which the stream ends.
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<T, E> {
    body: BodyStream,
    head: RawResponse,
    framer: SseFramer,
    sentinel: Option<&'static str>,
    /// The schema describes the whole event (`{"data": ..., "event": ..., "id": ...}`)
    /// rather than its data alone.
    envelope: bool,
    finished: bool,
    marker: std::marker::PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.head.status)
            .field("sentinel", &self.sentinel)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned, E> EventStream<T, E> {
    fn new(body: BodyStream, head: RawResponse, sentinel: Option<&'static str>, envelope: bool) -> Self {
        EventStream {
            body,
            head,
            framer: SseFramer::default(),
            sentinel,
            envelope,
            finished: false,
            marker: std::marker::PhantomData,
        }
    }

    /// Decodes events from chunks already in memory, as if they had arrived with a `200`
    /// response: for replaying a recorded stream, and for benchmarks.
    #[doc(hidden)]
    pub fn from_chunks(chunks: Vec<Bytes>, sentinel: Option<&'static str>, envelope: bool) -> Self {
        let body = futures_util::stream::iter(chunks.into_iter().map(Ok));
        let head = RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            attempts: 1,
        };
        EventStream::new(Box::pin(body), head, sentinel, envelope)
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// What one event becomes: an item, or nothing (the sentinel, an event without data).
    fn item(&mut self, event: ServerEvent) -> Option<Result<T, Error<E>>> {
        if self.sentinel == Some(event.data.as_str()) {
            self.finished = true;
            return None;
        }
        if let Some(error) = EventError::of(&event) {
            self.finished = true;
            return Some(Err(Error::Stream(StreamError::Event(Box::new(error)))));
        }
        if event.data.is_empty() {
            return None;
        }
        let decoded = match decode_event::<T>(&event, self.envelope) {
            Ok(value) => Ok(value),
            // Data that is not JSON at all is a string (`data: hello`).
            Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(&event.data).is_err() => {
                let quoted = serde_json::Value::String(event.data.clone()).to_string();
                let event = ServerEvent { data: quoted, ..event.clone() };
                decode_event::<T>(&event, self.envelope).or_else(|_| decode_json(envelope(&event).as_bytes()))
            }
            // Again, for the path to the field that failed.
            Err(_) if self.envelope => decode_json(envelope(&event).as_bytes()),
            Err(_) => decode_json(event.data.as_bytes()),
        };
        Some(decoded.map_err(|source| {
            self.finished = true;
            let mut response = self.head.clone();
            response.body = Bytes::from(event.data.into_bytes());
            Error::Decode {
                response: Box::new(response),
                source,
            }
        }))
    }
}

/// Decodes an event's data as `T`, or, for a schema of whole events, the event as the
/// object `{"data": <data>, "event": ..., "id": ...}` without copying the data.
fn decode_event<T: DeserializeOwned>(event: &ServerEvent, envelope: bool) -> Result<T, serde_json::Error> {
    if !envelope {
        return serde_json::from_str(&event.data);
    }
    T::deserialize(EventObject { event, next: 0 })
}

/// A server-sent event seen as a JSON object, for a schema of whole events: `data` is read
/// straight from the event's text.
struct EventObject<'a> {
    event: &'a ServerEvent,
    /// The next of the keys `data`, `event`, `id` to give.
    next: u8,
}

impl<'de> serde::Deserializer<'de> for EventObject<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> serde::de::MapAccess<'de> for EventObject<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Self::Error> {
        use serde::de::IntoDeserializer;
        loop {
            let key = match self.next {
                0 => "data",
                1 if self.event.event.is_some() => "event",
                2 if self.event.id.is_some() => "id",
                1 | 2 => {
                    self.next += 1;
                    continue;
                }
                _ => return Ok(None),
            };
            self.next += 1;
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Self::Error> {
        use serde::de::IntoDeserializer;
        match self.next {
            1 => {
                let mut json = serde_json::Deserializer::from_str(&self.event.data);
                let value = seed.deserialize(&mut json)?;
                json.end()?;
                Ok(value)
            }
            2 => seed.deserialize(self.event.name().to_owned().into_deserializer()),
            _ => seed.deserialize(self.event.id.clone().unwrap_or_default().into_deserializer()),
        }
    }
}

/// An event as the JSON object a schema of whole events describes.
fn envelope(event: &ServerEvent) -> String {
    let mut text = String::with_capacity(event.data.len() + 32);
    text.push_str("{\"data\":");
    text.push_str(&event.data);
    if let Some(name) = &event.event {
        text.push_str(",\"event\":");
        text.push_str(&serde_json::Value::String(name.clone()).to_string());
    }
    if let Some(id) = &event.id {
        text.push_str(",\"id\":");
        text.push_str(&serde_json::Value::String(id.clone()).to_string());
    }
    text.push('}');
    text
}

impl<T: DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.finished {
                return Poll::Ready(None);
            }
            match this.framer.next_event() {
                Ok(Some(event)) => match this.item(event) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                },
                Ok(None) => {}
                Err(e) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(Error::Stream(e))));
                }
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.framer.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(TransportError::from_reqwest(e, this.head.attempts).into())));
                }
                Poll::Ready(None) => {
                    let last = match this.framer.finish() {
                        Ok(last) => last,
                        Err(e) => {
                            this.finished = true;
                            return Poll::Ready(Some(Err(Error::Stream(e))));
                        }
                    };
                    if let Some(item) = last.and_then(|event| this.item(event)) {
                        return Poll::Ready(Some(item));
                    }
                    if this.finished {
                        return Poll::Ready(None);
                    }
                    this.finished = true;
                    return Poll::Ready(this.sentinel.map(|sentinel| {
                        Err(Error::Stream(StreamError::EndedWithoutSentinel { sentinel }))
                    }));
                }
            }
        }
    }
}

/// A binary response body as a stream of chunks, read as it is polled, with the response's
/// status and headers (its content type and length) at hand before the first chunk.
#[must_use = "streams do nothing unless polled"]
pub struct ByteStream<E> {
    body: BodyStream,
    head: RawResponse,
    marker: std::marker::PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.head.status)
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}

impl<E> ByteStream<E> {
    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The `Content-Type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.head.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The `Content-Length` the server announced.
    pub fn content_length(&self) -> Option<u64> {
        self.head.headers.get(reqwest::header::CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let attempts = self.head.attempts;
        self.body.as_mut().poll_next(cx).map(|chunk| {
            chunk.map(|chunk| {
                chunk.map_err(|e| TransportError::from_reqwest(e, attempts).into())
            })
        })
    }
}

/// The items of a paginated operation, fetched a page at a time as the stream is polled;
/// it ends after the last page. An error is the last item.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
}

impl<T, E> fmt::Debug for Pages<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").finish_non_exhaustive()
    }
}

impl<T, E> Stream for Pages<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// Pages by offset: `fetch(offset)` gives a page of items; the next offset is past them.
/// An empty page, or one shorter than `limit`, is the last.
pub(crate) fn offset_pages<'a, T, E, F, Fut>(start: i64, limit: Option<i64>, fetch: F) -> Pages<'a, T, E>
where
    F: FnMut(i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Vec<T>, Error<E>>> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let state = (fetch, Some(start), std::collections::VecDeque::new());
    let stream = futures_util::stream::unfold(state, move |(mut fetch, mut next, mut buffer)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (fetch, next, buffer)));
            }
            let offset = next?;
            match fetch(offset).await {
                Ok(items) => {
                    let count = items.len() as i64;
                    let last = count == 0 || limit.is_some_and(|limit| count < limit);
                    next = (!last).then_some(offset + count);
                    buffer.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buffer))),
            }
        }
    });
    Pages { inner: Box::pin(stream) }
}

/// Pages by cursor: `fetch(cursor)` gives a page of items and the next page's cursor; no
/// cursor (or an empty or repeated one) means the page was the last.
pub(crate) fn cursor_pages<'a, T, E, F, Fut>(start: Option<String>, fetch: F) -> Pages<'a, T, E>
where
    F: FnMut(Option<String>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<(Vec<T>, Option<String>), Error<E>>> + Send + 'a,
    T: Send + 'a,
    E: Send + 'a,
{
    let state = (fetch, Some(start), std::collections::VecDeque::new());
    let stream = futures_util::stream::unfold(state, move |(mut fetch, mut next, mut buffer)| async move {
        loop {
            if let Some(item) = buffer.pop_front() {
                return Some((Ok(item), (fetch, next, buffer)));
            }
            let cursor = next?;
            match fetch(cursor.clone()).await {
                Ok((items, following)) => {
                    let following = following.filter(|c| !c.is_empty() && Some(c) != cursor.as_ref());
                    next = following.map(Some);
                    buffer.extend(items);
                }
                Err(e) => return Some((Err(e), (fetch, None, buffer))),
            }
        }
    });
    Pages { inner: Box::pin(stream) }
}

// ---------------------------------------------------------------------------------------
// String enums: what every string enum of the models needs, written once here rather than
// expanded per enum: `as_str`, encoding as that string, and decoding that keeps a value the
// client does not know in the enum's `Other(String)` variant. `models.rs` declares each
// enum (with its docs and plain derives) and invokes `string_enum!` with its values.

/// `string_enum!(Name { Variant = "value", ... })`: `as_str` and the serde impls of `Name`,
/// which must have those unit variants and an `Other(String)` one.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident { $( $variant:ident = $value:literal ),* $(,)? }) => {
        impl $name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $value, )*
                    $name::Other(value) => value,
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::decode_string_enum(deserializer, |value| match value {
                    $( $value => Some($name::$variant), )*
                    _ => None,
                }, $name::Other)
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use string_enum;

/// Decodes a string into a string enum: `known` names the variant of a known value (without
/// copying the text); any other string is kept by `other`.
pub(crate) fn decode_string_enum<'de, D, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct StringEnum<T> {
        known: fn(&str) -> Option<T>,
        other: fn(String) -> T,
    }

    impl<T> serde::de::Visitor<'_> for StringEnum<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok((self.known)(value).unwrap_or_else(|| (self.other)(value.to_owned())))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(match (self.known)(&value) {
                Some(known) => known,
                None => (self.other)(value),
            })
        }
    }

    deserializer.deserialize_str(StringEnum { known, other })
}
