//! The items laid out as text (`emit::layout`) have the bytes `prettyplease` gives them:
//! every spec of the repository, and the real specs of `../shared/specs/` when that folder
//! is there, generate the same files with the text layout as with every item laid out by
//! `prettyplease`.

use std::path::Path;

use oagen_generator::emit::layout::Layout;

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
fn text_layout_gives_the_bytes_prettyplease_gives() {
    let options = options();
    let mut compared = 0;
    for spec in specs() {
        let text = std::fs::read_to_string(&spec).unwrap();
        let Ok((api, _)) = oagen_generator::build_api(&text, &[]) else {
            continue;
        };
        let laid_out = |layout| {
            let code = oagen_generator::emit::tokens_laid_out(&api, &options, layout);
            oagen_generator::emit::format(code, &options).expect("formats")
        };
        let text_layout = laid_out(Layout::Text);
        let reference = laid_out(Layout::Tokens);
        for (ours, theirs) in text_layout.iter().zip(&reference) {
            assert_eq!(ours.path, theirs.path);
            if ours.contents != theirs.contents {
                let line = ours
                    .contents
                    .lines()
                    .zip(theirs.contents.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                let around = |s: &str| {
                    s.lines()
                        .skip(line.saturating_sub(5))
                        .take(12)
                        .collect::<Vec<_>>()
                        .join("\n")
                };
                panic!(
                    "{}: {} differs at line {}\n--- text layout\n{}\n--- prettyplease\n{}",
                    spec.display(),
                    ours.path,
                    line + 1,
                    around(&ours.contents),
                    around(&theirs.contents)
                );
            }
        }
        compared += 1;
    }
    assert!(compared > 10, "only {compared} specs compared");
}
