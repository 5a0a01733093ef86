//! Responses: [`RawResponse`] (status, headers, the whole body) and how an operation
//! decodes it (JSON, text, bytes, a documented error, an undocumented status), and
//! [`LiveResponse`], a response whose body is still to come: read whole up to the size
//! limit, or handed on as a stream of events or bytes.

use std::pin::Pin;

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::download::ByteStream;
use super::error::{ApiError, DecodeError, Error, TransportError};
use super::sse::EventStream;

/// A response as it arrived: status, headers and the whole body, and how many attempts it
/// took (1 unless the request was retried).
#[derive(Debug, Clone)]
pub struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub attempts: u32,
}

/// What [`Client::execute`](super::client::Client::execute) returns: the response read whole.
pub type Response = RawResponse;

/// A response whose headers have arrived and whose body is still to be read.
pub struct LiveResponse {
    pub(super) response: reqwest::Response,
    pub(super) attempts: u32,
    /// The longest body [`LiveResponse::buffer`] reads.
    pub(super) max_body: u64,
}

impl LiveResponse {
    pub fn status(&self) -> u16 {
        self.response.status().as_u16()
    }

    /// Reads the whole body, a chunk at a time, up to the client's body size limit: a
    /// `Content-Length` beyond it fails before reading, a body growing beyond it fails once
    /// it does, so memory stays bounded whatever the server sends.
    pub async fn buffer(self) -> Result<Response, TransportError> {
        let head = self.head();
        let LiveResponse {
            mut response,
            attempts,
            max_body,
        } = self;
        if response
            .content_length()
            .is_some_and(|length| length > max_body)
        {
            return Err(TransportError::BodyTooLarge(head, max_body));
        }
        let limit = usize::try_from(max_body).unwrap_or(usize::MAX);
        let mut body = bytes::BytesMut::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    if chunk.len() > limit - body.len() {
                        let room = limit - body.len();
                        body.extend_from_slice(&chunk[..room]);
                        return Err(TransportError::BodyTooLarge(
                            RawResponse {
                                body: body.freeze(),
                                ..head
                            },
                            max_body,
                        ));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => {
                    return Ok(RawResponse {
                        body: body.freeze(),
                        ..head
                    })
                }
                Err(e) if e.is_timeout() => return Err(TransportError::from_reqwest(e, attempts)),
                Err(e) => {
                    return Err(TransportError::IncompleteBody(
                        RawResponse {
                            body: body.freeze(),
                            ..head
                        },
                        e.without_url(),
                    ))
                }
            }
        }
    }

    /// The body as a stream of server-sent events, each decoded as `T`.
    pub fn events<T: DeserializeOwned, E>(
        self,
        sentinel: Option<&'static str>,
        envelope: bool,
    ) -> EventStream<T, E> {
        let head = self.head();
        EventStream::new(
            Box::pin(self.response.bytes_stream()),
            head,
            sentinel,
            envelope,
        )
    }

    /// The body as a stream of byte chunks.
    pub fn byte_stream<E>(self) -> ByteStream<E> {
        let head = self.head();
        ByteStream {
            body: Box::pin(self.response.bytes_stream()),
            head,
            marker: std::marker::PhantomData,
        }
    }

    fn head(&self) -> RawResponse {
        RawResponse {
            status: self.response.status(),
            headers: self.response.headers().clone(),
            body: Bytes::new(),
            attempts: self.attempts,
        }
    }
}

impl RawResponse {
    #[doc(hidden)]
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Decodes a JSON body, checking the content type when the server names one.
    #[doc(hidden)]
    pub fn json<T: DeserializeOwned, E>(self) -> Result<T, Error<E>> {
        if let Some(content_type) = self.headers.get(CONTENT_TYPE) {
            let text = content_type.to_str().unwrap_or("");
            let essence = text.split(';').next().unwrap_or("").trim().as_bytes();
            // Compared without case and without a lowercase copy.
            let json_suffix =
                essence.len() >= 5 && essence[essence.len() - 5..].eq_ignore_ascii_case(b"+json");
            if !essence.eq_ignore_ascii_case(b"application/json") && !json_suffix {
                return Err(Error::UnexpectedContentType {
                    content_type: text.to_owned(),
                    response: Box::new(self),
                });
            }
        }
        match decode_json(&self.body) {
            Ok(value) => Ok(value),
            Err(source) => Err(Error::Decode {
                response: Box::new(self),
                source,
            }),
        }
    }

    /// A text body.
    #[doc(hidden)]
    pub fn text<E>(self) -> Result<String, Error<E>> {
        match std::str::from_utf8(&self.body) {
            Ok(text) => Ok(text.to_owned()),
            Err(e) => Err(Error::UnexpectedContentType {
                content_type: format!("text that is not UTF-8 ({e})"),
                response: Box::new(self),
            }),
        }
    }

    /// A body of raw bytes.
    #[doc(hidden)]
    pub fn bytes<E>(self) -> Result<Bytes, Error<E>> {
        Ok(self.body)
    }

    /// A response documented without content; whatever body came is ignored.
    #[doc(hidden)]
    pub fn empty<E>(self) -> Result<(), Error<E>> {
        Ok(())
    }

    /// A documented error status: the body decoded by `decode` and wrapped by `wrap`.
    #[doc(hidden)]
    pub fn api_error<B, E>(
        self,
        decode: impl FnOnce(RawResponse) -> Result<B, Error<E>>,
        wrap: impl FnOnce(B) -> E,
    ) -> Error<E> {
        let status = self.status;
        let headers = self.headers.clone();
        let attempts = self.attempts;
        match decode(self) {
            Ok(body) => Error::Api(Box::new(ApiError {
                status,
                headers,
                body: wrap(body),
                attempts,
            })),
            Err(e) => e,
        }
    }

    /// A status the spec does not document for this operation.
    #[doc(hidden)]
    pub fn unexpected<E>(self) -> Error<E> {
        Error::UnexpectedStatus(Box::new(self))
    }
}

/// Decodes JSON, recording where in the document decoding failed. A body that decodes takes
/// `serde_json` alone; only one that fails is decoded again, tracking the path, for the error.
pub(super) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeError> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| DecodeError {
        path: e.path().to_string(),
        source: e.into_inner(),
    })?;
    deserializer.end().map_err(|source| DecodeError {
        path: ".".to_owned(),
        source,
    })?;
    Ok(value)
}

/// A response body as it arrives, a chunk at a time.
pub(super) type BodyStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;
