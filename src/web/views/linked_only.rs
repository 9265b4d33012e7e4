//! An IRI under the base that no data describes but some resources link to (an organisation a
//! dataset names as publisher, a scheme its items are in, before anyone publishes them): a
//! browser following such a link gets a 404 page listing what links there, with their labels
//! and paging, as Pubby and LodView show such IRIs, rather than a bare "not found". RDF clients
//! keep the 404 problem: there is no description to give them.

use super::{complete_page, not_found, App, Asked};
use crate::describe::Description;
use crate::render::{html, Format};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::store::StorageError;

/// The answer for `path`, which names nothing described: the page of its backlinks (404) when
/// the request wants HTML and something links to it, else the 404 problem. `None` when reading
/// its backlinks would pass `within` (on an async worker).
pub(super) fn answer(
    app: &App,
    path: &str,
    format_param: Option<&str>,
    asked: &Asked,
    backlinks_page: usize,
    within: Option<usize>,
) -> Result<Option<Response>, StorageError> {
    // `<iri>.html` names the page of `<iri>`, as for described resources.
    let (iri_path, explicit) = match path.rsplit_once('.') {
        Some((stem, "html")) => (stem, Some(Format::Html)),
        _ => (path, format_param.and_then(Format::from_name)),
    };
    let iri = format!("{}{iri_path}", app.config.base);
    if explicit.or(asked.format) != Some(Format::Html)
        || oxigraph::model::NamedNode::new(iri.as_str()).is_err()
    {
        return Ok(Some(not_found(path)));
    }
    let description = Description {
        iri,
        ..Description::default()
    };
    let Some(description) = complete_page(app, description, backlinks_page, within)? else {
        return Ok(None);
    };
    if description.backlink_count == 0 {
        return Ok(Some(not_found(path)));
    }
    let page = html::Page {
        description: &description,
        languages: &asked.languages,
        base: &app.config.base,
        json_ld: "",
        backlinks_page,
        values_page: 1,
        formats: &[],
        offered: &app.config.languages,
    }
    .render();
    let mut response = (StatusCode::NOT_FOUND, page).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let vary = match explicit {
        Some(_) => crate::web::language::VARY,
        None => crate::web::language::VARY_WITH_ACCEPT,
    };
    h.insert(header::VARY, HeaderValue::from_static(vary));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let lang = crate::render::words::for_languages(&asked.languages).lang;
    h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang));
    Ok(Some(response))
}
