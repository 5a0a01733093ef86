//! The request body as a builder member, and the types it needs: the struct of a
//! `multipart/form-data` body (a field per part) and, for a body offered as JSON or
//! multipart, the enum of the two.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::builder::{Argument, Input, Member, MemberText, Setter};
use super::OperationItems;
use crate::emit::constructors;
use crate::emit::docs::{attrs_of_lines, doc_attrs, doc_lines};
use crate::emit::layout::{Labelled, Shape};
use crate::emit::types::{model_type, type_shape};
use crate::ir::{FormField, RequestBody};

/// The body's member of the builder, and the types defined for it.
pub(super) struct BodyMember {
    pub member: Member,
    pub definitions: TokenStream,
}

/// The body's Rust type as the builder stores it, the type its argument or setter takes,
/// and how a given `value` becomes the stored one.
struct BodyTypes {
    stored: TokenStream,
    input: TokenStream,
    value: TokenStream,
    value_text: &'static str,
    /// `stored` and `input` as text.
    stored_shape: Shape,
    input_shape: Shape,
}

impl OperationItems<'_> {
    pub(super) fn body_member(&self) -> Option<BodyMember> {
        let op = self.op;
        let body = op.body.as_ref()?;
        let form = format_ident!("{}Form", op.type_name);
        let mut definitions = TokenStream::new();
        let types = match (&body.form, &body.alternative) {
            (Some(fields), _) => {
                definitions.extend(self.form_def(&form, fields));
                BodyTypes {
                    stored: quote! { #form },
                    input: quote! { #form },
                    value: quote! { value },
                    value_text: "value",
                    stored_shape: Shape::word(form.to_string()),
                    input_shape: Shape::word(form.to_string()),
                }
            }
            (None, Some(alternative)) => {
                if let Some(fields) = &alternative.form {
                    definitions.extend(self.form_def(&form, fields));
                }
                let name = format_ident!("{}Body", op.type_name);
                definitions.extend(self.body_enum(&name, &form, body, alternative));
                BodyTypes {
                    stored: quote! { #name },
                    input: quote! { impl Into<#name> },
                    value: quote! { value.into() },
                    value_text: "value.into()",
                    stored_shape: Shape::word(name.to_string()),
                    input_shape: Shape::generic("impl Into", vec![Shape::word(name.to_string())]),
                }
            }
            (None, None) => {
                let ty = model_type(&body.ty, &self.api.types);
                let shape = type_shape(&body.ty, &self.api.types, "crate::models::");
                BodyTypes {
                    stored: ty.clone(),
                    input: ty,
                    value: quote! { value },
                    value_text: "value",
                    stored_shape: shape.clone(),
                    input_shape: shape,
                }
            }
        };
        let stored = &types.stored;
        let member = if body.required {
            Member {
                field: quote! { body: #stored },
                init: if body.alternative.is_some() {
                    quote! { body: body.into() }
                } else {
                    quote! { body }
                },
                text: MemberText {
                    field: Labelled::new("body: ", types.stored_shape),
                    init: if body.alternative.is_some() {
                        Labelled::new("body: ", Shape::opaque("body.into()"))
                    } else {
                        Labelled::new("", Shape::word("body"))
                    },
                    argument: Some(Labelled::new("body: ", types.input_shape)),
                },
                input: Input::Argument(Argument {
                    name: format_ident!("body"),
                    ty: types.input,
                }),
            }
        } else {
            let body_doc = doc_lines(
                body.description
                    .as_deref()
                    .or(Some("Sets the request body.")),
            );
            Member {
                field: quote! { body: Option<#stored> },
                init: quote! { body: None },
                text: MemberText {
                    field: Labelled::new(
                        "body: ",
                        Shape::generic("Option", vec![types.stored_shape]),
                    ),
                    init: Labelled::new("body: ", Shape::word("None")),
                    argument: None,
                },
                input: Input::Setter(Setter {
                    docs: attrs_of_lines(&body_doc),
                    doc_lines: body_doc,
                    name: format_ident!("body"),
                    ty: types.input,
                    value: types.value,
                    ty_shape: types.input_shape,
                    value_text: types.value_text,
                }),
            }
        };
        Some(BodyMember {
            member,
            definitions,
        })
    }

    /// The enum of a body sent as JSON or as `multipart/form-data`, with `From` for each.
    fn body_enum(
        &self,
        name: &Ident,
        form: &Ident,
        body: &RequestBody,
        alternative: &RequestBody,
    ) -> TokenStream {
        let json = model_type(&body.ty, &self.api.types);
        let doc = format!(
            " The [`Client::{}`] request body: JSON ({}) or `multipart/form-data` ({}).",
            self.op.name, body.media_type, alternative.media_type
        );
        let gate = &self.gate;
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Debug, Clone)]
            pub enum #name {
                /// Sent as JSON.
                Json(Box<#json>),
                /// Sent as `multipart/form-data`: file parts and fields.
                Multipart(Box<#form>),
            }

            #gate
            impl From<#json> for #name {
                fn from(body: #json) -> Self {
                    #name::Json(Box::new(body))
                }
            }

            #gate
            impl From<#form> for #name {
                fn from(body: #form) -> Self {
                    #name::Multipart(Box::new(body))
                }
            }
        }
    }

    /// The struct of a `multipart/form-data` body: a field per part.
    fn form_def(&self, name: &Ident, fields: &[FormField]) -> TokenStream {
        let mut constructed = Vec::with_capacity(fields.len());
        let members: Vec<TokenStream> = fields
            .iter()
            .map(|f| {
                let ident = format_ident!("{}", f.name);
                let docs = doc_attrs(f.description.as_deref());
                let ty = if f.file {
                    quote! { crate::runtime::FilePart }
                } else {
                    model_type(&f.ty, &self.api.types)
                };
                constructed.push(constructors::Member {
                    name: ident.clone(),
                    role: if f.required {
                        constructors::Role::Required(ty.clone().into())
                    } else {
                        constructors::Role::Optional(ty.clone().into())
                    },
                });
                let ty = if f.required {
                    ty
                } else {
                    quote! { Option<#ty> }
                };
                quote! { #docs pub #ident: #ty, }
            })
            .collect();
        let constructors = constructors::constructors(name, &constructed, &self.gate);
        let doc = format!(
            " The parts of the [`Client::{}`] request body (`multipart/form-data`).",
            self.op.name
        );
        let gate = &self.gate;
        quote! {
            #gate
            #[doc = #doc]
            #[derive(Debug, Clone)]
            #[non_exhaustive]
            pub struct #name {
                #( #members )*
            }
            #constructors
        }
    }
}
