//! The engine's behaviour beyond the W3C suite: strict refusal of bad shapes graphs, recursion,
//! reference graphs, store graphs and report forms.

use datafond::rdf_file::parse_graph;
use datafond::shacl::{Shapes, ShapesError, Strictness};
use oxigraph::io::{JsonLdProfileSet, RdfFormat};
use oxigraph::model::{GraphNameRef, NamedNodeRef, QuadRef};
use oxigraph::store::Store;

const PREFIXES: &str = "@prefix sh: <http://www.w3.org/ns/shacl#> .\n\
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n\
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
    @prefix ex: <http://example.org/> .\n";

fn graph(ttl: &str) -> oxigraph::model::Graph {
    parse_graph(
        format!("{PREFIXES}{ttl}").as_bytes(),
        RdfFormat::Turtle,
        "test.ttl",
        None,
    )
    .unwrap()
}

fn shapes(ttl: &str) -> Result<Shapes, ShapesError> {
    Shapes::from_graph(graph(ttl), "norm-shapes.ttl")
}

fn refused(ttl: &str) -> String {
    shapes(ttl)
        .expect_err("the shapes graph must be refused")
        .to_string()
}

#[test]
fn a_typo_in_a_shacl_term_is_refused_with_file_shape_and_reason() {
    let msg = refused("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:shape ex:T ] .\nex:T a sh:NodeShape .");
    assert!(msg.starts_with("norm-shapes.ttl: shape _:"), "{msg}");
    assert!(
        msg.contains("sh:shape") && msg.contains("not a SHACL term"),
        "{msg}"
    );
}

#[test]
fn lenient_mode_keeps_unknown_terms_as_warnings() {
    let s = Shapes::compile(
        graph("ex:S a sh:NodeShape ; sh:targetNode ex:a ; sh:shape ex:T ."),
        "x.ttl",
        Strictness::Lenient,
    )
    .unwrap();
    assert_eq!(s.warnings.len(), 1);
    assert!(s.warnings[0].reason.contains("sh:shape"));
}

#[test]
fn unimplemented_features_are_refused_in_both_modes() {
    let ttl =
        "ex:S a sh:NodeShape ; sh:target [ a sh:SPARQLTarget ; sh:select \"SELECT ?this {}\" ] .";
    let msg = refused(ttl);
    assert!(
        msg.contains("sh:target") && msg.contains("does not implement"),
        "{msg}"
    );
    assert!(Shapes::compile(graph(ttl), "x.ttl", Strictness::Lenient).is_err());
    let rules = refused("ex:S a sh:NodeShape ; sh:rule [ a sh:TripleRule ] .");
    assert!(rules.contains("sh:rule"), "{rules}");
}

#[test]
fn a_property_shape_without_a_path_is_refused() {
    let msg = refused("ex:P a sh:PropertyShape ; sh:minCount 1 .");
    assert!(
        msg.contains("<http://example.org/P>") && msg.contains("no sh:path"),
        "{msg}"
    );
}

#[test]
fn a_dangling_shape_reference_is_refused() {
    let msg = refused("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:node ex:Missing .");
    assert!(
        msg.contains("ex:Missing") || msg.contains("<http://example.org/Missing>"),
        "{msg}"
    );
    assert!(msg.contains("does not define"), "{msg}");
}

#[test]
fn ill_formed_parameters_are_refused() {
    let count = refused("ex:S a sh:PropertyShape ; sh:path ex:p ; sh:minCount \"one\" .");
    assert!(
        count.contains("sh:minCount must be a non-negative integer"),
        "{count}"
    );
    assert!(refused("ex:S a sh:NodeShape ; sh:pattern \"[\" .").contains("sh:pattern"));
    let list = refused("ex:S a sh:NodeShape ; sh:targetNode ex:x ; sh:in ex:a .");
    assert!(
        list.contains("sh:in") && list.contains("RDF list"),
        "{list}"
    );
}

#[test]
fn dcat_ap_301_combined_shapes_are_refused_for_their_undefined_property_shapes() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/shapes-ref/DCAT-AP/3.0.1/shacl/dcat-ap-SHACL.ttl");
    let g = datafond::rdf_file::read_graph(&path).unwrap();
    let msg = Shapes::from_graph(g, "dcat-ap-SHACL.ttl")
        .unwrap_err()
        .to_string();
    let undefined = msg
        .lines()
        .filter(|l| l.contains("which the shapes graph does not define"))
        .count();
    assert_eq!(undefined, 2, "{msg}");
}

