//! Type rendering: an IR [`Type`] as the Rust type the generated code writes, and a
//! response's [`Decoded`] body as its Rust type and the runtime function that reads it.

use proc_macro2::TokenStream;

use super::layout::Shape;
use crate::ir::{Decoded, IntegerKind, Type, TypeSpace};

/// The Rust type for an IR type as tokens, for the items built with `quote`; named types
/// are referred to as `{prefix}Name`.
pub fn type_tokens(ty: &Type, types: &TypeSpace, prefix: &str) -> TokenStream {
    super::code::tokens_of(&type_shape(ty, types, prefix).flat())
}

/// The Rust type for an IR type as `prettyplease` breaks it (generic arguments are its
/// parts); named types are referred to as `{prefix}Name`.
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
    type_tokens(ty, types, "crate::models::")
}

/// A decoded response body: its Rust type, and the runtime's `Response` function that
/// reads it.
pub struct BodyDecoder {
    pub ty: Shape,
    pub decode: &'static str,
}

pub fn decoder(decoded: &Decoded, types: &TypeSpace) -> BodyDecoder {
    let (ty, decode) = match decoded {
        Decoded::Empty => (Shape::word("()"), "Response::empty"),
        Decoded::Json(ty) => (type_shape(ty, types, "crate::models::"), "Response::json"),
        Decoded::Text => (Shape::word("String"), "Response::text"),
        Decoded::Bytes => (Shape::word("bytes::Bytes"), "Response::bytes"),
    };
    BodyDecoder { ty, decode }
}
