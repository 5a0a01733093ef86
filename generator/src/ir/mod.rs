//! The intermediate representation: what the client is made of, independent of both the
//! OpenAPI document's shape and Rust syntax.
//!
//! [`build`] makes it from a parsed document in three steps: every component schema gets a
//! [`TypeId`] and a name first (so forward references and cycles resolve), then schemas and
//! operations are converted, then reference cycles are broken with `Box` (the `cycles` module).
//!
//! This module holds the whole client ([`Api`]) and its types ([`Type`], [`TypeDef`]); what
//! an operation is on the wire ([`Operation`], its parameters, body, responses and security
//! schemes) lives in the `http` module and is re-exported here.

mod all_of;
mod alternatives;
mod cycles;
mod extensions;
mod features;
mod http;
mod implied;
mod operation;
mod patch;
mod samples;
mod schema;
mod usage;

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Error};

pub use http::{
    BodyEncoding, Decoded, EventStream, FormField, Location, Method, Operation, PageField,
    PageKind, Pagination, Parameter, PathPart, PathTemplate, RequestBody, Response, ResponseBody,
    SecurityScheme, StatusMatch, StreamAlternative, Success,
};
pub use operation::build_operations;
pub use schema::TypeSpace;
pub use usage::Usage;

/// The whole client.
#[derive(Debug)]
pub struct Api {
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    pub servers: Vec<Server>,
    pub types: TypeSpace,
    /// Sorted by path, then method, so output does not depend on key order in the spec.
    pub operations: Vec<Operation>,
    /// By scheme name.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// The spec's examples of component schemas and JSON responses, with their types.
    pub examples: Vec<Example>,
    /// The cargo features that select parts of the crate, sorted: one per group of
    /// operations (by first tag), and `schemas` for the schemas no operation uses.
    pub features: Vec<String>,
}

/// An example value the spec gives for a type.
#[derive(Debug, Clone)]
pub struct Example {
    pub pointer: String,
    pub ty: Type,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
}

/// Index of a named type in the [`TypeSpace`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TypeId(pub usize);

/// A type as it is used by a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Type {
    String,
    Bool,
    Integer(IntegerKind),
    /// Any JSON number, as `f64` (exact for every `float` and `double`).
    Number,
    Uuid,
    /// `format: date-time` (RFC 3339), keeping the offset it was written with.
    DateTime,
    /// `format: date` (`2024-05-17`).
    Date,
    /// Raw bytes (`format: binary`).
    Bytes,
    /// Any JSON value: free-form schemas and constructs not modelled yet.
    Json,
    Named(TypeId),
    Array(Box<Type>),
    /// A JSON object with arbitrary keys.
    Map(Box<Type>),
    Option(Box<Type>),
    /// Heap indirection that breaks a reference cycle.
    Boxed(Box<Type>),
}

impl Type {
    /// Wraps in `Option` unless it already is one.
    pub fn optional(self) -> Type {
        match self {
            Type::Option(_) => self,
            other => Type::Option(Box::new(other)),
        }
    }

    pub fn is_option(&self) -> bool {
        matches!(self, Type::Option(_))
    }

    /// The type without its outer `Option`, where presence is said elsewhere (a required
    /// argument, a union variant).
    pub fn required(self) -> Type {
        match self {
            Type::Option(inner) => *inner,
            other => other,
        }
    }

