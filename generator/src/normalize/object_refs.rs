//! References to parameters, request bodies, responses and headers wherever they live.
//!
//! OpenAPI lets a `$ref` point at any of these objects, not only at the ones under
//! `#/components`: real specs reuse an operation's parameter or response in place
//! (`$ref: '#/paths/~1a/get/parameters/2'`), and some components are themselves references.
//! The IR reads components by name, so each such reference is rewritten here: to the
//! component it ends at (following references from one to the next), or, when it ends
//! inside an operation, to a copy of the object it names. A reference that resolves
//! nowhere, or to an object of another kind, is left as written for the IR to report at its
//! place.
//!
//! Runs after schema references are shared (`refs`), so a copy holds references to the
//! shared schemas, not a second copy of them.

use serde_json::Value;

use super::refs::{lookup, lookup_mut, reference_tokens};
use super::HTTP_METHODS;

/// How many references in a row are followed before giving up (a cycle, or a spec that
/// chains without end).
const MAX_HOPS: usize = 32;

/// The kinds of object a non-schema reference names, and the `#/components` section of each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Parameter,
    RequestBody,
    Response,
    Header,
}

impl Kind {
    fn section(self) -> &'static str {
        match self {
            Kind::Parameter => "parameters",
            Kind::RequestBody => "requestBodies",
            Kind::Response => "responses",
            Kind::Header => "headers",
        }
    }
}

/// Rewrites every reference to a parameter, request body, response or header that does not
/// name a component of its kind directly.
pub(super) fn resolve_object_references(tree: &mut Value) {
    let mut places = Vec::new();
    collect_places(tree, &mut places);
    for (place, kind) in places {
        let Some(Value::Object(node)) = lookup(tree, &place) else {
            continue;
        };
        let Some(Value::String(reference)) = node.get("$ref") else {
            continue;
        };
        if names_component(tree, reference, kind) {
            continue;
        }
        let Some(replacement) = replacement(tree, reference, kind) else {
            continue;
        };
        if let Some(slot) = lookup_mut(tree, &place) {
            *slot = replacement;
        }
    }
}

/// Whether `reference` is `#/components/SECTION/NAME` of `kind`'s section, naming an object
/// that is not itself a reference (what the IR reads as it is).
fn names_component(tree: &Value, reference: &str, kind: Kind) -> bool {
    let Some(name) = reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(kind.section()))
        .and_then(|rest| rest.strip_prefix('/'))
    else {
        return false;
    };
    tree.get("components")
        .and_then(|c| c.get(kind.section()))
        .and_then(|section| section.get(name))
        .is_some_and(|target| target.is_object() && target.get("$ref").is_none())
}

/// What a reference of `kind` is rewritten to: a reference to the component it ends at, or a
/// copy of the object it ends at elsewhere. `None` when it ends nowhere, at another kind of
/// object, or after too many hops.
fn replacement(tree: &Value, reference: &str, kind: Kind) -> Option<Value> {
    let mut reference = reference.to_owned();
    for _ in 0..MAX_HOPS {
        if !reference.starts_with('#') {
            return None;
        }
        let tokens = reference_tokens(tree, &reference);
        let target = lookup(tree, &tokens)?;
        let Value::Object(object) = target else {
            return None;
        };
        if kind_of_place(&tokens) != Some(kind) {
            return None;
        }
        if let Some(Value::String(next)) = object.get("$ref") {
            reference = next.clone();
            continue;
        }
        return Some(match tokens.as_slice() {
            [components, section, name]
                if components == "components" && section == kind.section() =>
            {
                let mut map = serde_json::Map::new();
                let pointer = crate::pointer::Pointer::root()
                    .push("components")
                    .push(section)
                    .push(name);
                map.insert("$ref".into(), Value::String(pointer.to_string()));
                Value::Object(map)
            }
            _ => target.clone(),
        });
    }
    None
}

/// The kind of object OpenAPI places at these pointer tokens, if one of the four.
fn kind_of_place(tokens: &[String]) -> Option<Kind> {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match t.as_slice() {
        ["components", "parameters", _] => Some(Kind::Parameter),
        ["components", "requestBodies", _] => Some(Kind::RequestBody),
        ["components", "responses", _] => Some(Kind::Response),
        ["components", "headers", _] => Some(Kind::Header),
        ["components", "responses", _, "headers", _] => Some(Kind::Header),
        ["paths", _, rest @ ..] => match rest {
            ["parameters", i] if i.parse::<usize>().is_ok() => Some(Kind::Parameter),
            [method, rest @ ..] if HTTP_METHODS.contains(method) => match rest {
                ["parameters", i] if i.parse::<usize>().is_ok() => Some(Kind::Parameter),
                ["requestBody"] => Some(Kind::RequestBody),
                ["responses", _] => Some(Kind::Response),
                ["responses", _, "headers", _] => Some(Kind::Header),
                _ => None,
            },
            _ => None,
        },
        _ => None,
    }
}

