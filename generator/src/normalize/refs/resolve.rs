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
                    .is_some_and(|key| component_keys.contains(key) || !key.contains(['/', '%']));
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
    let tokens = reference_tokens(tree, reference);
    if let Some(target) = lookup(tree, &tokens) {
        if is_schema_place(&tokens) && (target.is_object() || target.is_boolean()) {
            return Ok(tokens);
        }
        if let Some(schema) = schema_of_object(target, at) {
            diagnostics.push(Diagnostic::warning(
                &here,
                format!(
                    "reference {reference:?} names a parameter, request body or response where \
                     a schema belongs; resolved to its schema"
                ),
            ));
            return Ok(tokens.into_iter().chain(schema).collect());
        }
        return Err(Error::invalid(
            &here,
            format!("reference {reference:?} does not point at a schema"),
        ));
    }
    if let Some(target) = lookup_through_references(tree, &tokens) {
        if is_schema_place(&target) {
            diagnostics.push(Diagnostic::note(
                &here,
                format!(
                    "reference {reference:?} passes through a `$ref` on its way; resolved to {}",
                    render(&target)
                ),
            ));
            return Ok(target);
        }
    }
    if matches!(
        tokens.first().map(String::as_str),
        Some("$defs" | "definitions")
    ) {
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

/// How many `$ref`s a pointer may pass through in [`lookup_through_references`].
const MAX_HOPS: usize = 32;

/// Where `tokens` lead when each `$ref` met on the way is followed, as the pointer tokens of
/// the place reached. Tools that bundle specs write pointers through references
/// (`.../schema/properties/a` where `schema` is a `$ref` to a schema that has `a`).
fn lookup_through_references(tree: &Value, tokens: &[String]) -> Option<Vec<String>> {
    let mut place: Vec<String> = Vec::with_capacity(tokens.len());
    let mut node = tree;
    let mut hops = 0;
    for token in tokens {
        loop {
            let next = match node {
                Value::Object(map) => map.get(token),
                Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
                _ => None,
            };
            if let Some(next) = next {
                node = next;
                place.push(token.clone());
                break;
            }
            let Some(Value::String(reference)) = node.get("$ref") else {
                return None;
            };
            hops += 1;
            if hops > MAX_HOPS || !reference.starts_with('#') {
                return None;
            }
            place = reference_tokens(tree, reference);
            node = lookup(tree, &place)?;
        }
    }
    (node.is_object() || node.is_boolean()).then_some(place)
}

/// The way from a parameter, header, request body or response to its schema, for a schema
/// reference that names one of those: the parameter's `schema`, else the `schema` of the
/// media type the referencing place is under, else of its only media type.
fn schema_of_object(target: &Value, at: &[String]) -> Option<Vec<String>> {
    let object = target.as_object()?;
    if object.contains_key("in") || object.contains_key("schema") {
        return object
            .get("schema")
            .is_some_and(Value::is_object)
            .then(|| vec!["schema".to_owned()]);
    }
    let content = object.get("content")?.as_object()?;
    let media_type = at
        .iter()
        .rev()
        .zip(at.iter().rev().skip(1))
        .find_map(|(media_type, key)| {
            (key == "content" && content.contains_key(media_type)).then_some(media_type)
        })
        .or_else(|| (content.len() == 1).then(|| content.keys().next())?)?;
    content
        .get(media_type)?
        .get("schema")
        .is_some_and(Value::is_object)
        .then(|| vec!["content".into(), media_type.clone(), "schema".into()])
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// The pointer tokens of a local reference `#/a/b`. A reference is a URI fragment, which
/// may percent-encode characters (RFC 6901 section 6: `~1a~1%7Bid%7D` is `/a/{id}`): when
/// the reference as written resolves nowhere, the tokens of its decoded form.
pub(in crate::normalize) fn reference_tokens(tree: &Value, reference: &str) -> Vec<String> {
    let fragment = reference.strip_prefix('#').unwrap_or(reference);
    let split = |text: &str| -> Vec<String> {
        match text.strip_prefix('/') {
            Some(rest) => rest.split('/').map(unescape).collect(),
            None if text.is_empty() => Vec::new(),
            None => vec![unescape(text)],
        }
    };
    let tokens = split(fragment);
    if !fragment.contains('%') || lookup(tree, &tokens).is_some() {
        return tokens;
    }
    match percent_encoding::percent_decode_str(fragment).decode_utf8() {
        Ok(decoded) => split(&decoded),
        Err(_) => tokens,
    }
}

fn pointer_of(tokens: &[String]) -> Pointer {
    tokens.iter().fold(Pointer::root(), |p, t| p.push(t))
}

pub(super) fn render(tokens: &[String]) -> String {
    pointer_of(tokens).to_string()
}

pub(in crate::normalize) fn lookup<'a>(tree: &'a Value, tokens: &[String]) -> Option<&'a Value> {
    tokens.iter().try_fold(tree, |node, token| match node {
        Value::Object(map) => map.get(token),
        Value::Array(items) => items.get(token.parse::<usize>().ok()?),
        _ => None,
    })
}

pub(in crate::normalize) fn lookup_mut<'a>(
    tree: &'a mut Value,
    tokens: &[String],
) -> Option<&'a mut Value> {
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
