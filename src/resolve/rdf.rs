//! Rules as RDF: each rule is a resource `<dataset>/<id>` with its owner, status, match,
//! targets and dates, published as the dataset [`DATASET`] so that every rule dereferences and
//! can be queried like any other data.

use super::rules::{MatchKind, Rule};
use super::{template, Routes};
use crate::push::{Part, Push, PushError, PushReport};
use oxigraph::io::RdfFormat;
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{Literal, NamedNode, Triple};

/// The id of the dataset holding the rules.
pub const DATASET: &str = "směrovací-pravidla";

/// The namespace of the rule vocabulary.
pub const NS: &str = "https://w3id.org/datafond/routing#";

const DCT: &str = "http://purl.org/dc/terms/";

/// The rules as N-Triples, each rule under `dataset` (the dataset's IRI).
pub fn triples(routes: &Routes, dataset: &str) -> Vec<u8> {
    let mut out = Vec::new();
    if let Ok(iri) = NamedNode::new(dataset) {
        // Its title, by which pages and the home page name it.
        for (title, lang) in [("Směrovací pravidla", "cs"), ("Routing rules", "en")] {
            out.push(Triple::new(
                iri.clone(),
                dct("title"),
                Literal::new_language_tagged_literal_unchecked(title, lang),
            ));
        }
    }
    for rule in &routes.rules {
        rule_triples(rule, dataset, &mut out);
    }
    crate::render::rdf::write(&out, RdfFormat::NTriples)
}

fn term(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{NS}{local}"))
}

fn dct(local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{DCT}{local}"))
}

fn rule_triples(rule: &Rule, dataset: &str, out: &mut Vec<Triple>) {
    let id = template::path_value(&rule.id, false).unwrap_or_else(|| rule.id.replace('.', "%2E"));
    let Ok(subject) = NamedNode::new(format!("{}/{id}", dataset.trim_end_matches('/'))) else {
        return;
    };
    let mut add = |p: NamedNode, o: oxigraph::model::Term| {
        out.push(Triple::new(subject.clone(), p, o));
    };
    let text = |s: &str| Literal::new_simple_literal(s).into();
    add(rdf::TYPE.into_owned(), term("Rule").into());
    add(dct("identifier"), text(&rule.id));
    add(rdfs::LABEL.into_owned(), text(&rule.id));
    if !rule.description.is_empty() {
        add(dct("description"), text(&rule.description));
    }
    if !rule.owner.is_empty() {
        add(term("owner"), text(&rule.owner));
    }
    add(term("status"), term(rule.status.name()).into());
    let kind = match rule.kind {
        MatchKind::Exact => "exact",
        MatchKind::Prefix => "prefix",
        MatchKind::Template => "template",
    };
    add(term(kind), text(&rule.source));
    for host in rule.hosts() {
        add(term("sourceHost"), text(host));
    }
    if let Some(target) = &rule.target {
        add(term("target"), text(&target.to_string()));
    }
    add(
        term("statusCode"),
        Literal::new_typed_literal(rule.code.to_string(), xsd::INTEGER).into(),
    );
    for (field, date) in [("created", &rule.created), ("modified", &rule.modified)] {
        if let Some(date) = date {
            add(
                dct(field),
                Literal::new_typed_literal(date, xsd::DATE).into(),
            );
        }
    }
}

/// Publishes the rules as the dataset [`DATASET`] (a new version only when they changed; nothing
/// while there are no rules and never were).
pub fn publish(routes: &Routes, push: &Push<'_>) -> Result<Option<PushReport>, PushError> {
    let id = crate::identifiers::DatasetId::parse(DATASET)?;
    if routes.rules.is_empty() && push.storage.registry().current(DATASET).is_none() {
        return Ok(None);
    }
    let norm = push.norm_for(&id, None)?;
    let dataset = norm
        .templates
        .dataset_iri(push.base, &id)
        .map_err(crate::publish::PublishError::from)?;
    let bytes = triples(routes, dataset.as_str());
    push.run(
        DATASET,
        None,
        &[Part {
            bytes: &bytes,
            media_type: "application/n-triples",
            name: "routing rules",
        }],
        None,
    )
    .map(Some)
}
