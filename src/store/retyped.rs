//! Literals the store keeps under another datatype. Oxigraph stores numbers and dates by value,
//! and a value of a type derived from `xsd:integer` (`xsd:int`, `xsd:nonNegativeInteger`…) or
//! of `xsd:dateTimeStamp` comes back as `xsd:integer` or `xsd:dateTime` (oxigraph#526,
//! oxigraph#1413): the views, SPARQL and the Graph Store show the data so, while the version's
//! files keep what was pushed. A push says which datatypes that touches, so that a publisher
//! (and a shape checking `sh:datatype xsd:int` on what SPARQL returns) is not surprised.

use crate::shacl::DataGraph;
use oxigraph::model::Term;
use serde::Serialize;
use std::collections::BTreeMap;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The types derived from `xsd:integer` that Oxigraph stores as `xsd:integer`.
const INTEGER_TYPES: [&str; 12] = [
    "byte",
    "short",
    "int",
    "long",
    "unsignedByte",
    "unsignedShort",
    "unsignedInt",
    "unsignedLong",
    "positiveInteger",
    "negativeInteger",
    "nonPositiveInteger",
    "nonNegativeInteger",
];

/// Values of one datatype that the store keeps under another.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Retyped {
    /// The datatype pushed.
    pub datatype: String,
    /// The datatype the store gives them.
    pub stored_as: String,
    /// How many distinct values.
    pub values: usize,
}

/// The datatype the store gives a literal of `datatype` and `value`, when it is another one.
pub fn stored_as(datatype: &str, value: &str) -> Option<&'static str> {
    let local = datatype.strip_prefix(XSD)?;
    if INTEGER_TYPES.contains(&local) {
        let parses = value.parse::<oxsdatatypes::Integer>().is_ok();
        parses.then_some("http://www.w3.org/2001/XMLSchema#integer")
    } else if local == "dateTimeStamp" {
        let parses = value.parse::<oxsdatatypes::DateTime>().is_ok();
        parses.then_some("http://www.w3.org/2001/XMLSchema#dateTime")
    } else {
        None
    }
}

/// What of `data` the store keeps under another datatype, by datatype.
pub fn retyped(data: &DataGraph) -> Vec<Retyped> {
    // Ids are dense: one flag per term says whether it was looked at.
    let mut seen = vec![false; data.terms().len()];
    let mut counts: BTreeMap<(String, &'static str), usize> = BTreeMap::new();
    for (_, _, o) in data.data_triples() {
        match seen.get_mut(o as usize) {
            Some(seen) if !*seen => *seen = true,
            _ => continue,
        }
        let Term::Literal(literal) = data.term(o) else {
            continue;
        };
        let datatype = literal.datatype().as_str();
        if let Some(stored) = stored_as(datatype, literal.value()) {
            *counts.entry((datatype.to_owned(), stored)).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .map(|((datatype, stored_as), values)| Retyped {
            datatype,
            stored_as: stored_as.to_owned(),
            values,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::{GraphNameRef, Literal, NamedNode, Quad};
    use oxigraph::store::Store;

    /// [`stored_as`] says what Oxigraph does: a test that fails when Oxigraph changes (when it
    /// keeps datatypes, oxigraph#526, this module can go).
    #[test]
    fn stored_as_mirrors_what_the_store_gives_back() {
        let store = Store::new().unwrap();
        let s = NamedNode::new("http://example.org/s").unwrap();
        let mut datatypes: Vec<String> =
            INTEGER_TYPES.iter().map(|t| format!("{XSD}{t}")).collect();
        for other in [
            "integer",
            "decimal",
            "dateTimeStamp",
            "dateTime",
            "date",
            "string",
            "anyURI",
        ] {
            datatypes.push(format!("{XSD}{other}"));
        }
        for (i, datatype) in datatypes.iter().enumerate() {
            for value in [
                "5",
                "-3",
                "abc",
                "2024-01-02T03:04:05Z",
                "2024-01-02T03:04:05",
            ] {
                let p = NamedNode::new(format!("http://example.org/p{i}")).unwrap();
                let literal =
                    Literal::new_typed_literal(value, NamedNode::new(datatype.as_str()).unwrap());
                let quad = Quad::new(s.clone(), p.clone(), literal, GraphNameRef::DefaultGraph);
                store.insert(&quad).unwrap();
                let back = store
                    .quads_for_pattern(None, Some(p.as_ref()), None, None)
                    .next()
                    .unwrap()
                    .unwrap();
                let Term::Literal(back) = back.object else {
                    panic!("a literal")
                };
                let changed = (back.datatype().as_str() != datatype).then(|| back.datatype());
                assert_eq!(
                    changed.map(|d| d.as_str()),
                    stored_as(datatype, value),
                    "{value}^^{datatype}"
                );
                store.clear().unwrap();
            }
        }
    }
}
