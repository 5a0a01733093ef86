//! `cargo xtask corpus DIR`: proves the generator on real specs, and weighs it and its output.
//! Every spec in DIR is generated into a crate under `target/corpus/`, all of them members of
//! one scratch workspace (one lock file, one target directory: dependencies build once), then
//! each crate is linted with `cargo clippy -- -D warnings`, which also type-checks it.
//!
//! A table reports, per spec: operations, types, diagnostics, examples; the release
//! generator's wall time and peak memory (`cargo xtask codegen --spec --out`, built with
//! `--release` and run as a child process, its peak resident memory as the child reports it
//! from its own `VmHWM`); the lines
//! of generated Rust in `src/`, in total and per operation; and the time of `cargo check` of
//! the crate's library alone, with its dependencies already built and incremental compilation
//! off. The command fails if any spec fails to generate or to check.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Row {
    spec: String,
    crate_name: String,
    operations: usize,
    types: usize,
    warnings: usize,
    notes: usize,
    generate: Duration,
    /// Wall time and peak resident memory (kB) of the release generator on this spec.
    release: Option<(Duration, u64)>,
    /// Lines of Rust in the crate's `src/`.
    lines: usize,
    /// `cargo check` of the library, dependencies built, incremental off: the median of
    /// [`CHECK_RUNS`] runs.
    cargo_check: Option<Duration>,
    /// One small group of operations (the one holding `delete_file`, or the smallest), and
    /// `cargo check` of the library with only that feature on (a median too).
    small_feature: Option<String>,
    cargo_check_one: Option<Duration>,
    /// `cargo build --release` of the library (for OpenRouter), dependencies built.
    release_build: Option<Duration>,
    outcome: Outcome,
    check: Duration,
    /// Examples that round-tripped, all examples, and those contradicting their schema.
    examples: Option<(usize, usize, usize)>,
    example_count: usize,
    /// `FAIL pointer: reason` lines of the example check.
    example_failures: Vec<String>,
    /// The user programs kept for this spec in `fixtures/corpus-examples/STEM/`, and the
    /// ones that ran and passed.
    programs: Vec<String>,
    programs_passed: Vec<String>,
}

