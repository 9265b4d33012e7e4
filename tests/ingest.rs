//! The push stages before publishing: limits, media types, parsing with bundled JSON-LD
//! contexts only, and validation against the norm (violations refuse, warnings do not).

use datafond::ingest::{Accepted, Ingest, Limits, Rejection};
use datafond::norm::{load_norm, Norm};
use std::path::{Path, PathBuf};

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

fn bundled(id: &str) -> Norm {
    load_norm(&repo("ofn").join(id), &repo("shapes")).unwrap()
}

/// A norm made for a test: `manifest_extra` goes into norm.toml, `files` into its folder (the
/// shapes folder is the norm folder too).
fn test_norm(id: &str, manifest_extra: &str, files: &[(&str, &[u8])]) -> Norm {
    // The norm is read whole at load: its folder is removed once loaded.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join(id);
    std::fs::create_dir_all(&dir).unwrap();
    for (name, content) in files {
        std::fs::write(dir.join(name), content).unwrap();
    }
    let manifest = format!(
        "id = \"{id}\"\nversion = \"1\"\ntitle = {{ en = \"Test\" }}\n{manifest_extra}\n[templates]\n\
         dataset = \"{{base}}{{dataset}}\"\nversion = \"{{dataset}}/{{version}}\"\nitem = \"{{dataset}}/{{code}}\"\nfile = \"{{dataset}}.{{ext}}\"\n"
    );
    std::fs::write(dir.join("norm.toml"), manifest).unwrap();
    load_norm(&dir, &dir).unwrap()
}

const CLASS_WITHOUT_LABEL: &str =
    "<http://example.org/Road> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://www.w3.org/2002/07/owl#Class> .\n";

#[test]
fn conforming_data_is_accepted_and_indexed() {
    let norm = bundled("vocabulary");
    let mut ingest = Ingest::new(&norm, Limits::default());
    let body = format!("{CLASS_WITHOUT_LABEL}<http://example.org/Road> <http://www.w3.org/2000/01/rdf-schema#label> \"Road\"@en .\n");
    ingest
        .add(
            body.as_bytes(),
            "application/n-triples; charset=utf-8",
            "body",
            None,
        )
        .unwrap();
    let accepted = ingest.finish().unwrap();
    assert_eq!(accepted.data.len(), 2);
    assert!(accepted.report.conforms());
}

/// Pushes one unlabelled OWL class under `norm`.
fn push_class_without_label(norm: &Norm) -> Result<Accepted, Rejection> {
    let mut ingest = Ingest::new(norm, Limits::default());
    ingest.add(
        CLASS_WITHOUT_LABEL.as_bytes(),
        "application/n-triples",
        "body",
        None,
    )?;
    ingest.finish()
}

