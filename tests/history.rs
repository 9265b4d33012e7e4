//! A resource's history on its page, through real HTTP: the versions that changed it are
//! listed, others not, whether the change is to its own triples, to a blank node it leads to
//! or to one of its parts (`<item>/part`), while another resource of the dataset changes in
//! the versions between.

mod client;

use client::{config, get, push, start};

/// Version `n` of the dataset: `a` with a blank-node value and a part, `b` beside it.
fn version(label: &str, end: &str, part: &str, b: &str) -> String {
    format!(
        "<http://data.example/h/a> <http://www.w3.org/2000/01/rdf-schema#label> \"{label}\" .\n\
         <http://data.example/h/a> <http://example.org/validity> _:v .\n\
         _:v <http://example.org/end> \"{end}\" .\n\
         <http://data.example/h/a> <http://example.org/part> <http://data.example/h/a/part> .\n\
         <http://data.example/h/a/part> <http://example.org/value> \"{part}\" .\n\
         <http://data.example/h/b> <http://www.w3.org/2000/01/rdf-schema#label> \"{b}\" .\n"
    )
}

#[test]
fn a_history_lists_exactly_the_versions_that_changed_the_resource() {
    let server = start(config(None));
    let versions = [
        version("A", "2024", "p1", "B"),
        version("A", "2024", "p1", "B2"),  // 2: only b
        version("A", "2025", "p1", "B2"),  // 3: the blank node
        version("A", "2025", "p2", "B2"),  // 4: the part
        version("A", "2025", "p2", "B3"),  // 5: only b
        version("A2", "2025", "p2", "B3"), // 6: its label
    ];
    for body in &versions {
        let r = push(&server, "h", "application/n-triples", body.as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let page = get(&format!("{}h/a", server.url()), &[("Accept", "text/html")]).text();
    let start = page
        .find("<section aria-labelledby=\"section-history\">")
        .expect("a history");
    let history = page[start..].split("</section>").next().unwrap();
    for listed in [1, 3, 4, 6] {
        assert!(
            history.contains(&format!("version {listed}</a>")),
            "{listed}: {history}"
        );
    }
    for unlisted in [2, 5] {
        assert!(
            !history.contains(&format!("version {unlisted}</a>")),
            "{unlisted}: {history}"
        );
    }
    assert!(history.contains("2025") && history.contains("p2") && history.contains("A2"));
}
