//! Generates the client of `fixtures/streaming.yaml` into `$OUT_DIR/client.rs` at build time.

fn main() {
    if let Err(e) = oagen_generator::build::generate_into_out_dir("../../fixtures/streaming.yaml") {
        panic!("cannot generate the client: {e}");
    }
}
