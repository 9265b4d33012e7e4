//! The home page `/`: the datasets and vocabularies this server publishes, with their current
//! version, files and API links. HTML for browsers; the JSON listing of the API otherwise.

use super::App;
use crate::render::html::escape;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use std::fmt::Write;
use std::sync::Arc;

/// `GET /`.
pub async fn home(State(app): State<Arc<App>>, headers: HeaderMap) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if crate::conneg::choose(accept, &["text/html", "application/json"]) == Some(1) {
        return super::api::list_datasets(State(app)).await;
    }
    let registry = app.storage.registry();
    let base = &app.config.base;
    let local = |iri: &str| {
        iri.strip_prefix(base.as_str())
            .map_or_else(|| iri.to_owned(), |p| format!("/{p}"))
    };
    let mut rows = String::new();
    for (id, versions) in registry.datasets() {
        let next = versions
            .iter()
            .find(|v| registry.is_scheduled(v))
            .and_then(|v| v.date.as_deref())
            .map_or(String::new(), |d| {
                format!(" (next: {}, scheduled)", escape(d))
            });
        let Some(current) = registry.current(id) else {
            // Only scheduled versions so far: listed, without files.
            let first = &versions[0];
            write!(
                rows,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td></td><td></td></tr>",
                escape(id),
                escape(&first.norm),
                next.trim_start()
            )
            .ok();
            continue;
        };
        let files: Vec<String> = current
            .files
            .iter()
            .filter_map(|f| f.latest_url.as_ref().map(|u| (f, u)))
            .map(|(f, url)| {
                format!(
                    "<a href=\"{}\">{}</a>",
                    escape(&local(url)),
                    escape(&f.file.ext)
                )
            })
            .collect();
        write!(
            rows,
            "<tr><td><a href=\"{}\">{}</a></td><td>{}</td><td><a href=\"/api/v1/datasets/{}\">{}</a></td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&local(&current.dataset_iri)),
            escape(id),
            escape(&current.norm),
            escape(id),
            escape(&current.label()) + &next,
            current.triples,
            files.join(" ")
        )
        .ok();
    }
    let page = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>datafond</title><link rel=\"stylesheet\" href=\"/assets/datafond.css\"></head>\
         <body><header><a href=\"/\">datafond</a></header><main><h1>Published datasets</h1>\
         <table class=\"properties\"><thead><tr><th scope=\"col\">dataset</th><th scope=\"col\">norm</th>\
         <th scope=\"col\">version</th><th scope=\"col\">triples</th><th scope=\"col\">files</th></tr></thead>\
         <tbody>{rows}</tbody></table>\
         <p>Every IRI under <code>{}</code> answers in HTML, Turtle, JSON-LD, N-Triples, RDF/XML and \
         CSV. The push API is <code>PUT /api/v1/datasets/&lt;id&gt;</code>.</p></main></body></html>\n",
        escape(base)
    );
    let mut response = Html(page).into_response();
    response
        .headers_mut()
        .insert(header::VARY, header::HeaderValue::from_static("Accept"));
    response
}
