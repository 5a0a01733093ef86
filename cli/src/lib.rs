//! `oagen`: the generator as a tool. The binary (`src/main.rs`) is a thin `clap` front end;
//! this library holds what it shares with `cargo xtask codegen`:
//!
//! - [`codegen`]: generating crates into directories, writing only what changed, and the
//!   drift check (stale files named, with a summary of what the spec change breaks);
//! - [`config`]: the `codegen.toml` config file listing the targets.
//!
//! The generator itself, the overlays and the breaking-change report are in the `oagen-generator`
//! crate.

pub mod allocator;
pub mod codegen;
pub mod config;
