//! RDF/XML writes a property as an XML element name, so a property whose IRI ends in no XML
//! name (`…/123`, `…/`) cannot be written (Oxigraph 0.5's writer makes malformed XML of it):
//! such content is never sent as malformed RDF/XML — a client asking for RDF/XML gets another
//! RDF syntax it takes, or 406 saying why; the version has no RDF/XML file.

mod client;

use client::things::PROTEGE;
use client::{config, get, push, run, start};

const DATA: &str = "<http://data.example/zdroj/x> <http://example.org/123> \"číslo\" ;\n\
    <http://example.org/name> \"x\" .\n\
    <http://data.example/zdroj/y> <http://example.org/name> \"y\" .\n";

#[test]
fn what_rdfxml_cannot_write_is_never_sent_as_malformed_xml() {
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(Some(dir.path())));
    let r = push(&server, "čísla", "text/turtle", DATA.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let files: Vec<String> = r.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap().to_owned())
        .collect();
    assert!(files.contains(&"ttl".to_owned()), "{files:?}");
    assert!(
        !files.contains(&"rdf".to_owned()),
        "no RDF/XML file: {files:?}"
    );
    let x = format!("{}zdroj/x", server.url());
    // Protégé prefers RDF/XML, then `text/plain` (N-Triples' old type) to anything else.
    let protege = get(&x, &[("Accept", PROTEGE)]);
    assert_eq!(protege.status, 200);
    let n_triples = "application/n-triples";
    assert!(protege
        .header("content-type")
        .unwrap()
        .starts_with(n_triples));
    assert!(protege.text().contains("číslo"));
    // Asked for RDF/XML only, or explicitly: 406 naming the property and what is available.
    for (url, accept) in [
        (x.clone(), "application/rdf+xml"),
        (format!("{x}.rdf"), "*/*"),
        (format!("{x}?format=rdf"), "*/*"),
    ] {
        let refused = get(&url, &[("Accept", accept)]);
        assert_eq!(refused.status, 406, "{url}: {}", refused.text());
        let detail = refused.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains("<http://example.org/123>"), "{detail}");
        assert!(
            !refused.text().contains("\"application/rdf+xml\""),
            "{}",
            refused.text()
        );
    }
    // Its page and its `Link` header do not offer RDF/XML.
    let page = get(&x, &[("Accept", "text/html")]);
    assert!(
        !page.text().contains("type=\"application/rdf+xml\""),
        "{}",
        page.text()
    );
    assert!(page.text().contains("type=\"text/turtle\""));
    assert!(!protege.header("link").unwrap().contains("rdf+xml"));
    // Another resource of the same data is written as ever, and parses.
    let y = get(&format!("{}zdroj/y", server.url()), &[("Accept", PROTEGE)]);
    assert!(y
        .header("content-type")
        .unwrap()
        .starts_with("application/rdf+xml"));
    let graph = client::parse(&y.body, oxigraph::io::RdfFormat::RdfXml);
    assert_eq!(graph.len(), 1);
    // The Graph Store refuses it too; the export command says why.
    let graph = "http://data.example/zdroj/datov%C3%A9-sady/%C4%8D%C3%ADsla";
    let store = get(
        &format!("{}store?graph={graph}", server.url()),
        &[("Accept", "application/rdf+xml")],
    );
    assert_eq!(store.status, 406, "{}", store.text());
    // A SPARQL graph answer likewise.
    let construct = "CONSTRUCT WHERE { ?s ?p ?o }";
    let query = format!(
        "{}sparql?query={}",
        server.url(),
        percent_encoding::utf8_percent_encode(construct, percent_encoding::NON_ALPHANUMERIC)
    );
    let refused = get(&query, &[("Accept", "application/rdf+xml")]);
    assert_eq!(refused.status, 406, "{}", refused.text());
    assert!(refused.text().contains("<http://example.org/123>"));
    assert_eq!(get(&query, &[("Accept", "text/turtle")]).status, 200);
    drop(server);
    let data_dir = dir.path().to_str().unwrap();
    let (code, _, stderr) = run(&["export", "--data-dir", data_dir, "čísla", "--format", "rdf"]);
    assert_ne!(code, 0);
    assert!(stderr.contains("<http://example.org/123>"), "{stderr}");
}
