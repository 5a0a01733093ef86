//! `oneOf`/`anyOf`: alternatives. An `Option` when one branch is `null`, an open string enum
//! when every branch is a string, a discriminated union when the spec names a discriminator
//! (tags from the mapping, a branch's one-value property or the referenced schema's name), an
//! untagged union otherwise, its variants ordered so the narrowest decode first; and the
//! names of inline branches' types, which `allOf` uses too for the branches it flattens.

use std::collections::BTreeSet;

use openapiv3::{ReferenceOr, Schema, SchemaData, SchemaKind};

use super::all_of::ObjectParts;
use super::schema::{string_enum, Shape, TypeSpace};
use super::{Type, TypeId, TypeKind, Union, UnionVariant};
use crate::error::{Diagnostic, Error};
use crate::naming::{type_name, variant_name, NameScope};
use crate::pointer::Pointer;

/// A discriminator value and where its variant's schema is: a reference, or an inline branch.
type Tagged<'a> = (
    String,
    Option<String>,
    Option<(usize, &'a ReferenceOr<Schema>)>,
);

/// The name an inline branch's type starts from, and whether only its position gave it.
pub(super) struct BranchHint {
    hint: String,
    positional: bool,
}

impl TypeSpace {
    fn is_null(&self, branch: &ReferenceOr<Schema>) -> bool {
        match self.peek(branch) {
            Some(s) => {
                s.schema_data.nullable
                    && matches!(&s.schema_kind, SchemaKind::Any(a) if a.typ.is_none()
                        && a.properties.is_empty()
                        && a.one_of.is_empty()
                        && a.any_of.is_empty()
                        && a.all_of.is_empty())
            }
            None => false,
        }
    }

    /// `oneOf`/`anyOf`.
    pub(super) fn alternatives(
        &mut self,
        data: &SchemaData,
        branches: &[ReferenceOr<Schema>],
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        let non_null: Vec<(usize, &ReferenceOr<Schema>)> = branches
            .iter()
            .enumerate()
            .filter(|(_, b)| !self.is_null(b))
            .collect();
        let nullable = non_null.len() < branches.len();
        let shape = match non_null.as_slice() {
            [] => Shape::Type(Type::Json),
            [(i, only)] => {
                Shape::Type(self.convert(*only, hint, &at.push(i.to_string()), diagnostics)?)
            }
            _ => match self.string_alternatives(&non_null) {
                Some(shape) => shape,
                None => self.union(data, &non_null, hint, at, diagnostics)?,
            },
        };
        if !nullable {
            return Ok(shape);
        }
        // A null branch makes the whole optional; a definition gets its own name first.
        let ty = match shape {
            Shape::Type(ty) => ty,
            Shape::Def(kind) => {
                let name = self.names.claim(&type_name(&format!("{hint}Value")));
                let id = self.push(name, at.to_string());
                self.get_mut(id).kind = kind;
                Type::Named(id)
            }
        };
        Ok(Shape::Type(if ty == Type::Json {
            ty
        } else {
            ty.optional()
        }))
    }

    /// Alternatives that are all strings: one open enum of every listed value (the enum
    /// itself when one branch is a named enum and the others plain strings).
    fn string_alternatives(&self, branches: &[(usize, &ReferenceOr<Schema>)]) -> Option<Shape> {
        let mut values: Vec<String> = Vec::new();
        let mut named_enums = Vec::new();
        for (_, branch) in branches {
            let schema = self.peek(branch)?;
            let enumeration: Vec<String> = match &schema.schema_kind {
                SchemaKind::Type(openapiv3::Type::String(s)) => {
                    s.enumeration.iter().flatten().cloned().collect()
                }
                SchemaKind::Any(a) if a.typ.as_deref() == Some("string") => a
                    .enumeration
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect(),
                _ => return None,
            };
            if !enumeration.is_empty() {
                if let ReferenceOr::Reference { reference } = branch {
                    named_enums.push(reference.clone());
                }
            }
            values.extend(enumeration);
        }
        if values.is_empty() {
            return Some(Shape::Type(Type::String));
        }
        if let [reference] = named_enums.as_slice() {
            let all_others_plain = branches.iter().all(|(_, b)| match b {
                ReferenceOr::Reference { reference: r } => r == reference,
                ReferenceOr::Item(_) => true,
            });
            if all_others_plain {
                if let Some(id) = self.by_ref.get(reference) {
                    return Some(Shape::Type(Type::Named(*id)));
                }
            }
        }
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        Some(Shape::Def(TypeKind::Enum(string_enum(&values))))
    }

