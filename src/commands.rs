//! The command-line commands that work on the data folder directly (like `oxigraph load`): push,
//! datasets, versions, export, dump, load. The store is exclusive: while a server runs on the
//! same folder, push over HTTP instead.

use crate::config::Config;
use crate::norm::{NormError, Norms};
use crate::push::{Part, PushError, PushReport};
use crate::rdf_file::format_of;
use crate::store::Storage;
use indicatif::{ProgressBar, ProgressStyle};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode};
use oxigraph::store::StorageError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a command failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// The store could not be opened or read.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// A norm is broken.
    #[error(transparent)]
    Norm(#[from] NormError),
    /// The push was refused or failed.
    #[error(transparent)]
    Push(#[from] PushError),
    /// Something the user asked for is not there or not valid.
    #[error("{0}")]
    Usage(String),
    /// Writing the output failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// `push`: validates `files` against the norm (and syntax) given and publishes them as the next
/// version of `dataset`, named by `version_date` when given; shows a progress bar (triples/s) on
/// a terminal.
pub fn push(
    config: &Config,
    dataset: &str,
    files: &[PathBuf],
    (norm, format): (Option<&str>, Option<&str>),
    version_date: Option<&str>,
) -> Result<PushReport, CommandError> {
    let norms = Norms::load(
        &config.norms_dir,
        &config.shapes_dir,
        &config.required_languages,
    )?;
    let storage = Storage::open(config.store, &config.data_dir)?;
    let mut contents = Vec::new();
    for file in files {
        let media_type = match format {
            Some(f) => media_type_of_name(f)?,
            None if file.extension().is_some_and(|e| e == "csv") => "text/csv".to_owned(),
            None => format_of(file)
                .map(|f| f.media_type().to_owned())
                .ok_or_else(|| {
                    CommandError::Usage(format!(
                        "{}: unknown syntax; name it with --format",
                        file.display()
                    ))
                })?,
        };
        contents.push((std::fs::read(file)?, media_type, file.display().to_string()));
    }
    let parts: Vec<Part<'_>> = contents
        .iter()
        .map(|(bytes, media_type, name)| Part {
            bytes,
            media_type,
            name,
        })
        .collect();
    let bar = ProgressBar::new_spinner().with_style(
        ProgressStyle::with_template("{spinner} {msg} {pos} triples read ({per_sec})")
            .expect("a valid template"),
    );
    bar.set_message(format!("pushing {dataset}:"));
    let mut progress = |n: u64| bar.set_position(n);
    let report = config_push(config, &storage, &norms).run_dated(
        dataset,
        norm,
        &parts,
        Some(&mut progress),
        version_date,
    );
    bar.finish_and_clear();
    Ok(report?)
}

fn config_push<'a>(
    config: &'a Config,
    storage: &'a Storage,
    norms: &'a Norms,
) -> crate::push::Push<'a> {
    crate::push::Push {
        storage,
        norms,
        base: &config.base,
        limits: config.limits,
        license: config.license.as_deref(),
    }
}

/// The media type of a syntax name (`ttl`, `turtle`, `nt`, `jsonld`, `rdf`, `trig`, `nq`) or of
/// a media type given as is.
fn media_type_of_name(name: &str) -> Result<String, CommandError> {
    if name == "csv" || crate::ingest::is_csv(name) {
        return Ok("text/csv".into());
    }
    RdfFormat::from_extension(name)
        .or_else(|| RdfFormat::from_media_type(name))
        .or_else(|| (name == "turtle").then_some(RdfFormat::Turtle))
        .map(|f| f.media_type().to_owned())
        .ok_or_else(|| CommandError::Usage(format!("unknown format {name:?}")))
}

/// `datasets`: one line per dataset: id, current version, triples, norm.
pub fn datasets(config: &Config, out: &mut impl Write) -> Result<(), CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    let registry = storage.registry();
    for (id, _) in registry.datasets() {
        if let Some(v) = registry.current(id) {
            writeln!(
                out,
                "{id}\t{}\t{} triples\tnorm {}\t{}",
                v.seq, v.triples, v.norm, v.dataset_iri
            )?;
        }
    }
    Ok(())
}

