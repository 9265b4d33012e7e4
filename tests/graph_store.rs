//! The Graph Store Protocol on `/store` with curl: reads are public; PUT, POST and DELETE need a
//! token and publish validated versions; a body that fails to parse changes nothing (the case
//! where Oxigraph's own PUT wipes the graph, oxigraph#1895).

mod client;

use client::{config, get, request, start, TOKEN};

fn enc(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
}

const GRAPH: &str = "http://data.example/zdroj/datové-sady/ukázka";

fn write(
    server: &datafond::serve::Running,
    method: &str,
    body: &str,
    token: bool,
) -> client::Response {
    let url = format!("{}store?graph={}", server.url(), enc(GRAPH));
    let auth = format!("Bearer {TOKEN}");
    let mut headers = vec![("Content-Type", "text/turtle")];
    if token {
        headers.push(("Authorization", &auth));
    }
    request(method, &url, &headers, Some(body.as_bytes()))
}

fn read(server: &datafond::serve::Running, graph: &str) -> client::Response {
    get(
        &format!("{}store?{graph}", server.url()),
        &[("Accept", "application/n-triples")],
    )
}

#[test]
fn put_post_delete_publish_versions_and_bad_bodies_change_nothing() {
    let server = start(config(None));
    let graph = format!("graph={}", enc(GRAPH));
    let a = "<http://data.example/zdroj/a> <http://example.org/p> \"a\" .";
    let b = "<http://data.example/zdroj/b> <http://example.org/p> \"b\" .";
    let unauthorized = write(&server, "PUT", a, false);
    assert_eq!(
        unauthorized.status,
        401,
        "{} {:?}",
        unauthorized.text(),
        unauthorized.headers
    );
    assert_eq!(read(&server, &graph).status, 404);
    assert_eq!(write(&server, "PUT", a, true).status, 201, "a new dataset");
    assert_eq!(read(&server, &graph).text().lines().count(), 1);
    // A body that does not parse: 400, and the graph keeps its content.
    let broken = write(&server, "PUT", "<http://data.example/zdroj/x> <p", true);
    assert_eq!(broken.status, 400, "{}", broken.text());
    assert!(read(&server, &graph).text().contains("\"a\""));
    // POST merges, PUT replaces; each is a new version.
    assert_eq!(write(&server, "POST", b, true).status, 204);
    let merged = read(&server, &graph).text();
    assert!(
        merged.contains("\"a\"") && merged.contains("\"b\""),
        "{merged}"
    );
    assert_eq!(write(&server, "PUT", b, true).status, 204);
    let replaced = read(&server, &graph).text();
    assert!(
        !replaced.contains("\"a\"") && replaced.contains("\"b\""),
        "{replaced}"
    );
    let versions = get(&format!("{}api/v1/datasets/ukázka", server.url()), &[]).json();
    let versions = versions["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    // Each version stays readable by its IRI, and cannot be written.
    let first = versions[0]["iri"].as_str().unwrap();
    let old = read(&server, &format!("graph={}", enc(first))).text();
    assert!(old.contains("\"a\"") && !old.contains("\"b\""), "{old}");
    let url = format!("{}store?graph={}", server.url(), enc(first));
    let auth = format!("Bearer {TOKEN}");
    let r = request(
        "PUT",
        &url,
        &[("Content-Type", "text/turtle"), ("Authorization", &auth)],
        Some(b.as_bytes()),
    );
    assert_eq!(r.status, 405);
    // The default graph is every dataset's current content.
    assert!(read(&server, "default").text().contains("\"b\""));
    // DELETE empties the dataset's graph (a new, empty version; history stays).
    let deleted = write(&server, "DELETE", "", true);
    assert_eq!(deleted.status, 204, "{}", deleted.text());
    assert_eq!(read(&server, &graph).text().trim(), "");
    assert!(read(&server, &format!("graph={}", enc(first)))
        .text()
        .contains("\"a\""));
    // Unsupported media type.
    let url = format!("{}store?graph={}", server.url(), enc(GRAPH));
    let r = request(
        "PUT",
        &url,
        &[("Content-Type", "image/png"), ("Authorization", &auth)],
        Some(b"x"),
    );
    assert_eq!(r.status, 415);
    assert_eq!(
        read(&server, "graph=http%3A%2F%2Felsewhere.example%2Fg").status,
        404
    );
}

fn update(server: &datafond::serve::Running, text: &str, form: bool) -> client::Response {
    let url = format!("{}sparql", server.url());
    let auth = format!("Bearer {TOKEN}");
    if form {
        let body = format!("update={}", enc(text));
        let headers = [
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Authorization", auth.as_str()),
        ];
        request("POST", &url, &headers, Some(body.as_bytes()))
    } else {
        let headers = [
            ("Content-Type", "application/sparql-update"),
            ("Authorization", auth.as_str()),
        ];
        request("POST", &url, &headers, Some(text.as_bytes()))
    }
}

#[test]
fn sparql_updates_publish_validated_versions_of_one_dataset() {
    let server = start(config(None));
    let graph = format!("graph={}", enc(GRAPH));
    let a = "<http://data.example/zdroj/a> <http://example.org/p> \"a\" .";
    assert_eq!(write(&server, "PUT", a, true).status, 201);
    let insert = format!(
        "INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://data.example/zdroj/b> <http://example.org/p> \"b\" }} }}"
    );
    let r = update(&server, &insert, false);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.json()["version"].as_str().unwrap().ends_with("/verze/2"),
        "{}",
        r.text()
    );
    let content = read(&server, &graph).text();
    assert!(
        content.contains("\"a\"") && content.contains("\"b\""),
        "{content}"
    );
    // WITH and WHERE see the dataset's content; the form encoding works too.
    let delete = format!("WITH <{GRAPH}> DELETE {{ ?s ?p \"a\" }} WHERE {{ ?s ?p \"a\" }}");
    assert_eq!(update(&server, &delete, true).status, 200);
    let content = read(&server, &graph).text();
    assert!(
        !content.contains("\"a\"") && content.contains("\"b\""),
        "{content}"
    );
    // Refused, changing nothing: the default graph, two datasets, a syntax error, no token.
    for (text, code) in [
        ("INSERT DATA { <http://x.example/s> <http://x.example/p> 1 }".to_owned(), "update-target"),
        (
            format!("INSERT DATA {{ GRAPH <{GRAPH}> {{ <http://x.example/s> <http://x.example/p> 1 }} GRAPH <http://data.example/zdroj/datové-sady/jiná> {{ <http://x.example/s> <http://x.example/p> 2 }} }}"),
            "update-target",
        ),
        ("INSERT DATA { GRAPH".to_owned(), "update-syntax"),
    ] {
        let r = update(&server, &text, false);
        assert_eq!(r.status, 400, "{text}: {}", r.text());
        assert_eq!(r.json()["code"], code, "{}", r.text());
        let czech = r.json()["details"]["cs"].as_str().unwrap_or_default().to_owned();
        let start = match code {
            "update-syntax" => "chyba syntaxe aktualizace",
            _ => "aktualizace nezapisuje jednu datovou sadu",
        };
        assert!(czech.starts_with(start), "{czech}");
    }
    let url = format!("{}sparql", server.url());
    let r = request(
        "POST",
        &url,
        &[("Content-Type", "application/sparql-update")],
        Some(insert.as_bytes()),
    );
    assert_eq!(r.status, 401);
    let versions = get(&format!("{}api/v1/datasets/ukázka", server.url()), &[]).json();
    assert_eq!(versions["versions"].as_array().unwrap().len(), 3);
}

