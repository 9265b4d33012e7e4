//! The spine through real HTTP (curl against the server in-process): push, versions, files,
//! the first read path, and rejections that store nothing.

mod client;

use client::{config, get, parse, push, request, snapshot, start, url_of, TOKEN};

const NT: &str = "application/n-triples";

fn people(version: u32) -> String {
    // Every triple of <person/1> carries the version number, so a reader can tell a mix.
    format!(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         @prefix ex: <http://example.org/> .\n\
         <http://data.example/zdroj/lidé/1> rdfs:label \"Jana {version}\"@cs, \"Jane {version}\"@en ;\n\
           ex:version {version} ; ex:knows <http://data.example/zdroj/lidé/2> ;\n\
           ex:address [ ex:city \"Brno {version}\" ] .\n\
         <http://data.example/zdroj/lidé/2> rdfs:label \"Petr\"@cs .\n"
    )
}

#[test]
fn push_publishes_versions_with_files_and_changesets() {
    let server = start(config(None));
    let r = push(&server, "lidé", "text/turtle", people(1).as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let report = r.json();
    assert_eq!(report["status"], "published");
    assert_eq!(report["seq"], 1);
    assert_eq!(report["triples"], 7);
    let version1 = report["version"].as_str().unwrap().to_owned();
    assert_eq!(
        version1,
        "http://data.example/zdroj/datové-sady/lidé/verze/1"
    );
    assert_eq!(
        r.header("location"),
        Some("http://data.example/zdroj/datov%C3%A9-sady/lid%C3%A9/verze/1")
    );
    for stage in ["parse", "validate", "publish", "hash"] {
        assert!(report["times_ms"][stage].is_number(), "{stage}");
    }

    // The same content again (blank node labels differ): no new version.
    let r = push(&server, "lidé", "text/turtle", people(1).as_bytes());
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["status"], "unchanged");
    assert_eq!(r.json()["seq"], 1);

    // A changed push is version 2; the changeset holds what changed.
    let r = push(&server, "lidé", "text/turtle", people(2).as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let report = r.json();
    assert_eq!(report["seq"], 2);
    assert_eq!(
        (report["added"].as_u64(), report["removed"].as_u64()),
        (Some(4), Some(4))
    );
    // (both labels, the version and the city changed; the blank node keeps its canonical label)
    let version2 = report["version"].as_str().unwrap().to_owned();
    let added = get(&url_of(&server, &format!("{version2}.added.nt")), &[]);
    assert_eq!(added.status, 200);
    assert!(added.text().contains("\"Jana 2\"@cs"), "{}", added.text());
    assert!(!added.text().contains("Petr"));
    let removed = get(&url_of(&server, &format!("{version2}.removed.nt")), &[]);
    assert!(removed.text().contains("\"Jana 1\"@cs"));

    // The current files follow the current version; version 1's files stay.
    let current = get(
        &url_of(&server, "http://data.example/zdroj/datové-sady/lidé.nt"),
        &[],
    );
    assert_eq!(current.status, 200);
    assert!(current.text().contains("Jana 2"));
    let old = get(&url_of(&server, &format!("{version1}.ttl")), &[]);
    assert_eq!(old.status, 200);
    assert!(old.text().contains("Jana 1"));

    // The API lists both versions.
    let api = get(&format!("{}api/v1/datasets/lidé", server.url()), &[]).json();
    assert_eq!(api["versions"].as_array().unwrap().len(), 2);
    assert_eq!(api["current"]["seq"], 2);
}

#[test]
fn files_have_validators_gzip_and_every_syntax() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "lidé", "text/turtle", people(1).as_bytes()).status,
        201
    );
    let base = url_of(&server, "http://data.example/zdroj/datové-sady/lidé");
    for (ext, media_type) in [
        ("ttl", "text/turtle"),
        ("nt", NT),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
    ] {
        let r = get(&format!("{base}.{ext}"), &[]);
        assert_eq!(r.status, 200, "{ext}");
        assert_eq!(
            r.header("content-type"),
            Some(&*format!("{media_type}; charset=utf-8"))
        );
        assert_eq!(r.header("content-length"), Some(&*r.body.len().to_string()));
        let etag = r.header("etag").unwrap().to_owned();
        assert!(etag.starts_with('"'));
        let again = get(&format!("{base}.{ext}"), &[("If-None-Match", &etag)]);
        assert_eq!(again.status, 304);
        assert!(again.body.is_empty());
        // Parsed back, every syntax holds the same triples.
        let graph = parse(
            &r.body,
            oxigraph::io::RdfFormat::from_extension(ext).unwrap(),
        );
        assert_eq!(graph.len(), 7, "{ext}");
        // gzip by Accept-Encoding, with its own validator.
        let gz = get(&format!("{base}.{ext}"), &[("Accept-Encoding", "gzip")]);
        assert_eq!(gz.header("content-encoding"), Some("gzip"));
        assert_ne!(gz.header("etag"), Some(&*etag));
        assert_eq!(client::gunzip(&gz.body), r.body);
        let head = request("HEAD", &format!("{base}.{ext}"), &[], None);
        assert_eq!(head.status, 200);
        assert_eq!(head.header("content-length"), r.header("content-length"));
        assert_eq!(head.header("accept-ranges"), Some("bytes"));
        // A download that broke off resumes: one byte range, of either form of the file.
        let length = r.body.len();
        let part = get(&format!("{base}.{ext}"), &[("Range", "bytes=10-")]);
        assert_eq!(part.status, 206);
        assert_eq!(part.body, r.body[10..]);
        let range = format!("bytes 10-{}/{length}", length - 1);
        assert_eq!(part.header("content-range"), Some(range.as_str()));
        assert_eq!(
            part.header("content-length"),
            Some(&*(length - 10).to_string())
        );
        let tail = get(&format!("{base}.{ext}"), &[("Range", "bytes=-5")]);
        assert_eq!(tail.body, r.body[length - 5..]);
        let gz_part = get(
            &format!("{base}.{ext}"),
            &[("Accept-Encoding", "gzip"), ("Range", "bytes=0-9")],
        );
        assert_eq!(gz_part.status, 206);
        assert_eq!(gz_part.body, gz.body[..10]);
        // Only for the same copy (If-Range); past the end, 416 naming the length.
        let changed = [("Range", "bytes=0-9"), ("If-Range", "\"another\"")];
        assert_eq!(get(&format!("{base}.{ext}"), &changed).body, r.body);
        let same = [("Range", "bytes=0-9"), ("If-Range", etag.as_str())];
        assert_eq!(get(&format!("{base}.{ext}"), &same).body, r.body[..10]);
        let past = get(
            &format!("{base}.{ext}"),
            &[("Range", &*format!("bytes={length}-"))],
        );
        assert_eq!(past.status, 416);
        let unsatisfied = format!("bytes */{length}");
        assert_eq!(past.header("content-range"), Some(unsatisfied.as_str()));
        assert_eq!(past.json()["code"], "range-not-satisfiable");
    }
}

