//! Deletes one file: `OPENROUTER_API_KEY=... cargo run -p generated-client --example delete_file -- FILE_ID`
//! (set `OPENROUTER_BASE_URL` to talk to another server, such as a local mock).

use std::time::Duration;

use generated_client::operations::DeleteFileError;
use generated_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file_id = std::env::args()
        .nth(1)
        .ok_or("usage: delete_file FILE_ID")?;
    let key = std::env::var("OPENROUTER_API_KEY")?;

    let mut builder = Client::builder()
        .api_key(key)
        .timeout(Duration::from_secs(30))
        .default_header("X-Title", "delete_file example");
    if let Ok(base_url) = std::env::var("OPENROUTER_BASE_URL") {
        builder = builder.base_url(base_url);
    }
    let client = builder.build()?;

    match client.delete_file(file_id).send().await {
        Ok(deleted) => println!("deleted {} ({})", deleted.id, deleted.type_.as_str()),
        Err(Error::Api(api)) => match api.body {
            DeleteFileError::NotFound(body) => println!("no such file: {}", body.error.message),
            other => return Err(format!("the API refused: {other:?}").into()),
        },
        Err(e) if e.is_retryable() => {
            println!(
                "try again in {:?}: {e}",
                e.retry_after().unwrap_or(Duration::from_secs(1))
            )
        }
        Err(e) => return Err(e.into()),
    }
    Ok(())
}
