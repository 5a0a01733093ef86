//! The runtime every generated client calls: the HTTP client and its configuration,
//! authentication, request encoding, retries, response decoding, server-sent event streams,
//! byte streams, pagination and the error type. It is the same for every API.
//!
//! A generated crate either depends on this crate (its `lib.rs` then says
//! `use oagen_runtime as runtime;`) or carries a copy of its modules under `src/runtime/`,
//! whose `mod.rs` makes the same re-exports as this file: the generator's choice
//! (`oagen_generator::Runtime`). Either way generated code names every item as
//! `crate::runtime::Name`. Clients generated against this crate share its types: one
//! [`RetryPolicy`] configures all of them, and their errors are all [`Error`]s.
//!
//! Generated code adds inherent methods to its client (an operation method on `Client`, a
//! credential setter on `ClientBuilder` for each security scheme), which Rust allows only in
//! the crate that defines the type: so each generated crate defines its own `Client` and
//! `ClientBuilder`, wrapping this crate's [`Client`] and [`ClientBuilder`], with the hidden
//! macro `client_types!`.
//!
//! The macros generated models invoke (`string_enum!`, `serialize_object!`, ...) are
//! exported, hidden, at this crate's root, and reach the runtime's items as
//! `$crate::runtime::Name`.

// Every module refers to the others as `super::module`, and the macros reach the runtime's
// items as `$crate::runtime::Name`, so the same files compile here, at the crate root, and in
// a generated crate, under `crate::runtime`; for the macros this alias stands for that module
// when a generated crate depends on this one.
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
pub use options::{RequestExt, RequestOptions};
pub use pages::{cursor_pages, offset_pages, Pages};
pub use request::{path_segment, Request};
pub use response::{LiveResponse, RawResponse, Response};
pub use retry::RetryPolicy;
pub use serde_helpers::{
    debug_string_enum, decode_string_enum, double_option, fit_order, from_value, known_variant,
    no_variant, serialize_tagged, string_enum_from, string_enum_from_owned, tag_of, try_variant,
    VariantKind,
};
pub use sse::EventStream;
