//! Turns an OpenAPI document into the source files of a typed Rust client crate.
//!
//! The pipeline, one module per stage:
//!
//! 1. [`load`]: text (YAML or JSON) into a JSON value tree, syntax errors with line and column;
//!    then the [`overlay`]s, if any, applied to that tree in order;
//! 2. [`normalize`]: a tolerant rewrite of that tree into the OpenAPI 3.0 shape that
//!    `openapiv3` reads (3.1 idioms, common mistakes of real specs), then typed parsing;
//! 3. [`ir`]: the intermediate representation: named types, operations, security, servers;
//! 4. [`emit`]: Rust source built with `quote`, formatted by `prettyplease`.
//!
//! Beside the pipeline, [`diff`] compares the IRs of two versions of a spec and says what
//! the change breaks for users of the generated crate.
//!
//! Every error names its place in the document (a JSON pointer, or line and column for
//! syntax); constructs that cannot be modelled yet become [`Diagnostic`]s with a typed fallback.

pub mod build;
mod checks;
pub mod diff;
pub mod emit;
pub mod error;
pub mod ir;
pub mod load;
pub mod naming;
pub mod normalize;
pub mod overlay;
pub mod pointer;

pub use error::{Diagnostic, Error, Severity};
pub use overlay::OverlayText;

/// What the generated files say about their origin.
#[derive(Debug, Clone)]
pub struct Options {
    /// The command that regenerates the files, written into each file's header.
    pub command: String,
    /// The spec's path as it should appear in headers (relative, so output is machine-independent).
    pub spec_name: String,
    /// Gate parts of the crate behind its cargo features (`roundtrip`); off for code a build
    /// script generates into `OUT_DIR`, whose crate declares no such features: then every
    /// model derives both serde traits.
    pub cargo_features: bool,
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
    /// The crate's cargo features and the client methods each compiles (none for
    /// `schemas`), for reports.
    pub features: std::collections::BTreeMap<String, Vec<String>>,
}

/// The stack of the thread the pipeline runs on. The stages recurse over the document's
/// nesting, which the YAML reader caps at 128 levels; a deep document within that cap needs
/// more than a default thread's stack in a debug build. Only the pages used are committed.
pub(crate) const PIPELINE_STACK: usize = 256 * 1024 * 1024;

/// Runs the whole pipeline on a spec's text, on a thread with a 256 MiB stack, so
/// deeply nested documents cannot overflow the caller's stack.
pub fn generate(spec_text: &str, options: &Options) -> Result<Generated, Error> {
    generate_with_overlays(spec_text, &[], options)
}

/// [`generate`], with Overlay 1.0 documents applied in order to the spec before it is
/// normalised (see [`overlay`]). An error in an overlay is [`Error::Overlay`], located in
/// that overlay; a target that selects nothing is a warning whose
/// [`document`](Diagnostic::document) names the overlay.
pub fn generate_with_overlays(
    spec_text: &str,
    overlays: &[OverlayText],
    options: &Options,
) -> Result<Generated, Error> {
    on_pipeline_thread(|| run_pipeline(spec_text, overlays, options))
}

/// The IR of a spec with its overlays applied, and the diagnostics met on the way: what
/// [`diff`] compares. Runs on the pipeline's thread, like [`generate`].
pub fn build_api(
    spec_text: &str,
    overlays: &[OverlayText],
) -> Result<(ir::Api, Vec<Diagnostic>), Error> {
    on_pipeline_thread(|| {
        let mut diagnostics = Vec::new();
        let api = api_of(spec_text, overlays, &mut diagnostics)?;
        Ok((api, diagnostics))
    })
}

/// Runs `work` on a thread with a 256 MiB stack (or here, when no thread can be started).
fn on_pipeline_thread<T: Send>(work: impl FnOnce() -> T + Send) -> T {
    // Shared with the thread, so that the work is still here if no thread can start.
    let work = std::sync::Mutex::new(Some(work));
    let take = || {
        let mut slot = work.lock().unwrap_or_else(|e| e.into_inner());
        slot.take().expect("the work runs once")
    };
    std::thread::scope(|scope| {
        let spawned = std::thread::Builder::new()
            .name("openapi-generator".into())
            .stack_size(PIPELINE_STACK)
            .spawn_scoped(scope, || take()());
        match spawned {
            Ok(handle) => match handle.join() {
                Ok(result) => result,
                // A panic is a bug in the generator: let it reach the caller unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            },
            // No thread could be started (resource limits): run here instead.
            Err(_) => take()(),
        }
    })
}

fn api_of(
    spec_text: &str,
    overlays: &[OverlayText],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<ir::Api, Error> {
    let mut tree = load::load(spec_text)?;
    overlay::apply_all(&mut tree, overlays, diagnostics)?;
    let document = normalize::normalize(tree, diagnostics)?;
    ir::build(document, diagnostics)
}

fn run_pipeline(
    spec_text: &str,
    overlays: &[OverlayText],
    options: &Options,
) -> Result<Generated, Error> {
    let mut diagnostics = Vec::new();
    let api = api_of(spec_text, overlays, &mut diagnostics)?;
    let files = emit::emit(&api, options)?;
    Ok(Generated {
        files,
        diagnostics,
        operation_count: api.operations.len(),
        type_count: api.types.len(),
        example_count: api.examples.len(),
        features: api
            .features
            .iter()
            .map(|feature| {
                let methods = api.operations.iter().filter(|op| &op.feature == feature);
                (feature.clone(), methods.map(|op| op.name.clone()).collect())
            })
            .collect(),
    })
}
