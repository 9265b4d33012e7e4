//! The data of the view and page tests, and the Accept headers of real clients.

use super::{config, push, start};
use oxigraph::model::Graph;

/// Things in a dataset `věci`: labels in two languages, hostile literals, a link, a blank node,
/// a backlink; pushed again as `jiné` with the first thing under `věci/` (the 303 pattern).
pub const DATA: &str = r#"@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
<http://data.example/zdroj/a> a ex:Thing ;
  skos:prefLabel "Věc A"@cs, "Thing A"@en ;
  rdfs:comment "<script>alert(1)</script>", "\"><img src=x onerror=alert(1)>" ;
  ex:links <http://data.example/zdroj/b> ;
  ex:count 42 ;
  ex:address [ ex:city "Brno" ] .
<http://data.example/zdroj/b> skos:prefLabel "Věc B"@cs, "Thing B"@en .
<http://data.example/zdroj/c> ex:links <http://data.example/zdroj/a> .
ex:links rdfs:label "odkazuje na"@cs, "links to"@en .
<http://data.example/zdroj/datové-sady/věci> skos:prefLabel "Věci"@cs, "Things"@en .
"#;

/// Protégé's Accept header.
pub const PROTEGE: &str =
    "application/rdf+xml, application/xml;q=0.7, text/xml;q=0.6, text/plain;q=0.1, */*;q=0.09";
/// A browser's Accept header.
pub const BROWSER: &str =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";

/// A server with both datasets pushed; IRIs under `věci/` follow the 303 pattern.
pub fn server() -> datafond::serve::Running {
    let mut cfg = config(None);
    cfg.see_other = vec!["věci/".into()];
    let server = start(cfg);
    assert_eq!(
        push(&server, "věci", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let thing = DATA.replace("zdroj/a>", "věci/x>");
    assert_eq!(
        push(&server, "jiné", "text/turtle", thing.as_bytes()).status,
        201
    );
    server
}

/// Isomorphism of a dataset (its default graph) and a graph.
pub trait Canonical {
    /// Whether both hold the same triples, blank nodes mapped.
    fn canonicalize_equal(self, other: &Graph) -> bool;
}

impl Canonical for oxigraph::model::Dataset {
    fn canonicalize_equal(mut self, other: &Graph) -> bool {
        use oxigraph::model::graph::CanonicalizationAlgorithm;
        let mut o = oxigraph::model::Dataset::from_iter(
            other
                .iter()
                .map(|t| t.in_graph(oxigraph::model::GraphNameRef::DefaultGraph)),
        );
        self.canonicalize(CanonicalizationAlgorithm::Unstable);
        o.canonicalize(CanonicalizationAlgorithm::Unstable);
        self == o
    }
}
