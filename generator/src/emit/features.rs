//! The `cfg` attributes of the crate's cargo features (see `ir::features`): an item compiles
//! when any of the features that need it is on.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::layout::WIDTH;

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`; nothing for
/// `None` (always compiled).
pub fn gate(features: Option<&BTreeSet<String>>) -> TokenStream {
    match features.map(|f| f.iter().collect::<Vec<_>>()).as_deref() {
        None => TokenStream::new(),
        Some([only]) => quote! { #[cfg(feature = #only)] },
        Some(all) => quote! { #[cfg(any( #( feature = #all ),* ))] },
    }
}

/// [`gate`] as text, for the items laid out as text (see [`super::layout`]), laid out as
/// `prettyplease` lays it out: on one line when it fits, else broken inside `cfg(…)` and,
/// when that is not enough, inside `any(…)`, a feature per line; empty for `None`. A
/// feature too long for a line of its own gets one line that is not exact.
fn gate_layout(features: Option<&BTreeSet<String>>) -> GateText {
    match gate_text_at(features, 0) {
        Some(text) => GateText { text, exact: true },
        None => GateText {
            text: format!(
                "#[cfg({})]\n",
                content(&features.map(each).unwrap_or_default())
            ),
            exact: false,
        },
    }
}

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

/// [`gate`] as text at `depth` levels of indentation (an item inside a module), as
/// `prettyplease` lays it out; `None` when that layout is not known here.
pub fn gate_text_at(features: Option<&BTreeSet<String>>, depth: usize) -> Option<String> {
    let Some(features) = features else {
        return Some(String::new());
    };
    let indent = "    ".repeat(depth);
    let each = each(features);
    let content = content(&each);
    // `#[cfg(` and `)]` take 8 columns; broken, `any(` and `)` 5 more, at an indent of 4.
    if indent.len() + 8 + content.len() <= WIDTH {
        Some(format!("{indent}#[cfg({content})]\n"))
    } else if indent.len() + 4 + content.len() <= WIDTH {
        Some(format!(
            "{indent}#[cfg(\n{indent}    {content}\n{indent})]\n"
        ))
    } else if each.len() > 1 && each.iter().all(|f| indent.len() + 9 + f.len() <= WIDTH) {
        Some(format!(
            "{indent}#[cfg(\n{indent}    any(\n{indent}        {}\n{indent}    )\n{indent})]\n",
            each.join(&format!(",\n{indent}        "))
        ))
    } else {
        None
    }
}

struct GateText {
    text: String,
    exact: bool,
}

/// The `cfg` of an item's features both ways: as tokens for the items `prettyplease` lays
/// out, as text for those laid out as text.
pub struct Gate {
    pub tokens: TokenStream,
    pub text: String,
    /// Whether [`Gate::text`] is what `prettyplease` prints for [`Gate::tokens`]; an item
    /// that must match it is not laid out as text when it is not.
    pub exact: bool,
}

impl Gate {
    pub fn of(features: Option<&BTreeSet<String>>) -> Self {
        let GateText { text, exact } = gate_layout(features);
        Gate {
            tokens: gate(features),
            text,
            exact,
        }
    }

    /// No `cfg`: an item always compiled.
    pub fn none() -> Self {
        Gate {
            tokens: TokenStream::new(),
            text: String::new(),
            exact: true,
        }
    }
}

#[cfg(test)]
mod tests {
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
                let tokens = &gate.tokens;
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
