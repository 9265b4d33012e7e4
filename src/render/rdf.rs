//! Triples in an RDF syntax: an answer's own with the prefixes it uses, a file's streamed with
//! the common prefixes.

use super::prefixes::Prefixes;
use super::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;

/// A serializer for `format` that declares the common prefixes where the syntax has them (for
/// triples streamed, whose namespaces are not known beforehand).
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(
        format,
        RdfFormat::Turtle | RdfFormat::TriG | RdfFormat::JsonLd { .. }
    ) {
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .expect("the built-in prefixes are valid");
        }
    }
    serializer
}

/// `triples` in `format`; in Turtle with the prefixes they use ([`Prefixes`]), no others.
pub fn write(triples: &[Triple], format: RdfFormat) -> Vec<u8> {
    let mut serializer = RdfSerializer::from_format(format);
    if format == RdfFormat::Turtle {
        for (name, namespace) in Prefixes::of(triples).iter() {
            serializer = serializer
                .with_prefix(name, namespace)
                .expect("namespaces are IRIs");
        }
    }
    let mut out = serializer.for_writer(Vec::new());
    for t in triples {
        out.serialize_triple(t).expect("writing to memory");
    }
    out.finish().expect("writing to memory")
}
