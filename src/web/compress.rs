//! gzip for answers whose client takes it (`Accept-Encoding`): a resource page is a few
//! kilobytes of markup and a code list's page megabytes, a quarter of that gzipped. A view is
//! compressed once and kept with it in the cache, so repeated requests cost no compression.

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use flate2::write::GzEncoder;
use flate2::Compression;
use std::io::Write;

/// Bodies smaller than this go as they are: they fit in a packet or two either way.
pub const MIN_BYTES: usize = 1024;

/// Whether `Accept-Encoding` takes gzip (and does not refuse it with `q=0`).
pub fn accepts_gzip(headers: &HeaderMap) -> bool {
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

/// `body` gzipped at zlib's default level: a view is compressed once and sent many times.
pub fn gzip(body: &[u8]) -> Bytes {
    let mut encoder = GzEncoder::new(Vec::with_capacity(body.len() / 3), Compression::default());
    encoder
        .write_all(body)
        .and_then(|()| encoder.finish())
        .expect("writing to memory cannot fail")
        .into()
}

/// The entity tag of the gzipped form of the representation tagged `etag`: a different
/// representation needs a different strong tag.
pub fn gzip_etag(etag: &str) -> String {
    format!("{}-gzip\"", etag.trim_end_matches('"'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use flate2::read::GzDecoder;
    use std::io::Read;

    fn asking(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        headers
    }

    #[test]
    fn gzip_is_taken_unless_refused() {
        assert!(accepts_gzip(&asking("gzip, deflate, br, zstd")));
        assert!(accepts_gzip(&asking("br;q=1.0, GZIP;q=0.5")));
        assert!(accepts_gzip(&asking("*")));
        assert!(!accepts_gzip(&asking("gzip;q=0")));
        assert!(!accepts_gzip(&asking("br, identity")));
        assert!(!accepts_gzip(&HeaderMap::new()));
    }

    #[test]
    fn gzipped_bodies_read_back_whole() {
        let body = "<p>Jihomoravský kraj</p>".repeat(100);
        let mut back = String::new();
        GzDecoder::new(&gzip(body.as_bytes())[..])
            .read_to_string(&mut back)
            .unwrap();
        assert_eq!(back, body);
        assert_eq!(gzip_etag("\"abc\""), "\"abc-gzip\"");
    }
}
