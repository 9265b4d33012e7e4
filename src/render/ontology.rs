//! The terms section of an ontology's page (and of a document whose resources are `<doc#term>`):
//! every term anchored by its local name, grouped by kind — classes, object, datatype and
//! annotation properties, other properties, other terms — each group sorted by the names shown,
//! with a table of contents at the top, as ontology documentation tools (pyLODE, WIDOCO) lay
//! out a vocabulary.

use super::html::{local_name, Escaped, Page, RDF_TYPE};
use super::inline::LangOf;
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;
use std::fmt::Write;

/// The kinds terms are grouped in, in the page's order: the types that put a term in each (the
/// last group, other terms, takes the rest), and the group's id.
const KINDS: [(&[&str], &str); 6] = [
    (
        &[
            "http://www.w3.org/2002/07/owl#Class",
            "http://www.w3.org/2000/01/rdf-schema#Class",
        ],
        "section-classes",
    ),
    (
        &["http://www.w3.org/2002/07/owl#ObjectProperty"],
        "section-object-properties",
    ),
    (
        &["http://www.w3.org/2002/07/owl#DatatypeProperty"],
        "section-datatype-properties",
    ),
    (
        &["http://www.w3.org/2002/07/owl#AnnotationProperty"],
        "section-annotation-properties",
    ),
    (
        &["http://www.w3.org/1999/02/22-rdf-syntax-ns#Property"],
        "section-other-properties",
    ),
    (&[], "section-other-terms"),
];

/// One term: its IRI, its triples, and the name the page shows for it.
struct Entry<'t> {
    term: NamedNode,
    triples: Vec<&'t Triple>,
    name: String,
}

impl Page<'_> {
    /// For an ontology: each of its terms, grouped by kind and anchored by its local name.
    pub(super) fn terms(
        &self,
        out: &mut String,
        by_subject: &HashMap<NamedOrBlankNode, Vec<&Triple>>,
    ) {
        let d = self.description;
        let hash_prefix = format!("{}#", d.iri);
        let mut terms: Vec<(NamedNode, Vec<&Triple>)> = d
            .terms
            .iter()
            .map(|(t, triples)| (t.clone(), triples.iter().collect()))
            .collect();
        for (subject, triples) in by_subject {
            if let NamedOrBlankNode::NamedNode(n) = subject {
                if n.as_str().starts_with(&hash_prefix) && !terms.iter().any(|(t, _)| t == n) {
                    terms.push((n.clone(), triples.clone()));
                }
            }
        }
        if terms.is_empty() {
            return;
        }
        // A term's table shows its own triples; those of its blank nodes and parts nest in it.
        let mut by_subject = by_subject.clone();
        for (term, triples) in &mut terms {
            let subject = NamedOrBlankNode::from(term.clone());
            triples.retain(|t| {
                t.subject == subject || {
                    by_subject.entry(t.subject.clone()).or_default().push(t);
                    false
                }
            });
        }
        let mut groups: [Vec<Entry<'_>>; KINDS.len()] = Default::default();
        for (term, triples) in terms {
            let kind = KINDS
                .iter()
                .position(|(types, _)| types.iter().any(|t| has_type(&triples, t)))
                .unwrap_or(KINDS.len() - 1);
            let name = self.label_of(&term).map_or_else(
                || local_name(term.as_str()).to_owned(),
                |l| l.value().to_owned(),
            );
            groups[kind].push(Entry {
                term,
                triples,
                name,
            });
        }
        let collation = super::collation::Collation::for_reader(self.languages);
        for group in &mut groups {
            group.sort_by(|a, b| {
                collation
                    .compare(&a.name, &b.name)
                    .then_with(|| a.term.cmp(&b.term))
            });
        }
        let words = self.words();
        write!(
            out,
            "<section aria-labelledby=\"section-terms\"><h2 id=\"section-terms\">{}</h2>\
             <nav class=\"toc\" aria-label=\"{}\"><ul>",
            words.terms, words.contents
        )
        .ok();
        let shown = || {
            groups
                .iter()
                .zip(KINDS.iter().zip(words.kinds))
                .filter(|(group, _)| !group.is_empty())
        };
        for (group, ((_, id), title)) in shown() {
            write!(out, "<li><a href=\"#{id}\">{title}</a>: ").ok();
            let links: Vec<String> = group
                .iter()
                .map(|e| {
                    format!(
                        "<a href=\"#{}\"{}>{}</a>",
                        Escaped(local_name(e.term.as_str())),
                        LangOf(self.label_of(&e.term)),
                        Escaped(&e.name)
                    )
                })
                .collect();
            write!(out, "{}</li>", links.join(", ")).ok();
        }
        out.push_str("</ul></nav>");
        for (group, ((_, id), title)) in shown() {
            write!(
                out,
                "<section aria-labelledby=\"{id}\"><h3 id=\"{id}\">{title}</h3>"
            )
            .ok();
            for e in group {
                write!(
                    out,
                    "<section id=\"{}\"><h4>{}</h4>{}</section>",
                    Escaped(local_name(e.term.as_str())),
                    self.link(&e.term),
                    self.table(&e.triples, &by_subject, 1)
                )
                .ok();
            }
            out.push_str("</section>");
        }
        out.push_str("</section>");
    }
}

/// Whether `triples` type their subject with `class`.
fn has_type(triples: &[&Triple], class: &str) -> bool {
    triples.iter().any(|t| {
        t.predicate.as_str() == RDF_TYPE
            && matches!(&t.object, Term::NamedNode(n) if n.as_str() == class)
    })
}
