//! A file's code before formatting: runs of items as tokens, which `syn` parses and
//! `prettyplease` lays out, between items the emitter lays out itself as text.
//!
//! Text is for the items [`super::layout`] lays out as `prettyplease` would, and for the
//! invocations of the runtime's macros (`serialize_object!`, `deserialize_object!`, the
//! unions' macros, `string_enum!`): `prettyplease` cannot see inside a macro's tokens and
//! fills them in as a paragraph (`"id" => id : required, "type" =>` / `type_ : required`),
//! while written here they take one entry per line. Text skips `quote`, `syn` and
//! `prettyplease`, which were most of the time spent generating.

use proc_macro2::TokenStream;

use crate::error::Error;

/// Items in file order: token runs and text.
#[derive(Default)]
pub struct Code {
    pieces: Vec<Piece>,
}

enum Piece {
    Tokens(TokenStream),
    /// Whole items, each line ending in a newline, as `prettyplease` would end them.
    Text(String),
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

    /// Items laid out as text, after those already here.
    pub fn text(&mut self, text: String) {
        if text.is_empty() {
            return;
        }
        match self.pieces.last_mut() {
            Some(Piece::Text(last)) => last.push_str(&text),
            _ => self.pieces.push(Piece::Text(text)),
        }
    }

    /// The items of `other`, after those already here.
    pub fn append(&mut self, other: Code) {
        for piece in other.pieces {
            match piece {
                Piece::Tokens(tokens) => self.tokens(tokens),
                Piece::Text(text) => self.text(text),
            }
        }
    }

    /// The formatted source: each token run parsed by `syn` and printed by `prettyplease`,
    /// the text as it is.
    pub fn format(self) -> Result<String, Error> {
        let mut out = String::new();
        for piece in self.pieces {
            match piece {
                Piece::Tokens(tokens) => out.push_str(&format_tokens(tokens)?),
                Piece::Text(text) => out.push_str(&text),
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
        code.text("m!(A {\n    x,\n});\n".into());
        code.append(Code::from(quote! { pub struct C; }));
        assert_eq!(
            code.format().unwrap(),
            "pub struct A;\npub struct B;\nm!(A {\n    x,\n});\npub struct C;\n"
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
