//! The config file (`codegen.toml`): the targets `oagen codegen`, `oagen check` and
//! `cargo xtask codegen` regenerate or check. Paths are relative to the file's directory.
//!
//! ```toml
//! # Named in file headers and in the message of a failed check (default: `oagen codegen`).
//! command = "oagen codegen"
//!
//! [[target]]
//! spec = "openapi/openapi.yaml"     # required
//! out = "generated-client"          # required: the crate's directory
//! name = "openrouter-client"        # the package name (default: from the spec's file name)
//! overlays = ["openapi/fixes.yaml"] # applied in order (default: none)
//! manifest = true                   # write Cargo.toml (default: true; false: only src/)
//! standalone = false                # give Cargo.toml an empty [workspace] (default: false)
//! runtime = { path = "runtime" }    # depend on the runtime crate at this path
//! ```
//!
//! `runtime` says where the crate gets the runtime from: `"vendored"` (the default) copies it
//! into `src/runtime/`; `{ path = "..." }` (relative to the config file's folder, like every
//! path here; written into `Cargo.toml` relative to the crate) or `{ version = "0.1" }` make
//! the crate depend on the `oagen-runtime` crate instead (see `oagen_generator::Runtime`).
//!
//! A mistake is an error naming the file, line and column: a TOML syntax error, an unknown
//! key, a value of the wrong type, a spec or overlay that does not exist, two targets
//! writing to the same directory.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::codegen::{with_overlays, Input, Target};

/// The config file's name, looked for in the current directory and its ancestors.
pub const FILE_NAME: &str = "codegen.toml";

/// The command named when the config does not say.
pub const DEFAULT_COMMAND: &str = "oagen codegen";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    command: Option<String>,
    #[serde(rename = "target", default)]
    targets: Vec<Spanned<RawTarget>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTarget {
    spec: Spanned<String>,
    out: Spanned<String>,
    name: Option<Spanned<String>>,
    #[serde(default)]
    overlays: Vec<Spanned<String>>,
    #[serde(default = "yes")]
    manifest: bool,
    #[serde(default)]
    standalone: bool,
    runtime: Option<Spanned<RawRuntime>>,
}

/// `runtime = "vendored"`, `runtime = { path = "..." }` or `runtime = { version = "..." }`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawRuntime {
    Named(String),
    Crate {
        path: Option<String>,
        version: Option<String>,
    },
}

fn yes() -> bool {
    true
}

/// A config file read and checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    /// The command that regenerates the targets, for headers and messages.
    pub command: String,
    pub targets: Vec<Target>,
}

/// `codegen.toml` in `start` or the nearest of its ancestors.
pub fn find(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|path| path.is_file())
}

/// Line and column (1-based) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |nl| {
        before[nl + 1..].chars().count()
    }) + 1;
    (line, column)
}

