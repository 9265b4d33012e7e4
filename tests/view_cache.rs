//! The view cache through real HTTP: a cached view survives publishes that touch nothing it
//! shows (`X-Cache: HIT`), and is rendered again (`MISS`) as soon as one does — a new version
//! of its own dataset, a new label of an IRI it links to, a new link to it from another
//! dataset — so a cached answer is never stale. Validators: entity tags and dates.

mod client;

use client::{config, get, push, start, url_of};

fn turtle(triples: &str) -> String {
    format!(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         @prefix ex: <http://example.org/> .\n\
         @prefix d: <http://data.example/> .\n{triples}"
    )
}

#[test]
fn views_stay_cached_exactly_until_a_publish_changes_what_they_show() {
    let server = start(config(None));
    let publish = |id: &str, triples: &str| {
        let r = push(&server, id, "text/turtle", turtle(triples).as_bytes());
        assert_eq!(r.status, 201, "{id}: {}", r.text());
    };
    publish("a", "d:a1 rdfs:label \"one\" ; ex:knows d:b1 .");
    publish("b", "d:b1 rdfs:label \"bee\" .");
    publish("c", "d:c1 rdfs:label \"sea\" .");
    let page = url_of(&server, "http://data.example/a1");
    let view = || {
        let r = get(&page, &[("Accept", "text/html")]);
        assert_eq!(r.status, 200, "{}", r.text());
        (r.header("x-cache").unwrap_or_default().to_owned(), r.text())
    };

    let (status, html) = view();
    assert_eq!(status, "MISS");
    assert!(html.contains("bee"), "{html}");
    assert_eq!(view().0, "HIT");

    // Another dataset changes something this page does not show: still cached.
    publish("c", "d:c1 rdfs:label \"sea, renamed\" .");
    assert_eq!(view().0, "HIT");

    // The label of an IRI it links to changes: rendered again, with the new label.
    publish("b", "d:b1 rdfs:label \"bumblebee\" .");
    let (status, html) = view();
    assert_eq!(status, "MISS");
    assert!(html.contains("bumblebee"), "{html}");
    assert_eq!(view().0, "HIT");

    // Another dataset starts linking to it: a new backlink.
    publish(
        "c",
        "d:c1 rdfs:label \"sea, renamed\" . d:c2 ex:knows d:a1 .",
    );
    let (status, html) = view();
    assert_eq!(status, "MISS");
    assert!(html.contains("/c2"), "{html}");

    // A new version of its own dataset (even one leaving the resource as it was: the page
    // names the version).
    publish(
        "a",
        "d:a1 rdfs:label \"one\" ; ex:knows d:b1 . d:a2 rdfs:label \"two\" .",
    );
    let (status, html) = view();
    assert_eq!(status, "MISS");
    assert!(
        html.contains("version <a href=\"/zdroj/datové-sady/a/verze/2.ttl\">2</a>"),
        "{html}"
    );

    // Every representation is cached on its own and follows the same rule.
    let ttl = || {
        let r = get(&page, &[("Accept", "text/turtle")]);
        (r.header("x-cache").unwrap_or_default().to_owned(), r.text())
    };
    assert_eq!(ttl().0, "MISS");
    assert_eq!(ttl().0, "HIT");
    publish("a", "d:a1 rdfs:label \"uno\" ; ex:knows d:b1 .");
    let (status, body) = ttl();
    assert_eq!(status, "MISS");
    assert!(body.contains("uno"), "{body}");

    // Clients whose headers differ but negotiate the same answer share one entry.
    let with = |accept: &str| {
        get(&page, &[("Accept", accept)])
            .header("x-cache")
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(with("text/turtle;q=0.9, application/xml;q=0.1"), "HIT");
    assert_eq!(with("application/ld+json"), "MISS");
    assert_eq!(with("application/ld+json, text/plain;q=0.5"), "HIT");
    let expanded = "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"";
    assert_eq!(with(expanded), "MISS", "expanded JSON-LD is another answer");
}

#[test]
fn dates_and_cache_control_validate_views_and_files() {
    let server = start(config(None));
    let publish = |triples: &str| {
        let r = push(&server, "a", "text/turtle", turtle(triples).as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    };
    publish("d:a1 rdfs:label \"one\" .");
    // A date is sent only once the second of the publish is over.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    let page = url_of(&server, "http://data.example/a1");
    let file = url_of(&server, "http://data.example/zdroj/datové-sady/a.nt");
    for url in [&page, &file] {
        let first = get(url, &[]);
        assert_eq!(first.status, 200, "{}", first.text());
        let date = first.header("last-modified").expect("a date").to_owned();
        let etag = first.header("etag").unwrap().to_owned();
        let since = |date: &str| get(url, &[("If-Modified-Since", date)]);
        let current = since(&date);
        assert_eq!(current.status, 304, "{url}");
        assert!(current.body.is_empty());
        assert_eq!(since("Mon, 01 Jan 2024 00:00:00 GMT").status, 200);
        assert_eq!(since("not a date").status, 200);
        // A tag a proxy weakened still validates; a stale tag wins over a current date.
        let weak = get(url, &[("If-None-Match", &format!("W/{etag}"))]);
        assert_eq!(weak.status, 304, "{url}");
        let both = [("If-None-Match", "\"stale\""), ("If-Modified-Since", &date)];
        assert_eq!(get(url, &both).status, 200);
    }
    // Caches revalidate the page and the latest file every time; a version's file never changes.
    assert_eq!(get(&page, &[]).header("cache-control"), Some("no-cache"));
    assert_eq!(get(&file, &[]).header("cache-control"), Some("no-cache"));
    let version = url_of(
        &server,
        "http://data.example/zdroj/datové-sady/a/verze/1.nt",
    );
    let kept = get(&version, &[]);
    assert_eq!(kept.status, 200);
    assert_eq!(
        kept.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    // A new version is newer than any date a client was given before it.
    let date = get(&page, &[]).header("last-modified").unwrap().to_owned();
    publish("d:a1 rdfs:label \"two\" .");
    let after = get(&page, &[("If-Modified-Since", &date)]);
    assert_eq!(after.status, 200);
    assert!(after.text().contains("two"));
}
