//! Output depends on the spec's meaning only: generating twice gives the same bytes, and so
//! does a copy of a spec whose mapping keys are reordered wherever their order means nothing
//! (paths, operations, responses, components, security schemes and requirements,
//! discriminator mappings, a schema's keywords). The order of `properties` (struct fields),
//! of `content` (media type preference) and of example data is kept.

use std::path::Path;

use serde_json::{Map, Value};

fn options() -> oagen_generator::Options {
    oagen_generator::Options::new()
        .command("cargo xtask codegen")
        .spec_name("spec.yaml")
        .manifest(
            oagen_generator::Manifest::new("determinism")
                .standalone(true)
                .example_check(true),
        )
}

/// Every spec of the repository.
fn specs() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut names = vec!["openapi/openapi.yaml".to_owned()];
    let mut fixtures: Vec<String> = std::fs::read_dir(root.join("fixtures"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("fixtures/{n}"))
        .collect();
    fixtures.sort();
    names.extend(fixtures);
    names
        .into_iter()
        .map(|n| {
            let text = std::fs::read_to_string(root.join(&n)).unwrap();
            (n, text)
        })
        .collect()
}

/// Keys whose value is an ordered map (`properties`, `content`) or data (examples, defaults).
fn order_matters(key: &str) -> bool {
    matches!(
        key,
        "properties" | "content" | "example" | "examples" | "default" | "enum" | "const"
    ) || key.starts_with("x-")
}

/// Reverses the key order of every mapping whose order carries no meaning.
fn reorder(value: &mut Value, keep_order: bool) {
    match value {
        Value::Object(map) => {
            let entries: Vec<(String, Value)> = std::mem::take(map).into_iter().collect();
            let mut reordered: Vec<(String, Value)> = Vec::with_capacity(entries.len());
            for (key, mut child) in entries {
                let (recurse, child_keeps) = if keep_order {
                    // `properties` and `content`: keep this map's order, reorder the schemas
                    // and media type objects inside.
                    (true, false)
                } else {
                    (!is_data(&key), order_matters(&key))
                };
                if recurse {
                    reorder(&mut child, child_keeps);
                }
                reordered.push((key, child));
            }
            if !keep_order {
                reordered.reverse();
            }
            *map = reordered.into_iter().collect::<Map<String, Value>>();
        }
        Value::Array(items) => items.iter_mut().for_each(|i| reorder(i, false)),
        _ => {}
    }
}

/// Keys whose value is data, left exactly as written.
fn is_data(key: &str) -> bool {
    matches!(key, "example" | "examples" | "default" | "enum" | "const") || key.starts_with("x-")
}

#[test]
fn output_is_byte_identical_across_runs() {
    for (name, text) in specs() {
        let first = oagen_generator::generate(&text, &options()).unwrap().files;
        let second = oagen_generator::generate(&text, &options()).unwrap().files;
        assert_eq!(first, second, "{name}");
    }
}

#[test]
fn reordering_keys_whose_order_means_nothing_changes_no_byte() {
    for (name, text) in specs() {
        let mut tree = oagen_generator::stages::load(&text).unwrap();
        let before = tree.clone();
        reorder(&mut tree, false);
        assert_ne!(
            serde_json::to_string(&before).unwrap(),
            serde_json::to_string(&tree).unwrap(),
            "{name}: the copy is reordered"
        );
        let reordered = serde_json::to_string_pretty(&tree).unwrap();
        let original = oagen_generator::generate(&text, &options()).unwrap();
        let copy = oagen_generator::generate(&reordered, &options()).unwrap();
        for (a, b) in original.files.iter().zip(&copy.files) {
            assert_eq!(a.path, b.path, "{name}");
            if a.contents != b.contents {
                let line = a
                    .contents
                    .lines()
                    .zip(b.contents.lines())
                    .position(|(x, y)| x != y)
                    .unwrap_or(0);
                let context = |s: &str| -> String {
                    let lines: Vec<&str> = s.lines().collect();
                    let start = line.saturating_sub(3).min(lines.len());
                    lines[start..(start + 16).min(lines.len())].join("\n")
                };
                panic!(
                    "{name}: {} differs at line {}:\n--- original\n{}\n--- reordered\n{}",
                    a.path,
                    line + 1,
                    context(&a.contents),
                    context(&b.contents)
                );
            }
        }
        assert_eq!(original.files.len(), copy.files.len(), "{name}");
        assert_eq!(original.diagnostics, copy.diagnostics, "{name}");
    }
}
