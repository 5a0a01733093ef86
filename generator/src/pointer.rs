//! JSON pointers (RFC 6901, in URI-fragment form `#/a/b`) naming places in the spec, for
//! error messages and diagnostics.

use std::fmt;

/// A location in the OpenAPI document, such as `#/paths/~1files~1{file_id}/delete`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

impl Pointer {
    /// The document's root, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local `$ref` target (`#/components/schemas/X`).
    pub fn from_ref(reference: &str) -> Option<Self> {
        reference
            .starts_with('#')
            .then(|| Pointer(reference.to_owned()))
    }

    /// A pointer previously rendered with `to_string`.
    pub(crate) fn parse_owned(rendered: &str) -> Self {
        Pointer(rendered.to_owned())
    }

    /// This pointer extended by one reference token, escaped as RFC 6901 requires.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref().replace('~', "~0").replace('/', "~1");
        Pointer(format!("{}/{}", self.0, token))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_slash_and_tilde() {
        let p = Pointer::root()
            .push("paths")
            .push("/files/{file_id}")
            .push("a~b");
        assert_eq!(p.as_str(), "#/paths/~1files~1{file_id}/a~0b");
    }
}
