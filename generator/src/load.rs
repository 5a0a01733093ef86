//! Loading: the spec's text (YAML, or JSON, which is YAML too) into a `serde_json::Value` tree.
//!
//! The text is deserialised straight into JSON values, in one pass, with two tolerances real
//! specs need: keys that are not strings (`200:` is an integer in YAML) become strings, and
//! integers beyond 64 bits (`minimum: -9223372036854776000`) become floating-point numbers
//! instead of failing the whole document.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::Error;
use crate::pointer::Pointer;

/// Parses `text` into a JSON value tree whose root is an object.
pub fn load(text: &str) -> Result<Value, Error> {
    if text.trim().is_empty() {
        return Err(Error::invalid(
            &Pointer::root(),
            "the document is empty; expected an OpenAPI object",
        ));
    }
    let value = load_any(text)?;
    if !value.is_object() {
        return Err(Error::invalid(
            &Pointer::root(),
            format!(
                "expected an OpenAPI object (a mapping with `openapi`, `info`, `paths`), found {}",
                kind(&value)
            ),
        ));
    }
    Ok(value)
}

/// Parses `text` (YAML or JSON) into a JSON value tree of any shape, with the tolerances of
/// [`load`]; syntax errors carry line and column. Used for documents beside the spec
/// (overlays).
pub fn load_any(text: &str) -> Result<Value, Error> {
    let Tree(value) = match read_json(text) {
        Some(result) => result?,
        None => read_yaml(text)?,
    };
    Ok(value)
}

/// A document that starts with `{` is read as JSON first: the YAML reader takes time
/// quadratic in the depth of flow nesting (`{[{[...`: 35 KB nested deeply took 120 ms just to
/// reach the nesting limit; found by fuzzing), the JSON reader linear time. `None` when the
/// text is not JSON (flow-style YAML, or a mistake the YAML reader describes as before).
fn read_json(text: &str) -> Option<Result<Tree, Error>> {
    if !text.trim_start().starts_with('{') {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match Tree::deserialize(&mut deserializer).and_then(|tree| deserializer.end().map(|()| tree)) {
        Ok(tree) => Some(Ok(tree)),
        Err(e) if e.to_string().starts_with("recursion limit exceeded") => {
            Some(Err(Error::Syntax {
                line: e.line(),
                column: e.column(),
                message: describe("recursion limit exceeded"),
            }))
        }
        Err(_) => None,
    }
}

fn read_yaml(text: &str) -> Result<Tree, Error> {
    serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Syntax {
            line,
            column,
            message: describe(&strip_location(&e.to_string())),
        }
    })
}

/// A JSON value read from YAML.
struct Tree(Value);

impl<'de> Deserialize<'de> for Tree {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TreeVisitor).map(Tree)
    }
}

struct TreeVisitor;

fn float<E: de::Error>(f: f64) -> Result<Value, E> {
    Number::from_f64(f)
        .map(Value::Number)
        .ok_or_else(|| E::custom(format!("the number {f} cannot be represented in JSON")))
}

impl<'de> Visitor<'de> for TreeVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_i64<E>(self, i: i64) -> Result<Value, E> {
        Ok(Value::from(i))
    }

    fn visit_u64<E>(self, u: u64) -> Result<Value, E> {
        Ok(Value::from(u))
    }

    fn visit_i128<E: de::Error>(self, i: i128) -> Result<Value, E> {
        float(i as f64)
    }

    fn visit_u128<E: de::Error>(self, u: u128) -> Result<Value, E> {
        float(u as f64)
    }

    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Value, E> {
        float(f)
    }

    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<Value, E> {
        Ok(Value::String(s))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Tree::deserialize(d).map(|t| t.0)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(Tree(item)) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        while let Some(Key(key)) = access.next_key()? {
            let Tree(value) = access.next_value()?;
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    /// A tagged value (`!tag value`): the tag carries no meaning in OpenAPI; keep the value.
    fn visit_enum<A: de::EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
        use de::VariantAccess;
        let (_tag, variant): (Key, _) = data.variant()?;
        variant.newtype_variant::<Tree>().map(|t| t.0)
    }
}

/// A mapping key: any scalar, as text.
struct Key(String);

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Tree::deserialize(deserializer)?.0 {
            Value::String(s) => Ok(Key(s)),
            Value::Null => Ok(Key("null".to_owned())),
            Value::Bool(b) => Ok(Key(b.to_string())),
            Value::Number(n) => Ok(Key(n.to_string())),
            other => Err(de::Error::custom(format!(
                "mapping keys must be scalars, found {}",
                kind(&other)
            ))),
        }
    }
}

/// Says what the YAML reader's terse messages mean.
fn describe(message: &str) -> String {
    if message == "recursion limit exceeded" {
        "the document nests deeper than 128 levels (recursion limit exceeded)".to_owned()
    } else {
        message.to_owned()
    }
}

/// serde_yaml puts " at line L column C" in its messages; the location is reported apart.
fn strip_location(message: &str) -> String {
    let Some(start) = message.find(" at line ") else {
        return message.to_owned();
    };
    let rest = &message[start + " at line ".len()..];
    // Skip "L column C".
    let after_line = rest.trim_start_matches(|c: char| c.is_ascii_digit());
    let after_column = after_line
        .strip_prefix(" column ")
        .map(|r| r.trim_start_matches(|c: char| c.is_ascii_digit()))
        .unwrap_or(after_line);
    format!("{}{}", &message[..start], after_column)
}

/// A short name for a JSON value's kind, for messages.
pub fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a sequence",
        Value::Object(_) => "a mapping",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_error_has_line_and_column() {
        let err = load("openapi: 3.0.0\ninfo: [unclosed\n").unwrap_err();
        match err {
            Error::Syntax { line, column, .. } => {
                assert!(line >= 2 && column > 0, "{line}:{column}")
            }
            other => panic!("expected a syntax error, got {other:?}"),
        }
    }

    #[test]
    fn integer_keys_become_strings() {
        let v = load("responses:\n  200: {description: ok}\n").unwrap();
        assert!(v["responses"]["200"].is_object());
    }

    #[test]
    fn integers_beyond_64_bits_do_not_abort_loading() {
        let v = load("minimum: -9223372036854776000\n").unwrap();
        assert_eq!(v["minimum"].as_f64(), Some(-9223372036854776000.0));
    }

    #[test]
    fn empty_and_scalar_documents_are_refused() {
        assert_eq!(
            load("  \n").unwrap_err().to_string(),
            "#: the document is empty; expected an OpenAPI object"
        );
        assert!(load("just a string")
            .unwrap_err()
            .to_string()
            .contains("found a string"));
    }
}
