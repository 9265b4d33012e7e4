//! Vocabularies in the vocabularies folder are published at start and re-published when they
//! change; the demo datasets are published on an empty store only.

mod client;

use client::{config, get, push, start};
use std::time::{Duration, Instant};

const VOCABULARY: &str = "@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<http://data.example/slovník/zvířata> a owl:Ontology ; dcterms:title \"Zvířata\"@cs .
<http://data.example/slovník/zvířata/pojem/pes> a owl:Class ; rdfs:label \"pes\"@cs, \"dog\"@en .
";

fn versions(server: &datafond::serve::Running, id: &str) -> usize {
    let api = get(&format!("{}api/v1/datasets/{id}", server.url()), &[]).json();
    api["versions"].as_array().map_or(0, Vec::len)
}

/// Waits until `done` holds, checking every 200 ms (the watcher polls every 2 s).
fn eventually(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "never happened: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

#[test]
fn vocabularies_publish_at_start_and_on_change() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zvířata.ttl");
    std::fs::write(&file, VOCABULARY).unwrap();
    let mut cfg = config(None);
    cfg.ontologies_dir = dir.path().to_path_buf();
    let server = start(cfg);
    let term = format!("{}slovník/zvířata/pojem/pes", server.url());
    // Published before the server answers its first request.
    let r = get(&term, &[("Accept", "application/n-triples")]);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("\"dog\"@en"));
    assert_eq!(versions(&server, "zvířata"), 1);

    let changed = format!(
        "{VOCABULARY}<http://data.example/slovník/zvířata/pojem/kočka> a owl:Class ; rdfs:label \"kočka\"@cs .\n"
    );
    std::fs::write(&file, changed).unwrap();
    let cat = format!("{}slovník/zvířata/pojem/kočka", server.url());
    eventually("the changed vocabulary is re-published", || {
        get(&cat, &[]).status == 200
    });
    assert_eq!(versions(&server, "zvířata"), 2);

    // A change that breaks the norm is not published; the previous version stays.
    std::fs::write(
        &file,
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<http://data.example/slovník/zvířata/pojem/x> a owl:Class .\n",
    )
    .unwrap();
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(versions(&server, "zvířata"), 2);
    assert_eq!(get(&cat, &[]).status, 200);
}

#[test]
fn demo_datasets_answer_on_an_empty_store_only() {
    let mut cfg = config(None);
    cfg.demo = true;
    let server = start(cfg);
    for path in datafond::demo::EXAMPLE_PATHS {
        let r = get(
            &format!("{}{path}", server.url()),
            &[("Accept", "text/turtle")],
        );
        assert_eq!(r.status, 200, "{path}");
    }
    let brno = get(
        &format!("{}zdroj/obce/582786", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert!(brno.text().contains("\"Brno\"@cs") && brno.text().contains("zdroj/kraje/CZ064"));
    let region = get(
        &format!("{}zdroj/kraje/CZ064", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert!(region.text().contains("\"South Moravian Region\"@en"));
    // The demo code lists: two versions each, pushed as the norm's JSON-LD and CSV.
    for list in ["druhy-dopravy", "způsoby-doručení"] {
        let info = get(&format!("{}api/v1/datasets/{list}", server.url()), &[]).json();
        assert_eq!(info["versions"].as_array().unwrap().len(), 2, "{info}");
    }
    let item = get(
        &format!(
            "{}zdroj/číselníky/způsoby-doručení/položky/PORTAL",
            server.url()
        ),
        &[("Accept", "application/n-triples")],
    );
    assert!(
        item.text().contains("\"Portál občana\"@cs"),
        "{}",
        item.text()
    );
    drop(server);

    // A store that holds data gets no demo datasets.
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(Some(dir.path())));
    let data =
        b"<http://data.example/zdroj/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n";
    assert_eq!(
        push(&server, "mine", "application/n-triples", data).status,
        201
    );
    server.stop();
    let mut cfg = config(Some(dir.path()));
    cfg.demo = true;
    let server = start(cfg);
    assert_eq!(
        get(&format!("{}zdroj/obce/582786", server.url()), &[]).status,
        404
    );
    assert_eq!(versions(&server, "mine"), 1);
}
