//! The request body as a builder member, and the types it needs: the struct of a
//! `multipart/form-data` body (a field per part) and, for a body offered as JSON or
//! multipart, the enum of the two.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::builder::{Argument, Input, Member, Setter};
use super::OperationItems;
use crate::emit::constructors;
use crate::emit::docs::doc_lines;
use crate::emit::layout::{Labelled, Lines, Shape};
use crate::emit::types::{model_type, type_shape};
use crate::emit::Code;
use crate::ir::{FormField, RequestBody};

/// The body's member of the builder, and the types defined for it.
pub(super) struct BodyMember {
    pub member: Member,
    pub definitions: Code,
}

impl OperationItems<'_> {
    pub(super) fn body_member(&self) -> Option<BodyMember> {
        let op = self.op;
        let body = op.body.as_ref()?;
        let form = format_ident!("{}Form", op.type_name);
        let mut definitions = Code::default();
        // The body's type as the builder stores it, the type its argument or setter takes,
        // and how a given `value` becomes the stored one.
        let (stored, input, value) = match (&body.form, &body.alternative) {
            (Some(fields), _) => {
                definitions.append(self.form_def(&form, fields));
                let form = Shape::word(form.to_string());
                (form.clone(), form, "value")
            }
            (None, Some(alternative)) => {
                if let Some(fields) = &alternative.form {
                    definitions.append(self.form_def(&form, fields));
                }
                let name = format_ident!("{}Body", op.type_name);
                definitions.tokens(self.body_enum(&name, &form, body, alternative));
                let stored = Shape::word(name.to_string());
                let input = Shape::generic("impl Into", vec![stored.clone()]);
                (stored, input, "value.into()")
            }
            (None, None) => {
                let ty = type_shape(&body.ty, &self.api.types, "crate::models::");
                (ty.clone(), ty, "value")
            }
        };
        let member = if body.required {
            Member {
                field: Labelled::new("body: ", stored),
                init: if body.alternative.is_some() {
                    Labelled::new("body: ", Shape::opaque("body.into()"))
                } else {
                    Labelled::new("", Shape::word("body"))
                },
                input: Input::Argument(Argument {
                    name: "body".to_owned(),
                    ty: input,
                }),
            }
        } else {
            Member {
                field: Labelled::new("body: ", Shape::generic("Option", vec![stored])),
                init: Labelled::new("body: ", Shape::word("None")),
                input: Input::Setter(Setter {
                    doc_lines: doc_lines(
                        body.description
                            .as_deref()
                            .or(Some("Sets the request body.")),
                    ),
                    name: "body".to_owned(),
                    ty: input,
                    value,
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
    fn form_def(&self, name: &Ident, fields: &[FormField]) -> Code {
        let mut lines = Lines::default();
        lines.docs(
            0,
            &[format!(
                " The parts of the [`Client::{}`] request body (`multipart/form-data`).",
                self.op.name
            )],
        );
        lines.gate(&self.cfg);
        lines.line(0, "#[derive(Debug, Clone)]");
        lines.line(0, "#[non_exhaustive]");
        if fields.is_empty() {
            lines.unbreakable(0, &format!("pub struct {name} {{}}"));
        } else {
            lines.unbreakable(0, &format!("pub struct {name} {{"));
        }
        let mut constructed = Vec::with_capacity(fields.len());
        for f in fields {
            let ty = if f.file {
                Shape::word("crate::runtime::FilePart")
            } else {
                type_shape(&f.ty, &self.api.types, "crate::models::")
            };
            lines.docs(1, &doc_lines(f.description.as_deref()));
            let field = if f.required {
                ty.clone()
            } else {
                Shape::generic("Option", vec![ty.clone()])
            };
            lines.shape(1, &format!("pub {}: ", f.name), &field, ",");
            constructed.push(constructors::Member {
                name: format_ident!("{}", f.name),
                role: if f.required {
                    constructors::Role::Required(ty)
                } else {
                    constructors::Role::Optional(ty)
                },
            });
        }
        if !fields.is_empty() {
            lines.line(0, "}");
        }
        let mut code = Code::default();
        code.item(lines);
        code.append(constructors::constructors(name, &constructed, &self.cfg));
        code
    }
}
