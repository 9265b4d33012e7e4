//! JSON-LD of a resource in compacted form with a prefix context built from the vocabularies its
//! triples use ([`super::prefixes`]) (keys and types become `prefix:local`), or in expanded form when the client asks
//! for the `expanded` profile.

use super::prefixes::Prefixes;
use oxigraph::model::{NamedOrBlankNode, Term, Triple};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
const XSD_STRING: &str = "http://www.w3.org/2001/XMLSchema#string";

/// The `profile` IRI of expanded JSON-LD.
pub const EXPANDED: &str = "http://www.w3.org/ns/json-ld#expanded";

/// Whether an `Accept` header asks for expanded JSON-LD (a `profile` parameter on its
/// `application/ld+json` entry naming the expanded profile).
pub fn wants_expanded(accept: Option<&str>) -> bool {
    accept.is_some_and(|a| {
        a.split(',').any(|item| {
            let item = item.trim();
            item.to_ascii_lowercase().starts_with("application/ld+json")
                && item.split(';').skip(1).any(|p| {
                    p.trim()
                        .strip_prefix("profile=")
                        .is_some_and(|v| v.trim_matches('"').split(' ').any(|v| v == EXPANDED))
                })
        })
    })
}

fn id_of(subject: &NamedOrBlankNode) -> String {
    match subject {
        NamedOrBlankNode::NamedNode(n) => n.as_str().to_owned(),
        NamedOrBlankNode::BlankNode(b) => b.to_string(),
    }
}

/// `triples` as compacted JSON-LD, pretty-printed for people reading it.
pub fn compacted(triples: &[Triple]) -> Vec<u8> {
    serde_json::to_vec_pretty(&compacted_document(triples)).expect("JSON serializes")
}

/// `triples` as compacted JSON-LD: `{"@context": {prefixes}, "@graph": [nodes]}`.
pub fn compacted_document(triples: &[Triple]) -> Value {
    let context = Prefixes::of(triples);
    let mut nodes: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for t in triples {
        let node = nodes.entry(id_of(&t.subject)).or_insert_with(|| {
            let mut node = Map::new();
            node.insert("@id".into(), Value::String(id_of(&t.subject)));
            node
        });
        let (key, value) = match &t.object {
            Term::NamedNode(n) if t.predicate.as_str() == RDF_TYPE => (
                "@type".to_owned(),
                Value::String(context.compact(n.as_str())),
            ),
            Term::NamedNode(n) => (
                context.compact(t.predicate.as_str()),
                json!({ "@id": n.as_str() }),
            ),
            Term::BlankNode(b) => (
                context.compact(t.predicate.as_str()),
                json!({ "@id": b.to_string() }),
            ),
            Term::Literal(l) => {
                let value = match (l.language(), l.datatype().as_str()) {
                    (Some(lang), _) => json!({ "@value": l.value(), "@language": lang }),
                    (None, XSD_STRING) => json!(l.value()),
                    (None, datatype) => {
                        json!({ "@value": l.value(), "@type": context.compact(datatype) })
                    }
                };
                (context.compact(t.predicate.as_str()), value)
            }
        };
        match node.entry(key).or_insert_with(|| Value::Array(Vec::new())) {
            Value::Array(values) => values.push(value),
            _ => unreachable!("values are arrays"),
        }
    }
    let context: Map<String, Value> = context
        .iter()
        .map(|(p, ns)| (p.to_owned(), Value::String(ns.to_owned())))
        .collect();
    json!({
        "@context": context,
        "@graph": nodes.into_values().map(Value::Object).collect::<Vec<_>>(),
    })
}
