//! What the store says about one resource, for every view of it: the triples of the current
//! versions with it as subject (blank-node objects followed, recursively, so a description is
//! self-contained), labels of the IRIs it mentions, the versions it comes from, and what links
//! to it (backlinks, paged).

use crate::store::registry::VersionRecord;
use crate::store::Storage;
use oxigraph::model::{
    GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};
use oxigraph::store::StorageError;
use std::collections::{BTreeMap, HashSet};

/// Predicates whose values name a resource, in order of preference.
pub const LABEL_PREDICATES: &[&str] = &[
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://purl.org/dc/terms/title",
    "https://schema.org/name",
    "http://schema.org/name",
    "http://xmlns.com/foaf/0.1/name",
];

/// Backlinks shown per page.
pub const BACKLINKS_PER_PAGE: usize = 50;

/// Everything a view of one resource shows.
#[derive(Debug, Default)]
pub struct Description {
    /// The resource.
    pub iri: String,
    /// Its triples, and those of the blank nodes it leads to.
    pub triples: Vec<Triple>,
    /// Label literals of every IRI the triples mention (subject, predicates, objects).
    pub labels: BTreeMap<NamedNode, Vec<Literal>>,
    /// The current versions the triples come from.
    pub versions: Vec<VersionRecord>,
    /// How many triples of the current versions point at the resource.
    pub backlink_count: usize,
    /// One page of them: (subject, predicate).
    pub backlinks: Vec<(NamedOrBlankNode, NamedNode)>,
}

impl Description {
    /// Whether the store knows nothing about the resource.
    pub fn is_empty(&self) -> bool {
        self.triples.is_empty()
    }

    /// Publication time of the newest version involved (Unix seconds).
    pub fn modified(&self) -> u64 {
        self.versions
            .iter()
            .map(|v| v.created_unix)
            .max()
            .unwrap_or(0)
    }
}

/// The triples about `iri` in the current versions (blank nodes followed), and the graphs they
/// come from.
pub fn triples_about(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
) -> Result<(Vec<Triple>, HashSet<NamedNode>), StorageError> {
    let registry = storage.registry();
    let mut triples = Vec::new();
    let mut graphs = HashSet::new();
    let mut seen = HashSet::new();
    // The same triple may be in several datasets: describe it once.
    let mut unique = HashSet::new();
    let mut todo: Vec<(NamedOrBlankNode, Option<GraphName>)> =
        vec![(iri.into_owned().into(), None)];
    // A document whose resources are hash IRIs `<doc#term>` shows all of them.
    for graph in registry.hash_document_graphs(iri.as_str()) {
        for term in hash_terms(storage, iri, &graph)? {
            todo.push((term.into(), Some(graph.clone().into())));
        }
    }
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
            graphs.insert(name.clone());
            if let Term::BlankNode(b) = &quad.object {
                todo.push((b.clone().into(), Some(quad.graph_name.clone())));
            }
            let triple = Triple::new(quad.subject, quad.predicate, quad.object);
            if unique.insert(triple.clone()) {
                triples.push(triple);
            }
        }
    }
    Ok((triples, graphs))
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

/// The full description of `iri`; `backlinks_page` counts from 1.
pub fn describe(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    backlinks_page: usize,
) -> Result<Description, StorageError> {
    let (triples, graphs) = triples_about(storage, iri)?;
    if triples.is_empty() {
        return Ok(Description::default());
    }
    let mut description = Description {
        iri: iri.as_str().to_owned(),
        ..Description::default()
    };
    let mut mentioned: HashSet<NamedNode> = HashSet::new();
    mentioned.insert(iri.into_owned());
    for t in &triples {
        mentioned.insert(t.predicate.clone());
        if let Term::NamedNode(n) = &t.object {
            mentioned.insert(n.clone());
        }
    }
    let (backlink_count, backlinks) = backlinks(storage, iri, backlinks_page)?;
    for (s, p) in &backlinks {
        mentioned.insert(p.clone());
        if let NamedOrBlankNode::NamedNode(n) = s {
            mentioned.insert(n.clone());
        }
    }
    description.labels = labels(storage, mentioned)?;
    let registry = storage.registry();
    description.versions = registry
        .datasets()
        .filter_map(|(_, versions)| versions.last())
        .filter(|v| graphs.contains(&NamedNode::new_unchecked(v.iri.clone())))
        .cloned()
        .collect();
    description.triples = triples;
    description.backlink_count = backlink_count;
    description.backlinks = backlinks;
    Ok(description)
}

