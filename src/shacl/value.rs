//! Literal semantics SHACL borrows from XSD and SPARQL: datatype well-formedness, value
//! comparison for the range and `sh:lessThan` components, language matching.

use oxigraph::model::{Literal, Term};
use oxsdatatypes::{
    Boolean, Date, DateTime, Decimal, Double, Duration, Float, GDay, GMonth, GMonthDay, GYear,
    GYearMonth, Integer, Time,
};
use std::cmp::Ordering;
use std::str::FromStr;

const XSD: &str = "http://www.w3.org/2001/XMLSchema#";
const RDF_LANG_STRING: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString";

/// Whether `literal` has datatype `datatype` and a lexical form valid for it (`sh:datatype`).
pub fn has_datatype(literal: &Literal, datatype: &str) -> bool {
    if literal.datatype().as_str() != datatype {
        return false;
    }
    if datatype == RDF_LANG_STRING {
        return literal.language().is_some();
    }
    match datatype.strip_prefix(XSD) {
        Some(local) => is_valid_lexical(local, literal.value()),
        None => true,
    }
}

fn parses<T: FromStr>(value: &str) -> bool {
    value.parse::<T>().is_ok()
}

/// Whether `value` is in the lexical space of the XSD datatype with local name `local`.
/// Types this engine does not know are accepted as written.
fn is_valid_lexical(local: &str, value: &str) -> bool {
    if let Some((min, max)) = integer_bounds(local) {
        return match value.trim().parse::<Integer>() {
            Ok(i) => {
                let d = Decimal::from(i);
                min.is_none_or(|m| d >= Decimal::from(m))
                    && max.is_none_or(|m| d <= Decimal::from(m))
            }
            Err(_) => false,
        };
    }
    match local {
        "boolean" => parses::<Boolean>(value),
        "decimal" => parses::<Decimal>(value),
        "double" => parses::<Double>(value),
        "float" => parses::<Float>(value),
        "dateTime" => parses::<DateTime>(value),
        "dateTimeStamp" => value
            .parse::<DateTime>()
            .is_ok_and(|d| d.timezone_offset().is_some()),
        "date" => parses::<Date>(value),
        "time" => parses::<Time>(value),
        "gYear" => parses::<GYear>(value),
        "gYearMonth" => parses::<GYearMonth>(value),
        "gMonth" => parses::<GMonth>(value),
        "gMonthDay" => parses::<GMonthDay>(value),
        "gDay" => parses::<GDay>(value),
        "duration" | "dayTimeDuration" | "yearMonthDuration" => parses::<Duration>(value),
        "language" => oxilangtag_like(value),
        _ => true,
    }
}

/// Lower and upper bounds of XSD's integer types (None: unbounded), or None if not one.
#[allow(clippy::type_complexity)]
fn integer_bounds(local: &str) -> Option<(Option<i64>, Option<i64>)> {
    Some(match local {
        "integer" => (None, None),
        "nonNegativeInteger" => (Some(0), None),
        "positiveInteger" => (Some(1), None),
        "nonPositiveInteger" => (None, Some(0)),
        "negativeInteger" => (None, Some(-1)),
        "long" => (Some(i64::MIN), Some(i64::MAX)),
        "int" => (Some(i32::MIN.into()), Some(i32::MAX.into())),
        "short" => (Some(i16::MIN.into()), Some(i16::MAX.into())),
        "byte" => (Some(i8::MIN.into()), Some(i8::MAX.into())),
        "unsignedLong" => (Some(0), None),
        "unsignedInt" => (Some(0), Some(u32::MAX.into())),
        "unsignedShort" => (Some(0), Some(u16::MAX.into())),
        "unsignedByte" => (Some(0), Some(u8::MAX.into())),
        _ => return None,
    })
}

