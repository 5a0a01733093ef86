//! The generated client against servers on 127.0.0.1 that misbehave on purpose, over
//! HTTP/1.1 (raw TCP listeners writing crafted bytes) and HTTP/2 (hyper, cleartext with prior
//! knowledge): truncated bodies, lying `Content-Length` and `Content-Type`, invalid UTF-8,
//! bodies past the size limit or endless, a stall mid-body, redirects to another host. Each
//! ends in a typed error keeping what arrived, never a panic, with memory bounded by the
//! body limit, and no error shows the API key.

use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use futures_util::StreamExt;
use generated_client::{Client, Error, RetryPolicy, DEFAULT_MAX_BODY_SIZE};
use http_body_util::{combinators::BoxBody, BodyExt, StreamBody};
use hyper::body::Frame;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const KEY: &str = "sk-or-v1-hostile-secret-0123456789";
const DELETED: &str = r#"{"id":"file_1","type":"file_deleted"}"#;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Protocol {
    Http1,
    Http2,
}

const PROTOCOLS: [Protocol; 2] = [Protocol::Http1, Protocol::Http2];

/// What a server does once a request's head has arrived.
#[derive(Clone, Debug)]
enum Act {
    /// Status, headers, the whole body.
    Answer(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// Status 200, JSON, `Content-Length: announced`; sends `sent` and closes (HTTP/2:
    /// resets the stream).
    ShortOfLength { announced: usize, sent: Vec<u8> },
    /// Status 200, JSON, chunked; sends `sent` and closes before the last chunk (HTTP/2:
    /// resets the stream).
    Truncated { sent: Vec<u8> },
    /// Status 200, JSON, no length: `[1,1,1,...` for ever.
    Endless,
    /// Status 200, JSON, `Content-Length` of 1 GiB; then `[1,1,...` for ever.
    HugeLength,
    /// Status 200, JSON; sends `sent`, then nothing, holding the connection open.
    Stall { sent: Vec<u8> },
}

/// Request heads a server received (HTTP/1.1: the raw text; HTTP/2: `name: value` lines).
type Log = Arc<Mutex<Vec<String>>>;

struct Server {
    url: String,
    log: Log,
}

fn json_headers() -> Vec<(&'static str, String)> {
    vec![("content-type", "application/json".to_owned())]
}

async fn serve(protocol: Protocol, act: Act) -> Server {
    serve_on("127.0.0.1", protocol, act).await
}

/// Starts a server on 127.0.0.1; `host` is the name the URL gives it (`localhost` makes a
/// different host for the same machine).
async fn serve_on(host: &str, protocol: Protocol, act: Act) -> Server {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let log: Log = Arc::default();
    let server_log = log.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (act, log) = (act.clone(), server_log.clone());
            match protocol {
                Protocol::Http1 => tokio::spawn(http1(stream, act, log)),
                Protocol::Http2 => tokio::spawn(http2(stream, act, log)),
            };
        }
    });
    Server {
        url: format!("http://{host}:{port}"),
        log,
    }
}

fn endless_chunk() -> Bytes {
    Bytes::from("1,".repeat(32 * 1024))
}

/// HTTP/1.1 by hand: read the head, write the crafted answer.
async fn http1(mut stream: TcpStream, act: Act, log: Log) {
    let mut head = Vec::new();
    let mut buf = [0u8; 4096];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => head.extend_from_slice(&buf[..n]),
        }
    }
    log.lock()
        .unwrap()
        .push(String::from_utf8_lossy(&head).into_owned());
    let json = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n";
    let _ = match act {
        Act::Answer(status, headers, body) => {
            let mut out = format!("HTTP/1.1 {status} Status\r\n");
            for (name, value) in &headers {
                out.push_str(&format!("{name}: {value}\r\n"));
            }
            if !headers.iter().any(|(n, _)| *n == "content-length") {
                out.push_str(&format!("content-length: {}\r\n", body.len()));
            }
            out.push_str("connection: close\r\n\r\n");
            let mut bytes = out.into_bytes();
            bytes.extend_from_slice(&body);
            stream.write_all(&bytes).await
        }
        Act::ShortOfLength { announced, sent } => {
            let mut bytes = format!("{json}content-length: {announced}\r\n\r\n").into_bytes();
            bytes.extend_from_slice(&sent);
            stream.write_all(&bytes).await
        }
        Act::Truncated { sent } => {
            let mut bytes = format!(
                "{json}transfer-encoding: chunked\r\n\r\n{:x}\r\n",
                sent.len()
            )
            .into_bytes();
            bytes.extend_from_slice(&sent);
            bytes.extend_from_slice(b"\r\n");
            stream.write_all(&bytes).await
        }
        Act::Endless | Act::HugeLength => {
            let length = if matches!(act, Act::HugeLength) {
                "content-length: 1073741824\r\n"
            } else {
                "connection: close\r\n"
            };
            let _ = stream
                .write_all(format!("{json}{length}\r\n[").as_bytes())
                .await;
            let chunk = endless_chunk();
            loop {
                if stream.write_all(&chunk).await.is_err() {
                    break Ok(());
                }
            }
        }
        Act::Stall { sent } => {
            let mut bytes = format!("{json}content-length: 1000\r\n\r\n").into_bytes();
            bytes.extend_from_slice(&sent);
            let _ = stream.write_all(&bytes).await;
            tokio::time::sleep(Duration::from_secs(3600)).await;
            Ok(())
        }
    };
    // Closing abruptly ends the body where it is.
    drop(stream);
}

