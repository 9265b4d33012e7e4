//! Linked-data views through real HTTP: negotiation, validators, links, CORS, 406, the 303
//! pattern, caching, gzip.

mod client;

use client::things::{server, Canonical, BROWSER, DATA, PROTEGE};
use client::{config, get, parse, push, request, start};
use oxigraph::io::RdfFormat;

#[test]
fn accept_picks_the_representation_with_q_values() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let cases = [
        (None, "text/turtle"),
        (Some(BROWSER), "text/html"),
        (Some(PROTEGE), "application/rdf+xml"),
        (Some("application/ld+json"), "application/ld+json"),
        (Some("application/n-triples"), "application/n-triples"),
        (Some("text/csv"), "text/csv"),
        (
            Some("text/turtle;q=0.4, application/ld+json;q=0.9"),
            "application/ld+json",
        ),
        (Some("*/*"), "text/turtle"),
        (Some("application/*"), "application/ld+json"),
        // JSON and XML clients get the RDF syntax built on what they parse (RFC 6839).
        (Some("application/json"), "application/ld+json"),
        (Some("application/xml"), "application/rdf+xml"),
        // Old tools ask N-Triples as text/plain (as Jena and Virtuoso answer it).
        (Some("text/plain"), "application/n-triples"),
        (Some("text/rdf+n3"), "text/turtle"),
    ];
    for (accept, expected) in cases {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let r = get(&url, &headers);
        assert_eq!(r.status, 200, "{accept:?}");
        let ct = r.header("content-type").unwrap();
        assert_eq!(ct, format!("{expected}; charset=utf-8"), "{accept:?}");
        assert!(r.header("vary").unwrap().contains("Accept"), "{accept:?}");
    }
    // Turtle declares the prefixes it uses (numbered for other vocabularies), no others.
    let text = get(&url, &[("Accept", "text/turtle")]).text();
    assert!(
        text.contains("@prefix ns1: <http://example.org/> ."),
        "{text}"
    );
    assert!(
        text.contains("ns1:links <http://data.example/zdroj/b>"),
        "{text}"
    );
    assert!(
        text.contains("@prefix skos:") && !text.contains("@prefix foaf:"),
        "{text}"
    );
    // The RDF representations are the same graph.
    let turtle = parse(text.as_bytes(), RdfFormat::Turtle);
    for (accept, format) in [
        (
            "application/ld+json",
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        ),
        ("application/rdf+xml", RdfFormat::RdfXml),
        ("application/n-triples", RdfFormat::NTriples),
    ] {
        let other = parse(&get(&url, &[("Accept", accept)]).body, format);
        assert_eq!(other.len(), turtle.len(), "{accept}");
        assert!(
            oxigraph::model::Dataset::from_iter(
                other
                    .iter()
                    .map(|t| t.in_graph(oxigraph::model::GraphNameRef::DefaultGraph))
            )
            .canonicalize_equal(&turtle),
            "{accept}"
        );
    }
}

