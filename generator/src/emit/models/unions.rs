//! Unions (`oneOf`/`anyOf`): discriminated ones decode by their tag and keep an unknown tag's
//! object as JSON; untagged ones try first the variant whose struct knows every property.
//! A variant that fails to decode names the place inside it that failed. Each union also
//! gets conversions from its variants' types (`From<&str>` for a string branch, so
//! `content: "Hello".into()`) and, for a variant whose struct needs one value, a shorthand
//! constructor named after it (`Message::user("Hello")`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::structs::new_arguments;
use crate::emit::types::type_tokens;
use crate::ir::{Type, TypeKind, TypeSpace, Union, UnionVariant, Usage};
use crate::naming::reserved::{self, MODEL_METHODS};
use crate::naming::snake_name;

/// A union being emitted: its name, IR and the types of its variants.
struct UnionItems<'a> {
    name: &'a Ident,
    union: &'a Union,
    types: &'a TypeSpace,
    usage: Usage,
    /// The `cfg` every item of the union carries.
    gate: &'a TokenStream,
    idents: Vec<Ident>,
    tys: Vec<TokenStream>,
}

pub(super) fn union_def(
    name: &Ident,
    docs: TokenStream,
    u: &Union,
    types: &TypeSpace,
    usage: Usage,
    gate: &TokenStream,
) -> TokenStream {
    let none = TokenStream::new();
    let items = UnionItems {
        name,
        union: u,
        types,
        usage,
        gate,
        idents: u
            .variants
            .iter()
            .map(|v| format_ident!("{}", v.name))
            .collect(),
        tys: u
            .variants
            .iter()
            .map(|v| type_tokens(&v.ty, types, &none))
            .collect(),
    };
    // Variants hold whole structs by value: boxing them to even out the enum's size would
    // make every match and construction clumsier for a type decoded once per response.
    let definition = match &u.discriminator {
        Some(property) => items.tagged(docs, property),
        None => items.untagged(docs),
    };
    let conversions = items.conversions();
    let shorthands = items.shorthands();
    quote! {
        #definition
        #conversions
        #shorthands
    }
}

