//! Every RDF answer of a resource is the graph the store holds, read back by rdflib (a real
//! client) and compared with the N-Triples answer, for data that walks into each syntax's traps:
//! IRIs whose scheme is a prefix name the answer would declare (`ns1:bar`, `skos:foo`: compacted
//! JSON-LD reads such a string as `prefix:local`), a namespace whose IRIs go on with `//` (`p://x`
//! is an IRI of its own, not a compact one), a text with Windows line ends (XML readers take a
//! raw CR for a line feed), local names ending in a dot, ill-typed and
//! non-canonical literals, strings that look like keywords or IRIs, cycles and shared blank
//! nodes. The same for the Graph Store's answers and a SPARQL `CONSTRUCT` of the dataset's graph.
//! And what the store itself changes (`xsd:int` kept as `xsd:integer`) is said by the push.

mod client;

use client::{config, get, push, start};

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

const DATA: &str = r#"@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://data.example/zdroj/t> a ex:Thing , <ns1:Kind> ;
  ex:scheme <ns1:bar> , <skos:foo> , <xsd:bar> , <urn:x:y> ;
  <http://www.w3.org/2004/02/skos/core#note> "a note" ;
  <http://example.org/a#c> "hash" ;
  <http://example.org/a#//b> "slashes after a hash" ;
  ex:form <http://example.org/Inc.> ;
  ex:number "01"^^xsd:integer , "abc"^^xsd:integer , "1e3"^^xsd:double , "NaN"^^xsd:double ,
    "1"^^xsd:boolean , "5.0"^^xsd:decimal , "x"^^<ns1:datatype> ;
  ex:text "@id" , "@type" , "http://example.org/x" , "" , "řeřicha"@cs , "Windows\r\nline ends" ,
    "a ]]> b <c> & 'd'" ;
  ex:cycle _:a ;
  ex:shared _:s1 , _:s2 .
_:a ex:next _:b ; ex:name "A" .
_:b ex:next _:a ; ex:name "B" .
_:s1 ex:also _:s3 .
_:s2 ex:also _:s3 .
_:s3 ex:name "shared" .
"#;

const COMPARE: &str = r#"
import sys, urllib.request, logging
import rdflib
from rdflib.compare import isomorphic, to_isomorphic, graph_diff
logging.disable(logging.CRITICAL)  # rdflib warns of the ill-typed literals on purpose
url = sys.argv[1]
def fetch(accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    return urllib.request.urlopen(request).read()
reference = rdflib.Graph().parse(data=fetch("application/n-triples"), format="nt")
print("n-triples", len(reference))
expanded = 'application/ld+json;profile="http://www.w3.org/ns/json-ld#expanded"'
for accept, syntax in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                       (expanded, "json-ld"), ("application/rdf+xml", "xml")]:
    graph = rdflib.Graph().parse(data=fetch(accept), format=syntax)
    same = isomorphic(reference, graph)
    print(accept, same)
    if not same:
        _, only_nt, only_here = graph_diff(to_isomorphic(reference), to_isomorphic(graph))
        print("  missing:", sorted(only_nt)[:5], "\n  instead:", sorted(only_here)[:5])
"#;

#[test]
fn every_rdf_answer_is_the_stored_graph_whatever_traps_the_data_holds() {
    let server = start(config(None));
    let r = push(&server, "pasti", "text/turtle", DATA.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/t", server.url());
    let out = client::python(COMPARE, &[&url]);
    let expanded = "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"";
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "n-triples 34",
            "text/turtle True",
            "application/ld+json True",
            &format!("{expanded} True"),
            "application/rdf+xml True",
        ],
        "{out}"
    );
}

const COMPARE_GRAPHS: &str = r#"
import sys, urllib.request, logging
import rdflib
from rdflib.compare import isomorphic
logging.disable(logging.CRITICAL)
def fetch(url, accept):
    request = urllib.request.Request(url, headers={"Accept": accept})
    return urllib.request.urlopen(request).read()