    /// A union: discriminated when the spec names a discriminator and every branch is a
    /// reference, untagged otherwise.
    fn union(
        &mut self,
        data: &SchemaData,
        branches: &[(usize, &ReferenceOr<Schema>)],
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        if let Some(discriminator) = &data.discriminator {
            if let Some(shape) =
                self.tagged_union(discriminator, branches, hint, at, diagnostics)?
            {
                return Ok(shape);
            }
            diagnostics.push(Diagnostic::note(
                at,
                "the discriminator cannot tell these variants apart (inline schemas without a single-valued tag, or a tag used twice); decoding tries each in turn",
            ));
        }

        let mut converted: Vec<(Type, usize, usize)> = Vec::new();
        let hints = self.branch_hints(branches, hint);
        for ((i, branch), branch_hint) in branches.iter().zip(hints) {
            let ty =
                self.convert_branch(branch, &branch_hint, &at.push(i.to_string()), diagnostics)?;
            let ty = ty.required();
            if converted.iter().any(|(t, _, _)| *t == ty) {
                continue;
            }
            let required = self
                .peek(branch)
                .map(|s| match &s.schema_kind {
                    SchemaKind::Type(openapiv3::Type::Object(o)) => o.required.len(),
                    SchemaKind::Any(a) => a.required.len(),
                    _ => 0,
                })
                .unwrap_or(0);
            converted.push((ty, required, *i));
        }
        if let [(only, _, _)] = converted.as_slice() {
            return Ok(Shape::Type(only.clone()));
        }
        // Decoding tries variants in order: exclusive scalars first, integers before
        // numbers, objects with more required properties before looser ones, catch-alls last.
        converted
            .sort_by_key(|(ty, required, index)| (self.rank(ty), usize::MAX - required, *index));
        let mut names = NameScope::new();
        let variants = converted
            .into_iter()
            .map(|(ty, _, _)| UnionVariant {
                name: names.claim(&self.variant_name_for(&ty, hint)),
                ty,
                tag: None,
            })
            .collect();
        Ok(Shape::Def(TypeKind::Union(Union {
            variants,
            discriminator: None,
        })))
    }

    /// The names of inline branches' types, from what each branch is, so that inserting a
    /// branch renames none of the others: its `title`, being a `oneOf`/`anyOf` (in an
    /// `allOf`), the one value of a property that allows one (`type: {const: text}`,
    /// preferring `type`), its single required property, its single property. A position
    /// (`{hint}Variant3`) only where none of these tells a branch apart from the others.
    pub(super) fn branch_hints(
        &self,
        branches: &[(usize, &ReferenceOr<Schema>)],
        hint: &str,
    ) -> Vec<BranchHint> {
        let named: Vec<Option<String>> = branches
            .iter()
            .map(|(_, branch)| match branch {
                ReferenceOr::Item(_) => self.branch_name(branch),
                ReferenceOr::Reference { .. } => None,
            })
            .collect();
        branches
            .iter()
            .zip(&named)
            .map(|((i, _), name)| match name {
                Some(name) if named.iter().filter(|n| n.as_ref() == Some(name)).count() == 1 => {
                    BranchHint {
                        hint: format!("{hint}{name}"),
                        positional: false,
                    }
                }
                _ => BranchHint {
                    hint: format!("{hint}Variant{}", i + 1),
                    positional: true,
                },
            })
            .collect()
    }

