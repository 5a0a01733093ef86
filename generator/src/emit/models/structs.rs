//! Structs: a field per property (optional and nullable ones as `Option`s left out of JSON
//! when `None`), the properties the schema does not name in a map written back as they came,
//! and construction through `new`, setters and `Default` (see [`crate::emit::constructors`]).

use proc_macro2::Ident;
use quote::format_ident;

use crate::emit::code::string_literal;
use crate::emit::constructors::{constructors, Member, Role};
use crate::emit::docs::doc_lines;
use crate::emit::features::Gate;
use crate::emit::layout::{Lines, Shape};
use crate::emit::types::type_shape;
use crate::emit::Code;
use crate::ir::{Field, Implied, Struct, Type, TypeDef, TypeSpace, Usage};
use crate::naming::NameScope;

/// What the docs of the map of unknown properties say.
const ADDITIONAL_DOC: &str =
    " Properties the schema does not name, kept as they came and sent as they are.";

pub(super) fn struct_def(
    def: &TypeDef,
    s: &Struct,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
) -> Code {
    let name = format_ident!("{}", def.name);
    // Without flattened parts, the serde impls are written (see `codec`), and fields carry
    // no serde attributes.
    let written = s.fields.iter().all(|f| !f.flatten);
    let mut names = NameScope::new();
    let mut members = Vec::with_capacity(s.fields.len() + 1);
    for field in &s.fields {
        names.reserve(&field.name);
        members.push(Member {
            name: format_ident!("{}", field.name),
            role: role(field, types),
        });
    }
    let extra = s.additional.as_ref().map(|value| {
        (
            format_ident!("{}", names.claim("additional_properties")),
            value,
        )
    });
    if let Some((ident, _)) = &extra {
        members.push(Member {
            name: ident.clone(),
            role: Role::Defaulted,
        });
    }
    let mut code = Code::default();
    code.item(definition(def, s, extra.as_ref(), types, usage, gate));
    if written {
        let extra = extra.as_ref().map(|(i, _)| i);
        code.invocation(super::codec::impls(&name, s, extra, usage, gate));
    }
    code.append(constructors(&name, &members, gate));
    code
}

/// The struct itself; its serde impls derived, and its fields with serde attributes, when
/// some field is flattened.
fn definition(
    def: &TypeDef,
    s: &Struct,
    extra: Option<&(Ident, &Type)>,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
) -> Lines {
    let derived = s.fields.iter().any(|f| f.flatten);
    let serde = if derived {
        super::Serde::both(usage)
    } else {
        super::Serde::none(usage)
    };
    let mut lines = Lines::default();
    lines.docs(0, &doc_lines(def.description.as_deref()));
    lines.gate(gate);
    for attr in super::derives(serde) {
        lines.line(0, &attr);
    }
    lines.line(0, "#[non_exhaustive]");
    if s.fields.is_empty() && extra.is_none() {
        lines.unbreakable(0, &format!("pub struct {} {{}}", def.name));
        return lines;
    }
    lines.unbreakable(0, &format!("pub struct {} {{", def.name));
    for field in &s.fields {
        lines.docs(1, &doc_lines(field.description.as_deref()));
        if derived {
            for attr in serde_attributes(field) {
                lines.line(1, &attr);
            }
        }
        let ty = type_shape(&field.ty, types, "");
        lines.shape(1, &format!("pub {}: ", field.name), &ty, ",");
    }
    if let Some((ident, value)) = extra {
        lines.docs(1, &[ADDITIONAL_DOC.to_owned()]);
        if derived {
            lines.line(1, "#[serde(flatten)]");
        }
        let map = Shape::generic(
            "std::collections::BTreeMap",
            vec![Shape::word("String"), type_shape(value, types, "")],
        );
        lines.shape(1, &format!("pub {ident}: "), &map, ",");
    }
    lines.line(0, "}");
    lines
}

/// A field's serde attributes, when the struct's serde impls are derived.
fn serde_attributes(field: &Field) -> Vec<String> {
    if field.flatten {
        return vec!["#[serde(flatten)]".to_owned()];
    }
    let mut attrs = Vec::new();
    if field.name != field.json_name {
        attrs.push(format!(
            "#[serde(rename = {})]",
            string_literal(&field.json_name)
        ));
    }
    let double = matches!(&field.ty, Type::Option(inner) if inner.is_option());
    if double {
        attrs.push(
            "#[serde(default, skip_serializing_if = \"Option::is_none\", with = \"crate::runtime::double_option\")]"
                .to_owned(),
        );
    } else if field.is_optional() {
        attrs.push("#[serde(default, skip_serializing_if = \"Option::is_none\")]".to_owned());
    }
    attrs
}

/// How the constructors treat a field: an argument of `new` when required, filled in when
/// its value is implied, `None` with a setter when optional.
fn role(field: &Field, types: &TypeSpace) -> Role {
    let optional = field.is_optional();
    if let Some(value) = field
        .implied
        .as_ref()
        .and_then(|i| implied(i, field, types))
    {
        return Role::Implied(if optional {
            Shape::call("Some", vec![value])
        } else {
            value
        });
    }
    let ty = if optional {
        field.ty.clone().required()
    } else {
        field.ty.clone()
    };
    let shape = type_shape(&ty, types, "");
    if optional {
        Role::Optional(shape)
    } else {
        Role::Required(shape)
    }
}

/// The expression of an implied value, for a field of type `T` or `Option<T>`.
fn implied(implied: &Implied, field: &Field, types: &TypeSpace) -> Option<Shape> {
    let ty = field.ty.clone().required();
    match (implied, &ty) {
        (Implied::Variant(variant), Type::Named(_)) => Some(Shape::word(format!(
            "{}::{variant}",
            type_shape(&ty, types, "").flat()
        ))),
        (Implied::Text(text), Type::String) => Some(Shape::opaque(format!(
            "{}.to_owned()",
            string_literal(text)
        ))),
        _ => None,
    }
}

/// The fields `new` takes, in order: what a shorthand constructor of a union variant passes
/// on when there is exactly one.
pub(super) fn new_arguments(s: &Struct) -> Vec<&Field> {
    s.fields
        .iter()
        .filter(|f| {
            let optional = !f.required && f.ty.is_option();
            !optional && f.implied.is_none()
        })
        .collect()
}
