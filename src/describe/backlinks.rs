//! What links to a resource: the current triples with it as object, counted per predicate, one
//! page of them, and the schema links of a vocabulary term. A resource with a few backlinks has
//! them read quad by quad; one linked from many (a region, a code-list item, a class with its
//! instances) has them counted and paged by the SPARQL evaluator, which counts and skips quads
//! without decoding their terms: about 20 times faster per quad than reading them.

use super::query::select;
use super::{BACKLINKS_PER_PAGE, MAX_SCHEMA_LINKS, SCHEMA_PREDICATES};
use crate::store::Storage;
use oxigraph::model::{BlankNode, GraphName, NamedNode, NamedNodeRef, NamedOrBlankNode, Term};
use oxigraph::store::StorageError;
use std::collections::BTreeMap;

/// What links to a resource.
pub struct Backlinks {
    /// How many current triples point at it.
    pub count: usize,
    /// One page of them: (subject, predicate).
    pub page: Vec<(NamedOrBlankNode, NamedNode)>,
    /// How many per predicate, most first.
    pub by_predicate: Vec<(NamedNode, usize)>,
    /// Distinct IRIs linking with each schema predicate, at most [`MAX_SCHEMA_LINKS`] each.
    pub schema: BTreeMap<&'static str, Vec<NamedNode>>,
}

/// Backlinks read quad by quad at most, without a bound: beyond, they are counted by SPARQL.
const SCAN_LIMIT: usize = 256;

/// The current triples pointing at `iri`: their count, page `page` (from 1), the count per
/// predicate, and the schema links; with a bound `max`, `None` as soon as that would read more
/// than `max` quads.
pub fn backlinks(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    page: usize,
    max: Option<usize>,
) -> Result<Option<Backlinks>, StorageError> {
    if let Some(max) = max {
        return scan(storage, iri, page, max);
    }
    match scan(storage, iri, page, SCAN_LIMIT)? {
        Some(links) => Ok(Some(links)),
        None => counted(storage, iri, page).map(Some),
    }
}

/// [`backlinks`] read quad by quad, `None` past `max` quads.
fn scan(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    page: usize,
    max: usize,
) -> Result<Option<Backlinks>, StorageError> {
    let registry = storage.registry();
    let skip = page.saturating_sub(1) * BACKLINKS_PER_PAGE;
    let mut links = Backlinks {
        count: 0,
        page: Vec::new(),
        by_predicate: Vec::new(),
        schema: BTreeMap::new(),
    };
    let mut per_predicate: BTreeMap<NamedNode, usize> = BTreeMap::new();
    let quads = super::current::quads(storage, &registry, None, None, Some(iri.into()));
    for (read, quad) in quads.enumerate() {
        if read >= max {
            return Ok(None);
        }
        let quad = quad?;
        let GraphName::NamedNode(g) = &quad.graph_name else {
            continue;
        };
        if !registry.is_current_graph(g) {
            continue;
        }
        if let (Some(p), NamedOrBlankNode::NamedNode(s)) = (
            SCHEMA_PREDICATES
                .iter()
                .find(|p| **p == quad.predicate.as_str()),
            &quad.subject,
        ) {
            let list = links.schema.entry(*p).or_default();
            if list.len() < MAX_SCHEMA_LINKS && !list.contains(s) {
                list.push(s.clone());
            }
        }
        *per_predicate.entry(quad.predicate.clone()).or_default() += 1;
        if links.count >= skip && links.page.len() < BACKLINKS_PER_PAGE {
            links.page.push((quad.subject, quad.predicate));
        }
        links.count += 1;
    }
    links.by_predicate = sorted(per_predicate.into_iter().collect());
    Ok(Some(links))
}

