//! The request builder: the client method that starts it (required parameters and a
//! required body are its arguments), the builder struct with a field per member, and a
//! setter per optional member.

use super::OperationItems;
use crate::emit::docs::doc_lines;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::emit::types::type_shape;
use crate::emit::Code;
use crate::ir::{Parameter, Type};

/// One member of a request builder: a parameter or the body.
pub(super) struct Member {
    /// Its field in the builder struct, `name: Type` (`Option<Type>` when optional).
    pub field: Labelled,
    /// The field's value when the client method creates the builder.
    pub init: Labelled,
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
    pub name: String,
    pub ty: Shape,
}

impl Argument {
    /// `name: ty`, as a signature lists it.
    pub fn labelled(&self) -> Labelled {
        Labelled::new(format!("{}: ", self.name), self.ty.clone())
    }
}

/// A setter of the builder: `fn name(mut self, value: ty) -> Self`, storing `Some(value)`.
pub(super) struct Setter {
    pub doc_lines: Vec<String>,
    pub name: String,
    /// The type the setter takes.
    pub ty: Shape,
    /// The stored value, made from `value`.
    pub value: &'static str,
}

/// A builder's members, and the types the body needs defined beside it.
pub(super) struct Members {
    pub members: Vec<Member>,
    /// The multipart form struct and the enum of body alternatives, when the body has them.
    pub definitions: Code,
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

/// The members in order: required parameters, optional parameters, then the body.
pub(super) fn members(items: &OperationItems<'_>) -> Members {
    let op = items.op;
    let required = op.parameters.iter().filter(|p| p.required);
    let optional = op.parameters.iter().filter(|p| !p.required);
    let mut members: Vec<Member> = required
        .chain(optional)
        .map(|p| parameter_member(items, p))
        .collect();
    let mut definitions = Code::default();
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
    let name = &p.rust_name;
    let field = type_shape(&p.ty, &items.api.types, "crate::models::");
    // A string parameter takes `impl Into<String>`.
    let into = p.ty == Type::String;
    let input = if into {
        Shape::generic("impl Into", vec![Shape::word("String")])
    } else {
        field.clone()
    };
    let label = format!("{name}: ");
    if p.required {
        let init = if into {
            Labelled::new(label.clone(), Shape::opaque(format!("{name}.into()")))
        } else {
            Labelled::new("", Shape::word(name.clone()))
        };
        return Member {
            field: Labelled::new(label.clone(), field),
            init,
            input: Input::Argument(Argument {
                name: name.clone(),
                ty: input,
            }),
        };
    }
    let default_doc = format!("Sets the `{}` {} parameter.", p.name, p.location.as_str());
    let doc_text = p.description.as_deref().or(Some(&default_doc));
    Member {
        field: Labelled::new(label.clone(), Shape::generic("Option", vec![field])),
        init: Labelled::new(label, Shape::word("None")),
        input: Input::Setter(Setter {
            doc_lines: doc_lines(doc_text),
            name: name.clone(),
            ty: input,
            value: if into { "value.into()" } else { "value" },
        }),
    }
}

impl OperationItems<'_> {
    /// The client method, the builder struct, its `RequestExt` impl, and its methods.
    pub(super) fn builder_items(&self, members: &Members) -> Code {
        let mut code = Code::default();
        code.item(self.client_method(members));
        code.item(self.builder_struct(members));
        code.item(self.builder_options());
        code.item(self.builder_impl(members));
        code
    }

    /// The builder's setters, `request` and the methods that send it.
    fn builder_impl(&self, members: &Members) -> Lines {
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.unbreakable(0, &format!("impl<'a> {}<'a> {{", self.builder));
        for setter in members.setters() {
            lines.docs(1, &setter.doc_lines);
            let args = [
                Labelled::new("", Shape::opaque("mut self")),
                Labelled::new("value: ", setter.ty.clone()),
            ];
            lines.signature(1, &format!("pub fn {}(", setter.name), &args, " -> Self {");
            lines.line(
                2,
                &format!("self.{} = Some({});", setter.name, setter.value),
            );
            lines.line(2, "self");
            lines.line(1, "}");
        }
        self.request_fn(&mut lines);
        self.terminals(&mut lines);
        lines.line(0, "}");
        lines
    }

    /// The client method that starts the request.
    fn client_method(&self, members: &Members) -> Lines {
        let builder = self.builder.to_string();
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.unbreakable(0, "impl Client {");
        lines.docs(1, &self.method_doc_lines);
        if self.op.deprecated {
            lines.line(1, "#[deprecated]");
        }
        let mut args = vec![Labelled::new("", Shape::opaque("&self"))];
        args.extend(members.arguments().map(Argument::labelled));
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
                .map(|m| Labelled::new(m.init.label.clone(), m.init.shape.clone())),
        );
        inits.push(Labelled::new(
            "options: ",
            Shape::opaque("Default::default()"),
        ));
        lines.struct_expression(2, &builder, &inits);
        lines.line(1, "}");
        lines.line(0, "}");
        lines
    }

    /// The builder struct: the client, a field per member, the request's options.
    fn builder_struct(&self, members: &Members) -> Lines {
        let op = self.op;
        let builder = &self.builder;
        let mut lines = Lines::default();
        lines.docs(
            0,
            &[
                format!(
                    " A `{}` request: set optional parameters, then [`send`]({}::send) it.",
                    op.name, op.type_name
                ),
                String::new(),
                format!(" Made by [`Client::{}`].", op.name),
            ],
        );
        lines.gate(&self.cfg);
        lines.line(0, "#[derive(Debug, Clone)]");
        lines.line(
            0,
            "#[must_use = \"a request does nothing until `send` is awaited\"]",
        );
        lines.unbreakable(0, &format!("pub struct {builder}<'a> {{"));
        lines.line(1, "client: &'a Client,");
        for m in &members.members {
            lines.shape(1, &m.field.label, &m.field.shape, ",");
        }
        lines.line(1, "options: crate::runtime::RequestOptions,");
        lines.line(0, "}");
        lines
    }

    /// `RequestExt` of the builder: the options every request takes (timeout, retries,
    /// headers).
    fn builder_options(&self) -> Lines {
        let mut lines = Lines::default();
        lines.gate(&self.cfg);
        lines.impl_header(
            &Shape::word("crate::runtime::RequestExt"),
            &format!("{}<'_>", self.builder),
        );
        lines.line(
            1,
            "fn request_options(&mut self) -> &mut crate::runtime::RequestOptions {",
        );
        lines.line(2, "&mut self.options");
        lines.line(1, "}");
        lines.line(0, "}");
        lines
    }
}
