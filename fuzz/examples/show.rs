//! Prints the spec a `structural` fuzz input describes, and how long generating it takes:
//! `cargo +nightly run --release --example show -- artifacts/structural/crash-...`, to turn
//! a crashing input into a regression test.

fn main() {
    let path = std::env::args().nth(1).expect("usage: show INPUT");
    let data = std::fs::read(&path).expect("readable input");
    let start = std::time::Instant::now();
    let Some(text) = generator_fuzz::mutate(&data) else {
        eprintln!("empty input");
        return;
    };
    eprintln!("the edits took {:?}", start.elapsed());
    println!("{text}");
    let start = std::time::Instant::now();
    let result = oagen_generator::generate(&text, &generator_fuzz::options());
    eprintln!(
        "{:?} after {:?}",
        result.map(|g| g.files.len()),
        start.elapsed()
    );
}
