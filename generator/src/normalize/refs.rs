//! References to schemas anywhere in the document, not only to `#/components/schemas/X`.
//!
//! A `$ref` may point into an operation (`#/paths/~1a/get/responses/200/content/application~1json/schema`)
//! or inside a component (`#/components/schemas/A/properties/b`). Such a schema is moved into
//! `components/schemas` under a name from its place (`GetAResponse`, `AB`), and a reference
//! to it is left where it was, so it is converted once and shared; the extension
//! [`PLACE`] keeps where it was written, for names and errors.
//!
//! JSON Schema tools that embed definitions write `$ref: '#/$defs/X'` meaning the `$defs` of
//! the schema they wrote, not of the document: such a reference that does not resolve from
//! the document's root but does in the nearest enclosing schema's `$defs` resolves there,
//! with a note.
//!
//! The `resolve` submodule finds those references and their targets; this module moves the
//! targets, names them from their place, rewrites the references and relocates errors.

mod resolve;

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

pub(super) use self::resolve::{lookup, lookup_mut, reference_tokens};
use self::resolve::{references_to_move, render, resolve};
use super::HTTP_METHODS;
use crate::error::{Diagnostic, Error};
use crate::naming::type_name;
use crate::pointer::Pointer;

/// The extension a moved schema carries: the pointer to where the spec wrote it.
pub const PLACE: &str = "x-generator-place";

const COMPONENT_SCHEMAS: &str = "#/components/schemas/";

/// How deep the search for references goes (the loader caps nesting below this).
const MAX_DEPTH: usize = 512;

/// A schema moved into `components/schemas`: its key there, and where the spec wrote it.
#[derive(Debug)]
pub(super) struct Moved {
    pub key: String,
    pub place: String,
}

/// Resolves every schema reference that does not name a component schema, moving its
/// target into `components/schemas`. Returns the moved schemas, to name errors found in
/// them later by their place.
pub(super) fn share(
    tree: &mut Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<Moved>, Error> {
    let component_keys: BTreeSet<String> = tree
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().cloned().collect())
        .unwrap_or_default();
    let found = references_to_move(tree, &component_keys);
    if found.is_empty() {
        return Ok(Vec::new());
    }

    // Where each reference points, as pointer tokens; references are rewritten to that
    // absolute form before anything moves.
    let mut targets: BTreeSet<Vec<String>> = BTreeSet::new();
    for (at, reference) in &found {
        let target = resolve(tree, at, reference, diagnostics)?;
        let absolute = render(&target);
        if let Some(Value::Object(node)) = lookup_mut(tree, at) {
            node.insert("$ref".into(), Value::String(absolute));
        }
        targets.insert(target);
    }

    // Deepest first, so a target inside another moves before the one holding it.
    let mut order: Vec<Vec<String>> = targets.into_iter().collect();
    order.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let mut taken = component_keys;
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    let mut moved = Vec::new();
    for target in order {
        if let [components, schemas, name] = target.as_slice() {
            if components == "components" && schemas == "schemas" {
                renamed.insert(render(&target), format!("{COMPONENT_SCHEMAS}{name}"));
                continue;
            }
        }
        let wanted = name_from_place(tree, &target);
        let mut key = wanted.clone();
        let mut n = 2;
        while taken.contains(&key) {
            key = format!("{wanted}{n}");
            n += 1;
        }
        taken.insert(key.clone());
        let reference = format!("{COMPONENT_SCHEMAS}{key}");
        let place = render(&target);
        let Some(slot) = lookup_mut(tree, &target) else {
            continue;
        };
        let mut schema = std::mem::replace(slot, json_ref(&reference));
        if let Value::Object(map) = &mut schema {
            if !map.contains_key("$ref") {
                map.insert(PLACE.into(), Value::String(place.clone()));
            }
        }
        component_schemas(tree).insert(key.clone(), schema);
        renamed.insert(place.clone(), reference);
        moved.push(Moved { key, place });
    }
    rewrite(tree, &renamed, 0);
    Ok(moved)
}

