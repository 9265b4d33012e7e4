//! Vocabularies through real HTTP: every term of a published ontology has a page and RDF, the
//! ontology's page lists them by kind, its IRI gives RDF clients the whole vocabulary, version
//! IRIs resolve to their version; a document of hash IRIs gives all of its terms.

mod client;

use client::things::{server, PROTEGE};
use client::{config, get, parse, push, start};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::rdf;
use oxigraph::model::NamedNodeRef;

#[test]
fn a_hash_document_shows_all_of_its_terms() {
    let server = server();
    let vocabulary = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
        <http://data.example/slovník/h#A> rdfs:label \"A\"@en .\n\
        <http://data.example/slovník/h#B> rdfs:label \"B\"@en ; rdfs:subClassOf <http://data.example/slovník/h#A> .\n\
        <http://data.example/slovník/hx#C> rdfs:label \"C\"@en .\n";
    assert_eq!(
        push(&server, "h", "text/turtle", vocabulary.as_bytes()).status,
        201
    );
    let r = get(
        &format!("{}slovník/h", server.url()),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let graph = parse(&r.body, RdfFormat::NTriples);
    assert_eq!(graph.len(), 3, "{}", r.text());
    assert!(!r.text().contains("hx#C"));
}

fn vocabulary(version: &str, label: &str) -> String {
    format!(
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         @prefix owl: <http://www.w3.org/2002/07/owl#> .\n\
         @prefix v: <http://data.example/slovník/v/pojem/> .\n\
         <http://data.example/slovník/v> a owl:Ontology ; rdfs:label \"V\"@en ;\n\
           owl:versionIRI <http://data.example/slovník/v/{version}> .\n\
         v:A a owl:Class ; rdfs:label \"{label}\"@en ; rdfs:isDefinedBy <http://data.example/slovník/v> .\n\
         v:B a owl:Class ; rdfs:label \"B\"@en ; rdfs:subClassOf v:A ; rdfs:isDefinedBy <http://data.example/slovník/v> ;\n\
           rdfs:subClassOf [ a owl:Restriction ; owl:onProperty v:p ; owl:someValuesFrom v:A ] .\n\
         v:p a owl:ObjectProperty ; rdfs:label \"p\"@en ; rdfs:domain v:A ; rdfs:isDefinedBy <http://data.example/slovník/v> .\n"
    )
}

#[test]
fn vocabulary_terms_have_pages_and_version_iris_resolve() {
    let server = start(config(None));
    let publish = |id: &str, body: &str| {
        let r = push(
            &server,
            &format!("{id}?norm=vocabulary"),
            "text/turtle",
            body.as_bytes(),
        );
        assert_eq!(r.status, 201, "{}", r.text());
    };
    publish("v", &vocabulary("1.0", "A one"));
    let instances = "<http://data.example/zdroj/i1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://data.example/slovník/v/pojem/A> .\n\
                     <http://data.example/zdroj/i2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://data.example/slovník/v/pojem/A> .\n";
    assert_eq!(
        push(&server, "i", "application/n-triples", instances.as_bytes()).status,
        201
    );
    let class = get(&format!("{}slovník/v/pojem/A.html", server.url()), &[]).text();
    assert!(
        class.contains("Resources of this type: <strong>2</strong>"),
        "{class}"
    );
    assert!(class.contains("Sub-classes") && class.contains(">B</a>"));
    assert!(class.contains("Properties with this domain") && class.contains(">p</a>"));
    let ontology = get(&format!("{}slovník/v.html", server.url()), &[]).text();
    for anchor in ["id=\"A\"", "id=\"B\"", "id=\"p\""] {
        assert!(ontology.contains(anchor), "{anchor}: {ontology}");
    }
    // Grouped by kind, each group by name, with a table of contents linking the anchors.
    assert!(
        ontology.contains(
            "<li><a href=\"#section-classes\">Classes</a>: \
             <a href=\"#A\" lang=\"en\">A one</a>, <a href=\"#B\" lang=\"en\">B</a></li>"
        ) && ontology.contains(
            "<li><a href=\"#section-object-properties\">Object properties</a>: \
             <a href=\"#p\" lang=\"en\">p</a></li>"
        ),
        "{ontology}"
    );
    let at = |needle: &str| ontology.find(needle).unwrap();
    assert!(at("<h3 id=\"section-classes\">") < at("id=\"A\"") && at("id=\"A\"") < at("id=\"B\""));
    assert!(at("id=\"B\"") < at("<h3 id=\"section-object-properties\">"));
    // A term's blank nodes nest in its table (a restriction inside `rdfs:subClassOf`).
    let b = &ontology[at("id=\"B\"")..at("<h3 id=\"section-object-properties\">")];
    assert_eq!(b.matches("<table").count(), 2, "{b}");
    assert!(
        b.contains("owl:onProperty") && !b.contains("(empty)"),
        "{b}"
    );
    assert!(at("<h3 id=\"section-object-properties\">") < at("id=\"p\""));
    assert!(
        !ontology.contains("section-datatype-properties"),
        "empty kinds are left out"
    );
    // Terms named like the page's own sections still get their anchors, and no id repeats.
    let named_like_sections = "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
         <http://data.example/slovník/w> a <http://www.w3.org/2002/07/owl#Ontology> ; rdfs:label \"W\"@en .\n\
         <http://data.example/slovník/w#properties> rdfs:isDefinedBy <http://data.example/slovník/w> .\n\
         <http://data.example/slovník/w#dataset> rdfs:isDefinedBy <http://data.example/slovník/w> .\n";
    publish("w", named_like_sections);
    let page = get(&format!("{}slovník/w.html", server.url()), &[]).text();
    let ids: Vec<&str> = page
        .split(" id=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    assert!(
        ids.contains(&"properties") && ids.contains(&"dataset"),
        "{ids:?}"
    );

    publish("v", &vocabulary("2.0", "A two"));
    let nt = [("Accept", "application/n-triples")];
    let v1 = get(&format!("{}slovník/v/1.0", server.url()), &nt);
    assert_eq!(v1.status, 200);
    assert!(
        v1.text().contains("\"A one\"@en") && !v1.text().contains("A two"),
        "{}",
        v1.text()
    );
    let v2 = get(&format!("{}slovník/v/2.0", server.url()), &nt);
    assert!(v2.text().contains("\"A two\"@en"));
    // Opened by its IRI, the ontology gives RDF clients (Protégé) the whole vocabulary, as its
    // version IRI does, with the description of the dataset it is.
    let ontology = format!("{}slovník/v", server.url());
    let protege = get(&ontology, &[("Accept", PROTEGE)]);
    assert!(protege
        .header("content-type")
        .unwrap()
        .starts_with("application/rdf+xml"));
    let whole = parse(&protege.body, RdfFormat::RdfXml);
    let version = parse(&v2.body, RdfFormat::NTriples);
    let domain = oxigraph::model::TripleRef::new(
        NamedNodeRef::new_unchecked("http://data.example/slovník/v/pojem/p"),
        NamedNodeRef::new_unchecked("http://www.w3.org/2000/01/rdf-schema#domain"),
        NamedNodeRef::new_unchecked("http://data.example/slovník/v/pojem/A"),
    );
    assert!(whole.contains(domain), "{}", protege.text());
    let void = oxigraph::model::TripleRef::new(
        NamedNodeRef::new_unchecked("http://data.example/slovník/v"),
        rdf::TYPE,
        NamedNodeRef::new_unchecked("http://rdfs.org/ns/void#Dataset"),
    );
    assert!(whole.contains(void) && !version.contains(void));
    // Every other triple of the version: its terms, blank nodes and all (the description's
    // class partitions aside).
    let iri = NamedNodeRef::new_unchecked("http://data.example/slovník/v");
    let void = "http://rdfs.org/ns/void#";
    let terms = |g: &oxigraph::model::Graph| {
        let about_data = |t: &oxigraph::model::TripleRef<'_>| {
            t.subject != iri.into() && !t.predicate.as_str().starts_with(void)
        };
        g.iter().filter(about_data).count()
    };
    assert_eq!(terms(&whole), terms(&version));
    // Its page still lists the terms, and a term's RDF is the term's.
    let b = get(&format!("{ontology}/pojem/B"), &nt).text();
    assert!(
        !b.contains("pojem/p> <http://www.w3.org/2000/01/rdf-schema#domain>"),
        "{b}"
    );
    let current = get(&format!("{}slovník/v/pojem/A", server.url()), &nt).text();
    assert!(current.contains("A two") && !current.contains("A one"));
    let page = get(&format!("{}slovník/v/1.0.html", server.url()), &[]).text();
    assert!(
        page.contains("id=\"A\"") && page.contains("A one"),
        "{page}"
    );
}
