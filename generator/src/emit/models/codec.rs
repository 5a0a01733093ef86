//! `Serialize` and `Deserialize` of structs and unions through the runtime's macros rather
//! than serde's derive or code written out per type, laid out as text one entry per line.
//!
//! Structs (`serialize_object!`, `deserialize_object!`): a struct is a JSON object, read key
//! by key into its fields (the keys it does not declare into its map of other properties)
//! and written field by field (`None`s left out). serde's derive also writes sequence forms,
//! a field enum and, for the map of other properties, a buffering path through
//! `#[serde(flatten)]`; the runtime's impls are a fraction of that code to compile and
//! decode without buffering. Structs with flattened parts (an `allOf` beside a union) keep
//! the derive.
//!
//! Unions (`serialize_tagged_union!`, `deserialize_tagged_union!`,
//! `serialize_untagged_union!`, `deserialize_untagged_union!`): a variant per tag, or per
//! kind of JSON, one line each.

use std::fmt::Write;

use proc_macro2::Ident;

use crate::emit::code::string_literal;
use crate::emit::features::Gate;

use crate::ir::{Field, Struct, Type, Usage};

/// The invocations for a struct without flattened parts, laid out as text (see
/// [`crate::emit::code`]), one field per line; `extra` is its map of other properties and
/// `gate` the `cfg` of its features.
pub(super) fn impls(
    name: &Ident,
    s: &Struct,
    extra: Option<&Ident>,
    usage: Usage,
    gate: &Gate,
) -> String {
    let extra = extra
        .map(|extra| format!(" extra {extra}"))
        .unwrap_or_default();
    let mut out = String::new();
    for (used, which) in [
        (usage.serialize, "serialize_object"),
        (usage.deserialize, "deserialize_object"),
    ] {
        head(&mut out, gate, used);
        let _ = write!(out, "crate::runtime::{which}!({name} {{");
        out.push_str(if s.fields.is_empty() { "" } else { "\n" });
        for field in &s.fields {
            let json = string_literal(&field.json_name);
            let field_name = &field.name;
            let mode = mode(field);
            let _ = writeln!(out, "    {json} => {field_name}: {mode},");
        }
        let _ = writeln!(out, "}}{extra});");
    }
    out
}

/// The `cfg` of an invocation: the type's features, and `roundtrip` for a direction the
/// type is not `used` in.
fn head(out: &mut String, gate: &Gate, used: bool) {
    if used {
        out.push_str(&gate.text);
    } else {
        out.push_str(&gate.and("feature = \"roundtrip\""));
    }
}

/// Both impls of a discriminated union whose `property` holds each variant's tag; an
/// object with another tag is the union's `Unknown`.
pub(super) fn tagged_union(
    name: &Ident,
    property: &str,
    variants: &[(&str, &Ident)],
    usage: Usage,
    gate: &Gate,
) -> String {
    let property = string_literal(property);
    let mut out = String::new();
    for (used, which) in [
        (usage.serialize, "serialize_tagged_union"),
        (usage.deserialize, "deserialize_tagged_union"),
    ] {
        head(&mut out, gate, used);
        let _ = writeln!(out, "crate::runtime::{which}!({name} {property} {{");
        for (tag, variant) in variants {
            let _ = writeln!(out, "    {} => {variant},", string_literal(tag));
        }
        out.push_str("});\n");
    }
    out
}

/// Both impls of an untagged union: `Serialize` writes the value a variant holds;
/// `Deserialize` tries the variants by the kind of JSON each takes (a `VariantKind` of the
/// runtime: `String`, or `Struct["a", "b"]` with the struct's declared properties).
pub(super) fn untagged_union(
    name: &Ident,
    variants: &[(&Ident, String)],
    usage: Usage,
    gate: &Gate,
) -> String {
    let mut out = String::new();
    head(&mut out, gate, usage.serialize);
    let names: Vec<String> = variants.iter().map(|(v, _)| v.to_string()).collect();
    let _ = writeln!(
        out,
        "crate::runtime::serialize_untagged_union!({name} {{ {} }});",
        names.join(", ")
    );
    head(&mut out, gate, usage.deserialize);
    let _ = writeln!(out, "crate::runtime::deserialize_untagged_union!({name} {{");
    for (variant, kind) in variants {
        let _ = writeln!(out, "    {variant}: {kind},");
    }
    out.push_str("});\n");
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
