//! The storage: Oxigraph (RocksDB in the data folder, or memory) holding one named graph per
//! published version plus a private graph of version records, and a folder of distribution
//! files. On open it removes what a crash mid-publish may have left (graphs and folders of
//! versions that were never recorded); [`Storage::rebuild_missing_files`] then writes again any
//! file a version lists that is not on disk (after `load` of a dump), in its norm's forms too.

pub mod changes;
pub mod registry;
pub mod retyped;
pub mod version_changes;

use crate::config::StoreKind;
use crate::publish::content::StoreGraph;
use crate::publish::files;
use oxigraph::model::{NamedNode, NamedOrBlankNode};
use oxigraph::store::{StorageError, Store};
use registry::{version_dir, Registry, PRIVATE_GRAPH};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock, RwLockReadGuard};

/// Memory kept for what versions changed (a version of 20,000 changed triples takes ~0.3 MB).
const VERSION_CHANGES_BYTES: u64 = 32 << 20;

/// The store, its files and its registry of versions.
pub struct Storage {
    store: Store,
    files_dir: PathBuf,
    registry: RwLock<Registry>,
    locks: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    version_changes: version_changes::VersionChanges,
    /// Keeps a sandbox's files folder alive; it is deleted on drop.
    _sandbox: Option<tempfile::TempDir>,
}

/// Info logs RocksDB keeps of earlier opens of the store (`LOG.old.<µs>`, ~120 KB each): beyond
/// these many, the oldest are deleted at open. RocksDB keeps up to 1,000 (Oxigraph does not set
/// `keep_log_file_num`): a server restarted daily would gather 40 MB a year of them.
const KEPT_OLD_LOGS: usize = 10;

/// Deletes all but the newest [`KEPT_OLD_LOGS`] of RocksDB's earlier info logs in `store_dir`.
fn prune_old_logs(store_dir: &Path) -> std::io::Result<()> {
    let mut old: Vec<(usize, String)> = std::fs::read_dir(store_dir)?
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter(|name| name.starts_with("LOG.old."))
        .map(|name| (name.len(), name))
        .collect();
    // Their names end in the microsecond they were rotated at: by length, then name, is by age.
    old.sort();
    let excess = old.len().saturating_sub(KEPT_OLD_LOGS);
    for (_, name) in &old[..excess] {
        std::fs::remove_file(store_dir.join(name))?;
    }
    Ok(())
}

impl Storage {
    /// Opens (or creates) the storage. `Rocksdb` keeps `<data_dir>/store` and `<data_dir>/files`;
    /// `Memory` keeps nothing (files go to a temporary folder removed on drop).
    pub fn open(kind: StoreKind, data_dir: &Path) -> Result<Self, StorageError> {
        let (store, files_dir, sandbox) = match kind {
            StoreKind::Rocksdb => {
                std::fs::create_dir_all(data_dir)?;
                let store = Store::open(data_dir.join("store")).map_err(|e| {
                    StorageError::Other(
                        format!(
                            "cannot open the store in {}: {e} (is another datafond process \
                             using it? Stop it, or push over HTTP instead)",
                            data_dir.display()
                        )
                        .into(),
                    )
                })?;
                if let Err(e) = prune_old_logs(&data_dir.join("store")) {
                    tracing::warn!("cannot delete RocksDB's old info logs: {e}");
                }
                (store, data_dir.join("files"), None)
            }
            StoreKind::Memory => {
                let temp = tempfile::Builder::new()
                    .prefix("datafond-sandbox")
                    .tempdir()?;
                (Store::new()?, temp.path().join("files"), Some(temp))
            }
        };
        std::fs::create_dir_all(&files_dir)?;
        let registry = Registry::load(&store, &files_dir)?;
        let storage = Self {
            store,
            files_dir,
            registry: RwLock::new(registry),
            locks: Mutex::default(),
            version_changes: version_changes::VersionChanges::new(VERSION_CHANGES_BYTES),
            _sandbox: sandbox,
        };
        storage.recover()?;
        Ok(storage)
    }

