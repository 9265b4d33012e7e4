//! What is published: every dataset's versions, as records kept in a private graph of the store
//! (so that publishing a version and recording it commit together), and the in-memory index the
//! read path uses (current graphs, file URLs).
//!
//! A dataset's current version is its newest version that is due: an undated version is due
//! when published, a dated one from its date on (UTC). A version dated in the future is
//! *scheduled*: published at its own IRI, but not current until its day comes
//! ([`Registry::refresh`] moves the index on when the date changes).

use super::changes::{ChangeLog, Dependencies, Touched};
use crate::publish::files::{file_name, FileRecord};
use oxigraph::model::{GraphNameRef, Literal, NamedNode, NamedNodeRef, QuadRef};
use oxigraph::store::{StorageError, Store};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The private graph of version records. Never served: not a dataset's graph.
pub const PRIVATE_GRAPH: NamedNodeRef<'static> =
    NamedNodeRef::new_unchecked("urn:datafond:private:registry");

/// The predicate linking a version IRI to its record (JSON).
const RECORD: NamedNodeRef<'static> = NamedNodeRef::new_unchecked("urn:datafond:private:record");

/// One published version. Immutable once committed.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct VersionRecord {
    /// The dataset's id, as the publisher gave it.
    pub dataset: String,
    /// The dataset's IRI.
    pub dataset_iri: String,
    /// Sequence number, from 1.
    pub seq: u64,
    /// The version's date (`YYYY-MM-DD`) when it was pushed with one; it then names the
    /// version in its IRI instead of the sequence number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The licence it is published under (an IRI): what the data states about the dataset
    /// (`dcterms:license`), else the server's default licence when it was published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
    /// The version's IRI; also the name of the graph holding its content.
    pub iri: String,
    /// The norm it was validated against.
    pub norm: String,
    /// When it was published (`xsd:dateTime`, UTC).
    pub created: String,
    /// The same, in seconds since the Unix epoch (for `Last-Modified`).
    pub created_unix: u64,
    /// Order-independent SHA-256 content hash (blank nodes canonicalized).
    pub hash: String,
    /// Number of triples.
    pub triples: u64,
    /// Triples added since the previous version.
    pub added: u64,
    /// Triples removed since the previous version.
    pub removed: u64,
    /// Distribution and changeset files, with their URLs.
    pub files: Vec<PublishedFile>,
    /// Documents of hash IRIs: for subjects `<doc#term>`, the distinct `doc`s (at most
    /// [`MAX_HASH_DOCUMENTS`]), so that dereferencing `doc` can show all of its terms.
    #[serde(default)]
    pub hash_documents: Vec<String>,
    /// How many resources each class types, for its most common classes (see
    /// `publish::content::facts`): its VoID class partitions. Empty in the records of
    /// versions published before it was kept.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub classes: BTreeMap<String, u64>,
}

/// Most hash-IRI documents recorded per version.
pub const MAX_HASH_DOCUMENTS: usize = 10_000;

/// A file of a version and where it is served.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PublishedFile {
    /// The file.
    #[serde(flatten)]
    pub file: FileRecord,
    /// Its URL for this version.
    pub url: String,
    /// Its URL while this version is the current one (none for changesets).
    pub latest_url: Option<String>,
}

/// A file the read path can serve.
#[derive(Debug, Clone)]
pub struct ServedFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// The gzipped copy, if any.
    pub gz_path: Option<PathBuf>,
    /// Media type, without parameters.
    pub media_type: String,
    /// Size in bytes, and of the gzipped copy.
    pub bytes: u64,
    /// A strong validator: the content hash, the version and the file.
    pub etag: String,
    /// Publication time of the version (Unix seconds).
    pub modified: u64,
    /// Whether the URL names one version's file, which never changes (not the dataset's latest).
    pub immutable: bool,
}

/// Every published version, indexed for the read path.
#[derive(Debug, Default)]
pub struct Registry {
    datasets: BTreeMap<String, Vec<VersionRecord>>,
    current_graphs: HashSet<NamedNode>,
    /// The current graphs, when a pattern is best read in each of them (see [`Self::graphs_to_read`]).
    read_by_graph: Option<Arc<[NamedNode]>>,
    /// Dataset id by dataset IRI (every view asks whether its resource is a dataset).
    dataset_iris: HashMap<String, String>,
    /// Dataset id and place in its versions, by version IRI (labels and views of versions).
    version_iris: HashMap<String, (String, usize)>,
    files: HashMap<String, ServedFile>,
    files_dir: PathBuf,
    generation: u64,
    changes: ChangeLog,
    /// The day (`YYYY-MM-DD`, UTC) the index was built for.
    today: String,
}

