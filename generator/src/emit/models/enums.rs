//! String enums: a unit variant per value the spec lists and `Other(String)` for any value
//! added later. `as_str`, `From<&str>`/`From<String>`, `Debug`, comparison and hashing (by
//! the JSON value) and the serde impls come from the runtime's `string_enum!`, a line per
//! variant, whose impls each call one function of the runtime.

use std::fmt::Write;

use crate::emit::code::string_literal;
use crate::emit::features::Gate;
use crate::emit::layout::Lines;
use crate::emit::Code;
use crate::ir::{Enum, TypeDef};

/// What the docs of the variant of unknown values say.
const OTHER_DOC: &str = " A value this version of the client does not know, kept as sent.";

pub(super) fn enum_def(def: &TypeDef, doc_lines: &[String], e: &Enum, gate: &Gate) -> Code {
    let name = &def.name;
    let mut lines = Lines::default();
    lines.docs(0, doc_lines);
    lines.gate(gate);
    lines.line(0, "#[derive(Clone)]");
    lines.line(0, "#[non_exhaustive]");
    lines.unbreakable(0, &format!("pub enum {name} {{"));
    for variant in &e.variants {
        lines.unbreakable(1, &format!("{},", variant.name));
    }
    lines.docs(1, &[OTHER_DOC.to_owned()]);
    lines.line(1, "Other(String),");
    lines.line(0, "}");
    let mut code = Code::default();
    code.item(lines);
    // The invocation of the runtime's `string_enum!`, one variant per line.
    let mut invocation = format!("{}crate::runtime::string_enum!({name} {{\n", gate.text);
    for variant in &e.variants {
        let _ = writeln!(
            invocation,
            "    {} = {},",
            variant.name,
            string_literal(&variant.value)
        );
    }
    invocation.push_str("});\n");
    code.invocation(invocation);
    code
}
