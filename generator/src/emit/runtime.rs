//! Vendoring the runtime crate (`runtime/` of this repository, package `oagen-runtime`)
//! into generated crates, for [`Runtime::Vendored`](crate::Runtime::Vendored), the default:
//! each of its modules is copied without its unit tests to `src/runtime/<module>.rs`, and
//! `src/runtime/mod.rs` declares them and makes the re-exports of the runtime crate's
//! `lib.rs`, so generated code names every item as `crate::runtime::Name`. That `lib.rs` is
//! not copied: its crate docs and its `runtime` alias (through which the macros reach the
//! runtime's items when a crate depends on it) mean nothing in a generated crate. The
//! macros generated code invokes are re-exported by `mod.rs` from their modules; their
//! `#[macro_export]`, which a crate that depends on the runtime needs, also exports them
//! (hidden) from the generated crate's root.
//!
//! A vendored crate stands alone: it builds from its own directory, with only crates.io
//! dependencies, and its runtime can be read and patched in place. The other choice,
//! [`Runtime::Path`](crate::Runtime::Path) or [`Runtime::Version`](crate::Runtime::Version),
//! writes none of these files: the crate depends on `oagen-runtime`, whose code is then
//! compiled once for all the clients of a program, and whose types (`RetryPolicy`, `Error`,
//! ...) those clients share. The generated code is the same either way: it adds inherent
//! methods only to the crate's own `Client` and `ClientBuilder` (see `emit/client.rs`), never
//! to the runtime's types, which would be possible only in a copy.
//!
//! The sources are embedded from `generator/runtime-copy/`, not from `runtime/src/`, because
//! `cargo package` packs only the files inside a package's directory: this package must carry
//! them to be published. `runtime/src/` stays their one source of truth; the copy is written
//! by `cargo xtask codegen` and checked by `cargo xtask codegen --check` (and by the tests
//! below), like generated code, so nobody edits it by hand.

/// One module of the runtime crate: its name and its source, as `runtime/src` holds it (through
/// the package's copy of it, see the module docs).
struct Module {
    name: &'static str,
    /// Where a generated crate gets it: `src/runtime/<name>.rs`.
    path: &'static str,
    source: &'static str,
}

macro_rules! modules {
    ($($name:literal),* $(,)?) => {
        &[$(Module {
            name: $name,
            path: concat!("src/runtime/", $name, ".rs"),
            source: include_str!(concat!("../../runtime-copy/", $name, ".rs")),
        }),*]
    };
}

/// Every module of the runtime crate but its root, `lib.rs`.
const MODULES: &[Module] = modules![
    "auth",
    "client",
    "config",
    "download",
    "error",
    "multipart",
    "object",
    "options",
    "pages",
    "request",
    "response",
    "retry",
    "serde_helpers",
    "sse",
];

/// The docs of `src/runtime/mod.rs`.
const MOD_DOCS: &str = "\
//! The runtime generated code calls: the HTTP client and its configuration, authentication,
//! request encoding, retries, response decoding, server-sent event streams, byte streams,
//! pagination and the error type. It is the same for every API: the generator's runtime
//! crate, copied one module per file.
";

/// The re-exports of `src/runtime/mod.rs`: those of the runtime crate's `lib.rs`, which a
/// test holds them to, and the macros.
const REEXPORTS: &str = "\
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

// The macros generated code invokes as `crate::runtime::string_enum!`, a crate those its
// spec needs. (Their `#[macro_export]` also puts them, hidden, at the crate root, which is
// where they are when a crate depends on the runtime crate instead.)
#[allow(unused_imports)]
pub(crate) use client::client_types;
#[allow(unused_imports)]
pub(crate) use object::{deserialize_object, serialize_object};
#[allow(unused_imports)]
pub(crate) use serde_helpers::{
    deserialize_tagged_union, deserialize_untagged_union, serialize_tagged_union,
    serialize_untagged_union, string_enum,
};
";

/// What opens a runtime module's unit tests, which end its file.
const TESTS: &str = "\n#[cfg(test)]\nmod tests {";

/// The generated crate's runtime files, each path with its text: `src/runtime/mod.rs` and
/// one file per module, every one starting with `header`.
pub fn files(header: &str) -> Vec<(&'static str, String)> {
    let mut mod_rs = format!("{header}\n{MOD_DOCS}\n");
    for module in MODULES {
        mod_rs.push_str(&format!("mod {};\n", module.name));
    }
    mod_rs.push('\n');
    mod_rs.push_str(REEXPORTS);
    let mut files = vec![("src/runtime/mod.rs", mod_rs)];
    for module in MODULES {
        let code = without_tests(module.source);
        files.push((module.path, format!("{header}\n{code}")));
    }
    files
}

