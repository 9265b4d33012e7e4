//! CSV on the Web: a norm's table schema (a CSVW metadata document, as the OFN publish them)
//! turns each CSV row into triples, following the W3C "Generating RDF from Tabular Data"
//! (csv2rdf) minimal mode: `aboutUrl` gives a cell's subject, `propertyUrl` its predicate,
//! `valueUrl` an IRI object (else the cell is a literal with the column's `datatype` or `lang`),
//! virtual columns add triples with no cell (but only about nodes the row's cells describe, see
//! `described`), empty cells are null and give no triple.

use oxigraph::model::{BlankNode, Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use serde_json::Value;
use std::path::Path;

mod memory;
mod rows;
pub use memory::MemoryLookup;
pub use rows::{Lookup, Table};

/// A parsed CSVW table schema.
#[derive(Debug, Clone)]
pub struct CsvMapping {
    columns: Vec<Column>,
    /// The column whose value identifies a row (`primaryKey`), if named.
    primary_key: Option<String>,
    /// The metadata document as read (for the descriptor published next to CSV files).
    source: Value,
}

#[derive(Debug, Clone)]
struct Column {
    name: String,
    titles: Vec<String>,
    about_url: Option<String>,
    property_url: Option<String>,
    value_url: Option<String>,
    lang: Option<String>,
    datatype: Datatype,
    required: bool,
    is_virtual: bool,
    suppress: bool,
}

/// The datatypes a column may have (CSVW built-in names), with the one date format supported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Datatype {
    String,
    AnyUri,
    Boolean,
    Integer,
    Decimal,
    Double,
    Date,
    DateTime,
}

impl Datatype {
    fn parse(value: Option<&Value>) -> Result<Self, String> {
        let (base, format) = match value {
            None => return Ok(Self::String),
            Some(Value::String(name)) => (name.as_str(), None),
            Some(Value::Object(o)) => (
                o.get("base").and_then(Value::as_str).unwrap_or("string"),
                o.get("format").and_then(Value::as_str),
            ),
            Some(other) => return Err(format!("datatype {other} is neither a name nor an object")),
        };
        let datatype = match base {
            "string" | "normalizedString" | "token" => Self::String,
            "anyURI" => Self::AnyUri,
            "boolean" => Self::Boolean,
            "integer" | "int" | "long" | "nonNegativeInteger" | "positiveInteger" => Self::Integer,
            "decimal" | "number" => Self::Decimal,
            "double" | "float" => Self::Double,
            "date" => Self::Date,
            "dateTime" | "datetime" => Self::DateTime,
            other => return Err(format!("datatype {other:?} is not supported")),
        };
        match (datatype, format) {
            (_, None) | (Self::Date, Some("yyyy-MM-dd")) => Ok(datatype),
            (Self::Boolean, Some("true|false")) => Ok(datatype),
            (_, Some(f)) => Err(format!("datatype format {f:?} for {base} is not supported")),
        }
    }

    fn xsd(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::AnyUri => "anyURI",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Decimal => "decimal",
            Self::Double => "double",
            Self::Date => "date",
            Self::DateTime => "dateTime",
        }
    }
}

/// Prefixes of the CSVW default context (those of the RDFa initial context in common use).
const PREFIXES: &[(&str, &str)] = &[
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("rdfs", "http://www.w3.org/2000/01/rdf-schema#"),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
    ("owl", "http://www.w3.org/2002/07/owl#"),
    ("skos", "http://www.w3.org/2004/02/skos/core#"),
    ("dc", "http://purl.org/dc/terms/"),
    ("dcterms", "http://purl.org/dc/terms/"),
    ("dc11", "http://purl.org/dc/elements/1.1/"),
    ("dcat", "http://www.w3.org/ns/dcat#"),
    ("foaf", "http://xmlns.com/foaf/0.1/"),
    ("schema", "http://schema.org/"),
    ("time", "http://www.w3.org/2006/time#"),
    ("prov", "http://www.w3.org/ns/prov#"),
    ("org", "http://www.w3.org/ns/org#"),
    ("vcard", "http://www.w3.org/2006/vcard/ns#"),
    ("csvw", "http://www.w3.org/ns/csvw#"),
];

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

