//! The store commands of the real binary: push, datasets, versions, export, dump, load, and serve's
//! refusal of a bad configuration.

mod client;

use client::run;
use std::path::Path;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const ONE: &str =
    "<http://localhost:8080/zdroj/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A\"@en .\n";
const TWO: &str = "<http://localhost:8080/zdroj/a> <http://www.w3.org/2000/01/rdf-schema#label> \"A2\"@en .\n\
                   <http://localhost:8080/zdroj/b> <http://www.w3.org/2000/01/rdf-schema#label> \"B\"@en .\n";

#[test]
fn push_then_list_export_dump_and_load() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let data = data.to_str().unwrap();
    let one = write(dir.path(), "one.nt", ONE);
    let two = write(dir.path(), "two.data", TWO);

    let (code, out, err) = run(&["push", "--data-dir", data, "demo", &one]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["status"], "published");
    assert_eq!(report["triples"], 1);
    // An unknown extension needs --format.
    let (code, _, err) = run(&["push", "--data-dir", data, "demo", &two]);
    assert_ne!(code, 0);
    assert!(err.contains("--format"), "{err}");
    let (code, out, err) = run(&["push", "--data-dir", data, "--format", "nt", "demo", &two]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        (
            report["seq"].as_u64(),
            report["added"].as_u64(),
            report["removed"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );

    // Compacting keeps everything.
    let (code, _, err) = run(&["optimize", "--data-dir", data]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = run(&["datasets", "--data-dir", data]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with("demo\t2\t2 triples\tnorm generic\t"),
        "{out}"
    );
    let (code, out, _) = run(&["versions", "--data-dir", data, "demo"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.lines().nth(1).unwrap().contains("+2 -1"));

    let (code, out, _) = run(&[
        "export",
        "--data-dir",
        data,
        "demo",
        "--version",
        "1",
        "--format",
        "nt",
    ]);
    assert_eq!(code, 0);
    assert_eq!(out, ONE);
    let (code, out, _) = run(&["export", "--data-dir", data, "demo"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("\"A2\"@en") && out.contains("\"B\"@en"),
        "{out}"
    );
    let (code, _, err) = run(&["export", "--data-dir", data, "demo", "--version", "9"]);
    assert_ne!(code, 0);
    assert!(err.contains("no version 9"), "{err}");

    // A bad push exits non-zero and changes nothing.
    let bad = write(dir.path(), "bad.nt", "<http://a.example/s> <p> .\n");
    let (code, _, err) = run(&["push", "--data-dir", data, "demo", &bad]);
    assert_ne!(code, 0);
    assert!(err.contains("line 1"), "{err}");

    // dump → load into a fresh folder restores every version, files included.
    let (code, dump, _) = run(&["dump", "--data-dir", data]);
    assert_eq!(code, 0);
    let dump_file = write(dir.path(), "dump.nq", &dump);
    let copy = dir.path().join("copy");
    let copy = copy.to_str().unwrap();
    let (code, _, err) = run(&["load", "--data-dir", copy, &dump_file]);
    assert_eq!(code, 0, "{err}");
    let (_, listed, _) = run(&["versions", "--data-dir", copy, "demo"]);
    let (_, original, _) = run(&["versions", "--data-dir", data, "demo"]);
    assert_eq!(listed, original);
    let v1 = Path::new(copy).join("files/demo/1/data.ttl");
    assert!(v1.is_file(), "files are rebuilt after load");
    // Loading into a non-empty store is refused.
    let (code, _, err) = run(&["load", "--data-dir", copy, &dump_file]);
    assert_ne!(code, 0);
    assert!(err.contains("not empty"), "{err}");
    // A dated version is named by its date; a date out of order is refused.
    let three = write(dir.path(), "three.nt", ONE);
    let (code, out, err) = run(&[
        "push",
        "--data-dir",
        data,
        "--version-date",
        "2024-05-01",
        "demo",
        &three,
    ]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(
        report["version"]
            .as_str()
            .unwrap()
            .ends_with("/verze/2024-05-01"),
        "{report}"
    );
    let (code, _, err) = run(&[
        "push",
        "--data-dir",
        data,
        "--version-date",
        "2024-04-01",
        "demo",
        &two,
        "--format",
        "nt",
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("2024-05-01"), "{err}");
}

#[test]
fn every_command_has_help() {
    for command in [
        "serve", "push", "validate", "datasets", "versions", "export", "dump", "load", "optimize",
        "routes",
    ] {
        let (code, out, _) = run(&[command, "--help"]);
        assert_eq!(code, 0, "{command}");
        assert!(out.contains("Usage: datafond"), "{command}: {out}");
    }
}

#[test]
fn a_bad_configuration_stops_the_start_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "datafond.toml",
        "base = \"http://x.example/\"\n[limits]\nmax_bytes = -1\n",
    );
    let (code, _, err) = run(&["serve", "--sandbox", "--config", &file]);
    assert_ne!(code, 0);
    assert!(err.contains("limits.max_bytes"), "{err}");
    let (code, _, err) = run(&["serve", "--sandbox", "--listen", "nowhere"]);
    assert_ne!(code, 0);
    assert!(err.contains("`listen`"), "{err}");
    let broken = dir.path().join("ofn/broken");
    std::fs::create_dir_all(&broken).unwrap();
    std::fs::write(broken.join("norm.toml"), "id = \"broken\"\nversion = 1\n").unwrap();
    let file = write(
        dir.path(),
        "norms.toml",
        &format!("norms_dir = {:?}\n", dir.path().join("ofn")),
    );
    let (code, _, err) = run(&["serve", "--sandbox", "--config", &file]);
    assert_ne!(code, 0);
    assert!(err.contains("norm.toml") && err.contains("line 2"), "{err}");
}

/// Every file of every version under `data` (relative path → bytes), without gzipped copies.
fn version_files(data: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    client::snapshot(&data.join("files"))
        .into_iter()
        .filter(|(path, _)| path.extension().is_none_or(|e| e != "gz"))
        .collect()
}

#[test]
fn load_rebuilds_a_code_lists_norm_files_too() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo/způsoby-doručení-1.csv");
    let csv = std::fs::read_to_string(demo)
        .unwrap()
        .replace("{base}", "http://localhost:8080/");
    let list = write(dir.path(), "list.csv", &csv);
    let (code, out, err) = run(&[
        "push",
        "--data-dir",
        data.to_str().unwrap(),
        "--norm",
        "ciselniky",
        "způsoby-doručení",
        &list,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("csv-metadata.json"), "{out}");
    let (code, dump, _) = run(&["dump", "--data-dir", data.to_str().unwrap()]);
    assert_eq!(code, 0);
    let dump_file = write(dir.path(), "dump.nq", &dump);
    let copy = dir.path().join("copy");
    let (code, _, err) = run(&["load", "--data-dir", copy.to_str().unwrap(), &dump_file]);
    assert_eq!(code, 0, "{err}");

    // The same files, the norm's CSV table, its CSVW descriptor and its JSON-LD form included.
    let (original, rebuilt) = (version_files(&data), version_files(&copy));
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        rebuilt.keys().collect::<Vec<_>>()
    );
    for name in ["data.csv", "data.csv-metadata.json", "data.jsonld"] {
        assert!(
            rebuilt.keys().any(|p| p.ends_with(name)),
            "{name} rebuilt: {:?}",
            rebuilt.keys()
        );
    }
    let lines = |bytes: &[u8]| {
        let mut lines: Vec<String> = String::from_utf8_lossy(bytes)
            .lines()
            .map(str::to_owned)
            .collect();
        lines.sort();
        lines
    };
    // Line for line (in any order) where a file's lines are independent: N-Triples, the CSV
    // table and the norm's JSON-LD; the other syntaxes may group the same triples otherwise.
    for (path, bytes) in &original {
        let name = path.file_name().unwrap().to_str().unwrap();
        if name == "data.jsonld" {
            // The norm's JSON-LD is the same document whichever order the triples came in.
            assert_eq!(
                String::from_utf8_lossy(bytes),
                String::from_utf8_lossy(&rebuilt[path])
            );
        }
        if name.ends_with(".nt") || name.starts_with("data.csv") {
            assert_eq!(lines(bytes), lines(&rebuilt[path]), "{}", path.display());
        }
    }
}

#[test]
fn a_store_in_use_is_refused_with_a_message_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let one = write(dir.path(), "one.nt", ONE);
    // This process holds the store, as a running server would.
    let held = datafond::store::Storage::open(datafond::config::StoreKind::Rocksdb, &data).unwrap();
    let data = data.to_str().unwrap();
    for args in [
        vec!["datasets", "--data-dir", data],
        vec!["push", "--data-dir", data, "demo", &one],
    ] {
        let (code, out, err) = run(&args);
        // Exit code 1 and the reason; a crash (a signal) has no exit code (-1 here).
        assert_eq!(code, 1, "{args:?}: {err}");
        assert!(out.is_empty(), "{out}");
        assert!(err.contains("another datafond process"), "{err}");
    }
    drop(held);
    let (code, _, err) = run(&["push", "--data-dir", data, "demo", &one]);
    assert_eq!(code, 0, "{err}");
}
