//! Errors: [`Error`], what an operation returns when it fails, and its parts ([`ApiError`],
//! [`DecodeError`], [`StreamError`], [`EventError`]); [`RequestError`], a request refused
//! before sending; [`TransportError`], a failure before a whole response arrived.

use std::fmt;
use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;

use super::response::RawResponse;
use super::retry::retry_after;

/// A request the client refused to send; see [`Error::InvalidRequest`].
#[derive(Debug)]
pub struct RequestError(pub(super) String);

/// A failure before a whole response arrived, after `attempts` attempts.
#[derive(Debug)]
pub enum TransportError {
    Timeout(reqwest::Error, u32),
    Transport(reqwest::Error, u32),
    Invalid(String),
    /// The body is longer than the limit; the response keeps the first `limit` bytes.
    BodyTooLarge(RawResponse, u64),
    /// The body broke off; the response keeps what arrived.
    IncompleteBody(RawResponse, reqwest::Error),
}

impl TransportError {
    pub(super) fn from_reqwest(e: reqwest::Error, attempts: u32) -> Self {
        // The URL may carry an API key in its query; errors never show it.
        let e = e.without_url();
        if e.is_timeout() {
            TransportError::Timeout(e, attempts)
        } else {
            TransportError::Transport(e, attempts)
        }
    }
}

/// A documented error response, decoded: `body` is the operation's enum of error bodies.
#[derive(Debug, Clone)]
pub struct ApiError<E> {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: E,
    /// How many attempts were made (1 unless the request was retried).
    pub attempts: u32,
}

/// A body that is not the documented JSON: where decoding stopped, and why.
#[derive(Debug)]
pub struct DecodeError {
    pub(super) path: String,
    pub(super) source: serde_json::Error,
}

impl DecodeError {
    /// The path to the value that failed (`error.code`), `.` for the document itself; for an
    /// event of a stream, inside the event's data (`data.` first when the schema describes
    /// whole events).
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The JSON decoder's error, with line and column.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.source
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The place inside a union variant is part of `path` already.
        let source = self.source.to_string();
        let (_, message) = super::serde_helpers::nested_path(&self.path, &source);
        write!(f, "at `{}`: {}", self.path, message)
    }
}

impl std::error::Error for DecodeError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Why an operation failed. `E` is the operation's enum of documented error responses.
///
/// Responses are dispatched by status code alone: a documented status decodes into its
/// typed body ([`Error::Api`]); any other status keeps its raw body
/// ([`Error::UnexpectedStatus`]); a body that does not decode keeps status, body and the
/// decoder's message with the path to the offending field ([`Error::Decode`]).
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E> {
    /// The request was refused before sending (an empty path parameter, say).
    InvalidRequest { message: String },
    /// The server answered with a status the spec documents as an error.
    Api(Box<ApiError<E>>),
    /// The server answered with a status the spec does not document for this operation.
    UnexpectedStatus(Box<RawResponse>),
    /// The body does not decode as the documented type. In a stream of server-sent events,
    /// one event's data does not: `response.body` is that data, the path starts inside it
    /// (`response.usage.input_tokens_details`), and the stream goes on with the next event.
    Decode {
        response: Box<RawResponse>,
        source: DecodeError,
    },
    /// The server sent a content type other than the documented one.
    UnexpectedContentType {
        response: Box<RawResponse>,
        content_type: String,
    },
    /// The response body is longer than
    /// [`ClientBuilder::max_body_size`](super::config::ClientBuilder::max_body_size):
    /// `response` keeps the status, the headers and the first `limit` bytes (none when
    /// `Content-Length` announced the excess).
    BodyTooLarge {
        response: Box<RawResponse>,
        limit: u64,
    },
    /// The body broke off before its end (the connection closed or the stream was reset
    /// short of the announced `Content-Length`, say): `response` keeps the status, the
    /// headers and the bytes that arrived.
    IncompleteBody {
        response: Box<RawResponse>,
        source: reqwest::Error,
    },
    /// The request timed out (see
    /// [`ClientBuilder::timeout`](super::config::ClientBuilder::timeout)), before or while
    /// the body arrived.
    Timeout {
        source: reqwest::Error,
        attempts: u32,
    },
    /// Connecting, sending or receiving failed.
    Transport {
        source: reqwest::Error,
        attempts: u32,
    },
    /// A stream of server-sent events broke off or carried an error event.
    Stream(StreamError),
    /// A page of a paginated list came in another shape of the body's union than the one
    /// paging follows (a shape the request asked for, say); fetch it with `send`.
    UnexpectedPageShape { expected: &'static str },
}

impl<E> Error<E> {
    /// The response's status, when a response arrived.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(api) => Some(api.status),
            _ => self.raw_response().map(|r| r.status),
        }
    }

    /// The response's headers, when a response arrived.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(api) => Some(&api.headers),
            _ => self.raw_response().map(|r| &r.headers),
        }
    }

    /// The response kept undecoded (undocumented status, undecodable body).
    pub fn raw_response(&self) -> Option<&RawResponse> {
        match self {
            Error::UnexpectedStatus(response)
            | Error::Decode { response, .. }
            | Error::UnexpectedContentType { response, .. }
            | Error::BodyTooLarge { response, .. }
            | Error::IncompleteBody { response, .. } => Some(response),
            Error::Api(_)
            | Error::InvalidRequest { .. }
            | Error::Timeout { .. }
            | Error::Transport { .. }
            | Error::Stream(_)
            | Error::UnexpectedPageShape { .. } => None,
        }
    }

    /// The documented error body, for [`Error::Api`].
    pub fn api_body(&self) -> Option<&E> {
        match self {
            Error::Api(api) => Some(&api.body),
            _ => None,
        }
    }

    /// Whether sending the same request again may succeed: timeouts, connection failures,
    /// and the statuses 408, 409, 429, 500, 502, 503, 504.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Timeout { .. } | Error::IncompleteBody { .. } => true,
            Error::Transport { source, .. } => source.is_connect() || source.is_timeout(),
            Error::InvalidRequest { .. }
            | Error::Stream(_)
            | Error::UnexpectedPageShape { .. }
            | Error::BodyTooLarge { .. } => false,
            _ => self
                .status()
                .is_some_and(|s| matches!(s.as_u16(), 408 | 409 | 429 | 500 | 502 | 503 | 504)),
        }
    }

    /// How long the server asked to wait, from a `Retry-After` header (seconds or a date).
    pub fn retry_after(&self) -> Option<Duration> {
        retry_after(self.headers()?)
    }

    /// How many times the request was sent (1 unless it was retried); 0 when it was
    /// refused before sending.
    pub fn attempts(&self) -> u32 {
        match self {
            Error::InvalidRequest { .. } => 0,
            Error::Api(api) => api.attempts,
            Error::Timeout { attempts, .. } | Error::Transport { attempts, .. } => *attempts,
            Error::Stream(_) | Error::UnexpectedPageShape { .. } => 1,
            _ => self.raw_response().map_or(1, |r| r.attempts),
        }
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(e: RequestError) -> Self {
        Error::InvalidRequest { message: e.0 }
    }
}

