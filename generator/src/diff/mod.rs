//! What a spec change does to the users of the generated crate: the breaking-change report.
//!
//! The IRs ([`Api`]) of the old and the new spec are compared item by item, never the
//! emitted text, and each difference is reported as a change of the generated Rust API (a
//! client method, an argument or setter of a request builder, a field, an enum value, a
//! union variant, a type), with the place in the spec that caused it: a JSON pointer into
//! the old spec for what went away, into the new one for what came or changed.
//!
//! - `operations`: client methods, their arguments and setters, request bodies, success
//!   types and documented error statuses;
//! - `types`: the types of `models`: structs field by field (whether a type is built by
//!   callers or only read from responses decides whether a new required field breaks),
//!   enums value by value, unions variant by variant;
//! - [`policy`]: which kinds of change are breaking, in one place;
//! - [`report`]: the summary, the semver bump it implies, text and JSON.

mod operations;
pub mod policy;
pub mod report;
mod types;

use serde::Serialize;

use crate::ir::{Api, Type, TypeSpace};

pub use policy::Impact;
pub use report::{Bump, Report, Semver};

/// What changed, as a change of the generated API. The order is the order of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A client method is gone (removed, or renamed: its operationId changed).
    OperationRemoved,
    /// A parameter became required, or was added as required: a new argument.
    ParameterRequired,
    ParameterRemoved,
    /// A parameter's type changed, it is no longer required (an argument became a setter),
    /// or the arguments were reordered.
    ParameterChanged,
    /// A request body was added as required, removed, became required or optional, or its
    /// type changed.
    RequestBodyChanged,
    /// A field of a type callers build (a request type) became required or was added as
    /// required (a required nullable one too): `new` takes one more argument.
    RequiredField,
    FieldRemoved,
    FieldTypeChanged,
    /// A field of a type callers build kept its type but is no longer an argument of `new`
    /// (it is no longer required, or `new` now fills it in), or lost its setter (`new` now
    /// fills it in).
    ConstructorChanged,
    /// What a client method returns on success changed.
    ResponseChanged,
    ErrorStatusRemoved,
    EnumVariantRemoved,
    UnionVariantRemoved,
    UnionVariantChanged,
    TypeRemoved,
    /// A type became another kind of type (a struct an enum), or an alias names another type.
    TypeChanged,
    OperationAdded,
    OptionalParameterAdded,
    OptionalFieldAdded,
    /// A field added that `new` fills in: its one value (a `const`, a one-value enum) or the
    /// tag of the discriminated union the struct is a variant of.
    ImpliedFieldAdded,
    /// A required field added to a type that is only decoded from responses.
    ResponseFieldAdded,
    EnumVariantAdded,
    UnionVariantAdded,
    ErrorStatusAdded,
    TypeAdded,
}

impl ChangeKind {
    /// The heading of this kind's group in the report.
    pub fn label(self) -> &'static str {
        use ChangeKind::*;
        match self {
            OperationRemoved => "operations removed or renamed",
            ParameterRequired => "parameters that became required or were added as required",
            ParameterRemoved => "parameters removed",
            ParameterChanged => "parameters changed (type, no longer required, order)",
            RequestBodyChanged => "request bodies changed",
            RequiredField => "request fields that became required or were added as required",
            FieldRemoved => "fields removed",
            FieldTypeChanged => "fields whose type changed",
            ConstructorChanged => {
                "request fields no longer an argument of `new`, or no longer set by a setter"
            }
            ResponseChanged => "success responses whose type changed",
            ErrorStatusRemoved => "documented error statuses removed",
            EnumVariantRemoved => "enum values removed",
            UnionVariantRemoved => "union variants removed",
            UnionVariantChanged => "union variants whose type changed",
            TypeRemoved => "types removed",
            TypeChanged => "types that changed kind or target",
            OperationAdded => "operations added",
            OptionalParameterAdded => "optional parameters added",
            OptionalFieldAdded => "optional fields added",
            ImpliedFieldAdded => "fields added that `new` fills in",
            ResponseFieldAdded => "required fields added to response types",
            EnumVariantAdded => "enum values added",
            UnionVariantAdded => "union variants added",
            ErrorStatusAdded => "documented error statuses added",
            TypeAdded => "types added",
        }
    }

    pub fn impact(self) -> Impact {
        policy::impact(self)
    }

    pub fn is_breaking(self) -> bool {
        self.impact() == Impact::Breaking
    }
}

/// Which spec a change's pointer is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Old,
    New,
}

/// One change of the generated API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The Rust item: `Client::delete_file`, `models::Order::lines`, `models::Color::Red`.
    pub item: String,
    /// What happened to it, in words.
    pub detail: String,
    /// The spec that `pointer` points into.
    pub side: Side,
    /// Where in that spec the change is (a JSON pointer, `#/paths/...`).
    pub pointer: String,
}

impl Change {
    fn new(
        kind: ChangeKind,
        item: impl Into<String>,
        detail: impl Into<String>,
        side: Side,
        pointer: impl Into<String>,
    ) -> Self {
        Change {
            kind,
            item: item.into(),
            detail: detail.into(),
            side,
            pointer: pointer.into(),
        }
    }

    pub fn is_breaking(&self) -> bool {
        self.kind.is_breaking()
    }
}

/// Compares the APIs of two versions of a spec, named `old_name` and `new_name` in the
/// report.
pub fn compare(old_name: &str, old: &Api, new_name: &str, new: &Api) -> Report {
    let mut changes = Vec::new();
    operations::compare(old, new, &mut changes);
    types::compare(old, new, &mut changes);
    changes.sort();
    changes.dedup();
    Report::new(old_name, new_name, changes)
}

/// A type as the generated code writes it, named types by their name alone: `Vec<Order>`.
pub(crate) fn render(ty: &Type, types: &TypeSpace) -> String {
    match ty {
        Type::String => "String".into(),
        Type::Bool => "bool".into(),
        Type::Integer(crate::ir::IntegerKind::I32) => "i32".into(),
        Type::Integer(crate::ir::IntegerKind::I64) => "i64".into(),
        Type::Number => "f64".into(),
        Type::Uuid => "uuid::Uuid".into(),
        Type::DateTime => "chrono::DateTime<chrono::FixedOffset>".into(),
        Type::Date => "chrono::NaiveDate".into(),
        Type::Bytes => "bytes::Bytes".into(),
        Type::Json => "serde_json::Value".into(),
        Type::Named(id) => types.get(*id).name.clone(),
        Type::Array(item) => format!("Vec<{}>", render(item, types)),
        Type::Map(value) => format!("BTreeMap<String, {}>", render(value, types)),
        Type::Option(inner) => format!("Option<{}>", render(inner, types)),
        Type::Boxed(inner) => format!("Box<{}>", render(inner, types)),
    }
}

/// A JSON pointer extended by one token, escaped.
pub(crate) fn push(pointer: &str, token: &str) -> String {
    crate::pointer::Pointer::parse_owned(pointer)
        .push(token)
        .to_string()
}
