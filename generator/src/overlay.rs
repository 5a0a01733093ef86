//! Overlays: OpenAPI Overlay 1.0 documents applied to the spec's JSON tree before it is
//! normalised, to fix a spec one does not own (a field the API marks required but leaves
//! out, a schema that is wrong) without editing it.
//!
//! An overlay lists actions, applied in order, each on the nodes its `target` selects, an
//! RFC 9535 JSONPath evaluated by `serde_json_path`:
//!
//! ```yaml
//! overlay: 1.0.0
//! info: {title: Fixes, version: 1.0.0}
//! actions:
//!   - target: $.components.schemas.Order.required
//!     remove: true            # the node is removed from its parent
//!   - target: $.components.schemas.Order.properties.note
//!     update: {nullable: true} # objects merge deeply, other values are replaced
//! ```
//!
//! `update` merges into an object target (each property of the update replaces the target's
//! property of that name, objects merging recursively), and is appended to an array target;
//! with `remove: true` the update is ignored, as the standard says. Errors are located in
//! the overlay: line and column for YAML syntax, a JSON pointer into the overlay for a bad
//! action (`#/actions/2/target: invalid JSONPath ...`). A target that selects nothing is a
//! warning, not an error: the spec may have been fixed upstream.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::error::{Diagnostic, Error};
use crate::load::{self, kind};
use crate::pointer::Pointer;

/// An overlay's text and the name it is reported under (its path, as the caller gave it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayText {
    pub name: String,
    pub text: String,
}

impl OverlayText {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        OverlayText {
            name: name.into(),
            text: text.into(),
        }
    }
}

/// One action of an overlay, checked.
#[derive(Debug)]
struct Action {
    /// Where the action sits in the overlay (`#/actions/2`).
    pointer: Pointer,
    target_text: String,
    target: JsonPath,
    update: Option<Value>,
    remove: bool,
}

/// A parsed overlay: its actions, in order.
#[derive(Debug)]
pub struct Overlay {
    name: String,
    actions: Vec<Action>,
}

impl Overlay {
    /// Reads and checks an overlay document; errors are located in it (not yet named: see
    /// [`apply_all`], which names them).
    pub fn parse(name: &str, text: &str) -> Result<Overlay, Error> {
        let root = Pointer::root();
        if text.trim().is_empty() {
            return Err(Error::invalid(
                &root,
                "the document is empty; expected an Overlay object",
            ));
        }
        let value = load::load_any(text)?;
        let Value::Object(object) = &value else {
            return Err(Error::invalid(
                &root,
                format!(
                    "expected an Overlay object (a mapping with `overlay`, `info`, `actions`), found {}",
                    kind(&value)
                ),
            ));
        };
        match object.get("overlay") {
            Some(Value::String(version)) if version.starts_with("1.") => {}
            Some(Value::String(version)) => {
                return Err(Error::invalid(
                    &root.push("overlay"),
                    format!("Overlay version {version:?} is not supported; expected 1.x"),
                ))
            }
            Some(other) => {
                return Err(Error::invalid(
                    &root.push("overlay"),
                    format!(
                        "expected a version string such as \"1.0.0\", found {}",
                        kind(other)
                    ),
                ))
            }
            None => {
                return Err(Error::invalid(
                    &root,
                    "missing `overlay`: the Overlay version this document follows (\"1.0.0\")",
                ))
            }
        }
        let actions_pointer = root.push("actions");
        let actions = match object.get("actions") {
            Some(Value::Array(actions)) => actions,
            Some(other) => {
                return Err(Error::invalid(
                    &actions_pointer,
                    format!("expected a sequence of actions, found {}", kind(other)),
                ))
            }
            None => {
                return Err(Error::invalid(
                    &root,
                    "missing `actions`: the list of changes to apply",
                ))
            }
        };
        let actions = actions
            .iter()
            .enumerate()
            .map(|(index, action)| parse_action(&actions_pointer.push(index.to_string()), action))
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Overlay {
            name: name.to_owned(),
            actions,
        })
    }

    /// Applies every action in order to `tree`; a target that selects nothing is a warning
    /// located in the overlay.
    pub fn apply(&self, tree: &mut Value, diagnostics: &mut Vec<Diagnostic>) {
        for action in &self.actions {
            let mut paths: Vec<Vec<Step>> = action
                .target
                .query_located(tree)
                .locations()
                .map(|path| {
                    path.iter()
                        .map(|element| match element.as_index() {
                            Some(index) => Step::Index(index),
                            None => Step::Name(element.as_name().unwrap_or_default().to_owned()),
                        })
                        .collect()
                })
                .collect();
            if paths.is_empty() {
                let mut warning = Diagnostic::warning(
                    &action.pointer.push("target"),
                    format!(
                        "the target `{}` selects nothing in the spec: the action does nothing",
                        action.target_text
                    ),
                );
                warning.document = Some(self.name.clone());
                diagnostics.push(warning);
                continue;
            }
            if action.remove {
                // Deepest and last first, so that removing a node never shifts the index of
                // another selected one.
                paths.sort();
                paths.dedup();
                for path in paths.iter().rev() {
                    remove(tree, path);
                }
            } else if let Some(update) = &action.update {
                for path in &paths {
                    if let Some(node) = node_mut(tree, path) {
                        merge(node, update);
                    }
                }
            }
        }
    }
}

