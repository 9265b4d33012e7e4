//! What each publish changed, so that caches keep across publishes what a publish did not
//! touch: a view or a label computed under one registry generation is still good under a later
//! one when no publish in between touched anything it depends on.
//!
//! A publish *touches* its dataset (every resource shown with that dataset's version changes)
//! and the IRIs that are subjects or objects of the triples it added or removed (a resource's
//! own triples, its backlinks, labels of what links to it), plus the document of each hash IRI.
//! IRIs are kept as 64-bit hashes: a collision only invalidates more than needed, never less.

use oxigraph::model::{NamedOrBlankNodeRef, TermRef, TripleRef};
use rustc_hash::FxHashSet;
use std::collections::VecDeque;
use std::hash::{Hash, Hasher};

/// Most IRIs remembered for one publish; a larger change counts as touching everything.
pub const MAX_TOUCHED: usize = 50_000;

/// Most publishes remembered; a cached entry older than all of them is recomputed.
const MAX_CHANGES: usize = 64;

/// The hash an IRI is remembered by.
pub fn iri_hash(iri: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    iri.hash(&mut hasher);
    hasher.finish()
}

/// The IRIs one publish touched, or everything when there were too many to list.
#[derive(Debug, Default, Clone)]
pub struct Touched {
    iris: FxHashSet<u64>,
    everything: bool,
}

impl Touched {
    /// Touches everything (a change too large to list, or one to the set of current versions).
    pub fn everything() -> Self {
        Self {
            iris: FxHashSet::default(),
            everything: true,
        }
    }

    /// Notes `iri` (and, for a hash IRI `<doc#term>`, its document `doc`).
    pub fn iri(&mut self, iri: &str) {
        if self.everything {
            return;
        }
        self.iris.insert(iri_hash(iri));
        if let Some((doc, _)) = iri.split_once('#') {
            self.iris.insert(iri_hash(doc));
        }
        if self.iris.len() > MAX_TOUCHED {
            *self = Self::everything();
        }
    }

    /// Notes the IRIs of an added or removed triple: its subject and its object.
    pub fn triple(&mut self, triple: TripleRef<'_>) {
        if let NamedOrBlankNodeRef::NamedNode(s) = triple.subject {
            self.iri(s.as_str());
        }
        if let TermRef::NamedNode(o) = triple.object {
            self.iri(o.as_str());
        }
    }

    /// Whether this touches everything.
    pub fn is_everything(&self) -> bool {
        self.everything
    }
}

/// What a cached entry was computed from: the datasets whose versions it shows and the IRIs it
/// mentions.
#[derive(Debug, Default, Clone)]
pub struct Dependencies {
    datasets: Vec<String>,
    iris: Vec<u64>,
    any: bool,
}

impl Dependencies {
    /// Depends on dataset `id` (any new version of it).
    pub fn dataset(&mut self, id: &str) {
        if !self.datasets.iter().any(|d| d == id) {
            self.datasets.push(id.to_owned());
        }
    }

    /// Depends on every publish.
    pub fn any_publish(&mut self) {
        self.any = true;
    }

    /// Depends on what is said about `iri` (its triples, its labels, links to it).
    pub fn iri(&mut self, iri: &str) {
        self.iris.push(iri_hash(iri));
    }

    /// Drops repeated IRIs (after the last [`Dependencies::iri`]).
    pub fn finish(mut self) -> Self {
        self.iris.sort_unstable();
        self.iris.dedup();
        self
    }

    /// Bytes held, for cache weighing.
    pub fn bytes(&self) -> usize {
        self.iris.len() * 8 + self.datasets.iter().map(|d| d.len() + 24).sum::<usize>()
    }
}

/// One publish: the generation it started, the dataset it published, what it touched.
#[derive(Debug)]
struct Change {
    generation: u64,
    dataset: Option<String>,
    touched: Touched,
}

/// The most recent publishes, oldest first.
#[derive(Debug, Default)]
pub struct ChangeLog {
    changes: VecDeque<Change>,
}

