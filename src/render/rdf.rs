//! A resource's triples in an RDF syntax, with the common prefixes in Turtle and JSON-LD.

use super::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::Triple;

/// A serializer for `format` that declares the common prefixes where the syntax has them.
pub fn serializer(format: RdfFormat) -> RdfSerializer {
    let mut serializer = RdfSerializer::from_format(format);
    if matches!(format, RdfFormat::Turtle | RdfFormat::JsonLd { .. }) {
        for (prefix, iri) in PREFIXES {
            serializer = serializer
                .with_prefix(*prefix, *iri)
                .expect("the built-in prefixes are valid");
        }
    }
    serializer
}

/// `triples` in `format`.
pub fn write(triples: &[Triple], format: RdfFormat) -> Vec<u8> {
    let mut out = serializer(format).for_writer(Vec::new());
    for t in triples {
        out.serialize_triple(t).expect("writing to memory");
    }
    out.finish().expect("writing to memory")
}
