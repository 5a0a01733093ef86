//! Responses: `send` (and `download` for a binary body), the enum of success responses when
//! their types differ, the enum of documented error responses, and `from_response`, which
//! turns a response that is not a success into the operation's error, by status.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::docs::doc_paragraph_lines;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::emit::types::decoder;
use crate::ir::{BodyEncoding, Operation, Response, StatusMatch, Success};
use crate::naming::status_name;

impl OperationItems<'_> {
    /// The methods that send a request: `send` (decoded, or the event stream of an operation
    /// that only streams), `download` for a binary body, and `items` for a paginated list.
    /// The last three are built with `quote`: the builder's `impl` falls back to
    /// `prettyplease` when it has one.
    pub(super) fn terminals(&self, lines: &mut Lines) {
        let op = self.op;
        if let Some(events) = op.events.as_ref().filter(|e| e.alternative.is_none()) {
            lines.tokens(1, &self.send_events(events));
            return;
        }
        self.send(lines);
        if let Some(download) = self.download() {
            lines.tokens(1, &download);
        }
        if let Some(items) = self.items() {
            lines.tokens(1, &items);
        }
    }

    /// `send`: the request sent, the response decoded by status. The future is the
    /// runtime's, generic: only the operations a program calls compile to code. The closure
    /// is this operation's match on statuses.
    fn send(&self, lines: &mut Lines) {
        let op = self.op;
        let error_enum = self.error_enum.to_string();
        let flag = if op.stream_request_field().is_some() && op.body.is_some() {
            "false"
        } else {
            ""
        };
        let ok = self.success_shape();
        let output = Shape::generic(
            "Output = Result",
            vec![
                ok,
                Shape::generic("Error", vec![Shape::word(error_enum.clone())]),
            ],
        );
        let future = Shape::generic("impl std::future::Future", vec![output]);
        lines.docs(
            1,
            &[" Sends the request and decodes the response.".to_owned()],
        );
        let flat = format!("pub fn send(self) -> {} + 'a {{", future.flat());
        if 4 + flat.len() <= crate::emit::layout::WIDTH {
            lines.line(1, &flat);
        } else {
            lines.line(1, "pub fn send(");
            lines.line(2, "self,");
            lines.shape(1, ") -> ", &future, " + 'a {");
        }
        lines.line(2, "crate::runtime::send_request(");
        lines.line(3, "self.client,");
        lines.line(3, &format!("self.request({flag}),"));
        lines.line(3, "self.options,");
        lines.line(3, "|response: Response| match response.status() {");
        for (pattern, body) in self.success_arm_shapes() {
            lines.arm(4, &pattern, &body);
        }
        let from = Shape::call(
            format!("{error_enum}::from_response"),
            vec![Shape::word("response")],
        );
        lines.arm(4, "_", &Shape::call("Err", vec![from]));
        lines.line(3, "},");
        lines.line(2, ")");
        lines.line(1, "}");
    }

    /// The arms of `send`'s match on the status: each arm's pattern and body.
    fn success_arm_shapes(&self) -> Vec<(String, Shape)> {
        let op = self.op;
        let types = &self.api.types;
        let decode = |decoded: &crate::ir::Decoded| {
            Shape::call(
                decoder(decoded, types).decode,
                vec![Shape::word("response")],
            )
        };
        match &op.success {
            Success::Undocumented(decoded) => {
                vec![("status if status / 100 == 2".to_owned(), decode(decoded))]
            }
            Success::Shared(decoded) => op
                .successes()
                .map(|r| (status_pattern(r.status), decode(decoded)))
                .collect(),
            Success::ByStatus => {
                let enum_name = success_enum_name(op);
                op.successes()
                    .map(|r| {
                        let variant = variant_ident(r.status);
                        let read = format!("{}(response)", decoder(&r.decoded(), types).decode);
                        let wrap = if r.body.is_some() {
                            Shape::word(format!("{enum_name}::{variant}"))
                        } else {
                            Shape::opaque(format!("|()| {enum_name}::{variant}"))
                        };
                        let body = Shape::method(read, Shape::call(".map", vec![wrap]));
                        (status_pattern(r.status), body)
                    })
                    .collect()
            }
        }
    }

    /// `download`, for an operation whose one success is a binary body.
    fn download(&self) -> Option<TokenStream> {
        let successes: Vec<&Response> = self.op.successes().collect();
        let [only] = successes.as_slice() else {
            return None;
        };
        if !only
            .body
            .as_ref()
            .is_some_and(|b| b.encoding == BodyEncoding::Binary)
        {
            return None;
        }
        let error_enum = &self.error_enum;
        let pattern = status_tokens(only.status);
        Some(quote! {
            /// Sends the request and returns the body as a stream of chunks, read as it is
            /// polled, with the response's content type and length.
            pub async fn download(self) -> Result<crate::runtime::ByteStream<#error_enum>, Error<#error_enum>> {
                let mut request = self.request()?;
                request.options(self.options);
                let live = self.client.open(request).await?;
                if matches!(live.status(), #pattern) {
                    return Ok(live.byte_stream());
                }
                Err(#error_enum::from_response(live.buffer().await?))
            }
        })
    }

    /// The type `send` returns on success.
    fn success_shape(&self) -> Shape {
        match &self.op.success {
            Success::Undocumented(decoded) | Success::Shared(decoded) => {
                decoder(decoded, &self.api.types).ty
            }
            Success::ByStatus => Shape::word(success_enum_name(self.op).to_string()),
        }
    }

    /// [`OperationItems::success_shape`] as tokens, for the items built with `quote`.
    pub(super) fn success_type(&self) -> TokenStream {
        crate::emit::code::tokens_of(&self.success_shape().flat())
    }

    /// The enum of success responses, for an operation whose successes differ in type.
    pub(super) fn success_enum(&self) -> Option<Lines> {
        let op = self.op;
        if op.success != Success::ByStatus {
            return None;
        }
        let doc = format!(
            " The success responses documented for [`Client::{}`], by status.",
            op.name
        );
        let name = success_enum_name(op).to_string();
        Some(self.status_enum(&name, &doc, op.successes()))
    }

    /// The enum of the documented error responses.
    pub(super) fn error_enum_def(&self) -> Lines {
        let doc = format!(
            " The error responses documented for [`Client::{}`], by status.",
            self.op.name
        );
        self.status_enum(&self.error_enum.to_string(), &doc, self.op.errors())
    }

    /// An enum of responses: a variant per status, named after it, holding the body.
    fn status_enum<'r>(
        &self,
        name: &str,
        doc: &str,
        responses: impl Iterator<Item = &'r Response>,
    ) -> Lines {
        let mut lines = Lines::default();
        lines.docs(0, &[doc.to_owned()]);
        lines.gate(&self.cfg);
        lines.line(0, "#[derive(Debug, Clone, PartialEq)]");
        lines.line(0, "#[non_exhaustive]");
        let mut responses = responses.peekable();
        if responses.peek().is_none() {
            lines.unbreakable(0, &format!("pub enum {name} {{}}"));
            return lines;
        }
        lines.unbreakable(0, &format!("pub enum {name} {{"));
        for r in responses {
            let variant = variant_ident(r.status).to_string();
            lines.docs(1, &doc_paragraph_lines(&[Some(&variant_doc(r))]));
            match &r.body {
                Some(_) => {
                    let ty = decoder(&r.decoded(), &self.api.types).ty;
                    lines.shape(1, "", &Shape::call(variant, vec![ty]), ",");
                }
                None => lines.line(1, &format!("{variant},")),
            }
        }
        lines.line(0, "}");
        lines
    }

    /// The error enum's `from_response`: a response that is not a documented success, by
    /// status.
    pub(super) fn error_dispatch(&self) -> Lines {
        let error_enum = self.error_enum.to_string();
        let mut arms: Vec<(String, Shape)> = Vec::new();
        let mut has_default = false;
        for r in self.op.errors() {
            let decode = decoder(&r.decoded(), &self.api.types).decode;
            let variant = variant_ident(r.status);
            has_default |= r.status == StatusMatch::Default;
            let wrap = if r.body.is_some() {
                Shape::word(format!("{error_enum}::{variant}"))
            } else {
                Shape::opaque(format!("|()| {error_enum}::{variant}"))
            };
            let call = Shape::call(".api_error", vec![Shape::word(decode), wrap]);
            arms.push((status_pattern(r.status), Shape::method("response", call)));
        }
        if !has_default {
            arms.push(("_".to_owned(), Shape::word("response.unexpected()")));
        }
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.unbreakable(0, &format!("impl {error_enum} {{"));
        lines.docs(
            1,
            &[" The error a response that is not a documented success stands for.".to_owned()],
        );
        lines.signature(
            1,
            "fn from_response(",
            &[Labelled::new("response: ", Shape::word("Response"))],
            &format!(" -> Error<{error_enum}> {{"),
        );
        match arms.as_slice() {
            [(_, only)] => lines.shape(2, "", only, ""),
            _ => {
                lines.line(2, "match response.status() {");
                for (pattern, value) in &arms {
                    lines.arm(3, pattern, value);
                }
                lines.line(2, "}");
            }
        }
        lines.line(1, "}");
        lines.line(0, "}");
        lines
    }
}

/// The docs of a success or error variant: the status and the response's description.
fn variant_doc(r: &Response) -> String {
    format!("{}: {}", status_label(r.status), r.description)
}

/// `{Op}Response`, the enum of success responses by status.
pub(super) fn success_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Response", op.type_name)
}

/// The match pattern of a status: a code, a range (as a guard: exact codes inside the range
/// come first and win), or anything.
fn status_pattern(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("status if status / 100 == {r}"),
        StatusMatch::Default => "_".to_owned(),
    }
}

/// [`status_pattern`] as tokens, for the items built with `quote`.
pub(super) fn status_tokens(status: StatusMatch) -> TokenStream {
    crate::emit::code::tokens_of(&status_pattern(status))
}

fn variant_ident(status: StatusMatch) -> Ident {
    let name = match status {
        StatusMatch::Code(c) => status_name(Some(c), None),
        StatusMatch::Range(r) => status_name(None, Some(r)),
        StatusMatch::Default => status_name(None, None),
    };
    format_ident!("{}", name)
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
    }
}
