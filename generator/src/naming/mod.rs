//! Rust names for spec names: types in `UpperCamelCase`, fields and methods in `snake_case`,
//! variants in `UpperCamelCase`, with keywords, leading digits and symbols made legal; and
//! [`NameScope`], which hands out names unique in one scope after the [`reserved`] ones.

mod case;
pub mod reserved;

use std::collections::BTreeSet;

pub use case::upper_camel;

/// Words Rust reserves; a field or method with such a name gets a trailing underscore.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "Self", "static", "struct", "super", "trait", "true", "try", "type", "typeof", "union",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "abstract", "become",
];

/// Transliterates to ASCII (`größe` → `grosse`, `名前` → `Ming Qian`) and replaces every
/// character that cannot appear in an identifier by a word break, so that `heck` sees
/// `a.b-c` as three words.
fn words(name: &str) -> String {
    let keep = |c: char| {
        if c.is_alphanumeric() || c == '_' {
            c
        } else {
            ' '
        }
    };
    // Below DEL, `deunicode` keeps every character as it is.
    if name.bytes().all(|b| b < 0x7f) {
        return name.chars().map(keep).collect();
    }
    deunicode::deunicode(name).chars().map(keep).collect()
}

/// Makes `ident` legal: not empty, not starting with a digit, ASCII-only.
fn legalize(ident: String, prefix: &str) -> String {
    let ident: String = ident
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                'x'
            }
        })
        .collect();
    if ident.is_empty() || ident.chars().all(|c| c == '_') {
        return prefix.to_owned();
    }
    if ident.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("{prefix}{ident}");
    }
    ident
}

/// A type or variant name: `file_deleted` → `FileDeleted`, `2xx` → `T2xx`.
pub fn type_name(name: &str) -> String {
    let camel = case::upper_camel(&words(name));
    let ident = legalize(camel, "T");
    if ident == "Self" {
        "Self_".to_owned()
    } else {
        ident
    }
}

/// A variant name; empty and symbol-only values get a name from their position.
pub fn variant_name(value: &str, index: usize) -> String {
    let camel = case::upper_camel(&words(value));
    if camel.is_empty() {
        return format!("Value{index}");
    }
    let ident = legalize(camel, "V");
    if ident == "Self" {
        "Self_".to_owned()
    } else {
        ident
    }
}

/// A field, parameter or method name: `workspaceId` → `workspace_id`, `type` → `type_`.
pub fn snake_name(name: &str) -> String {
    let snake = case::snake(&words(name));
    let ident = legalize(snake, "n");
    if KEYWORDS.contains(&ident.as_str()) {
        format!("{ident}_")
    } else {
        ident
    }
}

/// A variant name for a response status: `404` → `NotFound`, `4XX` → `Status4xx`.
pub fn status_name(code: Option<u16>, range: Option<u16>) -> String {
    if let Some(r) = range {
        return format!("Status{r}xx");
    }
    let Some(code) = code else {
        return "Default".to_owned();
    };
    let name = match code {
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "NonAuthoritativeInformation",
        204 => "NoContent",
        205 => "ResetContent",
        206 => "PartialContent",
        300 => "MultipleChoices",
        301 => "MovedPermanently",
        302 => "Found",
        303 => "SeeOther",
        304 => "NotModified",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        402 => "PaymentRequired",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        407 => "ProxyAuthenticationRequired",
        408 => "RequestTimeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "LengthRequired",
        412 => "PreconditionFailed",
        413 => "PayloadTooLarge",
        414 => "UriTooLong",
        415 => "UnsupportedMediaType",
        416 => "RangeNotSatisfiable",
        417 => "ExpectationFailed",
        418 => "ImATeapot",
        421 => "MisdirectedRequest",
        422 => "UnprocessableEntity",
        423 => "Locked",
        424 => "FailedDependency",
        425 => "TooEarly",
        426 => "UpgradeRequired",
        428 => "PreconditionRequired",
        429 => "TooManyRequests",
        431 => "RequestHeaderFieldsTooLarge",
        451 => "UnavailableForLegalReasons",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        505 => "HttpVersionNotSupported",
        507 => "InsufficientStorage",
        508 => "LoopDetected",
        511 => "NetworkAuthenticationRequired",
        _ => return format!("Status{code}"),
    };
    name.to_owned()
}

/// Hands out names that are unique within one scope, adding `2`, `3`, … on collisions.
#[derive(Debug, Default)]
pub struct NameScope {
    taken: BTreeSet<String>,
    /// Names reserved from the start (see [`reserved::scope`]), kept apart from `taken`:
    /// copying a registry into every scope (one per struct) cost more than looking it up.
    fixed: Vec<&'static str>,
}

impl NameScope {
    pub fn new() -> Self {
        Self::default()
    }

    /// A scope with `names` reserved from the start.
    pub fn with_reserved(names: &[&'static str]) -> Self {
        NameScope {
            taken: BTreeSet::new(),
            fixed: names.to_vec(),
        }
    }

    /// Reserves a name the scope must not hand out (e.g. a field the runtime adds).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_owned());
    }

    /// Takes `name` if it is free.
    fn take(&mut self, name: &str) -> bool {
        !self.fixed.contains(&name) && self.taken.insert(name.to_owned())
    }

    /// `wanted` if free, else the first free `wanted2`, `wanted3`, … (snake names get `_2`).
    pub fn claim(&mut self, wanted: &str) -> String {
        if self.take(wanted) {
            return wanted.to_owned();
        }
        let sep = if wanted.contains('_') || wanted.starts_with(|c: char| c.is_lowercase()) {
            "_"
        } else {
            ""
        };
        let base = wanted.trim_end_matches('_');
        (2..)
            .map(|n| format!("{base}{sep}{n}"))
            .find(|candidate| self.take(candidate))
            .expect("an unbounded range always yields a free name")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_legal_identifiers() {
        assert_eq!(type_name("file_deleted"), "FileDeleted");
        assert_eq!(type_name("2xx"), "T2xx");
        assert_eq!(type_name("a.b-c"), "ABC");
        assert_eq!(snake_name("workspaceId"), "workspace_id");
        assert_eq!(snake_name("type"), "type_");
        assert_eq!(snake_name("self"), "self_");
        assert_eq!(snake_name("$ref"), "ref_");
        assert_eq!(snake_name("1st"), "n1st");
        assert_eq!(variant_name("", 3), "Value3");
        assert_eq!(variant_name("+", 0), "Value0");
        assert_eq!(variant_name("größe", 0), "Grosse");
        assert_eq!(snake_name("Größe des Hauses"), "grosse_des_hauses");
    }

    #[test]
    fn collisions_get_numbered() {
        let mut scope = NameScope::new();
        assert_eq!(scope.claim("Foo"), "Foo");
        assert_eq!(scope.claim("Foo"), "Foo2");
        assert_eq!(scope.claim("foo_bar"), "foo_bar");
        assert_eq!(scope.claim("foo_bar"), "foo_bar_2");
    }
}