store, construct = sys.argv[1], sys.argv[2]
reference = rdflib.Graph().parse(data=fetch(store, "application/n-triples"), format="nt")
print("n-triples", len(reference))
for url, name in [(store, "store"), (construct, "construct")]:
    for accept, syntax in [("text/turtle", "turtle"), ("application/ld+json", "json-ld"),
                           ("application/rdf+xml", "xml")]:
        graph = rdflib.Graph().parse(data=fetch(url, accept), format=syntax)
        print(name, accept, len(graph), isomorphic(reference, graph))
# The version's files: RDF/XML as the N-Triples written from what was pushed.
files = sys.argv[4]
pushed = rdflib.Graph().parse(data=fetch(files + ".nt", "*/*"), format="nt")
as_xml = rdflib.Graph().parse(data=fetch(files + ".rdf", "*/*"), format="xml")
print("files", len(pushed), isomorphic(pushed, as_xml))
# SPARQL's XML results keep the carriage returns too.
import xml.etree.ElementTree as ET
results = ET.fromstring(fetch(sys.argv[3], "application/sparql-results+xml"))
texts = [e.text for e in results.iter("{http://www.w3.org/2005/sparql-results#}literal")]
print("xml results", "Windows\r\nline ends" in texts)
"#;

#[test]
fn graph_store_and_construct_answers_are_the_stored_graph_too() {
    let server = start(config(None));
    let r = push(&server, "pasti", "text/turtle", DATA.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let graph = "http://data.example/zdroj/datové-sady/pasti";
    let store = format!("{}store?graph={}", server.url(), enc(graph));
    let query = format!("CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}");
    let construct = format!("{}sparql?query={}", server.url(), enc(&query));
    let texts = "SELECT ?o WHERE { ?s <http://example.org/text> ?o }";
    let select = format!("{}sparql?query={}", server.url(), enc(texts));
    let files = format!("{}zdroj/datov%C3%A9-sady/pasti", server.url());
    let out = client::python(COMPARE_GRAPHS, &[&store, &construct, &select, &files]);
    assert_eq!(
        out.lines().collect::<Vec<_>>(),
        [
            "n-triples 34",
            "store text/turtle 34 True",
            "store application/ld+json 34 True",
            "store application/rdf+xml 34 True",
            "construct text/turtle 34 True",
            "construct application/ld+json 34 True",
            "construct application/rdf+xml 34 True",
            "files 34 True",
            "xml results True",
        ],
        "{out}"
    );
}

#[test]
fn a_push_says_which_datatypes_the_store_keeps_under_another() {
    let server = start(config(None));
    let data = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
        <http://data.example/zdroj/n> <http://example.org/count> \"5\"^^xsd:int , \"7\"^^xsd:int ;\n\
        <http://example.org/size> \"12\"^^xsd:nonNegativeInteger ;\n\
        <http://example.org/odd> \"many\"^^xsd:int ;\n\
        <http://example.org/plain> 3 .\n";
    let r = push(&server, "čísla", "text/turtle", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let xsd = "http://www.w3.org/2001/XMLSchema#";
    // "many" is no integer: the store keeps it as it came.
    assert_eq!(
        r.json()["retyped"],
        serde_json::json!([
            { "datatype": format!("{xsd}int"), "stored_as": format!("{xsd}integer"), "values": 2 },
            {
                "datatype": format!("{xsd}nonNegativeInteger"),
                "stored_as": format!("{xsd}integer"),
                "values": 1
            },
        ])
    );
    // As said: the view shows the stored datatype, the file keeps the pushed one.
    let view = get(
        &format!("{}zdroj/n", server.url()),
        &[("Accept", "application/n-triples")],
    )
    .text();
    assert!(view.contains(&format!("\"5\"^^<{xsd}integer>")), "{view}");
    assert!(view.contains(&format!("\"many\"^^<{xsd}int>")), "{view}");
    let file = get(
        &format!("{}zdroj/datov%C3%A9-sady/%C4%8D%C3%ADsla.nt", server.url()),
        &[],
    )
    .text();
    assert!(file.contains(&format!("\"5\"^^<{xsd}int>")), "{file}");
    // Data without such values: no `retyped` in the report.
    let plain = push(
        &server,
        "jiná",
        "text/turtle",
        b"<http://data.example/zdroj/p> <http://example.org/q> 1 .",
    );
    assert!(plain.json().get("retyped").is_none(), "{}", plain.text());
}
