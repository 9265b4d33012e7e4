//! The properties of a resource on its page: a table of its predicates (types first, each
//! labelled) and their values sorted by what the reader sees, with blank nodes and unlabelled
//! parts nested in it as tables of their own.

use super::collation::Collation;
use super::html::{compact, escape, Escaped, Page, RDF_TYPE};
use super::inline::LangOf;
use crate::describe::{is_part, language_rank};
use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";
const LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

impl Page<'_> {
    /// A link to a part of `owner` (see [`is_part`]) named by the path it adds: `…/platnost`.
    fn part_link(&self, owner: &NamedOrBlankNode, iri: &NamedNode) -> String {
        let owner = match owner {
            NamedOrBlankNode::NamedNode(o) => o.as_str(),
            NamedOrBlankNode::BlankNode(_) => "",
        };
        let (href, _) = self.href(iri.as_str());
        let path = iri.as_str().strip_prefix(owner).unwrap_or(iri.as_str());
        format!(
            "<a href=\"{}\" title=\"{}\">…{}</a>",
            Escaped(&href),
            Escaped(iri.as_str()),
            Escaped(path)
        )
    }

    pub(super) fn literal(&self, l: &Literal) -> String {
        let mut out = format!(
            "<span class=\"literal\"{}>{}</span>",
            LangOf(Some(l)),
            Escaped(l.value())
        );
        if let Some(lang) = l.language() {
            write!(
                out,
                " <span class=\"lang\" title=\"language\">@{}</span>",
                Escaped(lang)
            )
            .ok();
        } else if !matches!(l.datatype().as_str(), XSD_STRING | LANG_STRING) {
            write!(
                out,
                " <span class=\"datatype\" title=\"{}\">{}</span>",
                Escaped(l.datatype().as_str()),
                Escaped(&compact(l.datatype().as_str()))
            )
            .ok();
        }
        out
    }

    /// One value of a property of `owner`: a link, a literal, or a nested table for a blank
    /// node or a part of `owner` (see [`is_part`]) that the description holds.
    fn value(
        &self,
        owner: &NamedOrBlankNode,
        term: &Term,
        by_subject: &HashMap<NamedOrBlankNode, Vec<&Triple>>,
        depth: usize,
    ) -> String {
        match term {
            Term::NamedNode(n) if depth < 8 && is_part(owner.as_ref(), n.as_ref()) => {
                match by_subject.get(&NamedOrBlankNode::from(n.clone())) {
                    Some(triples) => format!(
                        "{}{}",
                        self.part_link(owner, n),
                        self.table(triples, by_subject, depth + 1)
                    ),
                    None => self.link(n),
                }
            }
            Term::NamedNode(n) => self.link(n),
            Term::Literal(l) => self.literal(l),
            Term::BlankNode(b) if depth < 8 => self.blank(b, by_subject, depth + 1),
            Term::BlankNode(b) => escape(&b.to_string()),
        }
    }

    fn blank(
        &self,
        b: &BlankNode,
        by_subject: &HashMap<NamedOrBlankNode, Vec<&Triple>>,
        depth: usize,
    ) -> String {
        let key = NamedOrBlankNode::from(b.clone());
        match by_subject.get(&key) {
            Some(triples) => self.table(triples, by_subject, depth),
            None => "<span class=\"blank\">(empty)</span>".into(),
        }
    }

    /// A table of properties, grouped by predicate (types first).
    pub(super) fn table(
        &self,
        triples: &[&Triple],
        by_subject: &HashMap<NamedOrBlankNode, Vec<&Triple>>,
        depth: usize,
    ) -> String {
        let mut groups: BTreeMap<(bool, String), (&NamedNode, Vec<&Term>, &NamedOrBlankNode)> =
            BTreeMap::new();
        for t in triples {
            let label = self
                .label_of(&t.predicate)
                .map_or_else(|| compact(t.predicate.as_str()), |l| l.value().to_owned());
            groups
                .entry((t.predicate.as_str() != RDF_TYPE, label))
                .or_insert((&t.predicate, Vec::new(), &t.subject))
                .1
                .push(&t.object);
        }
        let mut out = String::from("<table class=\"properties\"><tbody>");
        let collation = std::cell::OnceCell::new();
        for (predicate, values, subject) in groups.values_mut() {
            // Texts in the reader's languages first, in their order of preference; then, as
            // Skosmos lists narrower concepts, by what the reader sees, in the order of the
            // reader's language: a linked resource by its label (else its IRI), a literal by
            // its text; blank nodes last, in their order.
            if values.len() > 1 {
                let collation = collation.get_or_init(|| Collation::for_reader(self.languages));
                let mut keyed: Vec<_> = values.iter().map(|v| (self.sort_key(v), *v)).collect();
                keyed.sort_by(|((rank_a, a), _), ((rank_b, b), _)| {
                    rank_a.cmp(rank_b).then_with(|| collation.compare(a, b))
                });
                *values = keyed.into_iter().map(|(_, v)| v).collect();
            }
            write!(
                out,
                "<tr><th scope=\"row\">{}</th><td><ul>",
                self.link(predicate)
            )
            .ok();
            for v in values.iter() {
                write!(
                    out,
                    "<li>{}</li>",
                    self.value(subject, v, by_subject, depth)
                )
                .ok();
            }
            out.push_str("</ul>");
            let capped = self.description.capped.iter().find(|c| {
                c.predicate == **predicate
                    && matches!(subject, NamedOrBlankNode::NamedNode(s) if *s == c.subject)
            });
            if let Some(capped) = capped {
                let pages = capped
                    .total
                    .div_ceil(crate::describe::values::VALUES_PER_PAGE);
                let (path, _) = self.href(&self.description.iri);
                let at = ("values", "section-properties");
                self.pager(
                    &mut out,
                    &path,
                    at,
                    (self.values_page, pages),
                    Some(capped.total),
                );
            }
            out.push_str("</td></tr>");
        }
        out.push_str("</tbody></table>");
        out
    }

    /// Where a value goes among a property's values: texts in the reader's languages first (in
    /// their order), then by the text the page shows for it.
    fn sort_key<'t>(&'t self, value: &'t Term) -> (usize, &'t str) {
        let others = self.languages.len();
        match value {
            Term::Literal(l) => (language_rank(l, self.languages), l.value()),
            Term::NamedNode(n) => (others, self.label_of(n).map_or(n.as_str(), Literal::value)),
            _ => (others + 2, ""),
        }
    }
}
