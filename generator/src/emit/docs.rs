//! Doc comments from the spec's prose, made safe for rustdoc.
//!
//! Spec descriptions are CommonMark written for web pages. Rustdoc would compile their code
//! blocks as doctests, warn on bare URLs and read `[x]` as intra-doc links, so: fenced code
//! becomes `text`, indentation (which would make a code block) is dropped, brackets and
//! angle brackets are escaped and bare URLs are wrapped in `<…>`.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` attributes for `text`, one per line; nothing for `None` or blank text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    attrs_of_lines(&doc_lines(text))
}

/// `#[doc = "..."]` attributes for lines [`doc_lines`] gave.
pub fn attrs_of_lines(lines: &[String]) -> TokenStream {
    quote! { #( #[doc = #lines] )* }
}

/// The lines of [`doc_attrs`], for the items laid out as text (see [`super::layout`]).
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    match text {
        Some(text) if !text.trim().is_empty() => sanitize(text),
        _ => Vec::new(),
    }
}

/// Several paragraphs, blank-line separated, skipping empty ones.
pub fn doc_paragraphs(parts: &[Option<&str>]) -> TokenStream {
    doc_attrs(paragraphs(parts).as_deref())
}

/// The lines of [`doc_paragraphs`], for the items laid out as text.
pub fn doc_paragraph_lines(parts: &[Option<&str>]) -> Vec<String> {
    doc_lines(paragraphs(parts).as_deref())
}

fn paragraphs(parts: &[Option<&str>]) -> Option<String> {
    let present: Vec<&str> = parts
        .iter()
        .flatten()
        .copied()
        .filter(|p| !p.trim().is_empty())
        .collect();
    (!present.is_empty()).then(|| present.join("\n\n"))
}

/// The lines of a doc comment, each with the leading space rustdoc expects.
pub fn sanitize(text: &str) -> Vec<String> {
    // A carriage return alone ends a line too (rustdoc refuses one inside a comment).
    let text = if text.contains('\r') {
        std::borrow::Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let mut out = Vec::new();
    let mut in_fence = false;
    for line in text.trim().lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            if in_fence {
                out.push(" ```".to_owned());
            } else {
                out.push(" ```text".to_owned());
            }
            in_fence = !in_fence;
            continue;
        }
        if in_fence {
            out.push(format!(" {}", line.trim_end()));
        } else if trimmed.is_empty() {
            out.push(String::new());
        } else {
            out.push(format!(" {}", escape_prose(trimmed)));
        }
    }
    if in_fence {
        out.push(" ```".to_owned());
    }
    out
}

/// Escapes markup outside `code spans`, which rustdoc shows as they are.
fn escape_prose(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
        } else {
            out.push_str(&escape_text(part));
        }
    }
    out
}

fn escape_text(line: &str) -> String {
    let mut escaped = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '[' => escaped.push_str("\\["),
            ']' => escaped.push_str("\\]"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            c => escaped.push(c),
        }
    }
    if escaped.contains("http") {
        wrap_urls(&escaped)
    } else {
        escaped
    }
}

/// Wraps `http(s)://…` runs in `<…>` so rustdoc renders them as links.
fn wrap_urls(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        out.push_str(&rest[..start]);
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '\'' | '`' | '\\' | '&'))
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', '!', '?']) {
            end -= 1;
        }
        out.push('<');
        out.push_str(&tail[..end]);
        out.push('>');
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lone_carriage_return_ends_a_line() {
        assert_eq!(
            sanitize("One\r{\"a\": 1}\r\nTwo"),
            [" One", " {\"a\": 1}", " Two"]
        );
    }

    #[test]
    fn fences_become_text_and_indent_is_dropped() {
        let lines = sanitize("Intro\n```json\n{\"a\": 1}\n```\n    indented");
        assert_eq!(
            lines,
            vec![" Intro", " ```text", " {\"a\": 1}", " ```", " indented"]
        );
    }

    #[test]
    fn urls_are_wrapped_and_brackets_escaped() {
        assert_eq!(
            sanitize("See https://openrouter.ai/docs. [x] <b> `<c>`"),
            vec![" See <https://openrouter.ai/docs>. \\[x\\] &lt;b&gt; `<c>`"]
        );
    }
}
