//! The SPARQL 1.1 Protocol endpoint through real HTTP (curl): what the default and named graphs
//! are, the private graph out of reach, every result format, the three ways to send a query,
//! errors with position, the service description, and queries stopped at the deadline.

mod client;

use client::{config, get, gunzip, push, request, start, url_of};

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

fn select(server: &datafond::serve::Running, query: &str, extra: &str) -> serde_json::Value {
    let url = format!("{}sparql?query={}{extra}", server.url(), enc(query));
    let r = get(&url, &[("Accept", "application/sparql-results+json")]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(
        r.header("content-type"),
        Some("application/sparql-results+json")
    );
    r.json()
}

fn values(json: &serde_json::Value, var: &str) -> Vec<String> {
    let mut out: Vec<String> = json["results"]["bindings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|b| b[var]["value"].as_str().map(str::to_owned))
        .collect();
    out.sort();
    out
}

const V1: &str = "<http://data.example/zdroj/a> <http://example.org/p> \"one\" .\n";
const V2: &str = "<http://data.example/zdroj/a> <http://example.org/p> \"two\" .\n";

#[test]
fn default_graph_is_current_versions_and_versions_are_named_graphs() {
    let server = start(config(None));
    let first = push(&server, "věci", "application/n-triples", V1.as_bytes()).json();
    let second = push(&server, "věci", "application/n-triples", V2.as_bytes()).json();
    let other = "<http://data.example/zdroj/b> <http://example.org/p> \"b\" .\n";
    let third = push(&server, "jiné", "application/n-triples", other.as_bytes()).json();
    let q = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }";
    assert_eq!(values(&select(&server, q, ""), "o"), ["b", "two"]);
    // The first version by its graph name.
    let v1 = first["version"].as_str().unwrap();
    let named = format!("SELECT ?o WHERE {{ GRAPH <{v1}> {{ ?s ?p ?o }} }}");
    assert_eq!(values(&select(&server, &named, ""), "o"), ["one"]);
    // Every graph is a version; the private graph of version records is not among them.
    let graphs = select(
        &server,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
        "",
    );
    let mut versions: Vec<String> = [&first, &second, &third]
        .iter()
        .map(|r| r["version"].as_str().unwrap().to_owned())
        .collect();
    versions.sort();
    assert_eq!(values(&graphs, "g"), versions);
    // Asking for the private graph by name, in the query or the protocol, finds nothing.
    let private = datafond::store::registry::PRIVATE_GRAPH.as_str();
    for (query, extra) in [
        (
            format!("SELECT * WHERE {{ GRAPH <{private}> {{ ?s ?p ?o }} }}"),
            String::new(),
        ),
        (
            format!("SELECT * FROM <{private}> WHERE {{ ?s ?p ?o }}"),
            String::new(),
        ),
        (
            "SELECT * WHERE { ?s ?p ?o }".into(),
            format!("&default-graph-uri={}", enc(private)),
        ),
        (
            "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }".into(),
            format!("&named-graph-uri={}", enc(private)),
        ),
    ] {
        let json = select(&server, &query, &extra);
        assert_eq!(
            json["results"]["bindings"].as_array().unwrap().len(),
            0,
            "{query} {extra}"
        );
    }
    // The protocol's default-graph-uri picks one version.
    let json = select(&server, q, &format!("&default-graph-uri={}", enc(v1)));
    assert_eq!(values(&json, "o"), ["one"]);
}

#[test]
fn select_star_answers_columns_in_the_order_the_query_names_them() {
    let server = start(config(None));
    push(&server, "věci", "application/n-triples", V1.as_bytes());
    let q = "SELECT * WHERE { ?s ?p ?o }";
    assert_eq!(
        select(&server, q, "")["head"]["vars"],
        serde_json::json!(["s", "p", "o"])
    );
    let url = format!("{}sparql?query={}", server.url(), enc(q));
    let csv = get(&url, &[("Accept", "text/csv")]).text();
    assert!(csv.starts_with("s,p,o\r\n"), "{csv}");
    // An explicit projection keeps its own order.
    let q = "SELECT ?o ?s WHERE { ?s ?p ?o }";
    assert_eq!(
        select(&server, q, "")["head"]["vars"],
        serde_json::json!(["o", "s"])
    );
}

#[test]
fn a_dataset_iri_names_its_current_content() {
    let server = start(config(None));
    push(&server, "věci", "application/n-triples", V1.as_bytes());
    let second = push(&server, "věci", "application/n-triples", V2.as_bytes()).json();
    let other = "<http://data.example/zdroj/b> <http://example.org/p> \"b\" .\n";
    push(&server, "jiné", "application/n-triples", other.as_bytes());
    let dataset = second["dataset_iri"].as_str().unwrap();
    let q = "SELECT ?o WHERE { ?s <http://example.org/p> ?o }";
    let in_graph = format!("SELECT ?o WHERE {{ GRAPH <{dataset}> {{ ?s ?p ?o }} }}");
    assert_eq!(values(&select(&server, &in_graph, ""), "o"), ["two"]);
    let nested = format!(
        "SELECT ?o WHERE {{ ?s ?p ?o FILTER EXISTS {{ GRAPH <{dataset}> {{ ?s ?p ?o }} }} }}"
    );
    assert_eq!(values(&select(&server, &nested, ""), "o"), ["two"]);
    let from = format!("SELECT ?o FROM <{dataset}> WHERE {{ ?s ?p ?o }}");
    assert_eq!(values(&select(&server, &from, ""), "o"), ["two"]);
    let protocol = format!("&default-graph-uri={}", enc(dataset));
    assert_eq!(values(&select(&server, q, &protocol), "o"), ["two"]);
    let named = format!("&named-graph-uri={}", enc(dataset));
    let any_graph = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }";
    assert_eq!(values(&select(&server, any_graph, &named), "o"), ["two"]);
    // The dataset's own IRI dereferences to its description, which names the graph.
    let page = get(&url_of(&server, dataset), &[("Accept", "text/turtle")]);
    assert_eq!(page.status, 200, "{}", page.text());
    let text = page.text();
    assert!(
        text.contains("void#Dataset") || text.contains("void:Dataset"),
        "{text}"
    );
    assert!(
        text.contains(&format!("the named graph <{dataset}>")),
        "{text}"
    );
    let html = get(&url_of(&server, dataset), &[("Accept", "text/html")]).text();
    assert!(html.contains("verze/2"), "{html}");
}

