//! What the store says about one resource: the triples of the current versions with it as
//! subject, with blank-node objects followed (their triples too, recursively), so that a
//! description is self-contained.

use crate::store::Storage;
use oxigraph::model::{GraphName, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::store::StorageError;
use std::collections::HashSet;

/// The description of `iri` in the current versions; empty when the store knows nothing.
pub fn describe(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<Vec<Triple>, StorageError> {
    let registry = storage.registry();
    let mut triples = Vec::new();
    let mut seen = HashSet::new();
    let mut todo: Vec<(NamedOrBlankNode, Option<GraphName>)> =
        vec![(iri.into_owned().into(), None)];
    while let Some((subject, graph)) = todo.pop() {
        if !seen.insert((subject.clone(), graph.clone())) {
            continue;
        }
        let quads = storage.store().quads_for_pattern(
            Some(subject.as_ref()),
            None,
            None,
            graph.as_ref().map(GraphName::as_ref),
        );
        for quad in quads {
            let quad = quad?;
            let GraphName::NamedNode(name) = &quad.graph_name else {
                continue;
            };
            if !registry.is_current_graph(name) {
                continue;
            }
            if let Term::BlankNode(b) = &quad.object {
                todo.push((b.clone().into(), Some(quad.graph_name.clone())));
            }
            triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
    }
    Ok(triples)
}
