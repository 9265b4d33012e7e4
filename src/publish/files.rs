//! A version's distribution files: the content in every RDF syntax, each also gzipped, and the
//! changeset against the previous version. Written once, at publish time, into the version's
//! folder; served from there.

use super::content::{key_of, TripleSource};
use crate::csvw::{CsvMapping, MemoryLookup};
use crate::render::norm_jsonld::NormContext;
use crate::store::changes::Touched;
use flate2::write::GzEncoder;
use flate2::Compression;
use oxigraph::io::RdfFormat;
use oxigraph::store::StorageError;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

/// Extensions of the changeset files (N-Triples): triples added and removed since the previous
/// version.
pub const CHANGESET: [&str; 2] = ["added.nt", "removed.nt"];

/// One written file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileRecord {
    /// Extension (`ttl`, `nt`, `jsonld`, `rdf`, `added.nt`, `removed.nt`).
    pub ext: String,
    /// Media type, without parameters.
    pub media_type: String,
    /// Size in bytes.
    pub bytes: u64,
    /// Size of the gzipped copy (`<file>.gz`), if one was written.
    pub gz_bytes: Option<u64>,
    /// Triples in the file.
    #[serde(default)]
    pub triples: u64,
}

/// The file name of a distribution in a version's folder.
pub fn file_name(ext: &str) -> String {
    format!("data.{ext}")
}

/// A norm's table for the CSV distribution, and the URL the CSV file will have.
pub type TableFile<'a> = (&'a CsvMapping, &'a str);

/// What a norm adds to the distributions: its CSV table, and its JSON-LD context (the JSON-LD
/// file is then written in the norm's form).
#[derive(Clone, Copy, Default)]
pub struct NormForms<'a> {
    /// The CSV table and the CSV file's URL.
    pub table: Option<TableFile<'a>>,
    /// The norm's JSON-LD context.
    pub jsonld: Option<&'a NormContext>,
}

impl<'a> NormForms<'a> {
    /// What `norm` adds, its table going to the CSV file at `csv_url` (no table without one).
    pub fn of(norm: &'a crate::norm::Norm, csv_url: Option<&'a str>) -> Self {
        Self {
            table: norm
                .csv
                .as_ref()
                .zip(csv_url)
                .map(|((_, mapping), url)| (mapping, url)),
            jsonld: norm.jsonld.as_ref(),
        }
    }
}

/// Writes every distribution of `source` into `dir`, one thread per syntax, and, when the norm
/// has a CSV table, the CSV file and its CSVW descriptor. When `cancel` is set meanwhile, the
/// writers stop early (the files are then incomplete: drop them).
pub fn write_distributions(
    source: &dyn TripleSource,
    dir: &Path,
    norm: NormForms<'_>,
    cancel: &AtomicBool,
) -> Result<Vec<FileRecord>, StorageError> {
    std::thread::scope(|scope| {
        // The distributions every version gets: one file per RDF syntax.
        let writers: Vec<_> = crate::render::rdf_formats()
            .map(|(ext, format)| {
                scope.spawn(move || match (format, norm.jsonld) {
                    (RdfFormat::JsonLd { .. }, Some(context)) => {
                        write_norm_jsonld(source, dir, ext, context).map(|f| vec![f])
                    }
                    (RdfFormat::RdfXml, _) if !rdfxml_writes(source)? => Ok(Vec::new()),
                    _ => write_one(source, dir, ext, format, cancel).map(|f| vec![f]),
                })
            })
            .chain(
                norm.table
                    .map(|table| scope.spawn(move || write_table(source, dir, table))),
            )
            .collect();
        let mut files = Vec::new();
        for writer in writers {
            files.extend(writer.join().expect("a distribution writer panicked")?);
        }
        Ok(files)
    })
}

/// Whether RDF/XML can write every predicate of `source` (see
/// [`crate::render::rdf::rdfxml_can_write`]); when it cannot, the version has no RDF/XML file
/// rather than a malformed one.
fn rdfxml_writes(source: &dyn TripleSource) -> Result<bool, StorageError> {
    let mut obstacle = None;
    source.each(&mut |t| {
        if obstacle.is_none() && !crate::render::rdf::rdfxml_can_write(t.predicate.as_str()) {
            obstacle = Some(t.predicate.into_owned());
        }
    })?;
    if let Some(predicate) = &obstacle {
        tracing::warn!("no RDF/XML file: the property {predicate} ends in no XML name");
    }
    Ok(obstacle.is_none())
}

