//! `models.rs`: a struct, enum or alias per named type, each kind in a module of its own:
//!
//! - `structs`: objects, with a map of the properties the schema does not name,
//!   constructors and setters;
//! - `enums`: string enums, open to values added later (`Other(String)`);
//! - `unions`: `oneOf`/`anyOf`, discriminated or untagged, with conversions and shorthand
//!   constructors.
//!
//! Structs and enums are `#[non_exhaustive]`: a field or variant a later spec adds breaks
//! no code written against this one (construction goes through `new`, `Default` and the
//! setters, matches need a `_` arm).

mod codec;
mod enums;
mod structs;
mod unions;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{attrs_of_lines, doc_lines};
use super::features::Gate;
use super::layout::Layout;
use super::types::type_tokens;
use super::Code;
use crate::ir::{Type, TypeDef, TypeKind, TypeSpace, Usage};

/// The named types in the order the file lists them (by name).
pub fn sorted(types: &TypeSpace) -> Vec<&TypeDef> {
    let mut defs: Vec<&TypeDef> = types.iter().map(|(_, d)| d).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// A run of the file's items; `head` adds what opens the file (its module docs), `tail` what
/// closes it (the `site` module of markers). Without `cargo_features`, every model derives
/// both serde traits (no `roundtrip` gate). `layout` says whether the items that can be laid
/// out as text are.
pub fn emit_part(
    types: &TypeSpace,
    defs: &[&TypeDef],
    head: bool,
    tail: bool,
    cargo_features: bool,
    layout: Layout,
) -> Code {
    let mut code = Code::default();
    if head {
        code.tokens(quote! { //! The API's data types, one per schema.
        });
    }
    for def in defs {
        let usage = if cargo_features {
            def.usage
        } else {
            Usage {
                serialize: true,
                deserialize: true,
            }
        };
        let gate = if cargo_features {
            Gate::of(def.features.as_ref())
        } else {
            Gate::none()
        };
        code.append(type_def(def, types, usage, &gate, cargo_features, layout));
    }
    if tail {
        code.append(enums::site_markers(types, cargo_features, layout));
    }
    code
}

fn type_def(
    def: &TypeDef,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
    cargo_features: bool,
    layout: Layout,
) -> Code {
    if let TypeKind::Struct(s) = &def.kind {
        return structs::struct_def(def, s, types, usage, gate, layout);
    }
    let name = format_ident!("{}", def.name);
    let doc_lines = doc_lines(def.description.as_deref());
    let docs = attrs_of_lines(&doc_lines);
    match &def.kind {
        TypeKind::Struct(_) => unreachable!("structs are emitted above"),
        TypeKind::Enum(e) => enums::enum_def(
            def,
            (docs, &doc_lines),
            e,
            types,
            gate,
            cargo_features,
            layout,
        ),
        TypeKind::Union(u) => {
            unions::union_def(&name, (docs, &doc_lines), u, types, usage, gate, layout)
        }
        TypeKind::Newtype(inner) => {
            let gate = &gate.tokens;
            let ty = type_tokens(inner, types, &TokenStream::new());
            let from_str = (*inner == Type::String).then(|| {
                quote! {
                    #gate
                    impl From<&str> for #name {
                        fn from(value: &str) -> Self {
                            #name(value.to_owned())
                        }
                    }
                }
            });
            let derives = derives(Serde::both(usage));
            Code::from(quote! {
                #gate
                #docs
                #derives
                #[serde(transparent)]
                pub struct #name(pub #ty);

                #gate
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        #name(value)
                    }
                }
                #from_str
            })
        }
        TypeKind::Alias(ty) => {
            let gate = &gate.tokens;
            let ty = type_tokens(ty, types, &TokenStream::new());
            Code::from(quote! {
                #gate
                #docs
                pub type #name = #ty;
            })
        }
    }
}

/// Which serde traits a type derives: those of the directions it is used in, and under the
/// crate's `roundtrip` feature the others too.
#[derive(Clone, Copy)]
struct Serde {
    serialize: bool,
    deserialize: bool,
    usage: Usage,
}

impl Serde {
    /// Both traits by derive.
    fn both(usage: Usage) -> Self {
        Serde {
            serialize: true,
            deserialize: true,
            usage,
        }
    }
}

/// `#[derive(Debug, Clone, PartialEq, <serde>)]`, and a `cfg_attr` deriving the
/// serde traits of the directions the type is not used in under `roundtrip`.
fn derives(serde: Serde) -> TokenStream {
    let mut derived = vec![quote! { Debug }, quote! { Clone }, quote! { PartialEq }];
    let mut roundtrip = Vec::new();
    for (wanted, used, path) in [
        (
            serde.serialize,
            serde.usage.serialize,
            quote! { serde::Serialize },
        ),
        (
            serde.deserialize,
            serde.usage.deserialize,
            quote! { serde::Deserialize },
        ),
    ] {
        match (wanted, used) {
            (true, true) => derived.push(path),
            (true, false) => roundtrip.push(path),
            (false, _) => {}
        }
    }
    let roundtrip = (!roundtrip.is_empty()).then(|| {
        quote! { #[cfg_attr(feature = "roundtrip", derive( #( #roundtrip ),* ))] }
    });
    quote! {
        #[derive( #( #derived ),* )]
        #roundtrip
    }
}

#[cfg(test)]
mod tests {
    use crate::Options;

    /// `models.rs` of a spec whose operation tagged `things` returns `Thing` (and another,
    /// tagged `others`, nothing).
    fn models() -> String {
        let spec = r##"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /things:
    get:
      operationId: getThing
      tags: [things]
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
  /others:
    delete:
      operationId: deleteOthers
      tags: [others]
      responses:
        "204": {description: gone}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        'say "hi"': {type: string}
        kind: {type: string, enum: [big, "a\\b"]}
"##;
        let options = Options::new().command("test").spec_name("spec");
        let generated = crate::generate(spec, &options).expect("generates");
        let models = generated.files.iter().find(|f| f.path == "src/models.rs");
        models.expect("models.rs").contents.clone()
    }

    /// The runtime's macros are invoked one entry per line, JSON names as Rust string
    /// literals, each invocation under its type's `cfg` (and `roundtrip` for the direction
    /// the type does not travel).
    #[test]
    fn macro_invocations_are_laid_out_one_entry_per_line() {
        let models = models();
        let expected = [
            concat!(
                "#[cfg(feature = \"things\")]\n",
                "#[cfg(feature = \"roundtrip\")]\n",
                "crate::runtime::serialize_object!(Thing {\n",
                "    \"id\" => id: required,\n",
                "    \"say \\\"hi\\\"\" => say_hi: optional,\n",
                "    \"kind\" => kind: optional,\n",
                "} extra additional_properties);\n",
            ),
            concat!(
                "#[cfg(feature = \"things\")]\n",
                "crate::runtime::deserialize_object!(Thing {\n",
                "    0 \"id\" => id: required,\n",
                "    1 \"say \\\"hi\\\"\" => say_hi: optional,\n",
                "    2 \"kind\" => kind: optional,\n",
                "} extra additional_properties);\n",
            ),
            concat!(
                "#[cfg(feature = \"things\")]\n",
                "crate::runtime::string_enum!(ThingKindValues<Site> {\n",
                "    Big = \"big\",\n",
                "    AB = \"a\\\\b\",\n",
                "});\n",
            ),
        ];
        for text in expected {
            assert!(models.contains(text), "{text}\nnot in\n{models}");
        }
    }
}
