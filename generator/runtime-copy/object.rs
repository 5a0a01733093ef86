//! Structs as JSON objects: the `Serialize` and `Deserialize` impls of generated structs,
//! written once here rather than derived per struct (`serialize_object!`,
//! `deserialize_object!`), the loop that reads an object's entries ([`read_object`]) and
//! the writer of its entries ([`Entries`]).
//!
//! serde's derive writes, per struct, sequence forms, a field enum with its own visitor, a
//! `match` arm with its own `?` per field, and keeps the properties a struct does not
//! declare through `#[serde(flatten)]`, which buffers them. Here the loop over the entries
//! is one generic function; what each struct adds is a list of its property names and a
//! `match` from a name's index to a one-call read into that field's slot, and one call per
//! field to write it. Every entry is read straight into its field or into the struct's map
//! of other properties.
//!
//! `models.rs` invokes the macros with each struct's fields and their modes: `required`
//! (must come), `nullable` (required, may be `null`: an `Option` always written), `optional`
//! (an `Option` left out when `None`), `double` (`Option<Option<T>>` of PATCH bodies: left
//! out when `None`, `null` when `Some(None)`).

use std::collections::BTreeMap;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess};
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize};

/// A key of a struct's JSON object: the index of a property the struct declares, or any
/// other key, kept.
pub enum Key {
    Known(usize),
    Other(String),
}

/// Reads a key of a struct's JSON object against the struct's property names, so no key
/// is copied but the ones the struct does not declare.
#[derive(Clone, Copy)]
pub struct Keys(pub &'static [&'static str]);

impl Keys {
    fn index(self, key: &str) -> Option<usize> {
        self.0.iter().position(|name| *name == key)
    }
}

impl<'de> DeserializeSeed<'de> for Keys {
    type Value = Key;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<Key, D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for Keys {
    type Value = Key;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: serde::de::Error>(self, key: &str) -> Result<Key, E> {
        Ok(match self.index(key) {
            Some(index) => Key::Known(index),
            None => Key::Other(key.to_owned()),
        })
    }

    fn visit_string<E: serde::de::Error>(self, key: String) -> Result<Key, E> {
        Ok(match self.index(&key) {
            Some(index) => Key::Known(index),
            None => Key::Other(key),
        })
    }
}

/// Reads every entry of a struct's JSON object: a property `names` declares goes to `read`
/// with its index (a later entry of the same name wins); any other goes into `other` when
/// the struct keeps them (as values of the type its schema gives them), and is skipped when
/// it does not.
pub fn read_object<'de, A: MapAccess<'de>, V: Deserialize<'de>>(
    map: &mut A,
    names: &'static [&'static str],
    mut read: impl FnMut(&mut A, usize) -> Result<(), A::Error>,
    mut other: Option<&mut BTreeMap<String, V>>,
) -> Result<(), A::Error> {
    while let Some(key) = map.next_key_seed(Keys(names))? {
        match (key, other.as_deref_mut()) {
            (Key::Known(index), _) => read(map, index)?,
            (Key::Other(key), Some(other)) => {
                other.insert(key, map.next_value()?);
            }
            (Key::Other(_), None) => {
                map.next_value::<IgnoredAny>()?;
            }
        }
    }
    Ok(())
}

/// Reads the value of the current entry into the slot of a field that may be absent (its
/// type an `Option`, so `null` and absent are both `None`).
pub fn read_value<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut T,
) -> Result<(), A::Error> {
    *slot = map.next_value()?;
    Ok(())
}

/// Reads the value of the current entry into the slot of a field that must come (or, for
/// PATCH bodies, whose `null` differs from absent): present is `Some`.
pub fn read_present<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// The entries of a struct's JSON object being written, one call per field: after an
/// error the other calls write nothing, and [`Entries::end`] returns it.
pub struct Entries<M: SerializeMap> {
    map: M,
    error: Option<M::Error>,
}

impl<M: SerializeMap> Entries<M> {
    pub fn new(map: M) -> Self {
        Entries { map, error: None }
    }

    /// A field that is always written (a required one; `null` when a nullable one is `None`).
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T) {
        if self.error.is_none() {
            self.error = self.map.serialize_entry(name, value).err();
        }
    }

    /// A field left out when `None`.
    pub fn present<T: Serialize>(&mut self, name: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            self.field(name, value);
        }
    }

    /// The properties the struct keeps beside its fields.
    pub fn others<V: Serialize>(&mut self, others: &BTreeMap<String, V>) {
        for (key, value) in others {
            if self.error.is_some() {
                return;
            }
            self.error = self.map.serialize_entry(key, value).err();
        }
    }

    /// Closes the object, or returns the first error.
    pub fn end(self) -> Result<M::Ok, M::Error> {
        match self.error {
            Some(error) => Err(error),
            None => self.map.end(),
        }
    }
}