#[test]
fn recursive_shapes_terminate_with_the_greatest_fixpoint() {
    let s = shapes(
        "ex:ListShape a sh:NodeShape ; sh:targetNode ex:l1 ;\n\
           sh:property [ sh:path ex:next ; sh:maxCount 1 ; sh:node ex:ListShape ] ;\n\
           sh:property [ sh:path ex:value ; sh:datatype xsd:integer ] .",
    )
    .unwrap();
    let good = graph("ex:l1 ex:value 1 ; ex:next ex:l2 . ex:l2 ex:value 2 ; ex:next ex:l1 .");
    assert!(s.validate(&good).unwrap().conforms());
    let bad = graph("ex:l1 ex:value 1 ; ex:next ex:l2 . ex:l2 ex:value \"two\" ; ex:next ex:l1 .");
    let report = s.validate(&bad).unwrap();
    assert_eq!(report.results.len(), 1);
    assert!(report.results[0]
        .component
        .as_str()
        .ends_with("NodeConstraintComponent"));
}

#[test]
fn reference_graphs_satisfy_class_checks_but_are_not_targets() {
    let s = shapes(
        "ex:S a sh:NodeShape ; sh:targetClass ex:Dataset ;\n\
           sh:property [ sh:path ex:theme ; sh:class ex:Theme ] .\n\
         ex:T a sh:NodeShape ; sh:targetClass ex:Theme ; sh:property [ sh:path ex:label ; sh:minCount 1 ] .",
    )
    .unwrap();
    let data = graph("ex:d a ex:Dataset ; ex:theme ex:transport .");
    let authority = graph("ex:transport a ex:Theme .");
    assert!(
        !s.validate(&data).unwrap().conforms(),
        "without the table the theme is unknown"
    );
    let report = s.validate_with_reference(&data, &[&authority]).unwrap();
    assert!(report.conforms(), "{}", report.to_text(10));
}

#[test]
fn store_named_graphs_can_be_validated() {
    let s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .").unwrap();
    let store = Store::new().unwrap();
    let g = NamedNodeRef::new("http://example.org/graph").unwrap();
    let a = NamedNodeRef::new("http://example.org/a").unwrap();
    let ty = NamedNodeRef::new("http://www.w3.org/1999/02/22-rdf-syntax-ns#type").unwrap();
    let c = NamedNodeRef::new("http://example.org/C").unwrap();
    store
        .insert(QuadRef::new(a, ty, c, GraphNameRef::NamedNode(g)))
        .unwrap();
    store
        .insert(QuadRef::new(c, ty, c, GraphNameRef::DefaultGraph))
        .unwrap();
    let report = s.validate_store_graph(&store, g, &[]).unwrap().unwrap();
    assert_eq!(report.results.len(), 1, "only the named graph is data");
}

#[test]
fn reports_serialise_as_turtle_and_json_ld_and_text() {
    let s = shapes("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ; sh:message \"needs p/q\"@en ] .").unwrap();
    let data = graph("ex:a a ex:C . ex:b a ex:C . ex:c a ex:C .");
    let report = s.validate(&data).unwrap();
    assert_eq!(report.results.len(), 3);
    let expected = report.to_graph();
    for format in [
        RdfFormat::Turtle,
        RdfFormat::JsonLd {
            profile: JsonLdProfileSet::empty(),
        },
    ] {
        let bytes = report.serialize(format);
        let mut back = parse_graph(&bytes, format, "report", None).unwrap();
        let mut exp = expected.clone();
        back.canonicalize(Default::default());
        exp.canonicalize(Default::default());
        assert_eq!(back, exp, "{format} round trip");
    }
    let text = report.to_text(2);
    assert!(
        text.contains("3 result(s)") && text.contains("… and 1 more") && text.contains("needs p/q"),
        "{text}"
    );
    assert!(
        text.contains("(<http://example.org/p>)/(<http://example.org/q>)"),
        "{text}"
    );
}