/// Every place in the document that holds a parameter, request body, response or header
/// (or a reference to one), with its kind.
fn collect_places(tree: &Value, places: &mut Vec<(Vec<String>, Kind)>) {
    let mut add = |tokens: &[&str], kind: Kind| {
        places.push((tokens.iter().map(|t| (*t).to_owned()).collect(), kind));
    };
    if let Some(Value::Object(components)) = tree.get("components") {
        for kind in [
            Kind::Parameter,
            Kind::RequestBody,
            Kind::Response,
            Kind::Header,
        ] {
            let Some(Value::Object(entries)) = components.get(kind.section()) else {
                continue;
            };
            for (name, entry) in entries {
                add(&["components", kind.section(), name], kind);
                if kind == Kind::Response {
                    for header in keys(entry.get("headers")) {
                        add(
                            &["components", "responses", name, "headers", header],
                            Kind::Header,
                        );
                    }
                }
            }
        }
    }
    let Some(Value::Object(paths)) = tree.get("paths") else {
        return;
    };
    for (path, item) in paths {
        let Value::Object(item) = item else {
            continue;
        };
        for i in 0..count(item.get("parameters")) {
            add(
                &["paths", path, "parameters", &i.to_string()],
                Kind::Parameter,
            );
        }
        for method in HTTP_METHODS {
            let Some(Value::Object(op)) = item.get(method) else {
                continue;
            };
            for i in 0..count(op.get("parameters")) {
                add(
                    &["paths", path, method, "parameters", &i.to_string()],
                    Kind::Parameter,
                );
            }
            if op.contains_key("requestBody") {
                add(&["paths", path, method, "requestBody"], Kind::RequestBody);
            }
            let Some(Value::Object(responses)) = op.get("responses") else {
                continue;
            };
            for (status, response) in responses {
                add(
                    &["paths", path, method, "responses", status],
                    Kind::Response,
                );
                for header in keys(response.get("headers")) {
                    add(
                        &[
                            "paths",
                            path,
                            method,
                            "responses",
                            status,
                            "headers",
                            header,
                        ],
                        Kind::Header,
                    );
                }
            }
        }
    }
}

fn count(value: Option<&Value>) -> usize {
    value.and_then(Value::as_array).map_or(0, Vec::len)
}

fn keys(value: Option<&Value>) -> impl Iterator<Item = &String> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.keys())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_end_at_a_component_or_at_a_copy() {
        let mut tree = json!({
            "paths": {
                "/a/{id}": {
                    "get": {
                        "parameters": [{"name": "id", "in": "path", "required": true}],
                        "responses": {
                            "404": {"$ref": "#/components/responses/Missing"},
                            "500": {"$ref": "#/components/schemas/Problem"}
                        }
                    }
                },
                "/b/{id}": {
                    "get": {
                        "parameters": [{"$ref": "#/paths/~1a~1%7Bid%7D/get/parameters/0"}],
                        "responses": {"404": {"$ref": "#/paths/~1a~1{id}/get/responses/404"}}
                    }
                }
            },
            "components": {
                "responses": {
                    "Missing": {"$ref": "#/components/responses/NotFound"},
                    "NotFound": {"description": "No such thing."}
                },
                "schemas": {"Problem": {"type": "object"}}
            }
        });
        resolve_object_references(&mut tree);
        // A component that is itself a reference: both it and its users name the end.
        let not_found = json!({"$ref": "#/components/responses/NotFound"});
        assert_eq!(tree["components"]["responses"]["Missing"], not_found);
        assert_eq!(
            tree["paths"]["/a/{id}"]["get"]["responses"]["404"],
            not_found
        );
        assert_eq!(
            tree["paths"]["/b/{id}"]["get"]["responses"]["404"],
            not_found
        );
        // A parameter inside another operation, percent-encoded: copied in place.
        assert_eq!(
            tree["paths"]["/b/{id}"]["get"]["parameters"][0],
            json!({"name": "id", "in": "path", "required": true})
        );
        // A response reference naming a schema is left for the IR to report.
        assert_eq!(
            tree["paths"]["/a/{id}"]["get"]["responses"]["500"],
            json!({"$ref": "#/components/schemas/Problem"})
        );
    }

    #[test]
    fn a_cycle_of_references_is_left_as_written() {
        let mut tree = json!({
            "components": {
                "parameters": {
                    "A": {"$ref": "#/components/parameters/B"},
                    "B": {"$ref": "#/components/parameters/A"}
                }
            }
        });
        let before = tree.clone();
        resolve_object_references(&mut tree);
        assert_eq!(tree, before);
    }
}