/// A file gone from disk under a running server (an operator's slip) is a 500 that says so in
/// English and Czech.
#[test]
fn a_file_gone_from_disk_is_an_internal_error_said_in_both_languages() {
    fn remove_turtle(dir: &std::path::Path) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                remove_turtle(&path);
            } else if path.extension().is_some_and(|e| e == "ttl") {
                std::fs::remove_file(&path).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let server = start(config(Some(dir.path())));
    let r = push(&server, "lidé", "text/turtle", people(1).as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    remove_turtle(&dir.path().join("files"));
    let base = url_of(&server, "http://data.example/zdroj/datové-sady/lidé");
    let r = get(&format!("{base}.ttl"), &[]);
    assert_eq!(r.status, 500, "{}", r.text());
    let details = &r.json()["details"];
    assert!(
        details["en"]
            .as_str()
            .unwrap()
            .starts_with("the file cannot be read")
            && details["cs"]
                .as_str()
                .unwrap()
                .starts_with("soubor nelze přečíst"),
        "{details}"
    );
}

#[test]
fn resources_dereference_by_accept_with_blank_nodes_followed() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "lidé", "text/turtle", people(1).as_bytes()).status,
        201
    );
    let iri = "http://data.example/zdroj/lidé/1";
    for (accept, format) in [
        ("text/turtle", oxigraph::io::RdfFormat::Turtle),
        (NT, oxigraph::io::RdfFormat::NTriples),
        ("application/rdf+xml", oxigraph::io::RdfFormat::RdfXml),
        (
            "application/ld+json",
            oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfileSet::empty(),
            },
        ),
    ] {
        let r = get(&url_of(&server, iri), &[("Accept", accept)]);
        assert_eq!(r.status, 200, "{accept}");
        assert!(r.header("content-type").unwrap().starts_with(accept));
        assert_eq!(r.header("vary"), Some("Accept"));
        let graph = parse(&r.body, format);
        // 5 triples of the person plus the blank node's city.
        assert_eq!(graph.len(), 6, "{accept}: {}", r.text());
    }
    // No Accept header: Turtle.
    let r = get(&url_of(&server, iri), &[]);
    assert!(r.header("content-type").unwrap().starts_with("text/turtle"));
    // Non-ASCII path: raw UTF-8 and percent-encoded both work.
    let encoded = format!("{}zdroj/lid%C3%A9/1", server.url());
    assert_eq!(get(&encoded, &[]).body, r.body);
    // Unknown IRIs and unacceptable types.
    assert_eq!(
        get(&format!("{}zdroj/lidé/99", server.url()), &[]).status,
        404
    );
    let r = get(&url_of(&server, iri), &[("Accept", "image/png")]);
    assert_eq!(r.status, 406);
    assert!(r.text().contains("text/turtle"));
}

