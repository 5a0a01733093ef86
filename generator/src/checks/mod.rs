//! The example programs that check a generated crate against its spec and the world,
//! written into corpus crates beside the crate's own files (`Manifest::example_check`):
//! they are tools of this repository's corpus runs, not part of the client a user gets.
//!
//! - [`roundtrip`]: `examples/roundtrip.rs` decodes every example of the spec into its
//!   generated type, encodes it again and reports the ones that differ;
//! - [`contract`]: `examples/contract.rs` calls every JSON operation against a mock server
//!   (Prism) serving the spec;
//! - [`replay`]: `examples/replay.rs` replays recorded exchanges through the client.

pub(crate) mod contract;
pub(crate) mod replay;
pub(crate) mod roundtrip;
