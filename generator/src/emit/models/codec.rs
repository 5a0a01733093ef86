//! `Serialize` and `Deserialize` of structs through the runtime's `serialize_object!` and
//! `deserialize_object!` rather than serde's derive: a struct is a JSON object, read key by
//! key into its fields (the keys it does not declare into its map of other properties) and
//! written field by field (`None`s left out). serde's derive also writes sequence forms, a
//! field enum and, for the map of other properties, a buffering path through
//! `#[serde(flatten)]`; the runtime's impls are a fraction of that code to compile, decode
//! without buffering, and take one line per field here, laid out as text. Structs with
//! flattened parts (an `allOf` beside a union) keep the derive.

use std::fmt::Write;

use proc_macro2::{Ident, Literal};

use crate::ir::{Field, Struct, Type, Usage};

/// The invocations for a struct without flattened parts, laid out as text (see
/// [`crate::emit::code`]), one field per line; `extra` is its map of other properties and
/// `gate` the `cfg` line of its features.
pub(super) fn impls(
    name: &Ident,
    s: &Struct,
    extra: Option<&Ident>,
    usage: Usage,
    gate: &str,
) -> String {
    let extra = extra
        .map(|extra| format!(" extra {extra}"))
        .unwrap_or_default();
    let mut out = String::new();
    for (used, index, which) in [
        (usage.serialize, false, "serialize_object"),
        (usage.deserialize, true, "deserialize_object"),
    ] {
        out.push_str(gate);
        if !used {
            out.push_str("#[cfg(feature = \"roundtrip\")]\n");
        }
        let _ = write!(out, "crate::runtime::{which}!({name} {{");
        out.push_str(if s.fields.is_empty() { "" } else { "\n" });
        for (i, field) in s.fields.iter().enumerate() {
            let json = Literal::string(&field.json_name);
            let field_name = &field.name;
            let mode = mode(field);
            out.push_str("    ");
            if index {
                let _ = write!(out, "{i} ");
            }
            let _ = writeln!(out, "{json} => {field_name}: {mode},");
        }
        let _ = writeln!(out, "}}{extra});");
    }
    out
}

/// How a field is read and written: `required` (must come), `nullable` (required, may be
/// `null`), `optional` (left out when `None`), `double` (PATCH bodies' `Option<Option<T>>`).
fn mode(field: &Field) -> &'static str {
    let double = matches!(&field.ty, Type::Option(inner) if inner.is_option());
    match (double, field.ty.is_option(), field.required) {
        (true, _, _) => "double",
        (false, false, _) => "required",
        (false, true, true) => "nullable",
        (false, true, false) => "optional",
    }
}
