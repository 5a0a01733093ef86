//! Responses: `send` (and `download` for a binary body), the enum of success responses when
//! their types differ, the enum of documented error responses, and `from_response`, which
//! turns a response that is not a success into the operation's error, by status.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::docs::{doc_paragraph_lines, doc_paragraphs};
use crate::emit::layout::{Labelled, Layout, Lines, Shape};
use crate::emit::types::{decoder, type_shape};
use crate::emit::Code;
use crate::ir::{BodyEncoding, Decoded, Operation, Response, StatusMatch, Success, TypeSpace};
use crate::naming::status_name;

impl OperationItems<'_> {
    /// The methods that send a request: `send` (decoded, or the event stream of an operation
    /// that only streams), `download` for a binary body, and `items` for a paginated list.
    pub(super) fn terminals(&self) -> TokenStream {
        let op = self.op;
        if let Some(events) = op.events.as_ref().filter(|e| e.alternative.is_none()) {
            return self.send_events(events);
        }
        let error_enum = &self.error_enum;
        let flag = op
            .stream_request_field()
            .filter(|_| op.body.is_some())
            .map(|_| quote! { false });
        let ok_ty = self.success_type();
        let arms = self.success_arms();
        // The future is the runtime's, generic: only the operations a program calls compile
        // to code. The closure is this operation's match on statuses.
        let send = quote! {
            /// Sends the request and decodes the response.
            pub fn send(self) -> impl std::future::Future<Output = Result<#ok_ty, Error<#error_enum>>> + 'a {
                crate::runtime::send_request(
                    self.client,
                    self.request(#flag),
                    self.options,
                    |response: Response| match response.status() {
                        #( #arms )*
                        _ => Err(#error_enum::from_response(response)),
                    },
                )
            }
        };
        let download = self.download();
        let items = self.items();
        quote! { #send #download #items }
    }

    /// [`OperationItems::terminals`] as text: `send` alone (no event stream, download or
    /// pagination); `None` otherwise, or when a line would need breaking.
    pub(super) fn send_text(&self, lines: &mut Lines) -> Option<()> {
        let op = self.op;
        if op.events.as_ref().is_some_and(|e| e.alternative.is_none())
            || self.download().is_some()
            || op.pagination.is_some()
        {
            return None;
        }
        let error_enum = self.error_enum.to_string();
        let flag = if op.stream_request_field().is_some() && op.body.is_some() {
            "false"
        } else {
            ""
        };
        let ok = match &op.success {
            Success::Undocumented(decoded) | Success::Shared(decoded) => {
                decoded_text(decoded, &self.api.types).0
            }
            Success::ByStatus => Shape::word(success_enum_name(op).to_string()),
        };
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
        Some(())
    }

    /// [`OperationItems::success_arms`] as text: each arm's pattern and body.
    fn success_arm_shapes(&self) -> Vec<(String, Shape)> {
        let op = self.op;
        let types = &self.api.types;
        let decode = |decoded: &Decoded| {
            Shape::call(
                decoded_text(decoded, types).1,
                vec![Shape::word("response")],
            )
        };
        match &op.success {
            Success::Undocumented(decoded) => {
                vec![("status if status / 100 == 2".to_owned(), decode(decoded))]
            }
            Success::Shared(decoded) => op
                .successes()
                .map(|r| (status_pattern_text(r.status), decode(decoded)))
                .collect(),
            Success::ByStatus => {
                let enum_name = success_enum_name(op);
                op.successes()
                    .map(|r| {
                        let variant = variant_ident(r.status);
                        let read = format!("{}(response)", decoded_text(&r.decoded(), types).1);
                        let wrap = if r.body.is_some() {
                            Shape::word(format!("{enum_name}::{variant}"))
                        } else {
                            Shape::opaque(format!("|()| {enum_name}::{variant}"))
                        };
                        let body = Shape::method(read, Shape::call(".map", vec![wrap]));
                        (status_pattern_text(r.status), body)
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
        let pattern = status_pattern(only.status);
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
    pub(super) fn success_type(&self) -> TokenStream {
        match &self.op.success {
            Success::Undocumented(decoded) | Success::Shared(decoded) => {
                decoder(decoded, &self.api.types).ty
            }
            Success::ByStatus => {
                let name = success_enum_name(self.op);
                quote! { #name }
            }
        }
    }

    /// The match arms that decode each success status.
    fn success_arms(&self) -> Vec<TokenStream> {
        let op = self.op;
        match &op.success {
            Success::Undocumented(decoded) => {
                let decode = decoder(decoded, &self.api.types).decode;
                vec![quote! { status if status / 100 == 2 => #decode(response), }]
            }
            Success::Shared(decoded) => {
                let decode = decoder(decoded, &self.api.types).decode;
                op.successes()
                    .map(|r| {
                        let pattern = status_pattern(r.status);
                        quote! { #pattern => #decode(response), }
                    })
                    .collect()
            }
            Success::ByStatus => {
                let enum_name = success_enum_name(op);
                op.successes()
                    .map(|r| {
                        let variant = variant_ident(r.status);
                        let pattern = status_pattern(r.status);
                        let decode = decoder(&r.decoded(), &self.api.types).decode;
                        if r.body.is_some() {
                            quote! { #pattern => #decode(response).map(#enum_name::#variant), }
                        } else {
                            quote! { #pattern => #decode(response).map(|()| #enum_name::#variant), }
                        }
                    })
                    .collect()
            }
        }
    }

    /// The enum of success responses, for an operation whose successes differ in type.
    pub(super) fn success_enum(&self) -> Option<TokenStream> {
        let op = self.op;
        if op.success != Success::ByStatus {
            return None;
        }
        let enum_name = success_enum_name(op);
        let variants = op.successes().map(|r| self.variant(r));
        let doc = format!(
            " The success responses documented for [`Client::{}`], by status.",
            op.name
        );
        let gate = &self.gate;
        Some(quote! {
            #gate
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #enum_name {
                #( #variants )*
            }
        })
    }

    /// The enum of the documented error responses.
    pub(super) fn error_enum_def(&self) -> Code {
        let error_enum = &self.error_enum;
        let doc = format!(
            " The error responses documented for [`Client::{}`], by status.",
            self.op.name
        );
        if self.layout == Layout::Text {
            if let Some(text) = self.error_enum_text(&doc) {
                let mut code = Code::default();
                code.text(text);
                return code;
            }
        }
        let variants = self.op.errors().map(|r| self.variant(r));
        let gate = &self.gate;
        Code::from(quote! {
            #gate
            #[doc = #doc]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #error_enum {
                #( #variants )*
            }
        })
    }

    fn error_enum_text(&self, doc: &str) -> Option<String> {
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.docs(0, &[doc.to_owned()]);
        lines.line(0, "#[derive(Debug, Clone, PartialEq)]");
        lines.line(0, "#[non_exhaustive]");
        let mut errors = self.op.errors().peekable();
        if errors.peek().is_none() {
            lines.unbreakable(0, &format!("pub enum {} {{}}", self.error_enum));
            return lines.finish();
        }
        lines.unbreakable(0, &format!("pub enum {} {{", self.error_enum));
        for r in errors {
            let variant = variant_ident(r.status).to_string();
            lines.docs(1, &doc_paragraph_lines(&[Some(&variant_doc(r))]));
            match &r.body {
                Some(_) => {
                    let (ty, _) = decoded_text(&r.decoded(), &self.api.types);
                    lines.shape(1, "", &Shape::call(variant, vec![ty]), ",");
                }
                None => lines.line(1, &format!("{variant},")),
            }
        }
        lines.line(0, "}");
        lines.finish()
    }

    /// A variant of the success or error enum: named after the status, holding the body.
    fn variant(&self, r: &Response) -> TokenStream {
        let variant = variant_ident(r.status);
        let docs = doc_paragraphs(&[Some(&variant_doc(r))]);
        match &r.body {
            Some(_) => {
                let ty = decoder(&r.decoded(), &self.api.types).ty;
                quote! { #docs #variant(#ty), }
            }
            None => quote! { #docs #variant, },
        }
    }

    /// The error enum's `from_response`: a response that is not a documented success, by
    /// status.
    pub(super) fn error_dispatch(&self) -> Code {
        if self.layout == Layout::Text {
            if let Some(text) = self.error_dispatch_text() {
                let mut code = Code::default();
                code.text(text);
                return code;
            }
        }
        let error_enum = &self.error_enum;
        let mut arms = Vec::new();
        let mut has_default = false;
        for r in self.op.errors() {
            let decode = decoder(&r.decoded(), &self.api.types).decode;
            let variant = variant_ident(r.status);
            let pattern = status_pattern(r.status);
            has_default |= r.status == StatusMatch::Default;
            let wrap = if r.body.is_some() {
                quote! { #error_enum::#variant }
            } else {
                quote! { |()| #error_enum::#variant }
            };
            arms.push((pattern, quote! { response.api_error(#decode, #wrap) }));
        }
        if !has_default {
            arms.push((quote! { _ }, quote! { response.unexpected() }));
        }
        let body = match arms.as_slice() {
            [(_, only)] => only.clone(),
            _ => {
                let arms = arms
                    .iter()
                    .map(|(pattern, value)| quote! { #pattern => #value, });
                quote! { match response.status() { #( #arms )* } }
            }
        };
        let gate = &self.gate;
        Code::from(quote! {
            #gate
            impl #error_enum {
                /// The error a response that is not a documented success stands for.
                fn from_response(response: Response) -> Error<#error_enum> {
                    #body
                }
            }
        })
    }

    /// [`OperationItems::error_dispatch`] as text; `None` when a line would need breaking.
    fn error_dispatch_text(&self) -> Option<String> {
        let error_enum = self.error_enum.to_string();
        let mut arms: Vec<(String, Shape)> = Vec::new();
        let mut has_default = false;
        for r in self.op.errors() {
            let (_, decode) = decoded_text(&r.decoded(), &self.api.types);
            let variant = variant_ident(r.status);
            has_default |= r.status == StatusMatch::Default;
            let wrap = if r.body.is_some() {
                Shape::word(format!("{error_enum}::{variant}"))
            } else {
                Shape::opaque(format!("|()| {error_enum}::{variant}"))
            };
            let call = Shape::call(".api_error", vec![Shape::word(decode), wrap]);
            arms.push((
                status_pattern_text(r.status),
                Shape::method("response", call),
            ));
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
        lines.finish()
    }
}

/// The docs of a success or error variant: the status and the response's description.
fn variant_doc(r: &Response) -> String {
    format!("{}: {}", status_label(r.status), r.description)
}

/// A decoded body's type and the runtime function that reads it, as text.
fn decoded_text(decoded: &Decoded, types: &TypeSpace) -> (Shape, &'static str) {
    match decoded {
        Decoded::Empty => (Shape::word("()"), "Response::empty"),
        Decoded::Json(ty) => (type_shape(ty, types, "crate::models::"), "Response::json"),
        Decoded::Text => (Shape::word("String"), "Response::text"),
        Decoded::Bytes => (Shape::word("bytes::Bytes"), "Response::bytes"),
    }
}

/// `{Op}Response`, the enum of success responses by status.
pub(super) fn success_enum_name(op: &Operation) -> Ident {
    format_ident!("{}Response", op.type_name)
}

/// The match pattern of a status: a code, a range (as a guard), or anything.
pub(super) fn status_pattern(status: StatusMatch) -> TokenStream {
    match status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        // A guard, not a range pattern: exact codes inside the range come first and win.
        StatusMatch::Range(r) => {
            let r = proc_macro2::Literal::u16_unsuffixed(r);
            quote! { status if status / 100 == #r }
        }
        StatusMatch::Default => quote! { _ },
    }
}

/// [`status_pattern`] as text.
fn status_pattern_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(r) => format!("status if status / 100 == {r}"),
        StatusMatch::Default => "_".to_owned(),
    }
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