impl<E> From<TransportError> for Error<E> {
    fn from(e: TransportError) -> Self {
        match e {
            TransportError::Timeout(source, attempts) => Error::Timeout { source, attempts },
            TransportError::Transport(source, attempts) => Error::Transport { source, attempts },
            TransportError::Invalid(message) => Error::InvalidRequest { message },
            TransportError::BodyTooLarge(response, limit) => Error::BodyTooLarge {
                response: Box::new(response),
                limit,
            },
            TransportError::IncompleteBody(response, source) => Error::IncompleteBody {
                response: Box::new(response),
                source,
            },
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.describe(f)?;
        match self.attempts() {
            0 | 1 => Ok(()),
            n => write!(f, " (after {n} attempts)"),
        }
    }
}

impl<E: fmt::Debug> Error<E> {
    fn describe(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest { message } => write!(f, "invalid request: {message}"),
            Error::Api(api) => write!(f, "the server answered {}: {:?}", api.status, api.body),
            Error::UnexpectedStatus(response) => write!(
                f,
                "the server answered with undocumented status {}: {}",
                response.status,
                String::from_utf8_lossy(&response.body)
            ),
            Error::Decode { response, source } => {
                write!(
                    f,
                    "cannot decode the {} response body: {source}",
                    response.status
                )
            }
            Error::UnexpectedContentType {
                response,
                content_type,
            } => write!(
                f,
                "the {} response has unexpected content type {content_type:?}",
                response.status
            ),
            Error::BodyTooLarge { response, limit } => write!(
                f,
                "the {} response body is longer than the limit of {limit} bytes",
                response.status
            ),
            Error::IncompleteBody { response, source } => write!(
                f,
                "the {} response body broke off after {} bytes: {source}",
                response.status,
                response.body.len()
            ),
            Error::Timeout { source, .. } => write!(f, "the request timed out: {source}"),
            Error::Transport { source, .. } => write!(f, "the request failed: {source}"),
            Error::Stream(e) => write!(f, "the event stream failed: {e}"),
            Error::UnexpectedPageShape { expected } => {
                write!(
                    f,
                    "a page came in another shape than {expected}, the one paging follows"
                )
            }
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Decode { source, .. } => Some(source),
            Error::Timeout { source, .. }
            | Error::Transport { source, .. }
            | Error::IncompleteBody { source, .. } => Some(source),
            Error::Stream(e) => Some(e),
            _ => None,
        }
    }
}

/// Why a stream of server-sent events ended badly.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The server sent an error event mid-stream (`event: error`, or data with an `error`).
    Event(Box<EventError>),
    /// The connection ended in the middle of an event.
    EndedMidEvent,
    /// The connection ended before the end-of-stream sentinel (`[DONE]`) arrived.
    EndedWithoutSentinel { sentinel: &'static str },
    /// A line of the stream is not UTF-8.
    InvalidUtf8,
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Event(e) => {
                write!(f, "the server sent an error event")?;
                if let Some(code) = e.code {
                    write!(f, " (code {code})")?;
                }
                match &e.message {
                    Some(message) => write!(f, ": {message}"),
                    None => write!(f, ": {}", e.data),
                }
            }
            StreamError::EndedMidEvent => {
                f.write_str("the connection ended in the middle of an event")
            }
            StreamError::EndedWithoutSentinel { sentinel } => {
                write!(
                    f,
                    "the connection ended before the end-of-stream sentinel {sentinel:?}"
                )
            }
            StreamError::InvalidUtf8 => f.write_str("the stream is not UTF-8"),
        }
    }
}

