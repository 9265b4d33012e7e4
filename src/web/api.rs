//! `/api/v1/datasets`: push a dataset's content (PUT, bearer token) and read its versions (GET).

use super::params::Params;
use super::problem::Problem;
use super::App;
use crate::ingest::{format_of_media_type, is_csv, Rejection, MEDIA_TYPES};
use crate::push::{Part, PushError};
use crate::shacl::ValidationReport;
use crate::store::registry::Registry;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::{Literal, NamedNode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::Arc;

/// Query parameters of a push.
#[derive(Debug, Deserialize)]
pub struct PushQuery {
    /// The norm to validate against (default: the dataset's, else `generic`).
    norm: Option<String>,
    /// The version's date (`YYYY-MM-DD`), which then names it (`?version-date=`).
    #[serde(rename = "version-date")]
    version_date: Option<String>,
}

/// `PUT /api/v1/datasets/{id}`: the body (one RDF document) becomes the dataset's next version.
pub async fn put_dataset(
    State(app): State<Arc<App>>,
    Path(id): Path<String>,
    Params(query): Params<PushQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if let Err(problem) = app.authorize(&headers) {
        return problem.into_response();
    }
    let media_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    if format_of_media_type(&media_type).is_none() && !is_csv(&media_type) {
        return rejection(
            Rejection::UnsupportedMediaType {
                media_type: if media_type.is_empty() {
                    "(none)".into()
                } else {
                    media_type
                },
                supported: MEDIA_TYPES.join(", "),
            },
            &headers,
        );
    }
    let limit = app.config.limits.max_bytes;
    let too_large = |size: usize| Rejection::TooLarge {
        source_name: "request body".into(),
        size,
        limit,
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if let Some(size) = declared.filter(|s| *s > limit) {
        return rejection(too_large(size), &headers);
    }
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => bytes,
        Err(_) => return rejection(too_large(limit + 1), &headers),
    };
    let worker = Arc::clone(&app);
    let result = tokio::task::spawn_blocking(move || {
        let part = Part {
            bytes: &bytes,
            media_type: &media_type,
            name: "request body",
        };
        let date = query.version_date.as_deref();
        worker
            .push()
            .run_dated(&id, query.norm.as_deref(), &[part], None, date)
    })
    .await
    .expect("the push task panicked");
    match result {
        Ok(report) => {
            let status = if report.status != "unchanged" {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let location = HeaderValue::try_from(super::wire_iri(&report.version));
            let mut response = (status, Json(report)).into_response();
            if let Ok(location) = location {
                response.headers_mut().insert(header::LOCATION, location);
            }
            response
        }
        Err(PushError::Rejected(r)) => rejection(r, &headers),
        Err(e) => push_problem(e).into_response(),
    }
}

pub(super) fn push_problem(e: PushError) -> Problem {
    let (detail, czech) = (e.to_string(), e.czech());
    let problem = match e {
        PushError::BadId(_) => Problem::new(StatusCode::BAD_REQUEST, "bad-dataset-id", detail),
        PushError::UnknownNorm { .. } => {
            Problem::new(StatusCode::BAD_REQUEST, "unknown-norm", detail)
        }
        PushError::NormMismatch { .. } => {
            Problem::new(StatusCode::CONFLICT, "norm-mismatch", detail)
        }
        PushError::BadVersionDate(_) => {
            Problem::new(StatusCode::BAD_REQUEST, "bad-version-date", detail)
        }
        PushError::Publish(crate::publish::PublishError::VersionOrder { .. }) => {
            Problem::new(StatusCode::CONFLICT, "version-order", detail)
        }
        PushError::Rejected(_) | PushError::Publish(_) => {
            tracing::error!("push failed: {detail}");
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
        }
    };
    problem.in_czech(czech)
}

/// The answer to a refused push. A 422 carries the validation report: Turtle or JSON-LD when
/// `Accept` asks for them, else JSON with a readable summary of each result.
pub(super) fn rejection(r: Rejection, headers: &HeaderMap) -> Response {
    let (detail, czech) = (r.to_string(), r.czech());
    match r {
        Rejection::TooLarge { .. } | Rejection::TooManyTriples { .. } => {
            Problem::new(StatusCode::PAYLOAD_TOO_LARGE, "too-large", detail)
                .in_czech(czech)
                .into_response()
        }
        Rejection::UnsupportedMediaType { .. } => Problem::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-media-type",
            detail,
        )
        .in_czech(czech)
        .into_response(),
        Rejection::Syntax(_) => Problem::new(StatusCode::BAD_REQUEST, "syntax-error", detail)
            .in_czech(czech)
            .into_response(),
        Rejection::NotConforming {
            report,
            violations,
            triples,
            norm,
        } => {
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
            let offered = [
                "application/problem+json",
                "text/turtle",
                "application/ld+json",
            ];
            let rdf = match crate::conneg::choose(accept, &offered) {
                Some(1) => Some(RdfFormat::Turtle),
                Some(2) => Some(RdfFormat::JsonLd {
                    profile: JsonLdProfileSet::empty(),
                }),
                _ => None,
            };
            if let Some(format) = rdf {
                let mut response =
                    (StatusCode::UNPROCESSABLE_ENTITY, report.serialize(format)).into_response();
                let value = HeaderValue::from_static(format.media_type());
                response.headers_mut().insert(header::CONTENT_TYPE, value);
                response
                    .headers_mut()
                    .insert(header::VARY, HeaderValue::from_static("Accept"));
                return response;
            }
            let extra = json!({
                "norm": norm,
                "triples": triples,
                "violations": violations,
                "results": summary(&report),
            });
            let mut response =
                Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "not-conforming", detail)
                    .in_czech(czech)
                    .with(extra)
                    .into_response();
            response
                .headers_mut()
                .insert(header::VARY, HeaderValue::from_static("Accept"));
            response
        }
        Rejection::Validation(_) => {
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", detail)
                .in_czech(czech)
                .into_response()
        }
    }
}

