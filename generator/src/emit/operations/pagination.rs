//! `items` of a paginated list: the stream of the items of every page, fetching the next
//! page (by offset or by cursor) only when the previous one is used up.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::OperationItems;
use crate::emit::types::model_type;
use crate::ir::{IntegerKind, PageField, PageKind, Pagination};

impl OperationItems<'_> {
    /// `items`, for an operation with a pagination.
    pub(super) fn items(&self) -> Option<TokenStream> {
        let pages = self.op.pagination.as_ref()?;
        let error_enum = &self.error_enum;
        let item = model_type(&pages.item, &self.api.types);
        let call = match &pages.kind {
            PageKind::Offset { offset, limit } => self.offset_pages(pages, offset, limit.as_ref()),
            PageKind::Cursor { cursor, next } => self.cursor_pages(pages, cursor, next),
        };
        Some(quote! {
            /// Sends the request page after page, as the stream is polled: a stream of the
            /// items of every page, from the one the parameters select to the last.
            pub fn items(self) -> crate::runtime::Pages<'a, #item, #error_enum> {
                #call
            }
        })
    }

    fn offset_pages(
        &self,
        pages: &Pagination,
        offset: &(String, IntegerKind),
        limit: Option<&(String, IntegerKind)>,
    ) -> TokenStream {
        let offset_ident = format_ident!("{}", offset.0);
        let widen = |kind: IntegerKind, value: TokenStream| match kind {
            IntegerKind::I32 => quote! { #value.map(i64::from) },
            IntegerKind::I64 => value,
        };
        let start = widen(offset.1, quote! { self.#offset_ident });
        let limit = match limit {
            Some((name, kind)) => {
                let ident = format_ident!("{}", name);
                widen(*kind, quote! { self.#ident })
            }
            None => quote! { None },
        };
        let fetch = self.fetch_page(pages, page_field(&pages.results));
        let narrow = match offset.1 {
            IntegerKind::I32 => quote! { i32::try_from(offset).unwrap_or(i32::MAX) },
            IntegerKind::I64 => quote! { offset },
        };
        quote! {
            let start = #start.unwrap_or(0);
            let limit = #limit;
            crate::runtime::offset_pages(start, limit, move |offset| {
                let mut page = self.clone();
                page.#offset_ident = Some(#narrow);
                async move { #fetch }
            })
        }
    }

    fn cursor_pages(&self, pages: &Pagination, cursor: &str, next: &PageField) -> TokenStream {
        let cursor_ident = format_ident!("{}", cursor);
        let next_ident = format_ident!("{}", next.rust_name);
        let next = if next.optional {
            quote! { body.#next_ident }
        } else {
            quote! { Some(body.#next_ident) }
        };
        let results = page_field(&pages.results);
        let fetch = self.fetch_page(pages, quote! { (#results, #next) });
        quote! {
            let start = self.#cursor_ident.clone();
            crate::runtime::cursor_pages(start, move |cursor| {
                let mut page = self.clone();
                page.#cursor_ident = cursor;
                async move { #fetch }
            })
        }
    }

    /// Sends `page` and takes `extract` of its body; for a union of page shapes, of the one
    /// shape that pages.
    fn fetch_page(&self, pages: &Pagination, extract: TokenStream) -> TokenStream {
        match &pages.variant {
            None => quote! { page.send().await.map(|body| #extract) },
            Some(variant) => {
                let union = self.success_type();
                let variant = format_ident!("{}", variant);
                let expected = variant.to_string();
                quote! {
                    match page.send().await? {
                        #union::#variant(body) => Ok(#extract),
                        _ => Err(Error::UnexpectedPageShape { expected: #expected }),
                    }
                }
            }
        }
    }
}

/// A field of the page's body, `Vec` or `Option` of one read as empty when absent.
fn page_field(field: &PageField) -> TokenStream {
    let ident = format_ident!("{}", field.rust_name);
    if field.optional {
        quote! { body.#ident.unwrap_or_default() }
    } else {
        quote! { body.#ident }
    }
}
