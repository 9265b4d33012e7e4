//! Real clients against the real server: Python rdflib dereferences an IRI (with its own
//! `Accept` header) and gets the same graph as our Turtle; headless Chromium renders a resource
//! page whose title is the label and whose hostile literal stays text, and the SPARQL query page
//! with its answer.

mod client;

use client::{config, push, start};
use std::process::Command;

const DATA: &str = r#"@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
<http://data.example/zdroj/r> skos:prefLabel "Zdroj R"@cs, "Resource R"@en ;
  ex:note "<script>document.title='pwned'</script>", "\"><img src=x onerror=alert(1)>" ;
  ex:part [ ex:name "part" ] ;
  ex:form <http://example.org/Inc.> ;
  ex:links <http://data.example/zdroj/s> .
"#;

const RDFLIB: &str = r#"
import sys, urllib.request
import rdflib
from rdflib.compare import isomorphic
url = sys.argv[1]
fetched = rdflib.Graph()
fetched.parse(url)
request = urllib.request.Request(url, headers={"Accept": "text/turtle"})
turtle = rdflib.Graph()
turtle.parse(data=urllib.request.urlopen(request).read(), format="turtle")
print(len(fetched), len(turtle), isomorphic(fetched, turtle))
"#;

#[test]
fn rdflib_dereferences_the_same_graph_as_our_turtle() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "r", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let stdout = client::python(RDFLIB, &[&format!("{}zdroj/r", server.url())]);
    assert_eq!(stdout.trim(), "8 8 True");
}

/// The DOM headless Chromium renders for `url`.
fn chromium_dom(url: &str) -> String {
    let chromium = ["chromium", "chromium-browser"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok())
        .expect("Chromium is installed (Debian package chromium; `make test` installs it)");
    let profile = tempfile::tempdir().unwrap();
    let out = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(["--lang=en-US", "--virtual-time-budget=2000", "--dump-dom"])
        .arg(url)
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        dom.contains("<title>"),
        "no page: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    dom
}

#[test]
fn headless_chromium_shows_the_query_page_with_results_and_errors() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "r", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let enc = |q: &str| {
        percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC).to_string()
    };
    let query = "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?label";
    let dom = chromium_dom(&format!("{}sparql?query={}", server.url(), enc(query)));
    assert!(dom.contains("<title>SPARQL query</title>"), "{dom}");
    // The editor holds the query (a shareable URL), the table the answer with links.
    assert!(dom.contains("ORDER BY ?label</textarea>"), "{dom}");
    assert!(dom.contains("<th scope=\"col\">label</th>"), "{dom}");
    assert!(
        dom.contains("<a href=\"/zdroj/r\">http://data.example/zdroj/r</a>"),
        "{dom}"
    );
    assert!(dom.contains(">Resource R</span>"), "{dom}");
    assert!(dom.contains("format=csv\">csv</a>"), "{dom}");
    assert!(dom.contains(">Classes in use</a>"), "examples: {dom}");
    // A broken query: the page says why, in place.
    let dom = chromium_dom(&format!(
        "{}sparql?query={}",
        server.url(),
        enc("SELECT ?x WHERE {")
    ));
    assert!(dom.contains("class=\"error\" role=\"alert\""), "{dom}");
    // Without a query: the editor with an example.
    let dom = chromium_dom(&format!("{}sparql", server.url()));
    assert!(dom.contains("<textarea"), "{dom}");
}

#[test]
fn headless_chromium_renders_the_page_with_hostile_literals_as_text() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "r", "text/turtle", DATA.as_bytes()).status,
        201
    );
    let dom = chromium_dom(&format!("{}zdroj/r.html", server.url()));
    let title = dom
        .split("<title>")
        .nth(1)
        .unwrap()
        .split("</title>")
        .next()
        .unwrap();
    assert!(
        title == "Zdroj R" || title == "Resource R",
        "the rendered title: {title}"
    );
    // The script literal did not run (it would have changed the title) and is shown as text.
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "{dom}"
    );
    assert!(
        !dom.contains("<img src=\"x\""),
        "an injected element: {dom}"
    );
    assert!(dom.contains("\"&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // A dead link: the browser shows a page saying so, not the problem's JSON.
    let dom = chromium_dom(&format!("{}zdroj/nowhere", server.url()));
    assert!(
        dom.contains("<title>404 Not found</title>") && dom.contains("<h1>Not found</h1>"),
        "{dom}"
    );
}
