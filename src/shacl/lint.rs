//! Checks that a shapes graph only uses SHACL terms that exist and that this engine implements,
//! so a typo such as `sh:shape` (for `sh:node`) is refused instead of silently ignored.

use super::error::Problem;
use super::vocab::{rdf, SH};
use oxigraph::model::{Graph, NamedNodeRef, NamedOrBlankNodeRef, TermRef};
use std::collections::BTreeMap;

/// Terms of the SHACL vocabulary this engine implements or may safely ignore (informational
/// terms such as `sh:name`, report terms a test file may hold, declarations).
const KNOWN: &[&str] = &[
    // Shapes, targets, paths, severities, node kinds.
    "Shape",
    "NodeShape",
    "PropertyShape",
    "targetNode",
    "targetClass",
    "targetSubjectsOf",
    "targetObjectsOf",
    "path",
    "inversePath",
    "alternativePath",
    "zeroOrMorePath",
    "oneOrMorePath",
    "zeroOrOnePath",
    "severity",
    "Severity",
    "Violation",
    "Warning",
    "Info",
    "message",
    "deactivated",
    "NodeKind",
    "IRI",
    "BlankNode",
    "Literal",
    "BlankNodeOrIRI",
    "BlankNodeOrLiteral",
    "IRIOrLiteral",
    // Core constraint parameters.
    "class",
    "datatype",
    "nodeKind",
    "minCount",
    "maxCount",
    "minExclusive",
    "minInclusive",
    "maxExclusive",
    "maxInclusive",
    "minLength",
    "maxLength",
    "pattern",
    "flags",
    "languageIn",
    "uniqueLang",
    "equals",
    "disjoint",
    "lessThan",
    "lessThanOrEquals",
    "not",
    "and",
    "or",
    "xone",
    "node",
    "property",
    "qualifiedValueShape",
    "qualifiedValueShapesDisjoint",
    "qualifiedMinCount",
    "qualifiedMaxCount",
    "closed",
    "ignoredProperties",
    "hasValue",
    "in",
    // SHACL-SPARQL.
    "sparql",
    "select",
    "ask",
    "prefixes",
    "declare",
    "prefix",
    "namespace",
    "PrefixDeclaration",
    "SPARQLConstraint",
    "SPARQLExecutable",
    "SPARQLAskExecutable",
    "SPARQLSelectExecutable",
    "ConstraintComponent",
    "Parameter",
    "Parameterizable",
    "parameter",
    "optional",
    "labelTemplate",
    "validator",
    "nodeValidator",
    "propertyValidator",
    "Validator",
    "SPARQLAskValidator",
    "SPARQLSelectValidator",
    "this",
    // Non-validating and informational terms.
    "name",
    "description",
    "order",
    "group",
    "PropertyGroup",
    "defaultValue",
    "shapesGraph",
    "suggestedShapesGraph",
    "shapesGraphWellFormed",
    // Validation report terms (test files and stored reports hold them).
    "ValidationReport",
    "ValidationResult",
    "AbstractResult",
    "conforms",
    "result",
    "focusNode",
    "resultPath",
    "value",
    "sourceShape",
    "sourceConstraintComponent",
    "sourceConstraint",
    "resultSeverity",
    "resultMessage",
    "detail",
    // Constraint component IRIs (used in reports and declarations).
    "ClassConstraintComponent",
    "DatatypeConstraintComponent",
    "NodeKindConstraintComponent",
    "MinCountConstraintComponent",
    "MaxCountConstraintComponent",
    "MinExclusiveConstraintComponent",
    "MinInclusiveConstraintComponent",
    "MaxExclusiveConstraintComponent",
    "MaxInclusiveConstraintComponent",
    "MinLengthConstraintComponent",
    "MaxLengthConstraintComponent",
    "PatternConstraintComponent",
    "LanguageInConstraintComponent",
    "UniqueLangConstraintComponent",
    "EqualsConstraintComponent",
    "DisjointConstraintComponent",
    "LessThanConstraintComponent",
    "LessThanOrEqualsConstraintComponent",
    "NotConstraintComponent",
    "AndConstraintComponent",
    "OrConstraintComponent",
    "XoneConstraintComponent",
    "NodeConstraintComponent",
    "PropertyConstraintComponent",
    "QualifiedMinCountConstraintComponent",
    "QualifiedMaxCountConstraintComponent",
    "ClosedConstraintComponent",
    "HasValueConstraintComponent",
    "InConstraintComponent",
    "SPARQLConstraintComponent",
];

