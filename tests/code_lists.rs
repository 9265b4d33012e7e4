//! The code-list norm (OFN Číselníky) through real HTTP pushes: every official example form is
//! accepted (JSON-LD with the bundled contexts, CSV through the norm's table, SKOS Turtle), the
//! JSON-LD and CSV forms of one list say the same about its items, and bad lists are refused
//! with the item and the rule, storing nothing.

mod client;
#[allow(dead_code)]
mod support;

use client::code_lists::{example, item, push_list, server, EXAMPLES, LIST};
use client::{config, get, start};
use oxigraph::model::vocab::rdf;
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use std::collections::BTreeSet;

fn content(server: &datafond::serve::Running, id: &str) -> Graph {
    let nt = get(&format!("{}zdroj/číselníky/{id}.nt", server.url()), &[]).text();
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(nt.as_bytes())
        .map(|q| oxigraph::model::Triple::from(q.unwrap()))
        .collect()
}

/// The subject form of an object, when it is a node.
fn node(term: TermRef<'_>) -> Option<NamedOrBlankNodeRef<'_>> {
    match term {
        TermRef::NamedNode(n) => Some(n.into()),
        TermRef::BlankNode(b) => Some(b.into()),
        _ => None,
    }
}

/// What a graph says about its items: code, names, list, and validity dates, one line each.
fn item_facts(graph: &Graph) -> BTreeSet<String> {
    let skos = |l: &str| format!("http://www.w3.org/2004/02/skos/core#{l}");
    let time = |l: &str| format!("http://www.w3.org/2006/time#{l}");
    let (concept, rdf_type) = (skos("Concept"), rdf::TYPE);
    let temporal = NamedNodeRef::new_unchecked("http://purl.org/dc/terms/temporal");
    let (date, mut facts) = (time("inXSDDate"), BTreeSet::new());
    for item in graph.subjects_for_predicate_object(rdf_type, NamedNodeRef::new_unchecked(&concept))
    {
        for p in ["notation", "prefLabel", "inScheme"] {
            let predicate = skos(p);
            for o in
                graph.objects_for_subject_predicate(item, NamedNodeRef::new_unchecked(&predicate))
            {
                facts.insert(format!("{item} {p} {o}"));
            }
        }
        for interval in graph
            .objects_for_subject_predicate(item, temporal)
            .filter_map(node)
        {
            for end in ["hasBeginning", "hasEnd"] {
                let predicate = time(end);
                let instants = graph
                    .objects_for_subject_predicate(
                        interval,
                        NamedNodeRef::new_unchecked(&predicate),
                    )
                    .filter_map(node);
                for instant in instants {
                    for d in graph
                        .objects_for_subject_predicate(instant, NamedNodeRef::new_unchecked(&date))
                    {
                        facts.insert(format!("{item} {end} {d}"));
                    }
                }
            }
        }
    }
    facts
}

#[test]
fn every_official_example_is_accepted_in_each_of_its_forms() {
    let server = server();
    for (i, name) in [
        "číselník-měn.jsonld",
        "číselník-měn-platnosti.jsonld",
        "číselník-měn-různé-jazyky.jsonld",
        "číselník-měn.csv",
        "číselník-měn-platnosti.csv",
    ]
    .iter()
    .enumerate()
    {
        let r = push_list(&server, &format!("příklad-{i}"), name, &example(name));
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        assert_eq!(r.json()["norm"], "ciselniky");
    }
    // The Turtle rendering leaves the open end of one validity without its "unspecified" flag,
    // which the norm's JSON Schema (and so its shapes) do not allow.
    let r = push_list(
        &server,
        "turtle",
        "x.ttl",
        &example("číselník-měn.skos.ttl"),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text()
            .contains("has a date, a date and time, or is unspecified"),
        "{}",
        r.text()
    );
    // The Czech-only example lacks the English names this deployment requires.
    let r = push_list(
        &server,
        "jen-česky",
        "x.jsonld",
        &example("číselník-měn-základní-podoba.jsonld"),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("language en"), "{}", r.text());
}

#[test]
fn the_json_ld_and_csv_forms_say_the_same_about_items() {
    let server = server();
    for (id, name) in [
        ("json", "číselník-měn-platnosti.jsonld"),
        ("csv", "číselník-měn-platnosti.csv"),
    ] {
        let r = push_list(&server, id, name, &example(name));
        assert_eq!(r.status, 201, "{name}: {}", r.text());
    }
    let (json, csv) = (
        item_facts(&content(&server, "json")),
        item_facts(&content(&server, "csv")),
    );
    assert!(json.len() >= 10, "{json:?}");
    assert_eq!(json, csv);
}

#[test]
fn bad_lists_are_refused_naming_the_item_and_the_rule() {
    let server = server();
    let refused = |name: &str, body: String, expect: &[&str]| {
        let r = push_list(&server, "barvy", name, body.as_bytes());
        assert!(
            r.status == 422 || r.status == 400,
            "{name}: {} {}",
            r.status,
            r.text()
        );
        for e in expect {
            assert!(
                r.text().contains(e),
                "{name}: expected {e:?} in {}",
                r.text()
            );
        }
    };
    let good = format!(
        "{LIST}{}{}",
        item("1", "červená", Some("red")),
        item("2", "modrá", Some("blue"))
    );
    // Two items with one code.
    refused(
        "duplicate.ttl",
        format!(
            "{LIST}{}{}",
            item("1", "červená", Some("red")),
            item("1", "modrá", Some("blue"))
        ),
        &[
            "položky/1-červená",
            "položky/1-modrá",
            "is used by more than one item",
        ],
    );
    // A required language missing.
    refused(
        "language.ttl",
        format!("{LIST}{}", item("1", "červená", None)),
        &["položky/1-červená", "language en is missing"],
    );
    // An item without a name.
    refused(
        "unnamed.ttl",
        format!(
            "{LIST}<http://data.example/zdroj/číselníky/barvy/položky/3> a skos:Concept ; \
             skos:inScheme <http://data.example/zdroj/číselníky/barvy> ; skos:notation \"3\" .\n"
        ),
        &["položky/3", "no full name"],
    );
    // A validity that ends before it begins.
    refused(
        "interval.ttl",
        format!(
            "{good}<http://data.example/zdroj/číselníky/barvy/položky/1-červená> dcterms:temporal [ a time:ProperInterval ; \
             time:hasBeginning [ a time:Instant ; time:inXSDDate \"2020-01-01\"^^xsd:date ] ; \
             time:hasEnd [ a time:Instant ; time:inXSDDate \"2019-01-01\"^^xsd:date ] ] .\n"
        ),
        &["položky/1-červená", "before it begins (2020-01-01)"],
    );
    // Malformed tables: a row with a missing cell, an unknown column, a bad date.
    let header = "číselník,číselník_název_cs,číselník_název_en,číselník_položka,číselník_položka_kód,číselník_položka_název_cs,číselník_položka_název_en";
    let list = "http://data.example/zdroj/číselníky/barvy";
    refused(
        "count.csv",
        format!("{header}\n{list},Barvy,Colours,{list}/položky/1,1,červená\n"),
        &["row 2"],
    );
    refused(
        "unknown.csv",
        format!("{header},barva\n{list},Barvy,Colours,{list}/položky/1,1,červená,red,x\n"),
        &["column 8", "barva", "is not a column of the table schema"],
    );
    refused(
        "date.csv",
        format!(
            "{header},číselník_položka_platnost_začátek_datum\n\
             {list},Barvy,Colours,{list}/položky/1,1,červená,red,2020-13-45\n"
        ),
        &["row 2", "not a valid xsd:date"],
    );
    // A JSON-LD document citing a context the norm does not bundle.
    refused(
        "context.jsonld",
        r#"{"@context": "https://example.org/neznámý-kontext.jsonld", "iri": "http://data.example/x"}"#.into(),
        &["not bundled"],
    );
    // Nothing of it was stored.
    let r = get(&format!("{}api/v1/datasets/barvy", server.url()), &[]);
    assert_eq!(r.status, 404, "{}", r.text());
    // The good list is accepted; a placeholder item is a warning, not a refusal.
    let placeholder = format!("{good}{}", item("99", "Nezjištěno", Some("Unknown")));
    let r = push_list(&server, "barvy", "good.ttl", placeholder.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(r.json()["warnings"], 2, "{}", r.text());
}

#[test]
fn each_version_has_its_table_as_csv_with_a_csvw_descriptor_that_pushes_back() {
    let server = server();
    let name = "číselník-měn-platnosti.jsonld";
    let r = push_list(&server, "json", name, &example(name));
    assert_eq!(r.status, 201, "{}", r.text());
    let report = r.json();
    let files = report["files"].as_array().unwrap();
    let url_of_ext = |ext: &str| {
        files
            .iter()
            .find(|f| f[0] == ext)
            .and_then(|f| f[1].as_str())
            .unwrap_or_else(|| panic!("no {ext} file in {report}"))
            .to_owned()
    };
    let (csv_url, descriptor_url) = (url_of_ext("csv"), url_of_ext("csv-metadata.json"));
    let csv = get(&client::url_of(&server, &csv_url), &[]);
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let descriptor = get(&client::url_of(&server, &descriptor_url), &[]);
    assert_eq!(descriptor.status, 200);
    let json = descriptor.json();
    assert_eq!(json["@type"], "Table");
    assert_eq!(json["url"], csv_url.as_str());
    // The descriptor is a table schema datafond reads, and the table converts with it.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.json");
    std::fs::write(&path, &descriptor.body).unwrap();
    let mapping = datafond::csvw::CsvMapping::load(&path).unwrap();
    let mut triples = 0;
    mapping
        .convert(&csv.body, &csv_url, |_| triples += 1)
        .unwrap();
    assert!(triples > 20, "{triples}");
    // Pushed back as CSV, the table says what the JSON-LD said about every item, validity
    // included (blank-node intervals in the JSON-LD, IRIs in the table).
    let r = push_list(&server, "zpět", "x.csv", &csv.body);
    assert_eq!(r.status, 201, "{}", r.text());
    let (json, back) = (
        item_facts(&content(&server, "json")),
        item_facts(&content(&server, "zpět")),
    );
    assert!(json.iter().any(|f| f.contains("hasEnd")), "{json:?}");
    assert_eq!(json, back);
}

/// A graph read from JSON-LD, its contexts taken from the code-list norm's bundled copies.
fn from_jsonld(json: &[u8]) -> Graph {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let norm =
        datafond::norm::load_norm(&root.join("ofn/ciselniky"), &root.join("shapes")).unwrap();
    let contexts = norm.contexts.clone();
    oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::JsonLd {
        profile: oxigraph::io::JsonLdProfileSet::empty(),
    })
    .for_slice(json)
    .with_document_loader(move |iri| {
        Ok(oxigraph::io::LoadedDocument {
            url: iri.to_owned(),
            content: contexts.get(iri).ok_or("not bundled")?.to_vec(),
            format: oxigraph::io::RdfFormat::JsonLd {
                profile: oxigraph::io::JsonLdProfile::Context.into(),
            },
        })
    })
    .map(|q| oxigraph::model::Triple::from(q.unwrap()))
    .collect()
}

fn canonical(mut graph: Graph) -> Graph {
    graph.canonicalize(oxigraph::model::graph::CanonicalizationAlgorithm::Unstable);
    graph
}

/// Checks a JSON document against an official JSON Schema (a path under `../shared`), the
/// schemas it cites read from the bundled copies: the errors found, if any.
fn schema_check(schema: &str, document: &[u8]) -> Result<(), String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.json");
    std::fs::write(&path, document).unwrap();
    let checked = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/ofn_schema.py"
        ))
        .arg(support::shared(schema))
        .arg(support::shared("ofn/cz-ofn-schemata"))
        .arg(&path)
        .output()
        .expect("python3 runs");
    match checked.status.success() {
        true => Ok(()),
        false => Err(format!(
            "{}{}",
            String::from_utf8_lossy(&checked.stdout),
            String::from_utf8_lossy(&checked.stderr)
        )),
    }
}

