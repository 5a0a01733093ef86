//! Construction from what is required: `new(...)` taking the required values (each as
//! `impl Into<T>`), filling in implied ones and leaving the optional ones `None`; a chainable
//! setter per optional field, named after it, taking the value itself; and `Default` where
//! `new` takes nothing, as a call to `new` (cheaper to compile than a derived `Default`,
//! which calls `Default::default()` once per field). Shared by the models' structs and the
//! operations' multipart forms, which are `#[non_exhaustive]`: this is how code outside the
//! crate builds them, so a field added by a later spec breaks no caller.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use crate::naming::reserved::{self, MODEL_METHODS};

/// One field of a struct, as its constructors see it.
pub struct Member {
    pub name: Ident,
    pub role: Role,
}

pub enum Role {
    /// An argument of `new`, of this type.
    Required(TokenStream),
    /// Filled by `new` with this expression.
    Implied(TokenStream),
    /// `None` from `new`, set by a setter taking this type.
    Optional(TokenStream),
    /// `Default::default()` from `new`, no setter (the map of unknown properties).
    Defaulted,
}

/// `impl Name { new, setters }`, and `impl Default` when `new` takes nothing.
pub fn constructors(name: &Ident, members: &[Member], gate: &TokenStream) -> TokenStream {
    let mut methods = reserved::scope(MODEL_METHODS);
    let args = members.iter().filter_map(|m| match &m.role {
        Role::Required(ty) => {
            let field = &m.name;
            Some(quote! { #field: impl Into<#ty> })
        }
        _ => None,
    });
    let inits = members.iter().map(|m| {
        let field = &m.name;
        match &m.role {
            Role::Required(_) => quote! { #field: #field.into() },
            Role::Implied(value) => quote! { #field: #value },
            Role::Optional(_) => quote! { #field: None },
            Role::Defaulted => quote! { #field: Default::default() },
        }
    });
    let setters: Vec<TokenStream> = members
        .iter()
        .filter_map(|m| match &m.role {
            Role::Optional(ty) => {
                let field = &m.name;
                let method = format_ident!("{}", methods.claim(&field.to_string()));
                let doc = format!(" Sets [`{name}::{field}`].");
                Some(quote! {
                    #[doc = #doc]
                    pub fn #method(mut self, value: impl Into<#ty>) -> Self {
                        self.#field = Some(value.into());
                        self
                    }
                })
            }
            _ => None,
        })
        .collect();
    let required = members
        .iter()
        .filter(|m| matches!(m.role, Role::Required(_)))
        .count();
    let takes_nothing = required == 0;
    // One argument per required field, as the schema has them: a long list is the schema's.
    let allow_many = (required > 7).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let new_doc = if takes_nothing {
        format!(" A `{name}` with every optional field `None`; set them with the methods named after them.")
    } else {
        format!(" A `{name}` from its required fields; set optional ones with the methods named after them.")
    };
    let default = takes_nothing.then(|| {
        quote! {
            #gate
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    quote! {
        #gate
        impl #name {
            #[doc = #new_doc]
            #allow_many
            pub fn new(#( #args ),*) -> Self {
                Self { #( #inits, )* }
            }
            #( #setters )*
        }
        #default
    }
}