type Body = BoxBody<Bytes, std::io::Error>;

fn body_of<S>(stream: S) -> Body
where
    S: futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync + 'static,
{
    BodyExt::boxed(StreamBody::new(stream.map(|r| r.map(Frame::data))))
}

/// `sent`, then a reset of the stream once the client has the response's head.
fn sent_then_reset(
    sent: Vec<u8>,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send + Sync {
    futures_util::stream::iter([Ok(Bytes::from(sent))]).chain(futures_util::stream::once(async {
        tokio::time::sleep(Duration::from_millis(200)).await;
        Err(std::io::Error::other("the server breaks off"))
    }))
}

/// HTTP/2 through hyper: the answer as a response whose body stream misbehaves.
async fn http2(stream: TcpStream, act: Act, log: Log) {
    let service =
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let (act, log) = (act.clone(), log.clone());
            async move {
                let mut head = format!(
                    "{:?} {} {}\r\n",
                    request.version(),
                    request.method(),
                    request.uri()
                );
                for (name, value) in request.headers() {
                    head.push_str(&format!("{name}: {}\r\n", value.to_str().unwrap_or("?")));
                }
                log.lock().unwrap().push(head);
                let builder = hyper::Response::builder();
                let json = |b: hyper::http::response::Builder| {
                    b.status(200).header("content-type", "application/json")
                };
                let response = match act {
                    Act::Answer(status, headers, body) => {
                        let mut b = builder.status(status);
                        for (name, value) in headers {
                            b = b.header(name, value);
                        }
                        b.body(body_of(futures_util::stream::iter([Ok(Bytes::from(body))])))
                    }
                    Act::ShortOfLength { announced, sent } => json(builder)
                        .header("content-length", announced)
                        .body(body_of(sent_then_reset(sent))),
                    Act::Truncated { sent } => json(builder).body(body_of(sent_then_reset(sent))),
                    Act::Endless => {
                        json(builder).body(body_of(futures_util::stream::repeat_with(|| {
                            Ok(endless_chunk())
                        })))
                    }
                    Act::HugeLength => {
                        json(builder)
                            .header("content-length", 1u64 << 30)
                            .body(body_of(futures_util::stream::repeat_with(|| {
                                Ok(endless_chunk())
                            })))
                    }
                    Act::Stall { sent } => json(builder).body(body_of(
                        futures_util::stream::iter([Ok(Bytes::from(sent))])
                            .chain(futures_util::stream::pending()),
                    )),
                };
                Ok::<_, Infallible>(response.unwrap())
            }
        });
    let _ = hyper::server::conn::http2::Builder::new(hyper_util::rt::TokioExecutor::new())
        .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
        .await;
}

fn builder(protocol: Protocol, url: &str) -> generated_client::ClientBuilder {
    let builder = Client::builder()
        .base_url(url)
        .api_key(KEY)
        .retry_policy(RetryPolicy::never())
        .timeout(Duration::from_secs(30));
    match protocol {
        Protocol::Http1 => builder,
        Protocol::Http2 => builder.http2_prior_knowledge(),
    }
}

type DeleteError = Error<generated_client::operations::DeleteFileError>;

async fn delete(client: &Client) -> Result<(), DeleteError> {
    client.delete_file("file_1").send().await.map(drop)
}

/// The error neither shows the key nor panics when shown.
fn keyless(error: &DeleteError) {
    let shown = format!("{error} {error:?}");
    assert!(!shown.contains(KEY), "{shown}");
}

