//! Loading: the spec's text (YAML, or JSON, which is YAML too) into a `serde_json::Value` tree.
//!
//! YAML allows keys that are not strings (`200:` is an integer); OpenAPI means them as strings,
//! so keys are stringified here. Numbers YAML cannot hold as integers arrive as floats.

use serde_json::{Map, Number, Value};
use serde_yaml::Value as Yaml;

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
    let yaml: Yaml = serde_yaml::from_str(text).map_err(|e| {
        let (line, column) = e
            .location()
            .map(|l| (l.line(), l.column()))
            .unwrap_or((0, 0));
        Error::Syntax {
            line,
            column,
            message: strip_location(&e.to_string()),
        }
    })?;
    let value = to_json(yaml, &Pointer::root())?;
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

/// serde_yaml appends " at line L column C" to its messages; the location is reported apart.
fn strip_location(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
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

fn to_json(yaml: Yaml, at: &Pointer) -> Result<Value, Error> {
    Ok(match yaml {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Value::Number(Number::from_f64(f).ok_or_else(|| {
                    Error::invalid(at, format!("the number {n} cannot be represented in JSON"))
                })?)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| to_json(item, &at.push(i.to_string())))
                .collect::<Result<_, _>>()?,
        ),
        Yaml::Mapping(mapping) => {
            let mut map = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                let key = match key {
                    Yaml::String(s) => s,
                    Yaml::Number(n) => n.to_string(),
                    Yaml::Bool(b) => b.to_string(),
                    Yaml::Null => "null".to_owned(),
                    other => {
                        return Err(Error::invalid(
                            at,
                            format!("mapping keys must be scalars, found {other:?}"),
                        ))
                    }
                };
                let value = to_json(value, &at.push(&key))?;
                map.insert(key, value);
            }
            Value::Object(map)
        }
        Yaml::Tagged(tagged) => to_json(tagged.value, at)?,
    })
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
