//! The vendor extensions the generator reads (`x-speakeasy-*`), as typed structs. An
//! extension that does not have the documented shape is a warning naming the place inside
//! it that is wrong, and is ignored.

use indexmap::IndexMap;
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_path_to_error::Segment;

use crate::error::Diagnostic;
use crate::pointer::Pointer;

/// `x-speakeasy-pagination` on an operation.
#[derive(Debug, Deserialize)]
pub struct PaginationExtension {
    /// `offsetLimit` or `cursor`.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub inputs: Vec<PaginationInput>,
    #[serde(default)]
    pub outputs: PaginationOutputs,
}

impl PaginationExtension {
    /// The name of the input of a kind (`offset`, `limit`, `cursor`).
    pub fn input(&self, kind: &str) -> Option<&str> {
        self.inputs
            .iter()
            .find(|input| input.kind == kind)
            .map(|input| input.name.as_str())
    }
}

/// One parameter the pagination sets.
#[derive(Debug, Deserialize)]
pub struct PaginationInput {
    pub name: String,
    /// `offset`, `limit`, `page` or `cursor`.
    #[serde(rename = "type")]
    pub kind: String,
}

/// Where the page's items and the next cursor are, as JSONPath (`$.data`).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PaginationOutputs {
    pub results: Option<String>,
    pub next_cursor: Option<String>,
}

impl PaginationOutputs {
    /// The top-level field a `$.field` output names.
    pub fn field(output: Option<&str>) -> Option<&str> {
        output?.strip_prefix("$.")
    }
}

/// Extension `key` of `extensions` read as `T`; `None` when absent, or, with a warning at
/// the place inside it that is wrong, when malformed.
pub fn read<T: DeserializeOwned>(
    extensions: &IndexMap<String, serde_json::Value>,
    key: &str,
    at: &Pointer,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let value = extensions.get(key)?;
    match serde_path_to_error::deserialize(value) {
        Ok(read) => Some(read),
        Err(error) => {
            let mut place = at.push(key);
            for segment in error.path().iter() {
                place = match segment {
                    Segment::Seq { index } => place.push(index.to_string()),
                    Segment::Map { key } => place.push(key),
                    Segment::Enum { variant } => place.push(variant),
                    Segment::Unknown => place,
                };
            }
            diagnostics.push(Diagnostic::warning(
                &place,
                format!("`{key}` is malformed ({}); ignored", error.inner()),
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extensions(value: serde_json::Value) -> IndexMap<String, serde_json::Value> {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_well_formed_pagination_is_read() {
        let ext = extensions(serde_json::json!({"x-speakeasy-pagination": {
            "type": "cursor",
            "inputs": [{"name": "after", "in": "parameters", "type": "cursor"}],
            "outputs": {"results": "$.data", "nextCursor": "$.next"}
        }}));
        let mut diagnostics = Vec::new();
        let read: PaginationExtension = read(
            &ext,
            "x-speakeasy-pagination",
            &Pointer::root(),
            &mut diagnostics,
        )
        .unwrap();
        assert!(diagnostics.is_empty());
        assert_eq!(read.input("cursor"), Some("after"));
        assert_eq!(
            PaginationOutputs::field(read.outputs.next_cursor.as_deref()),
            Some("next")
        );
    }

    #[test]
    fn a_malformed_extension_is_a_located_warning() {
        let ext = extensions(serde_json::json!({"x-speakeasy-pagination": {
            "type": "cursor",
            "inputs": [{"name": "after", "type": "cursor"}, {"name": 7, "type": "limit"}]
        }}));
        let mut diagnostics = Vec::new();
        let at = Pointer::root().push("paths").push("/a").push("get");
        let read: Option<PaginationExtension> =
            read(&ext, "x-speakeasy-pagination", &at, &mut diagnostics);
        assert!(read.is_none());
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(
            diagnostics[0].pointer,
            "#/paths/~1a/get/x-speakeasy-pagination/inputs/1/name"
        );
        assert!(
            diagnostics[0].message.contains("invalid type: integer `7`"),
            "{}",
            diagnostics[0].message
        );
    }

    #[test]
    fn a_string_extension_that_is_not_a_string_is_a_warning() {
        let ext = extensions(serde_json::json!({"x-speakeasy-sse-sentinel": ["[DONE]"]}));
        let mut diagnostics = Vec::new();
        let read: Option<String> = read(
            &ext,
            "x-speakeasy-sse-sentinel",
            &Pointer::root(),
            &mut diagnostics,
        );
        assert!(read.is_none());
        assert_eq!(diagnostics[0].pointer, "#/x-speakeasy-sse-sentinel");
    }
}
