//! Responses: each documented status (codes, ranges, `default`) with its body's type, the
//! examples of JSON bodies, and what a successful call returns ([`Success`]).

use openapiv3::{ReferenceOr, StatusCode};

use super::bodies::{encoding, pick_media};
use super::{OperationContext, Section};
use crate::error::{Diagnostic, Error};
use crate::ir::{
    BodyEncoding, Decoded, Response, ResponseBody, StatusMatch, Success, Type, TypeSpace,
};
use crate::naming::status_name;
use crate::pointer::Pointer;

impl OperationContext<'_> {
    /// The responses in status order: codes, then ranges, then `default`.
    pub(super) fn responses(
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
            let response = self.component(response, Section::responses(self.doc), &at)?;
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
                    let media_at = at.push("content").push(media_type);
                    Some(response_body(
                        media_type,
                        media,
                        &hint,
                        &media_at,
                        types,
                        diagnostics,
                    )?)
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
}

/// A response body in the media type the client reads; a JSON body's examples are recorded
/// with its type.
fn response_body(
    media_type: &str,
    media: &openapiv3::MediaType,
    hint: &str,
    media_at: &Pointer,
    types: &mut TypeSpace,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ResponseBody, Error> {
    let encoding = encoding(media_type);
    let ty = match (&media.schema, encoding) {
        (Some(schema), BodyEncoding::Json) => {
            let ty = types.convert(schema, hint, &media_at.push("schema"), diagnostics)?;
            if let Some(value) = &media.example {
                types.record_example(media_at.push("example"), ty.clone(), value.clone());
            }
            for (name, example) in &media.examples {
                if let ReferenceOr::Item(openapiv3::Example {
                    value: Some(value), ..
                }) = example
                {
                    let pointer = media_at.push("examples").push(name).push("value");
                    types.record_example(pointer, ty.clone(), value.clone());
                }
            }
            ty
        }
        (None, BodyEncoding::Json) => Type::Json,
        (_, BodyEncoding::Text) => Type::String,
        (_, BodyEncoding::Binary | BodyEncoding::Form | BodyEncoding::Multipart) => Type::Bytes,
    };
    Ok(ResponseBody {
        media_type: media_type.to_owned(),
        encoding,
        ty,
    })
}

/// What a successful call returns: the one type every success status decodes into, an enum
/// by status when they differ, or, with no success documented, what `default` says.
pub(super) fn success(responses: &[Response]) -> Success {
    let mut successes = responses.iter().filter(|r| r.status.is_success());
    let Some(first) = successes.next() else {
        let default = responses.iter().find(|r| r.status == StatusMatch::Default);
        return Success::Undocumented(default.map(Response::decoded).unwrap_or(Decoded::Empty));
    };
    let decoded = first.decoded();
    if successes.all(|r| r.decoded() == decoded) {
        Success::Shared(decoded)
    } else {
        Success::ByStatus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: StatusMatch, body: Option<(BodyEncoding, Type)>) -> Response {
        Response {
            status,
            description: String::new(),
            body: body.map(|(encoding, ty)| ResponseBody {
                media_type: "application/json".into(),
                encoding,
                ty,
            }),
        }
    }

    #[test]
    fn successes_of_one_type_share_it() {
        let json = Some((BodyEncoding::Json, Type::String));
        let responses = [
            response(StatusMatch::Code(200), json.clone()),
            response(StatusMatch::Code(201), json),
            response(StatusMatch::Code(404), None),
        ];
        assert_eq!(
            success(&responses),
            Success::Shared(Decoded::Json(Type::String))
        );
    }

    #[test]
    fn successes_of_different_types_go_by_status() {
        let responses = [
            response(
                StatusMatch::Code(200),
                Some((BodyEncoding::Json, Type::Bool)),
            ),
            response(StatusMatch::Code(204), None),
        ];
        assert_eq!(success(&responses), Success::ByStatus);
    }

    #[test]
    fn without_a_success_the_default_response_decides() {
        let responses = [response(
            StatusMatch::Default,
            Some((BodyEncoding::Text, Type::String)),
        )];
        assert_eq!(success(&responses), Success::Undocumented(Decoded::Text));
        assert_eq!(success(&[]), Success::Undocumented(Decoded::Empty));
    }
}
