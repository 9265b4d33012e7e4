//! The content of one version as triples, wherever it is held (the push's index, a canonicalized
//! graph, or a graph of the store), and its order-independent content hash.

use crate::shacl::DataGraph;
use crate::store::registry::MAX_HASH_DOCUMENTS;
use oxigraph::model::vocab::rdf;
use oxigraph::model::{
    graph::CanonicalizationAlgorithm, BlankNode, BlankNodeRef, Graph, GraphNameRef, NamedNode,
    NamedNodeRef, NamedOrBlankNode, NamedOrBlankNodeRef, Quad, Term, TermRef, Triple, TripleRef,
};
use oxigraph::store::{StorageError, Store};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;

/// Triples that can be walked several times, from several threads.
pub trait TripleSource: Sync {
    /// Calls `f` on every triple, once each.
    fn each(&self, f: &mut dyn FnMut(TripleRef<'_>)) -> Result<(), StorageError>;
}

/// A pushed batch, ready to publish: its triples as indexed by validation, or a copy whose blank
/// node labels were canonicalized (so that equal content has equal triples, version to version).
pub enum Content<'a> {
    /// The validated index, when the data holds no blank node.
    Indexed(&'a DataGraph),
    /// A canonicalized copy, when it does.
    Canonical(Box<Graph>),
}

impl<'a> Content<'a> {
    /// Takes the validated data; blank nodes get canonical labels (RDFC-1.0 style, Oxigraph's
    /// implementation) prefixed with `scope`, so pushing the same graph twice yields the same
    /// triples and hash, while blank nodes of different datasets stay apart in the store (whose
    /// blank nodes are global).
    pub fn of(data: &'a DataGraph, scope: &str) -> Self {
        let has_blank_nodes = data.data_triples().any(|(s, _, o)| {
            matches!(data.term(s), Term::BlankNode(_)) || matches!(data.term(o), Term::BlankNode(_))
        });
        if !has_blank_nodes {
            return Self::Indexed(data);
        }
        let mut graph = Graph::new();
        for (s, p, o) in data.data_triples() {
            graph.insert(triple_of(data, s, p, o));
        }
        graph.canonicalize(CanonicalizationAlgorithm::Unstable);
        let scoped =
            |b: BlankNodeRef<'_>| BlankNode::new_unchecked(format!("{scope}{}", b.as_str()));
        let graph = graph
            .iter()
            .map(|t| {
                let subject: NamedOrBlankNode = match t.subject {
                    NamedOrBlankNodeRef::BlankNode(b) => scoped(b).into(),
                    s => s.into_owned(),
                };
                let object: Term = match t.object {
                    TermRef::BlankNode(b) => scoped(b).into(),
                    o => o.into_owned(),
                };
                Triple::new(subject, t.predicate.into_owned(), object)
            })
            .collect();
        Self::Canonical(Box::new(graph))
    }

    /// Number of triples.
    pub fn len(&self) -> usize {
        match self {
            Self::Indexed(data) => data.data_triples().count(),
            Self::Canonical(graph) => graph.len(),
        }
    }

    /// The triples as quads of `graph`, for loading.
    pub fn quads<'g>(&'g self, graph: &'g NamedNode) -> Box<dyn Iterator<Item = Quad> + 'g> {
        let quad = move |t: TripleRef<'_>| {
            Quad::new(
                t.subject.into_owned(),
                t.predicate.into_owned(),
                t.object.into_owned(),
                graph.clone(),
            )
        };
        match self {
            Self::Indexed(data) => Box::new(
                data.data_triples()
                    .map(move |(s, p, o)| quad(triple_of(data, s, p, o))),
            ),
            Self::Canonical(g) => Box::new(g.iter().map(quad)),
        }
    }

    /// Whether there is no triple.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl TripleSource for Content<'_> {
    fn each(&self, f: &mut dyn FnMut(TripleRef<'_>)) -> Result<(), StorageError> {
        match self {
            Self::Indexed(data) => data
                .data_triples()
                .for_each(|(s, p, o)| f(triple_of(data, s, p, o))),
            Self::Canonical(graph) => graph.iter().for_each(f),
        }
        Ok(())
    }
}

fn triple_of(data: &DataGraph, s: u32, p: u32, o: u32) -> TripleRef<'_> {
    let subject = match data.term(s) {
        Term::NamedNode(n) => NamedOrBlankNodeRef::from(n.as_ref()),
        Term::BlankNode(b) => b.as_ref().into(),
        Term::Literal(_) => unreachable!("the parser never gives a literal subject"),
    };
    let Term::NamedNode(predicate) = data.term(p) else {
        unreachable!("predicates are IRIs")
    };
    TripleRef::new(subject, predicate, TermRef::from(data.term(o)))
}

/// What a version's record keeps of its content, read in one pass at publish.
#[derive(Debug, Default)]
pub struct Facts {
    /// The distinct documents `doc` of subjects `<doc#term>`, sorted, at most
    /// [`MAX_HASH_DOCUMENTS`].
    pub hash_documents: Vec<String>,
    /// How many resources each class types (`rdf:type`), for the most common
    /// [`MAX_CLASSES`] classes: the dataset's VoID class partitions.
    pub classes: BTreeMap<String, u64>,
}

/// Most classes a version's record counts resources of.
pub const MAX_CLASSES: usize = 1_000;

/// The [`Facts`] of `source`.
pub fn facts(source: &dyn TripleSource) -> Result<Facts, StorageError> {
    let mut docs = BTreeSet::new();
    let mut classes: HashMap<String, u64> = HashMap::new();
    source.each(&mut |t| {
        if let NamedOrBlankNodeRef::NamedNode(n) = t.subject {
            if let Some((doc, _)) = n.as_str().split_once('#') {
                if docs.len() < MAX_HASH_DOCUMENTS && !docs.contains(doc) {
                    docs.insert(doc.to_owned());
                }
            }
        }
        if let (true, TermRef::NamedNode(class)) = (t.predicate == rdf::TYPE, t.object) {
            match classes.get_mut(class.as_str()) {
                Some(count) => *count += 1,
                None => {
                    classes.insert(class.as_str().to_owned(), 1);
                }
            }
        }
    })?;
    let mut classes: Vec<(String, u64)> = classes.into_iter().collect();
    classes.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    classes.truncate(MAX_CLASSES);
    Ok(Facts {
        hash_documents: docs.into_iter().collect(),
        classes: classes.into_iter().collect(),
    })
}

/// One named graph of the store.
pub struct StoreGraph<'a> {
    /// The store.
    pub store: &'a Store,
    /// The graph's name.
    pub graph: NamedNodeRef<'a>,
}

