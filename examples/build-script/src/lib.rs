//! A client generated at build time: `build.rs` writes it into `OUT_DIR` from
//! `fixtures/streaming.yaml` with `oagen_generator::build`, and it is included here, at the root of
//! the crate (generated code names its items from `crate::`). Its dependencies are those of
//! a generated crate's `Cargo.toml`.

include!(concat!(env!("OUT_DIR"), "/client.rs"));
