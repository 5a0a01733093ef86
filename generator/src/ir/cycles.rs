//! Breaking reference cycles: a struct that contains itself, directly or through other
//! structs, has infinite size; the field that closes the cycle is boxed.
//! `Vec` and maps already put their items on the heap and need no box. An alias that refers
//! to itself (`A = Vec<A>`) becomes a newtype struct first, since type aliases cannot recurse.

use std::collections::BTreeSet;

use super::{Type, TypeId, TypeKind, TypeSpace};
use crate::error::Diagnostic;
use crate::pointer::Pointer;

/// The named types a type holds inline (not behind a `Vec`, map or box).
fn inline_targets(ty: &Type) -> Option<TypeId> {
    match ty {
        Type::Named(id) => Some(*id),
        Type::Option(inner) => inline_targets(inner),
        _ => None,
    }
}

fn direct_edges(types: &TypeSpace, id: TypeId) -> Vec<TypeId> {
    match &types.get(id).kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| inline_targets(&f.ty))
            .collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => inline_targets(ty).into_iter().collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| inline_targets(&v.ty))
            .collect(),
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Whether `from` reaches `to` through inline edges.
fn reaches(types: &TypeSpace, from: TypeId, to: TypeId) -> bool {
    let mut stack = vec![from];
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if id == to {
            return true;
        }
        if seen.insert(id) {
            stack.extend(direct_edges(types, id));
        }
    }
    false
}

fn boxed(ty: Type) -> Type {
    match ty {
        Type::Option(inner) => Type::Option(Box::new(boxed(*inner))),
        other => Type::Boxed(Box::new(other)),
    }
}

/// Whether alias `id` refers back to itself through aliases alone.
fn alias_recurses(types: &TypeSpace, id: TypeId) -> bool {
    let mut stack = Vec::new();
    if let TypeKind::Alias(ty) = &types.get(id).kind {
        ty.named_ids(&mut stack);
    }
    let mut seen = BTreeSet::new();
    while let Some(next) = stack.pop() {
        if next == id {
            return true;
        }
        if seen.insert(next) {
            if let TypeKind::Alias(ty) = &types.get(next).kind {
                ty.named_ids(&mut stack);
            }
        }
    }
    false
}

/// Whether alias `id` is only a chain of references back to itself (`A = B`, `B = A`,
/// `A = Option<A>`): such a schema describes no value, so any JSON is accepted.
fn pure_loop(types: &TypeSpace, id: TypeId) -> bool {
    let mut current = id;
    let mut seen = BTreeSet::new();
    loop {
        let TypeKind::Alias(ty) = &types.get(current).kind else {
            return false;
        };
        match inline_targets(ty) {
            Some(next) if next == id => return true,
            Some(next) if seen.insert(next) => current = next,
            _ => return false,
        }
    }
}

