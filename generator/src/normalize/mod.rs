//! Normalising: a tolerant rewrite of the loaded tree into the OpenAPI 3.0 shape that
//! `openapiv3` reads, then typed parsing.
//!
//! Real documents mix versions and bend their own rules. This pass accepts 3.0 and 3.1 and
//! rewrites, schema by schema, what 3.0 cannot say:
//!
//! - `type: [T, "null"]` becomes `type: T` with `nullable: true`; `type: "null"` alone becomes
//!   a nullable schema of any type; several non-null types become a `oneOf`;
//! - `const: v` becomes `enum: [v]`; an `examples` array becomes `example`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` (3.1) become `minimum` plus the boolean;
//! - integer bounds that do not fit an `i64` are dropped (they constrain nothing);
//! - `$ref` with sibling keywords keeps the reference;
//! - a discriminator mapping naming a schema in another file is dropped (an untagged union);
//! - a `$ref` to a schema anywhere in the document (inside an operation, a property of a
//!   component) moves that schema into `components/schemas`, named from its place, so it is
//!   shared; `#/$defs/X` of an enclosing schema resolves there (the `refs` module);
//! - a reference written percent-encoded (`~1a~1%7Bid%7D`) resolves decoded;
//! - a `$ref` to a parameter, request body, response or header outside `#/components`
//!   (inside an operation, or a component that is itself a reference) becomes the
//!   component it ends at or a copy of the object (the `object_refs` module);
//! - a path key with a query part (`/a?q={q}`) sends its templated pairs as query
//!   parameters and keeps its fixed ones (the `path_query` module);
//! - a missing `info.version` or `paths` is filled in, `webhooks` is set aside.
//!
//! Each rewrite that changes meaning is reported as a [`Diagnostic`].

use serde_json::{Map, Value};

use crate::error::{Diagnostic, Error};
use crate::load::kind;
use crate::pointer::Pointer;

mod object_refs;
mod parse;
mod path_query;
mod refs;
mod schema_ids;

pub use path_query::PATH_TEMPLATE;
pub use refs::PLACE;

use parse::parse;
use schema_ids::resolve_schema_ids;

