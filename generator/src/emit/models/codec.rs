//! `Serialize` and `Deserialize` of structs through the runtime's `serialize_object!` and
//! `deserialize_object!` rather than serde's derive: a struct is a JSON object, read key by
//! key into its fields (the keys it does not declare into its map of other properties) and
//! written field by field (`None`s left out). serde's derive also writes sequence forms, a
//! field enum and, for the map of other properties, a buffering path through
//! `#[serde(flatten)]`; the runtime's impls are a fraction of that code to compile, decode
//! without buffering, and take one line per field here. Structs with flattened parts (an
//! `allOf` beside a union) keep the derive.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, Struct, Type, Usage};

/// The invocations for a struct without flattened parts; `extra` is its map of other
/// properties.
pub(super) fn impls(
    name: &Ident,
    s: &Struct,
    extra: Option<&Ident>,
    usage: Usage,
    gate: &TokenStream,
) -> TokenStream {
    let json: Vec<&String> = s.fields.iter().map(|f| &f.json_name).collect();
    let fields: Vec<Ident> = s
        .fields
        .iter()
        .map(|f| format_ident!("{}", f.name))
        .collect();
    let modes: Vec<Ident> = s.fields.iter().map(mode).collect();
    let indices = (0..s.fields.len()).map(Literal::usize_unsuffixed);
    let extra = extra.map(|extra| quote! { extra #extra });
    let serialize_gate = super::roundtrip_only(usage.serialize);
    let deserialize_gate = super::roundtrip_only(usage.deserialize);
    quote! {
        #gate
        #serialize_gate
        crate::runtime::serialize_object!(#name { #( #json => #fields: #modes, )* } #extra);
        #gate
        #deserialize_gate
        crate::runtime::deserialize_object!(#name { #( #indices #json => #fields: #modes, )* } #extra);
    }
}

/// How a field is read and written: `required` (must come), `nullable` (required, may be
/// `null`), `optional` (left out when `None`), `double` (PATCH bodies' `Option<Option<T>>`).
fn mode(field: &Field) -> Ident {
    let double = matches!(&field.ty, Type::Option(inner) if inner.is_option());
    let mode = match (double, field.ty.is_option(), field.required) {
        (true, _, _) => "double",
        (false, false, _) => "required",
        (false, true, true) => "nullable",
        (false, true, false) => "optional",
    };
    format_ident!("{}", mode)
}
