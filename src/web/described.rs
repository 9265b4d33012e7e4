//! Descriptions of the service itself (the SPARQL service description, VoID): written as Turtle,
//! answered in the RDF syntax `Accept` prefers.

use super::problem::Problem;
use super::App;
use crate::conneg;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Literal, NamedNode};
use std::fmt::Write;
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
    match conneg::choose(accept, &RDF_TYPES) {
        Some(i) => Ok((
            RdfFormat::from_media_type(RDF_TYPES[i]).unwrap_or(RdfFormat::Turtle),
            RDF_TYPES[i],
        )),
        None => Err(Problem::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            format!("{what} is available as {}", RDF_TYPES.join(", ")),
        )),
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
    let base = &app.config.base;
    let mut turtle = String::from(
        "@prefix void: <http://rdfs.org/ns/void#> .\n\
         @prefix dcterms: <http://purl.org/dc/terms/> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n",
    );
    let iri = |s: &str| NamedNode::new(s).map(|n| n.to_string()).ok();
    let text = |s: &str| Literal::new_simple_literal(s).to_string();
    let (Some(root), Some(endpoint)) = (iri(base), iri(&format!("{base}sparql"))) else {
        return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "bad base")
            .into_response();
    };
    let _ = writeln!(
        turtle,
        "{root} a void:Dataset ; void:sparqlEndpoint {endpoint} ; void:uriSpace {} .",
        text(base)
    );
    let registry = app.storage.registry();
    for (id, versions) in registry.datasets() {
        let (Some(current), Some(dataset)) = (
            versions.last(),
            versions.last().and_then(|v| iri(&v.dataset_iri)),
        ) else {
            continue;
        };
        let _ = write!(
            turtle,
            "{root} void:subset {dataset} .\n{dataset} a void:Dataset ;\n\
             \tdcterms:identifier {} ;\n\tvoid:triples {} ;\n\tvoid:sparqlEndpoint {endpoint} ;\n\
             \tdcterms:modified \"{}\"^^xsd:dateTime",
            text(id),
            current.triples,
            current.created
        );
        for version in versions.iter().filter_map(|v| iri(&v.iri)) {
            let _ = write!(turtle, " ;\n\tdcterms:hasVersion {version}");
        }
        for file in &current.files {
            if let Some(url) = file.latest_url.as_deref().and_then(iri) {
                let _ = write!(turtle, " ;\n\tvoid:dataDump {url}");
            }
        }
        turtle.push_str(" .\n");
    }
    turtle_answer(&turtle, &headers, "the VoID description")
}