enum Outcome {
    GenerateFailed(String),
    Pending,
    Passed,
    CheckFailed(String),
}

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let [dir] = args else {
        return Err(crate::usage());
    };
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("error: cannot read {dir}: {e}"))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    if specs.is_empty() {
        return Err(format!("error: no .yaml, .yml or .json specs in {dir}"));
    }

    let corpus = root.join("target/corpus");
    let generator = release_generator(root)?;
    let mut rows = Vec::new();
    for spec in &specs {
        let mut row = generate(spec, &corpus, root)?;
        if !matches!(row.outcome, Outcome::GenerateFailed(_)) {
            row.release = Some(measure_release(&generator, spec, &corpus)?);
        }
        rows.push(row);
    }
    write_workspace(root, &corpus, &rows)?;
    let mut warmed = false;
    for row in rows
        .iter_mut()
        .filter(|r| matches!(r.outcome, Outcome::Pending))
    {
        let started = Instant::now();
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "clippy",
                "--quiet",
                "--all-targets",
                "--features",
                "roundtrip",
                "-p",
                &row.crate_name,
                "--",
                "-D",
                "warnings",
            ])
            .env("CARGO_TARGET_DIR", corpus.join("target"))
            .current_dir(&corpus)
            .output()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        row.check = started.elapsed();
        row.outcome = if output.status.success() {
            Outcome::Passed
        } else {
            Outcome::CheckFailed(String::from_utf8_lossy(&output.stderr).into_owned())
        };
        eprintln!("checked {} in {:.1} s", row.spec, row.check.as_secs_f64());
        if matches!(row.outcome, Outcome::Passed) {
            if !warmed {
                // The lint built the dependencies with the examples' (dev-dependency)
                // features; the library alone needs tokio with fewer: built once, untimed.
                time_check(row, &corpus, None)?;
                warmed = true;
            }
            // The two checks alternate, so that a slow phase of the machine weighs on both.
            let mut all = Vec::new();
            let mut one = Vec::new();
            for _ in 0..CHECK_RUNS {
                all.push(time_check(row, &corpus, None)?);
                if let Some(feature) = row.small_feature.as_deref() {
                    one.push(time_check(row, &corpus, Some(feature))?);
                }
            }
            row.cargo_check = median(&all);
            row.cargo_check_one = median(&one);
            if let Some(feature) = &row.small_feature {
                eprintln!(
                    "cargo check of {} with only `{feature}`: {}",
                    row.spec,
                    runs(&one)
                );
            }
            if row.spec.starts_with("openrouter") {
                row.release_build = Some(time_release_build(row, &corpus)?);
            }
            eprintln!("cargo check of {} alone: {}", row.spec, runs(&all));
            if row.example_count == 0 {
                // Nothing to check: spare building the crate for an empty program.
                row.examples = Some((0, 0, 0));
            } else {
                run_examples(row, &corpus)?;
            }
            run_programs(row, &corpus)?;
        }
    }

    for row in &rows {
        for failure in &row.example_failures {
            println!("{}: {failure}", row.spec);
        }
    }
    let (ok, all, spec_errors) = rows
        .iter()
        .filter_map(|r| r.examples)
        .fold((0, 0, 0), |(ok, all, se), (o, a, s)| {
            (ok + o, all + a, se + s)
        });
    print!("{}", table(&rows));
    for row in rows.iter().filter(|r| !r.programs.is_empty()) {
        println!(
            "\n{}: user programs (fixtures/corpus-examples/): {}/{} passed",
            row.spec,
            row.programs_passed.len(),
            row.programs.len()
        );
    }
    println!("\nexamples: {ok}/{all} ok; {spec_errors} contradict their own schema (listed as SPEC above)");
    let failures: Vec<&Row> = rows
        .iter()
        .filter(|r| !matches!(r.outcome, Outcome::Passed))
        .collect();
    for row in &failures {
        match &row.outcome {
            Outcome::GenerateFailed(e) => eprintln!("\n{}: generation failed: {e}", row.spec),
            Outcome::CheckFailed(e) => {
                let excerpt: String = e.lines().take(60).collect::<Vec<_>>().join("\n");
                eprintln!("\n{}: cargo clippy failed:\n{excerpt}", row.spec);
            }
            _ => {}
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "error: {} of {} specs failed",
            failures.len(),
            rows.len()
        ))
    }
}

/// Builds the generator in release mode once: the figures are those of the optimised binary.
pub(crate) fn release_generator(root: &Path) -> Result<PathBuf, String> {
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["build", "--quiet", "--release", "-p", "xtask"])
        .current_dir(root)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !status.success() {
        return Err("error: cannot build the release generator".to_owned());
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    Ok(target
        .join("release")
        .join(format!("xtask{}", std::env::consts::EXE_SUFFIX)))
}

/// Runs `xtask codegen --spec SPEC --out DIR` (release) as a child process: its wall time,
/// and its peak resident memory in kB, which the child reports from `/proc/self/status`
/// (`VmHWM`, the figure GNU `time -v` prints as its maximum resident set size).
fn measure_release(
    generator: &Path,
    spec: &Path,
    corpus: &Path,
) -> Result<(Duration, u64), String> {
    let out = corpus.join("release-run");
    let mut command = Command::new(generator);
    command
        .arg("codegen")
        .arg("--spec")
        .arg(spec)
        .arg("--out")
        .arg(&out)
        .env(crate::PEAK_MEMORY_ENV, "1");
    let started = Instant::now();
    let output = command
        .output()
        .map_err(|e| format!("error: cannot run {}: {e}", generator.display()))?;
    let elapsed = started.elapsed();
    let _ = std::fs::remove_dir_all(&out);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        return Err(format!(
            "error: the release generator failed on {}:\n{stderr}",
            spec.display()
        ));
    }
    let peak = crate::peak_memory(&stderr)
        .ok_or_else(|| format!("error: no peak memory reported for {}", spec.display()))?;
    Ok((elapsed, peak))
}

