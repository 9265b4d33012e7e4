//! A resource's views: which resource and representation a request asks for (suffix,
//! `?format=`, or negotiation of `Accept` and `Accept-Language`), the 303 pattern, and the
//! answer with its validators and links.

use super::problem::Problem;
use super::{wire_iri, App};
use crate::conneg;
use crate::describe::{
    describe, describe_version, first_graph, has_data, ontology_version, Description,
};
use crate::render::{csv, html, jsonld, rdf, Format};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use sha2::Digest;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

/// The path prefix of document URLs in the 303 pattern: `/doc/<path>` describes `base` + path.
pub const DOC_PREFIX: &str = "doc/";

/// What a request for a path asks: the resource, and the format when the URL names one.
pub struct Target {
    /// The resource's IRI.
    pub iri: String,
    /// Its path on this server, without suffix (for links to the other formats).
    pub path: String,
    /// A format named by a suffix or `?format=`.
    pub explicit: Option<Format>,
    /// Whether the URL is a 303-pattern document URL.
    pub document: bool,
    /// For an ontology's `owl:versionIRI`: the version graph holding that version, and the
    /// ontology's IRI.
    pub version: Option<(NamedNode, NamedNode)>,
}

impl Target {
    /// The explicit URL of this resource in `format` (a path on this server, in IRI form).
    pub fn url_for(&self, format: Format) -> String {
        let prefix = if self.document { DOC_PREFIX } else { "" };
        format!("/{prefix}{}.{}", self.path, format.ext())
    }
}

/// Resolves `path` (decoded, without the leading `/`) to a resource with data, if any.
pub fn target(app: &App, path: &str, format_param: Option<&str>) -> Option<Target> {
    let (document, path) = match path.strip_prefix(DOC_PREFIX) {
        Some(rest) => (true, rest),
        None => (false, path),
    };
    let explicit = format_param.and_then(Format::from_name);
    let base = &app.config.base;
    let has_data = |iri: &str| {
        NamedNode::new(iri).is_ok_and(|n| has_data(&app.storage, n.as_ref()).unwrap_or(false))
    };
    let version_of = |iri: &str| {
        NamedNode::new(iri)
            .ok()
            .and_then(|n| ontology_version(&app.storage, n.as_ref()).ok().flatten())
    };
    let found = |iri: String, path: &str, explicit: Option<Format>| {
        let version = if has_data(&iri) {
            None
        } else {
            Some(version_of(&iri)?)
        };
        Some(Target {
            iri,
            path: path.to_owned(),
            explicit,
            document,
            version,
        })
    };
    if let Some(target) = found(format!("{base}{path}"), path, explicit) {
        return Some(target);
    }
    let (stem, ext) = path.rsplit_once('.')?;
    let format = Format::from_name(ext).filter(|f| f.ext() == ext)?;
    found(format!("{base}{stem}"), stem, Some(format))
}

/// Whether `target` answers with the 303 pattern: its path has a configured `see_other` prefix,
/// or the norm of the dataset it comes from says so. Explicit formats and document URLs never
/// redirect.
pub fn uses_see_other(app: &App, target: &Target) -> bool {
    if target.document || target.explicit.is_some() {
        return false;
    }
    if app
        .config
        .see_other
        .iter()
        .any(|p| target.path.starts_with(p.as_str()))
    {
        return true;
    }
    // Only look up the resource's norm when some norm asks for the 303 pattern.
    if !app.norms.iter().any(|norm| norm.see_other) {
        return false;
    }
    let Ok(Some(graph)) = NamedNode::new(target.iri.as_str())
        .map_err(|_| ())
        .and_then(|n| first_graph(&app.storage, n.as_ref()).map_err(|_| ()))
    else {
        return false;
    };
    let registry = app.storage.registry();
    registry
        .version(graph.as_str())
        .and_then(|v| app.norms.get(&v.norm))
        .is_some_and(|norm| norm.see_other)
}

/// The 303 from a thing IRI to its document URL (which then negotiates).
pub fn see_other(target: &Target) -> Response {
    let location = wire_iri(&format!("/{DOC_PREFIX}{}", target.path));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::LOCATION, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// The preferred languages: `Accept-Language` ranges by quality, then the configured ones.
pub fn languages(headers: &HeaderMap, configured: &[String]) -> Vec<String> {
    let mut ranges: Vec<(f32, String)> = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let tag = parts.next()?.trim();
            let q = parts
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1.0), |q| q.trim().parse::<f32>().ok())?;
            (!tag.is_empty() && tag != "*" && q > 0.0).then(|| (q, tag.to_owned()))
        })
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0));
    let mut out: Vec<String> = ranges.into_iter().map(|(_, t)| t).collect();
    for l in configured {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(l)) {
            out.push(l.clone());
        }
    }
    out
}

/// A rendered view: its headers (without the validator check) and body. Cached as is.
#[derive(Clone)]
pub struct Rendered {
    /// Headers of the 200 answer.
    pub headers: HeaderMap,
    /// The body.
    pub body: axum::body::Bytes,
    /// Its strong validator.
    pub etag: String,
}

