//! Operations: paths and methods into [`Operation`]s with their parameters, bodies,
//! responses and security; and the document's security schemes.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    APIKeyLocation, MediaType, OpenAPI, ParameterSchemaOrContent, ReferenceOr, StatusCode,
};

use super::{
    BodyEncoding, EventStream, Location, Method, Operation, PageField, PageKind, Pagination,
    Parameter, RequestBody, Response, ResponseBody, SecurityScheme, StatusMatch, StreamAlternative,
    Type, TypeId, TypeKind, TypeSpace,
};
use crate::error::{Diagnostic, Error};
use crate::naming::{snake_name, status_name, type_name, NameScope};
use crate::pointer::Pointer;

/// Method names the runtime's `Client` already has.
const CLIENT_METHODS: &[&str] = &[
    "builder",
    "builder_with",
    "base_url",
    "execute",
    "authenticate",
    "clone",
    "fmt",
];
/// Names the operations module imports from the runtime.
const OPERATION_MODULE_NAMES: &[&str] = &["Client", "Error", "Request", "Response"];
/// Names used by every request builder itself.
const BUILDER_MEMBERS: &[&str] = &[
    "send",
    "client",
    "body",
    "new",
    "options",
    "request",
    "download",
    "items",
    "request_options",
    "with_timeout",
    "with_retry",
    "with_header",
    "with_idempotency_key",
];

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

