//! Serde support for generated models beside their structs' (in `object`): discriminated
//! and untagged unions ([`tag_of`], [`fit_order`] and [`VariantKind`], [`from_value`],
//! [`try_variant`], [`no_variant`], [`serialize_tagged`]), decode errors that keep their
//! place inside union variants ([`nested_path`]), `null` kept apart from absent in PATCH
//! bodies ([`double_option`]), and string enums that keep unknown values (`string_enum!`,
//! [`decode_string_enum`]).

use serde::de::DeserializeOwned;
use serde::Serialize;

/// The discriminator value of a JSON object, for decoding discriminated unions.
pub fn tag_of<'a>(value: &'a serde_json::Value, property: &str) -> Option<&'a str> {
    value.get(property)?.as_str()
}

/// `Option<Option<T>>` fields of PATCH bodies: absent is `None`, `null` is `Some(None)`.
/// Used with `#[serde(default, skip_serializing_if = "Option::is_none", with = ...)]`.
pub mod double_option {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// `None` is left out by `skip_serializing_if`; `Some(None)` is `null`.
    pub fn serialize<T: Serialize, S: Serializer>(
        value: &Option<Option<T>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(inner) => inner.serialize(serializer),
            None => serializer.serialize_none(),
        }
    }

    /// A present field, `null` included; an absent one is `None` by `default`.
    pub fn deserialize<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Option<T>>, D::Error> {
        Option::<T>::deserialize(deserializer).map(Some)
    }
}

/// What JSON an untagged union's variant takes, for choosing the order to try them in.
#[derive(Debug, Clone, Copy)]
pub enum VariantKind {
    /// A struct that declares these properties (and keeps any other in a map).
    Struct(&'static [&'static str]),
    /// Another object: a map, or a struct with flattened parts.
    Object,
    Array,
    String,
    Number,
    Boolean,
    /// Anything (a JSON value, an alias whose shape is not known here).
    Any,
}

/// The order in which to try an untagged union's variants on `value`: first the variants
/// that take its kind of JSON (for an object, the structs that declare every one of its
/// properties, then those that do not say, then structs by how many of its properties they
/// do not declare), then those that take anything, then the rest, each group in declared
/// order. The first is also the one whose error describes a value none decodes.
pub fn fit_order(value: &serde_json::Value, kinds: &[VariantKind]) -> Vec<usize> {
    use serde_json::Value;
    let mut order: Vec<usize> = (0..kinds.len()).collect();
    order.sort_by_key(|&i| match (value, kinds[i]) {
        (Value::Object(map), VariantKind::Struct(keys)) => {
            match map.keys().filter(|k| !keys.contains(&k.as_str())).count() {
                0 => 0,
                unknown => 2 + unknown,
            }
        }
        (Value::Object(_), VariantKind::Object | VariantKind::Any) => 1,
        (Value::Array(_), VariantKind::Array)
        | (Value::String(_), VariantKind::String)
        | (Value::Number(_), VariantKind::Number)
        | (Value::Bool(_), VariantKind::Boolean) => 0,
        (_, VariantKind::Any) => 1,
        _ => usize::MAX,
    });
    order
}

/// Decodes one variant of a discriminated union from the whole object. A failure names
/// the place inside the variant (`at `usage.input_tokens_details`: missing field ...`),
/// which the decoder joins to the union's own place.
pub fn from_value<T: DeserializeOwned, E: serde::de::Error>(
    value: serde_json::Value,
) -> Result<T, E> {
    match T::deserialize(&value) {
        Ok(decoded) => Ok(decoded),
        Err(_) => Err(located::<T, E>(&value)),
    }
}

/// Decodes one variant of an untagged union, without copying the value. The first variant
/// that fails (the one that fits the value best) leaves its error, with its place inside
/// the value, in `best`.
pub fn try_variant<T: DeserializeOwned>(
    value: &serde_json::Value,
    best: &mut Option<String>,
) -> Option<T> {
    match T::deserialize(value) {
        Ok(decoded) => Some(decoded),
        Err(_) => {
            if best.is_none() {
                *best = Some(located::<T, serde_json::Error>(value).to_string());
            }
            None
        }
    }
}

