//! A file's code before formatting: items written as text ([`super::layout`]) and items
//! built as tokens with `quote`, in file order.
//!
//! An item written as text is kept as it is when its lines are laid out as `prettyplease`
//! lays them out; otherwise its text is parsed and `prettyplease` prints it (the fallback,
//! counted in [`Code::fallbacks`]). Token runs are parsed by `syn` and printed by
//! `prettyplease`. The invocations of the runtime's macros (`serialize_object!`, the unions'
//! macros, `string_enum!`) are text written one entry per line: `prettyplease` cannot see
//! inside a macro's tokens and would fill them in as a paragraph.

use proc_macro2::TokenStream;

use super::layout::Lines;
use crate::error::Error;

/// Items in file order.
#[derive(Default)]
pub struct Code {
    pieces: Vec<Piece>,
    /// The first line of each item written as text whose layout fell back to `prettyplease`.
    fallbacks: Vec<String>,
}

enum Piece {
    Tokens(TokenStream),
    /// One item laid out here, each line ending in a newline, as `prettyplease` would print it.
    LaidOut(String),
    /// Macro invocations, one entry per line.
    Invocation(String),
    /// Text of an item that does not parse: a bug of the generator, reported by `format`.
    Broken(String),
}

impl Code {
    /// Items as tokens, after those already here.
    pub fn tokens(&mut self, tokens: TokenStream) {
        if tokens.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            // One run for neighbouring tokens: one parse instead of several.
            Some(Piece::Tokens(last)) => last.extend(tokens),
            _ => self.pieces.push(Piece::Tokens(tokens)),
        }
    }

    /// An item written as text, after those already here: as it is when its layout is
    /// known, else its text parsed, to be printed by `prettyplease`.
    pub fn item(&mut self, lines: Lines) {
        let (text, laid_out) = lines.finish();
        if text.is_empty() {
            return;
        }
        if laid_out {
            self.pieces.push(Piece::LaidOut(text));
            return;
        }
        let first = text
            .lines()
            .find(|line| !line.starts_with("#[") && !line.starts_with("///"))
            .unwrap_or_default();
        self.fallbacks.push(first.trim().to_owned());
        match text.parse::<TokenStream>() {
            Ok(tokens) => self.tokens(tokens),
            Err(e) => self
                .pieces
                .push(Piece::Broken(format!("{e} in generated code:\n{text}"))),
        }
    }

    /// Macro invocations written as text, after the items already here.
    pub fn invocation(&mut self, text: String) {
        if !text.is_empty() {
            self.pieces.push(Piece::Invocation(text));
        }
    }

    /// The items of `other`, after those already here.
    pub fn append(&mut self, other: Code) {
        self.fallbacks.extend(other.fallbacks);
        for piece in other.pieces {
            match piece {
                Piece::Tokens(tokens) => self.tokens(tokens),
                piece => self.pieces.push(piece),
            }
        }
    }

    /// The first line of each item whose text fell back to `prettyplease`.
    pub fn fallbacks(&self) -> &[String] {
        &self.fallbacks
    }

    /// Each item laid out here whose text is not what `prettyplease` prints for it: its
    /// text and what `prettyplease` prints. Empty when the layout rules hold.
    pub fn misplaced(&self) -> Vec<(String, String)> {
        self.pieces
            .iter()
            .filter_map(|piece| match piece {
                Piece::LaidOut(text) => {
                    let printed = syn::parse_file(text)
                        .map(|file| prettyplease::unparse(&file))
                        .unwrap_or_else(|e| format!("does not parse: {e}"));
                    (printed != *text).then(|| (text.clone(), printed))
                }
                _ => None,
            })
            .collect()
    }

    /// The formatted source: each token run parsed by `syn` and printed by `prettyplease`,
    /// the text as it is.
    pub fn format(self) -> Result<String, Error> {
        let mut out = String::new();
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => out.push_str(&format_tokens(tokens)?),
                Piece::LaidOut(text) | Piece::Invocation(text) => out.push_str(&text),
                Piece::Broken(message) => return Err(Error::Internal(message)),
            }
        }
        Ok(out)
    }
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        let mut code = Code::default();
        code.tokens(tokens);
        code
    }
}

