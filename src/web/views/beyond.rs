//! What a view reads beyond its resource's description: a code list's items, the resource's
//! history (its dataset has several versions), the rows of its norm's CSV table, the whole
//! dataset of a norm's document. Items and
//! tables are known before the page is read, so that such a page goes to the blocking pool at
//! once; a history is read within a bound on an async worker (most resources change in few
//! versions), and goes there past it.

use super::App;
use crate::describe::{code_list, history, Description};
use crate::render::Format;
use oxigraph::model::NamedNode;

/// Which page of backlinks and of a code list's items a request asks for, and their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Paging {
    /// The page of backlinks (from 1).
    pub backlinks: usize,
    /// The page of items (from 1).
    pub items: usize,
    /// The page of the values of properties with more than a page shows (from 1).
    pub values: usize,
    /// The order of items.
    pub sort: code_list::Sort,
}

/// The graphs whose whole content is the RDF of `description`: the current versions of its
/// datasets whose norm says they are one document about it (`document`: the resource has the
/// norm's class as a type — a code list, an ontology), of at most `document_max_triples` (made
/// on request, a list of 20,000 items took 1.7 s as Turtle and 3.8 s as JSON-LD; a larger one
/// is answered by its files, see [`large_document_file`]).
pub(super) fn document_graphs(app: &App, description: &Description) -> Vec<NamedNode> {
    let typed = |class: &str| {
        description.triples.iter().any(|t| {
            t.predicate == oxigraph::model::vocab::rdf::TYPE
                && matches!(&t.object, oxigraph::model::Term::NamedNode(c) if c.as_str() == class)
                && matches!(&t.subject, oxigraph::model::NamedOrBlankNode::NamedNode(s) if s.as_str() == description.iri)
        })
    };
    description
        .versions
        .iter()
        .filter(|v| {
            v.triples <= app.config.document_max_triples
                && document_class(app, v).is_some_and(typed)
        })
        .map(|v| NamedNode::new_unchecked(v.iri.clone()))
        .collect()
}

/// The class whose instance a version's norm makes its dataset one document about (the norm's
/// `document` key), if any.
fn document_class<'a>(
    app: &'a App,
    version: &crate::store::registry::VersionRecord,
) -> Option<&'a str> {
    app.norms.get(&version.norm)?.document.as_deref()
}

/// A norm's document too large to be made whole on request (past `document_max_triples`, see
/// [`document_graphs`]), asked for in an RDF syntax or as CSV by negotiation at its dataset's
/// IRI (CSV by `?format=csv` too: the description's CSV of a code list is its whole table): the
/// dataset's current file in that syntax (a code list's table, for CSV), which holds it whole
/// (expanded JSON-LD excepted: the file is compacted). An RDF client opening a 100,000-item
/// code list by its IRI gets the list.
pub fn large_document_file(
    app: &App,
    path: &str,
    format: Format,
    expanded: bool,
) -> Option<crate::store::registry::ServedFile> {
    if format == Format::Html || (format == Format::JsonLd && expanded) {
        return None;
    }
    let iri = format!("{}{path}", app.config.base);
    let registry = app.storage.registry();
    let (id, _) = registry.dataset_with_iri(&iri)?;
    let current = registry.current(id)?;
    let class = document_class(app, current)?;
    if current.triples <= app.config.document_max_triples {
        return None;
    }
    let typed = oxigraph::model::QuadRef::new(
        oxigraph::model::NamedNodeRef::new(&iri).ok()?,
        oxigraph::model::vocab::rdf::TYPE,
        oxigraph::model::NamedNodeRef::new(class).ok()?,
        oxigraph::model::NamedNodeRef::new(&current.iri).ok()?,
    );
    if !app.storage.store().contains(typed).unwrap_or(false) {
        return None;
    }
    registry.file(&format!("{iri}.{}", format.ext())).cloned()
}

/// Whether the view in `format` reads more than the description and a short history: a code
/// list's items or a history that reads a changeset file for a page, a norm's table for CSV.
/// Such a view is not made on an async worker.
pub(super) fn reads_beyond_description(
    app: &App,
    format: Format,
    description: &Description,
) -> bool {
    match format {
        Format::Html => {
            code_list::is_list(&description.triples, &description.iri)
                || history_versions(&app.storage.registry(), description)
                    .is_some_and(|versions| !history::changes_known(&app.storage, versions))
        }
        Format::Csv => csv_mapping(app, description).is_some(),
        _ => false,
    }
}

/// Versions a history read on an async worker may read the resource in (each a few index
/// reads); past them, or where a changeset file would be read, it goes to the blocking pool.
const INLINE_HISTORY_READS: usize = 4;

/// The versions of the resource's dataset, when it has several (a history to show).
fn history_versions<'r>(
    registry: &'r crate::store::registry::Registry,
    description: &Description,
) -> Option<&'r [crate::store::registry::VersionRecord]> {
    let current = description.versions.first()?;
    registry
        .versions(&current.dataset)
        .filter(|versions| versions.len() > 1)
}

/// The versions of the resource's dataset in which it changed, when the dataset has several;
/// `None` when that would take more than [`INLINE_HISTORY_READS`] with `bounded`.
pub(super) fn resource_history(
    app: &App,
    description: &Description,
    bounded: bool,
) -> Option<Vec<history::Appearance>> {
    // The history reads only the store, never the registry again: holding its read lock is safe.
    let registry = app.storage.registry();
    let Some(versions) = history_versions(&registry, description) else {
        return Some(Vec::new());
    };
    let Ok(iri) = NamedNode::new(description.iri.as_str()) else {
        return Some(Vec::new());
    };
    let max = bounded.then_some(INLINE_HISTORY_READS);
    history::history(&app.storage, versions, iri.as_ref(), registry.today(), max)
        .map_err(|e| tracing::error!("history of {iri}: {e}"))
        .unwrap_or(Some(Vec::new()))
}

/// One page of a code list's items in the current versions (`None` if the store fails).
pub(super) fn list_items(
    app: &App,
    iri: &str,
    paging: Paging,
    languages: &[String],
) -> Option<code_list::Items> {
    let current: Vec<NamedNode> = app
        .storage
        .registry()
        .current_versions()
        .map(|v| NamedNode::new_unchecked(v.iri.clone()))
        .collect();
    let list = NamedNode::new(iri).ok()?;
    code_list::items(
        &app.storage,
        &app.list_rows,
        &current,
        list.as_ref(),
        paging.sort,
        paging.items,
        languages,
    )
    .map_err(|e| tracing::error!("items of {iri}: {e}"))
    .ok()
}

/// The resource's rows in the table of its norm, when the norm has a CSV mapping that types it,
/// and the IRIs they were read from.
pub(super) fn norm_table(
    app: &App,
    description: &Description,
) -> Option<(crate::csvw::Table, Vec<String>)> {
    let mapping = csv_mapping(app, description)?;
    let mut lookup = crate::describe::StoreLookup(&app.storage, Vec::new());
    let table = mapping.1.rows(&description.iri, &mut lookup);
    Some((table?, lookup.1))
}

/// The CSV mapping of the norm of one of the resource's versions, if its norm has one.
fn csv_mapping<'a>(
    app: &'a App,
    description: &Description,
) -> Option<&'a (std::path::PathBuf, crate::csvw::CsvMapping)> {
    description
        .versions
        .iter()
        .find_map(|v| app.norms.get(&v.norm)?.csv.as_ref())
}
