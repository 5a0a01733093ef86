//! Items laid out as text, line by line, as `prettyplease` lays them out: for the shapes the
//! models file is mostly made of (structs, their constructors and setters, a union's
//! conversions), building them as text skips `quote`, `syn` and `prettyplease`, which spend
//! most of the generation time on them.
//!
//! `prettyplease` keeps a line within 89 columns ([`WIDTH`]): a group (a signature's
//! arguments, a generic type's parameters, a call's arguments) stays on one line when the
//! line, up to where it may next break, fits, and is broken otherwise. The lines laid out
//! here end where `prettyplease` may break (before a newline it must write), so a line
//! that fits is kept whole and a signature that does not is broken a parameter per line.
//! An item with a line that does not fit and is not a signature (a field of a long generic
//! type, a long call) is not laid out here: its emitter writes tokens and `prettyplease`
//! breaks it. A test over real specs checks that both ways give the same bytes
//! (`generator/tests/layout.rs`).

/// How the emitters lay out the items that can be laid out as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// As text where this module knows `prettyplease`'s layout; the rest as tokens.
    Text,
    /// Every item as tokens, laid out by `prettyplease`: the reference the text layout is
    /// checked against.
    Tokens,
}

/// The last column a line may reach: `prettyplease`'s margin.
pub const WIDTH: usize = 89;

/// The widest struct expression `prettyplease` keeps on one line (rustfmt's
/// `struct_lit_width`), from its path to its closing brace.
const STRUCT_EXPRESSION_WIDTH: usize = 34;

use super::features::Gate;

const INDENT: &str = "    ";

/// Lines of an item being laid out; [`Lines::finish`] gives the text, or nothing when a
/// line came too close to the margin.
pub struct Lines {
    out: String,
    fits: bool,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            out: String::new(),
            fits: true,
        }
    }
}

impl Lines {
    /// The item's `cfg`, when its text is what `prettyplease` prints.
    pub fn gate(&mut self, gate: &Gate) {
        if !gate.exact {
            self.fits = false;
        }
        self.out.push_str(&gate.text);
    }

    /// A line of code at `depth` levels of indentation.
    pub fn line(&mut self, depth: usize, code: &str) {
        if depth * INDENT.len() + code.len() > WIDTH {
            self.fits = false;
        }
        self.indent(depth);
        self.out.push_str(code);
        self.out.push('\n');
    }

    /// A doc comment, one `///` line per line of `docs` (as [`super::docs::sanitize`] gives
    /// them, each starting with a space or empty); `prettyplease` never breaks these.
    pub fn docs(&mut self, depth: usize, docs: &[String]) {
        for doc in docs {
            self.indent(depth);
            self.out.push_str("///");
            self.out.push_str(doc.trim_end_matches(' '));
            self.out.push('\n');
        }
    }

    /// `head(args) tail` as a function signature: on one line when it fits, else one
    /// argument per line and `) tail` closing.
    pub fn signature(&mut self, depth: usize, head: &str, args: &[String], tail: &str) {
        let joined = args.join(", ");
        let flat = format!("{head}{joined}){tail}");
        if args.is_empty() || depth * INDENT.len() + flat.len() <= WIDTH {
            self.line(depth, &flat);
        } else {
            self.line(depth, head);
            for arg in args {
                self.line(depth + 1, &format!("{arg},"));
            }
            self.line(depth, &format!("){tail}"));
        }
    }

    /// `path { field, … }` as the last expression of a block: on one line when short, else
    /// one field per line.
    pub fn struct_expression(&mut self, depth: usize, path: &str, fields: &[String]) {
        // As `prettyplease` measures it: `path {`, a space, the fields with `, ` between
        // them, a space.
        let width = path.len()
            + 3
            + fields.iter().map(|f| f.len()).sum::<usize>()
            + 2 * fields.len().saturating_sub(1)
            + 1;
        if fields.is_empty() {
            self.fits = false;
        } else if width <= STRUCT_EXPRESSION_WIDTH {
            self.line(depth, &format!("{path} {{ {} }}", fields.join(", ")));
        } else {
            self.line(depth, &format!("{path} {{"));
            for field in fields {
                self.line(depth + 1, &format!("{field},"));
            }
            self.line(depth, "}");
        }
    }

    /// The item's text, or `None` when some line came too close to the margin.
    pub fn finish(self) -> Option<String> {
        self.fits.then_some(self.out)
    }

    fn indent(&mut self, depth: usize) {
        for _ in 0..depth {
            self.out.push_str(INDENT);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(n: usize, len: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("a{i}: {}", "T".repeat(len)))
            .collect()
    }

    #[test]
    fn a_signature_that_fits_stays_on_one_line() {
        let mut lines = Lines::default();
        lines.signature(1, "pub fn new(", &args(2, 3), " -> Self {");
        assert_eq!(
            lines.finish().unwrap(),
            "    pub fn new(a0: TTT, a1: TTT) -> Self {\n"
        );
    }

    #[test]
    fn a_signature_past_the_margin_takes_a_line_per_argument() {
        let mut lines = Lines::default();
        lines.signature(1, "pub fn new(", &args(4, 20), " -> Self {");
        let text = lines.finish().unwrap();
        assert!(
            text.starts_with("    pub fn new(\n        a0: TTTTTTTTTTTTTTTTTTTT,\n"),
            "{text}"
        );
        assert!(text.ends_with("\n    ) -> Self {\n"), "{text}");
    }

    /// The signature and struct expressions are laid out as `prettyplease` lays them out,
    /// on either side of its limits.
    #[test]
    fn layouts_match_prettyplease_at_its_limits() {
        for n in 1..64 {
            let ty = "T".repeat(n);
            let field = "f".repeat(n.min(30));
            let mut lines = Lines::default();
            lines.line(0, "impl X {");
            lines.signature(
                1,
                "pub fn new(",
                &[format!("abc: impl Into<{ty}>")],
                " -> Self {",
            );
            lines.struct_expression(2, "Self", &[format!("{field}: {field}.into()")]);
            lines.line(1, "}");
            lines.line(0, "}");
            let text = lines.finish().unwrap();
            let file: syn::File = syn::parse_str(&text).unwrap();
            assert_eq!(prettyplease::unparse(&file), text, "{n}");
        }
    }

    #[test]
    fn a_long_line_is_not_laid_out_but_a_long_doc_is() {
        let mut docs = Lines::default();
        docs.docs(1, &[format!(" {}", "x".repeat(200)), String::new()]);
        assert!(docs.finish().is_some());
        let mut code = Lines::default();
        code.line(1, &"x".repeat(WIDTH));
        assert_eq!(code.finish(), None);
    }
}
