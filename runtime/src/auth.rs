//! Authentication: the security schemes of a spec as generated code declares them, the
//! credentials a [`ClientBuilder`](super::config::ClientBuilder) holds for them (kept as
//! secrets that `Debug` never shows), and how a request's security requirement picks and
//! applies them.

use std::fmt;

use reqwest::header::{HeaderValue, AUTHORIZATION};

use super::client::Client;
use super::config::ClientBuilder;

/// Where a security scheme puts its credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemeKind {
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
pub struct SecurityScheme {
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// A secret (API key, token, password): never shown by `Debug` or `Display`.
#[derive(Clone)]
pub(super) struct Secret(String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A credential set for one scheme.
#[derive(Clone, Debug)]
pub(super) enum Credential {
    Token(Secret),
    Basic { username: String, password: Secret },
}

/// The credential setters generated code calls from its own setter of each scheme
/// (`bearer_auth`, `api_key`, ...); a scheme set again keeps the last credential.
impl ClientBuilder {
    #[doc(hidden)]
    pub fn token(mut self, scheme: &'static str, token: String) -> Self {
        self.credentials.retain(|(s, _)| *s != scheme);
        self.credentials
            .push((scheme, Credential::Token(Secret(token))));
        self
    }

    #[doc(hidden)]
    pub fn basic(mut self, scheme: &'static str, username: String, password: String) -> Self {
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
}

impl Client {
    /// Applies the first alternative of `security` whose credentials are all configured.
    /// With none configured the request goes out without credentials (the server decides).
    pub(super) fn authenticate(
        &self,
        mut builder: reqwest::RequestBuilder,
        security: &[&[&str]],
        query: &mut Vec<(String, String)>,
        cookies: &mut Vec<String>,
    ) -> reqwest::RequestBuilder {
        let inner = &*self.inner;
        let credential = |scheme: &str| {
            inner
                .credentials
                .iter()
                .find(|(s, _)| *s == scheme)
                .map(|(_, c)| c)
        };
        let available = |scheme: &str| {
            credential(scheme).is_some()
                || inner
                    .schemes
                    .iter()
                    .any(|s| s.name == scheme && s.kind == SchemeKind::MutualTls)
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