/// Tokens of a piece of code written as text (a type, a `cfg`), for an item built with
/// `quote`; a text that does not lex (a bug of the generator) becomes a `compile_error!`
/// naming it, so the crate says what went wrong where it is used.
pub fn tokens_of(text: &str) -> TokenStream {
    text.parse().unwrap_or_else(|_| {
        let message = format!("the generator wrote code that does not lex: {text}");
        quote::quote! { compile_error!(#message) }
    })
}

/// The text of a string literal for `value`, as `proc_macro2::Literal::string` writes it;
/// plain text (printable ASCII without quotes or backslashes) without going through it,
/// which escapes a character at a time (a tenth of emitting Stripe's crate as text).
pub fn string_literal(value: &str) -> String {
    let plain = value
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\');
    if plain {
        format!("\"{value}\"")
    } else {
        proc_macro2::Literal::string(value).to_string()
    }
}

/// `text` with a blank line between neighbouring items, at the top level and inside an
/// `impl` or a module, as people write Rust (`prettyplease` writes none): after a line that
/// ends an item (`}`, `});`, a top-level line ending in `;`, the file's inner docs and
/// attributes), before a line at the same
/// indentation that starts one (its docs, attributes or keyword). Lines inside an item
/// (fields, variants, statements, match arms) are left together.
pub fn separate_items(text: &str) -> String {
    const STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "fn ",
        "impl",
        "crate::runtime::",
        "use ",
        "mod ",
        "async fn ",
    ];
    let indent = |line: &str| line.len() - line.trim_start().len();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut previous: Option<&str> = None;
    for line in text.split_inclusive('\n') {
        let code = line.trim_end_matches('\n');
        if let Some(before) = previous {
            let ended = matches!(before.trim_start(), "}" | "});")
                || (indent(before) == 0
                    && before.ends_with(';')
                    && !before.starts_with("#[")
                    && !before.starts_with("//"))
                || (before.starts_with("//!") && !code.starts_with("//!"))
                || (before.starts_with("#![") && !code.starts_with("#!["));
            let starts = STARTS.iter().any(|s| code.trim_start().starts_with(s))
                && !(before.starts_with("use ") && code.starts_with("use "));
            if ended && starts && indent(before) == indent(code) {
                out.push('\n');
            }
        }
        out.push_str(line);
        previous = Some(code);
    }
    out
}

fn format_tokens(tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens)
        .map_err(|e| Error::Internal(format!("generated code does not parse: {e}")))?;
    Ok(prettyplease::unparse(&file))
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// Text sits between the token runs it was put between, and neighbouring runs format as
    /// one file would.
    #[test]
    fn text_keeps_its_place_between_token_runs() {
        let mut code = Code::from(quote! { pub struct A; });
        code.tokens(quote! { pub struct B; });
        code.invocation("m!(A {\n    x,\n});\n".into());
        code.append(Code::from(quote! { pub struct C; }));
        assert_eq!(
            code.format().unwrap(),
            "pub struct A;\npub struct B;\nm!(A {\n    x,\n});\npub struct C;\n"
        );
    }

    /// An item whose layout is known is kept as written; one whose layout is not is printed
    /// by `prettyplease` and named among the fallbacks.
    #[test]
    fn an_item_of_unknown_layout_falls_back_to_prettyplease() {
        let mut code = Code::default();
        let mut known = Lines::default();
        known.line(0, "pub struct A;");
        code.item(known);
        let mut unknown = Lines::default();
        unknown.line(0, "/// B.");
        unknown.tokens(0, &quote! { pub struct B { x : u8 } });
        code.item(unknown);
        assert_eq!(code.fallbacks(), ["pub struct B { x : u8 }"]);
        assert!(code.misplaced().is_empty());
        assert_eq!(
            code.format().unwrap(),
            "pub struct A;\n/// B.\npub struct B {\n    x: u8,\n}\n"
        );
    }

    /// An item written here whose lines are not what `prettyplease` prints is reported.
    #[test]
    fn a_wrong_layout_is_reported() {
        let mut code = Code::default();
        let mut lines = Lines::default();
        lines.line(0, "pub struct A { x: u8 }");
        code.item(lines);
        let misplaced = code.misplaced();
        assert_eq!(misplaced.len(), 1);
        assert_eq!(misplaced[0].1, "pub struct A {\n    x: u8,\n}\n");
    }

    /// Items are apart, at the top level and inside an `impl`; what is inside an item stays
    /// together.
    #[test]
    fn items_are_separated_by_a_blank_line() {
        let text = "//! Docs.\n#![allow(x)]\nuse a::B;\nuse a::C;\n/// A.\npub struct A {\n    x: u8,\n}\nimpl A {\n    fn a() {\n        if x {\n            y();\n        }\n        z();\n    }\n    /// B.\n    fn b() {}\n}\ncrate::runtime::m!(A {\n    x,\n});\npub type C = u8;\n#[cfg(x)]\npub type D = u8;\n";
        assert_eq!(
            separate_items(text),
            "//! Docs.\n#![allow(x)]\n\nuse a::B;\nuse a::C;\n\n/// A.\npub struct A {\n    x: u8,\n}\n\nimpl A {\n    fn a() {\n        if x {\n            y();\n        }\n        z();\n    }\n\n    /// B.\n    fn b() {}\n}\n\ncrate::runtime::m!(A {\n    x,\n});\n\npub type C = u8;\n\n#[cfg(x)]\npub type D = u8;\n"
        );
    }

    #[test]
    fn string_literals_are_written_as_proc_macro2_writes_them() {
        for value in [
            "",
            "plain",
            "with space",
            "it's",
            "say \"hi\"",
            "back\\slash",
            "tab\t",
            "new\nline",
            "nul\0",
            "é",
            "日本",
            "\u{7f}",
            "~!@#$%^&*()_+{}|:<>?",
        ] {
            assert_eq!(
                string_literal(value),
                proc_macro2::Literal::string(value).to_string(),
                "{value:?}"
            );
        }
    }

    #[test]
    fn tokens_that_do_not_parse_are_an_internal_error() {
        let error = Code::from(quote! { pub struct }).format().unwrap_err();
        assert!(
            matches!(&error, Error::Internal(message) if message.contains("does not parse")),
            "{error:?}"
        );
    }
}
