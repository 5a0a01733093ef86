//! The proof of the breaking-change report is the compiler. For each pair of specs in
//! `fixtures/diff/NAME/` (`old.yaml`, `new.yaml`, one change of the spec each, `additions`
//! and `several-breaking` with several at once), `oagen generate` makes the old and the new
//! crate and `oagen diff --format json` reports the changes; `uses.rs`, code a user wrote
//! against the old crate (calling operations, building structs, reading fields, matching
//! enums and unions), must compile against the old crate, and compiles against the new one
//! exactly when the report says nothing is breaking.
//!
//! All the user crates are members of one scratch workspace under `target/tmp/diff-pairs`
//! with this repository's `Cargo.lock`, checked (`cargo check --offline --keep-going`) once
//! against the old crates and once against the new ones, in one target directory, so the
//! dependencies compile once.
//!
//! The programs use the generated API the way it lets code outside the crate use it, which is
//! what the classification in `oagen_generator::diff::policy` assumes: structs and enums are
//! `#[non_exhaustive]`, so structs are built with `new` (one argument per required field) and
//! setters, and matches on enums, unions and an operation's error enum have a `_` arm. Each
//! program uses
//! the item its pair changes (reads the removed field, calls `new` with the old arguments,
//! names the removed variant, calls the removed method), so a breaking change fails to
//! compile; `additions` reads the response type `Pet` that gains a required field but does not
//! build one, as the report's "not breaking for code that reads responses" says.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Each pair and the kinds of change its report must list.
const PAIRS: &[(&str, &[&str])] = &[
    (
        "additions",
        &[
            "operation_added",
            "optional_parameter_added",
            "optional_field_added",
            "implied_field_added",
            "response_field_added",
            "enum_variant_added",
            "union_variant_added",
            "type_added",
        ],
    ),
    ("enum-value-removed", &["enum_variant_removed"]),
    ("error-status-added", &["error_status_added"]),
    ("operation-removed", &["operation_removed"]),
    ("operation-renamed", &["operation_removed"]),
    ("parameter-required", &["parameter_required"]),
    ("request-field-nullable", &["required_field"]),
    ("request-field-optional", &["constructor_changed"]),
    ("request-field-required", &["required_field"]),
    ("response-field-removed", &["field_removed"]),
    ("response-field-type", &["field_type_changed"]),
    (
        "several-breaking",
        &[
            "operation_removed",
            "parameter_required",
            "optional_field_added",
            "enum_variant_added",
        ],
    ),
    ("struct-removed", &["field_removed", "type_removed"]),
    // `Square`, no longer a variant of the union tagged by `kind`, takes `kind` in `new`.
    (
        "union-variant-removed",
        &["union_variant_removed", "required_field"],
    ),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn oagen(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_oagen"))
        .args(args)
        .output()
        .unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// Points each user crate at the old or the new generated crate.
fn use_crates(scratch: &Path, which: &str) {
    for (pair, _) in PAIRS {
        write(
            &scratch.join(format!("users/{pair}/Cargo.toml")),
            &format!(
                "[package]\nname = \"user-{pair}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
                 [lib]\npath = \"uses.rs\"\n\n\
                 [dependencies]\nclient = {{ path = \"../../clients/{pair}-{which}\", package = \"pair-{pair}-{which}\" }}\n"
            ),
        );
    }
}

/// `cargo check` of every user crate; the pairs whose user crate compiled, and the
/// compiler's messages.
fn check_users(scratch: &Path) -> (BTreeSet<String>, String) {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
        .args([
            "check",
            "--workspace",
            "--offline",
            "--keep-going",
            "--message-format=json-render-diagnostics",
        ])
        .current_dir(scratch)
        .env("CARGO_TARGET_DIR", scratch.join("target"))
        .output()
        .unwrap();
    let mut compiled = BTreeSet::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        if message["reason"] == "compiler-artifact" {
            if let Some(name) = message["target"]["name"].as_str() {
                if let Some(pair) = name.strip_prefix("user_") {
                    compiled.insert(pair.replace('_', "-"));
                }
            }
        }
    }
    (
        compiled,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn user_code_compiles_against_the_new_crate_exactly_when_the_report_says_not_breaking() {
    let root = repo_root();
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("diff-pairs");
    for dir in ["clients", "users"] {
        let _ = std::fs::remove_dir_all(scratch.join(dir));
    }
    let mut breaking = BTreeMap::new();
    for (pair, expected) in PAIRS {
        let dir = root.join("fixtures/diff").join(pair);
        let (old, new) = (dir.join("old.yaml"), dir.join("new.yaml"));
        for (which, spec) in [("old", &old), ("new", &new)] {
            let out = scratch.join(format!("clients/{pair}-{which}"));
            let output = oagen(&[
                "--quiet",
                "generate",
                "--spec",
                spec.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--name",
                &format!("pair-{pair}-{which}"),
            ]);
            assert!(
                output.status.success(),
                "{pair}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let output = oagen(&[
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert!(output.status.success(), "{pair}");
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        let kinds: BTreeSet<&str> = report["changes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            expected.iter().copied().collect::<BTreeSet<_>>(),
            "{pair}: {report:#}"
        );
        breaking.insert(pair.to_string(), report["breaking"].as_u64().unwrap() > 0);
        write(
            &scratch.join(format!("users/{pair}/uses.rs")),
            &std::fs::read_to_string(dir.join("uses.rs")).unwrap(),
        );
    }
    write(
        &scratch.join("Cargo.toml"),
        "[workspace]\nresolver = \"2\"\nmembers = [\"users/*\"]\nexclude = [\"clients\"]\n",
    );
    std::fs::copy(root.join("Cargo.lock"), scratch.join("Cargo.lock")).unwrap();

    use_crates(&scratch, "old");
    let (compiled, messages) = check_users(&scratch);
    let all: BTreeSet<String> = PAIRS.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(
        compiled, all,
        "every program compiles against the crate it was written for:\n{messages}"
    );

    use_crates(&scratch, "new");
    let (compiled, messages) = check_users(&scratch);
    let mut mismatches = Vec::new();
    for (pair, breaking) in &breaking {
        let compiles = compiled.contains(pair);
        if compiles == *breaking {
            mismatches.push(format!(
                "{pair}: the report says {}, the program {}",
                if *breaking {
                    "breaking"
                } else {
                    "not breaking"
                },
                if compiles {
                    "compiles"
                } else {
                    "does not compile"
                }
            ));
        }
    }
    assert!(mismatches.is_empty(), "{mismatches:#?}\n{messages}");
    let not_breaking: Vec<&str> = breaking
        .iter()
        .filter(|(_, b)| !**b)
        .map(|(pair, _)| pair.as_str())
        .collect();
    assert_eq!(
        not_breaking,
        ["additions", "error-status-added"],
        "the pairs of additions are the ones not breaking"
    );
}
