//! The generator's copy of the runtime's sources, `generator/runtime-copy/`.
//!
//! The generator vendors the runtime crate's modules into every crate it writes, and embeds
//! them with `include_str!`. The runtime crate (`runtime/src/`) is their one source of
//! truth, but `cargo package` packs only the files under a package's own directory, so a
//! generator that included `../runtime/src/*.rs` could not be published (nor build from its
//! packaged copy). The generator package therefore carries a committed copy of each module
//! (every `runtime/src/*.rs` but `lib.rs`, which is not vendored), which nobody edits:
//! `cargo xtask codegen` writes the files that differ from their source (and removes those
//! whose source is gone), and `cargo xtask codegen --check` fails naming each stale one, as
//! for generated code. The generator's own tests hold the embedded text to `runtime/src`
//! too (`emit::runtime`).
//!
//! Since the generator is built into this program, a copy just written reaches generated
//! crates only from the next build of it: `codegen` then runs itself again through cargo.

use std::path::Path;

/// The runtime crate's sources, from the workspace root.
pub(crate) const SOURCE: &str = "runtime/src";
/// The generator's copy of them, from the workspace root.
pub(crate) const COPY: &str = "generator/runtime-copy";

/// One copied file that differs from its source.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stale {
    /// Missing, or with other text than `runtime/src/NAME`: the copy's path and the source's text.
    Differs(String, String),
    /// A file of the copy whose source is gone: its path.
    Orphan(String),
}

impl Stale {
    pub(crate) fn path(&self) -> &str {
        match self {
            Stale::Differs(path, _) | Stale::Orphan(path) => path,
        }
    }
}

/// The files of `generator/runtime-copy/` under `root` that differ from their source in
/// `runtime/src/`, sorted by path: none when the root has no runtime crate (a scratch root
/// of specs and generated crates only).
pub(crate) fn stale(root: &Path) -> Result<Vec<Stale>, String> {
    let source_dir = root.join(SOURCE);
    if !source_dir.is_dir() {
        return Ok(Vec::new());
    }
    let sources = rust_files(&source_dir)?;
    let copies = rust_files(&root.join(COPY))?;
    let mut stale = Vec::new();
    for (name, text) in sources.iter().filter(|(name, _)| name != "lib.rs") {
        let copy = copies.iter().find(|(n, _)| n == name).map(|(_, t)| t);
        if !copy.is_some_and(|copy| oagen::codegen::same_text(copy, text)) {
            stale.push(Stale::Differs(format!("{COPY}/{name}"), text.clone()));
        }
    }
    for (name, _) in &copies {
        if name == "lib.rs" || !sources.iter().any(|(n, _)| n == name) {
            stale.push(Stale::Orphan(format!("{COPY}/{name}")));
        }
    }
    stale.sort_by(|a, b| a.path().cmp(b.path()));
    Ok(stale)
}

/// Brings the copy under `root` up to date, returning what it changed.
pub(crate) fn sync(root: &Path) -> Result<Vec<Stale>, String> {
    let stale = stale(root)?;
    for file in &stale {
        let path = root.join(file.path());
        match file {
            Stale::Differs(_, text) => crate::write_file(&path, text)?,
            Stale::Orphan(_) => std::fs::remove_file(&path)
                .map_err(|e| format!("error: cannot remove {}: {e}", path.display()))?,
        }
    }
    Ok(stale)
}

/// The message of `codegen --check` for stale copied files.
pub(crate) fn stale_message(stale: &[Stale], command: &str) -> String {
    let mut message = format!(
        "error: the generator's copy of the runtime is out of date with {SOURCE} (its source, \
         the file to edit):\n"
    );
    for file in stale {
        let what = match file {
            Stale::Differs(..) => "stale",
            Stale::Orphan(_) => "no longer in the runtime",
        };
        message.push_str(&format!("  {what}: {}\n", file.path()));
    }
    message.push_str(&format!("run `{command}` and commit the result"));
    message
}

/// The `.rs` files directly in `dir` with their text, by name (none if `dir` is missing).
fn rust_files(dir: &Path) -> Result<Vec<(String, String)>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("error: cannot read {}: {e}", dir.display())),
    };
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        if !name.ends_with(".rs") || !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("error: cannot read {}: {e}", path.display()))?;
        files.push((name.to_owned(), text));
    }
    files.sort();
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, path: &str, text: &str) {
        crate::write_file(&root.join(path), text).unwrap();
    }

    fn read(root: &Path, path: &str) -> Option<String> {
        std::fs::read_to_string(root.join(path)).ok()
    }

    #[test]
    fn a_root_without_the_runtime_has_nothing_to_copy() {
        let root = tempfile::tempdir().unwrap();
        assert_eq!(stale(root.path()).unwrap(), Vec::new());
        assert_eq!(sync(root.path()).unwrap(), Vec::new());
        assert!(!root.path().join(COPY).exists());
    }

    #[test]
    fn sync_writes_what_differs_removes_orphans_and_leaves_the_rest() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(root, "runtime/src/lib.rs", "mod a;\nmod b;\nmod c;\n");
        write(root, "runtime/src/a.rs", "// a\n");
        write(root, "runtime/src/b.rs", "// b, edited\n");
        write(root, "runtime/src/c.rs", "// c, new\n");
        write(root, "generator/runtime-copy/a.rs", "// a\r\n"); // CRLF: the same text
        write(root, "generator/runtime-copy/b.rs", "// b\n");
        write(root, "generator/runtime-copy/gone.rs", "// gone\n");
        let paths = |stale: Vec<Stale>| -> Vec<String> {
            stale.iter().map(|s| s.path().to_owned()).collect()
        };
        let expected = [
            "generator/runtime-copy/b.rs",
            "generator/runtime-copy/c.rs",
            "generator/runtime-copy/gone.rs",
        ];
        assert_eq!(paths(stale(root).unwrap()), expected);
        let message = stale_message(&stale(root).unwrap(), "cargo xtask codegen");
        assert!(message.contains("  stale: generator/runtime-copy/b.rs\n"));
        assert!(message.contains("  no longer in the runtime: generator/runtime-copy/gone.rs\n"));
        assert!(message.ends_with("run `cargo xtask codegen` and commit the result"));

        assert_eq!(paths(sync(root).unwrap()), expected);
        assert_eq!(
            read(root, "generator/runtime-copy/a.rs").unwrap(),
            "// a\r\n"
        );
        assert_eq!(
            read(root, "generator/runtime-copy/b.rs").unwrap(),
            "// b, edited\n"
        );
        assert_eq!(
            read(root, "generator/runtime-copy/c.rs").unwrap(),
            "// c, new\n"
        );
        assert_eq!(read(root, "generator/runtime-copy/gone.rs"), None);
        assert_eq!(read(root, "generator/runtime-copy/lib.rs"), None);
        assert_eq!(stale(root).unwrap(), Vec::new());
    }
}
