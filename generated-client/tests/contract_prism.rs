//! Contract tests: the generated `deleteFile` client against Stoplight Prism, an independent
//! mock server built from the same `openapi/openapi.yaml`. Prism validates each request
//! against the spec and answers with the spec's examples, so these tests check that what the
//! client sends is what the spec accepts, and that what the spec documents decodes into the
//! client's types.
//!
//! Prism is installed by `npm ci` at the workspace root (`cargo xtask test` runs it). Without
//! it these tests fail; they never skip.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use generated_client::models::FileDeleteResponse;
use generated_client::operations::DeleteFileError;
use generated_client::{Client, Error};

const KEY: &str = "k";
const WORKSPACE: &str = "a103d8b6-42f0-4e50-9a3c-bf41e2c3c1a7";
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
const LISTENING: &str = "Prism is listening on http://127.0.0.1:";

/// A running Prism mock server; killed (and reaped) when dropped, also on panic.
struct Prism {
    child: Child,
    port: u16,
    /// Everything Prism printed on stdout and stderr so far, kept for failure messages.
    log: Arc<Mutex<String>>,
}

impl Prism {
    fn start() -> Prism {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("the crate lives inside the workspace")
            .to_path_buf();
        let bin: PathBuf = root.join("node_modules/.bin/prism");
        assert!(
            bin.exists(),
            "Prism is not installed: {} is missing. Run `npm ci` in {} \
             (or `cargo xtask test`, which runs it) before these contract tests.",
            bin.display(),
            root.display()
        );
        let spec = root.join("openapi/openapi.yaml");
        assert!(spec.exists(), "{} is missing", spec.display());

        let mut child = Command::new(&bin)
            .arg("mock")
            .arg(&spec)
            .args(["-h", "127.0.0.1", "-p", "0"])
            .current_dir(&root)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", bin.display()));

        // Drain both pipes for the whole life of the process (Prism logs every request;
        // a full pipe would block it), forwarding lines to the startup wait below.
        let log = Arc::new(Mutex::new(String::new()));
        let (lines_tx, lines_rx) = mpsc::channel::<String>();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        drain(stdout, Arc::clone(&log), lines_tx.clone());
        drain(stderr, Arc::clone(&log), lines_tx);

        // Build the guard now so that a failed startup still kills the process.
        let mut prism = Prism {
            child,
            port: 0,
            log,
        };
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        loop {
            if let Some(status) = prism.child.try_wait().expect("can poll the Prism process") {
                // Give the readers a moment to collect the last output.
                std::thread::sleep(Duration::from_millis(200));
                panic!(
                    "Prism exited ({status}) before listening; its output:\n{}",
                    prism.output()
                );
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                panic!(
                    "Prism did not print {LISTENING:?}<port> within {STARTUP_TIMEOUT:?}; its output:\n{}",
                    prism.output()
                );
            }
            match lines_rx.recv_timeout(left.min(Duration::from_millis(100))) {
                Ok(line) => {
                    if let Some(port) = parse_port(&line) {
                        prism.port = port;
                        return prism;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {}
                // Both pipes closed: the process is exiting; `try_wait` reports it next.
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(Duration::from_millis(50));
                }
            }
        }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn output(&self) -> String {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Waits (briefly) until Prism's log contains `needle`: it logs each request as
    /// `[HTTP SERVER] delete <path as received> … Request received`.
    fn assert_logged(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.output().contains(needle) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!(
            "Prism's log does not contain {needle:?}; its output:\n{}",
            self.output()
        );
    }

    /// A client of this Prism with the API key set.
    fn client(&self) -> Client {
        self.client_with(|b| b.api_key(KEY))
    }

    fn client_with(
        &self,
        configure: impl FnOnce(generated_client::ClientBuilder) -> generated_client::ClientBuilder,
    ) -> Client {
        configure(
            Client::builder()
                .base_url(self.base_url())
                .timeout(Duration::from_secs(10)),
        )
        .build()
        .expect("client builds")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(pipe: impl Read + Send + 'static, log: Arc<Mutex<String>>, lines: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).into_owned();
                    log.lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push_str(&line);
                    // The receiver is gone once startup is over; keep draining anyway.
                    let _ = lines.send(line);
                }
            }
        }
    });
}

/// The port in Prism's `Prism is listening on http://127.0.0.1:PORT` line.
fn parse_port(line: &str) -> Option<u16> {
    let rest = &line[line.find(LISTENING)? + LISTENING.len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|&port| port != 0)
}

