//! Generating a client from a build script, into `OUT_DIR`.
//!
//! The client is written as one file, `client.rs`, in which each module is inline
//! (`mod models { ... }`; see `emit::single`), because a file
//! `include!`d from `OUT_DIR` cannot declare `mod foo;` files. Include it at the root of
//! your library (generated code names its items from `crate::`), and give your crate the
//! generated code's dependencies (see the `[dependencies]` of a crate made by
//! `oagen generate`).
//!
//! `build.rs`:
//!
//! ```no_run
//! fn main() {
//!     oagen_generator::build::generate_into_out_dir("openapi.yaml").unwrap();
//! }
//! ```
//!
//! With an overlay, or another file name:
//!
//! ```no_run
//! fn main() {
//!     oagen_generator::build::Build::new("openapi.yaml")
//!         .overlay("openapi-fixes.yaml")
//!         .file_name("api.rs")
//!         .generate()
//!         .unwrap_or_else(|e| panic!("{e}"));
//! }
//! ```
//!
//! `src/lib.rs`:
//!
//! ```ignore
//! include!(concat!(env!("OUT_DIR"), "/client.rs"));
//! ```
//!
//! Cargo is told to run the script again when the spec or an overlay changes
//! (`cargo:rerun-if-changed=`); the generator's warnings become `cargo:warning=` lines.
//!
//! Committed code (`oagen generate`, `oagen codegen`) is the better default: its diffs are
//! reviewed, IDEs see it, and users do not build the generator. Generate at build time when
//! the spec changes often and is versioned beside the code that uses it, or when the
//! generated code must never be edited by hand.

// The examples are build scripts, whose `main` is the point.
#![allow(clippy::needless_doctest_main)]

use std::fmt;
use std::path::{Path, PathBuf};

use crate::{Options, OverlayText, Severity};

/// A generation for a build script: a spec, its overlays, the file to write in `OUT_DIR`.
#[derive(Debug, Clone)]
pub struct Build {
    spec: PathBuf,
    overlays: Vec<PathBuf>,
    file_name: String,
    out_dir: Option<PathBuf>,
}

/// Why a build-script generation failed, located (the spec or overlay, and the place in it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildError(String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BuildError {}

/// Generates the client of the spec at `spec_path` (relative to the package's root, where
/// build scripts run) into `$OUT_DIR/client.rs`, and returns that file's path.
pub fn generate_into_out_dir(spec_path: impl AsRef<Path>) -> Result<PathBuf, BuildError> {
    Build::new(spec_path).generate()
}

impl Build {
    pub fn new(spec_path: impl AsRef<Path>) -> Self {
        Build {
            spec: spec_path.as_ref().to_path_buf(),
            overlays: Vec::new(),
            file_name: "client.rs".to_owned(),
            out_dir: None,
        }
    }

    /// An Overlay 1.0 document applied to the spec (overlays apply in the order given).
    pub fn overlay(mut self, path: impl AsRef<Path>) -> Self {
        self.overlays.push(path.as_ref().to_path_buf());
        self
    }

    /// The file written in `OUT_DIR` (default `client.rs`).
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = name.into();
        self
    }

    /// Writes into this directory instead of `$OUT_DIR`.
    pub fn out_dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.out_dir = Some(dir.as_ref().to_path_buf());
        self
    }

    /// Generates and writes the file (only when its content changed, so that Cargo does not
    /// rebuild for nothing), printing the `cargo:` lines; returns the file's path.
    pub fn generate(self) -> Result<PathBuf, BuildError> {
        let fail = |message: String| BuildError(message);
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or_else(|| fail("OUT_DIR is not set: run this from a build script".into()))?,
        };
        let read = |path: &Path| {
            println!("cargo:rerun-if-changed={}", path.display());
            std::fs::read_to_string(path)
                .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))
        };
        let spec_name = self.spec.display().to_string();
        let text = read(&self.spec)?;
        let overlays = self
            .overlays
            .iter()
            .map(|path| Ok(OverlayText::new(path.display().to_string(), read(path)?)))
            .collect::<Result<Vec<_>, BuildError>>()?;
        let options = Options::new()
            .command("oagen_generator::build (a build script)")
            .spec_name(spec_name.clone())
            .cargo_features(false);
        let generated = crate::generate_with_overlays(&text, &overlays, &options).map_err(|e| {
            fail(match e.document() {
                Some(overlay) => format!("{overlay}: {}", e.in_document()),
                None => format!("{spec_name}: {e}"),
            })
        })?;
        for d in &generated.diagnostics {
            if d.severity == Severity::Warning {
                let document = d.document.as_deref().unwrap_or(&spec_name);
                println!("cargo:warning={document}: {d}");
            }
        }
        let contents =
            crate::emit::single::single_file(&generated.files, &crate::emit::header(&options))
                .map_err(|e| fail(format!("{spec_name}: {e}")))?;
        let path = out_dir.join(&self.file_name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(contents.as_str()) {
            std::fs::create_dir_all(&out_dir)
                .and_then(|()| std::fs::write(&path, contents))
                .map_err(|e| fail(format!("cannot write {}: {e}", path.display())))?;
        }
        Ok(path)
    }
}
