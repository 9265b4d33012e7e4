//! Versions of code lists through real HTTP: dated versions named by their date, a list dated
//! by its validity, versions dated in the future scheduled (published at their own IRI, current
//! from their day), and an item's history across versions.

mod client;
#[allow(dead_code)]
mod support;

use client::code_lists::{example, item, push_list, server, LIST};
use client::{get, push};

#[test]
fn an_item_page_shows_the_versions_it_changed_in() {
    let server = server();
    let first = format!(
        "{LIST}{}{}",
        item("1", "červená", Some("red")),
        item("2", "modrá", Some("blue"))
    );
    let renamed = first.replace("\"blue\"@en", "\"navy blue\"@en");
    for body in [
        &first,
        &renamed,
        &renamed.replace("\"Barvy\"@cs", "\"Barvy a odstíny\"@cs"),
    ] {
        let r = push_list(&server, "barvy", "list.ttl", body.as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let page = get(
        &format!("{}zdroj/číselníky/barvy/položky/2-modrá", server.url()),
        &[("Accept", "text/html")],
    )
    .text();
    let start = page
        .find("<section aria-labelledby=\"section-history\">")
        .expect("a history");
    let history = page[start..].split("</section>").next().unwrap();
    // Version 2 renamed it; version 3 changed only the list, so it is not listed.
    assert!(
        history.contains("version 2</a>") && history.contains("changed"),
        "{history}"
    );
    assert!(
        history.contains("navy blue") && history.contains("−"),
        "{history}"
    );
    assert!(
        history.contains("version 1</a>") && history.contains("first published"),
        "{history}"
    );
    assert!(!history.contains("version 3</a>"), "{history}");
}

/// Pushes `body` (Turtle) as the version of `barvy` dated `date`.
fn push_dated(server: &datafond::serve::Running, date: &str, body: &str) -> client::Response {
    push(
        server,
        &format!("barvy?norm=ciselniky&version-date={date}"),
        "text/turtle",
        body.as_bytes(),
    )
}

#[test]
fn versions_pushed_with_a_date_are_named_by_it() {
    let server = server();
    let body = format!("{LIST}{}", item("1", "červená", Some("red")));
    let dated = |date: &str, body: &str| push_dated(&server, date, body);
    let r = dated("2024-01-01", &body);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.json()["version"],
        "http://data.example/zdroj/číselníky/barvy/2024-01-01"
    );
    let renamed = body.replace("\"red\"@en", "\"scarlet\"@en");
    // Versions never change, and come in date order; a date is a date.
    for (date, status, code) in [
        ("2024-01-01", 409, "version-order"),
        ("2023-12-31", 409, "version-order"),
        ("2024-13-01", 400, "bad-version-date"),
        ("1.1.2024", 400, "bad-version-date"),
    ] {
        let r = dated(date, &renamed);
        assert_eq!(r.status, status, "{date}: {}", r.text());
        assert_eq!(r.json()["code"], code, "{date}: {}", r.text());
        let czech = r.json()["details"]["cs"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let start = match code {
            "version-order" => "nejnovější verze barvy má datum 2024-01-01",
            _ => "datum verze",
        };
        assert!(czech.starts_with(start), "{czech}");
    }
    let r = dated("2025-01-01", &renamed);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.json()["version"],
        "http://data.example/zdroj/číselníky/barvy/2025-01-01"
    );
    // Each version's IRI dereferences to what it is; its files carry its content; the latest
    // files are the newest version's.
    let version = get(
        &format!("{}zdroj/číselníky/barvy/2024-01-01", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(version.status, 200, "{}", version.text());
    assert!(version.text().contains(
        "http://purl.org/dc/terms/isVersionOf> <http://data.example/zdroj/číselníky/barvy>"
    ));
    assert!(version
        .text()
        .contains("<http://www.w3.org/2000/01/rdf-schema#label> \"verze 2024-01-01\"@cs"));
    // Versions are named on pages: the dataset's lists them by their labels, in the reader's
    // language, and a version's page has its label as title.
    let page = |path: &str, lang: &str| {
        let url = format!("{}zdroj/číselníky/{path}", server.url());
        get(&url, &[("Accept", "text/html"), ("Accept-Language", lang)]).text()
    };
    let list = page("barvy", "cs");
    for date in ["2024-01-01", "2025-01-01"] {
        let link = format!("/zdroj/číselníky/barvy/{date}\" lang=\"cs\">verze {date}</a>");
        assert!(list.contains(&link), "{link}\n{list}");
    }
    let own = page("barvy/2024-01-01", "en");
    assert!(
        own.contains("<h1 lang=\"en\">version 2024-01-01</h1>"),
        "{own}"
    );
    // Its browser title names its dataset too; the dataset's own page only itself.
    assert!(
        own.contains("<title>version 2024-01-01 — Colours</title>"),
        "{own}"
    );
    assert!(page("barvy", "en").contains("<title>Colours</title>"));
    let old = get(
        &format!("{}zdroj/číselníky/barvy/2024-01-01.nt", server.url()),
        &[],
    )
    .text();
    assert!(
        old.contains("\"red\"@en") && !old.contains("scarlet"),
        "{old}"
    );
    let latest = get(&format!("{}zdroj/číselníky/barvy.nt", server.url()), &[]).text();
    assert!(latest.contains("\"scarlet\"@en"), "{latest}");
}

#[test]
fn a_list_pushed_without_a_date_is_dated_by_its_validity() {
    let server = server();
    let list = example("číselník-měn.jsonld");
    let r = push_list(&server, "měny", "x.jsonld", &list);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.json()["version"],
        "http://data.example/zdroj/číselníky/měny/2009-01-01"
    );
    // Changed, but with the same validity: that date is taken, so the push needs its own.
    let changed = String::from_utf8(list)
        .unwrap()
        .replace("bhutanese ngultrum", "Bhutanese ngultrum");
    let r = push_list(&server, "měny", "x.jsonld", changed.as_bytes());
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["code"], "version-order");
    let r = push(
        &server,
        "měny?version-date=2020-01-01",
        "application/ld+json",
        changed.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(
        r.json()["version"],
        "http://data.example/zdroj/číselníky/měny/2020-01-01"
    );
}

#[test]
fn a_version_dated_in_the_future_is_scheduled_not_current() {
    let server = server();
    let body = format!("{LIST}{}", item("1", "červená", Some("red")));
    let dated = |date: &str, body: &str| push_dated(&server, date, body);
    assert_eq!(dated("2024-01-01", &body).status, 201);
    let renamed = body.replace("\"red\"@en", "\"scarlet\"@en");
    let r = dated("2999-01-01", &renamed);
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["status"], "scheduled", "{}", r.text());
    let scheduled = "http://data.example/zdroj/číselníky/barvy/2999-01-01";
    assert_eq!(r.json()["version"], scheduled);
    let url = |path: &str| format!("{}zdroj/číselníky/barvy{path}", server.url());

    // The current version is still the 2024 one: latest files, the dataset graph, the API.
    let latest = get(&url(".nt"), &[]).text();
    assert!(
        latest.contains("\"red\"@en") && !latest.contains("scarlet"),
        "{latest}"
    );
    let api = get(&format!("{}api/v1/datasets/barvy", server.url()), &[]).json();
    assert_eq!(
        api["current"]["iri"],
        "http://data.example/zdroj/číselníky/barvy/2024-01-01"
    );
    assert_eq!(api["scheduled"], serde_json::json!([scheduled]));
    let query = "SELECT ?l WHERE { GRAPH <http://data.example/zdroj/číselníky/barvy> \
                 { ?i <http://www.w3.org/2004/02/skos/core#prefLabel> ?l FILTER(lang(?l) = 'en') } }";
    let answer = client::request(
        "POST",
        &format!("{}sparql", server.url()),
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "text/csv"),
        ],
        Some(query.as_bytes()),
    )
    .text();
    assert!(
        answer.contains("red") && !answer.contains("scarlet"),
        "{answer}"
    );
    // The default graph is the union of current versions: the scheduled one is not in it.
    let default = client::request(
        "POST",
        &format!("{}sparql", server.url()),
        &[
            ("Content-Type", "application/sparql-query"),
            ("Accept", "text/csv"),
        ],
        Some(
            query
                .replace("GRAPH <http://data.example/zdroj/číselníky/barvy> ", "")
                .as_bytes(),
        ),
    )
    .text();
    assert!(
        default.contains("red") && !default.contains("scarlet"),
        "{default}"
    );

    // The scheduled version is published at its own IRI, says when it becomes current, and
    // appears (marked) in an item's history.
    let version = get(&url("/2999-01-01"), &[("Accept", "application/n-triples")]).text();
    assert!(
        version.contains("becomes the dataset's current one on 2999-01-01"),
        "{version}"
    );
    let content = get(&url("/2999-01-01.nt"), &[]).text();
    assert!(content.contains("scarlet"), "{content}");
    let page = get(&url("/položky/1-červená"), &[("Accept", "text/html")]).text();
    assert!(
        page.contains("version 2999-01-01</a> <strong>(scheduled"),
        "{page}"
    );

    // The home page and the list of datasets say what comes next.
    let home = get(&server.url(), &[("Accept", "text/html")]).text();
    assert!(
        home.contains("2024-01-01 (next: 2999-01-01, scheduled)"),
        "{home}"
    );
    let listing = get(&format!("{}api/v1/datasets", server.url()), &[]).json();
    let barvy = &listing["datasets"][0];
    assert_eq!(
        barvy["scheduled"],
        serde_json::json!([scheduled]),
        "{listing}"
    );

    // The series stays in date order: no earlier date, and no undated version after it.
    let r = dated("2998-06-01", &body);
    assert_eq!(r.status, 409, "{}", r.text());
    let r = push_list(
        &server,
        "barvy",
        "x.ttl",
        body.replace("červená", "rudá").as_bytes(),
    );
    assert_eq!(r.status, 409, "{}", r.text());
    assert_eq!(r.json()["code"], "version-order");
    assert!(
        r.text().contains("scheduled for 2999-01-01"),
        "{}",
        r.text()
    );
}
