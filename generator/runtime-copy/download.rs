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

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;
    use reqwest::Method;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::client::Client;
    use crate::request::Request;

    /// The byte stream of the answer `response`, sent as it is by a one-request server.
    async fn download(response: &'static [u8]) -> ByteStream<()> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            while !request.ends_with(b"\r\n\r\n") {
                let mut byte = [0];
                if socket.read(&mut byte).await.unwrap() == 0 {
                    return;
                }
                request.push(byte[0]);
            }
            socket.write_all(response).await.unwrap();
        });
        let client = Client::builder_with(&url, &[]).build().unwrap();
        let request = Request::new(Method::GET, "/", "/".into());
        client.open(request).await.unwrap().byte_stream()
    }

    #[tokio::test]
    async fn the_head_is_at_hand_and_the_body_streams_whole() {
        let stream = download(
            b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n\
              3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n",
        )
        .await;
        assert_eq!(stream.status(), StatusCode::OK);
        assert_eq!(stream.content_type(), Some("audio/wav"));
        assert_eq!(stream.content_length(), None);
        assert!(format!("{stream:?}").contains("audio/wav"));
        let chunks: Vec<_> = stream.collect().await;
        let body: Vec<u8> = chunks
            .into_iter()
            .flat_map(|chunk| chunk.unwrap().to_vec())
            .collect();
        assert_eq!(body, b"abcdef");
    }

    #[tokio::test]
    async fn a_body_cut_short_ends_with_an_error() {
        let mut stream = download(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").await;
        assert_eq!(stream.content_length(), Some(10));
        let mut body = Vec::new();
        let error = loop {
            match stream.next().await.expect("an error before the end") {
                Ok(chunk) => body.extend_from_slice(&chunk),
                Err(error) => break error,
            }
        };
        assert_eq!(body, b"abc");
        assert!(
            matches!(error, Error::Transport { attempts: 1, .. }),
            "{error:?}"
        );
    }
}
