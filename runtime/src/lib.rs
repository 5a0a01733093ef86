//! The runtime every generated client calls: the HTTP client and its configuration,
//! authentication, request encoding, retries, response decoding, server-sent event streams,
//! byte streams, pagination and the error type. It is the same for every API.
//!
//! Generated crates do not depend on this crate: the generator copies its modules into
//! each crate it writes, under `src/runtime/`, whose `mod.rs` makes the same re-exports as
//! this file. Generated code adds inherent methods to the runtime's types (an operation
//! method on [`Client`], a credential setter on [`ClientBuilder`] for each security scheme),
//! which Rust allows only in the crate that defines them.

// Every module refers to the others as `super::module`, and `string_enum!` reaches its
// decoder as `$crate::runtime::decode_string_enum`, so the same files compile here, at the
// crate root, and in a generated crate, under `crate::runtime`, which this alias stands for.
#[doc(hidden)]
pub use crate as runtime;

mod auth;
mod client;
mod config;
mod download;
mod error;
mod multipart;
mod object;
mod options;
mod pages;
mod request;
mod response;
mod retry;
mod serde_helpers;
mod sse;

pub use reqwest::header;

pub use auth::{SchemeKind, SecurityScheme};
pub use client::{send_request, Client};
pub use config::{
    same_origin_redirects, BuildError, ClientBuilder, DEFAULT_MAX_BODY_SIZE, USER_AGENT,
};
pub use download::ByteStream;
pub use error::{
    ApiError, DecodeError, Error, EventError, RequestError, StreamError, TransportError,
};
pub use multipart::FilePart;
pub use object::{read_object, read_present, read_value, Entries, Key, Keys};
// Macros generated models invoke (`crate::runtime::serialize_object!`); here only tests do.
#[allow(unused_imports)]
pub(crate) use object::{deserialize_object, serialize_object};
pub use options::{RequestExt, RequestOptions};
pub use pages::{cursor_pages, offset_pages, Pages};
pub use request::{path_segment, Request};
pub use response::{LiveResponse, RawResponse, Response};
pub use retry::RetryPolicy;
// Invoked by generated models as `crate::runtime::string_enum!`; here only tests invoke it.
pub use serde_helpers::{
    debug_string_enum, decode_string_enum, double_option, fit_order, from_value, known_variant,
    no_variant, serialize_tagged, string_enum_from, string_enum_from_owned, tag_of, try_variant,
    VariantKind,
};
#[allow(unused_imports)]
pub(crate) use serde_helpers::{
    deserialize_tagged_union, deserialize_untagged_union, serialize_tagged_union, string_enum,
};
pub use sse::EventStream;
