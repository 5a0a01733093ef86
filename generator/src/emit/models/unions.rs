//! Unions (`oneOf`/`anyOf`): discriminated ones decode by their tag and keep an unknown tag's
//! object as JSON; untagged ones try first the variant whose struct knows every property.
//! A variant that fails to decode names the place inside it that failed. Each union also
//! gets conversions from its variants' types (`From<&str>` for a string branch, so
//! `content: "Hello".into()`) and, for a variant whose struct needs one value, a shorthand
//! constructor named after it (`Message::user("Hello")`).

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::codec;
use super::structs::new_arguments;
use crate::emit::constructors::Snippet;
use crate::emit::features::Gate;
use crate::emit::layout::{Labelled, Layout, Lines, Shape};
use crate::emit::types::{type_shape, type_tokens};
use crate::emit::Code;
use crate::ir::{Type, TypeKind, TypeSpace, Union, UnionVariant, Usage};
use crate::naming::reserved::{self, MODEL_METHODS};
use crate::naming::snake_name;

/// A union being emitted: its name, IR and the types of its variants.
struct UnionItems<'a> {
    name: &'a Ident,
    union: &'a Union,
    types: &'a TypeSpace,
    usage: Usage,
    /// The `cfg` every item of the union carries.
    gate: &'a Gate,
    idents: Vec<Ident>,
    tys: Vec<TokenStream>,
}

pub(super) fn union_def(
    name: &Ident,
    (docs, doc_lines): (TokenStream, &[String]),
    u: &Union,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
    layout: Layout,
) -> Code {
    let none = TokenStream::new();
    let items = UnionItems {
        name,
        union: u,
        types,
        usage,
        gate,
        idents: u
            .variants
            .iter()
            .map(|v| format_ident!("{}", v.name))
            .collect(),
        tys: u
            .variants
            .iter()
            .map(|v| type_tokens(&v.ty, types, &none))
            .collect(),
    };
    // Variants hold whole structs by value: boxing them to even out the enum's size would
    // make every match and construction clumsier for a type decoded once per response.
    let definition = match &u.discriminator {
        Some(property) => items.tagged(docs, doc_lines, property, layout),
        None => items.untagged(docs, doc_lines, layout),
    };
    let mut code = definition;
    code.append(items.conversions(layout));
    code.append(items.shorthands(layout));
    code
}

