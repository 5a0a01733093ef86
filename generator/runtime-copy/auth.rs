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

// The credential setters generated code calls from its own setter of each scheme
// (`bearer_auth`, `api_key`, ...); a scheme set again keeps the last credential.
impl ClientBuilder {
    /// Sets the token or key of `scheme`.
    #[doc(hidden)]
    pub fn token(mut self, scheme: &'static str, token: String) -> Self {
        self.credentials.retain(|(s, _)| *s != scheme);
        self.credentials
            .push((scheme, Credential::Token(Secret(token))));
        self
    }

    /// Sets the user name and password of `scheme`, an HTTP Basic one.
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

#[cfg(test)]
mod tests {
    use reqwest::header::COOKIE;

    use super::*;

    const SCHEMES: &[SecurityScheme] = &[
        SecurityScheme {
            name: "bearer",
            kind: SchemeKind::Bearer,
        },
        SecurityScheme {
            name: "basic",
            kind: SchemeKind::Basic,
        },
        SecurityScheme {
            name: "header",
            kind: SchemeKind::ApiKeyHeader("X-Api-Key"),
        },
        SecurityScheme {
            name: "query",
            kind: SchemeKind::ApiKeyQuery("api_key"),
        },
        SecurityScheme {
            name: "cookie",
            kind: SchemeKind::ApiKeyCookie("session"),
        },
        SecurityScheme {
            name: "tls",
            kind: SchemeKind::MutualTls,
        },
    ];

    fn builder() -> ClientBuilder {
        Client::builder_with("http://api.test", SCHEMES)
    }

    /// What `authenticate` adds for `security`: the request, the query pairs and cookies.
    fn authenticated(
        client: &Client,
        security: &[&[&str]],
    ) -> (reqwest::Request, Vec<(String, String)>, Vec<String>) {
        let (mut query, mut cookies) = (Vec::new(), Vec::new());
        let request = client.inner.http.get("http://api.test/x");
        let request = client.authenticate(request, security, &mut query, &mut cookies);
        (request.build().unwrap(), query, cookies)
    }

    #[test]
    fn secrets_never_show_in_debug_output() {
        assert_eq!(format!("{:?}", Secret("s3cr3t".into())), "<redacted>");
        let builder = builder().token("bearer", "tok-s3cr3t".into()).basic(
            "basic",
            "alice".into(),
            "pw-s3cr3t".into(),
        );
        let shown = format!("{builder:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("alice") && shown.contains("<redacted>"),
            "{shown}"
        );
        let client = builder.build().unwrap();
        for shown in [format!("{client:?}"), format!("{client:#?}")] {
            assert!(!shown.contains("s3cr3t"), "{shown}");
            assert!(shown.contains("<redacted>"), "{shown}");
        }
    }

    #[test]
    fn a_scheme_set_again_keeps_the_last_credential() {
        let builder = builder()
            .token("bearer", "old".into())
            .token("bearer", "new".into());
        assert_eq!(builder.credentials.len(), 1);
        let client = builder.build().unwrap();
        let (request, _, _) = authenticated(&client, &[&["bearer"]]);
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer new");
    }

    #[test]
    fn the_first_alternative_with_all_its_credentials_is_applied() {
        let client = builder()
            .token("bearer", "tok".into())
            .token("query", "qk".into())
            .token("cookie", "ck".into())
            .build()
            .unwrap();
        // `header` has no credential: the second alternative is taken, whole.
        let (request, query, cookies) = authenticated(
            &client,
            &[&["header", "bearer"], &["bearer", "query", "cookie"]],
        );
        let authorization = &request.headers()[AUTHORIZATION];
        assert_eq!(authorization, "Bearer tok");
        assert!(authorization.is_sensitive());
        assert!(request.headers().get("x-api-key").is_none());
        assert_eq!(query, [("api_key".to_owned(), "qk".to_owned())]);
        assert_eq!(cookies, ["session=ck"]);
    }

    #[test]
    fn api_keys_in_headers_are_sensitive_and_basic_is_encoded() {
        let client = builder()
            .token("header", "hk".into())
            .basic("basic", "alice".into(), "pw".into())
            .build()
            .unwrap();
        let (request, query, cookies) = authenticated(&client, &[&["header", "basic"]]);
        assert_eq!(request.headers()["x-api-key"], "hk");
        assert!(request.headers()["x-api-key"].is_sensitive());
        // base64("alice:pw")
        assert_eq!(request.headers()[AUTHORIZATION], "Basic YWxpY2U6cHc=");
        assert!(query.is_empty() && cookies.is_empty());
    }

    #[test]
    fn without_a_satisfied_alternative_no_credential_is_sent() {
        let client = builder().token("query", "qk".into()).build().unwrap();
        let (request, query, cookies) =
            authenticated(&client, &[&["bearer"], &["query", "header"]]);
        assert!(request.headers().get(AUTHORIZATION).is_none());
        assert!(request.headers().get(COOKIE).is_none());
        assert!(query.is_empty() && cookies.is_empty());
    }

    #[test]
    fn mutual_tls_counts_as_configured() {
        let client = builder().token("bearer", "tok".into()).build().unwrap();
        let (request, _, _) = authenticated(&client, &[&["tls", "bearer"]]);
        assert_eq!(request.headers()[AUTHORIZATION], "Bearer tok");
        let (request, _, _) = authenticated(&client, &[&["tls"], &["bearer"]]);
        assert!(request.headers().get(AUTHORIZATION).is_none());
    }
}
