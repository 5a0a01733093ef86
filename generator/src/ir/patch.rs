//! Absent versus `null` in PATCH bodies: there, leaving a field out keeps its value and
//! sending `null` clears it. Every struct a PATCH body can hold gets, for each optional
//! nullable field, an `Option<Option<T>>`: `None` is absent, `Some(None)` is `null`.

use super::{Method, Operation, Type, TypeId, TypeKind, TypeSpace};

pub fn keep_absent_apart_from_null(types: &mut TypeSpace, operations: &[Operation]) {
    let mut stack = Vec::new();
    for op in operations.iter().filter(|op| op.method == Method::Patch) {
        if let Some(body) = &op.body {
            body.ty.named_ids(&mut stack);
        }
    }
    let reachable: Vec<TypeId> = types
        .reachable(stack)
        .into_iter()
        .enumerate()
        .filter(|(_, reached)| *reached)
        .map(|(i, _)| TypeId(i))
        .collect();
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