/// The success response, the request validation Prism does, and path encoding.
#[tokio::test(flavor = "multi_thread")]
async fn prism_accepts_what_the_typed_client_sends() {
    let prism = Prism::start();
    let expected = FileDeleteResponse::new("file_011CNha8iCJcU1wXNR6q4V8w");

    // 200 with the spec's example, decoded into the typed model.
    let deleted = prism
        .client()
        .delete_file("x")
        .send()
        .await
        .unwrap_or_else(|e| panic!("DELETE /files/x: {e}\nPrism output:\n{}", prism.output()));
    assert_eq!(deleted, expected);
    assert_eq!(deleted.type_.as_str(), "file_deleted");

    // A valid `workspace_id` (the only kind the typed setter can take) passes Prism's
    // `format: uuid` validation.
    let workspace: uuid::Uuid = WORKSPACE.parse().unwrap();
    let deleted = prism
        .client()
        .delete_file("file_011CNha8iCJcU1wXNR6q4V8w")
        .workspace_id(workspace)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "DELETE with workspace_id: {e}\nPrism output:\n{}",
                prism.output()
            )
        });
    assert_eq!(deleted, expected);

    // Prism really does validate `workspace_id`: a malformed one, which the typed API cannot
    // express, sent by hand gets Prism's own 422 naming the parameter.
    let raw = reqwest::Client::new();
    let response = raw
        .delete(format!(
            "{}/files/x?workspace_id=not-a-uuid",
            prism.base_url()
        ))
        .bearer_auth(KEY)
        .header("accept", "application/json")
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(response.status().as_u16(), 422);
    assert_eq!(
        response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("application/problem+json")
    );
    let problem: serde_json::Value = response.json().await.expect("a JSON problem body");
    assert_eq!(problem["status"], 422);
    assert_eq!(
        problem["type"],
        "https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY"
    );
    assert_eq!(
        problem["validation"][0]["location"],
        serde_json::json!(["query", "workspace_id"]),
        "{problem}"
    );
    assert_eq!(problem["validation"][0]["code"], "format", "{problem}");
    assert!(
        problem["validation"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("workspace_id") && m.contains("uuid")),
        "{problem}"
    );

    // A hostile file id reaches Prism as one percent-encoded segment: Prism matches
    // `/files/{file_id}` and answers 200, and logs the path exactly as the client encoded it.
    let hostile = "a/b ?#%é";
    let deleted = prism
        .client()
        .delete_file(hostile)
        .send()
        .await
        .unwrap_or_else(|e| {
            panic!(
                "DELETE with file id {hostile:?}: {e}\nPrism output:\n{}",
                prism.output()
            )
        });
    assert_eq!(deleted, expected);
    prism.assert_logged("delete /files/a%2Fb%20%3F%23%25%C3%A9 ");

    // ...whereas an unencoded slash would be two segments, which no path of the spec matches.
    let response = raw
        .delete(format!("{}/files/a/b", prism.base_url()))
        .bearer_auth(KEY)
        .send()
        .await
        .expect("Prism answers");
    assert_eq!(response.status().as_u16(), 404);
    let problem: serde_json::Value = response.json().await.expect("a JSON problem body");
    assert_eq!(
        problem["type"],
        "https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR"
    );
}

/// Every documented error status, as Prism produces it from the spec, is its typed variant.
#[tokio::test(flavor = "multi_thread")]
async fn prism_error_responses_decode_into_typed_variants() {
    let prism = Prism::start();

    // No credentials: Prism enforces the spec's bearer security and answers 401 with the
    // 401 example.
    let err = prism
        .client_with(|b| b)
        .delete_file("x")
        .send()
        .await
        .expect_err("a request without credentials is refused");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401), "{err}");
    assert!(
        err.headers()
            .and_then(|h| h.get("sl-violations"))
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("Invalid security scheme used")),
        "Prism reports the missing credential: {err:?}"
    );
    match &err {
        Error::Api(api) => match &api.body {
            DeleteFileError::Unauthorized(body) => {
                assert_eq!(api.status.as_u16(), 401);
                assert_eq!(body.error.code, 401);
                assert_eq!(body.error.message, "Missing Authentication header");
                assert_eq!(body.error.metadata, None);
                assert_eq!(body.user_id, None);
                assert_eq!(body.openrouter_metadata, None);
            }
            other => panic!("expected Unauthorized, got {other:?}"),
        },
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert!(!err.is_retryable());

    // With credentials, `Prefer: code=N` makes Prism answer the spec's example for N.
    for (status, message, retryable) in [
        (401, "Missing Authentication header", false),
        (404, "Resource not found", false),
        (429, "Rate limit exceeded", true),
        (500, "Internal Server Error", true),
    ] {
        let client = prism.client_with(|b| {
            b.api_key(KEY)
                .default_header("Prefer", &format!("code={status}"))
        });
        let err = client
            .delete_file("x")
            .send()
            .await
            .expect_err("Prism answers the preferred error status");
        assert_eq!(
            err.status().map(|s| s.as_u16()),
            Some(status),
            "{err}\nPrism output:\n{}",
            prism.output()
        );
        assert_eq!(err.is_retryable(), retryable, "{status}");
        let Error::Api(api) = &err else {
            panic!("{status}: expected Error::Api, got {err:?}")
        };
        assert_eq!(api.status.as_u16(), status);
        let (code, text) = match (status, &api.body) {
            (401, DeleteFileError::Unauthorized(b)) => (b.error.code, b.error.message.as_str()),
            (404, DeleteFileError::NotFound(b)) => (b.error.code, b.error.message.as_str()),
            (429, DeleteFileError::TooManyRequests(b)) => (b.error.code, b.error.message.as_str()),
            (500, DeleteFileError::InternalServerError(b)) => {
                (b.error.code, b.error.message.as_str())
            }
            (_, other) => panic!("{status}: wrong variant {other:?}"),
        };
        assert_eq!(code, i64::from(status));
        assert_eq!(text, message);
        assert_eq!(err.api_body(), Some(&api.body));
        assert!(err.raw_response().is_none());
    }
}
