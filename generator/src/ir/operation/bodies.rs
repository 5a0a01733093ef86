//! Request bodies: the media type the client sends (JSON first), its type, and a
//! `multipart/form-data` alternative when a JSON body is also offered that way; and how
//! each media type is encoded on the wire.

use openapiv3::{MediaType, ReferenceOr};

use super::{OperationContext, Section};
use crate::error::{Diagnostic, Error};
use crate::ir::{BodyEncoding, RequestBody, Type, TypeSpace};
use crate::pointer::Pointer;

impl OperationContext<'_> {
    pub(super) fn request_body(
        &self,
        body: &ReferenceOr<openapiv3::RequestBody>,
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<RequestBody>, Error> {
        let at = self.at.push("requestBody");
        let body = self.component(body, Section::request_bodies(self.doc), &at)?;
        let Some((media_type, media)) = pick_media(&body.content) else {
            return Ok(None);
        };
        let spec = BodySpec {
            body,
            at: &at,
            type_name,
        };
        let mut chosen = spec.media(media_type, media, types, diagnostics)?;
        // A JSON body also offered as multipart with file parts: both are offered (file
        // uploads are what multipart is for).
        let multipart = body
            .content
            .iter()
            .find(|(m, _)| *m != media_type && encoding(m) == BodyEncoding::Multipart);
        if let (BodyEncoding::Json, Some((multipart_type, multipart_media))) =
            (chosen.encoding, multipart)
        {
            let alternative = spec.media(multipart_type, multipart_media, types, diagnostics)?;
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
}

/// A request body being read: the spec's body, where it is, and the name its types start
/// with.
struct BodySpec<'a> {
    body: &'a openapiv3::RequestBody,
    at: &'a Pointer,
    type_name: &'a str,
}

impl BodySpec<'_> {
    /// The body in one of its media types.
    fn media(
        &self,
        media_type: &str,
        media: &MediaType,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<RequestBody, Error> {
        let encoding = encoding(media_type);
        let media_at = self.at.push("content").push(media_type);
        let ty = match (&media.schema, encoding) {
            (Some(schema), BodyEncoding::Json | BodyEncoding::Form) => {
                let ty = types.convert(
                    schema,
                    &format!("{}Request", self.type_name),
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
                    &format!("{}Form", self.type_name),
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
            .or_else(|| media.schema.as_ref().and_then(|s| types.example_of(s)))
            .or_else(|| media.schema.as_ref().and_then(|s| types.sample_of(s)));
        Ok(RequestBody {
            example,
            media_type: media_type.to_owned(),
            encoding,
            form,
            ty,
            required: self.body.required,
            description: self.body.description.clone(),
            alternative: None,
        })
    }
}

/// A media type without parameters, lower case: `text/event-stream`.
pub(super) fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

/// How a media type's body is encoded.
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

/// The media type the client uses: JSON first, then form, multipart, text, then the first
/// listed.
pub(super) fn pick_media(
    content: &indexmap::IndexMap<String, MediaType>,
) -> Option<(&str, &MediaType)> {
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