/// Turns self-referring aliases into newtypes, then boxes every struct field (and alias)
/// that closes a cycle of inline containment.
pub fn break_cycles(types: &mut TypeSpace, diagnostics: &mut Vec<Diagnostic>) {
    let loops: Vec<TypeId> = types
        .iter()
        .map(|(id, _)| id)
        .filter(|id| pure_loop(types, *id))
        .collect();
    for id in loops {
        let def = types.get_mut(id);
        def.kind = TypeKind::Alias(Type::Json);
        diagnostics.push(Diagnostic::warning(
            &Pointer::parse_owned(&def.pointer),
            "this schema only refers to itself through references and describes no value; using serde_json::Value",
        ));
    }
    let recursive: Vec<TypeId> = types
        .iter()
        .map(|(id, _)| id)
        .filter(|id| alias_recurses(types, *id))
        .collect();
    for id in recursive {
        let def = types.get_mut(id);
        if let TypeKind::Alias(ty) = &def.kind {
            def.kind = TypeKind::Newtype(ty.clone());
        }
    }
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let closing: Vec<usize> = match &types.get(id).kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .enumerate()
                .filter(|(_, f)| inline_targets(&f.ty).is_some_and(|t| reaches(types, t, id)))
                .map(|(i, _)| i)
                .collect(),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
                if inline_targets(ty).is_some_and(|t| reaches(types, t, id)) {
                    vec![0]
                } else {
                    Vec::new()
                }
            }
            TypeKind::Union(u) => u
                .variants
                .iter()
                .enumerate()
                .filter(|(_, v)| inline_targets(&v.ty).is_some_and(|t| reaches(types, t, id)))
                .map(|(i, _)| i)
                .collect(),
            TypeKind::Enum(_) => Vec::new(),
        };
        let def = types.get_mut(id);
        for i in closing {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    let f = &mut s.fields[i];
                    f.ty = boxed(std::mem::replace(&mut f.ty, Type::Json));
                }
                TypeKind::Alias(ty) | TypeKind::Newtype(ty) => {
                    // Something that is only itself (`A = A`) has no meaning; any JSON.
                    *ty = if inline_targets(ty) == Some(id) {
                        Type::Json
                    } else {
                        boxed(std::mem::replace(ty, Type::Json))
                    };
                }
                TypeKind::Union(u) => {
                    let v = &mut u.variants[i];
                    v.ty = boxed(std::mem::replace(&mut v.ty, Type::Json));
                }
                TypeKind::Enum(_) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use crate::ir::testing::{convert, def, field, id, strukt, union};
    use crate::ir::IntegerKind;

    /// The component schemas converted, then their cycles broken; the diagnostics are the
    /// breaking's alone.
    fn broken(schemas: &str) -> (TypeSpace, Vec<Diagnostic>) {
        let (mut types, _) = convert(schemas);
        let mut diagnostics = Vec::new();
        break_cycles(&mut types, &mut diagnostics);
        (types, diagnostics)
    }

    fn named(types: &TypeSpace, name: &str) -> Type {
        Type::Named(id(types, name))
    }

    fn boxed_named(types: &TypeSpace, name: &str) -> Type {
        Type::Boxed(Box::new(named(types, name)))
    }

    /// The type of the field for property `property` of struct `name`.
    fn field_ty(types: &TypeSpace, name: &str, property: &str) -> Type {
        field(strukt(types, name), property).ty.clone()
    }

    #[test]
    fn a_struct_that_holds_itself_boxes_that_field_inside_its_option() {
        let (types, diagnostics) = broken(
            "
Node:
  type: object
  properties:
    value: {type: integer}
    next: {$ref: '#/components/schemas/Node'}
Link:
  type: object
  required: [next]
  properties:
    next: {$ref: '#/components/schemas/Link'}
",
        );
        assert_eq!(
            field_ty(&types, "Node", "next"),
            boxed_named(&types, "Node").optional()
        );
        assert_eq!(
            field_ty(&types, "Node", "value"),
            Type::Integer(IntegerKind::I64).optional()
        );
        assert_eq!(
            field_ty(&types, "Link", "next"),
            boxed_named(&types, "Link")
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn arrays_and_maps_hold_a_cycle_without_a_box() {
        let (types, _) = broken(
            "
Tree:
  type: object
  required: [children]
  properties:
    children: {type: array, items: {$ref: '#/components/schemas/Tree'}}
    byName: {type: object, additionalProperties: {$ref: '#/components/schemas/Tree'}}
",
        );
        let tree = named(&types, "Tree");
        assert_eq!(
            field_ty(&types, "Tree", "children"),
            Type::Array(Box::new(tree.clone()))
        );
        assert_eq!(
            field_ty(&types, "Tree", "byName"),
            Type::Map(Box::new(tree)).optional()
        );
    }

    #[test]
    fn one_box_breaks_a_cycle_at_the_first_of_its_types() {
        let (types, _) = broken(
            "
Person:
  type: object
  properties:
    employer: {$ref: '#/components/schemas/Company'}
    name: {type: string}
Company:
  type: object
  required: [ceo]
  properties:
    ceo: {$ref: '#/components/schemas/Person'}
Office:
  type: object
  required: [company]
  properties:
    company: {$ref: '#/components/schemas/Company'}
First: {type: object, properties: {next: {$ref: '#/components/schemas/Second'}}}
Second: {type: object, properties: {next: {$ref: '#/components/schemas/Third'}}}
Third: {type: object, properties: {next: {$ref: '#/components/schemas/First'}}}
",
        );
        // Ids follow the schemas' names, so `Company` comes before `Person`: its field is
        // boxed, and with it boxed `Person` holds a finite `Company`.
        assert_eq!(
            field_ty(&types, "Company", "ceo"),
            boxed_named(&types, "Person")
        );
        assert_eq!(
            field_ty(&types, "Person", "employer"),
            named(&types, "Company").optional()
        );
        // Outside the cycle: holding it is finite already.
        assert_eq!(
            field_ty(&types, "Office", "company"),
            named(&types, "Company")
        );
        assert_eq!(field_ty(&types, "Person", "name"), Type::String.optional());
        // A longer cycle: one box too.
        assert_eq!(
            field_ty(&types, "First", "next"),
            boxed_named(&types, "Second").optional()
        );
        assert_eq!(
            field_ty(&types, "Second", "next"),
            named(&types, "Third").optional()
        );
        assert_eq!(
            field_ty(&types, "Third", "next"),
            named(&types, "First").optional()
        );
    }

    #[test]
    fn a_cycle_through_a_union_is_broken_at_its_variant() {
        let (types, _) = broken(
            "
Expr: {oneOf: [{type: integer}, {$ref: '#/components/schemas/Sum'}]}
Sum:
  type: object
  required: [left, right]
  properties:
    left: {$ref: '#/components/schemas/Expr'}
    right: {$ref: '#/components/schemas/Expr'}
",
        );
        let variants: Vec<Type> = union(&types, "Expr")
            .variants
            .iter()
            .map(|v| v.ty.clone())
            .collect();
        assert_eq!(
            variants,
            [Type::Integer(IntegerKind::I64), boxed_named(&types, "Sum")]
        );
        // The boxed variant makes `Expr` finite: `Sum` holds two of them unboxed.
        assert_eq!(field_ty(&types, "Sum", "left"), named(&types, "Expr"));
        assert_eq!(field_ty(&types, "Sum", "right"), named(&types, "Expr"));
    }

    #[test]
    fn an_alias_in_a_cycle_can_hold_the_box() {
        let (types, _) = broken(
            "
Apex: {$ref: '#/components/schemas/Child'}
Child:
  type: object
  properties:
    parent: {$ref: '#/components/schemas/Apex'}
",
        );
        // `Apex` comes first and closes the cycle: the alias stands for a boxed `Child`.
        assert!(
            matches!(&def(&types, "Apex").kind, TypeKind::Alias(ty) if *ty == boxed_named(&types, "Child")),
            "{:?}",
            def(&types, "Apex").kind
        );
        assert_eq!(
            field_ty(&types, "Child", "parent"),
            named(&types, "Apex").optional()
        );
    }

    #[test]
    fn a_cycle_through_a_flattened_all_of_part_boxes_the_part() {
        let (types, _) = broken(
            "
Comment:
  allOf:
    - {type: object, properties: {text: {type: string}}}
    - oneOf: [{type: string}, {$ref: '#/components/schemas/Comment'}]
",
        );
        // The inline union is made while `Comment` converts, so it comes after it.
        let part = &strukt(&types, "Comment").fields[1];
        assert!(part.flatten);
        assert_eq!(part.ty, boxed_named(&types, "CommentOneOf"));
        let variants: Vec<Type> = union(&types, "CommentOneOf")
            .variants
            .iter()
            .map(|v| v.ty.clone())
            .collect();
        assert_eq!(variants, [Type::String, named(&types, "Comment")]);
    }

    #[test]
    fn a_union_that_is_one_of_its_own_alternatives_boxes_that_variant() {
        let (types, _) = broken(
            "
Nested: {anyOf: [{type: string}, {$ref: '#/components/schemas/Nested'}]}
",
        );
        let variants: Vec<Type> = union(&types, "Nested")
            .variants
            .iter()
            .map(|v| v.ty.clone())
            .collect();
        assert_eq!(variants, [Type::String, boxed_named(&types, "Nested")]);
    }

    #[test]
    fn an_alias_that_refers_to_itself_through_a_container_becomes_a_newtype() {
        let (types, diagnostics) = broken(
            "
List: {type: array, items: {$ref: '#/components/schemas/List'}}
Dict: {type: object, additionalProperties: {$ref: '#/components/schemas/Dict'}}
Words: {type: array, items: {type: string}}
",
        );
        let kind = |name| &def(&types, name).kind;
        assert!(
            matches!(kind("List"), TypeKind::Newtype(Type::Array(item)) if **item == named(&types, "List")),
            "{:?}",
            kind("List")
        );
        assert!(
            matches!(kind("Dict"), TypeKind::Newtype(Type::Map(value)) if **value == named(&types, "Dict")),
            "{:?}",
            kind("Dict")
        );
        // An alias that does not recurse stays one.
        assert!(
            matches!(kind("Words"), TypeKind::Alias(_)),
            "{:?}",
            kind("Words")
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn an_alias_only_of_itself_is_a_json_value_with_a_warning() {
        let (types, diagnostics) = broken(
            "
Me: {$ref: '#/components/schemas/Me'}
Ping: {$ref: '#/components/schemas/Pong'}
Pong: {$ref: '#/components/schemas/Ping'}
MaybeMe:
  allOf: [{$ref: '#/components/schemas/MaybeMe'}, {nullable: true}]
Holder:
  type: object
  required: [me]
  properties:
    me: {$ref: '#/components/schemas/Me'}
",
        );
        for name in ["Me", "Ping", "Pong", "MaybeMe"] {
            assert!(
                matches!(def(&types, name).kind, TypeKind::Alias(Type::Json)),
                "{name}: {:?}",
                def(&types, name).kind
            );
        }
        let mut warned: Vec<(&str, Severity)> = diagnostics
            .iter()
            .map(|d| (d.pointer.as_str(), d.severity))
            .collect();
        warned.sort();
        assert_eq!(
            warned,
            [
                ("#/components/schemas/MaybeMe", Severity::Warning),
                ("#/components/schemas/Me", Severity::Warning),
                ("#/components/schemas/Ping", Severity::Warning),
                ("#/components/schemas/Pong", Severity::Warning),
            ]
        );
        // Now a JSON value, it closes no cycle: a field of it needs no box.
        assert_eq!(field_ty(&types, "Holder", "me"), named(&types, "Me"));
    }

    #[test]
    fn boxed_fields_close_no_cycle_so_breaking_again_changes_nothing() {
        let (mut types, _) = broken(
            "
Node:
  type: object
  properties: {next: {$ref: '#/components/schemas/Node'}}
",
        );
        let before = field_ty(&types, "Node", "next");
        break_cycles(&mut types, &mut Vec::new());
        assert_eq!(field_ty(&types, "Node", "next"), before);
        assert_eq!(before, boxed_named(&types, "Node").optional());
    }
}
