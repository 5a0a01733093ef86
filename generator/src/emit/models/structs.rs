//! Structs: a field per property (optional and nullable ones as `Option`s left out of JSON
//! when `None`), the properties the schema does not name in a map written back as they came,
//! and construction through `new`, setters and `Default` (see [`crate::emit::constructors`]).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::constructors::{constructors, Member, Role};
use crate::emit::docs::doc_attrs;
use crate::emit::features::Gate;
use crate::emit::types::type_tokens;
use crate::emit::Code;
use crate::ir::{Field, Implied, Struct, Type, TypeSpace, Usage};
use crate::naming::NameScope;

pub(super) fn struct_def(
    name: &Ident,
    docs: TokenStream,
    s: &Struct,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
) -> Code {
    let (gate, gate_text) = (&gate.tokens, &gate.text);
    let none = TokenStream::new();
    // Without flattened parts, the serde impls are written (see `codec`), and fields carry
    // no serde attributes.
    let written = s.fields.iter().all(|f| !f.flatten);
    let mut names = NameScope::new();
    let mut members = Vec::with_capacity(s.fields.len() + 1);
    let fields: Vec<TokenStream> = s
        .fields
        .iter()
        .map(|field| {
            names.reserve(&field.name);
            members.push(Member {
                name: format_ident!("{}", field.name),
                role: role(field, types),
            });
            field_def(field, types, !written)
        })
        .collect();
    let extra = s.additional.as_ref().map(|value| {
        (
            format_ident!("{}", names.claim("additional_properties")),
            value,
        )
    });
    let additional = extra.as_ref().map(|(ident, value)| {
        members.push(Member {
            name: ident.clone(),
            role: Role::Defaulted,
        });
        let value = type_tokens(value, types, &none);
        let flatten = (!written).then(|| quote! { #[serde(flatten)] });
        quote! {
            /// Properties the schema does not name, kept as they came and sent as they are.
            #flatten
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    let constructors = constructors(name, &members, gate);
    let (derives, codec) = if written {
        let neither = super::Serde {
            serialize: false,
            deserialize: false,
            usage,
        };
        let codec = super::codec::impls(name, s, extra.as_ref().map(|(i, _)| i), usage, gate_text);
        (super::derives(neither), codec)
    } else {
        (super::derives(super::Serde::both(usage)), String::new())
    };
    let mut code = Code::from(quote! {
        #gate
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }
    });
    code.text(codec);
    code.tokens(constructors);
    code
}

/// A field, with its serde attributes when the serde impls are derived.
fn field_def(field: &Field, types: &TypeSpace, derived: bool) -> TokenStream {
    let ident = format_ident!("{}", field.name);
    let ty = type_tokens(&field.ty, types, &TokenStream::new());
    let docs = doc_attrs(field.description.as_deref());
    if !derived {
        return quote! { #docs pub #ident: #ty, };
    }
    if field.flatten {
        return quote! {
            #docs
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
        field.is_optional().then(|| {
            quote! { #[serde(default, skip_serializing_if = "Option::is_none")] }
        })
    };
    quote! {
        #docs
        #rename
        #optional
        pub #ident: #ty,
    }
}

/// How the constructors treat a field: an argument of `new` when required, filled in when
/// its value is implied, `None` with a setter when optional.
fn role(field: &Field, types: &TypeSpace) -> Role {
    let none = TokenStream::new();
    let optional = field.is_optional();
    if let Some(value) = field
        .implied
        .as_ref()
        .and_then(|i| implied(i, field, types))
    {
        return Role::Implied(if optional {
            quote! { Some(#value) }
        } else {
            value
        });
    }
    if optional {
        let inner = type_tokens(&field.ty.clone().required(), types, &none);
        Role::Optional(inner)
    } else {
        Role::Required(type_tokens(&field.ty, types, &none))
    }
}

/// The expression of an implied value, for a field of type `T` or `Option<T>`.
fn implied(implied: &Implied, field: &Field, types: &TypeSpace) -> Option<TokenStream> {
    let ty = field.ty.clone().required();
    match (implied, &ty) {
        (Implied::Variant(variant), Type::Named(_)) => {
            let ty = type_tokens(&ty, types, &TokenStream::new());
            let variant = format_ident!("{}", variant);
            Some(quote! { #ty::#variant })
        }
        (Implied::Text(text), Type::String) => Some(quote! { #text.to_owned() }),
        _ => None,
    }
}

/// The fields `new` takes, in order: what a shorthand constructor of a union variant passes
/// on when there is exactly one.
pub(super) fn new_arguments(s: &Struct) -> Vec<&Field> {
    s.fields
        .iter()
        .filter(|f| {
            let optional = !f.required && f.ty.is_option();
            !optional && f.implied.is_none()
        })
        .collect()
}
