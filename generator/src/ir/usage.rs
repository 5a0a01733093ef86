//! Which way each type travels: encoded (it is reachable from a request's parameters or
//! body) or decoded (from a response or an event), or both. The generated crate derives
//! `Serialize` only where a request needs it and `Deserialize` only where a response does,
//! so no one compiles serde code nothing calls; the crate's `roundtrip` feature derives
//! both everywhere. A schema no operation uses is decoded (a webhook's payload, say).

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
    let deserialize = types.reachable(received);
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
