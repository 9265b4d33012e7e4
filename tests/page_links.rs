//! Where a page's links lead: a backlink from a blank node names the resource it hangs from; a
//! local IRI holding a `?` is linked by a path that names it.

mod client;

use client::{config, get, push, start};

/// A backlink from a blank node (an address linking a town) names the resource the blank node
/// hangs from and the way from it, not the blank node.
#[test]
fn a_backlink_from_a_blank_node_names_the_resource_it_hangs_from() {
    let server = start(config(None));
    let data = "@prefix ex: <http://example.org/> .\n\
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
        <http://data.example/zdroj/firma> rdfs:label \"Firm\"@en ; \
          ex:seat [ ex:address [ ex:town <http://data.example/zdroj/obec> ] ] .\n\
        <http://data.example/zdroj/obec> rdfs:label \"Town\"@en .\n\
        ex:seat rdfs:label \"seat\"@en .\n";
    let r = push(&server, "firmy", "text/turtle", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let page = get(
        &format!("{}zdroj/obec", server.url()),
        &[("Accept", "text/html")],
    )
    .text();
    let backlinks = &page[page.find("id=\"section-backlinks\"").unwrap()..];
    let item = &backlinks[backlinks.find("<li>").unwrap()..backlinks.find("</li>").unwrap()];
    assert!(
        item.starts_with("<li><a href=\"/zdroj/firma\"")
            && item.contains(">Firm</a> — <a")
            && item.contains(">seat</a> › <a")
            && item.contains(">http://example.org/address</a> › <a")
            && item.ends_with(">http://example.org/town</a>"),
        "{item}"
    );
    // A full page of them (more owners than are followed on a connection's worker) all named.
    let firms: String = (0..60)
        .map(|i| {
            format!(
                "<http://data.example/zdroj/f{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"F{i}\" ; \
                 <http://example.org/seat> [ <http://example.org/town> <http://data.example/zdroj/obec2> ] .\n"
            )
        })
        .collect();
    assert_eq!(
        push(&server, "mnoho", "text/turtle", firms.as_bytes()).status,
        201
    );
    let page = get(
        &format!("{}zdroj/obec2", server.url()),
        &[("Accept", "text/html")],
    );
    let page = page.text();
    let backlinks = &page[page.find("id=\"section-backlinks\"").unwrap()..];
    assert_eq!(
        backlinks.matches("<li><a href=\"/zdroj/f").count(),
        50,
        "{backlinks}"
    );
    assert!(!backlinks.contains("_:"), "{backlinks}");
}

/// A local IRI holding a `?` (`…/q?x=1`) is linked by an escaped path (`/zdroj/q%3Fx=1`): as
/// written, the link would name `…/q` with a query.
#[test]
fn links_to_a_local_iri_with_a_question_mark_name_it() {
    let server = start(config(None));
    let data = "<http://data.example/zdroj/q?x=1> <http://www.w3.org/2000/01/rdf-schema#label> \"Q\" .\n\
        <http://data.example/zdroj/odkazy> <http://example.org/to> <http://data.example/zdroj/q?x=1> .\n";
    assert_eq!(
        push(&server, "otazníky", "text/turtle", data.as_bytes()).status,
        201
    );
    let page = get(
        &format!("{}zdroj/odkazy", server.url()),
        &[("Accept", "text/html")],
    )
    .text();
    assert!(page.contains("href=\"/zdroj/q%3Fx=1\""), "{page}");
    let linked = get(
        &format!("{}zdroj/q%3Fx=1", server.url()),
        &[("Accept", "text/html")],
    );
    assert_eq!(linked.status, 200);
    let linked = linked.text();
    assert!(linked.contains("<h1>Q</h1>"), "{linked}");
    assert!(linked.contains("href=\"/zdroj/q%3Fx=1.ttl\""), "{linked}");
    let turtle = get(&format!("{}zdroj/q%3Fx=1.ttl", server.url()), &[]);
    assert!(turtle.text().contains("\"Q\""), "{}", turtle.text());
    // The IRI itself, as sent by a client that has it, names it too (`…/q` names nothing).
    let itself = get(&format!("{}zdroj/q?x=1", server.url()), &[]);
    assert_eq!(itself.status, 200, "{}", itself.text());
    assert!(itself.text().contains("\"Q\""), "{}", itself.text());
    // A query on a path that names something stays its parameters.
    let page = get(&format!("{}zdroj/odkazy?format=nt", server.url()), &[]);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("application/n-triples"));
}
