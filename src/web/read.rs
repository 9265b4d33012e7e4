//! The read path for any other path: the IRI is `base` + the decoded path. A distribution file's
//! URL serves the file; any other IRI the store holds data about is described, in the RDF syntax
//! `Accept` picks.

use super::problem::Problem;
use super::App;
use crate::describe::describe;
use crate::store::registry::ServedFile;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use oxigraph::io::{JsonLdProfileSet, RdfFormat, RdfSerializer};
use oxigraph::model::NamedNode;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// RDF syntaxes a description is offered in, most preferred first (no `Accept` → Turtle).
const DESCRIPTION_FORMATS: &[RdfFormat] = &[
    RdfFormat::Turtle,
    RdfFormat::JsonLd {
        profile: JsonLdProfileSet::empty(),
    },
    RdfFormat::NTriples,
    RdfFormat::RdfXml,
];

/// Answers GET and HEAD on any path the router does not name.
pub async fn dereference(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let mut response = Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            format!("{method} is not allowed here; resources are read with GET or HEAD"),
        )
        .into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(iri) = request_iri(&app.config.base, &uri) else {
        return not_found(uri.path());
    };
    let file = app.storage.registry().file(&iri).cloned();
    let mut response = match file {
        Some(file) => serve_file(&file, &headers).await,
        None => describe_resource(&app, &iri, &headers).await,
    };
    if method == Method::HEAD {
        *response.body_mut() = Body::empty();
    }
    response
}

/// `base` + the percent-decoded path, when it is valid UTF-8.
fn request_iri(base: &str, uri: &Uri) -> Option<String> {
    let path = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .ok()?;
    Some(format!("{base}{}", path.trim_start_matches('/')))
}

fn not_found(path: &str) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        format!("the store holds no data about {path}"),
    )
    .into_response()
}

async fn describe_resource(app: &Arc<App>, iri: &str, headers: &HeaderMap) -> Response {
    let Ok(node) = NamedNode::new(iri) else {
        return not_found(iri);
    };
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let offered: Vec<&str> = DESCRIPTION_FORMATS.iter().map(|f| f.media_type()).collect();
    let Some(choice) = crate::conneg::choose(accept, &offered) else {
        let mut response = Problem::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            format!("available: {}", offered.join(", ")),
        )
        .into_response();
        vary(&mut response, "Accept");
        return response;
    };
    let format = DESCRIPTION_FORMATS[choice];
    let app = Arc::clone(app);
    let triples = tokio::task::spawn_blocking(move || describe(&app.storage, node.as_ref()))
        .await
        .expect("describe panicked");
    let mut response = match triples {
        Ok(triples) if triples.is_empty() => not_found(iri),
        Ok(triples) => {
            let mut out = RdfSerializer::from_format(format).for_writer(Vec::new());
            for t in &triples {
                out.serialize_triple(t).expect("writing to memory");
            }
            let body = out.finish().expect("writing to memory");
            let mut response = (StatusCode::OK, body).into_response();
            set_content_type(&mut response, format.media_type());
            response
        }
        Err(e) => {
            tracing::error!("describe {iri}: {e}");
            Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                .into_response()
        }
    };
    vary(&mut response, "Accept");
    response
}

/// Serves a distribution file: validators, 304, and the gzipped copy when the client takes gzip.
async fn serve_file(file: &ServedFile, headers: &HeaderMap) -> Response {
    let gzip = file.gz_path.as_ref().filter(|_| accepts_gzip(headers));
    let etag = match gzip {
        Some(_) => format!("{}-gzip\"", file.etag.trim_end_matches('"')),
        None => file.etag.clone(),
    };
    let modified = httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(file.modified));
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if not_modified {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let path = gzip.unwrap_or(&file.path);
        match tokio::fs::File::open(path).await {
            Ok(f) => {
                let length = f.metadata().await.map(|m| m.len()).unwrap_or(file.bytes);
                let body = Body::from_stream(tokio_util::io::ReaderStream::new(f));
                let mut response = (StatusCode::OK, body).into_response();
                response
                    .headers_mut()
                    .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
                set_content_type(&mut response, &file.media_type);
                if gzip.is_some() {
                    response
                        .headers_mut()
                        .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
                }
                response
            }
            Err(e) => {
                tracing::error!("cannot open {}: {e}", path.display());
                return Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                    .into_response();
            }
        }
    };
    let h = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    if let Ok(modified) = HeaderValue::from_str(&modified) {
        h.insert(header::LAST_MODIFIED, modified);
    }
    vary(&mut response, "Accept-Encoding");
    response
}

/// Whether `Accept-Encoding` takes gzip (and does not refuse it with `q=0`).
fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|coding| {
            let mut parts = coding.split(';');
            let name = parts.next().unwrap_or("").trim();
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// `Content-Type` with `charset=utf-8` (every syntax served is UTF-8 text).
fn set_content_type(response: &mut Response, media_type: &str) {
    if let Ok(value) = HeaderValue::from_str(&format!("{media_type}; charset=utf-8")) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

fn vary(response: &mut Response, on: &'static str) {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static(on));
}
