//! Turns an OpenAPI document into the source files of a typed Rust client crate.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: text (YAML or JSON) into a JSON value tree, syntax errors with line and column;
//! 2. [`normalize`]: a tolerant rewrite of that tree into the OpenAPI 3.0 shape that
//!    `openapiv3` reads (3.1 idioms, common mistakes of real specs), then typed parsing;
//! 3. [`ir`]: the intermediate representation: named types, operations, security, servers;
//! 4. [`emit`]: Rust source built with `quote`, formatted by `prettyplease`.
//!
//! Every error names its place in the document (a JSON pointer, or line and column for
//! syntax); constructs that cannot be modelled yet become [`Diagnostic`]s with a typed fallback.

pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod pointer;

pub use error::{Diagnostic, Error, Severity};

/// What the generated files say about their origin.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command that regenerates the files, written into each file's header.
    pub command: String,
    /// The spec's path as it should appear in headers (relative, so output is machine-independent).
    pub spec_name: String,
    /// Also write a `Cargo.toml`, making the output a complete crate.
    pub manifest: Option<Manifest>,
}

/// The `Cargo.toml` of a generated crate.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// The package name.
    pub name: String,
    /// Add an empty `[workspace]` table, so the crate builds on its own wherever it is put,
    /// even inside another workspace's directory.
    pub standalone: bool,
    /// Also write the example programs that prove the crate against the spec and the world:
    /// `examples/roundtrip.rs` decodes every example of the spec into its generated type,
    /// encodes it again and reports the ones that differ; `examples/contract.rs` calls every
    /// JSON operation against a mock server; `examples/replay.rs` replays recorded exchanges.
    pub example_check: bool,
}

/// One generated file, with its path relative to the crate's root (`src/models.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The result of a successful generation.
#[derive(Debug)]
pub struct Generated {
    pub files: Vec<GeneratedFile>,
    pub diagnostics: Vec<Diagnostic>,
    /// Number of operations and named types, for reports.
    pub operation_count: usize,
    pub type_count: usize,
    /// Examples in the spec with a type to check them against.
    pub example_count: usize,
}

/// The stack of the thread the pipeline runs on. The stages recurse over the document's
/// nesting, which the YAML reader caps at 128 levels; a deep document within that cap needs
/// more than a default thread's stack in a debug build. Only the pages used are committed.
pub(crate) const PIPELINE_STACK: usize = 256 * 1024 * 1024;

/// Runs the whole pipeline on a spec's text, on a thread with a 256 MiB stack, so
/// deeply nested documents cannot overflow the caller's stack.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Error> {
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("openapi-generator".into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || run_pipeline(spec_text, options));
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                // A panic is a bug in the generator: let it reach the caller unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            },
            // No thread could be started (resource limits): run here instead.
            Err(_) => run_pipeline(spec_text, options),
        }
    })
}

fn run_pipeline(spec_text: &str, options: &Options) -> Result<Generated, Error> {
    let mut diagnostics = Vec::new();
    let tree = load::load(spec_text)?;
    let document = normalize::normalize(tree, &mut diagnostics)?;
    let api = ir::build(&document, &mut diagnostics)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated {
        files,
        diagnostics,
        operation_count: api.operations.len(),
        type_count: api.types.len(),
        example_count: api.examples.len(),
    })
}
