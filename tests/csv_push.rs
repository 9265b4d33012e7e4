//! CSV pushes through a norm's CSV-on-the-Web mapping, with the official OFN code-list
//! descriptor and example from `../shared/ofn/cz-ofn-ciselniky/`.

mod client;
#[allow(dead_code)]
mod support;

use client::{config, get, push, start};
use oxigraph::model::{Graph, LiteralRef, NamedNodeRef, TermRef, TripleRef};

/// A norm folder `tabulky` whose CSV mapping is the official code-list table schema.
fn norms_with_csv_mapping(dir: &std::path::Path) -> std::path::PathBuf {
    let norms = dir.join("ofn");
    let folder = norms.join("tabulky");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::copy(
        support::shared("ofn/cz-ofn-ciselniky/číselník-měn.csv-metadata.json"),
        folder.join("tabulka.json"),
    )
    .unwrap();
    std::fs::write(
        folder.join("norm.toml"),
        "id = \"tabulky\"\nversion = \"1\"\ntitle = { en = \"Tables\" }\nshapes = []\n\
         csv = \"tabulka.json\"\n[templates]\ndataset = \"{base}zdroj/{dataset}\"\n\
         version = \"{dataset}/verze/{version}\"\nitem = \"{dataset}/položky/{code}\"\n\
         file = \"{dataset}.{ext}\"\n",
    )
    .unwrap();
    let generic = norms.join("generic");
    std::fs::create_dir_all(&generic).unwrap();
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/ofn/generic/norm.toml"),
        generic.join("norm.toml"),
    )
    .unwrap();
    norms
}

fn iri(s: &str) -> NamedNodeRef<'_> {
    NamedNodeRef::new(s).unwrap()
}

fn graph_of(nt: &str) -> Graph {
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(nt.as_bytes())
        .map(|q| oxigraph::model::Triple::from(q.unwrap()))
        .collect()
}

#[test]
fn official_code_list_csv_becomes_skos() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(None);
    cfg.norms_dir = norms_with_csv_mapping(dir.path());
    let server = start(cfg);
    let csv = std::fs::read(support::shared("ofn/cz-ofn-ciselniky/číselník-měn.csv")).unwrap();
    let r = push(
        &server,
        "měny?norm=tabulky",
        "text/csv; charset=utf-8",
        &csv,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/měny.nt", server.url());
    let graph = graph_of(&get(&url, &[]).text());

    let skos = |l: &str| format!("http://www.w3.org/2004/02/skos/core#{l}");
    let list = "https://data.poskytovatel.cz/zdroj/číselník/měny";
    let item = "https://data.poskytovatel.cz/zdroj/číselník/měny/položka/064";
    let has = |s: &str, p: &str, o: TermRef<'_>| graph.contains(TripleRef::new(iri(s), iri(p), o));
    let rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";
    assert!(has(list, rdf_type, iri(&skos("ConceptScheme")).into()));
    assert!(has(item, rdf_type, iri(&skos("Concept")).into()));
    assert!(has(item, &skos("inScheme"), iri(list).into()));
    assert!(has(
        item,
        &skos("notation"),
        LiteralRef::new_simple_literal("064").into()
    ));
    let label = |text, lang| LiteralRef::new_language_tagged_literal_unchecked(text, lang).into();
    assert!(has(
        item,
        &skos("prefLabel"),
        label("bhútánský ngultrum", "cs")
    ));
    assert!(has(
        item,
        &skos("prefLabel"),
        label("bhutanese ngultrum", "en")
    ));
    // Validity: an interval whose ends are instants with typed dates.
    let begin = format!("{item}/platnost/začátek");
    let date = iri("http://www.w3.org/2001/XMLSchema#date");
    assert!(has(
        &begin,
        "http://www.w3.org/2006/time#inXSDDate",
        LiteralRef::new_typed_literal("2009-01-01", date).into()
    ));
    assert!(has(
        &format!("{item}/platnost"),
        "http://www.w3.org/2006/time#hasBeginning",
        iri(&begin).into()
    ));
    // Empty cells give no triple; the "unspecified end" flag is a boolean.
    let end = "https://data.poskytovatel.cz/zdroj/číselník/měny/položka/068/platnost/konec";
    let boolean = iri("http://www.w3.org/2001/XMLSchema#boolean");
    assert!(has(
        end,
        "https://slovník.gov.cz/generický/čas/pojem/je-nespecifikovaný",
        LiteralRef::new_typed_literal("true", boolean).into()
    ));
    assert!(!graph
        .triples_for_subject(iri(end))
        .any(|t| t.predicate.as_str().ends_with("inXSDDate")));
}

