//! The `cfg` attributes of the crate's cargo features (see `ir::features`): an item compiles
//! when any of the features that need it is on.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;

use super::layout::WIDTH;

/// Each feature's `feature = "a"`.
fn each(features: &BTreeSet<String>) -> Vec<String> {
    features
        .iter()
        .map(|f| format!("feature = {}", super::code::string_literal(f)))
        .collect()
}

/// What `cfg(…)` holds: `feature = "a"` or `any(feature = "a", …)`.
fn content(each: &[String]) -> String {
    match each {
        [only] => only.clone(),
        all => format!("any({})", all.join(", ")),
    }
}

/// The `cfg` line of `features` as `prettyplease` lays it out: on one line when it fits,
/// else broken inside `cfg(…)` and, when that is not enough, inside `any(…)`, a feature per
/// line; `None` when that layout is not known here (a feature too long for a line).
fn laid_out(each: &[String]) -> Option<String> {
    let content = content(each);
    // `#[cfg(` and `)]` take 8 columns; broken, `any(` and `)` 5 more, at an indent of 4.
    if 8 + content.len() <= WIDTH {
        Some(format!("#[cfg({content})]\n"))
    } else if 4 + content.len() <= WIDTH {
        Some(format!("#[cfg(\n    {content}\n)]\n"))
    } else if each.len() > 1 && each.iter().all(|f| 9 + f.len() <= WIDTH) {
        Some(format!(
            "#[cfg(\n    any(\n        {}\n    )\n)]\n",
            each.join(",\n        ")
        ))
    } else {
        None
    }
}

/// The `cfg` attribute of an item: compiled when any of the features that need it is on.
pub struct Gate {
    /// Each feature's `feature = "a"`; empty for an item always compiled.
    each: Vec<String>,
    /// The attribute's line(s), ending in a newline; empty for an item always compiled.
    pub text: String,
    /// Whether [`Gate::text`] is what `prettyplease` prints; an item laid out as text
    /// falls back to `prettyplease` when it is not.
    pub exact: bool,
}

impl Gate {
    /// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`; no `cfg`
    /// for `None`.
    pub fn of(features: Option<&BTreeSet<String>>) -> Self {
        let Some(features) = features else {
            return Gate::none();
        };
        let each = each(features);
        let (text, exact) = match laid_out(&each) {
            Some(text) => (text, true),
            None => (format!("#[cfg({})]\n", content(&each)), false),
        };
        Gate { each, text, exact }
    }

    /// No `cfg`: an item always compiled.
    pub fn none() -> Self {
        Gate {
            each: Vec::new(),
            text: String::new(),
            exact: true,
        }
    }

    /// The attribute as tokens, for an item built with `quote`.
    pub fn tokens(&self) -> TokenStream {
        super::code::tokens_of(&self.text)
    }

    /// The `cfg` line of an item compiled when this gate's features are on and `also` is:
    /// one attribute, `#[cfg(all(…))]` when both say something.
    pub fn and(&self, also: &str) -> String {
        if self.each.is_empty() {
            format!("#[cfg({also})]\n")
        } else {
            format!("#[cfg(all({}, {also}))]\n", content(&self.each))
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    /// The text of a gate is what `prettyplease` prints, whatever the number and length of
    /// its features, in each of its three shapes.
    #[test]
    fn gate_text_is_what_prettyplease_prints() {
        let mut exact = 0;
        let mut shapes = BTreeSet::new();
        for count in 1..=12 {
            for length in 1..=30 {
                let features: BTreeSet<String> = (0..count)
                    .map(|i| format!("f{i}{}", "x".repeat(length)))
                    .collect();
                let gate = Gate::of(Some(&features));
                let tokens = gate.tokens();
                let file: syn::File = syn::parse2(quote! { #tokens struct X; }).unwrap();
                let printed = prettyplease::unparse(&file);
                let printed = printed.strip_suffix("struct X;\n").unwrap();
                if gate.exact {
                    assert_eq!(gate.text, printed, "{count} features of {length}");
                    exact += 1;
                    shapes.insert(gate.text.lines().count().min(4));
                }
            }
        }
        assert_eq!(exact, 12 * 30);
        // One line, broken inside `cfg(…)` (3 lines), or a feature per line.
        assert_eq!(shapes, BTreeSet::from([1, 3, 4]));
    }
}
