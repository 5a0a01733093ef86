//! Bad specs get an error naming the place and what is wrong, never a panic; constructs the
//! generator does not model yet get a diagnostic and a fallback type.

fn generate(spec: &str) -> Result<oagen_generator::Generated, oagen_generator::Error> {
    oagen_generator::generate(
        spec,
        &oagen_generator::Options::new()
            .command("test")
            .spec_name("spec.yaml"),
    )
}

fn error(spec: &str) -> String {
    match generate(spec) {
        Ok(_) => panic!("expected an error for:\n{spec}"),
        Err(e) => e.to_string(),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn invalid_yaml_reports_line_and_column() {
    assert_eq!(
        error("openapi: 3.0.3\ninfo: {title: t\npaths: {}\n"),
        "line 3, column 6: invalid YAML: did not find expected ',' or '}', while parsing a flow mapping at line 2 column 7"
    );
}

#[test]
fn an_empty_file_is_refused() {
    assert_eq!(
        error(""),
        "#: the document is empty; expected an OpenAPI object"
    );
}

#[test]
fn a_document_that_is_not_an_openapi_object_is_refused() {
    assert_eq!(
        error("- a\n- b\n"),
        "#: expected an OpenAPI object (a mapping with `openapi`, `info`, `paths`), found a sequence"
    );
    assert_eq!(
        error("title: hello\n"),
        "#: not an OpenAPI document: the `openapi` version field is missing"
    );
}

#[test]
fn swagger_2_is_unsupported_in_so_many_words() {
    assert_eq!(
        error("swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths: {}\n"),
        "#/swagger: Swagger 2.0 documents are not supported; convert the document to OpenAPI 3 first"
    );
    assert_eq!(
        error("openapi: 4.0.0\n"),
        "#/openapi: OpenAPI version 4.0.0 is not supported; expected 3.0.x or 3.1.x"
    );
}

#[test]
fn a_dangling_ref_names_where_it_is() {
    let spec = format!(
        "{HEAD}paths:\n  /files/{{file_id}}:\n    delete:\n      parameters:\n        - {{name: file_id, in: path, required: true, schema: {{type: string}}}}\n      responses:\n        '404':\n          description: gone\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Missing'}}\n"
    );
    assert_eq!(
        error(&spec),
        "#/paths/~1files~1{file_id}/delete/responses/404/content/application~1json/schema: dangling reference: \"#/components/schemas/Missing\" does not name a component schema"
    );
}

#[test]
fn an_external_ref_is_refused_in_so_many_words() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: 'other.yaml#/B'}}\n"
    );
    assert_eq!(
        error(&spec),
        "#/components/schemas/A/properties/b: external reference \"other.yaml#/B\" is not supported; only references within the document (#/components/schemas/...) are"
    );
}

#[test]
fn references_that_resolve_nowhere_name_their_place_and_target() {
    let spec = |target: &str| {
        format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {{$ref: '{target}'}}\n        c: {{type: string}}\n"
        )
    };
    assert_eq!(
        error(&spec("#/components/schemas/A/properties/missing")),
        "#/components/schemas/A/properties/b: dangling reference: \"#/components/schemas/A/properties/missing\" resolves nowhere in the document"
    );
    assert_eq!(
        error(&spec("#/paths/~1nowhere/get/responses/200/content/application~1json/schema")),
        "#/components/schemas/A/properties/b: dangling reference: \"#/paths/~1nowhere/get/responses/200/content/application~1json/schema\" resolves nowhere in the document"
    );
    // Neither at the root nor in an enclosing schema's `$defs`.
    assert_eq!(
        error(&spec("#/$defs/Address")),
        "#/components/schemas/A/properties/b: dangling reference: \"#/$defs/Address\" resolves nowhere in the document"
    );
    assert_eq!(
        error(&spec("#/info")),
        "#/components/schemas/A/properties/b: reference \"#/info\" does not point at a schema"
    );
}

#[test]
fn an_error_inside_a_schema_moved_for_a_reference_names_where_it_was_written() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, properties: {{n: {{type: integer, minimum: high}}}}}}\ncomponents:\n  schemas:\n    B: {{$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}}\n"
    );
    assert_eq!(
        error(&spec),
        "#/paths/~1a/get/responses/200/content/application~1json/schema/properties/n: not a valid OpenAPI document here: invalid type: string \"high\", expected a JSON number"
    );
}

#[test]
fn an_undeclared_path_template_parameter_is_an_error() {
    let spec = format!("{HEAD}paths:\n  /items/{{id}}:\n    get:\n      responses:\n        '200': {{description: ok}}\n");
    assert_eq!(
        error(&spec),
        "#/paths/~1items~1{id}/get: path template parameter {id} in \"/items/{id}\" is not declared as a path parameter"
    );
}