impl ChangeLog {
    /// Records that `generation` was started by a publish of `dataset` (none: by a change of
    /// which versions are current) touching `touched`.
    pub fn record(&mut self, generation: u64, dataset: Option<&str>, touched: Touched) {
        self.changes.push_back(Change {
            generation,
            dataset: dataset.map(str::to_owned),
            touched,
        });
        if self.changes.len() > MAX_CHANGES {
            self.changes.pop_front();
        }
    }

    /// Whether something computed under generation `since` may have changed by generation
    /// `now`: a publish in between touched one of `deps`, or it is too old to tell.
    pub fn changed_since(&self, since: u64, now: u64, deps: &Dependencies) -> bool {
        self.touched_since(since, now, |c| {
            deps.any
                || c.dataset.as_ref().is_none_or(|d| deps.datasets.contains(d))
                || deps.iris.iter().any(|i| c.touched.iris.contains(i))
        })
    }

    /// Whether what was said about `iri` may have changed between generations `since` and
    /// `now` (its labels, say).
    pub fn iri_changed_since(&self, since: u64, now: u64, iri: &str) -> bool {
        let hash = iri_hash(iri);
        self.touched_since(since, now, |c| c.touched.iris.contains(&hash))
    }

    /// Whether a publish between `since` and `now` touched everything or `touches` says it
    /// touched what the caller depends on; true too when those publishes are forgotten.
    fn touched_since(&self, since: u64, now: u64, touches: impl Fn(&Change) -> bool) -> bool {
        if since >= now {
            return false;
        }
        match self.changes.front() {
            Some(oldest) if oldest.generation <= since + 1 => {}
            _ => return true, // publishes since then are no longer remembered
        }
        self.changes
            .iter()
            .filter(|c| c.generation > since)
            .any(|c| c.touched.everything || touches(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deps(datasets: &[&str], iris: &[&str]) -> Dependencies {
        let mut d = Dependencies::default();
        datasets.iter().for_each(|id| d.dataset(id));
        iris.iter().for_each(|iri| d.iri(iri));
        d.finish()
    }

    fn touched(iris: &[&str]) -> Touched {
        let mut t = Touched::default();
        iris.iter().for_each(|iri| t.iri(iri));
        t
    }

    #[test]
    fn only_publishes_touching_a_dependency_invalidate() {
        let mut log = ChangeLog::default();
        log.record(2, Some("a"), touched(&["http://x/a/1", "http://x/doc#t"]));
        log.record(3, Some("b"), touched(&["http://x/b/1"]));
        let view = deps(&["c"], &["http://x/c/1", "http://x/b/2"]);
        assert!(
            !log.changed_since(1, 3, &view),
            "nothing it shows was touched"
        );
        assert!(
            log.changed_since(1, 3, &deps(&["a"], &[])),
            "its dataset published"
        );
        assert!(
            log.changed_since(1, 3, &deps(&[], &["http://x/b/1"])),
            "an IRI it shows"
        );
        assert!(
            log.changed_since(1, 3, &deps(&[], &["http://x/doc"])),
            "a hash IRI's document"
        );
        assert!(
            !log.changed_since(2, 3, &deps(&["a"], &[])),
            "only publishes after it count"
        );
        assert!(!log.changed_since(3, 3, &deps(&["a"], &[])), "current");
    }

    #[test]
    fn large_changes_and_forgotten_history_invalidate_everything() {
        let mut log = ChangeLog::default();
        log.record(2, None, Touched::everything());
        assert!(log.changed_since(1, 2, &deps(&[], &[])));
        let mut big = Touched::default();
        for i in 0..=MAX_TOUCHED {
            big.iri(&format!("http://x/{i}"));
        }
        assert!(big.is_everything());
        let mut log = ChangeLog::default();
        for generation in 10..10 + MAX_CHANGES as u64 + 1 {
            log.record(generation, Some("z"), Touched::default());
        }
        assert!(
            log.changed_since(9, 80, &deps(&[], &[])),
            "older than the log"
        );
        assert!(!log.changed_since(20, 80, &deps(&[], &[])));
    }
}
