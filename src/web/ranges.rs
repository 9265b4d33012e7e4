//! Byte ranges of downloadable files (RFC 9110 §14): a download that broke off resumes where it
//! stopped (`wget -c`, `curl -C -`, download managers) instead of starting again. One range per
//! request; a list of ranges, or a `Range` that does not parse, is answered with the whole file,
//! as the RFC allows. `If-Range` makes the range conditional on the copy being unchanged.

use axum::http::{header, HeaderMap};

/// What a request asks of a file of some length.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    /// The whole file (no usable `Range`, or `If-Range` names another copy).
    Whole,
    /// Bytes `start..=end`.
    Part {
        /// First byte.
        start: u64,
        /// Last byte (included).
        end: u64,
    },
    /// A range that starts past the end: 416.
    Unsatisfiable,
}

/// What `request` asks of a file of `length` bytes whose copy has the strong validator `etag`
/// and was last modified at `modified` (Unix seconds, `None` when no date is sent).
pub fn wanted(request: &HeaderMap, length: u64, etag: &str, modified: Option<u64>) -> Wanted {
    let Some(range) = request.get(header::RANGE).and_then(|v| v.to_str().ok()) else {
        return Wanted::Whole;
    };
    if let Some(condition) = request.get(header::IF_RANGE).and_then(|v| v.to_str().ok()) {
        if !same_copy(condition.trim(), etag, modified) {
            return Wanted::Whole;
        }
    }
    let Some((unit, spec)) = range.split_once('=') else {
        return Wanted::Whole;
    };
    if !unit.trim().eq_ignore_ascii_case("bytes") || spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((first, last)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let number = |s: &str| s.trim().parse::<u64>().ok();
    match (first.trim().is_empty(), number(first), number(last)) {
        // The last `n` bytes.
        (true, _, Some(n)) if n > 0 && length > 0 => Wanted::Part {
            start: length.saturating_sub(n),
            end: length - 1,
        },
        (true, _, Some(_)) => Wanted::Unsatisfiable,
        (false, Some(start), _) if start >= length => Wanted::Unsatisfiable,
        (false, Some(start), None) if last.trim().is_empty() => Wanted::Part {
            start,
            end: length - 1,
        },
        (false, Some(start), Some(end)) if start <= end => Wanted::Part {
            start,
            end: end.min(length - 1),
        },
        _ => Wanted::Whole,
    }
}

/// Whether an `If-Range` value names this copy: its entity tag (compared strongly: a weak tag
/// never matches) or exactly its date.
fn same_copy(condition: &str, etag: &str, modified: Option<u64>) -> bool {
    if condition.starts_with('"') || condition.starts_with("W/") {
        return condition == etag;
    }
    let date = super::conditional::unix_seconds(condition);
    matches!((date, modified), (Some(date), Some(modified)) if date == modified)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn asking(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(name, HeaderValue::from_str(value).unwrap());
        }
        headers
    }

    fn range(spec: &str) -> Wanted {
        wanted(&asking(&[(header::RANGE, spec)]), 100, "\"t\"", Some(1_000))
    }

    #[test]
    fn single_ranges_suffixes_and_open_ends() {
        assert_eq!(range("bytes=0-9"), Wanted::Part { start: 0, end: 9 });
        assert_eq!(range("bytes=90-"), Wanted::Part { start: 90, end: 99 });
        assert_eq!(range("bytes=-10"), Wanted::Part { start: 90, end: 99 });
        assert_eq!(range("bytes=-500"), Wanted::Part { start: 0, end: 99 });
        assert_eq!(range("bytes=50-500"), Wanted::Part { start: 50, end: 99 });
        assert_eq!(range("BYTES = 1-1"), Wanted::Part { start: 1, end: 1 });
        assert_eq!(range("bytes=100-"), Wanted::Unsatisfiable);
        assert_eq!(range("bytes=-0"), Wanted::Unsatisfiable);
        // Lists, other units and nonsense: the whole file.
        for spec in [
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=5-1",
            "bytes=a-b",
            "bytes",
            "bytes=-",
        ] {
            assert_eq!(range(spec), Wanted::Whole, "{spec}");
        }
        assert_eq!(wanted(&HeaderMap::new(), 100, "\"t\"", None), Wanted::Whole);
        let empty = asking(&[(header::RANGE, "bytes=0-")]);
        assert_eq!(wanted(&empty, 0, "\"t\"", None), Wanted::Unsatisfiable);
    }

    #[test]
    fn if_range_keeps_the_range_only_for_the_same_copy() {
        let with = |condition: &str| {
            let headers = asking(&[(header::RANGE, "bytes=0-9"), (header::IF_RANGE, condition)]);
            wanted(&headers, 100, "\"t\"", Some(1_000))
        };
        assert_eq!(with("\"t\""), Wanted::Part { start: 0, end: 9 });
        assert_eq!(with("\"other\""), Wanted::Whole);
        assert_eq!(with("W/\"t\""), Wanted::Whole);
        assert_eq!(
            with("Thu, 01 Jan 1970 00:16:40 GMT"),
            Wanted::Part { start: 0, end: 9 }
        );
        assert_eq!(with("Thu, 01 Jan 1970 00:16:41 GMT"), Wanted::Whole);
        assert_eq!(with("not a date"), Wanted::Whole);
    }
}