/// Label literals of `iris` in the current versions (one index lookup per IRI).
fn labels(
    storage: &Storage,
    iris: HashSet<NamedNode>,
) -> Result<BTreeMap<NamedNode, Vec<Literal>>, StorageError> {
    let registry = storage.registry();
    let mut out = BTreeMap::new();
    for iri in iris {
        // The literals of the most preferred label predicate the IRI has.
        let mut best: Option<(usize, Vec<Literal>)> = None;
        for quad in storage
            .store()
            .quads_for_pattern(Some(iri.as_ref().into()), None, None, None)
        {
            let quad = quad?;
            let Some(rank) = LABEL_PREDICATES
                .iter()
                .position(|p| *p == quad.predicate.as_str())
            else {
                continue;
            };
            let current =
                matches!(&quad.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g));
            let (true, Term::Literal(l)) = (current, quad.object) else {
                continue;
            };
            match &mut best {
                Some((r, found)) if *r == rank => found.push(l),
                Some((r, _)) if *r < rank => {}
                _ => best = Some((rank, vec![l])),
            }
        }
        if let Some((_, found)) = best {
            out.insert(iri, found);
        }
    }
    Ok(out)
}

/// Whether the current versions hold any triple about `iri` (or it is a hash-IRI document).
pub fn has_data(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<bool, StorageError> {
    let registry = storage.registry();
    if !registry.hash_document_graphs(iri.as_str()).is_empty() {
        return Ok(true);
    }
    for quad in storage
        .store()
        .quads_for_pattern(Some(iri.into()), None, None, None)
    {
        if matches!(&quad?.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g)) {
            return Ok(true);
        }
    }
    Ok(false)
}

/// How many current triples point at `iri`, and page `page` (from 1) of them.
fn backlinks(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    page: usize,
) -> Result<(usize, Vec<(NamedOrBlankNode, NamedNode)>), StorageError> {
    let registry = storage.registry();
    let skip = page.saturating_sub(1) * BACKLINKS_PER_PAGE;
    let mut count = 0;
    let mut out = Vec::new();
    for quad in storage
        .store()
        .quads_for_pattern(None, None, Some(iri.into()), None)
    {
        let quad = quad?;
        let GraphName::NamedNode(g) = &quad.graph_name else {
            continue;
        };
        if !registry.is_current_graph(g) {
            continue;
        }
        if count >= skip && out.len() < BACKLINKS_PER_PAGE {
            out.push((quad.subject, quad.predicate));
        }
        count += 1;
    }
    Ok((count, out))
}

/// The best label of `iri` for `languages` (most preferred first): the first literal in a
/// preferred language (basic filtering: `en` takes `en-GB`), else one without a language, else
/// any.
pub fn best_label<'a>(labels: &'a [Literal], languages: &[String]) -> Option<&'a Literal> {
    for wanted in languages {
        let found = labels.iter().find(|l| {
            l.language().is_some_and(|tag| {
                tag.eq_ignore_ascii_case(wanted)
                    || tag
                        .to_ascii_lowercase()
                        .starts_with(&format!("{}-", wanted.to_ascii_lowercase()))
            })
        });
        if found.is_some() {
            return found;
        }
    }
    labels
        .iter()
        .find(|l| l.language().is_none())
        .or_else(|| labels.first())
}
