//! The prefixes of one answer: the common ones (`rdf`, `skos`, `dcterms`… in
//! [`super::PREFIXES`]) that its IRIs use, and `ns1`, `ns2`… for the other namespaces of its
//! properties, types and datatypes, so that Turtle and JSON-LD read `prefix:local` with the same
//! prefixes and declare none they do not use.

use super::PREFIXES;
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use std::collections::{BTreeMap, HashSet};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Prefix names and their namespaces.
pub struct Prefixes {
    by_name: BTreeMap<String, String>,
}

impl Prefixes {
    /// The prefixes `triples` use.
    pub fn of(triples: &[Triple]) -> Self {
        // JSON-LD reads `ns1:x` as a compact IRI when `ns1` is a prefix, even where the data
        // holds the IRI `ns1:x` itself: no prefix is named as the scheme of an IRI the triples
        // hold. IRIs ending in a dot, see below.
        let mut schemes: HashSet<&str> = HashSet::new();
        let mut dotted = Vec::new();
        for iri in triples.iter().flat_map(iris) {
            if let Some((scheme, _)) = iri.split_once(':') {
                schemes.insert(scheme);
            }
            if iri.ends_with('.') {
                dotted.push(iri);
            }
        }
        let mut prefixes = Self {
            by_name: BTreeMap::new(),
        };
        for t in triples {
            if let NamedOrBlankNode::NamedNode(s) = &t.subject {
                let _ = prefixes.add_common(s.as_str());
            }
            prefixes.add(t.predicate.as_str(), &schemes);
            match &t.object {
                Term::NamedNode(n) if t.predicate.as_str() == RDF_TYPE => {
                    prefixes.add(n.as_str(), &schemes)
                }
                Term::NamedNode(n) => {
                    let _ = prefixes.add_common(n.as_str());
                }
                Term::Literal(l) if l.language().is_none() => {
                    prefixes.add(l.datatype().as_str(), &schemes)
                }
                _ => {}
            }
        }
        prefixes
            .by_name
            .retain(|name, _| !schemes.contains(name.as_str()));
        // Turtle can name `…/Inc.` only as `p:Inc\.`, which rdflib and other parsers refuse
        // (rdflib#933): an IRI ending in a dot keeps its namespace from having a prefix, so
        // that it is written whole.
        for iri in dotted {
            prefixes
                .by_name
                .retain(|_, ns| !iri.starts_with(ns.as_str()));
        }
        prefixes
    }

    /// Adds the namespace of `iri`: its common prefix, else the next `nsN` that is none of
    /// `schemes`.
    fn add(&mut self, iri: &str, schemes: &HashSet<&str>) {
        if self.add_common(iri) {
            return;
        }
        let Some(ns) = namespace(iri) else { return };
        if !self.by_name.values().any(|v| v == ns) {
            let name = (self.generated() + 1..)
                .map(|n| format!("ns{n}"))
                .find(|name| !schemes.contains(name.as_str()) && !self.by_name.contains_key(name))
                .expect("some name is free");
            self.by_name.insert(name, ns.to_owned());
        }
    }

    /// Adds the common prefix whose namespace `iri` is in, if any; whether there is one.
    fn add_common(&mut self, iri: &str) -> bool {
        let Some((name, ns)) = PREFIXES
            .iter()
            .find(|(_, ns)| iri.len() > ns.len() && iri.starts_with(ns))
        else {
            return false;
        };
        if !self.by_name.contains_key(*name) {
            self.by_name.insert((*name).to_owned(), (*ns).to_owned());
        }
        true
    }

    /// How many `nsN` prefixes there are.
    fn generated(&self) -> usize {
        let common = |name: &String| PREFIXES.iter().any(|(p, _)| p == name);
        self.by_name.keys().filter(|name| !common(name)).count()
    }

    /// `prefix:local` for an IRI in one of the namespaces, else the IRI. A local part starting
    /// with `//` is left whole: `p://x` would read as an IRI of scheme `p`.
    pub fn compact(&self, iri: &str) -> String {
        self.by_name
            .iter()
            .find(|(_, ns)| {
                iri.len() > ns.len()
                    && iri.starts_with(ns.as_str())
                    && !iri[ns.len()..].starts_with("//")
            })
            .map_or_else(
                || iri.to_owned(),
                |(p, ns)| format!("{p}:{}", &iri[ns.len()..]),
            )
    }

