//! The read path for any other path: the IRI is `base` + the decoded path. A distribution file's
//! URL serves the file; any other IRI the store holds data about gets its views
//! ([`super::views`]).

use super::problem::Problem;
use super::views;
use super::App;
use crate::store::registry::ServedFile;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// Answers GET and HEAD on any path the router does not name.
pub async fn dereference(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    Query(query): Query<ReadQuery>,
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
    let Some(path) = request_path(&uri) else {
        return not_found(uri.path());
    };
    let iri = format!("{}{path}", app.config.base);
    let file = app.storage.registry().file(&iri).cloned();
    let mut response = match file {
        Some(file) => serve_file(&file, &headers).await,
        None => {
            let resolved = {
                let app = Arc::clone(&app);
                let format = query.format.clone();
                tokio::task::spawn_blocking(move || views::target(&app, &path, format.as_deref()))
                    .await
                    .expect("resolving panicked")
            };
            match resolved {
                None => not_found(uri.path()),
                Some(t)
                    if !t.document
                        && t.explicit.is_none()
                        && views::uses_see_other(&app, &t.path) =>
                {
                    views::see_other(&t)
                }
                Some(t) => {
                    views::answer(&app, t, &headers, query.backlinks.unwrap_or(1).max(1)).await
                }
            }
        }
    };
    if method == Method::HEAD {
        // HEAD answers like GET: the same Content-Length, no body.
        let length = axum::body::HttpBody::size_hint(response.body()).exact();
        if let (false, Some(length)) = (
            response.headers().contains_key(header::CONTENT_LENGTH),
            length,
        ) {
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        *response.body_mut() = Body::empty();
    }
    response
}

/// Query parameters of a read.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReadQuery {
    /// An explicit format (`ttl`, `jsonld`, `nt`, `rdf`, `csv`, `html`).
    format: Option<String>,
    /// The page of backlinks (from 1).
    backlinks: Option<usize>,
}

/// The percent-decoded path without its leading `/`, when it is valid UTF-8.
fn request_path(uri: &Uri) -> Option<String> {
    let path = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .ok()?;
    Some(path.trim_start_matches('/').to_owned())
}

fn not_found(path: &str) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        format!("the store holds no data about {path}"),
    )
    .into_response()
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
