//! The compiled shapes: what the compiler produces and the validator walks.

use super::error::Problem;
use super::graph::{Id, Interner};
use super::path::{Path, PathExpr};
use super::sparql::SparqlConstraint;
use super::value::Comparable;
use oxigraph::model::{Graph, NamedNode, Term};
use regex::Regex;
use rustc_hash::FxHashSet;

/// Index of a shape in [`Shapes::shapes`].
pub type ShapeIdx = usize;

/// A compiled shapes graph: every shape with its targets and constraints, terms interned.
#[derive(Debug)]
pub struct Shapes {
    /// All shapes, referenced by index from constraints.
    pub(crate) shapes: Vec<Shape>,
    /// The term table shared with data graphs validated against these shapes.
    pub(crate) terms: Interner,
    /// The shapes graph as parsed, for `$shapesGraph` and for copying paths into reports.
    pub(crate) graph: Graph,
    /// Ids of terms the validator needs at hand.
    pub(crate) ids: WellKnown,
    /// What a lenient compile let pass: unknown `sh:` terms, SHACL-for-SHACL findings.
    pub warnings: Vec<Problem>,
}

/// Ids of RDF terms the validator uses on every node.
#[derive(Debug, Clone, Copy)]
pub struct WellKnown {
    /// `rdf:type`
    pub rdf_type: Id,
    /// `rdfs:subClassOf`
    pub sub_class_of: Id,
}

/// One shape: a node shape (no path) or a property shape (with a path).
#[derive(Debug)]
pub struct Shape {
    /// The shape's node in the shapes graph (IRI or blank node).
    pub node: Term,
    /// The path, for property shapes.
    pub path: Option<Path>,
    /// The path with its terms, for reports (`sh:resultPath`) and `$PATH`.
    pub result_path: Option<PathExpr>,
    /// Target declarations.
    pub targets: Targets,
    /// `sh:severity`, `sh:Violation` by default.
    pub severity: Term,
    /// `sh:message` values.
    pub messages: Vec<Term>,
    /// `sh:deactivated true`: the shape is ignored and every node conforms to it.
    pub deactivated: bool,
    /// Constraint components in use, one per parameter value.
    pub constraints: Vec<Constraint>,
}

/// The focus-node declarations of a shape.
#[derive(Debug, Default)]
pub struct Targets {
    /// `sh:targetNode`
    pub nodes: Vec<Id>,
    /// `sh:targetClass`, and the shape itself when it is also a class (implicit class target).
    pub classes: Vec<Id>,
    /// `sh:targetSubjectsOf`
    pub subjects_of: Vec<Id>,
    /// `sh:targetObjectsOf`
    pub objects_of: Vec<Id>,
}

impl Targets {
    /// Whether the shape declares no target at all.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
            && self.classes.is_empty()
            && self.subjects_of.is_empty()
            && self.objects_of.is_empty()
    }
}

/// A constraint: one component with its parameter values.
#[derive(Debug)]
pub enum Constraint {
    /// `sh:class`
    Class(Id),
    /// `sh:datatype`
    Datatype(NamedNode),
    /// `sh:nodeKind`
    NodeKind(NodeKind),
    /// `sh:minCount`
    MinCount(usize),
    /// `sh:maxCount`
    MaxCount(usize),
    /// `sh:minExclusive`, `sh:minInclusive`, `sh:maxExclusive`, `sh:maxInclusive`, with the
    /// bound's value (`None` when the bound is not an ordered literal: nothing compares to it)
    Range(RangeKind, Option<Comparable>),
    /// `sh:minLength`
    MinLength(usize),
    /// `sh:maxLength`
    MaxLength(usize),
    /// `sh:pattern` with its `sh:flags`
    Pattern(Box<Regex>),
    /// `sh:languageIn`
    LanguageIn(Vec<String>),
    /// `sh:uniqueLang true`
    UniqueLang,
    /// `sh:equals`
    Equals(Id),
    /// `sh:disjoint`
    Disjoint(Id),
    /// `sh:lessThan`
    LessThan(Id),
    /// `sh:lessThanOrEquals`
    LessThanOrEquals(Id),
    /// `sh:not`
    Not(ShapeIdx),
    /// `sh:and`
    And(Vec<ShapeIdx>),
    /// `sh:or`
    Or(Vec<ShapeIdx>),
    /// `sh:xone`
    Xone(Vec<ShapeIdx>),
    /// `sh:node`
    Node(ShapeIdx),
    /// `sh:property`
    Property(ShapeIdx),
    /// `sh:qualifiedValueShape` with its counts
    Qualified(Qualified),
    /// `sh:closed true` with the allowed predicates
    Closed(FxHashSet<Id>),
    /// `sh:hasValue`
    HasValue(Id),
    /// `sh:in`
    In(FxHashSet<Id>),
    /// `sh:sparql`, or an instance of a SPARQL-based constraint component
    Sparql(Box<SparqlConstraint>),
}

