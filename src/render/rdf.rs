//! Triples in an RDF syntax: an answer's own with the prefixes it uses, a file's streamed with
//! the common prefixes.

use super::prefixes::Prefixes;
use super::PREFIXES;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{NamedNode, Triple};
use std::io::{self, Write};

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
    let mut out = serializer.for_writer(CrEscaped::new(Vec::new(), format == RdfFormat::RdfXml));
    for t in triples {
        out.serialize_triple(t).expect("writing to memory");
    }
    out.finish().expect("writing to memory").into_inner()
}

/// A writer of XML (RDF/XML, SPARQL's XML results) that writes each carriage return as `&#13;`.
/// XML parsers read a raw CR as a line feed (XML's end-of-line handling), and Oxigraph's XML
/// writers leave a literal's CRs raw, so `"a\r\nb"` (Windows line ends) would be read back as
/// `"a\nb"`. In their output a CR can only come from a literal's text: IRIs, element names and
/// language tags hold none. With `active` false, everything passes unchanged.
pub struct CrEscaped<W> {
    inner: W,
    active: bool,
}

impl<W: Write> CrEscaped<W> {
    /// Writes to `inner`, escaping carriage returns when `active`.
    pub fn new(inner: W, active: bool) -> Self {
        Self { inner, active }
    }

    /// The writer written to.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for CrEscaped<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if !self.active {
            return self.inner.write(buf);
        }
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&b| b == b'\r') {
            self.inner.write_all(&rest[..at])?;
            self.inner.write_all(b"&#13;")?;
            rest = &rest[at + 1..];
        }
        self.inner.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Whether RDF/XML can write `predicate`: as an element name, its IRI must end in an XML name
/// (`…/name`, `…/1a`; not `…/123` or `…/`). Oxigraph 0.5 writes what it cannot as
/// `<oxprefix:>`, which is malformed XML (oxigraph#1859, fixed after oxrdfxml 0.2.5), so
/// content holding such a predicate is not offered in RDF/XML. Mirrors the writer's split: the
/// name is what follows the last character no XML name holds, from its first name-start
/// character.
pub fn rdfxml_can_write(predicate: &str) -> bool {
    predicate
        .rfind(|c: char| !is_xml_name_char(c) || c == ':')
        .is_some_and(|at| predicate[at..].contains(|c: char| is_xml_name_start(c) && c != ':'))
}

/// The first predicate of `triples` RDF/XML cannot write (see [`rdfxml_can_write`]).
pub fn rdfxml_obstacle(triples: &[Triple]) -> Option<&NamedNode> {
    triples
        .iter()
        .map(|t| &t.predicate)
        .find(|p| !rdfxml_can_write(p.as_str()))
}

/// XML 1.0's `NameStartChar`.
fn is_xml_name_start(c: char) -> bool {
    matches!(c,
        ':' | 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
        | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
        | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
        | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
        | '\u{10000}'..='\u{EFFFF}')
}

/// XML 1.0's `NameChar`.
fn is_xml_name_char(c: char) -> bool {
    is_xml_name_start(c)
        || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rdfxml_writes_predicates_ending_in_an_xml_name() {
        for ok in [
            "http://example.org/p",
            "http://example.org/1a",
            "http://example.org/a#b-",
            "http://example.org/p-1.x",
            "http://example.org/názvy/obec",
            "http://example.org/x.1",
        ] {
            assert!(rdfxml_can_write(ok), "{ok}");
        }
        for bad in [
            "http://example.org/123",
            "http://example.org/p/",
            "urn:isbn:123",
            "http://example.org/a#",
            "http://example.org/-1",
        ] {
            assert!(!rdfxml_can_write(bad), "{bad}");
        }
    }

    /// What the check calls writable, Oxigraph's writer writes as well-formed XML, and the
    /// rest is the writer's malformed `oxprefix:` (were it fixed, the check could go).
    #[test]
    fn the_check_agrees_with_the_writer() {
        use oxigraph::model::Literal;
        let predicates = [
            "http://example.org/1a",
            "http://example.org/x.1",
            "http://example.org/123",
            "http://example.org/p/",
            "http://example.org/-1",
            "urn:isbn:123",
        ];
        for p in predicates {
            let t = Triple::new(
                NamedNode::new_unchecked("http://example.org/s"),
                NamedNode::new_unchecked(p),
                Literal::from("o"),
            );
            let xml = String::from_utf8(write(&[t], RdfFormat::RdfXml)).unwrap();
            assert_eq!(
                !xml.contains("<oxprefix:"),
                rdfxml_can_write(p),
                "{p}: {xml}"
            );
        }
    }
}
