//! Hostile specs: reference loops, cycles through `allOf`, long reference chains and deep
//! inline nesting end in output or an error naming the place, never a panic, a hang or a
//! stack overflow. Inputs found by fuzzing (`cargo xtask fuzz`) are kept here as regression
//! tests.

use std::sync::mpsc;
use std::time::Duration;

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

/// Generates on another thread, so a hang fails this test instead of stalling the suite
/// (the bound is generous: it detects a loop, it does not measure speed).
fn generate(spec: String) -> Result<oagen_generator::Generated, oagen_generator::Error> {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || {
        let result = oagen_generator::generate(
            &spec,
            &oagen_generator::Options::new()
                .command("test")
                .spec_name("spec.yaml"),
        );
        let _ = send.send(result);
    });
    match receive.recv_timeout(Duration::from_secs(120)) {
        Ok(result) => result,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("the generator did not finish"),
        Err(mpsc::RecvTimeoutError::Disconnected) => panic!("the generator panicked"),
    }
}

fn models_of(spec: String) -> String {
    let generated = generate(spec).expect("generates");
    generated
        .files
        .into_iter()
        .find(|f| f.path == "src/models.rs")
        .expect("a models file")
        .contents
}

fn components(schemas: &str) -> String {
    format!("{HEAD}paths: {{}}\ncomponents:\n  schemas:\n{schemas}")
}

#[test]
fn a_direct_self_reference_becomes_an_untyped_value() {
    let models = models_of(components("    A: {$ref: '#/components/schemas/A'}\n"));
    assert!(
        models.contains("pub type A = serde_json::Value;"),
        "{models}"
    );
}

#[test]
fn a_self_reference_through_all_of_ends() {
    let models = models_of(components(
        "    A:\n      allOf:\n        - {$ref: '#/components/schemas/A'}\n        - {type: object, properties: {x: {type: string}}}\n",
    ));
    assert!(models.contains("pub struct A"), "{models}");
    assert!(models.contains("pub x: Option<String>"), "{models}");
}

/// Ranking a union's branches followed the alias loop `A = B`, `B = A`
/// forever (a stack overflow).
#[test]
fn a_union_with_a_branch_in_a_reference_loop_ends() {
    let models = models_of(components(
        "    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n    U:\n      oneOf:\n        - {$ref: '#/components/schemas/A'}\n        - {type: string}\n",
    ));
    assert!(
        models.contains("pub type A = serde_json::Value;"),
        "{models}"
    );
    assert!(
        models.contains("pub type B = serde_json::Value;"),
        "{models}"
    );
    // The loop ranks as an untyped value: after the string branch.
    let string = models.find("String(String)").expect("string variant");
    let a = models.find("A(A)").expect("loop variant");
    assert!(string < a, "{models}");
}

#[test]
fn a_two_step_reference_loop_in_properties_is_boxed() {
    let models = models_of(components(
        "    A: {type: object, required: [b], properties: {b: {$ref: '#/components/schemas/B'}}}\n    B: {type: object, required: [a], properties: {a: {$ref: '#/components/schemas/A'}}}\n",
    ));
    assert!(
        models.contains("Box<B>") || models.contains("Box<A>"),
        "{models}"
    );
}

#[test]
fn a_cycle_through_all_of_ends() {
    let models = models_of(components(
        "    A:\n      allOf:\n        - {$ref: '#/components/schemas/B'}\n        - {type: object, properties: {a: {type: string}}}\n    B:\n      allOf:\n        - {$ref: '#/components/schemas/A'}\n        - {type: object, properties: {b: {type: integer}}}\n",
    ));
    assert!(models.contains("pub struct A"), "{models}");
    assert!(models.contains("pub struct B"), "{models}");
}

