//! `allOf`: inheritance. The properties and `required` of every object branch merge into one
//! struct, branches that are not objects (a union, say) are flattened beside it, and an
//! `allOf` that only annotates one `$ref` is that type itself. Also the look through
//! references (`peek`) and the gathering of a schema's object parts (`ObjectParts`), which
//! naming and tagging `oneOf`/`anyOf` branches use too.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use openapiv3::{AdditionalProperties, AnySchema, ReferenceOr, Schema, SchemaKind};

use super::schema::{Shape, TypeSpace};
use super::{Field, Struct, Type, TypeKind};
use crate::error::{Diagnostic, Error};
use crate::naming::{snake_name, NameScope};
use crate::pointer::Pointer;

/// How many `$ref` hops a look inside a schema follows before giving up (reference loops).
const MAX_HOPS: usize = 32;

/// The object parts of `allOf` branches, merged.
#[derive(Default)]
pub(super) struct ObjectParts {
    pub(super) properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub(super) required: Vec<String>,
    additional: Option<AdditionalProperties>,
}

impl ObjectParts {
    fn add(
        &mut self,
        properties: &IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
    ) {
        for (name, schema) in properties {
            self.properties.insert(name.clone(), schema.clone());
        }
        for name in required {
            if !self.required.contains(name) {
                self.required.push(name.clone());
            }
        }
        if let Some(additional) = additional {
            self.additional = Some(additional.clone());
        }
    }
}

