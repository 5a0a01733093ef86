//! The generated `deleteFile` client over real HTTP, against servers on 127.0.0.1 that each
//! test starts: request shape, every documented and undocumented response, bad bodies,
//! hostile path parameters, timeouts and secrecy of the API key.

use std::time::Duration;

use generated_client::models::{FileDeleteResponse, FileDeleteResponseType};
use generated_client::operations::DeleteFileError;
use generated_client::{BuildError, Client, Error};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-or-v1-secret-key-0123456789";

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client builds")
}

fn json(status: u16, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), "application/json")
}

const DELETED: &str = r#"{"id":"file_011CNha8iCJcU1wXNR6q4V8w","type":"file_deleted"}"#;

async fn only_request(server: &MockServer) -> Request {
    let mut received = server.received_requests().await.expect("recording is on");
    assert_eq!(received.len(), 1, "exactly one request reaches the server");
    received.remove(0)
}

#[tokio::test]
async fn sends_delete_with_auth_accept_user_agent_and_query() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/files/file_011CNha8iCJcU1wXNR6q4V8w"))
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let workspace: uuid::Uuid = "a103d8b6-42f0-4e50-9a3c-bf41e2c3c1a7".parse().unwrap();

    let deleted = client(&server)
        .delete_file("file_011CNha8iCJcU1wXNR6q4V8w")
        .workspace_id(workspace)
        .send()
        .await
        .expect("200 decodes");

    assert_eq!(
        deleted,
        FileDeleteResponse::new("file_011CNha8iCJcU1wXNR6q4V8w")
    );
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.url.path(), "/files/file_011CNha8iCJcU1wXNR6q4V8w");
    assert_eq!(
        request.url.query(),
        Some("workspace_id=a103d8b6-42f0-4e50-9a3c-bf41e2c3c1a7")
    );
    let h = |name: &str| {
        request
            .headers
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
    };
    assert_eq!(
        h("authorization").as_deref(),
        Some(&*format!("Bearer {KEY}"))
    );
    assert_eq!(h("accept").as_deref(), Some("application/json"));
    assert_eq!(
        h("user-agent").as_deref(),
        Some(concat!("generated-client/", env!("CARGO_PKG_VERSION")))
    );
    assert!(request.body.is_empty(), "DELETE sends no body");
}

#[tokio::test]
async fn a_request_is_sent_from_a_spawned_task() {
    // `tokio::spawn` takes only `Send + 'static` futures: `send()`'s future must be one.
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let client = client(&server);
    let task = tokio::spawn(async move {
        client
            .delete_file("file_011CNha8iCJcU1wXNR6q4V8w")
            .send()
            .await
    });
    let deleted = task
        .await
        .expect("the task completes")
        .expect("200 decodes");
    assert_eq!(deleted.id, "file_011CNha8iCJcU1wXNR6q4V8w");
}

#[tokio::test]
async fn workspace_id_is_sent_only_when_given() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    client(&server).delete_file("f").send().await.unwrap();
    assert_eq!(only_request(&server).await.url.query(), None);
}

#[tokio::test]
async fn base_url_with_a_path_prefix_and_trailing_slash_is_joined_once() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/files/f"))
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/api/v1/", server.uri()))
        .api_key(KEY)
        .build()
        .unwrap();
    client
        .delete_file("f")
        .send()
        .await
        .expect("the prefixed path matches");
}

#[tokio::test]
async fn each_documented_error_status_is_its_typed_variant() {
    let server = MockServer::start().await;
    for (status, message) in [
        (401, "Missing Authentication header"),
        (404, "Resource not found"),
        (429, "Rate limit exceeded"),
        (500, "Internal Server Error"),
    ] {
        server.reset().await;
        let body = format!(
            r#"{{"error":{{"code":{status},"message":"{message}","metadata":{{"k":[1,null]}}}},"user_id":"u1","openrouter_metadata":{{"region":"eu"}}}}"#
        );
        Mock::given(any())
            .respond_with(json(status, &body))
            .mount(&server)
            .await;

        let err = client(&server).delete_file("f").send().await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}")
        };
        let (code, text, user_id, metadata) = match &api.body {
            DeleteFileError::Unauthorized(b) => (
                b.error.code,
                &b.error.message,
                &b.user_id,
                &b.openrouter_metadata,
            ),
            DeleteFileError::NotFound(b) => (
                b.error.code,
                &b.error.message,
                &b.user_id,
                &b.openrouter_metadata,
            ),
            DeleteFileError::TooManyRequests(b) => (
                b.error.code,
                &b.error.message,
                &b.user_id,
                &b.openrouter_metadata,
            ),
            DeleteFileError::InternalServerError(b) => (
                b.error.code,
                &b.error.message,
                &b.user_id,
                &b.openrouter_metadata,
            ),
            other => panic!("{status}: an error the spec does not document: {other:?}"),
        };
        let expected_variant = match status {
            401 => matches!(api.body, DeleteFileError::Unauthorized(_)),
            404 => matches!(api.body, DeleteFileError::NotFound(_)),
            429 => matches!(api.body, DeleteFileError::TooManyRequests(_)),
            _ => matches!(api.body, DeleteFileError::InternalServerError(_)),
        };
        assert!(expected_variant, "{status} dispatched to {:?}", api.body);
        assert_eq!(code, i64::from(status));
        assert_eq!(text, message);
        assert_eq!(user_id.as_deref(), Some("u1"));
        assert_eq!(
            metadata.as_ref().unwrap()["region"],
            serde_json::json!("eu")
        );
        assert_eq!(err.is_retryable(), matches!(status, 429 | 500), "{status}");
    }
}

