//! Items laid out as text, line by line, as `prettyplease` lays them out: for the shapes the
//! models file is mostly made of (structs, their constructors and setters), building them as
//! text skips `quote`, `syn` and `prettyplease`, which spend most of the generation time on
//! them.
//!
//! `prettyplease` keeps a line within 89 columns by breaking the innermost group that does
//! not fit; a group that fits stays on one line. The layouts here only keep a line whole
//! when it ends well inside that margin (at column [`WIDTH`]) and only break a group when it
//! ends well past it; an item with a line in between, or a line that a group inside it
//! (a long generic type) would break, is not laid out here: its emitter writes tokens and
//! `prettyplease` decides. A test over real specs checks that both ways give the same bytes
//! (`emit::tests`).

/// How the emitters lay out the items that can be laid out as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// As text where this module knows `prettyplease`'s layout; the rest as tokens.
    Text,
    /// Every item as tokens, laid out by `prettyplease`: the reference the text layout is
    /// checked against.
    Tokens,
}

/// The last column a line laid out here may reach; `prettyplease`'s margin is 89.
pub const WIDTH: usize = 85;

/// A group that would end at this column or later is broken by `prettyplease` for sure
/// (its margin is 89); between [`WIDTH`] and here, the layout is left to it.
pub const BROKEN: usize = 93;

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
        let end = depth * INDENT.len() + head.len() + joined.len();
        if args.is_empty() || end <= WIDTH {
            self.line(depth, &format!("{head}{joined}){tail}"));
        } else if end >= BROKEN {
            self.line(depth, head);
            for arg in args {
                self.line(depth + 1, &format!("{arg},"));
            }
            self.line(depth, &format!("){tail}"));
        } else {
            self.fits = false;
        }
    }

    /// `path { field, … }` as the last expression of a block: on one line when short
    /// (`prettyplease` keeps a struct expression of up to 34 columns whole), else one field
    /// per line.
    pub fn struct_expression(&mut self, depth: usize, path: &str, fields: &[String]) {
        // From the path to the closing brace, as `prettyplease` measures it: `path {`, a
        // space, the fields with `, ` between them, a space.
        let width = path.len()
            + 3
            + fields.iter().map(|f| f.len()).sum::<usize>()
            + 2 * fields.len().saturating_sub(1)
            + 1;
        if fields.is_empty() || (33..=35).contains(&width) {
            self.fits = false;
        } else if width < 33 {
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

    /// Near the margin, where `prettyplease`'s choice is not modelled, nothing is laid out.
    #[test]
    fn a_signature_near_the_margin_is_not_laid_out() {
        let mut lines = Lines::default();
        // Ends at column 4 + 11 + 2 * 35 + 2 = 87.
        lines.signature(1, "pub fn new(", &args(2, 31), " -> Self {");
        assert_eq!(lines.finish(), None);
    }

    #[test]
    fn short_struct_expressions_stay_whole_and_long_ones_break() {
        let mut short = Lines::default();
        short.struct_expression(2, "Self", &["id: id.into()".into()]);
        assert_eq!(short.finish().unwrap(), "        Self { id: id.into() }\n");
        let mut long = Lines::default();
        long.struct_expression(
            2,
            "Self",
            &["id: id.into()".into(), "name: name.into()".into()],
        );
        assert_eq!(
            long.finish().unwrap(),
            "        Self {\n            id: id.into(),\n            name: name.into(),\n        }\n"
        );
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
