//! The resolver through real HTTP, as deployed: requests carry the reference host in `Host`
//! (or `X-Forwarded-Host` behind a trusted proxy). Presets, conneg-aware targets, gone rules,
//! open-redirect attempts, hot reload, the lookup, reference IRIs on pages, rules as RDF.

mod client;

use client::{config, get, push, start};
use std::path::Path;

const VDF: &str = "vdf.gov.cz";

/// A server with the repository's preset rules and the rules of `extra` (file name, text).
fn server_with(dir: &Path, extra: &[(&str, &str)]) -> datafond::serve::Running {
    let presets = Path::new(env!("CARGO_MANIFEST_DIR")).join("routing-rules");
    for entry in std::fs::read_dir(presets).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, dir.join(path.file_name().unwrap())).unwrap();
    }
    for (name, text) in extra {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let mut cfg = config(None);
    cfg.routing_rules_dir = dir.to_owned();
    start(cfg)
}

fn on(
    host: &str,
    server: &datafond::serve::Running,
    path: &str,
    accept: Option<&str>,
) -> client::Response {
    let url = format!("{}{}", server.url(), path.trim_start_matches('/'));
    let mut headers = vec![("Host", host)];
    if let Some(accept) = accept {
        headers.push(("Accept", accept));
    }
    get(&url, &headers)
}

const RULES: &str = r#"
[[rule]]
id = "items"
owner = "Test"
template = "https://ref.example/x/{code}"
hosts = ["www.ref.example"]
target = "{base}items/{code}"
code = 302

[[rule]]
id = "files"
owner = "Test"
prefix = "https://ref.example/p/"
target = "{base}files/{rest}"
code = 308

[[rule]]
id = "negotiated"
owner = "Test"
exact = "https://ref.example/thing"
target = "{base}doc/thing"
[rule.targets]
"text/turtle" = "{base}doc/thing.ttl"
"application/ld+json" = "{base}doc/thing.jsonld"

[[rule]]
id = "old"
owner = "Test"
status = "gone"
template = "https://ref.example/old/{id}"

[[rule]]
id = "legacy"
owner = "Test"
status = "deprecated"
template = "https://ref.example/legacy/{id}"
target = "https://archive.example/{id}"
code = 301

[[element]]
code = "druh-vozidla"
code_list = "https://vdf.gov.cz/číselníky-vdf/zdroj/číselníky/CL0001"
"#;

#[test]
fn presets_redirect_code_lists_versions_and_items() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[]);
    let base = "http://data.example/";
    for (path, local) in [
        (
            "číselníky-vdf/zdroj/číselníky/CL0001",
            "zdroj/číselníky/CL0001",
        ),
        (
            "%C4%8D%C3%ADseln%C3%ADky-vdf/zdroj/%C4%8D%C3%ADseln%C3%ADky/CL0001/2024-01-01",
            "zdroj/číselníky/CL0001/2024-01-01",
        ),
        (
            "číselníky-vdf/zdroj/číselníky/CL0001/položky/42",
            "zdroj/číselníky/CL0001/položky/42",
        ),
    ] {
        let r = on(VDF, &server, path, Some("text/html"));
        assert_eq!(r.status, 303, "{path}");
        let location = r.header("location").unwrap();
        // Absolute, percent-encoded UTF-8 on the wire.
        assert!(location.is_ascii(), "{location}");
        assert_eq!(
            percent_encoding::percent_decode_str(location)
                .decode_utf8()
                .unwrap(),
            format!("{base}{local}")
        );
        assert_eq!(r.header("vary"), Some("Accept"));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r
            .header("access-control-expose-headers")
            .unwrap()
            .to_ascii_lowercase()
            .contains("location"));
        // The body names the target in IRI form.
        assert!(r.text().contains(&format!("{base}{local}")), "{}", r.text());
    }
    let json = on(
        VDF,
        &server,
        "číselníky-vdf/zdroj/číselníky/CL0001",
        Some("application/json"),
    );
    assert_eq!(
        json.json()["location"],
        format!("{base}zdroj/číselníky/CL0001")
    );
    // Not a date, nothing matches: 404 saying so.
    let none = on(
        VDF,
        &server,
        "číselníky-vdf/zdroj/číselníky/CL0001/leden",
        None,
    );
    assert_eq!(none.status, 404);
    assert!(none.text().contains("no routing rule matched"));
    let cs = none.json()["details"]["cs"].as_str().unwrap().to_owned();
    assert!(cs.contains("neodpovídá žádné směrovací pravidlo"), "{cs}");
    // A CORS preflight on a reference host is answered as a preflight.
    let preflight = client::request(
        "OPTIONS",
        &format!("{}číselníky-vdf/zdroj/číselníky/CL0001", server.url()),
        &[
            ("Host", VDF),
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "GET"),
        ],
        None,
    );
    assert_eq!(preflight.status, 200);
    assert_eq!(preflight.header("access-control-allow-origin"), Some("*"));
    // Another host is not the resolver's business.
    let local = get(
        &format!("{}číselníky-vdf/zdroj/číselníky/CL0001", server.url()),
        &[],
    );
    assert_eq!(local.status, 404);
    assert!(local.text().contains("holds no data"));
}

