//! String enums: a unit variant per value the spec lists and `Other(String)` for any value
//! added later. `as_str`, `From<&str>`/`From<String>`, `Debug`, comparison and hashing (by
//! the JSON value) and the serde impls come from the runtime's `string_enum!`, a line per
//! variant (laid out as text) instead of their expansion.
//!
//! Each enum is an alias of a generic definition it shares with the enums that list the same
//! variants (`ir::shared_enums`): `pub type Name = NameValues<site::Name>;`, its marker in the
//! `site` module at the end of the file; the generic enum is written beside the first of
//! its aliases.

use std::fmt::Write;

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::super::features::{gate as feature_gate, gate_text_at, Gate};
use crate::emit::layout::{Layout, Lines, Shape};
use crate::emit::Code;
use crate::ir::{Enum, SharedEnum, TypeDef, TypeKind, TypeSpace, Variant};

pub(super) fn enum_def(
    def: &TypeDef,
    (docs, doc_lines): (TokenStream, &[String]),
    e: &Enum,
    types: &TypeSpace,
    gate: &Gate,
    cargo_features: bool,
    layout: Layout,
) -> Code {
    let gate_all = gate;
    let (gate, gate_text) = (&gate.tokens, &gate.text);
    let name = format_ident!("{}", def.name);
    let Some(shared) = e.shared.map(|id| types.shared_enum(id)) else {
        // IR not made by `ir::build`, which gives every string enum a definition.
        let idents = variant_idents(&e.variants);
        let mut code = Code::from(quote! {
            #gate
            #docs
            #[derive(Clone)]
            #[non_exhaustive]
            pub enum #name {
                #( #idents, )*
                /// A value this version of the client does not know, kept as sent.
                Other(String),
            }
        });
        code.text(string_enum(gate_text, &name.to_string(), &e.variants));
        return code;
    };
    let shape = format_ident!("{}", shared.name);
    let mut code = Code::default();
    let alias = (layout == Layout::Text)
        .then(|| {
            let mut lines = Lines::default();
            lines.gate(gate_all);
            lines.docs(0, doc_lines);
            let generic = Shape::generic(
                shared.name.clone(),
                vec![Shape::word(format!("site::{}", def.name))],
            );
            lines.shape(0, &format!("pub type {} = ", def.name), &generic, ";");
            lines.finish()
        })
        .flatten();
    match alias {
        Some(text) => code.text(text),
        None => code.tokens(quote! {
            #gate
            #docs
            pub type #name = #shape<site::#name>;
        }),
    }
    if types.get(shared.sites[0]).name == def.name {
        code.append(shared_def(&shape, shared, types, cargo_features, layout));
    }
    code
}

/// The invocation of the runtime's `string_enum!` for `name` (`Name` or `NameValues<Site>`),
/// laid out as text (see [`crate::emit::code`]), one variant per line.
fn string_enum(gate: &str, name: &str, variants: &[Variant]) -> String {
    let mut out = format!("{gate}crate::runtime::string_enum!({name} {{\n");
    for (ident, variant) in variant_idents(variants).iter().zip(variants) {
        let _ = writeln!(
            out,
            "    {ident} = {},",
            crate::emit::code::string_literal(&variant.value)
        );
    }
    out.push_str("});\n");
    out
}