fn oxilangtag_like(value: &str) -> bool {
    !value.is_empty()
        && value
            .split('-')
            .all(|p| !p.is_empty() && p.len() <= 8 && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// A literal's value in a form that can be ordered, as SPARQL's `<` orders it.
#[derive(Debug, Clone, PartialEq, PartialOrd)]
pub enum Comparable {
    Decimal(Decimal),
    Double(f64),
    String(String),
    Boolean(bool),
    DateTime(DateTime),
    Date(Date),
    Time(Time),
    Duration(Duration),
    Other,
}

/// The orderable value of `term`, if it is a literal of an ordered XSD type.
pub fn comparable_term(term: &Term) -> Option<Comparable> {
    match term {
        Term::Literal(l) => comparable(l),
        _ => None,
    }
}

fn comparable(literal: &Literal) -> Option<Comparable> {
    let value = literal.value();
    if literal.language().is_some() {
        return None;
    }
    let dt = literal.datatype().as_str();
    let local = dt.strip_prefix(XSD)?;
    if integer_bounds(local).is_some() {
        return value
            .trim()
            .parse::<Integer>()
            .ok()
            .map(|i| Comparable::Decimal(i.into()));
    }
    Some(match local {
        "decimal" => Comparable::Decimal(value.parse().ok()?),
        "double" => Comparable::Double(f64::from(value.parse::<Double>().ok()?)),
        "float" => Comparable::Double(f64::from(value.parse::<Float>().ok()?)),
        "string" => Comparable::String(value.to_owned()),
        "boolean" => Comparable::Boolean(value.parse::<Boolean>().ok()?.into()),
        "dateTime" | "dateTimeStamp" => Comparable::DateTime(value.parse().ok()?),
        "date" => Comparable::Date(value.parse().ok()?),
        "time" => Comparable::Time(value.parse().ok()?),
        "duration" | "dayTimeDuration" | "yearMonthDuration" => {
            Comparable::Duration(value.parse().ok()?)
        }
        _ => Comparable::Other,
    })
}

/// Compares two terms as SPARQL's `<` would; `None` when they cannot be compared (which SHACL
/// reports as a violation).
pub fn compare(a: &Term, b: &Term) -> Option<Ordering> {
    compare_values(&comparable_term(a)?, &comparable_term(b)?)
}

/// Compares two orderable values; `None` when SPARQL's `<` is undefined between them.
pub fn compare_values(a: &Comparable, b: &Comparable) -> Option<Ordering> {
    match (a, b) {
        (Comparable::Decimal(x), Comparable::Double(y)) => decimal_to_f64(*x).partial_cmp(y),
        (Comparable::Double(x), Comparable::Decimal(y)) => x.partial_cmp(&decimal_to_f64(*y)),
        (Comparable::Other, _) | (_, Comparable::Other) => None,
        (x, y) if std::mem::discriminant(x) == std::mem::discriminant(y) => x.partial_cmp(y),
        _ => None,
    }
}

fn decimal_to_f64(d: Decimal) -> f64 {
    f64::from(Double::from(d))
}

/// SPARQL's `langMatches` (RFC 4647 basic filtering) for one range.
pub fn lang_matches(tag: &str, range: &str) -> bool {
    if range == "*" {
        return !tag.is_empty();
    }
    let tag = tag.to_ascii_lowercase();
    tag == range || (tag.starts_with(range) && tag.as_bytes().get(range.len()) == Some(&b'-'))
}

/// The string a length or pattern constraint reads: an IRI's text or a literal's lexical form.
/// Blank nodes have none (a violation).
pub fn text(term: &Term) -> Option<&str> {
    match term {
        Term::NamedNode(n) => Some(n.as_str()),
        Term::Literal(l) => Some(l.value()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxigraph::model::NamedNodeRef;

    fn typed(value: &str, local: &str) -> Literal {
        Literal::new_typed_literal(value, NamedNodeRef::new_unchecked(&format!("{XSD}{local}")))
    }

    #[test]
    fn datatype_checks_the_lexical_form() {
        assert!(has_datatype(
            &typed("42", "integer"),
            &format!("{XSD}integer")
        ));
        assert!(!has_datatype(
            &typed("aldi", "integer"),
            &format!("{XSD}integer")
        ));
        assert!(!has_datatype(&typed("300", "byte"), &format!("{XSD}byte")));
        assert!(!has_datatype(
            &typed("-1", "nonNegativeInteger"),
            &format!("{XSD}nonNegativeInteger")
        ));
        assert!(has_datatype(
            &typed("2024-02-29", "date"),
            &format!("{XSD}date")
        ));
        assert!(!has_datatype(
            &typed("2023-02-29", "date"),
            &format!("{XSD}date")
        ));
        assert!(!has_datatype(
            &typed("2024-01-01T00:00:00", "dateTimeStamp"),
            &format!("{XSD}dateTimeStamp")
        ));
        assert!(!has_datatype(
            &Literal::new_simple_literal("1"),
            &format!("{XSD}integer")
        ));
        assert!(has_datatype(
            &Literal::new_language_tagged_literal_unchecked("a", "cs"),
            RDF_LANG_STRING
        ));
    }

    #[test]
    fn comparison_follows_sparql() {
        let t = |v, l| Term::from(typed(v, l));
        assert_eq!(
            compare(&t("2", "integer"), &t("10", "integer")),
            Some(Ordering::Less)
        );
        assert_eq!(
            compare(&t("2.5", "decimal"), &t("2", "integer")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            compare(&t("1e1", "double"), &t("10", "integer")),
            Some(Ordering::Equal)
        );
        assert_eq!(
            compare(&t("2020-01-01", "date"), &t("2021-01-01", "date")),
            Some(Ordering::Less)
        );
        assert_eq!(compare(&t("2020-01-01", "date"), &t("5", "integer")), None);
        assert_eq!(compare(&t("abc", "integer"), &t("5", "integer")), None);
        let plain = Term::from(Literal::new_simple_literal("b"));
        assert_eq!(
            compare(&plain, &Term::from(Literal::new_simple_literal("a"))),
            Some(Ordering::Greater)
        );
        let iri = Term::from(oxigraph::model::NamedNode::new_unchecked(
            "http://example.org/",
        ));
        assert_eq!(compare(&iri, &plain), None);
    }

    #[test]
    fn language_ranges_match_basic_filtering() {
        assert!(lang_matches("en-US", "en"));
        assert!(lang_matches("EN", "en"));
        assert!(!lang_matches("eng", "en"));
        assert!(lang_matches("cs", "*"));
    }
}
