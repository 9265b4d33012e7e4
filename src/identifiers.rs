//! Identifiers of the storage: dataset ids as publishers give them, and the IRIs a norm's
//! templates make of them (dataset, version, item, file). IRIs keep non-ASCII characters
//! (`…/zdroj/číselníky/…`); the wire form percent-encodes them, this is the IRI form.

use crate::norm::Templates;
use oxigraph::model::NamedNode;
use std::fmt;

/// A dataset id: one or more `/`-separated segments of letters (any script), digits, `-`, `_`
/// and `.`, none of them empty, `.` or `..`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DatasetId(String);

/// Why a dataset id was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid dataset id {id:?}: {}", reason[0])]
pub struct IdError {
    /// The id as given.
    pub id: String,
    /// What is wrong, in English and in Czech.
    pub reason: [&'static str; 2],
}

impl IdError {
    /// The message in Czech.
    pub fn czech(&self) -> String {
        format!(
            "neplatný identifikátor datové sady {:?}: {}",
            self.id, self.reason[1]
        )
    }
}

impl DatasetId {
    /// Checks `id` and keeps it.
    pub fn parse(id: &str) -> Result<Self, IdError> {
        let refuse = |reason| {
            Err(IdError {
                id: id.to_owned(),
                reason,
            })
        };
        if id.is_empty() {
            return refuse(["it is empty", "je prázdný"]);
        }
        if id.len() > 200 {
            return refuse(["it is longer than 200 bytes", "je delší než 200 bajtů"]);
        }
        for segment in id.split('/') {
            match segment {
                "" => {
                    return refuse([
                        "it has an empty segment (a leading, trailing or double /)",
                        "má prázdnou část (/ na začátku, na konci nebo dvakrát za sebou)",
                    ])
                }
                "." | ".." => return refuse(["it has a . or .. segment", "má část . nebo .."]),
                _ => {}
            }
            if let Some(c) = segment
                .chars()
                .find(|c| !(c.is_alphanumeric() || matches!(c, '-' | '_' | '.')))
            {
                return refuse(if c.is_control() {
                    ["it has a control character", "obsahuje řídicí znak"]
                } else if c.is_whitespace() {
                    ["it has white space", "obsahuje mezeru"]
                } else {
                    [
                        "it may hold only letters, digits, -, _, . and /",
                        "smí obsahovat jen písmena, číslice, -, _, . a /",
                    ]
                });
            }
        }
        Ok(Self(id.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DatasetId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Fills `{name}` variables of `template` with `values`.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_owned(), |t, (name, value)| {
        t.replace(&format!("{{{name}}}"), value)
    })
}

/// Why a template made no IRI.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the template made {iri:?}, which is not an IRI: {reason}")]
pub struct TemplateError {
    /// What the template made.
    pub iri: String,
    /// The IRI parser's reason.
    pub reason: String,
}

fn iri(text: String) -> Result<NamedNode, TemplateError> {
    NamedNode::new(&text).map_err(|e| TemplateError {
        reason: e.to_string(),
        iri: text,
    })
}

impl Templates {
    /// The IRI of dataset `id` under the local IRI space `base`.
    pub fn dataset_iri(&self, base: &str, id: &DatasetId) -> Result<NamedNode, TemplateError> {
        iri(fill(
            &self.dataset,
            &[("base", base), ("dataset", id.as_str())],
        ))
    }

    /// The IRI of version `version` (a sequence number or a date) of `dataset`.
    pub fn version_iri(
        &self,
        dataset: &NamedNode,
        version: &str,
    ) -> Result<NamedNode, TemplateError> {
        iri(fill(
            &self.version,
            &[("dataset", dataset.as_str()), ("version", version)],
        ))
    }

    /// The IRI of the item `code` of `dataset`.
    pub fn item_iri(&self, dataset: &NamedNode, code: &str) -> Result<NamedNode, TemplateError> {
        iri(fill(
            &self.item,
            &[("dataset", dataset.as_str()), ("code", code)],
        ))
    }

    /// The URL of `dataset`'s distribution with extension `ext` (`ttl`, `nt`, `jsonld`, …).
    pub fn file_url(&self, dataset: &NamedNode, ext: &str) -> Result<NamedNode, TemplateError> {
        iri(fill(
            &self.file,
            &[("dataset", dataset.as_str()), ("ext", ext)],
        ))
    }
}

/// `bytes` as lower-case hex digits (hash-derived names and ETags).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_ids_refuse_what_could_escape_or_confuse() {
        for ok in ["měny", "číselníky/měny", "registr-2024", "a_b.c"] {
            assert!(DatasetId::parse(ok).is_ok(), "{ok}");
        }
        for (bad, why) in [
            ("", "empty"),
            ("../x", ". or .."),
            ("a/./b", ". or .."),
            ("/a", "empty segment"),
            ("a//b", "empty segment"),
            ("a\u{0}b", "control"),
            ("a\nb", "control"),
            ("a b", "white space"),
            ("a?b", "only letters"),
            ("a%2Fb", "only letters"),
        ] {
            let e = DatasetId::parse(bad).unwrap_err();
            assert!(e.reason[0].contains(why), "{bad:?}: {e}");
        }
    }

    #[test]
    fn templates_make_iris_in_iri_form() {
        let t = Templates {
            dataset: "{base}zdroj/číselníky/{dataset}".into(),
            version: "{dataset}/{version}".into(),
            item: "{dataset}/položky/{code}".into(),
            file: "{dataset}.{ext}".into(),
        };
        let id = DatasetId::parse("měny").unwrap();
        let ds = t.dataset_iri("https://data.example.cz/", &id).unwrap();
        assert_eq!(ds.as_str(), "https://data.example.cz/zdroj/číselníky/měny");
        assert_eq!(
            t.version_iri(&ds, "2024-01-01").unwrap().as_str(),
            "https://data.example.cz/zdroj/číselníky/měny/2024-01-01"
        );
        assert_eq!(
            t.item_iri(&ds, "CZK").unwrap().as_str(),
            "https://data.example.cz/zdroj/číselníky/měny/položky/CZK"
        );
        assert_eq!(
            t.file_url(&ds, "ttl").unwrap().as_str(),
            "https://data.example.cz/zdroj/číselníky/měny.ttl"
        );
        assert!(t.item_iri(&ds, "a b").is_err(), "a space makes no IRI");
    }

    #[test]
    fn bytes_read_as_hex_digits() {
        assert_eq!(hex(&[0x00, 0xab, 0x0f, 0xf0]), "00ab0ff0");
    }
}
