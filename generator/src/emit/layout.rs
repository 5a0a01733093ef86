//! Items written as text, line by line, laid out as `prettyplease` lays them out: the
//! generated files are mostly made of such items (structs, constructors and setters, enums,
//! unions, an operation's builder and error enum), and writing them as text skips `quote`,
//! `syn` and `prettyplease`, which spent most of the generation time on them.
//!
//! `prettyplease` keeps a line within 89 columns ([`WIDTH`]): a group (a signature's
//! parameters, generic arguments, a call's arguments) stays on one line when the line, up to
//! where it may next break, fits, and is broken a part per line otherwise (the last part's
//! comma, written only when broken, left out of the width); a method call breaks before its
//! dot, a match arm's body goes into a block, a struct expression wider than 34 takes a
//! field per line, and a word it cannot break (a path) runs past the margin. [`Shape`]
//! describes a type or an expression that way.
//!
//! An item is written once. When its layout is not known here (an expression whose breaking
//! is not modelled, [`Shape::Opaque`], on a line too long; a part written with `quote`,
//! [`Lines::tokens`]), the item's own text falls back to `prettyplease`: [`super::code`]
//! parses it and prints it. `generator/tests/layout.rs` generates every fixture and every
//! real spec, requires each item laid out here to be what `prettyplease` prints for it, and
//! lists the items that fell back; the tests below hold each rule to `prettyplease` on both
//! sides of its limits.

/// The last column a line may reach: `prettyplease`'s margin.
pub const WIDTH: usize = 89;

/// The widest struct expression `prettyplease` keeps on one line (rustfmt's
/// `struct_lit_width`), from its path to its closing brace.
const STRUCT_EXPRESSION_WIDTH: usize = 34;

use super::features::Gate;

const INDENT: &str = "    ";

/// A type or an expression as `prettyplease` breaks it: a word it never breaks, or a head
/// with bracketed parts (`Option<T>`, `Some(x)`), which it puts one per line, each with a
/// trailing comma, when the line is too long.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// A path or a name: `prettyplease` cannot break it, and lets a line it is too long
    /// for run past the margin.
    Word(String),
    /// An expression whose breaking is not modelled here: an item with one on a line that
    /// is too long is left to `prettyplease`.
    Opaque(String),
    /// A method call, `receiver.method(…)`: broken before the dot, the call on the next
    /// line one level deeper.
    Method { receiver: String, call: Box<Shape> },
    Group {
        head: String,
        /// `<` (generic arguments) or `(` (call arguments).
        open: char,
        parts: Vec<Shape>,
    },
}

impl Shape {
    pub fn word(word: impl Into<String>) -> Self {
        Shape::Word(word.into())
    }

    pub fn opaque(code: impl Into<String>) -> Self {
        Shape::Opaque(code.into())
    }

    /// `receiver` then `call`, which starts with the dot (`.into()`).
    pub fn method(receiver: impl Into<String>, call: Shape) -> Self {
        Shape::Method {
            receiver: receiver.into(),
            call: Box::new(call),
        }
    }

    /// `head<parts>`.
    pub fn generic(head: impl Into<String>, parts: Vec<Shape>) -> Self {
        Shape::Group {
            head: head.into(),
            open: '<',
            parts,
        }
    }

    /// `head(parts)`.
    pub fn call(head: impl Into<String>, parts: Vec<Shape>) -> Self {
        Shape::Group {
            head: head.into(),
            open: '(',
            parts,
        }
    }

    /// On one line.
    pub fn flat(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    fn write(&self, out: &mut String) {
        match self {
            Shape::Word(code) | Shape::Opaque(code) => out.push_str(code),
            Shape::Method { receiver, call } => {
                out.push_str(receiver);
                call.write(out);
            }
            Shape::Group { head, open, parts } => {
                out.push_str(head);
                out.push(*open);
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    part.write(out);
                }
                out.push(close(*open));
            }
        }
    }
}

fn close(open: char) -> char {
    if open == '<' {
        '>'
    } else {
        ')'
    }
}

/// A shape after a prefix, as a parameter (`value: ` and a type) or a field of a struct
/// expression (`id: ` and a value).
pub struct Labelled {
    pub label: String,
    pub shape: Shape,
}

impl Labelled {
    pub fn new(label: impl Into<String>, shape: Shape) -> Self {
        Labelled {
            label: label.into(),
            shape,
        }
    }

    /// On one line: the label, then the shape.
    pub fn flat(&self) -> String {
        format!("{}{}", self.label, self.shape.flat())
    }
}

