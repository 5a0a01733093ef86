//! Which changes break users of the generated crate: the one place that says so.
//!
//! A change is breaking when code written against the old crate may stop compiling against
//! the new one. The classification follows the generated API:
//!
//! - the models' structs and enums are `#[non_exhaustive]`: code outside the crate builds a
//!   struct with `new` (one argument per required field; fields with one possible value and
//!   union tags are filled in) and a chainable setter per optional field, and matches an enum
//!   or a union with a `_` arm. So an optional field, an enum value or a union variant added
//!   is not breaking, while a field that becomes an argument of `new` (added as required, or
//!   became required) is, in a type callers build;
//! - string enums are open (an `Other(String)` variant keeps values the client does not
//!   know);
//! - a required field added to a type that is only decoded from responses is not breaking
//!   for code that reads responses, which is what callers do with those types. Its `new`
//!   takes one more argument too, so code that builds a response itself (a fake server in a
//!   test) must give it: the report says so in its note;
//! - the error enums of operations (`operations::{Op}Error`, one variant per documented
//!   error status) are not `#[non_exhaustive]`, so a `match` on one may list every status
//!   with no `_` arm: a documented error status added is breaking.
//!
//! `cli/tests/diff_compiles.rs` checks each kind against the compiler with code written
//! the way these rules assume (`fixtures/diff/*/uses.rs`).

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
        | ConstructorChanged | ResponseChanged | ErrorStatusRemoved | EnumVariantRemoved
        | UnionVariantRemoved | UnionVariantChanged | TypeRemoved | TypeChanged => Impact::Breaking,
        OperationAdded
        | OptionalParameterAdded
        | OptionalFieldAdded
        | ImpliedFieldAdded
        | ResponseFieldAdded
        | EnumVariantAdded
        | UnionVariantAdded
        | ErrorStatusAdded
        | TypeAdded => Impact::NotBreaking,
    }
}

/// Why a kind of change is or is not breaking, for the report, when it is not obvious.
pub fn why(kind: ChangeKind) -> Option<&'static str> {
    use ChangeKind::*;
    match kind {
        EnumVariantAdded => Some(
            "not breaking because enums are `#[non_exhaustive]` (a `match` has a `_` arm) and \
             string enums are open: a value this client does not know decodes into \
             `Other(String)`",
        ),
        UnionVariantAdded => {
            Some("not breaking because unions are `#[non_exhaustive]`: a `match` has a `_` arm")
        }
        OptionalFieldAdded => Some(
            "not breaking because structs are `#[non_exhaustive]`, built with `new` and \
             setters: `new` takes no argument for an optional field, which starts as `None`",
        ),
        ImpliedFieldAdded => {
            Some("not breaking because `new` fills them in: it takes no argument for them")
        }
        ResponseFieldAdded => Some(
            "not breaking for code that reads responses: these types are only decoded from \
             responses (their `new` takes one more argument, which breaks code that builds \
             one itself, such as a fake server in a test)",
        ),
        ErrorStatusAdded => Some(
            "not breaking because an operation's error and success enums are \
             `#[non_exhaustive]`: a `match` has a `_` arm",
        ),
        _ => None,
    }
}
