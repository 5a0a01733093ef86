//! Values a constructor fills in for the caller, so no one writes what the schema already
//! says: a field whose schema allows one value (`const`, or a one-value enum), and the
//! discriminator field of a struct that is a variant of a discriminated union (the variant
//! decides the tag). Decoding is not affected: a value the server sends is read as sent.

use std::collections::BTreeMap;

use super::{Implied, Type, TypeId, TypeKind, TypeSpace};

pub fn fill_implied_values(types: &mut TypeSpace) {
    let tags = union_tags(types);
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let TypeKind::Struct(s) = &types.get(id).kind else {
            continue;
        };
        let implied: Vec<Option<Implied>> = s
            .fields
            .iter()
            .map(|field| {
                if field.flatten {
                    return None;
                }
                let ty = field.ty.clone().required();
                if let Some(variant) = only_variant(&ty, types) {
                    return Some(Implied::Variant(variant));
                }
                match tags.get(&(id, field.json_name.clone())) {
                    Some(Some(tag)) if ty == Type::String => Some(Implied::Text(tag.clone())),
                    _ => None,
                }
            })
            .collect();
        if let TypeKind::Struct(s) = &mut types.get_mut(id).kind {
            for (field, implied) in s.fields.iter_mut().zip(implied) {
                field.implied = implied;
            }
        }
    }
}

/// The tag each struct gets as a variant of a discriminated union, by struct and property;
/// `None` where unions disagree (the struct is a variant under two tags).
fn union_tags(types: &TypeSpace) -> BTreeMap<(TypeId, String), Option<String>> {
    let mut tags: BTreeMap<(TypeId, String), Option<String>> = BTreeMap::new();
    for (_, def) in types.iter() {
        let TypeKind::Union(union) = &def.kind else {
            continue;
        };
        let Some(property) = &union.discriminator else {
            continue;
        };
        for variant in &union.variants {
            let (Type::Named(id), Some(tag)) = (resolve(&variant.ty, types), &variant.tag) else {
                continue;
            };
            tags.entry((id, property.clone()))
                .and_modify(|known| {
                    if known.as_ref() != Some(tag) {
                        *known = None;
                    }
                })
                .or_insert_with(|| Some(tag.clone()));
        }
    }
    tags
}

/// The Rust name of the one variant of a one-value string enum.
fn only_variant(ty: &Type, types: &TypeSpace) -> Option<String> {
    if !matches!(ty, Type::Named(_)) {
        return None;
    }
    let Type::Named(id) = resolve(ty, types) else {
        return None;
    };
    match &types.get(id).kind {
        TypeKind::Enum(e) => match e.variants.as_slice() {
            [only] => Some(only.name.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// A type through its aliases and boxes (a few hops: alias loops end).
fn resolve(ty: &Type, types: &TypeSpace) -> Type {
    let mut ty = ty.clone();
    for _ in 0..16 {
        ty = match ty {
            Type::Boxed(inner) => *inner,
            Type::Named(id) => match &types.get(id).kind {
                TypeKind::Alias(inner) => inner.clone(),
                _ => return Type::Named(id),
            },
            other => return other,
        };
    }
    ty
}
