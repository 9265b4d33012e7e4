//! Whole datasets in the syntaxes that name graphs (TriG, N-Quads): at a dataset's and a
//! version's IRI (negotiated, `?format=`, suffix) and at `/store`, with curl and rdflib; each
//! graph is named by its version's IRI.

mod client;

use client::things::{Canonical, DATA};
use client::{config, get, gunzip, push, start, Response};
use oxigraph::io::{RdfFormat, RdfParser};
use oxigraph::model::{Dataset, GraphName, GraphNameRef, NamedNode, Quad, QuadRef};

const DATASET: &str = "http://data.example/zdroj/datové-sady/věci";
const MORE: &str = "<http://data.example/zdroj/d> <http://example.org/p> \"d\" .\n";

fn quads(response: &Response, format: RdfFormat) -> Vec<Quad> {
    assert_eq!(response.status, 200, "{}", response.text());
    RdfParser::from_format(format)
        .for_slice(&response.body)
        .map(|q| q.expect("the answer parses"))
        .collect()
}

fn graph_names(quads: &[Quad]) -> Vec<GraphName> {
    let mut names: Vec<GraphName> = quads.iter().map(|q| q.graph_name.clone()).collect();
    names.sort_by_key(|n| n.to_string());
    names.dedup();
    names
}

/// The quads' triples, as one dataset's default graph.
fn unnamed(quads: &[Quad]) -> Dataset {
    quads
        .iter()
        .map(|q| {
            let (s, p, o) = (q.subject.as_ref(), q.predicate.as_ref(), q.object.as_ref());
            QuadRef::new(s, p, o, GraphNameRef::DefaultGraph)
        })
        .collect()
}