/// How many times each `cargo check` of the table runs; the table gives the median. One run
/// is not enough: on the 2-core machine the same check of the same code has taken 48 s and
/// 57 s a minute apart.
const CHECK_RUNS: usize = 3;

/// The median of `runs` (the upper one of an even count), `None` when there is none.
fn median(runs: &[Duration]) -> Option<Duration> {
    let mut sorted = runs.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied()
}

/// `"50.1 s (median of 57.0, 50.1, 48.2 s)"`.
fn runs(runs: &[Duration]) -> String {
    let each: Vec<String> = runs
        .iter()
        .map(|d| format!("{:.1}", d.as_secs_f64()))
        .collect();
    format!(
        "{:.1} s (median of {} s)",
        median(runs).unwrap_or_default().as_secs_f64(),
        each.join(", ")
    )
}

/// `cargo check` of the crate's library alone, incremental compilation off. Its dependencies
/// are already built: the clippy run before it builds them the same way (clippy wraps only the
/// workspace's own crates). The crate's root file is touched so that it is checked again.
/// `cargo check` of the crate's library, with all its features or only `feature`.
fn time_check(row: &Row, corpus: &Path, feature: Option<&str>) -> Result<Duration, String> {
    let lib = corpus.join(&row.crate_name).join("src/lib.rs");
    let text = std::fs::read(&lib).map_err(|e| format!("error: {}: {e}", lib.display()))?;
    std::fs::write(&lib, text).map_err(|e| format!("error: {}: {e}", lib.display()))?;
    let only = feature
        .map(|f| vec!["--no-default-features", "--features", f])
        .unwrap_or_default();
    let started = Instant::now();
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args(["check", "--quiet", "--lib", "-p", &row.crate_name])
        .args(only)
        .env("CARGO_TARGET_DIR", corpus.join("target"))
        .env("CARGO_INCREMENTAL", "0")
        .current_dir(corpus)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let elapsed = started.elapsed();
    if status.success() {
        Ok(elapsed)
    } else {
        Err(format!("error: cargo check of {} failed", row.crate_name))
    }
}

/// `cargo build --release` of the crate's library: its dependencies first (untimed), then
/// the crate alone.
fn time_release_build(row: &Row, corpus: &Path) -> Result<Duration, String> {
    let build = |timed: bool| -> Result<Duration, String> {
        if timed {
            let lib = corpus.join(&row.crate_name).join("src/lib.rs");
            let text = std::fs::read(&lib).map_err(|e| format!("error: {}: {e}", lib.display()))?;
            std::fs::write(&lib, text).map_err(|e| format!("error: {}: {e}", lib.display()))?;
        }
        let started = Instant::now();
        let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "build",
                "--release",
                "--quiet",
                "--lib",
                "-p",
                &row.crate_name,
            ])
            .env("CARGO_TARGET_DIR", corpus.join("target"))
            .env("CARGO_INCREMENTAL", "0")
            .current_dir(corpus)
            .status()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        if status.success() {
            Ok(started.elapsed())
        } else {
            Err(format!(
                "error: cargo build --release of {} failed",
                row.crate_name
            ))
        }
    };
    build(false)?;
    let elapsed = build(true)?;
    eprintln!(
        "cargo build --release of {} alone: {:.1} s",
        row.spec,
        elapsed.as_secs_f64()
    );
    Ok(elapsed)
}

