//! What the store says about one resource, for every view of it: the triples of the current
//! versions with it as subject (blank-node objects and unlabelled parts followed, recursively,
//! so a description is self-contained; see [`is_part`]), labels of the IRIs it mentions, the versions it comes from, and what links
//! to it (backlinks, paged).

mod backlinks;
pub mod code_list;
mod current;
pub mod dataset;
pub mod history;
mod labels;
mod query;
mod read;
pub mod values;

use backlinks::backlinks;
pub use labels::{best_label, labels as labels_of, language_rank, LabelCache, LABEL_PREDICATES};
use read::is_label;
pub use read::{is_part, owners, triples_about, triples_within, About};

use crate::store::changes::Dependencies;
use crate::store::registry::VersionRecord;
use crate::store::Storage;
use oxigraph::model::{
    BlankNode, GraphName, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};
use oxigraph::store::StorageError;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Backlinks shown per page.
pub const BACKLINKS_PER_PAGE: usize = 50;

/// Everything a view of one resource shows.
#[derive(Debug, Default)]
pub struct Description {
    /// The resource.
    pub iri: String,
    /// Its triples, and those of the blank nodes and unlabelled parts it leads to (for the RDF
    /// of a norm's document, its whole dataset: see [`with_whole_graphs`]).
    pub triples: Vec<Triple>,
    /// Label literals of every IRI the triples mention (subject, predicates, objects).
    pub labels: BTreeMap<NamedNode, Vec<Literal>>,
    /// The current versions the triples come from.
    pub versions: Vec<VersionRecord>,
    /// On a page: the properties with more values than it shows (see [`values`]).
    pub capped: Vec<values::Capped>,
    /// How many triples of the current versions point at the resource.
    pub backlink_count: usize,
    /// One page of them: (subject, predicate).
    pub backlinks: Vec<(NamedOrBlankNode, NamedNode)>,
    /// How many of them per predicate, most first.
    pub backlink_predicates: Vec<(NamedNode, usize)>,
    /// For the page's backlinks from blank nodes: the named resource each hangs from and the
    /// predicates leading from it to the blank node.
    pub backlink_owners: HashMap<BlankNode, (NamedNode, Vec<NamedNode>)>,
    /// For vocabulary terms, the resources linking with a schema predicate (sub-classes,
    /// sub-properties, properties with this domain or range, terms defined by an ontology), by
    /// predicate IRI, at most [`MAX_SCHEMA_LINKS`] each.
    pub schema_links: BTreeMap<&'static str, Vec<NamedNode>>,
    /// Persistent reference IRIs that the routing rules resolve to this resource (filled by the
    /// views, not from the store).
    pub references: Vec<String>,
    /// For an ontology: its terms (those `rdfs:isDefinedBy` it, or its hash IRIs) with their
    /// triples.
    pub terms: Vec<(NamedNode, Vec<Triple>)>,
    /// For a code list's page: one page of its items (filled by the views, for HTML only).
    pub items: Option<code_list::Items>,
    /// The versions of its dataset in which it changed, newest first (filled by the views, for
    /// HTML only).
    pub history: Vec<history::Appearance>,
}

/// Predicates whose backlinks describe a vocabulary term.
pub const SCHEMA_PREDICATES: &[&str] = &[
    "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
    "http://www.w3.org/2000/01/rdf-schema#domain",
    "http://www.w3.org/2000/01/rdf-schema#range",
    "http://www.w3.org/2000/01/rdf-schema#isDefinedBy",
];

/// What one label lookup that misses the cache costs, in quads read: it seeks an index up to
/// once per label predicate, where reading a quad of a range is one step.
const LABEL_LOOKUP_COST: usize = 8;

/// What following a blank-node backlink one hop towards its owner costs, in quads read: a
/// seek of the object index and its first quad (see [`backlinks::owner_of`]).
const OWNER_HOP_COST: usize = 2;

/// Most schema backlinks kept per predicate.
pub const MAX_SCHEMA_LINKS: usize = 1000;

