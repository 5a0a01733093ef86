//! The builder's `request` method: the path (each parameter one encoded segment), query,
//! header and cookie parameters, and the body, put into the runtime's `Request`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::ir::{BodyEncoding, Location, Operation, Parameter, PathPart, RequestBody};

impl OperationItems<'_> {
    /// The builder's `request` method. With a stream request field, it takes the field's
    /// value.
    pub(super) fn request_fn(&self) -> TokenStream {
        let op = self.op;
        let path = path_expression(op);
        let method = format_ident!("{}", op.method.as_str());
        let template = op.path.raw.as_str();
        let accept = accept(op);
        let alternatives = op.security.iter().map(|alt| quote! { &[ #( #alt ),* ] });
        let params = parameters(op);
        let stream_field = op.stream_request_field();
        let body = op.body.as_ref().map(|b| {
            let set = match &b.alternative {
                None => set_body(b, stream_field),
                Some(alternative) => {
                    let body_enum = format_ident!("{}Body", op.type_name);
                    let json = set_body(b, stream_field);
                    let multipart = set_body(alternative, None);
                    quote! {
                        match body {
                            #body_enum::Json(body) => { #json }
                            #body_enum::Multipart(body) => { #multipart }
                        }
                    }
                }
            };
            if b.required {
                quote! { { let body = &self.body; #set } }
            } else {
                quote! { if let Some(body) = &self.body { #set } }
            }
        });
        let takes_flag = body.is_some() && stream_field.is_some();
        let flag_arg = takes_flag.then(|| quote! { , stream: bool });
        let flag_doc = takes_flag.then(|| {
            let field = stream_field.unwrap_or_default();
            let doc = format!(" `stream` is the value of the body's `{field}` field.");
            quote! { #[doc = ""] #[doc = #doc] }
        });
        let retry = (!op.retry_statuses.is_empty()).then(|| {
            let codes = op
                .retry_statuses
                .iter()
                .map(|c| proc_macro2::Literal::u16_unsuffixed(*c));
            quote! { request.retry_statuses(&[ #( #codes ),* ]); }
        });
        let mutability =
            (!params.is_empty() || body.is_some() || retry.is_some()).then(|| quote! { mut });
        quote! {
            /// The request as the runtime sends it.
            #flag_doc
            fn request(&self #flag_arg) -> Result<Request, crate::runtime::RequestError> {
                let path = { #path };
                let #mutability request = Request::new(reqwest::Method::#method, #template, path, #accept, &[ #( #alternatives ),* ]);
                #( #params )*
                #body
                #retry
                Ok(request)
            }
        }
    }
}

/// The path's parts as the `request` method builds them: the `format!` string, and each
/// parameter encoded as one segment into a local variable first.
struct PathPlan<'a> {
    format_string: String,
    /// Each path parameter and the local its segment is bound to.
    segments: Vec<(&'a Parameter, String)>,
}

fn path_plan(op: &Operation) -> PathPlan<'_> {
    let mut format_string = String::new();
    let mut segments = Vec::new();
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => {
                format_string.push_str(&text.replace('{', "{{").replace('}', "}}"));
            }
            PathPart::Parameter(name) => {
                let param = op
                    .parameters
                    .iter()
                    .find(|p| p.location == Location::Path && &p.name == name);
                // The IR refuses a template whose parameter is not declared.
                let Some(p) = param else { continue };
                let local = format!("{}_segment", p.rust_name.trim_end_matches('_'));
                format_string.push_str(&format!("{{{local}}}"));
                segments.push((p, local));
            }
        }
    }
    PathPlan {
        format_string,
        segments,
    }
}

/// The path as an expression: the template's text when it has no parameters, otherwise a
/// `format!` with each parameter encoded as one segment first.
fn path_expression(op: &Operation) -> TokenStream {
    let plan = path_plan(op);
    if plan.segments.is_empty() {
        let literal = op.path.raw.as_str();
        return quote! { String::from(#literal) };
    }
    let segments = plan.segments.iter().map(|(p, local)| {
        let ident = format_ident!("{}", p.rust_name);
        let local = format_ident!("{}", local);
        let wire = &p.name;
        quote! { let #local = crate::runtime::path_segment(#wire, &self.#ident)?; }
    });
    let format_string = &plan.format_string;
    quote! { #( #segments )* format!(#format_string) }
}

/// The query, header and cookie parameters, each with the `Request` method that adds it
/// and, for a query parameter, its `explode`.
fn added_parameters(
    op: &Operation,
) -> impl Iterator<Item = (&Parameter, &'static str, Option<bool>)> {
    op.parameters.iter().filter_map(|p| match p.location {
        Location::Header => Some((p, "header", None)),
        Location::Cookie => Some((p, "cookie", None)),
        Location::Query => Some((p, "query", Some(p.explode))),
        _ => None,
    })
}

/// The statements that add the query, header and cookie parameters.
fn parameters(op: &Operation) -> Vec<TokenStream> {
    added_parameters(op)
        .map(|(p, adder, explode)| {
            let ident = format_ident!("{}", p.rust_name);
            let adder = format_ident!("{}", adder);
            let wire = &p.name;
            let extra = explode.map(|explode| quote! { , #explode });
            if p.required {
                quote! { request.#adder(#wire, &self.#ident #extra)?; }
            } else {
                quote! {
                    if let Some(value) = &self.#ident {
                        request.#adder(#wire, value #extra)?;
                    }
                }
            }
        })
        .collect()
}

/// The statements that put `body` (a reference) into `request`, in one media type.
fn set_body(b: &RequestBody, stream_field: Option<&str>) -> TokenStream {
    let media = &b.media_type;
    match (b.encoding, stream_field) {
        (BodyEncoding::Json, Some(field)) => {
            quote! { request.json_with(#media, body, #field, stream)?; }
        }
        (BodyEncoding::Json, None) => quote! { request.json(#media, body)?; },
        (BodyEncoding::Form, _) => quote! { request.form(#media, body)?; },
        (BodyEncoding::Multipart, _) => {
            let parts = b.form.iter().flatten().map(|f| {
                let ident = format_ident!("{}", f.name);
                let wire = &f.json_name;
                let add = if f.file {
                    quote! { request.file_part(#wire, value)?; }
                } else {
                    quote! { request.part(#wire, value)?; }
                };
                if f.required {
                    quote! { { let value = &body.#ident; #add } }
                } else {
                    quote! { if let Some(value) = &body.#ident { #add } }
                }
            });
            quote! { #( #parts )* }
        }
        (BodyEncoding::Text | BodyEncoding::Binary, _) => {
            quote! { request.raw(#media, body.clone()); }
        }
    }
}

/// The `Accept` header: the media types of the documented responses.
fn accept(op: &Operation) -> String {
    let mut media: Vec<&str> = op
        .responses
        .iter()
        .filter_map(|r| r.body.as_ref())
        .map(|b| b.media_type.as_str())
        .collect();
    media.sort();
    media.dedup();
    if media.is_empty() {
        "*/*".to_owned()
    } else {
        media.join(", ")
    }
}

impl OperationItems<'_> {
    /// [`OperationItems::request_fn`] as text: `None` for a body offered in two media types
    /// or as multipart parts, or a line that would need breaking.
    pub(super) fn request_text(&self, lines: &mut Lines) -> Option<()> {
        let op = self.op;
        let body = op.body.as_ref();
        if body.is_some_and(|b| b.alternative.is_some() || b.encoding == BodyEncoding::Multipart) {
            return None;
        }
        let stream_field = op.stream_request_field();
        let takes_flag = body.is_some() && stream_field.is_some();
        let mut docs = vec![" The request as the runtime sends it.".to_owned()];
        let mut args = vec![Labelled::new("", Shape::opaque("&self"))];
        if takes_flag {
            let field = stream_field.unwrap_or_default();
            docs.push(String::new());
            docs.push(format!(
                " `stream` is the value of the body's `{field}` field."
            ));
            args.push(Labelled::new("stream: ", Shape::word("bool")));
        }
        lines.docs(1, &docs);
        lines.signature(
            1,
            "fn request(",
            &args,
            " -> Result<Request, crate::runtime::RequestError> {",
        );
        // The path.
        let plan = path_plan(op);
        let segments: Vec<(String, Shape)> = plan
            .segments
            .iter()
            .map(|(p, local)| {
                let call = Shape::call(
                    "crate::runtime::path_segment",
                    vec![
                        Shape::word(literal(&p.name)),
                        Shape::word(format!("&self.{}", p.rust_name)),
                    ],
                );
                (format!("let {local} = "), call)
            })
            .collect();
        if segments.is_empty() {
            let path = literal(&op.path.raw);
            lines.line(2, &format!("let path = {{ String::from({path}) }};"));
        } else {
            lines.line(2, "let path = {");
            for (binding, call) in &segments {
                lines.shape(3, binding, call, "?;");
            }
            lines.line(3, &format!("format!({})", literal(&plan.format_string)));
            lines.line(2, "};");
        }
        let retry = (!op.retry_statuses.is_empty()).then(|| {
            let codes: Vec<String> = op.retry_statuses.iter().map(u16::to_string).collect();
            format!("request.retry_statuses(&[{}]);", codes.join(", "))
        });
        let params: Vec<_> = added_parameters(op).collect();
        let mutable = !params.is_empty() || body.is_some() || retry.is_some();
        let alternatives: Vec<String> = op
            .security
            .iter()
            .map(|alt| {
                let names: Vec<String> = alt.iter().map(|n| literal(n)).collect();
                format!("&[{}]", names.join(", "))
            })
            .collect();
        let new = Shape::call(
            "Request::new",
            vec![
                Shape::word(format!("reqwest::Method::{}", op.method.as_str())),
                Shape::word(literal(&op.path.raw)),
                Shape::word("path"),
                Shape::word(literal(&accept(op))),
                Shape::opaque(format!("&[{}]", alternatives.join(", "))),
            ],
        );
        let binding = if mutable {
            "let mut request = "
        } else {
            "let request = "
        };
        lines.shape(2, binding, &new, ";");
        for (p, adder, explode) in params {
            let extra = explode.map(|e| format!(", {e}")).unwrap_or_default();
            let wire = literal(&p.name);
            if p.required {
                lines.line(
                    2,
                    &format!("request.{adder}({wire}, &self.{}{extra})?;", p.rust_name),
                );
            } else {
                lines.line(2, &format!("if let Some(value) = &self.{} {{", p.rust_name));
                lines.line(3, &format!("request.{adder}({wire}, value{extra})?;"));
                lines.line(2, "}");
            }
        }
        if let Some(b) = body {
            let media = literal(&b.media_type);
            let set = match (b.encoding, stream_field) {
                (BodyEncoding::Json, Some(field)) => format!(
                    "request.json_with({media}, body, {}, stream)?;",
                    literal(field)
                ),
                (BodyEncoding::Json, None) => format!("request.json({media}, body)?;"),
                (BodyEncoding::Form, _) => format!("request.form({media}, body)?;"),
                (BodyEncoding::Text | BodyEncoding::Binary, _) => {
                    format!("request.raw({media}, body.clone());")
                }
                (BodyEncoding::Multipart, _) => return None,
            };
            if b.required {
                lines.line(2, "{");
                lines.line(3, "let body = &self.body;");
            } else {
                lines.line(2, "if let Some(body) = &self.body {");
            }
            lines.line(3, &set);
            lines.line(2, "}");
        }
        if let Some(retry) = retry {
            lines.line(2, &retry);
        }
        lines.line(2, "Ok(request)");
        lines.line(1, "}");
        Some(())
    }
}

/// A string literal as `quote` writes one.
fn literal(text: &str) -> String {
    crate::emit::code::string_literal(text)
}
