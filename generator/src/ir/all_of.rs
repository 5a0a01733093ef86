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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::testing::{alias, convert, def, field, id, strukt, try_convert};
    use crate::ir::IntegerKind;

    fn named(types: &TypeSpace, name: &str) -> Type {
        Type::Named(id(types, name))
    }

    /// Struct `name`'s fields: JSON name and whether required, in order.
    fn fields(types: &TypeSpace, name: &str) -> Vec<(String, bool)> {
        strukt(types, name)
            .fields
            .iter()
            .map(|f| (f.json_name.clone(), f.required))
            .collect()
    }

    fn reference(name: &str) -> ReferenceOr<Schema> {
        ReferenceOr::Reference {
            reference: format!("#/components/schemas/{name}"),
        }
    }

    const BASE: &str = "
Base:
  type: object
  required: [id]
  properties:
    id: {type: string}
    name: {type: string}
";

    #[test]
    fn object_branches_merge_their_properties_and_required() {
        let (types, diagnostics) = convert(&format!(
            "{BASE}
Pet:
  allOf:
    - $ref: '#/components/schemas/Base'
    - type: object
      required: [tag]
      properties: {{tag: {{type: string}}}}
"
        ));
        assert_eq!(
            fields(&types, "Pet"),
            [
                ("id".into(), true),
                ("name".into(), false),
                ("tag".into(), true)
            ]
        );
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn required_in_one_branch_applies_to_a_property_of_another() {
        let (types, _) = convert(&format!(
            "{BASE}
Named:
  allOf:
    - $ref: '#/components/schemas/Base'
    - required: [name]
"
        ));
        assert_eq!(
            fields(&types, "Named"),
            [("id".into(), true), ("name".into(), true)]
        );
        assert_eq!(field(strukt(&types, "Named"), "name").ty, Type::String);
        // The referenced schema itself is unchanged.
        assert_eq!(
            fields(&types, "Base"),
            [("id".into(), true), ("name".into(), false)]
        );
    }

    #[test]
    fn a_later_branch_redefines_a_property_where_it_first_appeared() {
        let (types, _) = convert(&format!(
            "{BASE}
Numbered:
  allOf:
    - $ref: '#/components/schemas/Base'
    - properties: {{id: {{type: integer}}}}
"
        ));
        let numbered = strukt(&types, "Numbered");
        assert_eq!(numbered.fields.len(), 2);
        assert_eq!(numbered.fields[0].json_name, "id");
        assert_eq!(numbered.fields[0].ty, Type::Integer(IntegerKind::I64));
    }

    #[test]
    fn properties_written_beside_all_of_join_the_struct() {
        let (types, _) = convert(&format!(
            "{BASE}
Pet:
  allOf: [{{$ref: '#/components/schemas/Base'}}]
  required: [owner]
  properties: {{owner: {{type: string}}}}
"
        ));
        assert_eq!(
            fields(&types, "Pet"),
            [
                ("id".into(), true),
                ("name".into(), false),
                ("owner".into(), true)
            ]
        );
    }

    #[test]
    fn an_all_of_that_only_annotates_a_reference_is_that_type() {
        let (types, _) = convert(&format!(
            "{BASE}
Single: {{allOf: [{{$ref: '#/components/schemas/Base'}}]}}
Described:
  allOf: [{{$ref: '#/components/schemas/Base'}}, {{description: The base, readOnly: true}}]
Nullable:
  allOf: [{{$ref: '#/components/schemas/Base'}}, {{nullable: true}}]
Limited:
  allOf: [{{$ref: '#/components/schemas/Base'}}, {{description: The base}}]
  maxProperties: 3
"
        ));
        let base = named(&types, "Base");
        assert_eq!(alias(&types, "Single"), &base);
        assert_eq!(alias(&types, "Described"), &base);
        assert_eq!(alias(&types, "Nullable"), &base.optional());
        // A keyword beside `allOf` that constrains: a type of its own.
        assert_eq!(
            fields(&types, "Limited"),
            [("id".into(), true), ("name".into(), false)]
        );
    }

    #[test]
    fn a_union_branch_is_flattened_beside_the_fields() {
        let (types, _) = convert(
            "
Cat: {type: object, properties: {purrs: {type: boolean}}}
Dog: {type: object, properties: {barks: {type: boolean}}}
Pet:
  allOf:
    - type: object
      properties: {id: {type: string}}
    - oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
",
        );
        let pet = strukt(&types, "Pet");
        assert_eq!(pet.fields.len(), 2);
        assert!(!pet.fields[0].flatten);
        let part = &pet.fields[1];
        assert!(part.flatten && part.required && !part.nullable);
        assert_eq!(part.json_name, "");
        // The inline union is named as an alternative would be, and the field after it.
        assert_eq!(part.ty, named(&types, "PetOneOf"));
        assert_eq!(part.name, "pet_one_of");
        assert_eq!(
            def(&types, "PetOneOf").pointer,
            "#/components/schemas/Pet/allOf/1"
        );
        // The flattened union sees the other properties: no second catch-all.
        assert_eq!(pet.additional, None);
    }

    #[test]
    fn a_flattened_reference_is_named_after_its_type_without_taking_a_property_name() {
        let (types, _) = convert(
            "
Cat: {type: object, properties: {purrs: {type: boolean}}}
Dog: {type: object, properties: {barks: {type: boolean}}}
Pet: {oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]}
Owned:
  allOf:
    - $ref: '#/components/schemas/Pet'
    - type: object
      properties: {pet: {type: string}}
",
        );
        let owned = strukt(&types, "Owned");
        let names: Vec<(&str, bool)> = owned
            .fields
            .iter()
            .map(|f| (f.name.as_str(), f.flatten))
            .collect();
        assert_eq!(names, [("pet", false), ("pet_2", true)]);
        assert_eq!(owned.fields[1].ty, named(&types, "Pet"));
    }

    #[test]
    fn a_lone_non_object_branch_is_that_type() {
        let (types, diagnostics) = convert(
            "
Code: {allOf: [{type: string}, {minLength: 1}]}
",
        );
        assert_eq!(alias(&types, "Code"), &Type::String);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn additional_properties_come_from_the_branches_the_last_one_saying_wins() {
        let (types, _) = convert(
            "
Counted:
  allOf:
    - {type: object, properties: {a: {type: string}}, additionalProperties: {type: integer}}
    - {type: object, properties: {b: {type: string}}}
Closed:
  allOf:
    - {type: object, properties: {a: {type: string}}, additionalProperties: {type: integer}}
    - {type: object, properties: {b: {type: string}}, additionalProperties: false}
Open:
  allOf:
    - {type: object, properties: {a: {type: string}}}
    - {type: object, properties: {b: {type: string}}}
",
        );
        assert_eq!(
            strukt(&types, "Counted").additional,
            Some(Type::Integer(IntegerKind::I64))
        );
        assert_eq!(strukt(&types, "Closed").additional, None);
        assert_eq!(strukt(&types, "Open").additional, Some(Type::Json));
    }

    #[test]
    fn a_reference_cycle_through_all_of_adds_each_property_once() {
        let (types, diagnostics) = convert(
            "
Itself:
  allOf:
    - $ref: '#/components/schemas/Itself'
    - {type: object, properties: {x: {type: string}}}
Ping:
  allOf:
    - $ref: '#/components/schemas/Pong'
    - {type: object, properties: {ping: {type: string}}}
Pong:
  allOf:
    - $ref: '#/components/schemas/Ping'
    - {type: object, properties: {pong: {type: string}}}
",
        );
        assert_eq!(fields(&types, "Itself"), [("x".into(), false)]);
        let sorted = |name| {
            let mut f = fields(&types, name);
            f.sort();
            f
        };
        let both = [("ping".to_owned(), false), ("pong".to_owned(), false)];
        assert_eq!(sorted("Ping"), both);
        assert_eq!(sorted("Pong"), both);
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
    }

    #[test]
    fn a_dangling_reference_in_all_of_is_an_error_at_its_branch() {
        let result = try_convert(
            "
Pet:
  allOf:
    - $ref: '#/components/schemas/Missing'
    - {type: object, properties: {a: {type: string}}}
",
        );
        let Err(Error::Invalid { pointer, message }) = result else {
            panic!("a dangling reference is an error: {result:?}");
        };
        assert_eq!(pointer, "#/components/schemas/Pet/allOf/0");
        assert!(message.contains("dangling reference"), "{message}");
    }

    #[test]
    fn peek_follows_references_and_gives_up_on_loops_and_dangling_ones() {
        let (types, _) = convert(
            "
Word: {type: string}
Alias: {$ref: '#/components/schemas/Word'}
Ping: {$ref: '#/components/schemas/Pong'}
Pong: {$ref: '#/components/schemas/Ping'}
",
        );
        let alias = reference("Alias");
        let word = types.peek(&alias).expect("resolves");
        assert!(matches!(
            word.schema_kind,
            SchemaKind::Type(openapiv3::Type::String(_))
        ));
        assert!(types.peek(&reference("Ping")).is_none());
        assert!(types.peek(&reference("Missing")).is_none());
    }

    #[test]
    fn collect_object_takes_objects_through_references_and_refuses_the_rest() {
        let (types, _) = convert(&format!(
            "{BASE}
Extended:
  allOf:
    - $ref: '#/components/schemas/Base'
    - {{required: [extra], properties: {{extra: {{type: integer}}}}}}
Word: {{type: string}}
List: {{type: array, items: {{type: string}}}}
Choice: {{oneOf: [{{type: string}}, {{type: integer}}]}}
"
        ));
        let collect = |name| {
            let mut parts = ObjectParts::default();
            let object = types.collect_object(&reference(name), &mut parts, &mut BTreeSet::new());
            let properties: Vec<String> = parts.properties.keys().cloned().collect();
            (object, properties, parts.required)
        };
        assert_eq!(
            collect("Extended"),
            (
                true,
                vec!["id".into(), "name".into(), "extra".into()],
                vec!["id".into(), "extra".into()]
            )
        );
        for not_an_object in ["Word", "List", "Choice", "Missing"] {
            assert!(!collect(not_an_object).0, "{not_an_object}");
        }
    }
}
