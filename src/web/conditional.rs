//! Conditional GET (RFC 9110 §13): whether the validators a client sends show that its copy is
//! current, so that a 304 without a body answers it. Browsers send the ETag back
//! (`If-None-Match`); wget, `curl -z` and many harvesters send only a date (`If-Modified-Since`).

use axum::http::{header, HeaderMap, HeaderValue};
use std::time::{SystemTime, UNIX_EPOCH};

/// Whether `request` is answered 304 for a representation with the validator `etag`, last
/// modified at `last_modified` (Unix seconds, `None` when no `Last-Modified` is sent): when
/// `If-None-Match` names the tag (weak comparison, as the RFC asks, so a tag a proxy weakened
/// still matches; `*` matches any), or, only when there is no `If-None-Match`, when
/// `If-Modified-Since` is a date not earlier than `last_modified`. A date that does not parse is
/// ignored, as the RFC asks.
pub fn not_modified(request: &HeaderMap, etag: &str, last_modified: Option<u64>) -> bool {
    let mut tags = request.get_all(header::IF_NONE_MATCH).iter().peekable();
    if tags.peek().is_some() {
        let ours = opaque(etag);
        return tags
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .any(|tag| tag == "*" || opaque(tag) == ours);
    }
    let since = request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(unix_seconds);
    matches!((since, last_modified), (Some(since), Some(modified)) if modified <= since)
}

/// An HTTP date in seconds since the Unix epoch; `None` when it does not parse.
pub fn unix_seconds(date: &str) -> Option<u64> {
    let time = httpdate::parse_http_date(date).ok()?;
    time.duration_since(UNIX_EPOCH).ok().map(|d| d.as_secs())
}

/// Whether a representation modified at `modified` (Unix seconds) may carry `Last-Modified`:
/// only once that second is over. A date has a precision of one second, so a copy dated while
/// its second lasts could be followed by another change with the same date, and a client asking
/// `If-Modified-Since` with it would be told, wrongly, that its copy is current.
pub fn date_is_final(modified: u64) -> bool {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .is_ok_and(|now| now.as_secs() > modified)
}

/// `Last-Modified` (an HTTP date) of a representation modified at `modified` (Unix seconds).
pub fn last_modified(modified: u64) -> HeaderValue {
    let date = httpdate::fmt_http_date(UNIX_EPOCH + std::time::Duration::from_secs(modified));
    HeaderValue::from_str(&date).expect("an HTTP date is ASCII")
}

/// `Cache-Control` of a representation: one that never changes (a version's file) may be
/// kept for a year without asking again; any other is revalidated on every use (cheap: a 304),
/// so that no browser or proxy shows a page or file a publish has changed — without it, they
/// would keep it fresh for a tenth of its age since `Last-Modified`.
pub fn cache_control(immutable: bool) -> HeaderValue {
    HeaderValue::from_static(match immutable {
        true => "public, max-age=31536000, immutable",
        false => "no-cache",
    })
}

/// An entity tag without its weakness mark: what weak comparison compares.
fn opaque(tag: &str) -> &str {
    tag.strip_prefix("W/").unwrap_or(tag)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const DATE: &str = "Sat, 28 Nov 2026 09:47:05 GMT";
    /// `DATE` in Unix seconds.
    const MODIFIED: u64 = 1_795_859_225;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn entity_tags_compare_weakly_in_lists_and_repeated_headers() {
        let tag = "\"abc\"";
        let inm = header::IF_NONE_MATCH;
        assert!(not_modified(
            &headers(&[(inm.clone(), "\"abc\"")]),
            tag,
            None
        ));
        assert!(not_modified(
            &headers(&[(inm.clone(), "\"x\", W/\"abc\"")]),
            tag,
            None
        ));
        assert!(not_modified(
            &headers(&[(inm.clone(), "\"x\""), (inm.clone(), "\"abc\"")]),
            tag,
            None
        ));
        assert!(not_modified(&headers(&[(inm.clone(), "*")]), tag, None));
        assert!(!not_modified(
            &headers(&[(inm.clone(), "\"abcd\"")]),
            tag,
            None
        ));
        assert!(!not_modified(&headers(&[]), tag, Some(MODIFIED)));
    }

    #[test]
    fn dates_count_only_without_an_entity_tag() {
        let ims = header::IF_MODIFIED_SINCE;
        let later = "Sat, 28 Nov 2026 09:47:06 GMT";
        let earlier = "Sat, 28 Nov 2026 09:47:04 GMT";
        assert!(not_modified(
            &headers(&[(ims.clone(), DATE)]),
            "\"t\"",
            Some(MODIFIED)
        ));
        assert!(not_modified(
            &headers(&[(ims.clone(), later)]),
            "\"t\"",
            Some(MODIFIED)
        ));
        assert!(!not_modified(
            &headers(&[(ims.clone(), earlier)]),
            "\"t\"",
            Some(MODIFIED)
        ));
        assert!(!not_modified(
            &headers(&[(ims.clone(), "yesterday")]),
            "\"t\"",
            Some(MODIFIED)
        ));
        // If-None-Match decides alone when present, even if the date would match.
        let both = headers(&[(ims.clone(), later), (header::IF_NONE_MATCH, "\"old\"")]);
        assert!(!not_modified(&both, "\"t\"", Some(MODIFIED)));
        // Without a date of ours, none matches.
        assert!(!not_modified(
            &headers(&[(ims.clone(), DATE)]),
            "\"t\"",
            None
        ));
    }

    #[test]
    fn a_date_is_final_once_its_second_is_over() {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_secs();
        assert!(date_is_final(now - 1));
        assert!(!date_is_final(now + 1));
    }
}
