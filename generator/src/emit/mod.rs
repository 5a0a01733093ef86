//! Emitting: the IR into formatted Rust files.
//!
//! Each item is written in one place, in one form: most as text, line by line, laid out as
//! `prettyplease` would lay them out ([`layout`]; an item whose layout is not known there
//! falls back to `prettyplease`), the rest (the client, events, pagination, the crate root)
//! built as tokens with `quote` and printed by `prettyplease` ([`code`] keeps both in file
//! order). Large files are cut into runs of items built and formatted on all cores, with
//! the same bytes as on one. Each file starts with a header naming the command that wrote it.
//! The crate's files:
//!
//! - `src/lib.rs`: crate docs and re-exports;
//! - `src/models.rs`: the spec's schemas ([`models`]);
//! - `src/operations.rs`: one request builder and one error enum per operation ([`operations`]);
//! - `src/client.rs`: servers, security schemes and credential setters ([`client`]);
//! - `src/runtime/`: the shared runtime, the modules of the runtime crate ([`runtime`]), when
//!   it is vendored (the crate may depend on the runtime crate instead: [`crate::Runtime`]);
//! - for corpus crates, `examples/{roundtrip,contract,replay}.rs` (`crate::checks`).

pub mod client;
pub mod code;
pub mod constructors;
pub mod docs;
pub mod features;
pub mod layout;
pub mod models;
pub mod operations;
pub mod runtime;
pub mod single;
pub mod types;

use std::ops::Range;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use rayon::prelude::*;

pub use self::code::Code;
use crate::error::Error;
use crate::ir::Api;
use crate::{GeneratedFile, Manifest, Options};

/// A file's code before formatting: either text ready as it is, or a number of items
/// whose code is built on demand, a run at a time (a run starting at 0 carries what
/// opens the file). Runs can be built, parsed and printed on different threads, because
/// token streams cannot cross threads but the IR can.
enum Body<'a> {
    Text(String),
    Items {
        count: usize,
        /// How many times the work of a model one item stands for: a file of heavier items
        /// is cut into shorter runs.
        weight: usize,
        build: Box<dyn Fn(Range<usize>) -> Code + Sync + 'a>,
    },
}

struct Planned<'a> {
    path: &'static str,
    body: Body<'a>,
}

/// Files with more items than this are cut into runs of about this many items, formatted
/// on whichever core is free; a spec with no file that long stays on one thread.
const RUN: usize = 150;

fn items<'a>(count: usize, build: impl Fn(Range<usize>) -> Code + Sync + 'a) -> Body<'a> {
    weighed_items(count, 1, build)
}

fn weighed_items<'a>(
    count: usize,
    weight: usize,
    build: impl Fn(Range<usize>) -> Code + Sync + 'a,
) -> Body<'a> {
    Body::Items {
        count,
        weight,
        build: Box::new(build),
    }
}

/// An operation's items (client method, builder and its setters, request, send, error
/// enum) take about this many times a model's work to build and format.
const OPERATION_WEIGHT: usize = 10;

fn whole<'a>(build: impl Fn() -> TokenStream + Sync + 'a) -> Body<'a> {
    items(1, move |_| Code::from(build()))
}

fn plan<'a>(api: &'a Api, options: &'a Options, header: &str) -> Vec<Planned<'a>> {
    let defs = models::sorted(&api.types);
    let mut files = vec![
        Planned {
            path: "src/client.rs",
            body: whole(|| client::emit(api)),
        },
        Planned {
            path: "src/lib.rs",
            body: whole(|| lib_rs(api, &options.runtime)),
        },
        Planned {
            path: "src/models.rs",
            body: items(defs.len(), move |run| {
                models::emit_part(
                    &api.types,
                    &defs[run.clone()],
                    run.start == 0,
                    options.cargo_features,
                )
            }),
        },
        Planned {
            path: "src/operations.rs",
            body: weighed_items(api.operations.len(), OPERATION_WEIGHT, move |run| {
                operations::emit_part(
                    api,
                    &api.operations[run.clone()],
                    run.start == 0,
                    options.cargo_features,
                )
            }),
        },
    ];
    if options.runtime.is_vendored() {
        files.extend(
            runtime::files(header)
                .into_iter()
                .map(|(path, text)| Planned {
                    path,
                    body: Body::Text(text),
                }),
        );
    }
    if let Some(manifest) = &options.manifest {
        files.push(Planned {
            path: "Cargo.toml",
            body: Body::Text(cargo_toml(api, options, manifest)),
        });
        if manifest.example_check {
            files.push(Planned {
                path: "examples/roundtrip.rs",
                body: whole(|| crate::checks::roundtrip::emit(api, &manifest.name)),
            });
            files.push(Planned {
                path: "examples/contract.rs",
                body: whole(|| crate::checks::contract::emit(api, &manifest.name)),
            });
            files.push(Planned {
                path: "examples/replay.rs",
                body: whole(|| crate::checks::replay::emit(api, &manifest.name)),
            });
        }
    }
    files
}

