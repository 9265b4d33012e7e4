//! What a request's headers negotiate: the format (`Accept`, q-values and all), a quad syntax
//! preferred to every format, the JSON-LD profile, the label languages.

use crate::conneg;
use crate::render::{jsonld, Format};
use crate::web::quads::QuadSyntax;
use axum::http::{header, HeaderMap};

/// What a request's headers negotiate: everything a view depends on besides the path and its
/// parameters (so it also keys the view cache: clients whose headers differ but choose the
/// same share one entry).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Asked {
    /// The format `Accept` prefers, if any is acceptable.
    pub format: Option<Format>,
    /// The quad syntax `Accept` prefers to every format, if one is: what a dataset's or a
    /// version's IRI answers with its whole content ([`super::quads`]).
    pub quads: Option<QuadSyntax>,
    /// When the format is RDF/XML: the RDF syntax `Accept` prefers after it, for a resource
    /// RDF/XML cannot write (see [`crate::render::rdf::rdfxml_can_write`]).
    pub instead_of_rdfxml: Option<Format>,
    /// Whether `Accept` asks for expanded JSON-LD.
    pub expanded: bool,
    /// The label languages, preferred first (`?lang=`, else the cookie that keeps it, then
    /// `Accept-Language`, then the configured ones; see [`crate::web::language`]).
    pub languages: Vec<String>,
}

impl Asked {
    /// What `headers` negotiate, with the language `chosen` by `?lang=` and `configured` label
    /// languages.
    pub fn of(headers: &HeaderMap, chosen: Option<&str>, configured: &[String]) -> Self {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
        let (format, quads) = negotiate(accept);
        let instead_of_rdfxml = (format == Some(Format::RdfXml))
            .then(|| conneg::choose_rdf(accept, &INSTEAD_OF_RDFXML.map(Format::media_type)))
            .flatten()
            .map(|i| INSTEAD_OF_RDFXML[i]);
        Self {
            format,
            quads,
            instead_of_rdfxml,
            expanded: jsonld::wants_expanded(accept),
            languages: crate::web::language::languages(headers, chosen, configured),
        }
    }
}

/// What a resource is offered in, in order of preference: the media types of [`Format::ALL`],
/// then of [`QuadSyntax::ALL`] (a dataset's or version's IRI only, see [`quads::at_dataset`]).
const OFFERED: [&str; 8] = [
    "text/turtle",
    "text/html",
    "application/ld+json",
    "application/n-triples",
    "application/rdf+xml",
    "text/csv",
    "application/trig",
    "application/n-quads",
];

/// What a client asking for RDF/XML may get instead: the other RDF syntaxes of one graph.
const INSTEAD_OF_RDFXML: [Format; 3] = [Format::Turtle, Format::JsonLd, Format::NTriples];

/// The format `accept` prefers among all formats, if any is acceptable; and the quad syntax it
/// prefers to all of them, if one.
fn negotiate(accept: Option<&str>) -> (Option<Format>, Option<QuadSyntax>) {
    let views = Format::ALL.len();
    match conneg::choose_rdf(accept, &OFFERED) {
        Some(i) if i < views => (Some(Format::ALL[i]), None),
        Some(i) => {
            let format = conneg::choose_rdf(accept, &OFFERED[..views]).map(|i| Format::ALL[i]);
            (format, Some(QuadSyntax::ALL[i - views]))
        }
        None => (None, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offered_types_are_the_formats_then_the_quad_syntaxes() {
        let formats = Format::ALL.map(Format::media_type);
        assert_eq!(OFFERED[..formats.len()], formats);
        assert_eq!(
            OFFERED[formats.len()..],
            QuadSyntax::ALL.map(QuadSyntax::media_type)
        );
    }

    #[test]
    fn a_quad_syntax_is_chosen_only_when_preferred_to_every_format() {
        let quads = |accept| negotiate(Some(accept)).1;
        assert_eq!(negotiate(None), (Some(Format::Turtle), None));
        for accept in [
            "*/*",
            "application/*",
            "text/turtle, application/n-quads;q=0.5",
        ] {
            assert_eq!(quads(accept), None, "{accept}");
        }
        assert_eq!(quads("application/n-quads;q=0"), None);
        assert_eq!(
            negotiate(Some("application/trig")),
            (None, Some(QuadSyntax::TriG))
        );
        assert_eq!(
            negotiate(Some("text/turtle;q=0.5, application/n-quads")),
            (Some(Format::Turtle), Some(QuadSyntax::NQuads))
        );
    }
}
