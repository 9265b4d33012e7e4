//! What a request names: the resource's path, the format its URL names, and the explicit URL
//! of each of its formats; whether a path names anything at all.

use super::{App, DOC_PREFIX};
use crate::render::{Alternate, Format, QuadSyntax};
use oxigraph::model::NamedNode;

/// What a request for a path asks: the resource, and the format when the URL names one.
pub struct Target {
    /// Its path on this server, without suffix (for links to the other formats).
    pub path: String,
    /// A format named by a suffix or `?format=`.
    pub explicit: Option<Format>,
    /// Whether the URL is a 303-pattern document URL.
    pub document: bool,
    /// For an ontology's `owl:versionIRI`: the version graph holding that version, and the
    /// ontology's IRI.
    pub version: Option<(NamedNode, NamedNode)>,
    /// The formats whose suffix URL is a distribution file (a dataset's or a version's
    /// `<IRI>.ttl` is its data, not its description).
    pub files: Vec<Format>,
}

impl Target {
    /// The explicit URL of this resource in `format` (a path on this server, in IRI form): its
    /// suffix URL, or `?format=` where the suffix URL is a file.
    pub fn url_for(&self, format: Format) -> String {
        let prefix = if self.document { DOC_PREFIX } else { "" };
        // A `?` in the IRI is part of its path, not a query.
        let path = self.path.replace('?', "%3F");
        match self.files.contains(&format) {
            true => format!("/{prefix}{path}?format={}", format.ext()),
            false => format!("/{prefix}{path}.{}", format.ext()),
        }
    }

    /// Its whole content in the syntaxes that name graphs: a dataset's or a version's only (see
    /// [`crate::web::quads`]).
    pub fn quad_alternates(&self) -> Vec<Alternate> {
        match self.files.is_empty() {
            true => Vec::new(),
            false => QuadSyntax::ALL
                .into_iter()
                .map(|s| Alternate::quads(s, format!("/{}.{}", self.path, s.ext())))
                .collect(),
        }
    }

    /// Every representation but `format`: the other formats (RDF/XML left out when
    /// `rdfxml_writes` is false, see [`crate::render::rdf::rdfxml_can_write`]), then the whole
    /// dataset's.
    pub fn alternates(&self, format: Option<Format>, rdfxml_writes: bool) -> Vec<Alternate> {
        let formats = self
            .other_urls(format)
            .into_iter()
            .filter(|(f, _)| *f != Format::RdfXml || rdfxml_writes)
            .map(|(f, url)| Alternate::format(f, url));
        formats.chain(self.quad_alternates()).collect()
    }

    /// The explicit URLs of the formats other than `format` (all of them for `None`).
    pub fn other_urls(&self, format: Option<Format>) -> Vec<(Format, String)> {
        Format::ALL
            .into_iter()
            .filter(|f| Some(*f) != format)
            .map(|f| (f, self.url_for(f)))
            .collect()
    }
}

/// The formats whose suffix URL of `iri` serves a distribution file rather than a view: none
/// but for the IRIs of datasets and versions, which all have a Turtle file.
pub(super) fn files_at(app: &App, iri: &str) -> Vec<Format> {
    let registry = app.storage.registry();
    let file = |f: Format| registry.file(&format!("{iri}.{}", f.ext())).is_some();
    match file(Format::Turtle) {
        true => Format::ALL.into_iter().filter(|f| file(*f)).collect(),
        false => Vec::new(),
    }
}

/// Whether `path` (or its stem, before a format suffix) names a resource the current versions
/// say something about, or a dataset or a version: what a request's other readings are tried
/// for (see [`super::iri_path`]).
pub fn known(app: &App, path: &str) -> bool {
    let stem = path.rsplit_once('.').map(|(stem, _)| stem);
    [Some(path), stem].into_iter().flatten().any(|path| {
        let iri = format!("{}{path}", app.config.base);
        let registry = app.storage.registry();
        if registry.dataset_with_iri(&iri).is_some() || registry.version(&iri).is_some() {
            return true;
        }
        drop(registry);
        NamedNode::new(iri)
            .is_ok_and(|iri| crate::describe::has_data(&app.storage, iri.as_ref()).unwrap_or(false))
    })
}
