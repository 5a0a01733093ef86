//! Server-sent events: [`SseFramer`] cuts a `text/event-stream` body into events
//! ([`ServerEvent`]) across chunk boundaries, and [`EventStream`] decodes each event as the
//! operation's type, ending at the sentinel or at an error event ([`EventError`]).

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_util::Stream;
use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::error::{Error, EventError, StreamError, TransportError};
use super::response::{decode_json, BodyStream, RawResponse};

impl EventError {
    /// The error an event reports, if it reports one.
    fn of(event: &ServerEvent) -> Option<EventError> {
        let named = event.name() == "error";
        static ERROR_KEY: std::sync::OnceLock<memchr::memmem::Finder<'static>> =
            std::sync::OnceLock::new();
        let finder = ERROR_KEY.get_or_init(|| memchr::memmem::Finder::new(b"\"error\""));
        let may_carry_error =
            event.data.starts_with('{') && finder.find(event.data.as_bytes()).is_some();
        if !named && !may_carry_error {
            return None;
        }
        let json: Option<serde_json::Value> = serde_json::from_str(&event.data).ok();
        let error = match json.as_ref().and_then(|j| j.get("error")) {
            Some(serde_json::Value::Null) | None if !named => return None,
            Some(serde_json::Value::Null) | None => json.as_ref(),
            Some(error) => Some(error),
        };
        let code = error
            .and_then(|e| e.get("code"))
            .and_then(|c| c.as_i64().or_else(|| c.as_str()?.parse().ok()));
        let message = error
            .and_then(|e| e.get("message"))
            .and_then(|m| m.as_str())
            .map(str::to_owned);
        Some(EventError {
            event: event.name().to_owned(),
            id: event.id.clone(),
            data: event.data.clone(),
            code,
            message,
        })
    }
}

/// One server-sent event as framed: its name (`None` for the default, `message`), id and
/// data.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ServerEvent {
    event: Option<String>,
    id: Option<String>,
    data: String,
}

impl ServerEvent {
    fn name(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }
}

/// The fields of the event being read.
#[derive(Default)]
struct EventFields {
    event: Option<String>,
    id: Option<String>,
    data: String,
    has_data: bool,
    /// A field line arrived since the last blank line.
    open: bool,
}

impl EventFields {
    /// Takes one line (without its line ending); a blank line completes an event.
    fn line(&mut self, line: &str) -> Option<ServerEvent> {
        if line.is_empty() {
            let event = self.event.take();
            self.open = false;
            if !self.has_data {
                return None;
            }
            self.has_data = false;
            return Some(ServerEvent {
                event,
                id: self.id.clone(),
                data: std::mem::take(&mut self.data),
            });
        }
        if line.starts_with(':') {
            return None; // A comment: keep-alive.
        }
        self.open = true;
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                // Lines join with newlines; one line is taken as it is.
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "event" => self.event = Some(value.to_owned()),
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            _ => {} // `retry` and unknown fields: this client does not reconnect.
        }
        None
    }
}

/// Frames a byte stream into server-sent events (the WHATWG `text/event-stream` format):
/// lines end with CRLF, LF or CR, anywhere across chunk boundaries; `data` lines join with
/// newlines; comments are skipped.
#[derive(Default)]
struct SseFramer {
    buffer: Vec<u8>,
    start: usize,
    bom_checked: bool,
    fields: EventFields,
}

impl SseFramer {
    fn push(&mut self, chunk: &[u8]) {
        if self.start == self.buffer.len() {
            self.buffer.clear();
            self.start = 0;
        } else if self.start > 8192 {
            self.buffer.drain(..self.start);
            self.start = 0;
        }
        self.buffer.extend_from_slice(chunk);
    }

