//! Schemas into named types: the type space.
//!
//! Every component schema gets its [`TypeId`] and name before any is converted, so a
//! reference resolves whether its target comes before or after it, or is the schema itself.
//! Inline schemas that need a name (objects, enums) get one from where they sit:
//! `FileDeleteResponse` + property `type` → `FileDeleteResponseType`.

use std::collections::BTreeMap;
use std::sync::Arc;

use openapiv3::{
    AdditionalProperties, IntegerFormat, ReferenceOr, Schema, SchemaKind, StringFormat,
    VariantOrUnknownOrEmpty,
};

use super::{Enum, Field, IntegerKind, Struct, Type, TypeDef, TypeId, TypeKind, Variant};
use crate::error::{Diagnostic, Error};
use crate::naming::{snake_name, type_name, variant_name, NameScope};
use crate::pointer::Pointer;

const COMPONENT_PREFIX: &str = "#/components/schemas/";

/// All named types of the client.
#[derive(Debug)]
pub struct TypeSpace {
    pub(super) defs: Vec<TypeDef>,
    pub(super) by_ref: BTreeMap<String, TypeId>,
    pub(super) names: NameScope,
    /// Component schemas as written, by reference, for combinations that look inside them;
    /// moved out of the document (not copied), and emptied when the IR is built.
    pub(super) raw: BTreeMap<String, Arc<ReferenceOr<Schema>>>,
    /// The component schemas' keys in the document's order, the order they are converted in.
    component_order: Vec<String>,
    /// How deep schema conversion is nested, to refuse pathological nesting.
    pub(super) depth: usize,
    /// Examples met on the way (component schemas, responses).
    pub(super) examples: Vec<super::Example>,
    /// Component schemas that allow `null`: every reference to one is an `Option`.
    nullable: std::collections::BTreeSet<TypeId>,
}

/// What a schema turns into: a type usable in place, or a definition that needs a name.
pub(super) enum Shape {
    Type(Type),
    Def(TypeKind),
}

impl TypeSpace {
    /// Gives every component schema an id and a unique name, taking the schemas.
    pub fn new(schemas: indexmap::IndexMap<String, ReferenceOr<Schema>>) -> Result<Self, Error> {
        let mut space = TypeSpace {
            defs: Vec::new(),
            by_ref: BTreeMap::new(),
            names: NameScope::new(),
            raw: BTreeMap::new(),
            component_order: schemas.keys().cloned().collect(),
            depth: 0,
            examples: Vec::new(),
            nullable: std::collections::BTreeSet::new(),
        };
        let reserved = crate::naming::reserved::MODEL_NAMES.iter();
        for name in reserved.chain(crate::naming::reserved::PRELUDE_TYPES) {
            space.names.reserve(name);
        }
        let mut schemas: Vec<(String, ReferenceOr<Schema>)> = schemas.into_iter().collect();
        schemas.sort_by(|a, b| a.0.cmp(&b.0));
        for (key, schema) in schemas {
            // A schema moved here from elsewhere in the document keeps its place.
            let pointer = match &schema {
                ReferenceOr::Item(s) => s.schema_data.extensions.get(crate::normalize::PLACE),
                ReferenceOr::Reference { .. } => None,
            }
            .and_then(serde_json::Value::as_str)
            .map(Pointer::parse_owned)
            .unwrap_or_else(|| {
                Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push(&key)
            });
            let name = space.names.claim(&type_name(&key));
            let id = space.push(name, pointer.to_string());
            let reference = format!("{COMPONENT_PREFIX}{key}");
            space.by_ref.insert(reference.clone(), id);
            if matches!(&schema, ReferenceOr::Item(s) if s.schema_data.nullable) {
                space.nullable.insert(id);
            }
            space.raw.insert(reference, Arc::new(schema));
        }
        Ok(space)
    }

    /// Drops the component schemas as written, once every type is built.
    pub(super) fn forget_schemas(&mut self) {
        self.raw = BTreeMap::new();
        self.component_order = Vec::new();
    }

    pub(super) fn push(&mut self, name: String, pointer: String) -> TypeId {
        self.defs.push(TypeDef {
            usage: super::Usage::default(),
            features: None,
            name,
            pointer,
            description: None,
            kind: TypeKind::Alias(Type::Json),
        });
        TypeId(self.defs.len() - 1)
    }

