//! `$id` and `$anchor` (JSON Schema 2020-12): references to a schema's own name become
//! local references, before anything else reads the document.

use serde_json::{Map, Value};

/// JSON Schema 2020-12 lets a schema name itself (`$id`) or a part of itself (`$anchor`),
/// and references use those names. References to an `$id` become local references; a
/// reference to an anchor is replaced by the anchored schema.
pub(super) fn resolve_schema_ids(doc: &mut Map<String, Value>) {
    let mut ids: Vec<(String, String)> = Vec::new();
    let mut anchors: Vec<(String, Value)> = Vec::new();
    if let Some(Value::Object(schemas)) = doc.get("components").and_then(|c| c.get("schemas")) {
        for (name, schema) in schemas {
            if let Some(id) = schema.get("$id").and_then(Value::as_str) {
                ids.push((
                    id.to_owned(),
                    format!(
                        "#/components/schemas/{}",
                        name.replace('~', "~0").replace('/', "~1")
                    ),
                ));
                collect_anchors(schema, id, &mut anchors, 0);
            }
        }
    }
    if ids.is_empty() {
        return;
    }
    for value in doc.values_mut() {
        rewrite_refs(value, &ids, &anchors, 0);
    }
}

fn collect_anchors(schema: &Value, base: &str, anchors: &mut Vec<(String, Value)>, depth: usize) {
    if depth > 64 {
        return;
    }
    match schema {
        Value::Object(map) => {
            if let Some(anchor) = map.get("$anchor").and_then(Value::as_str) {
                anchors.push((format!("{base}#{anchor}"), schema.clone()));
            }
            for child in map.values() {
                collect_anchors(child, base, anchors, depth + 1);
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_anchors(i, base, anchors, depth + 1)),
        _ => {}
    }
}

fn rewrite_refs(
    value: &mut Value,
    ids: &[(String, String)],
    anchors: &[(String, Value)],
    depth: usize,
) {
    if depth > 256 {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                if let Some((_, local)) = ids.iter().find(|(id, _)| id == reference) {
                    map.insert("$ref".into(), Value::String(local.clone()));
                } else if let Some((_, anchored)) = anchors.iter().find(|(a, _)| a == reference) {
                    *value = anchored.clone();
                    return;
                }
            }
            for child in map.values_mut() {
                rewrite_refs(child, ids, anchors, depth + 1);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| rewrite_refs(i, ids, anchors, depth + 1)),
        _ => {}
    }
}
