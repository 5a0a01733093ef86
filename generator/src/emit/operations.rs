//! `operations.rs`: per operation, a method on `Client` that starts a request builder, the
//! builder with a setter per optional parameter and `send`, and the enum of the operation's
//! documented error responses.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_paragraphs};
use super::type_tokens;
use crate::ir::{
    Api, BodyEncoding, IntegerKind, Location, Operation, PageKind, Parameter, Response,
    StatusMatch, Type,
};
use crate::naming::status_name;

/// The whole file.
pub fn emit(api: &Api) -> TokenStream {
    emit_part(api, &api.operations, true)
}

/// A run of the file's items; `head` adds what opens the file (module docs, imports).
pub fn emit_part(api: &Api, ops: &[Operation], head: bool) -> TokenStream {
    let ops = ops.iter().map(|op| operation(api, op));
    let head = head.then(|| {
        let imports = (!api.operations.is_empty())
            .then(|| quote! { use crate::runtime::{Client, Error, Request, Response}; });
        quote! {
            //! One request builder per operation, and the error responses each documents.

            #imports
        }
    });
    quote! {
        #head

        #( #ops )*
    }
}

/// How an argument or field is typed, and how a caller's value becomes it.
fn param_type(api: &Api, ty: &Type) -> (TokenStream, TokenStream, bool) {
    let models = quote! { crate::models:: };
    let tokens = type_tokens(ty, &api.types, &models);
    if *ty == Type::String {
        (tokens, quote! { impl Into<String> }, true)
    } else {
        (tokens.clone(), tokens, false)
    }
}