/// One step of a located path: a property name or an array index.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    Name(String),
    Index(usize),
}

fn parse_action(pointer: &Pointer, action: &Value) -> Result<Action, Error> {
    let Value::Object(action) = action else {
        return Err(Error::invalid(
            pointer,
            format!(
                "expected an action (a mapping with `target` and `update` or `remove`), found {}",
                kind(action)
            ),
        ));
    };
    let target_text = match action.get("target") {
        Some(Value::String(target)) => target.clone(),
        Some(other) => {
            return Err(Error::invalid(
                &pointer.push("target"),
                format!("expected a JSONPath expression, found {}", kind(other)),
            ))
        }
        None => {
            return Err(Error::invalid(
                pointer,
                "missing `target`: the JSONPath of the nodes to change",
            ))
        }
    };
    let target = JsonPath::parse(&target_text).map_err(|e| {
        Error::invalid(
            &pointer.push("target"),
            format!(
                "invalid JSONPath `{target_text}`: at character {}: {}",
                e.position(),
                e.message()
            ),
        )
    })?;
    let remove = match action.get("remove") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(remove)) => *remove,
        Some(other) => {
            return Err(Error::invalid(
                &pointer.push("remove"),
                format!("expected true or false, found {}", kind(other)),
            ))
        }
    };
    if let Some(description) = action.get("description") {
        if !description.is_string() {
            return Err(Error::invalid(
                &pointer.push("description"),
                format!("expected a string, found {}", kind(description)),
            ));
        }
    }
    let update = action.get("update").cloned();
    if update.is_none() && !remove {
        return Err(Error::invalid(
            pointer,
            "an action needs `update` (a value to merge in) or `remove: true`",
        ));
    }
    Ok(Action {
        pointer: pointer.clone(),
        target_text,
        target,
        update,
        remove,
    })
}

fn node_mut<'a>(tree: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(tree, |node, step| match (node, step) {
        (Value::Object(map), Step::Name(name)) => map.get_mut(name),
        (Value::Array(items), Step::Index(index)) => items.get_mut(*index),
        _ => None,
    })
}

/// Removes the node at `path` from its parent; the root cannot be removed (it is emptied).
fn remove(tree: &mut Value, path: &[Step]) {
    let Some((last, parent)) = path.split_last() else {
        *tree = Value::Object(Map::new());
        return;
    };
    match (node_mut(tree, parent), last) {
        (Some(Value::Object(map)), Step::Name(name)) => {
            map.shift_remove(name);
        }
        (Some(Value::Array(items)), Step::Index(index)) if *index < items.len() => {
            items.remove(*index);
        }
        _ => {}
    }
}

