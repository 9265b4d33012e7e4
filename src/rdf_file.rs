//! Reading RDF files and byte streams into graphs, with the format chosen by file extension.

use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Graph, TripleRef};
use std::path::Path;

/// Why an RDF input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The file could not be opened or read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The system's error.
        source: std::io::Error,
    },
    /// The extension names no RDF syntax this program reads.
    #[error("{path}: unknown RDF format (use .ttl, .nt, .nq, .trig, .rdf/.owl/.xml or .jsonld)")]
    UnknownFormat {
        /// The file.
        path: String,
    },
    /// The content is not valid in its syntax; the message carries line and column.
    #[error("{source_name}: {message}")]
    Syntax {
        /// The file or stream.
        source_name: String,
        /// The parser's message with position.
        message: String,
    },
}

impl ReadError {
    /// The message in Czech (a parser's or the system's own words stay as they are).
    pub fn czech(&self) -> String {
        match self {
            Self::Io { path, source } => format!("{path}: nelze přečíst ({source})"),
            Self::UnknownFormat { path } => format!(
                "{path}: neznámý formát RDF (použijte .ttl, .nt, .nq, .trig, .rdf/.owl/.xml nebo \
                 .jsonld)"
            ),
            Self::Syntax {
                source_name,
                message,
            } => format!("{source_name}: chyba syntaxe: {message}"),
        }
    }
}

/// The RDF syntax of a file, by its extension.
pub fn format_of(path: &Path) -> Option<RdfFormat> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "ttl" | "turtle" => RdfFormat::Turtle,
        "nt" | "ntriples" => RdfFormat::NTriples,
        "nq" | "nquads" => RdfFormat::NQuads,
        "trig" => RdfFormat::TriG,
        "rdf" | "owl" | "xml" => RdfFormat::RdfXml,
        "jsonld" | "json" => RdfFormat::JsonLd {
            profile: oxigraph::io::JsonLdProfileSet::empty(),
        },
        "n3" => RdfFormat::N3,
        _ => RdfFormat::from_extension(&ext)?,
    })
}

/// Parses `bytes` as `format`, handing each triple to `f` (the quads of a dataset format lose
/// their graph name), resolving relative IRIs against `base`. `source` names the input in errors.
pub fn parse_each(
    bytes: &[u8],
    format: RdfFormat,
    source: &str,
    base: Option<&str>,
    mut f: impl FnMut(TripleRef<'_>),
) -> Result<(), ReadError> {
    let mut parser = RdfParser::from_format(format);
    if let Some(base) = base {
        parser = parser.with_base_iri(base).map_err(|e| ReadError::Syntax {
            source_name: source.to_owned(),
            message: format!("invalid base IRI {base}: {e}"),
        })?;
    }
    for quad in parser.for_slice(bytes) {
        let quad = quad.map_err(|e| ReadError::Syntax {
            source_name: source.to_owned(),
            message: e.to_string(),
        })?;
        f(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
    }
    Ok(())
}

/// Parses `bytes` as `format` into one graph; see [`parse_each`].
pub fn parse_graph(
    bytes: &[u8],
    format: RdfFormat,
    source: &str,
    base: Option<&str>,
) -> Result<Graph, ReadError> {
    let mut graph = Graph::new();
    parse_each(bytes, format, source, base, |t| {
        graph.insert(t);
    })?;
    Ok(graph)
}

/// An RDF file read into memory, with what parsing it needs.
pub struct RdfFile {
    /// The path, for messages.
    pub name: String,
    /// The syntax its extension names.
    pub format: RdfFormat,
    /// Its content.
    pub bytes: Vec<u8>,
    /// Its own `file://` IRI, against which relative IRIs resolve.
    pub base: Option<String>,
}

impl RdfFile {
    /// Reads the file at `path`.
    pub fn read(path: &Path) -> Result<Self, ReadError> {
        let name = path.display().to_string();
        let format =
            format_of(path).ok_or_else(|| ReadError::UnknownFormat { path: name.clone() })?;
        let bytes = std::fs::read(path).map_err(|source| ReadError::Io {
            path: name.clone(),
            source,
        })?;
        let base = std::fs::canonicalize(path).ok().and_then(|p| url_of(&p));
        Ok(Self {
            name,
            format,
            bytes,
            base,
        })
    }
}

/// Reads the RDF file at `path`, in the syntax its extension names, handing each triple to
/// `f`; relative IRIs resolve against the file's own `file://` IRI.
pub fn read_each(path: &Path, f: impl FnMut(TripleRef<'_>)) -> Result<(), ReadError> {
    let file = RdfFile::read(path)?;
    parse_each(
        &file.bytes,
        file.format,
        &file.name,
        file.base.as_deref(),
        f,
    )
}

/// Reads the RDF file at `path` into a graph; see [`read_each`].
pub fn read_graph(path: &Path) -> Result<Graph, ReadError> {
    let mut graph = Graph::new();
    read_each(path, |t| {
        graph.insert(t);
    })?;
    Ok(graph)
}

/// Reads several RDF files into one graph (their triples merged).
pub fn read_graphs(paths: &[impl AsRef<Path>]) -> Result<Graph, ReadError> {
    let mut graph = Graph::new();
    for p in paths {
        read_each(p.as_ref(), |t| {
            graph.insert(t);
        })?;
    }
    Ok(graph)
}

/// The `file://` IRI of an absolute path, percent-encoding what IRIs cannot hold.
pub fn url_of(path: &Path) -> Option<String> {
    let s = path.to_str()?;
    let mut out = String::from("file://");
    for c in s.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    Some(out)
}
