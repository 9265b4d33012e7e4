//! The last stage of a push: publish validated content as a new immutable version of a dataset.
//!
//! Order, so that a crash at any point leaves the previous version intact and nothing partial
//! visible: (1) the content is loaded into a new named graph no record names yet, and the files
//! and changeset are written into a `.tmp` folder, in parallel; (2) the folder is renamed into
//! place; (3) one transaction adds the version's record to the private registry graph — the
//! commit point; (4) the in-memory registry switches readers to the new version. Whatever (1)
//! and (2) leave after a crash is removed when the storage next opens.

pub mod content;
pub mod files;

use crate::identifiers::DatasetId;
use crate::norm::Norm;
use crate::shacl::DataGraph;
use crate::store::registry::{insert_record, PublishedFile, VersionRecord};
use crate::store::Storage;
use content::{hash_triples, Content, StoreGraph, TripleSource};
use oxigraph::model::NamedNode;
use oxigraph::store::StorageError;
use rustc_hash::FxHashSet;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What publishing did.
#[derive(Debug)]
pub enum Outcome {
    /// A new version, now current.
    Published(VersionRecord),
    /// The content equals the current version's: no new version.
    Unchanged(VersionRecord),
}

impl Outcome {
    /// The version the dataset now has as current.
    pub fn version(&self) -> &VersionRecord {
        match self {
            Self::Published(v) | Self::Unchanged(v) => v,
        }
    }
}

/// Time spent in the publish stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishTimes {
    /// Canonicalizing and hashing the content.
    pub hash: Duration,
    /// Loading into the store, writing files and changeset (in parallel), and committing.
    pub store: Duration,
}

