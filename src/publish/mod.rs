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
use crate::store::changes::Touched;
use crate::store::registry::{insert_record, PublishedFile, VersionRecord};
use crate::store::Storage;
use content::{hash_triples, Content, StoreGraph};
use oxigraph::model::NamedNode;
use oxigraph::store::StorageError;
use rustc_hash::FxHashSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// What publishing did.
#[derive(Debug)]
pub enum Outcome {
    /// A new version, now current (or scheduled, when dated in the future).
    Published(VersionRecord),
    /// The content equals the current version's: no new version.
    Unchanged(VersionRecord),
}

impl Outcome {
    /// The version published, or the newest one when nothing changed.
    pub fn version(&self) -> &VersionRecord {
        match self {
            Self::Published(v) | Self::Unchanged(v) => v,
        }
    }
}

/// Time spent in the publish stage.
#[derive(Debug, Default, Clone, Copy)]
pub struct PublishTimes {
    /// Hashing the content (part of `publish`: it runs alongside the load and the files).
    pub hash: Duration,
    /// The whole stage: loading into the store, writing files and changeset, committing.
    pub publish: Duration,
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
    /// A version does not come after the newest one (HTTP 409).
    #[error("{message}")]
    VersionOrder {
        /// Why, in English.
        message: String,
        /// Why, in Czech.
        czech: String,
    },
}

impl PublishError {
    /// The message in Czech.
    pub fn czech(&self) -> String {
        match self {
            Self::Storage(e) => format!("chyba úložiště: {e}"),
            Self::Template(e) => {
                format!("šablona normy dala {:?}, což není IRI: {}", e.iri, e.reason)
            }
            Self::VersionOrder { czech, .. } => czech.clone(),
        }
    }
}

impl From<std::io::Error> for PublishError {
    fn from(e: std::io::Error) -> Self {
        Self::Storage(e.into())
    }
}

/// What a version says about itself beside its content.
#[derive(Debug, Default, Clone, Copy)]
pub struct VersionMeta<'a> {
    /// Its date (`YYYY-MM-DD`, checked by the caller): it then names the version.
    pub date: Option<&'a str>,
    /// The licence it is published under (an IRI).
    pub license: Option<&'a str>,
}