#[test]
fn a_parameter_declared_twice_is_an_error() {
    let spec = format!(
        "{HEAD}paths:\n  /items:\n    get:\n      parameters:\n        - {{name: q, in: query, schema: {{type: string}}}}\n        - {{name: q, in: query, schema: {{type: integer}}}}\n      responses:\n        '200': {{description: ok}}\n"
    );
    assert_eq!(
        error(&spec),
        "#/paths/~1items/get/parameters/1: parameter \"q\" in query is declared twice"
    );
}

#[test]
fn an_unknown_security_scheme_is_an_error() {
    let spec = format!("{HEAD}security: [{{nope: []}}]\npaths: {{}}\n");
    // No operation uses it, so nothing fails; with an operation it does.
    generate(&spec).expect("unused requirement is harmless");
    let spec = format!("{HEAD}security: [{{nope: []}}]\npaths:\n  /a:\n    get:\n      responses:\n        '204': {{description: ok}}\n");
    assert_eq!(
        error(&spec),
        "#/security/0: security scheme \"nope\" is not defined in #/components/securitySchemes"
    );
}

#[test]
fn a_malformed_structure_names_its_place() {
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      responses:\n        '200': {{description: [1, 2]}}\n"
    );
    let message = error(&spec);
    assert!(
        message.starts_with("#/paths/~1a/get/responses/200"),
        "{message}"
    );
}

#[test]
fn unmodelled_constructs_become_diagnostics_and_json_values() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Mixed:\n      not: {{type: string}}\n"
    );
    let generated = generate(&spec).expect("generates with a fallback");
    let messages: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        messages,
        ["warning: #/components/schemas/Mixed: `not` cannot be expressed as a Rust type; using serde_json::Value"]
    );
    let models = &generated
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .unwrap()
        .contents;
    assert!(
        models.contains("pub type Mixed = serde_json::Value;"),
        "{models}"
    );
}

#[test]
fn odd_but_valid_inputs_do_not_panic() {
    for spec in [
        HEAD.to_owned(),
        format!("{HEAD}paths: {{}}\ncomponents: {{schemas: {{}}}}\n"),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/A'}}\n"),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n    B: {{$ref: '#/components/schemas/A'}}\n"),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{type: object, properties: {{a: {{$ref: '#/components/schemas/A'}}}}, required: [a]}}\n"),
        "openapi: 3.1.0\ninfo: {title: t}\nwebhooks: {}\n".to_owned(),
        format!("{HEAD}paths:\n  /a:\n    get:\n      responses: {{}}\n"),
        format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    '': {{type: string}}\n    '123': {{type: object, properties: {{'': {{type: string}}, '~/': {{type: string}}}}}}\n"),
    ] {
        let _ = generate(&spec);
    }
}

/// A spec with enough schemas to be parsed on two threads (the schemas on one, the rest on
/// the other) names the first error in document order, as on one thread: an error in a
/// path before one in a schema, and an error among the schemas where it is.
#[test]
fn errors_of_a_spec_parsed_on_two_threads_are_named_in_document_order() {
    let schemas = |bad: Option<usize>| {
        let mut out = String::from("components:\n  schemas:\n");
        for i in 0..100 {
            let minimum = if Some(i) == bad { "high" } else { "1" };
            out.push_str(&format!(
                "    S{i}:\n      type: object\n      properties:\n        n: {{type: integer, minimum: {minimum}}}\n"
            ));
        }
        out
    };
    let path = |minimum: &str| {
        format!("paths:\n  /a:\n    get:\n      parameters:\n        - {{name: q, in: query, schema: {{type: integer, minimum: {minimum}}}}}\n      responses:\n        '200': {{description: ok}}\n")
    };
    let valid = format!("{HEAD}{}{}", path("1"), schemas(None));
    let generated = generate(&valid).expect("generates");
    let models = generated.files.iter().find(|f| f.path == "src/models.rs");
    assert!(models.unwrap().contents.contains("pub struct S99 {"));
    assert_eq!(
        error(&format!("{HEAD}{}{}", path("1"), schemas(Some(70)))),
        "#/components/schemas/S70/properties/n: not a valid OpenAPI document here: invalid type: string \"high\", expected a JSON number"
    );
    assert_eq!(
        error(&format!("{HEAD}{}{}", path("low"), schemas(Some(3)))),
        "#/paths/~1a/get/parameters/0/schema: not a valid OpenAPI document here: invalid type: string \"low\", expected a JSON number"
    );
}
