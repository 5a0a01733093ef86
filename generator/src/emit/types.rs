//! Type rendering: an IR [`Type`] as the Rust type the generated code writes, and a
//! response's [`Decoded`] body as its Rust type and the runtime function that reads it.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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

/// [`type_tokens`] as `prettyplease` prints it, for the items laid out as text (see
/// [`super::layout`]); named types are referred to as `{prefix}Name`.
pub fn type_text(ty: &Type, types: &TypeSpace, prefix: &str) -> String {
    let mut out = String::new();
    write_type(&mut out, ty, types, prefix);
    out
}

fn write_type(out: &mut String, ty: &Type, types: &TypeSpace, prefix: &str) {
    let (open, inner) = match ty {
        Type::String => return out.push_str("String"),
        Type::Bool => return out.push_str("bool"),
        Type::Integer(IntegerKind::I32) => return out.push_str("i32"),
        Type::Integer(IntegerKind::I64) => return out.push_str("i64"),
        Type::Number => return out.push_str("f64"),
        Type::Uuid => return out.push_str("uuid::Uuid"),
        Type::DateTime => return out.push_str("chrono::DateTime<chrono::FixedOffset>"),
        Type::Date => return out.push_str("chrono::NaiveDate"),
        Type::Bytes => return out.push_str("bytes::Bytes"),
        Type::Json => return out.push_str("serde_json::Value"),
        Type::Named(id) => {
            out.push_str(prefix);
            return out.push_str(&types.get(*id).name);
        }
        Type::Array(item) => ("Vec<", item),
        Type::Map(value) => ("std::collections::BTreeMap<String, ", value),
        Type::Option(inner) => ("Option<", inner),
        Type::Boxed(inner) => ("Box<", inner),
    };
    out.push_str(open);
    write_type(out, inner, types, prefix);
    out.push('>');
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
