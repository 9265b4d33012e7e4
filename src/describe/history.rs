//! A resource's history across the versions of its dataset: in which versions it appears, and
//! what changed about it from one to the next (for a code-list item: a renamed item, a closed
//! validity). Values that are blank nodes or parts of the resource (a validity interval)
//! compare by what they say.

use crate::store::registry::VersionRecord;
use crate::store::Storage;
use oxigraph::model::{GraphNameRef, NamedNode, NamedNodeRef, NamedOrBlankNodeRef, Term};
use oxigraph::store::StorageError;
use std::collections::BTreeSet;

/// What one version says about the resource, and how that differs from the version before.
#[derive(Debug, Clone)]
pub struct Appearance {
    /// The version's number.
    pub seq: u64,
    /// Its name: its date when it has one, else its number.
    pub label: String,
    /// Whether it is scheduled (dated after today: not yet current).
    pub scheduled: bool,
    /// The version's IRI.
    pub version: String,
    /// When it was published.
    pub created: String,
    /// Whether the resource is in this version at all.
    pub present: bool,
    /// (property, value) pairs new in this version.
    pub added: Vec<(NamedNode, String)>,
    /// (property, value) pairs gone in this version.
    pub removed: Vec<(NamedNode, String)>,
}

/// Most versions looked at (the newest ones).
pub const MAX_VERSIONS: usize = 50;

/// The resource `iri` in each of `versions` (oldest first), newest first; versions in which
/// nothing changed for it are left out, as are those before it first appears. Versions not
/// due on `today` are marked scheduled. The oldest version looked at is read; a later one only
/// when its changeset may have changed the resource (see `may_have_changed`). With a bound
/// `max_reads`, `None` as soon as that would read the resource in more versions, or read a
/// changeset file.
pub fn history(
    storage: &Storage,
    versions: &[VersionRecord],
    iri: NamedNodeRef<'_>,
    today: &str,
    max_reads: Option<usize>,
) -> Result<Option<Vec<Appearance>>, StorageError> {
    let window = window(versions);
    if max_reads.is_some() && !changes_known(storage, versions) {
        return Ok(None);
    }
    let mut out = Vec::new();
    let mut before: Option<Facts> = None;
    let mut reads = 0;
    for v in window {
        if let Some(previous) = &before {
            if !may_have_changed(storage, v, iri, previous) {
                continue;
            }
        }
        reads += 1;
        if max_reads.is_some_and(|max| reads > max) {
            return Ok(None);
        }
        let graph = NamedNode::new_unchecked(v.iri.clone());
        let now = Facts::of(storage, graph.as_ref().into(), iri)?;
        let nothing = Facts::default();
        let previous = &before.as_ref().unwrap_or(&nothing).pairs;
        let added: Vec<_> = now.pairs.difference(previous).cloned().collect();
        let removed: Vec<_> = previous.difference(&now.pairs).cloned().collect();
        if !added.is_empty() || !removed.is_empty() {
            out.push(Appearance {
                seq: v.seq,
                label: v.label(),
                scheduled: !v.is_due(today),
                version: v.iri.clone(),
                created: v.created.clone(),
                present: !now.pairs.is_empty(),
                added,
                removed,
            });
        }
        before = Some(now);
    }
    out.reverse();
    Ok(Some(out))
}

/// The versions a history looks at: the newest [`MAX_VERSIONS`].
fn window(versions: &[VersionRecord]) -> &[VersionRecord] {
    &versions[versions.len().saturating_sub(MAX_VERSIONS)..]
}

/// Whether a history of `versions` knows what each version changed without reading a
/// changeset file (so that it reads nothing but the store).
pub fn changes_known(storage: &Storage, versions: &[VersionRecord]) -> bool {
    window(versions)
        .iter()
        .skip(1)
        .all(|v| storage.version_changes_known(v))
}

