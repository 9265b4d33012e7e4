//! Pages of values: a page shows at most [`VALUES_PER_PAGE`] values of one property of one
//! resource (as Pubby, Semantic MediaWiki and RickView cap them), with links to the next ones,
//! so that a resource with 100,000 values of a property has a page a browser can open (and
//! labels are read only for the values shown). The RDF formats and CSV always carry them all.

use super::query::select;
use crate::store::Storage;
use oxigraph::model::{BlankNode, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple};
use oxigraph::sparql::QuerySolution;
use oxigraph::store::StorageError;
use std::collections::{HashMap, HashSet};

/// Most values of one property of one resource on a page.
pub const VALUES_PER_PAGE: usize = 100;

/// A property with more values than a page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capped {
    /// The resource.
    pub subject: NamedNode,
    /// The property.
    pub predicate: NamedNode,
    /// How many values it has.
    pub total: usize,
}

/// A resource's (property, value) pairs.
pub(super) type Pairs = Vec<(NamedNode, Term)>;

/// The (property, value) pairs of query solutions binding `p` and `o`.
pub(super) fn pairs(rows: Vec<QuerySolution>) -> Pairs {
    rows.into_iter()
        .filter_map(|row| match (row.get("p"), row.get("o")) {
            (Some(Term::NamedNode(p)), Some(o)) => Some((p.clone(), o.clone())),
            _ => None,
        })
        .collect()
}

/// The (property, value) pairs of a resource too large to read quad by quad, with page `page`
/// of the values of each property that has more than [`VALUES_PER_PAGE`] (distinct values,
/// counted and skipped by the SPARQL evaluator without decoding them), and those properties.
/// `iri` is written into the queries as `<…>`: a valid IRI has no character that could end it.
pub(super) fn pairs_page(
    storage: &Storage,
    iri: NamedNodeRef<'_>,
    page: usize,
) -> Result<(Pairs, Vec<Capped>), StorageError> {
    let counts =
        format!("SELECT ?p (COUNT(DISTINCT ?o) AS ?n) WHERE {{ {iri} ?p ?o }} GROUP BY ?p");
    let mut short = Vec::new();
    let mut capped = Vec::new();
    for row in select(storage, &counts, false)? {
        let (Some(Term::NamedNode(p)), Some(Term::Literal(n))) = (row.get("p"), row.get("n"))
        else {
            continue;
        };
        match n.value().parse::<usize>() {
            Ok(total) if total > VALUES_PER_PAGE => capped.push(Capped {
                subject: iri.into_owned(),
                predicate: p.clone(),
                total,
            }),
            _ => short.push(p.clone()),
        }
    }
    let mut pairs = Vec::new();
    if !short.is_empty() {
        let listed: String = short.iter().map(|p| format!("{p} ")).collect();
        let all = format!("SELECT ?p ?o WHERE {{ VALUES ?p {{ {listed}}} {iri} ?p ?o }}");
        pairs = self::pairs(select(storage, &all, false)?);
    }
    let skip = page.saturating_sub(1) * VALUES_PER_PAGE;
    for long in &capped {
        let p = &long.predicate;
        let values = format!(
            "SELECT DISTINCT ?o WHERE {{ {iri} {p} ?o }} OFFSET {skip} LIMIT {VALUES_PER_PAGE}"
        );
        for row in select(storage, &values, false)? {
            if let Some(o) = row.get("o") {
                pairs.push((p.clone(), o.clone()));
            }
        }
    }
    Ok((pairs, capped))
}

