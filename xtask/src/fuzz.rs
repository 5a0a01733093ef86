//! `cargo xtask fuzz [SECONDS] [--target structural|raw]`: the libFuzzer targets of `fuzz/`
//! (cargo-fuzz layout, nightly only, outside the workspace). Installs cargo-fuzz when
//! missing, seeds the target's corpus from `openapi/openapi.yaml` and `fixtures/*.yaml`, runs
//! for SECONDS (default 60) with a one-second limit per input, and leaves libFuzzer's final
//! statistics (executions, crashes) on the terminal. Crashing inputs land in
//! `fuzz/artifacts/TARGET/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{run, usage, write_file};

/// The specs the targets start from, in the order `fuzz/build.rs` embeds them: the main spec,
/// then the fixtures by name.
fn seed_specs(root: &Path) -> Vec<PathBuf> {
    let mut specs = vec![root.join(crate::SPEC)];
    specs.extend(
        crate::fixture_names(root)
            .into_iter()
            .map(|name| root.join(crate::FIXTURES_DIR).join(format!("{name}.yaml"))),
    );
    specs
}

pub fn run_fuzz(args: &[String], root: &Path) -> Result<(), String> {
    let mut seconds: u64 = 60;
    let mut target = "structural".to_owned();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        match arg.as_str() {
            "--target" => target = iter.next().cloned().ok_or_else(usage)?,
            number => seconds = number.parse().map_err(|_| usage())?,
        }
    }
    if target != "structural" && target != "raw" {
        return Err(usage());
    }
    // Plain `cargo` through rustup (not `$CARGO`, a toolchain's own binary), so that
    // `+nightly` selects the toolchain.
    let installed = Command::new("cargo")
        .args(["+nightly", "fuzz", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        println!("installing cargo-fuzz: cargo install cargo-fuzz");
        run(Command::new("cargo").args(["install", "cargo-fuzz"]))?;
    }

    let fuzz_dir = root.join("fuzz");
    let corpus = fuzz_dir.join("corpus").join(&target);
    let specs = seed_specs(root);
    for (i, spec) in specs.iter().enumerate() {
        let name = spec
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if target == "raw" {
            let text = std::fs::read_to_string(spec)
                .map_err(|e| format!("error: cannot read {}: {e}", spec.display()))?;
            write_file(&corpus.join(format!("seed-{name}")), &text)?;
        } else {
            // The first byte picks the spec; then one seed per kind of edit.
            let index = u8::try_from(i).map_err(|_| "error: too many fixtures".to_owned())?;
            write_file(&corpus.join(format!("seed-{name}")), [index])?;
            for op in 0..8u8 {
                write_file(
                    &corpus.join(format!("seed-{name}-edit{op}")),
                    [index, op, 0, 7, 1, 3, 0, 200, 2, 9],
                )?;
            }
        }
    }

    run(Command::new("cargo")
        // Without AddressSanitizer: the generator is safe Rust, and the sanitizer slowed
        // each run several times over.
        .args(["+nightly", "fuzz", "run", "--sanitizer", "none", &target])
        .arg(&corpus)
        .args([
            "--",
            &format!("-max_total_time={seconds}"),
            "-timeout=1",
            "-max_len=512",
            // Inputs of any length from the start: longer inputs make more edits.
            "-len_control=0",
            "-print_final_stats=1",
        ])
        .current_dir(&fuzz_dir))
}
