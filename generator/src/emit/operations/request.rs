//! The builder's `request` method: the path (each parameter one encoded segment), query,
//! header and cookie parameters, and the body, put into the runtime's `Request`.

use super::OperationItems;
use crate::emit::code::string_literal as literal;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::ir::{BodyEncoding, Location, Operation, Parameter, PathPart, RequestBody};

impl OperationItems<'_> {
    /// The builder's `request` method. With a stream request field, it takes the field's
    /// value.
    pub(super) fn request_fn(&self, lines: &mut Lines) {
        let op = self.op;
        let body = op.body.as_ref();
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
        // The path: each parameter encoded as one segment first.
        let plan = path_plan(op);
        for (p, local) in &plan.segments {
            let call = Shape::call(
                "crate::runtime::path_segment",
                vec![
                    Shape::word(literal(&p.name)),
                    Shape::word(format!("&self.{}", p.rust_name)),
                ],
            );
            lines.shape(2, &format!("let {local} = "), &call, "?;");
        }
        let path = if plan.segments.is_empty() {
            Shape::call("String::from", vec![Shape::word(literal(&op.path.raw))])
        } else {
            Shape::call("format!", vec![Shape::word(literal(&plan.format_string))])
        };
        lines.shape(2, "let path = ", &path, ";");
        let retry = (!op.retry_statuses.is_empty()).then(|| {
            let codes: Vec<String> = op.retry_statuses.iter().map(u16::to_string).collect();
            format!("request.retry_statuses(&[{}]);", codes.join(", "))
        });
        let params: Vec<_> = added_parameters(op).collect();
        let new = Shape::call(
            "Request::new",
            vec![
                Shape::word(format!("reqwest::Method::{}", op.method.as_str())),
                Shape::word(literal(&op.path.raw)),
                Shape::word("path"),
            ],
        );
        let accept = accept(op);
        let mutable = !params.is_empty()
            || body.is_some()
            || retry.is_some()
            || accept != "*/*"
            || !op.security.is_empty();
        let binding = if mutable {
            "let mut request = "
        } else {
            "let request = "
        };
        lines.shape(2, binding, &new, ";");
        if accept != "*/*" {
            lines.line(2, &format!("request.accept({});", literal(&accept)));
        }
        if !op.security.is_empty() {
            let alternatives: Vec<String> = op
                .security
                .iter()
                .map(|alt| {
                    let names: Vec<String> = alt.iter().map(|n| literal(n)).collect();
                    format!("&[{}]", names.join(", "))
                })
                .collect();
            let security = Shape::opaque(format!("&[{}]", alternatives.join(", ")));
            lines.shape(2, "request.security(", &security, ");");
        }
        for (p, adder) in params {
            let wire = literal(&p.name);
            if p.required {
                lines.line(
                    2,
                    &format!("request.{adder}({wire}, &self.{})?;", p.rust_name),
                );
            } else {
                lines.line(2, &format!("if let Some(value) = &self.{} {{", p.rust_name));
                lines.line(3, &format!("request.{adder}({wire}, value)?;"));
                lines.line(2, "}");
            }
        }
        if let Some(b) = body {
            let depth = if b.required {
                lines.line(2, "let body = &self.body;");
                2
            } else {
                lines.line(2, "if let Some(body) = &self.body {");
                3
            };
            match &b.alternative {
                None => set_body(lines, depth, b, stream_field),
                Some(alternative) => {
                    let body_enum = format!("{}Body", op.type_name);
                    lines.line(depth, "match body {");
                    lines.line(depth + 1, &format!("{body_enum}::Json(body) => {{"));
                    set_body(lines, depth + 2, b, stream_field);
                    lines.line(depth + 1, "}");
                    lines.line(depth + 1, &format!("{body_enum}::Multipart(body) => {{"));
                    set_body(lines, depth + 2, alternative, None);
                    lines.line(depth + 1, "}");
                    lines.line(depth, "}");
                }
            }
            if !b.required {
                lines.line(2, "}");
            }
        }
        if let Some(retry) = retry {
            lines.line(2, &retry);
        }
        lines.line(2, "Ok(request)");
        lines.line(1, "}");
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

/// The query, header and cookie parameters, each with the `Request` method that adds it.
fn added_parameters(op: &Operation) -> impl Iterator<Item = (&Parameter, &'static str)> {
    op.parameters.iter().filter_map(|p| match p.location {
        Location::Header => Some((p, "header")),
        Location::Cookie => Some((p, "cookie")),
        Location::Query if p.explode => Some((p, "query")),
        Location::Query => Some((p, "query_comma_separated")),
        _ => None,
    })
}

/// The statements that put `body` (a reference) into `request`, in one media type.
fn set_body(lines: &mut Lines, depth: usize, b: &RequestBody, stream_field: Option<&str>) {
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
        (BodyEncoding::Multipart, _) => {
            let fields = b.form.as_deref().unwrap_or_default();
            if fields.is_empty() {
                // An empty block, which `prettyplease` writes `{}` on the arm's line.
                lines.unknown_layout();
            }
            for f in fields {
                let add = if f.file { "file_part" } else { "part" };
                let wire = literal(&f.json_name);
                if f.required {
                    lines.line(depth, &format!("request.{add}({wire}, &body.{})?;", f.name));
                } else {
                    lines.line(depth, &format!("if let Some(value) = &body.{} {{", f.name));
                    lines.line(depth + 1, &format!("request.{add}({wire}, value)?;"));
                    lines.line(depth, "}");
                }
            }
            return;
        }
    };
    lines.line(depth, &set);
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
