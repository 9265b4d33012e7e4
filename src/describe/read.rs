//! Reading a resource's triples from the current versions: quad by quad for most, by queries
//! for a large one, following blank nodes and unlabelled parts, and for a document of hash IRIs
//! all of its terms.

use super::{current, query, values, LABEL_PREDICATES};
use crate::store::Storage;
use oxigraph::model::{
    GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Term, Triple,
};
use oxigraph::store::StorageError;
use std::collections::HashSet;

/// A resource's triples and the graphs they come from.
pub type About = (Vec<Triple>, HashSet<NamedNode>);

/// The triples about `iri` in the current versions (blank nodes and unlabelled parts followed,
/// see [`is_part`]), and the graphs they come from.
pub fn triples_about(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<About, StorageError> {
    Ok(triples_within(storage, iri, None)?.expect("an unbounded read always finishes"))
}

/// Quads of a resource read one by one at most, without a bound: beyond, its triples are listed
/// by a query, which decodes two terms of each instead of four.
const SCAN_LIMIT: usize = 256;

/// [`triples_about`], or with a bound `max`, `None` as soon as that would read more than `max`
/// quads (or scan a whole graph, as a document of hash IRIs does): a caller on an async worker
/// then hands the read to the blocking pool instead of stalling the worker.
pub fn triples_within(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    max: Option<usize>,
) -> Result<Option<About>, StorageError> {
    Ok(resource(storage, iri, max, None)?.map(|(about, _)| about))
}

/// [`triples_within`]; with `values_page`, only that page of long properties' values is kept
/// (a resource listed by queries, past [`SCAN_LIMIT`] quads, has no others read), and the
/// properties cut are returned (see [`values`]).
pub(super) fn resource(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    max: Option<usize>,
    values_page: Option<usize>,
) -> Result<Option<(About, Vec<values::Capped>)>, StorageError> {
    let registry = storage.registry();
    let hash_graphs = registry.hash_document_graphs(iri.as_str());
    if max.is_some() && !hash_graphs.is_empty() {
        return Ok(None);
    }
    // A large resource (not a document of hash IRIs) is listed by a query past this many quads.
    let limit = match (max, hash_graphs.is_empty()) {
        (Some(max), _) => max,
        (None, true) => SCAN_LIMIT,
        (None, false) => usize::MAX,
    };
    let mut read = 0;
    let mut triples = Vec::new();
    let mut graphs = HashSet::new();
    let mut seen = HashSet::new();
    // What to read: a node, the graph to read it in (else the current versions), and whether
    // it is a part of a named node (see [`is_part`]), kept only when it has no label.
    let mut todo: Vec<(NamedOrBlankNode, Option<GraphName>, bool)> =
        vec![(iri.into_owned().into(), None, false)];
    // A document whose resources are hash IRIs `<doc#term>` shows all of them.
    for graph in hash_graphs {
        for term in hash_terms(storage, iri, &graph)? {
            todo.push((term.into(), Some(graph.clone().into()), false));
        }
    }
    let mut node = Vec::new();
    while let Some((subject, graph, part)) = todo.pop() {
        if !seen.insert((subject.clone(), graph.clone())) {
            continue;
        }
        let quads = match &graph {
            Some(graph) => Box::new(storage.store().quads_for_pattern(
                Some(subject.as_ref()),
                None,
                None,
                Some(graph.as_ref()),
            )) as Box<dyn Iterator<Item = _>>,
            None => current::quads(storage, &registry, Some(subject.as_ref()), None, None),
        };
        node.clear();
        for quad in quads {
            read += 1;
            if read > limit {
                drop(registry);
                return match max {
                    Some(_) => Ok(None),
                    None => listed(storage, iri, values_page).map(Some),
                };
            }
            let quad = quad?;
            if matches!(&quad.graph_name, GraphName::NamedNode(name) if registry.is_current_graph(name))
            {
                node.push(quad);
            }
        }
        // A part with a name of its own is a thing of its own, shown as a link.
        if part && node.iter().any(|q| is_label(q.predicate.as_ref())) {
            continue;
        }
        for quad in node.drain(..) {
            if let GraphName::NamedNode(name) = &quad.graph_name {
                if !graphs.contains(name) {
                    graphs.insert(name.clone());
                }
            }
            match &quad.object {
                Term::BlankNode(b) => {
                    todo.push((b.clone().into(), Some(quad.graph_name.clone()), false))
                }
                Term::NamedNode(o) if is_part(quad.subject.as_ref(), o.as_ref()) => {
                    todo.push((o.clone().into(), None, true))
                }
                _ => {}
            }
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
    }
    let triples = once(triples, &graphs);
    let (triples, capped) = match values_page {
        Some(page) => values::page_of(triples, page),
        None => (triples, Vec::new()),
    };
    Ok(Some(((triples, graphs), capped)))
}

/// The triples about `iri` listed by queries: its graphs, then its (property, value) pairs over
/// the union of the current versions, which decodes neither the subject nor the graph of each
/// (the blank nodes it leads to are read directly; its parts, which might be as many as its
/// values, stay links); with `values_page`, only that page of the values of properties with
/// more than a page shows.
fn listed(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    values_page: Option<usize>,
) -> Result<(About, Vec<values::Capped>), StorageError> {
    let graphs_query = format!("SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ {iri} ?p ?o }} }}");
    let graphs: HashSet<NamedNode> = query::select(storage, &graphs_query, true)?
        .into_iter()
        .filter_map(|row| match row.get("g") {
            Some(Term::NamedNode(g)) => Some(g.clone()),
            _ => None,
        })
        .collect();
    let subject = NamedOrBlankNode::from(iri.into_owned());
    let mut triples = Vec::new();
    let mut blanks = Vec::new();
    let (pairs, capped) = match values_page {
        Some(page) => values::pairs_page(storage, iri, page)?,
        None => {
            let all = format!("SELECT ?p ?o WHERE {{ {iri} ?p ?o }}");
            (
                values::pairs(query::select(storage, &all, false)?),
                Vec::new(),
            )
        }
    };
    for (p, o) in pairs {
        if let Term::BlankNode(b) = &o {
            blanks.push(b.clone());
        }
        triples.push(Triple::new(subject.clone(), p, o));
    }
    let registry = storage.registry();
    let mut seen = HashSet::new();
    while let Some(blank) = blanks.pop() {
        if !seen.insert(blank.clone()) {
            continue;
        }
        for quad in current::quads(storage, &registry, Some(blank.as_ref().into()), None, None) {
            let quad = quad?;
            if !matches!(&quad.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g))
            {
                continue;
            }
            if let Term::BlankNode(b) = &quad.object {
                blanks.push(b.clone());
            }
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
    }
    Ok(((once(triples, &graphs), graphs), capped))
}

/// `triples` with each triple once: the same triple may be in several datasets (a graph has
/// no duplicates, so one graph needs no check).
fn once(mut triples: Vec<Triple>, graphs: &HashSet<NamedNode>) -> Vec<Triple> {
    if graphs.len() > 1 {
        let mut unique = HashSet::with_capacity(triples.len());
        let first: Vec<bool> = triples.iter().map(|t| unique.insert(t)).collect();
        drop(unique);
        let mut first = first.into_iter();
        triples.retain(|_| first.next().unwrap_or(false));
    }
    triples
}

/// Whether `iri` is a part of `owner`: a named node whose IRI extends the owner's with a path
/// (`<item>/platnost`, `<item>/platnost/začátek`), as CSV-on-the-Web mappings name the nodes
/// that JSON-LD nests without a name. A description shows an unlabelled part inside its owner,
/// as it shows blank nodes; a labelled one is a thing of its own, shown as a link.
pub fn is_part(owner: NamedOrBlankNodeRef<'_>, iri: NamedNodeRef<'_>) -> bool {
    let NamedOrBlankNodeRef::NamedNode(owner) = owner else {
        return false;
    };
    iri.as_str()
        .strip_prefix(owner.as_str())
        .is_some_and(|rest| rest.len() > 1 && rest.starts_with('/'))
}

/// The IRIs `iri` is a part of (see [`is_part`]), nearest first: `<a/b/c>` → `<a/b>`, `<a>`
/// (down to the authority, whose path is empty; at most 8).
pub fn owners(iri: &str) -> impl Iterator<Item = &str> {
    let path_start = iri
        .find("://")
        .and_then(|i| iri[i + 3..].find('/').map(|j| i + 3 + j))
        .unwrap_or(iri.len());
    iri.char_indices()
        .rev()
        .filter(move |(i, c)| *c == '/' && *i > path_start && *i + 1 < iri.len())
        .map(move |(i, _)| &iri[..i])
        .take(8)
}

/// Whether `predicate` names what it is said of (one of [`LABEL_PREDICATES`]).
pub(super) fn is_label(predicate: NamedNodeRef<'_>) -> bool {
    LABEL_PREDICATES.contains(&predicate.as_str())
}

/// Subjects `<doc#…>` of `graph`.
fn hash_terms(
    storage: &Storage,
    doc: NamedNodeRef<'_>,
    graph: &NamedNode,
) -> Result<Vec<NamedNode>, StorageError> {
    let prefix = format!("{}#", doc.as_str());
    let mut terms = Vec::new();
    let mut last: Option<NamedNode> = None;
    let quads = storage
        .store()
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()));
    for quad in quads {
        if let NamedOrBlankNode::NamedNode(s) = quad?.subject {
            if s.as_str().starts_with(&prefix) && last.as_ref() != Some(&s) {
                last = Some(s.clone());
                terms.push(s);
            }
        }
    }
    terms.sort();
    terms.dedup();
    Ok(terms)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_part_extends_its_owners_iri_with_a_path() {
        let owner = NamedOrBlankNode::from(NamedNode::new_unchecked("http://x.example/a"));
        let part = |iri| is_part(owner.as_ref(), NamedNodeRef::new_unchecked(iri));
        assert!(part("http://x.example/a/platnost"));
        assert!(part("http://x.example/a/platnost/začátek"));
        assert!(!part("http://x.example/a/"), "nothing added");
        assert!(!part("http://x.example/ab"), "another name");
        assert!(
            !part("http://x.example/a#b"),
            "a hash IRI is a document's term"
        );
        assert!(!part("http://x.example/"));
        let blank = NamedOrBlankNode::from(oxigraph::model::BlankNode::default());
        let iri = NamedNodeRef::new_unchecked("http://x.example/a/b");
        assert!(!is_part(blank.as_ref(), iri));
        let owners: Vec<&str> = owners("http://x.example/a/b/c").collect();
        assert_eq!(owners, ["http://x.example/a/b", "http://x.example/a"]);
        assert_eq!(
            owners
                .iter()
                .filter(|o| is_part(NamedNodeRef::new_unchecked(o).into(), iri))
                .count(),
            1
        );
        assert_eq!(
            super::owners("http://x.example/a/").count(),
            0,
            "a trailing slash adds nothing"
        );
        assert_eq!(super::owners("urn:x:y").count(), 0);
    }
}