#[test]
fn rejections_answer_clearly_and_store_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(Some(dir.path()));
    cfg.limits.max_bytes = 4096;
    let server = start(cfg.clone());
    assert_eq!(
        push(&server, "lidé", "text/turtle", people(1).as_bytes()).status,
        201
    );
    let before = snapshot_of(&server, dir.path());

    let r = push(
        &server,
        "lidé",
        "text/turtle",
        b"<http://a.example/s> <http://a.example/p> .",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "syntax-error");
    assert!(
        r.json()["detail"].as_str().unwrap().contains("line 1"),
        "{}",
        r.text()
    );
    // Publishers get each refusal's detail in Czech too (a parser's own words stay English).
    let czech = |r: &client::Response| r.json()["details"]["cs"].as_str().map(str::to_owned);
    let detail = czech(&r).unwrap_or_default();
    assert!(
        detail.contains("chyba syntaxe") && detail.contains("line 1"),
        "{detail}"
    );
    assert_eq!(r.json()["details"]["en"], r.json()["detail"]);

    let vocabulary = b"@prefix owl: <http://www.w3.org/2002/07/owl#> .\n<http://data.example/slovn\xc3\xadk/x/C> a owl:Class .";
    let url = format!("{}api/v1/datasets/x?norm=vocabulary", server.url());
    let auth = format!("Bearer {TOKEN}");
    let put = |accept: &str| {
        request(
            "PUT",
            &url,
            &[
                ("Content-Type", "text/turtle"),
                ("Authorization", &auth),
                ("Accept", accept),
            ],
            Some(vocabulary),
        )
    };
    let r = put("application/json");
    assert_eq!(r.status, 422, "{}", r.text());
    let body = r.json();
    assert_eq!(body["violations"], 1);
    assert_eq!(
        body["details"]["cs"],
        "data nesplňují normu vocabulary: počet porušení 1"
    );
    let result = &body["results"][0];
    assert_eq!(result["focus"], "<http://data.example/slovník/x/C>");
    assert!(result["path"]
        .as_str()
        .unwrap()
        .contains("rdf-schema#label"));
    assert!(result["message"][0].as_str().unwrap().contains("label"));
    let r = put("text/turtle");
    assert_eq!(r.status, 422);
    let report = parse(&r.body, oxigraph::io::RdfFormat::Turtle);
    assert!(report
        .iter()
        .any(|t| t.predicate.as_str() == "http://www.w3.org/ns/shacl#conforms"));
    let r = put("application/ld+json");
    assert_eq!(r.status, 422);
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/ld+json"));

    let r = push(&server, "lidé", "text/csv", b"a,b\n1,2\n");
    assert_eq!(r.status, 415);
    assert!(czech(&r)
        .unwrap()
        .starts_with("nepodporovaný typ obsahu text/csv"));
    let r = push(&server, "lidé", NT, &vec![b' '; 10_000]);
    assert_eq!(r.status, 413, "{}", r.text());
    assert!(czech(&r).unwrap().contains("je víc než limit"));
    for bad in ["..%2Fx", "a/./b", "a%00b", "a%0Ab", "a//b"] {
        let r = push(&server, bad, "text/turtle", people(3).as_bytes());
        assert_eq!(r.status, 400, "{bad}: {}", r.text());
        assert_eq!(r.json()["code"], "bad-dataset-id");
        assert!(czech(&r)
            .unwrap()
            .starts_with("neplatný identifikátor datové sady"));
    }
    let no_token = request(
        "PUT",
        &format!("{}api/v1/datasets/lidé", server.url()),
        &[("Content-Type", "text/turtle")],
        Some(people(3).as_bytes()),
    );
    assert_eq!(no_token.status, 401);
    assert!(czech(&no_token)
        .unwrap()
        .starts_with("pošlete token pro zápis"));
    let wrong = request(
        "PUT",
        &format!("{}api/v1/datasets/lidé", server.url()),
        &[
            ("Content-Type", "text/turtle"),
            ("Authorization", "Bearer not-the-token-at-all"),
        ],
        Some(people(3).as_bytes()),
    );
    assert_eq!(wrong.status, 401);
    let r = request(
        "PUT",
        &format!("{}api/v1/datasets/lidé?norm=nope", server.url()),
        &[("Content-Type", "text/turtle"), ("Authorization", &auth)],
        Some(people(3).as_bytes()),
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["code"], "unknown-norm");
    assert!(czech(&r).unwrap().starts_with("norma \"nope\" neexistuje"));

    assert_eq!(
        snapshot_of(&server, dir.path()).1,
        before.1,
        "the API listing changed"
    );
    server.stop();
    let after_files = snapshot(&dir.path().join("files"));
    assert_eq!(
        after_files.keys().collect::<Vec<_>>(),
        before.0.keys().collect::<Vec<_>>()
    );
    assert!(after_files == before.0, "a file changed");
    let store = oxigraph::store::Store::open(dir.path().join("store")).unwrap();
    assert_eq!(
        store.len().unwrap(),
        7 + 1,
        "7 triples and one version record"
    );
}

