//! The usage example of `docs/using-the-client.md` is the compiled `examples/delete_file.rs`,
//! word for word.

#[test]
fn readme_example_is_the_compiled_example_program() {
    let doc = include_str!("../../docs/using-the-client.md");
    let example = include_str!("../examples/delete_file.rs");
    let block = format!("```rust\n{example}```");
    assert!(
        doc.contains(&block),
        "docs/using-the-client.md's rust block differs from generated-client/examples/delete_file.rs; copy the file into docs/using-the-client.md"
    );
}