    /// The Oxigraph store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The registry of published versions (read lock; hold it briefly).
    pub fn registry(&self) -> RwLockReadGuard<'_, Registry> {
        self.registry.read().expect("registry lock")
    }

    /// Records a committed version in the in-memory registry, with what its publish touched.
    pub(crate) fn register(&self, record: registry::VersionRecord, touched: changes::Touched) {
        self.registry
            .write()
            .expect("registry lock")
            .add(record, touched);
    }

    /// Moves the registry on to today (UTC): scheduled versions whose day has come become
    /// current. Cheap when the day has not changed; returns whether a current version changed.
    pub fn refresh_schedule(&self) -> bool {
        let today = registry::today();
        if self.registry().today() == today {
            return false;
        }
        let changed = self
            .registry
            .write()
            .expect("registry lock")
            .refresh(&today);
        if changed {
            tracing::info!("{today}: scheduled versions became current");
        }
        changed
    }

    /// The lock serializing pushes to dataset `id` (pushes to other datasets run in parallel).
    pub fn dataset_lock(&self, id: &str) -> Arc<Mutex<()>> {
        let mut locks = self.locks.lock().expect("locks");
        locks.entry(id.to_owned()).or_default().clone()
    }

    /// Which subjects `version` changed against the version before, if known (see
    /// [`version_changes`]).
    pub fn version_changes(
        &self,
        version: &registry::VersionRecord,
    ) -> Option<Arc<version_changes::ChangedSubjects>> {
        self.version_changes
            .of(version, || self.version_dir(&version.dataset, version.seq))
    }

    /// Whether [`Storage::version_changes`] answers without reading files.
    pub fn version_changes_known(&self, version: &registry::VersionRecord) -> bool {
        self.version_changes.known(version)
    }

    /// Where version `seq` of dataset `id` keeps its files.
    pub fn version_dir(&self, id: &str, seq: u64) -> PathBuf {
        version_dir(&self.files_dir, id, seq)
    }

    /// Removes what an interrupted publish left behind: graphs and folders of unrecorded
    /// versions.
    fn recover(&self) -> Result<(), StorageError> {
        let registry = self.registry();
        let orphans: Vec<NamedOrBlankNode> = self
            .store
            .named_graphs()
            .filter(|g| match g {
                Ok(NamedOrBlankNode::NamedNode(n)) => {
                    n.as_ref() != PRIVATE_GRAPH && !registry.is_version_graph(n.as_str())
                }
                Ok(_) => true,
                Err(_) => false,
            })
            .collect::<Result<_, _>>()?;
        for graph in orphans {
            tracing::warn!("removing graph {graph} of a version that was never published");
            self.store.remove_named_graph(&graph)?;
        }
        let keep = registry
            .datasets()
            .flat_map(|(id, versions)| versions.iter().map(|v| self.version_dir(id, v.seq)))
            .collect();
        remove_unrecorded_dirs(&self.files_dir, &keep)?;
        Ok(())
    }

    /// Writes again the files of every version that lists a file missing on disk (after `load`
    /// of a dump, or a lost files folder), with its norm's table and JSON-LD form when `norms`
    /// has its norm. Returns how many versions were rebuilt.
    pub fn rebuild_missing_files(&self, norms: &crate::norm::Norms) -> Result<usize, StorageError> {
        let registry = self.registry();
        let mut rebuilt = 0;
        for (id, versions) in registry.datasets() {
            for version in versions {
                let dir = self.version_dir(id, version.seq);
                if version
                    .files
                    .iter()
                    .all(|f| dir.join(files::file_name(&f.file.ext)).is_file())
                {
                    continue;
                }
                tracing::warn!("rebuilding the files of {}", version.iri);
                let csv_url = version
                    .files
                    .iter()
                    .find(|f| f.file.ext == "csv")
                    .map(|f| f.url.as_str());
                let forms = norms
                    .get(&version.norm)
                    .map(|norm| files::NormForms::of(norm, csv_url))
                    .unwrap_or_default();
                self.rebuild_files(versions, version, &dir, forms)?;
                rebuilt += 1;
            }
        }
        Ok(rebuilt)
    }

    fn rebuild_files(
        &self,
        versions: &[registry::VersionRecord],
        version: &registry::VersionRecord,
        dir: &Path,
        forms: files::NormForms<'_>,
    ) -> Result<(), StorageError> {
        let graph_of = |seq: u64| {
            versions
                .iter()
                .find(|v| v.seq == seq)
                .map(|v| NamedNode::new_unchecked(v.iri.clone()))
        };
        let current = NamedNode::new_unchecked(version.iri.clone());
        let previous = version.seq.checked_sub(1).and_then(graph_of);
        let tmp = dir.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        let source = StoreGraph {
            store: &self.store,
            graph: current.as_ref(),
        };
        let cancel = std::sync::atomic::AtomicBool::new(false);
        files::write_distributions(&source, &tmp, forms, &cancel)?;
        let mut keys = rustc_hash::FxHashSet::default();
        crate::publish::content::hash_triples(&source, |k| {
            keys.insert(k);
        })?;
        let previous = previous.as_ref().map(|p| StoreGraph {
            store: &self.store,
            graph: p.as_ref(),
        });
        match &previous {
            Some(previous) => files::write_changeset(
                previous,
                &source,
                &keys,
                &tmp,
                &mut changes::Touched::default(),
            )?,
            None => files::first_changeset(&tmp, version.triples)?,
        };
        let _ = std::fs::remove_dir_all(dir);
        std::fs::rename(&tmp, dir)?;
        Ok(())
    }
}

/// Deletes version folders (and `.tmp` leftovers) that no record names.
fn remove_unrecorded_dirs(
    files_dir: &Path,
    keep: &std::collections::HashSet<PathBuf>,
) -> Result<(), StorageError> {
    for dataset in std::fs::read_dir(files_dir)? {
        let dataset = dataset?.path();
        if !dataset.is_dir() {
            continue;
        }
        for version in std::fs::read_dir(&dataset)? {
            let version = version?.path();
            if !keep.contains(&version) {
                tracing::warn!("removing {} (never published)", version.display());
                std::fs::remove_dir_all(&version)?;
            }
        }
        if std::fs::read_dir(&dataset)?.next().is_none() {
            std::fs::remove_dir(&dataset)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_old_info_logs_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        // Rotated at increasing microseconds, one when the clock had fewer digits.
        let mut names: Vec<String> = (0..14).map(|i| format!("LOG.old.17958902{i:08}")).collect();
        names.insert(0, "LOG.old.999".into());
        for name in names
            .iter()
            .chain(["LOG".into(), "CURRENT".into(), "000123.sst".into()].iter())
        {
            std::fs::write(dir.path().join(name), b"x").unwrap();
        }
        prune_old_logs(dir.path()).unwrap();
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        let mut expected: Vec<String> = names[5..].to_vec();
        expected.extend(["000123.sst".into(), "CURRENT".into(), "LOG".into()]);
        expected.sort();
        assert_eq!(left, expected);
    }
}