#[test]
fn json_ld_comes_out_in_the_norms_form_valid_against_its_json_schema_and_the_same_graph() {
    let server = server();
    for (i, name) in [
        "číselník-měn.jsonld",
        "číselník-měn-platnosti.jsonld",
        "číselník-měn.csv",
    ]
    .iter()
    .enumerate()
    {
        let id = format!("forma-{i}");
        let r = push_list(&server, &id, name, &example(name));
        assert_eq!(r.status, 201, "{name}: {}", r.text());
        let jsonld = get(&format!("{}zdroj/číselníky/{id}.jsonld", server.url()), &[]);
        assert_eq!(jsonld.status, 200);
        let document = jsonld.json();
        assert_eq!(
            document["@context"],
            "https://ofn.gov.cz/číselníky/2022-02-08/kontexty/číselník.jsonld"
        );
        assert_eq!(document["typ"], "Číselník", "{document}");
        assert!(
            document["položky"].as_array().is_some_and(|p| p.len() == 2),
            "{document}"
        );
        // The official JSON Schema accepts it.
        let schema = format!("{EXAMPLES}/schema-json-ld-číselník.json");
        if let Err(errors) = schema_check(&schema, &jsonld.body) {
            panic!("{name}: {errors}");
        }
        // Read back, it is the version's graph.
        assert_eq!(
            canonical(from_jsonld(&jsonld.body)),
            canonical(content(&server, &id)),
            "{name}"
        );
    }
    // A single item's view, negotiated: the norm's keys, and the same graph as its Turtle.
    let list = format!(
        "{LIST}{}<http://data.example/zdroj/číselníky/barvy/položky/1-červená> dcterms:temporal [ \
         a time:ProperInterval ; time:hasBeginning [ a time:Instant ; time:inXSDDate \"2020-01-01\"^^xsd:date ] ; \
         time:hasEnd [ a time:Instant ; <https://slovník.gov.cz/generický/čas/pojem/je-nespecifikovaný> true ] ] .\n",
        item("1", "červená", Some("red"))
    );
    let r = push_list(&server, "barvy", "list.ttl", list.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    // The list's IRI (its dataset's too) negotiated: the list with its items, as the norm's
    // documents are (its JSON Schema requires `položky`), and its dataset's description.
    let negotiated = get(
        &format!("{}zdroj/číselníky/barvy", server.url()),
        &[("Accept", "application/ld+json")],
    );
    let document = negotiated.json();
    assert_eq!(document["položky"][0]["kód"], "1", "{document}");
    let schema = format!("{EXAMPLES}/schema-json-ld-číselník.json");
    if let Err(errors) = schema_check(&schema, &negotiated.body) {
        panic!("{errors}{document}");
    }
    // Every triple of the list's file is in it (the blank nodes of validity, as many; those of
    // the description's class partitions aside).
    let (whole, file) = (from_jsonld(&negotiated.body), content(&server, "barvy"));
    let void = "http://rdfs.org/ns/void#";
    let blank = |t: &oxigraph::model::TripleRef<'_>| {
        t.subject.is_blank_node() && !t.predicate.as_str().starts_with(void)
    };
    assert!(file
        .iter()
        .filter(|t| !blank(t) && !t.object.is_blank_node())
        .all(|t| whole.contains(t)));
    assert_eq!(
        whole.iter().filter(blank).count(),
        file.iter().filter(blank).count()
    );
    assert!(whole.len() > file.len(), "with its dataset's description");
    let url = format!("{}zdroj/číselníky/barvy/položky/1-červená", server.url());
    let jsonld = get(&url, &[("Accept", "application/ld+json")]);
    let document = jsonld.json();
    assert_eq!(document["typ"], "Položka", "{document}");
    assert_eq!(document["kód"], "1", "{document}");
    assert_eq!(document["název"]["en"], "red", "{document}");
    assert_eq!(
        document["platnost"]["konec"]["nespecifikovaný"], true,
        "{document}"
    );
    let turtle = get(&url, &[("Accept", "application/n-triples")]).text();
    let turtle: Graph = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(turtle.as_bytes())
        .map(|q| oxigraph::model::Triple::from(q.unwrap()))
        .collect();
    assert_eq!(canonical(from_jsonld(&jsonld.body)), canonical(turtle));
}

