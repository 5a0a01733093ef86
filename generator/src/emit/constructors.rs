//! Construction from what is required: `new(...)` taking the required values (each as
//! `impl Into<T>`), filling in implied ones and leaving the optional ones `None`; a chainable
//! setter per optional field, named after it, taking the value itself; and `Default` where
//! `new` takes nothing, as a call to `new` (cheaper to compile than a derived `Default`,
//! which calls `Default::default()` once per field). Shared by the models' structs and the
//! operations' multipart forms, which are `#[non_exhaustive]`: this is how code outside the
//! crate builds them, so a field added by a later spec breaks no caller.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::emit::features::Gate;
use crate::emit::layout::{Labelled, Layout, Lines, Shape};
use crate::emit::Code;
use crate::naming::reserved::{self, MODEL_METHODS};

/// One field of a struct, as its constructors see it.
pub struct Member {
    pub name: Ident,
    pub role: Role,
}

pub enum Role {
    /// An argument of `new`, of this type.
    Required(Snippet),
    /// Filled by `new` with this expression.
    Implied(Snippet),
    /// `None` from `new`, set by a setter taking this type.
    Optional(Snippet),
    /// `Default::default()` from `new`, no setter (the map of unknown properties).
    Defaulted,
}

/// A type or an expression both ways: as tokens, and as the shape `prettyplease` prints
/// for them when the emitter knows it (without it, the constructors go through
/// `prettyplease`).
pub struct Snippet {
    pub tokens: TokenStream,
    pub text: Option<Shape>,
}

impl From<TokenStream> for Snippet {
    fn from(tokens: TokenStream) -> Self {
        Snippet { tokens, text: None }
    }
}

/// What the constructors of a struct are made of, decided once for both layouts.
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
    ty: &'a Snippet,
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

    fn tokens(&self, gate: &TokenStream) -> TokenStream {
        let name = self.name;
        let args = self.members.iter().filter_map(|m| match &m.role {
            Role::Required(ty) => {
                let field = &m.name;
                let ty = &ty.tokens;
                Some(quote! { #field: impl Into<#ty> })
            }
            _ => None,
        });
        let inits = self.members.iter().map(|m| {
            let field = &m.name;
            match &m.role {
                Role::Required(_) => quote! { #field: #field.into() },
                Role::Implied(value) => {
                    let value = &value.tokens;
                    quote! { #field: #value }
                }
                Role::Optional(_) => quote! { #field: None },
                Role::Defaulted => quote! { #field: Default::default() },
            }
        });
        let setters = self.setters.iter().map(|s| {
            let (method, field, ty, doc) = (&s.method, s.field, &s.ty.tokens, &s.doc);
            quote! {
                #[doc = #doc]
                pub fn #method(mut self, value: impl Into<#ty>) -> Self {
                    self.#field = Some(value.into());
                    self
                }
            }
        });
        let allow_many = self
            .allows_many_arguments()
            .then(|| quote! { #[allow(clippy::too_many_arguments)] });
        let default = self.takes_nothing().then(|| {
            quote! {
                #gate
                impl Default for #name {
                    fn default() -> Self {
                        Self::new()
                    }
                }
            }
        });
        let new_doc = &self.new_doc;
        quote! {
            #gate
            impl #name {
                #[doc = #new_doc]
                #allow_many
                pub fn new(#( #args ),*) -> Self {
                    Self { #( #inits, )* }
                }
                #( #setters )*
            }
            #default
        }
    }

    /// The same items as [`Constructors::tokens`], as text; `None` when a type or value
    /// has no text or a line comes near the margin.
    fn text(&self, gate: &Gate) -> Option<String> {
        let name = self.name.to_string();
        let mut lines = Lines::default();
        lines.gate(gate);
        lines.unbreakable(0, &format!("impl {name} {{"));
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
                    let into = Shape::generic("impl Into", vec![ty.text.clone()?]);
                    args.push(Labelled::new(label.clone(), into));
                    Labelled::new(
                        label,
                        Shape::method(field.to_string(), Shape::word(".into()")),
                    )
                }
                Role::Implied(value) => Labelled::new(label, value.text.clone()?),
                Role::Optional(_) => Labelled::new(label, Shape::word("None")),
                Role::Defaulted => Labelled::new(label, Shape::opaque("Default::default()")),
            });
        }
        lines.signature(1, "pub fn new(", &args, " -> Self {");
        lines.struct_expression(2, "Self", &inits);
        lines.line(1, "}");
        for s in &self.setters {
            lines.docs(1, std::slice::from_ref(&s.doc));
            let value = Shape::generic("impl Into", vec![s.ty.text.clone()?]);
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
        if self.takes_nothing() {
            lines.gate(gate);
            lines.impl_header(&Shape::word("Default"), &name);
            lines.line(1, "fn default() -> Self {");
            lines.line(2, "Self::new()");
            lines.line(1, "}");
            lines.line(0, "}");
        }
        lines.finish()
    }
}

/// `impl Name { new, setters }`, and `impl Default` when `new` takes nothing, as tokens.
pub fn constructors(name: &Ident, members: &[Member], gate: &TokenStream) -> TokenStream {
    Constructors::of(name, members).tokens(gate)
}

/// [`constructors`] laid out as text when `layout` allows and the text is known, else as
/// tokens.
pub fn constructors_code(name: &Ident, members: &[Member], gate: &Gate, layout: Layout) -> Code {
    let constructors = Constructors::of(name, members);
    if layout == Layout::Text {
        if let Some(text) = constructors.text(gate) {
            let mut code = Code::default();
            code.text(text);
            return code;
        }
    }
    Code::from(constructors.tokens(&gate.tokens))
}
