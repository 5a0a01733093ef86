//! The runtime every generated operation calls: the HTTP client and its configuration,
//! authentication, request encoding, response decoding and the error type.
//!
//! It is the same for every API; the generator copies it verbatim into each crate it writes,
//! so a generated crate depends on no crate of the generator's.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
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
#[must_use]
pub struct ClientBuilder {
    base_url: String,
    schemes: &'static [SecurityScheme],
    credentials: Vec<(&'static str, Credential)>,
    http: Option<reqwest::Client>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    headers: HeaderMap,
    error: Option<BuildError>,
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("credentials", &self.credentials)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("headers", &self.headers)
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
            error: None,
        }
    }

    /// The URL that operation paths are appended to (the spec's first server by default).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = url.into();
        self
    }

    /// Total time allowed for each request, from sending to the end of the body.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Time allowed to establish a connection. Ignored with [`ClientBuilder::http_client`],
    /// whose own settings apply.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Sends requests through the caller's own `reqwest::Client` (proxies, pools, TLS).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.http = Some(client);
        self
    }

    /// A header sent with every request (it replaces `User-Agent` if so named).
    pub fn default_header(mut self, name: &str, value: &str) -> Self {
        let parsed = HeaderName::from_bytes(name.as_bytes())
            .map_err(|e| e.to_string())
            .and_then(|n| {
                HeaderValue::from_str(value)
                    .map(|v| (n, v))
                    .map_err(|e| e.to_string())
            });
        match parsed {
            Ok((n, v)) => {
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
                let mut builder = reqwest::Client::builder();
                if let Some(t) = self.connect_timeout {
                    builder = builder.connect_timeout(t);
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
            }),
        })
    }
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
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url)
            .field("credentials", &self.inner.credentials)
            .field("timeout", &self.inner.timeout)
            .finish_non_exhaustive()
    }
}

/// One request as an operation describes it, before authentication and sending.
pub(crate) struct Request {
    method: Method,
    path: String,
    query: Vec<(String, String)>,
    headers: Vec<(&'static str, String)>,
    cookies: Vec<String>,
    security: &'static [&'static [&'static str]],
    accept: &'static str,
    /// The encoded body and its content type.
    body: Option<(&'static str, Vec<u8>)>,
    /// The parts of a `multipart/form-data` body; when any, they are the body.
    parts: Vec<(&'static str, reqwest::multipart::Part)>,
}

impl Request {
    pub(crate) fn new(
        method: Method,
        path: String,
        accept: &'static str,
        security: &'static [&'static [&'static str]],
    ) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            security,
            accept,
            body: None,
            parts: Vec::new(),
        }
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
        self.body = Some((content_type, bytes));
        Ok(())
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
        self.body = Some((content_type, encoded.join("&").into_bytes()));
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
        self.parts.push((name, reqwest::multipart::Part::text(text)));
        Ok(())
    }

    /// Adds a file part to a `multipart/form-data` body.
    pub(crate) fn file_part(&mut self, name: &'static str, file: &FilePart) -> Result<(), RequestError> {
        let part = reqwest::multipart::Part::stream(reqwest::Body::from(file.bytes.clone()));
        let part = match &file.content_type {
            Some(content_type) => part.mime_str(content_type).map_err(|e| {
                RequestError(format!("part `{name}`: invalid content type {content_type:?}: {e}"))
            })?,
            None => part,
        };
        let part = match &file.file_name {
            Some(file_name) => part.file_name(file_name.clone()),
            None => part,
        };
        self.parts.push((name, part));
        Ok(())
    }

    /// Sets a body of raw bytes or text.
    pub(crate) fn raw(&mut self, content_type: &'static str, body: impl Into<Vec<u8>>) {
        self.body = Some((content_type, body.into()));
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

/// A file for a `multipart/form-data` part: its bytes, and optionally the file name and
/// content type the server sees.
#[derive(Clone)]
pub struct FilePart {
    bytes: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

impl FilePart {
    /// A file part holding `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            bytes: bytes.into(),
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
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FilePart")
            .field("len", &self.bytes.len())
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
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
        _ => Ok(percent_encoding::utf8_percent_encode(&text, SEGMENT).to_string()),
    }
}

/// A parameter as text (`simple` style): strings as they are, numbers and booleans as JSON
/// writes them, arrays comma-joined, objects as `key,value` pairs comma-joined.
fn param_text<T: Serialize + ?Sized>(name: &str, value: &T) -> Result<String, RequestError> {
    let value = serde_json::to_value(value).map_err(|e| RequestError(format!("cannot encode parameter `{name}`: {e}")))?;
    Ok(scalar_text(&value))
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

    /// Sends a request and reads the whole response.
    pub(crate) async fn execute(&self, request: Request) -> Result<Response, TransportError> {
        let inner = &*self.inner;
        let url = format!("{}{}", inner.base_url, request.path);
        let mut builder = inner
            .http
            .request(request.method, url)
            .headers(inner.headers.clone())
            .header(ACCEPT, request.accept);
        if let Some(timeout) = inner.timeout {
            builder = builder.timeout(timeout);
        }
        let mut query = request.query;
        let mut cookies = request.cookies;
        builder = self.authenticate(builder, request.security, &mut query, &mut cookies);
        if !query.is_empty() {
            builder = builder.query(&query);
        }
        for (name, value) in request.headers {
            builder = builder.header(name, value);
        }
        if !cookies.is_empty() {
            let mut cookie = HeaderValue::from_str(&cookies.join("; ")).map_err(|e| TransportError::Invalid(e.to_string()))?;
            cookie.set_sensitive(true);
            builder = builder.header(reqwest::header::COOKIE, cookie);
        }
        if !request.parts.is_empty() {
            let mut form = reqwest::multipart::Form::new();
            for (name, part) in request.parts {
                form = form.part(name, part);
            }
            builder = builder.multipart(form);
        } else if let Some((content_type, body)) = request.body {
            builder = builder.header(CONTENT_TYPE, content_type).body(body);
        }
        let response = builder.send().await.map_err(TransportError::from_reqwest)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(TransportError::from_reqwest)?;
        Ok(Response { status, headers, body })
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
                Credential::Token(Secret(token)) => token.clone(),
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
                    if let Ok(mut value) = HeaderValue::from_str(&secret) {
                        value.set_sensitive(true);
                        builder = builder.header(name, value);
                    }
                }
                SchemeKind::ApiKeyQuery(name) => query.push((name.to_owned(), secret)),
                SchemeKind::ApiKeyCookie(name) => cookies.push(format!("{name}={secret}")),
                SchemeKind::MutualTls => {}
            }
        }
        builder
    }
}

/// A failure before a response arrived.
#[derive(Debug)]
pub(crate) enum TransportError {
    Timeout(reqwest::Error),
    Transport(reqwest::Error),
    Invalid(String),
}

impl TransportError {
    fn from_reqwest(e: reqwest::Error) -> Self {
        // The URL may carry an API key in its query; errors never show it.
        let e = e.without_url();
        if e.is_timeout() {
            TransportError::Timeout(e)
        } else {
            TransportError::Transport(e)
        }
    }
}

/// A response as it arrived: status, headers and the whole body.
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
}

/// A documented error response, decoded: `body` is the operation's enum of error bodies.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
}

