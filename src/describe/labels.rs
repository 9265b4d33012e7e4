//! Labels of the IRIs a view mentions: the literals of the most preferred label predicate in the
//! current versions. Predicates, classes and popular resources are mentioned by many views, so
//! their labels are kept in a cache shared by all requests; a cached label stays good until a
//! publish touches its IRI (see [`crate::store::changes`]), so it is never stale.

use crate::store::Storage;
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};
use oxigraph::store::StorageError;
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Predicates whose values name a resource, in order of preference.
pub const LABEL_PREDICATES: &[&str] = &[
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
    "http://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
];

/// The labels of IRIs (none is remembered too), with the registry generation they are known
/// good at, bounded in bytes.
#[derive(Clone)]
pub struct LabelCache(moka::sync::Cache<NamedNode, (u64, Arc<[Literal]>)>);

impl LabelCache {
    /// A cache holding about `max_bytes` of IRIs and labels (0 keeps nothing).
    pub fn new(max_bytes: u64) -> Self {
        Self(
            moka::sync::Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|iri: &NamedNode, (_, labels): &(u64, Arc<[Literal]>)| {
                    let bytes: usize = labels.iter().map(|l| l.value().len() + 32).sum();
                    u32::try_from(iri.as_str().len() + bytes + 64).unwrap_or(u32::MAX)
                })
                .build(),
        )
    }
}

/// Label literals of `iris` in the current versions: from `cache`, else with one index lookup
/// per IRI; `None` as soon as more than `max` IRIs would be looked up (what was read stays
/// cached).
pub fn labels(
    storage: &Storage,
    cache: &LabelCache,
    iris: HashSet<NamedNode>,
    max: Option<usize>,
) -> Result<Option<BTreeMap<NamedNode, Vec<Literal>>>, StorageError> {
    let generation = storage.registry().generation();
    let mut out = BTreeMap::new();
    let mut looked_up = 0;
    for iri in iris {
        let cached = cache.0.get(&iri).filter(|(known_at, _)| {
            *known_at == generation
                || !storage
                    .registry()
                    .iri_changed_since(*known_at, iri.as_str())
        });
        let found = match cached {
            Some((_, found)) => found,
            None => {
                looked_up += 1;
                if max.is_some_and(|max| looked_up > max) {
                    return Ok(None);
                }
                let found: Arc<[Literal]> = read_labels(storage, iri.as_ref())?.into();
                cache
                    .0
                    .insert(iri.clone(), (generation, Arc::clone(&found)));
                found
            }
        };
        if !found.is_empty() {
            out.insert(iri, found.to_vec());
        }
    }
    Ok(Some(out))
}

/// Label predicates tried before checking that the IRI is described at all (the two most used).
const TRIED_FIRST: usize = 2;

/// The literals of the most preferred label predicate `iri` has in the current versions: one
/// lookup per label predicate, most preferred first, until one has values (most resources have
/// one of the first, and only label quads are read). An IRI no version describes (a class or a
/// resource of another vocabulary) is found out after the first ones, with one lookup. A
/// version's IRI has the labels of its record.
fn read_labels(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<Vec<Literal>, StorageError> {
    let registry = storage.registry();
    if let Some(version) = registry.version(iri.as_str()) {
        return Ok(super::dataset::version_labels(version));
    }
    for (i, predicate) in LABEL_PREDICATES.iter().enumerate() {
        if i == TRIED_FIRST && !described_anywhere(storage, iri)? {
            break;
        }
        let mut found = Vec::new();
        let predicate = NamedNodeRef::new_unchecked(predicate);
        for quad in
            super::current::quads(storage, &registry, Some(iri.into()), Some(predicate), None)
        {
            let quad = quad?;
            let current =
                matches!(&quad.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g));
            if let (true, Term::Literal(l)) = (current, quad.object) {
                found.push(l);
            }
        }
        if !found.is_empty() {
            return Ok(found);
        }
    }
    Ok(Vec::new())
}

/// Whether any graph (a version, current or not) has a triple about `iri`: one index lookup.
fn described_anywhere(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<bool, StorageError> {
    let mut quads = storage
        .store()
        .quads_for_pattern(Some(iri.into()), None, None, None);
    Ok(quads.next().transpose()?.is_some())
}

/// Keeps the literals of the most preferred label predicate seen so far (`rank` indexes
/// [`LABEL_PREDICATES`]; lower is better).
fn keep_best_label(best: &mut Option<(usize, Vec<Literal>)>, rank: usize, label: Literal) {
    match best {
        Some((r, found)) if *r == rank => found.push(label),
        Some((r, _)) if *r < rank => {}
        _ => *best = Some((rank, vec![label])),
    }
}

/// The labels of `iri` among `triples` (those of its most preferred label predicate).
pub(super) fn own_labels(triples: &[Triple], iri: NamedNodeRef<'_>) -> Vec<Literal> {
    let mut best: Option<(usize, Vec<Literal>)> = None;
    for t in triples {
        let (NamedOrBlankNode::NamedNode(s), Term::Literal(l)) = (&t.subject, &t.object) else {
            continue;
        };
        let Some(rank) = LABEL_PREDICATES
            .iter()
            .position(|p| *p == t.predicate.as_str())
        else {
            continue;
        };
        if s.as_ref() != iri {
            continue;
        }
        keep_best_label(&mut best, rank, l.clone());
    }
    best.map(|(_, l)| l).unwrap_or_default()
}

/// The best label of `iri` for `languages` (most preferred first): the first literal in a
/// preferred language (basic filtering: `en` takes `en-GB`), else one without a language, else
/// any.
pub fn best_label<'a>(labels: &'a [Literal], languages: &[String]) -> Option<&'a Literal> {
    labels.iter().min_by_key(|l| language_rank(l, languages))
}

/// How far down `languages` (most preferred first) a literal's language is: its position there
/// (basic filtering: `en` takes `en-GB`), after them a literal without a language, last any
/// other language.
pub fn language_rank(literal: &Literal, languages: &[String]) -> usize {
    let Some(tag) = literal.language() else {
        return languages.len();
    };
    languages
        .iter()
        .position(|wanted| {
            tag.get(..wanted.len())
                .is_some_and(|start| start.eq_ignore_ascii_case(wanted))
                && matches!(tag.as_bytes().get(wanted.len()), None | Some(b'-'))
        })
        .unwrap_or(languages.len() + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn preferred_languages_first_then_none_then_others() {
        let languages = ["cs".to_owned(), "en".to_owned()];
        let tagged = |tag| Literal::new_language_tagged_literal_unchecked("x", tag);
        let rank = |l: &Literal| language_rank(l, &languages);
        assert_eq!(rank(&tagged("cs")), 0);
        assert_eq!(rank(&tagged("CS")), 0);
        assert_eq!(rank(&tagged("en-GB")), 1);
        assert_eq!(rank(&Literal::new_simple_literal("x")), 2);
        assert_eq!(rank(&tagged("de")), 3);
        // `en` takes `en-GB`, not `eng` or `e`.
        assert_eq!(rank(&tagged("eng")), 3);
        assert_eq!(rank(&tagged("e")), 3);
        let labels = [
            tagged("de"),
            Literal::new_simple_literal("plain"),
            tagged("en"),
        ];
        assert_eq!(best_label(&labels, &languages), Some(&labels[2]));
        assert_eq!(best_label(&labels[..2], &languages), Some(&labels[1]));
        assert_eq!(best_label(&labels[..1], &languages), Some(&labels[0]));
        assert_eq!(best_label(&[], &languages), None);
    }
}
