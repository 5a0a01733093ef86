//! Turns an OpenAPI document into the source files of a typed Rust client crate.
//!
//! The front door: [`generate`] (or [`generate_with_overlays`]) takes a spec's text and
//! [`Options`] and returns the [`Generated`] files and the [`Diagnostic`]s met, or an
//! [`Error`] naming the place in the document; [`build`] does the same from a build script
//! into `OUT_DIR`; [`diff`] compares two versions of a spec ([`build_api`] gives each one's
//! [`Api`]) and says what the change breaks for users of the generated crate.
//!
//! Inside, one private module per stage (see `ARCHITECTURE.md`):
//!
//! 1. `load`: text (YAML or JSON) into a JSON value tree, syntax errors with line and column;
//!    then the overlays, if any, applied to that tree in order;
//! 2. `normalize`: a tolerant rewrite of that tree into the OpenAPI 3.0 shape that
//!    `openapiv3` reads (3.1 idioms, common mistakes of real specs), then typed parsing;
//! 3. `ir`: the intermediate representation: named types, operations, security, servers;
//! 4. `emit`: the Rust files, each item written once (most as text laid out as
//!    `prettyplease` would, the rest as `quote` tokens printed by `prettyplease`).
//!
//! Every error names its place in the document (a JSON pointer, or line and column for
//! syntax); constructs that cannot be modelled yet become [`Diagnostic`]s with a typed fallback.

pub mod build;
mod checks;
pub mod diff;
mod emit;
mod error;
mod ir;
mod load;
mod naming;
mod normalize;
mod overlay;
mod pointer;

pub use error::{Diagnostic, Error, Severity};
pub use ir::Api;
pub use overlay::OverlayText;

/// The pipeline's stages one at a time, for the benchmark and the tests that look inside
/// them: not part of the supported API, and free to change.
#[doc(hidden)]
pub mod stages {
    pub use crate::emit::{format, tokens, Code, FileCode, CRATE_VERSION};
    pub use crate::ir::{build as ir, TypeKind};
    pub use crate::load::load;
    pub use crate::normalize::normalize;
}

/// What the generated files say about their origin, and whether they make a whole crate.
///
/// Built from [`Options::new`] (the same as `Options::default()`) with a setter per field:
///
/// ```
/// use oagen_generator::{Manifest, Options};
///
/// let options = Options::new()
///     .command("cargo xtask codegen")
///     .spec_name("openapi/petstore.yaml")
///     .manifest(Manifest::new("petstore-client").standalone(true));
/// # let spec = "{openapi: 3.0.3, info: {title: Pets, version: '1'}, paths: {}}";
/// let generated = oagen_generator::generate(spec, &options).unwrap();
/// assert!(generated.files.iter().any(|f| f.path == "Cargo.toml"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
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
    /// Where the crate gets the runtime from: a copy under `src/runtime/` (the default) or
    /// the `oagen-runtime` crate.
    pub runtime: Runtime,
}

/// Where a generated crate gets the runtime (HTTP, retries, decoding, errors) from. The
/// generated code is the same either way but for `lib.rs`, which declares `mod runtime;` or
/// says `use oagen_runtime as runtime;`, and the `Cargo.toml`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Runtime {
    /// The runtime's modules copied into `src/runtime/`: the crate stands alone and depends
    /// on the runtime's own dependencies (`reqwest`, `tokio`, ...). Its types are its own,
    /// distinct from those of every other generated crate.
    #[default]
    Vendored,
    /// A dependency on the `oagen-runtime` crate at this path (in `Cargo.toml`, relative to
    /// the generated crate's directory): no `src/runtime/`, and clients generated against
    /// the same runtime share its types (`RetryPolicy`, `Error`, ...) and its compiled code.
    Path(String),
    /// A dependency on this version requirement of the `oagen-runtime` crate from the
    /// registry (`"0.1"`), otherwise as [`Runtime::Path`].
    Version(String),
}

impl Runtime {
    /// Whether the runtime is copied into the crate.
    pub fn is_vendored(&self) -> bool {
        matches!(self, Runtime::Vendored)
    }
}

impl Default for Options {
    /// Headers that name [`generate`] and "an OpenAPI document", cargo features on, no
    /// `Cargo.toml`, the runtime vendored: the source files of a crate whose manifest is
    /// written by hand.
    fn default() -> Self {
        Options {
            command: "oagen_generator::generate".to_owned(),
            spec_name: "an OpenAPI document".to_owned(),
            cargo_features: true,
            manifest: None,
            runtime: Runtime::Vendored,
        }
    }
}

impl Options {
    /// The defaults (see [`Options::default`]), to change with the setters below.
    pub fn new() -> Self {
        Self::default()
    }

    /// The command that regenerates the files, named in the header of each
    /// (the field `command`): `"cargo xtask codegen"`, say.
    pub fn command(mut self, command: impl Into<String>) -> Self {
        self.command = command.into();
        self
    }

    /// The spec as headers and the manifest's description name it
    /// (the field `spec_name`): a path relative to the repository, so the output
    /// is the same on every machine.
    pub fn spec_name(mut self, spec_name: impl Into<String>) -> Self {
        self.spec_name = spec_name.into();
        self
    }

    /// Whether parts of the crate are gated behind its cargo features
    /// (the field `cargo_features`, on by default); `false` for code a build
    /// script generates into `OUT_DIR`, whose crate declares no such features.
    pub fn cargo_features(mut self, cargo_features: bool) -> Self {
        self.cargo_features = cargo_features;
        self
    }

    /// The `Cargo.toml` to write beside the sources (the field `manifest`): a
    /// [`Manifest`] makes the output a complete crate; `None` (the default) writes sources only.
    pub fn manifest(mut self, manifest: impl Into<Option<Manifest>>) -> Self {
        self.manifest = manifest.into();
        self
    }

    /// Where the crate gets the runtime from (the field `runtime`): [`Runtime::Vendored`]
    /// (the default) copies it into `src/runtime/`; [`Runtime::Path`] and
    /// [`Runtime::Version`] make the crate depend on `oagen-runtime`.
    pub fn runtime(mut self, runtime: Runtime) -> Self {
        self.runtime = runtime;
        self
    }
}

/// The `Cargo.toml` of a generated crate: [`Manifest::new`] with the package name, then the
/// setters.
#[derive(Debug, Clone)]
#[non_exhaustive]
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

impl Manifest {
    /// The manifest of the package `name`, neither standalone nor with the example programs.
    pub fn new(name: impl Into<String>) -> Self {
        Manifest {
            name: name.into(),
            standalone: false,
            example_check: false,
        }
    }

    /// Whether the manifest has an empty `[workspace]` table
    /// (the field `standalone`), so the crate builds on its own wherever it
    /// is put.
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.standalone = standalone;
        self
    }

    /// Whether the example programs that check the crate against the spec are written too
    /// (the field `example_check`).
    pub fn example_check(mut self, example_check: bool) -> Self {
        self.example_check = example_check;
        self
    }
}

/// One generated file, with its path relative to the crate's root (`src/models.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

/// The result of a successful generation.
#[derive(Debug)]
#[non_exhaustive]
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
/// normalised (see the module `overlay`). An error in an overlay is [`Error::Overlay`], located in
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
