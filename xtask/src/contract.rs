//! `cargo xtask contract SPEC [--dynamic] [--rounds N]`: the generated client against Prism
//! serving the same spec. The spec is generated into `target/contract/` with its
//! `examples/contract.rs`, which calls every operation with a JSON success response once, with
//! arguments from the spec's examples; Prism validates each request and answers with the spec's
//! example, which must decode. Prints each operation's result and `operations passing: N/M`.
//!
//! With `--dynamic`, Prism answers with random data valid against each response's schema
//! (`prism mock -d`), and the program runs `--rounds N` times (default 1) against it: every
//! operation must decode in every round. Failures are sorted by whose they are: a body that
//! does not decode is the client's; any other failure (a status Prism answers instead of a
//! success, say) means Prism cannot serve the operation, and is listed with its reason.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Prism, killed when dropped.
struct Prism(Child);

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

const USAGE: &str = "usage: cargo xtask contract SPEC [--dynamic] [--rounds N]";

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let mut spec = None;
    let mut dynamic = false;
    let mut rounds = 1usize;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--dynamic" => dynamic = true,
            "--rounds" => {
                rounds = rest
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .ok_or(USAGE)?
            }
            _ if spec.is_none() && !arg.starts_with("--") => spec = Some(arg),
            _ => return Err(USAGE.to_owned()),
        }
    }
    let spec = spec.ok_or(USAGE)?;
    let spec_path = std::fs::canonicalize(spec).map_err(|e| format!("error: {spec}: {e}"))?;
    let text = std::fs::read_to_string(&spec_path).map_err(|e| format!("error: {spec}: {e}"))?;
    let name = crate::crate_name_for(spec);
    // Headers name the spec by its file name, never by an absolute path.
    let spec_name = spec_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = oagen_generator::Options::new()
        .command(format!("cargo xtask contract {spec_name}"))
        .spec_name(spec_name)
        .manifest(
            oagen_generator::Manifest::new(name.clone())
                .standalone(true)
                .example_check(true),
        );
    let generated =
        oagen_generator::generate(&text, &options).map_err(|e| format!("error: {spec}: {e}"))?;
    let dir = root.join("target/contract").join(&name);
    crate::write_scratch_crate(&dir, &generated.files)?;
    crate::copy_lock_file(root, &dir)?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let target_dir = root.join("target/corpus/target");
    eprintln!("building {name} and its contract program");
    let built = Command::new(&cargo)
        .args([
            "build",
            "--quiet",
            "--example",
            "contract",
            "--features",
            "roundtrip",
        ])
        .env("CARGO_TARGET_DIR", &target_dir)
        .current_dir(&dir)
        .status()
        .map_err(|e| format!("error: cannot run cargo: {e}"))?;
    if !built.success() {
        return Err(format!("error: building {name} failed"));
    }

    let prism_bin = root.join("node_modules/.bin/prism");
    if !prism_bin.exists() {
        return Err(
            "error: Prism is not installed: run `npm ci` (or `cargo xtask test`)".to_owned(),
        );
    }
    let mut prism_command = Command::new(&prism_bin);
    prism_command.arg("mock").arg(&spec_path);
    if dynamic {
        prism_command.arg("--dynamic");
    }
    let mut child = prism_command
        .args(["-h", "127.0.0.1", "-p", "0"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("error: cannot start Prism: {e}"))?;
    let stdout = child.stdout.take().ok_or("error: no Prism output")?;
    let prism = Prism(child);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // Keep draining: Prism logs every request.
        let mut listening = false;
        let mut fatal = Vec::new();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("Prism is listening on ").nth(1) {
                listening = true;
                let _ = tx.send(Ok(rest.trim().to_owned()));
            } else if !listening && (line.contains("fatal") || !fatal.is_empty()) {
                fatal.push(line.trim().to_owned());
            }
        }
        if !listening {
            // Prism gave up on the spec: say why.
            let _ = tx.send(Err(fatal.into_iter().take(3).collect::<Vec<_>>().join(" ")));
        }
    });
    let base_url = match rx.recv_timeout(Duration::from_secs(120)) {
        Ok(Ok(url)) => url,
        Ok(Err(why)) => return Err(format!("error: Prism cannot serve {spec}: {why}")),
        Err(_) => return Err("error: Prism did not start listening within 120 s".to_owned()),
    };
    let run_once = || -> Result<String, String> {
        let output = Command::new(&cargo)
            .args([
                "run",
                "--quiet",
                "--example",
                "contract",
                "--features",
                "roundtrip",
                "--",
                &base_url,
            ])
            .env("CARGO_TARGET_DIR", &target_dir)
            .current_dir(&dir)
            .output()
            .map_err(|e| format!("error: cannot run cargo: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
        if !stdout
            .lines()
            .any(|l| l.starts_with("operations passing: "))
        {
            return Err(format!(
                "error: the contract program did not report:\n{}",
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(stdout)
    };
    if !dynamic && rounds == 1 {
        let stdout = run_once()?;
        drop(prism);
        print!("{stdout}");
        let summary = summary_of(&stdout);
        return if stdout.lines().any(|l| l.starts_with("FAIL ")) {
            Err(format!("error: {summary}"))
        } else {
            Ok(())
        };
    }
    let mut report = Rounds::default();
    for round in 1..=rounds {
        let stdout = run_once()?;
        report.add(round, &stdout);
    }
    drop(prism);
    report.print(if dynamic {
        "random responses (prism mock -d)"
    } else {
        "the spec's examples"
    })
}

fn summary_of(stdout: &str) -> &str {
    stdout
        .lines()
        .find(|l| l.starts_with("operations passing: "))
        .unwrap_or("")
}

/// What each operation did in each round.
#[derive(Default)]
struct Rounds {
    rounds: usize,
    /// `operations passing: N/M` per round.
    summaries: Vec<String>,
    /// By operation: (round, reason) of each failure whose body did not decode.
    decode: BTreeMap<String, Vec<(usize, String)>>,
    /// By operation: (round, reason) of each other failure: Prism did not serve it.
    unserved: BTreeMap<String, Vec<(usize, String)>>,
    /// Operations the program makes no call for, with the reason.
    skipped: BTreeMap<String, String>,
}

impl Rounds {
    fn add(&mut self, round: usize, stdout: &str) {
        self.rounds = round;
        self.summaries.push(summary_of(stdout).to_owned());
        for line in stdout.lines() {
            if let Some(rest) = line.strip_prefix("FAIL ") {
                let (operation, reason) = rest.split_once(": ").unwrap_or((rest, ""));
                // The client's own failure: a success response that came but did not decode.
                // Any other (an error status, even one whose body does not decode: Prism's
                // own problem report) means Prism did not serve the operation.
                let list = if reason.starts_with("cannot decode the 2") {
                    &mut self.decode
                } else {
                    &mut self.unserved
                };
                list.entry(operation.to_owned())
                    .or_default()
                    .push((round, reason.to_owned()));
            } else if let Some(rest) = line.strip_prefix("SKIP ") {
                let (operation, reason) = rest.split_once(": ").unwrap_or((rest, ""));
                self.skipped.insert(operation.to_owned(), reason.to_owned());
            }
        }
    }

    fn print(&self, answers: &str) -> Result<(), String> {
        println!("{} rounds against {answers}:", self.rounds);
        for (i, summary) in self.summaries.iter().enumerate() {
            println!("round {}: {summary}", i + 1);
        }
        let show = |title: &str, list: &BTreeMap<String, Vec<(usize, String)>>| {
            if list.is_empty() {
                return;
            }
            println!("{title}:");
            for (operation, failures) in list {
                let rounds: Vec<String> = failures.iter().map(|(r, _)| r.to_string()).collect();
                println!(
                    "  {operation} (round {} of {}): {}",
                    rounds.join(", "),
                    self.rounds,
                    failures[0].1
                );
            }
        };
        show("FAIL: responses that do not decode", &self.decode);
        show("Prism cannot serve", &self.unserved);
        if !self.skipped.is_empty() {
            println!("not called:");
            for (operation, reason) in &self.skipped {
                println!("  {operation}: {reason}");
            }
        }
        if self.decode.is_empty() {
            println!(
                "every response Prism served decoded, in each of {} rounds",
                self.rounds
            );
            Ok(())
        } else {
            Err(format!(
                "error: {} operations had responses that do not decode",
                self.decode.len()
            ))
        }
    }
}