/// Publishes `data` (validated against `norm`) as the next version of dataset `id`, named by
/// its date when `meta` has one, else by its sequence number. A dated version must come after
/// the newest version's date.
pub fn publish(
    storage: &Storage,
    base: &str,
    id: &DatasetId,
    norm: &Norm,
    data: &DataGraph,
    meta: VersionMeta<'_>,
) -> Result<(Outcome, PublishTimes), PublishError> {
    let date = meta.date;
    let lock = storage.dataset_lock(id.as_str());
    let _serialized = lock.lock().expect("dataset lock");
    let start = Instant::now();
    let content = Content::of(data, &blank_node_scope(id));
    let (previous, today) = {
        let registry = storage.registry();
        let latest = registry.latest(id.as_str()).cloned();
        (latest, registry.today().to_owned())
    };
    let seq = previous.as_ref().map_or(1, |p| p.seq + 1);
    check_order(id, previous.as_ref(), date, &today)?;
    let label = date.map_or_else(|| seq.to_string(), str::to_owned);
    let dataset_iri = norm.templates.dataset_iri(base, id)?;
    let version_iri = norm.templates.version_iri(&dataset_iri, &label)?;
    let dir = storage.version_dir(id.as_str(), seq);
    let tmp = dir.with_extension("tmp");
    let _ = std::fs::remove_dir_all(&tmp);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&tmp)?;

    let target = Target {
        storage,
        graph: &version_iri,
        dir: &tmp,
    };
    let csv_url = norm.templates.file_url(&version_iri, "csv")?.into_string();
    let forms = files::NormForms::of(norm, Some(&csv_url));
    let staged = stage(&target, &content, forms, previous.as_ref(), &norm.id);
    let cleanup = |e: PublishError| {
        let _ = std::fs::remove_dir_all(&tmp);
        let _ = storage.store().remove_named_graph(&version_iri);
        e
    };
    let Staged {
        hash,
        hash_time,
        written,
        changeset,
        touched,
    } = match staged {
        Ok(Stage::Unchanged(hash_time)) => {
            let _ = std::fs::remove_dir_all(&tmp);
            let times = PublishTimes {
                hash: hash_time,
                publish: start.elapsed(),
            };
            let previous = previous.expect("only a previous version can be unchanged");
            return Ok((Outcome::Unchanged(previous), times));
        }
        Ok(Stage::Changed(staged)) => *staged,
        Err(e) => return Err(cleanup(e.into())),
    };
    let touched = match &changeset {
        Some(_) => touched,
        None => files::touched_by_all(&content).map_err(|e| cleanup(e.into()))?,
    };
    let changeset = changeset.unwrap_or_else(|| files::first_changeset(&tmp, content.len() as u64));
    let (added, removed) = changeset.map_err(|e| cleanup(e.into()))?;
    test_pause("before-rename");
    std::fs::rename(&tmp, &dir).map_err(|e| cleanup(e.into()))?;
    let mut times = PublishTimes {
        hash: hash_time,
        publish: Duration::ZERO,
    };

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
    let facts = content::facts(&content)?;
    let record = VersionRecord {
        dataset: id.as_str().to_owned(),
        dataset_iri: dataset_iri.into_string(),
        seq,
        date: date.map(str::to_owned),
        license: meta.license.map(str::to_owned),
        iri: version_iri.as_str().to_owned(),
        norm: norm.id.clone(),
        created,
        created_unix,
        hash,
        triples: content.len() as u64,
        added: added.triples,
        removed: removed.triples,
        files,
        hash_documents: facts.hash_documents,
        classes: facts.classes,
    };
    test_pause("before-commit");
    let mut transaction = storage.store().start_transaction()?;
    insert_record(&mut transaction, &record);
    transaction.commit()?;
    storage.register(record.clone(), touched);
    times.publish = start.elapsed();
    Ok((Outcome::Published(record), times))
}

/// A new version follows the newest one: with a date, a later date than the newest's; without
/// one, only when the newest is not scheduled (an undated version is due at once, and the
/// series stays in date order).
fn check_order(
    id: &DatasetId,
    newest: Option<&VersionRecord>,
    date: Option<&str>,
    today: &str,
) -> Result<(), PublishError> {
    let Some(newest_date) = newest.and_then(|p| p.date.as_deref()) else {
        return Ok(());
    };
    match date {
        Some(date) if date <= newest_date => Err(PublishError::VersionOrder {
            message: format!(
                "the newest version of {id} is dated {newest_date}: a new version needs a later \
                 date than that, not {date} (versions never change)"
            ),
            czech: format!(
                "nejnovější verze {id} má datum {newest_date}: nová verze potřebuje pozdější \
                 datum, ne {date} (verze se nikdy nemění)"
            ),
        }),
        None if newest_date > today => Err(PublishError::VersionOrder {
            message: format!(
                "{id} has a version scheduled for {newest_date}: a new version must be dated \
                 after it (--version-date / ?version-date=)"
            ),
            czech: format!(
                "{id} má verzi naplánovanou na {newest_date}: nová verze musí mít pozdější datum \
                 (--version-date / ?version-date=)"
            ),
        }),
        _ => Ok(()),
    }
}

/// Where a version is staged: its graph in the store and its files folder.
struct Target<'a> {
    storage: &'a Storage,
    graph: &'a NamedNode,
    dir: &'a std::path::Path,
}

/// A staged version: loaded (not yet recorded), its files and changeset written.
struct Staged {
    hash: String,
    hash_time: Duration,
    written: Vec<files::FileRecord>,
    changeset: Option<Result<(files::FileRecord, files::FileRecord), StorageError>>,
    /// What the changeset touched (when there is a previous version).
    touched: Touched,
}

