//! `SELECT *`'s columns in the order the query first names its variables (`?s ?p ?o`), as Jena,
//! Virtuoso and GraphDB answer it: the parser lists them alphabetically (`o p s`), which SPARQL
//! allows (it leaves the order to the engine) but no analyst expects of a results table or CSV.

use spargebra::algebra::GraphPattern;
use spargebra::term::Variable;
use spargebra::Query;

/// Puts the columns of `query`, parsed from `text`, in the order `text` first names them, when
/// it selects `*`; any other query is left as it is.
pub fn in_order_of_appearance(query: &mut Query, text: &str) {
    let code = code_only(text);
    if !selects_star(&code) {
        return;
    }
    if let Some(variables) = projection(query) {
        let named = first_named(&code);
        // Stable: variables the text does not name (none, in practice) keep their place after
        // the named ones.
        variables.sort_by_key(|v| {
            named
                .iter()
                .position(|n| n == v.as_str())
                .unwrap_or(usize::MAX)
        });
    }
}

/// The columns of a `SELECT` (its projection, under any `LIMIT`/`OFFSET`, `DISTINCT` or
/// `REDUCED`).
fn projection(query: &mut Query) -> Option<&mut Vec<Variable>> {
    let Query::Select { pattern, .. } = query else {
        return None;
    };
    let mut pattern = pattern;
    loop {
        match pattern {
            GraphPattern::Slice { inner, .. }
            | GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner } => pattern = inner,
            GraphPattern::Project { variables, .. } => return Some(variables),
            _ => return None,
        }
    }
}

/// `text` with its comments, strings and IRIs blanked out (each of their bytes a space), so that
/// what is left are keywords, variables and punctuation at their places.
fn code_only(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut i = 0;
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| out[from..to].fill(b' ');
    while i < bytes.len() {
        let end = match bytes[i] {
            b'#' => bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(bytes.len(), |n| i + n),
            quote @ (b'"' | b'\'') => string_end(bytes, i, quote),
            b'<' => iri_end(bytes, i).unwrap_or(i + 1),
            _ => {
                i += 1;
                continue;
            }
        };
        if bytes[i] != b'<' || end > i + 1 {
            blank(&mut out, i, end);
        }
        i = end;
    }
    out
}

/// Where the string opened by `quote` at `start` ends (after its closing quotes): short or long
/// (`"""…"""`), with backslash escapes.
fn string_end(bytes: &[u8], start: usize, quote: u8) -> usize {
    let long = bytes[start..].starts_with(&[quote; 3]);
    let (mut i, closing) = if long { (start + 3, 3) } else { (start + 1, 1) };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b if b == quote && bytes[i..].starts_with(&[quote; 3][..closing]) => {
                return i + closing
            }
            b'\n' if !long => return i,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// Where the IRI `<…>` at `start` ends (after `>`), if it is one: an IRI holds no spaces, quotes
/// or angle brackets (else `<` is "less than").
fn iri_end(bytes: &[u8], start: usize) -> Option<usize> {
    let close = bytes[start + 1..].iter().position(|&b| {
        matches!(
            b,
            b'>' | b'<' | b'"' | b'{' | b'}' | b'|' | b'^' | b'`' | b'\\'
        ) || b <= b' '
    })?;
    (bytes[start + 1 + close] == b'>').then_some(start + close + 2)
}

/// Whether the query's first `SELECT` (its own: sub-queries come later, inside its pattern)
/// projects `*`.
fn selects_star(code: &[u8]) -> bool {
    let Some(at) = keyword(code, b"SELECT", 0) else {
        return false;
    };
    let mut rest = skip_space(code, at + 6);
    for modifier in [b"DISTINCT".as_slice(), b"REDUCED"] {
        if keyword(code, modifier, rest) == Some(rest) {
            rest = skip_space(code, rest + modifier.len());
        }
    }
    code.get(rest) == Some(&b'*')
}

/// Where `word` first stands as a whole word (any case) in `code`, from `from` on: not part of
/// a name, a variable (`?select`) or a prefix (`PREFIX select: <…>`).
fn keyword(code: &[u8], word: &[u8], from: usize) -> Option<usize> {
    (from..code.len().saturating_sub(word.len() - 1)).find(|&i| {
        code[i..i + word.len()].eq_ignore_ascii_case(word)
            && (i == 0 || !is_name_byte(code[i - 1]) && !matches!(code[i - 1], b'?' | b'$'))
            && code
                .get(i + word.len())
                .is_none_or(|&b| !is_name_byte(b) && b != b':')
    })
}

fn skip_space(code: &[u8], mut i: usize) -> usize {
    while code.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// Bytes of a variable's name: ASCII letters, digits, `_`, and any byte of a non-ASCII
/// character.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The variables `code` names (`?x`, `$x`), each once, in the order it first names them.
fn first_named(code: &[u8]) -> Vec<String> {
    let mut named: Vec<String> = Vec::new();
    let mut i = 0;
    while i < code.len() {
        if matches!(code[i], b'?' | b'$') {
            let start = i + 1;
            let mut end = start;
            while code.get(end).is_some_and(|&b| is_name_byte(b)) {
                end += 1;
            }
            if end > start {
                let name = String::from_utf8_lossy(&code[start..end]).into_owned();
                if !named.contains(&name) {
                    named.push(name);
                }
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    named
}

#[cfg(test)]
mod tests {
    use super::*;

    fn columns(text: &str) -> Vec<String> {
        let mut query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        in_order_of_appearance(&mut query, text);
        let columns = projection(&mut query).expect("a SELECT");
        columns.iter().map(|v| v.as_str().to_owned()).collect()
    }

    #[test]
    fn select_star_lists_variables_as_the_query_names_them() {
        assert_eq!(columns("SELECT * WHERE { ?s ?p ?o }"), ["s", "p", "o"]);
        assert_eq!(
            columns("select distinct * { ?zeta <http://x/#?a> $alpha . } LIMIT 3"),
            ["zeta", "alpha"]
        );
        assert_eq!(
            columns(
                "PREFIX ex: <http://example.org/select*>\n# SELECT ?b ?a\n\
                 SELECT * { ?b ex:p \"?c\" . OPTIONAL { ?a ex:q ?b } FILTER(?b < 3 || ?b> 5) }"
            ),
            ["b", "a"]
        );
        // A prefix named like the keyword.
        assert_eq!(
            columns("PREFIX select: <http://x/>\nSELECT * { ?s select:p ?o }"),
            ["s", "o"]
        );
        // Names that are no ASCII, and a sub-query's own variables.
        assert_eq!(
            columns("SELECT * { { SELECT ?ř ?a { ?a ?p ?ř } } ?x ?y ?a }"),
            ["ř", "a", "x", "y"]
        );
    }

    #[test]
    fn an_explicit_projection_keeps_its_order() {
        assert_eq!(columns("SELECT ?o ?s { ?s ?p ?o }"), ["o", "s"]);
        assert_eq!(
            columns("SELECT ?o (COUNT(*) AS ?n) { ?s ?p ?o } GROUP BY ?o"),
            ["o", "n"]
        );
    }
}
