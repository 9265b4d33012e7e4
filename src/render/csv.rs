//! A resource as a long CSV table: one row per value of its own triples, with labels
//! (`property,property_label,value,value_label,language,datatype`); UTF-8 without BOM, RFC 4180
//! quoting.

use crate::describe::{best_label, Description};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term};

/// The table's header.
pub const HEADER: [&str; 6] = [
    "property",
    "property_label",
    "value",
    "value_label",
    "language",
    "datatype",
];

/// The long table of `description`'s own triples, labels in `languages`.
pub fn long_table(description: &Description, languages: &[String]) -> Vec<u8> {
    let label = |iri: &NamedNode| {
        description
            .labels
            .get(iri)
            .and_then(|l| best_label(l, languages))
            .map_or_else(String::new, |l| l.value().to_owned())
    };
    let mut out = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    out.write_record(HEADER).expect("writing to memory");
    for t in description.triples.iter().filter(
        |t| matches!(&t.subject, NamedOrBlankNode::NamedNode(n) if n.as_str() == description.iri),
    ) {
        let (value, value_label, language, datatype) = match &t.object {
            Term::NamedNode(n) => (
                n.as_str().to_owned(),
                label(n),
                String::new(),
                String::new(),
            ),
            Term::BlankNode(b) => (b.to_string(), String::new(), String::new(), String::new()),
            Term::Literal(l) => (
                l.value().to_owned(),
                String::new(),
                l.language().unwrap_or_default().to_owned(),
                if l.language().is_some() {
                    String::new()
                } else {
                    l.datatype().as_str().to_owned()
                },
            ),
        };
        out.write_record([
            t.predicate.as_str(),
            &label(&t.predicate),
            &value,
            &value_label,
            &language,
            &datatype,
        ])
        .expect("writing to memory");
    }
    out.into_inner().expect("writing to memory")
}
