//! Security: the document's security schemes as the client applies them (bearer, basic,
//! API keys, mutual TLS; OAuth2 and OpenID Connect as bearer tokens), and the requirements
//! of each operation (its own, or the document's).

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr};

use super::OperationContext;
use crate::error::{Diagnostic, Error};
use crate::ir::{Location, SecurityScheme};
use crate::pointer::Pointer;

/// The document's security schemes, by name.
pub fn security_schemes(
    doc: &OpenAPI,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<BTreeMap<String, SecurityScheme>, Error> {
    let mut schemes = BTreeMap::new();
    let Some(components) = &doc.components else {
        return Ok(schemes);
    };
    let base = Pointer::root().push("components").push("securitySchemes");
    for (name, scheme) in &components.security_schemes {
        let at = base.push(name);
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(Error::invalid(
                &at,
                "a reference to a security scheme is not supported",
            ));
        };
        use openapiv3::SecurityScheme as S;
        let modelled = match scheme {
            S::HTTP {
                scheme: http,
                description,
                ..
            } => match http.to_ascii_lowercase().as_str() {
                "bearer" => SecurityScheme::Bearer {
                    description: description.clone(),
                },
                "basic" => SecurityScheme::Basic {
                    description: description.clone(),
                },
                // What normalising makes of OpenAPI 3.1's `type: mutualTLS`.
                "mutualtls" => SecurityScheme::MutualTls {
                    description: description.clone(),
                },
                other => {
                    diagnostics.push(Diagnostic::warning(
                        &at.push("scheme"),
                        format!("HTTP auth scheme {other:?} is not supported; sending the credential as a bearer token"),
                    ));
                    SecurityScheme::Bearer {
                        description: description.clone(),
                    }
                }
            },
            S::APIKey {
                location,
                name: key,
                description,
                ..
            } => SecurityScheme::ApiKey {
                location: match location {
                    APIKeyLocation::Query => Location::Query,
                    APIKeyLocation::Header => Location::Header,
                    APIKeyLocation::Cookie => Location::Cookie,
                },
                name: key.clone(),
                description: description.clone(),
            },
            S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                diagnostics.push(Diagnostic::note(
                    &at,
                    "OAuth2/OpenID Connect flows are not run by the client; an access token obtained elsewhere is sent as a bearer token",
                ));
                SecurityScheme::Bearer {
                    description: description.clone(),
                }
            }
        };
        schemes.insert(name.clone(), modelled);
    }
    Ok(schemes)
}

impl OperationContext<'_> {
    /// Alternatives of requirements; each lists the scheme names that apply together.
    pub(super) fn security(&self, op: &openapiv3::Operation) -> Result<Vec<Vec<String>>, Error> {
        let (requirements, at) = match (&op.security, &self.doc.security) {
            (Some(reqs), _) => (reqs, self.at.push("security")),
            (None, Some(reqs)) => (reqs, Pointer::root().push("security")),
            (None, None) => return Ok(Vec::new()),
        };
        let mut alternatives = Vec::with_capacity(requirements.len());
        for (i, requirement) in requirements.iter().enumerate() {
            // The schemes of one requirement all apply together: their order means nothing,
            // so they go by name.
            let mut sorted: Vec<&String> = requirement.keys().collect();
            sorted.sort();
            let mut names = Vec::with_capacity(sorted.len());
            for name in sorted {
                if !self.schemes.contains_key(name) {
                    return Err(Error::invalid(
                        &at.push(i.to_string()),
                        format!("security scheme {name:?} is not defined in #/components/securitySchemes"),
                    ));
                }
                names.push(name.clone());
            }
            alternatives.push(names);
        }
        Ok(alternatives)
    }
}