    /// The next complete event, or `None` until more bytes arrive.
    fn next_event(&mut self) -> Result<Option<ServerEvent>, StreamError> {
        const BOM: &[u8] = b"\xEF\xBB\xBF";
        if !self.bom_checked {
            let rest = &self.buffer[self.start..];
            if rest.len() < BOM.len() && BOM.starts_with(rest) {
                return Ok(None);
            }
            if rest.starts_with(BOM) {
                self.start += BOM.len();
            }
            self.bom_checked = true;
        }
        loop {
            let rest = &self.buffer[self.start..];
            let Some(end) = memchr::memchr2(b'\n', b'\r', rest) else {
                return Ok(None);
            };
            let mut next = end + 1;
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    None => return Ok(None), // A CRLF may be split across chunks.
                    Some(b'\n') => next += 1,
                    Some(_) => {}
                }
            }
            let line = std::str::from_utf8(&rest[..end]).map_err(|_| StreamError::InvalidUtf8)?;
            let event = self.fields.line(line);
            self.start += next;
            if event.is_some() {
                return Ok(event);
            }
        }
    }

    /// At the end of the body: the last event if a final CR completes it; an error if the
    /// body stopped in the middle of an event.
    fn finish(&mut self) -> Result<Option<ServerEvent>, StreamError> {
        let rest = &self.buffer[self.start..];
        if let Some(line) = rest.strip_suffix(b"\r") {
            if !line.contains(&b'\n') && !line.contains(&b'\r') {
                let line = std::str::from_utf8(line).map_err(|_| StreamError::InvalidUtf8)?;
                let event = self.fields.line(line);
                self.start = self.buffer.len();
                if event.is_some() {
                    return Ok(event);
                }
            }
        }
        if self.start < self.buffer.len() || self.fields.open {
            return Err(StreamError::EndedMidEvent);
        }
        Ok(None)
    }
}

/// The events of a `text/event-stream` response, each decoded as `T`, as they arrive.
///
/// The stream ends after the end-of-stream sentinel (`[DONE]`) when the spec names one, or
/// when the server closes the stream between events. An error event, a connection that
/// drops mid-event or before the sentinel, and an event that does not decode are error
/// items, after which the stream ends.
#[must_use = "streams do nothing unless polled"]
pub struct EventStream<T, E> {
    body: BodyStream,
    head: RawResponse,
    framer: SseFramer,
    sentinel: Option<&'static str>,
    /// The schema describes the whole event (`{"data": ..., "event": ..., "id": ...}`)
    /// rather than its data alone.
    envelope: bool,
    finished: bool,
    marker: std::marker::PhantomData<fn() -> (T, E)>,
}

impl<T, E> fmt::Debug for EventStream<T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.head.status)
            .field("sentinel", &self.sentinel)
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

impl<T: DeserializeOwned, E> EventStream<T, E> {
    pub(super) fn new(
        body: BodyStream,
        head: RawResponse,
        sentinel: Option<&'static str>,
        envelope: bool,
    ) -> Self {
        EventStream {
            body,
            head,
            framer: SseFramer::default(),
            sentinel,
            envelope,
            finished: false,
            marker: std::marker::PhantomData,
        }
    }

    /// Decodes events from chunks already in memory, as if they had arrived with a `200`
    /// response: for replaying a recorded stream, and for benchmarks.
    #[doc(hidden)]
    pub fn from_chunks(chunks: Vec<Bytes>, sentinel: Option<&'static str>, envelope: bool) -> Self {
        let body = futures_util::stream::iter(chunks.into_iter().map(Ok));
        let head = RawResponse {
            status: StatusCode::OK,
            headers: HeaderMap::new(),
            body: Bytes::new(),
            attempts: 1,
        };
        EventStream::new(Box::pin(body), head, sentinel, envelope)
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.head.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.head.headers
    }

    /// What one event becomes: an item, or nothing (the sentinel, an event without data).
    fn item(&mut self, event: ServerEvent) -> Option<Result<T, Error<E>>> {
        if self.sentinel == Some(event.data.as_str()) {
            self.finished = true;
            return None;
        }
        if let Some(error) = EventError::of(&event) {
            self.finished = true;
            return Some(Err(Error::Stream(StreamError::Event(Box::new(error)))));
        }
        if event.data.is_empty() {
            return None;
        }
        let decoded = match decode_event::<T>(&event, self.envelope) {
            Ok(value) => Ok(value),
            // Data that is not JSON at all is a string (`data: hello`).
            Err(_) if serde_json::from_str::<serde::de::IgnoredAny>(&event.data).is_err() => {
                let quoted = serde_json::Value::String(event.data.clone()).to_string();
                let event = ServerEvent {
                    data: quoted,
                    ..event.clone()
                };
                decode_event::<T>(&event, self.envelope)
                    .or_else(|_| decode_json(envelope(&event).as_bytes()))
            }
            // Again, for the path to the field that failed.
            Err(_) if self.envelope => decode_json(envelope(&event).as_bytes()),
            Err(_) => decode_json(event.data.as_bytes()),
        };
        Some(decoded.map_err(|source| {
            self.finished = true;
            let mut response = self.head.clone();
            response.body = Bytes::from(event.data.into_bytes());
            Error::Decode {
                response: Box::new(response),
                source,
            }
        }))
    }
}

