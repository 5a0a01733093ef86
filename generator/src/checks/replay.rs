//! `examples/replay.rs`: a program that replays recorded HTTP exchanges through the generated
//! client. It reads a list of exchanges (method, path as recorded, the request's JSON body,
//! whether the answer was a stream) and, for each, finds the operation by method and path,
//! decodes the recorded body into the operation's body type and encodes it again (it must give
//! the recorded JSON, key order and nulls of absent fields aside), sends the request to the
//! server it is given (which answers as recorded, told which exchange by the
//! `x-replay-exchange` header) and decodes the response, event by event for a stream. It prints
//! `PASS`/`FAIL` per exchange, a `REENCODE` line per JSON path that did not survive, and
//! `exchanges: N/M, events: K, requests re-encoded: R/B`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::types::type_tokens;
use crate::ir::{Api, BodyEncoding, Location, Operation};

/// The path part of the first server's URL (`/api/v1` of `https://openrouter.ai/api/v1`):
/// recorded paths carry it, operation paths do not.
fn path_prefix(api: &Api) -> String {
    let Some(server) = api.servers.first() else {
        return String::new();
    };
    let url = server.url.as_str();
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let path = match after_scheme.find('/') {
        Some(slash) if url.contains("://") => &after_scheme[slash..],
        Some(_) => after_scheme,
        None => "",
    };
    path.trim_end_matches('/').to_owned()
}