#[test]
fn formats_methods_errors_and_the_service_description() {
    let server = start(config(None));
    push(&server, "věci", "application/n-triples", V2.as_bytes());
    let q = "SELECT ?o WHERE { ?s ?p ?o }";
    let url = |q: &str| format!("{}sparql?query={}", server.url(), enc(q));
    for (accept, starts) in [
        ("application/sparql-results+xml", "<?xml"),
        ("text/csv", "o\r\ntwo"),
        ("text/tab-separated-values", "?o\n\"two\""),
    ] {
        let r = get(&url(q), &[("Accept", accept)]);
        assert_eq!(r.status, 200);
        assert!(r.text().starts_with(starts), "{accept}: {}", r.text());
        assert_eq!(r.header("vary"), Some("Accept"));
    }
    let ask = get(&url("ASK { ?s ?p \"two\" }"), &[]).json();
    assert_eq!(ask["boolean"], true);
    let construct = "CONSTRUCT { ?s <http://example.org/q> ?o } WHERE { ?s ?p ?o }";
    let ttl = get(&url(construct), &[("Accept", "text/turtle")]);
    assert!(ttl
        .header("content-type")
        .unwrap()
        .starts_with("text/turtle"));
    assert!(
        ttl.text().contains("<http://example.org/q> \"two\""),
        "{}",
        ttl.text()
    );
    let nt = get(
        &format!("{}&format=nt", url(construct)),
        &[("Accept", "text/html")],
    );
    assert!(nt
        .header("content-type")
        .unwrap()
        .starts_with("application/n-triples"));
    assert_eq!(get(&url(q), &[("Accept", "image/png")]).status, 406);
    // text/plain gets a graph as N-Triples (as Jena and Virtuoso answer it), solutions nothing.
    let plain = get(&url(construct), &[("Accept", "text/plain")]);
    assert!(plain
        .header("content-type")
        .unwrap()
        .starts_with("application/n-triples"));
    assert_eq!(get(&url(q), &[("Accept", "text/plain")]).status, 406);
    // The query page offers the norms' example queries besides the built-in ones.
    let page = get(
        &format!("{}sparql", server.url()),
        &[("Accept", "text/html")],
    )
    .text();
    assert!(
        page.contains(">Classes of the published vocabularies</a>") && page.contains(">Labels</a>"),
        "{page}"
    );
    // In Czech for a Czech reader: the page's words, the built-in examples, the answer's size.
    let czech = [("Accept", "text/html"), ("Accept-Language", "cs")];
    let page = get(&url(q), &czech).text();
    assert!(page.contains("<html lang=\"cs\">") && page.contains("<h1>Dotaz SPARQL</h1>"));
    assert!(
        page.contains(">Názvy</a>") && page.contains("<p>Řádků: "),
        "{page}"
    );
    // POST as a form and as a query body.
    let sparql = format!("{}sparql", server.url());
    let form = format!("query={}", enc(q));
    let r = request(
        "POST",
        &sparql,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Accept", "application/json"),
        ],
        Some(form.as_bytes()),
    );
    assert_eq!(values(&r.json(), "o"), ["two"]);
    let r = request(
        "POST",
        &sparql,
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "application/json"),
        ],
        Some(q.as_bytes()),
    );
    assert_eq!(values(&r.json(), "o"), ["two"]);
    let r = request(
        "POST",
        &sparql,
        &[("Content-Type", "text/plain")],
        Some(q.as_bytes()),
    );
    assert_eq!(r.status, 415);
    // A syntax error names where.
    let bad = get(&url("SELECT ?o WHERE { ?s ?p }"), &[]);
    assert_eq!(bad.status, 400);
    assert_eq!(bad.json()["code"], "query-syntax");
    assert!(bad.json()["details"]["cs"]
        .as_str()
        .is_some_and(|d| d.starts_with("chyba syntaxe dotazu") && d.contains("1:")));
    assert!(
        bad.json()["detail"].as_str().unwrap().contains("1:"),
        "{}",
        bad.text()
    );
    // No query: the service description.
    let sd = get(&sparql, &[("Accept", "text/turtle")]);
    assert_eq!(sd.status, 200);
    let described = client::parse(&sd.body, oxigraph::io::RdfFormat::Turtle);
    let service = oxigraph::model::NamedNodeRef::new_unchecked(
        "http://www.w3.org/ns/sparql-service-description#Service",
    );
    assert!(
        described
            .iter()
            .any(|t| t.predicate == oxigraph::model::vocab::rdf::TYPE && t.object == service.into()),
        "{}",
        sd.text()
    );
}