impl UnionItems<'_> {
    fn tagged(
        &self,
        docs: TokenStream,
        doc_lines: &[String],
        property: &str,
        layout: Layout,
    ) -> Code {
        let UnionItems {
            name, idents, tys, ..
        } = self;
        let gate = &self.gate.tokens;
        let tags: Vec<&str> = self
            .union
            .variants
            .iter()
            .map(|v| v.tag.as_deref().unwrap_or(&v.name))
            .collect();
        let tag_docs: Vec<String> = tags
            .iter()
            .map(|t| format!(" `{property}: {t:?}`"))
            .collect();
        let unknown_doc =
            format!(" An object whose `{property}` this client does not know, kept as sent.");
        let text = (layout == Layout::Text)
            .then(|| {
                let mut lines = self.enum_head(doc_lines, &["#[derive(Debug, Clone, PartialEq)]"]);
                for ((doc, ident), v) in tag_docs.iter().zip(idents).zip(&self.union.variants) {
                    lines.docs(1, std::slice::from_ref(doc));
                    let ty = type_shape(&v.ty, self.types, "");
                    lines.shape(1, "", &Shape::call(ident.to_string(), vec![ty]), ",");
                }
                lines.docs(1, std::slice::from_ref(&unknown_doc));
                lines.line(1, "Unknown(serde_json::Value),");
                lines.line(0, "}");
                lines.finish()
            })
            .flatten();
        let mut code = match text {
            Some(text) => {
                let mut code = Code::default();
                code.text(text);
                code
            }
            None => Code::from(quote! {
            #gate
            #docs
            #[allow(clippy::large_enum_variant)]
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            pub enum #name {
                #( #[doc = #tag_docs] #idents(#tys), )*
                #[doc = #unknown_doc]
                Unknown(serde_json::Value),
            }
            }),
        };
        let variants: Vec<(&str, &Ident)> = tags.iter().copied().zip(idents).collect();
        code.text(codec::tagged_union(
            name,
            property,
            &variants,
            self.usage,
            &self.gate.text,
        ));
        code
    }

    /// An untagged union: decoding tries first the variants that take the value's kind of
    /// JSON, and among structs the ones whose declared properties cover the object's (so a
    /// looser struct never takes the fields of a stricter one into its map of unknown
    /// properties); a value none decodes gets the error of the best fit, with its place.
    fn untagged(&self, docs: TokenStream, doc_lines: &[String], layout: Layout) -> Code {
        let UnionItems {
            name, idents, tys, ..
        } = self;
        let gate = &self.gate.tokens;
        let derives = super::derives(super::Serde {
            serialize: true,
            deserialize: false,
            usage: self.usage,
        });
        // The attribute of the `Serialize` derive, under the same gate.
        let untagged = if self.usage.serialize {
            quote! { #[serde(untagged)] }
        } else {
            quote! { #[cfg_attr(feature = "roundtrip", serde(untagged))] }
        };
        let text = (layout == Layout::Text)
            .then(|| {
                let attrs: &[&str] = if self.usage.serialize {
                    &[
                        "#[derive(Debug, Clone, PartialEq, serde::Serialize)]",
                        "#[serde(untagged)]",
                    ]
                } else {
                    &[
                        "#[derive(Debug, Clone, PartialEq)]",
                        "#[cfg_attr(feature = \"roundtrip\", derive(serde::Serialize))]",
                        "#[cfg_attr(feature = \"roundtrip\", serde(untagged))]",
                    ]
                };
                let mut lines = self.enum_head(doc_lines, attrs);
                for (ident, v) in idents.iter().zip(&self.union.variants) {
                    let ty = type_shape(&v.ty, self.types, "");
                    lines.shape(1, "", &Shape::call(ident.to_string(), vec![ty]), ",");
                }
                lines.line(0, "}");
                lines.finish()
            })
            .flatten();
        let mut code = match text {
            Some(text) => {
                let mut code = Code::default();
                code.text(text);
                code
            }
            None => Code::from(quote! {
                #gate
                #docs
                #[allow(clippy::large_enum_variant)]
                #derives
                #untagged
                #[non_exhaustive]
                pub enum #name {
                    #( #idents(#tys), )*
                }
            }),
        };
        let variants: Vec<(&Ident, String)> = idents
            .iter()
            .zip(&self.union.variants)
            .map(|(ident, v)| (ident, variant_kind(&v.ty, self.types)))
            .collect();
        code.text(codec::untagged_union(
            name,
            &variants,
            self.usage,
            &self.gate.text,
        ));
        code
    }

    /// The lines that open the union's enum, up to `pub enum Name {`: its `cfg`, docs and
    /// attributes.
    fn enum_head(&self, doc_lines: &[String], attrs: &[&str]) -> Lines {
        let mut lines = Lines::default();
        lines.gate(self.gate);
        lines.docs(0, doc_lines);
        lines.line(0, "#[allow(clippy::large_enum_variant)]");
        for attr in attrs {
            lines.line(0, attr);
        }
        lines.line(0, "#[non_exhaustive]");
        if self.union.variants.is_empty() {
            lines.give_up();
        }
        lines.unbreakable(0, &format!("pub enum {} {{", self.name));
        lines
    }

    /// `From` each variant's type whose Rust type no other variant has, aliases followed
    /// (boxing where the variant holds a box), and `From<&str>` when a variant is a `String`.
    fn conversions(&self, layout: Layout) -> Code {
        let none = TokenStream::new();
        let variants = &self.union.variants;
        let mut code = Code::default();
        let rust_type = |ty| self.types.unaliased(ty);
        for (variant, ident) in variants.iter().zip(&self.idents) {
            let unique = variants
                .iter()
                .filter(|v| rust_type(&v.ty) == rust_type(&variant.ty))
                .count()
                == 1;
            if !unique || variant.ty == Type::Json || self.is_self(&variant.ty) {
                continue;
            }
            let (from, boxed) = match &variant.ty {
                Type::Boxed(inner) => (inner.as_ref(), true),
                other => (other, false),
            };
            let conversion = Conversion {
                from: Snippet {
                    tokens: type_tokens(from, self.types, &none),
                    text: Some(type_shape(from, self.types, "")),
                },
                variant: ident,
                wrap: if boxed {
                    Snippet {
                        tokens: quote! { Box::new(value) },
                        text: Some(Shape::call("Box::new", vec![Shape::word("value")])),
                    }
                } else {
                    Snippet {
                        tokens: quote! { value },
                        text: Some(Shape::word("value")),
                    }
                },
            };
            code.append(self.conversion(&conversion, layout));
            if variant.ty == Type::String {
                let from_str = Conversion {
                    from: Snippet {
                        tokens: quote! { &str },
                        text: Some(Shape::word("&str")),
                    },
                    variant: ident,
                    wrap: Snippet {
                        tokens: quote! { value.to_owned() },
                        text: Some(Shape::opaque("value.to_owned()")),
                    },
                };
                code.append(self.conversion(&from_str, layout));
            }
        }
        code
    }

    /// `impl From<from> for Union`, as text when `layout` allows and the lines keep clear
    /// of the margin.
    fn conversion(&self, c: &Conversion, layout: Layout) -> Code {
        let name = self.name;
        let mut code = Code::default();
        if layout == Layout::Text {
            if let (Some(from), Some(wrap)) = (&c.from.text, &c.wrap.text) {
                let mut lines = Lines::default();
                lines.gate(self.gate);
                lines.impl_header(
                    &Shape::generic("From", vec![from.clone()]),
                    &name.to_string(),
                );
                let value = Labelled::new("value: ", from.clone());
                lines.signature(1, "fn from(", &[value], " -> Self {");
                let body = Shape::call(format!("{name}::{}", c.variant), vec![wrap.clone()]);
                lines.shape(2, "", &body, "");
                lines.line(1, "}");
                lines.line(0, "}");
                if let Some(text) = lines.finish() {
                    code.text(text);
                    return code;
                }
            }
        }
        let gate = &self.gate.tokens;
        let (from, variant, wrap) = (&c.from.tokens, c.variant, &c.wrap.tokens);
        code.tokens(quote! {
            #gate
            impl From<#from> for #name {
                fn from(value: #from) -> Self {
                    #name::#variant(#wrap)
                }
            }
        });
        code
    }

    /// Whether a variant's type is the union itself (through aliases), whose `From` the
    /// standard library already has.
    fn is_self(&self, ty: &Type) -> bool {
        let target = self.name.to_string();
        let mut ty = ty.clone();
        for _ in 0..16 {
            match ty {
                Type::Boxed(inner) | Type::Option(inner) => ty = *inner,
                Type::Named(id) => {
                    let def = self.types.get(id);
                    if def.name == target {
                        return true;
                    }
                    match &def.kind {
                        TypeKind::Alias(inner) => ty = inner.clone(),
                        _ => return false,
                    }
                }
                _ => return false,
            }
        }
        false
    }

    /// For each variant whose struct's `new` takes one value: a constructor named after the
    /// variant that takes that value (`Message::user("Hello")`).
    fn shorthands(&self, layout: Layout) -> Code {
        let name = self.name;
        let mut methods = reserved::scope(MODEL_METHODS);
        let shorthands: Vec<Shorthand> = self
            .union
            .variants
            .iter()
            .zip(&self.idents)
            .filter_map(|(variant, ident)| {
                let (id, boxed) = struct_of(variant)?;
                let TypeKind::Struct(s) = &self.types.get(id).kind else {
                    return None;
                };
                let arguments = new_arguments(s);
                let [only] = arguments.as_slice() else {
                    return None;
                };
                Some(Shorthand {
                    method: methods.claim(&snake_name(&variant.name)),
                    variant: ident,
                    argument: only.ty.clone(),
                    strukt: &self.types.get(id).name,
                    boxed,
                    doc: format!(" `{name}::{ident}` from its one required value."),
                })
            })
            .collect();
        let mut code = Code::default();
        if shorthands.is_empty() {
            return code;
        }
        if layout == Layout::Text {
            let mut lines = Lines::default();
            lines.gate(self.gate);
            lines.unbreakable(0, &format!("impl {name} {{"));
            for s in &shorthands {
                lines.docs(1, std::slice::from_ref(&s.doc));
                let argument = type_shape(&s.argument, self.types, "");
                let value = Labelled::new("value: ", Shape::generic("impl Into", vec![argument]));
                lines.signature(1, &format!("pub fn {}(", s.method), &[value], " -> Self {");
                let mut value =
                    Shape::call(format!("{}::new", s.strukt), vec![Shape::word("value")]);
                if s.boxed {
                    value = Shape::call("Box::new", vec![value]);
                }
                let body = Shape::call(format!("{name}::{}", s.variant), vec![value]);
                lines.shape(2, "", &body, "");
                lines.line(1, "}");
            }
            lines.line(0, "}");
            if let Some(text) = lines.finish() {
                code.text(text);
                return code;
            }
        }
        let none = TokenStream::new();
        let methods = shorthands.iter().map(|s| {
            let method = format_ident!("{}", s.method);
            let argument = type_tokens(&s.argument, self.types, &none);
            let variant = s.variant;
            let strukt = format_ident!("{}", s.strukt);
            let value = if s.boxed {
                quote! { Box::new(#strukt::new(value)) }
            } else {
                quote! { #strukt::new(value) }
            };
            let doc = &s.doc;
            quote! {
                #[doc = #doc]
                pub fn #method(value: impl Into<#argument>) -> Self {
                    #name::#variant(#value)
                }
            }
        });
        let gate = &self.gate.tokens;
        code.tokens(quote! {
            #gate
            impl #name {
                #( #methods )*
            }
        });
        code
    }
}

