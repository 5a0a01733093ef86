//! `examples/contract.rs`: a program that calls every operation with a JSON success response
//! once, with arguments taken from the spec's examples (an argument without one is a sample
//! made from its schema that satisfies it, `ir::samples`), against the server whose URL it is
//! given (a mock server built from the same spec, such as Prism). It prints `PASS`, `FAIL` or
//! `SKIP` per operation and `operations passing: N/M`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::types::type_tokens;
use crate::ir::{Api, BodyEncoding, Operation};

/// The call of one operation, or why it cannot be made.
fn call(api: &Api, op: &Operation, krate: &TokenStream) -> Result<TokenStream, String> {
    let models = format!("{krate}::models::");
    let mut bindings = Vec::new();
    let mut args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let value = p.example.as_ref().ok_or_else(|| {
            format!(
                "no example for parameter `{}`, and none can be made from its schema",
                p.name
            )
        })?;
        let ident = format_ident!("{}", p.rust_name);
        let ty = type_tokens(&p.ty, &api.types, &models);
        let json = value.to_string();
        bindings.push(quote! { let #ident: #ty = arg(#json)?; });
        args.push(quote! { #ident });
    }
    if let Some(body) = op.body.as_ref().filter(|b| b.required) {
        if body.encoding != BodyEncoding::Json && body.encoding != BodyEncoding::Form {
            // Multipart uploads are left out: with Prism 5.14.2 every request after one
            // failed to connect.
            return Err(format!(
                "a {} body is not made from an example",
                body.media_type
            ));
        }
        let value = body
            .example
            .as_ref()
            .ok_or("no example for the request body, and none can be made from its schema")?;
        let ty = type_tokens(&body.ty, &api.types, &models);
        let json = value.to_string();
        bindings.push(quote! { let body: #ty = arg(#json)?; });
        args.push(quote! { body });
    }
    let method = format_ident!("{}", op.name);
    Ok(quote! {
        #( #bindings )*
        client.#method(#( #args ),*).send().await.map(drop).map_err(|e| failure(&e))
    })
}

pub fn emit(api: &Api, crate_name: &str) -> TokenStream {
    let krate_ident = format_ident!("{}", crate_name.replace('-', "_"));
    let krate = quote! { #krate_ident };
    let setters = crate::emit::client::credential_setters(api)
        .into_iter()
        .map(|(method, _, scheme)| {
            let method = format_ident!("{}", method);
            match scheme {
                crate::ir::SecurityScheme::Basic { .. } => quote! { .#method("contract", "test") },
                _ => quote! { .#method("contract-test-key") },
            }
        });
    let json_success = |op: &Operation| {
        op.responses.iter().any(|r| {
            r.status.is_success()
                && r.body
                    .as_ref()
                    .is_some_and(|b| b.encoding == BodyEncoding::Json)
        })
    };
    let calls = api
        .operations
        .iter()
        .filter(|op| json_success(op))
        .map(|op| {
            let name = &op.name;
            match call(api, op, &krate) {
                Ok(body) => quote! {
                    report.record(#name, async { #body }.await);
                },
                Err(reason) => quote! { report.skip(#name, #reason); },
            }
        });
    quote! {
        //! Calls every operation with a JSON success response once, with arguments from the
        //! spec's examples: `cargo run --example contract -- BASE_URL`.
        // A spec may need only some of the helpers below, and the program calls deprecated
        // operations on purpose.
        #![allow(dead_code, deprecated)]

        fn main() {
            let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
                Ok(runtime) => runtime,
                Err(e) => {
                    println!("cannot start a runtime: {e}");
                    std::process::exit(2);
                }
            };
            runtime.block_on(run());
        }

        async fn run() {
            let base_url = std::env::args().nth(1).unwrap_or_else(|| "http://127.0.0.1:4010".to_owned());
            let client = match #krate::Client::builder().base_url(base_url) #( #setters )* .build() {
                Ok(client) => client,
                Err(e) => {
                    println!("cannot build the client: {e}");
                    std::process::exit(2);
                }
            };
            let mut report = Report::default();
            #( #calls )*
            println!(
                "operations passing: {}/{} ({} skipped)",
                report.passed,
                report.passed + report.failed + report.skipped,
                report.skipped
            );
        }

        /// The error, and the start of the body it came with (a mock server says there why
        /// it did not answer as asked).
        fn failure<E: std::fmt::Debug>(e: &#krate::Error<E>) -> String {
            match e.raw_response() {
                Some(response) if !response.body.is_empty() => {
                    let body: String = String::from_utf8_lossy(&response.body).chars().take(200).collect();
                    format!("{e}; body: {body}")
                }
                _ => e.to_string(),
            }
        }

        fn arg<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
            serde_json::from_str(json).map_err(|e| format!("the example does not decode: {e}"))
        }

        #[derive(Default)]
        struct Report {
            passed: usize,
            failed: usize,
            skipped: usize,
        }

        impl Report {
            fn record(&mut self, operation: &str, outcome: Result<(), String>) {
                match outcome {
                    Ok(()) => {
                        self.passed += 1;
                        println!("PASS {operation}");
                    }
                    Err(reason) => {
                        self.failed += 1;
                        let reason: String = reason.chars().take(600).collect();
                        println!("FAIL {operation}: {reason}");
                    }
                }
            }

            fn skip(&mut self, operation: &str, reason: &str) {
                self.skipped += 1;
                println!("SKIP {operation}: {reason}");
            }
        }
    }
}