impl TripleSource for StoreGraph<'_> {
    fn each(&self, f: &mut dyn FnMut(TripleRef<'_>)) -> Result<(), StorageError> {
        let graph = GraphNameRef::NamedNode(self.graph);
        for quad in self.store.quads_for_pattern(None, None, None, Some(graph)) {
            let quad = quad?;
            f(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
        }
        Ok(())
    }
}

/// Hashes each triple (SHA-256 of its N-Triples form) and combines the hashes by addition, so the
/// content hash does not depend on order. `key` receives each triple's 128-bit key.
pub fn hash_triples(
    source: &dyn TripleSource,
    mut key: impl FnMut(u128),
) -> Result<String, StorageError> {
    let mut lanes = [0_u128; 2];
    let mut line = String::new();
    source.each(&mut |t| {
        let [a, b] = digest(t, &mut line);
        lanes[0] = lanes[0].wrapping_add(a);
        lanes[1] = lanes[1].wrapping_add(b);
        key(a);
    })?;
    Ok(format!("{:032x}{:032x}", lanes[0], lanes[1]))
}

/// The 128-bit key of one triple, as [`hash_triples`] computes it.
pub fn key_of(t: TripleRef<'_>) -> u128 {
    digest(t, &mut String::new())[0]
}

/// SHA-256 of a triple's N-Triples form, as two 128-bit halves; `buffer` is reused scratch.
fn digest(t: TripleRef<'_>, buffer: &mut String) -> [u128; 2] {
    buffer.clear();
    write!(buffer, "{t}").expect("writing to a String");
    let digest = Sha256::digest(buffer.as_bytes());
    let (a, b) = digest.split_at(16);
    [
        u128::from_be_bytes(a.try_into().expect("16 bytes")),
        u128::from_be_bytes(b.try_into().expect("16 bytes")),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_count_each_class_and_keep_the_most_common() {
        let node = |iri: String| NamedNode::new_unchecked(iri);
        let mut graph = Graph::new();
        // Class 0 types two resources, every other class one; one more class than kept.
        for i in 0..=MAX_CLASSES {
            let class = node(format!("http://example.org/C{i:04}"));
            let thing = node(format!("http://example.org/doc#t{i}"));
            graph.insert(&Triple::new(thing, rdf::TYPE, class));
        }
        let extra = node("http://example.org/other#x".into());
        graph.insert(&Triple::new(
            extra,
            rdf::TYPE,
            node("http://example.org/C0000".into()),
        ));
        let facts = facts(&Content::Canonical(Box::new(graph))).unwrap();
        assert_eq!(facts.classes.len(), MAX_CLASSES);
        assert_eq!(facts.classes["http://example.org/C0000"], 2);
        assert_eq!(facts.classes["http://example.org/C0001"], 1);
        // Of the classes typing one resource each, the last by IRI is the one left out.
        let last = format!("http://example.org/C{MAX_CLASSES:04}");
        assert!(!facts.classes.contains_key(&last));
        let docs = ["http://example.org/doc", "http://example.org/other"];
        assert_eq!(facts.hash_documents, docs);
    }
}
