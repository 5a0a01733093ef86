//! Structs: a field per property (optional and nullable ones as `Option`s left out of JSON
//! when `None`), the properties the schema does not name in a map written back as they came,
//! and construction through `new`, setters and `Default` (see [`crate::emit::constructors`]).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::constructors::{constructors_code, Member, Role, Snippet};
use crate::emit::docs::{doc_attrs, doc_lines};
use crate::emit::features::Gate;
use crate::emit::layout::{Layout, Lines, Shape};
use crate::emit::types::{type_shape, type_tokens};
use crate::emit::Code;
use crate::ir::{Field, Implied, Struct, Type, TypeDef, TypeSpace, Usage};
use crate::naming::NameScope;

/// What the docs of the map of unknown properties say.
const ADDITIONAL_DOC: &str =
    " Properties the schema does not name, kept as they came and sent as they are.";

pub(super) fn struct_def(
    def: &TypeDef,
    s: &Struct,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
    layout: Layout,
) -> Code {
    let name = format_ident!("{}", def.name);
    // Without flattened parts, the serde impls are written (see `codec`), and fields carry
    // no serde attributes.
    let written = s.fields.iter().all(|f| !f.flatten);
    let mut names = NameScope::new();
    let mut members = Vec::with_capacity(s.fields.len() + 1);
    for field in &s.fields {
        names.reserve(&field.name);
        members.push(Member {
            name: format_ident!("{}", field.name),
            role: role(field, types),
        });
    }
    let extra = s.additional.as_ref().map(|value| {
        (
            format_ident!("{}", names.claim("additional_properties")),
            value,
        )
    });
    if let Some((ident, _)) = &extra {
        members.push(Member {
            name: ident.clone(),
            role: Role::Defaulted,
        });
    }
    let text = (layout == Layout::Text && written)
        .then(|| definition_text(def, s, extra.as_ref(), types, gate))
        .flatten();
    let mut code = Code::default();
    match text {
        Some(text) => code.text(text),
        None => code.tokens(definition_tokens(
            &name,
            def,
            s,
            extra.as_ref(),
            types,
            usage,
            &gate.tokens,
        )),
    }
    if written {
        let extra = extra.as_ref().map(|(i, _)| i);
        code.text(super::codec::impls(&name, s, extra, usage, &gate.text));
    }
    code.append(constructors_code(&name, &members, gate, layout));
    code
}

/// The struct itself, as tokens; its serde impls derived when some field is flattened.
fn definition_tokens(
    name: &Ident,
    def: &TypeDef,
    s: &Struct,
    extra: Option<&(Ident, &Type)>,
    types: &TypeSpace,
    usage: Usage,
    gate: &TokenStream,
) -> TokenStream {
    let none = TokenStream::new();
    let written = s.fields.iter().all(|f| !f.flatten);
    let fields = s.fields.iter().map(|f| field_def(f, types, !written));
    let additional = extra.map(|(ident, value)| {
        let value = type_tokens(value, types, &none);
        let flatten = (!written).then(|| quote! { #[serde(flatten)] });
        quote! {
            #[doc = #ADDITIONAL_DOC]
            #flatten
            pub #ident: std::collections::BTreeMap<String, #value>,
        }
    });
    let derives = if written {
        super::derives(super::Serde {
            serialize: false,
            deserialize: false,
            usage,
        })
    } else {
        super::derives(super::Serde::both(usage))
    };
    let docs = doc_attrs(def.description.as_deref());
    quote! {
        #gate
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #( #fields )*
            #additional
        }
    }
}

/// The struct itself as text, when its serde impls are written (no field carries an
/// attribute); `None` when a line comes near the margin or the struct is empty.
fn definition_text(
    def: &TypeDef,
    s: &Struct,
    extra: Option<&(Ident, &Type)>,
    types: &TypeSpace,
    gate: &Gate,
) -> Option<String> {
    if s.fields.is_empty() && extra.is_none() {
        return None;
    }
    let mut lines = Lines::default();
    lines.gate(gate);
    lines.docs(0, &doc_lines(def.description.as_deref()));
    lines.line(0, "#[derive(Debug, Clone, PartialEq)]");
    lines.line(0, "#[non_exhaustive]");
    lines.unbreakable(0, &format!("pub struct {} {{", def.name));
    for field in &s.fields {
        lines.docs(1, &doc_lines(field.description.as_deref()));
        let ty = type_shape(&field.ty, types, "");
        lines.shape(1, &format!("pub {}: ", field.name), &ty, ",");
    }
    if let Some((ident, value)) = extra {
        lines.docs(1, &[ADDITIONAL_DOC.to_owned()]);
        let map = Shape::generic(
            "std::collections::BTreeMap",
            vec![Shape::word("String"), type_shape(value, types, "")],
        );
        lines.shape(1, &format!("pub {ident}: "), &map, ",");
    }
    lines.line(0, "}");
    lines.finish()
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
            let tokens = &value.tokens;
            Snippet {
                tokens: quote! { Some(#tokens) },
                text: value.text.map(|text| Shape::call("Some", vec![text])),
            }
        } else {
            value
        });
    }
    let ty = if optional {
        field.ty.clone().required()
    } else {
        field.ty.clone()
    };
    let snippet = Snippet {
        tokens: type_tokens(&ty, types, &none),
        text: Some(type_shape(&ty, types, "")),
    };
    if optional {
        Role::Optional(snippet)
    } else {
        Role::Required(snippet)
    }
}

/// The expression of an implied value, for a field of type `T` or `Option<T>`.
fn implied(implied: &Implied, field: &Field, types: &TypeSpace) -> Option<Snippet> {
    let ty = field.ty.clone().required();
    match (implied, &ty) {
        (Implied::Variant(variant), Type::Named(_)) => {
            let text = Shape::word(format!("{}::{variant}", type_shape(&ty, types, "").flat()));
            let ty = type_tokens(&ty, types, &TokenStream::new());
            let variant = format_ident!("{}", variant);
            Some(Snippet {
                tokens: quote! { #ty::#variant },
                text: Some(text),
            })
        }
        (Implied::Text(text), Type::String) => {
            // Text only where the literal needs no escapes, so it reads as `quote` writes it.
            let plain = text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " _-./:@".contains(c));
            Some(Snippet {
                tokens: quote! { #text.to_owned() },
                text: plain.then(|| Shape::opaque(format!("\"{text}\".to_owned()"))),
            })
        }
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
