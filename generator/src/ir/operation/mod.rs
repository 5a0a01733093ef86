//! Operations: each path and method of the document into an [`Operation`]. This module
//! walks the paths, names each operation and assembles it; each part has a module of its
//! own:
//!
//! - `params`: path-level and operation-level parameters, and the path template;
//! - `bodies`: the request body in the media type the client sends;
//! - `responses`: responses by status, and what a success returns;
//! - `events`: a success response that comes as server-sent events;
//! - `pagination`: `x-speakeasy-pagination`, the pages of a list;
//! - `security`: the document's security schemes and each operation's requirements.

mod bodies;
mod events;
mod pagination;
mod params;
mod responses;
mod security;

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr};

use super::{Method, Operation, PathTemplate, SecurityScheme, StatusMatch, TypeSpace};
use crate::error::{Diagnostic, Error};
use crate::naming::reserved::{self, CLIENT_METHODS, OPERATIONS_IMPORTS, PRELUDE_TYPES};
use crate::naming::{snake_name, type_name, NameScope};
use crate::pointer::Pointer;

pub use security::security_schemes;

/// Every operation of the document, sorted by path and method.
pub fn build_operations(
    doc: &OpenAPI,
    paths: indexmap::IndexMap<String, ReferenceOr<openapiv3::PathItem>>,
    types: &mut TypeSpace,
    schemes: &BTreeMap<String, SecurityScheme>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Operation>, Error> {
    let mut names = OperationNames {
        methods: reserved::scope(CLIENT_METHODS),
        types: reserved::scope(&[OPERATIONS_IMPORTS, PRELUDE_TYPES].concat()),
    };
    let mut paths: Vec<(String, ReferenceOr<openapiv3::PathItem>)> = paths.into_iter().collect();
    paths.sort_by(|a, b| a.0.cmp(&b.0));
    let mut operations = Vec::new();
    // Each path item is dropped once its operations are built.
    for (path, item) in paths {
        let path = &path;
        let at = Pointer::root().push("paths").push(path);
        let ReferenceOr::Item(item) = &item else {
            diagnostics.push(Diagnostic::warning(
                &at,
                "a reference to a path item is not supported; skipped",
            ));
            continue;
        };
        let template = item
            .extensions
            .get(crate::normalize::PATH_TEMPLATE)
            .and_then(serde_json::Value::as_str)
            .unwrap_or(path);
        let mut methods: Vec<(Method, &openapiv3::Operation)> = item
            .iter()
            .filter_map(|(m, op)| method(m).map(|m| (m, op)))
            .collect();
        methods.sort_by_key(|(m, _)| *m);
        for (method, op) in methods {
            let context = OperationContext {
                doc,
                schemes,
                path,
                template,
                path_parameters: &item.parameters,
                at: at.push(method.as_str().to_ascii_lowercase()),
            };
            operations.push(context.build(method, op, types, &mut names, diagnostics)?);
        }
    }
    Ok(operations)
}

fn method(name: &str) -> Option<Method> {
    Some(match name {
        "get" => Method::Get,
        "put" => Method::Put,
        "post" => Method::Post,
        "delete" => Method::Delete,
        "options" => Method::Options,
        "head" => Method::Head,
        "patch" => Method::Patch,
        "trace" => Method::Trace,
        _ => return None,
    })
}

/// The names operations take: methods on `Client`, and types in `operations.rs`.
struct OperationNames {
    methods: NameScope,
    types: NameScope,
}

/// One operation being built: where it is and what it can look up.
struct OperationContext<'a> {
    doc: &'a OpenAPI,
    schemes: &'a BTreeMap<String, SecurityScheme>,
    /// The path item's key, where the spec writes it.
    path: &'a str,
    /// The path template requests use: the key, or the one normalising gave a key with a
    /// query part (`normalize::PATH_TEMPLATE`).
    template: &'a str,
    /// The parameters its path item declares for every method.
    path_parameters: &'a [ReferenceOr<openapiv3::Parameter>],
    at: Pointer,
}

