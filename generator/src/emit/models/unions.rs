//! Unions (`oneOf`/`anyOf`): discriminated ones decode by their tag and keep an unknown tag's
//! object as JSON; untagged ones try first the variant whose struct knows every property.
//! A variant that fails to decode names the place inside it that failed. Each union also
//! gets conversions from its variants' types (`From<&str>` for a string branch, so
//! `content: "Hello".into()`) and, for a variant whose struct needs one value, a shorthand
//! constructor named after it (`Message::user("Hello")`).

use proc_macro2::Ident;
use quote::format_ident;

use super::codec;
use super::structs::new_arguments;
use crate::emit::features::Gate;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::emit::types::type_shape;
use crate::emit::Code;
use crate::ir::{Type, TypeKind, TypeSpace, Union, UnionVariant, Usage};
use crate::naming::reserved::{self, MODEL_METHODS};
use crate::naming::snake_name;

/// A union being emitted: its name, IR and the idents of its variants.
struct UnionItems<'a> {
    name: &'a Ident,
    union: &'a Union,
    types: &'a TypeSpace,
    usage: Usage,
    /// The `cfg` every item of the union carries.
    gate: &'a Gate,
    idents: Vec<Ident>,
}

pub(super) fn union_def(
    name: &Ident,
    doc_lines: &[String],
    u: &Union,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
) -> Code {
    let items = UnionItems {
        name,
        union: u,
        types,
        usage,
        gate,
        idents: u
            .variants
            .iter()
            .map(|v| format_ident!("{}", v.name))
            .collect(),
    };
    // Variants hold whole structs by value: boxing them to even out the enum's size would
    // make every match and construction clumsier for a type decoded once per response
    // (`models.rs` allows `clippy::large_enum_variant` once, at its top).
    let mut code = match &u.discriminator {
        Some(property) => items.tagged(doc_lines, property),
        None => items.untagged(doc_lines),
    };
    code.append(items.conversions());
    if let Some(shorthands) = items.shorthands() {
        code.item(shorthands);
    }
    code
}

