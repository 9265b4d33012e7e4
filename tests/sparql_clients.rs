//! Real SPARQL clients against the endpoint: Python SPARQLWrapper (JSON and XML results) and
//! rdflib's SPARQLStore run queries and get the expected answers.

mod client;

use client::{config, push, start};

const DATA: &str = r#"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<http://data.example/zdroj/a> skos:prefLabel "Alfa"@cs .
<http://data.example/zdroj/b> skos:prefLabel "Beta"@cs .
"#;

const CLIENTS: &str = r#"
import sys
from SPARQLWrapper import SPARQLWrapper, JSON, XML
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
endpoint = sys.argv[1]
query = "SELECT ?l WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l"
for fmt in (JSON, XML):
    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        print("json", [b["l"]["value"] for b in result["results"]["bindings"]])
    else:
        print("xml", [n.firstChild.data for n in result.getElementsByTagName("literal")])
client = SPARQLWrapper(endpoint)
client.setQuery("ASK { ?s ?p 'nic' }")
client.setReturnFormat(JSON)
print("ask", client.query().convert()["boolean"])
store = SPARQLStore(endpoint)
graph = rdflib.Graph(store=store)
print("rdflib", sorted(str(row.l) for row in graph.query(query)))
"#;

#[test]
fn sparqlwrapper_and_rdflib_query_the_endpoint() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "abc", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let stdout = client::python(CLIENTS, &[&format!("{}sparql", server.url())]);
    assert_eq!(
        stdout.trim(),
        "json ['Alfa', 'Beta']\nxml ['Alfa', 'Beta']\nask False\nrdflib ['Alfa', 'Beta']"
    );
}
