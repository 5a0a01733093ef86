//! Pagination: a list marked `x-speakeasy-pagination` (offset/limit or cursor) becomes a
//! [`Pagination`] when the parameters and body fields it names are found; otherwise a
//! warning at the extension says what is missing, and the operation has no paging method.

use super::OperationContext;
use crate::error::Diagnostic;
use crate::ir::extensions::{self, PaginationExtension, PaginationOutputs};
use crate::ir::{
    Location, PageField, PageKind, Pagination, Parameter, Response, Struct, Type, TypeId, TypeKind,
    TypeSpace,
};

impl OperationContext<'_> {
    /// The pages of a list marked `x-speakeasy-pagination`, when its parameters and body
    /// fields are found; otherwise a diagnostic and no paging method.
    pub(super) fn pagination(
        &self,
        op: &openapiv3::Operation,
        parameters: &[Parameter],
        responses: &[Response],
        types: &TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Option<Pagination> {
        const KEY: &str = "x-speakeasy-pagination";
        let spec: PaginationExtension =
            extensions::read(&op.extensions, KEY, &self.at, diagnostics)?;
        let pages = Pages {
            spec: &spec,
            parameters,
            types,
        };
        match pages.pagination(responses) {
            Ok(pagination) => Some(pagination),
            Err(message) => {
                diagnostics.push(Diagnostic::warning(
                    &self.at.push(KEY),
                    format!("{message}; no paging method"),
                ));
                None
            }
        }
    }
}

/// What the pagination is looked up in: the extension, the operation's parameters, and the
/// types of its success body.
struct Pages<'a> {
    spec: &'a PaginationExtension,
    parameters: &'a [Parameter],
    types: &'a TypeSpace,
}

impl Pages<'_> {
    fn pagination(&self, responses: &[Response]) -> Result<Pagination, String> {
        let successes: Vec<&Response> =
            responses.iter().filter(|r| r.status.is_success()).collect();
        let [success] = successes.as_slice() else {
            return Err("the list has more or fewer than one success response".to_owned());
        };
        let body_type = success
            .body
            .as_ref()
            .map(|b| self.resolve(b.ty.clone().required()));
        let (body, variant) = self.page_body(body_type)?;
        let Some((results, Type::Array(item))) = self.field(body, self.output_results()) else {
            return Err(
                "`outputs.results` does not name an array field of the success body".into(),
            );
        };
        let kind = match self.spec.kind.as_str() {
            "offsetLimit" => {
                let Some(offset) = self.input("offset").and_then(integer) else {
                    return Err("no optional integer `offset` query parameter".to_owned());
                };
                PageKind::Offset {
                    offset,
                    limit: self.input("limit").and_then(integer),
                }
            }
            "cursor" => {
                let cursor = self
                    .input("cursor")
                    .filter(|p| p.ty.clone().required() == Type::String);
                let next = self
                    .field(body, self.output_next_cursor())
                    .filter(|(_, ty)| ty == &Type::String);
                let (Some(cursor), Some((next, _))) = (cursor, next) else {
                    return Err(
                        "no optional string `cursor` query parameter and `nextCursor` string field"
                            .to_owned(),
                    );
                };
                PageKind::Cursor {
                    cursor: cursor.rust_name.clone(),
                    next,
                }
            }
            other => return Err(format!("pagination type {other:?} is not supported")),
        };
        Ok(Pagination {
            kind,
            results,
            item: *item,
            variant,
        })
    }

    /// The page struct of the success body, and for a union of page shapes the variant of
    /// the one shape that has the outputs.
    fn page_body(&self, body_type: Option<Type>) -> Result<(&Struct, Option<String>), String> {
        let Some(Type::Named(id)) = body_type else {
            return Err("the success body is not an object".to_owned());
        };
        match &self.types.get(id).kind {
            TypeKind::Struct(_) => match self.page(id) {
                Some(body) => Ok((body, None)),
                None => Err("the success body has no array field that `outputs.results` names (and, for cursors, no string field `outputs.nextCursor` names)".to_owned()),
            },
            TypeKind::Union(union) => {
                let pages: Vec<_> = union
                    .variants
                    .iter()
                    .filter_map(|v| match &v.ty {
                        Type::Named(id) => self.page(*id).map(|body| (body, v.name.clone())),
                        _ => None,
                    })
                    .collect();
                match <[_; 1]>::try_from(pages) {
                    Ok([(body, variant)]) => Ok((body, Some(variant))),
                    Err(_) => Err("the success body is a union in which not exactly one shape has the outputs".to_owned()),
                }
            }
            _ => Err("the success body is not an object".to_owned()),
        }
    }

    /// A struct that has the outputs the pagination names.
    fn page(&self, id: TypeId) -> Option<&Struct> {
        let TypeKind::Struct(body) = &self.types.get(id).kind else {
            return None;
        };
        let has_results = matches!(
            self.field(body, self.output_results()),
            Some((_, Type::Array(_)))
        );
        let has_next = self.spec.kind != "cursor"
            || matches!(
                self.field(body, self.output_next_cursor()),
                Some((_, Type::String))
            );
        (has_results && has_next).then_some(body)
    }

    /// A field of a page struct, by JSON name: its access and its type.
    fn field(&self, body: &Struct, name: Option<&str>) -> Option<(PageField, Type)> {
        let f = body
            .fields
            .iter()
            .find(|f| Some(f.json_name.as_str()) == name && !f.flatten)?;
        Some((
            PageField {
                rust_name: f.name.clone(),
                optional: f.ty.is_option(),
            },
            self.resolve(f.ty.clone().required()),
        ))
    }

    /// The optional query parameter an input of this kind names.
    fn input(&self, kind: &str) -> Option<&Parameter> {
        let name = self.spec.input(kind)?;
        self.parameters
            .iter()
            .find(|p| p.name == name && p.location == Location::Query && !p.required)
    }

    fn output_results(&self) -> Option<&str> {
        PaginationOutputs::field(self.spec.outputs.results.as_deref())
    }

    fn output_next_cursor(&self) -> Option<&str> {
        PaginationOutputs::field(self.spec.outputs.next_cursor.as_deref())
    }

    /// The type an alias names, through up to 16 aliases.
    fn resolve(&self, mut ty: Type) -> Type {
        for _ in 0..16 {
            match ty {
                Type::Named(id) => match &self.types.get(id).kind {
                    TypeKind::Alias(inner) => ty = inner.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        ty
    }
}

/// An integer parameter's Rust name and kind.
fn integer(p: &Parameter) -> Option<(String, crate::ir::IntegerKind)> {
    match p.ty.clone().required() {
        Type::Integer(kind) => Some((p.rust_name.clone(), kind)),
        _ => None,
    }
}
