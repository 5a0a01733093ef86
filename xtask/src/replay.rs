//! `cargo xtask replay DIR [--spec FILE] [--strict]`: recorded traffic through the generated
//! client.
//!
//! DIR holds recorded exchanges (YAML documents `when:`/`then:`, the format of
//! `../shared/recorded/SOURCES.md`). Each is served on 127.0.0.1 by a small HTTP server that
//! answers with the recorded status, headers and body (told which exchange by the
//! `x-replay-exchange` header, and checking that method and path are the recorded ones). The
//! spec (by default `DIR/../../specs/NAME.yaml`, NAME being DIR's name) is generated into
//! `target/replay/` with its `examples/replay.rs`, which decodes each recorded request body
//! into the operation's body type, checks that it encodes back to the recorded JSON, sends it
//! and decodes the answer, event by event for a stream. Prints the program's report, ending
//! `exchanges: N/M, events: K, requests re-encoded: R/B`. Fails when an exchange fails, and
//! with `--strict` also when a request body does not re-encode to the recorded JSON.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

use serde_json::Value;

const USAGE: &str = "usage: cargo xtask replay DIR [--spec FILE] [--strict]";

/// One recorded exchange.
struct Exchange {
    /// `file.yml#N`, N counting the file's documents from 1.
    id: String,
    method: String,
    path: String,
    body: Option<Value>,
    status: u16,
    headers: Vec<(String, String)>,
    response: Vec<u8>,
}

impl Exchange {
    fn streams(&self) -> bool {
        self.headers.iter().any(|(name, value)| {
            name.eq_ignore_ascii_case("content-type") && value.starts_with("text/event-stream")
        })
    }
}

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let mut dir = None;
    let mut spec = None;
    let mut strict = false;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--spec" => spec = Some(PathBuf::from(rest.next().ok_or(USAGE)?)),
            "--strict" => strict = true,
            _ if dir.is_none() && !arg.starts_with("--") => dir = Some(PathBuf::from(arg)),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let dir = dir.ok_or(USAGE)?;
    let dir = std::fs::canonicalize(&dir).map_err(|e| format!("error: {}: {e}", dir.display()))?;
    let spec = match spec {
        Some(spec) => spec,
        None => {
            let name = dir.file_name().map(|n| n.to_string_lossy().into_owned());
            let specs = dir.parent().and_then(Path::parent).map(|p| p.join("specs"));
            match (specs, name) {
                (Some(specs), Some(name)) => specs.join(format!("{name}.yaml")),
                _ => return Err(format!("error: no spec for {}; give --spec", dir.display())),
            }
        }
    };
    let exchanges = read_exchanges(&dir)?;
    if exchanges.is_empty() {
        return Err(format!("error: no recorded exchanges in {}", dir.display()));
    }

    let (crate_dir, target_dir) = generate(&spec, root)?;
    let list: Vec<Value> = exchanges
        .iter()
        .map(|e| {
            serde_json::json!({
                "id": e.id,
                "method": e.method,
                "path": e.path,
                "body": e.body,
                "stream": e.streams(),
            })
        })
        .collect();
    let list_path = crate_dir.join("exchanges.json");
    std::fs::write(
        &list_path,
        serde_json::to_string_pretty(&list).unwrap_or_default(),
    )
    .map_err(|e| format!("error: {}: {e}", list_path.display()))?;

    let listener = TcpListener::bind("127.0.0.1:0")
        .map_err(|e| format!("error: cannot listen on 127.0.0.1: {e}"))?;
    let base_url = format!(
        "http://{}",
        listener
            .local_addr()
            .map_err(|e| format!("error: no local address: {e}"))?
    );
    let exchanges = Arc::new(exchanges);
    let mismatches = Arc::new(Mutex::new(Vec::new()));
    {
        let exchanges = exchanges.clone();
        let mismatches = mismatches.clone();
        std::thread::spawn(move || serve(listener, exchanges, mismatches));
    }

    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(&cargo)
        .args([
            "run",
            "--quiet",
            "--example",
            "replay",
            "--features",
            "roundtrip",
            "--",
        ])
        .arg(&base_url)
        .arg(&list_path)
        .env("CARGO_TARGET_DIR", &target_dir)
        .current_dir(&crate_dir)
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in stdout.lines() {
        if !line.starts_with("exchanges: ") {
            println!("{line}");
        }
    }
    let mismatches = mismatches.lock().map(|m| m.clone()).unwrap_or_default();
    for mismatch in &mismatches {
        println!("SERVER {mismatch}");
    }
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("exchanges: "))
        .ok_or_else(|| {
            format!(
                "error: the replay program did not report:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    println!("{summary}");
    let failed = stdout.lines().any(|l| l.starts_with("FAIL ")) || !mismatches.is_empty();
    let lost = stdout.lines().any(|l| l.starts_with("REENCODE "));
    if failed || (strict && lost) {
        Err(format!("error: {summary}"))
    } else {
        Ok(())
    }
}

/// Generates the spec's crate with its example programs into `target/replay/NAME` and builds
/// `examples/replay.rs`; returns the crate's directory and the target directory used.
fn generate(spec: &Path, root: &Path) -> Result<(PathBuf, PathBuf), String> {
    let shown = spec.display().to_string();
    let spec_path = std::fs::canonicalize(spec).map_err(|e| format!("error: {shown}: {e}"))?;
    let text = std::fs::read_to_string(&spec_path).map_err(|e| format!("error: {shown}: {e}"))?;
    let name = crate::crate_name_for(&shown);
    // Headers name the spec by its file name, never by an absolute path.
    let spec_name = spec_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = oagen_generator::Options::new()
        .command(format!("cargo xtask replay --spec {spec_name}"))
        .spec_name(spec_name)
        .manifest(
            oagen_generator::Manifest::new(name.clone())
                .standalone(true)
                .example_check(true),
        );
    let generated =
        oagen_generator::generate(&text, &options).map_err(|e| format!("error: {shown}: {e}"))?;
    let dir = root.join("target/replay").join(&name);
    crate::write_scratch_crate(&dir, &generated.files)?;
    crate::copy_lock_file(root, &dir)?;
    // The same target directory as `corpus` and `contract`: the dependencies are built once.
    let target_dir = root.join("target/corpus/target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    eprintln!("building {name} and its replay program");
    let built = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--example",
            "replay",
            "--features",
            "roundtrip",
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !built.success() {
        return Err(format!("error: building {name} failed"));
    }
    Ok((dir, target_dir))
}

/// Every exchange of the `*.yml`/`*.yaml` files of `dir`, files in name order.
fn read_exchanges(dir: &Path) -> Result<Vec<Exchange>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("error: {}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml")))
        .collect();
    files.sort();
    let mut exchanges = Vec::new();
    for file in files {
        let file_name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("error: {}: {e}", file.display()))?;
        for (i, document) in serde_yaml::Deserializer::from_str(&text).enumerate() {
            let id = format!("{file_name}#{}", i + 1);
            let value = <serde_yaml::Value as serde::Deserialize>::deserialize(document)
                .map_err(|e| format!("error: {id}: {e}"))?;
            if value.is_null() {
                continue;
            }
            exchanges.push(exchange(id, &value)?);
        }
    }
    Ok(exchanges)
}

