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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Severity;
    use crate::ir::testing::{alias, convert, def, field, id, names, strukt, try_convert};

    /// The type of the field for property `property` of struct `name`.
    fn field_ty(types: &TypeSpace, name: &str, property: &str) -> Type {
        field(strukt(types, name), property).ty.clone()
    }

    fn named(types: &TypeSpace, name: &str) -> Type {
        Type::Named(id(types, name))
    }

    fn option(ty: Type) -> Type {
        Type::Option(Box::new(ty))
    }

    #[test]
    fn scalars_follow_their_type_and_format() {
        let (types, diagnostics) = convert(
            "
Scalars:
  type: object
  required: [small, big, plain, ratio, flag, text, email, id, at, day]
  properties:
    small: {type: integer, format: int32}
    big: {type: integer, format: int64}
    plain: {type: integer}
    ratio: {type: number, format: float}
    flag: {type: boolean}
    text: {type: string}
    email: {type: string, format: email}
    id: {type: string, format: uuid}
    at: {type: string, format: date-time}
    day: {type: string, format: date}
",
        );
        let ty = |property| field_ty(&types, "Scalars", property);
        assert_eq!(ty("small"), Type::Integer(IntegerKind::I32));
        assert_eq!(ty("big"), Type::Integer(IntegerKind::I64));
        // Without a format an integer may be any size.
        assert_eq!(ty("plain"), Type::Integer(IntegerKind::I64));
        assert_eq!(ty("ratio"), Type::Number);
        assert_eq!(ty("flag"), Type::Bool);
        assert_eq!(ty("text"), Type::String);
        // Formats without a type of their own stay strings.
        assert_eq!(ty("email"), Type::String);
        assert_eq!(ty("id"), Type::Uuid);
        assert_eq!(ty("at"), Type::DateTime);
        assert_eq!(ty("day"), Type::Date);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn properties_not_listed_as_required_are_optional() {
        let (types, _) = convert(
            "
Pet:
  type: object
  required: [name]
  properties:
    name: {type: string}
    age: {type: integer}
",
        );
        let pet = strukt(&types, "Pet");
        let name = field(pet, "name");
        assert!(name.required);
        assert_eq!(name.ty, Type::String);
        let age = field(pet, "age");
        assert!(!age.required);
        assert_eq!(age.ty, option(Type::Integer(IntegerKind::I64)));
        // Neither allows null.
        assert!(!name.nullable && !age.nullable);
        // Fields keep the order of the properties.
        let order: Vec<&str> = pet.fields.iter().map(|f| f.json_name.as_str()).collect();
        assert_eq!(order, ["name", "age"]);
    }

    #[test]
    fn a_nullable_property_is_one_option_whether_required_or_not() {
        let (types, _) = convert(
            "
Pet:
  type: object
  required: [nickname]
  properties:
    nickname: {type: string, nullable: true}
    tag: {type: string, nullable: true}
",
        );
        let pet = strukt(&types, "Pet");
        let nickname = field(pet, "nickname");
        assert!(nickname.required && nickname.nullable);
        assert_eq!(nickname.ty, option(Type::String));
        // Absent or null: still a single `Option`.
        let tag = field(pet, "tag");
        assert!(!tag.required && tag.nullable);
        assert_eq!(tag.ty, option(Type::String));
    }

    #[test]
    fn a_nullable_component_is_optional_wherever_it_is_referenced() {
        let (types, _) = convert(
            "
Nickname: {type: string, nullable: true}
Pet:
  type: object
  required: [nickname]
  properties:
    nickname: {$ref: '#/components/schemas/Nickname'}
",
        );
        // The alias itself is the plain type; references to it carry the `Option`.
        assert_eq!(alias(&types, "Nickname"), &Type::String);
        let nickname = field(strukt(&types, "Pet"), "nickname");
        assert_eq!(nickname.ty, option(named(&types, "Nickname")));
        assert!(nickname.required && nickname.nullable);
    }

    #[test]
    fn a_nullable_free_form_value_is_not_wrapped_in_an_option() {
        let (types, _) = convert(
            "
Event:
  type: object
  required: [payload]
  properties:
    payload: {nullable: true}
",
        );
        // A JSON value holds `null` itself.
        let payload = field(strukt(&types, "Event"), "payload");
        assert_eq!(payload.ty, Type::Json);
        assert!(!payload.nullable);
    }

    #[test]
    fn objects_without_properties_are_maps_of_their_other_properties() {
        let (types, _) = convert(
            "
Anything: {type: object}
Counts: {type: object, additionalProperties: {type: integer}}
Open: {type: object, additionalProperties: true}
Closed: {type: object, additionalProperties: false}
",
        );
        assert_eq!(alias(&types, "Anything"), &Type::Map(Box::new(Type::Json)));
        assert_eq!(
            alias(&types, "Counts"),
            &Type::Map(Box::new(Type::Integer(IntegerKind::I64)))
        );
        assert_eq!(alias(&types, "Open"), &Type::Map(Box::new(Type::Json)));
        // Nothing may be in it: an empty struct, not a map.
        let closed = strukt(&types, "Closed");
        assert!(closed.fields.is_empty());
        assert_eq!(closed.additional, None);
    }

    #[test]
    fn a_struct_keeps_unlisted_properties_unless_additional_properties_is_false() {
        let (types, _) = convert(
            "
Loose:
  type: object
  properties: {id: {type: string}}
Strict:
  type: object
  properties: {id: {type: string}}
  additionalProperties: false
Labels:
  type: object
  properties: {id: {type: string}}
  additionalProperties:
    type: object
    properties: {text: {type: string}}
",
        );
        assert_eq!(strukt(&types, "Loose").additional, Some(Type::Json));
        assert_eq!(strukt(&types, "Strict").additional, None);
        // An inline schema for the other properties is named after the struct.
        assert_eq!(
            strukt(&types, "Labels").additional,
            Some(named(&types, "LabelsValue"))
        );
        assert_eq!(
            def(&types, "LabelsValue").pointer,
            "#/components/schemas/Labels/additionalProperties"
        );
    }

    #[test]
    fn arrays_convert_their_items_and_without_items_hold_json_values() {
        let (types, _) = convert(
            "
Names: {type: array, items: {type: string}}
Anything: {type: array}
Pets:
  type: array
  items:
    type: object
    properties: {name: {type: string}}
",
        );
        assert_eq!(alias(&types, "Names"), &Type::Array(Box::new(Type::String)));
        assert_eq!(
            alias(&types, "Anything"),
            &Type::Array(Box::new(Type::Json))
        );
        assert_eq!(
            alias(&types, "Pets"),
            &Type::Array(Box::new(named(&types, "PetsItem")))
        );
        assert_eq!(
            def(&types, "PetsItem").pointer,
            "#/components/schemas/Pets/items"
        );
    }

    #[test]
    fn inline_objects_and_enums_are_named_after_their_place() {
        let (types, _) = convert(
            "
Pet:
  type: object
  properties:
    owner:
      description: Who feeds it.
      type: object
      properties:
        home_address:
          type: object
          properties: {street: {type: string}}
    status: {type: string, enum: [available, sold]}
",
        );
        assert_eq!(
            field_ty(&types, "Pet", "owner"),
            option(named(&types, "PetOwner"))
        );
        let owner = def(&types, "PetOwner");
        assert_eq!(owner.pointer, "#/components/schemas/Pet/properties/owner");
        assert_eq!(owner.description.as_deref(), Some("Who feeds it."));
        // Nested: the whole path, each property name in camel case.
        assert_eq!(
            field_ty(&types, "PetOwner", "home_address"),
            option(named(&types, "PetOwnerHomeAddress"))
        );
        let TypeKind::Enum(status) = &def(&types, "PetStatus").kind else {
            panic!("an inline string enum is an enum");
        };
        let values: Vec<(&str, &str)> = status
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        assert_eq!(values, [("Available", "available"), ("Sold", "sold")]);
    }

    #[test]
    fn an_inline_name_that_is_taken_gets_a_number() {
        let (types, _) = convert(
            "
PetOwner: {type: object, properties: {id: {type: string}}}
Pet:
  type: object
  properties:
    owner: {type: object, properties: {name: {type: string}}}
",
        );
        // The component keeps its name; the inline object takes the next free one.
        assert_eq!(
            def(&types, "PetOwner").pointer,
            "#/components/schemas/PetOwner"
        );
        assert_eq!(
            field_ty(&types, "Pet", "owner"),
            option(named(&types, "PetOwner2"))
        );
    }

    #[test]
    fn component_names_avoid_the_names_the_crate_reserves() {
        let (types, _) = convert(
            "
Error: {type: object, properties: {message: {type: string}}}
Option: {type: string}
",
        );
        let mut all = names(&types);
        all.sort_unstable();
        assert_eq!(all, ["Error2", "Option2"]);
        assert_eq!(def(&types, "Error2").pointer, "#/components/schemas/Error");
    }

    #[test]
    fn field_names_are_unique_snake_case_and_json_names_are_kept() {
        let (types, _) = convert(
            "
Headers:
  type: object
  properties:
    Content-Type: {type: string}
    type: {type: string}
    page-size: {type: integer}
    page_size: {type: integer}
",
        );
        let fields: Vec<(&str, &str)> = strukt(&types, "Headers")
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.json_name.as_str()))
            .collect();
        assert_eq!(
            fields,
            [
                ("content_type", "Content-Type"),
                ("type_", "type"),
                ("page_size", "page-size"),
                ("page_size_2", "page_size"),
            ]
        );
    }

    #[test]
    fn string_enums_drop_repeated_values_and_leave_other_for_unknown_ones() {
        let (types, _) = convert("Kind: {type: string, enum: [other, Other, web, web]}");
        let TypeKind::Enum(kind) = &def(&types, "Kind").kind else {
            panic!("a string enum is an enum");
        };
        let values: Vec<(&str, &str)> = kind
            .variants
            .iter()
            .map(|v| (v.name.as_str(), v.value.as_str()))
            .collect();
        // `Other` holds values the spec does not list, so no listed value takes it.
        assert_eq!(
            values,
            [("Other2", "other"), ("Other3", "Other"), ("Web", "web")]
        );
    }

    #[test]
    fn an_enum_without_a_type_is_a_string_enum_only_when_every_value_is_a_string() {
        let (types, diagnostics) = convert(
            "
Words: {enum: [yes, no]}
Mixed: {enum: [1, one]}
",
        );
        let TypeKind::Enum(words) = &def(&types, "Words").kind else {
            panic!("string values without a type make a string enum");
        };
        assert_eq!(words.variants.len(), 2);
        assert_eq!(alias(&types, "Mixed"), &Type::Json);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn components_have_ids_before_conversion_so_forward_references_resolve() {
        let (types, _) = convert(
            "
Zoo:
  type: object
  properties: {keeper: {$ref: '#/components/schemas/Keeper'}}
Keeper: {$ref: '#/components/schemas/Animal'}
Animal: {type: string}
",
        );
        // Ids go by key, not by the order of the document.
        assert_eq!(names(&types), ["Animal", "Keeper", "Zoo"]);
        assert_eq!(
            field_ty(&types, "Zoo", "keeper"),
            option(named(&types, "Keeper"))
        );
        // A component that is a reference is an alias of its target.
        assert_eq!(alias(&types, "Keeper"), &named(&types, "Animal"));
    }

    #[test]
    fn a_schema_moved_into_components_keeps_its_place() {
        let (types, _) = convert(
            "
Order:
  type: object
  properties: {address: {$ref: '#/components/schemas/Customer/properties/address'}}
Customer:
  type: object
  properties:
    address: {type: object, properties: {street: {type: string}}}
",
        );
        // Normalising shares the referenced property as a component; both places use it.
        let address = field_ty(&types, "Order", "address");
        assert_eq!(address, field_ty(&types, "Customer", "address"));
        let Type::Named(id) = address.clone().required() else {
            panic!("a named type: {address:?}");
        };
        assert_eq!(
            types.get(id).pointer,
            "#/components/schemas/Customer/properties/address"
        );
    }

    #[test]
    fn examples_of_components_are_recorded_with_their_type() {
        let (types, _) = convert(
            "
Point: {type: object, example: {x: 1}}
Word: {type: string, examples: [up, down]}
",
        );
        let recorded: Vec<(&str, &Type, &serde_json::Value)> = types
            .examples
            .iter()
            .map(|e| (e.pointer.as_str(), &e.ty, &e.value))
            .collect();
        assert_eq!(
            recorded,
            [
                (
                    "#/components/schemas/Point/example",
                    &named(&types, "Point"),
                    &serde_json::json!({"x": 1})
                ),
                (
                    "#/components/schemas/Word/examples/0",
                    &named(&types, "Word"),
                    &serde_json::json!("up")
                ),
                (
                    "#/components/schemas/Word/examples/1",
                    &named(&types, "Word"),
                    &serde_json::json!("down")
                ),
            ]
        );
    }

    #[test]
    fn schemas_rust_cannot_express_are_json_values_with_a_warning() {
        let (types, diagnostics) = convert(
            "
NotText: {not: {type: string}}
Upload: {type: file}
",
        );
        assert_eq!(alias(&types, "NotText"), &Type::Json);
        assert_eq!(alias(&types, "Upload"), &Type::Json);
        let warned: Vec<(&str, Severity)> = diagnostics
            .iter()
            .map(|d| (d.pointer.as_str(), d.severity))
            .collect();
        assert_eq!(
            warned,
            [
                ("#/components/schemas/NotText", Severity::Warning),
                ("#/components/schemas/Upload", Severity::Warning),
            ]
        );
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_a_json_value_with_a_warning() {
        let mut schema = "{type: string}".to_owned();
        for _ in 0..70 {
            schema = format!("{{type: array, items: {schema}}}");
        }
        let (types, diagnostics) = convert(&format!("Deep: {schema}"));
        // The component's own array, then 64 nested levels; the next is cut off.
        let mut ty = alias(&types, "Deep");
        let mut arrays = 0;
        while let Type::Array(inner) = ty {
            arrays += 1;
            ty = inner;
        }
        assert_eq!((arrays, ty), (65, &Type::Json));
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0].severity, Severity::Warning);
        assert_eq!(
            diagnostics[0].pointer,
            format!("#/components/schemas/Deep{}", "/items".repeat(65))
        );
    }

    #[test]
    fn a_dangling_or_external_reference_is_an_error_at_the_referring_place() {
        let dangling = try_convert(
            "Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}}}",
        );
        let Err(Error::Invalid { pointer, message }) = dangling else {
            panic!("a dangling reference is an error: {dangling:?}");
        };
        assert_eq!(pointer, "#/components/schemas/Pet/properties/owner");
        assert!(message.contains("dangling reference"), "{message}");

        let external =
            try_convert("Pet: {type: object, properties: {owner: {$ref: 'owner.yaml#/Owner'}}}");
        let Err(Error::Invalid { pointer, message }) = external else {
            panic!("an external reference is an error: {external:?}");
        };
        assert_eq!(pointer, "#/components/schemas/Pet/properties/owner");
        assert!(message.contains("external reference"), "{message}");
    }
}