    /// (name, namespace) pairs, by name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.by_name.iter().map(|(p, ns)| (p.as_str(), ns.as_str()))
    }
}

/// The IRIs of a triple, its literal's datatype included.
fn iris(t: &Triple) -> impl Iterator<Item = &str> {
    let subject = match &t.subject {
        NamedOrBlankNode::NamedNode(s) => Some(s.as_str()),
        _ => None,
    };
    let object = match &t.object {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.datatype().as_str()),
        _ => None,
    };
    [subject, Some(t.predicate.as_str()), object]
        .into_iter()
        .flatten()
}

/// The namespace of an IRI: up to its last `#` or `/`, when something follows it.
fn namespace(iri: &str) -> Option<&str> {
    let cut = iri.rfind(['#', '/'])? + 1;
    (cut < iri.len() && cut > iri.find("://").map_or(0, |i| i + 3)).then(|| &iri[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{Literal, NamedNode};

    fn iri(s: &str) -> NamedNode {
        NamedNode::new(s).unwrap()
    }

    #[test]
    fn only_used_namespaces_get_prefixes_and_others_are_numbered() {
        let triples = [
            Triple::new(
                iri("http://data.example/r/1"),
                iri(RDF_TYPE),
                iri("http://vocab.example/terms/Thing"),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://vocab.example/terms/size"),
                Literal::new_typed_literal("3", iri("http://www.w3.org/2001/XMLSchema#integer")),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://other.example/ns#links"),
                iri("http://www.w3.org/2004/02/skos/core#Concept"),
            ),
        ];
        let prefixes = Prefixes::of(&triples);
        let pairs: Vec<_> = prefixes.iter().collect();
        assert_eq!(
            pairs,
            [
                ("ns1", "http://vocab.example/terms/"),
                ("ns2", "http://other.example/ns#"),
                ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
                ("skos", "http://www.w3.org/2004/02/skos/core#"),
                ("xsd", "http://www.w3.org/2001/XMLSchema#"),
            ]
        );
        assert_eq!(
            prefixes.compact("http://other.example/ns#links"),
            "ns2:links"
        );
        // Subjects and plain values are not namespaces of their own.
        assert_eq!(
            prefixes.compact("http://data.example/r/1"),
            "http://data.example/r/1"
        );
    }

    #[test]
    fn no_prefix_is_named_as_the_scheme_of_an_iri_in_the_data() {
        let triples = [
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://vocab.example/terms/links"),
                iri("ns1:bar"),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://www.w3.org/2004/02/skos/core#related"),
                iri("skos:foo"),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://vocab.example/a#c"),
                iri("http://data.example/r/2"),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://vocab.example/a#//b"),
                iri("http://data.example/r/2"),
            ),
        ];
        let prefixes = Prefixes::of(&triples);
        let pairs: Vec<_> = prefixes.iter().collect();
        // `ns1` and `skos` are schemes of IRIs in the data.
        assert_eq!(
            pairs,
            [
                ("ns2", "http://vocab.example/terms/"),
                ("ns3", "http://vocab.example/a#"),
                ("ns4", "http://vocab.example/a#//"),
            ]
        );
        assert_eq!(prefixes.compact("ns1:bar"), "ns1:bar");
        assert_eq!(
            prefixes.compact("http://vocab.example/terms/links"),
            "ns2:links"
        );
        // Not `ns3://b`, which would be an IRI of its own.
        assert_eq!(prefixes.compact("http://vocab.example/a#//b"), "ns4:b");
    }

    #[test]
    fn a_namespace_holding_an_iri_that_ends_in_a_dot_gets_no_prefix() {
        let triples = [
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://vocab.example/terms/legalForm"),
                iri("http://vocab.example/terms/Inc."),
            ),
            Triple::new(
                iri("http://data.example/r/1"),
                iri("http://www.w3.org/2004/02/skos/core#note"),
                Literal::from("x"),
            ),
        ];
        let prefixes = Prefixes::of(&triples);
        let names: Vec<&str> = prefixes.iter().map(|(name, _)| name).collect();
        assert_eq!(names, ["skos", "xsd"]);
        let turtle = String::from_utf8(super::super::rdf::write(
            &triples,
            oxigraph::io::RdfFormat::Turtle,
        ))
        .unwrap();
        assert!(
            turtle.contains("<http://vocab.example/terms/Inc.>"),
            "{turtle}"
        );
        assert!(!turtle.contains("\\."), "{turtle}");
    }
}