#[tokio::test]
async fn dispatch_is_by_status_not_by_body_shape() {
    // A 404 whose body has the 200 shape is still a 404 that fails to decode as NotFound.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(404, DELETED))
        .mount(&server)
        .await;
    let err = client(&server).delete_file("f").send().await.unwrap_err();
    match &err {
        Error::Decode { response, source } => {
            assert_eq!(response.status.as_u16(), 404);
            assert_eq!(response.body.as_ref(), DELETED.as_bytes());
            assert!(source.to_string().contains("error"), "{source}");
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn retry_after_header_is_read_from_a_429() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            json(429, r#"{"error":{"code":429,"message":"slow down"}}"#)
                .insert_header("Retry-After", "7"),
        )
        .mount(&server)
        .await;
    let err = client(&server).delete_file("f").send().await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn undocumented_status_keeps_status_headers_and_raw_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(418)
                .insert_header("x-teapot", "short and stout")
                .set_body_raw(b"I'm a teapot".to_vec(), "text/plain"),
        )
        .mount(&server)
        .await;
    let err = client(&server).delete_file("f").send().await.unwrap_err();
    let Error::UnexpectedStatus(response) = &err else {
        panic!("expected UnexpectedStatus, got {err:?}")
    };
    assert_eq!(response.status.as_u16(), 418);
    assert_eq!(response.headers["x-teapot"], "short and stout");
    assert_eq!(response.body.as_ref(), b"I'm a teapot");
    assert_eq!(err.raw_response().unwrap().body.as_ref(), b"I'm a teapot");
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("418"), "{err}");
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_with_the_path() {
    let server = MockServer::start().await;
    for (body, expected_path) in [
        (r#"{"id": 5, "type": "file_deleted"}"#, "id"),
        (r#"{"id": "f", "type": "file_deleted""#, "?"),
        (r#"{"id": "f"}"#, "."),
        (r#"{"id": "f", "type": "file_deleted"} trailing"#, "."),
    ] {
        server.reset().await;
        Mock::given(any())
            .respond_with(json(200, body))
            .mount(&server)
            .await;
        let err = client(&server).delete_file("f").send().await.unwrap_err();
        let Error::Decode { response, source } = &err else {
            panic!("{body}: expected Decode, got {err:?}")
        };
        assert_eq!(response.status.as_u16(), 200);
        assert_eq!(response.body.as_ref(), body.as_bytes(), "raw body kept");
        assert_eq!(source.path(), expected_path, "{body}: {source}");
    }
}

#[tokio::test]
async fn an_empty_body_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).insert_header("content-type", "application/json"))
        .mount(&server)
        .await;
    let err = client(&server).delete_file("f").send().await.unwrap_err();
    assert!(
        matches!(&err, Error::Decode { response, .. } if response.body.is_empty()),
        "{err:?}"
    );
    assert!(err.to_string().contains("EOF"), "{err}");
}

#[tokio::test]
async fn a_wrong_content_type_is_reported_with_the_body() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(b"<html>gateway</html>".to_vec(), "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server).delete_file("f").send().await.unwrap_err();
    let Error::UnexpectedContentType {
        response,
        content_type,
    } = &err
    else {
        panic!("expected UnexpectedContentType, got {err:?}")
    };
    assert_eq!(content_type, "text/html");
    assert_eq!(response.body.as_ref(), b"<html>gateway</html>");
}

#[tokio::test]
async fn json_with_parameters_and_problem_json_content_types_decode() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            DELETED.as_bytes().to_vec(),
            "application/json; charset=utf-8",
        ))
        .mount(&server)
        .await;
    client(&server)
        .delete_file("f")
        .send()
        .await
        .expect("charset parameter accepted");
}

#[tokio::test]
async fn an_unknown_enum_value_decodes_into_other() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(
            200,
            r#"{"id":"f","type":"file_archived","extra":true}"#,
        ))
        .mount(&server)
        .await;
    let deleted = client(&server)
        .delete_file("f")
        .send()
        .await
        .expect("unknown value tolerated");
    assert_eq!(
        deleted.type_,
        FileDeleteResponseType::Other("file_archived".into())
    );
    assert_eq!(deleted.type_.as_str(), "file_archived");
    assert_eq!(
        serde_json::to_value(&deleted.type_).unwrap(),
        serde_json::json!("file_archived")
    );
}

