//! The request builder: the client method that starts it (required parameters and a
//! required body are its arguments), the builder struct with a field per member, and a
//! setter per optional member.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::docs::{attrs_of_lines, doc_lines};
use crate::emit::layout::{Labelled, Layout, Lines, Shape};
use crate::emit::types::{model_type, type_shape};
use crate::emit::Code;
use crate::ir::{Parameter, Type};

/// One member of a request builder: a parameter or the body.
pub(super) struct Member {
    /// Its field in the builder struct, `name: Type` (`Option<Type>` when optional).
    pub field: TokenStream,
    /// The field's value when the client method creates the builder.
    pub init: TokenStream,
    /// How the caller gives its value.
    pub input: Input,
    /// The field, the value the client method gives it and, for a required member, the
    /// client method's argument, as text (see `emit::layout`).
    pub text: MemberText,
}

pub(super) struct MemberText {
    pub field: Labelled,
    pub init: Labelled,
    pub argument: Option<Labelled>,
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
    /// The lines of `docs`.
    pub doc_lines: Vec<String>,
    /// `ty` and `value` as text.
    pub ty_shape: Shape,
    pub value_text: &'static str,
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
    field_shape: Shape,
    input_shape: Shape,
}

fn parameter_types(items: &OperationItems<'_>, ty: &Type) -> ParameterTypes {
    let field = model_type(ty, &items.api.types);
    let field_shape = type_shape(ty, &items.api.types, "crate::models::");
    if *ty == Type::String {
        ParameterTypes {
            field,
            input: quote! { impl Into<String> },
            into: true,
            field_shape,
            input_shape: Shape::generic("impl Into", vec![Shape::word("String")]),
        }
    } else {
        ParameterTypes {
            input: field.clone(),
            field,
            into: false,
            input_shape: field_shape.clone(),
            field_shape,
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
    let label = format!("{name}: ");
    if p.required {
        let (init, init_text) = if types.into {
            (
                quote! { #name: #name.into() },
                Labelled::new(label.clone(), Shape::opaque(format!("{name}.into()"))),
            )
        } else {
            (
                quote! { #name },
                Labelled::new("", Shape::word(name.to_string())),
            )
        };
        return Member {
            field: quote! { #name: #field_ty },
            init,
            text: MemberText {
                field: Labelled::new(label.clone(), types.field_shape),
                init: init_text,
                argument: Some(Labelled::new(label, types.input_shape)),
            },
            input: Input::Argument(Argument {
                name,
                ty: types.input,
            }),
        };
    }
    let default_doc = format!("Sets the `{}` {} parameter.", p.name, p.location.as_str());
    let doc_text = p.description.as_deref().or(Some(&default_doc));
    let doc_lines = doc_lines(doc_text);
    let docs = attrs_of_lines(&doc_lines);
    let value = if types.into {
        quote! { value.into() }
    } else {
        quote! { value }
    };
    Member {
        field: quote! { #name: Option<#field_ty> },
        init: quote! { #name: None },
        text: MemberText {
            field: Labelled::new(
                label.clone(),
                Shape::generic("Option", vec![types.field_shape]),
            ),
            init: Labelled::new(label, Shape::word("None")),
            argument: None,
        },
        input: Input::Setter(Setter {
            docs,
            doc_lines,
            name,
            ty: types.input,
            value,
            ty_shape: types.input_shape,
            value_text: if types.into { "value.into()" } else { "value" },
        }),
    }
}

impl OperationItems<'_> {
    /// The client method, the builder struct, its `RequestExt` impl, and its methods; the
    /// first three as text where `layout` allows.
    pub(super) fn builder_items(&self, members: &Members) -> Code {
        let head = (self.layout == Layout::Text)
            .then(|| self.builder_head_text(members))
            .flatten();
        let mut code = Code::default();
        match head {
            Some(text) => code.text(text),
            None => code.tokens(self.builder_head_tokens(members)),
        }
        let methods = (self.layout == Layout::Text)
            .then(|| self.builder_impl_text(members))
            .flatten();
        match methods {
            Some(text) => code.text(text),
            None => code.tokens(self.builder_impl(members)),
        }
        code
    }

    /// [`OperationItems::builder_impl`] as text, for the shapes the text layout knows
    /// (no event stream or pagination, a body in one media type); `None` otherwise.
    fn builder_impl_text(&self, members: &Members) -> Option<String> {
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.unbreakable(0, &format!("impl<'a> {}<'a> {{", self.builder));
        for setter in members.setters() {
            lines.docs(1, &setter.doc_lines);
            let args = [
                Labelled::new("", Shape::opaque("mut self")),
                Labelled::new("value: ", setter.ty_shape.clone()),
            ];
            lines.signature(1, &format!("pub fn {}(", setter.name), &args, " -> Self {");
            lines.line(
                2,
                &format!("self.{} = Some({});", setter.name, setter.value_text),
            );
            lines.line(2, "self");
            lines.line(1, "}");
        }
        self.request_text(&mut lines)?;
        self.send_text(&mut lines)?;
        lines.line(0, "}");
        lines.finish()
    }

    /// The builder's setters, `request` and its terminal methods.
    fn builder_impl(&self, members: &Members) -> TokenStream {
        let builder = &self.builder;
        let gate = &self.gate;
        let setters = members.setters().map(|setter| {
            let Setter {
                docs,
                name,
                ty,
                value,
                ..
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
        quote! {
            #gate
            impl<'a> #builder<'a> {
                #( #setters )*
                #request_fn
                #terminals
            }
        }
    }

    fn builder_doc(&self) -> (String, String) {
        let op = self.op;
        (
            format!(
                " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
                op.name, op.type_name
            ),
            format!(" Made by [`Client::{}`].", op.name),
        )
    }

    /// The client method, the builder struct and its `RequestExt` impl as text; `None` when
    /// a line has no known layout.
    fn builder_head_text(&self, members: &Members) -> Option<String> {
        let builder = self.builder.to_string();
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.unbreakable(0, "impl Client {");
        lines.docs(1, &self.method_doc_lines);
        if self.deprecated.is_some() {
            lines.line(1, "#[deprecated]");
        }
        let mut args = vec![Labelled::new("", Shape::opaque("&self"))];
        args.extend(members.members.iter().filter_map(|m| {
            m.text
                .argument
                .as_ref()
                .map(|a| Labelled::new(a.label.clone(), a.shape.clone()))
        }));
        lines.signature(
            1,
            &format!("pub fn {}(", self.method),
            &args,
            &format!(" -> {builder}<'_> {{"),
        );
        let mut inits = vec![Labelled::new("client: ", Shape::word("self"))];
        inits.extend(
            members
                .members
                .iter()
                .map(|m| Labelled::new(m.text.init.label.clone(), m.text.init.shape.clone())),
        );
        inits.push(Labelled::new(
            "options: ",
            Shape::opaque("Default::default()"),
        ));
        lines.struct_expression(2, &builder, &inits);
        lines.line(1, "}");
        lines.line(0, "}");
        let (doc, link) = self.builder_doc();
        lines.gate(&self.cfg);
        lines.docs(0, &[doc, String::new(), link]);
        lines.line(0, "#[derive(Debug, Clone)]");
        lines.line(
            0,
            "#[must_use = \"a request does nothing until `send` is awaited\"]",
        );
        lines.unbreakable(0, &format!("pub struct {builder}<'a> {{"));
        lines.line(1, "client: &'a Client,");
        for m in &members.members {
            lines.shape(1, &m.text.field.label, &m.text.field.shape, ",");
        }
        lines.line(1, "options: crate::runtime::RequestOptions,");
        lines.line(0, "}");
        lines.gate(&self.cfg);
        lines.impl_header(
            &Shape::word("crate::runtime::RequestExt"),
            &format!("{builder}<'_>"),
        );
        lines.line(
            1,
            "fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {",
        );
        lines.line(2, "&mut self.options");
        lines.line(1, "}");
        lines.line(0, "}");
        lines.finish()
    }

    /// The client method, the builder struct and its `RequestExt` impl as tokens.
    fn builder_head_tokens(&self, members: &Members) -> TokenStream {
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
        let (builder_doc, method_link) = self.builder_doc();
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
        }
    }
}
