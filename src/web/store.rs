//! `/store`: the SPARQL 1.1 Graph Store Protocol with indirect graph identification
//! (`?graph=<IRI>` or `?default`), and direct identification of writes at a dataset's IRI. Reads are public: a dataset's IRI names its current content,
//! a version's IRI that version, `default` the union of current versions. Writes (PUT replaces,
//! POST merges, DELETE empties a dataset's graph) need a token and go through the push pipeline,
//! so each is parsed, validated against the dataset's norm and published as a new version, or
//! changes nothing.

use super::api::{push_problem, rejection};
use super::problem::Problem;
use super::quads;
use super::sparql::pairs as sparql_pairs;
use super::App;
use crate::conneg;
use crate::ingest::{format_of_media_type, Rejection, MEDIA_TYPES};
use crate::push::{Part, PushError};
use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::RdfFormat;
use oxigraph::model::{GraphNameRef, NamedNode, Triple};
use std::sync::Arc;

/// The default norm's prefix of dataset IRIs: a graph IRI under it names a dataset to create.
const DATASETS: &str = "zdroj/datové-sady/";

/// Which graph a request names.
enum Target {
    /// Every dataset's current version, each a named graph (a read naming no graph).
    All,
    /// The union of current versions.
    Default,
    /// A dataset (its id; `None` version graph when it does not exist yet).
    Dataset(String, Option<String>),
    /// A published version (immutable).
    Version(String),
}

fn target(app: &App, params: &[(String, String)], read: bool) -> Result<Target, Problem> {
    if params.iter().any(|(n, _)| n == "default") {
        return Ok(Target::Default);
    }
    let Some((_, graph)) = params.iter().find(|(n, _)| n == "graph") else {
        if read {
            return Ok(Target::All);
        }
        return Err(Problem::new(
            StatusCode::BAD_REQUEST,
            "no-graph",
            "name the graph to write: /store?graph=<IRI>",
        )
        .in_czech("uveďte graf, do kterého se má zapisovat: /store?graph=<IRI>"));
    };
    if app.storage.registry().version(graph).is_some() {
        return Ok(Target::Version(graph.clone()));
    }
    match dataset_of(app, graph) {
        Some((id, current)) => Ok(Target::Dataset(id, current)),
        None => Err(Problem::new(
            StatusCode::NOT_FOUND,
            "no-such-graph",
            format!(
                "<{graph}> is neither a dataset, a version, nor a new dataset's IRI (<{}{DATASETS}…>)",
                app.config.base
            ),
        )
        .in_czech(format!(
            "<{graph}> není datová sada, verze ani IRI nové datové sady (<{}{DATASETS}…>)",
            app.config.base
        ))),
    }
}

/// The dataset whose graph `graph` names: its id and current version graph, or the id of a new
/// dataset for an unused IRI `<base>zdroj/datové-sady/<id>`.
pub(super) fn dataset_of(app: &App, graph: &str) -> Option<(String, Option<String>)> {
    let registry = app.storage.registry();
    if let Some((id, _)) = registry.dataset_with_iri(graph) {
        return Some((id.to_owned(), registry.current(id).map(|v| v.iri.clone())));
    }
    graph
        .strip_prefix(&format!("{}{DATASETS}", app.config.base))
        .filter(|id| !id.is_empty())
        .map(|id| (id.to_owned(), None))
}

fn problem(status: StatusCode, code: &'static str, detail: String) -> Response {
    Problem::new(status, code, detail).into_response()
}

/// The triples of version graphs.
pub(super) fn triples_of(app: &App, graphs: &[String]) -> Vec<Triple> {
    let mut out = Vec::new();
    for graph in graphs {
        let name = NamedNode::new_unchecked(graph.clone());
        for quad in app
            .storage
            .store()
            .quads_for_pattern(
                None,
                None,
                None,
                Some(GraphNameRef::NamedNode(name.as_ref())),
            )
            .flatten()
        {
            out.push(Triple::new(quad.subject, quad.predicate, quad.object));
        }
    }
    out
}

/// Answers `/store`.
pub async fn graph_store(
    State(app): State<Arc<App>>,
    method: Method,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let params = sparql_pairs(raw.as_deref().unwrap_or(""));
    let reading = method == Method::GET || method == Method::HEAD;
    let target = match target(&app, &params, reading) {
        Ok(t) => t,
        Err(problem) => return problem.into_response(),
    };
    if reading {
        return read(&app, target, &headers).await;
    }
    write(app, method, target, headers, body).await
}

/// Direct graph identification: PUT, POST or DELETE on a dataset's own IRI writes its graph, as
/// `/store?graph=<that IRI>` does. (GET at a dataset IRI stays its linked-data description; its
/// content is read at `/store?graph=` or downloaded from its files.) `None` when the path names no
/// dataset, existing or new.
pub async fn direct(
    app: Arc<App>,
    method: Method,
    iri: &str,
    headers: HeaderMap,
    body: Body,
) -> Option<Response> {
    let (id, current) = dataset_of(&app, iri)?;
    Some(write(app, method, Target::Dataset(id, current), headers, body).await)
}