/// Writes the norm's table of `source` as `data.csv` (and its gzipped copy) with the CSVW
/// descriptor `data.csv-metadata.json` naming the CSV's URL; nothing when no resource of
/// `source` has a row in the table.
fn write_table(
    source: &dyn TripleSource,
    dir: &Path,
    (mapping, url): TableFile<'_>,
) -> Result<Vec<FileRecord>, StorageError> {
    let mut lookup = MemoryLookup::default();
    source.each(&mut |t| lookup.add(t))?;
    let Some(table) = mapping.whole_table(&mut lookup) else {
        return Ok(Vec::new());
    };
    let mut tee = Tee::create(&dir.join(file_name("csv")))?;
    tee.write_all(&table.to_csv())?;
    let (bytes, gz_bytes) = tee.finish()?;
    let descriptor = serde_json::to_vec_pretty(&mapping.descriptor(url))
        .map_err(|e| StorageError::Other(Box::new(e)))?;
    std::fs::write(dir.join(file_name(TABLE_DESCRIPTOR)), &descriptor)?;
    Ok(vec![
        FileRecord {
            ext: "csv".into(),
            media_type: "text/csv".into(),
            bytes,
            gz_bytes: Some(gz_bytes),
            triples: 0,
        },
        FileRecord {
            ext: TABLE_DESCRIPTOR.into(),
            media_type: "application/csvm+json".into(),
            bytes: descriptor.len() as u64,
            gz_bytes: None,
            triples: 0,
        },
    ])
}

/// Writes `source` as one JSON-LD document in the form of the norm's `context`.
fn write_norm_jsonld(
    source: &dyn TripleSource,
    dir: &Path,
    ext: &str,
    context: &NormContext,
) -> Result<FileRecord, StorageError> {
    let mut graph = oxigraph::model::Graph::new();
    source.each(&mut |t| {
        graph.insert(t);
    })?;
    let document = context.document(&graph, None);
    let mut tee = Tee::create(&dir.join(file_name(ext)))?;
    serde_json::to_writer_pretty(&mut tee, &document)
        .map_err(|e| StorageError::Other(Box::new(e)))?;
    let (bytes, gz_bytes) = tee.finish()?;
    Ok(FileRecord {
        ext: ext.into(),
        media_type: "application/ld+json".into(),
        bytes,
        gz_bytes: Some(gz_bytes),
        triples: graph.len() as u64,
    })
}

/// Extension of the CSVW descriptor written next to a CSV distribution.
pub const TABLE_DESCRIPTOR: &str = "csv-metadata.json";

fn write_one(
    source: &dyn TripleSource,
    dir: &Path,
    ext: &str,
    format: RdfFormat,
    cancel: &AtomicBool,
) -> Result<FileRecord, StorageError> {
    let serializer = crate::render::rdf::serializer(format);
    let path = dir.join(file_name(ext));
    // Serializers write a few bytes at a time: buffer before the tee, so that the compressor
    // sees large chunks.
    let buffered = BufWriter::with_capacity(1 << 16, Tee::create(&path)?);
    let xml = format == RdfFormat::RdfXml;
    let mut out = serializer.for_writer(crate::render::rdf::CrEscaped::new(buffered, xml));
    let mut failure = None;
    let mut triples = 0;
    source.each(&mut |t| {
        if failure.is_none() && !cancel.load(Ordering::Relaxed) {
            failure = out.serialize_triple(t).err();
            triples += 1;
        }
    })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let tee = out
        .finish()?
        .into_inner()
        .into_inner()
        .map_err(io::IntoInnerError::into_error)?;
    let (bytes, gz_bytes) = tee.finish()?;
    Ok(FileRecord {
        ext: ext.into(),
        media_type: format.media_type().into(),
        bytes,
        gz_bytes: Some(gz_bytes),
        triples,
    })
}

