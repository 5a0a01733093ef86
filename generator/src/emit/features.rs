//! The `cfg` attributes of the crate's cargo features (see `ir::features`): an item compiles
//! when any of the features that need it is on.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

/// `#[cfg(feature = "a")]`, or `#[cfg(any(feature = "a", feature = "b"))]`; nothing for
/// `None` (always compiled).
pub fn gate(features: Option<&BTreeSet<String>>) -> TokenStream {
    match features.map(|f| f.iter().collect::<Vec<_>>()).as_deref() {
        None => TokenStream::new(),
        Some([only]) => quote! { #[cfg(feature = #only)] },
        Some(all) => quote! { #[cfg(any( #( feature = #all ),* ))] },
    }
}

/// [`gate`] as a line of text, for the items laid out as text (see [`super::code`]); empty
/// for `None`.
pub fn gate_text(features: Option<&BTreeSet<String>>) -> String {
    let Some(features) = features else {
        return String::new();
    };
    let each: Vec<String> = features
        .iter()
        .map(|f| format!("feature = {}", proc_macro2::Literal::string(f)))
        .collect();
    match each.as_slice() {
        [only] => format!("#[cfg({only})]\n"),
        all => format!("#[cfg(any({}))]\n", all.join(", ")),
    }
}

/// The `cfg` of an item's features both ways: as tokens for the items `prettyplease` lays
/// out, as text for those laid out as text.
#[derive(Default)]
pub struct Gate {
    pub tokens: TokenStream,
    pub text: String,
}

impl Gate {
    pub fn of(features: Option<&BTreeSet<String>>) -> Self {
        Gate {
            tokens: gate(features),
            text: gate_text(features),
        }
    }
}