impl std::error::Error for StreamError {}

/// An error event, with the event as it came and the `code` and `message` of its `error`
/// object when it has one.
#[derive(Debug, Clone)]
pub struct EventError {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
    pub code: Option<i64>,
    pub message: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::error::Error as _;

    use bytes::Bytes;
    use reqwest::header::{HeaderValue, RETRY_AFTER};

    use super::*;

    fn raw(status: u16, attempts: u32) -> RawResponse {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static("30"));
        RawResponse {
            status: StatusCode::from_u16(status).unwrap(),
            headers,
            body: Bytes::from_static(b"busy"),
            attempts,
        }
    }

    #[test]
    fn a_refused_request_was_never_sent() {
        let error: Error<()> = RequestError("path parameter `id` must not be empty".into()).into();
        assert!(matches!(&error, Error::InvalidRequest { message } if message.contains("`id`")));
        assert_eq!(error.attempts(), 0);
        assert!(!error.is_retryable());
        assert_eq!(error.status(), None);
        let error: Error<()> = TransportError::Invalid("bad header".into()).into();
        assert_eq!(error.to_string(), "invalid request: bad header");
    }

    #[test]
    fn a_documented_error_gives_its_status_body_headers_and_attempts() {
        let response = raw(503, 3);
        let error = Error::Api(Box::new(ApiError {
            status: response.status,
            headers: response.headers,
            body: "overloaded",
            attempts: 3,
        }));
        assert_eq!(error.status(), Some(StatusCode::SERVICE_UNAVAILABLE));
        assert_eq!(error.api_body(), Some(&"overloaded"));
        assert!(error.raw_response().is_none());
        assert_eq!(error.retry_after(), Some(Duration::from_secs(30)));
        assert_eq!(error.attempts(), 3);
        assert!(error.is_retryable());
        assert_eq!(
            error.to_string(),
            "the server answered 503 Service Unavailable: \"overloaded\" (after 3 attempts)"
        );
    }

    #[test]
    fn an_undocumented_status_keeps_the_raw_response() {
        let error = Error::<()>::UnexpectedStatus(Box::new(raw(404, 1)));
        assert_eq!(
            error.raw_response().map(|r| &r.body[..]),
            Some(&b"busy"[..])
        );
        assert_eq!(error.headers().map(|h| h.len()), Some(1));
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            "the server answered with undocumented status 404 Not Found: busy"
        );
        assert!(Error::<()>::UnexpectedStatus(Box::new(raw(429, 1))).is_retryable());
    }

    #[test]
    fn transport_failures_map_to_their_variants() {
        let too_large: Error<()> = TransportError::BodyTooLarge(raw(200, 2), 4).into();
        assert!(matches!(&too_large, Error::BodyTooLarge { limit: 4, .. }));
        assert_eq!(too_large.attempts(), 2);
        assert!(!too_large.is_retryable());
        assert_eq!(
            too_large.to_string(),
            "the 200 OK response body is longer than the limit of 4 bytes (after 2 attempts)"
        );
    }

    #[test]
    fn decode_errors_name_the_path_and_chain_the_json_error() {
        let source = serde_json::from_str::<u32>("\"x\"").unwrap_err();
        let decode = DecodeError {
            path: "data.items[0]".into(),
            source,
        };
        assert!(decode
            .to_string()
            .starts_with("at `data.items[0]`: invalid type"));
        let error = Error::<()>::Decode {
            response: Box::new(raw(200, 1)),
            source: decode,
        };
        let source = error.source().expect("the decode error");
        assert!(source.to_string().starts_with("at `data.items[0]`"));
        assert!(source.source().is_some(), "the JSON error under it");
    }

    #[test]
    fn stream_errors_describe_the_event() {
        let event = |code, message: Option<&str>| {
            StreamError::Event(Box::new(EventError {
                event: "error".into(),
                id: None,
                data: "{\"raw\":1}".into(),
                code,
                message: message.map(str::to_owned),
            }))
        };
        assert_eq!(
            event(Some(429), Some("slow down")).to_string(),
            "the server sent an error event (code 429): slow down"
        );
        assert_eq!(
            event(None, None).to_string(),
            "the server sent an error event: {\"raw\":1}"
        );
        let error = Error::<()>::Stream(StreamError::EndedWithoutSentinel { sentinel: "[DONE]" });
        assert_eq!(
            error.to_string(),
            "the event stream failed: the connection ended before the end-of-stream sentinel \
             \"[DONE]\""
        );
        assert_eq!(error.attempts(), 1);
    }
}
