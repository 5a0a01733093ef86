//! Absent versus `null` in PATCH bodies: there, leaving a field out keeps its value and
//! sending `null` clears it. Every struct a PATCH body can hold gets, for each optional
//! nullable field, an `Option<Option<T>>`: `None` is absent, `Some(None)` is `null`.

use std::collections::BTreeSet;

use super::{Method, Operation, Type, TypeKind, TypeSpace};

pub fn keep_absent_apart_from_null(types: &mut TypeSpace, operations: &[Operation]) {
    let mut stack = Vec::new();
    for op in operations.iter().filter(|op| op.method == Method::Patch) {
        if let Some(body) = &op.body {
            body.ty.named_ids(&mut stack);
        }
    }
    let mut reachable = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !reachable.insert(id) {
            continue;
        }
        match &types.get(id).kind {
            TypeKind::Struct(s) => s.fields.iter().for_each(|f| f.ty.named_ids(&mut stack)),
            TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.named_ids(&mut stack)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ty.named_ids(&mut stack),
            TypeKind::Enum(_) => {}
        }
    }
    for id in reachable {
        if let TypeKind::Struct(s) = &mut types.get_mut(id).kind {
            for field in s
                .fields
                .iter_mut()
                .filter(|f| !f.required && f.nullable && !f.flatten)
            {
                if let Type::Option(inner) = &field.ty {
                    if !inner.is_option() {
                        field.ty = Type::Option(Box::new(field.ty.clone()));
                    }
                }
            }
        }
    }
}
