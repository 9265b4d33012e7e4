//! A resource with more triples than an RDF view reads on the connection's async worker: the
//! read moves to the blocking pool and the answer is still whole, in every RDF syntax, and the
//! same as when the resource is small. A resource with more backlinks than are read one by one:
//! they are counted and paged exactly.

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
        data += &format!(
            "<http://data.example/zdroj/big> <http://example.org/p> \"value {i} of many\" .\n"
        );
    }
    // A nested blank node, which the triples' listing follows.
    data += "<http://data.example/zdroj/big> <http://example.org/part> [ <http://example.org/name> \"inner\" ] .\n";
    data += "<http://data.example/zdroj/small> <http://example.org/p> \"0\" .\n";
    // A resource read quad by quad, with more values of a property than a page shows.
    for i in 0..150 {
        data += &format!("<http://data.example/zdroj/mid> <http://example.org/p> \"mid {i}\" .\n");
    }
    // A resource whose own IRI ends in a format suffix.
    data += "<http://data.example/zdroj/notes.ttl> <http://example.org/p> \"n\" .\n";
    assert_eq!(
        push(&server, "big", "text/turtle", data.as_bytes()).status,
        201
    );
    // Another dataset states one of its triples again: still one triple.
    let again = "<http://data.example/zdroj/big> <http://example.org/p> \"value 7 of many\" .\n";
    assert_eq!(
        push(&server, "again", "text/turtle", again.as_bytes()).status,
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
    let big_url = format!("{}zdroj/big", server.url());
    for (accept, format) in syntaxes {
        let big = get(&format!("{}zdroj/big", server.url()), &[("Accept", accept)]);
        assert_eq!(big.status, 200, "{accept}: {}", big.text());
        let graph = parse(&big.body, format);
        assert_eq!(graph.len(), TRIPLES + 2, "{accept}");
        // Parsing merges duplicates: count the N-Triples lines too.
        if accept == "application/n-triples" {
            assert_eq!(big.text().lines().count(), TRIPLES + 2);
            assert!(big.text().contains("\"inner\""));
        }
        // Asked again: the same answer, from the cache.
        let again = get(&format!("{}zdroj/big", server.url()), &[("Accept", accept)]);
        assert_eq!(again.header("x-cache"), Some("HIT"), "{accept}");
        assert_eq!(again.body, big.body, "{accept}");
        assert_eq!(gunzipped(&big_url, accept), big.body, "{accept}");
        let small = get(
            &format!("{}zdroj/small", server.url()),
            &[("Accept", accept)],
        );
        assert_eq!(parse(&small.body, format).len(), 1, "{accept}");
    }
    // Its long table (every value) is larger than 64 KB: gzipped on the blocking pool, the
    // same bytes.
    let table = get(&big_url, &[("Accept", "text/csv")]);
    assert!(table.body.len() > 64 * 1024);
    assert_eq!(table.text().matches(" of many").count(), TRIPLES);
    assert_eq!(gunzipped(&big_url, "text/csv"), table.body);
    // Its page shows the values 100 at a time, with links to the others (the blank node and
    // the short property on every page); the pages together show each value once.
    let mut shown = std::collections::BTreeSet::new();
    for page in 1..=10 {
        let html = get(
            &format!("{big_url}?values={page}"),
            &[("Accept", "text/html")],
        )
        .text();
        // In the page's body (its embedded JSON-LD states the same 100 values).
        let body = &html[html.find("<main").unwrap()..];
        let values: Vec<&str> = body
            .split("value ")
            .skip(1)
            .filter_map(|v| v.split(" of many").next())
            .collect();
        assert_eq!(values.len(), 100, "page {page}");
        shown.extend(values.into_iter().map(str::to_owned));
        assert!(
            html.contains("inner") && html.contains(&format!("page {page} of 10 (1000)")),
            "{body}"
        );
        assert_eq!(
            html.contains(&format!(
                "?values={}#section-properties\" rel=\"next\"",
                page + 1
            )),
            page < 10
        );
        assert_eq!(
            html.contains(&format!(
                "?values={}#section-properties\" rel=\"prev\"",
                page - 1
            )),
            page > 1
        );
    }
    assert_eq!(shown.len(), TRIPLES);
    // Its links keep the page's other pages (here of backlinks) and leave out first pages.
    let html = get(
        &format!("{big_url}?backlinks=2&values=3"),
        &[("Accept", "text/html")],
    )
    .text();
    for (page, rel) in [(4, "next"), (2, "prev")] {
        let link = format!("?values={page}&amp;backlinks=2#section-properties\" rel=\"{rel}\"");
        assert!(html.contains(&link), "{link}");
    }
    let html = get(&format!("{big_url}?values=2"), &[("Accept", "text/html")]).text();
    assert!(html.contains("big?values=1#section-properties\" rel=\"prev\""));
    let mid = format!("{}zdroj/mid", server.url());
    let mut shown = std::collections::BTreeSet::new();
    for (page, count) in [(1, 100), (2, 50)] {
        let html = get(&format!("{mid}?values={page}"), &[("Accept", "text/html")]).text();
        let body = &html[html.find("<main").unwrap()..];
        let values: Vec<&str> = body
            .split(">mid ")
            .skip(1)
            .map(|v| v.split('<').next().unwrap())
            .collect();
        assert_eq!(values.len(), count, "page {page}");
        shown.extend(values.into_iter().map(str::to_owned));
        assert!(body.contains(&format!("page {page} of 2 (150)")), "{body}");
    }
    assert_eq!(shown.len(), 150);
    // A suffix names the syntax as well.
    let suffixed = get(&format!("{}zdroj/big.nt", server.url()), &[]);
    assert_eq!(
        parse(&suffixed.body, RdfFormat::NTriples).len(),
        TRIPLES + 2
    );
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

/// The body of `url` asked gzipped as `accept`, uncompressed.
fn gunzipped(url: &str, accept: &str) -> Vec<u8> {
    let gzipped = get(url, &[("Accept", accept), ("Accept-Encoding", "gzip")]);
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"), "{accept}");
    client::gunzip(&gzipped.body)
}

/// An IRI of the test's base.
fn local(path: &str) -> String {
    format!("<http://data.example/zdroj/{path}>")
}

#[test]
fn a_resource_linked_from_many_has_its_backlinks_counted_and_paged_exactly() {
    // More backlinks than are read quad by quad: the SPARQL evaluator counts and pages them.
    let server = start(config(None));
    let link = |s: &str, p: &str| format!("{s} <{p}> {} .\n", local("hub"));
    let (a, type_, sub) = (
        "http://example.org/a",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2000/01/rdf-schema#subClassOf",
    );
    // The dataset's first version links from resources its second version no longer has.
    let old: String = (0..300)
        .map(|i| link(&local(&format!("old{i}")), a))
        .collect();
    assert_eq!(
        push(&server, "links", "text/turtle", old.as_bytes()).status,
        201
    );
    let mut data = format!(
        "{} <http://www.w3.org/2000/01/rdf-schema#label> \"Hub\" .\n",
        local("hub")
    );
    for i in 0..400 {
        data += &link(&local(&format!("s{i}")), a);
    }
    for i in 0..150 {
        data += &link(&local(&format!("s{i}")), type_);
    }
    for i in 0..10 {
        data += &link(&format!("_:b{i}"), a);
    }
    for i in 0..5 {
        data += &link(&local(&format!("c{i}")), sub);
    }
    assert_eq!(
        push(&server, "links", "text/turtle", data.as_bytes()).status,
        201
    );
    // Another dataset states one of the same triples again: a second link.
    let again = link(&local("s0"), a);
    assert_eq!(
        push(&server, "again", "text/turtle", again.as_bytes()).status,
        201
    );

    let url = format!("{}zdroj/hub", server.url());
    let html = [("Accept", "text/html")];
    let first = get(&url, &html).text();
    assert!(first.contains("Links to this resource (566)"), "{first}");
    assert!(first.contains("Resources of this type: <strong>150</strong>"));
    assert!((0..5).all(|i| first.contains(&format!("zdroj/c{i}\""))));
    let mut items = Vec::new();
    for page in 1..=12 {
        let text = get(&format!("{url}?backlinks={page}"), &html).text();
        let section = text
            .split("id=\"section-backlinks\"")
            .nth(1)
            .expect("a backlinks section");
        let list = section.split("</ul>").next().unwrap();
        let found: Vec<String> = list.split("<li>").skip(1).map(str::to_owned).collect();
        assert_eq!(found.len(), if page < 12 { 50 } else { 16 }, "page {page}");
        items.extend(found);
    }
    let count = |needle: &str| items.iter().filter(|i| i.contains(needle)).count();
    assert_eq!(count("zdroj/old"), 0);
    assert_eq!(count("zdroj/s0\""), 3, "{items:?}");
    assert_eq!(count("zdroj/s399\""), 1);
    assert_eq!(count("zdroj/s149\""), 2);
    assert_eq!(items.iter().filter(|i| i.starts_with("_:")).count(), 10);
    let distinct: std::collections::HashSet<_> = items.iter().collect();
    assert_eq!(
        distinct.len(),
        565,
        "only s0's repeated link is listed twice"
    );
    // Described, the link both datasets state is one triple.
    let s0 = get(
        &format!("{}zdroj/s0", server.url()),
        &[("Accept", "application/n-triples")],
    )
    .text();
    assert_eq!(s0.lines().filter(|l| l.contains(a)).count(), 1, "{s0}");
}

#[test]
fn many_long_views_at_once_all_answer_whole() {
    // More long views at once than there are permits for them (two per core): those beyond
    // wait for a permit and are then answered, none lost, none cut short.
    let server = start(config(None));
    let resources = 6;
    let mut data = String::new();
    for r in 0..resources {
        for i in 0..300 {
            data += &format!(
                "{} <http://example.org/p> \"{i}\" .\n",
                local(&format!("l{r}"))
            );
        }
    }
    assert_eq!(
        push(&server, "long", "text/turtle", data.as_bytes()).status,
        201
    );
    let accepts = [
        "text/turtle",
        "application/n-triples",
        "text/html",
        "text/csv",
    ];
    std::thread::scope(|scope| {
        let asked: Vec<_> = (0..resources)
            .flat_map(|r| accepts.map(|accept| (r, accept)))
            .map(|(r, accept)| {
                let url = format!("{}zdroj/l{r}", server.url());
                scope.spawn(move || (accept, get(&url, &[("Accept", accept)])))
            })
            .collect();
        for answer in asked {
            let (accept, r) = answer.join().expect("a request thread panicked");
            assert_eq!(r.status, 200, "{accept}: {}", r.text());
            assert_eq!(r.header("x-cache"), Some("MISS"), "{accept}");
            // Every value is there (the last one written too), and RDF parses whole.
            assert!(r.text().contains("299"), "{accept}: {}", r.text());
            let syntax = match accept {
                "text/turtle" => Some(RdfFormat::Turtle),
                "application/n-triples" => Some(RdfFormat::NTriples),
                _ => None,
            };
            if let Some(syntax) = syntax {
                assert_eq!(parse(&r.body, syntax).len(), 300, "{accept}");
            }
        }
    });
}
