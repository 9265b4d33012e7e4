//! The command-line commands, as library functions the binary calls.

use crate::rdf_file::{read_each, read_graph, ReadError};
use crate::shacl::{Shapes, ShapesError, ValidationError};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::Graph;
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
    /// The validation itself failed.
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

/// What `datafond validate` needs.
#[derive(Debug, Clone)]
pub struct ValidateArgs {
    /// Shapes files (merged into one shapes graph).
    pub shapes: Vec<PathBuf>,
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

fn merged(paths: &[PathBuf]) -> Result<Graph, ReadError> {
    let mut graph = Graph::new();
    for p in paths {
        graph.extend(&read_graph(p)?);
    }
    Ok(graph)
}

/// Runs `datafond validate`, printing the report to `out`; returns the exit code.
pub fn validate(args: &ValidateArgs, out: &mut impl Write) -> Result<u8, ValidateError> {
    let start = Instant::now();
    let shapes_graph = merged(&args.shapes)?;
    let source = args
        .shapes
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let shapes = Shapes::from_graph(shapes_graph, &source)?;
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
