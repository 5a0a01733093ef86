//! `operations.rs`: per operation, a method on `Client` that starts a request builder, the
//! builder with a setter per optional parameter and `send`, and the enum of the operation's
//! documented error responses. This module assembles an operation's items; each part has a
//! module of its own:
//!
//! - `builder`: the client method, the builder struct, its members and setters;
//! - `bodies`: the multipart form struct and the enum of body alternatives;
//! - `request`: the builder's `request`, which puts path, parameters and body into the
//!   runtime's `Request`;
//! - `responses`: `send` and `download`, the success and error enums, and dispatch by
//!   status;
//! - `events`: the event stream of an operation that streams, and its `_stream` variant;
//! - `pagination`: `items`, the stream of the items of every page.

mod bodies;
mod builder;
mod events;
mod pagination;
mod request;
mod responses;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{attrs_of_lines, doc_paragraph_lines};
use super::features::Gate;
use super::layout::Layout;
use super::Code;
use crate::ir::{Api, Operation};

/// The whole file.
pub fn emit(api: &Api) -> Code {
    emit_part(api, &api.operations, true, true, Layout::Text)
}

/// A run of the file's items; `head` adds what opens the file (module docs, imports). With
/// `cargo_features`, each operation's items compile under its feature.
pub fn emit_part(
    api: &Api,
    ops: &[Operation],
    head: bool,
    cargo_features: bool,
    layout: Layout,
) -> Code {
    let head = head.then(|| {
        // Used by every operation: imported when any operation's feature is on.
        let features: std::collections::BTreeSet<String> =
            api.operations.iter().map(|op| op.feature.clone()).collect();
        let gate = cargo_features.then(|| super::features::gate(Some(&features)));
        let imports = (!api.operations.is_empty()).then(|| {
            quote! {
                #gate
                use crate::runtime::{Client, Error, Request, Response};
            }
        });
        quote! {
            //! One request builder per operation, and the error responses each documents.

            #imports
        }
    });
    let mut code = Code::from(quote! { #head });
    for op in ops {
        code.append(operation(api, op, cargo_features, layout));
    }
    code
}

/// The names and docs an operation's items share.
struct OperationItems<'a> {
    api: &'a Api,
    op: &'a Operation,
    /// The client method, `delete_file`.
    method: Ident,
    /// The request builder, `DeleteFile`.
    builder: Ident,
    /// The enum of documented error responses, `DeleteFileError`.
    error_enum: Ident,
    /// The client method's docs: summary, description, method and path.
    method_docs: TokenStream,
    /// `#[deprecated]` when the spec says so.
    deprecated: Option<TokenStream>,
    /// The `cfg` every item of the operation carries: its feature.
    gate: TokenStream,
    /// The same, for the items laid out as text.
    cfg: Gate,
    /// The lines of `method_docs`.
    method_doc_lines: Vec<String>,
    layout: Layout,
}

fn operation(api: &Api, op: &Operation, cargo_features: bool, layout: Layout) -> Code {
    let signature_doc = format!("`{} {}`", op.method.as_str(), op.path.raw);
    let method_doc_lines = doc_paragraph_lines(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(signature_doc.as_str()),
    ]);
    let items = OperationItems {
        api,
        op,
        method: format_ident!("{}", op.name),
        builder: format_ident!("{}", op.type_name),
        error_enum: format_ident!("{}Error", op.type_name),
        method_docs: attrs_of_lines(&method_doc_lines),
        method_doc_lines,
        deprecated: op.deprecated.then(|| quote! { #[deprecated] }),
        gate: if cargo_features {
            let feature = &op.feature;
            quote! { #[cfg(feature = #feature)] }
        } else {
            TokenStream::new()
        },
        cfg: if cargo_features {
            Gate::of(Some(&std::collections::BTreeSet::from([op
                .feature
                .clone()])))
        } else {
            Gate::none()
        },
        layout,
    };
    let members = builder::members(&items);
    let builder = items.builder_items(&members);
    let stream_alternative = items.stream_variant(&members);
    let success_enum = items.success_enum();
    let errors = items.error_enum_def();
    let from_response = items.error_dispatch();
    let mut code = builder;
    code.tokens(quote! {
        #stream_alternative
    });
    code.tokens(members.definitions.clone());
    code.tokens(quote! { #success_enum });
    code.append(errors);
    code.append(from_response);
    code
}