impl Config {
    /// Reads the config at `path`.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        Config::parse(path, &text)
    }

    /// Checks a config's text; `path` names it in errors and its folder is the base of its
    /// paths.
    pub fn parse(path: &Path, text: &str) -> Result<Config, String> {
        let at = |offset: usize, message: &str| {
            let (line, column) = line_column(text, offset);
            format!("error: {}:{line}:{column}: {message}", path.display())
        };
        let raw: RawConfig = toml::from_str(text).map_err(|e| {
            let offset = e.span().map_or(0, |s| s.start);
            at(offset, &e.message().trim_end().replace('\n', ": "))
        })?;
        if raw.targets.is_empty() {
            return Err(at(
                0,
                "no targets: add a [[target]] table with `spec` and `out`",
            ));
        }
        let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
        let command = raw.command.unwrap_or_else(|| DEFAULT_COMMAND.to_owned());
        let mut targets: Vec<Target> = Vec::new();
        let mut outs: Vec<PathBuf> = Vec::new();
        for target in &raw.targets {
            let raw = target.get_ref();
            let exists = |value: &Spanned<String>, what: &str| -> Result<Input, String> {
                let path = dir.join(value.get_ref());
                if !path.is_file() {
                    return Err(at(
                        value.span().start,
                        &format!(
                            "{what} {:?} does not exist (paths are relative to the config file's folder)",
                            value.get_ref()
                        ),
                    ));
                }
                Ok(Input {
                    path,
                    label: value.get_ref().clone(),
                })
            };
            let spec = exists(&raw.spec, "spec")?;
            let overlays = raw
                .overlays
                .iter()
                .map(|o| exists(o, "overlay"))
                .collect::<Result<Vec<_>, String>>()?;
            let out = dir.join(raw.out.get_ref());
            if outs.iter().any(|o| normalized(o) == normalized(&out)) {
                return Err(at(
                    raw.out.span().start,
                    &format!("another target already writes to {:?}", raw.out.get_ref()),
                ));
            }
            outs.push(out.clone());
            let manifest = match (&raw.name, raw.manifest) {
                (Some(name), false) => return Err(at(
                    name.span().start,
                    "`name` is for the Cargo.toml this target does not write (`manifest = false`)",
                )),
                (None, false) => None,
                (name, true) => Some(
                    oagen_generator::Manifest::new(name.as_ref().map_or_else(
                        || crate::codegen::crate_name_for(raw.spec.get_ref()),
                        |n| n.get_ref().clone(),
                    ))
                    .standalone(raw.standalone),
                ),
            };
            let runtime = match &raw.runtime {
                None => oagen_generator::Runtime::Vendored,
                Some(spanned) => {
                    let bad = |message: &str| at(spanned.span().start, message);
                    match spanned.get_ref() {
                        RawRuntime::Named(name) if name == "vendored" => {
                            oagen_generator::Runtime::Vendored
                        }
                        RawRuntime::Crate {
                            path: Some(path),
                            version: None,
                        } => oagen_generator::Runtime::Path(
                            relative_path(Path::new(raw.out.get_ref()), Path::new(path))
                                .ok_or_else(|| {
                                    bad("cannot write the runtime's path relative to `out`: make one of them absolute")
                                })?,
                        ),
                        RawRuntime::Crate {
                            path: None,
                            version: Some(version),
                        } => oagen_generator::Runtime::Version(version.clone()),
                        _ => return Err(bad(
                            "`runtime` is \"vendored\", { path = \"...\" } or { version = \"...\" }",
                        )),
                    }
                }
            };
            let overlay_names: Vec<String> = overlays.iter().map(|o| o.label.clone()).collect();
            targets.push(Target {
                spec_name: with_overlays(raw.spec.get_ref(), &overlay_names),
                spec,
                overlays,
                command: command.clone(),
                out,
                out_label: raw.out.get_ref().clone(),
                manifest,
                runtime,
            });
        }
        Ok(Config {
            path: path.to_path_buf(),
            command,
            targets,
        })
    }
}

