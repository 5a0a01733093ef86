//! `cargo xtask contract SPEC`: the generated client against Prism serving the same spec.
//! The spec is generated into `target/contract/` with its `examples/contract.rs`, which calls
//! every operation with a JSON success response once, with arguments from the spec's
//! examples; Prism validates each request and answers with the spec's example, which must
//! decode. Prints each operation's result and `operations passing: N/M`.

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

pub fn run(args: &[String], root: &Path) -> Result<(), String> {
    let [spec] = args else {
        return Err(crate::usage());
    };
    let spec_path = std::fs::canonicalize(spec).map_err(|e| format!("error: {spec}: {e}"))?;
    let text = std::fs::read_to_string(&spec_path).map_err(|e| format!("error: {spec}: {e}"))?;
    let name = crate::crate_name_for(spec);
    // Headers name the spec by its file name, never by an absolute path.
    let spec_name = spec_path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = generator::Options {
        command: format!("cargo xtask contract {spec_name}"),
        spec_name,
        cargo_features: true,
        manifest: Some(generator::Manifest {
            name: name.clone(),
            standalone: true,
            example_check: true,
        }),
    };
    let generated =
        generator::generate(&text, &options).map_err(|e| format!("error: {spec}: {e}"))?;
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
    let mut child = Command::new(&prism_bin)
        .arg("mock")
        .arg(&spec_path)
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
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("Prism is listening on ").nth(1) {
                let _ = tx.send(rest.trim().to_owned());
            }
        }
    });
    let base_url = rx
        .recv_timeout(Duration::from_secs(120))
        .map_err(|_| "error: Prism did not start listening within 120 s".to_owned())?;
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
    drop(prism);
    let stdout = String::from_utf8_lossy(&output.stdout);
    print!("{stdout}");
    let summary = stdout
        .lines()
        .find(|l| l.starts_with("operations passing: "))
        .ok_or_else(|| {
            format!(
                "error: the contract program did not report:\n{}",
                String::from_utf8_lossy(&output.stderr)
            )
        })?;
    if stdout.lines().any(|l| l.starts_with("FAIL ")) {
        Err(format!("error: {summary}"))
    } else {
        Ok(())
    }
}
