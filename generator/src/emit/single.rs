//! The crate's sources as one file, for `include!` from a build script's `OUT_DIR`: each
//! `mod name;` of `src/lib.rs` (and of `src/runtime/mod.rs`) becomes an inline
//! `mod name { ... }` holding that module's file, recursively.
//!
//! Build scripts cannot use `mod foo;` files in `OUT_DIR` (a module file is looked for next
//! to the file that declares it), hence one file. Inner doc comments (`//!`) are allowed at
//! the start of an inline module, so the modules keep theirs; the crate's own (the first
//! lines of `src/lib.rs`) are not allowed in an `include!`d file and become plain comments.
//! Lines are not re-indented: the runtime's multi-line string literals would change.

use crate::error::Error;
use crate::GeneratedFile;

/// One file holding every `.rs` file of `files` under `src/`, to be `include!`d at the root
/// of a crate (generated code names its items from `crate::`).
pub fn single_file(files: &[GeneratedFile], header: &str) -> Result<String, Error> {
    let lib = find(files, "src/lib.rs")
        .ok_or_else(|| Error::Internal("no src/lib.rs was generated".into()))?;
    let mut out = String::from(header);
    out.push('\n');
    for line in without_header(lib).lines() {
        match line.strip_prefix("//!") {
            // Not allowed in an included file: kept as a plain comment.
            Some(rest) => {
                out.push_str("//");
                out.push_str(rest);
                out.push('\n');
            }
            None => inline_line(files, "src", line, &mut out, 0)?,
        }
    }
    Ok(out)
}

fn find<'a>(files: &'a [GeneratedFile], path: &str) -> Option<&'a str> {
    files
        .iter()
        .find(|f| f.path == path)
        .map(|f| f.contents.as_str())
}

/// The file without its leading `// ` comment lines (the generated-file header) and the
/// blank lines after them.
fn without_header(text: &str) -> &str {
    let mut rest = text;
    while rest.starts_with("// ") || rest.starts_with('\n') {
        rest = rest.split_once('\n').map_or("", |(_, after)| after);
    }
    rest
}

/// `mod name;` (with any visibility) at the start of a line: the module's name.
fn declared_module(line: &str) -> Option<(&str, &str)> {
    let (visibility, rest) = match line.find("mod ") {
        Some(at) => (&line[..at], &line[at + "mod ".len()..]),
        None => return None,
    };
    let plain = visibility.is_empty()
        || visibility == "pub "
        || (visibility.starts_with("pub(") && visibility.ends_with(") "));
    let name = rest.strip_suffix(';')?;
    (plain && !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .then_some((visibility, name))
}

/// Copies `line` of a file in folder `dir`, inlining the module it declares, if any.
fn inline_line(
    files: &[GeneratedFile],
    dir: &str,
    line: &str,
    out: &mut String,
    depth: usize,
) -> Result<(), Error> {
    let Some((visibility, name)) = declared_module(line) else {
        out.push_str(line);
        out.push('\n');
        return Ok(());
    };
    let (text, child_dir) = match find(files, &format!("{dir}/{name}.rs")) {
        Some(text) => (text, dir.to_owned()),
        None => match find(files, &format!("{dir}/{name}/mod.rs")) {
            Some(text) => (text, format!("{dir}/{name}")),
            None => {
                return Err(Error::Internal(format!(
                    "module {name} declared in {dir} has no file"
                )))
            }
        },
    };
    if depth > 8 {
        return Err(Error::Internal(format!(
            "modules nest too deep at {dir}/{name}"
        )));
    }
    // Only `mod.rs` files declare modules here; other files are copied as they are (a
    // string literal may hold a line that looks like `mod x;`).
    let declares_modules = find(files, &format!("{dir}/{name}/mod.rs")).is_some();
    out.push_str(&format!("{visibility}mod {name} {{\n"));
    for inner in without_header(text).lines() {
        if declares_modules {
            inline_line(files, &child_dir, inner, out, depth + 1)?;
        } else {
            out.push_str(inner);
            out.push('\n');
        }
    }
    out.push_str("}\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: path.into(),
            contents: contents.into(),
        }
    }

    #[test]
    fn modules_are_inlined_recursively_and_crate_docs_become_comments() {
        let files = [
            file("src/lib.rs", "// @generated\n\n//! Crate docs.\n#[rustfmt::skip]\npub mod models;\nmod runtime;\npub use runtime::X;\n"),
            file("src/models.rs", "// @generated\n\n//! Models.\npub struct A;\n"),
            file("src/runtime/mod.rs", "// @generated\n\n//! Runtime.\nmod x;\npub use x::X;\n"),
            file("src/runtime/x.rs", "// @generated\n\npub struct X;\nconst S: &str = \"a\nmod y;\";\n"),
        ];
        assert_eq!(
            single_file(&files, "// header\n").unwrap(),
            "// header\n\n// Crate docs.\n#[rustfmt::skip]\npub mod models {\n//! Models.\npub struct A;\n}\n\
             mod runtime {\n//! Runtime.\nmod x {\npub struct X;\nconst S: &str = \"a\nmod y;\";\n}\npub use x::X;\n}\n\
             pub use runtime::X;\n"
        );
    }
}