/// Every operation of the document, sorted by path and method.
pub fn build_operations(
    doc: &OpenAPI,
    types: &mut TypeSpace,
    schemes: &BTreeMap<String, SecurityScheme>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Operation>, Error> {
    let mut method_names = NameScope::new();
    for reserved in CLIENT_METHODS {
        method_names.reserve(reserved);
    }
    let mut type_names = NameScope::new();
    for reserved in OPERATION_MODULE_NAMES {
        type_names.reserve(reserved);
    }
    let mut paths: Vec<(&String, &ReferenceOr<openapiv3::PathItem>)> =
        doc.paths.paths.iter().collect();
    paths.sort_by(|a, b| a.0.cmp(b.0));
    let mut operations = Vec::new();
    for (path, item) in paths {
        let at = Pointer::root().push("paths").push(path);
        let ReferenceOr::Item(item) = item else {
            diagnostics.push(Diagnostic::warning(
                &at,
                "a reference to a path item is not supported; skipped",
            ));
            continue;
        };
        let mut methods: Vec<(Method, &openapiv3::Operation)> = item
            .iter()
            .filter_map(|(m, op)| method(m).map(|m| (m, op)))
            .collect();
        methods.sort_by_key(|(m, _)| *m);
        for (method, op) in methods {
            let op_at = at.push(method.as_str().to_ascii_lowercase());
            let context = OperationContext {
                doc,
                schemes,
                path,
                at: op_at,
            };
            let built = context.build(
                method,
                op,
                &item.parameters,
                types,
                &mut method_names,
                &mut type_names,
                diagnostics,
            )?;
            operations.push(built);
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

struct OperationContext<'a> {
    doc: &'a OpenAPI,
    schemes: &'a BTreeMap<String, SecurityScheme>,
    path: &'a str,
    at: Pointer,
}

impl OperationContext<'_> {
    #[allow(clippy::too_many_arguments)]
    fn build(
        &self,
        method: Method,
        op: &openapiv3::Operation,
        path_parameters: &[ReferenceOr<openapiv3::Parameter>],
        types: &mut TypeSpace,
        method_names: &mut NameScope,
        type_names: &mut NameScope,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Operation, Error> {
        let wanted = match &op.operation_id {
            Some(id) => snake_name(id),
            None => snake_name(&format!("{} {}", method.as_str(), self.path)),
        };
        let name = method_names.claim(&wanted);
        if name != wanted {
            diagnostics.push(Diagnostic::note(
                &self.at,
                format!("operation name {wanted:?} is taken; this operation is `{name}`"),
            ));
        }
        let type_name = type_names.claim(&type_name(&name));
        type_names.reserve(&format!("{type_name}Error"));
        type_names.reserve(&format!("{type_name}Response"));
        type_names.reserve(&format!("{type_name}Form"));
        type_names.reserve(&format!("{type_name}Body"));

        let parameters = self.parameters(
            path_parameters,
            &op.parameters,
            &type_name,
            types,
            diagnostics,
        )?;
        let body = match &op.request_body {
            Some(body) => self.request_body(body, &type_name, types, diagnostics)?,
            None => None,
        };
        let responses = self.responses(&op.responses, &type_name, types, diagnostics)?;
        let security = self.security(op)?;
        let events = self.events(
            op,
            &responses,
            body.as_ref(),
            &name,
            &type_name,
            types,
            diagnostics,
        )?;
        if let Some(alternative) = events.as_ref().and_then(|e| e.alternative.as_ref()) {
            method_names.reserve(&alternative.method_name);
            type_names.reserve(&alternative.type_name);
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
            path: self.path.to_owned(),
            pointer: self.at.to_string(),
            summary: op.summary.clone(),
            description: op.description.clone(),
            deprecated: op.deprecated,
            parameters,
            body,
            responses,
            security,
            events,
            pagination,
            retry_statuses,
        })
    }

    /// The success response that comes as server-sent events, if any.
    #[allow(clippy::too_many_arguments)]
    fn events(
        &self,
        op: &openapiv3::Operation,
        responses: &[Response],
        body: Option<&RequestBody>,
        name: &str,
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<EventStream>, Error> {
        for (code, response) in &op.responses.responses {
            let StatusCode::Code(code @ 200..=299) = code else {
                continue;
            };
            let at = self.at.push("responses").push(code.to_string());
            let Ok(response_def) = component(
                response,
                "responses",
                self.doc.components.as_ref().map(|c| &c.responses),
                "response",
                &at,
            ) else {
                continue;
            };
            let Some((media_type, media)) = response_def
                .content
                .iter()
                .find(|(m, _)| essence(m) == "text/event-stream")
            else {
                continue;
            };
            let media_at = at.push("content").push(media_type);
            let item = match &media.schema {
                Some(schema) => types.convert(
                    schema,
                    &format!("{type_name}Event"),
                    &media_at.push("schema"),
                    diagnostics,
                )?,
                None => Type::Json,
            };
            let envelope = match &item {
                Type::Named(id) => match &types.get(*id).kind {
                    TypeKind::Struct(s) => {
                        s.fields.iter().any(|f| f.json_name == "data")
                            && s.fields.iter().all(|f| {
                                matches!(f.json_name.as_str(), "data" | "event" | "id" | "retry")
                            })
                    }
                    _ => false,
                },
                _ => false,
            };
            let sentinel = media
                .extensions
                .get("x-speakeasy-sse-sentinel")
                .and_then(|v| v.as_str())
                .map(str::to_owned);
            let status = StatusMatch::Code(*code);
            let streamed_only = responses.iter().any(|r| {
                r.status == status
                    && r.body
                        .as_ref()
                        .is_some_and(|b| essence(&b.media_type) == "text/event-stream")
            });
            let alternative = (!streamed_only).then(|| {
                let declared = op
                    .extensions
                    .get("x-speakeasy-stream-request-field")
                    .and_then(|v| v.as_str())
                    .map(str::to_owned);
                let request_field = declared.or_else(|| {
                    let body = body.filter(|b| b.encoding == BodyEncoding::Json)?;
                    let Type::Named(id) = &body.ty else {
                        return None;
                    };
                    let TypeKind::Struct(s) = &types.get(*id).kind else {
                        return None;
                    };
                    s.fields
                        .iter()
                        .any(|f| f.json_name == "stream" && f.ty.clone().required() == Type::Bool)
                        .then(|| "stream".to_owned())
                });
                if request_field.is_none() {
                    diagnostics.push(Diagnostic::note(
                        &media_at,
                        "no request field selects the stream; the stream method asks for it with `Accept: text/event-stream` alone",
                    ));
                }
                StreamAlternative {
                    method_name: format!("{name}_stream"),
                    type_name: format!("{type_name}Stream"),
                    request_field,
                }
            });
            return Ok(Some(EventStream {
                status,
                item,
                envelope,
                sentinel,
                alternative,
            }));
        }
        Ok(None)
    }

    /// The pages of a list marked `x-speakeasy-pagination`, when its parameters and body
    /// fields are found; otherwise a diagnostic and no paging method.
    fn pagination(
        &self,
        op: &openapiv3::Operation,
        parameters: &[Parameter],
        responses: &[Response],
        types: &TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Pagination> {
        let spec = op.extensions.get("x-speakeasy-pagination")?;
        let at = self.at.push("x-speakeasy-pagination");
        let mut warn = |message: String| {
            diagnostics.push(Diagnostic::warning(
                &at,
                format!("{message}; no paging method"),
            ));
        };
        let input = |kind: &str| -> Option<&Parameter> {
            let inputs = spec.get("inputs")?.as_array()?;
            let name = inputs
                .iter()
                .find(|i| i.get("type").and_then(|t| t.as_str()) == Some(kind))?
                .get("name")?
                .as_str()?;
            parameters
                .iter()
                .find(|p| p.name == name && p.location == Location::Query && !p.required)
        };
        let successes: Vec<&Response> =
            responses.iter().filter(|r| r.status.is_success()).collect();
        let [success] = successes.as_slice() else {
            warn("the list has more or fewer than one success response".to_owned());
            return None;
        };
        // An alias names the type it stands for.
        let resolve = |mut ty: Type| {
            for _ in 0..16 {
                match ty {
                    Type::Named(id) => match &types.get(id).kind {
                        TypeKind::Alias(inner) => ty = inner.clone(),
                        _ => break,
                    },
                    _ => break,
                }
            }
            ty
        };
        let output = |name: &str| -> Option<&str> {
            spec.get("outputs")?.get(name)?.as_str()?.strip_prefix("$.")
        };
        // A field of a page struct, by JSON name: its access and its type.
        let field = |body: &crate::ir::Struct, name: Option<&str>| -> Option<(PageField, Type)> {
            let f = body
                .fields
                .iter()
                .find(|f| Some(f.json_name.as_str()) == name && !f.flatten)?;
            Some((
                PageField {
                    rust_name: f.name.clone(),
                    optional: f.ty.is_option(),
                },
                resolve(f.ty.clone().required()),
            ))
        };
        let is_cursor = spec.get("type").and_then(|t| t.as_str()) == Some("cursor");
        // A page struct that has the outputs the pagination names.
        let page = |id: TypeId| -> Option<&crate::ir::Struct> {
            let TypeKind::Struct(body) = &types.get(id).kind else {
                return None;
            };
            let has_results = matches!(field(body, output("results")), Some((_, Type::Array(_))));
            let has_next =
                !is_cursor || matches!(field(body, output("nextCursor")), Some((_, Type::String)));
            (has_results && has_next).then_some(body)
        };
        let body_type = success
            .body
            .as_ref()
            .map(|b| resolve(b.ty.clone().required()));
        let (body, variant) = match body_type {
            Some(Type::Named(id)) => match &types.get(id).kind {
                TypeKind::Struct(_) => match page(id) {
                    Some(body) => (body, None),
                    None => {
                        warn("the success body has no array field that `outputs.results` names (and, for cursors, no string field `outputs.nextCursor` names)".to_owned());
                        return None;
                    }
                },
                // A union of page shapes: the one shape that has the outputs.
                TypeKind::Union(union) => {
                    let pages: Vec<_> = union
                        .variants
                        .iter()
                        .filter_map(|v| match &v.ty {
                            Type::Named(id) => page(*id).map(|body| (body, v.name.clone())),
                            _ => None,
                        })
                        .collect();
                    match <[_; 1]>::try_from(pages) {
                        Ok([(body, variant)]) => (body, Some(variant)),
                        Err(_) => {
                            warn("the success body is a union in which not exactly one shape has the outputs".to_owned());
                            return None;
                        }
                    }
                }
                _ => {
                    warn("the success body is not an object".to_owned());
                    return None;
                }
            },
            _ => {
                warn("the success body is not an object".to_owned());
                return None;
            }
        };
        let Some((results, Type::Array(item))) = field(body, output("results")) else {
            warn("`outputs.results` does not name an array field of the success body".to_owned());
            return None;
        };
        let integer = |p: &Parameter| match p.ty.clone().required() {
            Type::Integer(kind) => Some((p.rust_name.clone(), kind)),
            _ => None,
        };
        let kind = match spec.get("type").and_then(|t| t.as_str()) {
            Some("offsetLimit") => {
                let Some(offset) = input("offset").and_then(integer) else {
                    warn("no optional integer `offset` query parameter".to_owned());
                    return None;
                };
                PageKind::Offset {
                    offset,
                    limit: input("limit").and_then(integer),
                }
            }
            Some("cursor") => {
                let cursor = input("cursor").filter(|p| p.ty.clone().required() == Type::String);
                let next = field(body, output("nextCursor")).filter(|(_, ty)| ty == &Type::String);
                let (Some(cursor), Some((next, _))) = (cursor, next) else {
                    warn(
                        "no optional string `cursor` query parameter and `nextCursor` string field"
                            .to_owned(),
                    );
                    return None;
                };
                PageKind::Cursor {
                    cursor: cursor.rust_name.clone(),
                    next,
                }
            }
            other => {
                warn(format!("pagination type {other:?} is not supported"));
                return None;
            }
        };
        Some(Pagination {
            kind,
            results,
            item: *item,
            variant,
        })
    }

    fn parameters(
        &self,
        path_level: &[ReferenceOr<openapiv3::Parameter>],
        op_level: &[ReferenceOr<openapiv3::Parameter>],
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Parameter>, Error> {
        // Operation-level parameters override path-level ones with the same name and location.
        let mut merged: Vec<(Pointer, &openapiv3::Parameter)> = Vec::new();
        let path_item_at = Pointer::root().push("paths").push(self.path);
        for (level_at, list) in [
            (path_item_at.push("parameters"), path_level),
            (self.at.push("parameters"), op_level),
        ] {
            let mut seen = BTreeSet::new();
            for (i, param) in list.iter().enumerate() {
                let at = level_at.push(i.to_string());
                let param = component(
                    param,
                    "parameters",
                    self.doc.components.as_ref().map(|c| &c.parameters),
                    "parameter",
                    &at,
                )?;
                let data = param.parameter_data_ref();
                let key = (location(param), data.name.clone());
                if !seen.insert(key.clone()) {
                    return Err(Error::invalid(
                        &at,
                        format!(
                            "parameter {:?} in {} is declared twice",
                            data.name,
                            key.0.as_str()
                        ),
                    ));
                }
                merged.retain(|(_, p)| {
                    (location(p), &p.parameter_data_ref().name) != (key.0, &key.1)
                });
                merged.push((at, param));
            }
        }

        let template: Vec<&str> = template_names(self.path);
        for name in &template {
            let declared = merged.iter().any(|(_, p)| {
                location(p) == Location::Path && p.parameter_data_ref().name == *name
            });
            if !declared {
                return Err(Error::invalid(
                    &self.at,
                    format!("path template parameter {{{name}}} in {:?} is not declared as a path parameter", self.path),
                ));
            }
        }

        let mut names = NameScope::new();
        for reserved in BUILDER_MEMBERS {
            names.reserve(reserved);
        }
        let mut parameters = Vec::with_capacity(merged.len());
        for (at, param) in merged {
            let data = param.parameter_data_ref();
            let loc = location(param);
            if loc == Location::Path && !template.contains(&data.name.as_str()) {
                diagnostics.push(Diagnostic::warning(
                    &at,
                    format!(
                        "path parameter {:?} does not appear in the path template; ignored",
                        data.name
                    ),
                ));
                continue;
            }
            let hint = format!("{type_name}{}", crate::naming::type_name(&data.name));
            let ty = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    types.convert(schema, &hint, &at.push("schema"), diagnostics)?
                }
                ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                    Some((
                        media,
                        MediaType {
                            schema: Some(schema),
                            ..
                        },
                    )) => types.convert(
                        schema,
                        &hint,
                        &at.push("content").push(media).push("schema"),
                        diagnostics,
                    )?,
                    _ => Type::String,
                },
            };
            // Optionality is carried by `required`; a nullable parameter is just absent.
            let ty = ty.required();
            let explode = match param {
                openapiv3::Parameter::Query { style, .. } => data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
                _ => data.explode.unwrap_or(false),
            };
            let example = data.example.clone().or_else(|| match &data.format {
                ParameterSchemaOrContent::Schema(schema) => types.example_of(schema),
                ParameterSchemaOrContent::Content(_) => None,
            });
            parameters.push(Parameter {
                example,
                explode,
                name: data.name.clone(),
                rust_name: names.claim(&snake_name(&data.name)),
                location: loc,
                required: data.required || loc == Location::Path,
                ty,
                description: data.description.clone(),
            });
        }
        Ok(parameters)
    }

    fn request_body(
        &self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<RequestBody>, Error> {
        let at = self.at.push("requestBody");
        let body = component(
            body,
            "requestBodies",
            self.doc.components.as_ref().map(|c| &c.request_bodies),
            "request body",
            &at,
        )?;
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let mut chosen =
            self.body_media(body, media_type, media, &at, type_name, types, diagnostics)?;
        // A JSON body also offered as multipart with file parts: both are offered (file
        // uploads are what multipart is for).
        let multipart = body
            .content
            .iter()
            .find(|(m, _)| *m != media_type && encoding(m) == BodyEncoding::Multipart);
        if let (BodyEncoding::Json, Some((multipart_type, multipart_media))) =
            (chosen.encoding, multipart)
        {
            let alternative = self.body_media(
                body,
                multipart_type,
                multipart_media,
                &at,
                type_name,
                types,
                diagnostics,
            )?;
            if alternative.form.is_some() {
                chosen.alternative = Some(Box::new(alternative));
            }
        }
        let offered: Vec<&str> = std::iter::once(chosen.media_type.as_str())
            .chain(chosen.alternative.as_ref().map(|a| a.media_type.as_str()))
            .collect();
        let others: Vec<&str> = body
            .content
            .keys()
            .map(String::as_str)
            .filter(|m| !offered.contains(m))
            .collect();
        if !others.is_empty() {
            diagnostics.push(Diagnostic::note(
                &at.push("content"),
                format!(
                    "the body is sent as {}; the alternatives {} are not offered",
                    offered.join(" or "),
                    others.join(", ")
                ),
            ));
        }
        Ok(Some(chosen))
    }

    /// A request body in one of its media types.
    #[allow(clippy::too_many_arguments)]
    fn body_media(
        &self,
        body: &openapiv3::RequestBody,
        media_type: &str,
        media: &MediaType,
        at: &Pointer,
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<RequestBody, Error> {
        let encoding = encoding(media_type);
        let media_at = at.push("content").push(media_type);
        let ty = match (&media.schema, encoding) {
            (Some(schema), BodyEncoding::Json | BodyEncoding::Form) => {
                let ty = types.convert(
                    schema,
                    &format!("{type_name}Request"),
                    &media_at.push("schema"),
                    diagnostics,
                )?;
                ty.required()
            }
            (None, BodyEncoding::Json) => Type::Json,
            (None, BodyEncoding::Form) => Type::Map(Box::new(Type::String)),
            (_, BodyEncoding::Text) => Type::String,
            (_, BodyEncoding::Multipart) => Type::Bytes,
            (_, BodyEncoding::Binary) => Type::Bytes,
        };
        let (encoding, form) = match (encoding, &media.schema) {
            (BodyEncoding::Multipart, Some(schema)) => {
                match types.form_fields(
                    schema,
                    &format!("{type_name}Form"),
                    &media_at.push("schema"),
                    diagnostics,
                )? {
                    Some(fields) => (BodyEncoding::Multipart, Some(fields)),
                    None => {
                        diagnostics.push(Diagnostic::warning(
                            &media_at,
                            "a multipart body whose schema is not an object with properties is sent as raw bytes",
                        ));
                        (BodyEncoding::Binary, None)
                    }
                }
            }
            (BodyEncoding::Multipart, None) => (BodyEncoding::Binary, None),
            (other, _) => (other, None),
        };
        let example = media
            .example
            .clone()
            .or_else(|| {
                media.examples.values().find_map(|e| match e {
                    ReferenceOr::Item(e) => e.value.clone(),
                    ReferenceOr::Reference { .. } => None,
                })
            })
            .or_else(|| media.schema.as_ref().and_then(|s| types.example_of(s)));
        Ok(RequestBody {
            example,
            media_type: media_type.to_owned(),
            encoding,
            form,
            ty,
            required: body.required,
            description: body.description.clone(),
            alternative: None,
        })
    }

    fn responses(
        &self,
        responses: &openapiv3::Responses,
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Response>, Error> {
        let at = self.at.push("responses");
        let mut entries: Vec<(StatusMatch, Pointer, &ReferenceOr<openapiv3::Response>)> = responses
            .responses
            .iter()
            .map(|(code, r)| match code {
                StatusCode::Code(c) => (StatusMatch::Code(*c), at.push(c.to_string()), r),
                StatusCode::Range(n) => (StatusMatch::Range(*n), at.push(format!("{n}XX")), r),
            })
            .collect();
        if let Some(default) = &responses.default {
            entries.push((StatusMatch::Default, at.push("default"), default));
        }
        entries.sort_by_key(|(status, _, _)| *status);

        let mut out = Vec::with_capacity(entries.len());
        for (status, at, response) in entries {
            let response = component(
                response,
                "responses",
                self.doc.components.as_ref().map(|c| &c.responses),
                "response",
                &at,
            )?;
            let hint = match status {
                StatusMatch::Code(200) => format!("{type_name}Response"),
                StatusMatch::Code(c) => {
                    format!("{type_name}{}Response", status_name(Some(c), None))
                }
                StatusMatch::Range(r) => {
                    format!("{type_name}{}Response", status_name(None, Some(r)))
                }
                StatusMatch::Default => format!("{type_name}DefaultResponse"),
            };
            let body = match pick_media(&response.content) {
                None => None,
                Some((media_type, media)) => {
                    let encoding = encoding(media_type);
                    let ty = match (&media.schema, encoding) {
                        (Some(schema), BodyEncoding::Json) => {
                            let media_at = at.push("content").push(media_type);
                            let ty = types.convert(
                                schema,
                                &hint,
                                &media_at.push("schema"),
                                diagnostics,
                            )?;
                            if let Some(value) = &media.example {
                                types.record_example(
                                    media_at.push("example"),
                                    ty.clone(),
                                    value.clone(),
                                );
                            }
                            for (name, example) in &media.examples {
                                if let ReferenceOr::Item(openapiv3::Example {
                                    value: Some(value),
                                    ..
                                }) = example
                                {
                                    let pointer =
                                        media_at.push("examples").push(name).push("value");
                                    types.record_example(pointer, ty.clone(), value.clone());
                                }
                            }
                            ty
                        }
                        (None, BodyEncoding::Json) => Type::Json,
                        (_, BodyEncoding::Text) => Type::String,
                        (
                            _,
                            BodyEncoding::Binary | BodyEncoding::Form | BodyEncoding::Multipart,
                        ) => Type::Bytes,
                    };
                    Some(ResponseBody {
                        media_type: media_type.to_owned(),
                        encoding,
                        ty,
                    })
                }
            };
            out.push(Response {
                status,
                description: response.description.clone(),
                body,
            });
        }
        Ok(out)
    }

    fn security(&self, op: &openapiv3::Operation) -> Result<Vec<Vec<String>>, Error> {
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

fn location(param: &openapiv3::Parameter) -> Location {
    match param {
        openapiv3::Parameter::Query { .. } => Location::Query,
        openapiv3::Parameter::Header { .. } => Location::Header,
        openapiv3::Parameter::Path { .. } => Location::Path,
        openapiv3::Parameter::Cookie { .. } => Location::Cookie,
    }
}

/// An item written in place, or the component a local `$ref` names in `section` of
/// `#/components`; anything else is a dangling reference at `at`.
fn component<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &str,
    components: Option<&'a indexmap::IndexMap<String, ReferenceOr<T>>>,
    what: &str,
    at: &Pointer,
) -> Result<&'a T, Error> {
    let reference = match item {
        ReferenceOr::Item(item) => return Ok(item),
        ReferenceOr::Reference { reference } => reference,
    };
    let found = reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(section))
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|name| components?.get(name));
    match found {
        Some(ReferenceOr::Item(item)) => Ok(item),
        _ => Err(Error::invalid(
            at,
            format!("dangling reference: {reference:?} does not name a component {what}"),
        )),
    }
}

/// The `{name}`s of a path template, in order.
pub fn template_names(path: &str) -> Vec<&str> {
    path.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect()
}

/// How a media type's body is encoded.
/// A media type without parameters, lower case: `text/event-stream`.
fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub fn encoding(media_type: &str) -> BodyEncoding {
    let essence = essence(media_type);
    if essence == "application/json" || essence.ends_with("+json") {
        BodyEncoding::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyEncoding::Form
    } else if essence == "multipart/form-data" {
        BodyEncoding::Multipart
    } else if essence.starts_with("text/") {
        BodyEncoding::Text
    } else {
        BodyEncoding::Binary
    }
}

/// The media type the client uses: JSON first, then text, then the first listed.
fn pick_media(content: &indexmap::IndexMap<String, MediaType>) -> Option<(&str, &MediaType)> {
    let ranked = |m: &str| match encoding(m) {
        BodyEncoding::Json => 0,
        BodyEncoding::Form => 1,
        BodyEncoding::Multipart => 2,
        BodyEncoding::Text => 3,
        BodyEncoding::Binary => 4,
    };
    content
        .iter()
        .enumerate()
        .min_by_key(|(i, (m, _))| (ranked(m), *i))
        .map(|(_, (m, media))| (m.as_str(), media))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_names_in_order() {
        assert_eq!(template_names("/a/{x}/b/{y_z}"), vec!["x", "y_z"]);
        assert!(template_names("/plain").is_empty());
    }

    #[test]
    fn json_media_types() {
        assert_eq!(
            encoding("application/json; charset=utf-8"),
            BodyEncoding::Json
        );
        assert_eq!(encoding("application/problem+json"), BodyEncoding::Json);
        assert_eq!(encoding("text/plain"), BodyEncoding::Text);
        assert_eq!(encoding("application/octet-stream"), BodyEncoding::Binary);
    }
}
