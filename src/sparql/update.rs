//! SPARQL Update, always validated: an update may write one dataset's graph (named by the
//! dataset's IRI, with `WITH` or `GRAPH`). It runs on a copy of that dataset's current content
//! (so its `WHERE` sees that content only), and the result is pushed like any other content:
//! validated against the dataset's norm and published as a new version, or nothing changes.

use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode, Quad, Triple};
use oxigraph::sparql::SparqlEvaluator;
use oxigraph::store::Store;
use spargebra::algebra::GraphTarget;
use spargebra::term::{GraphName, GraphNamePattern};
use spargebra::{GraphUpdateOperation, Update};
use std::collections::BTreeSet;

/// Why an update is refused before it runs.
#[derive(Debug, thiserror::Error)]
pub enum UpdateError {
    /// It does not parse.
    #[error("{0}")]
    Syntax(String),
    /// It writes no named graph, the default graph, or several graphs.
    #[error("{0}")]
    Target(String),
    /// It failed on the dataset's content.
    #[error("{0}")]
    Evaluation(String),
}

/// A parsed update and the one graph it writes.
pub struct Parsed {
    update: Update,
    /// The IRI of the graph it writes (a dataset's IRI, checked by the caller).
    pub graph: String,
}

/// Parses `text` and finds the one graph it writes.
pub fn parse(text: &str) -> Result<Parsed, UpdateError> {
    let update = spargebra::SparqlParser::new()
        .parse_update(text)
        .map_err(|e| UpdateError::Syntax(e.to_string()))?;
    let mut graphs: BTreeSet<String> = BTreeSet::new();
    let mut default = false;
    let mut note = |name: Option<&NamedNode>| match name {
        Some(n) => {
            graphs.insert(n.as_str().to_owned());
        }
        None => default = true,
    };
    for op in &update.operations {
        match op {
            GraphUpdateOperation::InsertData { data } => data.iter().for_each(|q| {
                note(match &q.graph_name {
                    GraphName::NamedNode(n) => Some(n),
                    GraphName::DefaultGraph => None,
                })
            }),
            GraphUpdateOperation::DeleteData { data } => data.iter().for_each(|q| {
                note(match &q.graph_name {
                    GraphName::NamedNode(n) => Some(n),
                    GraphName::DefaultGraph => None,
                })
            }),
            GraphUpdateOperation::DeleteInsert { delete, insert, .. } => {
                let names = delete
                    .iter()
                    .map(|q| &q.graph_name)
                    .chain(insert.iter().map(|q| &q.graph_name));
                for name in names {
                    match name {
                        GraphNamePattern::NamedNode(n) => note(Some(n)),
                        GraphNamePattern::DefaultGraph => note(None),
                        GraphNamePattern::Variable(v) => {
                            return Err(UpdateError::Target(format!(
                                "the graph ?{} is a variable: name the dataset's graph",
                                v.as_str()
                            )))
                        }
                    }
                }
            }
            GraphUpdateOperation::Load { destination, .. } => note(match destination {
                GraphName::NamedNode(n) => Some(n),
                GraphName::DefaultGraph => None,
            }),
            GraphUpdateOperation::Clear { graph, .. }
            | GraphUpdateOperation::Drop { graph, .. } => match graph {
                GraphTarget::NamedNode(n) => note(Some(n)),
                GraphTarget::DefaultGraph => note(None),
                GraphTarget::NamedGraphs | GraphTarget::AllGraphs => {
                    return Err(UpdateError::Target(
                        "CLEAR/DROP of all graphs would touch every dataset: name one".into(),
                    ))
                }
            },
            GraphUpdateOperation::Create { graph, .. } => note(Some(graph)),
        }
    }
    if default {
        return Err(UpdateError::Target(
            "the default graph is the union of all datasets: write to one dataset's graph \
             (WITH <dataset IRI> or GRAPH <dataset IRI>)"
                .into(),
        ));
    }
    let mut graphs = graphs.into_iter();
    match (graphs.next(), graphs.next()) {
        (Some(graph), None) => Ok(Parsed { update, graph }),
        (None, _) => Err(UpdateError::Target("the update writes no graph".into())),
        (Some(a), Some(b)) => Err(UpdateError::Target(format!(
            "an update may write one dataset's graph; this one writes <{a}> and <{b}>"
        ))),
    }
}

/// Applies `parsed` to `current` (the dataset's triples); the new content as N-Triples.
pub fn apply(parsed: Parsed, current: Vec<Triple>) -> Result<Vec<u8>, UpdateError> {
    let failed = |e: String| UpdateError::Evaluation(e);
    let store = Store::new().map_err(|e| failed(e.to_string()))?;
    let graph = NamedNode::new(&parsed.graph).map_err(|e| failed(e.to_string()))?;
    let quads: Vec<Quad> = current
        .into_iter()
        .map(|t| t.in_graph(graph.clone()))
        .collect();
    store.extend(quads).map_err(|e| failed(e.to_string()))?;
    SparqlEvaluator::new()
        .for_update(parsed.update)
        .on_store(&store)
        .execute()
        .map_err(|e| failed(e.to_string()))?;
    let mut triples = Vec::new();
    for quad in store.quads_for_pattern(
        None,
        None,
        None,
        Some(GraphNameRef::NamedNode(graph.as_ref())),
    ) {
        let quad = quad.map_err(|e| failed(e.to_string()))?;
        triples.push(Triple::new(quad.subject, quad.predicate, quad.object));
    }
    Ok(crate::render::rdf::write(&triples, RdfFormat::NTriples))
}