/// The node kinds of `sh:nodeKind`, as flags: IRI, blank node, literal.
#[derive(Debug, Clone, Copy)]
pub struct NodeKind {
    /// IRIs allowed
    pub iri: bool,
    /// blank nodes allowed
    pub blank: bool,
    /// literals allowed
    pub literal: bool,
}

/// Which bound a range constraint sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeKind {
    /// `sh:minExclusive`
    MinExclusive,
    /// `sh:minInclusive`
    MinInclusive,
    /// `sh:maxExclusive`
    MaxExclusive,
    /// `sh:maxInclusive`
    MaxInclusive,
}

/// `sh:qualifiedValueShape` with one of its counts: min and max are separate components,
/// so each becomes its own constraint with the other count `None`.
#[derive(Debug)]
pub struct Qualified {
    /// The qualified value shape.
    pub shape: ShapeIdx,
    /// `sh:qualifiedMinCount`
    pub min: Option<usize>,
    /// `sh:qualifiedMaxCount`
    pub max: Option<usize>,
    /// Sibling shapes a counted value must not conform to (`sh:qualifiedValueShapesDisjoint`).
    pub siblings: Vec<ShapeIdx>,
}

impl Constraint {
    /// The constraint component IRI reported in `sh:sourceConstraintComponent`.
    pub fn component(&self) -> NamedNode {
        use super::vocab::sh;
        let iri = match self {
            Self::Class(_) => sh::CLASS_CC,
            Self::Datatype(_) => sh::DATATYPE_CC,
            Self::NodeKind(_) => sh::NODE_KIND_CC,
            Self::MinCount(_) => sh::MIN_COUNT_CC,
            Self::MaxCount(_) => sh::MAX_COUNT_CC,
            Self::Range(RangeKind::MinExclusive, _) => sh::MIN_EXCLUSIVE_CC,
            Self::Range(RangeKind::MinInclusive, _) => sh::MIN_INCLUSIVE_CC,
            Self::Range(RangeKind::MaxExclusive, _) => sh::MAX_EXCLUSIVE_CC,
            Self::Range(RangeKind::MaxInclusive, _) => sh::MAX_INCLUSIVE_CC,
            Self::MinLength(_) => sh::MIN_LENGTH_CC,
            Self::MaxLength(_) => sh::MAX_LENGTH_CC,
            Self::Pattern(_) => sh::PATTERN_CC,
            Self::LanguageIn(_) => sh::LANGUAGE_IN_CC,
            Self::UniqueLang => sh::UNIQUE_LANG_CC,
            Self::Equals(_) => sh::EQUALS_CC,
            Self::Disjoint(_) => sh::DISJOINT_CC,
            Self::LessThan(_) => sh::LESS_THAN_CC,
            Self::LessThanOrEquals(_) => sh::LESS_THAN_OR_EQUALS_CC,
            Self::Not(_) => sh::NOT_CC,
            Self::And(_) => sh::AND_CC,
            Self::Or(_) => sh::OR_CC,
            Self::Xone(_) => sh::XONE_CC,
            Self::Node(_) => sh::NODE_CC,
            Self::Property(_) => sh::PROPERTY_CC,
            Self::Qualified(q) if q.max.is_some() => sh::QUALIFIED_MAX_COUNT_CC,
            Self::Qualified(_) => sh::QUALIFIED_MIN_COUNT_CC,
            Self::Closed(_) => sh::CLOSED_CC,
            Self::HasValue(_) => sh::HAS_VALUE_CC,
            Self::In(_) => sh::IN_CC,
            Self::Sparql(c) => return c.component.clone(),
        };
        iri.into_owned()
    }
}
