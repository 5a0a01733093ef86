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
/// when the server closes the stream between events. An error event and a connection that
/// drops mid-event or before the sentinel are error items, after which the stream ends. An
/// event that does not decode is an [`Error::Decode`] item (the path inside the event's data,
/// and that data as the response's body), after which the stream goes on with the next event.
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
        // One event that does not decode spoils only itself: the stream goes on.
        Some(decoded.map_err(|source| {
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

#[cfg(test)]
mod tests {
    use futures_util::StreamExt;

    use super::*;

    fn event(name: Option<&str>, id: Option<&str>, data: &str) -> ServerEvent {
        ServerEvent {
            event: name.map(str::to_owned),
            id: id.map(str::to_owned),
            data: data.to_owned(),
        }
    }

    /// Frames `chunks` pushed one after the other, then the end of the body.
    fn frame(chunks: &[&[u8]]) -> Result<Vec<ServerEvent>, StreamError> {
        let mut framer = SseFramer::default();
        let mut events = Vec::new();
        for chunk in chunks {
            framer.push(chunk);
            while let Some(event) = framer.next_event()? {
                events.push(event);
            }
        }
        events.extend(framer.finish()?);
        Ok(events)
    }

    /// A body with every kind of line ending, a comment, a BOM, named events, ids,
    /// multi-line data and a field without a colon.
    const BODY: &[u8] = b"\xEF\xBB\xBF: keep-alive\r\n\
        data: first\n\n\
        event: update\r\nid: 7\r\ndata: {\"a\":1}\r\n\r\n\
        data: line one\rdata:line two\rdata\r\r\
        : a comment between events\n\
        retry: 1000\n\
        data:  two spaces\n\n";

    fn body_events() -> Vec<ServerEvent> {
        vec![
            event(None, None, "first"),
            event(Some("update"), Some("7"), "{\"a\":1}"),
            event(None, Some("7"), "line one\nline two\n"),
            event(None, Some("7"), " two spaces"),
        ]
    }

    #[test]
    fn frames_a_whole_body() {
        assert_eq!(frame(&[BODY]).unwrap(), body_events());
    }

    #[test]
    fn frames_the_same_events_split_at_every_byte_boundary() {
        for split in 0..=BODY.len() {
            let (head, tail) = BODY.split_at(split);
            assert_eq!(
                frame(&[head, tail]).unwrap(),
                body_events(),
                "split at {split}"
            );
        }
        let bytes: Vec<&[u8]> = BODY.chunks(1).collect();
        assert_eq!(frame(&bytes).unwrap(), body_events(), "one byte at a time");
    }

    #[test]
    fn crlf_cr_and_lf_end_lines_alike() {
        let expected = vec![event(Some("e"), None, "a\nb")];
        for ending in ["\r\n", "\r", "\n"] {
            let body = format!("event: e{ending}data: a{ending}data: b{ending}{ending}");
            assert_eq!(frame(&[body.as_bytes()]).unwrap(), expected, "{ending:?}");
        }
    }

    #[test]
    fn a_cr_split_from_its_lf_ends_one_line() {
        let events = frame(&[b"data: a\r", b"\ndata: b\r\n\r", b"\n"]).unwrap();
        assert_eq!(events, vec![event(None, None, "a\nb")]);
    }

    #[test]
    fn comments_and_events_without_data_give_no_event() {
        let events = frame(&[b": ping\n\n:\n\nevent: empty\n\nid: 1\n\ndata: x\n\n"]).unwrap();
        assert_eq!(events, vec![event(None, Some("1"), "x")]);
    }

    #[test]
    fn an_id_with_a_nul_is_ignored() {
        let events = frame(&[b"id: 1\ndata: a\n\nid: 2\0\ndata: b\n\n"]).unwrap();
        assert_eq!(
            events,
            vec![event(None, Some("1"), "a"), event(None, Some("1"), "b")]
        );
    }

    #[test]
    fn an_incomplete_event_at_the_end_is_an_error() {
        for body in [
            &b"data: a"[..],
            b"data: a\n",
            b"data: a\r\ndata: b\r\n",
            b"event: x\n",
        ] {
            assert!(
                matches!(frame(&[body]), Err(StreamError::EndedMidEvent)),
                "{body:?}"
            );
        }
    }

    #[test]
    fn a_final_cr_completes_the_last_event() {
        assert_eq!(
            frame(&[b"data: a\r\r"]).unwrap(),
            vec![event(None, None, "a")]
        );
        assert_eq!(
            frame(&[b"data: a\n\r"]).unwrap(),
            vec![event(None, None, "a")]
        );
    }

    #[test]
    fn a_body_ending_between_events_is_complete() {
        assert_eq!(
            frame(&[b"data: a\n\n"]).unwrap(),
            vec![event(None, None, "a")]
        );
        assert_eq!(frame(&[b""]).unwrap(), vec![]);
        assert_eq!(frame(&[b": bye\n"]).unwrap(), vec![]);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_an_error() {
        assert!(matches!(
            frame(&[b"data: \xFF\n\n"]),
            Err(StreamError::InvalidUtf8)
        ));
    }

    #[test]
    fn error_events_carry_code_and_message() {
        let error = EventError::of(&event(
            None,
            Some("9"),
            r#"{"error":{"code":"429","message":"slow down"}}"#,
        ))
        .expect("an error");
        assert_eq!(error.code, Some(429));
        assert_eq!(error.message.as_deref(), Some("slow down"));
        assert_eq!(error.id.as_deref(), Some("9"));
        let named = EventError::of(&event(Some("error"), None, "overloaded")).expect("named");
        assert_eq!((named.event.as_str(), named.code), ("error", None));
        assert!(EventError::of(&event(None, None, r#"{"error":null,"x":1}"#)).is_none());
        assert!(EventError::of(&event(None, None, r#"{"text":"no \"error\" here"}"#)).is_none());
    }

    fn stream<T: DeserializeOwned>(
        chunks: &[&'static str],
        sentinel: Option<&'static str>,
        envelope: bool,
    ) -> EventStream<T, ()> {
        let chunks = chunks.iter().map(|c| Bytes::from_static(c.as_bytes()));
        EventStream::from_chunks(chunks.collect(), sentinel, envelope)
    }

    #[tokio::test]
    async fn decodes_events_until_the_sentinel() {
        let items: Vec<_> = stream::<serde_json::Value>(
            &[
                "data: {\"n\":1}\n\ndata: hel",
                "lo\n\ndata: [DONE]\n\ndata: {\"n\":2}\n\n",
            ],
            Some("[DONE]"),
            false,
        )
        .collect()
        .await;
        let items: Vec<_> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            items,
            vec![serde_json::json!({"n": 1}), serde_json::json!("hello")]
        );
    }

    #[tokio::test]
    async fn a_stream_without_its_sentinel_ends_with_an_error() {
        let mut events = stream::<serde_json::Value>(&["data: 1\n\n"], Some("[DONE]"), false);
        assert_eq!(events.next().await.unwrap().unwrap(), serde_json::json!(1));
        assert!(matches!(
            events.next().await,
            Some(Err(Error::Stream(StreamError::EndedWithoutSentinel {
                sentinel: "[DONE]"
            })))
        ));
        assert!(events.next().await.is_none());
    }

    #[tokio::test]
    async fn an_error_event_is_the_last_item() {
        let mut events = stream::<serde_json::Value>(
            &["data: 1\n\nevent: error\ndata: {\"message\":\"boom\"}\n\ndata: 2\n\n"],
            None,
            false,
        );
        assert!(events.next().await.unwrap().is_ok());
        match events.next().await {
            Some(Err(Error::Stream(StreamError::Event(error)))) => {
                assert_eq!(error.message.as_deref(), Some("boom"))
            }
            other => panic!("expected an error event, got {other:?}"),
        }
        assert!(events.next().await.is_none());
    }

    #[tokio::test]
    async fn an_undecodable_event_keeps_its_data_and_the_path() {
        type Delta = std::collections::BTreeMap<String, u32>;
        let mut events = stream::<Delta>(&["data: {\"n\":\"x\"}\n\n"], None, false);
        match events.next().await {
            Some(Err(Error::Decode { response, source })) => {
                assert_eq!(&response.body[..], b"{\"n\":\"x\"}");
                assert_eq!(source.path(), "n");
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(events.next().await.is_none());
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Usage {
        input_tokens_details: Details,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Details {
        cached_tokens: u32,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Response {
        usage: Usage,
    }

    #[derive(Debug, PartialEq, serde::Deserialize)]
    struct Completed {
        response: Response,
    }

    #[tokio::test]
    async fn an_undecodable_event_is_an_item_and_the_stream_goes_on() {
        let good = |n: u32| {
            format!(
                "data: {{\"response\":{{\"usage\":{{\"input_tokens_details\":{{\"cached_tokens\":{n}}}}}}}}}\n\n"
            )
        };
        let bad = "data: {\"response\":{\"usage\":{\"input_tokens_details\":{}}}}\n\n";
        let body = format!("{}{bad}{}data: [DONE]\n\n", good(1), good(2));
        let chunks = vec![Bytes::from(body)];
        let events = EventStream::<Completed, ()>::from_chunks(chunks, Some("[DONE]"), false);
        let items: Vec<_> = events.collect().await;
        assert_eq!(items.len(), 3, "{items:?}");
        let cached = |item: &Result<Completed, Error<()>>| match item {
            Ok(c) => c.response.usage.input_tokens_details.cached_tokens,
            Err(e) => panic!("{e:?}"),
        };
        assert_eq!((cached(&items[0]), cached(&items[2])), (1, 2));
        match &items[1] {
            Err(Error::Decode { response, source }) => {
                assert_eq!(source.path(), "response.usage.input_tokens_details");
                assert_eq!(
                    source.to_string(),
                    "at `response.usage.input_tokens_details`: missing field `cached_tokens` at line 1 column 47"
                );
                assert_eq!(
                    &response.body[..],
                    &bad.as_bytes()["data: ".len()..bad.len() - 2]
                );
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_undecodable_whole_event_names_the_path_from_data() {
        #[derive(Debug, serde::Deserialize)]
        struct Whole {
            #[allow(dead_code)]
            data: Completed,
        }
        let body = "data: {\"response\":{\"usage\":7}}\n\ndata: {\"response\":{\"usage\":{\"input_tokens_details\":{\"cached_tokens\":3}}}}\n\n";
        let events = EventStream::<Whole, ()>::from_chunks(vec![Bytes::from(body)], None, true);
        let items: Vec<_> = events.collect().await;
        assert_eq!(items.len(), 2);
        match &items[0] {
            Err(Error::Decode { source, .. }) => assert_eq!(source.path(), "data.response.usage"),
            other => panic!("expected a decode error, got {other:?}"),
        }
        assert!(items[1].is_ok(), "{:?}", items[1]);
    }

    #[tokio::test]
    async fn whole_events_decode_as_objects() {
        let items: Vec<_> = stream::<serde_json::Value>(
            &["event: delta\nid: 3\ndata: {\"n\":1}\n\ndata: plain text\n\n"],
            None,
            true,
        )
        .collect()
        .await;
        let items: Vec<_> = items.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            items,
            vec![
                serde_json::json!({"data": {"n": 1}, "event": "delta", "id": "3"}),
                serde_json::json!({"data": "plain text", "id": "3"}),
            ]
        );
    }

    #[tokio::test]
    async fn a_body_ending_mid_event_is_an_error_item() {
        let mut events = stream::<serde_json::Value>(&["data: 1\n\ndata: 2"], None, false);
        assert!(events.next().await.unwrap().is_ok());
        assert!(matches!(
            events.next().await,
            Some(Err(Error::Stream(StreamError::EndedMidEvent)))
        ));
        assert!(events.next().await.is_none());
    }
}
