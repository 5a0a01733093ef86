//! String enums: a unit variant per value the spec lists and `Other(String)` for any value
//! added later. `as_str`, `From<&str>`/`From<String>`, `Debug`, comparison and hashing (by
//! the JSON value) and the serde impls come from the runtime's `string_enum!`, one line per enum
//! instead of their expansion.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::ir::Enum;

pub(super) fn enum_def(
    name: &Ident,
    docs: TokenStream,
    e: &Enum,
    gate: &TokenStream,
) -> TokenStream {
    let idents: Vec<Ident> = e
        .variants
        .iter()
        .map(|v| format_ident!("{}", v.name))
        .collect();
    let values = e.variants.iter().map(|v| &v.value);
    quote! {
        #gate
        #docs
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum #name {
            #( #idents, )*
            /// A value this version of the client does not know, kept as sent.
            Other(String),
        }
        #gate
        crate::runtime::string_enum!(#name { #( #idents = #values ),* });
    }
}
