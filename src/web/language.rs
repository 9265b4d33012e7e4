//! The languages a request reads in: the one a reader chose with `?lang=` (kept in a cookie, so
//! that the pages they open next follow it), then `Accept-Language`, then the configured ones.
//! Labels, a page's own words and the CSV's labels follow them; Turtle, JSON-LD and the other
//! RDF syntaxes carry every language and do not depend on them.

use super::problem::Problem;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The cookie that keeps the language chosen with `?lang=` (a functional cookie: it holds
/// nothing but the tag).
const COOKIE: &str = "lang";

/// What `Vary` names for an answer whose labels or words were chosen by language.
pub const VARY: &str = "Accept-Language, Cookie";

/// [`VARY`] for an answer whose format was negotiated too.
pub const VARY_WITH_ACCEPT: &str = "Accept, Accept-Language, Cookie";

/// How long the chosen language is kept: a year, in seconds.
const KEPT_SECONDS: u32 = 365 * 24 * 3600;

/// The preferred languages of a request with `headers`: `chosen` (its `?lang=`; empty: none),
/// else the language cookie's; then `Accept-Language` ranges by quality; then `configured`.
pub fn languages(headers: &HeaderMap, chosen: Option<&str>, configured: &[String]) -> Vec<String> {
    let chosen = match chosen {
        Some(tag) => Some(tag).filter(|t| !t.is_empty()).map(str::to_owned),
        None => cookie(headers),
    };
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
    let mut out: Vec<String> = chosen.into_iter().collect();
    for tag in ranges
        .into_iter()
        .map(|(_, t)| t)
        .chain(configured.iter().cloned())
    {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&tag)) {
            out.push(tag);
        }
    }
    out
}

/// The language the cookie keeps, if it holds a language tag.
fn cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, value)| *name == COOKIE && is_tag(value))
        .map(|(_, value)| value.to_owned())
}

/// Whether `text` is a language tag as `?lang=` takes it: BCP 47's shape (`cs`, `en-GB`,
/// `sr-Latn-RS`): a primary subtag of 2–8 letters, then subtags of 1–8 letters and digits.
fn is_tag(text: &str) -> bool {
    let mut subtags = text.split('-');
    let primary = subtags.next().unwrap_or_default();
    (2..=8).contains(&primary.len())
        && primary.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags
            .all(|s| (1..=8).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// The language a request's `?lang=` chose: a tag, or empty (forget the kept one); 400 when it
/// is neither.
pub fn chosen(lang: Option<&str>) -> Result<Option<&str>, Box<Response>> {
    match lang {
        Some(tag) if !tag.is_empty() && !is_tag(tag) => Err(Box::new(
            Problem::new(
                StatusCode::BAD_REQUEST,
                "bad-parameter",
                format!("`lang={tag}` is no language tag (BCP 47: `cs`, `en-GB`, `sr-Latn-RS`)"),
            )
            .in_czech(format!(
                "`lang={tag}` není značka jazyka (BCP 47: `cs`, `en-GB`, `sr-Latn-RS`)"
            ))
            .into_response(),
        )),
        _ => Ok(lang),
    }
}

/// Keeps the language a request chose with `?lang=` (`chosen`, a tag) in the cookie of its
/// `response`; an empty `?lang=` forgets it (back to the browser's languages).
pub fn remember(response: &mut Response, chosen: Option<&str>) {
    let cookie = match chosen {
        None => return,
        Some("") => format!("{COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"),
        Some(tag) => format!("{COOKIE}={tag}; Path=/; Max-Age={KEPT_SECONDS}; SameSite=Lax"),
    };
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(name, HeaderValue::from_str(value).unwrap());
        }
        h
    }

    #[test]
    fn the_chosen_language_comes_first_then_the_cookie_then_accept_language() {
        let configured = ["en".to_owned(), "cs".to_owned()];
        let asked = headers(&[
            (header::ACCEPT_LANGUAGE, "de, en;q=0.5"),
            (header::COOKIE, "theme=dark; lang=cs"),
        ]);
        assert_eq!(languages(&asked, None, &configured), ["cs", "de", "en"]);
        assert_eq!(
            languages(&asked, Some("en"), &configured),
            ["en", "de", "cs"]
        );
        // An empty `?lang=` forgets the cookie's.
        assert_eq!(languages(&asked, Some(""), &configured), ["de", "en", "cs"]);
        let hostile = headers(&[(header::COOKIE, "lang=<x>")]);
        assert_eq!(languages(&hostile, None, &configured), ["en", "cs"]);
    }

    #[test]
    fn language_tags_have_bcp_47_shape() {
        for tag in ["cs", "en-GB", "sr-Latn-RS", "lv", "es-419"] {
            assert!(is_tag(tag), "{tag}");
        }
        for text in [
            "",
            "c",
            "cs_CZ",
            "cs-",
            "<script>",
            "en-GB;q=1",
            "abcdefghi",
            "1a",
        ] {
            assert!(!is_tag(text), "{text}");
        }
    }
}
