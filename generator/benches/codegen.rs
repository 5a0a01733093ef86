//! Generation speed, stage by stage, against the parse floor (the same bytes parsed into a
//! `serde_yaml::Value`), in one run: `cargo bench -p generator`.
//!
//! Specs: the repository's seed and fixtures always; the full OpenRouter and Stripe specs
//! from `../shared/specs/` when that folder exists (a line says so when it does not).
//! Each figure is the median of several runs; only ratios measured in the same run are
//! meaningful on a noisy machine.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let started = Instant::now();
                std::hint::black_box(f());
                started.elapsed()
            })
            .collect(),
    )
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn bench(path: &Path, runs: usize) {
    let text = std::fs::read_to_string(path).expect("spec readable");
    let options = generator::Options {
        command: "cargo bench".into(),
        spec_name: path.display().to_string(),
        manifest: None,
    };
    let out = std::env::temp_dir().join(format!("codegen-bench-{}", std::process::id()));

    let floor = time(runs, || {
        serde_yaml::from_str::<serde_yaml::Value>(&text).expect("YAML")
    });
    let load = time(runs, || generator::load::load(&text).expect("loads"));
    let tree = generator::load::load(&text).expect("loads");
    let normalize = time(runs, || {
        generator::normalize::normalize(tree.clone(), &mut Vec::new()).expect("normalises")
    });
    let doc = generator::normalize::normalize(tree.clone(), &mut Vec::new()).expect("normalises");
    let ir = time(runs, || {
        generator::ir::build(&doc, &mut Vec::new()).expect("IR")
    });
    let api = generator::ir::build(&doc, &mut Vec::new()).expect("IR");
    let emit = time(runs, || {
        generator::emit::emit(&api, &options).expect("emits")
    });
    let end_to_end = time(runs, || {
        let generated = generator::generate(&text, &options).expect("generates");
        for file in &generated.files {
            let target = out.join(&file.path);
            std::fs::create_dir_all(target.parent().expect("a parent")).expect("dir");
            std::fs::write(target, &file.contents).expect("write");
        }
        generated.files.len()
    });
    let _ = std::fs::remove_dir_all(&out);
    println!(
        "{:<28} floor {:>9} | load {:>9} normalise {:>9} ir {:>9} emit+format {:>9} | end to end {:>9} = {:.1}x floor",
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        ms(floor),
        ms(load),
        ms(normalize),
        ms(ir),
        ms(emit),
        ms(end_to_end),
        end_to_end.as_secs_f64() / floor.as_secs_f64()
    );
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    bench(&root.join("openapi/openapi.yaml"), 21);
    bench(&root.join("fixtures/combinations.yaml"), 21);
    let shared = root.join("../shared/specs");
    let real: Vec<PathBuf> = ["openrouter.yaml", "stripe.yaml"]
        .iter()
        .map(|n| shared.join(n))
        .collect();
    for spec in real {
        if spec.exists() {
            bench(&spec, 5);
        } else {
            println!("{} is absent: skipped", spec.display());
        }
    }
}
