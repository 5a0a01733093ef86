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

use quote::format_ident;

use super::docs::doc_lines;
use super::features::Gate;
use super::layout::{Labelled, Lines, Shape};
use super::types::type_shape;
use super::Code;
use crate::ir::{Type, TypeDef, TypeKind, TypeSpace, Usage};

/// The named types in the order the file lists them (by name).
pub fn sorted(types: &TypeSpace) -> Vec<&TypeDef> {
    let mut defs: Vec<&TypeDef> = types.iter().map(|(_, d)| d).collect();
    defs.sort_by(|a, b| a.name.cmp(&b.name));
    defs
}

/// A run of the file's items; `head` adds what opens the file (its module docs). Without
/// `cargo_features`, every model derives both serde traits (no `roundtrip` gate).
pub fn emit_part(types: &TypeSpace, defs: &[&TypeDef], head: bool, cargo_features: bool) -> Code {
    let mut code = Code::default();
    if head {
        let mut lines = Lines::default();
        lines.line(0, "//! The API's data types, one per schema.");
        // Unions hold their variants' structs by value (see `unions`).
        lines.line(0, "#![allow(clippy::large_enum_variant)]");
        code.item(lines);
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
        code.append(type_def(def, types, usage, &gate));
    }
    code
}

fn type_def(def: &TypeDef, types: &TypeSpace, usage: Usage, gate: &Gate) -> Code {
    let name = format_ident!("{}", def.name);
    let doc_lines = doc_lines(def.description.as_deref());
    match &def.kind {
        TypeKind::Struct(s) => structs::struct_def(def, s, types, usage, gate),
        TypeKind::Enum(e) => enums::enum_def(def, &doc_lines, e, gate),
        TypeKind::Union(u) => unions::union_def(&name, &doc_lines, u, types, usage, gate),
        TypeKind::Newtype(inner) => newtype(def, &doc_lines, inner, types, usage, gate),
        TypeKind::Alias(ty) => {
            let mut lines = Lines::default();
            lines.docs(0, &doc_lines);
            lines.gate(gate);
            let ty = type_shape(ty, types, "");
            lines.shape(0, &format!("pub type {name} = "), &ty, ";");
            let mut code = Code::default();
            code.item(lines);
            code
        }
    }
}

/// A struct around one value (a schema that names a plain type and is used where a union
/// needs a type of its own), serialised as that value, with `From` it (and `From<&str>`
/// for a string).
fn newtype(
    def: &TypeDef,
    doc_lines: &[String],
    inner: &Type,
    types: &TypeSpace,
    usage: Usage,
    gate: &Gate,
) -> Code {
    let name = &def.name;
    let ty = type_shape(inner, types, "");
    let mut code = Code::default();
    let mut lines = Lines::default();
    lines.docs(0, doc_lines);
    lines.gate(gate);
    for attr in derives(Serde::both(usage)) {
        lines.line(0, &attr);
    }
    lines.line(0, "#[serde(transparent)]");
    lines.shape(
        0,
        &format!("pub struct {name}"),
        &Shape::call("", vec![Shape::word(format!("pub {}", ty.flat()))]),
        ";",
    );
    code.item(lines);
    let mut from = |from: Shape, value: &str| {
        let mut lines = Lines::default();
        lines.gate(gate);
        lines.impl_header(&Shape::generic("From", vec![from.clone()]), name);
        let argument = Labelled::new("value: ", from);
        lines.signature(1, "fn from(", &[argument], " -> Self {");
        lines.line(2, &format!("{name}({value})"));
        lines.line(1, "}");
        lines.line(0, "}");
        code.item(lines);
    };
    from(ty.clone(), "value");
    if *inner == Type::String {
        from(Shape::word("&str"), "value.to_owned()");
    }
    code
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

    /// Neither by derive: the impls are written elsewhere.
    fn none(usage: Usage) -> Self {
        Serde {
            serialize: false,
            deserialize: false,
            usage,
        }
    }
}

/// `#[derive(Debug, Clone, PartialEq, <serde>)]`, and a `cfg_attr` deriving the serde
/// traits of the directions the type is not used in under `roundtrip`: the attribute lines.
fn derives(serde: Serde) -> Vec<String> {
    let mut derived = vec!["Debug", "Clone", "PartialEq"];
    let mut roundtrip = Vec::new();
    for (wanted, used, path) in [
        (serde.serialize, serde.usage.serialize, "serde::Serialize"),
        (
            serde.deserialize,
            serde.usage.deserialize,
            "serde::Deserialize",
        ),
    ] {
        match (wanted, used) {
            (true, true) => derived.push(path),
            (true, false) => roundtrip.push(path),
            (false, _) => {}
        }
    }
    let mut lines = vec![format!("#[derive({})]", derived.join(", "))];
    if !roundtrip.is_empty() {
        lines.push(format!(
            "#[cfg_attr(feature = \"roundtrip\", derive({}))]",
            roundtrip.join(", ")
        ));
    }
    lines
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
    /// the type does not travel, in one `cfg(all(…))`).
    #[test]
    fn macro_invocations_are_laid_out_one_entry_per_line() {
        let models = models();
        let expected = [
            concat!(
                "#[cfg(all(feature = \"things\", feature = \"roundtrip\"))]\n",
                "crate::runtime::serialize_object!(Thing {\n",
                "    \"id\" => id: required,\n",
                "    \"say \\\"hi\\\"\" => say_hi: optional,\n",
                "    \"kind\" => kind: optional,\n",
                "} extra additional_properties);\n",
            ),
            concat!(
                "#[cfg(feature = \"things\")]\n",
                "crate::runtime::deserialize_object!(Thing {\n",
                "    \"id\" => id: required,\n",
                "    \"say \\\"hi\\\"\" => say_hi: optional,\n",
                "    \"kind\" => kind: optional,\n",
                "} extra additional_properties);\n",
            ),
            concat!(
                "#[cfg(feature = \"things\")]\n",
                "crate::runtime::string_enum!(ThingKind {\n",
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
