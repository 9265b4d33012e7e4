//! A resource with more triples than an RDF view reads on the connection's async worker: the
//! read moves to the blocking pool and the answer is still whole, in every RDF syntax, and the
//! same as when the resource is small.

mod client;

use client::{config, get, parse, push, start};
use oxigraph::io::RdfFormat;

/// More than the 256 quads read inline.
const TRIPLES: usize = 1000;

#[test]
fn a_resource_with_many_triples_answers_whole_in_every_rdf_syntax() {
    let server = start(config(None));
    let mut data = String::new();
    for i in 0..TRIPLES {
        data += &format!("<http://data.example/zdroj/big> <http://example.org/p> \"{i}\" .\n");
    }
    data += "<http://data.example/zdroj/small> <http://example.org/p> \"0\" .\n";
    // A resource whose own IRI ends in a format suffix.
    data += "<http://data.example/zdroj/notes.ttl> <http://example.org/p> \"n\" .\n";
    assert_eq!(
        push(&server, "big", "text/turtle", data.as_bytes()).status,
        201
    );
    let syntaxes = [
        ("text/turtle", RdfFormat::Turtle),
        ("application/n-triples", RdfFormat::NTriples),
        ("application/rdf+xml", RdfFormat::RdfXml),
        (
            "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"",
            RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ];
    for (accept, format) in syntaxes {
        let big = get(&format!("{}zdroj/big", server.url()), &[("Accept", accept)]);
        assert_eq!(big.status, 200, "{accept}: {}", big.text());
        assert_eq!(parse(&big.body, format).len(), TRIPLES, "{accept}");
        // Asked again: the same answer, from the cache.
        let again = get(&format!("{}zdroj/big", server.url()), &[("Accept", accept)]);
        assert_eq!(again.header("x-cache"), Some("HIT"), "{accept}");
        assert_eq!(again.body, big.body, "{accept}");
        let small = get(
            &format!("{}zdroj/small", server.url()),
            &[("Accept", accept)],
        );
        assert_eq!(parse(&small.body, format).len(), 1, "{accept}");
    }
    // A suffix names the syntax as well.
    let suffixed = get(&format!("{}zdroj/big.nt", server.url()), &[]);
    assert_eq!(parse(&suffixed.body, RdfFormat::NTriples).len(), TRIPLES);
    // `<…>.ttl` that is itself a resource: a browser gets its page, read on the blocking pool
    // although the suffix names an RDF syntax; a client without Accept gets Turtle.
    let notes = format!("{}zdroj/notes.ttl", server.url());
    let page = get(&notes, &[("Accept", "text/html")]);
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let turtle = get(&notes, &[]);
    assert!(turtle
        .header("content-type")
        .unwrap()
        .starts_with("text/turtle"));
    assert_eq!(parse(&turtle.body, RdfFormat::Turtle).len(), 1);
    // Unknown resources still get a 404 on either path.
    assert_eq!(
        get(
            &format!("{}zdroj/none", server.url()),
            &[("Accept", "text/turtle")]
        )
        .status,
        404
    );
}