/// A write (PUT, POST, DELETE) on the graph a request names, through the push pipeline.
async fn write(
    app: Arc<App>,
    method: Method,
    target: Target,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(problem) = app.authorize(&headers) {
        return problem.into_response();
    }
    let (id, current) = match target {
        Target::Dataset(id, current) => (id, current),
        Target::Default | Target::All => {
            return problem(
                StatusCode::METHOD_NOT_ALLOWED,
                "read-only-graph",
                "the default graph is the union of the datasets: write to a dataset's graph".into(),
            )
        }
        Target::Version(v) => {
            return problem(
                StatusCode::METHOD_NOT_ALLOWED,
                "read-only-graph",
                format!("<{v}> is a published version: versions never change"),
            )
        }
    };
    let media_type = match method {
        Method::DELETE => "application/n-triples".to_owned(),
        _ => headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned(),
    };
    if format_of_media_type(&media_type).is_none() {
        let supported = MEDIA_TYPES.join(", ");
        let media_type = if media_type.is_empty() {
            "(none)".into()
        } else {
            media_type
        };
        return rejection(
            Rejection::UnsupportedMediaType {
                media_type,
                supported,
            },
            &headers,
        );
    }
    let limit = app.config.limits.max_bytes;
    let bytes = match (method.clone(), axum::body::to_bytes(body, limit).await) {
        (Method::DELETE, _) => Default::default(),
        (_, Ok(bytes)) => bytes,
        (_, Err(_)) => {
            let too_large = Rejection::TooLarge {
                source_name: "request body".into(),
                size: limit + 1,
                limit,
            };
            return rejection(too_large, &headers);
        }
    };
    let created = current.is_none();
    let worker = Arc::clone(&app);
    let merge = method == Method::POST;
    let result = tokio::task::spawn_blocking(move || {
        // POST merges: the current content is pushed along with the body.
        let existing = match (merge, &current) {
            (true, Some(graph)) => crate::render::rdf::write(
                &triples_of(&worker, std::slice::from_ref(graph)),
                RdfFormat::NTriples,
            ),
            _ => Vec::new(),
        };
        let mut parts = vec![Part {
            bytes: &bytes,
            media_type: &media_type,
            name: "request body",
        }];
        if !existing.is_empty() {
            parts.push(Part {
                bytes: &existing,
                media_type: "application/n-triples",
                name: "current content",
            });
        }
        worker.push().run(&id, None, &parts, None)
    })
    .await
    .expect("the push task panicked");
    match result {
        Ok(_) if created => StatusCode::CREATED.into_response(),
        Ok(_) => StatusCode::NO_CONTENT.into_response(),
        Err(PushError::Rejected(r)) => rejection(r, &headers),
        Err(e) => push_problem(e).into_response(),
    }
}

/// The media types graphs are read in, most preferred first: the syntaxes of one graph, then
/// those that name graphs.
const READ_TYPES: [&str; 6] = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
];

/// A graph's content in the RDF syntax `Accept` prefers, streamed (see [`quads::Stream`]). In
/// TriG and N-Quads, a dataset's graph is named by its version's IRI, and `/store`
/// naming no graph is every current version, each named so; the default graph (the union) stays
/// unnamed.
async fn read(app: &Arc<App>, target: Target, headers: &HeaderMap) -> Response {
    let registry = app.storage.registry();
    let graphs: Vec<String> = match &target {
        Target::Default | Target::All => {
            registry.current_versions().map(|c| c.iri.clone()).collect()
        }
        Target::Version(v) => vec![v.clone()],
        Target::Dataset(_, Some(current)) => vec![current.clone()],
        Target::Dataset(id, None) => {
            return problem(
                StatusCode::NOT_FOUND,
                "no-such-graph",
                format!("no dataset {id:?} yet"),
            )
        }
    };
    drop(registry);
    // Every current version, each named: only in a syntax that names graphs.
    let offered = match target {
        Target::All => &READ_TYPES[4..],
        _ => &READ_TYPES[..],
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let Some(chosen) = conneg::choose_rdf(accept, offered) else {
        let what = match target {
            Target::All => "every dataset's graph (name one with ?graph=<IRI> for other syntaxes)",
            _ => "the graph",
        };
        return Problem::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            format!("{what} is available as {}", offered.join(", ")),
        )
        .in_czech(format!("k dispozici jako {}", offered.join(", ")))
        .into_response();
    };
    let media_type = offered[chosen];
    let format = RdfFormat::from_media_type(media_type).unwrap_or(RdfFormat::Turtle);
    // A version RDF/XML cannot write has no RDF/XML file (see `publish::files`): not offered.
    let without_rdfxml = (format == RdfFormat::RdfXml)
        .then(|| {
            let registry = app.storage.registry();
            graphs.iter().find(|g| {
                let files = registry.version(g).map(|v| v.files.as_slice());
                !files
                    .unwrap_or_default()
                    .iter()
                    .any(|f| f.file.ext == "rdf")
            })
        })
        .flatten();
    if let Some(graph) = without_rdfxml {
        let detail =
            format!("RDF/XML cannot write <{graph}>: a property of it ends in no XML name");
        return Problem::new(StatusCode::NOT_ACCEPTABLE, "not-acceptable", detail)
            .in_czech(format!(
                "RDF/XML <{graph}> zapsat nedokáže: některá jeho vlastnost nekončí jménem \
                 přípustným v XML"
            ))
            .into_response();
    }
    let graphs = graphs.into_iter().map(NamedNode::new_unchecked).collect();
    let named = !matches!(target, Target::Default);
    let Some(stream) = quads::Stream::start(app) else {
        return quads::busy(app);
    };
    // Compressed, if the client takes it, by the router's layer as the body streams.
    let body = stream.body(graphs, named, format, false);
    let mut response = Response::new(body);
    super::read::set_content_type(&mut response, media_type);
    response
        .headers_mut()
        .insert(header::VARY, axum::http::HeaderValue::from_static("Accept"));
    response
}
