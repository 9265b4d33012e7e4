//! Norms as data: the bundled norms load, broken manifests stop the load with file and line,
//! and `datafond validate --norm` checks data against a norm's shapes.

use datafond::norm::{load_norm, Norms};
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// A norm folder `id` in `tmp` whose manifest is `manifest`.
fn norm_folder(tmp: &tempfile::TempDir, id: &str, manifest: &str) -> PathBuf {
    let dir = tmp.path().join(id);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("norm.toml"), manifest).unwrap();
    dir
}

const TEMPLATES: &str = "[templates]\ndataset = \"{base}zdroj/{dataset}\"\nversion = \"{dataset}/{version}\"\nitem = \"{dataset}/{code}\"\nfile = \"{dataset}.{ext}\"\n";

#[test]
fn the_bundled_norms_load() {
    let norms = Norms::load(&repo("ofn"), &repo("shapes"), &["cs".into()]).unwrap();
    assert!(norms.ids().contains(&"generic") && norms.ids().contains(&"vocabulary"));
    let vocabulary = norms.get("vocabulary").unwrap();
    assert!(!vocabulary.shapes.is_empty());
    assert_eq!(vocabulary.title["cs"], "Slovník (OWL, RDFS, SKOS)");
    assert!(norms.get("generic").unwrap().shapes.is_empty());
}

#[test]
fn a_syntax_error_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = norm_folder(&tmp, "broken", "id = \"broken\"\nversion = 1.0.0\n");
    let e = load_norm(&dir, &repo("shapes")).unwrap_err().to_string();
    assert!(
        e.contains("broken/norm.toml") && e.contains("line 2"),
        "{e}"
    );
}

#[test]
fn unknown_keys_and_template_variables_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let typo = format!(
        "id = \"typo\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\nshpes = []\n{TEMPLATES}"
    );
    let e = load_norm(&norm_folder(&tmp, "typo", &typo), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("shpes"), "{e}");
    let bad = format!(
        "id = \"tpl\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\n{}",
        TEMPLATES.replace("{code}", "{kod}")
    );
    let e = load_norm(&norm_folder(&tmp, "tpl", &bad), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("templates.item") && e.contains("{kod}"), "{e}");
    let query = format!(
        "id = \"ex\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\n{TEMPLATES}\n\
         [[examples]]\ntitle = \"Broken\"\nquery = \"SELECT WHERE {{\"\n"
    );
    let e = load_norm(&norm_folder(&tmp, "ex", &query), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("example query \"Broken\""), "{e}");
    let class = format!(
        "id = \"doc\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\ndocument = \"ConceptScheme\"\n{TEMPLATES}"
    );
    let e = load_norm(&norm_folder(&tmp, "doc", &class), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("key `document`") && e.contains("not an IRI"),
        "{e}"
    );
}

#[test]
fn missing_files_and_bad_shapes_stop_the_load() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = format!("id = \"missing\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\nshapes = [\"nope.ttl\"]\n{TEMPLATES}");
    let e = load_norm(&norm_folder(&tmp, "missing", &missing), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("key `shapes`") && e.contains("nope.ttl"), "{e}");
    let wrong_id =
        format!("id = \"other\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\n{TEMPLATES}");
    let e = load_norm(&norm_folder(&tmp, "wrongid", &wrong_id), &repo("shapes"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("key `id`"), "{e}");
    let shapes_dir = norm_folder(&tmp, "shapesdir", "");
    std::fs::write(
        shapes_dir.join("typo.ttl"),
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n<http://ex/S> a sh:NodeShape ; sh:shape <http://ex/T> .\n<http://ex/T> a sh:NodeShape .",
    )
    .unwrap();
    let typo = format!("id = \"typoshapes\"\nversion = \"1\"\ntitle = {{ en = \"T\" }}\nshapes = [\"typo.ttl\"]\n{TEMPLATES}");
    let e = load_norm(&norm_folder(&tmp, "typoshapes", &typo), &shapes_dir)
        .unwrap_err()
        .to_string();
    assert!(e.contains("typo.ttl") && e.contains("sh:shape"), "{e}");
}

fn validate_with_norm(norm: &str, data: &str) -> (Option<i32>, String) {
    let file = tempfile::Builder::new().suffix(".ttl").tempfile().unwrap();
    std::fs::write(file.path(), data).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_datafond"))
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["validate", "--norm", norm, file.path().to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn validate_checks_data_against_a_norm() {
    let prefixes = "@prefix owl: <http://www.w3.org/2002/07/owl#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> . @prefix ex: <http://example.org/> .\n";
    let (code, out) = validate_with_norm(
        "vocabulary",
        &format!("{prefixes}ex:Road a owl:Class ; rdfs:label \"Silnice\"@cs, \"Road\"@en ."),
    );
    assert_eq!(code, Some(0), "{out}");
    let (code, out) = validate_with_norm("vocabulary", &format!("{prefixes}ex:Road a owl:Class ."));
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("Every class and property needs a label"),
        "{out}"
    );
    let (code, _) = validate_with_norm("generic", &format!("{prefixes}ex:Road a owl:Class ."));
    assert_eq!(code, Some(0));
}