#[test]
fn a_long_chain_of_references_generates() {
    let mut schemas = String::new();
    for i in 0..400 {
        schemas.push_str(&format!(
            "    S{i}: {{type: object, properties: {{next: {{$ref: '#/components/schemas/S{}'}}}}}}\n",
            i + 1
        ));
        schemas.push_str(&format!(
            "    R{i}: {{$ref: '#/components/schemas/R{}'}}\n",
            i + 1
        ));
    }
    schemas.push_str("    S400: {type: string}\n    R400: {type: integer}\n");
    schemas.push_str(
        "    U:\n      oneOf:\n        - {$ref: '#/components/schemas/R0'}\n        - {type: boolean}\n",
    );
    let models = models_of(components(&schemas));
    assert!(models.contains("pub struct S0"), "{models}");
    assert!(models.contains("pub next: Option<S400>"), "{models}");
    assert!(models.contains("pub enum U"), "{models}");
}

/// Within the YAML reader's 128 levels, deep nesting generates (on the pipeline's large
/// stack: a default thread's stack overflowed in a debug build at 40 levels of arrays).
/// Beyond 64 schema levels the innermost part becomes `serde_json::Value`, with a warning.
#[test]
fn deep_inline_nesting_within_the_reader_limit_generates() {
    let nested_arrays = |depth: usize| {
        let mut schema = String::from("{type: string}");
        for _ in 0..depth {
            schema = format!("{{type: array, items: {schema}}}");
        }
        components(&format!("    Deep: {schema}\n"))
    };
    let compact = |text: &str| -> String {
        text.chars()
            .filter(|c| !c.is_whitespace() && *c != ',')
            .collect()
    };
    let models = models_of(nested_arrays(60));
    let expected = format!("pubtypeDeep={}String{};", "Vec<".repeat(60), ">".repeat(60));
    assert!(compact(&models).contains(&expected), "{models}");

    let generated = generate(nested_arrays(120)).expect("generates");
    let warnings: Vec<String> = generated
        .diagnostics
        .iter()
        .map(|d| d.to_string().replace("/items", ""))
        .collect();
    assert_eq!(
        warnings,
        ["warning: #/components/schemas/Deep: schemas nested more than 64 levels deep; using serde_json::Value"]
    );

    let mut schema = String::from("{type: string}");
    for _ in 0..60 {
        schema = format!("{{type: object, required: [a], properties: {{a: {schema}}}}}");
    }
    let models = models_of(components(&format!("    Deep: {schema}\n")));
    assert!(models.contains("pub struct Deep "), "{models}");
}

/// Hundreds of levels: an error with the line and column where the limit is crossed.
#[test]
fn five_hundred_levels_of_inline_nesting_are_refused_with_their_place() {
    for (open, close) in [
        ("{type: object, properties: {a: ", "}}"),
        ("{type: array, items: ", "}"),
        ("{oneOf: [{type: integer}, ", "]}"),
        ("{allOf: [", "]}"),
    ] {
        let schema = format!("{}{{type: string}}{}", open.repeat(500), close.repeat(500));
        let message = generate(components(&format!("    Deep: {schema}\n")))
            .expect_err("too deep")
            .to_string();
        assert!(message.starts_with("line 6, column "), "{message}");
        assert!(
            message.ends_with(": invalid YAML: the document nests deeper than 128 levels (recursion limit exceeded)"),
            "{message}"
        );
    }
}
/// Found by `cargo xtask fuzz`: one bad value under 34 levels of `oneOf` took minutes,
/// `openapiv3` reading it again for each form of schema at each level. Now schemas are
/// checked a level at a time and the error names the innermost bad schema.
#[test]
fn a_bad_value_under_deeply_nested_unions_is_found_quickly() {
    let mut schema = String::from("{oneOf: {type: string}}");
    for _ in 0..40 {
        schema = format!("{{oneOf: [{schema}, {{type: integer}}]}}");
    }
    let error = generate(components(&format!("    Deep: {schema}\n")))
        .expect_err("invalid")
        .to_string();
    assert_eq!(
        error,
        format!(
            "#/components/schemas/Deep{}: not a valid OpenAPI document here: invalid type: map, expected a sequence",
            "/oneOf/0".repeat(40)
        )
    );
}

