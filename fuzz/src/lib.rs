//! Structural mutations of the repository's specs for the `structural` fuzz target: the
//! input's first byte picks a spec (`openapi/openapi.yaml`, `fixtures/*.yaml`, embedded by
//! `build.rs`), each following byte an edit of its tree, with the bytes after it as
//! arguments: drop a key, change a type, point a `$ref` elsewhere, put a `$ref` in place of a
//! node, nest a node hundreds of levels deep, copy a subtree somewhere else, add reference
//! loops, rename a key.

use serde_json::{json, Map, Value};

include!(concat!(env!("OUT_DIR"), "/specs.rs"));

/// The options every target generates with (a manifest too, so `Cargo.toml` is emitted).
pub fn options() -> oagen_generator::Options {
    oagen_generator::Options::new()
        .command("fuzz")
        .spec_name("fuzz.yaml")
        .manifest(
            oagen_generator::Manifest::new("fuzz-client")
                .standalone(true)
                .example_check(true),
        )
}

/// At most this many edits per input, and no edit once the tree has grown past `MAX_NODES`
/// (copies and nesting can double it each time), so the edits stay fast: the one-second
/// limit per input is for the generator.
const MAX_EDITS: usize = 32;
const MAX_NODES: usize = 5_000;

const TYPES: &[&str] = &[
    "string", "integer", "number", "boolean", "object", "array", "null", "file", "",
];

const ODD_KEYS: &[&str] = &[
    "", "{id}", "~1", "/", "$ref", "type", "200", "default", "x-é", "a b", "{", "}", "null",
    "self", "Self", "r#type", "1abc", "__", "ü",
];

/// The bytes that drive the edits.
struct Bytes<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bytes<'_> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.data.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// An index below `len` (which must not be 0); 0 once the bytes run out.
    fn index(&mut self, len: usize) -> usize {
        let high = self.byte().unwrap_or(0) as usize;
        let low = self.byte().unwrap_or(0) as usize;
        (high << 8 | low) % len
    }
}

/// One step of a path from the root to a node.
#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

/// How many nodes under `value` `keep` accepts.
fn count(value: &Value, keep: &dyn Fn(&Value) -> bool) -> usize {
    usize::from(keep(value))
        + match value {
            Value::Object(map) => map.values().map(|v| count(v, keep)).sum(),
            Value::Array(items) => items.iter().map(|v| count(v, keep)).sum(),
            _ => 0,
        }
}

/// The path to the `n`th node (in document order, from 0) that `keep` accepts; `n` counts
/// down as nodes are passed.
fn nth_path(
    value: &Value,
    keep: &dyn Fn(&Value) -> bool,
    n: &mut usize,
    prefix: &mut Vec<Step>,
) -> Option<Vec<Step>> {
    if keep(value) {
        if *n == 0 {
            return Some(prefix.clone());
        }
        *n -= 1;
    }
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(Step::Key(key.clone()));
                let found = nth_path(child, keep, n, prefix);
                prefix.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                prefix.push(Step::Index(i));
                let found = nth_path(child, keep, n, prefix);
                prefix.pop();
                if found.is_some() {
                    return found;
                }
            }
            None
        }
        _ => None,
    }
}

