//! Server-sent events: `send` of an operation that only streams, and for one that answers
//! JSON or events, the `{name}_stream` method and its builder, a wrapper of the operation's
//! builder whose `send` asks for the stream.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::builder::{Members, Setter};
use super::responses::status_tokens;
use super::OperationItems;
use crate::emit::code::tokens_of;
use crate::emit::docs::attrs_of_lines;
use crate::emit::types::model_type;
use crate::ir::EventStream;

impl OperationItems<'_> {
    /// `send` of an operation whose success only comes as events.
    pub(super) fn send_events(&self, events: &EventStream) -> TokenStream {
        let error_enum = &self.error_enum;
        let item = model_type(&events.item, &self.api.types);
        let receive = self.receive_events(events, quote! { self.client });
        quote! {
            /// Sends the request; the events arrive as the stream is polled.
            pub async fn send(self) -> Result<crate::runtime::EventStream<#item, #error_enum>, Error<#error_enum>> {
                let mut request = self.request()?;
                request.options(self.options);
                #receive
            }
        }
    }

    /// The statements that open the stream (given a `request`) and return it, or the error
    /// response.
    fn receive_events(&self, events: &EventStream, client: TokenStream) -> TokenStream {
        let error_enum = &self.error_enum;
        let pattern = status_tokens(events.status);
        let sentinel = match &events.sentinel {
            Some(s) => quote! { Some(#s) },
            None => quote! { None },
        };
        let envelope = events.envelope;
        quote! {
            let live = #client.open(request).await?;
            if matches!(live.status(), #pattern) {
                return Ok(live.events(#sentinel, #envelope));
            }
            Err(#error_enum::from_response(live.buffer().await?))
        }
    }

    /// For an operation that answers JSON or events: the `{name}_stream` method and its
    /// builder.
    pub(super) fn stream_variant(&self, members: &Members) -> Option<TokenStream> {
        let op = self.op;
        let events = op.events.as_ref()?;
        let alt = events.alternative.as_ref()?;
        let OperationItems {
            builder,
            error_enum,
            method: base_method,
            gate,
            ..
        } = self;
        let method_docs = attrs_of_lines(&self.method_doc_lines);
        let deprecated = op.deprecated.then(|| quote! { #[deprecated] });
        let method = format_ident!("{}", alt.method_name);
        let stream_builder = format_ident!("{}", alt.type_name);
        let doc = match &alt.request_field {
            Some(field) => format!(
                " The same request with `{field}` set to `true`: the response comes as server-sent events."
            ),
            None => " The same request, asking for the response as server-sent events.".to_owned(),
        };
        let args = members
            .arguments()
            .map(|argument| tokens_of(&argument.labelled().flat()));
        let arg_names = members
            .arguments()
            .map(|argument| format_ident!("{}", argument.name));
        let setters = members.setters().map(|setter| {
            let Setter {
                doc_lines,
                name,
                ty,
                ..
            } = setter;
            let docs = attrs_of_lines(doc_lines);
            let name = format_ident!("{}", name);
            let ty = tokens_of(&ty.flat());
            quote! {
                #docs
                pub fn #name(self, value: #ty) -> Self {
                    Self(self.0.#name(value))
                }
            }
        });
        let flag = alt.request_field.as_ref().map(|_| quote! { true });
        let item = model_type(&events.item, &self.api.types);
        let receive = self.receive_events(events, quote! { self.0.client });
        let builder_doc = format!(
            " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
            alt.method_name, alt.type_name
        );
        let method_link = format!(" Made by [`Client::{}`].", alt.method_name);
        Some(quote! {
            #gate
            impl Client {
                #method_docs
                #[doc = ""]
                #[doc = #doc]
                #deprecated
                pub fn #method(&self, #( #args ),*) -> #stream_builder<'_> {
                    #stream_builder(self.#base_method(#( #arg_names ),*))
                }
            }

            #gate
            #[doc = #builder_doc]
            #[doc = ""]
            #[doc = #method_link]
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until `send` is awaited"]
            pub struct #stream_builder<'a>(#builder<'a>);

            #gate
            impl crate::runtime::RequestExt for #stream_builder<'_> {
                fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {
                    &mut self.0.options
                }
            }

            #gate
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
        })
    }
}