fn with_two_versions() -> (datafond::serve::Running, String, String) {
    let server = start(config(None));
    assert_eq!(
        push(&server, "věci", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let more = format!("{DATA}{MORE}");
    assert_eq!(
        push(&server, "věci", "text/turtle", more.as_bytes()).status,
        201
    );
    let v1 = format!("{DATASET}/verze/1");
    let v2 = format!("{DATASET}/verze/2");
    (server, v1, v2)
}

#[test]
fn a_dataset_and_its_versions_come_whole_with_their_graphs_named() {
    let (server, v1, v2) = with_two_versions();
    let url = format!("{}zdroj/datové-sady/věci", server.url());
    let accept = |t: &str| get(&url, &[("Accept", t)]);
    // Negotiated at the dataset's IRI: its current content, named by the current version.
    let nq = accept("application/n-quads");
    assert!(nq
        .header("content-type")
        .unwrap()
        .starts_with("application/n-quads"));
    let current = quads(&nq, RdfFormat::NQuads);
    assert_eq!(
        graph_names(&current),
        [GraphName::from(NamedNode::new(&v2).unwrap())]
    );
    let file = get(&format!("{url}.nt"), &[]);
    let file = client::parse(&file.body, RdfFormat::NTriples);
    assert_eq!(current.len(), file.len());
    assert!(
        unnamed(&current).canonicalize_equal(&file),
        "the quads hold the dataset's current file"
    );
    let trig = accept("text/turtle;q=0.5, application/trig");
    let from_trig = quads(&trig, RdfFormat::TriG);
    let mut a = Dataset::from_iter(from_trig.iter());
    let mut b = Dataset::from_iter(current.iter());
    a.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    b.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
    assert_eq!(a, b, "TriG and N-Quads say the same");
    // Negotiation: the variant's URL, what it varies by, a tag of its own, revalidation.
    assert!(trig.header("content-location").unwrap().ends_with(".trig"));
    assert!(trig.header("vary").unwrap().contains("Accept"));
    assert_eq!(trig.header("cache-control"), Some("no-cache"));
    let (trig_tag, nq_tag) = (trig.header("etag").unwrap(), nq.header("etag").unwrap());
    assert_ne!(trig_tag, nq_tag);
    let again = get(
        &url,
        &[("Accept", "application/trig"), ("If-None-Match", trig_tag)],
    );
    assert_eq!(again.status, 304);
    assert!(trig
        .header("link")
        .unwrap()
        .contains("type=\"application/n-quads\""));
    // Gzipped as it streams, under a tag of its own.
    let gz = get(
        &url,
        &[
            ("Accept", "application/n-quads"),
            ("Accept-Encoding", "gzip"),
        ],
    );
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_ne!(gz.header("etag"), Some(nq_tag));
    assert_eq!(gunzip(&gz.body), nq.body);
    // HEAD: the same answer without a body.
    let head = client::request("HEAD", &url, &[("Accept", "application/n-quads")], None);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("etag"), Some(nq_tag));
    assert!(head.body.is_empty());
    // Turtle preferred: the dataset's description, which lists the quad dumps and links them.
    let described = accept("text/turtle, application/n-quads;q=0.5");
    let text = described.text();
    assert!(text.contains("void:Dataset"), "{text}");
    assert!(
        text.contains("věci.trig>") && text.contains("věci.nq>"),
        "{text}"
    );
    let link = described.header("link").unwrap();
    assert!(
        link.contains(".trig>; rel=\"alternate\"; type=\"application/trig\""),
        "{link}"
    );
    // Its page lists them among its other formats; a resource's page does not.
    let page = accept("text/html").text();
    let trig = "<a href=\"/zdroj/datové-sady/věci.trig\" type=\"application/trig\">TriG</a>";
    assert!(page.contains(trig), "{page}");
    let thing = get(
        &format!("{}zdroj/a", server.url()),
        &[("Accept", "text/html")],
    );
    assert!(
        !thing.text().contains("application/trig"),
        "{}",
        thing.text()
    );
    // Explicit: suffix and `?format=`; an earlier version by its IRI, for ever.
    let by_suffix = get(&format!("{url}.trig"), &[]);
    assert_eq!(quads(&by_suffix, RdfFormat::TriG).len(), current.len());
    assert_eq!(by_suffix.header("vary"), Some("Accept-Encoding"));
    assert_eq!(by_suffix.header("content-location"), None);
    let by_param = get(&format!("{url}?format=nq"), &[]);
    assert_eq!(by_param.body, nq.body);
    let first = get(
        &format!("{}zdroj/datové-sady/věci/verze/1.nq", server.url()),
        &[],
    );
    let first = quads(&first, RdfFormat::NQuads);
    assert_eq!(
        graph_names(&first),
        [GraphName::from(NamedNode::new(&v1).unwrap())]
    );
    assert_eq!(first.len() + 1, current.len());
    assert!(!first.iter().any(|q| q.to_string().contains("\"d\"")));
    let immutable = get(
        &format!("{}zdroj/datové-sady/věci/verze/1.trig", server.url()),
        &[],
    );
    assert!(immutable
        .header("cache-control")
        .unwrap()
        .contains("immutable"));
}

#[test]
fn only_a_whole_dataset_is_offered_in_a_syntax_that_names_graphs() {
    let (server, _, _) = with_two_versions();
    let resource = format!("{}zdroj/a", server.url());
    // A resource has no graphs to name: asked explicitly, 406; negotiated, its other formats.
    let explicit = get(&format!("{resource}?format=trig"), &[]);
    assert_eq!(explicit.status, 406, "{}", explicit.text());
    assert!(explicit.json()["detail"]
        .as_str()
        .unwrap()
        .contains("whole dataset"));
    let negotiated = get(
        &resource,
        &[("Accept", "application/n-quads, text/turtle;q=0.1")],
    );
    assert_eq!(negotiated.status, 200);
    assert!(negotiated
        .header("content-type")
        .unwrap()
        .starts_with("text/turtle"));
    let refused = get(&resource, &[("Accept", "application/n-quads")]);
    assert_eq!(refused.status, 406);
    assert!(
        !refused.text().contains("application/n-quads\""),
        "{}",
        refused.text()
    );
    assert_eq!(get(&format!("{resource}.nq"), &[]).status, 404);
    // A dataset's 406 names them with their URLs.
    let url = format!("{}zdroj/datové-sady/věci", server.url());
    let refused = get(&url, &[("Accept", "image/png")]);
    assert_eq!(refused.status, 406);
    let available = refused.json()["available"].clone();
    let trig = available
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["type"] == "application/trig")
        .expect("TriG is offered");
    assert!(
        trig["url"].as_str().unwrap().ends_with("věci.trig"),
        "{available}"
    );
    // An unknown name is still refused, naming the quad syntaxes among the known.
    let bad = get(&format!("{url}?format=quads"), &[]);
    assert_eq!(bad.status, 400);
    assert!(bad.text().contains("trig, nq"), "{}", bad.text());
}