/// [`backlinks`] counted and paged by the SPARQL evaluator over the current versions: only the
/// page's subjects and predicates and the schema links are decoded. `iri` is written into the
/// queries as `<…>`: a valid IRI has no character that could end it.
fn counted(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    page: usize,
) -> Result<Backlinks, StorageError> {
    let mut by_predicate = Vec::new();
    for row in select(
        storage,
        &format!("SELECT ?p (COUNT(*) AS ?n) WHERE {{ ?s ?p {iri} }} GROUP BY ?p"),
        false,
    )? {
        let (Some(Term::NamedNode(p)), Some(Term::Literal(n))) = (row.get("p"), row.get("n"))
        else {
            continue;
        };
        by_predicate.push((p.clone(), n.value().parse().unwrap_or(0)));
    }
    let by_predicate = sorted(by_predicate);
    let skip = page.saturating_sub(1) * BACKLINKS_PER_PAGE;
    let page_query =
        format!("SELECT ?s ?p WHERE {{ ?s ?p {iri} }} OFFSET {skip} LIMIT {BACKLINKS_PER_PAGE}");
    let mut links = Backlinks {
        count: by_predicate.iter().map(|(_, n)| n).sum(),
        page: Vec::new(),
        by_predicate,
        schema: BTreeMap::new(),
    };
    for row in select(storage, &page_query, false)? {
        let subject = match row.get("s") {
            Some(Term::NamedNode(s)) => NamedOrBlankNode::from(s.clone()),
            Some(Term::BlankNode(s)) => NamedOrBlankNode::from(s.clone()),
            _ => continue,
        };
        if let Some(Term::NamedNode(p)) = row.get("p") {
            links.page.push((subject, p.clone()));
        }
    }
    for predicate in SCHEMA_PREDICATES {
        if !links
            .by_predicate
            .iter()
            .any(|(p, _)| p.as_str() == *predicate)
        {
            continue;
        }
        let schema_query = format!(
            "SELECT DISTINCT ?s WHERE {{ ?s <{predicate}> {iri} FILTER(isIRI(?s)) }} \
             LIMIT {MAX_SCHEMA_LINKS}"
        );
        let rows = select(storage, &schema_query, false)?;
        let list = rows.into_iter().filter_map(|row| match row.get("s") {
            Some(Term::NamedNode(s)) => Some(s.clone()),
            _ => None,
        });
        links.schema.insert(predicate, list.collect());
    }
    Ok(links)
}

/// Counts per predicate, most first (ties by predicate, so that pages are stable).
fn sorted(mut by_predicate: Vec<(NamedNode, usize)>) -> Vec<(NamedNode, usize)> {
    by_predicate.sort_by(|(p, n), (q, m)| m.cmp(n).then_with(|| p.cmp(q)));
    by_predicate
}

/// Most predicates followed back from a blank node to the named resource it hangs from.
pub const MAX_OWNER_HOPS: usize = 4;

/// The named resource `blank` hangs from in the current versions, and the predicates leading
/// from it to `blank` (`Company X`, [`sídlo`]): what a backlink from a blank node (an address
/// linking a municipality) means to a reader. `None` when there is none within a few hops.
pub fn owner_of(
    storage: &Storage,
    blank: &BlankNode,
) -> Result<Option<(NamedNode, Vec<NamedNode>)>, StorageError> {
    let registry = storage.registry();
    let mut node = blank.clone();
    let mut path = Vec::new();
    for _ in 0..MAX_OWNER_HOPS {
        let object = Term::from(node.clone());
        let mut found = None;
        for quad in super::current::quads(storage, &registry, None, None, Some(object.as_ref())) {
            let quad = quad?;
            if matches!(&quad.graph_name, GraphName::NamedNode(g) if registry.is_current_graph(g)) {
                found = Some((quad.subject, quad.predicate));
                break;
            }
        }
        let Some((subject, predicate)) = found else {
            return Ok(None);
        };
        path.insert(0, predicate);
        match subject {
            NamedOrBlankNode::NamedNode(owner) => return Ok(Some((owner, path))),
            NamedOrBlankNode::BlankNode(b) => node = b,
        }
    }
    Ok(None)
}