/// How many copies of a quad cost about what one more seek costs (see `Registry::reindex`).
const COPIES_PER_SEEK: u64 = 4;

/// Today's date in UTC, as `YYYY-MM-DD`.
pub fn today() -> String {
    oxsdatatypes::DateTime::now().to_string()[..10].to_owned()
}

impl VersionRecord {
    /// Whether this version is due on `day` (`YYYY-MM-DD`): undated, or dated `day` or earlier.
    pub fn is_due(&self, day: &str) -> bool {
        self.date.as_deref().is_none_or(|d| d <= day)
    }

    /// What names the version: its date when it has one, else its sequence number.
    pub fn label(&self) -> String {
        self.date.clone().unwrap_or_else(|| self.seq.to_string())
    }
}

impl Registry {
    /// Reads the records of `store`; files live under `files_dir`.
    pub fn load(store: &Store, files_dir: &Path) -> Result<Self, StorageError> {
        let mut registry = Self {
            files_dir: files_dir.to_path_buf(),
            today: today(),
            ..Self::default()
        };
        let private = GraphNameRef::NamedNode(PRIVATE_GRAPH);
        for quad in store.quads_for_pattern(None, Some(RECORD), None, Some(private)) {
            let quad = quad?;
            let oxigraph::model::Term::Literal(json) = &quad.object else {
                continue;
            };
            let record: VersionRecord = serde_json::from_str(json.value()).map_err(|e| {
                StorageError::Other(
                    format!("corrupt version record of {}: {e}", quad.subject).into(),
                )
            })?;
            registry
                .datasets
                .entry(record.dataset.clone())
                .or_default()
                .push(record);
        }
        for versions in registry.datasets.values_mut() {
            versions.sort_by_key(|v| v.seq);
        }
        registry.reindex();
        Ok(registry)
    }

    /// Adds a committed version; it is current at once unless it is scheduled. `touched` is
    /// what its publish changed (see [`super::changes`]).
    pub fn add(&mut self, record: VersionRecord, touched: Touched) {
        let dataset = record.dataset.clone();
        let mut touched = touched;
        touched.iri(&record.dataset_iri);
        touched.iri(&record.iri);
        self.datasets
            .entry(dataset.clone())
            .or_default()
            .push(record);
        self.generation += 1;
        self.changes
            .record(self.generation, Some(&dataset), touched);
        self.reindex();
    }

    /// Whether what was computed under `generation` from `deps` may be stale now.
    pub fn changed_since(&self, generation: u64, deps: &Dependencies) -> bool {
        self.changes
            .changed_since(generation, self.generation, deps)
    }

    /// Whether what the store says about `iri` may have changed since `generation`.
    pub fn iri_changed_since(&self, generation: u64, iri: &str) -> bool {
        self.changes
            .iri_changed_since(generation, self.generation, iri)
    }

    /// A number that changes with every publish: what was computed under one generation is
    /// stale under the next.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Moves the index on to `day` (`YYYY-MM-DD`): scheduled versions whose date has come
    /// become current. Returns whether any current version changed (the generation then
    /// changes too, so that nothing computed before is served again).
    pub fn refresh(&mut self, day: &str) -> bool {
        if self.today == day {
            return false;
        }
        self.today = day.to_owned();
        let before = std::mem::take(&mut self.current_graphs);
        self.reindex();
        let changed = before != self.current_graphs;
        if changed {
            self.generation += 1;
            self.changes
                .record(self.generation, None, Touched::everything());
        }
        changed
    }

    /// The day the index was built for (`YYYY-MM-DD`, UTC).
    pub fn today(&self) -> &str {
        &self.today
    }

    /// Whether `version` is scheduled: dated after today, so not yet current.
    pub fn is_scheduled(&self, version: &VersionRecord) -> bool {
        !version.is_due(&self.today)
    }