impl UnionItems<'_> {
    fn tagged(&self, doc_lines: &[String], property: &str) -> Code {
        let tags: Vec<&str> = self
            .union
            .variants
            .iter()
            .map(|v| v.tag.as_deref().unwrap_or(&v.name))
            .collect();
        let mut lines = self.enum_head(doc_lines);
        for ((tag, ident), v) in tags.iter().zip(&self.idents).zip(&self.union.variants) {
            lines.docs(1, &[format!(" `{property}: {tag:?}`")]);
            let ty = type_shape(&v.ty, self.types, "");
            lines.shape(1, "", &Shape::call(ident.to_string(), vec![ty]), ",");
        }
        lines.docs(
            1,
            &[format!(
                " An object whose `{property}` this client does not know, kept as sent."
            )],
        );
        lines.line(1, "Unknown(serde_json::Value),");
        lines.line(0, "}");
        let mut code = Code::default();
        code.item(lines);
        let variants: Vec<(&str, &Ident)> = tags.iter().copied().zip(&self.idents).collect();
        code.invocation(codec::tagged_union(
            self.name, property, &variants, self.usage, self.gate,
        ));
        code
    }

    /// An untagged union: decoding tries first the variants that take the value's kind of
    /// JSON, and among structs the ones whose declared properties cover the object's (so a
    /// looser struct never takes the fields of a stricter one into its map of unknown
    /// properties); a value none decodes gets the error of the best fit, with its place.
    fn untagged(&self, doc_lines: &[String]) -> Code {
        let mut lines = self.enum_head(doc_lines);
        for (ident, v) in self.idents.iter().zip(&self.union.variants) {
            let ty = type_shape(&v.ty, self.types, "");
            lines.shape(1, "", &Shape::call(ident.to_string(), vec![ty]), ",");
        }
        lines.line(0, "}");
        let mut code = Code::default();
        code.item(lines);
        let variants: Vec<(&Ident, String)> = self
            .idents
            .iter()
            .zip(&self.union.variants)
            .map(|(ident, v)| (ident, variant_kind(&v.ty, self.types)))
            .collect();
        code.invocation(codec::untagged_union(
            self.name, &variants, self.usage, self.gate,
        ));
        code
    }

    /// The lines that open the union's enum, up to `pub enum Name {`: its docs, `cfg` and
    /// derives (its serde impls are the runtime's macros, see `codec`).
    fn enum_head(&self, doc_lines: &[String]) -> Lines {
        let mut lines = Lines::default();
        lines.docs(0, doc_lines);
        lines.gate(self.gate);
        lines.line(0, "#[derive(Debug, Clone, PartialEq)]");
        lines.line(0, "#[non_exhaustive]");
        if self.union.variants.is_empty() {
            // `pub enum Name {}` on one line, which `prettyplease` would print.
            lines.unknown_layout();
        }
        lines.unbreakable(0, &format!("pub enum {} {{", self.name));
        lines
    }

    /// `From` each variant's type whose Rust type no other variant has, aliases followed
    /// (boxing where the variant holds a box), and `From<&str>` when a variant is a `String`.
    fn conversions(&self) -> Code {
        let variants = &self.union.variants;
        let mut code = Code::default();
        let rust_type = |ty| self.types.unaliased(ty);
        for (variant, ident) in variants.iter().zip(&self.idents) {
            let unique = variants
                .iter()
                .filter(|v| rust_type(&v.ty) == rust_type(&variant.ty))
                .count()
                == 1;
            if !unique || variant.ty == Type::Json || self.is_self(&variant.ty) {
                continue;
            }
            let (from, boxed) = match &variant.ty {
                Type::Boxed(inner) => (inner.as_ref(), true),
                other => (other, false),
            };
            let wrap = if boxed {
                Shape::call("Box::new", vec![Shape::word("value")])
            } else {
                Shape::word("value")
            };
            code.item(self.conversion(type_shape(from, self.types, ""), ident, wrap));
            if variant.ty == Type::String {
                let wrap = Shape::opaque("value.to_owned()");
                code.item(self.conversion(Shape::word("&str"), ident, wrap));
            }
        }
        code
    }

    /// `impl From<from> for Union`: into `variant`, the value wrapped (boxed, owned) as the
    /// variant holds it.
    fn conversion(&self, from: Shape, variant: &Ident, wrap: Shape) -> Lines {
        let name = self.name;
        let mut lines = Lines::default();
        lines.gate(self.gate);
        lines.impl_header(
            &Shape::generic("From", vec![from.clone()]),
            &name.to_string(),
        );
        let value = Labelled::new("value: ", from);
        lines.signature(1, "fn from(", &[value], " -> Self {");
        let body = Shape::call(format!("{name}::{variant}"), vec![wrap]);
        lines.shape(2, "", &body, "");
        lines.line(1, "}");
        lines.line(0, "}");
        lines
    }

    /// Whether a variant's type is the union itself (through aliases), whose `From` the
    /// standard library already has.
    fn is_self(&self, ty: &Type) -> bool {
        let target = self.name.to_string();
        let mut ty = ty.clone();
        for _ in 0..16 {
            match ty {
                Type::Boxed(inner) | Type::Option(inner) => ty = *inner,
                Type::Named(id) => {
                    let def = self.types.get(id);
                    if def.name == target {
                        return true;
                    }
                    match &def.kind {
                        TypeKind::Alias(inner) => ty = inner.clone(),
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        false
    }

    /// For each variant whose struct's `new` takes one value: a constructor named after the
    /// variant that takes that value (`Message::user("Hello")`); `None` when there is none.
    fn shorthands(&self) -> Option<Lines> {
        let name = self.name;
        let mut methods = reserved::scope(MODEL_METHODS);
        let shorthands: Vec<Shorthand> = self
            .union
            .variants
            .iter()
            .zip(&self.idents)
            .filter_map(|(variant, ident)| {
                let (id, boxed) = struct_of(variant)?;
                let TypeKind::Struct(s) = &self.types.get(id).kind else {
                    return None;
                };
                let arguments = new_arguments(s);
                let [only] = arguments.as_slice() else {
                    return None;
                };
                Some(Shorthand {
                    method: methods.claim(&snake_name(&variant.name)),
                    variant: ident,
                    argument: only.ty.clone(),
                    strukt: &self.types.get(id).name,
                    boxed,
                    doc: format!(" `{name}::{ident}` from its one required value."),
                })
            })
            .collect();
        if shorthands.is_empty() {
            return None;
        }
        let mut lines = Lines::default();
        lines.gate(self.gate);
        lines.unbreakable(0, &format!("impl {name} {{"));
        for s in &shorthands {
            lines.docs(1, std::slice::from_ref(&s.doc));
            let argument = type_shape(&s.argument, self.types, "");
            let value = Labelled::new("value: ", Shape::generic("impl Into", vec![argument]));
            lines.signature(1, &format!("pub fn {}(", s.method), &[value], " -> Self {");
            let mut value = Shape::call(format!("{}::new", s.strukt), vec![Shape::word("value")]);
            if s.boxed {
                value = Shape::call("Box::new", vec![value]);
            }
            let body = Shape::call(format!("{name}::{}", s.variant), vec![value]);
            lines.shape(2, "", &body, "");
            lines.line(1, "}");
        }
        lines.line(0, "}");
        Some(lines)
    }
}

/// A constructor of a union from the one value its variant's struct needs.
struct Shorthand<'a> {
    method: String,
    variant: &'a Ident,
    /// The type of that value.
    argument: Type,
    /// The variant's struct, built by its `new` from the value, and boxed when the variant
    /// holds a box.
    strukt: &'a str,
    boxed: bool,
    doc: String,
}

/// The struct a variant holds, and whether it is boxed.
fn struct_of(variant: &UnionVariant) -> Option<(crate::ir::TypeId, bool)> {
    match &variant.ty {
        Type::Named(id) => Some((*id, false)),
        Type::Boxed(inner) => match inner.as_ref() {
            Type::Named(id) => Some((*id, true)),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of JSON a variant takes (`Struct` with its declared properties, for ranking
/// structs against an object), as the runtime's `VariantKind` in a
/// `deserialize_untagged_union!` entry.
fn variant_kind(ty: &Type, types: &TypeSpace) -> String {
    let mut ty = ty;
    for _ in 0..16 {
        let kind = match ty {
            Type::Boxed(inner) | Type::Option(inner) => {
                ty = inner;
                continue;
            }
            Type::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => {
                    ty = inner;
                    continue;
                }
                TypeKind::Struct(s) if s.fields.iter().all(|f| !f.flatten) => {
                    let keys: Vec<String> = s
                        .fields
                        .iter()
                        .map(|f| crate::emit::code::string_literal(&f.json_name))
                        .collect();
                    return format!("Struct[{}]", keys.join(", "));
                }
                TypeKind::Struct(_) => "Object",
                TypeKind::Enum(_) => "String",
                TypeKind::Union(_) => "Any",
            },
            Type::String | Type::Uuid | Type::DateTime | Type::Date => "String",
            Type::Integer(_) | Type::Number => "Number",
            Type::Bool => "Boolean",
            Type::Array(_) => "Array",
            Type::Map(_) => "Object",
            Type::Bytes | Type::Json => "Any",
        };
        return kind.to_owned();
    }
    "Any".to_owned()
}
