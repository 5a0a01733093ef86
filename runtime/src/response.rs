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
    /// The status code.
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
    /// The status code, for matching on documented statuses.
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
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let source = e.inner().to_string();
        let (path, _) = super::serde_helpers::nested_path(&e.path().to_string(), &source);
        DecodeError {
            path,
            source: e.into_inner(),
        }
    })?;
    deserializer.end().map_err(|source| DecodeError {
        path: ".".to_owned(),
        source,
    })?;
    Ok(value)
}

/// A response body as it arrives, a chunk at a time.
pub(super) type BodyStream = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use reqwest::header::HeaderValue;
    use reqwest::Method;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::client::Client;
    use crate::request::Request;

    fn raw(content_type: Option<&'static str>, body: &'static [u8]) -> RawResponse {
        let mut headers = HeaderMap::new();
        if let Some(content_type) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        RawResponse {
            status: StatusCode::BAD_REQUEST,
            headers,
            body: Bytes::from_static(body),
            attempts: 2,
        }
    }

    #[test]
    fn decode_errors_carry_the_path_to_the_failing_value() {
        type Shape = BTreeMap<String, Vec<u32>>;
        let error = decode_json::<Shape>(br#"{"a":[1,"x"]}"#).expect_err("a string");
        assert_eq!(error.path(), "a[1]");
        assert!(error.json_error().is_data());
        let error = decode_json::<Shape>(br#"{"a":[1]} trailing"#).expect_err("trailing");
        assert_eq!(error.path(), ".");
        let value: Shape = decode_json(br#"{"a":[1,2]}"#).unwrap();
        assert_eq!(value["a"], [1, 2]);
    }

    #[test]
    fn json_bodies_need_a_json_content_type_when_one_is_named() {
        for content_type in [
            None,
            Some("application/json"),
            Some("Application/JSON; charset=utf-8"),
            Some("application/problem+json"),
        ] {
            let value: u32 = raw(content_type, b"7").json::<_, ()>().unwrap();
            assert_eq!(value, 7, "{content_type:?}");
        }
        for content_type in ["text/html", "application/jsonp", "json"] {
            match raw(Some(content_type), b"7").json::<u32, ()>() {
                Err(Error::UnexpectedContentType {
                    content_type: named,
                    response,
                }) => assert_eq!(
                    (named.as_str(), &response.body[..]),
                    (content_type, &b"7"[..])
                ),
                other => panic!("{content_type}: {other:?}"),
            }
        }
    }

    #[test]
    fn an_undecodable_body_is_kept_with_the_error() {
        match raw(None, br#"{"a":1}"#).json::<Vec<u32>, ()>() {
            Err(Error::Decode { response, source }) => {
                assert_eq!(&response.body[..], br#"{"a":1}"#);
                assert_eq!(source.path(), ".");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn text_bytes_and_empty_bodies() {
        assert_eq!(raw(None, "héllo".as_bytes()).text::<()>().unwrap(), "héllo");
        assert!(matches!(
            raw(None, b"\xFF").text::<()>(),
            Err(Error::UnexpectedContentType { .. })
        ));
        assert_eq!(
            &raw(None, b"\x00\xFF").bytes::<()>().unwrap()[..],
            b"\x00\xFF"
        );
        raw(None, b"ignored").empty::<()>().unwrap();
    }

    #[test]
    fn documented_and_undocumented_error_statuses() {
        #[derive(Debug, PartialEq)]
        enum Documented {
            BadRequest(BTreeMap<String, String>),
        }
        let error =
            raw(None, br#"{"message":"no"}"#).api_error(RawResponse::json, Documented::BadRequest);
        let Error::Api(api) = error else {
            panic!("{error:?}")
        };
        assert_eq!((api.status, api.attempts), (StatusCode::BAD_REQUEST, 2));
        let expected = BTreeMap::from([("message".to_owned(), "no".to_owned())]);
        assert_eq!(api.body, Documented::BadRequest(expected));
        let error = raw(None, b"not json").api_error(RawResponse::json, Documented::BadRequest);
        assert!(matches!(error, Error::Decode { .. }), "{error:?}");
        let error = raw(None, b"teapot").unexpected::<()>();
        assert!(matches!(&error, Error::UnexpectedStatus(r) if &r.body[..] == b"teapot"));
    }

    /// A server answering one request with `response` as it is, then closing.
    async fn serve(response: &'static [u8]) -> String {
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
        url
    }

    async fn buffered(response: &'static [u8], max_body: u64) -> Result<Response, TransportError> {
        let url = serve(response).await;
        let client = Client::builder_with(&url, &[])
            .max_body_size(max_body)
            .build()
            .unwrap();
        let request = Request::new(Method::GET, "/", "/".into());
        client.open(request).await?.buffer().await
    }

    #[tokio::test]
    async fn a_body_within_the_limit_is_read_whole() {
        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        let response = buffered(answer, 5).await.unwrap();
        assert_eq!((&response.body[..], response.attempts), (&b"hello"[..], 1));
    }

    #[tokio::test]
    async fn an_announced_length_beyond_the_limit_fails_before_reading() {
        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nhello world";
        match buffered(answer, 10).await {
            Err(TransportError::BodyTooLarge(head, 10)) => {
                assert!(head.body.is_empty());
                assert_eq!(head.status, StatusCode::OK);
            }
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_body_growing_beyond_the_limit_keeps_what_fits() {
        let answer = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
            5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
        match buffered(answer, 7).await {
            Err(TransportError::BodyTooLarge(head, 7)) => assert_eq!(&head.body[..], b"hello w"),
            other => panic!("{other:?}"),
        }
    }

    #[tokio::test]
    async fn a_body_cut_short_keeps_what_arrived() {
        let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc";
        match buffered(answer, 100).await {
            Err(TransportError::IncompleteBody(head, _)) => assert_eq!(&head.body[..], b"abc"),
            other => panic!("{other:?}"),
        }
    }
}
