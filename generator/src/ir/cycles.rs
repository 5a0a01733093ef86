//! Breaking reference cycles: a struct that contains itself, directly or through other
//! structs, has infinite size; the field that closes the cycle is boxed.
//! `Vec` and maps already put their items on the heap and need no box.

use std::collections::BTreeSet;

use super::{Type, TypeId, TypeKind, TypeSpace};

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
        TypeKind::Alias(ty) => inline_targets(ty).into_iter().collect(),
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

/// Boxes every struct field (and alias) that closes a cycle of inline containment.
pub fn break_cycles(types: &mut TypeSpace) {
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
            TypeKind::Alias(ty) => {
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
                TypeKind::Alias(ty) => {
                    // An alias of itself (`A = A`) has no meaning; model it as any JSON.
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
