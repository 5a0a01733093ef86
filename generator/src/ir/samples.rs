//! Sample values: a JSON value that satisfies a schema, made from the schema alone, for the
//! programs that call an API whose spec gives no example (the contract program against a
//! mock server, which rejects a request that breaks the schema; the replay program's
//! header values).
//!
//! A sample satisfies what a server validates: `enum` (its first value), `format`
//! (a well-formed date, UUID, e-mail address, URI…), `pattern` (a string generated from the
//! regular expression by `rand_regex`, from a fixed seed, so output is deterministic),
//! `minLength`/`maxLength`, numeric bounds and `multipleOf`, `minItems`, the required
//! properties of objects (with the tag a discriminator expects), the first branch of a
//! `oneOf`/`anyOf` that can be made, and the branches of an `allOf` merged. `None` when no
//! value can be made (a pattern `rand_regex` cannot read, bounds that contradict each other,
//! nesting beyond a few levels).

use openapiv3::{
    ArrayType, IntegerType, NumberType, ObjectType, ReferenceOr, Schema, SchemaKind, StringFormat,
    StringType, Type as SchemaType, VariantOrUnknownOrEmpty,
};
use rand::SeedableRng;
use serde_json::{json, Map, Value};

use super::TypeSpace;

/// How deep a sample nests objects and arrays.
const MAX_DEPTH: usize = 12;
/// The longest repetition a pattern's `*` and `+` make.
const MAX_REPEAT: u32 = 8;
/// How many strings a pattern makes before one fits the length bounds.
const PATTERN_TRIES: usize = 64;

impl TypeSpace {
    /// A value satisfying `schema` (see the module docs).
    pub fn sample_of<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
    ) -> Option<Value> {
        match schema {
            ReferenceOr::Item(schema) => self.sample(schema.borrow(), 0),
            ReferenceOr::Reference { reference } => self.sample_reference(reference, 0),
        }
    }

    fn sample_reference(&self, reference: &str, depth: usize) -> Option<Value> {
        match self.raw.get(reference).map(std::sync::Arc::as_ref)? {
            ReferenceOr::Item(schema) => self.sample(schema, depth + 1),
            ReferenceOr::Reference { reference } if depth < MAX_DEPTH => {
                self.sample_reference(reference, depth + 1)
            }
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// A schema written in place (boxed or not) or by reference, one level deeper.
    fn sample_nested<S: std::borrow::Borrow<Schema>>(
        &self,
        schema: &ReferenceOr<S>,
        depth: usize,
    ) -> Option<Value> {
        match schema {
            ReferenceOr::Item(schema) => self.sample(schema.borrow(), depth + 1),
            ReferenceOr::Reference { reference } => self.sample_reference(reference, depth),
        }
    }

    fn sample(&self, schema: &Schema, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        if let Some(default) = &schema.schema_data.default {
            return Some(default.clone());
        }
        match &schema.schema_kind {
            SchemaKind::Type(SchemaType::String(s)) => string_sample(s),
            SchemaKind::Type(SchemaType::Integer(i)) => integer_sample(i),
            SchemaKind::Type(SchemaType::Number(n)) => number_sample(n),
            SchemaKind::Type(SchemaType::Boolean(b)) => Some(
                b.enumeration
                    .iter()
                    .flatten()
                    .next()
                    .map_or(json!(true), |v| json!(v)),
            ),
            SchemaKind::Type(SchemaType::Array(a)) => self.array_sample(a, depth),
            SchemaKind::Type(SchemaType::Object(o)) => self.object_sample(o, depth),
            SchemaKind::OneOf { one_of: branches } | SchemaKind::AnyOf { any_of: branches } => {
                self.branch_sample(schema, branches, depth)
            }
            SchemaKind::AllOf { all_of } => {
                let mut merged = Map::new();
                for branch in all_of {
                    match self.sample_nested(branch, depth)? {
                        Value::Object(object) => merged.extend(object),
                        other if all_of.len() == 1 => return Some(other),
                        _ => return None,
                    }
                }
                Some(Value::Object(merged))
            }
            SchemaKind::Not { .. } => None,
            SchemaKind::Any(any) => {
                if let Some(value) = any.enumeration.iter().find(|v| !v.is_null()) {
                    return Some(value.clone());
                }
                if !any.one_of.is_empty() {
                    return self.branch_sample(schema, &any.one_of, depth);
                }
                if !any.any_of.is_empty() {
                    return self.branch_sample(schema, &any.any_of, depth);
                }
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    let object = ObjectType {
                        properties: any.properties.clone(),
                        required: any.required.clone(),
                        ..ObjectType::default()
                    };
                    return self.object_sample(&object, depth);
                }
                match any.typ.as_deref() {
                    Some("string") => string_sample(&StringType {
                        pattern: any.pattern.clone(),
                        min_length: any.min_length,
                        max_length: any.max_length,
                        ..StringType::default()
                    }),
                    Some("integer") => Some(json!(1)),
                    Some("number") => Some(json!(1.5)),
                    Some("boolean") => Some(json!(true)),
                    Some("array") => Some(json!([])),
                    _ => Some(json!({})),
                }
            }
        }
    }

    /// The first branch that can be made; with a discriminator, its property set to the tag
    /// of that branch (the mapping's key for it, else the referenced schema's name).
    fn branch_sample(
        &self,
        schema: &Schema,
        branches: &[ReferenceOr<Schema>],
        depth: usize,
    ) -> Option<Value> {
        branches.iter().find_map(|branch| {
            let mut value = self.sample_nested(branch, depth)?;
            if let (Some(discriminator), ReferenceOr::Reference { reference }, Value::Object(o)) =
                (&schema.schema_data.discriminator, branch, &mut value)
            {
                let tag = discriminator
                    .mapping
                    .iter()
                    .find(|(_, target)| {
                        *target == reference || reference.rsplit('/').next() == Some(target)
                    })
                    .map(|(tag, _)| tag.as_str())
                    .or_else(|| reference.rsplit('/').next())?;
                o.insert(discriminator.property_name.clone(), json!(tag));
            }
            Some(value)
        })
    }

    fn array_sample(&self, array: &ArrayType, depth: usize) -> Option<Value> {
        let wanted = array.min_items.unwrap_or(0);
        if wanted == 0 {
            return Some(json!([]));
        }
        let item = self.sample_nested(array.items.as_ref()?, depth)?;
        if array.unique_items && wanted > 1 {
            return None;
        }
        Some(Value::Array(vec![item; wanted.min(16)]))
    }

    fn object_sample(&self, object: &ObjectType, depth: usize) -> Option<Value> {
        let mut sample = Map::new();
        for name in &object.required {
            let value = match object.properties.get(name) {
                Some(property) => self.sample_nested(property, depth)?,
                None => json!("example"),
            };
            sample.insert(name.clone(), value);
        }
        Some(Value::Object(sample))
    }
}

