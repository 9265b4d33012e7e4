//! Which subjects each version changed against the one before it, read from its changeset
//! files (`data.added.nt`, `data.removed.nt`) the first time a resource's history needs them,
//! and kept: a version never changes, so neither does what it changed. A history then reads a
//! resource only in the versions that changed it, instead of in each of the newest fifty.

use super::registry::VersionRecord;
use crate::publish::files::{file_name, CHANGESET};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::NamedOrBlankNode;
use rustc_hash::FxHashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Changesets of more triples than this are not read: such a version counts as having changed
/// every resource (a first version, or a large change, is read resource by resource anyway).
pub const MAX_CHANGESET_TRIPLES: u64 = 20_000;

/// The subjects of the triples one version added or removed.
#[derive(Debug, Default)]
pub struct ChangedSubjects {
    iris: FxHashSet<u64>,
    blank_nodes: bool,
}

impl ChangedSubjects {
    /// Whether a triple with subject `iri` was added or removed (64-bit hashes: a collision
    /// only makes a history read a version it need not read).
    pub fn has(&self, iri: &str) -> bool {
        self.iris.contains(&super::changes::iri_hash(iri))
    }

    /// Whether a triple with a blank-node subject was added or removed: any resource with a
    /// blank-node value may have changed.
    pub fn has_blank_nodes(&self) -> bool {
        self.blank_nodes
    }

    /// Reads the changeset files in `dir`; `None` when one is missing or unreadable.
    fn read(dir: &Path) -> Option<Self> {
        let mut changed = Self::default();
        for ext in CHANGESET {
            let file = std::fs::File::open(dir.join(file_name(ext))).ok()?;
            let parser = RdfParser::from_format(RdfFormat::NTriples)
                .for_reader(std::io::BufReader::new(file));
            for quad in parser {
                match quad.ok()?.subject {
                    NamedOrBlankNode::NamedNode(s) => {
                        changed.iris.insert(super::changes::iri_hash(s.as_str()));
                    }
                    NamedOrBlankNode::BlankNode(_) => changed.blank_nodes = true,
                }
            }
        }
        Some(changed)
    }
}

/// What versions changed, by version IRI, bounded in bytes; `None` (kept too) where unknown.
pub struct VersionChanges(moka::sync::Cache<String, Option<Arc<ChangedSubjects>>>);

impl VersionChanges {
    /// A cache of about `max_bytes`.
    pub fn new(max_bytes: u64) -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|iri: &String, changed: &Option<Arc<ChangedSubjects>>| {
                    let set = changed.as_ref().map_or(0, |c| c.iris.capacity() * 9);
                    u32::try_from(iri.len() + set + 64).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }

    /// Whether what `version` changed is known without reading its changeset files (kept
    /// already, or not to be read at all).
    pub fn known(&self, version: &VersionRecord) -> bool {
        !Self::readable(version) || self.0.contains_key(version.iri.as_str())
    }

    /// Whether `version`'s changeset is read: not for a first version or a large change.
    fn readable(version: &VersionRecord) -> bool {
        version.seq > 1 && version.added + version.removed <= MAX_CHANGESET_TRIPLES
    }

    /// What `version` (whose files are in the folder `dir` names) changed against the version
    /// before; `None` for a first version, a changeset over [`MAX_CHANGESET_TRIPLES`], or
    /// missing files.
    pub fn of(
        &self,
        version: &VersionRecord,
        dir: impl FnOnce() -> PathBuf,
    ) -> Option<Arc<ChangedSubjects>> {
        if !Self::readable(version) {
            return None;
        }
        if let Some(known) = self.0.get(version.iri.as_str()) {
            return known;
        }
        self.0.get_with(version.iri.clone(), || {
            ChangedSubjects::read(&dir()).map(Arc::new)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_subjects_of_both_changeset_files_and_nothing_when_one_is_missing() {
        let dir = tempfile::tempdir().unwrap();
        let write = |ext: &str, text: &str| std::fs::write(dir.path().join(file_name(ext)), text);
        write("added.nt", "<http://x/a> <http://x/p> \"1\" .\n").unwrap();
        assert!(ChangedSubjects::read(dir.path()).is_none());
        write("removed.nt", "_:b <http://x/p> <http://x/c> .\n").unwrap();
        let changed = ChangedSubjects::read(dir.path()).unwrap();
        assert!(changed.has("http://x/a") && !changed.has("http://x/c"));
        assert!(changed.has_blank_nodes());
    }
}