/// The changeset of a first version of `triples` triples: everything was added.
/// `data.added.nt` is a hard link to (or, where links are not supported, a copy of) the
/// version's `data.nt`, written before.
pub fn first_changeset(dir: &Path, triples: u64) -> Result<(FileRecord, FileRecord), StorageError> {
    let (nt, added) = (dir.join(file_name("nt")), dir.join(file_name(CHANGESET[0])));
    if std::fs::hard_link(&nt, &added).is_err() {
        std::fs::copy(&nt, &added)?;
    }
    let added = FileRecord {
        ext: CHANGESET[0].into(),
        media_type: "application/n-triples".into(),
        bytes: std::fs::metadata(&added)?.len(),
        gz_bytes: None,
        triples,
    };
    let removed = write_nt(dir, CHANGESET[1], |_| Ok(()))?;
    Ok((added, removed))
}

/// Writes the changeset between `previous` and `current` into `dir`: `data.added.nt` and
/// `data.removed.nt`. Triples are compared by their 128-bit keys; `current_keys` holds the keys
/// of `current` (computed with its content hash). `touched` hears every triple written.
pub fn write_changeset(
    previous: &dyn TripleSource,
    current: &dyn TripleSource,
    current_keys: &FxHashSet<u128>,
    dir: &Path,
    touched: &mut Touched,
) -> Result<(FileRecord, FileRecord), StorageError> {
    let mut old = FxHashSet::default();
    let removed = write_nt(dir, CHANGESET[1], |out| {
        previous.each(&mut |t| {
            let key = key_of(t);
            old.insert(key);
            if !current_keys.contains(&key) {
                touched.triple(t);
                out(t)
            }
        })
    })?;
    let added = write_nt(dir, CHANGESET[0], |out| {
        current.each(&mut |t| {
            if !old.contains(&key_of(t)) {
                touched.triple(t);
                out(t)
            }
        })
    })?;
    Ok((added, removed))
}

/// What a first version touches: every IRI of its content (everything, when that is more than
/// a touch list holds).
pub fn touched_by_all(content: &super::content::Content<'_>) -> Result<Touched, StorageError> {
    if content.len() > crate::store::changes::MAX_TOUCHED {
        return Ok(Touched::everything());
    }
    let mut touched = Touched::default();
    content.each(&mut |t| touched.triple(t))?;
    Ok(touched)
}

/// Writes N-Triples produced by `fill` into `data.<ext>`; the record's `bytes` is the file size.
fn write_nt(
    dir: &Path,
    ext: &str,
    fill: impl FnOnce(&mut dyn FnMut(oxigraph::model::TripleRef<'_>)) -> Result<(), StorageError>,
) -> Result<FileRecord, StorageError> {
    let mut out = BufWriter::new(File::create(dir.join(file_name(ext)))?);
    let mut failure: Option<io::Error> = None;
    let mut triples = 0;
    fill(&mut |t| {
        if failure.is_none() {
            failure = writeln!(out, "{t} .").err();
            triples += 1;
        }
    })?;
    if let Some(e) = failure {
        return Err(e.into());
    }
    let file = out.into_inner().map_err(io::IntoInnerError::into_error)?;
    file.sync_all()?;
    Ok(FileRecord {
        ext: ext.into(),
        media_type: "application/n-triples".into(),
        bytes: file.metadata()?.len(),
        gz_bytes: None,
        triples,
    })
}

/// Writes to a file and, at the same time, to its gzipped copy (`<file>.gz`).
struct Tee {
    plain: BufWriter<File>,
    gz: GzEncoder<BufWriter<File>>,
    bytes: u64,
}

impl Tee {
    fn create(path: &Path) -> io::Result<Self> {
        let mut gz_path = path.as_os_str().to_owned();
        gz_path.push(".gz");
        Ok(Self {
            plain: BufWriter::with_capacity(1 << 16, File::create(path)?),
            gz: GzEncoder::new(
                BufWriter::with_capacity(1 << 16, File::create(gz_path)?),
                Compression::fast(),
            ),
            bytes: 0,
        })
    }

    /// Flushes both files to disk; returns their sizes.
    fn finish(self) -> io::Result<(u64, u64)> {
        let plain = self
            .plain
            .into_inner()
            .map_err(io::IntoInnerError::into_error)?;
        plain.sync_all()?;
        let gz = self.gz.finish()?;
        let gz = gz.into_inner().map_err(io::IntoInnerError::into_error)?;
        gz.sync_all()?;
        Ok((self.bytes, gz.metadata()?.len()))
    }
}

impl Write for Tee {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.plain.write_all(buf)?;
        self.gz.write_all(buf)?;
        self.bytes += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.plain.flush()?;
        self.gz.flush()
    }
}
