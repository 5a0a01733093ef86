//! Names that do not move: regenerating after the spec inserts a union branch and a
//! property before the existing ones renames no generated type, field or variant, because
//! inline branches are named from what they are (a `const` tag, a title, a single required
//! property), not from where they stand.

use std::collections::BTreeSet;

use oagen_generator::stages::TypeKind;
use oagen_generator::Api;

/// Every generated name: types, and per type its fields or variants.
fn names(spec: &str) -> BTreeSet<String> {
    let mut diagnostics = Vec::new();
    let tree = oagen_generator::stages::load(spec).unwrap();
    let doc = oagen_generator::stages::normalize(tree, &mut diagnostics).unwrap();
    let api: Api = oagen_generator::stages::ir(doc, &mut diagnostics).unwrap();
    let mut names = BTreeSet::new();
    for (_, def) in api.types.iter() {
        names.insert(def.name.clone());
        match &def.kind {
            TypeKind::Struct(s) => {
                for field in &s.fields {
                    names.insert(format!("{}.{}", def.name, field.name));
                }
            }
            TypeKind::Union(u) => {
                for variant in &u.variants {
                    names.insert(format!("{}::{}", def.name, variant.name));
                }
            }
            TypeKind::Enum(e) => {
                for variant in &e.variants {
                    names.insert(format!("{}::{}", def.name, variant.name));
                }
            }
            TypeKind::Alias(_) | TypeKind::Newtype(_) => {}
        }
    }
    for op in &api.operations {
        names.insert(format!("fn {}", op.name));
    }
    names
}

const BEFORE: &str = r##"
openapi: 3.1.0
info: {title: Tools, version: "1"}
paths:
  /tools:
    post:
      operationId: addTool
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Tool"}
      responses:
        "204": {description: done}
components:
  schemas:
    Tool:
      oneOf:
        # INSERT-BRANCH
        - type: object
          required: [type, function]
          properties:
            type: {const: function}
            function: {type: string}
        - type: object
          title: Web search
          properties:
            max_results: {type: integer}
            engine: {type: string}
        - type: object
          required: [computer]
          properties:
            computer: {type: string}
            display: {type: string}
        - type: array
          items: {type: string}
    Part:
      allOf:
        - type: object
          properties:
            # INSERT-PROPERTY
            id: {type: string}
        - oneOf:
            - type: object
              required: [kind, text]
              properties:
                kind: {type: string, enum: [text]}
                text: {type: string}
            - type: object
              required: [kind, url]
              properties:
                kind: {type: string, enum: [image]}
                url: {type: string}
"##;

#[test]
fn inserting_a_branch_and_a_property_renames_nothing_that_existed() {
    let before = names(BEFORE);
    let after_text = BEFORE
        .replace(
            "        # INSERT-BRANCH\n",
            "        - type: object\n          required: [type, code]\n          properties:\n            type: {const: code_interpreter}\n            code: {type: string}\n        - type: object\n          required: [query]\n          properties:\n            query: {type: string}\n",
        )
        .replace(
            "            # INSERT-PROPERTY\n",
            "            created: {type: integer}\n",
        );
    assert_ne!(after_text, BEFORE);
    let after = names(&after_text);
    let lost: Vec<&String> = before.difference(&after).collect();
    assert!(
        lost.is_empty(),
        "names that changed: {lost:?}\nafter: {after:?}"
    );
    // The new branches and property got names of their own.
    let added: Vec<&String> = after.difference(&before).collect();
    assert!(
        added.iter().any(|n| n.contains("CodeInterpreter")),
        "{added:?}"
    );
    assert!(added.iter().any(|n| n.contains("Query")), "{added:?}");
    assert!(added.iter().any(|n| n.ends_with(".created")), "{added:?}");
    // And every branch is named from what it is, not where it stands.
    assert!(
        before.iter().all(|n| !n.contains("Variant")),
        "positional names: {before:?}"
    );
}
