//! The cargo features of generated crates: each fixture crate compiles without warnings
//! (`cargo clippy -D warnings`) with its default features, with only one of its features
//! on, for every feature, and with none; and the seed crate's hand-written manifest lists the features the generator
//! gives its spec.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// The `[features]` of a manifest beside `default`, `tracing` and `roundtrip`, in order.
fn groups(manifest: &str) -> Vec<String> {
    let mut in_features = false;
    let mut groups = Vec::new();
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_features = line == "[features]";
            continue;
        }
        if !in_features || line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some((name, _)) = line.split_once('=') {
            let name = name.trim();
            if !["default", "tracing", "roundtrip"].contains(&name) {
                groups.push(name.to_owned());
            }
        }
    }
    groups
}

#[test]
fn every_fixture_crate_compiles_without_warnings_under_each_feature_alone() {
    let root = repo_root();
    // Each fixture crate's package name and group features.
    let mut crates: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(root.join("fixtures/clients")).unwrap() {
        let manifest = std::fs::read_to_string(entry.unwrap().path().join("Cargo.toml")).unwrap();
        let name = manifest
            .lines()
            .find_map(|l| l.strip_prefix("name = "))
            .unwrap()
            .trim_matches('"')
            .to_owned();
        crates.insert(name, groups(&manifest));
    }
    let most = crates.values().map(Vec::len).max().unwrap();
    assert!(most >= 3, "a fixture has several groups: {crates:?}");
    // Round `i` turns on the `i`-th feature of every crate (none in round 0), so each
    // feature is checked alone in as few cargo runs as the crate with the most features;
    // the last round keeps the default features.
    for round in 0..=most + 1 {
        let defaults = round == most + 1;
        let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
        command
            .args(["clippy", "--quiet", "--offline", "--lib"])
            .current_dir(&root)
            .env("CARGO_TARGET_DIR", root.join("target/tmp/features"));
        if !defaults {
            command.arg("--no-default-features");
        }
        let mut features = Vec::new();
        for (name, groups) in &crates {
            command.args(["-p", name]);
            if let Some(feature) = round.checked_sub(1).and_then(|i| groups.get(i)) {
                features.push(format!("{name}/{feature}"));
            }
        }
        if !features.is_empty() {
            command.args(["--features", &features.join(",")]);
        }
        command.args(["--", "-D", "warnings"]);
        let output = command.output().unwrap();
        assert!(
            output.status.success(),
            "round {round} ({}): {}",
            if defaults {
                "default features".to_owned()
            } else {
                features.join(", ")
            },
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_seed_crate_manifest_lists_the_features_of_its_spec() {
    let root = repo_root();
    let text = std::fs::read_to_string(root.join("openapi/openapi.yaml")).unwrap();
    let options = oagen_generator::Options::new()
        .command("test")
        .spec_name("openapi/openapi.yaml")
        .manifest(oagen_generator::Manifest::new("generated-client"));
    let generated = oagen_generator::generate(&text, &options).unwrap();
    let manifest = generated
        .files
        .iter()
        .find(|f| f.path == "Cargo.toml")
        .unwrap();
    let written = std::fs::read_to_string(root.join("generated-client/Cargo.toml")).unwrap();
    assert_eq!(groups(&written), groups(&manifest.contents));
    assert!(written.contains(&format!(
        "default = [{}]",
        groups(&manifest.contents)
            .iter()
            .map(|g| format!("{g:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    )));
}