#[test]
fn explicit_formats_validators_links_and_406() {
    let server = server();
    let base = format!("{}zdroj/a", server.url());
    for (suffix, media_type) in [
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("html", "text/html"),
        ("csv", "text/csv"),
    ] {
        let by_suffix = get(&format!("{base}.{suffix}"), &[("Accept", "image/png")]);
        assert_eq!(by_suffix.status, 200, "{suffix}");
        assert!(by_suffix
            .header("content-type")
            .unwrap()
            .starts_with(media_type));
        let by_param = get(&format!("{base}?format={suffix}"), &[]);
        assert_eq!(
            by_param.header("content-type"),
            by_suffix.header("content-type")
        );
    }
    let turtle = get(&base, &[("Accept", "text/turtle")]);
    let html = get(&base, &[("Accept", "text/html")]);
    let (etag, html_etag) = (turtle.header("etag").unwrap(), html.header("etag").unwrap());
    assert!(
        etag.starts_with('"') && etag != html_etag,
        "a distinct strong ETag per representation"
    );
    let again = get(&base, &[("Accept", "text/turtle"), ("If-None-Match", etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    // The validator is checked after the variant is chosen: Turtle's ETag does not match HTML.
    assert_eq!(
        get(&base, &[("Accept", "text/html"), ("If-None-Match", etag)]).status,
        200
    );
    assert_eq!(turtle.header("content-location"), Some("/zdroj/a.ttl"));
    let link = turtle.header("link").unwrap();
    for ext in ["html", "jsonld", "nt", "rdf", "csv"] {
        assert!(
            link.contains(&format!("</zdroj/a.{ext}>; rel=\"alternate\"")),
            "{link}"
        );
    }
    assert!(
        link.contains(
            "zdroj/datov%C3%A9-sady/v%C4%9Bci>; rel=\"http://rdfs.org/ns/void#inDataset\""
        ),
        "{link}"
    );
    let head = request("HEAD", &base, &[("Accept", "text/turtle")], None);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("etag"), Some(etag));
    assert_eq!(
        head.header("content-length"),
        turtle.header("content-length")
    );
    // Nothing acceptable: 406 listing every type with its URL.
    let r = get(&base, &[("Accept", "image/png")]);
    assert_eq!(r.status, 406);
    let available = r.json()["available"].as_array().unwrap().clone();
    assert_eq!(available.len(), 6);
    assert!(available
        .iter()
        .any(|a| a["type"] == "text/turtle" && a["url"] == "/zdroj/a.ttl"));
    assert_eq!(r.header("vary"), Some("Accept"));
}

const PEOPLE: &str = r#"@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<http://data.example/zdroj/p1> a ex:Person .
<http://data.example/zdroj/p2> a ex:Person .
<http://data.example/zdroj/p3> a ex:Person, ex:Agent .
<http://data.example/zdroj/o1> a ex:Organisation ; ex:member <http://data.example/zdroj/p1> .
ex:Person rdfs:label "Osoba"@cs, "Person"@en .
"#;

/// The class partitions (`void:class` → `void:entities`) of `subject` in `graph`.
fn partitions(graph: &oxigraph::model::Graph, subject: &str) -> Vec<(String, String)> {
    use oxigraph::model::{NamedNodeRef, NamedOrBlankNodeRef, TermRef};
    let void = |local: &str| format!("http://rdfs.org/ns/void#{local}");
    let (partition, class, entities) = (void("classPartition"), void("class"), void("entities"));
    let subject = NamedNodeRef::new(subject).unwrap();
    let mut out: Vec<(String, String)> = graph
        .objects_for_subject_predicate(subject, NamedNodeRef::new(&partition).unwrap())
        .filter_map(|node| match node {
            TermRef::BlankNode(b) => Some(NamedOrBlankNodeRef::from(b)),
            _ => None,
        })
        .map(|node| {
            let value = |p: &str| {
                let p = NamedNodeRef::new(p).unwrap();
                match graph.object_for_subject_predicate(node, p).unwrap() {
                    TermRef::NamedNode(n) => n.as_str().to_owned(),
                    TermRef::Literal(l) => l.value().to_owned(),
                    other => other.to_string(),
                }
            };
            (value(&class), value(&entities))
        })
        .collect();
    out.sort();
    out
}

/// A dataset's and a version's description say what the data holds: a VoID class partition a
/// class, with how many resources it types (counted at publish), the class named on the page.
#[test]
fn a_datasets_description_counts_the_resources_of_each_class() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "lidé", "text/turtle", PEOPLE.as_bytes()).status,
        201
    );
    let dataset = "http://data.example/zdroj/datové-sady/lidé";
    let expected: Vec<(String, String)> = [("Agent", "1"), ("Organisation", "1"), ("Person", "3")]
        .map(|(c, n)| (format!("http://example.org/{c}"), n.to_owned()))
        .into();
    for iri in [dataset.to_owned(), format!("{dataset}/verze/1")] {
        let url = format!("{}{}", server.url(), &iri["http://data.example/".len()..]);
        let nt = get(&url, &[("Accept", "application/n-triples")]);
        let graph = parse(&nt.body, RdfFormat::NTriples);
        assert_eq!(partitions(&graph, &iri), expected, "{}", nt.text());
    }
    let api = get(&format!("{}api/v1/datasets/lidé", server.url()), &[]).json();
    assert_eq!(
        api["current"]["classes"]["http://example.org/Person"], 3,
        "{api}"
    );
    let page = get(
        &format!("{}zdroj/datové-sady/lidé", server.url()),
        &[("Accept", BROWSER)],
    );
    let page = page.text();
    assert!(page.contains(">Person</a>"), "{page}");
    // In the VoID of every dataset, each keeps its own partitions.
    let more = "<http://data.example/zdroj/p9> a <http://example.org/Person> .";
    assert_eq!(
        push(&server, "další", "text/turtle", more.as_bytes()).status,
        201
    );
    let void = get(
        &format!("{}.well-known/void", server.url()),
        &[("Accept", "application/n-triples")],
    );
    let graph = parse(&void.body, RdfFormat::NTriples);
    assert_eq!(partitions(&graph, dataset), expected);
    let other = "http://data.example/zdroj/datové-sady/další";
    let person = ("http://example.org/Person".to_owned(), "1".to_owned());
    assert_eq!(partitions(&graph, other), [person]);
}

