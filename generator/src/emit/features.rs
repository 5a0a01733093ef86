//! The `cfg` attributes of the crate's cargo features (see `ir::features`): an item compiles
//! when any of the features that need it is on.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::layout::{BROKEN, WIDTH};

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
/// `prettyplease` lays it out: on one line when it fits, else broken inside `cfg(…)` and
/// `any(…)`, a feature per line; empty for `None`. Where `prettyplease`'s choice is not
/// known (a line ending close to its margin), the text is one line and not exact.
fn gate_layout(features: Option<&BTreeSet<String>>) -> GateText {
    let Some(features) = features else {
        return GateText {
            text: String::new(),
            exact: true,
        };
    };
    let each: Vec<String> = features
        .iter()
        .map(|f| format!("feature = {}", proc_macro2::Literal::string(f)))
        .collect();
    let content = match each.as_slice() {
        [only] => only.clone(),
        all => format!("any({})", all.join(", ")),
    };
    let one_line = format!("#[cfg({content})]\n");
    // `#[cfg(` takes 6 columns.
    let fits = |end: usize| {
        if end <= WIDTH {
            Some(true)
        } else if end >= BROKEN {
            Some(false)
        } else {
            None
        }
    };
    let laid_out = match fits(6 + content.len()) {
        Some(true) => Some(one_line.clone()),
        Some(false) if each.len() == 1 => {
            (4 + content.len() <= WIDTH).then(|| format!("#[cfg(\n    {content}\n)]\n"))
        }
        // Past the margin, `any(…)` is broken too: at an indent of 4, what it holds would
        // end at column 8 + (content - 5) >= 90.
        Some(false) if each.iter().all(|f| 8 + f.len() < WIDTH) => Some(format!(
            "#[cfg(\n    any(\n        {}\n    )\n)]\n",
            each.join(",\n        ")
        )),
        Some(false) => None,
        None => None,
    };
    match laid_out {
        Some(text) => GateText { text, exact: true },
        None => GateText {
            text: one_line,
            exact: false,
        },
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

    /// Whenever the text of a gate claims to be exact, it is what `prettyplease` prints, on
    /// one line or a feature per line; and most lengths are exact.
    #[test]
    fn gate_text_is_what_prettyplease_prints() {
        let mut exact = 0;
        let mut shapes = BTreeSet::new();
        for count in 1..=12 {
            for length in [3, 7, 12, 20] {
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
        assert!(exact >= 40, "only {exact} of 48 exact");
        // One line, or a feature per line.
        assert_eq!(shapes, BTreeSet::from([1, 4]));
    }
}
