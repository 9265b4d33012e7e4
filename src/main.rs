//! The `datafond` command: parses the command line and calls the library.

use clap::{Parser, Subcommand};
use datafond::cli::{self, ReportFormat, ValidateArgs};
use std::path::PathBuf;
use std::process::ExitCode;

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

#[derive(Subcommand)]
enum Command {
    /// Run the server (arrives with the spine issue).
    Serve,
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

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Serve => {
            eprintln!(
                "datafond serve: the server is not built yet; it arrives with the spine issue \
                 (#3). Until then `datafond validate` is the working command (datafond --help)."
            );
            ExitCode::SUCCESS
        }
        Command::Validate {
            shapes,
            norm,
            norms_dir,
            shapes_dir,
            reference,
            report,
            max_per_shape,
            timings,
            data,
        } => {
            let args = ValidateArgs {
                shapes,
                norm,
                norms_dir,
                shapes_dir,
                data,
                reference,
                report,
                max_per_shape,
                timings,
            };
            match cli::validate(&args, &mut std::io::stdout().lock()) {
                Ok(code) => ExitCode::from(code),
                Err(e) => {
                    eprintln!("datafond validate: {e}");
                    ExitCode::from(cli::exit::ERROR)
                }
            }
        }
    }
}