/// Whether `version` may have changed what `iri` says, `before` being what it said in the
/// version before. What it says changes only with a triple added or removed whose subject is
/// the resource, one of its parts, or a blank node it leads to (a value newly reached is linked
/// by such a triple too); unknown changesets count as changing everything.
fn may_have_changed(
    storage: &Storage,
    version: &VersionRecord,
    iri: NamedNodeRef<'_>,
    before: &Facts,
) -> bool {
    let Some(changed) = storage.version_changes(version) else {
        return true;
    };
    changed.has(iri.as_str())
        || before.parts.iter().any(|part| changed.has(part.as_str()))
        || (before.blank_nodes && changed.has_blank_nodes())
}

/// What a resource says in one version.
#[derive(Debug, Default)]
struct Facts {
    /// Its (property, value) pairs; a value that is a blank node or a part of the resource
    /// (`<item>/platnost`, as CSV pushes name validity) is written as what it says,
    /// recursively (`[ time:hasBeginning [ … ] ]`).
    pairs: BTreeSet<(NamedNode, String)>,
    /// The parts it leads to.
    parts: Vec<NamedNode>,
    /// Whether it leads to a blank node.
    blank_nodes: bool,
}

impl Facts {
    /// What `iri` says in `graph`.
    fn of(
        storage: &Storage,
        graph: GraphNameRef<'_>,
        iri: NamedNodeRef<'_>,
    ) -> Result<Self, StorageError> {
        let mut facts = Self::default();
        facts.pairs = facts.pairs_of(storage, graph, iri.into(), 0)?;
        Ok(facts)
    }

    /// The pairs of `subject` in `graph`; notes the parts and blank nodes they reach.
    fn pairs_of(
        &mut self,
        storage: &Storage,
        graph: GraphNameRef<'_>,
        subject: NamedOrBlankNodeRef<'_>,
        depth: usize,
    ) -> Result<BTreeSet<(NamedNode, String)>, StorageError> {
        let mut out = BTreeSet::new();
        for quad in storage
            .store()
            .quads_for_pattern(Some(subject), None, None, Some(graph))
        {
            let quad = quad?;
            // Its parts (see [`super::is_part`]) and its hash IRIs `<item#validity>`.
            let part_of_subject = |n: &NamedNode| {
                super::is_part(subject, n.as_ref())
                    || matches!(subject, NamedOrBlankNodeRef::NamedNode(s)
                        if n.as_str().strip_prefix(s.as_str()).is_some_and(|r| r.starts_with('#')))
            };
            let inner = match &quad.object {
                Term::BlankNode(b) => {
                    self.blank_nodes = true;
                    Some(NamedOrBlankNodeRef::from(b.as_ref()))
                }
                Term::NamedNode(n) if part_of_subject(n) => {
                    self.parts.push(n.clone());
                    Some(NamedOrBlankNodeRef::from(n.as_ref()))
                }
                _ => None,
            };
            let value = match (&quad.object, inner) {
                (object, Some(node)) if depth < 8 => {
                    let inner = self.pairs_of(storage, graph, node, depth + 1)?;
                    // A part with a name of its own is a thing of its own, as on pages: its
                    // changes are its history, not its owner's.
                    let named = matches!(object, Term::NamedNode(_))
                        && inner.iter().any(|(p, _)| super::is_label(p.as_ref()));
                    match object {
                        Term::NamedNode(n) if named => crate::render::html::compact(n.as_str()),
                        _ => {
                            let parts: Vec<String> = inner
                                .into_iter()
                                .map(|(p, v)| {
                                    format!("{} {v}", crate::render::html::compact(p.as_str()))
                                })
                                .collect();
                            format!("[ {} ]", parts.join(" ; "))
                        }
                    }
                }
                (Term::NamedNode(n), _) => crate::render::html::compact(n.as_str()),
                (other, _) => other.to_string(),
            };
            out.insert((quad.predicate, value));
        }
        Ok(out)
    }
}
