//! Error answers for people: a browser (a `GET` or `HEAD` whose `Accept` prefers `text/html` to
//! JSON) that follows a dead link — a local IRI, or a reference IRI the resolver knows no rule
//! for — gets the problem as a small HTML page, with the same status and headers, in English or
//! Czech by its languages; every other client gets the `application/problem+json` body
//! unchanged.

use super::App;
use crate::render::html::Escaped;
use crate::render::words;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::Value;
use std::sync::Arc;

/// The most bytes of a problem body read to rewrite it (they are a few hundred).
const MAX_PROBLEM_BYTES: usize = 1 << 20;

/// Rewrites the router's problem answers to browsers as pages (see [`for_browser`]); inside the
/// CORS layer, so a problem's own `Vary` comes before CORS's.
pub async fn for_browsers(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let asked = Asked::of(&request);
    let response = next.run(request).await;
    for_browser(&app.config.languages, asked, response).await
}

/// What an error page depends on, kept before a request is answered: only for a `GET` or
/// `HEAD`, and only the values of `Accept`, `Accept-Language` and `Cookie` (which may keep a
/// chosen language; shared, not copied).
pub struct Asked {
    accept: Option<HeaderValue>,
    languages: Option<HeaderValue>,
    cookie: Option<HeaderValue>,
    /// The language `?lang=` chose (a tag; empty: forget the kept one).
    chosen: Option<String>,
}

impl Asked {
    /// What `request` asked for, if a page could answer it (`GET` or `HEAD`).
    pub fn of(request: &Request) -> Option<Self> {
        matches!(*request.method(), Method::GET | Method::HEAD).then(|| Self {
            accept: request.headers().get(header::ACCEPT).cloned(),
            languages: request.headers().get(header::ACCEPT_LANGUAGE).cloned(),
            cookie: request.headers().get(header::COOKIE).cloned(),
            chosen: chosen_language(request.uri().query().unwrap_or_default()),
        })
    }

    /// The three headers, for negotiation.
    fn headers(&self) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in [
            (header::ACCEPT, &self.accept),
            (header::ACCEPT_LANGUAGE, &self.languages),
            (header::COOKIE, &self.cookie),
        ] {
            if let Some(value) = value {
                headers.insert(name, value.clone());
            }
        }
        headers
    }
}

/// The value of `lang` in `query`, if it is a language tag or empty (see
/// [`super::language`]).
fn chosen_language(query: &str) -> Option<String> {
    let value = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("lang="))?;
    let value = percent_encoding::percent_decode_str(value)
        .decode_utf8()
        .ok()?;
    let chosen = super::language::chosen(Some(&value)).ok().flatten()?;
    Some(chosen.to_owned())
}

/// `response` to a request that `asked` (`None`: not a `GET` or `HEAD`): a problem to a client
/// preferring HTML becomes a page in the first of its languages (then `configured`) there are
/// words in; every such problem says `Vary: Accept, Accept-Language, Cookie`, since its body
/// depends on them; other answers pass unchanged.
pub async fn for_browser(
    configured: &[String],
    asked: Option<Asked>,
    response: Response,
) -> Response {
    let Some(asked) = asked.filter(|_| is_problem(&response)) else {
        return response;
    };
    let chosen = asked.chosen.clone();
    let asked = asked.headers();
    let (mut parts, body) = response.into_parts();
    parts.headers.append(
        header::VARY,
        HeaderValue::from_static(super::language::VARY_WITH_ACCEPT),
    );
    let Ok(bytes) = axum::body::to_bytes(body, MAX_PROBLEM_BYTES).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let problem = match serde_json::from_slice::<Value>(&bytes) {
        Ok(problem) if prefers_html(&asked) => problem,
        _ => return Response::from_parts(parts, Body::from(bytes)),
    };
    let languages = super::language::languages(&asked, chosen.as_deref(), configured);
    let words = words::for_languages(&languages);
    // The switcher shows the problem in another language (at the same path).
    let switch = |tag: &str| format!("?lang={}", Escaped(tag));
    let header =
        crate::render::header::header(words, None, (configured, &languages), Some(&switch));
    let page = render(&problem, words.lang, &header);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_LANGUAGE,
        HeaderValue::from_static(words.lang),
    );
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    let kept = parts.headers.contains_key(header::SET_COOKIE);
    let mut response = Response::from_parts(parts, Body::from(page));
    if !kept {
        super::language::remember(&mut response, chosen.as_deref());
    }
    response
}

/// Whether `response` is a problem (`application/problem+json`).
fn is_problem(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|t| t.as_bytes().starts_with(b"application/problem+json"))
}

/// Whether `Accept` prefers HTML to JSON (a browser's does; curl's `*/*` and no `Accept` do not).
fn prefers_html(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    accept.is_some()
        && crate::conneg::choose(
            accept,
            &["application/problem+json", "application/json", "text/html"],
        ) == Some(2)
}

/// The page of a problem body under `header`: its title in `lang` (English or Czech), the status
/// and the detail.
fn render(problem: &Value, lang: &str, header: &str) -> String {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let title = problem["titles"]
        .get(lang)
        .map_or_else(|| text(&problem["title"]), text);
    let status = problem["status"].as_u64().unwrap_or_default();
    let (detail, detail_lang) = match problem["details"].get(lang) {
        Some(detail) => (text(detail), lang),
        None => (text(&problem["detail"]), "en"),
    };
    let home = if lang == "cs" {
        "Úvodní stránka"
    } else {
        "Home"
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{status} {title}</title><link rel=\"stylesheet\" href=\"/assets/datafond.css\">\
         </head><body>{header}<main>\
         <h1>{title}</h1><p class=\"error\" role=\"alert\"><span class=\"status\">{status}</span> \
         <span lang=\"{detail_lang}\">{detail}</span></p><p><a href=\"/\">{home}</a></p></main></body></html>\n",
        title = Escaped(&title),
        detail = Escaped(&detail),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(accept: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT, HeaderValue::from_str(accept).unwrap());
        h
    }

    #[test]
    fn browsers_prefer_html_and_scripts_do_not() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        assert!(prefers_html(&headers(browser)));
        assert!(!prefers_html(&headers("*/*")));
        assert!(!prefers_html(&headers("text/turtle")));
        assert!(!prefers_html(&headers("application/json, text/html;q=0.5")));
        assert!(!prefers_html(&HeaderMap::new()));
    }
}
