//! Errors that stop generation, and diagnostics that do not.

use std::fmt;

use crate::pointer::Pointer;

/// Why a spec could not be turned into a client. Each variant names the place.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum Error {
    /// The text is not valid YAML/JSON.
    #[error("line {line}, column {column}: invalid YAML: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The document parsed but is not a usable OpenAPI document at `pointer`.
    #[error("{pointer}: {message}")]
    Invalid { pointer: String, message: String },
    /// An overlay (a document beside the spec) is wrong: `error` is located in that
    /// document, which `document` names as the caller gave it.
    #[error("{document}: {error}")]
    Overlay { document: String, error: Box<Error> },
    /// The generator produced code that does not parse: a bug in the generator.
    #[error("internal error (please report it): {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error::Invalid {
            pointer: pointer.to_string(),
            message: message.into(),
        }
    }
}

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Something was adjusted or approximated; the output is still faithful.
    Note,
    /// A construct is modelled by a looser fallback type (`serde_json::Value`, bytes).
    Warning,
}

/// A message about the spec that did not stop generation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    pub severity: Severity,
    pub pointer: String,
    pub message: String,
    /// The document `pointer` points into when it is not the spec: an overlay, named as the
    /// caller gave it.
    pub document: Option<String>,
}

impl Diagnostic {
    pub fn note(pointer: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Note,
            pointer: pointer.to_string(),
            message: message.into(),
            document: None,
        }
    }

    pub fn warning(pointer: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            pointer: pointer.to_string(),
            message: message.into(),
            document: None,
        }
    }
}

impl Error {
    /// The document the error is located in, when it is not the spec (an overlay).
    pub fn document(&self) -> Option<&str> {
        match self {
            Error::Overlay { document, .. } => Some(document),
            _ => None,
        }
    }

    /// The error without the name of its document (see [`Error::document`]).
    pub fn in_document(&self) -> &Error {
        match self {
            Error::Overlay { error, .. } => error,
            other => other,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Note => "note",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.pointer, self.message)
    }
}