fn exchange(id: String, doc: &serde_yaml::Value) -> Result<Exchange, String> {
    let text = |v: Option<&serde_yaml::Value>| v.and_then(|v| v.as_str()).map(str::to_owned);
    let when = doc
        .get("when")
        .ok_or_else(|| format!("error: {id}: no `when`"))?;
    let then = doc
        .get("then")
        .ok_or_else(|| format!("error: {id}: no `then`"))?;
    let method = text(when.get("method")).unwrap_or_else(|| "GET".to_owned());
    let path = text(when.get("path")).ok_or_else(|| format!("error: {id}: no `when.path`"))?;
    let body = match text(when.get("json_body_str")) {
        Some(json) => Some(
            serde_json::from_str(&json)
                .map_err(|e| format!("error: {id}: when.json_body_str: {e}"))?,
        ),
        None => None,
    };
    let status = then
        .get("status")
        .and_then(serde_yaml::Value::as_u64)
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(200);
    let headers = then
        .get("header")
        .and_then(serde_yaml::Value::as_sequence)
        .map(|list| {
            list.iter()
                .filter_map(|h| Some((text(h.get("name"))?, text(h.get("value"))?)))
                .collect()
        })
        .unwrap_or_default();
    let response = text(then.get("body"))
        .or_else(|| text(then.get("json_body_str")))
        .unwrap_or_default()
        .into_bytes();
    Ok(Exchange {
        id,
        method,
        path,
        body,
        status,
        headers,
        response,
    })
}

/// Answers each connection with the exchange its `x-replay-exchange` header names.
fn serve(
    listener: TcpListener,
    exchanges: Arc<Vec<Exchange>>,
    mismatches: Arc<Mutex<Vec<String>>>,
) {
    for stream in listener.incoming().flatten() {
        let exchanges = exchanges.clone();
        let mismatches = mismatches.clone();
        std::thread::spawn(move || {
            if let Err(problem) = answer(stream, &exchanges) {
                if let Ok(mut list) = mismatches.lock() {
                    list.push(problem);
                }
            }
        });
    }
}

