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
use quote::format_ident;

use super::docs::doc_paragraph_lines;
use super::features::Gate;
use super::layout::Lines;
use super::Code;
use crate::ir::{Api, Operation};

/// A run of the file's items; `head` adds what opens the file (module docs, imports). With
/// `cargo_features`, each operation's items compile under its feature.
pub fn emit_part(api: &Api, ops: &[Operation], head: bool, cargo_features: bool) -> Code {
    let mut code = Code::default();
    if head {
        let mut lines = Lines::default();
        lines.line(
            0,
            "//! One request builder per operation, and the error responses each documents.",
        );
        if !api.operations.is_empty() {
            // Used by every operation: imported when any operation's feature is on.
            let features: std::collections::BTreeSet<String> =
                api.operations.iter().map(|op| op.feature.clone()).collect();
            // `Client` is the crate's own (see `client.rs`), the rest the runtime's.
            let gate = Gate::of(Some(&features));
            for import in [
                "use crate::runtime::{Error, Request, Response};",
                "use crate::Client;",
            ] {
                if cargo_features {
                    lines.gate(&gate);
                }
                lines.line(0, import);
            }
        }
        code.item(lines);
    }
    for op in ops {
        code.append(operation(api, op, cargo_features));
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
    method_doc_lines: Vec<String>,
    /// The `cfg` every item of the operation carries: its feature.
    cfg: Gate,
    /// The same, for the items built with `quote`.
    gate: TokenStream,
}

fn operation(api: &Api, op: &Operation, cargo_features: bool) -> Code {
    let signature_doc = format!("`{} {}`", op.method.as_str(), op.path.raw);
    let method_doc_lines = doc_paragraph_lines(&[
        op.summary.as_deref(),
        op.description.as_deref(),
        Some(signature_doc.as_str()),
    ]);
    let cfg = if cargo_features {
        Gate::of(Some(&std::collections::BTreeSet::from([op
            .feature
            .clone()])))
    } else {
        Gate::none()
    };
    let items = OperationItems {
        api,
        op,
        method: format_ident!("{}", op.name),
        builder: format_ident!("{}", op.type_name),
        error_enum: format_ident!("{}Error", op.type_name),
        method_doc_lines,
        gate: cfg.tokens(),
        cfg,
    };
    let members = builder::members(&items);
    let mut code = items.builder_items(&members);
    if let Some(stream_variant) = items.stream_variant(&members) {
        code.tokens(stream_variant);
    }
    code.append(members.definitions);
    if let Some(success_enum) = items.success_enum() {
        code.item(success_enum);
    }
    code.item(items.error_enum_def());
    code.item(items.error_dispatch());
    code
}
