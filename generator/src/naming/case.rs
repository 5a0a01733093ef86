//! `UpperCamelCase` and `snake_case` as `heck` writes them, for ASCII text: the same word
//! boundaries (any character that is not alphanumeric; a lowercase letter before an
//! uppercase one; the last of a run of capitals before a lowercase letter), without
//! `heck`'s writing through `fmt` a character at a time, which took a fifth of building the
//! IR of Stripe's spec. Text with other characters goes to `heck`; a test holds both to the
//! same output.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// `heck`'s `to_upper_camel_case`.
pub fn upper_camel(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_upper_camel_case();
    }
    let mut out = String::with_capacity(text.len());
    for_each_word(text, |word| {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    });
    out
}

/// `heck`'s `to_snake_case`.
pub fn snake(text: &str) -> String {
    if !text.is_ascii() {
        return text.to_snake_case();
    }
    let mut out = String::with_capacity(text.len() + 4);
    for_each_word(text, |word| {
        if !out.is_empty() {
            out.push('_');
        }
        out.extend(word.chars().map(|c| c.to_ascii_lowercase()));
    });
    out
}

/// The words of ASCII `text`, as `heck` splits them.
fn for_each_word(text: &str, mut word: impl FnMut(&str)) {
    #[derive(Clone, Copy, PartialEq)]
    enum Mode {
        Boundary,
        Lowercase,
        Uppercase,
    }
    for part in text.split(|c: char| !c.is_ascii_alphanumeric()) {
        let bytes = part.as_bytes();
        let mut start = 0;
        let mut mode = Mode::Boundary;
        for i in 0..bytes.len() {
            let c = bytes[i];
            let Some(&next) = bytes.get(i + 1) else {
                word(&part[start..]);
                break;
            };
            let next_mode = if c.is_ascii_lowercase() {
                Mode::Lowercase
            } else if c.is_ascii_uppercase() {
                Mode::Uppercase
            } else {
                mode
            };
            if next_mode == Mode::Lowercase && next.is_ascii_uppercase() {
                word(&part[start..i + 1]);
                start = i + 1;
                mode = Mode::Boundary;
            } else if mode == Mode::Uppercase && c.is_ascii_uppercase() && next.is_ascii_lowercase()
            {
                word(&part[start..i]);
                start = i;
                mode = Mode::Boundary;
            } else {
                mode = next_mode;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tricky names and a few thousand generated ones come out as `heck` writes them.
    #[test]
    fn ascii_casing_matches_heck() {
        let mut samples: Vec<String> = [
            "",
            "_",
            "__a__b",
            "file_deleted",
            "HTTPServer",
            "getHTTPResponseCode",
            "v1beta",
            "2xx",
            "ABC",
            "aB",
            "Ab",
            "a1B2c3",
            "X-Rate-Limit",
            "already_snake",
            "CamelCase",
            "lower camel",
            "  spaced  out ",
            "a..b",
            "IDs",
            "iOS",
            "OAuth2Token",
            "A_B_C",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let alphabet = b"aAzZ09_- .bB";
        let mut state: u32 = 12345;
        for _ in 0..5000 {
            let len = (state % 9) as usize;
            let mut s = String::new();
            for _ in 0..len {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                s.push(alphabet[(state >> 16) as usize % alphabet.len()] as char);
            }
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            samples.push(s);
        }
        for s in &samples {
            assert_eq!(upper_camel(s), s.to_upper_camel_case(), "{s:?}");
            assert_eq!(snake(s), s.to_snake_case(), "{s:?}");
        }
    }
}
