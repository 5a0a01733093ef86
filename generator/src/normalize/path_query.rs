//! Path keys with a query part: `/uploads?convert={convert}`, `/rides?page={page}&per=10`.
//!
//! OpenAPI says a path key holds no query string, but real specs write one, sometimes the
//! same path several times with different query parameters (`/air?city={city}`,
//! `/air?lat={lat}&lon={lon}`: one operation each). A templated pair (`name={var}`) becomes a
//! query parameter `name`: the parameter the spec declared for `{var}` (often `in: path`) is
//! moved to the query, or a required string parameter is added when none is declared. A fixed
//! pair (`per=10`) stays in the template, so it is sent with every request; so does a pair the
//! key names by a template (`{field}=1`), its parameter filled in place. The key itself is
//! kept (errors and names still point at it); the template the requests use is put in the
//! path item's [`PATH_TEMPLATE`] extension. Each rewritten key gets a note.

use serde_json::{Map, Value};

use super::HTTP_METHODS;
use crate::error::Diagnostic;
use crate::pointer::Pointer;

/// The extension a path item carries when its requests use another template than its key.
pub const PATH_TEMPLATE: &str = "x-generator-path";

/// Gives every path item whose key has a templated query pair its template, and moves those
/// pairs' parameters to the query.
pub(super) fn split_query_from_paths(tree: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
    let Some(Value::Object(paths)) = tree.get_mut("paths") else {
        return;
    };
    let at = Pointer::root().push("paths");
    for (key, item) in paths.iter_mut() {
        let Some(split) = QueryKey::parse(key) else {
            continue;
        };
        let Value::Object(item) = item else {
            continue;
        };
        move_to_query(item, &split.templated);
        let sent: Vec<String> = split
            .templated
            .iter()
            .map(|(name, var)| match name == var {
                true => format!("`{name}`"),
                false => format!("`{name}` (the template's `{{{var}}}`)"),
            })
            .collect();
        let mut note = format!(
            "the path key has a query part; sent as query parameters: {}",
            sent.join(", ")
        );
        if let Some(fixed) = split.key.split_once('?').map(|(_, fixed)| fixed) {
            note.push_str(&format!("; `{fixed}` is sent with every request"));
        }
        diagnostics.push(Diagnostic::note(&at.push(key), note));
        item.insert(PATH_TEMPLATE.into(), Value::String(split.key));
    }
}

/// A path key split at its `?`: the key to keep (the path and the pairs that stay), and the
/// templated pairs as (query parameter name, template variable).
#[derive(Debug, PartialEq, Eq)]
struct QueryKey {
    key: String,
    templated: Vec<(String, String)>,
}

impl QueryKey {
    /// `None` when the key has no templated query pair (nothing to rewrite).
    fn parse(key: &str) -> Option<Self> {
        let (path, query) = key.split_once('?')?;
        let mut kept = Vec::new();
        let mut templated = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let variable = pair.split_once('=').and_then(|(name, value)| {
                let var = value.strip_prefix('{')?.strip_suffix('}')?;
                let plain = |s: &str| !s.is_empty() && !s.contains(['{', '}']);
                (plain(name) && plain(var)).then(|| (name.to_owned(), var.to_owned()))
            });
            match variable {
                Some(pair) => templated.push(pair),
                None => kept.push(pair),
            }
        }
        if templated.is_empty() {
            return None;
        }
        let key = if kept.is_empty() {
            path.to_owned()
        } else {
            format!("{path}?{}", kept.join("&"))
        };
        Some(QueryKey { key, templated })
    }
}

/// Makes each templated variable a query parameter in every operation of the path item.
fn move_to_query(item: &mut Map<String, Value>, templated: &[(String, String)]) {
    for (name, var) in templated {
        let at_item = rename(item.get_mut("parameters"), name, var);
        for method in HTTP_METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let at_op = rename(op.get_mut("parameters"), name, var);
            if !at_item && !at_op {
                let parameters = op
                    .entry("parameters")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Value::Array(parameters) = parameters {
                    parameters.push(serde_json::json!({
                        "name": name,
                        "in": "query",
                        "required": true,
                        "schema": { "type": "string" },
                    }));
                }
            }
        }
    }
}

/// Turns the parameter declared for `{var}` (in the path or the query) into the query
/// parameter `name`; whether one was found.
fn rename(parameters: Option<&mut Value>, name: &str, var: &str) -> bool {
    let Some(Value::Array(parameters)) = parameters else {
        return false;
    };
    let mut found = false;
    for parameter in parameters.iter_mut() {
        let Value::Object(parameter) = parameter else {
            continue;
        };
        let matches = parameter.get("name").and_then(Value::as_str) == Some(var)
            && matches!(
                parameter.get("in").and_then(Value::as_str),
                Some("path" | "query")
            );
        if matches {
            parameter.insert("name".into(), Value::String(name.to_owned()));
            parameter.insert("in".into(), Value::String("query".into()));
            found = true;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templated_pairs_leave_the_key_and_fixed_ones_stay() {
        assert_eq!(QueryKey::parse("/a/{id}"), None);
        assert_eq!(QueryKey::parse("/a?fixed=1"), None);
        assert_eq!(
            QueryKey::parse("/a/{id}?q={query}&per=10&{field}=1"),
            Some(QueryKey {
                key: "/a/{id}?per=10&{field}=1".into(),
                templated: vec![("q".into(), "query".into())],
            })
        );
        assert_eq!(
            QueryKey::parse("/uploads?convert={convert}"),
            Some(QueryKey {
                key: "/uploads".into(),
                templated: vec![("convert".into(), "convert".into())],
            })
        );
    }

    #[test]
    fn a_declared_path_parameter_moves_to_the_query_and_a_missing_one_is_added() {
        let mut tree = serde_json::json!({
            "paths": {
                "/search/{country}?q={query}": {
                    "get": {
                        "parameters": [
                            {"name": "country", "in": "path", "required": true},
                            {"name": "query", "in": "path", "required": true}
                        ]
                    }
                },
                "/uploads?convert={convert}": { "post": {} },
                "/uploads": { "get": {} }
            }
        });
        let mut diagnostics = Vec::new();
        split_query_from_paths(&mut tree, &mut diagnostics);
        let paths = tree["paths"].as_object().unwrap();
        let search = &paths["/search/{country}?q={query}"];
        assert_eq!(search[PATH_TEMPLATE], "/search/{country}");
        let parameters = &search["get"]["parameters"];
        assert_eq!(parameters[1]["name"], "q");
        assert_eq!(parameters[1]["in"], "query");
        assert_eq!(parameters[0]["in"], "path");
        let upload = &paths["/uploads?convert={convert}"];
        assert_eq!(upload[PATH_TEMPLATE], "/uploads");
        let convert = &upload["post"]["parameters"][0];
        assert_eq!(convert["name"], "convert");
        assert_eq!(convert["in"], "query");
        assert_eq!(convert["required"], true);
        // The plain path is another path item, untouched.
        assert_eq!(paths["/uploads"], serde_json::json!({"get": {}}));
        assert_eq!(diagnostics.len(), 2);
    }
}