impl OperationContext<'_> {
    /// What an operation without an `operationId` is named from: its path key, with the
    /// values of a query part left out (`/air?city={city}&lat={lat}` reads `/air?city&lat`).
    fn name_source(&self) -> String {
        match self.path.split_once('?') {
            Some((path, query)) if self.template != self.path => {
                let names: Vec<&str> = query
                    .split('&')
                    .map(|pair| pair.split_once('=').map_or(pair, |(name, _)| name))
                    .collect();
                format!("{path}?{}", names.join("&"))
            }
            _ => self.path.to_owned(),
        }
    }

    fn build(
        &self,
        method: Method,
        op: &openapiv3::Operation,
        types: &mut TypeSpace,
        names: &mut OperationNames,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Operation, Error> {
        let wanted = match &op.operation_id {
            Some(id) => snake_name(id),
            None => snake_name(&format!("{} {}", method.as_str(), self.name_source())),
        };
        let name = names.methods.claim(&wanted);
        if name != wanted {
            diagnostics.push(Diagnostic::note(
                &self.at,
                format!("operation name {wanted:?} is taken; this operation is `{name}`"),
            ));
        }
        let type_name = names.types.claim(&type_name(&name));
        for suffix in reserved::OPERATION_TYPE_SUFFIXES {
            names.types.reserve(&format!("{type_name}{suffix}"));
        }

        let path = PathTemplate::parse(self.template);
        let parameters = self.parameters(&path, &op.parameters, &type_name, types, diagnostics)?;
        let body = match &op.request_body {
            Some(body) => self.request_body(body, &type_name, types, diagnostics)?,
            None => None,
        };
        let responses = self.responses(&op.responses, &type_name, types, diagnostics)?;
        let success = responses::success(&responses);
        let security = self.security(op)?;
        let mut events = self.events(
            op,
            &responses,
            body.as_ref(),
            &events::Names {
                method: &name,
                type_name: &type_name,
            },
            types,
            diagnostics,
        )?;
        if let Some(alternative) = events.as_mut().and_then(|e| e.alternative.as_mut()) {
            alternative.method_name = names.methods.claim(&alternative.method_name);
        }
        let pagination = self.pagination(op, &parameters, &responses, types, diagnostics);
        let retry_statuses = responses
            .iter()
            .filter_map(|r| match r.status {
                StatusMatch::Code(c @ (524 | 529)) => Some(c),
                _ => None,
            })
            .collect();
        Ok(Operation {
            name,
            type_name,
            method,
            path,
            pointer: self.at.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            parameters,
            body,
            responses,
            success,
            security,
            events,
            pagination,
            retry_statuses,
            tag: op.tags.first().cloned(),
            feature: String::new(),
        })
    }

    /// An item written in place, or the component a local `$ref` names in `section` of
    /// `#/components` (`what` names it in the error); anything else is a dangling
    /// reference at `at`.
    fn component<'d, T>(
        &self,
        item: &'d ReferenceOr<T>,
        section: Section<'d, T>,
        at: &Pointer,
    ) -> Result<&'d T, Error> {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => reference,
        };
        let found = reference
            .strip_prefix("#/components/")
            .and_then(|rest| rest.strip_prefix(section.name))
            .and_then(|rest| rest.strip_prefix('/'))
            .and_then(|name| section.items?.get(name));
        match found {
            Some(ReferenceOr::Item(item)) => Ok(item),
            _ => Err(Error::invalid(
                at,
                format!(
                    "dangling reference: {reference:?} does not name a component {}",
                    section.what
                ),
            )),
        }
    }
}

/// A section of `#/components` that `$ref`s can name: its key, its items, and what one
/// is called in messages.
struct Section<'d, T> {
    name: &'static str,
    items: Option<&'d indexmap::IndexMap<String, ReferenceOr<T>>>,
    what: &'static str,
}

impl<'d> Section<'d, openapiv3::Response> {
    fn responses(doc: &'d OpenAPI) -> Self {
        Section {
            name: "responses",
            items: doc.components.as_ref().map(|c| &c.responses),
            what: "response",
        }
    }
}

impl<'d> Section<'d, openapiv3::Parameter> {
    fn parameters(doc: &'d OpenAPI) -> Self {
        Section {
            name: "parameters",
            items: doc.components.as_ref().map(|c| &c.parameters),
            what: "parameter",
        }
    }
}

impl<'d> Section<'d, openapiv3::RequestBody> {
    fn request_bodies(doc: &'d OpenAPI) -> Self {
        Section {
            name: "requestBodies",
            items: doc.components.as_ref().map(|c| &c.request_bodies),
            what: "request body",
        }
    }
}