enum Stage {
    Unchanged(Duration),
    Changed(Box<Staged>),
}

/// Loads the content into the store and writes its files while its hash is computed, all in
/// parallel; when the hash shows the content equals the previous version's, the load is
/// abandoned before its commit and the files are dropped.
fn stage(
    target: &Target<'_>,
    content: &Content<'_>,
    forms: files::NormForms<'_>,
    previous: Option<&VersionRecord>,
    norm: &str,
) -> Result<Stage, StorageError> {
    let cancel = AtomicBool::new(false);
    let (decide, decision) = std::sync::mpsc::channel::<bool>();
    std::thread::scope(|scope| {
        let cancel = &cancel;
        let loader =
            scope.spawn(move || timed("load", || load_graph(target, content, cancel, &decision)));
        let writer = scope.spawn(|| {
            timed("files", || {
                files::write_distributions(content, target.dir, forms, cancel)
            })
        });
        let start = Instant::now();
        let mut keys = FxHashSet::default();
        let hashed = hash_triples(content, |k| {
            keys.insert(k);
        });
        let hash_time = start.elapsed();
        let unchanged = match &hashed {
            Ok(hash) => previous.is_some_and(|p| p.hash == *hash && p.norm == norm),
            Err(_) => true,
        };
        if unchanged {
            cancel.store(true, Ordering::Relaxed);
        }
        let _ = decide.send(!unchanged);
        let previous_graph = previous.map(|p| NamedNode::new_unchecked(p.iri.clone()));
        let mut touched = Touched::default();
        let changeset = match (&previous_graph, unchanged) {
            (Some(graph), false) => {
                let previous = StoreGraph {
                    store: target.storage.store(),
                    graph: graph.as_ref(),
                };
                Some(timed("changeset", || {
                    files::write_changeset(&previous, content, &keys, target.dir, &mut touched)
                }))
            }
            _ => None,
        };
        let loaded = loader.join().expect("the loader panicked");
        let written = writer.join().expect("the file writer panicked");
        let hash = hashed?;
        if unchanged {
            return Ok(Stage::Unchanged(hash_time));
        }
        loaded?;
        Ok(Stage::Changed(Box::new(Staged {
            hash,
            hash_time,
            written: written?,
            changeset,
            touched,
        })))
    })
}

/// Bulk-loads `content` into the target graph; commits (atomically: all or nothing) only when
/// `decision` says so.
fn load_graph(
    target: &Target<'_>,
    content: &Content<'_>,
    cancel: &AtomicBool,
    decision: &std::sync::mpsc::Receiver<bool>,
) -> Result<(), StorageError> {
    // Small batches, so that both loader threads work even on a 1M-triple push (one default
    // batch would hold it all and use one thread), and memory stays low.
    let mut loader = target
        .storage
        .store()
        .bulk_loader()
        .with_num_threads(LOADER_THREADS)
        .with_max_memory_size_in_megabytes(LOADER_THREADS * LOADER_BATCH_MB);
    let quads = content
        .quads(target.graph)
        .take_while(|_| !cancel.load(Ordering::Relaxed));
    loader.load_quads(quads)?;
    if decision.recv() != Ok(true) {
        return Ok(()); // dropped without a commit: nothing is stored
    }
    test_pause("before-load-commit");
    loader.commit()
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
    format!("b{}", crate::identifiers::hex(&digest[..6]))
}

/// Threads of the bulk loader.
const LOADER_THREADS: usize = 2;

/// Memory per loader batch (Oxigraph counts ~1000 quads per MB).
const LOADER_BATCH_MB: usize = 50;

/// Runs `f`, logging its duration at debug level.
fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let result = f();
    tracing::debug!("publish: {what} took {:?}", start.elapsed());
    result
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