fn string_sample(s: &StringType) -> Option<Value> {
    if let Some(value) = s.enumeration.iter().flatten().next() {
        return Some(json!(value));
    }
    let (min, max) = (
        s.min_length.unwrap_or(0),
        s.max_length.unwrap_or(usize::MAX),
    );
    if min > max {
        return None;
    }
    let fits = |text: &str| (min..=max).contains(&text.chars().count());
    if let Some(pattern) = &s.pattern {
        return pattern_sample(pattern, fits).map(Value::String);
    }
    let formatted = match &s.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("2024-01-01"),
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Some("2024-01-01T00:00:00Z"),
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("ZXhhbXBsZQ=="),
        VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
            "uuid" => Some("00000000-0000-4000-8000-000000000000"),
            "email" | "idn-email" => Some("user@example.com"),
            "uri" | "url" | "iri" => Some("https://example.com/"),
            "uri-reference" | "iri-reference" => Some("/example"),
            "hostname" | "idn-hostname" => Some("example.com"),
            "ipv4" => Some("192.0.2.1"),
            "ipv6" => Some("2001:db8::1"),
            "time" => Some("00:00:00Z"),
            "duration" => Some("P1D"),
            _ => None,
        },
        _ => None,
    };
    if let Some(text) = formatted {
        return fits(text).then(|| json!(text));
    }
    // Plain text: "example", cut or lengthened to fit.
    let length = 7usize.clamp(min, max);
    let text: String = "example"
        .chars()
        .chain(std::iter::repeat('x'))
        .take(length)
        .collect();
    Some(json!(text))
}

/// A string matching `pattern` (an ECMA-262 regular expression, unanchored) whose length
/// `fits`, from a fixed seed.
fn pattern_sample(pattern: &str, fits: impl Fn(&str) -> bool) -> Option<String> {
    // `rand_regex` makes whole strings: the anchors say nothing more.
    let pattern = pattern.strip_prefix('^').unwrap_or(pattern);
    let pattern = match pattern.strip_suffix('$') {
        Some(rest) if !rest.ends_with('\\') => rest,
        _ => pattern,
    };
    // ASCII classes first (`\d` is 0-9, as in ECMA-262), Unicode for a pattern that needs it.
    let parse = |unicode: bool| {
        regex_syntax::ParserBuilder::new()
            .unicode(unicode)
            .build()
            .parse(pattern)
            .ok()
    };
    let hir = parse(false).or_else(|| parse(true))?;
    let regex = rand_regex::Regex::with_hir(hir, MAX_REPEAT).ok()?;
    let mut rng = rand_pcg::Pcg64::seed_from_u64(0x5eed);
    (0..PATTERN_TRIES)
        .map(|_| rand::RngExt::sample::<String, _>(&mut rng, &regex))
        .find(|text| fits(text))
}