    fn reindex(&mut self) {
        self.index_current();
        // Read across all graphs, a quad comes with a copy from every version of its dataset,
        // each decoded; read per current graph, a pattern costs a seek per dataset. Copies per
        // current quad, weighted by the datasets' sizes (a small dataset republished often
        // adds few), against the seeks: per graph once the copies beyond the first outweigh the
        // seeks beyond the first (a seek costs about what decoding a few quads' copies costs).
        let (mut all, mut current) = (0u64, 0u64);
        for versions in self.datasets.values() {
            let current_seq = current_of(versions, &self.today).map(|v| v.seq);
            for v in versions {
                let triples = v.triples.max(1);
                all += triples;
                if Some(v.seq) == current_seq {
                    current += triples;
                }
            }
        }
        let graphs = self.current_graphs.len() as u64;
        let extra_copies = all.saturating_sub(current) * COPIES_PER_SEEK;
        self.read_by_graph =
            (extra_copies > 0 && extra_copies >= graphs.saturating_sub(1) * current).then(|| {
                // In one order (a view lists what it reads in the order it reads it).
                let mut graphs: Vec<NamedNode> = self.current_graphs.iter().cloned().collect();
                graphs.sort();
                graphs.into()
            });
    }

    fn index_current(&mut self) {
        self.current_graphs.clear();
        self.files.clear();
        self.dataset_iris.clear();
        self.version_iris.clear();
        for (id, versions) in &self.datasets {
            if let Some(first) = versions.first() {
                self.dataset_iris
                    .insert(first.dataset_iri.clone(), id.clone());
            }
            for (i, version) in versions.iter().enumerate() {
                self.version_iris
                    .insert(version.iri.clone(), (id.clone(), i));
            }
            let Some(current) = current_of(versions, &self.today) else {
                continue;
            };
            self.current_graphs
                .insert(NamedNode::new_unchecked(current.iri.clone()));
            for version in versions {
                let dir = version_dir(&self.files_dir, id, version.seq);
                for published in &version.files {
                    let served = served_file(&dir, version, &published.file);
                    if version.seq == current.seq {
                        if let Some(latest) = &published.latest_url {
                            let latest_file = ServedFile {
                                immutable: false,
                                ..served.clone()
                            };
                            self.files.insert(latest.clone(), latest_file);
                        }
                    }
                    self.files.insert(published.url.clone(), served);
                }
            }
        }
    }

    /// Every dataset with its versions, oldest first.
    pub fn datasets(&self) -> impl Iterator<Item = (&str, &[VersionRecord])> {
        self.datasets
            .iter()
            .map(|(id, v)| (id.as_str(), v.as_slice()))
    }

    /// The versions of dataset `id`, oldest first.
    pub fn versions(&self, id: &str) -> Option<&[VersionRecord]> {
        self.datasets.get(id).map(Vec::as_slice)
    }

    /// The current version of dataset `id`: its newest due version (none while its only
    /// versions are scheduled).
    pub fn current(&self, id: &str) -> Option<&VersionRecord> {
        self.datasets
            .get(id)
            .and_then(|v| current_of(v, &self.today))
    }

    /// The newest version of dataset `id`, scheduled or not: the one a new version follows.
    pub fn latest(&self, id: &str) -> Option<&VersionRecord> {
        self.datasets.get(id).and_then(|v| v.last())
    }

    /// The dataset whose IRI is `iri`: its id and versions.
    pub fn dataset_with_iri(&self, iri: &str) -> Option<(&str, &[VersionRecord])> {
        let (id, versions) = self.datasets.get_key_value(self.dataset_iris.get(iri)?)?;
        Some((id.as_str(), versions.as_slice()))
    }

    /// The current versions with hash IRIs `<doc#…>` for the document `doc`.
    pub fn hash_document_graphs(&self, doc: &str) -> Vec<NamedNode> {
        self.current_versions()
            .filter(|v| {
                v.hash_documents
                    .binary_search_by(|d| d.as_str().cmp(doc))
                    .is_ok()
            })
            .map(|v| NamedNode::new_unchecked(v.iri.clone()))
            .collect()
    }

    /// The current version of every dataset, by dataset id.
    pub fn current_versions(&self) -> impl Iterator<Item = &VersionRecord> {
        self.datasets
            .values()
            .filter_map(|v| current_of(v, &self.today))
    }

