//! The `datafond` command: parses the command line and calls the library.

use clap::{Args, Parser, Subcommand};
use datafond::cli::{self, ReportFormat, ValidateArgs};
use datafond::commands;
use datafond::config::{Config, Overrides};
use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc, for Rust and (with its `override` feature) for RocksDB's C++ as well: views and
/// pushes allocate many small strings and terms from many threads, where it is markedly faster
/// than glibc's allocator, and one allocator for both sides is required: Oxigraph frees RocksDB's
/// error messages (allocated by C `strdup`) through the Rust allocator, which crashed the process
/// on any storage error (a store locked by another process, a full disk) while Rust used
/// mimalloc and C used glibc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "datafond",
    version,
    about = "Linked-data-first triplestore and IRI resolver for public-sector open data"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Settings every store command takes (they override `datafond.toml` and the environment).
#[derive(Args, Clone)]
struct Settings {
    /// The configuration file (default: ./datafond.toml when it exists).
    #[arg(long)]
    config: Option<PathBuf>,
    /// The local IRI space (config `base`, env DATAFOND_BASE).
    #[arg(long)]
    base: Option<String>,
    /// The data folder (config `data_dir`, env DATAFOND_DATA_DIR).
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the server (linked-data views, push API) on the configured store.
    Serve {
        #[command(flatten)]
        settings: Settings,
        /// Address to listen on (config `listen`, env DATAFOND_LISTEN).
        #[arg(long)]
        listen: Option<String>,
        /// Use an in-memory store that keeps nothing.
        #[arg(long)]
        sandbox: bool,
    },
    /// Validate files against a norm and publish them as the next version of a dataset.
    Push {
        #[command(flatten)]
        settings: Settings,
        /// The dataset id (e.g. `obce` or `registry/people`).
        dataset: String,
        /// Files to push (syntax by extension unless --format); they are merged.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The norm (default: the dataset's, else `generic`).
        #[arg(long)]
        norm: Option<String>,
        /// The syntax of every file: ttl, nt, nq, trig, rdf, jsonld, or a media type.
        #[arg(long)]
        format: Option<String>,
        /// The version's date (YYYY-MM-DD, not in the future, after the current version's): it
        /// names the version in its IRI instead of the sequence number.
        #[arg(long)]
        version_date: Option<String>,
    },
    /// List datasets: id, current version, triples, norm, IRI.
    Datasets {
        #[command(flatten)]
        settings: Settings,
    },
    /// List a dataset's versions: sequence, time, triples, changes, IRI.
    Versions {
        #[command(flatten)]
        settings: Settings,
        /// The dataset id.
        dataset: String,
    },
    /// Write a version of a dataset (default: the current one) to standard output.
    Export {
        #[command(flatten)]
        settings: Settings,
        /// The dataset id.
        dataset: String,
        /// The version's sequence number.
        #[arg(long)]
        version: Option<u64>,
        /// ttl, nt, jsonld or rdf.
        #[arg(long, default_value = "ttl")]
        format: String,
    },
    /// Compact the store for fast reads (after large pushes; the server must not be running).
    Optimize {
        #[command(flatten)]
        settings: Settings,
    },
    /// Write the whole store (every version and the version registry) as N-Quads to standard output.
    Dump {
        #[command(flatten)]
        settings: Settings,
    },
    /// Restore a dump into an empty data folder (files are rebuilt).
    Load {
        #[command(flatten)]
        settings: Settings,
        /// An N-Quads file written by `dump`.
        file: PathBuf,
    },
    /// Check the routing rules or export them as web-server configuration.
    Routes {
        #[command(subcommand)]
        action: RoutesAction,
    },
    /// Validate data files against SHACL shapes or a norm. Exit code: 0 conforms, 1 does not,
    /// 2 error. Stores nothing.
    Validate {
        /// A shapes file (any RDF syntax, by extension); repeat for several, they are merged.
        #[arg(long, required_unless_present = "norm", conflicts_with = "norm")]
        shapes: Vec<PathBuf>,
        /// Validate against the shapes of this norm (a folder of --norms-dir) instead.
        #[arg(long)]
        norm: Option<String>,
        /// Where norms live.
        #[arg(long, default_value = "ofn")]
        norms_dir: PathBuf,
        /// Where norms' shapes files live.
        #[arg(long, default_value = "shapes")]
        shapes_dir: PathBuf,
        /// Languages names must be given in, for norms that require some (comma-separated).
        #[arg(long, value_delimiter = ',', default_value = "cs")]
        required_languages: Vec<String>,
        /// A read-only reference graph (e.g. an authority table) seen by class and path lookups; repeatable.
        #[arg(long)]
        reference: Vec<PathBuf>,
        /// Report form.
        #[arg(long, value_enum, default_value = "text")]
        report: ReportFormat,
        /// At most this many results per shape in the text report.
        #[arg(long, default_value_t = 10)]
        max_per_shape: usize,
        /// Print the time of each stage (shapes, data, validation) to standard error.
        #[arg(long)]
        timings: bool,
        /// Data files (any RDF syntax, by extension); several are merged.
        #[arg(required = true)]
        data: Vec<PathBuf>,
    },
}