/// `versions <dataset>`: one line per version: sequence, time, triples, +added −removed, IRI.
pub fn versions(config: &Config, dataset: &str, out: &mut impl Write) -> Result<(), CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    let registry = storage.registry();
    let versions = registry
        .versions(dataset)
        .ok_or_else(|| CommandError::Usage(format!("no dataset {dataset:?}")))?;
    for v in versions {
        let scheduled = match &v.date {
            Some(date) if registry.is_scheduled(v) => format!("\tscheduled for {date}"),
            _ => String::new(),
        };
        writeln!(
            out,
            "{}\t{}\t{} triples\t+{} -{}\t{}{scheduled}",
            v.seq, v.created, v.triples, v.added, v.removed, v.iri
        )?;
    }
    Ok(())
}

/// `export <dataset>`: a version's content (default: the current one) in `format`.
pub fn export(
    config: &Config,
    dataset: &str,
    version: Option<u64>,
    format: &str,
    out: &mut impl Write,
) -> Result<(), CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    let graph = {
        let registry = storage.registry();
        let versions = registry
            .versions(dataset)
            .ok_or_else(|| CommandError::Usage(format!("no dataset {dataset:?}")))?;
        let record = match version {
            Some(seq) => versions.iter().find(|v| v.seq == seq).ok_or_else(|| {
                CommandError::Usage(format!("dataset {dataset:?} has no version {seq}"))
            })?,
            None => registry.current(dataset).ok_or_else(|| {
                CommandError::Usage(format!(
                    "{dataset:?} has no current version yet: name a scheduled one with --version"
                ))
            })?,
        };
        NamedNode::new_unchecked(record.iri.clone())
    };
    let format = crate::render::rdf_formats()
        .find(|(name, _)| *name == format)
        .map(|(_, f)| f)
        .ok_or_else(|| {
            CommandError::Usage(format!("unknown format {format:?} (ttl, nt, jsonld, rdf)"))
        })?;
    let xml = format == RdfFormat::RdfXml;
    let mut writer = crate::render::rdf::serializer(format)
        .for_writer(crate::render::rdf::CrEscaped::new(out, xml));
    let graph_name = GraphNameRef::NamedNode(graph.as_ref());
    for quad in storage
        .store()
        .quads_for_pattern(None, None, None, Some(graph_name))
    {
        let quad = quad?;
        let predicate = quad.predicate.as_str();
        if format == RdfFormat::RdfXml && !crate::render::rdf::rdfxml_can_write(predicate) {
            return Err(CommandError::Usage(format!(
                "RDF/XML cannot write the property <{predicate}> (it ends in no XML name): \
                 export as ttl, nt or jsonld"
            )));
        }
        writer.serialize_triple(quad.as_ref())?;
    }
    writer.finish()?;
    Ok(())
}

/// `optimize`: compacts the store, for fast reads right after large pushes (RocksDB would
/// otherwise compact in the background while serving).
pub fn optimize(config: &Config) -> Result<(), CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    storage.store().optimize()?;
    Ok(())
}

/// `dump`: the whole store (every version and the registry of versions) as N-Quads.
pub fn dump(config: &Config, out: &mut impl Write) -> Result<(), CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    storage
        .store()
        .dump_to_writer(RdfFormat::NQuads, out)
        .map_err(|e| CommandError::Usage(e.to_string()))?;
    Ok(())
}

/// `load`: fills an empty store from a `dump`; the files are rebuilt from it.
pub fn load(config: &Config, file: &Path) -> Result<u64, CommandError> {
    let storage = Storage::open(config.store, &config.data_dir)?;
    if !storage.store().is_empty()? {
        return Err(CommandError::Usage(format!(
            "the store in {} is not empty; load restores a dump into an empty data folder",
            config.data_dir.display()
        )));
    }
    let bytes = std::fs::read(file)?;
    let mut loader = storage.store().bulk_loader();
    loader
        .load_from_slice(RdfFormat::NQuads, &bytes)
        .map_err(|e| CommandError::Usage(format!("{}: {e}", file.display())))?;
    loader.commit()?;
    let count = storage.store().len()? as u64;
    drop(storage);
    // Reopening rebuilds the registry; then every version's files, in its norm's forms too.
    let norms = Norms::load(
        &config.norms_dir,
        &config.shapes_dir,
        &config.required_languages,
    )?;
    Storage::open(config.store, &config.data_dir)?.rebuild_missing_files(&norms)?;
    Ok(count)
}