    /// The current versions' graphs, when a pattern is cheaper to read in each of them than
    /// across all graphs: every version of a dataset is a graph with its whole content, so
    /// across all graphs a pattern returns one copy per version, each decoded (a RocksDB point
    /// lookup per IRI) before its graph can be checked; one seek per current graph is cheaper
    /// as soon as a quad has, on average over the data, many copies for how many datasets
    /// there are. `None`: read across all graphs (no earlier versions, many datasets with few
    /// each, or earlier versions only of small datasets).
    /// Shared, so that a read can outlive the registry's lock without copying the list.
    pub fn graphs_to_read(&self) -> Option<&Arc<[NamedNode]>> {
        self.read_by_graph.as_ref()
    }

    /// Whether `graph` holds the current version of some dataset.
    pub fn is_current_graph(&self, graph: &NamedNode) -> bool {
        self.current_graphs.contains(graph)
    }

    /// The version whose graph is `graph`.
    pub fn version(&self, graph: &str) -> Option<&VersionRecord> {
        let (id, i) = self.version_iris.get(graph)?;
        self.datasets.get(id)?.get(*i)
    }

    /// The sequence number of the version whose graph is `graph`.
    pub fn version_seq(&self, graph: &str) -> Option<u64> {
        self.version(graph).map(|v| v.seq)
    }

    /// Whether `graph` holds some committed version.
    pub fn is_version_graph(&self, graph: &str) -> bool {
        self.version_iris.contains_key(graph)
    }

    /// The file served at `url`, if any.
    pub fn file(&self, url: &str) -> Option<&ServedFile> {
        self.files.get(url)
    }

    /// Whether no dataset was ever published.
    pub fn is_empty(&self) -> bool {
        self.datasets.is_empty()
    }
}

/// The newest of `versions` (oldest first) that is due on `day`.
fn current_of<'a>(versions: &'a [VersionRecord], day: &str) -> Option<&'a VersionRecord> {
    versions.iter().rev().find(|v| v.is_due(day))
}

fn served_file(dir: &Path, version: &VersionRecord, file: &FileRecord) -> ServedFile {
    let path = dir.join(file_name(&file.ext));
    let gz_path = file.gz_bytes.map(|_| {
        let mut p = path.as_os_str().to_owned();
        p.push(".gz");
        PathBuf::from(p)
    });
    ServedFile {
        path,
        gz_path,
        media_type: file.media_type.clone(),
        bytes: file.bytes,
        etag: format!("\"{}-{}-{}\"", &version.hash[..20], version.seq, file.ext),
        modified: version.created_unix,
        immutable: true,
    }
}

/// The folder of one version's files: `<files>/<id, percent-encoded>/<seq>`.
pub fn version_dir(files_dir: &Path, id: &str, seq: u64) -> PathBuf {
    files_dir.join(dataset_dir_name(id)).join(seq.to_string())
}

/// A dataset id as one folder name: `/` and `%` percent-encoded, so ids never nest.
pub fn dataset_dir_name(id: &str) -> String {
    id.replace('%', "%25").replace('/', "%2F")
}

/// The quad that records `record` in the private graph.
pub fn record_quad(record: &VersionRecord) -> (NamedNode, Literal) {
    let json = serde_json::to_string(record).expect("records serialize");
    (
        NamedNode::new_unchecked(record.iri.clone()),
        Literal::new_simple_literal(json),
    )
}

