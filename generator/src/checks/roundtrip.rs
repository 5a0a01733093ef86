//! `examples/roundtrip.rs`: a program that proves the generated types against the spec's own
//! examples. Each example is decoded into its type and encoded again; the result must equal
//! the example, nulls and absent optional fields aside (and numbers and date-times compared
//! by value). It prints one `FAIL pointer: reason` line per failure, one `SPEC pointer: reason`
//! line per example that lacks a property its own schema requires, and
//! `examples: N/M ok, K contradict their own schema`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::emit::types::type_tokens;
use crate::ir::Api;

pub fn emit(api: &Api, crate_name: &str) -> TokenStream {
    let krate = format_ident!("{}", crate_name.replace('-', "_"));
    let models = format!("{krate}::models::");
    let checks = api.examples.iter().map(|example| {
        let ty = type_tokens(&example.ty, &api.types, &models);
        let pointer = &example.pointer;
        let json = example.value.to_string();
        quote! { report.check::<#ty>(#pointer, #json); }
    });
    if api.examples.is_empty() {
        return quote! {
            //! The spec has no examples to check.

            fn main() {
                println!("examples: 0/0 ok, 0 contradict their own schema");
            }
        };
    }
    quote! {
        //! Decodes every example of the spec into its generated type and encodes it again.

        use serde::de::DeserializeOwned;
        use serde::Serialize;
        use serde_json::Value;

        fn main() {
            let mut report = Report::default();
            #( #checks )*
            println!(
                "examples: {}/{} ok, {} contradict their own schema",
                report.ok,
                report.ok + report.failed + report.spec_errors,
                report.spec_errors
            );
        }

        #[derive(Default)]
        struct Report {
            ok: usize,
            failed: usize,
            spec_errors: usize,
        }

        impl Report {
            fn check<T: DeserializeOwned + Serialize>(&mut self, pointer: &str, json: &str) {
                match round_trip::<T>(json) {
                    Ok(()) => self.ok += 1,
                    // An example without a property its schema requires is the spec's error.
                    Err(reason) if reason.starts_with("does not decode: missing field") => {
                        self.spec_errors += 1;
                        println!("SPEC {pointer}: the example lacks a required property ({reason})");
                    }
                    Err(reason) => {
                        self.failed += 1;
                        println!("FAIL {pointer}: {reason}");
                    }
                }
            }
        }

        fn round_trip<T: DeserializeOwned + Serialize>(json: &str) -> Result<(), String> {
            let expected: Value = serde_json::from_str(json).map_err(|e| format!("not JSON: {e}"))?;
            let decoded: T = serde_json::from_value(expected.clone()).map_err(|e| format!("does not decode: {e}"))?;
            let actual = serde_json::to_value(&decoded).map_err(|e| format!("does not encode: {e}"))?;
            same(&expected, &actual, "")
        }

        /// Compares by value: object members that are null count as absent, numbers compare
        /// numerically and RFC 3339 times by instant and offset.
        fn same(expected: &Value, actual: &Value, path: &str) -> Result<(), String> {
            match (expected, actual) {
                (Value::Object(e), Value::Object(a)) => {
                    for (key, value) in e {
                        let inner = format!("{path}/{key}");
                        match a.get(key) {
                            Some(other) => same(value, other, &inner)?,
                            None if value.is_null() => {}
                            None => return Err(format!("`{inner}` is lost")),
                        }
                    }
                    for (key, value) in a {
                        if !e.contains_key(key) && !value.is_null() {
                            return Err(format!("`{path}/{key}` appears from nowhere"));
                        }
                    }
                    Ok(())
                }
                (Value::Array(e), Value::Array(a)) if e.len() == a.len() => e
                    .iter()
                    .zip(a)
                    .enumerate()
                    .try_for_each(|(i, (x, y))| same(x, y, &format!("{path}/{i}"))),
                (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => Ok(()),
                (Value::String(e), Value::String(a))
                    if e == a
                        || matches!(
                            (chrono::DateTime::parse_from_rfc3339(e), chrono::DateTime::parse_from_rfc3339(a)),
                            (Ok(x), Ok(y)) if x == y && x.offset() == y.offset()
                        ) =>
                {
                    Ok(())
                }
                _ if expected == actual => Ok(()),
                _ => Err(format!("`{path}` was {expected} and came back as {actual}")),
            }
        }
    }
}