/// The error of an untagged union none of whose variants decodes a value: the error of the
/// variant that fits it best, which [`try_variant`] kept.
pub fn no_variant<E: serde::de::Error>(union: &str, best: Option<String>) -> E {
    match best {
        Some(best) => E::custom(format_args!("{best} (the closest of {union}'s variants)")),
        None => E::custom(format_args!(
            "data did not match any variant of untagged enum {union}"
        )),
    }
}

/// Decodes `value` as `T` again, tracking the path, for the error of a value that does not
/// decode: `at `path`: message`.
fn located<T: DeserializeOwned, E: serde::de::Error>(value: &serde_json::Value) -> E {
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(_) => E::custom("the value decoded on a second try"),
        Err(error) => {
            let path = error.path().to_string();
            let inner = error.into_inner().to_string();
            let (path, message) = nested_path(&path, &inner);
            E::custom(format_args!("at `{path}`: {message}"))
        }
    }
}

/// The place a decoding error names, joined with the place inside a union variant that its
/// message names (`at `inner`: message`, as [`from_value`] writes it): `data[0]` and
/// `usage.tokens` give `data[0].usage.tokens`. Returns the joined path and the message
/// without the inner place.
pub fn nested_path<'m>(outer: &str, message: &'m str) -> (String, &'m str) {
    let Some(rest) = message.strip_prefix("at `") else {
        return (outer.to_owned(), message);
    };
    let Some((inner, message)) = rest.split_once("`: ") else {
        return (outer.to_owned(), message);
    };
    let path = match (outer, inner) {
        (".", inner) | ("", inner) => inner.to_owned(),
        (outer, ".") => outer.to_owned(),
        (outer, inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        (outer, inner) => format!("{outer}.{inner}"),
    };
    (path, message)
}

/// Encodes one variant of a discriminated union, adding the discriminator if the variant's
/// own fields do not carry it.
pub fn serialize_tagged<T: Serialize, S: serde::Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let serde_json::Value::Object(map) = &mut json {
        map.entry(property.to_owned()).or_insert_with(|| tag.into());
    }
    json.serialize(serializer)
}

// ---------------------------------------------------------------------------------------
// String enums: what every string enum of the models needs, written once here rather than
// expanded per enum: `as_str`, comparison and hashing by that string, encoding as it, and
// decoding that keeps a value the client does not know in the enum's `Other(String)`
// variant. `models.rs` declares each generic enum that string enums are aliases of and
// invokes `string_enum!` with its values.