/// Runs the crate's `examples/roundtrip.rs` and reads its report.
fn run_examples(row: &mut Row, corpus: &Path) -> Result<(), String> {
    let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
        .args([
            "run",
            "--quiet",
            "-p",
            &row.crate_name,
            "--example",
            "roundtrip",
            "--features",
            "roundtrip",
        ])
        .env("CARGO_TARGET_DIR", corpus.join("target"))
        .current_dir(corpus)
        .output()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    row.example_failures = stdout
        .lines()
        .filter(|l| l.starts_with("FAIL ") || l.starts_with("SPEC "))
        .map(str::to_owned)
        .collect();
    row.examples = stdout.lines().find_map(|line| {
        let counts = line
            .strip_prefix("examples: ")?
            .strip_suffix(" contradict their own schema")?;
        let (ratio, spec_errors) = counts.split_once(" ok, ")?;
        let (ok, all) = ratio.split_once('/')?;
        Some((
            ok.parse().ok()?,
            all.parse().ok()?,
            spec_errors.parse().ok()?,
        ))
    });
    if row.examples.is_none() {
        row.outcome = Outcome::CheckFailed(format!(
            "the example check did not report:\n{}{}",
            stdout,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(())
}

/// Builds and runs each user program kept for the spec (each starts its own server on
/// 127.0.0.1); one that fails makes the spec fail, with its output.
fn run_programs(row: &mut Row, corpus: &Path) -> Result<(), String> {
    for program in row.programs.clone() {
        let output = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args([
                "run",
                "--quiet",
                "-p",
                &row.crate_name,
                "--example",
                &program,
            ])
            .env("CARGO_TARGET_DIR", corpus.join("target"))
            .current_dir(corpus)
            .output()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        eprintln!("{} example {program}:\n{}", row.spec, stdout.trim_end());
        if output.status.success() {
            row.programs_passed.push(program);
        } else {
            row.outcome = Outcome::CheckFailed(format!(
                "the program examples/{program}.rs failed:\n{stdout}{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
    }
    Ok(())
}

/// Copies the user programs kept for a spec (`fixtures/corpus-examples/STEM/`, with their
/// modules) into the crate's `examples/`; the names of the programs.
fn copy_programs(root: &Path, stem: &str, dir: &Path) -> Result<Vec<String>, String> {
    let source = root.join("fixtures/corpus-examples").join(stem);
    let mut programs = Vec::new();
    let mut stack = vec![source.clone()];
    while let Some(folder) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for path in entries.flatten().map(|e| e.path()) {
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let relative = path.strip_prefix(&source).map_err(|e| e.to_string())?;
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("error: {}: {e}", path.display()))?;
            crate::write_file(&dir.join("examples").join(relative), text)?;
            if path.parent() == Some(source.as_path()) {
                if let Some(name) = path.file_stem() {
                    programs.push(name.to_string_lossy().into_owned());
                }
            }
        }
    }
    programs.sort();
    Ok(programs)
}

fn generate(spec: &Path, corpus: &Path, root: &Path) -> Result<Row, String> {
    let spec_name = spec.display().to_string();
    let crate_name = crate::crate_name_for(&spec_name);
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("error: cannot read {spec_name}: {e}"))?;
    let options = oagen_generator::Options::new()
        .command("cargo xtask corpus")
        .spec_name(
            spec.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        )
        .manifest(oagen_generator::Manifest::new(crate_name.clone()).example_check(true));
    let started = Instant::now();
    let result = oagen_generator::generate(&text, &options);
    let mut row = Row {
        spec: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        crate_name: crate_name.clone(),
        operations: 0,
        types: 0,
        warnings: 0,
        notes: 0,
        generate: Duration::ZERO,
        release: None,
        lines: 0,
        cargo_check: None,
        small_feature: None,
        cargo_check_one: None,
        release_build: None,
        outcome: Outcome::Pending,
        check: Duration::ZERO,
        examples: None,
        example_count: 0,
        example_failures: Vec::new(),
        programs: Vec::new(),
        programs_passed: Vec::new(),
    };
    match result {
        Err(e) => {
            row.generate = started.elapsed();
            row.outcome = Outcome::GenerateFailed(e.to_string());
        }
        Ok(generated) => {
            let dir = corpus.join(&crate_name);
            crate::write_scratch_crate(&dir, &generated.files)?;
            let stem = spec.file_stem().unwrap_or_default().to_string_lossy();
            row.programs = copy_programs(root, &stem, &dir)?;
            row.lines = generated
                .files
                .iter()
                .filter(|f| f.path.starts_with("src/") && f.path.ends_with(".rs"))
                .map(|f| f.contents.lines().count())
                .sum();
            row.generate = started.elapsed();
            row.operations = generated.operation_count;
            // The group holding `delete_file` (the seed's operation), or the smallest.
            let groups = generated.features.iter().filter(|(_, ops)| !ops.is_empty());
            row.small_feature = groups
                .clone()
                .find(|(_, ops)| ops.iter().any(|op| op == "delete_file"))
                .or_else(|| groups.min_by_key(|(_, ops)| ops.len()))
                .map(|(feature, _)| feature.clone());
            row.example_count = generated.example_count;
            row.types = generated.type_count;
            for d in &generated.diagnostics {
                match d.severity {
                    oagen_generator::Severity::Warning => row.warnings += 1,
                    oagen_generator::Severity::Note => row.notes += 1,
                }
            }
            let log: String = generated
                .diagnostics
                .iter()
                .map(|d| format!("{d}\n"))
                .collect();
            std::fs::write(dir.join("diagnostics.txt"), log).map_err(|e| format!("error: {e}"))?;
        }
    }
    Ok(row)
}

/// A workspace of the generated crates that reuses this repository's lock file.
fn write_workspace(root: &Path, corpus: &Path, rows: &[Row]) -> Result<(), String> {
    let members: Vec<String> = rows
        .iter()
        .filter(|r| matches!(r.outcome, Outcome::Pending))
        .map(|r| format!("{:?}", r.crate_name))
        .collect();
    let manifest = format!(
        "# Written by `cargo xtask corpus`.\n[workspace]\nresolver = \"2\"\nmembers = [{}]\n",
        members.join(", ")
    );
    crate::write_file(&corpus.join("Cargo.toml"), &manifest)?;
    crate::copy_lock_file(root, corpus)
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n| spec | operations | types | diagnostics (warn/note) | examples round-tripped | generate (release) | peak memory | lines | lines/op | cargo check (median of {CHECK_RUNS}) | check, one feature (median of {CHECK_RUNS}) | release build | clippy | result |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for r in rows {
        let result = match &r.outcome {
            Outcome::Passed => "ok",
            Outcome::Pending => "not checked",
            Outcome::GenerateFailed(_) => "GENERATION FAILED",
            Outcome::CheckFailed(_) => "CHECK FAILED",
        };
        let (generate, peak) = match r.release {
            Some((time, kb)) => (
                format!("{:.0} ms", time.as_secs_f64() * 1000.0),
                format!("{:.0} MB", kb as f64 / 1024.0),
            ),
            None => ("-".into(), "-".into()),
        };
        let per_op = if r.operations == 0 {
            "-".to_owned()
        } else {
            format!("{:.0}", r.lines as f64 / r.operations as f64)
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}/{} | {} | {} | {} | {} | {} | {} | {} | {} | {:.1} s | {} |",
            r.spec,
            r.operations,
            r.types,
            r.warnings,
            r.notes,
            r.examples
                .map(|(ok, all, spec)| format!("{ok}/{all} ({spec} spec errors)"))
                .unwrap_or_else(|| "-".into()),
            generate,
            peak,
            r.lines,
            per_op,
            r.cargo_check
                .map(|d| format!("{:.1} s", d.as_secs_f64()))
                .unwrap_or_else(|| "-".into()),
            match (&r.small_feature, r.cargo_check_one) {
                (Some(feature), Some(d)) => format!("{:.1} s (`{feature}`)", d.as_secs_f64()),
                _ => "-".into(),
            },
            r.release_build
                .map(|d| format!("{:.1} s", d.as_secs_f64()))
                .unwrap_or_else(|| "-".into()),
            r.check.as_secs_f64(),
            result
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{median, runs};

    #[test]
    fn a_check_is_reported_as_the_median_of_its_runs() {
        let s = Duration::from_secs_f64;
        assert_eq!(median(&[s(57.0), s(48.2), s(50.1)]), Some(s(50.1)));
        assert_eq!(median(&[s(2.0), s(1.0)]), Some(s(2.0)));
        assert_eq!(median(&[]), None);
        assert_eq!(
            runs(&[s(57.0), s(48.2), s(50.1)]),
            "50.1 s (median of 57.0, 48.2, 50.1 s)"
        );
    }
}
