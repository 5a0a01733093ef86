//! `multipart/form-data` bodies: [`FilePart`] (a file from memory, a path or a stream), the
//! text and file parts of a [`Request`], and the form built from them for each attempt.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::Stream;
use serde::Serialize;

use super::error::{RequestError, TransportError};
use super::request::{scalar_text, Request};

/// One part of a `multipart/form-data` body.
pub(super) enum Part {
    Text(String),
    File(FilePart),
}

impl Request {
    /// Adds a text part to a `multipart/form-data` body: strings as they are, numbers and
    /// booleans as JSON writes them, anything else as JSON.
    pub fn part<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), RequestError> {
        let value = serde_json::to_value(value)
            .map_err(|e| RequestError(format!("cannot encode part `{name}`: {e}")))?;
        let text = match value {
            serde_json::Value::String(s) => s,
            other @ (serde_json::Value::Array(_) | serde_json::Value::Object(_)) => {
                other.to_string()
            }
            other => scalar_text(&other),
        };
        self.parts.push((name, Part::Text(text)));
        Ok(())
    }

    /// Adds a file part to a `multipart/form-data` body. Its content type is checked here,
    /// so a bad one is refused before anything is sent.
    pub fn file_part(&mut self, name: &'static str, file: &FilePart) -> Result<(), RequestError> {
        if let Some(content_type) = &file.content_type {
            reqwest::multipart::Part::text("")
                .mime_str(content_type)
                .map_err(|e| {
                    RequestError(format!(
                        "part `{name}`: invalid content type {content_type:?}: {e}"
                    ))
                })?;
        }
        self.parts.push((name, Part::File(file.clone())));
        Ok(())
    }

    /// Whether the request can be sent again: no part streams from a caller's stream.
    pub(super) fn replayable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::Text(_) => true,
            Part::File(file) => !matches!(file.source, FileSource::Stream(_)),
        })
    }

    /// The `multipart/form-data` body for one attempt.
    pub(super) async fn multipart(&self) -> Result<reqwest::multipart::Form, TransportError> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            let part = match part {
                Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
                Part::File(file) => file.to_part(name).await?,
            };
            form = form.part(*name, part);
        }
        Ok(form)
    }
}

/// A file for a `multipart/form-data` part: where its bytes come from (memory, a path, or
/// a stream), and optionally the file name and content type the server sees.
#[derive(Clone)]
pub struct FilePart {
    source: FileSource,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// A stream of a part's bytes, as a caller hands it over.
type PartStream =
    Pin<Box<dyn Stream<Item = Result<Bytes, Box<dyn std::error::Error + Send + Sync>>> + Send>>;

#[derive(Clone)]
enum FileSource {
    Bytes(Bytes),
    /// Read when the request is sent (again for each retry), never held in memory whole.
    Path(PathBuf),
    /// Sent once: a request with a stream part is never retried.
    Stream(Arc<Mutex<Option<PartStream>>>),
}

impl FilePart {
    /// A file part holding `bytes`.
    pub fn new(bytes: impl Into<Bytes>) -> Self {
        FilePart {
            source: FileSource::Bytes(bytes.into()),
            file_name: None,
            content_type: None,
        }
    }

    /// A file part read from `path` as the request is sent, with the path's file name.
    pub fn from_path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        FilePart {
            source: FileSource::Path(path),
            file_name,
            content_type: None,
        }
    }

    /// A file part whose bytes come from `stream` as the request is sent. The stream can be
    /// sent once, so requests with such a part are not retried.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<Box<dyn std::error::Error + Send + Sync>> + 'static,
    {
        use futures_util::TryStreamExt;
        let stream: PartStream = Box::pin(stream.map_err(Into::into));
        FilePart {
            source: FileSource::Stream(Arc::new(Mutex::new(Some(stream)))),
            file_name: None,
            content_type: None,
        }
    }

    /// The file name sent with the part (`audio.wav`); servers often derive the format from it.
    pub fn file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// The part's content type (`audio/wav`).
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The part for one attempt: a file is opened, a stream is taken.
    async fn to_part(&self, name: &str) -> Result<reqwest::multipart::Part, TransportError> {
        let part = match &self.source {
            FileSource::Bytes(bytes) => reqwest::multipart::Part::stream_with_length(
                reqwest::Body::from(bytes.clone()),
                bytes.len() as u64,
            ),
            FileSource::Path(path) => {
                let failed = |e: std::io::Error| {
                    TransportError::Invalid(format!(
                        "part `{name}`: cannot read {}: {e}",
                        path.display()
                    ))
                };
                let file = tokio::fs::File::open(path).await.map_err(failed)?;
                let length = file.metadata().await.map_err(failed)?.len();
                let body = reqwest::Body::wrap_stream(tokio_util::io::ReaderStream::new(file));
                reqwest::multipart::Part::stream_with_length(body, length)
            }
            FileSource::Stream(slot) => {
                let stream = slot
                    .lock()
                    .map_err(|_| {
                        TransportError::Invalid(format!("part `{name}`: the stream is poisoned"))
                    })?
                    .take();
                let stream = stream.ok_or_else(|| {
                    TransportError::Invalid(format!("part `{name}`: its stream was already sent"))
                })?;
                reqwest::multipart::Part::stream(reqwest::Body::wrap_stream(stream))
            }
        };
        let part = match &self.content_type {
            Some(content_type) => part.mime_str(content_type).map_err(|e| {
                TransportError::Invalid(format!(
                    "part `{name}`: invalid content type {content_type:?}: {e}"
                ))
            })?,
            None => part,
        };
        Ok(match &self.file_name {
            Some(file_name) => part.file_name(file_name.clone()),
            None => part,
        })
    }
}

impl fmt::Debug for FilePart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = f.debug_struct("FilePart");
        match &self.source {
            FileSource::Bytes(bytes) => out.field("len", &bytes.len()),
            FileSource::Path(path) => out.field("path", path),
            FileSource::Stream(_) => out.field("stream", &true),
        };
        out.field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}
