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
    "deref",
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
    "with_body_field",
    "with_header",
    "with_idempotency_key",
    "with_query",
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

/// Methods every model has (its constructor, and the methods of the traits it implements,
/// which method calls would otherwise reach in an inherent method of the same name): field
/// setters and union shorthands must not take them.
pub const MODEL_METHODS: &[&str] = &[
    "as_str",
    "clone",
    "cmp",
    "default",
    "deserialize",
    "eq",
    "fmt",
    "from",
    "hash",
    "into",
    "ne",
    "new",
    "partial_cmp",
    "serialize",
    "to_owned",
    "to_string",
];

/// The runtime's public items, re-exported at the root of every generated crate: its public
/// API beside `models`, `operations`, `SERVERS` and the crate's own `Client`,
/// `ClientBuilder` and `USER_AGENT` (`client_types!` writes them).
pub const RUNTIME_EXPORTS: &[&str] = &[
    "header",
    "same_origin_redirects",
    "ApiError",
    "BuildError",
    "ByteStream",
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
];

/// The runtime's items that generated code reaches as `crate::runtime::Name` but that the
/// generated crate does not re-export (`operations.rs` imports only [`OPERATIONS_IMPORTS`]
/// of them): with [`RUNTIME_EXPORTS`], every item of the runtime's root, which a test holds
/// them to.
#[cfg(test)]
const RUNTIME_INTERNAL: &[&str] = &[
    "client_types",
    "cursor_pages",
    "debug_string_enum",
    "decode_string_enum",
    "deserialize_object",
    "deserialize_tagged_union",
    "deserialize_untagged_union",
    "double_option",
    "fit_order",
    "from_value",
    "known_variant",
    "no_variant",
    "offset_pages",
    "path_segment",
    "read_object",
    "read_present",
    "read_value",
    "serialize_object",
    "send_request",
    "serialize_tagged",
    "serialize_tagged_union",
    "serialize_untagged_union",
    "string_enum",
    "string_enum_from",
    "string_enum_from_owned",
    "tag_of",
    "try_variant",
    "Client",
    "ClientBuilder",
    "Entries",
    "Key",
    "Keys",
    "LiveResponse",
    "Request",
    "RequestError",
    "Response",
    "SchemeKind",
    "SecurityScheme",
    "TransportError",
    "VariantKind",
    "USER_AGENT",
];

/// A scope with `reserved` already taken.
pub fn scope(reserved: &[&'static str]) -> super::NameScope {
    super::NameScope::with_reserved(reserved)
}

#[cfg(test)]
mod tests {
    //! The registry against the runtime crate's source, parsed with `syn`: a method added to
    //! `Client`, `ClientBuilder` or `RequestExt`, or an item added to the runtime's exports,
    //! fails here until it is reserved.

    use std::collections::BTreeSet;
    use std::path::Path;

    use syn::{ImplItem, Item, TraitItem, UseTree};

    use super::*;

    /// Every file of the runtime crate, parsed.
    fn runtime_files() -> Vec<(String, syn::File)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) == Some("rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                files.push((name, syn::parse_file(&text).unwrap()));
            }
        }
        assert!(files.len() > 5, "the runtime crate's sources are found");
        files
    }

    /// The method names of every `impl` (inherent or of a trait) of type `ty`.
    fn methods_of(ty: &str) -> BTreeSet<String> {
        let mut methods = BTreeSet::new();
        for (_, file) in runtime_files() {
            for item in &file.items {
                let Item::Impl(block) = item else { continue };
                let syn::Type::Path(path) = block.self_ty.as_ref() else {
                    continue;
                };
                if !path.path.is_ident(ty) {
                    continue;
                }
                for item in &block.items {
                    if let ImplItem::Fn(f) = item {
                        methods.insert(f.sig.ident.to_string());
                    }
                }
            }
        }
        methods
    }

    fn missing(found: &BTreeSet<String>, reserved: &[&str]) -> Vec<String> {
        found
            .iter()
            .filter(|name| !reserved.contains(&name.as_str()))
            .cloned()
            .collect()
    }

    #[test]
    fn every_method_of_client_is_reserved() {
        let methods = methods_of("Client");
        assert!(methods.contains("execute"), "{methods:?}");
        assert_eq!(missing(&methods, CLIENT_METHODS), Vec::<String>::new());
    }

    #[test]
    fn every_method_of_client_builder_is_reserved() {
        let methods = methods_of("ClientBuilder");
        assert!(methods.contains("retry_policy"), "{methods:?}");
        assert_eq!(
            missing(&methods, CLIENT_BUILDER_METHODS),
            Vec::<String>::new()
        );
    }

    #[test]
    fn every_method_of_request_ext_is_reserved_on_request_builders() {
        let mut methods = BTreeSet::new();
        for (_, file) in runtime_files() {
            for item in &file.items {
                if let Item::Trait(t) = item {
                    if t.ident == "RequestExt" {
                        for item in &t.items {
                            if let TraitItem::Fn(f) = item {
                                methods.insert(f.sig.ident.to_string());
                            }
                        }
                    }
                }
            }
        }
        assert!(methods.contains("with_header"), "{methods:?}");
        assert_eq!(
            missing(&methods, REQUEST_BUILDER_MEMBERS),
            Vec::<String>::new()
        );
    }

    fn use_names(tree: &UseTree, out: &mut BTreeSet<String>) {
        match tree {
            UseTree::Path(path) => use_names(&path.tree, out),
            UseTree::Name(name) => {
                out.insert(name.ident.to_string());
            }
            UseTree::Rename(rename) => {
                out.insert(rename.rename.to_string());
            }
            UseTree::Group(group) => group.items.iter().for_each(|t| use_names(t, out)),
            UseTree::Glob(_) => panic!("a glob re-export hides what the runtime exports"),
        }
    }

    /// Every name the runtime crate's root re-exports is either part of the generated
    /// crate's public API or an internal item the registry knows, and nothing is both.
    #[test]
    fn every_export_of_the_runtime_is_classified() {
        let (_, lib) = runtime_files()
            .into_iter()
            .find(|(name, _)| name == "lib.rs")
            .unwrap();
        let mut exported = BTreeSet::new();
        for item in &lib.items {
            if let Item::Use(use_item) = item {
                use_names(&use_item.tree, &mut exported);
            }
        }
        // The crate's alias for itself: not vendored.
        exported.remove("runtime");
        // The macros generated code invokes, exported at the root from their modules.
        for (_, file) in runtime_files() {
            for item in &file.items {
                if let Item::Macro(m) = item {
                    if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                        exported.insert(m.ident.as_ref().unwrap().to_string());
                    }
                }
            }
        }
        assert!(exported.contains("string_enum"), "{exported:?}");
        let classified: Vec<&str> = [RUNTIME_EXPORTS, RUNTIME_INTERNAL].concat();
        assert_eq!(missing(&exported, &classified), Vec::<String>::new());
        let stale: Vec<&&str> = classified
            .iter()
            .filter(|name| !exported.contains(**name))
            .collect();
        assert!(stale.is_empty(), "reserved but not exported: {stale:?}");
        for name in RUNTIME_EXPORTS {
            assert!(!RUNTIME_INTERNAL.contains(name), "{name} is in both lists");
        }
        for name in OPERATIONS_IMPORTS {
            assert!(exported.contains(*name), "operations.rs imports {name}");
        }
    }
}
