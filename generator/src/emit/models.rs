//! `models.rs`: a struct, enum or alias per named type.
//!
//! Optional properties are `Option`s omitted from JSON when `None`; string enums get an
//! `Other(String)` variant so a value added to the API later still decodes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::type_tokens;
use crate::ir::{Enum, Struct, Type, TypeDef, TypeKind, TypeSpace, Union};
use crate::naming::NameScope;

/// The whole file.
pub fn emit(types: &TypeSpace) -> TokenStream {
    emit_part(types, &sorted(types), true)
}

/// The named types in the order the file lists them (by name).
pub fn sorted(types: &TypeSpace) -> Vec<&TypeDef> {
    let mut defs: Vec<&TypeDef> = types.iter().map(|(_, d)| d).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// A run of the file's items; `head` adds what opens the file (its module docs).
pub fn emit_part(types: &TypeSpace, defs: &[&TypeDef], head: bool) -> TokenStream {
    let head = head.then(|| {
        quote! { //! The API's data types, one per schema.
        }
    });
    let items = defs.iter().map(|def| type_def(def, types));
    quote! {
        #head
        #( #items )*
    }
}

fn type_def(def: &TypeDef, types: &TypeSpace) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.description.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, docs, s, types),
        TypeKind::Enum(e) => enum_def(&name, docs, e),
        TypeKind::Union(u) => union_def(&name, docs, u, types),
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(ty, types, &TokenStream::new());
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
        TypeKind::Alias(ty) => {
            let ty = type_tokens(ty, types, &TokenStream::new());
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn struct_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    s: &Struct,
    types: &TypeSpace,
) -> TokenStream {
    let none = TokenStream::new();
    let mut names = NameScope::new();
    let fields = s
        .fields
        .iter()
        .map(|field| {
            names.reserve(&field.name);
            let ident = format_ident!("{}", field.name);
            let ty = type_tokens(&field.ty, types, &none);
            let field_docs = doc_attrs(field.description.as_deref());
            if field.flatten {
                return quote! {
                    #field_docs
                    #[serde(flatten)]
                    pub #ident: #ty,
                };
            }
            let rename = (field.name != field.json_name).then(|| {
                let json = &field.json_name;
                quote! { #[serde(rename = #json)] }
            });
            let double = matches!(&field.ty, Type::Option(inner) if inner.is_option());
            let optional = if double {
                Some(quote! {
                    #[serde(default, skip_serializing_if = "Option::is_none", with = "crate::runtime::double_option")]
                })
            } else {
                (!field.required && field.ty.is_option()).then(|| {
                    quote! { #[serde(default, skip_serializing_if = "Option::is_none")] }
                })
            };
            quote! {
                #field_docs
                #rename
                #optional
                pub #ident: #ty,
            }
        })
        .collect::<Vec<_>>();
    let additional = s.additional.as_ref().map(|value| {
        let ident = format_ident!("{}", names.claim("additional_properties"));
        let value = type_tokens(value, types, &none);
        quote! {
            /// Properties not named by the schema.
            #[serde(flatten)]
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    let all_optional = s.fields.iter().all(|f| matches!(f.ty, Type::Option(_)));
    let default = all_optional.then(|| quote! { Default, });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #default serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

/// A string enum: the type with its docs and plain derives here; `as_str` and the serde
/// impls come from the runtime's `string_enum!`, one line per enum instead of their expansion.
fn enum_def(name: &proc_macro2::Ident, docs: TokenStream, e: &Enum) -> TokenStream {
    let idents: Vec<proc_macro2::Ident> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values = e.variants.iter().map(|v| &v.value);
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #( #idents, )*
            /// A value this version of the client does not know, kept as sent.
            Other(String),
        }
        crate::runtime::string_enum!(#name { #( #idents = #values ),* });
    }
}

fn union_def(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    u: &Union,
    types: &TypeSpace,
) -> TokenStream {
    let none = TokenStream::new();
    let idents: Vec<proc_macro2::Ident> = u
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let tys: Vec<TokenStream> = u
        .variants
        .iter()
        .map(|v| type_tokens(&v.ty, types, &none))
        .collect();
    // Variants hold whole structs by value: boxing them to even out the enum's size would
    // make every match and construction clumsier for a type decoded once per response.
    let Some(property) = &u.discriminator else {
        return untagged_union(name, docs, u, types, &idents, &tys);
    };
    let tags: Vec<&str> = u
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
    quote! {
        #docs
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #( #[doc = #tag_docs] #idents(#tys), )*
            #[doc = #unknown_doc]
            Unknown(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #( #name::#idents(value) => crate::runtime::serialize_tagged(value, #property, #tags, serializer), )*
                    #name::Unknown(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match crate::runtime::tag_of(&value, #property) {
                    #( Some(#tags) => #name::#idents(crate::runtime::from_value(value)?), )*
                    _ => #name::Unknown(value),
                })
            }
        }
    }
}

/// The JSON property names a variant's struct knows, when it is a closed set (a struct
/// without a catch-all map or flattened parts).
fn known_keys(ty: &Type, types: &TypeSpace) -> Option<Vec<String>> {
    match ty {
        Type::Boxed(inner) | Type::Option(inner) => known_keys(inner, types),
        Type::Named(id) => match &types.get(*id).kind {
            TypeKind::Struct(s)
                if s.additional.is_none() && s.fields.iter().all(|f| !f.flatten) =>
            {
                Some(s.fields.iter().map(|f| f.json_name.clone()).collect())
            }
            TypeKind::Alias(inner) => known_keys(inner, types),
            _ => None,
        },
        _ => None,
    }
}

/// An untagged union. When several variants are structs, decoding tries first the variants
/// whose known properties cover the object's (so a looser struct never swallows, and drops,
/// the fields of a stricter one); otherwise the variants are tried in order.
fn untagged_union(
    name: &proc_macro2::Ident,
    docs: TokenStream,
    u: &Union,
    types: &TypeSpace,
    idents: &[proc_macro2::Ident],
    tys: &[TokenStream],
) -> TokenStream {
    let keys: Vec<Option<Vec<String>>> = u
        .variants
        .iter()
        .map(|v| known_keys(&v.ty, types))
        .collect();
    let structs = keys.iter().filter(|k| k.is_some()).count();
    if structs < 2 {
        return quote! {
            #docs
            #[allow(clippy::large_enum_variant)]
            #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
            #[serde(untagged)]
            pub enum #name {
                #( #idents(#tys), )*
            }
        };
    }
    let key_lists = keys.iter().map(|k| match k {
        Some(keys) => quote! { Some(&[ #( #keys ),* ]) },
        None => quote! { None },
    });
    let indices = (0..idents.len()).map(proc_macro2::Literal::usize_unsuffixed);
    let failure = format!("data did not match any variant of untagged enum {name}");
    quote! {
        #docs
        #[allow(clippy::large_enum_variant)]
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #( #idents(#tys), )*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                for index in crate::runtime::fit_order(&value, &[ #( #key_lists ),* ]) {
                    let decoded = match index {
                        #( #indices => serde_json::from_value(value.clone()).map(#name::#idents), )*
                        _ => continue,
                    };
                    if let Ok(decoded) = decoded {
                        return Ok(decoded);
                    }
                }
                Err(serde::de::Error::custom(#failure))
            }
        }
    }
}
