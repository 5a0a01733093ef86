//! `models.rs`: a struct, enum or alias per named type, each kind in a module of its own:
//!
//! - `structs`: objects, with a map of the properties the schema does not name,
//!   constructors and setters;
//! - `enums`: string enums, open to values added later (`Other(String)`);
//! - `unions`: `oneOf`/`anyOf`, discriminated or untagged, with conversions and shorthand
//!   constructors.
//!
//! Structs and enums are `#[non_exhaustive]`: a field or variant a later spec adds breaks
//! no code written against this one (construction goes through `new`, `Default` and the
//! setters, matches need a `_` arm).

mod codec;
mod enums;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::type_tokens;
use crate::ir::{Type, TypeDef, TypeKind, TypeSpace, Usage};

/// The whole file.
pub fn emit(types: &TypeSpace) -> TokenStream {
    let defs = sorted(types);
    emit_part(types, &defs, true, true, true)
}

/// The named types in the order the file lists them (by name).
pub fn sorted(types: &TypeSpace) -> Vec<&TypeDef> {
    let mut defs: Vec<&TypeDef> = types.iter().map(|(_, d)| d).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// A run of the file's items; `head` adds what opens the file (its module docs), `tail` what
/// closes it (the `site` module of markers). Without `cargo_features`, every model derives
/// both serde traits (no `roundtrip` gate).
pub fn emit_part(
    types: &TypeSpace,
    defs: &[&TypeDef],
    head: bool,
    tail: bool,
    cargo_features: bool,
) -> TokenStream {
    let head = head.then(|| {
        quote! { //! The API's data types, one per schema.
        }
    });
    let items = defs.iter().map(|def| {
        let usage = if cargo_features {
            def.usage
        } else {
            Usage {
                serialize: true,
                deserialize: true,
            }
        };
        let gate = if cargo_features {
            super::features::gate(def.features.as_ref())
        } else {
            TokenStream::new()
        };
        type_def(def, types, usage, &gate, cargo_features)
    });
    let tail = tail.then(|| enums::site_markers(types, cargo_features));
    quote! {
        #head
        #( #items )*
        #tail
    }
}

fn type_def(
    def: &TypeDef,
    types: &TypeSpace,
    usage: Usage,
    gate: &TokenStream,
    cargo_features: bool,
) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.description.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => structs::struct_def(&name, docs, s, types, usage, gate),
        TypeKind::Enum(e) => enums::enum_def(def, docs, e, types, gate, cargo_features),
        TypeKind::Union(u) => unions::union_def(&name, docs, u, types, usage, gate),
        TypeKind::Newtype(inner) => {
            let ty = type_tokens(inner, types, &TokenStream::new());
            let from_str = (*inner == Type::String).then(|| {
                quote! {
                    #gate
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name(value.to_owned())
                        }
                    }
                }
            });
            let derives = derives(Serde::both(usage));
            quote! {
                #gate
                #docs
                #derives
                #[serde(transparent)]
                pub struct #name(pub #ty);

                #gate
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        #name(value)
                    }
                }
                #from_str
            }
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, types, &TokenStream::new());
            quote! {
                #gate
                #docs
                pub type #name = #ty;
            }
        }
    }
}

/// Which serde traits a type derives: those of the directions it is used in, and under the
/// crate's `roundtrip` feature the others too.
#[derive(Clone, Copy)]
struct Serde {
    serialize: bool,
    deserialize: bool,
    usage: Usage,
}

impl Serde {
    /// Both traits by derive.
    fn both(usage: Usage) -> Self {
        Serde {
            serialize: true,
            deserialize: true,
            usage,
        }
    }
}

/// `#[derive(Debug, Clone, PartialEq, <serde>)]`, and a `cfg_attr` deriving the
/// serde traits of the directions the type is not used in under `roundtrip`.
fn derives(serde: Serde) -> TokenStream {
    let mut derived = vec![quote! { Debug }, quote! { Clone }, quote! { PartialEq }];
    let mut roundtrip = Vec::new();
    for (wanted, used, path) in [
        (
            serde.serialize,
            serde.usage.serialize,
            quote! { serde::Serialize },
        ),
        (
            serde.deserialize,
            serde.usage.deserialize,
            quote! { serde::Deserialize },
        ),
    ] {
        match (wanted, used) {
            (true, true) => derived.push(path),
            (true, false) => roundtrip.push(path),
            (false, _) => {}
        }
    }
    let roundtrip = (!roundtrip.is_empty()).then(|| {
        quote! { #[cfg_attr(feature = "roundtrip", derive( #( #roundtrip ),* ))] }
    });
    quote! {
        #[derive( #( #derived ),* )]
        #roundtrip
    }
}

/// For a hand-written serde impl: `#[cfg(feature = "roundtrip")]` when the type is not
/// used in that direction.
fn roundtrip_only(used: bool) -> Option<TokenStream> {
    (!used).then(|| quote! { #[cfg(feature = "roundtrip")] })
}
