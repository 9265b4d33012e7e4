//! The way back: a resource's row(s) in a norm's table, from the triples a CSV push made of them.
//!
//! A *key column* names a row's resource: its `aboutUrl` is `{+<its own name>}` and it states a
//! type (`propertyUrl` `rdf:type`, a fixed `valueUrl`), like `číselník_položka` (an item,
//! `skos:Concept`) or `číselník` (the list, `skos:ConceptScheme`). A resource of the primary key's
//! type is one row; a resource of another key column's type (the list) is every row that links to
//! it. In a row, variables are found by following virtual columns (`skos:inScheme` gives
//! `{+číselník}` from `{+číselník_položka}`), then each cell is the value of its column's
//! property on its `aboutUrl` in its language or datatype. Two columns with the same property
//! and language (an alternative and an abbreviated name) take that property's values in turn.

use super::{expand, iri, Column, CsvMapping, Datatype};
use oxigraph::model::{NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::{HashMap, HashSet};

const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// What the rows are read from: the current data.
pub trait Lookup {
    /// The triples with `subject` as subject.
    fn about(&mut self, subject: &str) -> Vec<Triple>;
    /// The subjects linking to `object` with `predicate`.
    fn linking(&mut self, predicate: &str, object: &str) -> Vec<String>;
}

/// A header and rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column titles.
    pub header: Vec<String>,
    /// Cells, one row per resource.
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// As CSV: UTF-8 without BOM, RFC 4180 quoting, CRLF line ends.
    pub fn to_csv(&self) -> Vec<u8> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(Vec::new());
        let _ = writer.write_record(&self.header);
        for row in &self.rows {
            let _ = writer.write_record(row);
        }
        writer.into_inner().unwrap_or_default()
    }
}

/// `{+name}`: the name when `template` is exactly one reserved expansion.
fn single_var(template: &str) -> Option<&str> {
    template.strip_prefix("{+")?.strip_suffix('}')
}

impl CsvMapping {
    /// The rows of `resource` (an IRI) in this table, when a key column types it.
    pub fn rows(&self, resource: &str, lookup: &mut dyn Lookup) -> Option<Table> {
        let own = lookup.about(resource);
        let types: HashSet<String> = own
            .iter()
            .filter(|t| t.predicate.as_str() == RDF_TYPE)
            .filter_map(|t| match &t.object {
                Term::NamedNode(n) => Some(n.as_str().to_owned()),
                _ => None,
            })
            .collect();
        let keys: Vec<(&Column, String)> = self
            .columns
            .iter()
            .filter(|c| !c.is_virtual)
            .filter_map(|c| {
                let own_name = c.about_url.as_deref().and_then(single_var) == Some(&c.name);
                let ty = iri(c.value_url.as_deref()?, resource).ok()?;
                let typed = iri(c.property_url.as_deref()?, resource).ok()?.as_str() == RDF_TYPE;
                (own_name && typed).then(|| (c, ty.as_str().to_owned()))
            })
            .collect();
        let (key, _) = keys.iter().find(|(_, ty)| types.contains(ty))?;
        let primary = self.primary_key.as_deref().unwrap_or(&key.name);
        let resources = if key.name == primary {
            vec![resource.to_owned()]
        } else {
            // Every row whose primary key links to this resource through a virtual column.
            let link = self.columns.iter().find(|c| {
                c.is_virtual
                    && c.about_url.as_deref().and_then(single_var) == Some(primary)
                    && c.value_url.as_deref().and_then(single_var) == Some(&key.name)
            })?;
            let predicate = iri(link.property_url.as_deref()?, resource).ok()?;
            let mut rows = lookup.linking(predicate.as_str(), resource);
            rows.sort();
            rows
        };
        let header = self
            .columns
            .iter()
            .filter(|c| !c.is_virtual)
            .map(|c| c.titles.first().cloned().unwrap_or_else(|| c.name.clone()))
            .collect();
        let rows = resources
            .iter()
            .map(|r| self.row(primary, r, resource, lookup))
            .collect();
        Some(Table { header, rows })
    }