/// The files folder and the API's dataset listing.
fn snapshot_of(
    server: &datafond::serve::Running,
    dir: &std::path::Path,
) -> (
    std::collections::BTreeMap<std::path::PathBuf, Vec<u8>>,
    String,
) {
    let listing = get(&format!("{}api/v1/datasets", server.url()), &[]).text();
    (snapshot(&dir.join("files")), listing)
}

#[test]
fn pushes_to_one_dataset_are_serialized_and_readers_never_see_a_mix() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "lidé", "text/turtle", people(0).as_bytes()).status,
        201
    );
    let resource = url_of(&server, "http://data.example/zdroj/lidé/1");
    std::thread::scope(|scope| {
        let reader = scope.spawn(|| {
            for _ in 0..40 {
                let r = get(&resource, &[("Accept", NT)]);
                assert_eq!(r.status, 200);
                let text = r.text();
                let versions: std::collections::BTreeSet<_> = text
                    .lines()
                    .filter(|l| l.contains("example.org/version"))
                    .map(|l| l.split(' ').nth(2).unwrap().to_owned())
                    .collect();
                assert_eq!(versions.len(), 1, "{text}");
                let v = versions
                    .first()
                    .unwrap()
                    .trim_matches('"')
                    .split('"')
                    .next()
                    .unwrap()
                    .to_owned();
                assert!(
                    text.contains(&format!("Jana {v}\"")),
                    "a mix of versions: {text}"
                );
            }
        });
        let writers: Vec<_> = (1..=6)
            .map(|n| {
                let server = &server;
                scope.spawn(move || push(server, "lidé", "text/turtle", people(n).as_bytes()))
            })
            .collect();
        let elsewhere = people(9).replace("lidé/", "jiní/");
        let server = &server;
        let other = scope.spawn(move || push(server, "jiné", "text/turtle", elsewhere.as_bytes()));
        let mut seqs: Vec<u64> = writers
            .into_iter()
            .map(|w| w.join().unwrap().json()["seq"].as_u64().unwrap())
            .collect();
        seqs.sort_unstable();
        assert_eq!(seqs, [2, 3, 4, 5, 6, 7]);
        assert_eq!(other.join().unwrap().status, 201);
        reader.join().unwrap();
    });
}

