//! Whole datasets as quads: TriG and N-Quads, the syntaxes that name graphs, where a whole
//! dataset is asked for — at a dataset's or a version's IRI (by `Accept`, `?format=trig|nq` or
//! the suffix `.trig`/`.nq`) and at `/store`. Each graph keeps its name, the version IRI (as
//! `GRAPH ?g` binds it in SPARQL). Streamed from the store as it is read, gzipped on the way for
//! clients that take it: a dataset of millions of triples is never held in memory.

use super::compress;
use super::conditional;
use super::problem::Problem;
use super::views::DOC_PREFIX;
use super::{wire_iri, App};
pub use crate::render::QuadSyntax;
use crate::store::registry::VersionRecord;
use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use flate2::write::GzEncoder;
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode};
use oxigraph::store::Store;
use std::io::{self, BufWriter, Write};
use std::sync::Arc;
use tokio::sync::{mpsc, OwnedSemaphorePermit};

/// A dataset's or a version's content as quads, when the request asks for it: `?format=` or the
/// suffix names a quad syntax, or `Accept` prefers one (`negotiated`) and `path` is a dataset's
/// or a version's IRI. `None` lets the request go on to the resource's views. A quad syntax named
/// explicitly for anything else is 406: only a whole dataset has graphs to name.
pub fn at_dataset(
    app: &App,
    path: &str,
    format_param: Option<&str>,
    negotiated: Option<QuadSyntax>,
    headers: &HeaderMap,
) -> Option<Response> {
    let (document, path) = match path.strip_prefix(DOC_PREFIX) {
        Some(rest) => (true, rest),
        None => (false, path),
    };
    let suffixed = path.rsplit_once('.').and_then(|(stem, ext)| {
        QuadSyntax::from_name(ext)
            .filter(|s| s.ext() == ext)
            .map(|s| (stem, s))
    });
    let (path, syntax, explicit) = match (format_param.map(QuadSyntax::from_name), suffixed) {
        (Some(Some(syntax)), _) => (path, syntax, true),
        (None, Some((stem, syntax))) => (stem, syntax, true),
        (None, None) => (path, negotiated?, false),
        (Some(None), _) => return None,
    };
    let iri = format!("{}{path}", app.config.base);
    let registry = app.storage.registry();
    let (record, latest) = match registry.dataset_with_iri(&iri) {
        Some((id, _)) => (registry.current(id).cloned(), true),
        None => (registry.version(&iri).cloned(), false),
    };
    drop(registry);
    // In the 303 pattern, the dataset's IRI redirects (its views do) and its document URL
    // negotiates.
    let see_other = |record: &VersionRecord| {
        let norm = app.norms.get(&record.norm).is_some_and(|n| n.see_other);
        norm || app
            .config
            .see_other
            .iter()
            .any(|p| path.starts_with(p.as_str()))
    };
    match record {
        Some(record) if !document && !explicit && see_other(&record) => None,
        Some(record) => Some(answer(
            app, path, &record, latest, syntax, explicit, headers,
        )),
        // A dataset whose first version is scheduled has no content yet.
        None if latest && explicit => Some(
            Problem::new(
                StatusCode::NOT_FOUND,
                "no-current-version",
                format!("<{iri}> has no current version yet: its first one is scheduled"),
            )
            .in_czech(format!(
                "<{iri}> zatím nemá platnou verzi: první je naplánovaná"
            ))
            .into_response(),
        ),
        // A resource's own suffix URL (`<iri>.nq` naming `<iri>.nq`) is left to its views.
        None if format_param.is_some() => Some(not_a_dataset(syntax)),
        None => None,
    }
}

/// 406: a quad syntax asked for where there is no dataset.
fn not_a_dataset(syntax: QuadSyntax) -> Response {
    Problem::new(
        StatusCode::NOT_ACCEPTABLE,
        "not-acceptable",
        format!(
            "{} names graphs: it is offered for a whole dataset, at a dataset's or a version's \
             IRI and at /store",
            syntax.media_type()
        ),
    )
    .in_czech(format!(
        "{} pojmenovává grafy: je k dispozici pro celou datovou sadu, na IRI datové sady nebo \
         verze a na /store",
        syntax.media_type()
    ))
    .into_response()
}