/// Decodes an event's data as `T`, or, for a schema of whole events, the event as the
/// object `{"data": <data>, "event": ..., "id": ...}` without copying the data.
fn decode_event<T: DeserializeOwned>(
    event: &ServerEvent,
    envelope: bool,
) -> Result<T, serde_json::Error> {
    if !envelope {
        return serde_json::from_str(&event.data);
    }
    T::deserialize(EventObject { event, next: 0 })
}

/// A server-sent event seen as a JSON object, for a schema of whole events: `data` is read
/// straight from the event's text.
struct EventObject<'a> {
    event: &'a ServerEvent,
    /// The next of the keys `data`, `event`, `id` to give.
    next: u8,
}

impl<'de> serde::Deserializer<'de> for EventObject<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: serde::de::Visitor<'de>>(
        self,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de> serde::de::MapAccess<'de> for EventObject<'de> {
    type Error = serde_json::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Self::Error> {
        use serde::de::IntoDeserializer;
        loop {
            let key = match self.next {
                0 => "data",
                1 if self.event.event.is_some() => "event",
                2 if self.event.id.is_some() => "id",
                1 | 2 => {
                    self.next += 1;
                    continue;
                }
                _ => return Ok(None),
            };
            self.next += 1;
            return seed.deserialize(key.into_deserializer()).map(Some);
        }
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, Self::Error> {
        use serde::de::IntoDeserializer;
        match self.next {
            1 => {
                let mut json = serde_json::Deserializer::from_str(&self.event.data);
                let value = seed.deserialize(&mut json)?;
                json.end()?;
                Ok(value)
            }
            2 => seed.deserialize(self.event.name().to_owned().into_deserializer()),
            _ => seed.deserialize(
                self.event
                    .id
                    .clone()
                    .unwrap_or_default()
                    .into_deserializer(),
            ),
        }
    }
}

/// An event as the JSON object a schema of whole events describes.
fn envelope(event: &ServerEvent) -> String {
    let mut text = String::with_capacity(event.data.len() + 32);
    text.push_str("{\"data\":");
    text.push_str(&event.data);
    if let Some(name) = &event.event {
        text.push_str(",\"event\":");
        text.push_str(&serde_json::Value::String(name.clone()).to_string());
    }
    if let Some(id) = &event.id {
        text.push_str(",\"id\":");
        text.push_str(&serde_json::Value::String(id.clone()).to_string());
    }
    text.push('}');
    text
}

impl<T: DeserializeOwned, E> Stream for EventStream<T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        loop {
            if this.finished {
                return Poll::Ready(None);
            }
            match this.framer.next_event() {
                Ok(Some(event)) => match this.item(event) {
                    Some(item) => return Poll::Ready(Some(item)),
                    None => continue,
                },
                Ok(None) => {}
                Err(e) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(Error::Stream(e))));
                }
            }
            match this.body.as_mut().poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => this.framer.push(&chunk),
                Poll::Ready(Some(Err(e))) => {
                    this.finished = true;
                    return Poll::Ready(Some(Err(TransportError::from_reqwest(
                        e,
                        this.head.attempts,
                    )
                    .into())));
                }
                Poll::Ready(None) => {
                    let last = match this.framer.finish() {
                        Ok(last) => last,
                        Err(e) => {
                            this.finished = true;
                            return Poll::Ready(Some(Err(Error::Stream(e))));
                        }
                    };
                    if let Some(item) = last.and_then(|event| this.item(event)) {
                        return Poll::Ready(Some(item));
                    }
                    if this.finished {
                        return Poll::Ready(None);
                    }
                    this.finished = true;
                    return Poll::Ready(this.sentinel.map(|sentinel| {
                        Err(Error::Stream(StreamError::EndedWithoutSentinel {
                            sentinel,
                        }))
                    }));
                }
            }
        }
    }
}
