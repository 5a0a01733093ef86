//! Which way each type travels: encoded (it is reachable from a request's parameters or
//! body) or decoded (from a response or an event), or both. The generated crate derives
//! `Serialize` only where a request needs it and `Deserialize` only where a response does,
//! so no one compiles serde code nothing calls; the crate's `roundtrip` feature derives
//! both everywhere. A schema no operation uses is decoded (a webhook's payload, say).

use super::{Operation, Type, TypeId, TypeKind, TypeSpace};

/// The directions a type is used in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Usage {
    /// Sent: part of a request.
    pub serialize: bool,
    /// Received: part of a response or an event.
    pub deserialize: bool,
}

pub fn mark_usage(types: &mut TypeSpace, operations: &[Operation]) {
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in operations {
        for parameter in &op.parameters {
            parameter.ty.named_ids(&mut sent);
        }
        let bodies = op
            .body
            .iter()
            .flat_map(|b| std::iter::once(b).chain(b.alternative.as_deref()));
        for body in bodies {
            body.ty.named_ids(&mut sent);
            for field in body.form.iter().flatten() {
                field.ty.named_ids(&mut sent);
            }
        }
        for response in &op.responses {
            if let Some(body) = &response.body {
                body.ty.named_ids(&mut received);
            }
        }
        if let Some(events) = &op.events {
            events.item.named_ids(&mut received);
        }
    }
    let serialize = reachable(types, sent);
    let deserialize = reachable(types, received);
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        let used = Usage {
            serialize: serialize[id.0],
            deserialize: deserialize[id.0],
        };
        types.get_mut(id).usage = if used == Usage::default() {
            Usage {
                serialize: false,
                deserialize: true,
            }
        } else {
            used
        };
    }
}

/// The types reachable from `roots`, by id.
fn reachable(types: &TypeSpace, mut stack: Vec<TypeId>) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id.0], true) {
            continue;
        }
        let mut push = |ty: &Type| ty.named_ids(&mut stack);
        match &types.get(id).kind {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| push(&f.ty));
                if let Some(additional) = &s.additional {
                    push(additional);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| push(&v.ty)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => push(ty),
            TypeKind::Enum(_) => {}
        }
    }
    seen
}