#[test]
fn a_query_past_the_deadline_is_stopped_with_503() {
    let mut cfg = config(None);
    cfg.sparql.timeout = 1;
    let server = start(cfg);
    let data: String = (0..3000)
        .map(|i| format!("<http://data.example/zdroj/r{i}> <http://example.org/p> \"{i}\" .\n"))
        .collect();
    let pushed = push(&server, "mnoho", "application/n-triples", data.as_bytes());
    assert_eq!(pushed.status, 201, "{}", pushed.text());
    let q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }";
    let started = std::time::Instant::now();
    let r = get(
        &format!("{}sparql?query={}", server.url(), enc(q)),
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.json()["code"], "query-timeout");
    // Answered at the deadline (2.7e10 solutions would take far longer).
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    // The server still answers.
    assert_eq!(get(&format!("{}health", server.url()), &[]).status, 200);
}

#[test]
fn answers_are_cached_until_a_publish_and_capped() {
    let mut cfg = config(None);
    cfg.sparql.max_rows = 2;
    cfg.sparql.max_request_bytes = 4096;
    let server = start(cfg);
    push(&server, "věci", "application/n-triples", V1.as_bytes());
    let url = format!(
        "{}sparql?query={}",
        server.url(),
        enc("SELECT ?o WHERE { ?s ?p ?o }")
    );
    let json = [("Accept", "application/json")];
    let first = get(&url, &json);
    assert_eq!(first.header("x-datafond-cache"), Some("miss"));
    let again = get(&url, &json);
    assert_eq!(again.header("x-datafond-cache"), Some("hit"));
    assert_eq!(again.body, first.body);
    // A publish changes the answer: never a stale one from the cache.
    push(&server, "věci", "application/n-triples", V2.as_bytes());
    let after = get(&url, &json);
    assert_eq!(after.header("x-datafond-cache"), Some("miss"));
    assert_eq!(values(&after.json(), "o"), ["two"]);
    // More rows than the cap: a clear error, not a cut answer.
    let three = "<http://data.example/zdroj/a> <http://example.org/p> \"1\", \"2\", \"3\" .\n";
    push(&server, "tři", "text/turtle", three.as_bytes());
    let r = get(&url, &json);
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "result-too-large");
    assert!(r.text().contains("LIMIT"));
    // A request over the configured cap, as a body or as a query string, is refused.
    let long = format!("ASK {{ {} }}", "?s ?p ?o . ".repeat(500));
    let r = request(
        "POST",
        &format!("{}sparql", server.url()),
        &[("Content-Type", "application/sparql-query")],
        Some(long.as_bytes()),
    );
    assert_eq!(r.status, 413);
    assert_eq!(r.json()["code"], "request-too-large");
    assert!(r.json()["details"]["cs"]
        .as_str()
        .is_some_and(|d| d.starts_with("požadavek je větší než")));
    let r = get(
        &format!("{}sparql?query={}", server.url(), enc(&long)),
        &json,
    );
    assert_eq!(r.status, 413);
    // Just under the cap is fine.
    let short = format!("ASK {{ {} }}", "?s ?p ?o . ".repeat(100));
    let r = request(
        "POST",
        &format!("{}sparql", server.url()),
        &[("Content-Type", "application/sparql-query")],
        Some(short.as_bytes()),
    );
    assert_eq!(r.status, 200, "{}", r.text());
}