impl UnionItems<'_> {
    fn tagged(&self, docs: TokenStream, property: &str) -> TokenStream {
        let UnionItems {
            name,
            idents,
            tys,
            gate,
            ..
        } = self;
        let tags: Vec<&str> = self
            .union
            .variants
            .iter()
            .map(|v| v.tag.as_deref().unwrap_or(&v.name))
            .collect();
        let tag_docs: Vec<String> = tags
            .iter()
            .map(|t| format!(" `{property}: {t:?}`"))
            .collect();
        let unknown_doc =
            format!(" An object whose `{property}` this client does not know, kept as sent.");
        let serialize_gate = super::roundtrip_only(self.usage.serialize);
        let deserialize_gate = super::roundtrip_only(self.usage.deserialize);
        quote! {
            #gate
            #docs
            #[allow(clippy::large_enum_variant)]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #tag_docs] #idents(#tys), )*
                #[doc = #unknown_doc]
                Unknown(serde_json::Value),
            }

            #serialize_gate
            #gate
            impl serde::Serialize for #name {
                fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                    match self {
                        #( #name::#idents(value) => crate::runtime::serialize_tagged(value, #property, #tags, serializer), )*
                        #name::Unknown(value) => serde::Serialize::serialize(value, serializer),
                    }
                }
            }

            #deserialize_gate
            #gate
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    Ok(match crate::runtime::tag_of(&value, #property) {
                        #( Some(#tags) => #name::#idents(crate::runtime::from_value(value)?), )*
                        _ => #name::Unknown(value),
                    })
                }
            }
        }
    }

    /// An untagged union: decoding tries first the variants that take the value's kind of
    /// JSON, and among structs the ones whose declared properties cover the object's (so a
    /// looser struct never takes the fields of a stricter one into its map of unknown
    /// properties); a value none decodes gets the error of the best fit, with its place.
    fn untagged(&self, docs: TokenStream) -> TokenStream {
        let UnionItems {
            name,
            idents,
            tys,
            gate,
            ..
        } = self;
        let kinds = self
            .union
            .variants
            .iter()
            .map(|v| variant_kind(&v.ty, self.types));
        let indices = (0..idents.len()).map(proc_macro2::Literal::usize_unsuffixed);
        let union_name = name.to_string();
        let derives = super::derives(super::Serde {
            serialize: true,
            deserialize: false,
            usage: self.usage,
        });
        let deserialize_gate = super::roundtrip_only(self.usage.deserialize);
        // The attribute of the `Serialize` derive, under the same gate.
        let untagged = if self.usage.serialize {
            quote! { #[serde(untagged)] }
        } else {
            quote! { #[cfg_attr(feature = "roundtrip", serde(untagged))] }
        };
        quote! {
            #gate
            #docs
            #[allow(clippy::large_enum_variant)]
            #derives
            #untagged
            #[non_exhaustive]
            pub enum #name {
                #( #idents(#tys), )*
            }

            #deserialize_gate
            #gate
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    use crate::runtime::VariantKind::*;
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    let mut best = None;
                    for index in crate::runtime::fit_order(&value, &[ #( #kinds ),* ]) {
                        let decoded = match index {
                            #( #indices => crate::runtime::try_variant(&value, &mut best).map(#name::#idents), )*
                            _ => continue,
                        };
                        if let Some(decoded) = decoded {
                            return Ok(decoded);
                        }
                    }
                    Err(crate::runtime::no_variant(#union_name, best))
                }
            }
        }
    }

    /// `From` each variant's type whose type no other variant has (boxing where the variant
    /// holds a box), and `From<&str>` when a variant is a `String`.
    fn conversions(&self) -> TokenStream {
        let name = self.name;
        let gate = self.gate;
        let none = TokenStream::new();
        let variants = &self.union.variants;
        let mut impls = Vec::new();
        for (variant, ident) in variants.iter().zip(&self.idents) {
            let unique = variants.iter().filter(|v| v.ty == variant.ty).count() == 1;
            if !unique || variant.ty == Type::Json || self.is_self(&variant.ty) {
                continue;
            }
            let (from, wrap) = match &variant.ty {
                Type::Boxed(inner) => (
                    type_tokens(inner, self.types, &none),
                    quote! { Box::new(value) },
                ),
                other => (type_tokens(other, self.types, &none), quote! { value }),
            };
            impls.push(quote! {
                #gate
                impl From<#from> for #name {
                    fn from(value: #from) -> Self {
                        #name::#ident(#wrap)
                    }
                }
            });
            if variant.ty == Type::String {
                impls.push(quote! {
                    #gate
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name::#ident(value.to_owned())
                        }
                    }
                });
            }
        }
        quote! { #( #impls )* }
    }

    /// Whether a variant's type is the union itself (through aliases), whose `From` the
    /// standard library already has.
    fn is_self(&self, ty: &Type) -> bool {
        let target = self.name.to_string();
        let mut ty = ty.clone();
        for _ in 0..16 {
            match ty {
                Type::Boxed(inner) | Type::Option(inner) => ty = *inner,
                Type::Named(id) => {
                    let def = self.types.get(id);
                    if def.name == target {
                        return true;
                    }
                    match &def.kind {
                        TypeKind::Alias(inner) => ty = inner.clone(),
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        false
    }

    /// For each variant whose struct's `new` takes one value: a constructor named after the
    /// variant that takes that value (`Message::user("Hello")`).
    fn shorthands(&self) -> TokenStream {
        let name = self.name;
        let gate = self.gate;
        let none = TokenStream::new();
        let mut methods = reserved::scope(MODEL_METHODS);
        let shorthands: Vec<TokenStream> = self
            .union
            .variants
            .iter()
            .zip(&self.idents)
            .filter_map(|(variant, ident)| {
                let (id, boxed) = struct_of(variant)?;
                let TypeKind::Struct(s) = &self.types.get(id).kind else {
                    return None;
                };
                let arguments = new_arguments(s);
                let [only] = arguments.as_slice() else {
                    return None;
                };
                let arg_ty = type_tokens(&only.ty, self.types, &none);
                let strukt = format_ident!("{}", self.types.get(id).name);
                let method = format_ident!("{}", methods.claim(&snake_name(&variant.name)));
                let value = if boxed {
                    quote! { Box::new(#strukt::new(value)) }
                } else {
                    quote! { #strukt::new(value) }
                };
                let doc = format!(" `{name}::{ident}` from its one required value.");
                Some(quote! {
                    #[doc = #doc]
                    pub fn #method(value: impl Into<#arg_ty>) -> Self {
                        #name::#ident(#value)
                    }
                })
            })
            .collect();
        if shorthands.is_empty() {
            return TokenStream::new();
        }
        quote! {
            #gate
            impl #name {
                #( #shorthands )*
            }
        }
    }
}

/// The struct a variant holds, and whether it is boxed.
fn struct_of(variant: &UnionVariant) -> Option<(crate::ir::TypeId, bool)> {
    match &variant.ty {
        Type::Named(id) => Some((*id, false)),
        Type::Boxed(inner) => match inner.as_ref() {
            Type::Named(id) => Some((*id, true)),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of JSON a variant takes (`Struct` with its declared properties, for ranking
/// structs against an object), as the runtime's `VariantKind`.
fn variant_kind(ty: &Type, types: &TypeSpace) -> TokenStream {
    let mut ty = ty;
    for _ in 0..16 {
        match ty {
            Type::Boxed(inner) | Type::Option(inner) => ty = inner,
            Type::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => ty = inner,
                TypeKind::Struct(s) if s.fields.iter().all(|f| !f.flatten) => {
                    let keys = s.fields.iter().map(|f| &f.json_name);
                    return quote! { Struct(&[ #( #keys ),* ]) };
                }
                TypeKind::Struct(_) => return quote! { Object },
                TypeKind::Enum(_) => return quote! { String },
                TypeKind::Union(_) => return quote! { Any },
            },
            Type::String | Type::Uuid | Type::DateTime | Type::Date => return quote! { String },
            Type::Integer(_) | Type::Number => return quote! { Number },
            Type::Bool => return quote! { Boolean },
            Type::Array(_) => return quote! { Array },
            Type::Map(_) => return quote! { Object },
            Type::Bytes | Type::Json => return quote! { Any },
        }
    }
    quote! { Any }
}