impl CsvMapping {
    /// Reads a CSVW metadata document: a `Table` with a `tableSchema`, or a `Schema`.
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let json: Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
        Self::from_json(&json)
    }

    fn from_json(json: &Value) -> Result<Self, String> {
        let schema = json.get("tableSchema").unwrap_or(json);
        let columns = schema
            .get("columns")
            .and_then(Value::as_array)
            .ok_or("the metadata has no tableSchema.columns")?;
        // Inherited properties: schema (and table) level values are defaults for columns.
        let inherited = |key: &str| {
            schema
                .get(key)
                .or_else(|| json.get(key))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        let columns = columns
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let text = |key: &str| c.get(key).and_then(Value::as_str).map(str::to_owned);
                let titles = match c.get("titles") {
                    Some(Value::String(t)) => vec![t.clone()],
                    Some(Value::Array(ts)) => ts
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect(),
                    _ => Vec::new(),
                };
                let is_virtual = c.get("virtual").and_then(Value::as_bool).unwrap_or(false);
                let name = text("name")
                    .or_else(|| titles.first().cloned())
                    .unwrap_or_else(|| format!("_col.{}", i + 1));
                let datatype = Datatype::parse(c.get("datatype"))
                    .map_err(|e| format!("column {name:?}: {e}"))?;
                Ok(Column {
                    titles,
                    about_url: text("aboutUrl").or_else(|| inherited("aboutUrl")),
                    property_url: text("propertyUrl").or_else(|| inherited("propertyUrl")),
                    value_url: text("valueUrl").or_else(|| inherited("valueUrl")),
                    lang: text("lang").or_else(|| inherited("lang")),
                    datatype,
                    required: c.get("required").and_then(Value::as_bool).unwrap_or(false),
                    suppress: c
                        .get("suppressOutput")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    is_virtual,
                    name,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        if let Some(c) = columns
            .iter()
            .find(|c| c.is_virtual && c.value_url.is_none())
        {
            return Err(format!("virtual column {:?} has no valueUrl", c.name));
        }
        let primary_key = schema
            .get("primaryKey")
            .and_then(Value::as_str)
            .map(str::to_owned);
        Ok(Self {
            columns,
            primary_key,
            source: json.clone(),
        })
    }

    /// Converts CSV `bytes` (UTF-8, a header row, comma-separated) to triples; `base` is the
    /// table's URL, against which expanded URLs resolve. Errors name the row and column.
    pub fn convert(
        &self,
        bytes: &[u8],
        base: &str,
        mut emit: impl FnMut(Triple),
    ) -> Result<(), String> {
        let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes);
        let headers = reader.headers().map_err(|e| e.to_string())?.clone();
        let real: Vec<&Column> = self.columns.iter().filter(|c| !c.is_virtual).collect();
        // Each header names a schema column by title (or name); columns the file leaves out
        // are empty in every row.
        let mut position: Vec<Option<usize>> = vec![None; real.len()];
        for (i, header) in headers.iter().enumerate() {
            let header = header.trim();
            let Some(c) = real
                .iter()
                .position(|c| c.titles.iter().any(|t| t == header) || c.name == header)
            else {
                return Err(format!(
                    "column {}: {header:?} is not a column of the table schema",
                    i + 1
                ));
            };
            if position[c].replace(i).is_some() {
                return Err(format!("column {}: {header:?} appears twice", i + 1));
            }
        }
        if let Some(c) = real
            .iter()
            .zip(&position)
            .find(|(c, p)| c.required && p.is_none())
        {
            return Err(format!(
                "the required column {:?} is missing",
                c.0.titles.first().unwrap_or(&c.0.name)
            ));
        }
        for (index, record) in reader.records().enumerate() {
            // Row numbers as a spreadsheet shows them: the header is row 1.
            let row = index + 2;
            let record = record.map_err(|e| format!("row {row}: {e}"))?;
            let cells: Vec<(&str, &str)> = real
                .iter()
                .zip(&position)
                .map(|(c, p)| (c.name.as_str(), p.and_then(|i| record.get(i)).unwrap_or("")))
                .collect();
            let row_node = BlankNode::default();
            let mut next_cell = cells.iter().map(|(_, v)| *v);
            let (mut real, mut linked) = (Vec::new(), Vec::new());
            for column in &self.columns {
                let cell = if column.is_virtual {
                    None
                } else {
                    next_cell.next()
                };
                let at =
                    |message: String| format!("row {row}, column {:?}: {message}", column.name);
                if column.suppress {
                    continue;
                }
                let value = match cell {
                    Some("") if column.required => return Err(at("a value is required".into())),
                    Some("") => continue,
                    other => other,
                };
                let subject: NamedOrBlankNode = match &column.about_url {
                    Some(t) => iri(&expand(t, &cells, row), base).map_err(at)?.into(),
                    None => row_node.clone().into(),
                };
                let predicate = match &column.property_url {
                    Some(t) => iri(&expand(t, &cells, row), base).map_err(at)?,
                    None => iri(&format!("#{}", column.name), base).map_err(at)?,
                };
                let object: Term = match (&column.value_url, value) {
                    (Some(t), _) => iri(&expand(t, &cells, row), base).map_err(at)?.into(),
                    (None, Some(v)) => literal(v, column).map_err(at)?.into(),
                    (None, None) => continue,
                };
                let triple = Triple::new(subject, predicate, object);
                match (column.is_virtual, &column.value_url) {
                    (true, Some(t)) => linked.push((triple, t.contains('{'))),
                    _ => real.push(triple),
                }
            }
            for triple in real.iter().cloned().chain(described(&real, linked)) {
                emit(triple);
            }
        }
        Ok(())
    }
}

/// The virtual columns' triples worth keeping in a row: those about or leading to a node that
/// the row's cells describe. A node is described when a cell gives a triple about it, or when
/// a virtual column links it to a described node; a virtual triple is kept when its object is
/// a described node, or a fixed IRI (a class) and its subject is described. So a row with no
/// validity dates gets no empty validity interval, though virtual columns name one.
fn described(real: &[Triple], linked: Vec<(Triple, bool)>) -> Vec<Triple> {
    let mut alive: std::collections::HashSet<NamedOrBlankNode> =
        real.iter().map(|t| t.subject.clone()).collect();
    loop {
        let before = alive.len();
        for (t, _) in linked.iter().filter(|(_, templated)| *templated) {
            let object = match &t.object {
                Term::NamedNode(n) => NamedOrBlankNode::from(n.clone()),
                Term::BlankNode(b) => NamedOrBlankNode::from(b.clone()),
                _ => continue,
            };
            if alive.contains(&object) {
                alive.insert(t.subject.clone());
            }
        }
        if alive.len() == before {
            break;
        }
    }
    linked
        .into_iter()
        .filter(|(t, templated)| {
            let object_alive = match &t.object {
                Term::NamedNode(n) => alive.contains(&NamedOrBlankNode::from(n.clone())),
                _ => false,
            };
            match templated {
                true => object_alive,
                false => alive.contains(&t.subject),
            }
        })
        .map(|(t, _)| t)
        .collect()
}

/// Expands a URI template (RFC 6570 levels 1–2: `{var}` and `{+var}`) with the row's cells
/// (`_row` is the row number). Non-ASCII characters are kept (the result is an IRI).
fn expand(template: &str, cells: &[(&str, &str)], row: usize) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            return out;
        };
        let expression = &rest[open + 1..open + close];
        let (reserved, name) = match expression.strip_prefix('+') {
            Some(name) => (true, name),
            None => (false, expression),
        };
        let row_number = row.to_string();
        let value = if name == "_row" {
            row_number.as_str()
        } else {
            cells
                .iter()
                .find(|(n, _)| *n == name)
                .map_or("", |(_, v)| v)
        };
        for ch in value.chars() {
            let keep = ch.is_alphanumeric()
                || "-._~".contains(ch)
                || (reserved && ":/?#[]@!$&'()*+,;=%".contains(ch));
            if keep {
                out.push(ch);
            } else {
                let mut buf = [0; 4];
                for b in ch.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
        }
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

/// An absolute IRI: a prefixed name of the default context, or a reference resolved against
/// `base`.
fn iri(text: &str, base: &str) -> Result<NamedNode, String> {
    if let Some((prefix, local)) = text.split_once(':') {
        if let Some((_, ns)) = PREFIXES.iter().find(|(p, _)| *p == prefix) {
            if !local.starts_with("//") {
                return NamedNode::new(format!("{ns}{local}")).map_err(|e| e.to_string());
            }
        }
    }
    let base = oxiri::Iri::parse(base.to_owned()).map_err(|e| e.to_string())?;
    base.resolve(text)
        .map(|i| NamedNode::new_unchecked(i.into_inner()))
        .map_err(|e| format!("{text:?} is not a valid IRI: {e}"))
}

/// A cell's literal: language-tagged when the column has `lang` (and is a string), else typed.
fn literal(value: &str, column: &Column) -> Result<Literal, String> {
    if column.datatype == Datatype::String {
        return match &column.lang {
            Some(lang) => {
                Literal::new_language_tagged_literal(value, lang).map_err(|e| e.to_string())
            }
            None => Ok(Literal::new_simple_literal(value)),
        };
    }
    let lexical = match column.datatype {
        Datatype::Boolean => match value {
            "true" | "1" => "true",
            "false" | "0" => "false",
            other => return Err(format!("{other:?} is not a boolean")),
        },
        _ => value.trim(),
    };
    let datatype = NamedNode::new_unchecked(format!("{XSD}{}", column.datatype.xsd()));
    let checked = match column.datatype {
        Datatype::Integer => lexical.parse::<oxsdatatypes::Integer>().is_ok(),
        Datatype::Decimal => lexical.parse::<oxsdatatypes::Decimal>().is_ok(),
        Datatype::Double => lexical.parse::<oxsdatatypes::Double>().is_ok(),
        Datatype::Date => lexical.parse::<oxsdatatypes::Date>().is_ok(),
        Datatype::DateTime => lexical.parse::<oxsdatatypes::DateTime>().is_ok(),
        Datatype::AnyUri | Datatype::Boolean | Datatype::String => true,
    };
    if !checked {
        return Err(format!(
            "{value:?} is not a valid xsd:{}",
            column.datatype.xsd()
        ));
    }
    Ok(Literal::new_typed_literal(lexical, datatype))
}

#[cfg(test)]
mod tests {
    use super::{expand, iri};

    #[test]
    fn templates_expand_simply_or_reserved_and_keep_iri_characters() {
        let cells = [("id", "a/b c"), ("iri", "https://x.example/č/1?q=2")];
        assert_eq!(expand("{id}", &cells, 2), "a%2Fb%20c");
        assert_eq!(
            expand("{+iri}/platnost", &cells, 2),
            "https://x.example/č/1?q=2/platnost"
        );
        assert_eq!(expand("row-{_row}", &cells, 7), "row-7");
        assert_eq!(expand("{missing}x", &cells, 2), "x");
        assert_eq!(
            iri("skos:Concept", "http://b.example/t").unwrap().as_str(),
            "http://www.w3.org/2004/02/skos/core#Concept"
        );
        assert_eq!(
            iri("#name", "http://b.example/t").unwrap().as_str(),
            "http://b.example/t#name"
        );
    }
}