#[test]
fn beyond_the_concurrency_cap_queries_are_told_to_retry() {
    let mut cfg = config(None);
    cfg.sparql.max_concurrent = 1;
    cfg.sparql.timeout = 4;
    let server = start(cfg);
    let data: String = (0..3000)
        .map(|i| format!("<http://data.example/zdroj/r{i}> <http://example.org/p> \"{i}\" .\n"))
        .collect();
    push(&server, "mnoho", "application/n-triples", data.as_bytes());
    let slow = format!(
        "{}sparql?query={}",
        server.url(),
        enc("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    );
    let running = std::thread::spawn(move || get(&slow, &[]).status);
    std::thread::sleep(std::time::Duration::from_millis(700));
    let r = get(
        &format!("{}sparql?query={}", server.url(), enc("ASK {}")),
        &[],
    );
    assert_eq!(r.status, 503, "{}", r.text());
    assert_eq!(r.header("retry-after"), Some("1"));
    assert_eq!(r.json()["code"], "too-many-queries");
    assert_eq!(
        running.join().unwrap(),
        503,
        "the slow one hits its deadline"
    );
    // Once the cancelled evaluation has really stopped, its permit is back.
    let ask = format!("{}sparql?query={}", server.url(), enc("ASK {}"));
    let freed = (0..120).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(500));
        get(&ask, &[]).status == 200
    });
    assert!(freed, "the permit of the stopped query comes back");
}

