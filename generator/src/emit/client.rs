//! `client.rs`: the spec's servers, its security schemes as the runtime sees them, the
//! crate's own `Client` and `ClientBuilder`, and a credential setter on `ClientBuilder` for
//! each scheme.
//!
//! The crate defines its own `Client` and `ClientBuilder` because it adds inherent methods
//! to them (an operation method per operation, a credential setter per scheme), which Rust
//! allows only in the crate that defines a type, and the runtime may be another crate. They
//! wrap the runtime's and are written by one invocation of the runtime's `client_types!`,
//! rather than spelled out here: the forwarding methods and their docs live once, beside the
//! builder they forward to, a crate's `client.rs` stays short, and a setting the runtime's
//! builder gains reaches crates that depend on the runtime without regenerating them. The
//! invocation is the same whether the runtime is vendored or a dependency.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_paragraphs;
use crate::ir::{Api, Location, SecurityScheme};
use crate::naming::reserved::{self, CLIENT_BUILDER_METHODS};
use crate::naming::snake_name;

/// The credential setter of each security scheme (none for mutual TLS), by scheme name.
pub fn credential_setters(api: &Api) -> Vec<(String, &String, &SecurityScheme)> {
    let mut names = reserved::scope(CLIENT_BUILDER_METHODS);
    api.security_schemes
        .iter()
        .filter(|(_, scheme)| !matches!(scheme, SecurityScheme::MutualTls { .. }))
        .map(|(name, scheme)| (names.claim(&snake_name(name)), name, scheme))
        .collect()
}

pub fn emit(api: &Api) -> TokenStream {
    let servers = api.servers.iter().map(|s| s.url.as_str());
    let default_url = api.servers.first().map(|s| s.url.as_str()).unwrap_or("");
    let server_docs: Vec<String> = api
        .servers
        .iter()
        .map(|s| match &s.description {
            Some(d) => format!(" - `{}`: {}", s.url, d.replace('\n', " ")),
            None => format!(" - `{}`", s.url),
        })
        .collect();
    let builder_doc = if default_url.is_empty() {
        " A builder for a client. The spec names no server: set [`ClientBuilder::base_url`]."
            .to_owned()
    } else {
        format!(" A builder for a client of `{default_url}` (change it with [`ClientBuilder::base_url`]).")
    };

    let mut schemes = Vec::new();
    let mut setters = Vec::new();
    for (scheme_name, scheme) in &api.security_schemes {
        if let SecurityScheme::MutualTls { .. } = scheme {
            // No setter: the certificate belongs to the caller's `reqwest::Client`.
            schemes.push(quote! {
                crate::runtime::SecurityScheme { name: #scheme_name, kind: crate::runtime::SchemeKind::MutualTls },
            });
            continue;
        }
        let method = credential_setters(api)
            .into_iter()
            .find(|(_, name, _)| *name == scheme_name)
            .map(|(method, _, _)| format_ident!("{}", method))
            .unwrap_or_else(|| format_ident!("credential"));
        let (kind, description, setter_doc) = match scheme {
            SecurityScheme::Bearer { description } => (
                quote! { crate::runtime::SchemeKind::Bearer },
                description,
                format!(
                    "Sets the `{scheme_name}` credential, sent as `Authorization: Bearer <token>`."
                ),
            ),
            SecurityScheme::Basic { description } => (
                quote! { crate::runtime::SchemeKind::Basic },
                description,
                format!("Sets the `{scheme_name}` credential, sent as HTTP Basic authentication."),
            ),
            SecurityScheme::MutualTls { .. } => continue,
            SecurityScheme::ApiKey {
                location,
                name,
                description,
            } => {
                let (kind, place) = match location {
                    Location::Query => (
                        quote! { crate::runtime::SchemeKind::ApiKeyQuery(#name) },
                        "query parameter",
                    ),
                    Location::Cookie => (
                        quote! { crate::runtime::SchemeKind::ApiKeyCookie(#name) },
                        "cookie",
                    ),
                    Location::Header | Location::Path => (
                        quote! { crate::runtime::SchemeKind::ApiKeyHeader(#name) },
                        "header",
                    ),
                };
                (
                    kind,
                    description,
                    format!("Sets the `{scheme_name}` credential, sent in the `{name}` {place}."),
                )
            }
        };
        schemes.push(quote! {
            crate::runtime::SecurityScheme { name: #scheme_name, kind: #kind },
        });
        let docs = doc_paragraphs(&[Some(&setter_doc), description.as_deref()]);
        setters.push(match scheme {
            SecurityScheme::Basic { .. } => quote! {
                #docs
                pub fn #method(self, username: impl Into<String>, password: impl Into<String>) -> Self {
                    self.basic(#scheme_name, username.into(), password.into())
                }
            },
            _ => quote! {
                #docs
                pub fn #method(self, secret: impl Into<String>) -> Self {
                    self.token(#scheme_name, secret.into())
                }
            },
        });
    }

    quote! {
        //! Servers, security schemes, the client and its credentials.

        /// The servers the spec lists; the first is the default base URL.
        ///
        #( #[doc = #server_docs] )*
        pub const SERVERS: &[&str] = &[ #( #servers ),* ];

        pub(crate) const SECURITY_SCHEMES: &[crate::runtime::SecurityScheme] = &[ #( #schemes )* ];

        crate::runtime::client_types!(#builder_doc, #default_url, SECURITY_SCHEMES);

        impl ClientBuilder {
            #( #setters )*
        }
    }
}
