//! Overlays applied to fixture specs through the public API: `fixtures/overlays/*.yaml`
//! on `fixtures/objects.yaml`.

use std::path::Path;

use oagen_generator::{Error, Options, OverlayText, Severity};

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path)).unwrap()
}

fn overlay(path: &str) -> OverlayText {
    OverlayText::new(path, read(path))
}

fn options() -> Options {
    Options::new()
        .command("test")
        .spec_name("fixtures/objects.yaml")
}

fn file<'a>(generated: &'a oagen_generator::Generated, path: &str) -> &'a str {
    &generated
        .files
        .iter()
        .find(|f| f.path == path)
        .unwrap()
        .contents
}

#[test]
fn an_overlay_makes_a_required_field_optional() {
    let spec = read("fixtures/objects.yaml");
    let plain = oagen_generator::generate(&spec, &options()).unwrap();
    assert!(file(&plain, "src/models.rs").contains("    pub lines: Vec<OrderLinesItem>,\n"));

    let fixed = oagen_generator::generate_with_overlays(
        &spec,
        &[overlay("fixtures/overlays/order-lines-optional.yaml")],
        &options(),
    )
    .unwrap();
    let models = file(&fixed, "src/models.rs");
    assert!(
        models.contains("    pub lines: Option<Vec<OrderLinesItem>>,\n"),
        "{models}"
    );
    assert!(fixed.diagnostics.is_empty(), "{:?}", fixed.diagnostics);
}

#[test]
fn overlays_remove_and_update_and_warn_about_targets_that_select_nothing() {
    let spec = read("fixtures/objects.yaml");
    let generated = oagen_generator::generate_with_overlays(
        &spec,
        &[overlay("fixtures/overlays/orders-tidy.yaml")],
        &options(),
    )
    .unwrap();
    let operations = file(&generated, "src/operations.rs");
    assert!(operations.contains("pub fn create_order("), "{operations}");
    assert!(
        !operations.contains("update_order"),
        "removed: {operations}"
    );
    let models = file(&generated, "src/models.rs");
    assert!(
        models.contains("pub qty: Option<i32>,"),
        "updated: {models}"
    );
    assert!(
        models.contains("/// How many, at most 2^31 - 1."),
        "{models}"
    );
    assert!(
        models.contains("pub carrier: Option<String>,"),
        "added: {models}"
    );

    let warnings: Vec<String> = generated
        .diagnostics
        .iter()
        .filter(|d| d.document.is_some())
        .map(|d| format!("{}: {d}", d.document.as_deref().unwrap()))
        .collect();
    assert_eq!(
        warnings,
        [
            "fixtures/overlays/orders-tidy.yaml: warning: #/actions/3/target: the target \
          `$.components.schemas.Invoice` selects nothing in the spec: the action does nothing"
        ]
    );
    assert!(generated
        .diagnostics
        .iter()
        .all(|d| d.document.is_none() || d.severity == Severity::Warning));
}

#[test]
fn overlays_apply_in_order() {
    let spec = read("fixtures/objects.yaml");
    let put_back = OverlayText::new(
        "put-back.yaml",
        "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
         - target: $.components.schemas.Order.required\n  update: lines\n",
    );
    let generated = oagen_generator::generate_with_overlays(
        &spec,
        &[
            overlay("fixtures/overlays/order-lines-optional.yaml"),
            put_back,
        ],
        &options(),
    )
    .unwrap();
    assert!(file(&generated, "src/models.rs").contains("    pub lines: Vec<OrderLinesItem>,\n"));
}

#[test]
fn a_bad_jsonpath_is_an_error_located_in_its_overlay() {
    let spec = read("fixtures/objects.yaml");
    let error = oagen_generator::generate_with_overlays(
        &spec,
        &[
            overlay("fixtures/overlays/order-lines-optional.yaml"),
            overlay("fixtures/overlays/bad-target.yaml"),
        ],
        &options(),
    )
    .unwrap_err();
    assert_eq!(error.document(), Some("fixtures/overlays/bad-target.yaml"));
    assert_eq!(
        error.to_string(),
        "fixtures/overlays/bad-target.yaml: #/actions/2/target: invalid JSONPath \
         `$.paths['/orders'`: at character 17: in long-hand segment, expected closing ']'"
    );
    let syntax = oagen_generator::generate_with_overlays(
        &spec,
        &[OverlayText::new(
            "broken.yaml",
            "overlay: 1.0.0\nactions:\n  - target: [\n",
        )],
        &options(),
    )
    .unwrap_err();
    assert!(
        matches!(syntax.in_document(), Error::Syntax { line: 4, .. }),
        "{syntax:?}"
    );
    assert!(
        syntax
            .to_string()
            .starts_with("broken.yaml: line 4, column "),
        "{syntax}"
    );
}
