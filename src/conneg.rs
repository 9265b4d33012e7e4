//! Content negotiation: picks one of the offered media types from an `Accept` header (RFC 9110
//! §12.5.1): q-values, wildcards, the most specific matching range wins, `q=0` excludes. A range
//! naming a structured syntax suffix's base type (`application/json`, `application/xml`) also
//! matches the types built on it (`application/ld+json`, `application/rdf+xml`; RFC 6839), less
//! specifically than their own names. Among offers of equal quality, the one the request named
//! more specifically wins, then the server's order of preference.

/// One media range of an `Accept` header.
#[derive(Debug, Clone, PartialEq)]
struct Range {
    kind: String,
    subtype: String,
    q: f32,
}

impl Range {
    /// How specifically this range names `media_type` (type/subtype): 3 exact, 2 by its
    /// suffix (`application/json` for `application/ld+json`), 1 `type/*`, 0 `*/*`; `None` when
    /// it does not match.
    fn specificity(&self, media_type: &str) -> Option<u8> {
        let (kind, subtype) = media_type.split_once('/')?;
        let suffix = subtype.rsplit_once('+').map(|(_, suffix)| suffix);
        match (self.kind.as_str(), self.subtype.as_str()) {
            ("*", "*") => Some(0),
            (k, _) if !k.eq_ignore_ascii_case(kind) => None,
            (_, "*") => Some(1),
            (_, s) if s.eq_ignore_ascii_case(subtype) => Some(3),
            (_, s) if suffix.is_some_and(|suffix| s.eq_ignore_ascii_case(suffix)) => Some(2),
            _ => None,
        }
    }
}

fn parse(accept: &str) -> Vec<Range> {
    accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let (kind, subtype) = parts.next()?.trim().split_once('/')?;
            let mut q = 1.0;
            for param in parts {
                if let Some((name, value)) = param.split_once('=') {
                    if name.trim().eq_ignore_ascii_case("q") {
                        q = value.trim().parse::<f32>().ok()?.clamp(0.0, 1.0);
                    }
                }
            }
            Some(Range {
                kind: kind.trim().to_owned(),
                subtype: subtype.trim().to_owned(),
                q,
            })
        })
        .collect()
}

/// The quality `accept` gives `media_type` and how specifically: those of the most specific
/// matching range (`q` 0 when none matches).
fn quality(ranges: &[Range], media_type: &str) -> (f32, u8) {
    ranges
        .iter()
        .filter_map(|r| r.specificity(media_type).map(|s| (s, r.q)))
        .max_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)))
        .map_or((0.0, 0), |(s, q)| (q, s))
}

/// The index in `offered` (most preferred first) of the best type for `accept`; no header means
/// the first offer; `None` when nothing offered is acceptable (406).
pub fn choose(accept: Option<&str>, offered: &[&str]) -> Option<usize> {
    let Some(accept) = accept.filter(|a| !a.trim().is_empty()) else {
        return (!offered.is_empty()).then_some(0);
    };
    let ranges = parse(accept);
    let mut best: Option<(usize, (f32, u8))> = None;
    for (i, media_type) in offered.iter().enumerate() {
        let (q, specificity) = quality(&ranges, media_type);
        let better = |(b, bs): (f32, u8)| q > b || (q == b && specificity > bs);
        if q > 0.0 && best.is_none_or(|(_, b)| better(b)) {
            best = Some((i, (q, specificity)));
        }
    }
    best.map(|(i, _)| i)
}

/// Media types older tools still ask RDF syntaxes by, and the syntax each gets: N-Triples'
/// type before `application/n-triples` was registered (Jena and Virtuoso answer it so), N3's
/// and Turtle's older names (a Turtle document is an N3 document too), and `text/xml`, the
/// older name of `application/xml` (RFC 7303), whose RDF syntax is RDF/XML.
pub const RDF_ALIASES: [(&str, &str); 5] = [
    ("text/plain", "application/n-triples"),
    ("text/n3", "text/turtle"),
    ("text/rdf+n3", "text/turtle"),
    ("application/x-turtle", "text/turtle"),
    ("text/xml", "application/rdf+xml"),
];

/// [`choose`] among RDF syntaxes: the [`RDF_ALIASES`] of those offered get them too, less
/// preferred than every offer (so `*/*` never picks one).
pub fn choose_rdf(accept: Option<&str>, offered: &[&str]) -> Option<usize> {
    let aliases: Vec<(&str, usize)> = RDF_ALIASES
        .iter()
        .filter_map(|(alias, of)| Some((*alias, offered.iter().position(|t| t == of)?)))
        .collect();
    let mut with_aliases = offered.to_vec();
    with_aliases.extend(aliases.iter().map(|(alias, _)| *alias));
    choose(accept, &with_aliases).map(|i| match i.checked_sub(offered.len()) {
        Some(alias) => aliases[alias].1,
        None => i,
    })
}

