//! What a dataset's own IRI says, from its version records: a VoID description (size, dates,
//! versions, downloads, the SPARQL endpoint, the norm it conforms to) and how to query it. The
//! same triples make up `/.well-known/void`.

use super::Description;
use crate::norm::Norms;
use crate::render::QuadSyntax;
use crate::store::registry::{Registry, VersionRecord};
use oxigraph::model::vocab::{rdf, rdfs, xsd};
use oxigraph::model::{BlankNode, Literal, NamedNode, Triple};
use sha2::Digest;

const VOID: &str = "http://rdfs.org/ns/void#";
const DCTERMS: &str = "http://purl.org/dc/terms/";

fn term(ns: &str, local: &str) -> NamedNode {
    NamedNode::new_unchecked(format!("{ns}{local}"))
}

/// The VoID triples of dataset `id`; empty if there is no such dataset.
pub fn void_triples(base: &str, registry: &Registry, id: &str, norms: &Norms) -> Vec<Triple> {
    let Some(versions) = registry.versions(id) else {
        return Vec::new();
    };
    let Some(dataset) = versions
        .first()
        .and_then(|v| NamedNode::new(&v.dataset_iri).ok())
    else {
        return Vec::new();
    };
    let endpoint = NamedNode::new_unchecked(format!("{base}sparql"));
    let mut out = Vec::new();
    let mut add = |p: NamedNode, o: oxigraph::model::Term| {
        out.push(Triple::new(dataset.clone(), p, o));
    };
    add(rdf::TYPE.into(), term(VOID, "Dataset").into());
    add(term(DCTERMS, "identifier"), Literal::from(id).into());
    add(term(VOID, "sparqlEndpoint"), endpoint.into());
    for version in versions.iter().filter_map(|v| NamedNode::new(&v.iri).ok()) {
        add(term(DCTERMS, "hasVersion"), version.into());
    }
    // Until its first version's day comes, a dataset has versions but no current content.
    let Some(current) = registry.current(id) else {
        return out;
    };
    add(
        term(VOID, "triples"),
        Literal::new_typed_literal(current.triples.to_string(), xsd::INTEGER).into(),
    );
    add(
        term(DCTERMS, "modified"),
        Literal::new_typed_literal(&current.created, xsd::DATE_TIME).into(),
    );
    if let Some(license) = current
        .license
        .as_deref()
        .and_then(|l| NamedNode::new(l).ok())
    {
        add(term(DCTERMS, "license"), license.into());
    }
    if let Some(spec) = norms
        .get(&current.norm)
        .and_then(|n| n.spec.as_deref())
        .and_then(|s| NamedNode::new(s).ok())
    {
        add(term(DCTERMS, "conformsTo"), spec.into());
    }
    let files = current.files.iter().filter_map(|f| f.latest_url.clone());
    for url in files.chain(quad_dumps(&current.dataset_iri)) {
        if let Ok(url) = NamedNode::new(url) {
            add(term(VOID, "dataDump"), url.into());
        }
    }
    let graph = &current.dataset_iri;
    for (comment, lang) in [
        (
            format!(
                "In SPARQL, the named graph <{graph}> is this dataset's current content, and \
                 each version's IRI names the graph of that version."
            ),
            "en",
        ),
        (
            format!(
                "V SPARQL je pojmenovaný graf <{graph}> současným obsahem této datové sady a \
                 IRI každé verze pojmenovává graf té verze."
            ),
            "cs",
        ),
    ] {
        add(
            rdfs::COMMENT.into(),
            Literal::new_language_tagged_literal_unchecked(comment, lang).into(),
        );
    }
    out.extend(class_partitions(&dataset, current));
    out
}

/// The VoID class partitions of `version`'s content, described as `of`'s: a node a class with
/// `void:class` and `void:entities` (how many resources it types; counted at publish). Each
/// node is named after `of` and its class, so a description always gives the same nodes and
/// the descriptions of several datasets (`/.well-known/void`) never share one.
fn class_partitions(of: &NamedNode, version: &VersionRecord) -> Vec<Triple> {
    let mut out = Vec::new();
    for (class, entities) in &version.classes {
        let Ok(class) = NamedNode::new(class) else {
            continue;
        };
        let digest = sha2::Sha256::digest(format!("{} {}", of.as_str(), class.as_str()));
        let node = BlankNode::new_unchecked(format!("c{}", crate::identifiers::hex(&digest[..12])));
        out.push(Triple::new(
            of.clone(),
            term(VOID, "classPartition"),
            node.clone(),
        ));
        out.push(Triple::new(node.clone(), term(VOID, "class"), class));
        let count = Literal::new_typed_literal(entities.to_string(), xsd::INTEGER);
        out.push(Triple::new(node, term(VOID, "entities"), count));
    }
    out
}