/// A constructor of a union from the one value its variant's struct needs.
struct Shorthand<'a> {
    method: String,
    variant: &'a Ident,
    /// The type of that value.
    argument: Type,
    /// The variant's struct, built by its `new` from the value, and boxed when the variant
    /// holds a box.
    strukt: &'a str,
    boxed: bool,
    doc: String,
}

/// A `From` conversion into a union: from a type, into a variant, the value wrapped (boxed,
/// owned) as the variant holds it.
struct Conversion<'a> {
    from: Snippet,
    variant: &'a Ident,
    wrap: Snippet,
}

/// The struct a variant holds, and whether it is boxed.
fn struct_of(variant: &UnionVariant) -> Option<(crate::ir::TypeId, bool)> {
    match &variant.ty {
        Type::Named(id) => Some((*id, false)),
        Type::Boxed(inner) => match inner.as_ref() {
            Type::Named(id) => Some((*id, true)),
            _ => None,
        },
        _ => None,
    }
}

/// The kind of JSON a variant takes (`Struct` with its declared properties, for ranking
/// structs against an object), as the runtime's `VariantKind` in a
/// `deserialize_untagged_union!` entry.
fn variant_kind(ty: &Type, types: &TypeSpace) -> String {
    let mut ty = ty;
    for _ in 0..16 {
        let kind = match ty {
            Type::Boxed(inner) | Type::Option(inner) => {
                ty = inner;
                continue;
            }
            Type::Named(id) => match &types.get(*id).kind {
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => {
                    ty = inner;
                    continue;
                }
                TypeKind::Struct(s) if s.fields.iter().all(|f| !f.flatten) => {
                    let keys: Vec<String> = s
                        .fields
                        .iter()
                        .map(|f| crate::emit::code::string_literal(&f.json_name))
                        .collect();
                    return format!("Struct[{}]", keys.join(", "));
                }
                TypeKind::Struct(_) => "Object",
                TypeKind::Enum(_) => "String",
                TypeKind::Union(_) => "Any",
            },
            Type::String | Type::Uuid | Type::DateTime | Type::Date => "String",
            Type::Integer(_) | Type::Number => "Number",
            Type::Bool => "Boolean",
            Type::Array(_) => "Array",
            Type::Map(_) => "Object",
            Type::Bytes | Type::Json => "Any",
        };
        return kind.to_owned();
    }
    "Any".to_owned()
}