/// Lines of an item being written; [`super::Code::item`] takes them, laid out as they are
/// when every line's layout is known, else through `prettyplease`.
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
    /// The item's `cfg` (an item whose `cfg` line is not laid out as `prettyplease` would
    /// falls back).
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

    /// `prefix shape suffix`, on one line when it fits; else, for a group, its head on a
    /// line (however long: `prettyplease` cannot break it), each part on a line of its own,
    /// then the closing bracket and `suffix`. A word that does not fit runs past the margin;
    /// an opaque expression that does not fit is written on one line and the item falls back.
    pub fn shape(&mut self, depth: usize, prefix: &str, shape: &Shape, suffix: &str) {
        self.place(depth, prefix, shape, suffix, suffix.len());
    }

    /// The `index`th of `count` parts of a broken group, each followed by a comma. The last
    /// one's comma is only written when the group is broken: `prettyplease` leaves it out
    /// of the width that decides whether the part fits.
    fn part(&mut self, depth: usize, prefix: &str, shape: &Shape, index: usize, count: usize) {
        let measured = usize::from(index + 1 < count);
        self.place(depth, prefix, shape, ",", measured);
    }

    fn place(&mut self, depth: usize, prefix: &str, shape: &Shape, suffix: &str, measured: usize) {
        let flat = shape.flat();
        if depth * INDENT.len() + prefix.len() + flat.len() + measured <= WIDTH {
            self.push(depth, &format!("{prefix}{flat}{suffix}"));
            return;
        }
        match shape {
            Shape::Word(_) => self.push(depth, &format!("{prefix}{flat}{suffix}")),
            Shape::Opaque(_) => {
                self.fits = false;
                self.push(depth, &format!("{prefix}{flat}{suffix}"));
            }
            Shape::Method { receiver, call } => {
                self.push(depth, &format!("{prefix}{receiver}"));
                self.place(depth + 1, "", call, suffix, measured);
            }
            Shape::Group { head, open, parts } => {
                self.push(depth, &format!("{prefix}{head}{open}"));
                for (i, part) in parts.iter().enumerate() {
                    self.part(depth + 1, "", part, i, parts.len());
                }
                self.line(depth, &format!("{}{suffix}", close(*open)));
            }
        }
    }

    /// `impl trait_ for name {`: on one line when it fits; else `for name {` on a line of
    /// its own when `impl trait_` fits on one; else the trait's generic arguments broken,
    /// `for name {` after the closing bracket when there is room.
    pub fn impl_header(&mut self, trait_: &Shape, name: &str) {
        let flat = format!("impl {} for {name} {{", trait_.flat());
        let for_name = format!("for {name} {{");
        if flat.len() <= WIDTH {
            self.push(0, &flat);
        } else if "impl ".len() + trait_.flat().len() <= WIDTH {
            self.push(0, &format!("impl {}", trait_.flat()));
            self.push(0, &for_name);
        } else if "> ".len() + for_name.len() <= WIDTH {
            self.place(0, "impl ", trait_, &format!(" {for_name}"), 0);
        } else {
            self.place(0, "impl ", trait_, "", 0);
            self.push(0, &for_name);
        }
    }

    /// A match arm, `pattern => body,`: on one line when it fits (`prettyplease` leaves the
    /// comma out of the width), else the body in a block on lines of its own.
    pub fn arm(&mut self, depth: usize, pattern: &str, body: &Shape) {
        let flat = format!("{pattern} => {}", body.flat());
        if depth * INDENT.len() + flat.len() <= WIDTH {
            self.push(depth, &format!("{flat},"));
        } else {
            self.line(depth, &format!("{pattern} => {{"));
            self.shape(depth + 1, "", body, "");
            self.line(depth, "}");
        }
    }

    /// `head(args) tail` as a function signature: on one line when it fits, else one
    /// argument per line and `) tail` closing.
    pub fn signature(&mut self, depth: usize, head: &str, args: &[Labelled], tail: &str) {
        let joined: Vec<String> = args.iter().map(Labelled::flat).collect();
        let flat = format!("{head}{}){tail}", joined.join(", "));
        if args.is_empty() || depth * INDENT.len() + flat.len() <= WIDTH {
            self.line(depth, &flat);
        } else {
            self.push(depth, head);
            for (i, arg) in args.iter().enumerate() {
                self.part(depth + 1, &arg.label, &arg.shape, i, args.len());
            }
            self.line(depth, &format!("){tail}"));
        }
    }

    /// `path { field, … }` as the last expression of a block: on one line when short, else
    /// one field per line.
    pub fn struct_expression(&mut self, depth: usize, path: &str, fields: &[Labelled]) {
        let flat: Vec<String> = fields.iter().map(Labelled::flat).collect();
        // As `prettyplease` measures it: `path {`, a space, the fields with `, ` between
        // them, a space.
        let width = path.len()
            + 3
            + flat.iter().map(|f| f.len()).sum::<usize>()
            + 2 * flat.len().saturating_sub(1)
            + 1;
        if fields.is_empty() {
            self.line(depth, &format!("{path} {{}}"));
        } else if width <= STRUCT_EXPRESSION_WIDTH {
            self.line(depth, &format!("{path} {{ {} }}", flat.join(", ")));
        } else {
            self.line(depth, &format!("{path} {{"));
            for (i, field) in fields.iter().enumerate() {
                self.part(depth + 1, &field.label, &field.shape, i, fields.len());
            }
            self.line(depth, "}");
        }
    }

    /// The item's text, and whether it is laid out as `prettyplease` would lay it out.
    pub fn finish(self) -> (String, bool) {
        (self.out, self.fits)
    }

    /// Code built with `quote`, whose layout is left to `prettyplease`: the item falls back.
    pub fn tokens(&mut self, depth: usize, tokens: &proc_macro2::TokenStream) {
        self.fits = false;
        self.push(depth, &tokens.to_string());
    }

    /// Marks the item as one whose layout is not known here: it falls back.
    pub fn unknown_layout(&mut self) {
        self.fits = false;
    }

    /// A line `prettyplease` has no place to break (`impl Name {`), however long it is.
    pub fn unbreakable(&mut self, depth: usize, code: &str) {
        self.push(depth, code);
    }

    /// A line however long it is.
    fn push(&mut self, depth: usize, code: &str) {
        self.indent(depth);
        self.out.push_str(code);
        self.out.push('\n');
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

    fn args(n: usize, len: usize) -> Vec<Labelled> {
        (0..n)
            .map(|i| Labelled::new(format!("a{i}: "), Shape::word("T".repeat(len))))
            .collect()
    }

    fn into(ty: Shape) -> Shape {
        Shape::generic("impl Into", vec![ty])
    }

    #[test]
    fn a_signature_that_fits_stays_on_one_line() {
        let mut lines = Lines::default();
        lines.signature(1, "pub fn new(", &args(2, 3), " -> Self {");
        assert_eq!(
            lines.finish(),
            (
                "    pub fn new(a0: TTT, a1: TTT) -> Self {\n".to_owned(),
                true
            )
        );
    }

    #[test]
    fn a_signature_past_the_margin_takes_a_line_per_argument() {
        let mut lines = Lines::default();
        lines.signature(1, "pub fn new(", &args(4, 20), " -> Self {");
        let (text, laid_out) = lines.finish();
        assert!(laid_out);
        assert!(
            text.starts_with("    pub fn new(\n        a0: TTTTTTTTTTTTTTTTTTTT,\n"),
            "{text}"
        );
        assert!(text.ends_with("\n    ) -> Self {\n"), "{text}");
    }

    /// Signatures, types and struct expressions are laid out as `prettyplease` lays them
    /// out, on either side of its limits.
    #[test]
    fn layouts_match_prettyplease_at_its_limits() {
        for n in 1..68 {
            let long = Shape::word("T".repeat(n));
            let nested = Shape::generic("Option", vec![Shape::generic("Vec", vec![long.clone()])]);
            let map = Shape::generic(
                "std::collections::BTreeMap",
                vec![Shape::word("String"), long.clone()],
            );
            let field = "f".repeat(n.min(30));
            let mut lines = Lines::default();
            lines.line(0, "pub struct X {");
            lines.shape(1, "pub a: ", &nested, ",");
            lines.shape(1, "pub b: ", &map, ",");
            lines.line(0, "}");
            lines.line(0, "impl X {");
            let args = [
                Labelled::new("abc: ", into(long.clone())),
                Labelled::new("b: ", into(nested.clone())),
            ];
            lines.signature(1, "pub fn new(", &args, " -> Self {");
            let fields = [
                Labelled::new(format!("{field}: "), Shape::word(format!("{field}.into()"))),
                Labelled::new(
                    "b: ",
                    Shape::call("Some", vec![Shape::word(format!("{}::A", "T".repeat(n)))]),
                ),
            ];
            lines.struct_expression(2, "Self", &fields[..1 + n % 2]);
            lines.line(1, "}");
            lines.line(0, "}");
            let (text, laid_out) = lines.finish();
            assert!(laid_out);
            let file: syn::File = syn::parse_str(&text).unwrap();
            assert_eq!(prettyplease::unparse(&file), text, "{n}");
        }
    }

    #[test]
    fn a_long_line_falls_back_but_a_long_doc_does_not() {
        let mut docs = Lines::default();
        docs.docs(1, &[format!(" {}", "x".repeat(200)), String::new()]);
        assert!(docs.finish().1);
        let mut code = Lines::default();
        code.line(1, &"x".repeat(WIDTH));
        assert_eq!(
            code.finish(),
            (format!("    {}\n", "x".repeat(WIDTH)), false)
        );
    }
}