/// A module's source up to its unit tests: they are for the runtime crate alone.
fn without_tests(source: &str) -> String {
    let code = match source.find(TESTS) {
        Some(start) => source[..start].trim_end(),
        None => source.trim_end(),
    };
    format!("{code}\n")
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;
    use std::path::Path;

    use quote::ToTokens;

    use super::*;

    const HEADER: &str = "// @generated by a test.\n";

    fn runtime_src() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src")
    }

    #[test]
    fn no_vendored_file_has_unit_tests() {
        for (path, text) in files(HEADER) {
            assert!(!text.contains("mod tests"), "{path}");
            assert!(!text.contains("#[cfg(test)]"), "{path}");
            assert!(text.starts_with(HEADER), "{path}");
            assert!(text.ends_with("}\n") || text.ends_with(";\n"), "{path}");
        }
    }

    #[test]
    fn every_runtime_source_file_is_vendored() {
        let vendored: Vec<(&str, String)> = files(HEADER);
        let mut names = BTreeSet::new();
        for entry in std::fs::read_dir(runtime_src()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("rs") {
                continue;
            }
            let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
            let source = std::fs::read_to_string(&path).unwrap();
            names.insert(name.clone());
            if name == "lib" {
                continue; // Stands as `mod.rs`: see the next test.
            }
            let module = MODULES.iter().find(|m| m.name == name);
            let module = module.unwrap_or_else(|| panic!("runtime/src/{name}.rs is not vendored"));
            assert_eq!(
                module.source, source,
                "runtime-copy/{name}.rs is stale: run `cargo xtask codegen`"
            );
            let (_, text) = vendored.iter().find(|(p, _)| *p == module.path).unwrap();
            let code = text
                .strip_prefix(HEADER)
                .unwrap()
                .strip_prefix('\n')
                .unwrap();
            let tests = source
                .find(TESTS)
                .unwrap_or_else(|| panic!("{name}.rs has no tests"));
            assert_eq!(code.trim_end(), source[..tests].trim_end(), "{name}.rs");
        }
        let listed: BTreeSet<String> = MODULES.iter().map(|m| m.name.to_owned()).collect();
        assert_eq!(&names - &BTreeSet::from(["lib".to_owned()]), listed);
    }

    /// The items of a file as token text, with their attributes (comments aside), but for
    /// the alias of the runtime crate's root and `mod.rs`'s re-export of the macros.
    fn items(text: &str) -> BTreeSet<String> {
        syn::parse_file(text)
            .unwrap()
            .items
            .iter()
            .map(|item| item.to_token_stream().to_string())
            .filter(|item| !item.contains("use crate as runtime"))
            .filter(|item| !item.contains("pub (crate) use"))
            .collect()
    }

    #[test]
    fn mod_rs_declares_and_re_exports_what_lib_rs_does() {
        let lib_rs = std::fs::read_to_string(runtime_src().join("lib.rs")).unwrap();
        let (_, mod_rs) = files(HEADER).into_iter().next().unwrap();
        let (lib_items, mod_items) = (items(&lib_rs), items(&mod_rs));
        assert_eq!(lib_items, mod_items);
        assert!(lib_rs.contains("pub use crate as runtime;"));
        assert!(!mod_rs.contains("use crate as runtime"));
        let declared = mod_items.iter().filter(|i| i.starts_with("mod ")).count();
        assert_eq!(declared, MODULES.len());
    }

    /// Every macro the runtime exports is re-exported under `runtime` by `mod.rs`, where
    /// generated code invokes it, and `mod.rs` re-exports nothing else to the crate alone.
    #[test]
    fn mod_rs_re_exports_every_exported_macro() {
        fn names(tree: &syn::UseTree, out: &mut BTreeSet<String>) {
            match tree {
                syn::UseTree::Path(path) => names(&path.tree, out),
                syn::UseTree::Name(name) => {
                    out.insert(name.ident.to_string());
                }
                syn::UseTree::Group(group) => group.items.iter().for_each(|t| names(t, out)),
                other => panic!("{}", other.to_token_stream()),
            }
        }
        let (_, mod_rs) = files(HEADER).into_iter().next().unwrap();
        let mut re_exported = BTreeSet::new();
        for item in syn::parse_file(&mod_rs).unwrap().items {
            if let syn::Item::Use(item) = item {
                if matches!(item.vis, syn::Visibility::Restricted(_)) {
                    names(&item.tree, &mut re_exported);
                }
            }
        }
        let mut exported = BTreeSet::new();
        for module in MODULES {
            for item in syn::parse_file(module.source).unwrap().items {
                let syn::Item::Macro(m) = item else { continue };
                if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                    exported.insert(m.ident.as_ref().unwrap().to_string());
                }
            }
        }
        assert!(exported.contains("client_types"), "{exported:?}");
        assert_eq!(re_exported, exported);
    }
}