fn operation(api: &Api, op: &Operation) -> TokenStream {
    let models = quote! { crate::models:: };
    let method_name = format_ident!("{}", op.name);
    let builder = format_ident!("{}", op.type_name);
    let error_enum = format_ident!("{}Error", op.type_name);

    let signature_doc = format!("`{} {}`", op.method.as_str(), op.path);
    let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
    let method_docs = doc_paragraphs(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(&signature_doc),
    ]);

    // Required parameters (and a required body) are arguments; the rest are setters.
    let required: Vec<&Parameter> = op.parameters.iter().filter(|p| p.required).collect();
    let optional: Vec<&Parameter> = op.parameters.iter().filter(|p| !p.required).collect();

    let mut args = Vec::new();
    let mut arg_names = Vec::new();
    let mut inits = Vec::new();
    let mut fields = Vec::new();
    // Setters: their docs, name and argument type.
    let mut setters: Vec<(TokenStream, proc_macro2::Ident, TokenStream, TokenStream)> = Vec::new();
    for p in &required {
        let ident = format_ident!("{}", p.rust_name);
        let (field_ty, arg_ty, into) = param_type(api, &p.ty);
        args.push(quote! { #ident: #arg_ty });
        arg_names.push(ident.clone());
        inits.push(if into {
            quote! { #ident: #ident.into() }
        } else {
            quote! { #ident }
        });
        fields.push(quote! { #ident: #field_ty });
    }
    for p in &optional {
        let ident = format_ident!("{}", p.rust_name);
        let (field_ty, arg_ty, into) = param_type(api, &p.ty);
        inits.push(quote! { #ident: None });
        fields.push(quote! { #ident: Option<#field_ty> });
        let docs = doc_attrs(p.description.as_deref().or(Some(&format!(
            "Sets the `{}` {} parameter.",
            p.name,
            p.location.as_str()
        ))));
        let value = if into {
            quote! { value.into() }
        } else {
            quote! { value }
        };
        setters.push((docs, ident, arg_ty, value));
    }
    let mut form_struct = None;
    let mut body_enum = None;
    if let Some(body) = &op.body {
        let form = format_ident!("{}Form", op.type_name);
        let (ty, arg_ty, value) = match (&body.form, &body.alternative) {
            (Some(fields), _) => {
                form_struct = Some(form_def(api, op, &form, fields));
                (quote! { #form }, quote! { #form }, quote! { value })
            }
            (None, Some(alternative)) => {
                let json = type_tokens(&body.ty, &api.types, &models);
                if let Some(fields) = &alternative.form {
                    form_struct = Some(form_def(api, op, &form, fields));
                }
                let name = format_ident!("{}Body", op.type_name);
                let doc = format!(
                    " The [`Client::{}`] request body: JSON ({}) or `multipart/form-data` ({}).",
                    op.name, body.media_type, alternative.media_type
                );
                body_enum = Some(quote! {
                    #[doc = #doc]
                    #[derive(Debug, Clone)]
                    pub enum #name {
                        /// Sent as JSON.
                        Json(Box<#json>),
                        /// Sent as `multipart/form-data`: file parts and fields.
                        Multipart(Box<#form>),
                    }

                    impl From<#json> for #name {
                        fn from(body: #json) -> Self {
                            #name::Json(Box::new(body))
                        }
                    }

                    impl From<#form> for #name {
                        fn from(body: #form) -> Self {
                            #name::Multipart(Box::new(body))
                        }
                    }
                });
                (
                    quote! { #name },
                    quote! { impl Into<#name> },
                    quote! { value.into() },
                )
            }
            (None, None) => {
                let ty = type_tokens(&body.ty, &api.types, &models);
                (ty.clone(), ty, quote! { value })
            }
        };
        if body.required {
            args.push(quote! { body: #arg_ty });
            arg_names.push(format_ident!("body"));
            inits.push(if body.alternative.is_some() {
                quote! { body: body.into() }
            } else {
                quote! { body }
            });
            fields.push(quote! { body: #ty });
        } else {
            inits.push(quote! { body: None });
            fields.push(quote! { body: Option<#ty> });
            let docs = doc_attrs(
                body.description
                    .as_deref()
                    .or(Some("Sets the request body.")),
            );
            setters.push((docs, format_ident!("body"), arg_ty, value));
        }
    }
    let setter_fns = setters.iter().map(|(docs, ident, ty, value)| {
        quote! {
            #docs
            pub fn #ident(mut self, value: #ty) -> Self {
                self.#ident = Some(#value);
                self
            }
        }
    });

    let request_fn = request_fn(op);
    let (terminals, success_enum) = terminals(api, op, &error_enum);
    let errors = error_enum_def(api, op, &error_enum);
    let from_response = from_response_fn(api, op, &error_enum);
    let builder_doc = format!(
        " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
        op.name, op.type_name
    );
    let method_link = format!(" Made by [`Client::{}`].", op.name);

    let stream_alternative = op
        .events
        .as_ref()
        .and_then(|events| Some((events, events.alternative.as_ref()?)))
        .map(|(events, alt)| {
            stream_builder(
                api,
                op,
                events,
                alt,
                &StreamParts {
                    builder: &builder,
                    error_enum: &error_enum,
                    args: &args,
                    arg_names: &arg_names,
                    setters: &setters,
                    method_docs: &method_docs,
                    deprecated: deprecated.as_ref(),
                },
            )
        });

    quote! {
        impl Client {
            #method_docs
            #deprecated
            pub fn #method_name(&self, #( #args ),*) -> #builder<'_> {
                #builder { client: self, #( #inits, )* options: Default::default() }
            }
        }

        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #method_link]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #builder<'a> {
            client: &'a Client,
            #( #fields, )*
            options: crate::runtime::RequestOptions,
        }

        impl crate::runtime::RequestExt for #builder<'_> {
            fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {
                &mut self.options
            }
        }

        impl<'a> #builder<'a> {
            #( #setter_fns )*
            #request_fn
            #terminals
        }

        #stream_alternative
        #form_struct
        #body_enum
        #success_enum
        #errors
        #from_response
    }
}

/// What the stream variant of an operation shares with the operation's own builder.
struct StreamParts<'a> {
    builder: &'a proc_macro2::Ident,
    error_enum: &'a proc_macro2::Ident,
    args: &'a [TokenStream],
    arg_names: &'a [proc_macro2::Ident],
    setters: &'a [(TokenStream, proc_macro2::Ident, TokenStream, TokenStream)],
    method_docs: &'a TokenStream,
    deprecated: Option<&'a TokenStream>,
}

/// For an operation that answers JSON or events: the `{name}_stream` method and its
/// builder, a wrapper of the operation's builder whose `send` asks for the stream.
fn stream_builder(
    api: &Api,
    op: &Operation,
    events: &crate::ir::EventStream,
    alt: &crate::ir::StreamAlternative,
    parts: &StreamParts<'_>,
) -> TokenStream {
    let StreamParts {
        builder,
        error_enum,
        args,
        arg_names,
        setters,
        method_docs,
        deprecated,
    } = parts;
    let method = format_ident!("{}", alt.method_name);
    let base_method = format_ident!("{}", op.name);
    let stream_builder = format_ident!("{}", alt.type_name);
    let doc = match &alt.request_field {
        Some(field) => format!(
            " The same request with `{field}` set to `true`: the response comes as server-sent events."
        ),
        None => " The same request, asking for the response as server-sent events.".to_owned(),
    };
    let setters = setters.iter().map(|(docs, ident, ty, _)| {
        quote! {
            #docs
            pub fn #ident(self, value: #ty) -> Self {
                Self(self.0.#ident(value))
            }
        }
    });
    let flag = alt.request_field.as_ref().map(|_| quote! { true });
    let (item, receive) = receive_events(api, op, events, error_enum, quote! { self.0.client });
    let builder_doc = format!(
        " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
        alt.method_name, alt.type_name
    );
    let method_link = format!(" Made by [`Client::{}`].", alt.method_name);
    quote! {
        impl Client {
            #method_docs
            #[doc = ""]
            #[doc = #doc]
            #deprecated
            pub fn #method(&self, #( #args ),*) -> #stream_builder<'_> {
                #stream_builder(self.#base_method(#( #arg_names ),*))
            }
        }

        #[doc = #builder_doc]
        #[doc = ""]
        #[doc = #method_link]
        #[derive(Debug, Clone)]
        #[must_use = "a request does nothing until `send` is awaited"]
        pub struct #stream_builder<'a>(#builder<'a>);

        impl crate::runtime::RequestExt for #stream_builder<'_> {
            fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {
                &mut self.0.options
            }
        }

        impl #stream_builder<'_> {
            #( #setters )*

            /// Sends the request; the events arrive as the stream is polled.
            pub async fn send(self) -> Result<crate::runtime::EventStream<#item, #error_enum>, Error<#error_enum>> {
                let mut request = self.0.request(#flag)?;
                request.accept("text/event-stream");
                request.options(self.0.options);
                #receive
            }
        }
    }
}

/// The item type of an event stream, and the statements that open the stream (given a
/// `request`) and return it, or the error response.
fn receive_events(
    api: &Api,
    _op: &Operation,
    events: &crate::ir::EventStream,
    error_enum: &proc_macro2::Ident,
    client: TokenStream,
) -> (TokenStream, TokenStream) {
    let models = quote! { crate::models:: };
    let item = type_tokens(&events.item, &api.types, &models);
    let pattern = status_pattern(events.status);
    let sentinel = match &events.sentinel {
        Some(s) => quote! { Some(#s) },
        None => quote! { None },
    };
    let envelope = events.envelope;
    let body = quote! {
        let live = #client.open(request).await?;
        if matches!(live.status(), #pattern) {
            return Ok(live.events(#sentinel, #envelope));
        }
        Err(#error_enum::from_response(live.buffer().await?))
    };
    (item, body)
}

/// The struct of a `multipart/form-data` body: a field per part.
fn form_def(
    api: &Api,
    op: &Operation,
    name: &proc_macro2::Ident,
    fields: &[crate::ir::FormField],
) -> TokenStream {
    let models = quote! { crate::models:: };
    let members = fields.iter().map(|f| {
        let ident = format_ident!("{}", f.name);
        let docs = doc_attrs(f.description.as_deref());
        let ty = if f.file {
            quote! { crate::runtime::FilePart }
        } else {
            type_tokens(&f.ty, &api.types, &models)
        };
        let ty = if f.required {
            ty
        } else {
            quote! { Option<#ty> }
        };
        quote! { #docs pub #ident: #ty, }
    });
    let doc = format!(
        " The parts of the [`Client::{}`] request body (`multipart/form-data`).",
        op.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone)]
        pub struct #name {
            #( #members )*
        }
    }
}

/// The Rust type and decoder of a response body.
fn decoder(api: &Api, body: Option<&crate::ir::ResponseBody>) -> (TokenStream, TokenStream) {
    let models = quote! { crate::models:: };
    match body {
        None => (quote! { () }, quote! { Response::empty }),
        Some(b) => match b.encoding {
            BodyEncoding::Json => (
                type_tokens(&b.ty, &api.types, &models),
                quote! { Response::json },
            ),
            BodyEncoding::Text => (quote! { String }, quote! { Response::text }),
            BodyEncoding::Binary | BodyEncoding::Form | BodyEncoding::Multipart => {
                (quote! { bytes::Bytes }, quote! { Response::bytes })
            }
        },
    }
}

fn status_pattern(status: StatusMatch) -> TokenStream {
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

fn variant_ident(status: StatusMatch) -> proc_macro2::Ident {
    let name = match status {
        StatusMatch::Code(c) => status_name(Some(c), None),
        StatusMatch::Range(r) => status_name(None, Some(r)),
        StatusMatch::Default => status_name(None, None),
    };
    format_ident!("{}", name)
}

/// The statements that put `body` (a reference) into `request`, in one media type.
fn set_body(b: &crate::ir::RequestBody, stream_field: Option<&str>) -> TokenStream {
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

/// The builder's `request` method: the path, parameters and body as a runtime `Request`.
/// With a stream request field, it takes the field's value.
fn request_fn(op: &Operation) -> TokenStream {
    // The path: a format string with one `{}` per template parameter.
    let mut format_string = String::new();
    let mut segments = Vec::new();
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        format_string.push_str(&rest[..open].replace('{', "{{").replace('}', "}}"));
        let name = &rest[open + 1..open + close];
        let param = op
            .parameters
            .iter()
            .find(|p| p.location == Location::Path && p.name == name);
        if let Some(p) = param {
            let ident = format_ident!("{}", p.rust_name);
            let local = format_ident!("{}_segment", p.rust_name.trim_end_matches('_'));
            let wire = &p.name;
            format_string.push_str(&format!("{{{local}}}"));
            segments
                .push(quote! { let #local = crate::runtime::path_segment(#wire, &self.#ident)?; });
        }
        rest = &rest[open + close + 1..];
    }
    let path = if segments.is_empty() {
        let literal = op.path.as_str();
        quote! { String::from(#literal) }
    } else {
        format_string.push_str(&rest.replace('{', "{{").replace('}', "}}"));
        quote! { #( #segments )* format!(#format_string) }
    };

    let method = format_ident!("{}", op.method.as_str());
    let template = op.path.as_str();
    let accept = accept(op);
    let alternatives = op.security.iter().map(|alt| quote! { &[ #( #alt ),* ] });

    let params: Vec<TokenStream> = op
        .parameters
        .iter()
        .filter(|p| {
            matches!(
                p.location,
                Location::Query | Location::Header | Location::Cookie
            )
        })
        .map(|p| {
            let ident = format_ident!("{}", p.rust_name);
            let wire = &p.name;
            let (adder, extra) = match p.location {
                Location::Header => (quote! { header }, None),
                Location::Cookie => (quote! { cookie }, None),
                _ => {
                    let explode = p.explode;
                    (quote! { query }, Some(quote! { , #explode }))
                }
            };
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
        .collect();

    let stream_field = op
        .events
        .as_ref()
        .and_then(|e| e.alternative.as_ref())
        .and_then(|alt| alt.request_field.as_deref());
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

/// The methods that send a request: `send` (decoded, or the event stream of an operation
/// that only streams), `download` for a binary body, and `items` for a paginated list.
/// Also the enum of success responses when they differ in type.
fn terminals(
    api: &Api,
    op: &Operation,
    error_enum: &proc_macro2::Ident,
) -> (TokenStream, Option<TokenStream>) {
    let models = quote! { crate::models:: };
    let flag = op
        .events
        .as_ref()
        .and_then(|e| e.alternative.as_ref())
        .and_then(|alt| alt.request_field.as_ref())
        .filter(|_| op.body.is_some())
        .map(|_| quote! { false });

    if let Some(events) = op.events.as_ref().filter(|e| e.alternative.is_none()) {
        let (item, receive) = receive_events(api, op, events, error_enum, quote! { self.client });
        let send = quote! {
            /// Sends the request; the events arrive as the stream is polled.
            pub async fn send(self) -> Result<crate::runtime::EventStream<#item, #error_enum>, Error<#error_enum>> {
                let mut request = self.request()?;
                request.options(self.options);
                #receive
            }
        };
        return (send, None);
    }

    let (ok_ty, arms, success_enum) = success(api, op);
    let send = quote! {
        /// Sends the request and decodes the response.
        pub async fn send(self) -> Result<#ok_ty, Error<#error_enum>> {
            let mut request = self.request(#flag)?;
            request.options(self.options);
            let response = self.client.execute(request).await?;
            match response.status() {
                #( #arms )*
                _ => Err(#error_enum::from_response(response)),
            }
        }
    };

    let successes: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    let download = match successes.as_slice() {
        [only]
            if only
                .body
                .as_ref()
                .is_some_and(|b| b.encoding == BodyEncoding::Binary) =>
        {
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
        _ => None,
    };

    let items = op.pagination.as_ref().map(|pages| {
        let item = type_tokens(&pages.item, &api.types, &models);
        let field = |f: &crate::ir::PageField| {
            let ident = format_ident!("{}", f.rust_name);
            if f.optional {
                quote! { body.#ident.unwrap_or_default() }
            } else {
                quote! { body.#ident }
            }
        };
        let results = field(&pages.results);
        // The page's body; for a union of page shapes, the one shape that pages.
        let fetch = |extract: TokenStream| match &pages.variant {
            None => quote! { page.send().await.map(|body| #extract) },
            Some(variant) => {
                let (union, _, _) = success(api, op);
                let variant = format_ident!("{}", variant);
                let expected = variant.to_string();
                quote! {
                    match page.send().await? {
                        #union::#variant(body) => Ok(#extract),
                        _ => Err(Error::UnexpectedPageShape { expected: #expected }),
                    }
                }
            }
        };
        let call = match &pages.kind {
            PageKind::Offset { offset, limit } => {
                let offset_ident = format_ident!("{}", offset.0);
                let widen = |kind: IntegerKind, value: TokenStream| match kind {
                    IntegerKind::I32 => quote! { #value.map(i64::from) },
                    IntegerKind::I64 => value,
                };
                let start = widen(offset.1, quote! { self.#offset_ident });
                let limit = match limit {
                    Some((name, kind)) => {
                        let ident = format_ident!("{}", name);
                        widen(*kind, quote! { self.#ident })
                    }
                    None => quote! { None },
                };
                let fetch_offset = fetch(results.clone());
                let narrow = match offset.1 {
                    IntegerKind::I32 => quote! { i32::try_from(offset).unwrap_or(i32::MAX) },
                    IntegerKind::I64 => quote! { offset },
                };
                quote! {
                    let start = #start.unwrap_or(0);
                    let limit = #limit;
                    crate::runtime::offset_pages(start, limit, move |offset| {
                        let mut page = self.clone();
                        page.#offset_ident = Some(#narrow);
                        async move { #fetch_offset }
                    })
                }
            }
            PageKind::Cursor { cursor, next } => {
                let cursor_ident = format_ident!("{}", cursor);
                let next_ident = format_ident!("{}", next.rust_name);
                let next = if next.optional {
                    quote! { body.#next_ident }
                } else {
                    quote! { Some(body.#next_ident) }
                };
                let fetch_cursor = fetch(quote! { (#results, #next) });
                quote! {
                    let start = self.#cursor_ident.clone();
                    crate::runtime::cursor_pages(start, move |cursor| {
                        let mut page = self.clone();
                        page.#cursor_ident = cursor;
                        async move { #fetch_cursor }
                    })
                }
            }
        };
        quote! {
            /// Sends the request page after page, as the stream is polled: a stream of the
            /// items of every page, from the one the parameters select to the last.
            pub fn items(self) -> crate::runtime::Pages<'a, #item, #error_enum> {
                #call
            }
        }
    });

    (quote! { #send #download #items }, success_enum)
}

/// The error enum's `from_response`: a response that is not a success, by status.
fn from_response_fn(api: &Api, op: &Operation, error_enum: &proc_macro2::Ident) -> TokenStream {
    let mut arms = Vec::new();
    let mut has_default = false;
    for r in op.responses.iter().filter(|r| !r.status.is_success()) {
        let (_, decode) = decoder(api, r.body.as_ref());
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
    quote! {
        impl #error_enum {
            /// The error a response that is not a documented success stands for.
            fn from_response(response: Response) -> Error<#error_enum> {
                #body
            }
        }
    }
}

/// The success type of an operation and its match arms: the one type all success responses
/// share, or an enum with a variant per success status when they differ. With no success
/// response documented, a `default` response describes successes too.
fn success(api: &Api, op: &Operation) -> (TokenStream, Vec<TokenStream>, Option<TokenStream>) {
    let successes: Vec<&Response> = op
        .responses
        .iter()
        .filter(|r| r.status.is_success())
        .collect();
    if successes.is_empty() {
        let default = op
            .responses
            .iter()
            .find(|r| r.status == StatusMatch::Default);
        let (ty, decode) = decoder(api, default.and_then(|r| r.body.as_ref()));
        return (
            ty,
            vec![quote! { status if status / 100 == 2 => #decode(response), }],
            None,
        );
    }
    let types: Vec<(TokenStream, TokenStream)> = successes
        .iter()
        .map(|r| decoder(api, r.body.as_ref()))
        .collect();
    let first = types[0].0.to_string();
    if types.iter().all(|(ty, _)| ty.to_string() == first) {
        let arms = successes
            .iter()
            .zip(&types)
            .map(|(r, (_, decode))| {
                let pattern = status_pattern(r.status);
                quote! { #pattern => #decode(response), }
            })
            .collect();
        return (types[0].0.clone(), arms, None);
    }
    let enum_name = format_ident!("{}Response", op.type_name);
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for (r, (ty, decode)) in successes.iter().zip(&types) {
        let variant = variant_ident(r.status);
        let pattern = status_pattern(r.status);
        let docs = doc_paragraphs(&[Some(&format!(
            "{}: {}",
            status_label(r.status),
            r.description
        ))]);
        if r.body.is_some() {
            variants.push(quote! { #docs #variant(#ty), });
            arms.push(quote! { #pattern => #decode(response).map(#enum_name::#variant), });
        } else {
            variants.push(quote! { #docs #variant, });
            arms.push(quote! { #pattern => #decode(response).map(|()| #enum_name::#variant), });
        }
    }
    let doc = format!(
        " The success responses documented for [`Client::{}`], by status.",
        op.name
    );
    let definition = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #enum_name {
            #( #variants )*
        }
    };
    (quote! { #enum_name }, arms, Some(definition))
}

fn status_label(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => c.to_string(),
        StatusMatch::Range(n) => format!("{n}XX"),
        StatusMatch::Default => "Any other status".to_owned(),
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

fn error_enum_def(api: &Api, op: &Operation, error_enum: &proc_macro2::Ident) -> TokenStream {
    let variants = op
        .responses
        .iter()
        .filter(|r| !r.status.is_success())
        .map(|r| {
            let variant = variant_ident(r.status);
            let status = match r.status {
                StatusMatch::Code(c) => c.to_string(),
                StatusMatch::Range(n) => format!("{n}XX"),
                StatusMatch::Default => "Any other status".to_owned(),
            };
            let docs = doc_paragraphs(&[Some(&format!("{status}: {}", r.description))]);
            match &r.body {
                Some(_) => {
                    let (ty, _) = decoder(api, r.body.as_ref());
                    quote! { #docs #variant(#ty), }
                }
                None => quote! { #docs #variant, },
            }
        });
    let doc = format!(
        " The error responses documented for [`Client::{}`], by status.",
        op.name
    );
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #error_enum {
            #( #variants )*
        }
    }
}