/// A list pushed as CSV names its items' validity by IRIs (`<item>/platnost`, as the norm's
/// CSV-on-the-Web mapping does) where JSON-LD nests it unnamed: an item's views show it inside
/// the item all the same, so its JSON-LD has the interval the norm's schema requires.
#[test]
fn a_csv_pushed_items_validity_shows_inside_it() {
    let server = server();
    let csv = String::from_utf8(example("číselník-měn-platnosti.csv"))
        .unwrap()
        .replace("https://data.poskytovatel.cz/", "http://data.example/");
    let r = push_list(&server, "meny", "list.csv", csv.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/číselník/měny/položka/064", server.url());
    let jsonld = get(&url, &[("Accept", "application/ld+json")]);
    let document = jsonld.json();
    let validity = &document["platnost"];
    assert_eq!(validity["začátek"]["datum"], "2009-01-01", "{document}");
    assert_eq!(validity["konec"]["datum"], "2020-06-30", "{document}");
    let schema =
        "ofn/cz-ofn-schemata/základní-datové-typy_2020-07-01_schémata_časový-interval.json";
    let body = serde_json::to_vec(validity).unwrap();
    if let Err(errors) = schema_check(schema, &body) {
        panic!("{errors}{document}");
    }
    let nt = get(&url, &[("Accept", "application/n-triples")]).text();
    let nt: Graph = oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples)
        .for_slice(nt.as_bytes())
        .map(|q| oxigraph::model::Triple::from(q.unwrap()))
        .collect();
    assert_eq!(canonical(from_jsonld(&jsonld.body)), canonical(nt));
    let page = get(&url, &[("Accept", "text/html")]).text();
    assert!(
        page.contains(">…/platnost</a><table") && page.contains(">2020-06-30<"),
        "{page}"
    );
}