#[tokio::test]
async fn a_well_behaved_server_answers_over_both_protocols() {
    for protocol in PROTOCOLS {
        let server = serve(
            protocol,
            Act::Answer(200, json_headers(), DELETED.as_bytes().to_vec()),
        )
        .await;
        let client = builder(protocol, &server.url).build().unwrap();
        delete(&client).await.expect("decodes");
        let log = server.log.lock().unwrap().join("\n");
        match protocol {
            Protocol::Http1 => assert!(log.starts_with("DELETE /files/file_1 HTTP/1.1"), "{log}"),
            Protocol::Http2 => assert!(log.starts_with("HTTP/2.0 DELETE"), "{log}"),
        }
    }
}

#[tokio::test]
async fn a_body_cut_short_keeps_status_and_the_bytes_that_arrived() {
    for protocol in PROTOCOLS {
        let sent = br#"{"id":"file_1","#.to_vec();
        let server = serve(protocol, Act::Truncated { sent: sent.clone() }).await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::IncompleteBody { response, .. } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(response.status.as_u16(), 200, "{protocol:?}");
        assert_eq!(&response.body[..], &sent[..], "{protocol:?}");
        assert!(error.is_retryable());
        assert!(
            error
                .to_string()
                .starts_with("the 200 OK response body broke off after 15 bytes"),
            "{error}"
        );
    }
}

#[tokio::test]
async fn a_content_length_longer_than_the_body_is_an_incomplete_body() {
    for protocol in PROTOCOLS {
        let sent = br#"{"id":"file_1","type":"file_deleted"}"#.to_vec();
        let server = serve(
            protocol,
            Act::ShortOfLength {
                announced: 500,
                sent: sent.clone(),
            },
        )
        .await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::IncompleteBody { response, .. } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(&response.body[..], &sent[..], "{protocol:?}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(200));
    }
}

#[tokio::test]
async fn a_content_length_shorter_than_the_body_fails_to_decode_over_http1() {
    // HTTP/1.1 reads exactly the announced bytes: the JSON is cut and does not decode.
    let server = serve(
        Protocol::Http1,
        Act::Answer(
            200,
            vec![
                ("content-type", "application/json".into()),
                ("content-length", "10".into()),
            ],
            DELETED.as_bytes().to_vec(),
        ),
    )
    .await;
    let client = builder(Protocol::Http1, &server.url).build().unwrap();
    let error = delete(&client).await.unwrap_err();
    keyless(&error);
    let Error::Decode { response, .. } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(&response.body[..], &DELETED.as_bytes()[..10]);
}

#[tokio::test]
async fn an_endless_body_stops_at_the_limit() {
    for protocol in PROTOCOLS {
        let server = serve(protocol, Act::Endless).await;
        let client = builder(protocol, &server.url)
            .max_body_size(1024 * 1024)
            .build()
            .unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::BodyTooLarge { response, limit } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(*limit, 1024 * 1024);
        assert_eq!(response.body.len(), 1024 * 1024, "{protocol:?}");
        assert!(response.body.starts_with(b"[1,1,") || response.body.starts_with(b"1,1,"));
        assert!(!error.is_retryable());
        assert_eq!(
            error.to_string(),
            "the 200 OK response body is longer than the limit of 1048576 bytes"
        );
    }
}

#[tokio::test]
async fn the_default_limit_is_16_mib() {
    assert_eq!(DEFAULT_MAX_BODY_SIZE, 16 * 1024 * 1024);
    let server = serve(Protocol::Http1, Act::Endless).await;
    let client = builder(Protocol::Http1, &server.url).build().unwrap();
    let error = delete(&client).await.unwrap_err();
    let Error::BodyTooLarge { response, limit } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*limit, DEFAULT_MAX_BODY_SIZE);
    assert_eq!(response.body.len() as u64, DEFAULT_MAX_BODY_SIZE);
}

#[tokio::test]
async fn an_announced_length_past_the_limit_fails_before_reading() {
    for protocol in PROTOCOLS {
        let server = serve(protocol, Act::HugeLength).await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::BodyTooLarge { response, limit } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(*limit, DEFAULT_MAX_BODY_SIZE);
        assert!(response.body.is_empty(), "{protocol:?}");
        assert_eq!(
            response
                .headers
                .get("content-length")
                .and_then(|v| v.to_str().ok()),
            Some("1073741824")
        );
    }
}

#[tokio::test]
async fn invalid_utf8_in_json_is_a_decode_error_keeping_the_bytes() {
    for protocol in PROTOCOLS {
        let body = b"{\"id\":\"file_\xff\xfe\",\"type\":\"file_deleted\"}".to_vec();
        let server = serve(protocol, Act::Answer(200, json_headers(), body.clone())).await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::Decode { response, source } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(&response.body[..], &body[..]);
        assert_eq!(source.path(), "id", "{protocol:?}");
    }
}