fn answer(stream: TcpStream, exchanges: &[Exchange]) -> Result<(), String> {
    let mut reader = BufReader::new(stream.try_clone().map_err(|e| e.to_string())?);
    let mut request_line = String::new();
    reader
        .read_line(&mut request_line)
        .map_err(|e| format!("reading a request: {e}"))?;
    if request_line.is_empty() {
        return Ok(());
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut id = None;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader
            .read_line(&mut line)
            .map_err(|e| format!("reading a request: {e}"))?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            let value = value.trim();
            if name.eq_ignore_ascii_case("x-replay-exchange") {
                id = Some(value.to_owned());
            } else if name.eq_ignore_ascii_case("content-length") {
                length = value.parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    reader
        .read_exact(&mut body)
        .map_err(|e| format!("reading a request body: {e}"))?;
    let mut stream = stream;
    let found = id
        .as_deref()
        .and_then(|id| exchanges.iter().find(|e| e.id == id));
    let Some(exchange) = found else {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
        return Err(format!("{method} {target}: no recorded exchange {id:?}"));
    };
    let mut head = format!("HTTP/1.1 {} Recorded\r\n", exchange.status);
    for (name, value) in &exchange.headers {
        if !matches!(
            name.to_ascii_lowercase().as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
    }
    head.push_str(&format!(
        "content-length: {}\r\nconnection: close\r\n\r\n",
        exchange.response.len()
    ));
    stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&exchange.response))
        .and_then(|()| stream.flush())
        .map_err(|e| format!("{}: writing the answer: {e}", exchange.id))?;
    if !method.eq_ignore_ascii_case(&exchange.method) || target != exchange.path {
        return Err(format!(
            "{}: the client sent {method} {target}, the recording has {} {}",
            exchange.id, exchange.method, exchange.path
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORDED: &str = "when:\n  path: /api/v1/chat/completions\n  method: POST\n  json_body_str: >-\n    {\"model\": \"m\", \"stream\": true}\nthen:\n  status: 200\n  header:\n    - name: content-type\n      value: text/event-stream\n  body: |+\n    : OPENROUTER PROCESSING\n\n    data: {\"id\":\"a\"}\n\n    data: [DONE]\n\n---\nwhen:\n  path: /api/v1/models\n  method: GET\nthen:\n  status: 404\n  header:\n    - name: content-type\n      value: application/json\n  json_body_str: '{\"error\": {\"code\": 404}}'\n";

    fn recorded() -> Vec<Exchange> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.yml"), RECORDED).unwrap();
        std::fs::write(dir.path().join("a.yaml"), "---\n").unwrap();
        std::fs::write(dir.path().join("notes.md"), "not an exchange").unwrap();
        read_exchanges(dir.path()).unwrap()
    }

    #[test]
    fn exchanges_are_read_document_by_document() {
        let exchanges = recorded();
        assert_eq!(exchanges.len(), 2);
        let (chat, models) = (&exchanges[0], &exchanges[1]);
        assert_eq!(chat.id, "b.yml#1");
        assert_eq!(
            (chat.method.as_str(), chat.path.as_str()),
            ("POST", "/api/v1/chat/completions")
        );
        assert_eq!(
            chat.body,
            Some(serde_json::json!({"model": "m", "stream": true}))
        );
        assert!(chat.streams());
        assert_eq!(
            String::from_utf8_lossy(&chat.response),
            ": OPENROUTER PROCESSING\n\ndata: {\"id\":\"a\"}\n\ndata: [DONE]\n\n"
        );
        assert_eq!(models.id, "b.yml#2");
        assert_eq!((models.status, models.body.is_none()), (404, true));
        assert!(!models.streams());
        assert_eq!(models.response, br#"{"error": {"code": 404}}"#);
    }

    /// Sends `request` to a server of the recorded exchanges; returns its answer and what it
    /// found wrong.
    fn exchange_with_server(request: &str) -> (String, Vec<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let mismatches = Arc::new(Mutex::new(Vec::new()));
        let seen = mismatches.clone();
        std::thread::spawn(move || serve(listener, Arc::new(recorded()), seen));
        let mut stream = TcpStream::connect(address).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        // The server notes a mismatch after answering.
        std::thread::sleep(std::time::Duration::from_millis(50));
        let found = mismatches.lock().unwrap().clone();
        (answer, found)
    }

    #[test]
    fn the_server_answers_the_named_exchange_as_recorded() {
        let (answer, mismatches) = exchange_with_server(
            "POST /api/v1/chat/completions HTTP/1.1\r\nx-replay-exchange: b.yml#1\r\ncontent-length: 2\r\n\r\n{}",
        );
        assert_eq!(
            answer,
            "HTTP/1.1 200 Recorded\r\ncontent-type: text/event-stream\r\ncontent-length: 57\r\nconnection: close\r\n\r\n: OPENROUTER PROCESSING\n\ndata: {\"id\":\"a\"}\n\ndata: [DONE]\n\n"
        );
        assert!(mismatches.is_empty(), "{mismatches:?}");
    }

    #[test]
    fn the_server_reports_another_path_or_an_unknown_exchange() {
        let (answer, mismatches) = exchange_with_server(
            "GET /api/v1/models?x=1 HTTP/1.1\r\nx-replay-exchange: b.yml#2\r\n\r\n",
        );
        assert!(answer.starts_with("HTTP/1.1 404 Recorded\r\n"), "{answer}");
        assert_eq!(
            mismatches,
            ["b.yml#2: the client sent GET /api/v1/models?x=1, the recording has GET /api/v1/models"]
        );
        let (answer, mismatches) =
            exchange_with_server("GET /nowhere HTTP/1.1\r\nx-replay-exchange: c.yml#9\r\n\r\n");
        assert!(answer.starts_with("HTTP/1.1 404 Not Found\r\n"), "{answer}");
        assert_eq!(
            mismatches,
            ["GET /nowhere: no recorded exchange Some(\"c.yml#9\")"]
        );
    }
}