/// Why publishing failed (the store or the disk; never the data, which was validated before).
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// The store or the file system failed.
    #[error(transparent)]
    Storage(#[from] StorageError),
    /// The norm's templates give no valid IRI for this dataset.
    #[error(transparent)]
    Template(#[from] crate::identifiers::TemplateError),
}

impl From<std::io::Error> for PublishError {
    fn from(e: std::io::Error) -> Self {
        Self::Storage(e.into())
    }
}

/// Publishes `data` (validated against `norm`) as the next version of dataset `id`.
pub fn publish(
    storage: &Storage,
    base: &str,
    id: &DatasetId,
    norm: &Norm,
    data: &DataGraph,
) -> Result<(Outcome, PublishTimes), PublishError> {
    let lock = storage.dataset_lock(id.as_str());
    let _serialized = lock.lock().expect("dataset lock");
    let mut times = PublishTimes::default();

    let start = Instant::now();
    let content = Content::of(data, &blank_node_scope(id));
    let mut keys = FxHashSet::default();
    let hash = hash_triples(&content, |k| {
        keys.insert(k);
    })?;
    times.hash = start.elapsed();

    let previous = storage.registry().current(id.as_str()).cloned();
    if let Some(previous) = previous.filter(|p| p.hash == hash && p.norm == norm.id) {
        return Ok((Outcome::Unchanged(previous), times));
    }
    let previous = storage.registry().current(id.as_str()).cloned();

    let start = Instant::now();
    let seq = previous.as_ref().map_or(1, |p| p.seq + 1);
    let dataset_iri = norm.templates.dataset_iri(base, id)?;
    let version_iri = norm.templates.version_iri(&dataset_iri, &seq.to_string())?;
    let dir = storage.version_dir(id.as_str(), seq);
    let tmp = dir.with_extension("tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&tmp)?;

    let previous_graph = previous
        .as_ref()
        .map(|p| NamedNode::new_unchecked(p.iri.clone()));
    let previous_source = previous_graph.as_ref().map(|g| StoreGraph {
        store: storage.store(),
        graph: g.as_ref(),
    });
    let (loaded, written, changeset) = std::thread::scope(|scope| {
        let loader = scope.spawn(|| load_graph(storage, &content, &version_iri));
        let changeset = scope.spawn(|| {
            files::write_changeset(
                previous_source.as_ref().map(|p| p as &dyn TripleSource),
                &content,
                &keys,
                &tmp,
            )
        });
        let written = files::write_distributions(&content, &tmp);
        (
            loader.join().expect("the loader panicked"),
            written,
            changeset.join().expect("the changeset writer panicked"),
        )
    });
    let cleanup = |e: PublishError| {
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = storage.store().remove_named_graph(&version_iri);
        e
    };
    loaded.map_err(|e| cleanup(e.into()))?;
    let written = written.map_err(|e| cleanup(e.into()))?;
    let (added, removed) = changeset.map_err(|e| cleanup(e.into()))?;
    test_pause("before-rename");
    std::fs::rename(&tmp, &dir).map_err(|e| cleanup(e.into()))?;

    let (created, created_unix) = now();
    let mut files = Vec::new();
    for file in written {
        files.push(PublishedFile {
            url: norm
                .templates
                .file_url(&version_iri, &file.ext)?
                .into_string(),
            latest_url: Some(
                norm.templates
                    .file_url(&dataset_iri, &file.ext)?
                    .into_string(),
            ),
            file,
        });
    }
    for file in [added.clone(), removed.clone()] {
        files.push(PublishedFile {
            url: norm
                .templates
                .file_url(&version_iri, &file.ext)?
                .into_string(),
            latest_url: None,
            file,
        });
    }
    let record = VersionRecord {
        dataset: id.as_str().to_owned(),
        dataset_iri: dataset_iri.into_string(),
        seq,
        iri: version_iri.as_str().to_owned(),
        norm: norm.id.clone(),
        created,
        created_unix,
        hash,
        triples: content.len() as u64,
        added: count_lines(&dir, &added)?,
        removed: count_lines(&dir, &removed)?,
        files,
    };
    test_pause("before-commit");
    let mut transaction = storage.store().start_transaction()?;
    insert_record(&mut transaction, &record);
    transaction.commit()?;
    storage.register(record.clone());
    times.store = start.elapsed();
    Ok((Outcome::Published(record), times))
}

/// Bulk-loads `content` into the graph `graph` (atomic: all or nothing at commit).
fn load_graph(
    storage: &Storage,
    content: &Content<'_>,
    graph: &NamedNode,
) -> Result<(), StorageError> {
    let mut loader = storage.store().bulk_loader();
    loader.load_quads(content.quads(graph))?;
    test_pause("before-load-commit");
    loader.commit()
}

/// Lines of an N-Triples changeset file: its triple count.
fn count_lines(dir: &std::path::Path, file: &files::FileRecord) -> Result<u64, PublishError> {
    use std::io::BufRead;
    let reader =
        std::io::BufReader::new(std::fs::File::open(dir.join(files::file_name(&file.ext)))?);
    Ok(reader.split(b'\n').count() as u64)
}

/// Now, as `xsd:dateTime` text (UTC) and Unix seconds.
fn now() -> (String, u64) {
    let unix = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    (oxsdatatypes::DateTime::now().to_string(), unix)
}

/// The prefix of a dataset's blank node labels: `b` and 12 hex digits of its id's SHA-256.
fn blank_node_scope(id: &DatasetId) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(id.as_str().as_bytes());
    let hex: String = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
    format!("b{hex}")
}

/// Test hook for the crash-safety tests: when `DATAFOND_TEST_PAUSE_AT` names this point, the
/// process says so on standard error and waits there forever, so that a test can kill it with
/// SIGKILL at a known stage. Never set in production.
pub fn test_pause(point: &str) {
    if std::env::var("DATAFOND_TEST_PAUSE_AT").is_ok_and(|p| p == point) {
        eprintln!("datafond: paused at {point}");
        loop {
            std::thread::sleep(Duration::from_secs(3600));
        }
    }
}
