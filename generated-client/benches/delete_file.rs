//! Client overhead: the same `deleteFile` request sent N times to a keep-alive HTTP server on
//! 127.0.0.1, through the generated client and through the smallest hand-written `reqwest`
//! code that sends the same request and decodes the same body, in one run:
//! `cargo bench -p generated-client --bench delete_file`.
//!
//! Both use a `reqwest::Client` with the same configuration (rustls, defaults) and send the
//! same headers (user agent, accept, bearer token). Rounds alternate the two, so a burst of
//! load on a shared machine hits them alike; the figures are medians over the rounds, and
//! the ratio is the generated client's median over the hand-written code's.

use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const REQUESTS: usize = 2_000;
const ROUNDS: usize = 15;
const KEY: &str = "sk-bench";
const FILE_ID: &str = "file-abc123";
const BODY: &str = r#"{"id":"file-abc123","type":"file_deleted"}"#;

/// What the hand-written code decodes: the same fields as the generated `FileDeleteResponse`.
#[derive(Deserialize)]
#[allow(dead_code)]
struct Deleted {
    id: String,
    #[serde(rename = "type")]
    type_: String,
}

/// Serves a fixed `200` JSON response to every request on every connection, keeping
/// connections open. Requests carry no body, so each ends at its blank line.
async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            continue;
        };
        let response = response.clone();
        tokio::spawn(async move {
            let mut buffer = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                while let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                    buffer.drain(..end + 4);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                }
            }
        });
    }
}

async fn generated(client: &generated_client::Client) {
    for _ in 0..REQUESTS {
        let deleted = client
            .delete_file(FILE_ID)
            .send()
            .await
            .expect("generated client");
        std::hint::black_box(deleted);
    }
}

async fn hand_written(http: &reqwest::Client, base: &str) {
    for _ in 0..REQUESTS {
        let response = http
            .delete(format!("{base}/files/{FILE_ID}"))
            .header(reqwest::header::USER_AGENT, generated_client::USER_AGENT)
            .header(reqwest::header::ACCEPT, "application/json")
            .bearer_auth(KEY)
            .send()
            .await
            .expect("reqwest");
        assert_eq!(response.status(), 200);
        let body = response.bytes().await.expect("body");
        let deleted: Deleted = serde_json::from_slice(&body).expect("JSON");
        std::hint::black_box(deleted);
    }
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    // The server runs on a thread and runtime of its own; the clients share the main thread.
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
    std_listener.set_nonblocking(true).expect("non-blocking");
    let base = format!("http://{}", std_listener.local_addr().expect("address"));
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("server runtime")
            .block_on(async { serve(TcpListener::from_std(std_listener).expect("listener")).await })
    });

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("client runtime");
    let client = generated_client::Client::builder()
        .api_key(KEY)
        .base_url(&base)
        .build()
        .expect("client");
    let http = reqwest::Client::builder().build().expect("reqwest client");

    runtime.block_on(async {
        // Warm up: connections open, allocator and caches settled.
        generated(&client).await;
        hand_written(&http, &base).await;
        let (mut ours, mut theirs) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            // Alternate which goes first.
            for first in [round % 2 == 0, round % 2 == 1] {
                let started = Instant::now();
                if first {
                    generated(&client).await;
                    ours.push(started.elapsed());
                } else {
                    hand_written(&http, &base).await;
                    theirs.push(started.elapsed());
                }
            }
        }
        let (ours, theirs) = (median(ours), median(theirs));
        let per = |d: Duration| d.as_secs_f64() * 1e6 / REQUESTS as f64;
        println!(
            "deleteFile x {REQUESTS}, median of {ROUNDS} rounds: generated client {:.1} us/request, hand-written reqwest {:.1} us/request = {:.3}x",
            per(ours),
            per(theirs),
            ours.as_secs_f64() / theirs.as_secs_f64()
        );
    });
}