#[test]
fn the_graph_store_reads_every_dataset_or_one_with_graph_names() {
    let (server, _, v2) = with_two_versions();
    assert_eq!(
        push(&server, "jiné", "application/n-triples", MORE.as_bytes()).status,
        201
    );
    let other = "http://data.example/zdroj/datové-sady/jiné/verze/1";
    let store = format!("{}store", server.url());
    // No graph named: every current version, each its graph; only in a syntax naming graphs.
    let all = get(&store, &[("Accept", "application/n-quads")]);
    let all = quads(&all, RdfFormat::NQuads);
    let named: Vec<GraphName> = [other, v2.as_str()]
        .map(|g| NamedNode::new(g).unwrap().into())
        .into();
    assert_eq!(graph_names(&all), named);
    let trig = get(&store, &[]);
    assert!(trig
        .header("content-type")
        .unwrap()
        .starts_with("application/trig"));
    assert_eq!(quads(&trig, RdfFormat::TriG).len(), all.len());
    assert_eq!(get(&store, &[("Accept", "text/turtle")]).status, 406);
    // One dataset's graph, named by its version; the default graph (the union) unnamed.
    let enc = |s: &str| {
        percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let one = get(
        &format!("{store}?graph={}", enc(DATASET)),
        &[("Accept", "application/trig")],
    );
    let one = quads(&one, RdfFormat::TriG);
    assert_eq!(
        graph_names(&one),
        [GraphName::from(NamedNode::new(&v2).unwrap())]
    );
    let union = get(
        &format!("{store}?default"),
        &[("Accept", "application/n-quads")],
    );
    let union = quads(&union, RdfFormat::NQuads);
    assert_eq!(graph_names(&union), [GraphName::DefaultGraph]);
    assert_eq!(union.len(), all.len());
    // Gzipped by the route's layer as it streams.
    let gz = get(
        &store,
        &[
            ("Accept", "application/n-quads"),
            ("Accept-Encoding", "gzip"),
        ],
    );
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(
        RdfParser::from_format(RdfFormat::NQuads)
            .for_slice(&gunzip(&gz.body))
            .count(),
        all.len()
    );
}

const RDFLIB: &str = r#"
import sys, urllib.parse
import rdflib
from rdflib.compare import isomorphic
url, version = urllib.parse.quote(sys.argv[1], safe=":/"), rdflib.URIRef(sys.argv[2])
trig = rdflib.Dataset()
trig.parse(url, format="trig")
nquads = rdflib.Dataset()
nquads.parse(url + ".nq", format="nquads")
turtle = rdflib.Graph()
turtle.parse(url + ".ttl", format="turtle")
names = sorted(str(g.identifier) for g in trig.graphs() if len(g))
print(names == [str(version)], isomorphic(trig.graph(version), turtle),
      isomorphic(nquads.graph(version), turtle), len(turtle))
"#;

#[test]
fn rdflib_reads_a_dataset_as_trig_and_n_quads() {
    let (server, _, v2) = with_two_versions();
    let url = format!("{}zdroj/datové-sady/věci", server.url());
    let stdout = client::python(RDFLIB, &[&url, &v2]);
    let fields: Vec<&str> = stdout.split_whitespace().collect();
    assert_eq!(fields[..3], ["True", "True", "True"], "{stdout}");
    assert!(fields[3].parse::<usize>().unwrap() > 10, "{stdout}");
}

/// In the 303 pattern, a dataset's IRI redirects whatever is asked, and its document URL
/// negotiates the quads.
#[test]
fn in_the_303_pattern_the_dataset_iri_redirects_and_its_document_negotiates() {
    let mut cfg = config(None);
    cfg.see_other = vec!["zdroj/datové-sady/".into()];
    let server = start(cfg);
    assert_eq!(
        push(&server, "věci", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let url = format!("{}zdroj/datové-sady/věci", server.url());
    let accept = [("Accept", "application/n-quads")];
    let redirect = get(&url, &accept);
    assert_eq!(redirect.status, 303, "{}", redirect.text());
    let location = redirect.header("location").unwrap();
    assert_eq!(location, "/doc/zdroj/datov%C3%A9-sady/v%C4%9Bci");
    assert!(redirect.header("vary").unwrap().contains("Accept"));
    let document = get(&format!("{}{}", server.url(), &location[1..]), &accept);
    let explicit = get(&format!("{url}.nq"), &[]);
    assert_eq!(explicit.status, 200, "explicit URLs answer at once");
    assert_eq!(document.body, explicit.body);
    assert!(quads(&document, RdfFormat::NQuads).len() > 10);
}

/// A whole dataset streamed holds a permit while its client reads: past `max_streams` at once,
/// 503 with `Retry-After` (no queue behind slow downloads); the permit comes back when the
/// client goes.
#[test]
fn streams_past_the_limit_are_asked_to_come_back() {
    use std::io::{Read, Write};
    let mut cfg = config(None);
    cfg.max_streams = 1;
    let server = start(cfg);
    // Larger than the sockets' buffers: the stream waits for a client that reads nothing.
    let padding = "x".repeat(200);
    let big: String = (0..100_000)
        .map(|i| {
            format!("<http://data.example/zdroj/s{i}> <http://example.org/p> \"{i} {padding}\" .\n")
        })
        .collect();
    let r = push(&server, "velká", "application/n-triples", big.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/datové-sady/velká.nq", server.url());
    let address = server
        .url()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut slow = std::net::TcpStream::connect(&address).unwrap();
    let path = "/zdroj/datov%C3%A9-sady/velk%C3%A1.nq";
    write!(slow, "GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n").unwrap();
    let mut head = [0_u8; 12];
    slow.read_exact(&mut head).unwrap();
    assert_eq!(&head, b"HTTP/1.1 200");
    let busy = get(&url, &[]);
    assert_eq!(busy.status, 503, "{}", busy.text());
    assert_eq!(busy.json()["code"], "too-many-streams");
    assert_eq!(busy.header("retry-after"), Some("1"));
    let store = get(&format!("{}store", server.url()), &[]);
    assert_eq!(
        store.status, 503,
        "the Graph Store's reads share the permits"
    );
    // The slow client goes: its permit comes back.
    drop(slow);
    let back = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(50));
        get(&url, &[]).status == 200
    });
    assert!(
        back,
        "the permit of the stream whose client went comes back"
    );
}

/// A dataset whose only version is scheduled has no content to send yet; that version has.
#[test]
fn a_dataset_with_only_a_scheduled_version_has_no_quads_yet() {
    let server = start(config(None));
    let url = format!(
        "{}api/v1/datasets/později?version-date=2999-01-01",
        server.url()
    );
    let auth = format!("Bearer {}", client::TOKEN);
    let headers = [
        ("Content-Type", "text/turtle"),
        ("Authorization", auth.as_str()),
    ];
    let r = client::request("PUT", &url, &headers, Some(DATA.as_bytes()));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["status"], "scheduled");
    let dataset = format!("{}zdroj/datové-sady/později", server.url());
    for url in [format!("{dataset}.nq"), format!("{dataset}?format=trig")] {
        let none = get(&url, &[]);
        assert_eq!(none.status, 404, "{url}: {}", none.text());
        assert_eq!(none.json()["code"], "no-current-version");
    }
    let version = r.json()["version"].as_str().unwrap().to_owned();
    let version = version.replace("http://data.example/", &server.url());
    let scheduled = get(&format!("{version}.nq"), &[]);
    assert!(quads(&scheduled, RdfFormat::NQuads).len() > 5);
}
