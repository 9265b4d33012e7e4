//! Small readers over an in-memory [`Graph`]: the values of a property and RDF lists.

use super::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};

/// The subject form of `term`, when it can be one.
pub fn as_subject(term: &Term) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        Term::NamedNode(n) => Some(n.into()),
        Term::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

/// All objects of `subject predicate ?o`.
pub fn values(graph: &Graph, subject: &Term, predicate: NamedNodeRef<'_>) -> Vec<Term> {
    match as_subject(subject) {
        Some(s) => graph
            .objects_for_subject_predicate(s, predicate)
            .map(TermRef::into_owned)
            .collect(),
        None => Vec::new(),
    }
}

/// Reads the RDF list starting at `head`, or says why it is not a well-formed list.
pub fn list(graph: &Graph, head: &Term) -> Result<Vec<Term>, String> {
    let mut items = Vec::new();
    let mut node = head.clone();
    let mut seen = std::collections::HashSet::new();
    while node != Term::from(rdf::NIL.into_owned()) {
        if !seen.insert(node.clone()) {
            return Err(format!("the RDF list at {head} is cyclic"));
        }
        let first = values(graph, &node, rdf::FIRST);
        let rest = values(graph, &node, rdf::REST);
        match (first.as_slice(), rest.as_slice()) {
            ([f], [r]) => {
                items.push(f.clone());
                node = r.clone();
            }
            _ => {
                return Err(format!(
                "{node} is not a well-formed RDF list node (needs one rdf:first and one rdf:rest)"
            ))
            }
        }
    }
    Ok(items)
}
