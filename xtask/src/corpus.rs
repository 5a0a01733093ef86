//! `cargo xtask corpus DIR`: proves the generator on real specs. Every spec in DIR is
//! generated into a crate under `target/corpus/`, all of them members of one scratch workspace
//! (one lock file, one target directory: dependencies build once), then each crate is linted
//! with `cargo clippy -- -D warnings`, which also type-checks it. A table reports, per spec,
//! operations, types, diagnostics, generation time and the check's result and time. The command
//! fails if any spec fails to generate or to check.

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
    lines: usize,
    outcome: Outcome,
    check: Duration,
    /// Examples that round-tripped, all examples, and those contradicting their schema.
    examples: Option<(usize, usize, usize)>,
    example_count: usize,
    /// `FAIL pointer: reason` lines of the example check.
    example_failures: Vec<String>,
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
    let mut rows = Vec::new();
    for spec in &specs {
        rows.push(generate(spec, &corpus)?);
    }
    write_workspace(&corpus, &rows)?;
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
            if row.example_count == 0 {
                // Nothing to check: spare building the crate for an empty program.
                row.examples = Some((0, 0, 0));
            } else {
                run_examples(row, &corpus)?;
            }
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

fn generate(spec: &Path, corpus: &Path) -> Result<Row, String> {
    let spec_name = spec.display().to_string();
    let crate_name = crate::crate_name_for(&spec_name);
    let text = std::fs::read_to_string(spec)
        .map_err(|e| format!("error: cannot read {spec_name}: {e}"))?;
    let options = generator::Options {
        command: "cargo xtask corpus".to_owned(),
        spec_name: spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        manifest: Some(generator::Manifest {
            name: crate_name.clone(),
            standalone: false,
            example_check: true,
        }),
    };
    let started = Instant::now();
    let result = generator::generate(&text, &options);
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
        lines: 0,
        outcome: Outcome::Pending,
        check: Duration::ZERO,
        examples: None,
        example_count: 0,
        example_failures: Vec::new(),
    };
    match result {
        Err(e) => {
            row.generate = started.elapsed();
            row.outcome = Outcome::GenerateFailed(e.to_string());
        }
        Ok(generated) => {
            let dir = corpus.join(&crate_name);
            crate::write_scratch_crate(&dir, &generated.files)?;
            row.lines = generated
                .files
                .iter()
                .filter(|f| f.path.ends_with(".rs"))
                .map(|f| f.contents.lines().count())
                .sum();
            row.generate = started.elapsed();
            row.operations = generated.operation_count;
            row.example_count = generated.example_count;
            row.types = generated.type_count;
            for d in &generated.diagnostics {
                match d.severity {
                    generator::Severity::Warning => row.warnings += 1,
                    generator::Severity::Note => row.notes += 1,
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
fn write_workspace(corpus: &Path, rows: &[Row]) -> Result<(), String> {
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
    crate::copy_lock_file(corpus)
}

fn table(rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n| spec | operations | types | diagnostics (warn/note) | examples round-tripped | lines | generate | check | result |\n|---|---:|---:|---:|---:|---:|---:|---:|---|"
    );
    for r in rows {
        let result = match &r.outcome {
            Outcome::Passed => "ok",
            Outcome::Pending => "not checked",
            Outcome::GenerateFailed(_) => "GENERATION FAILED",
            Outcome::CheckFailed(_) => "CHECK FAILED",
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {}/{} | {} | {} | {:.0} ms | {:.1} s | {} |",
            r.spec,
            r.operations,
            r.types,
            r.warnings,
            r.notes,
            r.examples
                .map(|(ok, all, spec)| format!("{ok}/{all} ({spec} spec errors)"))
                .unwrap_or_else(|| "-".into()),
            r.lines,
            r.generate.as_secs_f64() * 1000.0,
            r.check.as_secs_f64(),
            result
        );
    }
    out
}