/// All source files of the generated crate, paths relative to the crate root. Large files
/// are built and formatted in runs on all cores; the bytes are those of [`format()`] applied
/// to [`tokens`], whatever the number of cores.
pub fn emit(api: &Api, options: &Options) -> Result<Vec<GeneratedFile>, Error> {
    emit_in_runs(api, options, RUN)
}

fn emit_in_runs(
    api: &Api,
    options: &Options,
    run_size: usize,
) -> Result<Vec<GeneratedFile>, Error> {
    let header = header(options);
    let planned = plan(api, options, &header);
    // Every run of every file, in file order: the file's index, its builder, the items.
    type Builder<'b> = dyn Fn(Range<usize>) -> Code + Sync + 'b;
    let mut runs: Vec<(usize, &Builder, Range<usize>)> = Vec::new();
    for (index, file) in planned.iter().enumerate() {
        if let Body::Items {
            count,
            weight,
            build,
        } = &file.body
        {
            let count = *count;
            let pieces = count.div_ceil((run_size / weight).max(1)).max(1);
            let size = count.div_ceil(pieces).max(1);
            for start in (0..pieces).map(|p| p * size) {
                runs.push((index, build.as_ref(), start..(start + size).min(count)));
            }
        }
    }
    // A run formatted: its file's index and its text.
    type Formatted = (usize, Result<String, Error>);
    let format_run = |(index, build, run): &(usize, &Builder, Range<usize>)| {
        (*index, build(run.clone()).format())
    };
    // A spec whose files all fit in one run each is small: threads would cost more than
    // they save.
    let cut = runs.len()
        > planned
            .iter()
            .filter(|f| matches!(f.body, Body::Items { .. }))
            .count();
    let threads = if cut {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(runs.len())
    } else {
        1
    };
    // Formatting recurses over the nesting of the code, so the pool's threads get the
    // pipeline's stack; a pool that cannot be started leaves the work to this thread.
    let pool = (threads > 1)
        .then(|| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .stack_size(crate::PIPELINE_STACK)
                .build()
                .ok()
        })
        .flatten();
    let formatted: Vec<Formatted> = match pool {
        Some(pool) => pool.install(|| runs.par_iter().map(format_run).collect()),
        None => runs.iter().map(format_run).collect(),
    };
    // Each file's parts, in order; a file's text is allocated at its final size, and each
    // part freed once copied in (the largest specs' files are a hundred megabytes).
    let mut parts: Vec<Vec<String>> = vec![Vec::new(); planned.len()];
    for (index, part) in formatted {
        parts[index].push(part?);
    }
    let mut files = Vec::new();
    for (file, parts) in planned.into_iter().zip(parts) {
        let contents = match file.body {
            Body::Text(text) => text,
            Body::Items { .. } => {
                let size = header.len() + 1 + parts.iter().map(String::len).sum::<usize>();
                let mut contents = String::with_capacity(size);
                contents.push_str(&header);
                contents.push('\n');
                for part in parts {
                    contents.push_str(&part);
                }
                code::separate_items(&contents)
            }
        };
        files.push(GeneratedFile {
            path: file.path.into(),
            contents,
        });
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// A file as [`tokens`] gives it: items still to format, or text ready as it is (the
/// runtime's modules, `Cargo.toml`).
pub enum FileCode {
    Items(Code),
    Text(String),
}

/// The emitting stage alone, on one thread: each file's path and its code (or its text).
/// With [`format()`], the same files as `emit`; the benchmark times the two apart, and
/// `generator/tests/layout.rs` checks the code's layout.
pub fn tokens(api: &Api, options: &Options) -> Vec<(&'static str, FileCode)> {
    let header = header(options);
    plan(api, options, &header)
        .into_iter()
        .map(|file| {
            let body = match file.body {
                Body::Text(text) => FileCode::Text(text),
                Body::Items { count, build, .. } => FileCode::Items(build(0..count)),
            };
            (file.path, body)
        })
        .collect()
}

/// The formatting stage alone, on one thread: tokens parsed by `syn`, printed by `prettyplease`.
pub fn format(
    files: Vec<(&'static str, FileCode)>,
    options: &Options,
) -> Result<Vec<GeneratedFile>, Error> {
    let header = header(options);
    let mut files = files
        .into_iter()
        .map(|(path, body)| {
            let contents = match body {
                FileCode::Text(text) => text,
                FileCode::Items(code) => {
                    code::separate_items(&format!("{header}\n{}", code.format()?))
                }
            };
            Ok(GeneratedFile {
                path: path.into(),
                contents,
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

/// The version in a generated crate's `Cargo.toml`.
pub const CRATE_VERSION: &str = "0.1.0";

/// The dependencies the generated code and its vendored runtime use, one line each.
const DEPENDENCIES: &str = r#"backon = { version = "1", default-features = false, features = ["std"] }
bytes = "1"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
futures-util = { version = "0.3", default-features = false, features = ["std"] }
memchr = "2"
percent-encoding = "2"
reqwest = { version = "0.12", default-features = false, features = ["http2", "json", "multipart", "rustls-tls", "stream"] }
serde = { version = "1.0.184", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order"] }
serde_path_to_error = "0.1"
tokio = { version = "1", features = ["fs", "time"] }
tokio-util = { version = "0.7", default-features = false, features = ["io"] }
tracing = { version = "0.1", optional = true }
uuid = { version = "1", features = ["serde"] }
"#;

/// Of [`DEPENDENCIES`], the crates generated code names itself (`reqwest::Method`,
/// `serde_json::Value`, the serde impls the runtime's macros write, ...): all a crate that
/// depends on the runtime crate needs beside it.
const GENERATED_CODE_DEPENDENCIES: &[&str] =
    &["bytes", "chrono", "reqwest", "serde", "serde_json", "uuid"];

/// Of [`DEPENDENCIES`], the crates the example programs of corpus crates name.
const EXAMPLE_DEPENDENCIES: &[&str] = &["futures-util", "serde_path_to_error", "tokio"];

/// The `[dependencies]` of a crate with this runtime, one line each.
fn dependencies(runtime: &crate::Runtime, example_check: bool) -> String {
    let runtime_line = match runtime {
        crate::Runtime::Vendored => return DEPENDENCIES.to_owned(),
        crate::Runtime::Path(path) => format!("oagen-runtime = {{ path = {path:?} }}\n"),
        crate::Runtime::Version(version) => {
            format!("oagen-runtime = {{ version = {version:?} }}\n")
        }
    };
    let mut lines: Vec<String> = DEPENDENCIES
        .lines()
        .filter(|line| {
            let name = line.split(' ').next().unwrap_or_default();
            GENERATED_CODE_DEPENDENCIES.contains(&name)
                || (example_check && EXAMPLE_DEPENDENCIES.contains(&name))
        })
        .map(|line| format!("{line}\n"))
        .collect();
    lines.push(runtime_line);
    lines.sort();
    lines.concat()
}

/// The crate's features beside its API groups.
fn features(runtime: &crate::Runtime) -> String {
    // With the runtime crate, the feature turns on that crate's spans.
    let tracing = if runtime.is_vendored() {
        "dep:tracing"
    } else {
        "oagen-runtime/tracing"
    };
    format!(
        "# Spans per request (method, path template, attempt, status) through `tracing`.\ntracing = [{tracing:?}]\n{ROUNDTRIP_FEATURE}"
    )
}

/// The `roundtrip` feature, with its comment.
const ROUNDTRIP_FEATURE: &str = r#"# `Serialize` and `Deserialize` on every model: without it, a type only requests carry is
# only encoded and one only responses carry only decoded, which is all a client needs.
roundtrip = []
"#;

fn cargo_toml(api: &Api, options: &Options, manifest: &Manifest) -> String {
    let header = header(options).replace("// ", "# ");
    let description = format!(
        "Typed client for {} {}, generated from {}",
        api.title, api.version, options.spec_name
    );
    let workspace = if manifest.standalone {
        "\n[workspace]\n"
    } else {
        ""
    };
    // The example programs of corpus crates run on tokio (and some serve on 127.0.0.1); the
    // ones that decode and encode every example need both directions of every model.
    let dev = if manifest.example_check {
        "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"io-util\", \"macros\", \"net\", \"rt\"] }\n\n[[example]]\nname = \"roundtrip\"\nrequired-features = [\"roundtrip\"]\n\n[[example]]\nname = \"contract\"\nrequired-features = [\"roundtrip\"]\n\n[[example]]\nname = \"replay\"\nrequired-features = [\"roundtrip\"]\n"
    } else {
        ""
    };
    format!(
        "{header}\n[package]\nname = {name:?}\nversion = {CRATE_VERSION:?}\nedition = \"2021\"\npublish = false\ndescription = {description:?}\n\n[dependencies]\n{dependencies}\n[features]\n{groups}{features}{dev}{workspace}",
        name = manifest.name,
        dependencies = dependencies(&options.runtime, manifest.example_check),
        groups = feature_groups(api),
        features = features(&options.runtime),
    )
}

/// `default` and a feature per group of operations: each compiles its operations and the
/// types they use (see `ir::features`).
fn feature_groups(api: &Api) -> String {
    let quoted: Vec<String> = api.features.iter().map(|f| format!("{f:?}")).collect();
    let mut out = format!(
        "# Every group of operations. A user of a few operations can turn the others off:\n# `default-features = false, features = [...]`.\ndefault = [{}]\n",
        quoted.join(", ")
    );
    for feature in &api.features {
        let ops: Vec<&crate::ir::Operation> = api
            .operations
            .iter()
            .filter(|op| &op.feature == feature)
            .collect();
        let what = match ops.first().map(|op| op.tag.as_deref()) {
            None => "The schemas no operation uses.".to_owned(),
            Some(Some(tag)) => format!("The operations tagged `{tag}` ({}).", ops.len()),
            Some(None) => format!("The operations without a tag ({}).", ops.len()),
        };
        out.push_str(&format!("# {what}\n{feature} = []\n"));
    }
    out
}

/// The comment that opens every generated file.
pub fn header(options: &Options) -> String {
    format!(
        "// @generated by `{}` from {}.\n// Do not edit by hand: change the spec or the generator and run the command again.\n",
        options.command, options.spec_name
    )
}

fn lib_rs(api: &Api, runtime: &crate::Runtime) -> TokenStream {
    // The runtime's re-exports in uses of one line each: a list wrapped over several lines
    // is filled to 100 columns by rustfmt but to fewer by prettyplease.
    let mut lines: Vec<Vec<&str>> = vec![Vec::new()];
    for name in crate::naming::reserved::RUNTIME_EXPORTS {
        let line = lines.last_mut().expect("one line at least");
        let width: usize = line.iter().map(|n| n.len() + 2).sum();
        if !line.is_empty() && "pub use runtime::{};".len() + width + name.len() > 80 {
            lines.push(vec![name]);
        } else {
            line.push(name);
        }
    }
    let exports = lines.iter().map(|line| {
        let names = line.iter().map(|name| format_ident!("{name}"));
        quote! { pub use runtime::{ #( #names ),* }; }
    });
    let title = format!(" {} (version {})", api.title, api.version);
    let description = api
        .description
        .as_deref()
        .map(docs::sanitize)
        .unwrap_or_default();
    let blank = if description.is_empty() {
        Vec::new()
    } else {
        vec![String::new()]
    };
    let runtime_item = if runtime.is_vendored() {
        quote! {
            // The runtime is the same for every API and a given API uses part of it: the rest
            // is dead code in this crate, and re-exported by `runtime/mod.rs` for nothing. Its
            // docs link to its `Client` and `ClientBuilder`, which the crate does not export
            // (it exports its own, which wrap them).
            #[rustfmt::skip]
            #[allow(dead_code, unused_imports, rustdoc::private_intra_doc_links)]
            mod runtime;
        }
    } else {
        // Generated code names the runtime's items `crate::runtime::Name` in both modes.
        quote! { use oagen_runtime as runtime; }
    };
    quote! {
        #![doc = #title]
        #( #![doc = #blank] )*
        #( #![doc = #description] )*
        #![doc = ""]
        #![doc = " A typed client generated from the API's OpenAPI document. Build a [`Client`] with"]
        #![doc = " [`Client::builder`], call one method per operation, and `send().await` the request."]
        #![doc = " Every operation returns its documented success type or an [`Error`] whose `Api`"]
        #![doc = " variant carries the typed body of a documented error status."]
        #![doc = ""]
        #![doc = " Models are built from what is required, optional fields by methods named after them:"]
        #![doc = ""]
        #![doc = " ```text"]
        #![doc = " let request = ChatRequest::new([Message::user(\"Hello\")]).model(\"gpt\").temperature(0.7);"]
        #![doc = " ```"]
        #![doc = ""]
        #![doc = " `new` takes the required fields (each `impl Into<T>`) and fills in what the schema"]
        #![doc = " implies (a `const`, a one-value enum, a union variant's tag); a model with nothing"]
        #![doc = " required is also `Default`. Unions convert from their variants' types (`\"Hello\".into()`"]
        #![doc = " for one with a string branch), string enums from text (`\"low\".into()`), and a union"]
        #![doc = " variant whose struct needs one value has a constructor named after it. Properties the"]
        #![doc = " spec does not declare are kept in `additional_properties` and sent back as they came."]
        #![doc = " Structs and enums are `#[non_exhaustive]`: build them with `new`, match them with a `_`"]
        #![doc = " arm, and a field or variant a later version of the API adds breaks nothing."]

        #[rustfmt::skip]
        mod client;
        #[rustfmt::skip]
        pub mod models;
        #[rustfmt::skip]
        pub mod operations;
        #runtime_item

        pub use client::{Client, ClientBuilder, SERVERS, USER_AGENT};
        #( #exports )*
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// With the runtime crate, no copy of it, an alias in `lib.rs`, and a manifest that
    /// depends on it and on what generated code names, its `tracing` forwarded; the other
    /// files are those of a vendored crate.
    #[test]
    fn a_crate_with_the_runtime_crate_depends_on_it_instead_of_a_copy() {
        let spec = include_str!("../../../fixtures/streaming.yaml");
        let options = Options::new()
            .command("test")
            .manifest(Manifest::new("fixture"));
        let vendored = crate::generate(spec, &options).unwrap().files;
        let options = options.runtime(crate::Runtime::Path("../runtime".into()));
        let files = crate::generate(spec, &options).unwrap().files;
        let file = |files: &[GeneratedFile], path: &str| {
            let file = files.iter().find(|f| f.path == path);
            file.map(|f| f.contents.clone()).unwrap_or_default()
        };
        assert!(vendored.iter().any(|f| f.path == "src/runtime/mod.rs"));
        assert!(!files.iter().any(|f| f.path.starts_with("src/runtime/")));
        for path in ["src/client.rs", "src/models.rs", "src/operations.rs"] {
            assert_eq!(file(&files, path), file(&vendored, path), "{path}");
        }
        let lib = file(&files, "src/lib.rs");
        assert!(lib.contains("\nuse oagen_runtime as runtime;\n"), "{lib}");
        assert!(!lib.contains("mod runtime"), "{lib}");
        let manifest = file(&files, "Cargo.toml");
        assert!(manifest.contains("\noagen-runtime = { path = \"../runtime\" }\n"));
        assert!(manifest.contains("\ntracing = [\"oagen-runtime/tracing\"]\n"));
        let start = manifest.find("[dependencies]").unwrap();
        let dependencies = &manifest[start..manifest.find("[features]").unwrap()];
        for name in ["bytes", "chrono", "reqwest", "serde", "serde_json", "uuid"] {
            assert!(dependencies.contains(&format!("\n{name} = ")), "{name}");
        }
        for name in ["backon", "memchr", "tokio", "tracing", "futures-util"] {
            assert!(!dependencies.contains(&format!("\n{name} = ")), "{name}");
        }
        let options = options.runtime(crate::Runtime::Version("0.1".into()));
        let manifest = file(
            &crate::generate(spec, &options).unwrap().files,
            "Cargo.toml",
        );
        assert!(manifest.contains("\noagen-runtime = { version = \"0.1\" }\n"));
    }

    /// Runs of two items on every core give the bytes of the whole files formatted at once.
    #[test]
    fn runs_in_parallel_give_the_same_bytes() {
        for fixture in [
            include_str!("../../../fixtures/combinations.yaml"),
            include_str!("../../../fixtures/streaming.yaml"),
            include_str!("../../../openapi/openapi.yaml"),
        ] {
            let mut diagnostics = Vec::new();
            let tree = crate::load::load(fixture).unwrap();
            let doc = crate::normalize::normalize(tree, &mut diagnostics).unwrap();
            let api = crate::ir::build(doc, &mut diagnostics).unwrap();
            let options = Options::new()
                .command("test")
                .spec_name("fixture")
                .manifest(
                    Manifest::new("fixture")
                        .standalone(true)
                        .example_check(true),
                );
            let whole = format(tokens(&api, &options), &options).unwrap();
            for run_size in [1, 2, 5] {
                assert_eq!(emit_in_runs(&api, &options, run_size).unwrap(), whole);
            }
        }
    }
}