/// A parameter or security scheme named `schema`, and example data with a `schema` key,
/// are not schemas.
#[test]
fn only_schemas_are_checked_as_schemas() {
    let spec = format!(
        "{HEAD}security: [{{schema: []}}]\npaths:\n  /a:\n    get:\n      parameters: [{{$ref: '#/components/parameters/schema'}}]\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{type: object, example: {{schema: 5}}}}\n              examples: {{one: {{value: {{schema: 7}}}}}}\ncomponents:\n  parameters:\n    schema: {{name: q, in: query, schema: {{type: string}}}}\n  securitySchemes:\n    schema: {{type: http, scheme: bearer}}\n"
    );
    generate(spec).expect("generates");
}

/// Found by `cargo xtask fuzz`: JSON nested far past the limit took the YAML reader time
/// quadratic in the depth before it refused it. JSON is now read by the JSON reader.
#[test]
fn json_nested_far_too_deep_is_refused_with_its_place() {
    let spec = format!(
        "{{\"openapi\": \"3.0.3\", \"info\": {}{}}}",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    assert_eq!(
        generate(spec).expect_err("too deep").to_string(),
        "line 1, column 156: invalid YAML: the document nests deeper than 128 levels (recursion limit exceeded)"
    );
}

/// A `$ref` may point anywhere in the document; loops through such references end like
/// loops through component names.
#[test]
fn references_into_properties_and_operations_resolve_and_their_loops_end() {
    // A property that refers to itself, one that refers to its parent's property, and an
    // operation's response that refers into itself.
    let spec = format!(
        "{HEAD}paths:\n  /a:\n    get:\n      operationId: getA\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  next: {{$ref: '#/paths/~1a/get/responses/200/content/application~1json/schema'}}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        self: {{$ref: '#/components/schemas/A/properties/self'}}\n        b: {{type: object, properties: {{up: {{$ref: '#/components/schemas/A/properties/b'}}}}}}\n        c: {{$ref: '#/components/schemas/A/properties/b/properties/up'}}\n"
    );
    let generated = generate(spec).expect("generates");
    let models = &generated
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .expect("a models file")
        .contents;
    assert!(models.contains("pub struct GetAResponse {"), "{models}");
    assert!(
        models.contains("pub next: Option<Box<GetAResponse>>"),
        "{models}"
    );
    // `c` refers to `up`, itself a reference to `b`: an alias of `b`'s type.
    assert!(models.contains("pub struct Ab {"), "{models}");
    assert!(models.contains("pub up: Option<Box<AbUp>>"), "{models}");
    assert!(models.contains("pub type AbUp = Ab;"), "{models}");
    assert!(models.contains("pub c: Option<AbUp>"), "{models}");
    // A reference to itself describes no value.
    assert!(
        models.contains("pub type ASelf = serde_json::Value;"),
        "{models}"
    );
}

/// JSON Schema tools write `#/$defs/X` for the `$defs` of the schema they emitted; nested
/// schemas with their own `$defs` resolve in the nearest one that has the name.
#[test]
fn defs_resolve_in_the_nearest_enclosing_schema() {
    let spec = format!(
        "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    Outer:\n      type: object\n      $defs:\n        X: {{type: object, properties: {{outer: {{type: string}}}}}}\n      properties:\n        inner:\n          type: object\n          $defs:\n            X: {{type: object, properties: {{inner: {{type: string}}}}}}\n          properties:\n            x: {{$ref: '#/$defs/X'}}\n        x: {{$ref: '#/$defs/X'}}\n"
    );
    let generated = generate(spec).expect("generates");
    let notes: Vec<String> = generated
        .diagnostics
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        notes,
        [
            "note: #/components/schemas/Outer/properties/inner/properties/x: \"#/$defs/X\" does not resolve from the document's root; resolved in the `$defs` of the enclosing schema #/components/schemas/Outer/properties/inner",
            "note: #/components/schemas/Outer/properties/x: \"#/$defs/X\" does not resolve from the document's root; resolved in the `$defs` of the enclosing schema #/components/schemas/Outer",
        ]
    );
    let models = &generated
        .files
        .iter()
        .find(|f| f.path == "src/models.rs")
        .expect("a models file")
        .contents;
    assert!(models.contains("pub x: Option<OuterX>"), "{models}");
    assert!(models.contains("pub x: Option<OuterInnerX>"), "{models}");
}