/// Inserts `record` into the private graph within `transaction`.
pub fn insert_record(transaction: &mut oxigraph::store::Transaction<'_>, record: &VersionRecord) {
    let (subject, json) = record_quad(record);
    transaction.insert(QuadRef::new(&subject, RECORD, &json, PRIVATE_GRAPH));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(seq: u64, date: Option<&str>) -> VersionRecord {
        VersionRecord {
            dataset: "d".into(),
            dataset_iri: "http://x.example/d".into(),
            seq,
            date: date.map(str::to_owned),
            license: None,
            iri: format!("http://x.example/d/{seq}"),
            norm: "generic".into(),
            created: "2024-01-01T00:00:00Z".into(),
            created_unix: 0,
            hash: "0".repeat(64),
            triples: 1,
            added: 1,
            removed: 0,
            files: Vec::new(),
            hash_documents: Vec::new(),
            classes: BTreeMap::new(),
        }
    }

    #[test]
    fn patterns_are_read_per_graph_once_copies_outweigh_seeks() {
        let mut registry = Registry {
            today: "2025-12-31".into(),
            ..Registry::default()
        };
        let of = |dataset: &str, seq| VersionRecord {
            dataset: dataset.into(),
            dataset_iri: format!("http://x.example/{dataset}"),
            iri: format!("http://x.example/{dataset}/{seq}"),
            ..version(seq, None)
        };
        registry.add(of("a", 1), Touched::default());
        assert_eq!(registry.graphs_to_read(), None, "no earlier version");
        registry.add(of("a", 2), Touched::default());
        assert_eq!(registry.graphs_to_read().map(|g| g.len()), Some(1));
        // Five datasets, one with two versions: 25 seeks per pattern outweigh 6 copies.
        for dataset in ["b", "c", "d", "e"] {
            registry.add(of(dataset, 1), Touched::default());
        }
        assert_eq!(registry.graphs_to_read(), None);
        // Once the versions pile up, each current graph is read, in IRI order.
        for seq in 3..=8 {
            registry.add(of("a", seq), Touched::default());
        }
        let graphs: Vec<&str> = registry
            .graphs_to_read()
            .expect("read per graph")
            .iter()
            .map(NamedNode::as_str)
            .collect();
        assert_eq!(graphs[0], "http://x.example/a/8");
        assert!(graphs.windows(2).all(|w| w[0] < w[1]) && graphs.len() == 5);
        // Copies are weighed by size: a small dataset republished often (routing rules) leaves
        // a large one read across all graphs; a second version of the large one does not.
        let mut registry = Registry {
            today: "2025-12-31".into(),
            ..Registry::default()
        };
        let sized = |dataset, seq, triples| VersionRecord {
            triples,
            ..of(dataset, seq)
        };
        registry.add(sized("big", 1, 1_000_000), Touched::default());
        for seq in 1..=8 {
            registry.add(sized("rules", seq, 35), Touched::default());
        }
        assert_eq!(registry.graphs_to_read(), None);
        registry.add(sized("big", 2, 1_000_000), Touched::default());
        assert_eq!(registry.graphs_to_read().map(|g| g.len()), Some(2));
    }

    #[test]
    fn a_scheduled_version_becomes_current_on_its_day() {
        let mut registry = Registry {
            today: "2025-12-31".into(),
            ..Registry::default()
        };
        registry.add(version(1, None), Touched::default());
        registry.add(version(2, Some("2026-01-01")), Touched::default());
        assert_eq!(registry.current("d").map(|v| v.seq), Some(1));
        assert_eq!(registry.latest("d").map(|v| v.seq), Some(2));
        assert!(registry.is_scheduled(&version(2, Some("2026-01-01"))));
        let graph = |seq| NamedNode::new_unchecked(format!("http://x.example/d/{seq}"));
        assert!(registry.is_current_graph(&graph(1)) && !registry.is_current_graph(&graph(2)));
        // An earlier (here: a later, scheduled) version is kept: patterns are read per graph.
        assert_eq!(
            registry.graphs_to_read().map(|g| &g[..]),
            Some(&[graph(1)][..])
        );
        let generation = registry.generation();

        assert!(!registry.refresh("2025-12-31"), "same day: nothing to do");
        assert!(registry.refresh("2026-01-01"));
        assert_eq!(registry.current("d").map(|v| v.seq), Some(2));
        assert!(registry.is_current_graph(&graph(2)) && !registry.is_current_graph(&graph(1)));
        assert!(
            registry.generation() > generation,
            "cached views must not be served again"
        );
        assert!(
            !registry.refresh("2026-01-02"),
            "no version's day: nothing changed"
        );
    }

    #[test]
    fn a_dataset_whose_only_version_is_scheduled_has_no_current_version() {
        let mut registry = Registry {
            today: "2025-12-31".into(),
            ..Registry::default()
        };
        registry.add(version(1, Some("2026-01-01")), Touched::default());
        assert!(registry.current("d").is_none());
        assert_eq!(registry.current_versions().count(), 0);
        assert!(registry.dataset_with_iri("http://x.example/d").is_some());
    }
}
