//! The items written as text (`emit::layout`) are laid out as `prettyplease` lays them out:
//! for every spec of the repository, and the real specs of `../shared/specs/` when that
//! folder is there, each item laid out as text is what `prettyplease` prints for it, and the
//! items that fall back to `prettyplease` (their layout not known to `emit::layout`) are
//! listed and few.

use std::path::Path;

use oagen_generator::stages::FileCode;

fn options() -> oagen_generator::Options {
    oagen_generator::Options::new()
        .command("cargo xtask codegen")
        .spec_name("spec.yaml")
}

fn specs() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut specs = vec![root.join("openapi/openapi.yaml")];
    for folder in [root.join("fixtures"), root.join("../shared/specs")] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut found: Vec<_> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
            .collect();
        found.sort();
        specs.extend(found);
    }
    specs
}

#[test]
fn text_layout_is_what_prettyplease_prints() {
    let options = options();
    let mut compared = 0;
    let mut report = String::new();
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).unwrap();
        let Ok((api, _)) = oagen_generator::build_api(&text, &[]) else {
            continue;
        };
        let mut fallbacks: Vec<String> = Vec::new();
        for (path, code) in oagen_generator::stages::tokens(&api, &options) {
            let FileCode::Items(code) = code else {
                continue;
            };
            if let Some((ours, theirs)) = code.misplaced().first() {
                panic!(
                    "{}: {path}: an item is not laid out as prettyplease prints it\n--- laid out\n{ours}\n--- prettyplease\n{theirs}",
                    spec.display()
                );
            }
            fallbacks.extend(code.fallbacks().iter().cloned());
        }
        // The items whose text falls back are the builders' `impl`s with a method built
        // with `quote` (an event stream, a download, pagination): every other item has a
        // known layout, so a rule missing for a common item shows here.
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        report.push_str(&format!("{name}: {} fell back\n", fallbacks.len()));
        let unexpected: Vec<&String> = fallbacks
            .iter()
            .filter(|item| !item.starts_with("impl<'a> "))
            .collect();
        assert!(
            unexpected.is_empty(),
            "{name}: items fell back to prettyplease: {unexpected:#?}"
        );
        compared += 1;
    }
    println!("{report}");
    assert!(compared > 10, "only {compared} specs compared");
}

/// What [`oagen_generator::generate`] writes is the code of [`oagen_generator::stages::tokens`] formatted.
#[test]
fn the_checked_code_is_the_generated_code() {
    let options = options();
    let text = std::fs::read_to_string(specs().remove(0)).unwrap();
    let (api, _) = oagen_generator::build_api(&text, &[]).unwrap();
    let formatted =
        oagen_generator::stages::format(oagen_generator::stages::tokens(&api, &options), &options);
    let generated = oagen_generator::generate(&text, &options).unwrap();
    assert_eq!(formatted.unwrap(), generated.files);
}