/// A dataset's (and a version's) `<IRI>.ttl` is its data file, not its description: the
/// description's explicit URLs are then `?format=`, in `Content-Location`, `Link` and the
/// page's links, so that each names what it says.
#[test]
fn a_datasets_description_is_not_named_by_its_files_urls() {
    let server = server();
    let dataset = format!("{}zdroj/datové-sady/věci", server.url());
    let path = "/zdroj/datov%C3%A9-sady/v%C4%9Bci";
    let turtle = get(&dataset, &[("Accept", "text/turtle")]);
    assert_eq!(turtle.status, 200);
    let location = format!("{path}?format=ttl");
    assert_eq!(turtle.header("content-location"), Some(location.as_str()));
    let named = get(&format!("{}{}", server.url(), &location[1..]), &[]);
    assert_eq!(named.body, turtle.body, "the named URL gives the same");
    let file = get(&format!("{dataset}.ttl"), &[]);
    assert_ne!(file.body, turtle.body, "the data file is another thing");
    let link = turtle.header("link").unwrap();
    for alternate in [
        "?format=nt",
        "?format=jsonld",
        "?format=rdf",
        ".html",
        ".csv",
    ] {
        assert!(
            link.contains(&format!("<{path}{alternate}>; rel=\"alternate\"")),
            "{alternate}: {link}"
        );
    }
    let page = get(&dataset, &[("Accept", "text/html")]).text();
    assert!(
        page.contains("href=\"/zdroj/datové-sady/věci?format=ttl\" type=\"text/turtle\"")
            && page.contains("<code>?format=ttl</code>")
            && page.contains("href=\"/zdroj/datové-sady/věci.csv\" type=\"text/csv\""),
        "{page}"
    );
    assert!(
        !page.contains("href=\"/zdroj/datové-sady/věci.ttl\" type"),
        "{page}"
    );
    // A version's likewise; any other resource keeps its suffix URLs.
    let version = format!("{dataset}/verze/1");
    let nt = get(&version, &[("Accept", "application/n-triples")]);
    let location = format!("{path}/verze/1?format=nt");
    assert_eq!(nt.header("content-location"), Some(location.as_str()));
    let thing = get(
        &format!("{}zdroj/a", server.url()),
        &[("Accept", "text/turtle")],
    );
    assert_eq!(thing.header("content-location"), Some("/zdroj/a.ttl"));
}

