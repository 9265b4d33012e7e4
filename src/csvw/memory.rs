//! A dataset's whole table: every row of a norm's CSV table, read from a version's triples held
//! in memory (for the CSV distribution written at publish time).

use super::{iri, CsvMapping, Lookup, Table};
use oxigraph::model::{NamedOrBlankNode, Term, Triple, TripleRef};
use std::collections::HashMap;

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Triples indexed by subject and by (predicate, object).
#[derive(Default)]
pub struct MemoryLookup {
    by_subject: HashMap<NamedOrBlankNode, Vec<Triple>>,
    by_object: HashMap<(String, String), Vec<String>>,
}

impl MemoryLookup {
    /// Adds a triple.
    pub fn add(&mut self, t: TripleRef<'_>) {
        let t = t.into_owned();
        if let (NamedOrBlankNode::NamedNode(s), Term::NamedNode(o)) = (&t.subject, &t.object) {
            self.by_object
                .entry((t.predicate.as_str().to_owned(), o.as_str().to_owned()))
                .or_default()
                .push(s.as_str().to_owned());
        }
        self.by_subject
            .entry(t.subject.clone())
            .or_default()
            .push(t);
    }
}

impl Lookup for MemoryLookup {
    fn about(&mut self, subject: &str) -> Vec<Triple> {
        // The subject's triples, and those of the blank nodes they lead to.
        let mut out = Vec::new();
        let mut todo = vec![NamedOrBlankNode::from(
            oxigraph::model::NamedNode::new_unchecked(subject),
        )];
        let mut seen = std::collections::HashSet::new();
        while let Some(node) = todo.pop() {
            if !seen.insert(node.clone()) {
                continue;
            }
            for t in self.by_subject.get(&node).into_iter().flatten() {
                if let Term::BlankNode(b) = &t.object {
                    todo.push(b.clone().into());
                }
                out.push(t.clone());
            }
        }
        out
    }

    fn linking(&mut self, predicate: &str, object: &str) -> Vec<String> {
        let mut subjects = self
            .by_object
            .get(&(predicate.to_owned(), object.to_owned()))
            .cloned()
            .unwrap_or_default();
        subjects.sort();
        subjects.dedup();
        subjects
    }
}

impl CsvMapping {
    /// Every row of the table for the triples in `lookup`: the rows of each resource typed by a
    /// key column other than the primary key's (each code list's items), or, without such a
    /// column, one row per resource of the primary key's type. `None` when no resource fits.
    pub fn whole_table(&self, lookup: &mut MemoryLookup) -> Option<Table> {
        let keys = self.key_types();
        let primary = self.primary_key.as_deref();
        let groups: Vec<&String> = keys
            .iter()
            .filter(|(name, _)| Some(name.as_str()) != primary)
            .map(|(_, ty)| ty)
            .collect();
        let types: Vec<&String> = if groups.is_empty() {
            keys.iter().map(|(_, ty)| ty).collect()
        } else {
            groups
        };
        let mut table: Option<Table> = None;
        for ty in types {
            let mut resources = lookup.linking(RDF_TYPE, ty);
            resources.sort();
            for resource in resources {
                let Some(rows) = self.rows(&resource, lookup) else {
                    continue;
                };
                match &mut table {
                    Some(t) => t.rows.extend(rows.rows),
                    None => table = Some(rows),
                }
            }
        }
        table
    }

    /// Key columns (a cell naming the row's resource and stating its type): name and type IRI.
    fn key_types(&self) -> Vec<(String, String)> {
        self.columns
            .iter()
            .filter(|c| !c.is_virtual)
            .filter_map(|c| {
                let own = c
                    .about_url
                    .as_deref()?
                    .strip_prefix("{+")?
                    .strip_suffix('}')?
                    == c.name;
                let typed = iri(c.property_url.as_deref()?, "urn:x:").ok()?.as_str() == RDF_TYPE;
                let ty = iri(c.value_url.as_deref()?, "urn:x:").ok()?;
                (own && typed).then(|| (c.name.clone(), ty.into_string()))
            })
            .collect()
    }

    /// A CSVW metadata document describing the table at `url`: this mapping's table schema.
    pub fn descriptor(&self, url: &str) -> serde_json::Value {
        let mut schema = self
            .source
            .get("tableSchema")
            .unwrap_or(&self.source)
            .clone();
        let context = schema
            .as_object_mut()
            .and_then(|o| o.remove("@context"))
            .or_else(|| self.source.get("@context").cloned())
            .unwrap_or_else(|| serde_json::json!("http://www.w3.org/ns/csvw"));
        if let Some(o) = schema.as_object_mut() {
            o.remove("@type");
            o.remove("url");
        }
        serde_json::json!({
            "@context": context,
            "@type": "Table",
            "url": url,
            "tableSchema": schema,
        })
    }
}