/// The arm of one operation: it binds the arguments from the recorded request, sends it
/// through the method that gives what was recorded (JSON or events), and consumes the answer.
fn call(api: &Api, op: &Operation, krate: &TokenStream) -> Result<TokenStream, String> {
    let models = format!("{krate}::models::");
    let mut bindings = Vec::new();
    let mut args = Vec::new();
    for p in op.parameters.iter().filter(|p| p.required) {
        let ident = format_ident!("{}", p.rust_name);
        let ty = type_tokens(&p.ty, &api.types, &models);
        let name = &p.name;
        bindings.push(match p.location {
            Location::Path => quote! { let #ident: #ty = call.path_param(#name)?; },
            Location::Query => quote! {
                let #ident: #ty = call
                    .query_param(#name)?
                    .ok_or_else(|| format!("the required query parameter `{}` was not sent", #name))?;
            },
            Location::Header | Location::Cookie => {
                // Recordings keep no request headers: a stand-in value.
                let value = p
                    .example
                    .as_ref()
                    .ok_or_else(|| format!("no value for the {} parameter `{}`", p.location.as_str(), p.name))?
                    .to_string();
                quote! { let #ident: #ty = stand_in(#value)?; }
            }
        });
        args.push(quote! { #ident });
    }
    let mut setters = Vec::new();
    for p in op.parameters.iter().filter(|p| !p.required) {
        if p.location != Location::Query {
            continue;
        }
        let setter = format_ident!("{}", p.rust_name);
        let ty = type_tokens(&p.ty, &api.types, &models);
        let name = &p.name;
        setters.push(quote! {
            let builder = match call.query_param::<#ty>(#name)? {
                Some(value) => builder.#setter(value),
                None => builder,
            };
        });
    }
    if let Some(body) = &op.body {
        if body.form.is_some() || !matches!(body.encoding, BodyEncoding::Json | BodyEncoding::Form)
        {
            return Err(format!("a {} body is not replayed", body.media_type));
        }
        let ty = type_tokens(&body.ty, &api.types, &models);
        if body.required {
            bindings.push(quote! { let body: #ty = call.body(outcome)?; });
            args.push(quote! { body });
        } else {
            setters.push(quote! {
                let builder = match &call.exchange.body {
                    Some(_) => builder.body(call.body::<#ty>(outcome)?),
                    None => builder,
                };
            });
        }
    }
    let method = format_ident!("{}", op.name);
    let send = |method: &proc_macro2::Ident, consume: TokenStream| {
        quote! {
            let builder = client.#method(#( #args ),*);
            #( #setters )*
            let builder = builder.with_header("x-replay-exchange", call.exchange.id.as_str());
            #consume
        }
    };
    let body = match &op.events {
        Some(events) => match &events.alternative {
            Some(alternative) => {
                let stream_method = format_ident!("{}", alternative.method_name);
                let stream = send(
                    &stream_method,
                    quote! { consume_events(builder.send().await, outcome).await },
                );
                let json = send(&method, quote! { consume(builder.send().await) });
                quote! {
                    if call.exchange.stream {
                        #stream
                    } else {
                        #json
                    }
                }
            }
            None => send(
                &method,
                quote! { consume_events(builder.send().await, outcome).await },
            ),
        },
        None => send(&method, quote! { consume(builder.send().await) }),
    };
    Ok(quote! {
        #( #bindings )*
        #body
    })
}

/// The program, part by part, in the order it is written.
pub fn emit(api: &Api, crate_name: &str) -> TokenStream {
    let krate_ident = format_ident!("{}", crate_name.replace('-', "_"));
    let krate = quote! { #krate_ident };
    let parts = [
        preamble(api, &krate),
        runner(api, &krate),
        dispatch(api, &krate),
        path_matching(),
        arguments(),
        reencoding(),
        consumers(&krate),
    ];
    quote! { #( #parts )* }
}

/// The program's docs and lints, its imports, the server's path, the table of operations, and
/// the recorded exchange as it is read (`Exchange`) with what replaying it gives (`Outcome`).
fn preamble(api: &Api, krate: &TokenStream) -> TokenStream {
    let prefix = path_prefix(api);
    let table = api.operations.iter().map(|op| {
        let method = op.method.as_str();
        let template = &op.path.raw;
        let name = &op.name;
        quote! { (#method, #template, #name) }
    });
    quote! {
        //! Replays recorded exchanges through the client:
        //! `cargo run --example replay -- BASE_URL EXCHANGES_JSON`, where EXCHANGES_JSON lists
        //! them (`[{"id", "method", "path", "body", "stream"}]`) and the server at BASE_URL
        //! answers each as recorded, told which by the `x-replay-exchange` header.
        // A spec may need only some of the helpers below, and the program calls deprecated
        // operations on purpose.
        #![allow(dead_code, deprecated, unused_variables, clippy::let_and_return)]

        use futures_util::StreamExt;
        use #krate::RequestExt;
        use serde_json::Value;

        /// The path of the spec's first server, which recorded paths start with.
        const PATH_PREFIX: &str = #prefix;

        /// Method, path template and name of every operation, by index.
        const OPERATIONS: &[(&str, &str, &str)] = &[ #( #table ),* ];

        #[derive(serde::Deserialize)]
        struct Exchange {
            id: String,
            method: String,
            path: String,
            #[serde(default)]
            body: Option<Value>,
            /// The recorded answer was a stream of events.
            #[serde(default)]
            stream: bool,
        }

        /// What replaying one exchange gave beside its result.
        #[derive(Default)]
        struct Outcome {
            /// Where the re-encoded request body differs from the recorded one; `None` when
            /// no body was decoded.
            reencoded: Option<Vec<String>>,
            /// Events that decoded.
            events: usize,
        }
    }
}

/// `main` and `run`: reads the list of exchanges, builds the client with stand-in
/// credentials, replays each exchange and prints its line, then the totals.
fn runner(api: &Api, krate: &TokenStream) -> TokenStream {
    let setters = crate::emit::client::credential_setters(api)
        .into_iter()
        .map(|(method, _, scheme)| {
            let method = format_ident!("{}", method);
            match scheme {
                crate::ir::SecurityScheme::Basic { .. } => quote! { .#method("replay", "test") },
                _ => quote! { .#method("replay-test-key") },
            }
        });
    quote! {
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
            let mut args = std::env::args().skip(1);
            let (Some(base_url), Some(list)) = (args.next(), args.next()) else {
                println!("usage: replay BASE_URL EXCHANGES_JSON");
                std::process::exit(2);
            };
            let exchanges: Vec<Exchange> = match std::fs::read_to_string(&list)
                .map_err(|e| e.to_string())
                .and_then(|text| serde_json::from_str(&text).map_err(|e| e.to_string()))
            {
                Ok(exchanges) => exchanges,
                Err(e) => {
                    println!("cannot read {list}: {e}");
                    std::process::exit(2);
                }
            };
            let base_url = format!("{}{PATH_PREFIX}", base_url.trim_end_matches('/'));
            let client = match #krate::Client::builder().base_url(base_url) #( #setters )* .build() {
                Ok(client) => client,
                Err(e) => {
                    println!("cannot build the client: {e}");
                    std::process::exit(2);
                }
            };
            let (mut passed, mut events, mut with_body, mut reencoded) = (0, 0, 0, 0);
            for exchange in &exchanges {
                let mut outcome = Outcome::default();
                let result = replay(&client, exchange, &mut outcome).await;
                events += outcome.events;
                if let Some(differences) = &outcome.reencoded {
                    with_body += 1;
                    if differences.is_empty() {
                        reencoded += 1;
                    }
                    for difference in differences {
                        println!("REENCODE {}: {difference}", exchange.id);
                    }
                }
                match result {
                    Ok(name) => {
                        passed += 1;
                        println!("PASS {} {name} ({} events)", exchange.id, outcome.events);
                    }
                    Err(reason) => {
                        let reason: String = reason.chars().take(600).collect();
                        println!("FAIL {}: {reason}", exchange.id);
                    }
                }
            }
            println!(
                "exchanges: {passed}/{}, events: {events}, requests re-encoded: {reencoded}/{with_body}",
                exchanges.len()
            );
        }
    }
}

/// `replay`: matches a recorded request to an operation by method and path (the template
/// with the most literal text wins), then `call_operation` calls it, one arm per operation.
fn dispatch(api: &Api, krate: &TokenStream) -> TokenStream {
    let arms = api.operations.iter().enumerate().map(|(i, op)| {
        let body = match call(api, op, krate) {
            Ok(body) => body,
            Err(reason) => quote! { Err(#reason.to_owned()) },
        };
        quote! { #i => { #body } }
    });
    quote! {
        /// The recorded request, matched to an operation.
        struct Call<'a> {
            exchange: &'a Exchange,
            path: Vec<(String, String)>,
            query: Vec<(String, String)>,
        }

        async fn replay(
            client: &#krate::Client,
            exchange: &Exchange,
            outcome: &mut Outcome,
        ) -> Result<&'static str, String> {
            let (path, query) = exchange.path.split_once('?').unwrap_or((&exchange.path, ""));
            let path = path
                .strip_prefix(PATH_PREFIX)
                .filter(|p| p.is_empty() || p.starts_with('/'))
                .ok_or_else(|| format!("{} is not under the server's path {PATH_PREFIX}", exchange.path))?;
            // Of the templates that match, the one with the most literal text.
            let found = OPERATIONS
                .iter()
                .enumerate()
                .filter(|(_, (method, _, _))| method.eq_ignore_ascii_case(&exchange.method))
                .filter_map(|(i, (_, template, _))| {
                    let params = match_template(template, path)?;
                    let literal = template.len() - params.iter().map(|(n, _)| n.len() + 2).sum::<usize>();
                    Some((literal, i, params))
                })
                .max_by_key(|(literal, i, _)| (*literal, usize::MAX - i));
            let Some((_, index, path_params)) = found else {
                return Err(format!("no operation for {} {}", exchange.method, exchange.path));
            };
            let call = Call {
                exchange,
                path: path_params,
                query: query
                    .split('&')
                    .filter(|pair| !pair.is_empty())
                    .map(|pair| {
                        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                        (decode_component(name, true), decode_component(value, true))
                    })
                    .collect(),
            };
            call_operation(index, client, &call, outcome).await?;
            Ok(OPERATIONS[index].2)
        }

        async fn call_operation(
            index: usize,
            client: &#krate::Client,
            call: &Call<'_>,
            outcome: &mut Outcome,
        ) -> Result<(), String> {
            match index {
                #( #arms )*
                _ => Err("no such operation".to_owned()),
            }
        }
    }
}

/// `match_template` and `decode_component`: a recorded path against a path template, and
/// percent-decoding.
fn path_matching() -> TokenStream {
    quote! {
        /// The values of a template's `{name}` parameters in `path`, or `None` when it does
        /// not match.
        fn match_template(template: &str, path: &str) -> Option<Vec<(String, String)>> {
            let wanted: Vec<&str> = template.split('/').collect();
            let got: Vec<&str> = path.split('/').collect();
            if wanted.len() != got.len() {
                return None;
            }
            let mut params = Vec::new();
            for (pattern, segment) in wanted.iter().zip(&got) {
                match (pattern.find('{'), pattern.rfind('}')) {
                    (Some(open), Some(close)) if open < close => {
                        let (before, after) = (&pattern[..open], &pattern[close + 1..]);
                        let value = segment.strip_prefix(before)?.strip_suffix(after)?;
                        if value.is_empty() {
                            return None;
                        }
                        params.push((pattern[open + 1..close].to_owned(), decode_component(value, false)));
                    }
                    _ if pattern == segment => {}
                    _ => return None,
                }
            }
            Some(params)
        }

        /// Percent-decodes a path segment or query component (`+` is a space in a query).
        fn decode_component(text: &str, query: bool) -> String {
            let bytes = text.as_bytes();
            let mut out = Vec::with_capacity(bytes.len());
            let mut i = 0;
            while i < bytes.len() {
                let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
                match bytes[i] {
                    b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                        (Some(high), Some(low)) => {
                            out.push(high * 16 + low);
                            i += 3;
                            continue;
                        }
                        _ => out.push(b'%'),
                    },
                    b'+' if query => out.push(b' '),
                    other => out.push(other),
                }
                i += 1;
            }
            String::from_utf8_lossy(&out).into_owned()
        }
    }
}

/// The recorded request's parts as the operation's arguments: path and query parameters
/// from their text, the body decoded (and encoded again, to compare), stand-in values.
fn arguments() -> TokenStream {
    quote! {
        impl Call<'_> {
            fn path_param<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<T, String> {
                let (_, text) = self
                    .path
                    .iter()
                    .find(|(n, _)| n == name)
                    .ok_or_else(|| format!("no path parameter `{name}`"))?;
                from_texts(name, std::slice::from_ref(text))
            }

            fn query_param<T: serde::de::DeserializeOwned>(&self, name: &str) -> Result<Option<T>, String> {
                let texts: Vec<String> = self
                    .query
                    .iter()
                    .filter(|(n, _)| n == name)
                    .map(|(_, v)| v.clone())
                    .collect();
                if texts.is_empty() {
                    return Ok(None);
                }
                from_texts(name, &texts).map(Some)
            }

            /// The recorded body decoded as `T`; encoding it again must give the recorded JSON.
            fn body<T: serde::de::DeserializeOwned + serde::Serialize>(
                &self,
                outcome: &mut Outcome,
            ) -> Result<T, String> {
                let recorded = self
                    .exchange
                    .body
                    .as_ref()
                    .ok_or("the operation takes a body; none was recorded")?;
                let body: T = match serde_path_to_error::deserialize(recorded) {
                    Ok(body) => body,
                    Err(e) => {
                        let reason = format!("the request body does not decode at `{}`: {}", e.path(), e.inner());
                        outcome.reencoded = Some(vec![reason.clone()]);
                        return Err(reason);
                    }
                };
                let again = serde_json::to_value(&body).map_err(|e| format!("the request body does not encode: {e}"))?;
                let mut differences = Vec::new();
                diff(recorded, &again, "", &mut differences);
                outcome.reencoded = Some(differences);
                Ok(body)
            }
        }

        /// A parameter's recorded text as its type: JSON scalars, else a string; several
        /// values (or one comma-joined) as an array.
        fn from_texts<T: serde::de::DeserializeOwned>(name: &str, texts: &[String]) -> Result<T, String> {
            let scalar = |text: &str, as_string: bool| -> Value {
                match serde_json::from_str::<Value>(text) {
                    Ok(value) if !as_string && !value.is_object() && !value.is_array() => value,
                    _ => Value::String(text.to_owned()),
                }
            };
            if let [text] = texts {
                for as_string in [false, true] {
                    if let Ok(value) = serde_json::from_value(scalar(text, as_string)) {
                        return Ok(value);
                    }
                }
            }
            let items: Vec<&str> = match texts {
                [text] => text.split(',').collect(),
                _ => texts.iter().map(String::as_str).collect(),
            };
            for as_string in [false, true] {
                let array = items.iter().map(|t| scalar(t, as_string)).collect();
                if let Ok(value) = serde_json::from_value(Value::Array(array)) {
                    return Ok(value);
                }
            }
            Err(format!("the recorded value {texts:?} of `{name}` does not decode as its type"))
        }

        fn stand_in<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, String> {
            serde_json::from_str(json).map_err(|e| format!("the stand-in value does not decode: {e}"))
        }
    }
}

/// `diff`: where the re-encoded request body differs from the recorded one.
fn reencoding() -> TokenStream {
    quote! {
        /// Where `again` differs from `recorded`, as `path: recorded X, re-encoded Y`; a null
        /// and an absent key are the same, numbers compare by value.
        fn diff(recorded: &Value, again: &Value, at: &str, out: &mut Vec<String>) {
            let shown = |value: Option<&Value>| -> String {
                match value {
                    None => "absent".to_owned(),
                    Some(value) => {
                        let text = value.to_string();
                        if text.chars().count() > 80 {
                            format!("{}...", text.chars().take(80).collect::<String>())
                        } else {
                            text
                        }
                    }
                }
            };
            let place = |at: &str| if at.is_empty() { ".".to_owned() } else { at.to_owned() };
            let key = |name: &str| if at.is_empty() { name.to_owned() } else { format!("{at}.{name}") };
            match (recorded, again) {
                (Value::Object(a), Value::Object(b)) => {
                    for (name, value) in a {
                        match b.get(name) {
                            Some(other) => diff(value, other, &key(name), out),
                            None if value.is_null() => {}
                            None => out.push(format!("{}: recorded {}, re-encoded absent", key(name), shown(Some(value)))),
                        }
                    }
                    for (name, value) in b {
                        if !a.contains_key(name) && !value.is_null() {
                            out.push(format!("{}: recorded absent, re-encoded {}", key(name), shown(Some(value))));
                        }
                    }
                }
                (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
                    for (i, (x, y)) in a.iter().zip(b).enumerate() {
                        diff(x, y, &format!("{at}[{i}]"), out);
                    }
                }
                (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
                (a, b) if a == b => {}
                (a, b) => out.push(format!("{}: recorded {}, re-encoded {}", place(at), shown(Some(a)), shown(Some(b)))),
            }
        }
    }
}

/// `consume` and `consume_events`: a response, or every event of a stream, decoded.
fn consumers(krate: &TokenStream) -> TokenStream {
    quote! {
        fn consume<T, E: std::fmt::Debug>(sent: Result<T, #krate::Error<E>>) -> Result<(), String> {
            sent.map(drop).map_err(|e| e.to_string())
        }

        /// Reads every event; each one that does not decode is a failure, the others count.
        async fn consume_events<T: serde::de::DeserializeOwned, E: std::fmt::Debug>(
            sent: Result<#krate::EventStream<T, E>, #krate::Error<E>>,
            outcome: &mut Outcome,
        ) -> Result<(), String> {
            let mut stream = sent.map_err(|e| e.to_string())?;
            let mut failures = Vec::new();
            let mut seen = 0;
            while let Some(item) = stream.next().await {
                seen += 1;
                match item {
                    Ok(_) => outcome.events += 1,
                    Err(e) => failures.push(format!("event {seen}: {e}")),
                }
            }
            if failures.is_empty() {
                Ok(())
            } else {
                Err(failures.join("; "))
            }
        }
    }
}