/// What names a version on pages (`rdfs:label`): "version 2024-01-01" in English and Czech,
/// by its date or else its number. Datafond describes versions itself, so their labels come
/// from their records, not from the data.
pub fn version_labels(version: &VersionRecord) -> Vec<Literal> {
    let label = version.label();
    [("en", "version"), ("cs", "verze")]
        .into_iter()
        .map(|(lang, word)| {
            Literal::new_language_tagged_literal_unchecked(format!("{word} {label}"), lang)
        })
        .collect()
}

/// The description of a version IRI: which dataset it is a version of, when it was published,
/// its date or number, size and files, and how to query it. `None` when `iri` is no version's.
pub fn describe_version_record(registry: &Registry, iri: &str) -> Option<Description> {
    let v = registry.version(iri)?;
    let (Ok(version), Ok(dataset)) = (NamedNode::new(&v.iri), NamedNode::new(&v.dataset_iri))
    else {
        return None;
    };
    let mut triples = Vec::new();
    let mut add = |p: NamedNode, o: oxigraph::model::Term| {
        triples.push(Triple::new(version.clone(), p, o));
    };
    add(rdf::TYPE.into(), term(VOID, "Dataset").into());
    add(term(DCTERMS, "isVersionOf"), dataset.into());
    add(
        term(DCTERMS, "issued"),
        Literal::new_typed_literal(&v.created, xsd::DATE_TIME).into(),
    );
    add(
        NamedNode::new_unchecked("http://www.w3.org/2002/07/owl#versionInfo"),
        Literal::from(v.label()).into(),
    );
    for label in version_labels(v) {
        add(rdfs::LABEL.into(), label.into());
    }
    if let Some(date) = &v.date {
        add(
            term(DCTERMS, "valid"),
            Literal::new_typed_literal(date, xsd::DATE).into(),
        );
    }
    if let Some(license) = v.license.as_deref().and_then(|l| NamedNode::new(l).ok()) {
        add(term(DCTERMS, "license"), license.into());
    }
    let scheduled = registry.is_scheduled(v);
    if scheduled {
        add(
            rdfs::COMMENT.into(),
            Literal::new_language_tagged_literal_unchecked(
                format!(
                    "Scheduled: this version becomes the dataset's current one on {}.",
                    v.date.as_deref().unwrap_or_default()
                ),
                "en",
            )
            .into(),
        );
    }
    add(
        term(VOID, "triples"),
        Literal::new_typed_literal(v.triples.to_string(), xsd::INTEGER).into(),
    );
    let files = v.files.iter().map(|f| f.url.clone());
    for url in files.chain(quad_dumps(&v.iri)) {
        if let Ok(url) = NamedNode::new(url) {
            add(term(VOID, "dataDump"), url.into());
        }
    }
    for (comment, lang) in [
        (
            format!(
                "In SPARQL, the named graph <{}> is this version's content.",
                v.iri
            ),
            "en",
        ),
        (
            format!(
                "V SPARQL je pojmenovaný graf <{}> obsahem této verze.",
                v.iri
            ),
            "cs",
        ),
    ] {
        add(
            rdfs::COMMENT.into(),
            Literal::new_language_tagged_literal_unchecked(comment, lang).into(),
        );
    }
    triples.extend(class_partitions(&version, v));
    Some(Description {
        iri: iri.to_owned(),
        triples,
        versions: vec![v.clone()],
        ..Description::default()
    })
}

/// The description of a dataset IRI that holds no data of its own: its VoID triples and its
/// versions (shown as where it comes from). `None` when `iri` is no dataset's.
pub fn describe_dataset(
    base: &str,
    registry: &Registry,
    norms: &Norms,
    iri: &str,
) -> Option<Description> {
    let (id, _) = registry.dataset_with_iri(iri)?;
    Some(Description {
        iri: iri.to_owned(),
        triples: void_triples(base, registry, id, norms),
        versions: registry.current(id).cloned().into_iter().collect(),
        ..Description::default()
    })
}

/// The URLs of the content of the dataset or version `iri` in the syntaxes that name graphs:
/// dumps too, made from the store when asked for (see `web::quads`), not written as files.
fn quad_dumps(iri: &str) -> impl Iterator<Item = String> + '_ {
    QuadSyntax::ALL
        .into_iter()
        .map(move |s| format!("{iri}.{}", s.ext()))
}