/// The generic enum that the string enums of `shared` are aliases of.
fn shared_def(
    shape: &Ident,
    shared: &SharedEnum,
    types: &TypeSpace,
    cargo_features: bool,
    layout: Layout,
) -> Code {
    let gate_all = if cargo_features {
        Gate::of(shared.features.as_ref())
    } else {
        Gate::none()
    };
    let (gate, gate_text) = (&gate_all.tokens, &gate_all.text);
    let idents = variant_idents(&shared.variants);
    let mut names: Vec<String> = shared
        .sites
        .iter()
        .take(3)
        .map(|site| format!("`{}`", types.get(*site).name))
        .collect();
    let doc = if let [only] = names.as_slice() {
        format!(
            " The values of the string enum {only}, an alias of this enum with its marker from \
             `site`: name it, not this enum, whose name can change when the spec does."
        )
    } else {
        if shared.sites.len() > names.len() {
            names.push(format!("{} more", shared.sites.len() - names.len()));
        }
        format!(
            " The values of {} string enums: {}. Each is an alias of this enum with a marker of \
             its own from `site`, so each stays a type of its own; name them, not this enum, \
             whose name can change when the spec does.",
            shared.sites.len(),
            names.join(", ")
        )
    };
    let text = (layout == Layout::Text)
        .then(|| {
            let mut lines = Lines::default();
            lines.gate(&gate_all);
            lines.docs(0, std::slice::from_ref(&doc));
            lines.line(0, "#[non_exhaustive]");
            let generic = Shape::generic(shape.to_string(), vec![Shape::word("Site")]);
            lines.shape(0, "pub enum ", &generic, " {");
            for ident in &idents {
                lines.unbreakable(1, &format!("{ident},"));
            }
            lines.docs(
                1,
                &[" A value this version of the client does not know, kept as sent.".to_owned()],
            );
            lines.line(1, "Other(String),");
            lines.docs(
                1,
                &[
                    " Never present: it only carries the marker that keeps the aliases apart."
                        .to_owned(),
                ],
            );
            lines.line(1, "#[doc(hidden)]");
            lines.line(
                1,
                "__Site(std::convert::Infallible, std::marker::PhantomData<Site>),",
            );
            lines.line(0, "}");
            lines.finish()
        })
        .flatten();
    let mut code = Code::default();
    match text {
        Some(text) => code.text(text),
        None => code.tokens(quote! {
            #gate
            #[doc = #doc]
            #[non_exhaustive]
            pub enum #shape<Site> {
                #( #idents, )*
                /// A value this version of the client does not know, kept as sent.
                Other(String),
                /// Never present: it only carries the marker that keeps the aliases apart.
                #[doc(hidden)]
                __Site(std::convert::Infallible, std::marker::PhantomData<Site>),
            }
        }),
    }
    code.text(string_enum(
        gate_text,
        &format!("{shape}<Site>"),
        &shared.variants,
    ));
    code
}

/// The `site` module: the marker of each string enum, named after it; nothing when the
/// spec has no string enum. Laid out as text where `layout` allows.
pub(super) fn site_markers(types: &TypeSpace, cargo_features: bool, layout: Layout) -> Code {
    let mut code = Code::default();
    if !types.has_string_enums() {
        return code;
    }
    let defs: Vec<&TypeDef> = super::sorted(types)
        .into_iter()
        .filter(|def| {
            matches!(
                &def.kind,
                TypeKind::Enum(Enum {
                    shared: Some(_),
                    ..
                })
            )
        })
        .collect();
    let doc = [
        " Markers of the string enums, one per enum and named after it, which keep apart the",
        " enums that share a generic definition.",
    ];
    if layout == Layout::Text {
        let mut lines = Lines::default();
        lines.docs(0, &doc.map(str::to_owned));
        lines.line(0, "pub mod site {");
        for def in &defs {
            let features = def.features.as_ref().filter(|_| cargo_features);
            let Some(gate) = gate_text_at(features, 1) else {
                lines.give_up();
                break;
            };
            lines.verbatim(&gate);
            lines.docs(1, &[marker_doc(def)]);
            lines.unbreakable(1, &format!("pub enum {} {{}}", def.name));
        }
        lines.line(0, "}");
        if let Some(text) = lines.finish() {
            code.text(text);
            return code;
        }
    }
    let markers = defs.iter().map(|def| {
        let gate = if cargo_features {
            feature_gate(def.features.as_ref())
        } else {
            TokenStream::new()
        };
        let name = format_ident!("{}", def.name);
        let doc = marker_doc(def);
        quote! {
            #gate
            #[doc = #doc]
            pub enum #name {}
        }
    });
    code.tokens(quote! {
        /// Markers of the string enums, one per enum and named after it, which keep apart the
        /// enums that share a generic definition.
        pub mod site {
            #( #markers )*
        }
    });
    code
}

fn marker_doc(def: &TypeDef) -> String {
    format!(
        " The marker of [`super::{}`], which keeps it a type of its own.",
        def.name
    )
}

fn variant_idents(variants: &[Variant]) -> Vec<Ident> {
    variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect()
}
