//! `models.rs`: a struct, enum or alias per named type.
//!
//! Optional properties are `Option`s omitted from JSON when `None`; string enums get an
//! `Other(String)` variant so a value added to the API later still decodes.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::type_tokens;
use crate::ir::{Enum, Struct, Type, TypeDef, TypeKind, TypeSpace};
use crate::naming::NameScope;

pub fn emit(types: &TypeSpace) -> TokenStream {
    let mut defs: Vec<&TypeDef> = types.iter().map(|(_, d)| d).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    let items = defs.into_iter().map(|def| type_def(def, types));
    quote! {
        //! The API's data types, one per schema.
        #( #items )*
    }
}

fn type_def(def: &TypeDef, types: &TypeSpace) -> TokenStream {
    let name = format_ident!("{}", def.name);
    let docs = doc_attrs(def.description.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => struct_def(&name, docs, s, types),
        TypeKind::Enum(e) => enum_def(&name, docs, e),
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
            let rename = (field.name != field.json_name).then(|| {
                let json = &field.json_name;
                quote! { #[serde(rename = #json)] }
            });
            let optional = (!field.required && field.ty.is_option()).then(|| {
                quote! { #[serde(default, skip_serializing_if = "Option::is_none")] }
            });
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

fn enum_def(name: &proc_macro2::Ident, docs: TokenStream, e: &Enum) -> TokenStream {
    let variants = e.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let value = &v.value;
        quote! {
            #[serde(rename = #value)]
            #ident,
        }
    });
    let arms = e.variants.iter().map(|v| {
        let ident = format_ident!("{}", v.name);
        let value = &v.value;
        quote! { #name::#ident => #value, }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        pub enum #name {
            #( #variants )*
            /// A value this version of the client does not know, kept as sent.
            #[serde(untagged)]
            Other(String),
        }

        impl #name {
            /// The value as it appears in JSON.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #arms )*
                    #name::Other(value) => value,
                }
            }
        }
    }
}
