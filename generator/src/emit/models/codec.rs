//! `Serialize` and `Deserialize` written for structs rather than derived: a struct is a JSON
//! object, read key by key into its fields (the keys it does not declare into its map of
//! other properties) and written field by field (`None`s left out). serde's derive also
//! writes sequence forms, a field enum and, for the map of other properties, a buffering
//! path through `#[serde(flatten)]`; these impls are a fraction of that code to compile and
//! decode without buffering. Structs with flattened parts (an `allOf` beside a union) keep
//! the derive.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

use crate::ir::{Field, Struct, Type, Usage};

/// A field as the impls read and write it.
struct Wire<'a> {
    field: &'a Field,
    ident: Ident,
    /// The local the value is read into.
    local: Ident,
}

/// The impls of a struct without flattened parts; `extra` is its map of other properties.
pub(super) fn impls(
    name: &Ident,
    s: &Struct,
    extra: Option<&Ident>,
    usage: Usage,
    gate: &TokenStream,
) -> TokenStream {
    let wires: Vec<Wire> = s
        .fields
        .iter()
        .enumerate()
        .map(|(i, field)| Wire {
            field,
            ident: format_ident!("{}", field.name),
            local: format_ident!("v{}", i),
        })
        .collect();
    let serialize = serialize(name, &wires, extra);
    let deserialize = deserialize(name, &wires, extra);
    let serialize_gate = super::roundtrip_only(usage.serialize);
    let deserialize_gate = super::roundtrip_only(usage.deserialize);
    quote! {
        #gate
        #serialize_gate
        #serialize
        #gate
        #deserialize_gate
        #deserialize
    }
}

/// Whether a field is left out of the JSON when `None`.
fn skipped_when_none(field: &Field) -> bool {
    !field.required && field.ty.is_option()
}

fn serialize(name: &Ident, wires: &[Wire], extra: Option<&Ident>) -> TokenStream {
    let entries = wires.iter().map(|w| {
        let (ident, json) = (&w.ident, &w.field.json_name);
        if skipped_when_none(w.field) {
            // `Some(None)` of a PATCH body's `Option<Option<T>>` is written as `null`.
            quote! { if let Some(value) = &self.#ident { map.serialize_entry(#json, value)?; } }
        } else {
            quote! { map.serialize_entry(#json, &self.#ident)?; }
        }
    });
    let body = match extra {
        None if wires.is_empty() => quote! { serializer.serialize_map(Some(0))?.end() },
        _ => {
            let extra = extra.map(|extra| {
                quote! { for (key, value) in &self.#extra { map.serialize_entry(key, value)?; } }
            });
            quote! {
                let mut map = serializer.serialize_map(None)?;
                #( #entries )*
                #extra
                map.end()
            }
        }
    };
    quote! {
        impl serde::Serialize for #name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeMap;
                #body
            }
        }
    }
}

fn deserialize(name: &Ident, wires: &[Wire], extra: Option<&Ident>) -> TokenStream {
    let expecting = format!("struct {name}");
    let locals = wires.iter().map(|w| &w.local);
    let names = wires.iter().map(|w| &w.field.json_name);
    let indices: Vec<Literal> = (0..wires.len()).map(Literal::usize_unsuffixed).collect();
    let reads = wires.iter().zip(&indices).map(|(w, i)| {
        let local = &w.local;
        let double = matches!(&w.field.ty, Type::Option(inner) if inner.is_option());
        if double || !w.field.ty.is_option() {
            // A value that came (`null` too, for a PATCH body's `Option<Option<T>>`).
            quote! { crate::runtime::Key::Known(#i) => #local = Some(map.next_value()?), }
        } else {
            // An `Option`: absent and `null` are both `None`.
            quote! { crate::runtime::Key::Known(#i) => #local = map.next_value()?, }
        }
    });
    let (extra_local, other) = match extra {
        Some(_) => (
            Some(quote! { let mut extra = std::collections::BTreeMap::new(); }),
            quote! { crate::runtime::Key::Other(key) => { extra.insert(key, map.next_value()?); } },
        ),
        None => (None, TokenStream::new()),
    };
    let inits = wires.iter().map(|w| {
        let (ident, local, json) = (&w.ident, &w.local, &w.field.json_name);
        let double = matches!(&w.field.ty, Type::Option(inner) if inner.is_option());
        if w.field.ty.is_option() || double {
            quote! { #ident: #local }
        } else {
            quote! { #ident: crate::runtime::missing(#local, #json)? }
        }
    });
    let extra_init = extra.map(|extra| quote! { #extra: extra });
    let read_keys = if wires.is_empty() && extra.is_none() {
        // Nothing to keep: every property is skipped.
        quote! {
            while map.next_key_seed(crate::runtime::Keys(|_| None))?.is_some() {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
    } else {
        let keys = if wires.is_empty() {
            quote! { crate::runtime::Keys(|_| None) }
        } else {
            quote! {
                crate::runtime::Keys(|key| match key {
                    #( #names => Some(#indices), )*
                    _ => None,
                })
            }
        };
        quote! {
            let keys = #keys;
            while let Some(key) = map.next_key_seed(keys)? {
                match key {
                    #( #reads )*
                    #other
                    _ => { map.next_value::<serde::de::IgnoredAny>()?; }
                }
            }
        }
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = #name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(#expecting)
                    }
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut map: __A) -> Result<#name, __A::Error> {
                        #( let mut #locals = None; )*
                        #extra_local
                        #read_keys
                        Ok(#name { #( #inits, )* #extra_init })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    }
}
