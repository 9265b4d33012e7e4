//! `datafond validate` as a user runs it: the real binary, exit codes 0/1/2 and report forms.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn suite(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/shacl-suite/tests")
        .join(file)
}

fn validate(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_datafond"))
        .arg("validate")
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Writes `content` to the file `name` in `dir`.
fn temp(dir: &tempfile::TempDir, name: &str, content: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    path
}

#[test]
fn conforming_data_exits_0() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = temp(&tmp, "ok-shapes.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\nex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .");
    let data = temp(&tmp, "ok-data.nt", "<http://example.org/a> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://example.org/C> .\n<http://example.org/a> <http://example.org/p> \"x\" .\n");
    let out = validate(&["--shapes", shapes.to_str().unwrap(), data.to_str().unwrap()]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Conforms"));
}

#[test]
fn nonconforming_data_exits_1_with_a_report_in_each_form() {
    let file = suite("core/complex/personexample.ttl");
    let f = file.to_str().unwrap();
    let text = validate(&["--shapes", f, f]);
    assert_eq!(text.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(stdout.contains("Does not conform: 4 result(s)"), "{stdout}");
    let turtle = validate(&["--shapes", f, "--report", "turtle", f]);
    assert_eq!(turtle.status.code(), Some(1));
    let ttl = String::from_utf8_lossy(&turtle.stdout);
    assert!(
        ttl.contains("sh:ValidationReport") && ttl.contains("sh:conforms false"),
        "{ttl}"
    );
    let jsonld = validate(&["--shapes", f, "--report", "jsonld", f]);
    let json: serde_json::Value = serde_json::from_slice(&jsonld.stdout).expect("JSON-LD is JSON");
    assert!(json.to_string().contains("ValidationReport"));
}

#[test]
fn bad_input_exits_2_and_says_why() {
    let tmp = tempfile::tempdir().unwrap();
    let shapes = suite("core/complex/personexample.ttl");
    let broken = temp(
        &tmp,
        "broken.ttl",
        "@prefix ex: <http://example.org/> .\nex:a ex:p \"unterminated .\n",
    );
    let out = validate(&[
        "--shapes",
        shapes.to_str().unwrap(),
        broken.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("broken.ttl"), "{err}");

    let missing = validate(&[
        "--shapes",
        shapes.to_str().unwrap(),
        "/nonexistent/data.ttl",
    ]);
    assert_eq!(missing.status.code(), Some(2));

    let typo = temp(&tmp, "typo.ttl", "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\nex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:shape ex:T .\nex:T a sh:NodeShape .");
    let out = validate(&["--shapes", typo.to_str().unwrap(), shapes.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("typo.ttl: shape <http://example.org/S>: uses sh:shape"),
        "{err}"
    );
}