    /// One row: the primary key `primary` is `value`.
    ///
    /// Cells hang on nodes the virtual columns name by templates (`{+položka}/platnost/začátek`);
    /// such a node is found by following the virtual columns from the row's resource, so that
    /// data whose nodes are blank (a JSON-LD push) gives the same row as data that used the
    /// templates' IRIs (a CSV push).
    fn row(&self, primary: &str, value: &str, base: &str, lookup: &mut dyn Lookup) -> Vec<String> {
        let mut vars: Vec<(String, String)> = vec![(primary.to_owned(), value.to_owned())];
        let mut rows = Rows::default();
        // Follow virtual columns until nothing is added.
        loop {
            let mut added = false;
            for c in self.columns.iter().filter(|c| c.is_virtual) {
                let (Some(about_url), Some(value_url), Some(property)) = (
                    c.about_url.as_deref(),
                    c.value_url.as_deref(),
                    c.property_url.as_deref(),
                ) else {
                    continue;
                };
                let (Some(subject), Ok(property)) = (bound(about_url, &vars), iri(property, base))
                else {
                    continue;
                };
                let object = rows
                    .objects(&subject, &property, lookup)
                    .into_iter()
                    .find_map(|o| match o {
                        Term::NamedNode(n) => Some(NamedOrBlankNode::from(n)),
                        Term::BlankNode(b) => Some(NamedOrBlankNode::from(b)),
                        _ => None,
                    });
                let Some(object) = object else { continue };
                match single_var(value_url) {
                    // A variable of the row (the list of an item).
                    Some(target) if !vars.iter().any(|(n, _)| n == target) => {
                        if let NamedOrBlankNode::NamedNode(n) = object {
                            vars.push((target.to_owned(), n.into_string()));
                            added = true;
                        }
                    }
                    Some(_) => {}
                    // A node named by a template.
                    None => {
                        if let Some(name) = bound(value_url, &vars) {
                            added |= rows.nodes.insert(name, object).is_none();
                        }
                    }
                }
            }
            if !added {
                break;
            }
        }
        // Values already placed, by subject, property and language.
        let mut used: HashSet<(String, String, Option<String>, String)> = HashSet::new();
        let mut cells = Vec::new();
        for c in self.columns.iter().filter(|c| !c.is_virtual) {
            // A key column's cell is its resource.
            if c.about_url.as_deref().and_then(single_var) == Some(&c.name) && c.value_url.is_some()
            {
                let value = vars.iter().find(|(n, _)| *n == c.name);
                cells.push(value.map(|(_, v)| v.clone()).unwrap_or_default());
                continue;
            }
            let (Some(subject), Some(property)) = (
                c.about_url.as_deref().and_then(|t| bound(t, &vars)),
                c.property_url.as_deref().and_then(|p| iri(p, base).ok()),
            ) else {
                cells.push(String::new());
                continue;
            };
            let cell = rows
                .objects(&subject, &property, lookup)
                .iter()
                .filter_map(|o| cell_value(o, c))
                .find(|v| {
                    let key = (
                        subject.clone(),
                        property.as_str().to_owned(),
                        c.lang.clone(),
                        v.clone(),
                    );
                    used.insert(key)
                });
            cells.push(cell.unwrap_or_default());
        }
        cells
    }
}

/// What one row has read: the triples about each IRI asked for (with the blank nodes they lead
/// to), and the nodes that templates name.
#[derive(Default)]
struct Rows {
    about: HashMap<String, Vec<Triple>>,
    nodes: HashMap<String, NamedOrBlankNode>,
}

impl Rows {
    /// The objects of `property` on the node the expanded template `subject` names.
    fn objects(
        &mut self,
        subject: &str,
        property: &NamedNode,
        lookup: &mut dyn Lookup,
    ) -> Vec<Term> {
        let node = self
            .nodes
            .get(subject)
            .cloned()
            .unwrap_or_else(|| NamedNode::new_unchecked(subject).into());
        if let NamedOrBlankNode::NamedNode(n) = &node {
            if !self.about.contains_key(n.as_str()) {
                self.about
                    .insert(n.as_str().to_owned(), lookup.about(n.as_str()));
            }
        }
        self.about
            .values()
            .flatten()
            .filter(|t| t.subject == node && t.predicate == *property)
            .map(|t| t.object.clone())
            .collect()
    }
}

/// `template` expanded with `vars`, when every variable it uses is bound.
fn bound(template: &str, vars: &[(String, String)]) -> Option<String> {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        let name = rest[open + 1..close].trim_start_matches('+');
        if !vars.iter().any(|(n, _)| n == name) {
            return None;
        }
        rest = &rest[close + 1..];
    }
    let cells: Vec<(&str, &str)> = vars.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    Some(expand(template, &cells, 0))
}

/// The cell text of `object` for column `c`: a literal in the column's language or datatype.
fn cell_value(object: &Term, c: &Column) -> Option<String> {
    let Term::Literal(l) = object else {
        return None;
    };
    match (&c.lang, c.datatype, l.language()) {
        (Some(lang), Datatype::String, Some(tag)) if tag.eq_ignore_ascii_case(lang) => {
            Some(l.value().to_owned())
        }
        (Some(_), Datatype::String, _) => None,
        (None, Datatype::String, None) => Some(l.value().to_owned()),
        (None, Datatype::String, Some(_)) => None,
        (_, datatype, None)
            if l.datatype()
                .as_str()
                .ends_with(&format!("#{}", datatype.xsd())) =>
        {
            Some(l.value().to_owned())
        }
        _ => None,
    }
}
