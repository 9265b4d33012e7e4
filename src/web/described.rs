//! Descriptions of the service itself (the SPARQL service description, VoID): written as Turtle,
//! answered in the RDF syntax `Accept` prefers.

use super::problem::Problem;
use super::App;
use crate::conneg;
use crate::describe::dataset::void_triples;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Literal, NamedNode, Triple};
use std::sync::Arc;

/// The RDF syntaxes graphs are answered in, most preferred first.
const RDF_TYPES: [&str; 4] = [
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
];

/// The syntax `Accept` prefers among [`RDF_TYPES`], or the 406 problem naming `what`.
pub fn rdf_format(headers: &HeaderMap, what: &str) -> Result<(RdfFormat, &'static str), Problem> {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    match conneg::choose_rdf(accept, &RDF_TYPES) {
        Some(i) => Ok((
            RdfFormat::from_media_type(RDF_TYPES[i]).unwrap_or(RdfFormat::Turtle),
            RDF_TYPES[i],
        )),
        None => Err(Problem::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            format!("{what} is available as {}", RDF_TYPES.join(", ")),
        )
        .in_czech(format!("k dispozici jako {}", RDF_TYPES.join(", ")))),
    }
}

/// A 200 answer of `body` in `media_type`, which varies by `Accept`.
pub fn rdf_response(body: Vec<u8>, media_type: &str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&format!("{media_type}; charset=utf-8")) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// `turtle` (what `what` names) in the syntax `Accept` prefers; 406 when none is acceptable.
pub fn turtle_answer(turtle: &str, headers: &HeaderMap, what: &str) -> Response {
    let (format, media_type) = match rdf_format(headers, what) {
        Ok(chosen) => chosen,
        Err(problem) => return problem.into_response(),
    };
    let triples: Vec<oxigraph::model::Triple> = RdfParser::from_format(RdfFormat::Turtle)
        .for_slice(turtle.as_bytes())
        .flatten()
        .map(Into::into)
        .collect();
    rdf_response(crate::render::rdf::write(&triples, format), media_type)
}

/// `GET /.well-known/void`: a VoID description of every dataset: its current size, version,
/// modification time, downloads, and the SPARQL endpoint.
pub async fn void(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let (format, media_type) = match rdf_format(&headers, "the VoID description") {
        Ok(chosen) => chosen,
        Err(problem) => return problem.into_response(),
    };
    let base = &app.config.base;
    let Ok(root) = NamedNode::new(base) else {
        return Problem::internal(
            format!("the configured base <{base}> is not an IRI"),
            format!("nastavená základní IRI <{base}> není IRI"),
        )
        .into_response();
    };
    let void = |local: &str| NamedNode::new_unchecked(format!("http://rdfs.org/ns/void#{local}"));
    let mut triples = vec![
        Triple::new(root.clone(), rdf::TYPE, void("Dataset")),
        Triple::new(
            root.clone(),
            void("sparqlEndpoint"),
            NamedNode::new_unchecked(format!("{base}sparql")),
        ),
        Triple::new(root.clone(), void("uriSpace"), Literal::from(base.as_str())),
    ];
    let registry = app.storage.registry();
    for (id, _) in registry.datasets() {
        let about = void_triples(base, &registry, id, &app.norms);
        if let Some(first) = about.first() {
            triples.push(Triple::new(
                root.clone(),
                void("subset"),
                first.subject.clone(),
            ));
        }
        triples.extend(about);
    }
    rdf_response(crate::render::rdf::write(&triples, format), media_type)
}
