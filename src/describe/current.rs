//! The quads of a pattern in the current versions. Read across all graphs, a pattern returns
//! a copy from every version of its dataset (each version is a graph with its whole content),
//! and each copy is decoded before its graph can be checked: with a year of daily versions, 365
//! copies for one current quad. Where the registry says so ([`Registry::graphs_to_read`]), the
//! pattern is read in each current graph instead.

use crate::store::registry::Registry;
use crate::store::Storage;
use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, Quad, TermRef};
use oxigraph::store::StorageError;
use std::sync::Arc;

/// The quads matching (`subject`, `predicate`, `object`) in the current graphs, and, when read
/// across all graphs, others too: callers still keep only those of current graphs.
pub fn quads<'a>(
    storage: &'a Storage,
    registry: &Registry,
    subject: Option<NamedOrBlankNodeRef<'_>>,
    predicate: Option<NamedNodeRef<'_>>,
    object: Option<TermRef<'_>>,
) -> Box<dyn Iterator<Item = Result<Quad, StorageError>> + 'a> {
    let store = storage.store();
    let Some(graphs) = registry.graphs_to_read() else {
        return Box::new(store.quads_for_pattern(subject, predicate, object, None));
    };
    let subject = subject.map(NamedOrBlankNodeRef::into_owned);
    let predicate = predicate.map(NamedNodeRef::into_owned);
    let object = object.map(TermRef::into_owned);
    // Shared: the iterator outlives the registry's lock.
    let graphs = Arc::clone(graphs);
    Box::new((0..graphs.len()).flat_map(move |i| {
        store.quads_for_pattern(
            subject.as_ref().map(Into::into),
            predicate.as_ref().map(Into::into),
            object.as_ref().map(Into::into),
            Some(graphs[i].as_ref().into()),
        )
    }))
}