/// `string_enum!(Name { Variant = "value", ... })`: `as_str`, `From<&str>` and
/// `From<String>` (a known value is its variant, any other `Other`), `Debug` (a known value
/// as its JSON string, `"price"`; another as `Other("value")`), `PartialEq`, `Eq`,
/// `Hash`, `PartialOrd` and `Ord` by the JSON value (so `Other("x")` equals the variant of
/// `"x"`, and values sort as their strings do, whatever order the spec lists them in), and
/// the serde impls of `Name`, which must have those unit variants and an `Other(String)`
/// one.
///
/// `string_enum!(Name<Site> { ... })`, the form generated models use, does the same for a
/// generic enum that string enums are aliases of, each with its marker
/// (`pub type Status = StatusValues<site::Status>;`; enums with the same values share one).
/// Such an enum has one more variant, `__Site(Infallible, PhantomData<Site>)`, which no
/// value can have; the macro writes its `Clone` too, since a derived one would ask the
/// marker for `Clone`. Its impls are checked once for all its aliases.
// Generated models invoke it as `crate::runtime::string_enum!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $( $variant:ident = $value:literal ),* $(,)? }) => {
        impl $name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Other(value) => value,
                }
            }
        }

        $crate::runtime::string_enum!(@common [] $name [] { $( $variant ),* });
    };
    ($name:ident < $site:ident > { $( $variant:ident = $value:literal ),* $(,)? }) => {
        impl<$site> $name<$site> {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $value, )*
                    Self::Other(value) => value,
                    Self::__Site(never, _) => match *never {},
                }
            }
        }

        impl<$site> Clone for $name<$site> {
            fn clone(&self) -> Self {
                match self {
                    $( Self::$variant => Self::$variant, )*
                    Self::Other(value) => Self::Other(value.clone()),
                    Self::__Site(never, _) => match *never {},
                }
            }
        }

        $crate::runtime::string_enum!(@common [$site] $name [$site] { $( $variant ),* });
    };
    // What both forms share, written once: `[$param]` declares the generic parameter of the
    // impls (if any) and `[$arg]` applies it to the enum.
    (@common [$( $param:ident )?] $name:ident [$( $arg:ident )?] { $( $variant:ident ),* }) => {
        impl<$( $param )?> $name<$( $arg )?> {
            /// The variant of a value this client knows.
            fn known(value: &str) -> Option<Self> {
                // A temporary array, not a `const`: rustc evaluates every `const` item even
                // in `cargo check` (about 5% of Stripe's check with one per enum).
                $crate::runtime::known_variant(&[$( Self::$variant ),*], Self::as_str, value)
            }
        }

        impl<$( $param )?> From<&str> for $name<$( $arg )?> {
            fn from(value: &str) -> Self {
                $crate::runtime::string_enum_from(value, Self::known, Self::Other)
            }
        }

        impl<$( $param )?> From<String> for $name<$( $arg )?> {
            fn from(value: String) -> Self {
                $crate::runtime::string_enum_from_owned(value, Self::known, Self::Other)
            }
        }

        impl<$( $param )?> std::fmt::Debug for $name<$( $arg )?> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let other = matches!(self, Self::Other(_));
                $crate::runtime::debug_string_enum(f, self.as_str(), other)
            }
        }

        impl<$( $param )?> PartialEq for $name<$( $arg )?> {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl<$( $param )?> Eq for $name<$( $arg )?> {}

        impl<$( $param )?> std::hash::Hash for $name<$( $arg )?> {
            fn hash<__H: std::hash::Hasher>(&self, state: &mut __H) {
                self.as_str().hash(state)
            }
        }

        impl<$( $param )?> PartialOrd for $name<$( $arg )?> {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl<$( $param )?> Ord for $name<$( $arg )?> {
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl<$( $param )?> serde::Serialize for $name<$( $arg )?> {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de, $( $param )?> serde::Deserialize<'de> for $name<$( $arg )?> {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                $crate::runtime::decode_string_enum(deserializer, Self::known, Self::Other)
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use string_enum;

/// `serialize_tagged_union!(Name "property" { "tag" => Variant, ... })`: `Serialize` for a
/// discriminated union, each variant's object written with its tag (see
/// [`serialize_tagged`]) and an unknown one's JSON as it came. `Name` has a tuple variant
/// per tag and `Unknown(serde_json::Value)`.
// Generated models invoke it as `crate::runtime::serialize_tagged_union!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_tagged_union {
    ($name:ident $property:literal { $( $tag:literal => $variant:ident ),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                match self {
                    $( $name::$variant(value) => {
                        $crate::runtime::serialize_tagged(value, $property, $tag, serializer)
                    } )*
                    $name::Unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use serialize_tagged_union;

/// `deserialize_tagged_union!(Name "property" { "tag" => Variant, ... })`: `Deserialize`
/// for a discriminated union by the tag of the object ([`tag_of`]); an object whose tag is
/// not listed is kept as `Unknown`.
// Generated models invoke it as `crate::runtime::deserialize_tagged_union!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_tagged_union {
    ($name:ident $property:literal { $( $tag:literal => $variant:ident ),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match $crate::runtime::tag_of(&value, $property) {
                    $( Some($tag) => $name::$variant($crate::runtime::from_value(value)?), )*
                    _ => $name::Unknown(value),
                })
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use deserialize_tagged_union;

/// `deserialize_untagged_union!(Name { Variant: Kind, Variant: Struct["a", "b"], ... })`:
/// `Deserialize` for an untagged union. Each variant's `Kind` is a [`VariantKind`] (a
/// struct's with its declared properties); the variants are tried in [`fit_order`] and the
/// first that decodes is the value; when none does, the error is that of the best fit
/// ([`try_variant`], [`no_variant`]).
// Generated models invoke it as `crate::runtime::deserialize_untagged_union!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! deserialize_untagged_union {
    ($name:ident { $( $variant:ident : $kind:ident $( [ $( $key:literal ),* ] )? ),* $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(
                deserializer: __D,
            ) -> Result<Self, __D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                let kinds = [$( $crate::runtime::VariantKind::$kind $( (&[$( $key ),*]) )? ),*];
                let mut best = None;
                for index in $crate::runtime::fit_order(&value, &kinds) {
                    // The variants in the order of `kinds`: `position` counts them.
                    #[allow(unused_mut)]
                    let mut position = 0;
                    $(
                        if index == position {
                            let decoded = $crate::runtime::try_variant(&value, &mut best);
                            if let Some(decoded) = decoded.map($name::$variant) {
                                return Ok(decoded);
                            }
                        }
                        position += 1;
                    )*
                    let _ = position;
                }
                Err($crate::runtime::no_variant(stringify!($name), best))
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use deserialize_untagged_union;

/// `serialize_untagged_union!(Name { Variant, ... })`: `Serialize` for an untagged union,
/// each variant written as the value it holds.
// Generated models invoke it as `crate::runtime::serialize_untagged_union!` (see the crate docs).
#[doc(hidden)]
#[macro_export]
macro_rules! serialize_untagged_union {
    ($name:ident { $( $variant:ident ),* $(,)? }) => {
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(
                &self,
                serializer: __S,
            ) -> Result<__S::Ok, __S::Error> {
                match *self {
                    $( $name::$variant(ref value) => serde::Serialize::serialize(value, serializer), )*
                }
            }
        }
    };
}
// A vendored copy's `mod.rs` re-exports it from here (see the crate docs).
#[allow(unused_imports)]
pub(crate) use serialize_untagged_union;

/// The variant among a string enum's `known` ones whose JSON value is `value`.
pub fn known_variant<T: Clone>(known: &[T], as_str: fn(&T) -> &str, value: &str) -> Option<T> {
    known
        .iter()
        .find(|variant| as_str(variant) == value)
        .cloned()
}

/// A string enum's `Debug`: a known value as its JSON string (`"price"`), one the client
/// does not know (`other`) as `Other("value")`. One function instead of a derived `Debug`
/// matching every variant of every enum.
pub fn debug_string_enum(
    f: &mut std::fmt::Formatter<'_>,
    value: &str,
    other: bool,
) -> std::fmt::Result {
    if other {
        f.debug_tuple("Other").field(&value).finish()
    } else {
        std::fmt::Debug::fmt(value, f)
    }
}

/// A string enum from text: the variant `known` names, or `other` keeping the text.
pub fn string_enum_from<T>(value: &str, known: fn(&str) -> Option<T>, other: fn(String) -> T) -> T {
    known(value).unwrap_or_else(|| other(value.to_owned()))
}

/// A string enum from owned text: the variant `known` names, or `other` keeping the text.
pub fn string_enum_from_owned<T>(
    value: String,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> T {
    match known(&value) {
        Some(known) => known,
        None => other(value),
    }
}

/// Decodes a string into a string enum: `known` names the variant of a known value (without
/// copying the text); any other string is kept by `other`.
pub fn decode_string_enum<'de, D, T>(
    deserializer: D,
    known: fn(&str) -> Option<T>,
    other: fn(String) -> T,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    struct StringEnum<T> {
        known: fn(&str) -> Option<T>,
        other: fn(String) -> T,
    }

    impl<T> serde::de::Visitor<'_> for StringEnum<T> {
        type Value = T;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
            Ok(string_enum_from(value, self.known, self.other))
        }

        fn visit_string<E: serde::de::Error>(self, value: String) -> Result<T, E> {
            Ok(string_enum_from_owned(value, self.known, self.other))
        }
    }

    deserializer.deserialize_str(StringEnum { known, other })
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::json;

    use super::*;

    /// Unions as generated models declare them, with the runtime's macros.
    mod unions {
        use serde_json::json;

        #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
        struct Cat {
            name: String,
            meows: bool,
        }

        #[derive(Debug, Clone, PartialEq, serde::Deserialize, serde::Serialize)]
        struct Dog {
            name: String,
        }

        #[derive(Debug, PartialEq)]
        enum Pet {
            Cat(Cat),
            Dog(Dog),
            Unknown(serde_json::Value),
        }

        crate::runtime::serialize_tagged_union!(Pet "kind" {
            "cat" => Cat,
            "dog" => Dog,
        });
        crate::runtime::deserialize_tagged_union!(Pet "kind" {
            "cat" => Cat,
            "dog" => Dog,
        });

        #[derive(Debug, PartialEq)]
        enum Animal {
            Name(String),
            Dog(Dog),
            Cat(Cat),
        }

        crate::runtime::serialize_untagged_union!(Animal { Name, Dog, Cat });
        crate::runtime::deserialize_untagged_union!(Animal {
            Name: String,
            Dog: Struct["name"],
            Cat: Struct["name", "meows"],
        });

        #[test]
        fn tagged_unions_decode_by_tag_and_keep_unknown_tags() {
            let cat = json!({"kind": "cat", "name": "Tom", "meows": true});
            let pet: Pet = serde_json::from_value(cat.clone()).unwrap();
            assert_eq!(
                pet,
                Pet::Cat(Cat {
                    name: "Tom".into(),
                    meows: true
                })
            );
            assert_eq!(serde_json::to_value(&pet).unwrap(), cat);
            let fish = json!({"kind": "fish", "fins": 2});
            let pet: Pet = serde_json::from_value(fish.clone()).unwrap();
            assert_eq!(pet, Pet::Unknown(fish.clone()));
            assert_eq!(serde_json::to_value(&pet).unwrap(), fish);
            let bad = serde_json::from_value::<Pet>(json!({"kind": "dog", "name": 3}));
            assert!(bad.unwrap_err().to_string().contains("name"));
        }

        #[test]
        fn untagged_unions_take_the_variant_that_fits_best() {
            let animal: Animal = serde_json::from_value(json!("Rex")).unwrap();
            assert_eq!(animal, Animal::Name("Rex".into()));
            // `Dog` is listed first, but only `Cat` declares every property.
            let animal: Animal =
                serde_json::from_value(json!({"name": "Tom", "meows": true})).unwrap();
            assert_eq!(
                animal,
                Animal::Cat(Cat {
                    name: "Tom".into(),
                    meows: true
                })
            );
            let animal: Animal = serde_json::from_value(json!({"name": "Rex"})).unwrap();
            assert_eq!(animal, Animal::Dog(Dog { name: "Rex".into() }));
            let error = serde_json::from_value::<Animal>(json!(7)).unwrap_err();
            assert!(error.to_string().contains("Animal"), "{error}");
        }

        #[test]
        fn untagged_unions_encode_as_the_value_they_hold() {
            let cat = Animal::Cat(Cat {
                name: "Tom".into(),
                meows: true,
            });
            let json = json!({"name": "Tom", "meows": true});
            assert_eq!(serde_json::to_value(&cat).unwrap(), json);
            assert_eq!(
                serde_json::to_value(Animal::Name("Rex".into())).unwrap(),
                json!("Rex")
            );
        }
    }

    /// A string enum as generated models declare one, with the paths they use.
    #[derive(Clone)]
    enum Size {
        Small,
        ExtraLarge,
        Other(String),
    }

    crate::runtime::string_enum!(Size {
        Small = "small",
        ExtraLarge = "x-large",
    });

    #[test]
    fn string_enums_keep_unknown_values() {
        assert_eq!(Size::ExtraLarge.as_str(), "x-large");
        assert_eq!(serde_json::to_value(Size::Small).unwrap(), json!("small"));
        let sizes: Vec<Size> = serde_json::from_str(r#"["x-large","huge","small"]"#).unwrap();
        assert_eq!(
            sizes,
            [Size::ExtraLarge, Size::Other("huge".into()), Size::Small]
        );
        assert_eq!(Size::Other("huge".into()).as_str(), "huge");
        // Decoding from an owned string (a `serde_json::Value`) too.
        let owned: Size = serde_json::from_value(json!("tiny")).unwrap();
        assert_eq!(owned, Size::Other("tiny".into()));
        let error = serde_json::from_str::<Size>("1").unwrap_err();
        assert!(error.to_string().contains("a string"), "{error}");
        // From text: a known value is its variant, any other is kept.
        assert_eq!(Size::from("x-large"), Size::ExtraLarge);
        assert_eq!(Size::from("huge".to_owned()), Size::Other("huge".into()));
    }

    #[test]
    fn string_enums_compare_hash_and_sort_by_their_json_value() {
        use std::collections::{BTreeSet, HashSet};
        // A known value sent as `Other` is the same value.
        assert_eq!(Size::Other("small".into()), Size::Small);
        assert_ne!(Size::Other("huge".into()), Size::Small);
        let hashed: HashSet<Size> = [Size::Small, Size::Other("small".into())].into();
        assert_eq!(hashed.len(), 1);
        // Sorted as their strings, not in the order the spec lists them.
        let sorted: Vec<Size> =
            BTreeSet::from([Size::Small, Size::Other("huge".into()), Size::ExtraLarge])
                .into_iter()
                .collect();
        assert_eq!(
            sorted.iter().map(Size::as_str).collect::<Vec<_>>(),
            ["huge", "small", "x-large"]
        );
        assert!(Size::ExtraLarge > Size::Small);
    }

    #[test]
    fn string_enums_debug_as_their_json_value() {
        assert_eq!(format!("{:?}", Size::ExtraLarge), r#""x-large""#);
        assert_eq!(
            format!("{:?}", Size::Other("huge".into())),
            r#"Other("huge")"#
        );
        // Inside a derived `Debug`, pretty-printed too.
        assert_eq!(
            format!("{:#?}", Some(Size::Other("huge".into()))),
            "Some(\n    Other(\n        \"huge\",\n    ),\n)"
        );
    }

    /// An enum two string enums share, as generated models declare one, with their aliases.
    enum LevelValues<Site> {
        Low,
        High,
        Other(String),
        __Site(std::convert::Infallible, std::marker::PhantomData<Site>),
    }

    crate::runtime::string_enum!(LevelValues<Site> {
        Low = "low",
        High = "high",
    });

    mod site {
        pub enum Volume {}
        pub enum Priority {}
    }
    type Volume = LevelValues<site::Volume>;
    type Priority = LevelValues<site::Priority>;

    #[test]
    fn enums_that_share_a_definition_behave_as_string_enums_and_stay_apart() {
        let decode = |text| serde_json::from_str::<Volume>(text).unwrap();
        assert!(matches!(decode(r#""high""#), Volume::High));
        let other = decode(r#""max""#);
        assert!(matches!(&other, Volume::Other(value) if value == "max"));
        assert_eq!(serde_json::to_string(&other).unwrap(), r#""max""#);
        assert_eq!(other.clone(), Volume::from("max"));
        assert_eq!(Priority::from(String::from("low")), Priority::Low);
        assert!(Priority::Low > Priority::High);
        assert_eq!(format!("{:?}", Priority::High), r#""high""#);
        assert_eq!(format!("{other:?}"), r#"Other("max")"#);
        // Each alias is a type of its own.
        assert_ne!(
            std::any::TypeId::of::<Volume>(),
            std::any::TypeId::of::<Priority>()
        );
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Patch {
        #[serde(
            default,
            skip_serializing_if = "Option::is_none",
            with = "crate::runtime::double_option"
        )]
        name: Option<Option<String>>,
    }

    #[test]
    fn double_options_tell_null_from_absent() {
        let decode = |text| serde_json::from_str::<Patch>(text).unwrap().name;
        assert_eq!(decode("{}"), None);
        assert_eq!(decode(r#"{"name":null}"#), Some(None));
        assert_eq!(decode(r#"{"name":"x"}"#), Some(Some("x".into())));
        let encode = |name| serde_json::to_string(&Patch { name }).unwrap();
        assert_eq!(encode(None), "{}");
        assert_eq!(encode(Some(None)), r#"{"name":null}"#);
        assert_eq!(encode(Some(Some("x".into()))), r#"{"name":"x"}"#);
    }

    #[test]
    fn tags_are_read_from_string_properties_only() {
        let value = json!({"type": "cat", "n": 1});
        assert_eq!(tag_of(&value, "type"), Some("cat"));
        assert_eq!(tag_of(&value, "n"), None);
        assert_eq!(tag_of(&value, "kind"), None);
        assert_eq!(tag_of(&json!("cat"), "type"), None);
    }

    #[test]
    fn fit_order_puts_structs_that_know_every_property_first() {
        let cat: &[&str] = &["name", "meows"];
        let dog: &[&str] = &["name", "barks", "breed"];
        let known = [
            VariantKind::Struct(dog),
            VariantKind::Any,
            VariantKind::Struct(cat),
        ];
        assert_eq!(
            fit_order(&json!({"name": "x", "meows": true}), &known),
            [2, 1, 0]
        );
        assert_eq!(
            fit_order(&json!({"name": "x", "barks": true}), &known),
            [0, 1, 2]
        );
        // Unknown properties: the unknown shape first, then the struct missing fewer.
        let odd = json!({"meows": true, "barks": true, "extra": 1});
        assert_eq!(fit_order(&odd, &known), [1, 0, 2]);
        // Not an object: what takes anything before the structs.
        assert_eq!(fit_order(&json!([1]), &known), [1, 0, 2]);
    }

    #[test]
    fn fit_order_tries_the_variants_of_the_value_s_kind_first() {
        use VariantKind::*;
        let kinds = [String, Number, Array, Object, Boolean];
        assert_eq!(fit_order(&json!([1]), &kinds)[0], 2);
        assert_eq!(fit_order(&json!("a"), &kinds)[0], 0);
        assert_eq!(fit_order(&json!(1.5), &kinds)[0], 1);
        assert_eq!(fit_order(&json!({"a": 1}), &kinds)[0], 3);
        assert_eq!(fit_order(&json!(true), &kinds)[0], 4);
        // The others keep their declared order.
        assert_eq!(fit_order(&json!(true), &kinds), [4, 0, 1, 2, 3]);
    }

    #[derive(Debug, PartialEq, Deserialize)]
    struct Part {
        text: String,
    }

    #[test]
    fn a_variant_that_fails_names_the_place_inside_it() {
        let value = json!({"parts": [{"text": "a"}, {"txt": "b"}]});
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Parts {
            parts: Vec<Part>,
        }
        let error: serde_json::Error = from_value::<Parts, _>(value.clone()).unwrap_err();
        assert_eq!(error.to_string(), "at `parts[1]`: missing field `text`");
        let mut best = None;
        assert!(try_variant::<Parts>(&value, &mut best).is_none());
        assert!(try_variant::<String>(&value, &mut best).is_none());
        let best = best.unwrap();
        assert_eq!(best, "at `parts[1]`: missing field `text`");
        let error: serde_json::Error = no_variant("Content", Some(best));
        assert_eq!(
            error.to_string(),
            "at `parts[1]`: missing field `text` (the closest of Content's variants)"
        );
    }

    #[test]
    fn nested_paths_join_the_outer_place_and_the_inner_one() {
        let message = "at `usage.details`: missing field `x`";
        assert_eq!(
            nested_path("response", message),
            ("response.usage.details".to_owned(), "missing field `x`")
        );
        assert_eq!(
            nested_path("data[0]", "at `[2].id`: bad").0,
            "data[0][2].id"
        );
        assert_eq!(nested_path(".", "at `a`: bad").0, "a");
        assert_eq!(nested_path("a", "at `.`: bad").0, "a");
        assert_eq!(
            nested_path("a.b", "invalid type: null"),
            ("a.b".to_owned(), "invalid type: null")
        );
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Cat {
        name: String,
    }

    #[test]
    fn tagged_variants_carry_their_discriminator() {
        let cat: Cat =
            from_value::<_, serde_json::Error>(json!({"type": "cat", "name": "x"})).unwrap();
        assert_eq!(cat, Cat { name: "x".into() });
        let error = from_value::<Cat, serde_json::Error>(json!({"type": "cat"})).unwrap_err();
        assert!(error.to_string().contains("name"), "{error}");
        let mut out = Vec::new();
        serialize_tagged(
            &cat,
            "type",
            "cat",
            &mut serde_json::Serializer::new(&mut out),
        )
        .unwrap();
        assert_eq!(out, br#"{"name":"x","type":"cat"}"#);
        // A discriminator the variant already carries is kept as it is.
        let tagged = json!({"type": "kitten", "name": "y"});
        let mut out = Vec::new();
        serialize_tagged(
            &tagged,
            "type",
            "cat",
            &mut serde_json::Serializer::new(&mut out),
        )
        .unwrap();
        assert_eq!(out, br#"{"type":"kitten","name":"y"}"#);
    }
}
