//! Locks the generator's output: insta snapshots of every generated file (the runtime aside,
//! copied from the runtime crate and checked by `emit::runtime`'s tests) for the seed spec and
//! for each fixture spec in `fixtures/`.

use std::path::Path;

fn options(spec_name: &str) -> generator::Options {
    generator::Options {
        command: "cargo xtask codegen".into(),
        spec_name: spec_name.into(),
        manifest: None,
    }
}

fn snapshot_spec(relative: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join(relative)).expect("spec readable");
    let generated = generator::generate(&text, &options(relative)).expect("spec generates");
    let name = Path::new(relative)
        .file_stem()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    for file in &generated.files {
        if file.path.starts_with("src/runtime/") {
            continue;
        }
        let file_name = file.path.trim_start_matches("src/").trim_end_matches(".rs");
        insta::assert_snapshot!(format!("{name}__{file_name}"), &file.contents);
    }
    let diagnostics: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    insta::assert_snapshot!(format!("{name}__diagnostics"), diagnostics.join("\n"));
}

#[test]
fn seed_openrouter_delete_file() {
    snapshot_spec("openapi/openapi.yaml");
}

#[test]
fn fixture_combinations() {
    snapshot_spec("fixtures/combinations.yaml");
}

#[test]
fn fixture_enums() {
    snapshot_spec("fixtures/enums.yaml");
}

#[test]
fn fixture_objects() {
    snapshot_spec("fixtures/objects.yaml");
}

#[test]
fn fixture_openapi31() {
    snapshot_spec("fixtures/openapi31.yaml");
}

#[test]
fn fixture_parameters() {
    snapshot_spec("fixtures/parameters.yaml");
}

#[test]
fn fixture_recursive() {
    snapshot_spec("fixtures/recursive.yaml");
}

#[test]
fn fixture_responses() {
    snapshot_spec("fixtures/responses.yaml");
}

#[test]
fn fixture_security() {
    snapshot_spec("fixtures/security.yaml");
}

#[test]
fn fixture_uploads() {
    snapshot_spec("fixtures/uploads.yaml");
}

#[test]
fn fixture_streaming() {
    snapshot_spec("fixtures/streaming.yaml");
}

#[test]
fn every_fixture_has_a_snapshot_test() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let source = include_str!("snapshots.rs");
    for entry in std::fs::read_dir(root.join("fixtures")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".yaml") {
            assert!(
                source.contains(&format!("fn fixture_{stem}()")),
                "no snapshot test for fixtures/{name}"
            );
        }
    }
}