#[test]
fn query_parameters_that_cannot_be_used_are_problems() {
    let server = start(config(None));
    assert_eq!(
        push(&server, "lidé", "text/turtle", people(1).as_bytes()).status,
        201
    );
    let resource = url_of(&server, "http://data.example/zdroj/lidé/2");
    let html = [("Accept", "text/html")];
    for (query, names) in [
        ("backlinks=abc", "backlinks"),
        ("backlinks=-1", "backlinks"),
        ("items=1.5", "items"),
        ("format=tll", "ttl, html, jsonld, nt, rdf, csv"),
    ] {
        // (A client that prefers JSON; a browser gets the same problem as a page, see views.rs.)
        let r = get(
            &format!("{resource}?{query}"),
            &[("Accept", "application/json, text/html;q=0.9")],
        );
        assert_eq!(r.status, 400, "{query}");
        assert_eq!(r.header("content-type"), Some("application/problem+json"));
        assert_eq!(r.json()["code"], "bad-parameter");
        let detail = r.json()["detail"].as_str().unwrap().to_owned();
        assert!(detail.contains(names), "{query}: {detail}");
        let czech = r.json()["details"]["cs"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(czech.contains(names) && czech != detail, "{query}: {czech}");
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
    // An empty format is no format; a page far past the end is an empty page, not an error.
    assert_eq!(get(&format!("{resource}?format="), &html).status, 200);
    let far = get(&format!("{resource}?backlinks=18446744073709551615"), &html);
    assert_eq!(far.status, 200);
    assert!(far.text().contains("Links to this resource (1)"));
    // The resolver and the push API answer the same way.
    let lookup = get(&format!("{}resolve?code=1&code=2", server.url()), &[]);
    assert_eq!(lookup.status, 400);
    assert_eq!(lookup.json()["code"], "bad-parameter");
    let bearer = format!("Bearer {TOKEN}");
    let put = request(
        "PUT",
        &format!(
            "{}api/v1/datasets/x?norm=generic&norm=generic",
            server.url()
        ),
        &[("Authorization", &bearer), ("Content-Type", "text/turtle")],
        Some(people(1).as_bytes()),
    );
    assert_eq!(put.status, 400, "{}", put.text());
    assert_eq!(put.json()["code"], "bad-parameter");
}
