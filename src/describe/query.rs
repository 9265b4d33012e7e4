//! The describer's own SPARQL SELECT queries over the current versions. The evaluator works on
//! the store's encoded terms and decodes only what a solution binds, so counting, skipping or
//! listing many quads this way costs far less than reading them one by one, which decodes
//! every term of every quad (a RocksDB point lookup per IRI).

use crate::store::Storage;
use oxigraph::model::NamedNode;
use oxigraph::sparql::{QueryResults, QuerySolution, SparqlEvaluator};
use oxigraph::store::StorageError;

/// The solutions of the SELECT query `text`, whose default graph is the union of the current
/// versions, and whose named graphs are the current versions when `named` (for `GRAPH ?g`;
/// each costs a lookup, so only when asked).
pub fn select(
    storage: &Storage,
    text: &str,
    named: bool,
) -> Result<Vec<QuerySolution>, StorageError> {
    let current: Vec<NamedNode> = storage
        .registry()
        .current_versions()
        .map(|v| NamedNode::new_unchecked(v.iri.clone()))
        .collect();
    select_in(storage, text, current, named)
}

/// [`select`] over the graphs `current` (current versions) only: a pattern of the default
/// graph is matched in each of them, so naming only those that hold what is asked saves reads.
pub fn select_in(
    storage: &Storage,
    text: &str,
    current: Vec<NamedNode>,
    named: bool,
) -> Result<Vec<QuerySolution>, StorageError> {
    let mut query = SparqlEvaluator::new()
        .parse_query(text)
        .map_err(evaluation)?;
    let dataset = query.dataset_mut();
    dataset.set_available_named_graphs(match named {
        true => current.iter().cloned().map(Into::into).collect(),
        false => Vec::new(),
    });
    dataset.set_default_graph(current.into_iter().map(Into::into).collect());
    match query.on_store(storage.store()).execute() {
        Ok(QueryResults::Solutions(solutions)) => {
            solutions.collect::<Result<Vec<_>, _>>().map_err(evaluation)
        }
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(evaluation(e)),
    }
}

/// A failed evaluation of our own queries, as the store's error it stems from.
fn evaluation(e: impl std::error::Error + Send + Sync + 'static) -> StorageError {
    StorageError::from(std::io::Error::other(e))
}
