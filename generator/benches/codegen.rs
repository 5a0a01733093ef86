//! Generation speed, stage by stage, against the parse floor (the same bytes parsed into a
//! `serde_yaml::Value`), in one run: `cargo bench -p oagen-generator`.
//!
//! Specs: the streaming fixture (OpenRouter's constructs in miniature) and the seed spec
//! always; the full OpenRouter and Stripe specs from `../shared/specs/` when that folder
//! exists (a line says so when it does not).
//!
//! Each stage is timed alone, its input prepared outside the clock: load (text to JSON tree),
//! normalise (tree to `openapiv3`; a large spec's parts on two threads), IR, emit (items laid
//! out as text, the others as tokens; one thread), format (`syn` parse and `prettyplease` of
//! those tokens, one thread). End to end is `oagen_generator::generate`, which builds and formats
//! large files in runs on all cores. Rounds interleave the stages, so a burst of load on a
//! shared machine hits them alike; each figure is the median over the rounds, and only
//! ratios measured in the same run are meaningful.

use std::path::Path;
use std::time::{Duration, Instant};

/// The allocator of the programs that generate (`cargo xtask codegen`, `oagen`), so the
/// stages are timed as they run there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Times `f` once; `input` is prepared before the clock starts and dropped after it stops.
fn once<I, T>(samples: &mut Vec<Duration>, input: I, f: impl FnOnce(I) -> T) {
    let started = Instant::now();
    let out = std::hint::black_box(f(input));
    samples.push(started.elapsed());
    drop(out);
}

fn bench(path: &Path, rounds: usize) {
    let text = std::fs::read_to_string(path).expect("spec readable");
    let options = oagen_generator::Options::new()
        .command("cargo bench")
        .spec_name(path.display().to_string());
    let tree = oagen_generator::stages::load(&text).expect("loads");
    let doc =
        oagen_generator::stages::normalize(tree.clone(), &mut Vec::new()).expect("normalises");
    let api = oagen_generator::stages::ir(doc.clone(), &mut Vec::new()).expect("IR");
    // The parallel path writes the bytes of the sequential one.
    let sequential =
        oagen_generator::stages::format(oagen_generator::stages::tokens(&api, &options), &options)
            .expect("formats");
    let generated = oagen_generator::generate(&text, &options).expect("generates");
    assert!(
        generated.files == sequential,
        "parallel and sequential output differ"
    );
    let lines: usize = generated
        .files
        .iter()
        .map(|f| f.contents.lines().count())
        .sum();

    let names = [
        "floor",
        "load",
        "normalise",
        "ir",
        "emit",
        "format",
        "end to end",
    ];
    let mut samples: Vec<Vec<Duration>> = vec![Vec::new(); names.len()];
    for _ in 0..rounds {
        once(&mut samples[0], &text, |t| {
            serde_yaml::from_str::<serde_yaml::Value>(t).expect("YAML")
        });
        once(&mut samples[1], &text, |t| {
            oagen_generator::stages::load(t).expect("loads")
        });
        once(&mut samples[2], tree.clone(), |t| {
            oagen_generator::stages::normalize(t, &mut Vec::new()).expect("normalises")
        });
        once(&mut samples[3], doc.clone(), |d| {
            oagen_generator::stages::ir(d, &mut Vec::new()).expect("IR")
        });
        once(&mut samples[4], &api, |a| {
            oagen_generator::stages::tokens(a, &options)
        });
        once(
            &mut samples[5],
            oagen_generator::stages::tokens(&api, &options),
            |t| oagen_generator::stages::format(t, &options).expect("formats"),
        );
        once(&mut samples[6], &text, |t| {
            oagen_generator::generate(t, &options).expect("generates")
        });
    }
    let medians: Vec<Duration> = samples.into_iter().map(median).collect();
    let [floor, load, normalise, ir, emit, format, end_to_end] = medians[..] else {
        unreachable!("one median per stage")
    };
    println!(
        "{:<17} {:>6} lines | floor {:>8} | load {:>8} normalise {:>8} ir {:>8} emit {:>8} format {:>8} | end to end {:>8} = {:.2}x floor",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        lines,
        ms(floor),
        ms(load),
        ms(normalise),
        ms(ir),
        ms(emit),
        ms(format),
        ms(end_to_end),
        end_to_end.as_secs_f64() / floor.as_secs_f64()
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    println!(
        "medians; stages on one thread, end to end on up to {} threads (when a file is cut into runs)",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    );
    bench(&root.join("fixtures/streaming.yaml"), 41);
    bench(&root.join("openapi/openapi.yaml"), 41);
    let shared = root.join("../shared/specs");
    for (name, rounds) in [("openrouter.yaml", 15), ("stripe.yaml", 9)] {
        let spec = shared.join(name);
        if spec.exists() {
            bench(&spec, rounds);
        } else {
            println!("{} is absent: skipped", spec.display());
        }
    }
}