#[derive(Subcommand)]
enum RoutesAction {
    /// Load the rules, run every check and every rule's tests. Exit code: 0 when the rules
    /// would be used (warnings allowed), 1 when they would not.
    Check {
        #[command(flatten)]
        settings: Settings,
        /// The rules folder (config `routing_rules_dir`).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Write equivalent nginx or Apache configuration to standard output.
    Export {
        #[command(flatten)]
        settings: Settings,
        /// The rules folder (config `routing_rules_dir`).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// nginx: `map` + `return`.
        #[arg(long, conflicts_with = "apache", required_unless_present = "apache")]
        nginx: bool,
        /// Apache httpd: mod_rewrite.
        #[arg(long)]
        apache: bool,
    },
}

fn config(settings: &Settings, listen: Option<String>, sandbox: bool) -> Result<Config, String> {
    let overrides = Overrides {
        config: settings.config.clone(),
        base: settings.base.clone(),
        listen,
        data_dir: settings.data_dir.clone(),
        sandbox,
    };
    Config::load(&overrides, |var| std::env::var(var).ok())
        .map_err(|e| format!("configuration: {e}"))
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let command = Cli::parse().command;
    if let Command::Validate {
        shapes,
        norm,
        norms_dir,
        shapes_dir,
        required_languages,
        reference,
        report,
        max_per_shape,
        timings,
        data,
    } = command
    {
        let args = ValidateArgs {
            shapes,
            norm,
            norms_dir,
            shapes_dir,
            required_languages,
            data,
            reference,
            report,
            max_per_shape,
            timings,
        };
        return match cli::validate(&args, &mut std::io::stdout().lock()) {
            Ok(code) => ExitCode::from(code),
            Err(e) => {
                eprintln!("datafond validate: {e}");
                ExitCode::from(cli::exit::ERROR)
            }
        };
    }
    if let Command::Routes {
        action: RoutesAction::Check { settings, dir },
    } = &command
    {
        return match config(settings, None, false) {
            Ok(config) => {
                let dir = dir.clone().unwrap_or(config.routing_rules_dir);
                match cli::routes_check(&dir, &config.base, &mut std::io::stdout().lock()) {
                    Ok(code) => ExitCode::from(code),
                    Err(e) => {
                        eprintln!("datafond routes check: {e}");
                        ExitCode::from(2)
                    }
                }
            }
            Err(e) => {
                eprintln!("datafond: {e}");
                ExitCode::from(2)
            }
        };
    }
    match run(command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("datafond: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    let out = &mut std::io::stdout().lock();
    let text = |e: commands::CommandError| e.to_string();
    match command {
        Command::Serve {
            settings,
            listen,
            sandbox,
        } => {
            let config = config(&settings, listen, sandbox)?;
            datafond::serve::run_until_signal(config).map_err(|e| e.to_string())
        }
        Command::Push {
            settings,
            dataset,
            files,
            norm,
            format,
            version_date,
        } => {
            let config = config(&settings, None, false)?;
            let report = commands::push(
                &config,
                &dataset,
                &files,
                (norm.as_deref(), format.as_deref()),
                version_date.as_deref(),
            )
            .map_err(text)?;
            println!(
                "{}",
                serde_json::to_string_pretty(&report).expect("reports serialize")
            );
            Ok(())
        }
        Command::Datasets { settings } => {
            commands::datasets(&config(&settings, None, false)?, out).map_err(text)
        }
        Command::Versions { settings, dataset } => {
            commands::versions(&config(&settings, None, false)?, &dataset, out).map_err(text)
        }
        Command::Export {
            settings,
            dataset,
            version,
            format,
        } => commands::export(
            &config(&settings, None, false)?,
            &dataset,
            version,
            &format,
            out,
        )
        .map_err(text),
        Command::Optimize { settings } => {
            commands::optimize(&config(&settings, None, false)?).map_err(text)
        }
        Command::Dump { settings } => {
            commands::dump(&config(&settings, None, false)?, out).map_err(text)
        }
        Command::Load { settings, file } => {
            let count = commands::load(&config(&settings, None, false)?, &file).map_err(text)?;
            eprintln!("loaded {count} quads");
            Ok(())
        }
        Command::Routes {
            action:
                RoutesAction::Export {
                    settings,
                    dir,
                    nginx,
                    ..
                },
        } => {
            use datafond::resolve::{export, Routes};
            let config = config(&settings, None, false)?;
            let dir = dir.unwrap_or(config.routing_rules_dir);
            let (routes, _) = Routes::load(&dir, &config.base).map_err(|findings| {
                let lines: Vec<String> = findings.iter().map(ToString::to_string).collect();
                format!("routing rules:\n{}", lines.join("\n"))
            })?;
            let server = if nginx {
                export::Server::Nginx
            } else {
                export::Server::Apache
            };
            use std::io::Write;
            out.write_all(export::export(&routes, server).as_bytes())
                .map_err(|e| e.to_string())
        }
        Command::Validate { .. } | Command::Routes { .. } => unreachable!("handled in main"),
    }
}