#[test]
fn violations_refuse_the_batch_with_the_report() {
    let norm = bundled("vocabulary");
    match push_class_without_label(&norm) {
        Err(Rejection::NotConforming {
            violations,
            report,
            triples,
            ..
        }) => {
            assert_eq!((violations, triples), (1, 1));
            assert!(report.to_text(5).contains("needs a label"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn warnings_do_not_refuse_the_batch() {
    let shapes = b"@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://ex/S> a sh:NodeShape ; sh:targetClass <http://www.w3.org/2002/07/owl#Class> ;\n  sh:property [ sh:path <http://ex/p> ; sh:minCount 1 ; sh:severity sh:Warning ] .\n";
    let norm = test_norm("warn", "shapes = [\"warn.ttl\"]", &[("warn.ttl", shapes)]);
    let accepted = push_class_without_label(&norm).unwrap();
    assert_eq!(accepted.report.results.len(), 1);
    assert_eq!(accepted.report.violations(), 0);
}

#[test]
fn bad_bodies_are_refused_with_the_reason() {
    let norm = bundled("generic");
    let refuse = |body: &str, media_type: &str, limits: Limits| {
        let mut ingest = Ingest::new(&norm, limits);
        ingest
            .add(body.as_bytes(), media_type, "body.ttl", None)
            .and_then(|()| ingest.finish().map(|_| ()))
            .unwrap_err()
    };
    let e = refuse("x", "text/csv", Limits::default());
    assert!(matches!(e, Rejection::UnsupportedMediaType { .. }), "{e}");
    assert!(e.to_string().contains("text/turtle"));
    let e = refuse(
        CLASS_WITHOUT_LABEL,
        "application/n-triples",
        Limits {
            max_bytes: 10,
            ..Limits::default()
        },
    );
    assert!(matches!(e, Rejection::TooLarge { .. }), "{e}");
    let two = CLASS_WITHOUT_LABEL.repeat(2).replace(
        "Road> <http://www.w3.org/1999",
        "Road2> <http://www.w3.org/1999",
    );
    let e = refuse(
        &two,
        "application/n-triples",
        Limits {
            max_triples: 1,
            ..Limits::default()
        },
    );
    assert!(matches!(e, Rejection::TooManyTriples { limit: 1 }), "{e}");
    let e = refuse(
        "<http://ex/a> <http://ex/p> \"open .\n",
        "text/turtle",
        Limits::default(),
    );
    let message = e.to_string();
    assert!(
        matches!(e, Rejection::Syntax(_))
            && message.contains("body.ttl")
            && message.contains("line 1"),
        "{message}"
    );
}

#[test]
fn json_ld_contexts_come_from_the_norm_and_never_from_the_network() {
    // A context that imports another one, both bundled under the IRIs documents cite.
    let outer = r#"{"@context": {"@import": "https://contexts.example/inner.jsonld", "název": {"@id": "http://purl.org/dc/terms/title", "@container": "@language"}}}"#.as_bytes();
    let inner = r#"{"@context": {"iri": "@id", "typ": "@type", "Číselník": "http://www.w3.org/2004/02/skos/core#ConceptScheme"}}"#.as_bytes();
    let contexts = "[contexts]\n\
        \"https://contexts.example/outer.jsonld\" = \"outer.jsonld\"\n\
        \"https://contexts.example/inner.jsonld\" = \"inner.jsonld\"\n";
    let norm = test_norm(
        "lists",
        contexts,
        &[("outer.jsonld", outer), ("inner.jsonld", inner)],
    );
    let document = r#"{"@context": "https://contexts.example/outer.jsonld", "iri": "https://data.example/číselník/měny",
        "typ": "Číselník", "název": {"cs": "Číselník měn", "en": "Currencies"}}"#;
    let mut ingest = Ingest::new(&norm, Limits::default());
    ingest
        .add(
            document.as_bytes(),
            "application/ld+json",
            "měny.jsonld",
            None,
        )
        .unwrap();
    assert_eq!(ingest.finish().unwrap().data.len(), 3);

    // A context that is not bundled is refused with a clear message, never fetched.
    let generic = bundled("generic");
    let mut ingest = Ingest::new(&generic, Limits::default());
    let e = ingest
        .add(
            document.as_bytes(),
            "application/ld+json",
            "měny.jsonld",
            None,
        )
        .unwrap_err();
    assert!(
        e.to_string().contains("never fetches") && e.to_string().contains("outer.jsonld"),
        "{e}"
    );

    // The official code-list example cites a chain of OFN contexts; one of them
    // (digitální-objekty) is not among ../shared's copies: the push gets an answer, not a crash.
    let kontexty = repo("../shared/ofn/cz-ofn-kontexty");
    let read = |f: &str| std::fs::read(kontexty.join(f)).unwrap();
    let files = [
        (
            "číselníky/2022-02-08/kontexty/číselník",
            "číselníky-2022-02-08-číselník.jsonld",
        ),
        ("věc/2020-07-01/kontexty/věc", "věc-2020-07-01-věc.jsonld"),
        (
            "základní-datové-typy/2020-07-01/kontexty/časový-interval",
            "základní-datové-typy-2020-07-01-časový-interval.jsonld",
        ),
        (
            "základní-datové-typy/2020-07-01/kontexty/časový-okamžik",
            "základní-datové-typy-2020-07-01-časový-okamžik.jsonld",
        ),
    ];
    let contexts: String = files
        .iter()
        .map(|(iri, file)| format!("\"https://ofn.gov.cz/{iri}.jsonld\" = \"{file}\"\n"))
        .collect();
    let contents: Vec<(&str, Vec<u8>)> = files.iter().map(|(_, f)| (*f, read(f))).collect();
    let refs: Vec<(&str, &[u8])> = contents.iter().map(|(f, c)| (*f, c.as_slice())).collect();
    let ofn = test_norm("ofn", &format!("[contexts]\n{contexts}"), &refs);
    let example =
        std::fs::read(repo("../shared/ofn/cz-ofn-ciselniky/číselník-měn.jsonld")).unwrap();
    let mut ingest = Ingest::new(&ofn, Limits::default());
    let e = ingest
        .add(&example, "application/ld+json", "číselník-měn.jsonld", None)
        .unwrap_err();
    assert!(matches!(e, Rejection::Syntax(_)), "{e}");
}