/// The version `record` (the current one of its dataset when `latest`) at `path` in `syntax`,
/// with validators (304 when the client's copy is current) and its explicit URL.
fn answer(
    app: &App,
    path: &str,
    record: &VersionRecord,
    latest: bool,
    syntax: QuadSyntax,
    explicit: bool,
    headers: &HeaderMap,
) -> Response {
    let gzip = compress::accepts_gzip(headers);
    // The content (hash), its graph's name (the version), the syntax: one representation.
    let short_hash = record.hash.get(..24).unwrap_or(&record.hash);
    let etag = format!("\"{short_hash}-{}-{}\"", record.seq, syntax.ext());
    let etag = match gzip {
        true => compress::gzip_etag(&etag),
        false => etag,
    };
    let modified = conditional::date_is_final(record.created_unix).then_some(record.created_unix);
    let mut response = if conditional::not_modified(headers, &etag, modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let graph = NamedNode::new_unchecked(record.iri.clone());
        let Some(stream) = Stream::start(app) else {
            return busy(app);
        };
        let body = stream.body(vec![graph], true, syntax.rdf(), gzip);
        let mut response = Response::new(body);
        super::read::set_content_type(&mut response, syntax.media_type());
        if gzip {
            let h = response.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ASCII"));
    if let Some(modified) = modified {
        h.insert(header::LAST_MODIFIED, conditional::last_modified(modified));
    }
    // A version's content never changes; a dataset's current one changes with each publish.
    h.insert(header::CACHE_CONTROL, conditional::cache_control(!latest));
    let url = |s: QuadSyntax| wire_iri(&format!("/{path}.{}", s.ext()));
    if !explicit {
        if let Ok(v) = HeaderValue::from_str(&url(syntax)) {
            h.insert(header::CONTENT_LOCATION, v);
        }
    }
    let others: Vec<String> = QuadSyntax::ALL
        .into_iter()
        .filter(|s| *s != syntax)
        .map(|s| {
            format!(
                "<{}>; rel=\"alternate\"; type=\"{}\"",
                url(s),
                s.media_type()
            )
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&others.join(", ")) {
        h.insert(header::LINK, v);
    }
    let vary = match explicit {
        true => "Accept-Encoding",
        false => "Accept, Accept-Encoding",
    };
    h.insert(header::VARY, HeaderValue::from_static(vary));
    response
}

/// A whole-dataset answer about to stream, holding one of the server's `max_streams` permits
/// until its body is written or its client is gone.
pub struct Stream {
    store: Store,
    permit: OwnedSemaphorePermit,
}

impl Stream {
    /// A stream, if a permit is free (else answer [`busy`]: a client should not wait in a queue
    /// behind downloads).
    pub fn start(app: &App) -> Option<Self> {
        let permit = Arc::clone(&app.streams).try_acquire_owned().ok()?;
        let store = app.storage.store().clone();
        Some(Self { store, permit })
    }

    /// The body streaming the quads of `graphs` in `format` (with their graph names when
    /// `named` and the syntax is TriG or N-Quads; else as the triples of one graph), gzipped
    /// when `gzip`.
    /// Read and written on the blocking pool as the client takes them; a failure of the store
    /// midway breaks the answer off, so that a client never takes a cut answer for a whole one.
    pub fn body(self, graphs: Vec<NamedNode>, named: bool, format: RdfFormat, gzip: bool) -> Body {
        let (sender, mut receiver) = mpsc::channel::<io::Result<Bytes>>(4);
        tokio::task::spawn_blocking(move || {
            let Self { store, permit } = self;
            // Chunks of 64 KiB to the body, gzipped or not.
            let sink = BufWriter::with_capacity(CHUNK, Chunks(sender.clone()));
            let written = match gzip {
                true => write_graphs(&store, &graphs, named, format, gzipped(sink))
                    .and_then(GzEncoder::finish),
                false => write_graphs(&store, &graphs, named, format, sink),
            };
            let written = written.and_then(|mut sink| sink.flush());
            if let Err(e) = written {
                if !sender.is_closed() {
                    tracing::error!("streaming graphs: {e}");
                    let _ = sender.blocking_send(Err(e));
                }
            }
            drop(permit);
        });
        Body::from_stream(futures_util::stream::poll_fn(move |cx| {
            receiver.poll_recv(cx)
        }))
    }
}

/// 503: every stream's permit is taken; `Retry-After` asks the client to come back.
pub fn busy(app: &App) -> Response {
    let max = app.config.max_streams;
    let mut response = Problem::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "too-many-streams",
        format!("{max} whole datasets are being sent already (max_streams); try again shortly"),
    )
    .in_czech(format!(
        "právě se posílá {max} celých datových sad (max_streams); zkuste to znovu za chvíli"
    ))
    .into_response();
    let retry = HeaderValue::from_static("1");
    response.headers_mut().insert(header::RETRY_AFTER, retry);
    response
}

/// Bytes written at a time: to the body, and to the compressor.
const CHUNK: usize = 64 * 1024;

/// gzip at the fastest level: the answer should not wait on its compression.
fn gzipped<W: Write>(out: W) -> GzEncoder<W> {
    GzEncoder::new(out, flate2::Compression::fast())
}

/// Writes the quads of `graphs` to `out` (see [`Stream::body`]) and gives `out` back.
fn write_graphs<W: Write>(
    store: &Store,
    graphs: &[NamedNode],
    named: bool,
    format: RdfFormat,
    out: W,
) -> io::Result<W> {
    let buffered = BufWriter::with_capacity(CHUNK, out);
    let xml = format == RdfFormat::RdfXml;
    let mut serializer = crate::render::rdf::serializer(format)
        .for_writer(crate::render::rdf::CrEscaped::new(buffered, xml));
    for graph in graphs {
        let name = GraphNameRef::NamedNode(graph.as_ref());
        for quad in store.quads_for_pattern(None, None, None, Some(name)) {
            let quad = quad.map_err(io::Error::other)?;
            let predicate = quad.predicate.as_str();
            if format == RdfFormat::RdfXml && !crate::render::rdf::rdfxml_can_write(predicate) {
                // Broken off rather than malformed (see `rdfxml_can_write`).
                let message = format!("RDF/XML cannot write the property <{predicate}>");
                return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
            }
            // JSON-LD can name graphs too, but its readers take a graph (rdflib's `Graph`, a
            // Graph Store client): only TriG and N-Quads name them.
            match named && matches!(format, RdfFormat::TriG | RdfFormat::NQuads) {
                true => serializer.serialize_quad(&quad)?,
                false => serializer.serialize_triple(&oxigraph::model::Triple::from(quad))?,
            }
        }
    }
    serializer
        .finish()?
        .into_inner()
        .into_inner()
        .map_err(|e| e.into_error())
}

/// A writer handing what is written to the answer's body, a chunk at a time.
struct Chunks(mpsc::Sender<io::Result<Bytes>>);

impl Write for Chunks {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0
            .blocking_send(Ok(Bytes::copy_from_slice(buf)))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client is gone"))?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