/// A list larger than `document_max_triples` is not made whole on request: negotiated at its
/// IRI, an RDF syntax is its file (the whole list, written once at publish); its description,
/// which links the files, stays at `?format=`.
#[test]
fn a_list_past_the_document_bound_is_answered_by_its_files() {
    let mut cfg = config(None);
    cfg.required_languages = vec!["cs".into(), "en".into()];
    cfg.document_max_triples = 5;
    let server = start(cfg);
    let list = format!("{LIST}{}", item("1", "červená", Some("red")));
    let r = push_list(&server, "barvy", "list.ttl", list.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/číselníky/barvy", server.url());
    for (accept, ext) in [
        ("application/ld+json", "jsonld"),
        ("text/turtle", "ttl"),
        ("text/csv", "csv"),
    ] {
        let negotiated = get(&url, &[("Accept", accept)]);
        let file = get(&format!("{url}.{ext}"), &[]);
        assert_eq!(negotiated.status, 200);
        assert_eq!(negotiated.body, file.body, "{accept}");
        assert_eq!(negotiated.header("etag"), file.header("etag"));
        let location = format!("/zdroj/%C4%8D%C3%ADseln%C3%ADky/barvy.{ext}");
        assert_eq!(
            negotiated.header("content-location"),
            Some(location.as_str())
        );
        let vary = negotiated.headers.iter().filter(|(n, _)| n == "vary");
        let tokens: Vec<&str> = vary.flat_map(|(_, v)| v.split(", ")).collect();
        assert!(tokens.contains(&"Accept"), "{tokens:?}");
    }
    // The description's CSV, the list's whole table, is the same file (not made again).
    let table = get(&format!("{url}?format=csv"), &[]);
    assert_eq!(table.body, get(&format!("{url}.csv"), &[]).body);
    let location = "/zdroj/%C4%8D%C3%ADseln%C3%ADky/barvy.csv";
    assert_eq!(table.header("content-location"), Some(location));
    let vary = table.headers.iter().filter(|(n, _)| n == "vary");
    let tokens: Vec<&str> = vary.flat_map(|(_, v)| v.split(", ")).collect();
    assert!(!tokens.contains(&"Accept"), "{tokens:?}");
    assert_eq!(table.header("x-cache"), None, "a file, not a view");
    let document = get(&url, &[("Accept", "application/ld+json")]).json();
    assert_eq!(document["položky"][0]["kód"], "1", "{document}");
    let description = get(&format!("{url}?format=jsonld"), &[]).json();
    assert!(description.get("položky").is_none(), "{description}");
    let dumps = description["http://rdfs.org/ns/void#dataDump"].to_string();
    assert!(dumps.contains("barvy.jsonld"), "{description}");
    // A page is the page.
    let page = get(&url, &[("Accept", "text/html")]);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
}

#[test]
fn demo_code_lists_answer_by_reference_iri_and_by_data_element() {
    let mut cfg = config(None);
    cfg.demo = true;
    cfg.routing_rules_dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("routing-rules");
    let server = start(cfg);
    let reference = "https://vdf.gov.cz/číselníky-vdf/zdroj/číselníky/druhy-dopravy/položky/BUS";
    // The lookup by data element gives the item's reference IRI…
    let r = get(
        &format!("{}resolve?element=druh-dopravy&code=BUS", server.url()),
        &[("Accept", "application/json")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["reference"], reference);
    // …which the resolver redirects to the local item…
    let wire = reference.replace("https://vdf.gov.cz", "");
    let r = get(
        &format!("{}{}", server.url(), wire.trim_start_matches('/')),
        &[("Host", "vdf.gov.cz")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let location = r.header("location").unwrap();
    let location = percent_encoding::percent_decode_str(location)
        .decode_utf8()
        .unwrap();
    assert_eq!(
        location,
        "http://data.example/zdroj/číselníky/druhy-dopravy/položky/BUS"
    );
    // A dated version's reference IRI leads to the local version, which answers.
    let r = get(
        &format!(
            "{}číselníky-vdf/zdroj/číselníky/druhy-dopravy/2024-01-01",
            server.url()
        ),
        &[("Host", "vdf.gov.cz")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let version = get(
        &format!("{}zdroj/číselníky/druhy-dopravy/2024-01-01", server.url()),
        &[("Accept", "text/turtle")],
    );
    assert_eq!(version.status, 200, "{}", version.text());
    // …whose page names the reference IRI to cite.
    let page = get(
        &format!("{}zdroj/číselníky/druhy-dopravy/položky/BUS", server.url()),
        &[("Accept", "text/html")],
    );
    assert!(page.text().contains(reference), "{}", page.text());
    let list = get(
        &format!("{}zdroj/číselníky/druhy-dopravy", server.url()),
        &[("Accept", "text/turtle")],
    );
    assert!(
        list.headers
            .iter()
            .any(|(n, v)| n == "link" && v.contains("rel=\"canonical\"")),
        "{:?}",
        list.headers
    );
}

#[test]
fn the_command_line_validates_and_pushes_code_lists_in_every_form() {
    let shared = |name: &str| support::shared(&format!("{EXAMPLES}/{name}"));
    let path = |p: std::path::PathBuf| p.to_str().unwrap().to_owned();
    // `validate --norm` reads the CSV through the norm's table and the JSON-LD with its contexts.
    for name in ["číselník-měn.csv", "číselník-měn.jsonld"] {
        let (code, out, err) = client::run(&[
            "validate",
            "--norm",
            "ciselniky",
            "--required-languages",
            "cs,en",
            &path(shared(name)),
        ]);
        assert_eq!(code, 0, "{name}: {out}{err}");
    }
    let (code, out, _) = client::run(&[
        "validate",
        "--norm",
        "ciselniky",
        "--required-languages",
        "cs,en",
        &path(shared("číselník-měn-základní-podoba.jsonld")),
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("language en is missing"), "{out}");
    // `push` with a version date.
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let (code, out, err) = client::run(&[
        "push",
        "--data-dir",
        data.to_str().unwrap(),
        "--norm",
        "ciselniky",
        "--version-date",
        "2021-01-01",
        "měny",
        &path(shared("číselník-měn.csv")),
    ]);
    assert_eq!(code, 0, "{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert!(report["version"]
        .as_str()
        .unwrap()
        .ends_with("/zdroj/číselníky/měny/2021-01-01"));
    let files: Vec<&str> = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f[0].as_str())
        .collect();
    assert!(
        files.contains(&"csv") && files.contains(&"csv-metadata.json"),
        "{files:?}"
    );
}
