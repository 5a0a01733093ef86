//! Which way each type travels: encoded (it is reachable from a request's parameters or
//! body) or decoded (from a response or an event), or both. The generated crate derives
//! `Serialize` only where a request needs it and `Deserialize` only where a response does,
//! so no one compiles serde code nothing calls; the crate's `roundtrip` feature derives
//! both everywhere. A schema no operation uses is decoded (a webhook's payload, say), and so
//! is every type it holds, even one that operations only send.

use super::{Operation, TypeId, TypeSpace};

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
        op.sent_types(&mut sent);
        op.received_types(&mut received);
    }
    let serialize = types.reachable(sent);
    let mut deserialize = types.reachable(received.clone());
    // A type no operation reaches is decoded, and so is everything it holds, also a type
    // an operation only sends: otherwise the unused type's `Deserialize` would need a
    // trait its field's type does not implement.
    let unused: Vec<TypeId> = types
        .iter()
        .map(|(id, _)| id)
        .filter(|id| !serialize[id.0] && !deserialize[id.0])
        .collect();
    if !unused.is_empty() {
        received.extend(unused);
        deserialize = types.reachable(received);
    }
    let ids: Vec<TypeId> = types.iter().map(|(id, _)| id).collect();
    for id in ids {
        types.get_mut(id).usage = Usage {
            serialize: serialize[id.0],
            deserialize: deserialize[id.0],
        };
    }
}