/// An error found in a moved schema, named at the place the spec wrote it.
pub(super) fn relocate(error: Error, moved: &[Moved]) -> Error {
    let Error::Invalid { pointer, message } = error else {
        return error;
    };
    for m in moved {
        let prefix = Pointer::root()
            .push("components")
            .push("schemas")
            .push(&m.key)
            .to_string();
        if let Some(rest) = pointer.strip_prefix(&prefix) {
            if rest.is_empty() || rest.starts_with('/') {
                return Error::Invalid {
                    pointer: format!("{}{rest}", m.place),
                    message,
                };
            }
        }
    }
    Error::Invalid { pointer, message }
}

fn json_ref(reference: &str) -> Value {
    let mut map = Map::new();
    map.insert("$ref".into(), Value::String(reference.to_owned()));
    Value::Object(map)
}

fn component_schemas(tree: &mut Value) -> &mut Map<String, Value> {
    let doc = tree.as_object_mut().expect("the document is an object");
    let components = doc
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()));
    if !components.is_object() {
        *components = Value::Object(Map::new());
    }
    let components = components.as_object_mut().expect("an object");
    let schemas = components
        .entry("schemas")
        .or_insert_with(|| Value::Object(Map::new()));
    if !schemas.is_object() {
        *schemas = Value::Object(Map::new());
    }
    schemas.as_object_mut().expect("an object")
}

/// Replaces each reference that `renamed` maps.
fn rewrite(value: &mut Value, renamed: &BTreeMap<String, String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref") {
                if let Some(new) = renamed.get(reference.as_str()) {
                    *reference = new.clone();
                }
            }
            for (key, child) in map.iter_mut() {
                if key != "$ref" {
                    rewrite(child, renamed, depth + 1);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite(item, renamed, depth + 1)),
        _ => {}
    }
}

