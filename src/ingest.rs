//! The first stages of a push: read within limits → parse (the RDF syntax named by the media
//! type; JSON-LD contexts only from the norm's bundled copies) → validate against the norm's
//! shapes. What comes out is either an accepted batch, indexed and ready to publish, or a typed
//! rejection; nothing is stored here.

use crate::norm::Norm;
use crate::rdf_file::ReadError;
use crate::shacl::{DataGraph, DataGraphBuilder, ValidationError, ValidationReport};
use oxigraph::io::{JsonLdProfile, LoadedDocument, RdfFormat, RdfParser};
use oxigraph::model::TripleRef;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Size limits of one push.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest body, in bytes.
    pub max_bytes: usize,
    /// Most triples.
    pub max_triples: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 1 << 30,
            max_triples: 20_000_000,
        }
    }
}

/// Why a push was refused. Each maps to one HTTP status and one CLI message.
#[derive(Debug, thiserror::Error)]
pub enum Rejection {
    /// The body is larger than the limit (HTTP 413).
    #[error("{source_name}: {size} bytes is more than the limit of {limit} bytes")]
    TooLarge {
        /// The part at fault.
        source_name: String,
        /// Its size.
        size: usize,
        /// The limit.
        limit: usize,
    },
    /// More triples than the limit (HTTP 413).
    #[error("more than the limit of {limit} triples")]
    TooManyTriples {
        /// The limit.
        limit: usize,
    },
    /// A media type that is not an RDF syntax this norm accepts (HTTP 415).
    #[error("unsupported media type {media_type}; use one of: {supported}")]
    UnsupportedMediaType {
        /// What was sent.
        media_type: String,
        /// What is accepted.
        supported: String,
    },
    /// The body does not parse (HTTP 400); the message has line and column.
    #[error(transparent)]
    Syntax(#[from] ReadError),
    /// The data violates the norm's shapes (HTTP 422).
    #[error("the data does not conform to norm {norm}: {violations} violation(s)")]
    NotConforming {
        /// The norm.
        norm: String,
        /// How many triples were read.
        triples: usize,
        /// How many results have severity sh:Violation.
        violations: usize,
        /// The whole report.
        report: ValidationReport,
    },
    /// A SPARQL constraint failed to run (HTTP 500: the norm is at fault, not the data).
    #[error(transparent)]
    Validation(#[from] ValidationError),
}

impl Rejection {
    /// The message in Czech (the English one is its `Display`); a parser's or the SPARQL
    /// engine's own words stay as they are.
    pub fn czech(&self) -> String {
        match self {
            Self::TooLarge {
                source_name,
                size,
                limit,
            } => format!("{source_name}: {size} bajtů je víc než limit {limit} bajtů"),
            Self::TooManyTriples { limit } => format!("víc než limit {limit} trojic"),
            Self::UnsupportedMediaType {
                media_type,
                supported,
            } => format!("nepodporovaný typ obsahu {media_type}; použijte jeden z: {supported}"),
            Self::Syntax(e) => e.czech(),
            Self::NotConforming {
                norm, violations, ..
            } => format!("data nesplňují normu {norm}: počet porušení {violations}"),
            Self::Validation(crate::shacl::ValidationError::Sparql { shape, message }) => {
                format!("omezení SPARQL tvaru {shape} selhalo: {message}")
            }
        }
    }
}

/// A batch that passed: the data indexed for publishing, and what validation said (warnings and
/// infos do not block a push).
#[derive(Debug)]
pub struct Accepted {
    /// The data, indexed.
    pub data: DataGraph,
    /// The validation report (no violations; maybe warnings).
    pub report: ValidationReport,
    /// Time spent reading and parsing.
    pub parse_time: Duration,
    /// Time spent validating.
    pub validate_time: Duration,
}

/// The media types of the RDF syntaxes a push may use.
pub const MEDIA_TYPES: &[&str] = &[
    "text/turtle",
    "application/trig",
    "application/n-triples",
    "application/n-quads",
    "application/rdf+xml",
    "application/ld+json",
];

/// The RDF syntax of a media type (parameters such as `charset` are ignored).
pub fn format_of_media_type(media_type: &str) -> Option<RdfFormat> {
    let essence = media_type.split(';').next()?.trim().to_ascii_lowercase();
    MEDIA_TYPES
        .contains(&essence.as_str())
        .then(|| RdfFormat::from_media_type(&essence))
        .flatten()
}

/// Whether `media_type` is CSV (`text/csv`, parameters ignored).
pub fn is_csv(media_type: &str) -> bool {
    media_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("text/csv"))
}

/// One push in progress: add its parts, then [`Ingest::finish`].
pub struct Ingest<'n> {
    norm: &'n Norm,
    limits: Limits,
    builder: DataGraphBuilder,
    triples: usize,
    parse_time: Duration,
    progress: Option<&'n mut dyn FnMut(u64)>,
}

impl<'n> Ingest<'n> {
    /// Starts a push under `norm`.
    pub fn new(norm: &'n Norm, limits: Limits) -> Self {
        Self {
            norm,
            limits,
            builder: norm.shapes.data_graph_builder(),
            triples: 0,
            parse_time: Duration::ZERO,
            progress: None,
        }
    }

    /// Calls `progress` with the number of triples read so far, every 65,536 triples.
    pub fn with_progress(mut self, progress: &'n mut dyn FnMut(u64)) -> Self {
        self.progress = Some(progress);
        self
    }