fn integer_sample(i: &IntegerType) -> Option<Value> {
    if let Some(value) = i.enumeration.iter().flatten().next() {
        return Some(json!(value));
    }
    let step = i.multiple_of.filter(|m| *m > 0).unwrap_or(1);
    let low = match i.minimum {
        Some(min) if i.exclusive_minimum => min.checked_add(1)?,
        Some(min) => min,
        None => 1,
    };
    let high = match i.maximum {
        Some(max) if i.exclusive_maximum => max.checked_sub(1)?,
        Some(max) => max,
        None => i64::MAX,
    };
    // The least multiple of `step` at or above `low`.
    let value = low.checked_add((step - low.rem_euclid(step)) % step)?;
    (value <= high).then(|| json!(value))
}

fn number_sample(n: &NumberType) -> Option<Value> {
    if let Some(value) = n.enumeration.iter().flatten().next() {
        return Some(json!(value));
    }
    let mut value = match n.minimum {
        Some(min) if n.exclusive_minimum => min + 1.0,
        Some(min) => min,
        None => 1.5,
    };
    if let Some(step) = n.multiple_of.filter(|m| *m > 0.0) {
        value = (value / step).ceil() * step;
    }
    let below = match n.maximum {
        Some(max) if n.exclusive_maximum => value < max,
        Some(max) => value <= max,
        None => true,
    };
    below.then(|| json!(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema(json: Value) -> Schema {
        serde_json::from_value(json).unwrap()
    }

    fn sample(json: Value) -> Option<Value> {
        let space = TypeSpace::new(Default::default()).unwrap();
        space.sample_of(&ReferenceOr::Item(schema(json)))
    }

    #[test]
    fn strings_meet_their_length_format_and_pattern() {
        assert_eq!(
            sample(json!({"type": "string", "minLength": 10})),
            Some(json!("examplexxx"))
        );
        assert_eq!(
            sample(json!({"type": "string", "maxLength": 3})),
            Some(json!("exa"))
        );
        assert_eq!(
            sample(json!({"type": "string", "format": "uuid"})),
            Some(json!("00000000-0000-4000-8000-000000000000"))
        );
        assert_eq!(
            sample(json!({"type": "string", "format": "email"})),
            Some(json!("user@example.com"))
        );
        let pattern = r"^[A-Z]{2}-\d{4,6}$";
        let Some(Value::String(text)) =
            sample(json!({"type": "string", "pattern": pattern, "minLength": 8}))
        else {
            panic!("no sample for {pattern}");
        };
        let re = regex_syntax::parse(pattern).unwrap();
        assert!(text.len() >= 8, "{text}");
        assert!(text.is_ascii(), "{text}");
        let (letters, digits) = text.split_once('-').unwrap();
        assert!(
            letters.len() == 2 && letters.chars().all(|c| c.is_ascii_uppercase()),
            "{text}: {re:?}"
        );
        assert!((4..=6).contains(&digits.len()) && digits.chars().all(|c| c.is_ascii_digit()));
        // Deterministic: the same pattern gives the same string.
        assert_eq!(
            sample(json!({"type": "string", "pattern": pattern, "minLength": 8})),
            Some(json!(text))
        );
    }

    #[test]
    fn contradictions_and_unreadable_patterns_give_no_sample() {
        assert_eq!(
            sample(json!({"type": "string", "minLength": 5, "maxLength": 2})),
            None
        );
        assert_eq!(
            sample(json!({"type": "string", "pattern": "(?<=a)b"})),
            None
        );
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 5, "maximum": 4})),
            None
        );
    }

    #[test]
    fn numbers_meet_their_bounds() {
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 10, "multipleOf": 4})),
            Some(json!(12))
        );
        assert_eq!(
            sample(json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true})),
            Some(json!(1))
        );
        assert_eq!(
            sample(json!({"type": "number", "minimum": 2.5})),
            Some(json!(2.5))
        );
        assert_eq!(
            sample(json!({"type": "integer", "enum": [7, 9]})),
            Some(json!(7))
        );
    }

    #[test]
    fn objects_get_their_required_properties_and_unions_their_tag() {
        let mut schemas = indexmap::IndexMap::new();
        schemas.insert(
            "Cat".to_owned(),
            ReferenceOr::Item(schema(json!({
                "type": "object",
                "required": ["kind", "name"],
                "properties": {"kind": {"type": "string"}, "name": {"type": "string", "minLength": 9}}
            }))),
        );
        let space = TypeSpace::new(schemas).unwrap();
        let pet = schema(json!({
            "oneOf": [{"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"propertyName": "kind", "mapping": {"cat": "#/components/schemas/Cat"}}
        }));
        assert_eq!(
            space.sample_of(&ReferenceOr::Item(pet)),
            Some(json!({"kind": "cat", "name": "examplexx"}))
        );
        let list = schema(
            json!({"type": "array", "minItems": 2, "items": {"$ref": "#/components/schemas/Cat"}}),
        );
        assert_eq!(
            space.sample_of(&ReferenceOr::Item(list)),
            Some(
                json!([{"kind": "example", "name": "examplexx"}, {"kind": "example", "name": "examplexx"}])
            )
        );
    }
}
