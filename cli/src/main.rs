//! `oagen`: generate typed Rust client crates from OpenAPI documents, keep them up to date,
//! and say what a spec change breaks. Install with `cargo install --path cli`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use oagen::codegen::{self, Target, Verbosity};
use oagen::config::{self, Config};

/// The pipeline allocates a token or a tree node at a time; mimalloc serves that faster than
/// the system allocator (see docs/performance-log.md, "Generation with `mimalloc`").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const EXIT_CODES: &str = "\
Exit codes:
  0  success (generated, up to date, no breaking change)
  1  stale generated code (check), a breaking change (diff --deny-breaking),
     or an error in a spec, an overlay or the config file
  2  wrong usage (unknown command or option, missing argument)";

#[derive(Parser)]
#[command(
    name = "oagen",
    version,
    about = "Generates typed, async Rust client crates from OpenAPI 3.0/3.1 documents",
    after_help = EXIT_CODES
)]
struct Cli {
    /// Print only errors and warnings.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
    /// Also print what each target reads, targets found up to date, and diagnostics of `diff`.
    #[arg(short, long, global = true)]
    verbose: bool,
    #[command(subcommand)]
    command: Commands,
}

#[derive(Subcommand)]
enum Commands {
    /// Generate a standalone client crate from one spec (only changed files are written).
    #[command(after_help = EXIT_CODES)]
    Generate(Generate),
    /// Regenerate every target of the config file (only changed files are written).
    #[command(after_help = EXIT_CODES)]
    Codegen(ConfigArgs),
    /// Check that every target of the config file is up to date (changes nothing)
    ///
    /// Stale files are named with the command to run, followed by a summary of what the
    /// spec change since git HEAD does to the generated API.
    #[command(after_help = EXIT_CODES)]
    Check(ConfigArgs),
    /// Report what a spec change breaks in the generated crate's API
    ///
    /// Each change of the generated API (methods, arguments, setters, fields, enum values,
    /// union variants, types) with its place in the spec, grouped by kind, breaking or not,
    /// then the semver bump it implies for the generated crate.
    #[command(after_help = EXIT_CODES)]
    Diff(Diff),
}

#[derive(Args)]
struct Generate {
    /// The OpenAPI document (YAML or JSON).
    #[arg(long, value_name = "FILE")]
    spec: String,
    /// The crate's directory (created if missing).
    #[arg(long, value_name = "DIR")]
    out: String,
    /// The package name (default: from the spec's file name, `petstore.yaml` → `petstore-client`).
    #[arg(long, value_name = "CRATE")]
    name: Option<String>,
    /// An OpenAPI Overlay 1.0 document applied to the spec before generating; repeat to apply
    /// several, in order.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<String>,
}

#[derive(Args)]
struct ConfigArgs {
    /// The config file (default: codegen.toml in the current directory or the nearest parent).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Args)]
struct Diff {
    /// The spec before the change.
    #[arg(value_name = "OLD_SPEC")]
    old: String,
    /// The spec after the change.
    #[arg(value_name = "NEW_SPEC")]
    new: String,
    /// Text for people, JSON for CI.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Exit with 1 when a change is breaking.
    #[arg(long)]
    deny_breaking: bool,
    /// An overlay applied to both specs before comparing; repeatable, applied in order.
    #[arg(long = "overlay", value_name = "FILE")]
    overlays: Vec<String>,
    /// The generated crate's current version, for the semver bump (generated crates start at
    /// 0.1.0).
    #[arg(long, value_name = "VERSION", default_value = oagen_generator::stages::CRATE_VERSION)]
    crate_version: String,
}

fn main() -> ExitCode {
    oagen::allocator::return_freed_memory_promptly();
    let cli = Cli::parse();
    let verbosity = if cli.quiet {
        Verbosity::Quiet
    } else if cli.verbose {
        Verbosity::Verbose
    } else {
        Verbosity::Normal
    };
    let result = match cli.command {
        Commands::Generate(args) => generate(args, verbosity),
        Commands::Codegen(args) => {
            load_config(args).and_then(|config| codegen::regenerate(config.targets, verbosity))
        }
        Commands::Check(args) => load_config(args)
            .and_then(|config| codegen::check(config.targets, &config.command, verbosity)),
        Commands::Diff(args) => diff(args, verbosity),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

fn generate(args: Generate, verbosity: Verbosity) -> Result<(), String> {
    let target = Target::standalone(
        "oagen generate",
        &args.spec,
        &args.out,
        args.name.as_deref(),
        &args.overlays,
    );
    codegen::regenerate(vec![target], verbosity)
}

fn load_config(args: ConfigArgs) -> Result<Config, String> {
    let path = match args.config {
        Some(path) => path,
        None => {
            let cwd = std::env::current_dir()
                .map_err(|e| format!("error: cannot read the current directory: {e}"))?;
            let found = config::find(&cwd).ok_or_else(|| {
                format!(
                    "error: no {} in {} or any parent directory; give its path with --config FILE",
                    config::FILE_NAME,
                    cwd.display()
                )
            })?;
            // Relative to the current directory when it is below, so messages stay short.
            match found.strip_prefix(&cwd) {
                Ok(relative) => relative.to_path_buf(),
                Err(_) => found,
            }
        }
    };
    Config::load(&path)
}

fn diff(args: Diff, verbosity: Verbosity) -> Result<(), String> {
    let read = |path: &str| {
        std::fs::read_to_string(path).map_err(|e| format!("error: cannot read {path}: {e}"))
    };
    let overlays = args
        .overlays
        .iter()
        .map(|o| Ok(oagen_generator::OverlayText::new(o, read(o)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let api = |path: &str| -> Result<oagen_generator::Api, String> {
        let (api, diagnostics) = oagen_generator::build_api(&read(path)?, &overlays)
            .map_err(|e| codegen::located(path, &e))?;
        if verbosity == Verbosity::Verbose {
            for d in &diagnostics {
                eprintln!("{}: {d}", d.document.as_deref().unwrap_or(path));
            }
        }
        Ok(api)
    };
    let (old, new) = (api(&args.old)?, api(&args.new)?);
    let report = oagen_generator::diff::compare(&args.old, &old, &args.new, &new);
    match args.format {
        Format::Text => print!("{}", report.to_text(&args.crate_version)),
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report.to_json(&args.crate_version))
                .map_err(|e| format!("error: {e}"))?
        ),
    }
    if args.deny_breaking && report.has_breaking() {
        return Err(format!(
            "error: {} breaking changes (--deny-breaking)",
            report.breaking().count()
        ));
    }
    Ok(())
}
