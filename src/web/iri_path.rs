//! From a request's path on the wire to the IRI path it names. RFC 3987 (§3.2) maps a URI to
//! an IRI by decoding the percent-encoded UTF-8 of non-ASCII characters (and of unreserved
//! ASCII ones), keeping every other escape: `/zdroj/%C4%8D%C3%ADseln%C3%ADky` names
//! `…/zdroj/číselníky`, while `/zdroj/a%20b` names `…/zdroj/a%20b`, an IRI that holds `%20`
//! (a space or a `/` can only be in an IRI escaped). Decoding everything instead would make such
//! IRIs unreachable: no request could name them.

/// The IRI paths a request path may name (without its leading `/`), most likely first: its IRI
/// form; then, when it holds escapes that form keeps, the path as sent (an IRI whose publisher
/// escaped a non-ASCII character, `…/e%C3%A9`) and the path fully decoded (a client that
/// escaped a character the IRI holds literally, `(` as `%28`). Empty when nothing decodes.
pub fn candidates(raw: &str) -> Vec<String> {
    let raw = raw.trim_start_matches('/');
    let first = iri_form(raw);
    if !first.contains('%') {
        return vec![first];
    }
    let mut paths = vec![first, raw.to_owned()];
    if let Ok(decoded) = percent_encoding::percent_decode_str(raw).decode_utf8() {
        paths.push(decoded.into_owned());
    }
    let mut seen = std::collections::HashSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
}

/// `raw` with the escapes RFC 3987 decodes decoded: UTF-8 sequences of non-ASCII characters
/// (not control characters) and unreserved ASCII characters; other escapes kept as sent.
pub fn iri_form(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while i < bytes.len() {
        let Some(byte) = escaped(bytes, i) else {
            let c = raw[i..].chars().next().expect("i is at a character");
            out.push(c);
            i += c.len_utf8();
            continue;
        };
        let length = match byte {
            b if b.is_ascii_alphanumeric() || b"-._~".contains(&b) => {
                out.push(char::from(b));
                i += 3;
                continue;
            }
            0xC2..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF4 => 4,
            _ => 0,
        };
        let mut sequence = [0u8; 4];
        let complete = length > 0
            && (0..length).all(|k| match escaped(bytes, i + 3 * k) {
                Some(b) => {
                    sequence[k] = b;
                    true
                }
                None => false,
            });
        let character = complete
            .then(|| std::str::from_utf8(&sequence[..length]).ok())
            .flatten()
            .filter(|s| !s.chars().any(char::is_control));
        match character {
            Some(s) => {
                out.push_str(s);
                i += 3 * length;
            }
            None => {
                out.push_str(&raw[i..i + 3]);
                i += 3;
            }
        }
    }
    out
}

/// The byte `%XX` at `i` stands for, if there is one.
fn escaped(bytes: &[u8], i: usize) -> Option<u8> {
    if bytes.get(i) != Some(&b'%') {
        return None;
    }
    let hex = |b: Option<&u8>| char::from(*b?).to_digit(16);
    Some((hex(bytes.get(i + 1))? * 16 + hex(bytes.get(i + 2))?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_and_unreserved_characters_are_decoded_other_escapes_kept() {
        assert_eq!(
            iri_form("zdroj/%C4%8D%C3%ADseln%C3%ADky/a%2Db%7E"),
            "zdroj/číselníky/a-b~"
        );
        assert_eq!(iri_form("a%20b/c%2Fd/e%3Ff%25"), "a%20b/c%2Fd/e%3Ff%25");
        // Lower-case hex, a 4-byte character, a broken sequence, a stray `%`.
        assert_eq!(iri_form("%c3%a9%F0%9F%98%80"), "é😀");
        assert_eq!(iri_form("x%C3y%E2%82"), "x%C3y%E2%82");
        assert_eq!(iri_form("100%"), "100%");
        assert_eq!(
            iri_form("%C2%85"),
            "%C2%85",
            "a control character stays escaped"
        );
    }

    #[test]
    fn other_readings_follow_when_escapes_are_kept() {
        assert_eq!(candidates("/zdroj/%C4%8D"), ["zdroj/č"]);
        assert_eq!(candidates("/a%20b"), ["a%20b", "a b"]);
        assert_eq!(candidates("/e%C3%A9%28"), ["eé%28", "e%C3%A9%28", "eé("]);
    }
}
