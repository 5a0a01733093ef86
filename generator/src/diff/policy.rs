//! Which changes break users of the generated crate: the one place that says so.
//!
//! A change is breaking when code written against the old crate may stop compiling against
//! the new one. The classification follows the generated API as it is designed:
//!
//! - string enums are open (an `Other(String)` variant keeps values the client does not
//!   know), so a value added to a spec's enum is not breaking;
//! - generated structs and enums are `#[non_exhaustive]`, built with constructors (`new`
//!   taking the required fields) and chainable setters, and union variants are named by what
//!   they hold, so adding an optional field, an enum variant or a union variant is not
//!   breaking: user code cannot list every field in a struct literal, and matches need a
//!   wildcard arm.
//!
//! Until the generator emits `#[non_exhaustive]` (work in progress elsewhere), a struct
//! literal that names every field of a request type, or a `match` with no wildcard arm, can
//! still stop compiling on such a change; adjust [`impact`] if that is the crate you ship.

use super::ChangeKind;

/// Whether a change can stop user code from compiling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Impact {
    Breaking,
    NotBreaking,
}

/// The impact of each kind of change.
pub fn impact(kind: ChangeKind) -> Impact {
    use ChangeKind::*;
    match kind {
        OperationRemoved | ParameterRequired | ParameterRemoved | ParameterChanged
        | RequestBodyChanged | RequiredField | FieldRemoved | FieldTypeChanged
        | ResponseChanged | ErrorStatusRemoved | EnumVariantRemoved | UnionVariantRemoved
        | UnionVariantChanged | TypeRemoved | TypeChanged => Impact::Breaking,
        OperationAdded
        | OptionalParameterAdded
        | OptionalFieldAdded
        | ResponseFieldAdded
        | EnumVariantAdded
        | UnionVariantAdded
        | ErrorStatusAdded
        | TypeAdded => Impact::NotBreaking,
    }
}

/// Why a kind of change does not break callers, for the report, when it is not obvious.
pub fn why_not_breaking(kind: ChangeKind) -> Option<&'static str> {
    use ChangeKind::*;
    match kind {
        EnumVariantAdded => Some(
            "string enums are open: a value this client does not know decodes into \
             `Other(String)`, and matches on them need a wildcard arm",
        ),
        UnionVariantAdded => Some(
            "matches on a union need a wildcard arm (generated enums are becoming \
             `#[non_exhaustive]`)",
        ),
        OptionalFieldAdded => Some(
            "an optional field starts as `None` for code that builds structs with constructors \
             and setters (generated structs are becoming `#[non_exhaustive]`)",
        ),
        ResponseFieldAdded => {
            Some("these types are only decoded from responses, never built by callers")
        }
        ErrorStatusAdded => Some(
            "matches on an error enum need a wildcard arm (generated enums are becoming \
             `#[non_exhaustive]`)",
        ),
        _ => None,
    }
}