impl Rendered {
    /// The answer to a request with `request` headers: 304 when `If-None-Match` names the
    /// validator (the variant is already chosen), else 200.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let not_modified = request
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.split(',')
                    .any(|t| t.trim() == self.etag || t.trim() == "*")
            });
        let mut response = if not_modified {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            (StatusCode::OK, self.body.clone()).into_response()
        };
        for (name, value) in &self.headers {
            response.headers_mut().insert(name, value.clone());
        }
        response
    }
}

/// Renders `target` for a request with `headers`: negotiates, describes, renders, and sets the
/// headers. An error (406, 500) comes back as the answer itself.
pub async fn answer(
    app: &Arc<App>,
    target: Target,
    headers: &HeaderMap,
    backlinks_page: usize,
) -> Result<Rendered, Response> {
    let offered: Vec<&str> = Format::ALL.iter().map(|f| f.media_type()).collect();
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    let negotiated = target.explicit.is_none();
    let format = match target.explicit {
        Some(f) => f,
        None => match conneg::choose(accept, &offered) {
            Some(i) => Format::ALL[i],
            None => return Err(not_acceptable(&target)),
        },
    };
    let languages = languages(headers, &app.config.languages);
    let worker = Arc::clone(app);
    let iri = NamedNode::new_unchecked(target.iri.clone());
    let version = target.version.clone();
    let described = tokio::task::spawn_blocking(move || match version {
        Some((graph, ontology)) => describe_version(&worker.storage, &graph, &ontology),
        None => describe(&worker.storage, iri.as_ref(), backlinks_page),
    })
    .await
    .expect("describe panicked");
    let description = match described {
        Ok(d) => d,
        Err(e) => {
            tracing::error!("describe {}: {e}", target.iri);
            return Err(
                Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                    .into_response(),
            );
        }
    };
    let expanded = jsonld::wants_expanded(accept);
    let body = render(
        &description,
        format,
        &languages,
        &app.config.base,
        backlinks_page,
        expanded,
    );
    let etag = format!("\"{}\"", hex(&sha2::Sha256::digest(&body)[..12]));
    let mut h = HeaderMap::new();
    let content_type = format!("{}; charset=utf-8", format.media_type());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).expect("ASCII"),
    );
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ASCII"));
    let modified =
        httpdate::fmt_http_date(UNIX_EPOCH + Duration::from_secs(description.modified()));
    h.insert(
        header::LAST_MODIFIED,
        HeaderValue::from_str(&modified).expect("ASCII"),
    );
    let location = wire_iri(&target.url_for(format));
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::CONTENT_LOCATION, v);
    }
    let mut vary = Vec::new();
    if negotiated {
        vary.push("Accept");
    }
    if matches!(format, Format::Html | Format::Csv) {
        vary.push("Accept-Language");
    }
    if !vary.is_empty() {
        h.insert(
            header::VARY,
            HeaderValue::from_str(&vary.join(", ")).expect("ASCII"),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&links(&target, format, &description)) {
        h.insert(header::LINK, v);
    }
    Ok(Rendered {
        headers: h,
        body: body.into(),
        etag,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `Link`: every other format as `alternate`, and the datasets the resource comes from.
fn links(target: &Target, format: Format, description: &Description) -> String {
    let mut links: Vec<String> = Format::ALL
        .into_iter()
        .filter(|f| *f != format)
        .map(|f| {
            format!(
                "<{}>; rel=\"alternate\"; type=\"{}\"",
                wire_iri(&target.url_for(f)),
                f.media_type()
            )
        })
        .collect();
    for v in &description.versions {
        links.push(format!(
            "<{}>; rel=\"http://rdfs.org/ns/void#inDataset\"",
            wire_iri(&v.dataset_iri)
        ));
    }
    links.join(", ")
}

/// The representation of `description` in `format` (JSON-LD compacted with a prefix context,
/// or expanded when `expanded`).
pub fn render(
    description: &Description,
    format: Format,
    languages: &[String],
    base: &str,
    backlinks_page: usize,
    expanded: bool,
) -> Vec<u8> {
    match (format, format.rdf()) {
        (Format::JsonLd, Some(rdf_format)) if expanded => {
            rdf::write(&description.triples, rdf_format)
        }
        (Format::JsonLd, _) => jsonld::compacted(&description.triples),
        (_, Some(rdf_format)) => rdf::write(&description.triples, rdf_format),
        (Format::Csv, None) => csv::long_table(description, languages),
        _ => {
            let json_ld = jsonld::compacted(&description.triples);
            html::Page {
                description,
                languages,
                base,
                json_ld: &String::from_utf8_lossy(&json_ld),
                backlinks_page,
            }
            .render()
            .into_bytes()
        }
    }
}

/// 406: the body lists every type and its URL.
fn not_acceptable(target: &Target) -> Response {
    let available: Vec<serde_json::Value> = Format::ALL
        .into_iter()
        .map(|f| {
            serde_json::json!({
                "type": f.media_type(),
                "url": target.url_for(f),
            })
        })
        .collect();
    let types: Vec<&str> = Format::ALL.iter().map(|f| f.media_type()).collect();
    let mut response = Problem::new(
        StatusCode::NOT_ACCEPTABLE,
        "not-acceptable",
        format!("available: {}", types.join(", ")),
    )
    .with(serde_json::json!({ "available": available }))
    .into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}
