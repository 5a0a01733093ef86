//! Locks what the generator produces that is committed nowhere else, as insta snapshots:
//!
//! - the diagnostics of the seed spec and of each fixture spec in `fixtures/`
//!   (`NAME__diagnostics`);
//! - the files only a standalone crate has, which `cargo xtask codegen --spec --out`,
//!   `contract`, `replay` and `corpus` write outside the repository: `Cargo.toml` with its
//!   `[workspace]` table and dev-dependencies, `examples/roundtrip.rs`, `examples/contract.rs`
//!   and `examples/replay.rs`, for the
//!   `streaming` fixture and the seed spec, whose examples the round-trip program checks
//!   (`NAME__standalone__*`).
//!
//! The generated sources have one golden copy, the committed crates: `generated-client/src/`
//! for the seed spec and `fixtures/clients/NAME/` for each fixture, compared with the
//! generator's output by `cargo xtask codegen --check` (and rewritten by `cargo xtask codegen`).
//! Files under `src/runtime*` are skipped here: the runtime is copied verbatim. Each test
//! checks that every other generated file is either committed or snapshotted here.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn is_runtime(path: &str) -> bool {
    path.starts_with("src/runtime")
}

/// The spec's name (its file stem) and its text.
fn read_spec(relative: &str) -> (String, String) {
    let text = std::fs::read_to_string(repo_root().join(relative)).expect("spec readable");
    let name = Path::new(relative)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (name, text)
}

/// The diagnostics of the spec at `relative`, as `cargo xtask codegen` generates it into the
/// committed crate `crate_dir`, which holds every file generated but the runtime.
fn snapshot_spec(relative: &str, crate_dir: &str) {
    let (name, text) = read_spec(relative);
    let options = oagen_generator::Options::new()
        .command("cargo xtask codegen")
        .spec_name(relative);
    let generated = oagen_generator::generate(&text, &options).expect("spec generates");
    for file in generated.files.iter().filter(|f| !is_runtime(&f.path)) {
        assert!(
            repo_root().join(crate_dir).join(&file.path).is_file(),
            "{crate_dir}/{} is generated but not committed: run `cargo xtask codegen`",
            file.path
        );
    }
    let diagnostics: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(format!("{name}__diagnostics"), diagnostics.join("\n"));
}

/// The files only a standalone crate has, for the spec at `relative`, generated as
/// `cargo xtask contract` does (a standalone crate with its example programs). Its sources are
/// those of the committed crate `crate_dir`, headers aside.
fn snapshot_standalone(relative: &str, crate_dir: &str) {
    let (name, text) = read_spec(relative);
    let options = oagen_generator::Options::new()
        .command(format!("cargo xtask contract {name}.yaml"))
        .spec_name(format!("{name}.yaml"))
        .manifest(
            oagen_generator::Manifest::new(format!("{name}-client"))
                .standalone(true)
                .example_check(true),
        );
    let generated = oagen_generator::generate(&text, &options).expect("spec generates");
    let mut snapshotted = Vec::new();
    for file in generated.files.iter().filter(|f| !is_runtime(&f.path)) {
        if file.path.starts_with("src/") {
            assert!(
                repo_root().join(crate_dir).join(&file.path).is_file(),
                "{} is neither committed nor snapshotted",
                file.path
            );
            continue;
        }
        let snapshot = file
            .path
            .trim_end_matches(".rs")
            .replace(['/', '.'], "_")
            .to_lowercase();
        insta::assert_snapshot!(format!("{name}__standalone__{snapshot}"), &file.contents);
        snapshotted.push(file.path.as_str());
    }
    assert_eq!(
        snapshotted,
        [
            "Cargo.toml",
            "examples/contract.rs",
            "examples/replay.rs",
            "examples/roundtrip.rs"
        ]
    );
}

#[test]
fn seed_openrouter_delete_file() {
    snapshot_spec("openapi/openapi.yaml", "generated-client");
}

fn snapshot_fixture(name: &str) {
    snapshot_spec(
        &format!("fixtures/{name}.yaml"),
        &format!("fixtures/clients/{name}"),
    );
}

#[test]
fn fixture_combinations() {
    snapshot_fixture("combinations");
}

#[test]
fn fixture_construction() {
    snapshot_fixture("construction");
}

#[test]
fn fixture_enums() {
    snapshot_fixture("enums");
}

#[test]
fn fixture_features() {
    snapshot_fixture("features");
}

#[test]
fn fixture_objects() {
    snapshot_fixture("objects");
}

#[test]
fn fixture_openapi31() {
    snapshot_fixture("openapi31");
}

#[test]
fn fixture_parameters() {
    snapshot_fixture("parameters");
}

#[test]
fn fixture_recursive() {
    snapshot_fixture("recursive");
}

#[test]
fn fixture_references() {
    snapshot_fixture("references");
}

#[test]
fn fixture_reserved() {
    snapshot_fixture("reserved");
}

#[test]
fn fixture_responses() {
    snapshot_fixture("responses");
}

#[test]
fn fixture_security() {
    snapshot_fixture("security");
}

#[test]
fn fixture_uploads() {
    snapshot_fixture("uploads");
}

#[test]
fn fixture_bundled() {
    snapshot_fixture("bundled");
}

#[test]
fn fixture_constraints() {
    snapshot_fixture("constraints");
}

#[test]
fn fixture_usage() {
    snapshot_fixture("usage");
}

#[test]
fn fixture_streaming() {
    snapshot_fixture("streaming");
}

#[test]
fn standalone_streaming() {
    snapshot_standalone("fixtures/streaming.yaml", "fixtures/clients/streaming");
}

/// The seed spec: its examples give the round-trip program something to check (the fixtures
/// have none it can use).
#[test]
fn standalone_openapi() {
    snapshot_standalone("openapi/openapi.yaml", "generated-client");
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let source = include_str!("snapshots.rs");
    for entry in std::fs::read_dir(repo_root().join("fixtures"))
        .unwrap()
        .flatten()
    {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".yaml") {
            assert!(
                source.contains(&format!("fn fixture_{stem}()")),
                "no snapshot test for fixtures/{name}"
            );
        }
    }
}

/// Every snapshot file is asserted by a test above: none is left over from files now
/// compared through the committed crates, and no `.snap.new` is pending.
#[test]
fn every_snapshot_file_is_asserted() {
    let source = include_str!("snapshots.rs");
    let standalone: Vec<&str> = source
        .lines()
        .filter_map(|l| l.trim().strip_prefix("snapshot_standalone(\""))
        .filter_map(|l| l.split('"').next())
        .filter_map(|spec| Path::new(spec).file_stem()?.to_str())
        .collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let known = file
            .strip_prefix("snapshots__")
            .and_then(|f| f.strip_suffix(".snap"))
            .and_then(|f| f.split_once("__"))
            .is_some_and(|(name, what)| {
                what == "diagnostics"
                    || (standalone.contains(&name) && what.starts_with("standalone__"))
            });
        assert!(known, "tests/snapshots/{file} is asserted by no test");
    }
}
