//! Parameters: the path item's and the operation's, merged (the operation's win), checked
//! against the path template, and typed.

use std::collections::BTreeSet;

use openapiv3::{MediaType, ParameterSchemaOrContent, ReferenceOr};

use super::{OperationContext, Section};
use crate::error::{Diagnostic, Error};
use crate::ir::{Location, Parameter, PathTemplate, Type, TypeSpace};
use crate::naming::reserved::{self, REQUEST_BUILDER_MEMBERS};
use crate::naming::snake_name;
use crate::pointer::Pointer;

impl<'a> OperationContext<'a> {
    /// The operation's parameters, in declaration order (path item's first), each with a
    /// Rust name free among the request builder's members.
    pub(super) fn parameters(
        &self,
        path: &PathTemplate,
        op_level: &'a [ReferenceOr<openapiv3::Parameter>],
        type_name: &str,
        types: &mut TypeSpace,
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Result<Vec<Parameter>, Error> {
        let merged = self.merged_parameters(op_level)?;
        for name in path.parameter_names() {
            let declared = merged
                .iter()
                .any(|(_, p)| location(p) == Location::Path && p.parameter_data_ref().name == name);
            if !declared {
                return Err(Error::invalid(
                    &self.at,
                    format!(
                        "path template parameter {{{name}}} in {:?} is not declared as a path parameter",
                        path.raw
                    ),
                ));
            }
        }

        let mut names = reserved::scope(REQUEST_BUILDER_MEMBERS);
        let mut parameters = Vec::with_capacity(merged.len());
        for (at, param) in merged {
            let data = param.parameter_data_ref();
            let loc = location(param);
            if loc == Location::Path && !path.parameter_names().any(|n| n == data.name) {
                diagnostics.push(Diagnostic::warning(
                    &at,
                    format!(
                        "path parameter {:?} does not appear in the path template; ignored",
                        data.name
                    ),
                ));
                continue;
            }
            let hint = format!("{type_name}{}", crate::naming::type_name(&data.name));
            // Optionality is carried by `required`; a nullable parameter is just absent.
            let ty = parameter_type(data, &hint, &at, types, diagnostics)?.required();
            let explode = match param {
                openapiv3::Parameter::Query { style, .. } => data
                    .explode
                    .unwrap_or(matches!(style, openapiv3::QueryStyle::Form)),
                _ => data.explode.unwrap_or(false),
            };
            let example = data.example.clone().or_else(|| match &data.format {
                ParameterSchemaOrContent::Schema(schema) => {
                    types.example_of(schema).or_else(|| types.sample_of(schema))
                }
                ParameterSchemaOrContent::Content(content) => content
                    .values()
                    .find_map(|media| types.sample_of(media.schema.as_ref()?)),
            });
            parameters.push(Parameter {
                example,
                explode,
                name: data.name.clone(),
                rust_name: names.claim(&snake_name(&data.name)),
                location: loc,
                required: data.required || loc == Location::Path,
                ty,
                description: data.description.clone(),
                pointer: at.to_string(),
            });
        }
        Ok(parameters)
    }

    /// The path item's parameters, then the operation's, each where it is declared; an
    /// operation's parameter replaces the path item's of the same name and location.
    fn merged_parameters(
        &self,
        op_level: &'a [ReferenceOr<openapiv3::Parameter>],
    ) -> Result<Vec<(Pointer, &'a openapiv3::Parameter)>, Error> {
        let mut merged: Vec<(Pointer, &openapiv3::Parameter)> = Vec::new();
        let path_item_at = Pointer::root().push("paths").push(self.path);
        for (level_at, list) in [
            (path_item_at.push("parameters"), self.path_parameters),
            (self.at.push("parameters"), op_level),
        ] {
            let mut seen = BTreeSet::new();
            for (i, param) in list.iter().enumerate() {
                let at = level_at.push(i.to_string());
                let param = self.component(param, Section::parameters(self.doc), &at)?;
                let data = param.parameter_data_ref();
                let key = (location(param), data.name.clone());
                if !seen.insert(key.clone()) {
                    return Err(Error::invalid(
                        &at,
                        format!(
                            "parameter {:?} in {} is declared twice",
                            data.name,
                            key.0.as_str()
                        ),
                    ));
                }
                merged.retain(|(_, p)| {
                    (location(p), &p.parameter_data_ref().name) != (key.0, &key.1)
                });
                merged.push((at, param));
            }
        }
        Ok(merged)
    }
}

/// A parameter's type, from its schema or the schema of its one media type (text without
/// either).
fn parameter_type(
    data: &openapiv3::ParameterData,
    hint: &str,
    at: &Pointer,
    types: &mut TypeSpace,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Type, Error> {
    match &data.format {
        ParameterSchemaOrContent::Schema(schema) => {
            types.convert(schema, hint, &at.push("schema"), diagnostics)
        }
        ParameterSchemaOrContent::Content(content) => match content.iter().next() {
            Some((
                media,
                MediaType {
                    schema: Some(schema),
                    ..
                },
            )) => types.convert(
                schema,
                hint,
                &at.push("content").push(media).push("schema"),
                diagnostics,
            ),
            _ => Ok(Type::String),
        },
    }
}

fn location(param: &openapiv3::Parameter) -> Location {
    match param {
        openapiv3::Parameter::Query { .. } => Location::Query,
        openapiv3::Parameter::Header { .. } => Location::Header,
        openapiv3::Parameter::Path { .. } => Location::Path,
        openapiv3::Parameter::Cookie { .. } => Location::Cookie,
    }
}

#[cfg(test)]
mod tests {
    use crate::ir::{PathPart, PathTemplate};

    #[test]
    fn a_path_template_is_parsed_into_literals_and_parameters() {
        let template = PathTemplate::parse("/a/{x}/b/{y_z}.json");
        assert_eq!(
            template.parts,
            vec![
                PathPart::Literal("/a/".into()),
                PathPart::Parameter("x".into()),
                PathPart::Literal("/b/".into()),
                PathPart::Parameter("y_z".into()),
                PathPart::Literal(".json".into()),
            ]
        );
        assert_eq!(template.parameter_names().collect::<Vec<_>>(), ["x", "y_z"]);
        assert_eq!(template.raw, "/a/{x}/b/{y_z}.json");
    }

    #[test]
    fn an_unclosed_brace_is_literal_text() {
        let template = PathTemplate::parse("/plain/{open");
        assert_eq!(
            template.parts,
            vec![PathPart::Literal("/plain/{open".into())]
        );
        assert_eq!(template.parameter_names().count(), 0);
    }
}