pub(crate) type Response = RawResponse;

impl RawResponse {
    pub(crate) fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body, checking the content type when the server names one.
    pub(crate) fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        if let Some(content_type) = self.headers.get(CONTENT_TYPE) {
            let text = content_type.to_str().unwrap_or("");
            let essence = text.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
            if essence != "application/json" && !essence.ends_with("+json") {
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
        match decode(self) {
            Ok(body) => Error::Api(Box::new(ApiError {
                status,
                headers,
                body: wrap(body),
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

/// Decodes JSON, recording where in the document decoding failed.
fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
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
    /// The request timed out (see [`ClientBuilder::timeout`]).
    Timeout { source: reqwest::Error },
    /// Connecting, sending or receiving failed.
    Transport { source: reqwest::Error },
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
            | Error::UnexpectedContentType { response, .. } => Some(response),
            Error::Api(_) | Error::InvalidRequest { .. } | Error::Timeout { .. } | Error::Transport { .. } => None,
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
            Error::Timeout { .. } => true,
            Error::Transport { source } => source.is_connect() || source.is_timeout(),
            Error::InvalidRequest { .. } => false,
            _ => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504)),
        }
    }

    /// How long the server asked to wait, from a `Retry-After` header in seconds.
    pub fn retry_after(&self) -> Option<Duration> {
        let value = self.headers()?.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
        value.trim().parse::<u64>().ok().map(Duration::from_secs)
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
            TransportError::Timeout(source) => Error::Timeout { source },
            TransportError::Transport(source) => Error::Transport { source },
            TransportError::Invalid(message) => Error::InvalidRequest { message },
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
            Error::Timeout { source } => write!(f, "the request timed out: {source}"),
            Error::Transport { source } => write!(f, "the request failed: {source}"),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout { source } | Error::Transport { source } => Some(source),
            _ => None,
        }
    }
}
