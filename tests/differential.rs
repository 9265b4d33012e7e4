//! Differential tests against pySHACL: the DCAT-AP 3.0.0 / 2.1.1 shapes and the Czech DCAT-AP-CZ
//! shapes, on the official examples and on generated catalog records with planted errors.
//! Conformance and the number of results per constraint component must agree.
//!
//! Needs `python3` with `pyshacl` (`pip install pyshacl`; `make test` and `.ci/run` install it).

mod support;

use datafond::rdf_file::read_graph;
use datafond::shacl::Shapes;
use oxigraph::model::Graph;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use support::{shared, turtle_files};

/// The shapes files compared; each must compile strictly.
fn shapes_sets() -> Vec<Vec<PathBuf>> {
    let mut sets: Vec<Vec<PathBuf>> = [
        "shapes-ref/DCAT-AP/3.0.0/shacl/dcat-ap-SHACL.ttl",
        "shapes-ref/DCAT-AP/2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl",
        "shapes-ref/DCAT-AP/2.1.1/dcat-ap_2.1.1_shacl_range.ttl",
        "shapes-ref/DCAT-AP/2.1.1/dcat-ap_2.1.1_shacl_shapes_recommended.ttl",
        "shapes-ref/DCAT-AP/2.1.1/dcat-ap_2.1.1_shacl_mdr-vocabularies.shape.ttl",
    ]
    .iter()
    .map(|p| vec![shared(p)])
    .collect();
    let cz = turtle_files(&shared("shapes-ref/DCAT-AP-CZ"));
    sets.extend(
        cz.into_iter()
            .filter(|p| p.ends_with("shacl.ttl"))
            .map(|p| vec![p]),
    );
    sets
}

/// The data files: every official example plus generated records.
fn data_files(generated: &Path) -> Vec<PathBuf> {
    let mut data = turtle_files(&shared("shapes-ref/DCAT-AP-CZ/examples"));
    for f in std::fs::read_dir(shared("ofn/cz-dcat-ap-cz")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "ttl") && !p.to_string_lossy().contains("slovník") {
            data.push(p);
        }
    }
    data.sort();
    data.push(generated.to_path_buf());
    data
}

/// Catalog records in the DCAT-AP-CZ style, with errors planted in a deterministic pattern:
/// missing titles, titles in one language only, wrong datatypes, literals where IRIs belong.
fn generated_records(n: usize) -> String {
    let mut ttl = String::from(
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .\n@prefix dct: <http://purl.org/dc/terms/> .\n\
         @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n@prefix foaf: <http://xmlns.com/foaf/0.1/> .\n\
         @prefix ex: <https://data.example.cz/> .\n\
         ex:catalog a dcat:Catalog ; dct:title \"Katalog\"@cs, \"Catalog\"@en ; dct:description \"Popis\"@cs ;\n\
           dct:publisher ex:publisher .\nex:publisher a foaf:Agent ; foaf:name \"Úřad\"@cs .\n",
    );
    for i in 0..n {
        ttl.push_str(&format!(
            "ex:catalog dcat:dataset ex:ds{i} .\nex:ds{i} a dcat:Dataset"
        ));
        if i % 7 != 0 {
            ttl.push_str(&format!(" ; dct:title \"Datová sada {i}\"@cs"));
        }
        if i % 3 == 0 {
            ttl.push_str(&format!(" ; dct:title \"Dataset {i}\"@en"));
        }
        if i % 5 != 0 {
            ttl.push_str(&format!(" ; dct:description \"Popis {i}\"@cs"));
        }
        if i % 11 == 0 {
            ttl.push_str(" ; dct:issued \"not a date\"^^xsd:date");
        } else {
            ttl.push_str(&format!(
                " ; dct:issued \"2024-01-{:02}\"^^xsd:date",
                i % 28 + 1
            ));
        }
        if i % 13 == 0 {
            ttl.push_str(" ; dcat:theme \"transport\"");
        }
        ttl.push_str(&format!(
            " ; dct:publisher ex:publisher ; dcat:distribution ex:dist{i} .\n\
             ex:dist{i} a dcat:Distribution ; dcat:accessURL <https://data.example.cz/files/{i}>"
        ));
        if i % 4 != 0 {
            ttl.push_str(&format!(
                " ; dcat:downloadURL <https://data.example.cz/files/{i}.csv>"
            ));
        }
        if i % 9 == 0 {
            ttl.push_str(" ; dcat:byteSize \"big\"");
        }
        ttl.push_str(" .\n");
    }
    ttl
}

fn ours(shapes: &Shapes, data: &Graph) -> (bool, BTreeMap<String, u64>) {
    let report = shapes.validate(data).expect("validation runs");
    let mut counts = BTreeMap::new();
    for r in &report.results {
        let local = r.component.as_str().rsplit('#').next().unwrap().to_owned();
        *counts.entry(local).or_insert(0) += 1;
    }
    (report.conforms(), counts)
}

fn pyshacl(jobs: &Value) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support/pyshacl_oracle.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(jobs.to_string().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "pySHACL oracle failed (is pyshacl installed?)"
    );
    serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
}

#[test]
fn agrees_with_pyshacl_on_dcat_ap_shapes() {
    let dir = tempfile::tempdir().unwrap();
    let generated = dir.path().join("generated-records.ttl");
    std::fs::write(&generated, generated_records(300)).unwrap();

    let sets = shapes_sets();
    let data = data_files(&generated);
    let mut jobs = Vec::new();
    let mut expected = Vec::new();
    for shapes_files in &sets {
        let mut g = Graph::new();
        for f in shapes_files {
            g.extend(&read_graph(f).unwrap());
        }
        let shapes = Shapes::from_graph(g, &shapes_files[0].display().to_string())
            .unwrap_or_else(|e| panic!("{e}"));
        for d in &data {
            let graph = read_graph(d).unwrap();
            expected.push((shapes_files[0].clone(), d.clone(), ours(&shapes, &graph)));
            jobs.push(json!({"shapes": shapes_files, "data": [d]}));
        }
    }
    let theirs = pyshacl(&Value::Array(jobs));
    let mut disagreements = Vec::new();
    let mut nonconforming = 0;
    for ((shapes, data, (conforms, counts)), py) in expected.iter().zip(&theirs) {
        let py_counts: BTreeMap<String, u64> = py["counts"]
            .as_object()
            .unwrap_or_else(|| panic!("pySHACL: {py}"))
            .iter()
            .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
            .collect();
        if !conforms {
            nonconforming += 1;
        }
        if Some(*conforms) != py["conforms"].as_bool() || *counts != py_counts {
            disagreements.push(format!(
                "{} on {}:\n  datafond {conforms} {counts:?}\n  pySHACL  {py}",
                shapes.display(),
                data.display()
            ));
        }
    }
    println!(
        "{} pairs compared, {nonconforming} not conforming",
        expected.len()
    );
    assert!(
        nonconforming > 10,
        "the comparison must include failing data"
    );
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}
