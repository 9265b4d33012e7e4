//! The command-line commands, as library functions the binary calls.

use crate::ingest::{Ingest, Limits, Rejection};
use crate::norm::{NormError, Norms};
use crate::rdf_file::{read_each, read_graphs, RdfFile, ReadError};
use crate::shacl::{Shapes, ShapesError, ValidationError, ValidationReport};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

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
    /// A push stage refused the data.
    #[error(transparent)]
    Rejected(#[from] Rejection),
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
    /// Languages names must be given in, for norms that require some.
    pub required_languages: Vec<String>,
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

/// What a validation found, and how long each stage took.
struct Outcome {
    report: ValidationReport,
    triples: usize,
    /// Loading the shapes (or the norm), reading the data, validating.
    stages: [Duration; 3],
}

/// Runs `datafond validate`, printing the report to `out`; returns the exit code.
pub fn validate(args: &ValidateArgs, out: &mut impl Write) -> Result<u8, ValidateError> {
    let outcome = match &args.norm {
        Some(id) => validate_with_norm(args, id)?,
        None => validate_with_shapes(args)?,
    };
    let report = outcome.report;
    if args.timings {
        let [shapes, data, validation] = outcome.stages.map(|d| d.as_secs_f64());
        eprintln!(
            "timings: shapes {shapes:.3} s, data {data:.3} s ({} triples), validation {validation:.3} s, {} result(s)",
            outcome.triples,
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

/// Validates against shapes files; triples go straight from the parser into the index.
fn validate_with_shapes(args: &ValidateArgs) -> Result<Outcome, ValidateError> {
    let start = Instant::now();
    let source = args
        .shapes
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let shapes = Shapes::from_graph(read_graphs(&args.shapes)?, &source)?;
    let compiled = Instant::now();
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
    Ok(Outcome {
        report,
        triples: data.len(),
        stages: [compiled - start, loaded - compiled, loaded.elapsed()],
    })
}

/// Validates against a norm, through the same stages a push runs (limits, media types, bundled
/// JSON-LD contexts), storing nothing.
fn validate_with_norm(args: &ValidateArgs, id: &str) -> Result<Outcome, ValidateError> {
    let start = Instant::now();
    let norms = Norms::load(&args.norms_dir, &args.shapes_dir, &args.required_languages)?;
    let norm = norms.get(id).ok_or_else(|| ValidateError::UnknownNorm {
        id: id.to_owned(),
        known: norms.ids().join(", "),
    })?;
    let loaded_norm = Instant::now();
    let mut ingest = Ingest::new(norm, Limits::default());
    for p in &args.data {
        if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv")) {
            // A table, read through the norm's CSV-on-the-Web mapping.
            let name = p.display().to_string();
            let bytes = std::fs::read(p).map_err(|source| ReadError::Io {
                path: name.clone(),
                source,
            })?;
            ingest.add(&bytes, "text/csv", &name, None)?;
            continue;
        }
        let file = RdfFile::read(p)?;
        let media_type = file.format.media_type();
        ingest.add(&file.bytes, media_type, &file.name, file.base.as_deref())?;
    }
    for p in &args.reference {
        read_each(p, |t| ingest.add_reference(t))?;
    }
    let read = Instant::now();
    let (report, triples) = match ingest.finish() {
        Ok(accepted) => (accepted.report, accepted.data.len()),
        Err(Rejection::NotConforming {
            report, triples, ..
        }) => (report, triples),
        Err(e) => return Err(e.into()),
    };
    Ok(Outcome {
        report,
        triples,
        stages: [loaded_norm - start, read - loaded_norm, read.elapsed()],
    })
}

/// `datafond routes check`: loads the rules in `dir` for `base`, runs every check and every
/// rule's tests, and prints each finding (file:line) and a summary. Exit code 0 when the rules
/// would be used (warnings allowed), 1 when they would not.
pub fn routes_check(dir: &Path, base: &str, out: &mut impl Write) -> std::io::Result<u8> {
    let (findings, ok) = match crate::resolve::Routes::load(dir, base) {
        Ok((routes, warnings)) => {
            let tests: usize = routes.rules.iter().map(|r| r.tests.len()).sum();
            let summary = format!(
                "{}: {} rules, {} tests passed, {} warnings",
                dir.display(),
                routes.rules.len(),
                tests,
                warnings.len()
            );
            (warnings, Some(summary))
        }
        Err(findings) => (findings, None),
    };
    for finding in &findings {
        writeln!(out, "{finding}")?;
    }
    match ok {
        Some(summary) => {
            writeln!(out, "{summary}")?;
            Ok(0)
        }
        None => {
            let errors = findings
                .iter()
                .filter(|f| f.severity == crate::resolve::rules::Severity::Error)
                .count();
            writeln!(
                out,
                "{}: {errors} errors; the rules would not be used",
                dir.display()
            )?;
            Ok(1)
        }
    }
}