#[test]
fn targets_follow_accept_gone_and_deprecated_rules() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[("test.toml", RULES)]);
    let host = "ref.example";
    for (accept, target) in [
        (Some("text/turtle"), "http://data.example/doc/thing.ttl"),
        (
            Some("application/ld+json;q=0.9, text/turtle;q=0.5"),
            "http://data.example/doc/thing.jsonld",
        ),
        (Some("text/html"), "http://data.example/doc/thing"),
        (Some("*/*"), "http://data.example/doc/thing"),
        (None, "http://data.example/doc/thing"),
    ] {
        let r = on(host, &server, "thing", accept);
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), Some(target), "{accept:?}");
        assert_eq!(r.header("vary"), Some("Accept"));
    }
    let item = on("WWW.Ref.Example:8443", &server, "x/A1", None);
    assert_eq!(item.status, 302, "aliases and ports");
    assert_eq!(
        item.header("location"),
        Some("http://data.example/items/A1")
    );
    let file = on(host, &server, "p/a/b.csv", None);
    assert_eq!(file.status, 308);
    assert_eq!(
        file.header("location"),
        Some("http://data.example/files/a/b.csv")
    );
    let gone = on(host, &server, "old/7", None);
    assert_eq!(gone.status, 410);
    assert!(gone.text().contains("`old`"));
    let cs = gone.json()["details"]["cs"].as_str().unwrap().to_owned();
    assert!(cs.contains("již neplatí (pravidlo `old`)"), "{cs}");
    // A browser following a retired reference IRI gets a page saying so, in its language.
    let browser = "text/html,application/xhtml+xml,*/*;q=0.8";
    let page = on(host, &server, "old/7", Some(browser));
    assert_eq!(page.status, 410);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(page.text().contains("`old`") && page.text().contains("<h1>Gone</h1>"));
    assert_eq!(page.header("access-control-allow-origin"), Some("*"));
    let legacy = on(host, &server, "legacy/7", None);
    assert_eq!(legacy.status, 301);
    assert_eq!(legacy.header("location"), Some("https://archive.example/7"));
}

#[test]
fn captured_values_cannot_redirect_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[("test.toml", RULES)]);
    let host = "ref.example";
    let encoded = on(host, &server, "x/%2F%2Fevil.example", None);
    assert_eq!(encoded.status, 302);
    assert_eq!(
        encoded.header("location"),
        Some("http://data.example/items/%2F%2Fevil.example")
    );
    for path in [
        "x//evil.example",
        "x/..",
        "x/..%2F",
        "x/%2E%2E",
        "p/..%2F..%2Fetc",
        "p/a/../../etc",
        "items/..%2F..%2F",
    ] {
        let r = on(host, &server, path, None);
        assert_eq!(r.status, 404, "{path}: {:?}", r.header("location"));
        assert!(r.header("location").is_none());
    }
    // A value with an authority-looking tail stays in the path of the rule's host.
    let r = on(host, &server, "p/@evil.example/x", None);
    assert_eq!(
        r.header("location"),
        Some("http://data.example/files/@evil.example/x")
    );
}

#[test]
fn forwarded_host_counts_only_behind_a_trusted_proxy() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[]);
    let url = format!("{}číselníky-vdf/zdroj/číselníky/CL0001", server.url());
    let forwarded = [("X-Forwarded-Host", VDF)];
    assert_eq!(get(&url, &forwarded).status, 404);
    drop(server);
    let mut cfg = config(None);
    cfg.routing_rules_dir = dir.path().to_owned();
    cfg.trust_proxy = true;
    let trusting = start(cfg);
    let url = format!("{}číselníky-vdf/zdroj/číselníky/CL0001", trusting.url());
    assert_eq!(get(&url, &forwarded).status, 303);
}

