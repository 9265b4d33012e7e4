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
    // The first page reads the versions' changesets (on the blocking pool); a second, in
    // Czech, finds them known and reads the resource in four versions on the async worker:
    // both list the same versions.
    for (language, word) in [("en", "version"), ("cs", "verze")] {
        let page = get(
            &format!("{}h/a", server.url()),
            &[("Accept", "text/html"), ("Accept-Language", language)],
        );
        assert_eq!(page.header("x-cache"), Some("MISS"));
        let history = history_of(&page.text());
        for listed in [1, 3, 4, 6] {
            assert!(
                history.contains(&format!("{word} {listed}</a>")),
                "{listed}: {history}"
            );
        }
        for unlisted in [2, 5] {
            assert!(
                !history.contains(&format!("{word} {unlisted}</a>")),
                "{unlisted}: {history}"
            );
        }
        assert!(history.contains("2025") && history.contains("p2") && history.contains("A2"));
    }
    // Two more versions change `b` (its history then reads it in versions 1, 2, 5, 7 and 8,
    // past what a page reads on the async worker): once `a`'s page has read the new
    // changesets, `b`'s page starts on the worker, stops at the bound and is read whole.
    for b in ["B4", "B5"] {
        let body = version("A2", "2025", "p2", b);
        let r = push(&server, "h", "application/n-triples", body.as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let a = get(&format!("{}h/a", server.url()), &[("Accept", "text/html")]);
    assert!(history_of(&a.text()).contains("version 6</a>"));
    let page = get(&format!("{}h/b", server.url()), &[("Accept", "text/html")]).text();
    let history = history_of(&page);
    for listed in [1, 2, 5, 7, 8] {
        assert!(
            history.contains(&format!("version {listed}</a>")),
            "{listed}: {history}"
        );
    }
    assert!(!history.contains("version 3</a>"), "{history}");
}

/// The history section of a page.
fn history_of(page: &str) -> String {
    let start = page
        .find("<section aria-labelledby=\"section-history\">")
        .expect("a history");
    page[start..].split("</section>").next().unwrap().to_owned()
}

/// A part with a label of its own is a thing of its own, as on pages: a version that changes
/// only it is not in its owner's history.
#[test]
fn a_labelled_parts_changes_are_not_its_owners() {
    let server = start(config(None));
    let version = |name: &str, value: &str| {
        format!(
            "<http://data.example/h/c> <http://www.w3.org/2000/01/rdf-schema#label> \"C\" .\n\
             <http://data.example/h/c> <http://example.org/part> <http://data.example/h/c/named> .\n\
             <http://data.example/h/c/named> <http://www.w3.org/2000/01/rdf-schema#label> \"{name}\" .\n\
             <http://data.example/h/c> <http://example.org/part> <http://data.example/h/c/plain> .\n\
             <http://data.example/h/c/plain> <http://example.org/value> \"{value}\" .\n"
        )
    };
    for body in [
        version("N1", "v1"),
        version("N2", "v1"),
        version("N2", "v2"),
    ] {
        let r = push(&server, "h", "application/n-triples", body.as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    }
    let page = get(&format!("{}h/c", server.url()), &[("Accept", "text/html")]).text();
    let history = history_of(&page);
    assert!(
        history.contains("version 1</a>") && history.contains("version 3</a>"),
        "{history}"
    );
    assert!(!history.contains("version 2</a>"), "{history}");
}