    /// Every named type mentioned anywhere in this type, appended to `out`.
    pub fn named_ids(&self, out: &mut Vec<TypeId>) {
        match self {
            Type::Named(id) => out.push(*id),
            Type::Array(inner) | Type::Map(inner) | Type::Option(inner) | Type::Boxed(inner) => {
                inner.named_ids(out)
            }
            _ => {}
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntegerKind {
    I32,
    I64,
}

/// A named type: a struct, an enum or an alias.
#[derive(Debug, Clone)]
pub struct TypeDef {
    pub name: String,
    /// The cargo features any of which compiles it; `None`: every operation reaches it, so
    /// it is always compiled.
    pub features: Option<std::collections::BTreeSet<String>>,
    /// Whether requests send it, responses bring it, or both.
    pub usage: Usage,
    /// Where the schema sits in the spec.
    pub pointer: String,
    pub description: Option<String>,
    pub kind: TypeKind,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    Struct(Struct),
    /// A string enum. Unknown values decode into an extra `Other(String)` variant.
    Enum(Enum),
    /// A name for another type (`type Foo = Vec<Bar>;`).
    Alias(Type),
    /// One of several types (`oneOf`/`anyOf`).
    Union(Union),
    /// A struct wrapping one type, for an alias that refers to itself (`A = Vec<A>`), which
    /// Rust's type aliases cannot express.
    Newtype(Type),
}

impl TypeKind {
    /// The named types this one mentions directly (fields, its map of other properties,
    /// variants, the aliased type), appended to `out`.
    pub fn named_children(&self, out: &mut Vec<TypeId>) {
        match self {
            TypeKind::Struct(s) => {
                s.fields.iter().for_each(|f| f.ty.named_ids(out));
                if let Some(additional) = &s.additional {
                    additional.named_ids(out);
                }
            }
            TypeKind::Union(u) => u.variants.iter().for_each(|v| v.ty.named_ids(out)),
            TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ty.named_ids(out),
            TypeKind::Enum(_) => {}
        }
    }
}

impl TypeSpace {
    /// `ty` with aliases followed: the type a Rust alias (`pub type A = i64;`) stands for, so
    /// two names of one Rust type compare equal.
    pub fn unaliased<'t>(&'t self, mut ty: &'t Type) -> &'t Type {
        for _ in 0..self.len() {
            match ty {
                Type::Named(id) => match &self.get(*id).kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return ty,
                },
                _ => return ty,
            }
        }
        ty
    }

    /// Whether each type (by id) is reachable from `roots` through the types they mention.
    pub fn reachable(&self, mut roots: Vec<TypeId>) -> Vec<bool> {
        let mut seen = vec![false; self.len()];
        while let Some(id) = roots.pop() {
            if !std::mem::replace(&mut seen[id.0], true) {
                self.get(id).kind.named_children(&mut roots);
            }
        }
        seen
    }
}

/// Alternatives. With a discriminator, the value of one property says which variant a JSON
/// object is, and an unknown value is kept; without, the first variant that decodes wins.
#[derive(Debug, Clone)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The discriminating property's name, when the spec names one.
    pub discriminator: Option<String>,
}

#[derive(Debug, Clone)]
pub struct UnionVariant {
    pub name: String,
    pub ty: Type,
    /// The discriminator value that selects this variant.
    pub tag: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Struct {
    pub fields: Vec<Field>,
    /// Properties not listed in `properties`, kept in a map of this value type (JSON values
    /// unless `additionalProperties` names a schema); `None` when the schema says
    /// `additionalProperties: false`, or when flattened parts keep them instead.
    pub additional: Option<Type>,
}

#[derive(Debug, Clone)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The field's own properties sit beside the struct's (`#[serde(flatten)]`): an `allOf`
    /// branch that is not an object, such as a union.
    pub flatten: bool,
    /// The schema allows `null`. With `required` false, the field may be absent or null;
    /// in PATCH bodies the two differ, and the field is an `Option<Option<T>>`.
    pub nullable: bool,
    /// The property name in JSON.
    pub json_name: String,
    pub ty: Type,
    pub required: bool,
    pub description: Option<String>,
    /// The one value the field can take, which constructors fill in: a `const` or one-value
    /// enum, or the tag of the discriminated union the struct is a variant of.
    pub implied: Option<Implied>,
}

impl Field {
    /// Constructors leave the field `None` and give it a setter: it is not required and its
    /// type is an `Option`. A required nullable field is an `Option` too, but an argument of
    /// `new`; a field with an [`implied`](Field::implied) value is filled in by `new`.
    pub fn is_optional(&self) -> bool {
        !self.required && self.ty.is_option()
    }
}

/// A value a constructor fills in for the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Implied {
    /// The variant (by Rust name) of the field's one-value string enum.
    Variant(String),
    /// A string: the discriminator value that selects the struct in a union.
    Text(String),
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    pub name: String,
    pub value: String,
}

/// The document's component schemas, moved out of it: the type space owns them.
fn take_component_schemas(
    doc: &mut openapiv3::OpenAPI,
) -> indexmap::IndexMap<String, openapiv3::ReferenceOr<openapiv3::Schema>> {
    doc.components
        .as_mut()
        .map(|c| std::mem::take(&mut c.schemas))
        .unwrap_or_default()
}