fn node<'a>(root: &'a Value, path: &[Step]) -> Option<&'a Value> {
    let mut current = root;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get(key)?,
            (Step::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// How many nodes a tree has.
fn size(value: &Value) -> usize {
    1 + match value {
        Value::Object(map) => map.values().map(size).sum(),
        Value::Array(items) => items.iter().map(size).sum(),
        _ => 0,
    }
}

fn node_mut<'a>(root: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    let mut current = root;
    for step in path {
        current = match (step, current) {
            (Step::Key(key), Value::Object(map)) => map.get_mut(key)?,
            (Step::Index(i), Value::Array(items)) => items.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(current)
}

/// A JSON pointer to the node at `path`.
fn pointer(path: &[Step]) -> String {
    let mut out = String::from("#");
    for step in path {
        out.push('/');
        match step {
            Step::Key(key) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
            Step::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

/// One of the nodes `keep` accepts, as the bytes choose.
fn pick(root: &Value, bytes: &mut Bytes, keep: impl Fn(&Value) -> bool) -> Option<Vec<Step>> {
    let total = count(root, &keep);
    if total == 0 {
        return None;
    }
    let mut n = bytes.index(total);
    nth_path(root, &keep, &mut n, &mut Vec::new())
}

/// A `$ref` target: a component schema, somewhere else in the document, nowhere, or
/// another file.
fn ref_target(root: &Value, bytes: &mut Bytes) -> String {
    match bytes.byte().unwrap_or(0) % 6 {
        0 | 1 => {
            let names: Vec<&String> = root
                .pointer("/components/schemas")
                .and_then(Value::as_object)
                .map(|m| m.keys().collect())
                .unwrap_or_default();
            if names.is_empty() {
                "#/components/schemas/Missing".to_owned()
            } else {
                format!("#/components/schemas/{}", names[bytes.index(names.len())])
            }
        }
        2 => {
            let path = pick(root, bytes, |_| true).unwrap_or_default();
            pointer(&path)
        }
        3 => "#/components/schemas/Missing".to_owned(),
        4 => "other.yaml#/components/schemas/A".to_owned(),
        _ => [
            "#",
            "",
            "#/",
            "#/components",
            "#/paths",
            "http://x/y.json",
            "#/components/schemas/~1",
        ][bytes.index(7)]
        .to_owned(),
    }
}

fn some_value(root: &Value, bytes: &mut Bytes) -> Value {
    match bytes.byte().unwrap_or(0) % 10 {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(1.5e300),
        4 => json!("x"),
        5 => json!([]),
        6 => json!({}),
        7 => json!({ "type": TYPES[bytes.index(TYPES.len())] }),
        8 => json!({ "type": [TYPES[bytes.index(TYPES.len())], "null"] }),
        _ => {
            let path = pick(root, bytes, |_| true).unwrap_or_default();
            node(root, &path).cloned().unwrap_or(Value::Null)
        }
    }
}

/// Wraps a schema in `depth` levels of one kind of nesting. (Built by hand: `json!` would
/// serialise the inner value again at each level, time quadratic in the depth.)
fn nest(mut value: Value, kind: u8, depth: usize) -> Value {
    fn object(entries: Vec<(&str, Value)>) -> Value {
        Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }
    for _ in 0..depth {
        value = match kind % 7 {
            0 => object(vec![("type", json!("array")), ("items", value)]),
            1 => object(vec![
                ("type", json!("object")),
                ("properties", object(vec![("a", value)])),
                ("required", json!(["a"])),
            ]),
            2 => object(vec![("allOf", Value::Array(vec![value]))]),
            3 => object(vec![(
                "oneOf",
                Value::Array(vec![value, json!({ "type": "integer" })]),
            )]),
            4 => object(vec![(
                "anyOf",
                Value::Array(vec![json!({ "type": "null" }), value]),
            )]),
            5 => object(vec![
                ("type", json!("object")),
                ("additionalProperties", value),
            ]),
            _ => object(vec![(
                "allOf",
                Value::Array(vec![
                    value,
                    json!({ "type": "object", "properties": { "b": { "type": "string" } } }),
                ]),
            )]),
        };
    }
    value
}

fn schemas(root: &mut Value) -> Option<&mut Map<String, Value>> {
    let root = root.as_object_mut()?;
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    components
        .entry("schemas")
        .or_insert_with(|| json!({}))
        .as_object_mut()
}

fn edit(root: &mut Value, op: u8, bytes: &mut Bytes) -> Option<()> {
    match op % 8 {
        // Drop a key.
        0 => {
            let path = pick(root, bytes, |v| {
                v.as_object().is_some_and(|m| !m.is_empty())
            })?;
            let map = node_mut(root, &path)?.as_object_mut()?;
            let key = map.keys().nth(bytes.index(map.len()))?.clone();
            map.shift_remove(&key);
        }
        // Change a type, or put another value in a node's place.
        1 => {
            let path = pick(root, bytes, |_| true)?;
            let replacement = some_value(root, bytes);
            let node = node_mut(root, &path)?;
            match node.as_object_mut() {
                Some(map) if map.contains_key("type") && bytes.byte().unwrap_or(0) & 1 == 0 => {
                    map.insert("type".into(), json!(TYPES[bytes.index(TYPES.len())]));
                }
                _ => *node = replacement,
            }
        }
        // Point an existing `$ref` elsewhere.
        2 => {
            let path = pick(root, bytes, |v| v.get("$ref").is_some())?;
            let target = ref_target(root, bytes);
            node_mut(root, &path)?
                .as_object_mut()?
                .insert("$ref".into(), Value::String(target));
        }
        // A `$ref` in place of a node.
        3 => {
            let path = pick(root, bytes, |_| true)?;
            let target = ref_target(root, bytes);
            *node_mut(root, &path)? = json!({ "$ref": target });
        }
        // Nest a node deeply.
        4 => {
            let path = pick(root, bytes, |v| v.is_object())?;
            let kind = bytes.byte().unwrap_or(0);
            let depth = 1 + bytes.index(300);
            let node = node_mut(root, &path)?;
            *node = nest(node.take(), kind, depth);
        }
        // Copy a subtree under another object's new key, or onto an array.
        5 => {
            let from = pick(root, bytes, |_| true)?;
            let value = node(root, &from)?.clone();
            let to = pick(root, bytes, |v| v.is_object() || v.is_array())?;
            let key = ODD_KEYS[bytes.index(ODD_KEYS.len())];
            match node_mut(root, &to)? {
                Value::Object(map) => {
                    map.insert(key.to_owned(), value);
                }
                Value::Array(items) => items.push(value),
                _ => {}
            }
        }
        // Reference loops among component schemas.
        6 => {
            let kind = bytes.byte().unwrap_or(0) % 4;
            let schemas = schemas(root)?;
            let a = "#/components/schemas/LoopA";
            let b = "#/components/schemas/LoopB";
            match kind {
                0 => {
                    schemas.insert("LoopA".into(), json!({ "$ref": a }));
                }
                1 => {
                    schemas.insert("LoopA".into(), json!({ "$ref": b }));
                    schemas.insert("LoopB".into(), json!({ "$ref": a }));
                }
                2 => {
                    schemas.insert(
                        "LoopA".into(),
                        json!({ "allOf": [{ "$ref": b }, { "type": "object" }] }),
                    );
                    schemas.insert("LoopB".into(), json!({ "allOf": [{ "$ref": a }] }));
                }
                _ => {
                    schemas.insert("LoopA".into(), json!({ "oneOf": [{ "$ref": b }, { "type": "string" }], "discriminator": { "propertyName": "t" } }));
                    schemas.insert("LoopB".into(), json!({ "anyOf": [{ "$ref": a }] }));
                }
            }
        }
        // Rename a key.
        _ => {
            let path = pick(root, bytes, |v| {
                v.as_object().is_some_and(|m| !m.is_empty())
            })?;
            let new_key = ODD_KEYS[bytes.index(ODD_KEYS.len())];
            let map = node_mut(root, &path)?.as_object_mut()?;
            let key = map.keys().nth(bytes.index(map.len()))?.clone();
            if let Some(value) = map.shift_remove(&key) {
                map.insert(new_key.to_owned(), value);
            }
        }
    }
    Some(())
}

/// The spec text the input's bytes describe; `None` for an empty input.
pub fn mutate(data: &[u8]) -> Option<String> {
    let mut bytes = Bytes { data, at: 0 };
    let spec = SPECS[bytes.byte()? as usize % SPECS.len()];
    let mut tree = oagen_generator::stages::load(spec).ok()?;
    for _ in 0..MAX_EDITS {
        if size(&tree) > MAX_NODES {
            break;
        }
        let Some(op) = bytes.byte() else { break };
        let _ = edit(&mut tree, op, &mut bytes);
    }
    serde_json::to_string(&tree).ok()
}