/// Merges `update` into `target`: objects property by property (recursively), an array
/// target gets the update appended, anything else is replaced.
fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => {
            for (key, value) in update {
                match target.get_mut(key) {
                    Some(existing) if existing.is_object() && value.is_object() => {
                        merge(existing, value)
                    }
                    _ => {
                        target.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (Value::Array(items), update) => items.push(update.clone()),
        (target, update) => *target = update.clone(),
    }
}

/// Parses every overlay and applies them in order to `tree`. An error in an overlay is
/// [`Error::Overlay`], naming that overlay; nothing is applied unless all parse.
pub fn apply_all(
    tree: &mut Value,
    overlays: &[OverlayText],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(), Error> {
    let parsed = overlays
        .iter()
        .map(|overlay| {
            Overlay::parse(&overlay.name, &overlay.text).map_err(|error| Error::Overlay {
                document: overlay.name.clone(),
                error: Box::new(error),
            })
        })
        .collect::<Result<Vec<_>, Error>>()?;
    for overlay in &parsed {
        overlay.apply(tree, diagnostics);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn apply(overlay: &str, mut tree: Value) -> (Value, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        apply_all(
            &mut tree,
            &[OverlayText::new("fix.yaml", overlay)],
            &mut diagnostics,
        )
        .unwrap();
        (tree, diagnostics)
    }

    fn error(overlay: &str) -> String {
        apply_all(
            &mut json!({}),
            &[OverlayText::new("fix.yaml", overlay)],
            &mut Vec::new(),
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn update_merges_objects_deeply_replaces_scalars_and_appends_to_arrays() {
        let (tree, diagnostics) = apply(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: $.a\n  update: {b: {c: 2, e: [9]}, d: new}\n\
             - target: $.list\n  update: {x: 1}\n",
            json!({"a": {"b": {"c": 1, "keep": true, "e": [1]}, "d": "old"}, "list": [{"x": 0}]}),
        );
        assert!(diagnostics.is_empty());
        assert_eq!(
            tree,
            json!({"a": {"b": {"c": 2, "keep": true, "e": [9]}, "d": "new"}, "list": [{"x": 0}, {"x": 1}]})
        );
    }

    #[test]
    fn remove_takes_every_selected_node_out_of_its_parent() {
        let (tree, _) = apply(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: $.items[?@.drop == true]\n  remove: true\n\
             - target: $.a.gone\n  remove: true\n  update: {ignored: 1}\n",
            json!({"items": [{"drop": true}, {"n": 1}, {"drop": true}, {"n": 2}], "a": {"gone": 1, "kept": 2}}),
        );
        assert_eq!(
            tree,
            json!({"items": [{"n": 1}, {"n": 2}], "a": {"kept": 2}})
        );
    }

    #[test]
    fn a_target_that_selects_nothing_is_a_warning_located_in_the_overlay() {
        let (tree, diagnostics) = apply(
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n\
             - target: $.a\n  update: {b: 1}\n\
             - target: $.missing\n  remove: true\n",
            json!({"a": {}}),
        );
        assert_eq!(tree, json!({"a": {"b": 1}}));
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].document.as_deref(), Some("fix.yaml"));
        assert_eq!(
            diagnostics[0].to_string(),
            "warning: #/actions/1/target: the target `$.missing` selects nothing in the spec: \
             the action does nothing"
        );
    }

    #[test]
    fn errors_are_located_in_the_overlay() {
        assert_eq!(
            error("overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- {target: $.a, update: {}}\n- {target: $.b, remove: true}\n- {target: '$.paths[', remove: true}\n"),
            "fix.yaml: #/actions/2/target: invalid JSONPath `$.paths[`: at character 7: parser error"
        );
        let syntax = error("overlay: 1.0.0\nactions: [unclosed\n");
        assert!(
            syntax.starts_with("fix.yaml: line 3, column ") && syntax.contains("invalid YAML"),
            "{syntax}"
        );
        assert_eq!(
            error("overlay: 2.0.0\nactions: []\n"),
            "fix.yaml: #/overlay: Overlay version \"2.0.0\" is not supported; expected 1.x"
        );
        assert_eq!(
            error("overlay: 1.0.0\nactions:\n- {target: $.a}\n"),
            "fix.yaml: #/actions/0: an action needs `update` (a value to merge in) or `remove: true`"
        );
        assert_eq!(
            error("overlay: 1.0.0\nactions:\n- {target: $.a, remove: yes please}\n"),
            "fix.yaml: #/actions/0/remove: expected true or false, found a string"
        );
    }
}
