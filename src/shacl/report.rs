//! Validation reports: the W3C `sh:ValidationReport` graph (Turtle, JSON-LD) and a text form
//! for people, grouped by shape.

use super::path::PathExpr;
use super::vocab::{rdf, sh, xsd, SH};
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{
    BlankNode, Graph, Literal, NamedNode, NamedNodeRef, NamedOrBlankNode, Term, Triple,
};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// One validation result, as SHACL §3.6.2 defines it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationResult {
    /// `sh:focusNode`
    pub focus: Term,
    /// `sh:resultPath`
    pub path: Option<PathExpr>,
    /// `sh:value`
    pub value: Option<Term>,
    /// `sh:sourceShape`
    pub source_shape: Term,
    /// `sh:sourceConstraintComponent`
    pub component: NamedNode,
    /// `sh:resultSeverity`
    pub severity: Term,
    /// `sh:resultMessage` values
    pub messages: Vec<Term>,
    /// `sh:sourceConstraint` (SPARQL constraints)
    pub source_constraint: Option<Term>,
}

/// The outcome of a validation.
#[derive(Debug, Clone, Default)]
pub struct ValidationReport {
    /// Every result, in shape order then focus-node order.
    pub results: Vec<ValidationResult>,
}

impl ValidationReport {
    /// Whether the data conforms: SHACL says so exactly when there is no result, of any severity.
    pub fn conforms(&self) -> bool {
        self.results.is_empty()
    }

    /// How many results have severity `sh:Violation`.
    pub fn violations(&self) -> usize {
        self.results
            .iter()
            .filter(|r| r.severity.as_ref() == sh::VIOLATION.into())
            .count()
    }

    /// The report as an RDF graph in the W3C vocabulary.
    pub fn to_graph(&self) -> Graph {
        let mut g = Graph::new();
        let report = BlankNode::default();
        let add = |g: &mut Graph, s: &NamedOrBlankNode, p: NamedNodeRef<'_>, o: Term| {
            g.insert(&Triple::new(s.clone(), p.into_owned(), o));
        };
        let report_node = NamedOrBlankNode::from(report);
        add(
            &mut g,
            &report_node,
            rdf::TYPE,
            sh::VALIDATION_REPORT.into_owned().into(),
        );
        add(
            &mut g,
            &report_node,
            sh::CONFORMS,
            Literal::new_typed_literal(self.conforms().to_string(), xsd::BOOLEAN).into(),
        );
        for r in &self.results {
            let node = NamedOrBlankNode::from(BlankNode::default());
            add(&mut g, &report_node, sh::RESULT, node.clone().into());
            add(
                &mut g,
                &node,
                rdf::TYPE,
                sh::VALIDATION_RESULT.into_owned().into(),
            );
            add(&mut g, &node, sh::FOCUS_NODE, r.focus.clone());
            if let Some(p) = &r.path {
                let copy = p.write_rdf(&mut g);
                g.insert(&Triple::new(
                    node.clone(),
                    sh::RESULT_PATH.into_owned(),
                    copy,
                ));
            }
            if let Some(v) = &r.value {
                add(&mut g, &node, sh::VALUE, v.clone());
            }
            add(&mut g, &node, sh::SOURCE_SHAPE, r.source_shape.clone());
            add(
                &mut g,
                &node,
                sh::SOURCE_CONSTRAINT_COMPONENT,
                r.component.clone().into(),
            );
            add(&mut g, &node, sh::RESULT_SEVERITY, r.severity.clone());
            for m in &r.messages {
                add(&mut g, &node, sh::RESULT_MESSAGE, m.clone());
            }
            if let Some(c) = &r.source_constraint {
                add(&mut g, &node, sh::SOURCE_CONSTRAINT, c.clone());
            }
        }
        g
    }

    /// The report graph serialised as `format` (Turtle, JSON-LD, …) with the usual prefixes.
    pub fn serialize(&self, format: RdfFormat) -> Vec<u8> {
        let mut serializer = RdfSerializer::from_format(format);
        for (prefix, iri) in [
            ("sh", SH),
            ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
            ("xsd", "http://www.w3.org/2001/XMLSchema#"),
        ] {
            serializer = serializer
                .with_prefix(prefix, iri)
                .expect("valid prefix IRI");
        }
        let mut writer = serializer.for_writer(Vec::new());
        for t in &self.to_graph() {
            writer
                .serialize_triple(t)
                .expect("writing to memory cannot fail");
        }
        writer.finish().expect("writing to memory cannot fail")
    }

    /// A readable summary: results grouped by shape and component, values shown, at most
    /// `per_shape` results each with a count of the rest.
    pub fn to_text(&self, per_shape: usize) -> String {
        let mut out = String::new();
        if self.conforms() {
            return "Conforms: no validation results.\n".into();
        }
        let _ = writeln!(
            out,
            "Does not conform: {} result(s), {} violation(s).",
            self.results.len(),
            self.violations()
        );
        let mut groups: BTreeMap<(String, String), Vec<&ValidationResult>> = BTreeMap::new();
        for r in &self.results {
            groups
                .entry((
                    r.source_shape.to_string(),
                    short(&r.component.clone().into()),
                ))
                .or_default()
                .push(r);
        }
        for ((shape, component), results) in groups {
            let _ = writeln!(
                out,
                "\nShape {shape} — {component} — {} result(s):",
                results.len()
            );
            for r in results.iter().take(per_shape) {
                let _ = write!(out, "  [{}] focus {}", short(&r.severity), r.focus);
                if let Some(p) = &r.path {
                    let _ = write!(out, ", path {p}");
                }
                if let Some(v) = &r.value {
                    let _ = write!(out, ", value {v}");
                }
                if let Some(m) = message_for_people(&r.messages) {
                    let _ = write!(out, ": {m}");
                }
                out.push('\n');
            }
            if results.len() > per_shape {
                let _ = writeln!(out, "  … and {} more", results.len() - per_shape);
            }
        }
        out
    }
}

/// The message to show: English, else one without a language, else the first.
fn message_for_people(messages: &[Term]) -> Option<&str> {
    let literals: Vec<_> = messages
        .iter()
        .filter_map(|m| match m {
            Term::Literal(l) => Some(l),
            _ => None,
        })
        .collect();
    literals
        .iter()
        .find(|l| l.language() == Some("en"))
        .or_else(|| literals.iter().find(|l| l.language().is_none()))
        .or_else(|| literals.first())
        .map(|l| l.value())
}

/// `sh:Foo` for SHACL IRIs, the full form otherwise.
fn short(t: &Term) -> String {
    match t {
        Term::NamedNode(n) => n
            .as_str()
            .strip_prefix(SH)
            .map_or_else(|| t.to_string(), |l| format!("sh:{l}")),
        other => other.to_string(),
    }
}