/// Builds the IR for a parsed (normalised) document. The document is taken apart on the
/// way, each part dropped once converted: for the largest specs, the document and the IR
/// together would be most of the memory generation takes.
pub fn build(mut doc: openapiv3::OpenAPI, diagnostics: &mut Vec<Diagnostic>) -> Result<Api, Error> {
    let mut types = TypeSpace::new(take_component_schemas(&mut doc))?;
    types.convert_components(diagnostics)?;
    let security_schemes = operation::security_schemes(&doc, diagnostics)?;
    let paths = std::mem::take(&mut doc.paths.paths);
    let mut operations = build_operations(&doc, paths, &mut types, &security_schemes, diagnostics)?;
    types.forget_schemas();
    cycles::break_cycles(&mut types, diagnostics);
    patch::keep_absent_apart_from_null(&mut types, &operations);
    implied::fill_implied_values(&mut types);
    usage::mark_usage(&mut types, &operations);
    let features = features::assign_features(&mut types, &mut operations);
    let mut examples = std::mem::take(&mut types.examples);
    examples.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    diagnostics.sort();
    diagnostics.dedup();
    Ok(Api {
        title: doc.info.title.clone(),
        version: doc.info.version.clone(),
        description: doc.info.description.clone(),
        servers: doc
            .servers
            .iter()
            .map(|s| Server {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        types,
        operations,
        security_schemes,
        examples,
        features,
    })
}

/// Type spaces made from small specs, for the tests of the modules that build the IR.
#[cfg(test)]
pub(crate) mod testing {
    use super::{Field, Struct, TypeDef, TypeId, TypeKind, TypeSpace, Union};
    use crate::error::{Diagnostic, Error};

    /// The component schemas written in `schemas` (the YAML mapping under
    /// `components/schemas`), normalised as in any spec and converted: the type space as
    /// schema conversion leaves it, before cycles are broken and the later passes run.
    /// The diagnostics are the conversion's alone, not normalising's. Runs on the
    /// pipeline's thread, whose stack deep nesting needs.
    pub(crate) fn try_convert(schemas: &str) -> Result<(TypeSpace, Vec<Diagnostic>), Error> {
        crate::on_pipeline_thread(|| {
            let schemas = crate::load::load_any(schemas)?;
            let tree = serde_json::json!({
                "openapi": "3.0.3",
                "info": {"title": "t", "version": "1"},
                "paths": {},
                "components": {"schemas": schemas},
            });
            let mut doc = crate::normalize::normalize(tree, &mut Vec::new())?;
            let mut types = TypeSpace::new(super::take_component_schemas(&mut doc))?;
            let mut diagnostics = Vec::new();
            types.convert_components(&mut diagnostics)?;
            Ok((types, diagnostics))
        })
    }

    /// [`try_convert`], for schemas that convert.
    pub(crate) fn convert(schemas: &str) -> (TypeSpace, Vec<Diagnostic>) {
        try_convert(schemas).unwrap_or_else(|e| panic!("the schemas convert: {e}"))
    }

    /// The id of the type named `name`.
    pub(crate) fn id(types: &TypeSpace, name: &str) -> TypeId {
        types
            .iter()
            .find(|(_, def)| def.name == name)
            .unwrap_or_else(|| panic!("no type named {name}: {:?}", names(types)))
            .0
    }

    /// The type named `name`.
    /// The type that the alias `name` stands for.
    pub(crate) fn alias<'t>(types: &'t TypeSpace, name: &str) -> &'t super::Type {
        match &def(types, name).kind {
            super::TypeKind::Alias(ty) => ty,
            other => panic!("{name} is not an alias: {other:?}"),
        }
    }

    pub(crate) fn def<'t>(types: &'t TypeSpace, name: &str) -> &'t TypeDef {
        types.get(id(types, name))
    }

    /// Every type's name, in id order.
    pub(crate) fn names(types: &TypeSpace) -> Vec<&str> {
        types.iter().map(|(_, def)| def.name.as_str()).collect()
    }

    /// The struct named `name`.
    pub(crate) fn strukt<'t>(types: &'t TypeSpace, name: &str) -> &'t Struct {
        match &def(types, name).kind {
            TypeKind::Struct(s) => s,
            other => panic!("{name} is not a struct: {other:?}"),
        }
    }

    /// The union named `name`.
    pub(crate) fn union<'t>(types: &'t TypeSpace, name: &str) -> &'t Union {
        match &def(types, name).kind {
            TypeKind::Union(u) => u,
            other => panic!("{name} is not a union: {other:?}"),
        }
    }

    /// The field of `s` for the JSON property `json_name`.
    pub(crate) fn field<'s>(s: &'s Struct, json_name: &str) -> &'s Field {
        s.fields
            .iter()
            .find(|f| f.json_name == json_name)
            .unwrap_or_else(|| panic!("no field for {json_name}: {s:?}"))
    }
}
