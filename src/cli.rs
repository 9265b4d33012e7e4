//! The command-line commands, as library functions the binary calls.

use crate::norm::{NormError, Norms};
use crate::rdf_file::{read_each, read_graphs, ReadError};
use crate::shacl::{Shapes, ShapesError, ValidationError};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

/// How `datafond validate` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Readable text grouped by shape.
    Text,
    /// The W3C validation report graph in Turtle.
    Turtle,
    /// The W3C validation report graph in JSON-LD.
    Jsonld,
}

/// Exit codes of `datafond validate`.
pub mod exit {
    /// The data conforms.
    pub const CONFORMS: u8 = 0;
    /// The data does not conform.
    pub const DOES_NOT_CONFORM: u8 = 1;
    /// Unreadable input, bad shapes or a failed SPARQL constraint.
    pub const ERROR: u8 = 2;
}

/// Everything that stops a validation before it has an answer.
#[derive(Debug, thiserror::Error)]
pub enum ValidateError {
    /// A file could not be read or parsed.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// The shapes graph was refused.
    #[error("invalid shapes:\n{0}")]
    Shapes(#[from] ShapesError),
    /// A norm could not be loaded.
    #[error(transparent)]
    Norm(#[from] NormError),
    /// No norm has the given id.
    #[error("no norm \"{id}\" (norms: {known})")]
    UnknownNorm {
        /// The id asked for.
        id: String,
        /// The ids there are.
        known: String,
    },
    /// The validation itself failed.
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

/// What `datafond validate` needs.
#[derive(Debug, Clone)]
pub struct ValidateArgs {
    /// Shapes files (merged into one shapes graph).
    pub shapes: Vec<PathBuf>,
    /// Validate against this norm's shapes instead (or as well).
    pub norm: Option<String>,
    /// Where norms live (`ofn/`).
    pub norms_dir: PathBuf,
    /// Where norms' shapes files live (`shapes/`).
    pub shapes_dir: PathBuf,
    /// Data files (merged into one data graph).
    pub data: Vec<PathBuf>,
    /// Read-only reference graphs visible to lookups but not targeted.
    pub reference: Vec<PathBuf>,
    /// Output form.
    pub report: ReportFormat,
    /// At most this many results per shape in the text report.
    pub max_per_shape: usize,
    /// Print the time of each stage to standard error.
    pub timings: bool,
}

/// Runs `datafond validate`, printing the report to `out`; returns the exit code.
pub fn validate(args: &ValidateArgs, out: &mut impl Write) -> Result<u8, ValidateError> {
    let start = Instant::now();
    let norms;
    let from_files;
    let shapes = match &args.norm {
        Some(id) => {
            norms = Norms::load(&args.norms_dir, &args.shapes_dir)?;
            let norm = norms.get(id).ok_or_else(|| ValidateError::UnknownNorm {
                id: id.clone(),
                known: norms.ids().join(", "),
            })?;
            &norm.shapes
        }
        None => {
            let source = args
                .shapes
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            from_files = Shapes::from_graph(read_graphs(&args.shapes)?, &source)?;
            &from_files
        }
    };
    let compiled = Instant::now();
    // Triples go straight from the parser into the validator's index.
    let mut builder = shapes.data_graph_builder();
    for p in &args.data {
        read_each(p, |t| builder.add_data(t))?;
    }
    for p in &args.reference {
        read_each(p, |t| builder.add_reference(t))?;
    }
    let data = builder.build();
    let loaded = Instant::now();
    let report = shapes.validate_indexed(&data)?;
    if args.timings {
        eprintln!(
            "timings: shapes {:.3} s, data {:.3} s ({} triples), validation {:.3} s, {} result(s)",
            (compiled - start).as_secs_f64(),
            (loaded - compiled).as_secs_f64(),
            data.len(),
            loaded.elapsed().as_secs_f64(),
            report.results.len()
        );
    }
    let bytes = match args.report {
        ReportFormat::Text => report.to_text(args.max_per_shape).into_bytes(),
        ReportFormat::Turtle => report.serialize(RdfFormat::Turtle),
        ReportFormat::Jsonld => report.serialize(RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        }),
    };
    // A closed pipe (e.g. `| head`) is not a validation error.
    let _ = out.write_all(&bytes);
    Ok(if report.conforms() {
        exit::CONFORMS
    } else {
        exit::DOES_NOT_CONFORM
    })
}
