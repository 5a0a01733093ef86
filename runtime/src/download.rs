//! Binary downloads: [`ByteStream`], a response body handed over a chunk at a time with
//! the response's status and headers.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::{HeaderMap, CONTENT_TYPE};
use reqwest::StatusCode;

use super::error::{Error, TransportError};
use super::response::{BodyStream, RawResponse};

/// A binary response body as a stream of chunks, read as it is polled, with the response's
/// status and headers (its content type and length) at hand before the first chunk.
#[must_use = "streams do nothing unless polled"]
pub struct ByteStream<E> {
    pub(super) body: BodyStream,
    pub(super) head: RawResponse,
    pub(super) marker: std::marker::PhantomData<fn() -> E>,
}

impl<E> fmt::Debug for ByteStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.head.status)
            .field("content_type", &self.content_type())
            .finish_non_exhaustive()
    }
}

impl<E> ByteStream<E> {
    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// The `Content-Type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.head.headers.get(CONTENT_TYPE)?.to_str().ok()
    }

    /// The `Content-Length` the server announced.
    pub fn content_length(&self) -> Option<u64> {
        self.head
            .headers
            .get(reqwest::header::CONTENT_LENGTH)?
            .to_str()
            .ok()?
            .parse()
            .ok()
    }
}

impl<E> Stream for ByteStream<E> {
    type Item = Result<Bytes, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let attempts = self.head.attempts;
        self.body.as_mut().poll_next(cx).map(|chunk| {
            chunk.map(|chunk| chunk.map_err(|e| TransportError::from_reqwest(e, attempts).into()))
        })
    }
}
