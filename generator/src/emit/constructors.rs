//! Construction from what is required: `new(...)` taking the required values (each as
//! `impl Into<T>`), filling in implied ones and leaving the optional ones `None`; a chainable
//! setter per optional field, named after it, taking the value itself; and `Default` where
//! `new` takes nothing, as a call to `new` (cheaper to compile than a derived `Default`,
//! which calls `Default::default()` once per field). Shared by the models' structs and the
//! operations' multipart forms, which are `#[non_exhaustive]`: this is how code outside the
//! crate builds them, so a field added by a later spec breaks no caller.

use proc_macro2::Ident;
use quote::format_ident;

use crate::emit::features::Gate;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::emit::Code;
use crate::naming::reserved::{self, MODEL_METHODS};

/// One field of a struct, as its constructors see it.
pub struct Member {
    pub name: Ident,
    pub role: Role,
}

pub enum Role {
    /// An argument of `new`, of this type.
    Required(Shape),
    /// Filled by `new` with this expression.
    Implied(Shape),
    /// `None` from `new`, set by a setter taking this type.
    Optional(Shape),
    /// `Default::default()` from `new`, no setter (the map of unknown properties).
    Defaulted,
}

/// What the constructors of a struct are made of.
struct Constructors<'a> {
    name: &'a Ident,
    members: &'a [Member],
    setters: Vec<Setter<'a>>,
    /// How many arguments `new` takes.
    required: usize,
    new_doc: String,
}

/// The setter of an optional field.
struct Setter<'a> {
    method: Ident,
    field: &'a Ident,
    ty: &'a Shape,
    doc: String,
}

impl<'a> Constructors<'a> {
    fn of(name: &'a Ident, members: &'a [Member]) -> Self {
        let mut methods = reserved::scope(MODEL_METHODS);
        let setters = members
            .iter()
            .filter_map(|m| match &m.role {
                Role::Optional(ty) => Some(Setter {
                    method: format_ident!("{}", methods.claim(&m.name.to_string())),
                    field: &m.name,
                    ty,
                    doc: format!(" Sets [`{name}::{}`].", m.name),
                }),
                _ => None,
            })
            .collect();
        let required = members
            .iter()
            .filter(|m| matches!(m.role, Role::Required(_)))
            .count();
        let new_doc = if required == 0 {
            format!(" A `{name}` with every optional field `None`; set them with the methods named after them.")
        } else {
            format!(" A `{name}` from its required fields; set optional ones with the methods named after them.")
        };
        Constructors {
            name,
            members,
            setters,
            required,
            new_doc,
        }
    }

    /// `Default` is a call to `new` when `new` takes nothing.
    fn takes_nothing(&self) -> bool {
        self.required == 0
    }

    /// One argument per required field, as the schema has them: a long list is the
    /// schema's.
    fn allows_many_arguments(&self) -> bool {
        self.required > 7
    }

    /// `impl Name { new, setters }`.
    fn inherent(&self, gate: &Gate) -> Lines {
        let mut lines = Lines::default();
        lines.gate(gate);
        lines.unbreakable(0, &format!("impl {} {{", self.name));
        lines.docs(1, std::slice::from_ref(&self.new_doc));
        if self.allows_many_arguments() {
            lines.line(1, "#[allow(clippy::too_many_arguments)]");
        }
        let mut args = Vec::with_capacity(self.required);
        let mut inits = Vec::with_capacity(self.members.len());
        for m in self.members {
            let field = &m.name;
            let label = format!("{field}: ");
            inits.push(match &m.role {
                Role::Required(ty) => {
                    let into = Shape::generic("impl Into", vec![ty.clone()]);
                    args.push(Labelled::new(label.clone(), into));
                    Labelled::new(
                        label,
                        Shape::method(field.to_string(), Shape::word(".into()")),
                    )
                }
                Role::Implied(value) => Labelled::new(label, value.clone()),
                Role::Optional(_) => Labelled::new(label, Shape::word("None")),
                Role::Defaulted => Labelled::new(label, Shape::opaque("Default::default()")),
            });
        }
        lines.signature(1, "pub fn new(", &args, " -> Self {");
        lines.struct_expression(2, "Self", &inits);
        lines.line(1, "}");
        for s in &self.setters {
            lines.docs(1, std::slice::from_ref(&s.doc));
            let value = Shape::generic("impl Into", vec![s.ty.clone()]);
            lines.signature(
                1,
                &format!("pub fn {}(", s.method),
                &[
                    Labelled::new("", Shape::opaque("mut self")),
                    Labelled::new("value: ", value),
                ],
                " -> Self {",
            );
            lines.line(2, &format!("self.{} = Some(value.into());", s.field));
            lines.line(2, "self");
            lines.line(1, "}");
        }
        lines.line(0, "}");
        lines
    }

    /// `impl Default` as a call to `new`.
    fn default(&self, gate: &Gate) -> Lines {
        let mut lines = Lines::default();
        lines.gate(gate);
        lines.impl_header(&Shape::word("Default"), &self.name.to_string());
        lines.line(1, "fn default() -> Self {");
        lines.line(2, "Self::new()");
        lines.line(1, "}");
        lines.line(0, "}");
        lines
    }
}

/// `impl Name { new, setters }`, and `impl Default` when `new` takes nothing.
pub fn constructors(name: &Ident, members: &[Member], gate: &Gate) -> Code {
    let constructors = Constructors::of(name, members);
    let mut code = Code::default();
    code.item(constructors.inherent(gate));
    if constructors.takes_nothing() {
        code.item(constructors.default(gate));
    }
    code
}
