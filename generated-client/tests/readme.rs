//! The README's usage example is the compiled `examples/delete_file.rs`, word for word.

#[test]
fn readme_example_is_the_compiled_example_program() {
    let readme = include_str!("../../README.md");
    let example = include_str!("../examples/delete_file.rs");
    let block = format!("```rust\n{example}```");
    assert!(
        readme.contains(&block),
        "README.md's rust block differs from generated-client/examples/delete_file.rs; copy the file into the README"
    );
}