/// A name from where a schema is written: `#/components/schemas/Owner/properties/home` is
/// `OwnerHome`, the schema of `getStats`'s 200 response `GetStatsResponse`.
fn name_from_place(tree: &Value, target: &[String]) -> String {
    let t: Vec<&str> = target.iter().map(String::as_str).collect();
    let mut words: Vec<String> = Vec::new();
    let mut rest: &[&str] = &t;
    match t.as_slice() {
        ["components", _, name, tail @ ..] => {
            words.push(type_name(name));
            rest = tail;
        }
        ["$defs" | "definitions", name, tail @ ..] => {
            words.push(type_name(name));
            rest = tail;
        }
        ["paths", path, method, tail @ ..] if HTTP_METHODS.contains(method) => {
            let operation_id = tree
                .get("paths")
                .and_then(|p| p.get(*path))
                .and_then(|item| item.get(*method))
                .and_then(|op| op.get("operationId"))
                .and_then(Value::as_str);
            words.push(match operation_id {
                Some(id) => type_name(id),
                None => type_name(&format!("{method} {path}")),
            });
            rest = tail;
        }
        ["paths", path, tail @ ..] => {
            words.push(type_name(path));
            rest = tail;
        }
        _ => {}
    }
    while !rest.is_empty() {
        rest = match rest {
            ["responses", status, tail @ ..] => {
                words.push(match *status {
                    "200" => "Response".to_owned(),
                    other => format!("{}Response", type_name(other)),
                });
                tail
            }
            ["requestBody", tail @ ..] => {
                words.push("Request".to_owned());
                tail
            }
            ["parameters" | "headers", name, tail @ ..] => {
                // Parameters are a list: the one at an index is named by its `name`.
                let consumed = target.len() - tail.len();
                let named = name
                    .parse::<usize>()
                    .ok()
                    .and_then(|_| lookup(tree, &target[..consumed])?.get("name")?.as_str());
                words.push(type_name(named.unwrap_or(name)));
                tail
            }
            ["content", _, "schema", tail @ ..] | ["schema", tail @ ..] => tail,
            ["items", tail @ ..] => {
                words.push("Item".to_owned());
                tail
            }
            ["additionalProperties" | "patternProperties", tail @ ..] => {
                words.push("Value".to_owned());
                tail
            }
            ["not", tail @ ..] => {
                words.push("Not".to_owned());
                tail
            }
            ["allOf" | "oneOf" | "anyOf", i, tail @ ..] => {
                let n = i.parse::<usize>().map_or(0, |i| i + 1);
                words.push(format!("Variant{n}"));
                tail
            }
            ["properties" | "$defs" | "definitions", name, tail @ ..] => {
                words.push(type_name(name));
                tail
            }
            [other, tail @ ..] => {
                words.push(type_name(other));
                tail
            }
            [] => break,
        };
    }
    let name = words.concat();
    if name.is_empty() {
        "Schema".to_owned()
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn shared(mut doc: Value) -> (Value, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        share(&mut doc, &mut diagnostics).expect("resolves");
        (doc, diagnostics)
    }

    #[test]
    fn a_schema_in_an_operation_moves_into_components_and_is_shared() {
        let schema = json!({"type": "object", "properties": {"p50": {"type": "number"}}});
        let (doc, diagnostics) = shared(json!({
            "paths": {
                "/stats": {"get": {"operationId": "getStats", "responses": {"200": {"content": {"application/json": {"schema": schema}}}}}},
                "/copy": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/paths/~1stats/get/responses/200/content/application~1json/schema"}}}}}}}
            }
        }));
        assert!(diagnostics.is_empty());
        let reference = json!({"$ref": "#/components/schemas/GetStatsResponse"});
        assert_eq!(
            doc.pointer("/paths/~1stats/get/responses/200/content/application~1json/schema"),
            Some(&reference)
        );
        assert_eq!(
            doc.pointer("/paths/~1copy/get/responses/200/content/application~1json/schema"),
            Some(&reference)
        );
        let mut moved = schema.clone();
        moved[PLACE] = json!("#/paths/~1stats/get/responses/200/content/application~1json/schema");
        assert_eq!(
            doc.pointer("/components/schemas/GetStatsResponse"),
            Some(&moved)
        );
    }

    #[test]
    fn a_reference_into_a_property_and_one_inside_it_move_deepest_first() {
        let (doc, _) = shared(json!({
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"type": "object"}}}}},
                "X": {"type": "object", "properties": {
                    "b": {"$ref": "#/components/schemas/A/properties/b"},
                    "c": {"$ref": "#/components/schemas/A/properties/b/properties/c"}
                }}
            }}
        }));
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["A"]["properties"]["b"],
            json!({"$ref": "#/components/schemas/AB"})
        );
        assert_eq!(
            schemas["AB"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/ABC"})
        );
        assert_eq!(
            schemas["ABC"][PLACE],
            json!("#/components/schemas/A/properties/b/properties/c")
        );
        assert_eq!(
            schemas["X"]["properties"]["c"],
            json!({"$ref": "#/components/schemas/ABC"})
        );
    }

    #[test]
    fn defs_of_the_enclosing_schema_resolve_with_a_note() {
        let (doc, diagnostics) = shared(json!({
            "components": {"schemas": {"Owner": {
                "type": "object",
                "$defs": {"Address": {"type": "object"}},
                "properties": {"home": {"$ref": "#/$defs/Address"}}
            }}}
        }));
        assert_eq!(
            doc["components"]["schemas"]["Owner"]["properties"]["home"],
            json!({"$ref": "#/components/schemas/OwnerAddress"})
        );
        assert_eq!(
            diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["note: #/components/schemas/Owner/properties/home: \"#/$defs/Address\" does not resolve from the document's root; resolved in the `$defs` of the enclosing schema #/components/schemas/Owner"]
        );
    }

    #[test]
    fn a_reference_to_a_non_schema_or_nowhere_is_an_error_at_its_place() {
        let error = |target: &str| {
            let mut doc = json!({"info": {"title": "t"}, "components": {"schemas": {"A": {"properties": {"b": {"$ref": target}}}}}});
            share(&mut doc, &mut Vec::new()).unwrap_err().to_string()
        };
        assert_eq!(
            error("#/info"),
            "#/components/schemas/A/properties/b: reference \"#/info\" does not point at a schema"
        );
        assert_eq!(
            error("#/components/schemas/A/properties/nope"),
            "#/components/schemas/A/properties/b: dangling reference: \"#/components/schemas/A/properties/nope\" resolves nowhere in the document"
        );
        assert_eq!(
            error("#/$defs/Missing"),
            "#/components/schemas/A/properties/b: dangling reference: \"#/$defs/Missing\" resolves nowhere in the document"
        );
    }

    #[test]
    fn a_property_named_example_is_searched_but_example_data_is_not() {
        let (doc, _) = shared(json!({
            "components": {"schemas": {"A": {
                "type": "object",
                "example": {"b": {"$ref": "#/nowhere"}},
                "properties": {
                    "b": {"type": "object"},
                    "example": {"$ref": "#/components/schemas/A/properties/b"}
                }
            }}}
        }));
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["example"],
            json!({"$ref": "#/components/schemas/AB"})
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["example"],
            json!({"b": {"$ref": "#/nowhere"}})
        );
    }

    #[test]
    fn references_by_component_name_are_left_alone() {
        let doc = json!({"components": {"schemas": {"A": {"type": "string"}, "B": {"$ref": "#/components/schemas/A"}, "C": {"$ref": "#/components/schemas/Missing"}}}});
        assert_eq!(shared(doc.clone()).0, doc);
    }

    #[test]
    fn a_percent_encoded_reference_resolves_decoded() {
        let (doc, _) = shared(json!({
            "paths": {
                "/a/{id}": {"get": {"operationId": "getA", "responses": {"200": {"content": {"application/json": {"schema": {"type": "object"}}}}}}},
                "/b": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/paths/~1a~1%7Bid%7D/get/responses/200/content/application~1json/schema"}}}}}}}
            },
            "components": {"schemas": {"Spaced Name": {"type": "string"}, "C": {"$ref": "#/components/schemas/Spaced%20Name"}}}
        }));
        let reference = json!({"$ref": "#/components/schemas/GetAResponse"});
        assert_eq!(
            doc.pointer("/paths/~1b/get/responses/200/content/application~1json/schema"),
            Some(&reference)
        );
        assert_eq!(
            doc["components"]["schemas"]["C"],
            json!({"$ref": "#/components/schemas/Spaced Name"})
        );
    }

    #[test]
    fn a_pointer_through_a_reference_follows_it() {
        let (doc, diagnostics) = shared(json!({
            "paths": {"/a": {"get": {"responses": {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}}}}}}},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"type": "integer"}}}}},
                "X": {"$ref": "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/b"}
            }}
        }));
        assert_eq!(
            doc["components"]["schemas"]["X"],
            json!({"$ref": "#/components/schemas/AB"})
        );
        assert_eq!(
            doc["components"]["schemas"]["AB"]["properties"]["c"],
            json!({"type": "integer"})
        );
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert!(diagnostics[0]
            .to_string()
            .contains("passes through a `$ref`"));
    }

    #[test]
    fn a_schema_reference_naming_a_parameter_or_response_takes_its_schema() {
        let (doc, diagnostics) = shared(json!({
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "parameters": [{"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["x", "y"]}}],
                "responses": {"200": {"content": {"text/plain": {"schema": {"$ref": "#/components/responses/Text"}}}}}
            }}},
            "components": {
                "responses": {"Text": {"description": "t", "content": {"text/plain": {"schema": {"type": "string"}}}}},
                "schemas": {"Kinds": {"type": "array", "items": {"$ref": "#/paths/~1a/get/parameters/0"}}}
            }
        }));
        assert_eq!(
            doc["components"]["schemas"]["Kinds"]["items"],
            json!({"$ref": "#/components/schemas/GetAKind"})
        );
        assert_eq!(
            doc.pointer("/paths/~1a/get/responses/200/content/text~1plain/schema"),
            Some(&json!({"$ref": "#/components/schemas/Text"}))
        );
        assert_eq!(diagnostics.len(), 2, "{diagnostics:?}");
    }
}
