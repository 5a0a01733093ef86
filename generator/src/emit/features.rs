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
