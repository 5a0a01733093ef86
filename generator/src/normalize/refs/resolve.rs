//! Where schema references point: the references that do not name a component schema
//! ([`references_to_move`]), their targets ([`resolve`]: from the document's root, else for `#/$defs/X`
//! in the nearest enclosing schema's `$defs`, with a note), and which places in an OpenAPI
//! document hold a schema at all (a `$ref` elsewhere is no schema reference).

use std::collections::BTreeSet;

use serde_json::Value;

use super::{COMPONENT_SCHEMAS, MAX_DEPTH};
use crate::error::{Diagnostic, Error};
use crate::normalize::HTTP_METHODS;
use crate::pointer::Pointer;

/// One step of the way to a node: a key or an index, borrowed while searching.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Keys whose value maps names chosen by the spec's author to objects: a key `example` in
/// such a map is a name, not example data.
const NAMED_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "schemas",
    "parameters",
    "headers",
    "responses",
    "requestBodies",
    "content",
    "paths",
];

/// Every `$ref` in a schema position whose target is not a component schema by name: where
/// it is written, as pointer tokens, and what it says.
pub(super) fn references_to_move(
    tree: &Value,
    component_keys: &BTreeSet<String>,
) -> Vec<(Vec<String>, String)> {
    let mut found = Vec::new();
    collect(tree, &mut Vec::new(), component_keys, &mut found, 0);
    found
}

/// Finds every `$ref` in a schema position whose target is not a component schema by name.
fn collect<'a>(
    value: &'a Value,
    at: &mut Vec<Step<'a>>,
    component_keys: &BTreeSet<String>,
    found: &mut Vec<(Vec<String>, String)>,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                let named = reference
                    .strip_prefix(COMPONENT_SCHEMAS)
                    .is_some_and(|key| component_keys.contains(key) || !key.contains('/'));
                if reference.starts_with("#/") && !named {
                    let place: Vec<String> = at
                        .iter()
                        .map(|step| match step {
                            Step::Key(key) => (*key).to_owned(),
                            Step::Index(i) => i.to_string(),
                        })
                        .collect();
                    if is_schema_place(&place) {
                        found.push((place, reference.clone()));
                    }
                }
                return;
            }
            let names = matches!(at.last(), Some(Step::Key(key)) if NAMED_MAPS.contains(key));
            for (key, child) in map {
                // Examples are data, extensions are the author's own.
                if !names
                    && (key.starts_with("x-") || matches!(key.as_str(), "example" | "examples"))
                {
                    continue;
                }
                at.push(Step::Key(key));
                collect(child, at, component_keys, found, depth + 1);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                collect(item, at, component_keys, found, depth + 1);
                at.pop();
            }
        }
        _ => {}
    }
}

/// The target of `reference`, written at `at`: from the document's root, else (for
/// `#/$defs/...`) in the nearest enclosing schema that has it.
pub(super) fn resolve(
    tree: &Value,
    at: &[String],
    reference: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Vec<String>, Error> {
    let here = pointer_of(at);
    let tokens: Vec<String> = reference[2..].split('/').map(unescape).collect();
    if let Some(target) = lookup(tree, &tokens) {
        return if is_schema_place(&tokens) && (target.is_object() || target.is_boolean()) {
            Ok(tokens)
        } else {
            Err(Error::invalid(
                &here,
                format!("reference {reference:?} does not point at a schema"),
            ))
        };
    }
    if matches!(tokens[0].as_str(), "$defs" | "definitions") {
        for end in (0..at.len()).rev() {
            let enclosing = &at[..end];
            if enclosing.is_empty() || !is_schema_place(enclosing) {
                continue;
            }
            let mut target = enclosing.to_vec();
            target.extend(tokens.iter().cloned());
            if lookup(tree, &target).is_some_and(|t| t.is_object() || t.is_boolean()) {
                diagnostics.push(Diagnostic::note(
                    &here,
                    format!(
                        "{reference:?} does not resolve from the document's root; resolved in the `{}` of the enclosing schema {}",
                        tokens[0],
                        pointer_of(enclosing)
                    ),
                ));
                return Ok(target);
            }
        }
    }
    Err(Error::invalid(
        &here,
        format!("dangling reference: {reference:?} resolves nowhere in the document"),
    ))
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn pointer_of(tokens: &[String]) -> Pointer {
    tokens.iter().fold(Pointer::root(), |p, t| p.push(t))
}

pub(super) fn render(tokens: &[String]) -> String {
    pointer_of(tokens).to_string()
}

fn lookup<'a>(tree: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(tree, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

pub(super) fn lookup_mut<'a>(tree: &'a mut Value, tokens: &[String]) -> Option<&'a mut Value> {
    tokens.iter().try_fold(tree, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => items.get_mut(token.parse::<usize>().ok()?),
        _ => None,
    })
}

/// Whether the place these tokens name holds a schema, as OpenAPI lays a document out.
fn is_schema_place(tokens: &[String]) -> bool {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    let rest = match t.as_slice() {
        ["components", "schemas", _, rest @ ..] => rest,
        ["$defs" | "definitions", _, rest @ ..] => rest,
        ["components", "parameters" | "headers", _, rest @ ..] => match parameter_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        ["components", "requestBodies", _, "content", _, "schema", rest @ ..] => rest,
        ["components", "responses", _, rest @ ..] => match response_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        ["paths", _, rest @ ..] => match operation_schema(rest) {
            Some(rest) => rest,
            None => return false,
        },
        _ => return false,
    };
    within_schema(rest)
}

/// After a parameter or header: its `schema`, or the `schema` of one of its media types.
fn parameter_schema<'a, 'b>(t: &'a [&'b str]) -> Option<&'a [&'b str]> {
    match t {
        ["schema", rest @ ..] => Some(rest),
        ["content", _, "schema", rest @ ..] => Some(rest),
        _ => None,
    }
}

/// After a response: the `schema` of a media type or of a header.
fn response_schema<'a, 'b>(t: &'a [&'b str]) -> Option<&'a [&'b str]> {
    match t {
        ["content", _, "schema", rest @ ..] => Some(rest),
        ["headers", _, rest @ ..] => parameter_schema(rest),
        _ => None,
    }
}

/// After a path: the schema of a parameter, request body or response.
fn operation_schema<'a, 'b>(t: &'a [&'b str]) -> Option<&'a [&'b str]> {
    match t {
        ["parameters", _, rest @ ..] => parameter_schema(rest),
        [method, rest @ ..] if HTTP_METHODS.contains(method) => match rest {
            ["parameters", _, rest @ ..] => parameter_schema(rest),
            ["requestBody", "content", _, "schema", rest @ ..] => Some(rest),
            ["responses", _, rest @ ..] => response_schema(rest),
            _ => None,
        },
        _ => None,
    }
}

/// Whether these tokens, read from a schema, lead to a schema inside it.
fn within_schema(mut t: &[&str]) -> bool {
    loop {
        t = match t {
            [] => return true,
            ["items" | "not" | "additionalProperties", rest @ ..] => rest,
            ["properties" | "patternProperties" | "$defs" | "definitions", _, rest @ ..] => rest,
            ["allOf" | "oneOf" | "anyOf", i, rest @ ..] if i.parse::<usize>().is_ok() => rest,
            _ => return false,
        }
    }
}