    /// Reads one part (a body or a file) sent as `media_type`; `source_name` names it in errors,
    /// `base` resolves relative IRIs. After an error the push is refused: drop this `Ingest`.
    pub fn add(
        &mut self,
        bytes: &[u8],
        media_type: &str,
        source_name: &str,
        base: Option<&str>,
    ) -> Result<(), Rejection> {
        let start = Instant::now();
        if bytes.len() > self.limits.max_bytes {
            return Err(Rejection::TooLarge {
                source_name: source_name.to_owned(),
                size: bytes.len(),
                limit: self.limits.max_bytes,
            });
        }
        if is_csv(media_type) {
            return self.add_csv(bytes, media_type, source_name, base, start);
        }
        let format =
            format_of_media_type(media_type).ok_or_else(|| self.unsupported(media_type))?;
        let syntax = |message: String| {
            Rejection::Syntax(ReadError::Syntax {
                source_name: source_name.to_owned(),
                message,
            })
        };
        let mut parser = RdfParser::from_format(format);
        if let Some(base) = base {
            parser = parser
                .with_base_iri(base)
                .map_err(|e| syntax(format!("invalid base IRI {base}: {e}")))?;
        }
        let contexts = self.norm.contexts.clone();
        let norm_id = self.norm.id.clone();
        let quads = parser
            .for_slice(bytes)
            .with_document_loader(move |iri| bundled_context(&norm_id, &contexts, iri));
        let (builder, triples, limit, progress) = (
            &mut self.builder,
            &mut self.triples,
            self.limits.max_triples,
            &mut self.progress,
        );
        // Oxigraph's JSON-LD parser (0.2.7) can panic on some failed nested context loads; a
        // push must get an answer, not take the process down.
        let parsed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            for quad in quads {
                let quad = quad.map_err(|e| syntax(e.to_string()))?;
                *triples += 1;
                if *triples > limit {
                    return Err(Rejection::TooManyTriples { limit });
                }
                if *triples % 65_536 == 0 {
                    if let Some(progress) = progress {
                        progress(*triples as u64);
                    }
                }
                builder.add_data(TripleRef::new(&quad.subject, &quad.predicate, &quad.object));
            }
            Ok(())
        }));
        match parsed {
            Ok(result) => result?,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown error");
                return Err(syntax(format!("the parser failed: {what}")));
            }
        }
        self.parse_time += start.elapsed();
        Ok(())
    }

    /// Reads a CSV part through the norm's CSV-on-the-Web mapping (415 when it has none).
    fn add_csv(
        &mut self,
        bytes: &[u8],
        media_type: &str,
        source_name: &str,
        base: Option<&str>,
        start: Instant,
    ) -> Result<(), Rejection> {
        let Some((_, mapping)) = &self.norm.csv else {
            return Err(self.unsupported(media_type));
        };
        let limit = self.limits.max_triples;
        let (builder, triples) = (&mut self.builder, &mut self.triples);
        let mut too_many = false;
        mapping
            .convert(bytes, base.unwrap_or("urn:datafond:table"), |t| {
                *triples += 1;
                too_many |= *triples > limit;
                builder.add_data(t.as_ref());
            })
            .map_err(|message| {
                Rejection::Syntax(ReadError::Syntax {
                    source_name: source_name.to_owned(),
                    message,
                })
            })?;
        if too_many {
            return Err(Rejection::TooManyTriples { limit });
        }
        self.parse_time += start.elapsed();
        Ok(())
    }

    /// The refusal of a media type this norm cannot read.
    fn unsupported(&self, media_type: &str) -> Rejection {
        let mut supported = MEDIA_TYPES.join(", ");
        if self.norm.csv.is_some() {
            supported.push_str(", text/csv");
        }
        Rejection::UnsupportedMediaType {
            media_type: media_type.to_owned(),
            supported,
        }
    }

    /// Adds a triple of read-only reference data (e.g. an authority table the shapes point to),
    /// after all parts were added: lookups see it, targets do not.
    pub fn add_reference(&mut self, t: TripleRef<'_>) {
        self.builder.add_reference(t);
    }

    /// Indexes what was read and validates it against the norm.
    pub fn finish(self) -> Result<Accepted, Rejection> {
        let start = Instant::now();
        let data = self.builder.build();
        let report = self.norm.shapes.validate_indexed(&data)?;
        let violations = report.violations();
        if violations > 0 {
            return Err(Rejection::NotConforming {
                norm: self.norm.id.clone(),
                triples: data.len(),
                violations,
                report,
            });
        }
        Ok(Accepted {
            data,
            report,
            parse_time: self.parse_time,
            validate_time: start.elapsed(),
        })
    }
}

/// The JSON-LD document loader of a push: remote contexts come from the norm's bundled copies
/// (read once, when the norm loads), never from the network.
fn bundled_context(
    norm: &str,
    contexts: &BTreeMap<String, Arc<[u8]>>,
    iri: &str,
) -> Result<LoadedDocument, Box<dyn std::error::Error + Send + Sync>> {
    let content = contexts.get(iri).ok_or_else(|| {
        format!(
            "the JSON-LD context <{iri}> is not bundled with norm {norm}; datafond never fetches \
             contexts over the network"
        )
    })?;
    Ok(LoadedDocument {
        url: iri.to_owned(),
        content: content.to_vec(),
        format: RdfFormat::JsonLd {
            profile: JsonLdProfile::Context.into(),
        },
    })
}