impl Description {
    /// What a view of this description shows, hence depends on: the datasets of its versions
    /// (and their IRIs, whose titles it shows) and every IRI on it (the resource, its triples' subjects, predicates and objects, the
    /// labelled IRIs, backlinks, schema links, an ontology's terms, a code list's items).
    pub fn dependencies(&self) -> Dependencies {
        let mut deps = Dependencies::default();
        for v in &self.versions {
            deps.dataset(&v.dataset);
            deps.iri(&v.dataset_iri);
        }
        deps.iri(&self.iri);
        let mut triple = |t: &Triple| {
            if let NamedOrBlankNode::NamedNode(s) = &t.subject {
                deps.iri(s.as_str());
            }
            deps.iri(t.predicate.as_str());
            if let Term::NamedNode(o) = &t.object {
                deps.iri(o.as_str());
            }
        };
        self.triples.iter().for_each(&mut triple);
        self.terms.iter().flat_map(|(_, t)| t).for_each(&mut triple);
        for iri in self.labels.keys() {
            deps.iri(iri.as_str());
        }
        for (subject, predicate) in &self.backlinks {
            if let NamedOrBlankNode::NamedNode(s) = subject {
                deps.iri(s.as_str());
            }
            deps.iri(predicate.as_str());
        }
        for (predicate, _) in &self.backlink_predicates {
            deps.iri(predicate.as_str());
        }
        for (owner, path) in self.backlink_owners.values() {
            deps.iri(owner.as_str());
            path.iter().for_each(|p| deps.iri(p.as_str()));
        }
        for iri in self.schema_links.values().flatten() {
            deps.iri(iri.as_str());
        }
        for (term, _) in &self.terms {
            deps.iri(term.as_str());
        }
        if let Some(items) = &self.items {
            // An item's validity may sit in nodes of their own: any publish may change the table.
            deps.any_publish();
            for row in &items.rows {
                deps.iri(&row.iri);
            }
        }
        deps
    }

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

/// The triples of `iri` and the versions they come from: what the RDF formats carry, and the
/// start of a page (see [`complete`]; for a page, `values_page` keeps a large resource from
/// reading more than that page of its long properties' values). With a bound `max`, `None` as
/// soon as reading them would take more than `max` quads (see [`triples_within`]).
pub fn describe(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    max: Option<usize>,
    values_page: Option<usize>,
) -> Result<Option<Description>, StorageError> {
    let Some(((triples, graphs), capped)) = read::resource(storage, iri, max, values_page)? else {
        return Ok(None);
    };
    if triples.is_empty() {
        return Ok(Some(Description::default()));
    }
    Ok(Some(Description {
        iri: iri.as_str().to_owned(),
        triples,
        versions: storage
            .registry()
            .current_versions()
            .filter(|v| graphs.contains(&NamedNode::new_unchecked(v.iri.clone())))
            .cloned()
            .collect(),
        capped,
        ..Description::default()
    }))
}

/// Completes a [`describe`]d resource with everything its page shows: labels, backlinks (page
/// `backlinks_page`, from 1), schema links, an ontology's terms. With a bound `max`, `None` as
/// soon as that would read more than `max` quads of its backlinks, follow more blank-node
/// backlinks to their owners or look up more labels missing the cache than `max` quads cost
/// (`OWNER_HOP_COST`, `LABEL_LOOKUP_COST`), or when the resource is an ontology (whose page
/// reads all its terms).
pub fn complete(
    storage: &Storage,
    label_cache: &LabelCache,
    mut description: Description,
    backlinks_page: usize,
    max: Option<usize>,
) -> Result<Option<Description>, StorageError> {
    let Ok(iri) = NamedNode::new(description.iri.as_str()) else {
        return Ok(Some(description));
    };
    let iri = iri.as_ref();
    let triples = std::mem::take(&mut description.triples);
    let mut mentioned: HashSet<NamedNode> = HashSet::new();
    mentioned.insert(iri.into_owned());
    for t in &triples {
        mentioned.insert(t.predicate.clone());
        if let Term::NamedNode(n) = &t.object {
            mentioned.insert(n.clone());
        }
    }
    let Some(links) = backlinks(storage, iri, backlinks_page, max)? else {
        return Ok(None);
    };
    let backlinks = links.page;
    let backlink_count = links.count;
    // The owners of blank-node backlinks cost up to a seek a hop each: within the bound too.
    let blank = backlinks.iter().filter(|(s, _)| s.is_blank_node()).count();
    if max.is_some_and(|max| blank * backlinks::MAX_OWNER_HOPS * OWNER_HOP_COST > max) {
        return Ok(None);
    }
    for (subject, _) in &backlinks {
        if let NamedOrBlankNode::BlankNode(b) = subject {
            if let Some((owner, path)) = backlinks::owner_of(storage, b)? {
                mentioned.insert(owner.clone());
                mentioned.extend(path.iter().cloned());
                description.backlink_owners.insert(b.clone(), (owner, path));
            }
        }
    }
    description.backlink_predicates = links.by_predicate;
    description.schema_links = links.schema;
    let defined = description
        .schema_links
        .get(SCHEMA_PREDICATES[4])
        .cloned()
        .unwrap_or_default();
    if max.is_some() && !defined.is_empty() {
        return Ok(None);
    }
    for term in &defined {
        let (triples, _) = triples_about(storage, term.as_ref())?;
        description.terms.push((term.clone(), triples));
    }
    for (p, _) in &description.backlink_predicates {
        mentioned.insert(p.clone());
    }
    for term in description.schema_links.values().flatten() {
        mentioned.insert(term.clone());
    }
    // The page names the datasets it comes from by their titles.
    for v in &description.versions {
        mentioned.insert(NamedNode::new_unchecked(v.dataset_iri.clone()));
    }
    for (_, triples) in &description.terms {
        for t in triples {
            mentioned.insert(t.predicate.clone());
        }
    }
    for (s, p) in &backlinks {
        mentioned.insert(p.clone());
        if let NamedOrBlankNode::NamedNode(n) = s {
            mentioned.insert(n.clone());
        }
    }
    // The resource's own labels are among its triples: no need to read them again. Without
    // any, it is named after the nearest labelled resource it is a part of (see [`owners`]).
    mentioned.remove(&iri.into_owned());
    let own = labels::own_labels(&triples, iri);
    if own.is_empty() {
        mentioned.extend(owners(iri.as_str()).map(NamedNode::new_unchecked));
    }
    let lookups = max.map(|max| max / LABEL_LOOKUP_COST);
    let Some(labels) = labels::labels(storage, label_cache, mentioned, lookups)? else {
        return Ok(None);
    };
    description.labels = labels;
    if !own.is_empty() {
        description.labels.insert(iri.into_owned(), own);
    }
    description.triples = triples;
    description.backlink_count = backlink_count;
    description.backlinks = backlinks;
    Ok(Some(description))
}

/// Whether the current versions hold any triple about `iri`.
pub fn has_data(storage: &Storage, iri: NamedNodeRef<'_>) -> Result<bool, StorageError> {
    let registry = storage.registry();
    for quad in current::quads(storage, &registry, Some(iri.into()), None, None) {
        if let GraphName::NamedNode(g) = quad?.graph_name {
            if registry.is_current_graph(&g) {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// The current data, for rebuilding a norm's table rows ([`crate::csvw::Lookup`]); remembers
/// the IRIs it was asked about, which the rows then depend on.
pub struct StoreLookup<'a>(pub &'a Storage, pub Vec<String>);

impl crate::csvw::Lookup for StoreLookup<'_> {
    fn about(&mut self, subject: &str) -> Vec<Triple> {
        self.1.push(subject.to_owned());
        NamedNode::new(subject)
            .ok()
            .and_then(|n| triples_about(self.0, n.as_ref()).ok())
            .map(|(triples, _)| triples)
            .unwrap_or_default()
    }

    fn linking(&mut self, predicate: &str, object: &str) -> Vec<String> {
        self.1.push(object.to_owned());
        let (Ok(p), Ok(o)) = (NamedNode::new(predicate), NamedNode::new(object)) else {
            return Vec::new();
        };
        let registry = self.0.registry();
        let mut subjects: Vec<String> = current::quads(
            self.0,
            &registry,
            None,
            Some(p.as_ref()),
            Some(o.as_ref().into()),
        )
        .filter_map(Result::ok)
        .filter(
            |q| matches!(&q.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g)),
        )
        .filter_map(|q| match q.subject {
            NamedOrBlankNode::NamedNode(s) => Some(s.into_string()),
            NamedOrBlankNode::BlankNode(_) => None,
        })
        .collect();
        subjects.sort();
        subjects.dedup();
        subjects
    }
}

/// `owl:versionIRI`.
const VERSION_IRI: &str = "http://www.w3.org/2002/07/owl#versionIRI";

/// The published version whose ontology has `iri` as `owl:versionIRI` (the newest such version,
/// current or not): its graph and the ontology's IRI.
pub fn ontology_version(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
) -> Result<Option<(NamedNode, NamedNode)>, StorageError> {
    let registry = storage.registry();
    let mut found: Option<(u64, NamedNode, NamedNode)> = None;
    let predicate = NamedNodeRef::new_unchecked(VERSION_IRI);
    for quad in storage
        .store()
        .quads_for_pattern(None, Some(predicate), Some(iri.into()), None)
    {
        let quad = quad?;
        let (GraphName::NamedNode(g), NamedOrBlankNode::NamedNode(ontology)) =
            (&quad.graph_name, &quad.subject)
        else {
            continue;
        };
        let Some(seq) = registry.version_seq(g.as_str()) else {
            continue;
        };
        if found.as_ref().is_none_or(|(s, _, _)| seq > *s) {
            found = Some((seq, g.clone(), ontology.clone()));
        }
    }
    Ok(found.map(|(_, g, o)| (g, o)))
}

/// The triples of one graph.
fn graph_triples(storage: &Storage, graph: &NamedNode) -> Result<Vec<Triple>, StorageError> {
    let quads = storage
        .store()
        .quads_for_pattern(None, None, None, Some(graph.as_ref().into()));
    quads
        .map(|quad| quad.map(|q| Triple::new(q.subject, q.predicate, q.object)))
        .collect()
}

/// Makes the triples of `description` the whole content of `graphs` (its dataset's, when a
/// norm says its datasets are one document about it: see [`crate::norm::Norm::document`]), as
/// its version IRI gives it: an RDF client opening a code list by its IRI gets its items, one
/// opening an ontology (Protégé) its classes and properties, not a header alone. Its triples
/// in no such graph (a dataset IRI's VoID description) are kept.
pub fn with_whole_graphs(
    storage: &Storage,
    description: &mut Description,
    graphs: &[NamedNode],
) -> Result<(), StorageError> {
    let mut whole = Vec::new();
    for graph in graphs {
        whole.extend(graph_triples(storage, graph)?);
    }
    let mut seen: HashSet<Triple> = whole.iter().cloned().collect();
    for t in std::mem::take(&mut description.triples) {
        if seen.insert(t.clone()) {
            whole.push(t);
        }
    }
    description.triples = whole;
    Ok(())
}

/// The whole content of one version graph, shown as the page of `ontology` (its other named
/// subjects become its terms): what an ontology's version IRI dereferences to.
pub fn describe_version(
    storage: &Storage,
    graph: &NamedNode,
    ontology: &NamedNode,
) -> Result<Description, StorageError> {
    let triples = graph_triples(storage, graph)?;
    let mut labels: BTreeMap<NamedNode, Vec<Literal>> = BTreeMap::new();
    let mut terms: BTreeMap<NamedNode, Vec<Triple>> = BTreeMap::new();
    for t in &triples {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            if let (true, Term::Literal(l)) =
                (LABEL_PREDICATES.contains(&t.predicate.as_str()), &t.object)
            {
                labels.entry(s.clone()).or_default().push(l.clone());
            }
            if s != ontology {
                terms.entry(s.clone()).or_default().push(t.clone());
            }
        }
    }
    let registry = storage.registry();
    let versions = registry
        .datasets()
        .flat_map(|(_, versions)| versions.iter())
        .filter(|v| v.iri == graph.as_str())
        .cloned()
        .collect();
    Ok(Description {
        iri: ontology.as_str().to_owned(),
        triples,
        labels,
        versions,
        terms: terms.into_iter().collect(),
        ..Description::default()
    })
}
