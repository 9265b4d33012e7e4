//! The W3C SHACL test suite (core and SHACL-SPARQL), run from its manifests in `../shared`.
//! A test passes when conformance matches and the report graph is isomorphic to the expected
//! one, as the suite defines full compliance.

mod support;

use datafond::rdf_file::{read_graph, url_of};
use datafond::shacl::{Shapes, Strictness};
use oxigraph::model::dataset::CanonicalizationAlgorithm;
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, Term, TermRef};
use std::path::{Path, PathBuf};

const MF: &str = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#";
const SHT: &str = "http://www.w3.org/ns/shacl-test#";

fn iri(s: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new_unchecked(s)
}

fn suite_dir() -> PathBuf {
    support::shared("shacl-suite/tests")
}

struct Case {
    name: String,
    data: PathBuf,
    shapes: PathBuf,
    /// None: the suite expects a failure (the engine must refuse).
    expected: Option<Graph>,
}

fn file_of(t: &Term) -> PathBuf {
    let Term::NamedNode(n) = t else {
        panic!("not an IRI: {t}")
    };
    let path = n.as_str().strip_prefix("file://").expect("file IRI");
    PathBuf::from(percent_decode(path))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

fn one(g: &Graph, s: &Term, p: &str) -> Option<Term> {
    let s: NamedOrBlankNodeRef<'_> = match s {
        Term::NamedNode(n) => n.as_ref().into(),
        Term::BlankNode(b) => b.as_ref().into(),
        _ => return None,
    };
    g.object_for_subject_predicate(s, iri(p))
        .map(TermRef::into_owned)
}

fn list(g: &Graph, head: Term) -> Vec<Term> {
    let mut out = Vec::new();
    let mut node = head;
    while node != Term::from(iri("http://www.w3.org/1999/02/22-rdf-syntax-ns#nil").into_owned()) {
        out.push(one(g, &node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#first").unwrap());
        node = one(g, &node, "http://www.w3.org/1999/02/22-rdf-syntax-ns#rest").unwrap();
    }
    out
}

/// Collects the tests of a manifest and of the manifests it includes, and of every other test
/// file under its folder (sparql/component/nodeValidator-001.ttl is in no manifest).
fn collect_all(manifest: &Path) -> Vec<Case> {
    let mut cases = Vec::new();
    collect(manifest, &mut cases);
    for f in support::turtle_files(manifest.parent().unwrap()) {
        collect(&f.canonicalize().unwrap(), &mut cases);
    }
    let mut seen = std::collections::HashSet::new();
    cases.retain(|c| seen.insert(c.name.clone()));
    cases
}

fn collect(manifest: &Path, cases: &mut Vec<Case>) {
    let g = read_graph(manifest).unwrap();
    let me: Term = iri(&url_of(&manifest.canonicalize().unwrap()).unwrap())
        .into_owned()
        .into();
    let include = format!("{MF}include");
    for t in g.triples_for_predicate(iri(&include)) {
        collect(&file_of(&t.object.into_owned()), cases);
    }
    let Some(entries) = one(&g, &me, &format!("{MF}entries")) else {
        return;
    };
    for entry in list(&g, entries) {
        let action = one(&g, &entry, &format!("{MF}action")).unwrap();
        let result = one(&g, &entry, &format!("{MF}result")).unwrap();
        let expected = if result == Term::from(iri(&format!("{SHT}Failure")).into_owned()) {
            None
        } else {
            let mut report = Graph::new();
            closure(&g, &result, &mut report);
            Some(report)
        };
        cases.push(Case {
            name: entry.to_string(),
            data: file_of(&one(&g, &action, &format!("{SHT}dataGraph")).unwrap()),
            shapes: file_of(&one(&g, &action, &format!("{SHT}shapesGraph")).unwrap()),
            expected,
        });
    }
}

/// The expected report: the result node's description, following blank nodes except into the
/// data and shapes nodes a result names (their own triples are not part of the report).
fn closure(g: &Graph, node: &Term, out: &mut Graph) {
    let Term::BlankNode(b) = node else { return };
    for t in g.triples_for_subject(b) {
        let leaf = ["focusNode", "value", "sourceShape", "sourceConstraint"]
            .iter()
            .any(|l| t.predicate.as_str() == format!("http://www.w3.org/ns/shacl#{l}"));
        if out.insert(t) && !leaf {
            closure(g, &t.object.into_owned(), out);
        }
    }
}

fn run(case: &Case) -> Result<(), String> {
    let data = read_graph(&case.data).map_err(|e| e.to_string())?;
    let shapes_graph = if case.shapes == case.data {
        data.clone()
    } else {
        read_graph(&case.shapes).map_err(|e| e.to_string())?
    };
    let source = case.shapes.display().to_string();
    // Plain SHACL semantics: the suite has files with non-SHACL `sh:` terms (sh:nodeShape) and
    // paths SHACL-for-SHACL rejects, which it expects an engine to ignore.
    let outcome = Shapes::compile(shapes_graph, &source, Strictness::Lenient)
        .map_err(|e| e.to_string())
        .and_then(|s| s.validate(&data).map_err(|e| e.to_string()));
    match (&case.expected, outcome) {
        (None, Err(_)) => Ok(()),
        (None, Ok(_)) => Err("expected a failure, but validation ran".into()),
        (Some(_), Err(e)) => Err(format!("unexpected failure: {e}")),
        (Some(expected), Ok(report)) => {
            // Messages are compared apart: every expected message must be produced, but the
            // suite leaves out messages an engine may add (SHACL lets engines add them).
            let message = iri("http://www.w3.org/ns/shacl#resultMessage");
            let actual_full = report.to_graph();
            let messages = |g: &Graph| -> Vec<Term> {
                g.triples_for_predicate(message)
                    .map(|t| t.object.into_owned())
                    .collect()
            };
            let produced = messages(&actual_full);
            for m in messages(expected) {
                if !produced.contains(&m) {
                    return Err(format!("expected message {m} not produced"));
                }
            }
            let strip =
                |g: &Graph| -> Graph { g.iter().filter(|t| t.predicate != message).collect() };
            let mut actual = strip(&actual_full);
            let mut expected = strip(expected);
            actual.canonicalize(CanonicalizationAlgorithm::default());
            expected.canonicalize(CanonicalizationAlgorithm::default());
            if actual == expected {
                Ok(())
            } else {
                Err(format!(
                    "report differs.\nexpected:\n{expected}\nactual:\n{actual}"
                ))
            }
        }
    }
}

fn run_suite(manifest: &str, expected_passes: usize) {
    let cases = collect_all(&suite_dir().join(manifest).canonicalize().unwrap());
    let mut failures = Vec::new();
    for case in &cases {
        if let Err(e) = run(case) {
            failures.push(format!("{}: {e}", case.name));
        }
    }
    let passed = cases.len() - failures.len();
    println!("{manifest}: {passed}/{} passed", cases.len());
    for f in &failures {
        println!("FAIL {f}\n");
    }
    assert_eq!(
        cases.len(),
        expected_passes,
        "number of tests in {manifest}"
    );
    assert!(
        failures.is_empty(),
        "{} of {} tests failed",
        failures.len(),
        cases.len()
    );
}

#[test]
fn w3c_core() {
    run_suite("core/manifest.ttl", 98);
}

#[test]
fn w3c_sparql() {
    run_suite("sparql/manifest.ttl", 23);
}