    /// What an inline branch is, as a name part (see [`Self::branch_hints`]).
    fn branch_name(&self, branch: &ReferenceOr<Schema>) -> Option<String> {
        let schema = self.peek(branch)?;
        if let Some(title) = &schema.schema_data.title {
            return Some(type_name(title)).filter(|n| !n.is_empty());
        }
        match &schema.schema_kind {
            SchemaKind::OneOf { .. } => return Some("OneOf".to_owned()),
            SchemaKind::AnyOf { .. } => return Some("AnyOf".to_owned()),
            SchemaKind::Any(a) if !a.one_of.is_empty() => return Some("OneOf".to_owned()),
            SchemaKind::Any(a) if !a.any_of.is_empty() => return Some("AnyOf".to_owned()),
            _ => {}
        }
        let mut parts = ObjectParts::default();
        if !self.collect_object(branch, &mut parts, &mut BTreeSet::new()) {
            return None;
        }
        let constant = |key: &String| self.fixed_tag(branch, key);
        let tag = parts
            .properties
            .get_key_value("type")
            .and_then(|(key, _)| constant(key))
            .or_else(|| parts.properties.keys().find_map(constant));
        if let Some(tag) = tag {
            return Some(type_name(&tag));
        }
        match (parts.required.as_slice(), parts.properties.len()) {
            ([only], _) => Some(type_name(only)),
            (_, 1) => parts.properties.keys().next().map(|only| type_name(only)),
            _ => None,
        }
    }