impl TypeSpace {
    /// The schema a reference names, following references; `None` for a loop or a dangling one.
    pub(super) fn peek<'a>(&'a self, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        let mut current = schema;
        for _ in 0..MAX_HOPS {
            match current {
                ReferenceOr::Item(s) => return Some(s),
                ReferenceOr::Reference { reference } => {
                    current = self.raw.get(reference).map(std::sync::Arc::as_ref)?
                }
            }
        }
        None
    }

    /// Adds a branch's object parts; `false` when the branch is not an object.
    pub(super) fn collect_object(
        &self,
        schema: &ReferenceOr<Schema>,
        parts: &mut ObjectParts,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        if let ReferenceOr::Reference { reference } = schema {
            if !seen.insert(reference.clone()) {
                // A cycle through allOf adds nothing new.
                return true;
            }
        }
        let Some(schema) = self.peek(schema) else {
            return false;
        };
        match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => {
                parts.add(&o.properties, &o.required, o.additional_properties.as_ref());
                true
            }
            SchemaKind::AllOf { all_of } => {
                all_of.iter().all(|b| self.collect_object(b, parts, seen))
            }
            SchemaKind::Any(a) => {
                let object_like = matches!(a.typ.as_deref(), None | Some("object"))
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.not.is_none()
                    && a.items.is_none()
                    && a.enumeration.is_empty();
                if !object_like {
                    return false;
                }
                parts.add(&a.properties, &a.required, a.additional_properties.as_ref());
                a.all_of.iter().all(|b| self.collect_object(b, parts, seen))
            }
            _ => false,
        }
    }

    /// `allOf`: one struct with every branch's properties, or the single non-object branch
    /// when the others only add prose. `extra` holds properties written beside `allOf`.
    pub(super) fn all_of(
        &mut self,
        branches: &[ReferenceOr<Schema>],
        extra: Option<&AnySchema>,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        if let Some(ty) = self.all_of_wrapper(branches, extra, at)? {
            return Ok(Shape::Type(ty));
        }
        let adds_properties = extra.is_some_and(|a| !a.properties.is_empty());
        if let ([only], false) = (branches, adds_properties) {
            return Ok(Shape::Type(self.convert(
                only,
                hint,
                &at.push("0"),
                diagnostics,
            )?));
        }
        let mut parts = ObjectParts::default();
        let mut seen = BTreeSet::new();
        let mut others = Vec::new();
        for (i, branch) in branches.iter().enumerate() {
            let mut branch_parts = ObjectParts::default();
            if self.collect_object(branch, &mut branch_parts, &mut seen) {
                parts.add(
                    &branch_parts.properties,
                    &branch_parts.required,
                    branch_parts.additional.as_ref(),
                );
            } else {
                others.push(i);
            }
        }
        if let Some(extra) = extra {
            parts.add(
                &extra.properties,
                &extra.required,
                extra.additional_properties.as_ref(),
            );
        }
        if let ([i], true) = (others.as_slice(), parts.properties.is_empty()) {
            return Ok(Shape::Type(self.convert(
                &branches[*i],
                hint,
                &at.push(i.to_string()),
                diagnostics,
            )?));
        }
        // Object parts become fields; each other branch (a union, say) is flattened beside them.
        let mut strukt = match self.object(
            &parts.properties,
            &parts.required,
            parts.additional.as_ref(),
            hint,
            at,
            diagnostics,
        )? {
            Shape::Def(TypeKind::Struct(s)) => s,
            Shape::Def(_) => Struct {
                fields: Vec::new(),
                additional: None,
            },
            Shape::Type(Type::Map(value)) => Struct {
                fields: Vec::new(),
                additional: Some(*value),
            },
            Shape::Type(_) => Struct {
                fields: Vec::new(),
                additional: None,
            },
        };
        let mut names = NameScope::new();
        for field in &strukt.fields {
            names.reserve(&field.name);
        }
        let other_branches: Vec<(usize, &ReferenceOr<Schema>)> =
            others.iter().map(|&i| (i, &branches[i])).collect();
        let hints = self.branch_hints(&other_branches, hint);
        for (i, branch_hint) in others.into_iter().zip(hints) {
            let ty = self.convert_branch(
                &branches[i],
                &branch_hint,
                &at.push(i.to_string()),
                diagnostics,
            )?;
            let ty = ty.required();
            let wanted = match &ty {
                Type::Named(id) => snake_name(&self.get(*id).name),
                _ => format!("part_{}", i + 1),
            };
            strukt.fields.push(Field {
                implied: None,
                name: names.claim(&wanted),
                json_name: String::new(),
                ty,
                required: true,
                flatten: true,
                nullable: false,
                description: None,
            });
        }
        if strukt.fields.iter().any(|f| f.flatten) && strukt.additional == Some(Type::Json) {
            // The flattened parts see the properties the struct does not name, and keep the
            // ones they do not know themselves: a second catch-all would write them twice.
            strukt.additional = None;
        }
        Ok(Shape::Def(TypeKind::Struct(strukt)))
    }

    /// `allOf: [{$ref: X}, {description: ...}]`: one reference dressed with branches that only
    /// annotate it (description, title, examples, default, nullable, readOnly, writeOnly,
    /// deprecated) is X itself, not a new type; nullable when X or an annotation says so.
    /// `None` when the branches say more than that.
    fn all_of_wrapper(
        &self,
        branches: &[ReferenceOr<Schema>],
        extra: Option<&AnySchema>,
        at: &Pointer,
    ) -> Result<Option<Type>, Error> {
        // Keywords written beside `allOf` must not constrain anything either.
        if let Some(extra) = extra {
            let mut rest = extra.clone();
            rest.all_of.clear();
            if rest.typ.as_deref() == Some("object") {
                rest.typ = None;
            }
            if rest != AnySchema::default() {
                return Ok(None);
            }
        }
        let annotation_only = |s: &Schema| {
            s.schema_data.discriminator.is_none()
                && matches!(&s.schema_kind, SchemaKind::Any(a) if *a == AnySchema::default())
        };
        let mut target = None;
        let mut nullable = false;
        for (i, branch) in branches.iter().enumerate() {
            match branch {
                ReferenceOr::Reference { reference } if target.is_none() => {
                    target = Some((i, reference));
                }
                ReferenceOr::Item(s) if annotation_only(s) => nullable |= s.schema_data.nullable,
                _ => return Ok(None),
            }
        }
        let Some((i, reference)) = target.filter(|_| branches.len() > 1) else {
            return Ok(None);
        };
        let ty = self.resolve(reference, &at.push(i.to_string()))?;
        Ok(Some(if nullable { ty.optional() } else { ty }))
    }
}