#[cfg(test)]
mod tests {
    use super::{choose, choose_rdf};

    const RDF: &[&str] = &[
        "text/turtle",
        "application/ld+json",
        "application/n-triples",
        "application/rdf+xml",
    ];

    #[test]
    fn q_values_wildcards_and_specificity() {
        assert_eq!(choose(None, RDF), Some(0));
        assert_eq!(choose(Some("application/ld+json"), RDF), Some(1));
        assert_eq!(
            choose(Some("text/turtle;q=0.5, application/n-triples"), RDF),
            Some(2)
        );
        assert_eq!(choose(Some("*/*"), RDF), Some(0));
        assert_eq!(choose(Some("application/*"), RDF), Some(1));
        assert_eq!(choose(Some("*/*;q=0.1, text/turtle;q=0"), RDF), Some(1));
        assert_eq!(choose(Some("text/html"), RDF), None);
        assert_eq!(choose(Some("text/turtle;q=0"), RDF), None);
        let protege = "application/rdf+xml, application/xml;q=0.7, text/xml;q=0.6, \
                       text/plain;q=0.1, */*;q=0.09";
        assert_eq!(choose(Some(protege), RDF), Some(3));
        assert_eq!(choose(Some("TEXT/Turtle"), RDF), Some(0));
    }

    #[test]
    fn suffix_base_types_match_the_types_built_on_them() {
        // A JSON client gets JSON-LD, an XML client RDF/XML (RFC 6839 structured suffixes).
        assert_eq!(choose(Some("application/json"), RDF), Some(1));
        assert_eq!(choose(Some("application/xml"), RDF), Some(3));
        assert_eq!(choose(Some("text/json"), RDF), None);
        assert_eq!(choose(Some("application/ld"), RDF), None);
        // The type's own name is more specific than its suffix: its q-value rules.
        assert_eq!(
            choose(Some("application/json, application/ld+json;q=0"), RDF),
            None
        );
        let results = &["application/sparql-results+json", "application/json"];
        assert_eq!(choose(Some("application/json"), results), Some(1));
        assert_eq!(
            choose(Some("application/sparql-results+json"), results),
            Some(0)
        );
        assert_eq!(choose(Some("application/*"), results), Some(0));
        // Equal q-values: the offer named more specifically wins over server order.
        assert_eq!(choose(Some("text/*, application/n-triples"), RDF), Some(2));
        assert_eq!(
            choose(Some("application/*;q=0.5, application/xml"), RDF),
            Some(3)
        );
    }

    #[test]
    fn older_names_get_their_syntaxes_among_rdf_syntaxes_only() {
        assert_eq!(choose_rdf(Some("text/plain"), RDF), Some(2));
        assert_eq!(choose_rdf(Some("text/xml"), RDF), Some(3));
        assert_eq!(choose(Some("text/plain"), RDF), None);
        // A wildcard alone never gets it; named, it wins as any type named more specifically.
        assert_eq!(choose_rdf(Some("*/*"), RDF), Some(0));
        assert_eq!(choose_rdf(Some("text/*"), RDF), Some(0));
        assert_eq!(choose_rdf(Some("text/plain, */*"), RDF), Some(2));
        assert_eq!(
            choose_rdf(Some("text/plain;q=0.5, text/turtle;q=0.6"), RDF),
            Some(0)
        );
        assert_eq!(
            choose_rdf(Some("text/plain;q=0.5, text/turtle;q=0.4"), RDF),
            Some(2)
        );
        assert_eq!(choose_rdf(Some("text/plain;q=0"), RDF), None);
        // Where N-Triples is not offered, text/plain gets nothing.
        assert_eq!(choose_rdf(Some("text/plain"), &["text/turtle"]), None);
        assert_eq!(choose_rdf(Some("text/rdf+n3"), RDF), Some(0));
        assert_eq!(choose_rdf(Some("application/x-turtle"), RDF), Some(0));
        assert_eq!(
            choose_rdf(Some("text/n3;q=0.9, application/ld+json;q=0.8"), RDF),
            Some(0)
        );
        assert_eq!(choose_rdf(Some("text/n3"), &["application/ld+json"]), None);
    }
}
