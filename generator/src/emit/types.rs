//! Type rendering: an IR [`Type`] as the Rust type the generated code writes, and a
//! response's [`Decoded`] body as its Rust type and the runtime function that reads it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::layout::Shape;
use crate::ir::{Decoded, IntegerKind, Type, TypeSpace};

/// The Rust type for an IR type; named types are referred to as `#prefix::Name`.
pub fn type_tokens(ty: &Type, types: &TypeSpace, prefix: &TokenStream) -> TokenStream {
    match ty {
        Type::String => quote! { String },
        Type::Bool => quote! { bool },
        Type::Integer(IntegerKind::I32) => quote! { i32 },
        Type::Integer(IntegerKind::I64) => quote! { i64 },
        Type::Number => quote! { f64 },
        Type::Uuid => quote! { uuid::Uuid },
        Type::DateTime => quote! { chrono::DateTime<chrono::FixedOffset> },
        Type::Date => quote! { chrono::NaiveDate },
        Type::Bytes => quote! { bytes::Bytes },
        Type::Json => quote! { serde_json::Value },
        Type::Named(id) => {
            let name = format_ident!("{}", types.get(*id).name);
            quote! { #prefix #name }
        }
        Type::Array(item) => {
            let item = type_tokens(item, types, prefix);
            quote! { Vec<#item> }
        }
        Type::Map(value) => {
            let value = type_tokens(value, types, prefix);
            quote! { std::collections::BTreeMap<String, #value> }
        }
        Type::Option(inner) => {
            let inner = type_tokens(inner, types, prefix);
            quote! { Option<#inner> }
        }
        Type::Boxed(inner) => {
            let inner = type_tokens(inner, types, prefix);
            quote! { Box<#inner> }
        }
    }
}

/// [`type_tokens`] as `prettyplease` prints it on one line, for the items laid out as text
/// (see [`super::layout`]); named types are referred to as `{prefix}Name`.
pub fn type_text(ty: &Type, types: &TypeSpace, prefix: &str) -> String {
    type_shape(ty, types, prefix).flat()
}

/// [`type_tokens`] as `prettyplease` breaks it: generic arguments are its parts.
pub fn type_shape(ty: &Type, types: &TypeSpace, prefix: &str) -> Shape {
    let word = |w: &str| Shape::word(w);
    match ty {
        Type::String => word("String"),
        Type::Bool => word("bool"),
        Type::Integer(IntegerKind::I32) => word("i32"),
        Type::Integer(IntegerKind::I64) => word("i64"),
        Type::Number => word("f64"),
        Type::Uuid => word("uuid::Uuid"),
        Type::DateTime => Shape::generic("chrono::DateTime", vec![word("chrono::FixedOffset")]),
        Type::Date => word("chrono::NaiveDate"),
        Type::Bytes => word("bytes::Bytes"),
        Type::Json => word("serde_json::Value"),
        Type::Named(id) => Shape::word(format!("{prefix}{}", types.get(*id).name)),
        Type::Array(item) => Shape::generic("Vec", vec![type_shape(item, types, prefix)]),
        Type::Map(value) => Shape::generic(
            "std::collections::BTreeMap",
            vec![word("String"), type_shape(value, types, prefix)],
        ),
        Type::Option(inner) => Shape::generic("Option", vec![type_shape(inner, types, prefix)]),
        Type::Boxed(inner) => Shape::generic("Box", vec![type_shape(inner, types, prefix)]),
    }
}

/// A type of `models.rs` as code in another module of the crate names it.
pub fn model_type(ty: &Type, types: &TypeSpace) -> TokenStream {
    type_tokens(ty, types, &quote! { crate::models:: })
}

/// A decoded response body: its Rust type, and the runtime's `Response` function that
/// reads it.
pub struct BodyDecoder {
    pub ty: TokenStream,
    pub decode: TokenStream,
}

pub fn decoder(decoded: &Decoded, types: &TypeSpace) -> BodyDecoder {
    let (ty, decode) = match decoded {
        Decoded::Empty => (quote! { () }, quote! { Response::empty }),
        Decoded::Json(ty) => (model_type(ty, types), quote! { Response::json }),
        Decoded::Text => (quote! { String }, quote! { Response::text }),
        Decoded::Bytes => (quote! { bytes::Bytes }, quote! { Response::bytes }),
    };
    BodyDecoder { ty, decode }
}
