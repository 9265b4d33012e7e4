//! Representations of a resource: the formats a view can take, and the writers of each
//! (`rdf` for the RDF syntaxes, `html` for people, `csv` for spreadsheets).

pub mod collation;
pub mod csv;
pub mod header;
pub mod html;
pub mod inline;
pub mod items;
pub mod jsonld;
pub mod norm_jsonld;
mod ontology;
mod paging;
pub mod prefixes;
mod properties;
pub mod rdf;
pub mod words;

use oxigraph::io::{JsonLdProfileSet, RdfFormat};

/// A representation a resource is offered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Turtle (the default when no `Accept` is sent).
    Turtle,
    /// An HTML page for people.
    Html,
    /// JSON-LD.
    JsonLd,
    /// N-Triples.
    NTriples,
    /// RDF/XML.
    RdfXml,
    /// CSV (a long table of properties and values).
    Csv,
}

impl Format {
    /// Every format, most preferred first (what `*/*` or no `Accept` gets comes first).
    pub const ALL: [Format; 6] = [
        Self::Turtle,
        Self::Html,
        Self::JsonLd,
        Self::NTriples,
        Self::RdfXml,
        Self::Csv,
    ];

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Turtle => "text/turtle",
            Self::Html => "text/html",
            Self::JsonLd => "application/ld+json",
            Self::NTriples => "application/n-triples",
            Self::RdfXml => "application/rdf+xml",
            Self::Csv => "text/csv",
        }
    }

    /// Its name for people (in the links of an HTML page).
    pub fn name(self) -> &'static str {
        match self {
            Self::Turtle => "Turtle",
            Self::Html => "HTML",
            Self::JsonLd => "JSON-LD",
            Self::NTriples => "N-Triples",
            Self::RdfXml => "RDF/XML",
            Self::Csv => "CSV",
        }
    }

    /// Its name in `?format=` and its URL suffix.
    pub fn ext(self) -> &'static str {
        match self {
            Self::Turtle => "ttl",
            Self::Html => "html",
            Self::JsonLd => "jsonld",
            Self::NTriples => "nt",
            Self::RdfXml => "rdf",
            Self::Csv => "csv",
        }
    }

    /// The format named `name` (`ttl`, `jsonld`, …; `turtle`, `json`, `xml`, `n-triples` too).
    pub fn from_name(name: &str) -> Option<Self> {
        let name = name.to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|f| f.ext() == name)
            .or(match name.as_str() {
                "turtle" => Some(Self::Turtle),
                "json" | "json-ld" => Some(Self::JsonLd),
                "n-triples" | "ntriples" => Some(Self::NTriples),
                "xml" | "rdfxml" => Some(Self::RdfXml),
                "htm" => Some(Self::Html),
                _ => None,
            })
    }

    /// The RDF syntax, for the RDF formats.
    pub fn rdf(self) -> Option<RdfFormat> {
        match self {
            Self::Turtle => Some(RdfFormat::Turtle),
            Self::JsonLd => Some(RdfFormat::JsonLd {
                profile: JsonLdProfileSet::empty(),
            }),
            Self::NTriples => Some(RdfFormat::NTriples),
            Self::RdfXml => Some(RdfFormat::RdfXml),
            Self::Html | Self::Csv => None,
        }
    }
}

/// A syntax that names graphs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuadSyntax {
    /// TriG (Turtle with graphs).
    TriG,
    /// N-Quads (N-Triples with graphs).
    NQuads,
}

impl QuadSyntax {
    /// Both, TriG preferred.
    pub const ALL: [Self; 2] = [Self::TriG, Self::NQuads];

    /// Its media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::TriG => "application/trig",
            Self::NQuads => "application/n-quads",
        }
    }

    /// Its name for people (in the links of an HTML page).
    pub fn name(self) -> &'static str {
        match self {
            Self::TriG => "TriG",
            Self::NQuads => "N-Quads",
        }
    }

    /// Its name in `?format=` and its URL suffix.
    pub fn ext(self) -> &'static str {
        match self {
            Self::TriG => "trig",
            Self::NQuads => "nq",
        }
    }

    /// The syntax named `name` (`trig`, `nq`; `nquads`, `n-quads` too).
    pub fn from_name(name: &str) -> Option<Self> {
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(name));
        match () {
            _ if is(&["trig"]) => Some(Self::TriG),
            _ if is(&["nq", "nquads", "n-quads"]) => Some(Self::NQuads),
            _ => None,
        }
    }

    /// Oxigraph's name of it.
    pub fn rdf(self) -> RdfFormat {
        match self {
            Self::TriG => RdfFormat::TriG,
            Self::NQuads => RdfFormat::NQuads,
        }
    }
}

/// Another representation of a resource, as its page, `Link` header and 406 name it: a format
/// of the resource, or its whole dataset in a syntax that names graphs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alternate {
    /// Its name for people (`Turtle`).
    pub name: &'static str,
    /// Its media type.
    pub media_type: &'static str,
    /// Its name in `?format=` and its URL suffix (`ttl`).
    pub ext: &'static str,
    /// Its explicit URL (a path on this server).
    pub url: String,
}

impl Alternate {
    /// `format` at `url`.
    pub fn format(format: Format, url: String) -> Self {
        let (name, media_type, ext) = (format.name(), format.media_type(), format.ext());
        Self {
            name,
            media_type,
            ext,
            url,
        }
    }

    /// The whole dataset in `syntax` at `url`.
    pub fn quads(syntax: QuadSyntax, url: String) -> Self {
        let (name, media_type, ext) = (syntax.name(), syntax.media_type(), syntax.ext());
        Self {
            name,
            media_type,
            ext,
            url,
        }
    }
}

/// The RDF syntaxes, by extension: what files are written in and `export` writes.
pub fn rdf_formats() -> impl Iterator<Item = (&'static str, RdfFormat)> {
    Format::ALL
        .into_iter()
        .filter_map(|f| f.rdf().map(|rdf| (f.ext(), rdf)))
}

/// Common prefixes: declared in an answer's Turtle and JSON-LD when it uses them (see
/// [`prefixes`]), in every Turtle file, and used to shorten IRIs on pages (only for
/// readability; any IRI is allowed).
pub const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("schema", "https://schema.org/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("void", "http://rdfs.org/ns/void#"),
    ("sd", "http://www.w3.org/ns/sparql-service-description#"),
    ("sh", "http://www.w3.org/ns/shacl#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("adms", "http://www.w3.org/ns/adms#"),
    ("locn", "http://www.w3.org/ns/locn#"),
];

#[cfg(test)]
mod tests {
    use super::QuadSyntax;

    #[test]
    fn names() {
        for s in QuadSyntax::ALL {
            assert_eq!(QuadSyntax::from_name(s.ext()), Some(s));
        }
        assert_eq!(QuadSyntax::from_name("N-Quads"), Some(QuadSyntax::NQuads));
        assert_eq!(QuadSyntax::from_name("ttl"), None);
    }
}