    /// A branch converted with its hint; a named type that only its position could name
    /// gets a note saying so.
    pub(super) fn convert_branch(
        &mut self,
        branch: &ReferenceOr<Schema>,
        branch_hint: &BranchHint,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Type, Error> {
        let ty = self.convert(branch, &branch_hint.hint, at, diagnostics)?;
        if let (Type::Named(id), ReferenceOr::Item(_)) = (ty.clone().required(), branch) {
            let name = &self.get(id).name;
            if branch_hint.positional && name.starts_with(&branch_hint.hint) {
                diagnostics.push(Diagnostic::note(
                    at,
                    format!("nothing names this branch (no $ref, title, one-value property or single required property): `{name}` is named by its position, and changes if a branch is inserted before it"),
                ));
            }
        }
        Ok(ty)
    }

    /// The discriminated union, or `None` when some inline branch has no fixed tag value.
    /// Tags come from the mapping, else from a branch's single-valued discriminator
    /// property, else from the referenced schema's name.
    fn tagged_union(
        &mut self,
        discriminator: &openapiv3::Discriminator,
        branches: &[(usize, &ReferenceOr<Schema>)],
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Shape>, Error> {
        let property = &discriminator.property_name;
        // Mapping values may be full references or bare schema names.
        let full = |target: &str| {
            if target.starts_with('#') {
                target.to_owned()
            } else {
                format!("#/components/schemas/{target}")
            }
        };
        let mut tagged: Vec<Tagged> = discriminator
            .mapping
            .iter()
            .map(|(tag, target)| (tag.clone(), Some(full(target)), None))
            .collect();
        for &(i, branch) in branches {
            let fixed = self.fixed_tag(branch, property);
            match branch {
                ReferenceOr::Reference { reference } => {
                    if tagged
                        .iter()
                        .any(|(_, r, _)| r.as_deref() == Some(reference.as_str()))
                    {
                        continue;
                    }
                    let name = reference.rsplit('/').next().unwrap_or(reference);
                    tagged.push((
                        fixed.unwrap_or_else(|| name.to_owned()),
                        Some(reference.clone()),
                        None,
                    ));
                }
                ReferenceOr::Item(_) => match fixed {
                    Some(tag) => tagged.push((tag, None, Some((i, branch)))),
                    None => return Ok(None),
                },
            }
        }
        // Variants follow the branches' order; the mapping's order means nothing (tags naming
        // the same branch, or a schema that is no branch, go by tag).
        let position = |(tag, reference, inline): &Tagged| {
            let branch = match (reference, inline) {
                (_, Some((i, _))) => Some(*i),
                (Some(reference), None) => branches.iter().find_map(|(i, b)| match b {
                    ReferenceOr::Reference { reference: r } if r == reference => Some(*i),
                    _ => None,
                }),
                (None, None) => None,
            };
            (branch.unwrap_or(usize::MAX), tag.clone())
        };
        tagged.sort_by_cached_key(position);
        let distinct: BTreeSet<&str> = tagged.iter().map(|(tag, _, _)| tag.as_str()).collect();
        if distinct.len() < tagged.len() {
            // Two variants share a tag: the tag cannot tell them apart.
            return Ok(None);
        }
        let mut names = NameScope::new();
        names.reserve("Unknown");
        let mut variants = Vec::with_capacity(tagged.len());
        for (tag, reference, inline) in tagged {
            let name = names.claim(&variant_name(&tag, variants.len()));
            let ty = match (reference, inline) {
                (Some(reference), _) => self.resolve(&reference, at)?,
                (None, Some((i, branch))) => self.convert(
                    branch,
                    &format!("{hint}{name}"),
                    &at.push(i.to_string()),
                    diagnostics,
                )?,
                (None, None) => Type::Json,
            };
            variants.push(UnionVariant {
                name,
                ty,
                tag: Some(tag),
            });
        }
        Ok(Some(Shape::Def(TypeKind::Union(Union {
            variants,
            discriminator: Some(property.to_owned()),
        }))))
    }

    /// The one value a branch's discriminator property may take (`enum: [x]` or `const`).
    fn fixed_tag(&self, branch: &ReferenceOr<Schema>, property: &str) -> Option<String> {
        let mut parts = ObjectParts::default();
        if !self.collect_object(branch, &mut parts, &mut BTreeSet::new()) {
            return None;
        }
        let schema = match parts.properties.get(property)? {
            ReferenceOr::Item(s) => s.as_ref(),
            ReferenceOr::Reference { reference } => {
                self.peek(self.raw.get(reference).map(std::sync::Arc::as_ref)?)?
            }
        };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => match s.enumeration.as_slice() {
                [Some(only)] => Some(only.clone()),
                _ => None,
            },
            SchemaKind::Any(a) => match a.enumeration.as_slice() {
                [serde_json::Value::String(only)] => Some(only.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// Where a branch goes in an untagged union: the narrowest types first, so serde tries
    /// them before the ones that would accept anything.
    fn rank(&self, ty: &Type) -> u8 {
        self.rank_through(ty, &mut BTreeSet::new())
    }

    /// [`Self::rank`], following aliases; `seen` holds the aliases already followed, so an
    /// alias loop (`A = B`, `B = A`) ends, ranked as an untyped value.
    fn rank_through(&self, ty: &Type, seen: &mut BTreeSet<TypeId>) -> u8 {
        match ty {
            Type::Bool => 0,
            Type::Integer(_) => 1,
            Type::Number => 2,
            Type::Uuid | Type::DateTime | Type::Date => 3,
            Type::String => 5,
            Type::Named(id) => match &self.get(*id).kind {
                TypeKind::Enum(_) => 4,
                TypeKind::Alias(inner) if seen.insert(*id) => self.rank_through(inner, seen),
                TypeKind::Alias(_) => 9,
                _ => 6,
            },
            Type::Boxed(inner) | Type::Option(inner) => self.rank_through(inner, seen),
            Type::Array(_) | Type::Bytes => 7,
            Type::Map(_) => 8,
            Type::Json => 9,
        }
    }

    /// A variant name from a type: the referenced type's name, or the primitive's.
    fn variant_name_for(&self, ty: &Type, hint: &str) -> String {
        match ty {
            Type::String => "String".into(),
            Type::Bool => "Boolean".into(),
            Type::Integer(_) => "Integer".into(),
            Type::Number => "Number".into(),
            Type::Uuid => "Uuid".into(),
            Type::DateTime => "DateTime".into(),
            Type::Date => "Date".into(),
            Type::Bytes => "Bytes".into(),
            Type::Json => "Value".into(),
            Type::Named(id) => {
                let name = &self.get(*id).name;
                match name.strip_prefix(hint) {
                    Some(rest)
                        if !rest.is_empty() && !rest.starts_with(|c: char| c.is_ascii_digit()) =>
                    {
                        rest.to_owned()
                    }
                    _ => name.clone(),
                }
            }
            Type::Array(inner) => format!("{}Array", self.variant_name_for(inner, hint)),
            Type::Map(inner) => format!("{}Map", self.variant_name_for(inner, hint)),
            Type::Option(inner) | Type::Boxed(inner) => self.variant_name_for(inner, hint),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::error::Severity;
    use crate::ir::testing::{alias, convert, def, id, union};
    use crate::ir::{IntegerKind, Type, TypeKind, TypeSpace};

    fn named(types: &TypeSpace, name: &str) -> Type {
        Type::Named(id(types, name))
    }

    /// The variants of union `name`: name, type and tag.
    fn variants(types: &TypeSpace, name: &str) -> Vec<(String, Type, Option<String>)> {
        union(types, name)
            .variants
            .iter()
            .map(|v| (v.name.clone(), v.ty.clone(), v.tag.clone()))
            .collect()
    }

    /// The names of union `name`'s variants, in order.
    fn variant_names(types: &TypeSpace, name: &str) -> Vec<String> {
        variants(types, name).into_iter().map(|v| v.0).collect()
    }

    const PETS: &str = "
Cat:
  type: object
  required: [petType]
  properties:
    petType: {type: string, enum: [cat]}
    purrs: {type: boolean}
Dog:
  type: object
  required: [petType]
  properties:
    petType: {type: string}
    barks: {type: boolean}
";

    #[test]
    fn a_null_branch_makes_the_other_optional() {
        let (types, diagnostics) = convert(
            "
Name: {oneOf: [{type: string}, {type: 'null'}]}
Count: {anyOf: [{nullable: true}, {type: integer}]}
",
        );
        assert_eq!(alias(&types, "Name"), &Type::String.optional());
        assert_eq!(
            alias(&types, "Count"),
            &Type::Integer(IntegerKind::I64).optional()
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_null_branch_beside_a_union_names_the_union_and_makes_it_optional() {
        let (types, _) = convert(&format!(
            "{PETS}
Pet:
  oneOf:
    - $ref: '#/components/schemas/Cat'
    - $ref: '#/components/schemas/Dog'
    - type: 'null'
"
        ));
        assert_eq!(alias(&types, "Pet"), &named(&types, "PetValue").optional());
        assert_eq!(variant_names(&types, "PetValue"), ["Cat", "Dog"]);
        assert_eq!(
            def(&types, "PetValue").pointer,
            "#/components/schemas/Pet/oneOf"
        );
    }

    #[test]
    fn no_alternatives_or_only_null_is_a_json_value() {
        let (types, _) = convert(
            "
Empty: {oneOf: []}
OnlyNull: {anyOf: [{type: 'null'}]}
",
        );
        assert_eq!(alias(&types, "Empty"), &Type::Json);
        // `null` is a JSON value already: no `Option` around it.
        assert_eq!(alias(&types, "OnlyNull"), &Type::Json);
    }

    #[test]
    fn a_single_alternative_is_that_type() {
        let (types, _) = convert(&format!(
            "{PETS}
JustCat: {{oneOf: [{{$ref: '#/components/schemas/Cat'}}]}}
"
        ));
        assert_eq!(alias(&types, "JustCat"), &named(&types, "Cat"));
    }

    #[test]
    fn string_alternatives_are_one_open_enum_of_every_value() {
        let (types, _) = convert(
            "
Color: {type: string, enum: [red, green]}
Shade: {type: string, enum: [dark]}
Size: {oneOf: [{type: string, enum: [small, large]}, {type: string, enum: [huge]}]}
ColorOrAny: {anyOf: [{$ref: '#/components/schemas/Color'}, {type: string}]}
Tone: {anyOf: [{$ref: '#/components/schemas/Color'}, {$ref: '#/components/schemas/Shade'}]}
Text: {anyOf: [{type: string}, {type: string, format: email}]}
",
        );
        let values = |name| match &def(&types, name).kind {
            TypeKind::Enum(e) => e.variants.iter().map(|v| v.value.clone()).collect(),
            other => panic!("{name} is not an enum: {other:?}"),
        };
        let size: Vec<String> = values("Size");
        assert_eq!(size, ["small", "large", "huge"]);
        // One named enum, otherwise any string: the enum itself (it is open already).
        assert_eq!(alias(&types, "ColorOrAny"), &named(&types, "Color"));
        // Two named enums: a new enum of both.
        let tone: Vec<String> = values("Tone");
        assert_eq!(tone, ["red", "green", "dark"]);
        assert_eq!(alias(&types, "Text"), &Type::String);
    }

    #[test]
    fn untagged_variants_are_ordered_narrowest_first() {
        let (types, _) = convert(&format!(
            "{PETS}
Color: {{type: string, enum: [red]}}
Anything:
  anyOf:
    - {{type: object, additionalProperties: {{type: string}}}}
    - {{type: string}}
    - {{type: array, items: {{type: integer}}}}
    - {{$ref: '#/components/schemas/Cat'}}
    - {{type: number}}
    - {{$ref: '#/components/schemas/Color'}}
    - {{type: integer}}
    - {{type: string, format: date-time}}
    - {{type: boolean}}
"
        ));
        let anything = union(&types, "Anything");
        assert_eq!(anything.discriminator, None);
        assert!(anything.variants.iter().all(|v| v.tag.is_none()));
        // Exclusive scalars, then enums, strings, objects, arrays and maps: a variant that
        // accepts more is tried after the ones it would shadow.
        assert_eq!(
            variant_names(&types, "Anything"),
            [
                "Boolean",
                "Integer",
                "Number",
                "DateTime",
                "Color",
                "String",
                "Cat",
                "IntegerArray",
                "StringMap"
            ]
        );
    }

    #[test]
    fn objects_with_more_required_properties_are_tried_first() {
        let (types, _) = convert(
            "
Loose: {type: object, required: [a], properties: {a: {type: string}}}
Strict:
  type: object
  required: [a, b]
  properties: {a: {type: string}, b: {type: string}}
Other: {type: object, required: [c], properties: {c: {type: string}}}
Either:
  oneOf:
    - $ref: '#/components/schemas/Loose'
    - $ref: '#/components/schemas/Strict'
    - $ref: '#/components/schemas/Other'
",
        );
        // Ties keep the spec's order.
        assert_eq!(
            variant_names(&types, "Either"),
            ["Strict", "Loose", "Other"]
        );
    }

    #[test]
    fn alternatives_of_one_rust_type_are_one_variant() {
        let (types, _) = convert(
            "
Nickname: {type: string, nullable: true}
Amount: {oneOf: [{type: integer}, {type: integer, minimum: 0}, {type: boolean}]}
Whole: {oneOf: [{type: integer, format: int64}, {type: integer}]}
NameOrId: {oneOf: [{$ref: '#/components/schemas/Nickname'}, {type: integer}]}
",
        );
        assert_eq!(
            variants(&types, "Amount"),
            [
                ("Boolean".into(), Type::Bool, None),
                ("Integer".into(), Type::Integer(IntegerKind::I64), None),
            ]
        );
        // Left with one: that type, no union.
        assert_eq!(alias(&types, "Whole"), &Type::Integer(IntegerKind::I64));
        // Which variant matched says the value is there: no `Option` inside a variant.
        assert_eq!(
            variants(&types, "NameOrId"),
            [
                ("Integer".into(), Type::Integer(IntegerKind::I64), None),
                ("Nickname".into(), named(&types, "Nickname"), None),
            ]
        );
    }

    #[test]
    fn inline_alternatives_are_named_by_what_they_are() {
        let (types, diagnostics) = convert(
            "
Tool:
  oneOf:
    - type: object
      required: [type, function]
      properties:
        type: {type: string, enum: [function]}
        function: {type: string}
    - type: object
      title: Web search
      properties: {max_results: {type: integer}, engine: {type: string}}
    - type: object
      required: [computer]
      properties: {computer: {type: string}, display: {type: string}}
    - type: object
      properties: {shell: {type: string}}
    - oneOf: [{type: integer}, {type: boolean}]
",
        );
        let mut named: Vec<(String, String)> = union(&types, "Tool")
            .variants
            .iter()
            .map(|v| match v.ty {
                Type::Named(id) => (v.name.clone(), types.get(id).name.clone()),
                ref other => panic!("{} is not a named type: {other:?}", v.name),
            })
            .collect();
        named.sort();
        // The type is named after the union and the branch; the variant after the branch.
        assert_eq!(
            named,
            [
                ("Computer".into(), "ToolComputer".into()),
                ("Function".into(), "ToolFunction".into()),
                ("OneOf".into(), "ToolOneOf".into()),
                ("Shell".into(), "ToolShell".into()),
                ("WebSearch".into(), "ToolWebSearch".into()),
            ]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn alternatives_nothing_tells_apart_are_named_by_position_with_a_note() {
        let (types, diagnostics) = convert(
            "
Tool:
  oneOf:
    - {type: object, title: Same, properties: {a: {type: string}}}
    - {type: object, title: Same, properties: {b: {type: string}}}
    - {type: object, properties: {a: {type: string}, b: {type: string}}}
",
        );
        assert_eq!(
            variant_names(&types, "Tool"),
            ["Variant1", "Variant2", "Variant3"]
        );
        assert_eq!(
            def(&types, "ToolVariant2").pointer,
            "#/components/schemas/Tool/oneOf/1"
        );
        let noted: Vec<(&str, Severity)> = diagnostics
            .iter()
            .map(|d| (d.pointer.as_str(), d.severity))
            .collect();
        assert_eq!(
            noted,
            [
                ("#/components/schemas/Tool/oneOf/0", Severity::Note),
                ("#/components/schemas/Tool/oneOf/1", Severity::Note),
                ("#/components/schemas/Tool/oneOf/2", Severity::Note),
            ]
        );
    }

    #[test]
    fn a_discriminator_mapping_gives_the_tags() {
        let (types, diagnostics) = convert(&format!(
            "{PETS}
Pet:
  oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
  discriminator:
    propertyName: petType
    mapping: {{kitty: Cat, doggo: '#/components/schemas/Dog'}}
"
        ));
        let pet = union(&types, "Pet");
        assert_eq!(pet.discriminator.as_deref(), Some("petType"));
        // Bare schema names and full references both name the schema.
        assert_eq!(
            variants(&types, "Pet"),
            [
                ("Kitty".into(), named(&types, "Cat"), Some("kitty".into())),
                ("Doggo".into(), named(&types, "Dog"), Some("doggo".into())),
            ]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn without_a_mapping_a_tag_is_the_one_value_of_the_property_or_the_schema_name() {
        let (types, _) = convert(&format!(
            "{PETS}
Pet:
  oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
  discriminator: {{propertyName: petType}}
"
        ));
        assert_eq!(
            variants(&types, "Pet"),
            [
                ("Cat".into(), named(&types, "Cat"), Some("cat".into())),
                ("Dog".into(), named(&types, "Dog"), Some("Dog".into())),
            ]
        );
    }

    #[test]
    fn tagged_variants_follow_the_alternatives_not_the_mapping() {
        let (types, _) = convert(&format!(
            "{PETS}
Bird: {{type: object, properties: {{petType: {{type: string}}}}}}
Pet:
  oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
  discriminator:
    propertyName: petType
    mapping: {{parrot: Bird, dog: Dog, kitty: Cat, cat: Cat}}
"
        ));
        // Tags of one alternative go by tag; a mapped schema that is no alternative comes last.
        let tags: Vec<(Option<String>, Type)> = variants(&types, "Pet")
            .into_iter()
            .map(|(_, ty, tag)| (tag, ty))
            .collect();
        assert_eq!(
            tags,
            [
                (Some("cat".into()), named(&types, "Cat")),
                (Some("kitty".into()), named(&types, "Cat")),
                (Some("dog".into()), named(&types, "Dog")),
                (Some("parrot".into()), named(&types, "Bird")),
            ]
        );
    }

    #[test]
    fn an_inline_alternative_with_a_one_value_tag_joins_the_discriminated_union() {
        let (types, _) = convert(
            "
Square:
  type: object
  properties: {kind: {type: string, enum: [square]}, side: {type: number}}
Shape:
  oneOf:
    - type: object
      properties: {kind: {type: string, enum: [circle]}, radius: {type: number}}
    - $ref: '#/components/schemas/Square'
  discriminator: {propertyName: kind}
",
        );
        assert_eq!(
            variants(&types, "Shape"),
            [
                (
                    "Circle".into(),
                    named(&types, "ShapeCircle"),
                    Some("circle".into())
                ),
                (
                    "Square".into(),
                    named(&types, "Square"),
                    Some("square".into())
                ),
            ]
        );
        assert_eq!(
            def(&types, "ShapeCircle").pointer,
            "#/components/schemas/Shape/oneOf/0"
        );
    }

    #[test]
    fn a_discriminator_that_cannot_tell_alternatives_apart_is_untagged_with_a_note() {
        let (types, diagnostics) = convert(
            "
Left: {type: object, properties: {kind: {type: string, enum: [same]}, l: {type: string}}}
Right: {type: object, properties: {kind: {type: string, enum: [same]}, r: {type: string}}}
SharedTag:
  oneOf: [{$ref: '#/components/schemas/Left'}, {$ref: '#/components/schemas/Right'}]
  discriminator: {propertyName: kind}
Untagged:
  oneOf:
    - $ref: '#/components/schemas/Left'
    - {type: object, properties: {kind: {type: string}, u: {type: string}}}
  discriminator: {propertyName: kind}
",
        );
        for name in ["SharedTag", "Untagged"] {
            let u = union(&types, name);
            assert_eq!(u.discriminator, None, "{name}");
            assert!(u.variants.iter().all(|v| v.tag.is_none()), "{name}");
            assert!(
                diagnostics.iter().any(|d| d.severity == Severity::Note
                    && d.pointer == format!("#/components/schemas/{name}/oneOf")
                    && d.message.contains("discriminator cannot tell")),
                "{name}: {diagnostics:?}"
            );
        }
        assert_eq!(variant_names(&types, "SharedTag"), ["Left", "Right"]);
    }

    #[test]
    fn unknown_is_left_for_tags_the_spec_does_not_list() {
        let (types, _) = convert(&format!(
            "{PETS}
Pet:
  oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
  discriminator: {{propertyName: petType, mapping: {{unknown: Cat, dog: Dog}}}}
"
        ));
        assert_eq!(variant_names(&types, "Pet"), ["Unknown2", "Dog"]);
    }

    #[test]
    fn an_alternative_in_a_reference_loop_ranks_as_a_json_value() {
        // Ranking follows aliases; `Ping = Pong`, `Pong = Ping` must end.
        let (types, _) = convert(
            "
Ping: {$ref: '#/components/schemas/Pong'}
Pong: {$ref: '#/components/schemas/Ping'}
Either: {oneOf: [{$ref: '#/components/schemas/Ping'}, {type: string}]}
",
        );
        assert_eq!(
            variants(&types, "Either"),
            [
                ("String".into(), Type::String, None),
                ("Ping".into(), named(&types, "Ping"), None),
            ]
        );
    }
}
