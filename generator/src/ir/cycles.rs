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
