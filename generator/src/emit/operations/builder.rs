//! The request builder: the client method that starts it (required parameters and a
//! required body are its arguments), the builder struct with a field per member, and a
//! setter per optional member.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::docs::doc_attrs;
use crate::emit::types::model_type;
use crate::ir::{Parameter, Type};

/// One member of a request builder: a parameter or the body.
pub(super) struct Member {
    /// Its field in the builder struct, `name: Type` (`Option<Type>` when optional).
    pub field: TokenStream,
    /// The field's value when the client method creates the builder.
    pub init: TokenStream,
    /// How the caller gives its value.
    pub input: Input,
}

pub(super) enum Input {
    /// A required value: an argument of the client method.
    Argument(Argument),
    /// An optional value: a setter of the builder.
    Setter(Setter),
}

/// An argument of the client method: `name: ty`.
pub(super) struct Argument {
    pub name: Ident,
    pub ty: TokenStream,
}

/// A setter of the builder: `fn name(mut self, value: ty) -> Self`, storing `Some(value)`.
pub(super) struct Setter {
    pub docs: TokenStream,
    pub name: Ident,
    /// The type the setter takes.
    pub ty: TokenStream,
    /// The stored value, made from `value`.
    pub value: TokenStream,
}

/// A builder's members, and the types the body needs defined beside it.
pub(super) struct Members {
    pub members: Vec<Member>,
    /// The multipart form struct and the enum of body alternatives, when the body has them.
    pub definitions: TokenStream,
}

impl Members {
    pub fn arguments(&self) -> impl Iterator<Item = &Argument> {
        self.members.iter().filter_map(|m| match &m.input {
            Input::Argument(argument) => Some(argument),
            Input::Setter(_) => None,
        })
    }

    pub fn setters(&self) -> impl Iterator<Item = &Setter> {
        self.members.iter().filter_map(|m| match &m.input {
            Input::Setter(setter) => Some(setter),
            Input::Argument(_) => None,
        })
    }
}

/// A parameter's field type, and the type its argument or setter takes (`impl Into<String>`
/// for strings), and whether that value needs `.into()`.
struct ParameterTypes {
    field: TokenStream,
    input: TokenStream,
    into: bool,
}

fn parameter_types(items: &OperationItems<'_>, ty: &Type) -> ParameterTypes {
    let field = model_type(ty, &items.api.types);
    if *ty == Type::String {
        ParameterTypes {
            field,
            input: quote! { impl Into<String> },
            into: true,
        }
    } else {
        ParameterTypes {
            input: field.clone(),
            field,
            into: false,
        }
    }
}

/// The members in order: required parameters, optional parameters, then the body.
pub(super) fn members(items: &OperationItems<'_>) -> Members {
    let op = items.op;
    let required = op.parameters.iter().filter(|p| p.required);
    let optional = op.parameters.iter().filter(|p| !p.required);
    let mut members: Vec<Member> = required
        .chain(optional)
        .map(|p| parameter_member(items, p))
        .collect();
    let mut definitions = TokenStream::new();
    if let Some(body) = items.body_member() {
        members.push(body.member);
        definitions = body.definitions;
    }
    Members {
        members,
        definitions,
    }
}

fn parameter_member(items: &OperationItems<'_>, p: &Parameter) -> Member {
    let name = format_ident!("{}", p.rust_name);
    let types = parameter_types(items, &p.ty);
    let field_ty = &types.field;
    if p.required {
        let init = if types.into {
            quote! { #name: #name.into() }
        } else {
            quote! { #name }
        };
        return Member {
            field: quote! { #name: #field_ty },
            init,
            input: Input::Argument(Argument {
                name,
                ty: types.input,
            }),
        };
    }
    let docs = doc_attrs(p.description.as_deref().or(Some(&format!(
        "Sets the `{}` {} parameter.",
        p.name,
        p.location.as_str()
    ))));
    let value = if types.into {
        quote! { value.into() }
    } else {
        quote! { value }
    };
    Member {
        field: quote! { #name: Option<#field_ty> },
        init: quote! { #name: None },
        input: Input::Setter(Setter {
            docs,
            name,
            ty: types.input,
            value,
        }),
    }
}

impl OperationItems<'_> {
    /// The client method, the builder struct, its `RequestExt` impl, and its methods.
    pub(super) fn builder_items(&self, members: &Members) -> TokenStream {
        let op = self.op;
        let OperationItems {
            method,
            builder,
            method_docs,
            deprecated,
            gate,
            ..
        } = self;
        let args = members
            .arguments()
            .map(|Argument { name, ty }| quote! { #name: #ty });
        let inits = members.members.iter().map(|m| &m.init);
        let fields = members.members.iter().map(|m| &m.field);
        let setters = members.setters().map(|setter| {
            let Setter {
                docs,
                name,
                ty,
                value,
            } = setter;
            quote! {
                #docs
                pub fn #name(mut self, value: #ty) -> Self {
                    self.#name = Some(#value);
                    self
                }
            }
        });
        let request_fn = self.request_fn();
        let terminals = self.terminals();
        let builder_doc = format!(
            " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
            op.name, op.type_name
        );
        let method_link = format!(" Made by [`Client::{}`].", op.name);
        quote! {
            #gate
            impl Client {
                #method_docs
                #deprecated
                pub fn #method(&self, #( #args ),*) -> #builder<'_> {
                    #builder { client: self, #( #inits, )* options: Default::default() }
                }
            }

            #gate
            #[doc = #builder_doc]
            #[doc = ""]
            #[doc = #method_link]
            #[derive(Debug, Clone)]
            #[must_use = "a request does nothing until `send` is awaited"]
            pub struct #builder<'a> {
                client: &'a Client,
                #( #fields, )*
                options: crate::runtime::RequestOptions,
            }

            #gate
            impl crate::runtime::RequestExt for #builder<'_> {
                fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {
                    &mut self.options
                }
            }

            #gate
            impl<'a> #builder<'a> {
                #( #setters )*
                #request_fn
                #terminals
            }
        }
    }
}
