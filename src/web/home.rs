//! The home page `/`: the datasets and vocabularies this server publishes, by their titles, with
//! their current version, files and API links, in English or Czech. HTML for browsers; the JSON
//! listing of the API otherwise.

use super::params::Params;
use super::App;
use crate::describe::{best_label, labels_of};
use crate::render::html::escape;
use crate::render::words;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{Html, IntoResponse, Response};
use oxigraph::model::{Literal, NamedNode};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

/// Query parameters of the home page.
#[derive(Debug, serde::Deserialize)]
pub struct HomeQuery {
    /// The language to read in first (see [`super::language`]).
    lang: Option<String>,
}

/// `GET /`.
pub async fn home(
    State(app): State<Arc<App>>,
    Params(query): Params<HomeQuery>,
    headers: HeaderMap,
) -> Response {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    if crate::conneg::choose(accept, &["text/html", "application/json"]) == Some(1) {
        return super::api::list_datasets(State(app)).await;
    }
    let chosen = match super::language::chosen(query.lang.as_deref()) {
        Ok(chosen) => chosen,
        Err(bad) => return *bad,
    };
    let languages = super::language::languages(&headers, chosen, &app.config.languages);
    let words = words::for_languages(&languages);
    // The titles are read from the store (one lookup per dataset not in the label cache).
    let page = tokio::task::spawn_blocking(move || page(&app, &languages, words))
        .await
        .expect("the home page panicked");
    let mut response = Html(page).into_response();
    let h = response.headers_mut();
    h.insert(
        header::VARY,
        header::HeaderValue::from_static(super::language::VARY_WITH_ACCEPT),
    );
    h.insert(
        header::CONTENT_LANGUAGE,
        header::HeaderValue::from_static(words.lang),
    );
    super::language::remember(&mut response, chosen);
    response
}

/// The labels of the datasets' IRIs (none if the store fails: the page still lists them). The
/// IRIs are collected before the labels are read: the label lookups take the registry's lock
/// themselves (a second read lock on one thread can deadlock behind a publish waiting to write).
pub(super) fn dataset_titles(app: &App) -> BTreeMap<NamedNode, Vec<Literal>> {
    let iris: HashSet<NamedNode> = {
        let registry = app.storage.registry();
        registry
            .datasets()
            .filter_map(|(_, versions)| versions.last())
            .filter_map(|v| NamedNode::new(v.dataset_iri.as_str()).ok())
            .collect()
    };
    labels_of(&app.storage, &app.labels, iris, None)
        .map_err(|e| tracing::error!("titles of the datasets: {e}"))
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// The page in `words` (those of the first of `languages` there are words in), with titles
/// in `languages`.
fn page(app: &App, languages: &[String], words: &words::Words) -> String {
    let titles = dataset_titles(app);
    let registry = app.storage.registry();
    let title = |iri: &str| -> Option<&Literal> {
        let labels = titles.get(&NamedNode::new_unchecked(iri))?;
        best_label(labels, languages)
    };
    let base = &app.config.base;
    let local = |iri: &str| crate::render::html::href(iri, base).0;
    // Datasets first, then the vocabularies they use.
    let [mut rows, mut vocabulary_rows] = [String::new(), String::new()];
    for (id, versions) in registry.datasets() {
        let rows = match versions[0].norm == crate::vocabularies::NORM {
            true => &mut vocabulary_rows,
            false => &mut rows,
        };
        let next = versions
            .iter()
            .find(|v| registry.is_scheduled(v))
            .and_then(|v| v.date.as_deref())
            .map_or(String::new(), |d| {
                format!(" ({}: {}, {})", words.next[0], escape(d), words.next[1])
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
        // The files, then the content with its graph named (made on request).
        let written = current
            .files
            .iter()
            .filter_map(|f| Some((f.latest_url.clone()?, f.file.ext.as_str())));
        let quads = crate::render::QuadSyntax::ALL
            .map(|s| (format!("{}.{}", current.dataset_iri, s.ext()), s.ext()));
        let files: Vec<String> = written
            .chain(quads)
            .map(|(url, ext)| format!("<a href=\"{}\">{}</a>", escape(&local(&url)), escape(ext)))
            .collect();
        // By its title where the data gives it one, with its id.
        let name = match title(&current.dataset_iri) {
            Some(t) => format!(
                "{}</a> <code>{}</code>",
                crate::render::inline::Labelled(t),
                escape(id)
            ),
            None => format!("{}</a>", escape(id)),
        };
        write!(
            rows,
            "<tr><td><a href=\"{}\">{name}</td><td>{}</td><td><a href=\"/api/v1/datasets/{}\">{}</a></td>\
             <td>{}</td><td>{}</td></tr>",
            escape(&local(&current.dataset_iri)),
            escape(&current.norm),
            escape(id),
            escape(&current.label()) + &next,
            current.triples,
            files.join(" ")
        )
        .ok();
    }
    let columns: String = words
        .columns
        .iter()
        .map(|c| format!("<th scope=\"col\">{c}</th>"))
        .collect();
    let table = |rows: &str| {
        format!(
            "<table class=\"properties\"><thead><tr>{columns}</tr></thead>\
             <tbody>{rows}</tbody></table>"
        )
    };
    let vocabularies = match vocabulary_rows.is_empty() {
        true => String::new(),
        false => format!("<h2>{}</h2>{}", words.vocabularies, table(&vocabulary_rows)),
    };
    let [under, answers, api] = words.note;
    let switch = |tag: &str| format!("/?lang={}", escape(tag));
    let header = crate::render::header::header(
        words,
        Some("/"),
        (&app.config.languages, languages),
        Some(&switch),
    );
    format!(
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>datafond</title><link rel=\"stylesheet\" href=\"/assets/datafond.css\"></head>\
         <body>{header}<main><h1>{}</h1>{}{vocabularies}\
         <p>{under} <code>{}</code> {answers} {api}</p></main></body></html>\n",
        words.lang,
        words.datasets,
        table(&rows),
        escape(base)
    )
}