#[test]
fn writes_at_the_dataset_iri_itself_are_direct_graph_identification() {
    let server = start(config(None));
    // The request URL is the graph's (the dataset's) IRI.
    let url = format!("{}zdroj/datové-sady/přímo", server.url());
    let auth = format!("Bearer {TOKEN}");
    let headers = [("Content-Type", "text/turtle"), ("Authorization", &auth)];
    let a = "<http://data.example/zdroj/a> <http://example.org/p> \"a\" .";
    let b = "<http://data.example/zdroj/b> <http://example.org/p> \"b\" .";
    let r = request("PUT", &url, &headers, Some(a.as_bytes()));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        request("POST", &url, &headers, Some(b.as_bytes())).status,
        204
    );
    let graph = format!(
        "graph={}",
        enc("http://data.example/zdroj/datové-sady/přímo")
    );
    let content = read(&server, &graph).text();
    assert!(
        content.contains("\"a\"") && content.contains("\"b\""),
        "{content}"
    );
    // Without a token, or with a body that does not parse: refused, nothing changes.
    let r = request(
        "PUT",
        &url,
        &[("Content-Type", "text/turtle")],
        Some(b.as_bytes()),
    );
    assert_eq!(r.status, 401);
    let r = request("PUT", &url, &headers, Some(b"<x> <y"));
    assert_eq!(r.status, 400);
    assert_eq!(read(&server, &graph).text().lines().count(), 2);
    // A path that is no dataset's IRI takes no writes.
    let elsewhere = format!("{}zdroj/něco", server.url());
    let r = request("PUT", &elsewhere, &headers, Some(a.as_bytes()));
    assert_eq!(r.status, 405);
    assert_eq!(request("DELETE", &url, &headers, None).status, 204);
    assert_eq!(read(&server, &graph).text().trim(), "");
}