#[test]
fn void_describes_every_dataset() {
    let server = start(config(None));
    let first = push(&server, "věci", "application/n-triples", V1.as_bytes()).json();
    let second = push(&server, "věci", "application/n-triples", V2.as_bytes()).json();
    let r = get(
        &format!("{}.well-known/void", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let graph: oxigraph::model::Graph =
        oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
            .for_slice(&r.body)
            .map(|q| oxigraph::model::Triple::from(q.unwrap()))
            .collect();
    let text = r.text();
    let dataset = second["dataset_iri"].as_str().unwrap();
    let void = "http://rdfs.org/ns/void#";
    assert!(
        text.contains(&format!(
            "<http://data.example/> <{void}subset> <{dataset}>"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "<{dataset}> <{void}triples> \"1\"^^<http://www.w3.org/2001/XMLSchema#integer>"
        )),
        "{text}"
    );
    assert!(text.contains(&format!(
        "<{dataset}> <{void}sparqlEndpoint> <http://data.example/sparql>"
    )));
    for version in [&first, &second] {
        let v = version["version"].as_str().unwrap();
        assert!(
            text.contains(&format!("<http://purl.org/dc/terms/hasVersion> <{v}>")),
            "{text}"
        );
    }
    assert!(text.contains(&format!("<{void}dataDump>")), "{text}");
    assert!(graph.len() > 8);
}

#[test]
fn results_go_gzipped_to_clients_that_take_it_and_problems_stay_plain() {
    let server = start(config(None));
    let mut data = String::new();
    for i in 0..200 {
        data +=
            &format!("<http://data.example/zdroj/x{i}> <http://example.org/p> \"value {i}\" .\n");
    }
    assert_eq!(
        push(&server, "věci", "application/n-triples", data.as_bytes()).status,
        201
    );
    let query = enc("SELECT ?s ?o WHERE { ?s <http://example.org/p> ?o } ORDER BY ?s");
    let url = format!("{}sparql?query={query}", server.url());
    for accept in ["text/csv", "application/sparql-results+json"] {
        let plain = get(&url, &[("Accept", accept)]);
        assert!(plain.header("content-encoding").is_none());
        let gzipped = get(&url, &[("Accept", accept), ("Accept-Encoding", "gzip")]);
        assert_eq!(gzipped.status, 200);
        assert_eq!(gzipped.header("content-encoding"), Some("gzip"), "{accept}");
        let vary = gzipped.headers.iter().filter(|(n, _)| n == "vary");
        assert!(vary
            .into_iter()
            .any(|(_, v)| v.to_ascii_lowercase().contains("accept-encoding")));
        assert_eq!(gunzip(&gzipped.body), plain.body, "{accept}");
        assert!(gzipped.body.len() < plain.body.len() / 2);
    }
    // A graph of the Graph Store Protocol too.
    let graph = format!("{}store?default", server.url());
    let turtle = get(&graph, &[("Accept", "application/n-triples")]);
    let gzipped = get(
        &graph,
        &[
            ("Accept", "application/n-triples"),
            ("Accept-Encoding", "gzip"),
        ],
    );
    assert_eq!(gzipped.header("content-encoding"), Some("gzip"));
    assert_eq!(gunzip(&gzipped.body), turtle.body);
    // A problem is plain JSON for scripts, and a page for browsers.
    let bad = format!("{}sparql?query={}", server.url(), enc("SELECT WHERE {"));
    let problem = get(&bad, &[("Accept-Encoding", "gzip")]);
    assert_eq!(problem.status, 400);
    assert!(problem.header("content-encoding").is_none());
    assert_eq!(problem.json()["code"], "query-syntax");
    let browser = [
        ("Accept", "text/html,application/xhtml+xml,*/*;q=0.8"),
        ("Accept-Encoding", "gzip, deflate, br"),
    ];
    let missing = get(&format!("{}api/v1/datasets/none", server.url()), &browser);
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("<html"), "{}", missing.text());
    // A browser gets the query page, gzipped, showing the error.
    let page = get(&bad, &browser);
    assert_eq!(page.header("content-encoding"), Some("gzip"));
    let page = String::from_utf8(gunzip(&page.body)).unwrap();
    assert!(
        page.contains("<html") && page.contains("SELECT WHERE {"),
        "{page}"
    );
}