const HTTP_METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Rewrites `tree` and parses it into an `openapiv3::OpenAPI`.
pub fn normalize(
    mut tree: Value,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<openapiv3::OpenAPI, Error> {
    let root = Pointer::root();
    let doc = tree
        .as_object_mut()
        .ok_or_else(|| Error::invalid(&root, "expected an OpenAPI object"))?;
    check_version(doc, &root)?;
    doc.insert("openapi".into(), Value::String("3.0.3".into()));
    fill_info(doc, &root, diagnostics)?;
    resolve_schema_ids(doc);
    if doc.remove("webhooks").is_some() {
        diagnostics.push(Diagnostic::note(
            &root.push("webhooks"),
            "webhooks describe requests the API sends, not ones a client makes; skipped",
        ));
    }
    match doc.get_mut("paths") {
        None => {
            doc.insert("paths".into(), Value::Object(Map::new()));
        }
        Some(Value::Object(paths)) => {
            let at = root.push("paths");
            for (path, item) in paths.iter_mut() {
                walk_path_item(item, &at.push(path), diagnostics);
            }
        }
        Some(other) => {
            return Err(Error::invalid(
                &root.push("paths"),
                format!("expected a mapping of paths, found {}", kind(other)),
            ))
        }
    }
    if let Some(Value::Object(defs)) = doc.get_mut("$defs") {
        // Definitions at the root (JSON Schema's place for them), for references into them.
        let at = root.push("$defs");
        for (name, schema) in defs.iter_mut() {
            walk_schema(schema, &at.push(name), diagnostics);
        }
    }
    if let Some(Value::Object(components)) = doc.get_mut("components") {
        let at = root.push("components");
        for (section, value) in components.iter_mut() {
            let Value::Object(entries) = value else {
                continue;
            };
            let at = at.push(section);
            for (name, entry) in entries.iter_mut() {
                let at = at.push(name);
                match section.as_str() {
                    "schemas" => walk_schema(entry, &at, diagnostics),
                    "parameters" | "headers" => walk_parameter(entry, &at, diagnostics),
                    "requestBodies" => walk_content_holder(entry, &at, diagnostics),
                    "responses" => walk_response(entry, &at, diagnostics),
                    // 3.1's mutual TLS has no 3.0 form; carry it as an HTTP scheme.
                    "securitySchemes"
                        if entry.get("type").and_then(Value::as_str) == Some("mutualTLS") =>
                    {
                        if let Value::Object(scheme) = entry {
                            scheme.insert("type".into(), Value::String("http".into()));
                            scheme.insert("scheme".into(), Value::String("mutualtls".into()));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    let moved = refs::share(&mut tree, diagnostics)?;
    object_refs::resolve_object_references(&mut tree);
    path_query::split_query_from_paths(&mut tree, diagnostics);
    parse(tree).map_err(|error| refs::relocate(error, &moved))
}

fn check_version(doc: &Map<String, Value>, root: &Pointer) -> Result<(), Error> {
    match doc.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => Ok(()),
        Some(Value::String(v)) => Err(Error::invalid(
            &root.push("openapi"),
            format!("OpenAPI version {v} is not supported; expected 3.0.x or 3.1.x"),
        )),
        Some(other) => Err(Error::invalid(
            &root.push("openapi"),
            format!("expected the version as a string, found {}", kind(other)),
        )),
        None if doc.contains_key("swagger") => Err(Error::invalid(
            &root.push("swagger"),
            "Swagger 2.0 documents are not supported; convert the document to OpenAPI 3 first",
        )),
        None => Err(Error::invalid(
            root,
            "not an OpenAPI document: the `openapi` version field is missing",
        )),
    }
}

fn fill_info(
    doc: &mut Map<String, Value>,
    root: &Pointer,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let at = root.push("info");
    let info = doc
        .entry("info")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(info) = info else {
        return Err(Error::invalid(
            &at,
            format!("expected a mapping, found {}", kind(info)),
        ));
    };
    for (field, default) in [("title", "API"), ("version", "0.0.0")] {
        if !matches!(info.get(field), Some(Value::String(_))) {
            diagnostics.push(Diagnostic::note(
                &at.push(field),
                format!("missing or not a string; using {default:?}"),
            ));
            info.insert(field.into(), Value::String(default.into()));
        }
    }
    Ok(())
}

fn walk_path_item(item: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    let Value::Object(item) = item else { return };
    if let Some(Value::Array(params)) = item.get_mut("parameters") {
        let at = at.push("parameters");
        for (i, p) in params.iter_mut().enumerate() {
            walk_parameter(p, &at.push(i.to_string()), diagnostics);
        }
    }
    for method in HTTP_METHODS {
        let Some(Value::Object(op)) = item.get_mut(method) else {
            continue;
        };
        let at = at.push(method);
        if let Some(Value::Array(params)) = op.get_mut("parameters") {
            let at = at.push("parameters");
            for (i, p) in params.iter_mut().enumerate() {
                walk_parameter(p, &at.push(i.to_string()), diagnostics);
            }
        }
        if let Some(body) = op.get_mut("requestBody") {
            walk_content_holder(body, &at.push("requestBody"), diagnostics);
        }
        if let Some(Value::Object(responses)) = op.get_mut("responses") {
            let at = at.push("responses");
            for (status, response) in responses.iter_mut() {
                walk_response(response, &at.push(status), diagnostics);
            }
        }
        // Callbacks describe requests the server makes; they do not shape the client.
        op.remove("callbacks");
    }
}

fn walk_parameter(param: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    let Value::Object(param) = param else { return };
    if let Some(schema) = param.get_mut("schema") {
        walk_schema(schema, &at.push("schema"), diagnostics);
    }
    if let Some(content) = param.get_mut("content") {
        walk_content(content, &at.push("content"), diagnostics);
    }
}

fn walk_response(response: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    walk_content_holder(response, at, diagnostics);
    if let Some(Value::Object(headers)) = response.get_mut("headers") {
        let at = at.push("headers");
        for (name, header) in headers.iter_mut() {
            walk_parameter(header, &at.push(name), diagnostics);
        }
    }
}

fn walk_content_holder(holder: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    if let Some(content) = holder.get_mut("content") {
        walk_content(content, &at.push("content"), diagnostics);
    }
}

fn walk_content(content: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    let Value::Object(content) = content else {
        return;
    };
    for (media, entry) in content.iter_mut() {
        if let Some(schema) = entry.get_mut("schema") {
            walk_schema(schema, &at.push(media).push("schema"), diagnostics);
        }
    }
}

/// Rewrites one schema and, recursively, the schemas inside it.
fn walk_schema(schema: &mut Value, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    // JSON Schema allows `true`/`false` as schemas: anything / nothing.
    if let Value::Bool(b) = schema {
        *schema = if *b {
            Value::Object(Map::new())
        } else {
            serde_json::json!({ "not": {} })
        };
        return;
    }
    let Value::Object(map) = schema else { return };

    if map.contains_key("$ref") {
        if map.len() > 1 {
            map.retain(|k, _| k == "$ref");
        }
        return;
    }
    normalize_type(map, at, diagnostics);
    drop_external_discriminator(map, at, diagnostics);
    if let Some(value) = map.remove("const") {
        if !map.contains_key("enum") {
            map.insert("enum".into(), Value::Array(vec![value]));
        }
    }
    if let Some(Value::Array(examples)) = map.remove("examples") {
        // 3.0 has one `example`; all of them are kept in an extension for the example checks.
        if !map.contains_key("example") && !examples.is_empty() {
            map.insert("example".into(), examples[0].clone());
        }
        map.insert("x-examples".into(), Value::Array(examples));
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(n)) = map.get(exclusive).cloned() {
            map.insert(inclusive.into(), Value::Number(n));
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    if map.get("type").and_then(Value::as_str) == Some("integer") {
        for bound in ["minimum", "maximum", "multipleOf"] {
            if let Some(Value::Number(n)) = map.get(bound) {
                if n.as_i64().is_none() {
                    let dropped = n.to_string();
                    map.remove(bound);
                    diagnostics.push(Diagnostic::note(
                        &at.push(bound),
                        format!("integer bound {dropped} does not fit in 64 bits; ignored"),
                    ));
                }
            }
        }
    }

    for key in ["items", "not", "additionalProperties"] {
        if let Some(child) = map.get_mut(key) {
            if key == "additionalProperties" && child.is_boolean() {
                continue;
            }
            walk_schema(child, &at.push(key), diagnostics);
        }
    }
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            let at = at.push(key);
            for (name, child) in props.iter_mut() {
                walk_schema(child, &at.push(name), diagnostics);
            }
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(items)) = map.get_mut(key) {
            let at = at.push(key);
            for (i, child) in items.iter_mut().enumerate() {
                walk_schema(child, &at.push(i.to_string()), diagnostics);
            }
        }
    }
}

/// A discriminator whose mapping names a schema in another file (`models/a.yml#/A`, left by
/// a bundler) cannot tell which branch a tag selects: it is dropped, and the union decodes
/// by trying its branches in order, with a warning.
fn drop_external_discriminator(
    map: &mut Map<String, Value>,
    at: &Pointer,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let external = map
        .get("discriminator")
        .and_then(|d| d.get("mapping"))
        .and_then(Value::as_object)
        .and_then(|mapping| {
            // The first by name: the mapping's order means nothing.
            mapping
                .values()
                .filter_map(|target| {
                    let target = target.as_str()?;
                    (!target.starts_with('#') && target.contains(['/', '#'])).then_some(target)
                })
                .min()
        });
    if let Some(target) = external {
        diagnostics.push(Diagnostic::warning(
            &at.push("discriminator"),
            format!(
                "the discriminator's mapping names {target:?}, a schema in another file; \
                 ignored: the union is decoded by trying its branches in order"
            ),
        ));
        map.remove("discriminator");
    }
}

/// `type` as an array (3.1) into `type` plus `nullable` (3.0).
fn normalize_type(map: &mut Map<String, Value>, at: &Pointer, diagnostics: &mut Vec<Diagnostic>) {
    let types: Vec<String> = match map.get("type") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        Some(Value::String(t)) if t == "null" => vec!["null".to_owned()],
        Some(Value::String(_)) | None => return,
        Some(other) => {
            diagnostics.push(Diagnostic::warning(
                &at.push("type"),
                format!("expected a type name, found {}; ignored", kind(other)),
            ));
            map.remove("type");
            return;
        }
    };
    let mut non_null: Vec<String> = types.iter().filter(|t| *t != "null").cloned().collect();
    if non_null.len() < types.len() {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match non_null.len() {
        0 => {
            map.remove("type");
        }
        1 => {
            map.insert("type".into(), Value::String(non_null.remove(0)));
        }
        _ => {
            map.remove("type");
            let branches = non_null
                .into_iter()
                .map(|t| serde_json::json!({ "type": t }))
                .collect();
            map.insert("oneOf".into(), Value::Array(branches));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn schema_after(schema: Value) -> Value {
        let mut s = schema;
        let mut d = Vec::new();
        walk_schema(&mut s, &Pointer::root(), &mut d);
        s
    }

    #[test]
    fn type_array_with_null_becomes_nullable() {
        assert_eq!(
            schema_after(json!({"type": ["string", "null"]})),
            json!({"type": "string", "nullable": true})
        );
    }

    #[test]
    fn const_becomes_single_enum_and_examples_become_example() {
        assert_eq!(
            schema_after(json!({"type": "string", "const": "x", "examples": ["a", "b"]})),
            json!({"type": "string", "enum": ["x"], "example": "a", "x-examples": ["a", "b"]})
        );
    }

    #[test]
    fn numeric_exclusive_minimum_becomes_boolean() {
        assert_eq!(
            schema_after(json!({"type": "number", "exclusiveMinimum": 0})),
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn swagger_2_is_refused_by_name() {
        let err = normalize(json!({"swagger": "2.0"}), &mut Vec::new()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "#/swagger: Swagger 2.0 documents are not supported; convert the document to OpenAPI 3 first"
        );
    }

    #[test]
    fn parse_errors_name_the_place() {
        let doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/a": {"get": {"responses": {"200": {"description": 5}}}}}
        });
        let err = normalize(doc, &mut Vec::new()).unwrap_err().to_string();
        assert!(err.starts_with("#/paths/~1a/get/responses/200"), "{err}");
    }
}
