//! The types of `models`, matched by their Rust name: structs field by field, string enums
//! value by value, unions variant by variant, aliases and newtypes by what they name.
//!
//! Fields are compared as code reads them (their type) and as code builds the struct (their
//! role in the constructors: an argument of `new`, filled in by `new`, or a setter). Whether
//! a new argument of `new` breaks callers depends on who builds the type: a type sent in a
//! request (reachable from a parameter or a request body) is built by callers, who must then
//! give the field; a type reachable only from responses is only decoded, and code that reads
//! it is not affected (its `new` exists, and gains the argument, but only code that builds a
//! response itself, such as a test's fake server, calls it). A type no operation uses counts
//! as built by callers.

use std::collections::{BTreeMap, BTreeSet};

use super::{push, render, Change, ChangeKind, Side};
use crate::ir::{Api, Field, Type, TypeDef, TypeId, TypeKind};

/// The names of the types that callers build: reachable from a request, or from nothing.
fn built_by_callers(api: &Api) -> BTreeSet<String> {
    let mut input = Vec::new();
    let mut output = Vec::new();
    for op in &api.operations {
        for p in &op.parameters {
            p.ty.named_ids(&mut input);
        }
        let mut body = op.body.as_ref();
        while let Some(b) = body {
            b.ty.named_ids(&mut input);
            for f in b.form.iter().flatten() {
                f.ty.named_ids(&mut input);
            }
            body = b.alternative.as_deref();
        }
        for r in &op.responses {
            if let Some(b) = &r.body {
                b.ty.named_ids(&mut output);
            }
        }
        if let Some(events) = &op.events {
            events.item.named_ids(&mut output);
        }
    }
    let (input, output) = (reachable(api, input), reachable(api, output));
    api.types
        .iter()
        .filter(|(id, _)| input.contains(id) || !output.contains(id))
        .map(|(_, def)| def.name.clone())
        .collect()
}

/// Every named type reachable from `roots` through fields, variants and aliases.
fn reachable(api: &Api, mut stack: Vec<TypeId>) -> BTreeSet<TypeId> {
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        match &api.types.get(id).kind {
            TypeKind::Struct(s) => {
                for f in &s.fields {
                    f.ty.named_ids(&mut stack);
                }
                if let Some(additional) = &s.additional {
                    additional.named_ids(&mut stack);
                }
            }
            TypeKind::Union(u) => {
                for v in &u.variants {
                    v.ty.named_ids(&mut stack);
                }
            }
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ty.named_ids(&mut stack),
            TypeKind::Enum(_) => {}
        }
    }
    seen
}

fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct(_) => "struct",
        TypeKind::Enum(_) => "enum",
        TypeKind::Alias(_) => "type alias",
        TypeKind::Union(_) => "union enum",
        TypeKind::Newtype(_) => "newtype struct",
    }
}

pub(super) fn compare(old: &Api, new: &Api, changes: &mut Vec<Change>) {
    let by_name = |api: &Api| -> BTreeMap<String, TypeDef> {
        api.types
            .iter()
            .map(|(_, def)| (def.name.clone(), def.clone()))
            .collect()
    };
    let (old_defs, new_defs) = (by_name(old), by_name(new));
    let built = &built_by_callers(old) | &built_by_callers(new);
    for (name, def) in &old_defs {
        if !new_defs.contains_key(name) {
            changes.push(Change::new(
                ChangeKind::TypeRemoved,
                format!("models::{name}"),
                format!("{} removed", kind_name(&def.kind)),
                Side::Old,
                &def.pointer,
            ));
        }
    }
    for (name, def) in &new_defs {
        let Some(before) = old_defs.get(name) else {
            changes.push(Change::new(
                ChangeKind::TypeAdded,
                format!("models::{name}"),
                format!("{} added", kind_name(&def.kind)),
                Side::New,
                &def.pointer,
            ));
            continue;
        };
        let pair = Pair {
            old,
            new,
            name,
            before,
            after: def,
            built: built.contains(name),
        };
        pair.compare(changes);
    }
}

/// One type in both versions.
struct Pair<'a> {
    old: &'a Api,
    new: &'a Api,
    name: &'a str,
    before: &'a TypeDef,
    after: &'a TypeDef,
    /// Callers build it (see the module's docs).
    built: bool,
}

