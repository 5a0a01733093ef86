//! Server-sent events: a success response in `text/event-stream`, the type of one event,
//! its end-of-stream sentinel (`x-speakeasy-sse-sentinel`), and, when the same operation
//! also answers JSON, the body field that asks for the stream
//! (`x-speakeasy-stream-request-field`, or a boolean `stream` property).

use openapiv3::StatusCode;

use super::bodies::essence;
use super::{OperationContext, Section};
use crate::error::{Diagnostic, Error};
use crate::ir::extensions;
use crate::ir::{
    BodyEncoding, EventStream, RequestBody, Response, StatusMatch, StreamAlternative, Type,
    TypeKind, TypeSpace,
};
use crate::pointer::Pointer;

/// The operation's method and type names, which the stream variant's names extend.
pub(super) struct Names<'a> {
    pub method: &'a str,
    pub type_name: &'a str,
}

impl OperationContext<'_> {
    /// The success response that comes as server-sent events, if any.
    pub(super) fn events(
        &self,
        op: &openapiv3::Operation,
        responses: &[Response],
        body: Option<&RequestBody>,
        names: &Names<'_>,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<EventStream>, Error> {
        for (code, response) in &op.responses.responses {
            let StatusCode::Code(code @ 200..=299) = code else {
                continue;
            };
            let at = self.at.push("responses").push(code.to_string());
            let Ok(response_def) = self.component(response, Section::responses(self.doc), &at)
            else {
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
                    &format!("{}Event", names.type_name),
                    &media_at.push("schema"),
                    diagnostics,
                )?,
                None => Type::Json,
            };
            let sentinel = extensions::read(
                &media.extensions,
                "x-speakeasy-sse-sentinel",
                &media_at,
                diagnostics,
            );
            let status = StatusMatch::Code(*code);
            let streamed_only = responses.iter().any(|r| {
                r.status == status
                    && r.body
                        .as_ref()
                        .is_some_and(|b| essence(&b.media_type) == "text/event-stream")
            });
            let alternative = (!streamed_only)
                .then(|| self.stream_alternative(op, body, names, &media_at, types, diagnostics));
            return Ok(Some(EventStream {
                status,
                envelope: is_envelope(&item, types),
                item,
                sentinel,
                alternative,
            }));
        }
        Ok(None)
    }

    /// The `{name}_stream` variant of an operation that also answers JSON.
    fn stream_alternative(
        &self,
        op: &openapiv3::Operation,
        body: Option<&RequestBody>,
        names: &Names<'_>,
        media_at: &Pointer,
        types: &TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> StreamAlternative {
        let declared: Option<String> = extensions::read(
            &op.extensions,
            "x-speakeasy-stream-request-field",
            &self.at,
            diagnostics,
        );
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
                media_at,
                "no request field selects the stream; the stream method asks for it with `Accept: text/event-stream` alone",
            ));
        }
        StreamAlternative {
            method_name: format!("{}_stream", names.method),
            type_name: format!("{}Stream", names.type_name),
            request_field,
        }
    }
}

/// Whether the event schema describes the whole event (`data`, `event`, `id`, `retry`)
/// rather than its data alone.
fn is_envelope(item: &Type, types: &TypeSpace) -> bool {
    let Type::Named(id) = item else {
        return false;
    };
    match &types.get(*id).kind {
        TypeKind::Struct(s) => {
            s.fields.iter().any(|f| f.json_name == "data")
                && s.fields
                    .iter()
                    .all(|f| matches!(f.json_name.as_str(), "data" | "event" | "id" | "retry"))
        }
        _ => false,
    }
}