    pub fn len(&self) -> usize {
        self.defs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.defs.is_empty()
    }

    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.0]
    }

    pub(super) fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.0]
    }

    /// All definitions, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (TypeId, &TypeDef)> {
        self.defs.iter().enumerate().map(|(i, d)| (TypeId(i), d))
    }

    /// Converts every component schema into its pre-assigned definition, in the document's
    /// order.
    pub fn convert_components(&mut self, diagnostics: &mut Vec<Diagnostic>) -> Result<(), Error> {
        for key in std::mem::take(&mut self.component_order) {
            let reference = format!("{COMPONENT_PREFIX}{key}");
            let id = self.by_ref[&reference];
            let schema = Arc::clone(&self.raw[&reference]);
            let pointer = Pointer::parse_owned(&self.defs[id.0].pointer);
            let name = self.defs[id.0].name.clone();
            let (kind, description) = match schema.as_ref() {
                ReferenceOr::Reference { reference } => {
                    (TypeKind::Alias(self.resolve(reference, &pointer)?), None)
                }
                ReferenceOr::Item(schema) => {
                    self.record_examples(&schema.schema_data, Type::Named(id), &pointer);
                    let description = schema.schema_data.description.clone();
                    let kind = match self.shape(schema, &name, &pointer, diagnostics)? {
                        Shape::Def(kind) => kind,
                        Shape::Type(ty) => TypeKind::Alias(ty),
                    };
                    (kind, description)
                }
            };
            let def = self.get_mut(id);
            def.kind = kind;
            def.description = description;
        }
        Ok(())
    }

    /// The parts of a `multipart/form-data` body: one per property, `format: binary` strings
    /// (and arrays of them) as file parts. `None` when the schema is not an object.
    pub fn form_fields(
        &mut self,
        schema: &ReferenceOr<Schema>,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Option<Vec<super::FormField>>, Error> {
        let resolved = match schema {
            ReferenceOr::Item(s) => Some(s.clone()),
            ReferenceOr::Reference { reference } => {
                match self.raw.get(reference).map(Arc::as_ref) {
                    Some(ReferenceOr::Item(s)) => Some(s.clone()),
                    _ => None,
                }
            }
        };
        let Some(resolved) = resolved else {
            return Ok(None);
        };
        let (properties, required) = match &resolved.schema_kind {
            SchemaKind::Type(openapiv3::Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) if !a.properties.is_empty() => (&a.properties, &a.required),
            _ => return Ok(None),
        };
        if properties.is_empty() {
            return Ok(None);
        }
        let is_file = |s: &ReferenceOr<Box<Schema>>| match s {
            ReferenceOr::Item(s) => match &s.schema_kind {
                SchemaKind::Type(openapiv3::Type::String(st)) => {
                    matches!(
                        st.format,
                        VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
                    )
                }
                _ => false,
            },
            ReferenceOr::Reference { .. } => false,
        };
        let mut names = NameScope::new();
        let mut fields = Vec::with_capacity(properties.len());
        let props_at = at.push("properties");
        for (json_name, property) in properties {
            let file = is_file(property);
            let ty = if file {
                Type::Bytes
            } else {
                let ty = self.convert(
                    property,
                    &format!("{hint}{}", type_name(json_name)),
                    &props_at.push(json_name),
                    diagnostics,
                )?;
                ty.required()
            };
            fields.push(super::FormField {
                name: names.claim(&snake_name(json_name)),
                json_name: json_name.clone(),
                file,
                ty,
                required: required.contains(json_name),
                description: match property {
                    ReferenceOr::Item(s) => s.schema_data.description.clone(),
                    ReferenceOr::Reference { .. } => None,
                },
            });
        }
        Ok(Some(fields))
    }

    /// The example a schema (or the schema it references) gives.
    pub fn example_of(&self, schema: &ReferenceOr<Schema>) -> Option<serde_json::Value> {
        let mut current = schema;
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return s.schema_data.example.clone(),
                ReferenceOr::Reference { reference } => {
                    current = self.raw.get(reference).map(Arc::as_ref)?
                }
            }
        }
        None
    }

    /// Records a schema's `example`, or each of its `examples` (kept by normalising).
    fn record_examples(&mut self, data: &openapiv3::SchemaData, ty: Type, at: &Pointer) {
        match (data.extensions.get("x-examples"), &data.example) {
            (Some(serde_json::Value::Array(all)), _) => {
                for (i, value) in all.iter().enumerate() {
                    self.record_example(
                        at.push("examples").push(i.to_string()),
                        ty.clone(),
                        value.clone(),
                    );
                }
            }
            (_, Some(value)) => self.record_example(at.push("example"), ty, value.clone()),
            _ => {}
        }
    }

    pub(super) fn record_example(&mut self, pointer: Pointer, ty: Type, value: serde_json::Value) {
        self.examples.push(super::Example {
            pointer: pointer.to_string(),
            ty,
            value,
        });
    }

    /// The type for a schema or reference; inline definitions are named after `hint`.
    /// (`openapiv3` holds nested schemas as `ReferenceOr<Box<Schema>>`, top-level ones unboxed.)
    pub fn convert<S: std::borrow::Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Type, Error> {
        match schema {
            ReferenceOr::Reference { reference } => self.resolve(reference, at),
            ReferenceOr::Item(schema) => {
                self.convert_inline(schema.borrow(), hint, at, diagnostics)
            }
        }
    }

    fn convert_inline(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Type, Error> {
        const MAX_DEPTH: usize = 64;
        if self.depth >= MAX_DEPTH {
            diagnostics.push(Diagnostic::warning(
                at,
                format!(
                    "schemas nested more than {MAX_DEPTH} levels deep; using serde_json::Value"
                ),
            ));
            return Ok(Type::Json);
        }
        self.depth += 1;
        let shape = self.shape(schema, hint, at, diagnostics);
        self.depth -= 1;
        let ty = match shape? {
            Shape::Type(ty) => ty,
            Shape::Def(kind) => {
                let name = self.names.claim(&type_name(hint));
                let id = self.push(name, at.to_string());
                let def = self.get_mut(id);
                def.kind = kind;
                def.description = schema.schema_data.description.clone();
                Type::Named(id)
            }
        };
        // `null` is already a JSON value; elsewhere nullability is an `Option`.
        Ok(if schema.schema_data.nullable && ty != Type::Json {
            ty.optional()
        } else {
            ty
        })
    }

    /// A `$ref` to the type it names.
    pub fn resolve(&self, reference: &str, at: &Pointer) -> Result<Type, Error> {
        if let Some(id) = self.by_ref.get(reference) {
            return Ok(if self.nullable.contains(id) {
                Type::Option(Box::new(Type::Named(*id)))
            } else {
                Type::Named(*id)
            });
        }
        if !reference.starts_with('#') {
            return Err(Error::invalid(
                at,
                format!(
                    "external reference {reference:?} is not supported; \
                     only references within the document (#/components/schemas/...) are"
                ),
            ));
        }
        Err(Error::invalid(
            at,
            format!("dangling reference: {reference:?} does not name a component schema"),
        ))
    }

    pub(super) fn shape(
        &mut self,
        schema: &Schema,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        use openapiv3::Type as T;
        Ok(match &schema.schema_kind {
            SchemaKind::Type(T::String(s)) => {
                let values: Vec<&str> =
                    s.enumeration.iter().flatten().map(String::as_str).collect();
                if !values.is_empty() {
                    Shape::Def(TypeKind::Enum(string_enum(&values)))
                } else {
                    Shape::Type(string_type(&s.format))
                }
            }
            SchemaKind::Type(T::Integer(i)) => Shape::Type(Type::Integer(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntegerKind::I32,
                _ => IntegerKind::I64,
            })),
            SchemaKind::Type(T::Number(_)) => Shape::Type(Type::Number),
            SchemaKind::Type(T::Boolean(_)) => Shape::Type(Type::Bool),
            SchemaKind::Type(T::Array(a)) => {
                Shape::Type(self.array(a.items.as_ref(), hint, at, diagnostics)?)
            }
            SchemaKind::Type(T::Object(o)) => self.object(
                &o.properties,
                &o.required,
                o.additional_properties.as_ref(),
                hint,
                at,
                diagnostics,
            )?,
            SchemaKind::AllOf { all_of } => {
                self.all_of(all_of, None, hint, &at.push("allOf"), diagnostics)?
            }
            SchemaKind::OneOf { one_of: branches } => self.alternatives(
                &schema.schema_data,
                branches,
                hint,
                &at.push("oneOf"),
                diagnostics,
            )?,
            SchemaKind::AnyOf { any_of: branches } => self.alternatives(
                &schema.schema_data,
                branches,
                hint,
                &at.push("anyOf"),
                diagnostics,
            )?,
            SchemaKind::Not { .. } => {
                diagnostics.push(Diagnostic::warning(
                    at,
                    "`not` cannot be expressed as a Rust type; using serde_json::Value",
                ));
                Shape::Type(Type::Json)
            }
            SchemaKind::Any(any) => self.any(&schema.schema_data, any, hint, at, diagnostics)?,
        })
    }

    fn array(
        &mut self,
        items: Option<&ReferenceOr<Box<Schema>>>,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Type, Error> {
        let item = match items {
            Some(items) => self.convert(
                items,
                &format!("{hint}Item"),
                &at.push("items"),
                diagnostics,
            )?,
            None => Type::Json,
        };
        Ok(Type::Array(Box::new(item)))
    }

    pub(super) fn object(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        let additional = match additional {
            None | Some(AdditionalProperties::Any(true)) => Some(Type::Json),
            Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Schema(schema)) => Some(self.convert(
                schema,
                &format!("{hint}Value"),
                &at.push("additionalProperties"),
                diagnostics,
            )?),
        };
        if properties.is_empty() {
            return Ok(match additional {
                Some(value) => Shape::Type(Type::Map(Box::new(value))),
                None => Shape::Def(TypeKind::Struct(Struct {
                    fields: Vec::new(),
                    additional: None,
                })),
            });
        }
        let mut names = NameScope::new();
        let mut fields = Vec::with_capacity(properties.len());
        let props_at = at.push("properties");
        for (json_name, schema) in properties {
            let field_hint = format!(
                "{hint}{}",
                crate::naming::upper_camel(&type_name(json_name))
            );
            let ty = self.convert(schema, &field_hint, &props_at.push(json_name), diagnostics)?;
            let is_required = required.iter().any(|r| r == json_name);
            let description = match schema {
                ReferenceOr::Item(s) => s.schema_data.description.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            fields.push(Field {
                implied: None,
                flatten: false,
                nullable: ty.is_option(),
                name: names.claim(&snake_name(json_name)),
                json_name: json_name.clone(),
                ty: if is_required { ty } else { ty.optional() },
                required: is_required,
                description,
            });
        }
        // Properties the schema does not name are kept (as JSON values, unless a schema for
        // them is given), so decoding and encoding again loses nothing; only
        // `additionalProperties: false` leaves them out.
        Ok(Shape::Def(TypeKind::Struct(Struct { fields, additional })))
    }

    /// A schema whose keywords mix types, or that has none: decided by what it says.
    fn any(
        &mut self,
        data: &openapiv3::SchemaData,
        any: &openapiv3::AnySchema,
        hint: &str,
        at: &Pointer,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Shape, Error> {
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, Some(any), hint, &at.push("allOf"), diagnostics);
        }
        if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
            return self.object(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                hint,
                at,
                diagnostics,
            );
        }
        if !any.one_of.is_empty() {
            return self.alternatives(data, &any.one_of, hint, &at.push("oneOf"), diagnostics);
        }
        if !any.any_of.is_empty() {
            return self.alternatives(data, &any.any_of, hint, &at.push("anyOf"), diagnostics);
        }
        Ok(match any.typ.as_deref() {
            Some("string") => {
                let values: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                if values.is_empty() {
                    Shape::Type(Type::String)
                } else {
                    Shape::Def(TypeKind::Enum(string_enum(&values)))
                }
            }
            Some("integer") => Shape::Type(Type::Integer(IntegerKind::I64)),
            Some("number") => Shape::Type(Type::Number),
            Some("boolean") => Shape::Type(Type::Bool),
            Some("array") => Shape::Type(self.array(any.items.as_ref(), hint, at, diagnostics)?),
            // `const: text` (or `enum` of strings) without a `type`: the values say it.
            None if !any.enumeration.is_empty()
                && any.enumeration.iter().all(serde_json::Value::is_string) =>
            {
                let values: Vec<&str> = any.enumeration.iter().filter_map(|v| v.as_str()).collect();
                Shape::Def(TypeKind::Enum(string_enum(&values)))
            }
            None if any.all_of.is_empty() && any.not.is_none() => Shape::Type(Type::Json),
            _ => {
                diagnostics.push(Diagnostic::warning(
                    at,
                    "this schema is not modelled yet; using serde_json::Value",
                ));
                Shape::Type(Type::Json)
            }
        })
    }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Type {
    match format {
        VariantOrUnknownOrEmpty::Unknown(f) if f == "uuid" => Type::Uuid,
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
        _ => Type::String,
    }
}

/// Variants for string values, named uniquely; `Other` is left for unknown values.
pub(super) fn string_enum(values: &[&str]) -> Enum {
    let mut names = NameScope::new();
    names.reserve("Other");
    let mut seen = std::collections::BTreeSet::new();
    let variants = values
        .iter()
        .enumerate()
        .filter(|(_, v)| seen.insert(**v))
        .map(|(i, v)| Variant {
            name: names.claim(&variant_name(v, i)),
            value: (*v).to_owned(),
        })
        .collect();
    Enum { variants }
}
