//! The one registry of names the runtime and the generated code claim for themselves. Names
//! taken from the spec (operations, parameters, schemas, security schemes) are handed out by
//! a [`NameScope`](super::NameScope) that reserves these first, so a spec whose operation is
//! called `build` or whose schema is called `Error` still gives a crate that compiles.
//!
//! A test parses the runtime crate's source and fails when one of its items that generated
//! code could collide with is missing here.

/// Methods of the runtime's `Client` (inherent, and of the traits it implements), and the
/// ones the generated `client.rs` adds: operation methods must not take them.
pub const CLIENT_METHODS: &[&str] = &[
    "authenticate",
    "base_url",
    "build",
    "builder",
    "builder_with",
    "clone",
    "execute",
    "fmt",
    "open",
];

/// Methods of the runtime's `ClientBuilder`: credential setters must not take them.
pub const CLIENT_BUILDER_METHODS: &[&str] = &[
    "base_url",
    "basic",
    "build",
    "clone",
    "connect_timeout",
    "default",
    "default_header",
    "fmt",
    "http2_prior_knowledge",
    "http_client",
    "max_body_size",
    "new",
    "retry_policy",
    "timeout",
    "token",
];

/// Members of every request builder: its fields, the methods the generator gives it and the
/// methods of the runtime's `RequestExt` trait. Parameter setters must not take them.
pub const REQUEST_BUILDER_MEMBERS: &[&str] = &[
    "body",
    "clone",
    "client",
    "download",
    "fmt",
    "items",
    "new",
    "options",
    "request",
    "request_options",
    "send",
    "with_header",
    "with_idempotency_key",
    "with_retry",
    "with_timeout",
];

/// The prelude's types and traits that generated code names unqualified (`Option`,
/// `Default::default()`, `impl From<..>`): no type in `models.rs` or `operations.rs` may
/// take them.
pub const PRELUDE_TYPES: &[&str] = &[
    "Box", "Default", "From", "Into", "Option", "Result", "Send", "String", "Sync", "Vec",
];

/// Runtime items `operations.rs` imports by name: operation type names must not take them
/// (nor the [`PRELUDE_TYPES`]).
pub const OPERATIONS_IMPORTS: &[&str] = &["Client", "Error", "Request", "Response"];

/// The suffixes of the types named after an operation's type name `{Op}`: its error enum,
/// its enum of success responses, its multipart form, its body of alternatives and the
/// builder of its stream variant.
pub const OPERATION_TYPE_SUFFIXES: &[&str] = &["Error", "Response", "Form", "Body", "Stream"];

/// Names schemas must not take (beside the [`PRELUDE_TYPES`]): the prelude's variants,
/// which `models.rs` uses unqualified, and the crate's main types, which its documentation
/// links.
pub const MODEL_NAMES: &[&str] = &[
    "BTreeMap",
    "Client",
    "ClientBuilder",
    "Err",
    "Error",
    "None",
    "Ok",
    "Some",
];

/// The runtime's public items, re-exported at the root of every generated crate: its public
/// API beside `models`, `operations` and `SERVERS`.
pub const RUNTIME_EXPORTS: &[&str] = &[
    "header",
    "same_origin_redirects",
    "ApiError",
    "BuildError",
    "ByteStream",
    "Client",
    "ClientBuilder",
    "DecodeError",
    "Error",
    "EventError",
    "EventStream",
    "FilePart",
    "Pages",
    "RawResponse",
    "RequestExt",
    "RequestOptions",
    "RetryPolicy",
    "StreamError",
    "DEFAULT_MAX_BODY_SIZE",
    "USER_AGENT",
];

/// A scope with `reserved` already taken.
pub fn scope(reserved: &[&str]) -> super::NameScope {
    let mut scope = super::NameScope::new();
    for name in reserved {
        scope.reserve(name);
    }
    scope
}