/// IRIs that hold escapes (`%20`: an IRI cannot hold a space; `%2F`: a `/` within a segment)
/// are named on the wire by those escapes, as RFC 3987 maps URIs to IRIs; non-ASCII characters
/// by their UTF-8 escapes. A path is also tried as sent and fully decoded, for an IRI whose
/// publisher escaped a non-ASCII character and a client that escapes what an IRI holds literally.
#[test]
fn iris_holding_escapes_are_reachable() {
    let server = start(config(None));
    let data = "<http://data.example/zdroj/t/a%20b> <http://www.w3.org/2000/01/rdf-schema#label> \"space\" .\n\
        <http://data.example/zdroj/t/c%2Fd> <http://www.w3.org/2000/01/rdf-schema#label> \"slash\" .\n\
        <http://data.example/zdroj/t/e%C3%A9> <http://www.w3.org/2000/01/rdf-schema#label> \"escaped é\" .\n\
        <http://data.example/zdroj/t/eé> <http://www.w3.org/2000/01/rdf-schema#label> \"é\" .\n\
        <http://data.example/zdroj/t/f(g)> <http://www.w3.org/2000/01/rdf-schema#label> \"parens\" .\n\
        <http://data.example/zdroj/t/a%20b> <http://example.org/next> <http://data.example/zdroj/t/c%2Fd> .\n";
    let r = push(&server, "t", "application/n-triples", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    for (path, label) in [
        ("zdroj/t/a%20b", "\"space\""),
        ("zdroj/t/c%2Fd", "\"slash\""),
        ("zdroj/t/e%C3%A9", "\"é\""),
        ("zdroj/t/f(g)", "\"parens\""),
        ("zdroj/t/f%28g%29", "\"parens\""),
    ] {
        let r = get(
            &format!("{}{path}", server.url()),
            &[("Accept", "application/n-triples")],
        );
        assert_eq!(r.status, 200, "{path}");
        assert!(r.text().contains(label), "{path}: {}", r.text());
    }
    // The IRI that holds `%C3%A9` itself is reached as sent, its escapes escaped again.
    let r = get(
        &format!("{}zdroj/t/e%25C3%25A9", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert!(r.text().contains("escaped é"), "{}", r.text());
    // Views name them by their escapes too: links, Content-Location.
    let r = get(
        &format!("{}zdroj/t/a%20b", server.url()),
        &[("Accept", "text/html")],
    );
    assert_eq!(r.header("content-location"), Some("/zdroj/t/a%20b.html"));
    assert!(r.text().contains("href=\"/zdroj/t/c%2Fd\""), "{}", r.text());
}

#[test]
fn cors_on_every_response_and_preflight() {
    let server = server();
    let origin = [("Origin", "https://elsewhere.example")];
    for url in [
        format!("{}zdroj/a", server.url()),
        format!("{}zdroj/nothing", server.url()),
        format!("{}věci/x", server.url()),
        format!("{}api/v1/datasets", server.url()),
    ] {
        let r = get(&url, &origin);
        assert_eq!(r.header("access-control-allow-origin"), Some("*"), "{url}");
        let exposed = r
            .header("access-control-expose-headers")
            .unwrap()
            .to_ascii_lowercase();
        for h in ["link", "etag", "location", "content-location"] {
            assert!(exposed.contains(h), "{url}: {exposed}");
        }
    }
    let preflight = request(
        "OPTIONS",
        &format!("{}zdroj/a", server.url()),
        &[
            ("Origin", "https://elsewhere.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        None,
    );
    assert!(preflight.status < 300);
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));
}

#[test]
fn the_303_pattern_redirects_things_to_negotiating_documents() {
    let server = server();
    let r = get(
        &format!("{}věci/x", server.url()),
        &[("Accept", "text/turtle")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/doc/v%C4%9Bci/x"));
    assert!(r.header("vary").unwrap().contains("Accept"));
    assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    let doc = format!("{}doc/věci/x", server.url());
    let turtle = get(&doc, &[("Accept", "text/turtle")]);
    assert_eq!(turtle.status, 200);
    assert!(turtle.text().contains("http://data.example/věci/x"));
    assert_eq!(
        turtle.header("content-location"),
        Some("/doc/v%C4%9Bci/x.ttl")
    );
    let html = get(&doc, &[("Accept", BROWSER)]);
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    // Elsewhere the default stays 200 at the IRI.
    assert_eq!(get(&format!("{}zdroj/a", server.url()), &[]).status, 200);
}

#[test]
fn cached_views_are_never_stale() {
    let server = server();
    let url = format!("{}zdroj/b", server.url());
    let html = [("Accept", "text/html"), ("Accept-Language", "en")];
    let first = get(&url, &html);
    assert!(first.text().contains("<h1 lang=\"en\">Thing B</h1>"));
    assert_eq!(
        get(&url, &html).body,
        first.body,
        "a repeated request (from the cache)"
    );
    // A publish elsewhere that adds a backlink changes the page.
    let link = "<http://data.example/zdroj/d> <http://example.org/links> <http://data.example/zdroj/b> .\n";
    assert_eq!(
        push(&server, "další", "application/n-triples", link.as_bytes()).status,
        201
    );
    let second = get(&url, &html);
    assert!(first.text().contains("Links to this resource (2)"));
    assert!(second.text().contains("Links to this resource (3)"));
    assert_ne!(second.header("etag"), first.header("etag"));
    // A new version of the resource's own dataset changes its label.
    let renamed = DATA.replace("\"Thing B\"@en", "\"Renamed B\"@en");
    assert_eq!(
        push(&server, "věci", "text/turtle", renamed.as_bytes()).status,
        201
    );
    // (Another dataset still says "Thing B": either may be the title.)
    let after = get(&url, &html).text();
    assert!(after.contains("Renamed B"), "{after}");
}

#[test]
fn pages_too_large_for_the_async_worker_are_answered_whole() {
    // A hub linked from 300 resources and linking to 40 labelled ones: more backlinks and
    // label lookups than a view reads on the connection's worker, so the blocking pool makes it.
    let mut data = String::new();
    for i in 0..300 {
        data += &format!("<http://data.example/zdroj/s{i}> <http://example.org/links> <http://data.example/zdroj/hub> .\n");
    }
    for i in 0..40 {
        data += &format!("<http://data.example/zdroj/hub> <http://example.org/has> <http://data.example/zdroj/t{i}> .\n");
        data += &format!("<http://data.example/zdroj/t{i}> <http://www.w3.org/2000/01/rdf-schema#label> \"Target {i}\" .\n");
    }
    let server = start(config(None));
    assert_eq!(
        push(&server, "hub", "application/n-triples", data.as_bytes()).status,
        201
    );
    let url = format!("{}zdroj/hub", server.url());
    let html = [("Accept", "text/html")];
    let page = get(&url, &html).text();
    assert!(page.contains("Links to this resource (300)"), "{page}");
    assert!((0..40).all(|i| page.contains(&format!(">Target {i}</a>"))));
    let last = get(&format!("{url}?backlinks=6"), &html).text();
    // Paging links land on the backlinks, not the top of the page.
    assert!(
        last.contains("?backlinks=5#section-backlinks\" rel=\"prev\""),
        "{last}"
    );
    assert!(!last.contains("rel=\"next\""));
    // A small page of the same store is answered on the worker, with the same content.
    let small = get(&format!("{}zdroj/t7", server.url()), &html).text();
    assert!(small.contains("<h1>Target 7</h1>") && small.contains("Links to this resource (1)"));
    // As Turtle, the hub is the same graph either way.
    let turtle = get(&url, &[("Accept", "text/turtle")]);
    assert_eq!(parse(&turtle.body, RdfFormat::Turtle).len(), 40);
}

#[test]
fn a_norm_can_choose_the_303_pattern() {
    let dir = tempfile::tempdir().unwrap();
    let norms = dir.path().join("ofn");
    for (id, extra) in [("generic", ""), ("strict", "see_other = true\n")] {
        std::fs::create_dir_all(norms.join(id)).unwrap();
        std::fs::write(
            norms.join(id).join("norm.toml"),
            format!(
                "id = \"{id}\"\nversion = \"1\"\ntitle = {{ en = \"{id}\" }}\nshapes = []\n{extra}\
                 [templates]\ndataset = \"{{base}}zdroj/{{dataset}}\"\nversion = \"{{dataset}}/verze/{{version}}\"\n\
                 item = \"{{dataset}}/položky/{{code}}\"\nfile = \"{{dataset}}.{{ext}}\"\n"
            ),
        )
        .unwrap();
    }
    let mut cfg = config(None);
    cfg.norms_dir = norms;
    let server = start(cfg);
    let thing = |name: &str| {
        format!("<http://data.example/věci/{name}> <http://www.w3.org/2000/01/rdf-schema#label> \"{name}\" .\n")
    };
    assert_eq!(
        push(
            &server,
            "s?norm=strict",
            "application/n-triples",
            thing("s").as_bytes()
        )
        .status,
        201
    );
    assert_eq!(
        push(&server, "g", "application/n-triples", thing("g").as_bytes()).status,
        201
    );
    let strict = get(
        &format!("{}věci/s", server.url()),
        &[("Accept", "text/turtle")],
    );
    assert_eq!(strict.status, 303);
    assert_eq!(strict.header("location"), Some("/doc/v%C4%9Bci/s"));
    assert_eq!(get(&format!("{}doc/věci/s", server.url()), &[]).status, 200);
    assert_eq!(get(&format!("{}věci/s.ttl", server.url()), &[]).status, 200);
    assert_eq!(get(&format!("{}věci/g", server.url()), &[]).status, 200);
}

#[test]
fn views_go_gzipped_to_clients_that_take_it() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let html = [("Accept", "text/html")];
    let plain = get(&url, &html);
    assert!(plain.header("content-encoding").is_none());
    assert!(plain.header("vary").unwrap().contains("Accept-Encoding"));
    // A browser's Accept-Encoding: the same page gzipped, with a tag of its own.
    let taking = [
        ("Accept", "text/html"),
        ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ];
    for _ in 0..2 {
        // Rendered, then from the cache (compressed once, kept with the view).
        let gzipped = get(&url, &taking);
        assert_eq!(gzipped.status, 200);
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
        assert!(gzipped.body.len() < plain.body.len() / 2);
        assert_eq!(client::gunzip(&gzipped.body), plain.body);
        let tag = gzipped.header("etag").unwrap();
        assert_ne!(Some(tag), plain.header("etag"));
        // Each form's tag revalidates that form; HEAD tells the length GET sends.
        let again = [taking[0], taking[1], ("If-None-Match", tag)];
        let not_modified = get(&url, &again);
        assert_eq!(not_modified.status, 304);
        assert!(not_modified.body.is_empty() && not_modified.header("content-encoding").is_none());
        assert_eq!(get(&url, &[html[0], ("If-None-Match", tag)]).status, 200);
        let head = request("HEAD", &url, &taking, None);
        let length = gzipped.body.len().to_string();
        assert_eq!(head.header("content-length"), Some(length.as_str()));
    }
    // Refused gzip, or a body too small to gain: as it is.
    let refused = get(
        &url,
        &[("Accept", "text/html"), ("Accept-Encoding", "gzip;q=0")],
    );
    assert!(refused.header("content-encoding").is_none() && refused.body == plain.body);
    let small = get(
        &format!("{}zdroj/b.nt", server.url()),
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(small.status, 200);
    assert!(small.header("content-encoding").is_none());
}