/// `serialize_object!(Name { "json" => field: mode, ... } extra map_field)`: `Serialize` for
/// `Name` as a JSON object, one call per field.
// Generated models invoke it as `crate::runtime::serialize_object!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_object {
    ($name:ident { $( $json:literal => $field:ident : $mode:ident ),* $(,)? } $( extra $extra:ident )?) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                #[allow(unused_mut)]
                let mut entries = $crate::runtime::Entries::new(serializer.serialize_map(None)?);
                $( $crate::runtime::serialize_object!(@entry entries, self.$field, $json, $mode); )*
                $( entries.others(&self.$extra); )?
                entries.end()
            }
        }
    };
    (@entry $entries:ident, $value:expr, $json:literal, required) => {
        $entries.field($json, &$value)
    };
    (@entry $entries:ident, $value:expr, $json:literal, nullable) => {
        $entries.field($json, &$value)
    };
    (@entry $entries:ident, $value:expr, $json:literal, optional) => {
        $entries.present($json, &$value)
    };
    (@entry $entries:ident, $value:expr, $json:literal, double) => {
        $entries.present($json, &$value)
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use serialize_object;

/// `deserialize_object!(Name { "json" => field: mode, ... } extra map_field)`:
/// `Deserialize` for `Name` from a JSON object.
///
/// Each field is read into a slot (an `Option` of the field's type, or the field's own
/// `Option` when it may be absent) by one call in a `match` on the property's index; a
/// required field that did not come is an error naming it.
// Generated models invoke it as `crate::runtime::deserialize_object!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_object {
    ($name:ident { $( $json:literal => $field:ident : $mode:ident ),* $(,)? } $( extra $extra:ident )?) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($name)))
                    }
                    fn visit_map<__A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: __A,
                    ) -> Result<$name, __A::Error> {
                        $( let mut $field = None; )*
                        $( let mut $extra = std::collections::BTreeMap::new(); )?
                        $crate::runtime::read_object(
                            &mut map,
                            &[$( $json ),*],
                            |#[allow(unused_variables)] map, #[allow(unused_variables)] index| {
                                // The fields in the order of the names: `position` counts them.
                                #[allow(unused_mut)]
                                let mut position = 0;
                                $(
                                    if index == position {
                                        return $crate::runtime::deserialize_object!(@read map, $field, $mode);
                                    }
                                    position += 1;
                                )*
                                let _ = position;
                                Ok(())
                            },
                            $crate::runtime::deserialize_object!(@other $( $extra )?),
                        )?;
                        Ok($name {
                            $( $field: $crate::runtime::deserialize_object!(@take $field, $json, $mode), )*
                            $( $extra, )?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@read $map:ident, $field:ident, required) => { $crate::runtime::read_present($map, &mut $field) };
    (@read $map:ident, $field:ident, double) => { $crate::runtime::read_present($map, &mut $field) };
    (@read $map:ident, $field:ident, $other:ident) => { $crate::runtime::read_value($map, &mut $field) };
    (@take $field:ident, $json:literal, required) => {
        match $field {
            Some(value) => value,
            None => return Err(serde::de::Error::missing_field($json)),
        }
    };
    (@take $field:ident, $json:literal, $other:ident) => { $field };
    (@other) => { None::<&mut std::collections::BTreeMap<String, serde::de::IgnoredAny>> };
    (@other $extra:ident) => { Some(&mut $extra) };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use deserialize_object;

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// A struct as generated models declare one, with the runtime's serde impls.
    #[derive(Debug, Clone, PartialEq)]
    struct Thing {
        id: String,
        // Fields named like the impls' own locals: hygiene keeps them apart.
        map: Option<u32>,
        note: Option<Option<String>>,
        other: Option<String>,
        additional_properties: BTreeMap<String, serde_json::Value>,
    }

    crate::runtime::serialize_object!(Thing {
        "id" => id: required,
        "map" => map: optional,
        "note" => note: double,
        "other" => other: nullable,
    } extra additional_properties);
    crate::runtime::deserialize_object!(Thing {
        "id" => id: required,
        "map" => map: optional,
        "note" => note: double,
        "other" => other: nullable,
    } extra additional_properties);

    /// A struct that does not keep other properties (`additionalProperties: false`).
    #[derive(Debug, PartialEq)]
    struct Closed {
        a: i64,
        b: Option<bool>,
    }

    crate::runtime::deserialize_object!(Closed {
        "a" => a: required,
        "b" => b: optional,
    });

    /// A struct whose other properties have a schema (`additionalProperties: {type: integer}`).
    #[derive(Debug, PartialEq)]
    struct Counts {
        total: i64,
        additional_properties: BTreeMap<String, i64>,
    }

    crate::runtime::deserialize_object!(Counts {
        "total" => total: required,
    } extra additional_properties);

    /// A struct without properties that keeps none either.
    #[derive(Debug, PartialEq)]
    struct Empty {}

    crate::runtime::deserialize_object!(Empty {});

    #[test]
    fn other_properties_take_the_type_their_schema_gives_them() {
        let counts: Counts = serde_json::from_str(r#"{"total": 3, "a": 1, "b": 2}"#).unwrap();
        assert_eq!(counts.total, 3);
        assert_eq!(
            counts.additional_properties,
            BTreeMap::from([("a".to_owned(), 1), ("b".to_owned(), 2)])
        );
        let wrong = serde_json::from_str::<Counts>(r#"{"total": 3, "a": "x"}"#).unwrap_err();
        assert!(wrong.to_string().starts_with("invalid type"), "{wrong}");
        let empty: Empty = serde_json::from_str(r#"{"anything": [1]}"#).unwrap();
        assert_eq!(empty, Empty {});
    }

    #[test]
    fn objects_read_and_write_their_fields_and_keep_other_properties() {
        let json = json!({"id": "a", "note": null, "other": "p", "extra": [1, {"x": true}]});
        let thing: Thing = serde_json::from_value(json.clone()).unwrap();
        assert_eq!(thing.id, "a");
        assert_eq!(thing.map, None);
        assert_eq!(thing.note, Some(None), "null is not absent");
        assert_eq!(thing.other.as_deref(), Some("p"));
        assert_eq!(
            thing.additional_properties["extra"],
            json!([1, {"x": true}])
        );
        assert_eq!(serde_json::to_value(&thing).unwrap(), json);
        // Absent optional fields stay out; a required nullable one is written as null.
        let bare: Thing = serde_json::from_value(json!({"id": "b", "map": 3})).unwrap();
        assert_eq!(bare.note, None);
        assert_eq!(
            serde_json::to_value(&bare).unwrap(),
            json!({"id": "b", "map": 3, "other": null})
        );
        let wrong = serde_json::from_value::<Thing>(json!([1])).unwrap_err();
        assert!(wrong.to_string().contains("struct Thing"), "{wrong}");
    }

    /// A value that cannot be written.
    struct Unwritable;

    impl Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot be written"))
        }
    }

    struct Failing {
        first: Option<Unwritable>,
        second: i64,
    }

    crate::runtime::serialize_object!(Failing {
        "first" => first: optional,
        "second" => second: required,
    });

    #[test]
    fn the_first_error_writing_a_field_is_returned() {
        let error = serde_json::to_string(&Failing {
            first: Some(Unwritable),
            second: 1,
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "cannot be written");
        // Left out when `None`, it fails nothing.
        let written = serde_json::to_string(&Failing {
            first: None,
            second: 1,
        })
        .unwrap();
        assert_eq!(written, r#"{"second":1}"#);
    }

    #[test]
    fn a_required_property_that_did_not_come_is_named() {
        let missing = serde_json::from_value::<Thing>(json!({"map": 1})).unwrap_err();
        assert_eq!(missing.to_string(), "missing field `id`");
        let missing = serde_json::from_str::<Closed>(r#"{"b": true}"#).unwrap_err();
        assert!(
            missing.to_string().starts_with("missing field `a`"),
            "{missing}"
        );
    }

    #[test]
    fn a_later_entry_of_the_same_name_wins_and_undeclared_ones_are_skipped_when_not_kept() {
        let closed: Closed = serde_json::from_str(r#"{"a": 1, "z": [1, 2], "a": 2}"#).unwrap();
        assert_eq!(closed, Closed { a: 2, b: None });
    }

    #[test]
    fn the_path_to_a_failing_field_is_kept() {
        let mut de = serde_json::Deserializer::from_str(r#"{"id": "c", "map": "no"}"#);
        let tracked = serde_path_to_error::deserialize::<_, Thing>(&mut de).unwrap_err();
        assert_eq!(tracked.path().to_string(), "map");
        let mut de = serde_json::Deserializer::from_str(r#"{"id": "c", "extra": {"x": ]}"#);
        assert!(serde_path_to_error::deserialize::<_, Thing>(&mut de).is_err());
    }

    #[test]
    fn keys_are_the_index_of_a_declared_property_or_kept() {
        let keys = Keys(&["id", "name"]);
        let key = |json: &str| {
            keys.deserialize(&mut serde_json::Deserializer::from_str(json))
                .unwrap()
        };
        assert!(matches!(key("\"name\""), Key::Known(1)));
        assert!(matches!(key("\"extra\""), Key::Other(k) if k == "extra"));
        assert!(
            matches!(key("\"i\\u0064\""), Key::Known(0)),
            "an escaped key"
        );
    }
}