#[test]
fn edited_rules_reload_and_broken_ones_leave_the_old_in_force() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[("test.toml", RULES)]);
    let wait_for = |path: &str, status: u16| {
        for _ in 0..50 {
            if on("ref.example", &server, path, None).status == status {
                return true;
            }
            std::thread::sleep(std::time::Duration::from_millis(200));
        }
        false
    };
    assert!(wait_for("new/1", 404));
    // Meanwhile a client keeps asking for a rule present in every version: no request may fail.
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hammer = {
        let stop = std::sync::Arc::clone(&stop);
        let url = format!("{}x/A1", server.url());
        std::thread::spawn(move || {
            let mut answered = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let r = get(&url, &[("Host", "ref.example")]);
                assert_eq!(r.status, 302, "during a reload");
                answered += 1;
            }
            answered
        })
    };
    let added = format!(
        "{RULES}\n[[rule]]\nid = \"new\"\ntemplate = \"https://ref.example/new/{{n:int}}\"\ntarget = \"{{base}}new/{{n}}\"\n"
    );
    std::fs::write(dir.path().join("test.toml"), &added).unwrap();
    assert!(wait_for("new/1", 303), "the edited file is reloaded");
    // A syntax error, then a conflict: both refused, the previous rules keep answering.
    std::fs::write(dir.path().join("test.toml"), format!("{added}\n[[rule]\n")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    assert_eq!(on("ref.example", &server, "new/1", None).status, 303);
    let conflict = format!(
        "{added}\n[[rule]]\nid = \"twin\"\ntemplate = \"https://ref.example/new/{{m:int}}\"\ntarget = \"{{base}}twin/{{m}}\"\n"
    );
    std::fs::write(dir.path().join("test.toml"), conflict).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    let r = on("ref.example", &server, "new/1", None);
    assert_eq!(r.header("location"), Some("http://data.example/new/1"));
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    assert!(hammer.join().unwrap() > 10);
}

const ITEM: &str = r#"<http://data.example/zdroj/číselníky/CL0001/položky/7>
  <http://www.w3.org/2004/02/skos/core#prefLabel> "Osobní automobil"@cs ;
  <http://www.w3.org/2004/02/skos/core#notation> "7" .
"#;

#[test]
fn lookup_by_element_and_reference_iris_on_pages() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[("test.toml", RULES)]);
    assert_eq!(
        push(&server, "CL0001", "text/turtle", ITEM.as_bytes()).status,
        201
    );
    let reference = "https://vdf.gov.cz/číselníky-vdf/zdroj/číselníky/CL0001/položky/7";
    let lookup = |query: &str, accept: &str| {
        get(
            &format!("{}resolve?{query}", server.url()),
            &[("Accept", accept)],
        )
    };
    let r = lookup("element=druh-vozidla&code=7", "text/html");
    assert_eq!(r.status, 303);
    assert_eq!(
        percent_encoding::percent_decode_str(r.header("location").unwrap())
            .decode_utf8()
            .unwrap(),
        reference
    );
    let json = lookup("element=druh-vozidla&code=7", "application/json").json();
    assert_eq!(json["reference"], reference);
    assert_eq!(
        json["local"],
        "http://data.example/zdroj/číselníky/CL0001/položky/7"
    );
    for (query, code, czech) in [
        (
            "element=druh-vozidla&code=99",
            "unknown-code",
            "nemá položku `99`",
        ),
        (
            "element=nic&code=7",
            "unknown-element",
            "žádný datový prvek `nic`",
        ),
    ] {
        let r = lookup(query, "application/json");
        assert_eq!(r.status, 404, "{query}");
        assert_eq!(r.json()["code"], code, "{}", r.text());
        let details = r.json()["details"]["cs"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(details.contains(czech), "{details}");
    }
    let r = lookup("element=druh-vozidla", "application/json");
    assert_eq!(r.status, 400);
    assert!(r.json()["details"]["cs"]
        .as_str()
        .is_some_and(|d| d.starts_with("zadejte oba parametry")));
    // The item's page names the reference IRI to cite, and so does its Link header.
    let page = get(
        &format!("{}zdroj/číselníky/CL0001/položky/7", server.url()),
        &[("Accept", "text/html")],
    );
    assert!(page.text().contains(reference), "{}", page.text());
    let head = page.text().split("</head>").next().unwrap().to_owned();
    assert!(
        head.contains(&format!("<link rel=\"canonical\" href=\"{reference}\">")),
        "{head}"
    );
    let link = page.header("link").unwrap();
    assert!(link.contains("rel=\"canonical\""), "{link}");
    assert!(link.contains(&datafond::web::wire_iri(reference)), "{link}");
}

#[test]
fn rules_are_published_as_rdf() {
    let dir = tempfile::tempdir().unwrap();
    let server = server_with(dir.path(), &[("test.toml", RULES)]);
    let rule = format!("{}zdroj/datové-sady/směrovací-pravidla/old", server.url());
    let turtle = get(&rule, &[("Accept", "application/n-triples")]);
    assert_eq!(turtle.status, 200, "{}", turtle.text());
    let text = turtle.text();
    assert!(
        text.contains(
            "<https://w3id.org/datafond/routing#status> <https://w3id.org/datafond/routing#gone>"
        ),
        "{text}"
    );
    assert!(
        text.contains("<https://w3id.org/datafond/routing#owner> \"Test\""),
        "{text}"
    );
    let preset = get(
        &format!(
            "{}zdroj/datové-sady/směrovací-pravidla/vdf-polozka",
            server.url()
        ),
        &[("Accept", "application/n-triples")],
    );
    assert!(preset
        .text()
        .contains("\"2026-11-27\"^^<http://www.w3.org/2001/XMLSchema#date>"));
}