impl Pair<'_> {
    fn item(&self, member: &str) -> String {
        format!("models::{}::{member}", self.name)
    }

    fn old_type(&self, ty: &Type) -> String {
        render(ty, &self.old.types)
    }

    fn new_type(&self, ty: &Type) -> String {
        render(ty, &self.new.types)
    }

    fn compare(&self, changes: &mut Vec<Change>) {
        match (&self.before.kind, &self.after.kind) {
            (TypeKind::Struct(before), TypeKind::Struct(after)) => {
                self.fields(&before.fields, &after.fields, changes);
                let additional = |s: &crate::ir::Struct, api: &Api| {
                    s.additional.as_ref().map(|ty| render(ty, &api.types))
                };
                let at = push(&self.after.pointer, "additionalProperties");
                match (additional(before, self.old), additional(after, self.new)) {
                    (Some(_), None) => changes.push(Change::new(
                        ChangeKind::FieldRemoved,
                        self.item("additional_properties"),
                        "field removed: the schema no longer allows other properties",
                        Side::Old,
                        push(&self.before.pointer, "additionalProperties"),
                    )),
                    (None, Some(ty)) => changes.push(Change::new(
                        ChangeKind::OptionalFieldAdded,
                        self.item("additional_properties"),
                        format!("field added: BTreeMap<String, {ty}> of the other properties"),
                        Side::New,
                        at,
                    )),
                    (Some(a), Some(b)) if a != b => changes.push(Change::new(
                        ChangeKind::FieldTypeChanged,
                        self.item("additional_properties"),
                        format!("type changed: BTreeMap<String, {a}> → BTreeMap<String, {b}>"),
                        Side::New,
                        at,
                    )),
                    _ => {}
                }
            }
            (TypeKind::Enum(before), TypeKind::Enum(after)) => {
                let at = push(&self.after.pointer, "enum");
                for v in &before.variants {
                    if !after.variants.iter().any(|a| a.name == v.name) {
                        changes.push(Change::new(
                            ChangeKind::EnumVariantRemoved,
                            self.item(&v.name),
                            format!("value {:?} removed", v.value),
                            Side::Old,
                            push(&self.before.pointer, "enum"),
                        ));
                    }
                }
                for v in &after.variants {
                    if !before.variants.iter().any(|b| b.name == v.name) {
                        changes.push(Change::new(
                            ChangeKind::EnumVariantAdded,
                            self.item(&v.name),
                            format!("value {:?} added", v.value),
                            Side::New,
                            at.clone(),
                        ));
                    }
                }
            }
            (TypeKind::Union(before), TypeKind::Union(after)) => {
                for v in &before.variants {
                    if !after.variants.iter().any(|a| a.name == v.name) {
                        changes.push(Change::new(
                            ChangeKind::UnionVariantRemoved,
                            self.item(&v.name),
                            format!("variant {}({}) removed", v.name, self.old_type(&v.ty)),
                            Side::Old,
                            &self.before.pointer,
                        ));
                    }
                }
                for v in &after.variants {
                    let ty = self.new_type(&v.ty);
                    match before.variants.iter().find(|b| b.name == v.name) {
                        None => changes.push(Change::new(
                            ChangeKind::UnionVariantAdded,
                            self.item(&v.name),
                            format!("variant {}({ty}) added", v.name),
                            Side::New,
                            &self.after.pointer,
                        )),
                        Some(b) if self.old_type(&b.ty) != ty => changes.push(Change::new(
                            ChangeKind::UnionVariantChanged,
                            self.item(&v.name),
                            format!(
                                "variant {} holds another type: {} → {ty}",
                                v.name,
                                self.old_type(&b.ty)
                            ),
                            Side::New,
                            &self.after.pointer,
                        )),
                        Some(_) => {}
                    }
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b))
            | (TypeKind::Newtype(a), TypeKind::Newtype(b)) => {
                let (a, b) = (self.old_type(a), self.new_type(b));
                if a != b {
                    changes.push(Change::new(
                        ChangeKind::TypeChanged,
                        format!("models::{}", self.name),
                        format!(
                            "{} now names another type: {a} → {b}",
                            kind_name(&self.after.kind)
                        ),
                        Side::New,
                        &self.after.pointer,
                    ));
                }
            }
            (before, after) => changes.push(Change::new(
                ChangeKind::TypeChanged,
                format!("models::{}", self.name),
                format!("was a {}, is now a {}", kind_name(before), kind_name(after)),
                Side::New,
                &self.after.pointer,
            )),
        }
    }

    fn fields(&self, before: &[Field], after: &[Field], changes: &mut Vec<Change>) {
        let at = |def: &TypeDef, f: &Field| push(&push(&def.pointer, "properties"), &f.json_name);
        for f in before {
            if !after.iter().any(|a| a.name == f.name) {
                changes.push(Change::new(
                    ChangeKind::FieldRemoved,
                    self.item(&f.name),
                    format!("field removed (property `{}`)", f.json_name),
                    Side::Old,
                    at(self.before, f),
                ));
            }
        }
        for f in after {
            let ty = self.new_type(&f.ty);
            let property = format!("(property `{}`)", f.json_name);
            let is = Role::of(f);
            let Some(b) = before.iter().find(|b| b.name == f.name) else {
                let (kind, what) = match is {
                    Role::Setter => (ChangeKind::OptionalFieldAdded, "optional field added"),
                    Role::Implied => (
                        ChangeKind::ImpliedFieldAdded,
                        "field added, filled in by `new`",
                    ),
                    Role::Argument if self.built => {
                        (ChangeKind::RequiredField, "required field added")
                    }
                    Role::Argument => (ChangeKind::ResponseFieldAdded, "required field added"),
                };
                let nullable = if is == Role::Argument && f.ty.is_option() {
                    "; nullable, so `new` takes an `Option`"
                } else {
                    ""
                };
                changes.push(Change::new(
                    kind,
                    self.item(&f.name),
                    format!("{what}: {ty} (property `{}`{nullable})", f.json_name),
                    Side::New,
                    at(self.after, f),
                ));
                continue;
            };
            let old_ty = self.old_type(&b.ty);
            let retyped = old_ty != ty || b.flatten != f.flatten;
            let was = Role::of(b);
            let change = |kind, detail: String| {
                Change::new(
                    kind,
                    self.item(&f.name),
                    detail,
                    Side::New,
                    at(self.after, f),
                )
            };
            if is == Role::Argument && was != Role::Argument && self.built {
                // `new` takes one more argument.
                let how = match was {
                    Role::Implied => "`new` no longer fills it in: it is an argument of `new`",
                    _ => "it became required: an argument of `new`",
                };
                let detail = if retyped {
                    format!("type changed: {old_ty} → {ty} ({how})")
                } else {
                    format!("{how} {property}")
                };
                changes.push(change(ChangeKind::RequiredField, detail));
            } else if retyped {
                let why = if was == Role::Setter && is == Role::Argument {
                    " (it became required)"
                } else if !b.ty.is_option() && f.ty.is_option() {
                    " (it is no longer required, or became nullable)"
                } else {
                    ""
                };
                changes.push(change(
                    ChangeKind::FieldTypeChanged,
                    format!("type changed: {old_ty} → {ty}{why}"),
                ));
            } else if self.built && was != is && is != Role::Argument {
                // Same type, and code that reads the field is not affected; code that builds
                // the struct loses an argument of `new` or a setter.
                let detail = match (was, is) {
                    (Role::Argument, Role::Setter) => format!(
                        "no longer required: `new` takes one argument fewer, a setter sets it {property}"
                    ),
                    (Role::Argument, _) => {
                        format!("now filled in by `new`: `new` takes one argument fewer {property}")
                    }
                    (Role::Setter, _) => {
                        format!("now filled in by `new`: its setter is gone {property}")
                    }
                    // Implied → setter: a setter appears, nothing is taken away.
                    _ => continue,
                };
                changes.push(change(ChangeKind::ConstructorChanged, detail));
            }
        }
    }
}

/// How `new` and the setters treat a field, as the generated constructors do
/// (`emit::models::structs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    /// An argument of `new`: required (a required nullable field takes an `Option`).
    Argument,
    /// Filled in by `new` with its one value; no argument, no setter.
    Implied,
    /// `None` from `new`, set by a setter named after the field.
    Setter,
}

impl Role {
    fn of(field: &Field) -> Role {
        if field.implied.is_some() {
            Role::Implied
        } else if field.is_optional() {
            Role::Setter
        } else {
            Role::Argument
        }
    }
}