/// At most this many results are summarized in a JSON 422 (the RDF report has them all).
const MAX_SUMMARY: usize = 1000;

/// Each result as focus node, path, value, message, severity, shape and component.
fn summary(report: &ValidationReport) -> Vec<Value> {
    report
        .results
        .iter()
        .take(MAX_SUMMARY)
        .map(|r| {
            json!({
                "severity": r.severity.to_string(),
                "focus": r.focus.to_string(),
                "path": r.path.as_ref().map(ToString::to_string),
                "value": r.value.as_ref().map(ToString::to_string),
                "message": r.messages.iter().map(|m| match m {
                    oxigraph::model::Term::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                }).collect::<Vec<_>>(),
                "shape": r.source_shape.to_string(),
                "component": r.component.as_str(),
            })
        })
        .collect()
}

/// The IRIs of the scheduled ones among `versions`.
fn scheduled<'a>(
    registry: &Registry,
    versions: &'a [crate::store::registry::VersionRecord],
) -> Vec<&'a str> {
    versions
        .iter()
        .filter(|v| registry.is_scheduled(v))
        .map(|v| v.iri.as_str())
        .collect()
}

/// `GET /api/v1/datasets`: every dataset with its title (a language map, from its data), its
/// current version (`null` while its only versions are scheduled) and the IRIs of its scheduled
/// versions.
pub async fn list_datasets(State(app): State<Arc<App>>) -> Response {
    // The titles are read from the store (one lookup per dataset not in the label cache).
    let datasets = tokio::task::spawn_blocking(move || datasets(&app))
        .await
        .expect("the listing panicked");
    Json(json!({ "datasets": datasets })).into_response()
}

/// The listing's entries.
fn datasets(app: &App) -> Vec<Value> {
    let titles = super::home::dataset_titles(app);
    let registry = app.storage.registry();
    registry
        .datasets()
        .filter_map(|(id, versions)| {
            let newest = versions.last()?;
            let title = titles
                .get(&NamedNode::new_unchecked(newest.dataset_iri.as_str()))
                .map(|labels| language_map(labels));
            Some(json!({
                "id": id,
                "iri": newest.dataset_iri,
                "title": title,
                "norm": newest.norm,
                "versions": versions.len(),
                "current": registry.current(id),
                "scheduled": scheduled(&registry, versions),
            }))
        })
        .collect()
}

/// Literals as a JSON-LD language map: `{"cs": …, "en": …}`, `@none` for one without a
/// language; the first of each language.
fn language_map(labels: &[Literal]) -> Value {
    let mut map = serde_json::Map::new();
    for label in labels {
        let language = label.language().unwrap_or("@none");
        if !map.contains_key(language) {
            map.insert(language.to_owned(), Value::from(label.value()));
        }
    }
    Value::Object(map)
}

/// `GET /api/v1/datasets/{id}`: a dataset's versions, oldest first, and the current one.
pub async fn get_dataset(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    let registry = app.storage.registry();
    match registry.versions(&id) {
        Some(versions) => Json(json!({
            "id": id,
            "iri": versions.last().map(|v| v.dataset_iri.clone()),
            "current": registry.current(&id),
            "scheduled": scheduled(&registry, versions),
            "versions": versions,
        }))
        .into_response(),
        None => Problem::new(
            StatusCode::NOT_FOUND,
            "not-found",
            format!("no dataset {id:?}"),
        )
        .in_czech(format!("datová sada {id:?} neexistuje"))
        .into_response(),
    }
}