/// Keeps page `page` (from 1) of the values of every (resource, property) with more than
/// [`VALUES_PER_PAGE`] of them (in the store's order, so that pages do not overlap), the other
/// triples of named resources, and the triples of the blank nodes the kept ones lead to.
pub fn page_of(triples: Vec<Triple>, page: usize) -> (Vec<Triple>, Vec<Capped>) {
    if triples.len() <= VALUES_PER_PAGE {
        return (triples, Vec::new());
    }
    let mut totals: HashMap<(&NamedNode, &NamedNode), usize> = HashMap::new();
    for t in &triples {
        if let NamedOrBlankNode::NamedNode(s) = &t.subject {
            *totals.entry((s, &t.predicate)).or_default() += 1;
        }
    }
    let capped: Vec<Capped> = totals
        .iter()
        .filter(|(_, total)| **total > VALUES_PER_PAGE)
        .map(|((s, p), total)| Capped {
            subject: (*s).clone(),
            predicate: (*p).clone(),
            total: *total,
        })
        .collect();
    if capped.is_empty() {
        return (triples, capped);
    }
    let shown = page.saturating_sub(1) * VALUES_PER_PAGE..page * VALUES_PER_PAGE;
    let mut seen: HashMap<(&NamedNode, &NamedNode), usize> = HashMap::new();
    let keep: Vec<bool> = triples
        .iter()
        .map(|t| match &t.subject {
            NamedOrBlankNode::NamedNode(s) if totals[&(s, &t.predicate)] > VALUES_PER_PAGE => {
                let index = seen.entry((s, &t.predicate)).or_default();
                *index += 1;
                shown.contains(&(*index - 1))
            }
            NamedOrBlankNode::NamedNode(_) => true,
            NamedOrBlankNode::BlankNode(_) => false,
        })
        .collect();
    let reached = blank_nodes_reached(&triples, &keep);
    drop((totals, seen));
    let kept = triples
        .into_iter()
        .zip(keep)
        .filter(|(t, keep)| {
            *keep || matches!(&t.subject, NamedOrBlankNode::BlankNode(b) if reached.contains(b))
        })
        .map(|(t, _)| t)
        .collect();
    (kept, capped)
}

/// The blank nodes the kept triples lead to, directly or through other blank nodes.
fn blank_nodes_reached(triples: &[Triple], keep: &[bool]) -> HashSet<BlankNode> {
    let mut about: HashMap<&BlankNode, Vec<&Triple>> = HashMap::new();
    for t in triples {
        if let NamedOrBlankNode::BlankNode(b) = &t.subject {
            about.entry(b).or_default().push(t);
        }
    }
    let mut todo: Vec<&BlankNode> = triples
        .iter()
        .zip(keep)
        .filter(|(_, keep)| **keep)
        .filter_map(|(t, _)| match &t.object {
            Term::BlankNode(b) => Some(b),
            _ => None,
        })
        .collect();
    let mut reached = HashSet::new();
    while let Some(b) = todo.pop() {
        if !reached.insert(b.clone()) {
            continue;
        }
        for t in about.get(b).into_iter().flatten() {
            if let Term::BlankNode(inner) = &t.object {
                todo.push(inner);
            }
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_of_a_long_property_keep_the_rest_and_their_blank_nodes() {
        let s = NamedNode::new_unchecked("http://x/s");
        let p = NamedNode::new_unchecked("http://x/p");
        let q = NamedNode::new_unchecked("http://x/q");
        let mut triples: Vec<Triple> = (0..250)
            .map(|i| {
                Triple::new(
                    s.clone(),
                    p.clone(),
                    Term::from(BlankNode::new_unchecked(format!("b{i}"))),
                )
            })
            .collect();
        for i in 0..250 {
            let b = BlankNode::new_unchecked(format!("b{i}"));
            triples.push(Triple::new(
                b,
                q.clone(),
                Term::from(oxigraph::model::Literal::from(i)),
            ));
        }
        triples.push(Triple::new(
            s.clone(),
            q.clone(),
            Term::from(oxigraph::model::Literal::from(-1)),
        ));
        let (kept, capped) = page_of(triples.clone(), 3);
        assert_eq!(
            capped,
            vec![Capped {
                subject: s.clone(),
                predicate: p.clone(),
                total: 250
            }]
        );
        // 50 values of p on page 3, their 50 blank nodes' triples, and the one value of q.
        assert_eq!(kept.len(), 101);
        assert!(kept.contains(&triples[200]) && kept.contains(&triples[450]));
        assert!(!kept.contains(&triples[199]) && !kept.contains(&triples[449]));
        assert!(kept.contains(triples.last().unwrap()));
        let (all, none) = page_of(triples[..100].to_vec(), 1);
        assert_eq!((all.len(), none.len()), (100, 0));
    }
}