#[tokio::test]
async fn a_content_type_that_lies_is_a_typed_error_either_way() {
    for protocol in PROTOCOLS {
        // JSON sent as HTML: refused by content type, body kept.
        let server = serve(
            protocol,
            Act::Answer(
                200,
                vec![("content-type", "text/html".into())],
                DELETED.as_bytes().to_vec(),
            ),
        )
        .await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::UnexpectedContentType {
            content_type,
            response,
        } = &error
        else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(content_type, "text/html");
        assert_eq!(&response.body[..], DELETED.as_bytes());

        // HTML sent as JSON: a decode error, body kept.
        let html = b"<html><body>Bad gateway</body></html>".to_vec();
        let server = serve(protocol, Act::Answer(200, json_headers(), html.clone())).await;
        let client = builder(protocol, &server.url).build().unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        let Error::Decode { response, .. } = &error else {
            panic!("{protocol:?}: {error:?}");
        };
        assert_eq!(&response.body[..], &html[..]);
    }
}

#[tokio::test]
async fn a_server_stalling_mid_body_times_out() {
    for protocol in PROTOCOLS {
        let server = serve(
            protocol,
            Act::Stall {
                sent: br#"{"id":"fi"#.to_vec(),
            },
        )
        .await;
        let client = builder(protocol, &server.url)
            .timeout(Duration::from_millis(300))
            .build()
            .unwrap();
        let error = delete(&client).await.unwrap_err();
        keyless(&error);
        assert!(
            matches!(error, Error::Timeout { attempts: 1, .. }),
            "{protocol:?}: {error:?}"
        );
    }
}

#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed_so_the_key_stays_home() {
    for protocol in PROTOCOLS {
        for host in ["localhost", "127.0.0.1"] {
            // Another host name, or the same address on another port: another origin.
            let elsewhere = serve_on(
                host,
                protocol,
                Act::Answer(200, json_headers(), DELETED.as_bytes().to_vec()),
            )
            .await;
            let location = format!("{}/files/file_1", elsewhere.url);
            let server = serve(
                protocol,
                Act::Answer(307, vec![("location", location.clone())], Vec::new()),
            )
            .await;
            let client = builder(protocol, &server.url).build().unwrap();
            let error = delete(&client).await.unwrap_err();
            keyless(&error);
            let Error::UnexpectedStatus(response) = &error else {
                panic!("{protocol:?} {host}: {error:?}");
            };
            assert_eq!(response.status.as_u16(), 307);
            assert_eq!(
                response.headers.get("location").unwrap().to_str().unwrap(),
                location
            );
            assert!(
                elsewhere.log.lock().unwrap().is_empty(),
                "{protocol:?} {host}: the other host was reached"
            );
            let first = server.log.lock().unwrap().join("\n").to_ascii_lowercase();
            assert!(first.contains(&format!(
                "authorization: bearer {}",
                KEY.to_ascii_lowercase()
            )));
        }
    }
}

#[tokio::test]
async fn a_redirect_within_the_origin_is_followed_with_the_key() {
    // One server: the first request is redirected to another path of the same origin.
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let log: Log = Arc::default();
    let server_log = log.clone();
    tokio::spawn(async move {
        for answer in [
            Act::Answer(307, vec![("location", "/files/moved".into())], Vec::new()),
            Act::Answer(200, json_headers(), DELETED.as_bytes().to_vec()),
        ] {
            let (stream, _) = listener.accept().await.unwrap();
            http1(stream, answer, server_log.clone()).await;
        }
    });
    let client = builder(Protocol::Http1, &url).build().unwrap();
    delete(&client).await.expect("the redirect is followed");
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 2);
    assert!(
        log[1].starts_with("DELETE /files/moved HTTP/1.1"),
        "{}",
        log[1]
    );
    assert!(log[1].to_ascii_lowercase().contains(&format!(
        "authorization: bearer {}",
        KEY.to_ascii_lowercase()
    )));
}

#[tokio::test]
async fn the_key_shows_in_no_debug_output_of_client_builder_or_request() {
    let builder = builder(Protocol::Http1, "http://127.0.0.1:9")
        .default_header("X-Api-Key", KEY)
        .default_header("Authorization", &format!("Bearer {KEY}"));
    let shown = format!("{builder:?}");
    assert!(!shown.contains(KEY), "{shown}");
    let client = builder.build().unwrap();
    let shown = format!("{client:?}");
    assert!(
        !shown.contains(KEY) && shown.contains("redacted"),
        "{shown}"
    );
    let request = client.delete_file("file_1");
    let shown = format!("{request:?}");
    assert!(!shown.contains(KEY), "{shown}");
}