/// `path` as seen from the directory `out` (both relative to the same folder, or `path`
/// absolute), with `/` between components so that the manifest is the same on every machine;
/// `None` when `out` climbs out of that folder.
fn relative_path(out: &Path, path: &Path) -> Option<String> {
    if path.is_absolute() {
        return Some(path.to_string_lossy().into_owned());
    }
    let (out, path) = (normalized(out), normalized(path));
    let (out, path): (Vec<_>, Vec<_>) = (out.components().collect(), path.components().collect());
    let common = out.iter().zip(&path).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for component in &out[common..] {
        match component {
            std::path::Component::Normal(_) => parts.push("..".to_owned()),
            _ => return None,
        }
    }
    parts.extend(
        path[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    Some(if parts.is_empty() {
        ".".to_owned()
    } else {
        parts.join("/")
    })
}

/// A path with `.` components dropped and a trailing `/` ignored, for comparisons.
fn normalized(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        Config::parse(&dir.join("codegen.toml"), text)
            .map_err(|e| e.replace(&format!("{}/", dir.display()), ""))
    }

    #[test]
    fn targets_take_their_paths_from_the_config_folder() {
        let config = parse(
            "command = \"cargo xtask codegen\"\n\
             [[target]]\nspec = \"openapi/openapi.yaml\"\nout = \"generated-client\"\nmanifest = false\n\
             [[target]]\nspec = \"fixtures/objects.yaml\"\nout = \"fixtures/clients/objects\"\nname = \"fixture-objects\"\n\
             overlays = [\"fixtures/overlays/order-lines-optional.yaml\"]\n",
        )
        .unwrap();
        assert_eq!(config.command, "cargo xtask codegen");
        assert_eq!(config.targets.len(), 2);
        assert!(config.targets[0].manifest.is_none());
        let objects = &config.targets[1];
        assert_eq!(objects.out_label, "fixtures/clients/objects");
        assert_eq!(
            objects.spec_name,
            "fixtures/objects.yaml with overlay fixtures/overlays/order-lines-optional.yaml"
        );
        let manifest = objects.manifest.as_ref().unwrap();
        assert_eq!(manifest.name, "fixture-objects");
        assert!(!manifest.standalone);
        assert_eq!(objects.runtime, oagen_generator::Runtime::Vendored);
    }

    #[test]
    fn the_runtime_is_vendored_or_a_dependency_with_its_path_from_the_crate() {
        let runtime = |value: &str| {
            parse(&format!(
                "[[target]]\nspec = \"fixtures/enums.yaml\"\nout = \"fixtures/clients/enums\"\nruntime = {value}\n"
            ))
            .map(|config| config.targets[0].runtime.clone())
        };
        use oagen_generator::Runtime;
        assert_eq!(runtime("\"vendored\""), Ok(Runtime::Vendored));
        assert_eq!(
            runtime("{ path = \"runtime\" }"),
            Ok(Runtime::Path("../../../runtime".into()))
        );
        assert_eq!(
            runtime("{ path = \"fixtures/rt\" }"),
            Ok(Runtime::Path("../../rt".into()))
        );
        assert_eq!(
            runtime("{ path = \"/opt/runtime\" }"),
            Ok(Runtime::Path("/opt/runtime".into()))
        );
        assert_eq!(
            runtime("{ version = \"0.1\" }"),
            Ok(Runtime::Version("0.1".into()))
        );
        for wrong in ["\"copied\"", "{ path = \"a\", version = \"1\" }", "{}"] {
            assert_eq!(
                runtime(wrong),
                Err("error: codegen.toml:4:11: `runtime` is \"vendored\", { path = \"...\" } or { version = \"...\" }".into()),
                "{wrong}"
            );
        }
    }

    #[test]
    fn mistakes_are_located() {
        assert_eq!(
            parse("[[target]]\nspec = \"openapi/openapi.yaml\"\nouput = \"x\"\n").unwrap_err(),
            "error: codegen.toml:3:1: unknown field `ouput`, expected one of `spec`, `out`, `name`, `overlays`, `manifest`, `standalone`, `runtime`"
        );
        assert_eq!(
            parse("[[target]]\nspec = \"openapi/openapi.yaml\"\nout = 3\n").unwrap_err(),
            "error: codegen.toml:3:7: invalid type: integer `3`, expected a string"
        );
        assert_eq!(
            parse("[[target]\n").unwrap_err(),
            "error: codegen.toml:1:9: invalid table header: expected `.`, `]]`"
        );
        assert_eq!(
            parse("[[target]]\nspec = \"nope.yaml\"\nout = \"x\"\n").unwrap_err(),
            "error: codegen.toml:2:8: spec \"nope.yaml\" does not exist (paths are relative to the config file's folder)"
        );
        assert_eq!(
            parse(
                "[[target]]\nspec = \"fixtures/enums.yaml\"\nout = \"x\"\n\
                 [[target]]\nspec = \"fixtures/objects.yaml\"\nout = \"./x\"\n"
            )
            .unwrap_err(),
            "error: codegen.toml:6:7: another target already writes to \"./x\""
        );
        assert_eq!(
            parse("[[target]]\nspec = \"fixtures/enums.yaml\"\nout = \"x\"\nmanifest = false\nname = \"n\"\n")
                .unwrap_err(),
            "error: codegen.toml:5:8: `name` is for the Cargo.toml this target does not write (`manifest = false`)"
        );
        assert_eq!(
            parse("# nothing\n").unwrap_err(),
            "error: codegen.toml:1:1: no targets: add a [[target]] table with `spec` and `out`"
        );
    }
}