#[test]
fn bad_csv_is_refused_with_row_and_column_and_needs_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(None);
    cfg.norms_dir = norms_with_csv_mapping(dir.path());
    let server = start(cfg);
    let csv =
        std::fs::read_to_string(support::shared("ofn/cz-ofn-ciselniky/číselník-měn.csv")).unwrap();
    let broken = csv.replacen("2009-01-01", "2009-13-45", 1);
    let r = push(&server, "měny?norm=tabulky", "text/csv", broken.as_bytes());
    assert_eq!(r.status, 400, "{}", r.text());
    let detail = r.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("row 2") && detail.contains("xsd:date"),
        "{detail}"
    );
    let header = csv.replacen("číselník_kód", "kód", 1);
    let r = push(&server, "měny?norm=tabulky", "text/csv", header.as_bytes());
    assert_eq!(r.status, 400);
    let detail = r.json()["detail"].as_str().unwrap().to_owned();
    assert!(
        detail.contains("column 2") && detail.contains("is not a column of the table schema"),
        "{detail}"
    );
    // The generic norm has no CSV mapping.
    let r = push(&server, "jiné", "text/csv", csv.as_bytes());
    assert_eq!(r.status, 415, "{}", r.text());
    assert_eq!(
        get(&format!("{}api/v1/datasets/měny", server.url()), &[]).status,
        404
    );
}

/// Rows of a CSV text (header first).
fn csv_rows(text: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// Columns holding values of the same property in the same language: which value lands in
/// which of them is not recorded in RDF, so they are compared as sets.
const SAME_PROPERTY: &[&[&str]] = &[
    &["číselník_kód", "číselník_akronym"],
    &[
        "číselník_položka_alt_název_cs",
        "číselník_položka_zkr_název_cs",
    ],
    &[
        "číselník_položka_alt_název_en",
        "číselník_položka_zkr_název_en",
    ],
];

/// Asserts that `got` is the official row `want` (under `header`).
fn assert_same_row(header: &[String], got: &[String], want: &[String]) {
    assert_eq!(got.len(), want.len());
    for (i, name) in header.iter().enumerate() {
        match SAME_PROPERTY.iter().find(|g| g.contains(&name.as_str())) {
            Some(group) => {
                let index = |n: &&str| header.iter().position(|h| h == n).unwrap();
                let mut a: Vec<&String> = group.iter().map(|n| &got[index(n)]).collect();
                let mut b: Vec<&String> = group.iter().map(|n| &want[index(n)]).collect();
                a.sort();
                b.sort();
                assert_eq!(a, b, "columns {group:?}");
            }
            None => assert_eq!(got[i], want[i], "column {name}"),
        }
    }
}

#[test]
fn a_resource_as_csv_is_its_row_in_the_norm_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = config(None);
    cfg.norms_dir = norms_with_csv_mapping(dir.path());
    // The official example's IRIs are the server's own.
    cfg.base = "https://data.poskytovatel.cz/".into();
    let server = start(cfg);
    let csv = std::fs::read(support::shared("ofn/cz-ofn-ciselniky/číselník-měn.csv")).unwrap();
    let r = push(&server, "měny?norm=tabulky", "text/csv", &csv);
    assert_eq!(r.status, 201, "{}", r.text());
    let official = csv_rows(&csv);
    let header = &official[0];

    let item = get(
        &format!("{}zdroj/číselník/měny/položka/064", server.url()),
        &[("Accept", "text/csv")],
    );
    assert_eq!(item.status, 200);
    assert!(!item.body.starts_with("\u{feff}".as_bytes()), "no BOM");
    let rows = csv_rows(&item.body);
    assert_eq!(&rows[0], header, "the norm's own columns");
    assert_eq!(rows.len(), 2, "one row for an item");
    let want = official.iter().find(|r| r[14] == "064").unwrap();
    assert_same_row(header, &rows[1], want);

    // The list: every row of the table, in item order.
    let list = get(&format!("{}zdroj/číselník/měny.csv", server.url()), &[]);
    let rows = csv_rows(&list.body);
    assert_eq!(rows.len(), official.len(), "{}", list.text());
    let mut want: Vec<&Vec<String>> = official[1..].iter().collect();
    want.sort_by(|a, b| a[13].cmp(&b[13]));
    for (got, want) in rows[1..].iter().zip(want) {
        assert_same_row(header, got, want);
    }

    // A resource no key column types keeps the long table.
    let interval = get(
        &format!("{}zdroj/číselník/měny/položka/064/platnost", server.url()),
        &[("Accept", "text/csv")],
    );
    assert!(interval
        .text()
        .starts_with("property,property_label,value,value_label,language,datatype"));
}
