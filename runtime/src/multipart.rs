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

#[cfg(test)]
mod tests {
    use reqwest::Method;

    use super::*;

    fn request() -> Request {
        let mut request = Request::new(Method::POST, "/upload", "/upload".into());
        request.accept("application/json");
        request
    }

    fn text(part: &Part) -> &str {
        match part {
            Part::Text(text) => text,
            Part::File(_) => "<file>",
        }
    }

    fn texts(request: &Request) -> Vec<(&str, &str)> {
        request.parts.iter().map(|(n, p)| (*n, text(p))).collect()
    }

    #[test]
    fn text_parts_are_strings_scalars_or_json() {
        let mut request = request();
        request.part("s", "plain").unwrap();
        request.part("n", &1.5).unwrap();
        request.part("b", &true).unwrap();
        request.part("o", &serde_json::json!({"k": [1]})).unwrap();
        request.part("a", &["x", "y"]).unwrap();
        assert_eq!(
            texts(&request),
            [
                ("s", "plain"),
                ("n", "1.5"),
                ("b", "true"),
                ("o", r#"{"k":[1]}"#),
                ("a", r#"["x","y"]"#)
            ]
        );
    }

    #[test]
    fn an_invalid_content_type_is_refused_when_added() {
        let mut request = request();
        let file = FilePart::new("x").content_type("not a type");
        let error = request.file_part("file", &file).expect_err("invalid type");
        assert!(error.0.contains("part `file`"), "{}", error.0);
        assert!(request.parts.is_empty());
        let file = FilePart::new("x").content_type("audio/wav");
        request.file_part("file", &file).unwrap();
        assert_eq!(texts(&request), [("file", "<file>")]);
    }

    #[test]
    fn a_stream_part_makes_the_request_unrepeatable() {
        let mut request = request();
        request.part("text", "t").unwrap();
        request.file_part("bytes", &FilePart::new("b")).unwrap();
        request
            .file_part("path", &FilePart::from_path("/tmp/x"))
            .unwrap();
        assert!(request.replayable());
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("s"))]);
        request
            .file_part("stream", &FilePart::from_stream(chunks))
            .unwrap();
        assert!(!request.replayable());
    }

    #[tokio::test]
    async fn a_stream_is_sent_once() {
        let chunks = futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from("s"))]);
        let file = FilePart::from_stream(chunks);
        file.to_part("f").await.unwrap();
        let error = file.to_part("f").await.expect_err("already sent");
        assert!(
            matches!(&error, TransportError::Invalid(m) if m.contains("already sent")),
            "{error:?}"
        );
    }

    #[tokio::test]
    async fn a_missing_file_fails_the_attempt_with_its_path() {
        let missing = std::env::temp_dir().join("client-runtime-no-such-file.bin");
        let error = FilePart::from_path(&missing)
            .to_part("f")
            .await
            .expect_err("no file");
        assert!(
            matches!(&error, TransportError::Invalid(m) if m.contains("no-such-file")),
            "{error:?}"
        );
    }

    #[test]
    fn file_names_and_debug_without_the_bytes() {
        let file = FilePart::from_path("/data/audio.wav");
        assert_eq!(file.file_name.as_deref(), Some("audio.wav"));
        let file = FilePart::new("top s3cr3t bytes")
            .file_name("a.txt")
            .content_type("text/plain");
        let shown = format!("{file:?}");
        assert!(!shown.contains("s3cr3t"), "{shown}");
        assert!(
            shown.contains("len: 16") && shown.contains("a.txt"),
            "{shown}"
        );
    }

    #[tokio::test]
    async fn the_form_sent_holds_every_part() {
        let server = wiremock::MockServer::start().await;
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .respond_with(wiremock::ResponseTemplate::new(200))
            .mount(&server)
            .await;
        let mut request = request();
        request.part("purpose", "fine-tune").unwrap();
        let file = FilePart::new("abc")
            .file_name("a.jsonl")
            .content_type("application/jsonl");
        request.file_part("file", &file).unwrap();
        let client = crate::client::Client::builder_with(&server.uri(), &[])
            .build()
            .unwrap();
        client.execute(request).await.unwrap();
        let received = server.received_requests().await.unwrap();
        let body = String::from_utf8_lossy(&received[0].body).into_owned();
        let content_type = received[0].headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("multipart/form-data; boundary="));
        assert!(
            body.contains("name=\"purpose\"\r\n\r\nfine-tune\r\n"),
            "{body}"
        );
        assert!(
            body.contains("name=\"file\"; filename=\"a.jsonl\"\r\n"),
            "{body}"
        );
        assert!(
            body.contains("Content-Type: application/jsonl\r\n\r\nabc\r\n"),
            "{body}"
        );
    }
}