#[tokio::test]
async fn hostile_file_ids_stay_in_one_path_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let client = client(&server);
    let hostile = [
        "a/b",
        "../x",
        "../../admin",
        "?q=1",
        "#frag",
        "100%",
        "%2F",
        "with space",
        "ünïcødé/文件",
        "a;b=c",
        "...",
        "\\",
    ];
    for id in hostile {
        client
            .delete_file(id)
            .send()
            .await
            .unwrap_or_else(|e| panic!("{id:?}: {e}"));
    }
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), hostile.len());
    for (id, request) in hostile.iter().zip(&received) {
        assert_eq!(request.url.query(), None, "{id:?} leaked into the query");
        assert_eq!(request.url.fragment(), None);
        let raw_path = request.url.path();
        let segments: Vec<&str> = raw_path.split('/').collect();
        assert_eq!(segments.len(), 3, "{id:?} sent as {raw_path}");
        assert_eq!(segments[1], "files");
        let decoded = percent_encoding::percent_decode_str(segments[2])
            .decode_utf8()
            .unwrap();
        assert_eq!(decoded, *id, "{id:?} sent as {raw_path}");
    }
}

#[tokio::test]
async fn empty_and_dot_segment_file_ids_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let client = client(&server);
    for id in ["", ".", ".."] {
        let err = client.delete_file(id).send().await.unwrap_err();
        let Error::InvalidRequest { message } = &err else {
            panic!("{id:?}: expected InvalidRequest, got {err:?}")
        };
        assert!(message.contains("file_id"), "{message}");
        assert_eq!(err.status(), None);
    }
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_hits_the_timeout() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    // Accept connections and hold them open without answering.
    let holder = tokio::spawn(async move {
        let mut open = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            open.push(socket);
        }
    });
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .api_key(KEY)
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let err = client.delete_file("f").send().await.unwrap_err();
    assert!(matches!(err, Error::Timeout { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(!err.to_string().contains(KEY));
    holder.abort();
}

#[tokio::test]
async fn a_refused_connection_is_a_retryable_transport_error() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = Client::builder()
        .base_url(format!("http://{address}"))
        .api_key(KEY)
        .build()
        .unwrap();
    let err = client.delete_file("f").send().await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert!(err.is_retryable());
    assert!(!format!("{err} {err:?}").contains(KEY));
}

#[tokio::test]
async fn the_api_key_never_appears_in_debug_or_error_output() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(401, r#"{"error":{"code":401,"message":"bad key"}}"#))
        .mount(&server)
        .await;
    let builder = Client::builder().base_url(server.uri()).api_key(KEY);
    assert!(!format!("{builder:?}").contains(KEY), "{builder:?}");
    let client = builder.build().unwrap();
    let debug = format!("{client:?}");
    assert!(
        !debug.contains(KEY) && debug.contains("redacted"),
        "{debug}"
    );
    let request = client.delete_file("f");
    assert!(!format!("{request:?}").contains(KEY));
    let err = request.send().await.unwrap_err();
    assert!(!format!("{err} {err:?}").contains(KEY), "{err:?}");
}

#[tokio::test]
async fn without_a_key_no_authorization_header_is_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).build().unwrap();
    client.delete_file("f").send().await.unwrap();
    assert!(only_request(&server)
        .await
        .headers
        .get("authorization")
        .is_none());
}

#[tokio::test]
async fn default_headers_and_a_callers_reqwest_client_are_used() {
    let server = MockServer::start().await;
    Mock::given(header("x-title", "My App"))
        .and(header("http-referer", "https://example.com"))
        .and(header("x-from-reqwest", "yes"))
        .and(header("user-agent", "my-agent/1.0"))
        .respond_with(json(200, DELETED))
        .mount(&server)
        .await;
    let mut defaults = reqwest::header::HeaderMap::new();
    defaults.insert("x-from-reqwest", "yes".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(defaults)
        .build()
        .unwrap();
    let client = Client::builder()
        .base_url(server.uri())
        .api_key(KEY)
        .http_client(http)
        .default_header("X-Title", "My App")
        .default_header("HTTP-Referer", "https://example.com")
        .default_header("User-Agent", "my-agent/1.0")
        .build()
        .unwrap();
    client
        .delete_file("f")
        .send()
        .await
        .expect("all headers matched");
}

#[test]
fn bad_configuration_is_refused_at_build() {
    let err = Client::builder().base_url("not a url").build().unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    let err = Client::builder()
        .base_url("ftp://example.com")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidBaseUrl { .. }), "{err:?}");
    let err = Client::builder()
        .default_header("bad header", "v")
        .build()
        .unwrap_err();
    assert!(matches!(err, BuildError::InvalidHeader { .. }), "{err:?}");
    assert!(err.to_string().contains("bad header"));
}

#[test]
fn the_default_base_url_is_the_specs_first_server() {
    let client = Client::builder().build().unwrap();
    assert_eq!(client.base_url(), "https://openrouter.ai/api/v1");
    assert_eq!(generated_client::SERVERS, ["https://openrouter.ai/api/v1"]);
}