/// SHACL terms that exist (mostly SHACL Advanced Features and SHACL-JS) but are not implemented:
/// a shapes graph that uses them is refused, since ignoring them would pass data silently.
const NOT_IMPLEMENTED: &[&str] = &[
    "target",
    "Target",
    "TargetType",
    "SPARQLTarget",
    "SPARQLTargetType",
    "targetValidator",
    "rule",
    "Rule",
    "TripleRule",
    "SPARQLRule",
    "condition",
    "subject",
    "predicate",
    "object",
    "construct",
    "update",
    "SPARQLConstructExecutable",
    "SPARQLUpdateExecutable",
    "Function",
    "SPARQLFunction",
    "returnType",
    "JSExecutable",
    "JSConstraint",
    "JSValidator",
    "JSFunction",
    "JSLibrary",
    "JSRule",
    "JSTarget",
    "JSTargetType",
    "js",
    "jsFunctionName",
    "jsLibrary",
    "jsLibraryURL",
    "entailment",
    "resultAnnotation",
    "ResultAnnotation",
    "annotationProperty",
    "annotationValue",
    "annotationVarName",
    "values",
    "filterShape",
    "nodes",
    "intersection",
    "union",
    "expression",
];

/// Uses of `sh:` terms that are not SHACL (typos) and of SHACL features this engine does not
/// implement, one problem per term and node using it: `(unknown, unimplemented)`.
pub fn vocabulary(graph: &Graph) -> (Vec<Problem>, Vec<Problem>) {
    // (term, node using it) -> uses
    let mut found: BTreeMap<(String, String), usize> = BTreeMap::new();
    // Unknown terms are refused wherever they appear; unimplemented ones only where they would
    // take effect: as a predicate or as a type (the SHACL-for-SHACL shapes mention some as data).
    let mut check = |n: NamedNodeRef<'_>, in_effect: bool, node: NamedOrBlankNodeRef<'_>| {
        if let Some(local) = n.as_str().strip_prefix(SH) {
            let known = KNOWN.contains(&local);
            let unimplemented = NOT_IMPLEMENTED.contains(&local);
            if (!known && !unimplemented) || (unimplemented && in_effect) {
                *found
                    .entry((local.to_owned(), node.to_string()))
                    .or_default() += 1;
            }
        }
    };
    for t in graph {
        check(t.predicate, true, t.subject);
        if let TermRef::NamedNode(n) = t.object {
            check(n, t.predicate == rdf::TYPE, t.subject);
        }
        if let NamedOrBlankNodeRef::NamedNode(n) = t.subject {
            check(n, false, t.subject);
        }
    }
    let (mut unknown, mut unimplemented) = (Vec::new(), Vec::new());
    for ((local, node), count) in found {
        let uses = if count > 1 {
            format!(" ({count}×)")
        } else {
            String::new()
        };
        if NOT_IMPLEMENTED.contains(&local.as_str()) {
            unimplemented.push(Problem {
                shape: Some(node),
                reason: format!("uses sh:{local}{uses}, which this engine does not implement; refusing rather than ignoring it"),
            });
        } else {
            unknown.push(Problem {
                shape: Some(node),
                reason: format!("uses sh:{local}{uses}, which is not a SHACL term (a typo? e.g. sh:shape for sh:node)"),
            });
        }
    }
    (unknown, unimplemented)
}
