//! Turns a shapes graph into [`Shapes`]: finds the shapes, reads their targets and parameters,
//! and refuses anything ill-formed, unknown or unimplemented with the shape and the reason.

use super::error::{Problem, ShapesError};
use super::graph::{Id, Interner};
use super::path::Path;
use super::rdf_read::{as_subject, list, values};
use super::shape::{Constraint, Shape, ShapeIdx, Shapes, Targets, WellKnown};
use super::sparql;
use super::vocab::{rdf, sh};
use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef, TripleRef};
use rustc_hash::{FxHashMap, FxHashSet};

/// Parameters that make their subject a shape (SHACL §2.1, "shape" definition).
const SHAPE_PARAMETERS: &[NamedNodeRef<'static>] = &[
    sh::CLASS,
    sh::DATATYPE,
    sh::NODE_KIND,
    sh::MIN_COUNT,
    sh::MAX_COUNT,
    sh::MIN_EXCLUSIVE,
    sh::MIN_INCLUSIVE,
    sh::MAX_EXCLUSIVE,
    sh::MAX_INCLUSIVE,
    sh::MIN_LENGTH,
    sh::MAX_LENGTH,
    sh::PATTERN,
    sh::LANGUAGE_IN,
    sh::UNIQUE_LANG,
    sh::EQUALS,
    sh::DISJOINT,
    sh::LESS_THAN,
    sh::LESS_THAN_OR_EQUALS,
    sh::NOT,
    sh::AND,
    sh::OR,
    sh::XONE,
    sh::NODE,
    sh::PROPERTY,
    sh::QUALIFIED_VALUE_SHAPE,
    sh::CLOSED,
    sh::HAS_VALUE,
    sh::IN,
    sh::SPARQL,
    sh::TARGET_NODE,
    sh::TARGET_CLASS,
    sh::TARGET_SUBJECTS_OF,
    sh::TARGET_OBJECTS_OF,
    sh::PATH,
];

/// Parameters whose values are shapes.
const SHAPE_VALUED: &[NamedNodeRef<'static>] =
    &[sh::NOT, sh::NODE, sh::PROPERTY, sh::QUALIFIED_VALUE_SHAPE];

/// A parameter and the constraint its value makes.
pub(super) type Param<'a, T> = (NamedNodeRef<'a>, fn(T) -> Constraint);

/// Compiles the shapes graph `graph`, read from `source` (named in errors). Terms that are not
/// SHACL are refused when `strict`, and otherwise returned as warnings in [`Shapes::warnings`]
/// (plain SHACL ignores unknown triples).
pub fn compile(graph: Graph, source: &str, strict: bool) -> Result<Shapes, ShapesError> {
    let (mut unknown, mut problems) = super::lint::vocabulary(&graph);
    let mut warnings = Vec::new();
    if strict {
        problems.append(&mut unknown);
    } else {
        warnings.append(&mut unknown);
    }
    let mut compiler = Compiler {
        graph: &graph,
        terms: Interner::default(),
        index: FxHashMap::default(),
        problems: Vec::new(),
    };
    let nodes = compiler.find_shapes();
    for (i, node) in nodes.iter().enumerate() {
        compiler.index.insert(node.clone(), i);
    }
    let components = sparql::components(&graph);
    let mut shapes = Vec::with_capacity(nodes.len());
    for node in &nodes {
        let shape = compiler.shape(node, &components);
        shapes.push(shape);
    }
    compiler.link_qualified_siblings(&mut shapes);
    problems.append(&mut compiler.problems);
    if !problems.is_empty() {
        return Err(ShapesError {
            source: source.to_owned(),
            problems,
        });
    }
    let mut terms = compiler.terms;
    let ids = WellKnown {
        rdf_type: terms.intern(rdf::TYPE.into()),
        sub_class_of: terms.intern(rdf::SUB_CLASS_OF.into()),
    };
    Ok(Shapes {
        shapes,
        terms,
        graph,
        ids,
        warnings,
    })
}

/// The state of one compilation: the graph, the term table, shape indexes, problems found.
pub(super) struct Compiler<'a> {
    pub(super) graph: &'a Graph,
    pub(super) terms: Interner,
    pub(super) index: FxHashMap<Term, ShapeIdx>,
    pub(super) problems: Vec<Problem>,
}

impl Compiler<'_> {
    pub(super) fn problem(&mut self, shape: &Term, reason: impl Into<String>) {
        self.problems.push(Problem {
            shape: Some(shape.to_string()),
            reason: reason.into(),
        });
    }

    pub(super) fn intern(&mut self, term: &Term) -> Id {
        self.terms.intern(term.as_ref())
    }

    /// Every node that is a shape, in graph order, without duplicates.
    fn find_shapes(&mut self) -> Vec<Term> {
        let g = self.graph;
        let mut found: Vec<Term> = Vec::new();
        let mut seen = FxHashSet::default();
        let mut add = |t: Term, found: &mut Vec<Term>| {
            if seen.insert(t.clone()) {
                found.push(t);
            }
        };
        for class in [sh::NODE_SHAPE, sh::PROPERTY_SHAPE] {
            for s in g.subjects_for_predicate_object(rdf::TYPE, class) {
                add(s.into_owned().into(), &mut found);
            }
        }
        for t in g.iter() {
            if SHAPE_PARAMETERS.contains(&t.predicate) {
                add(t.subject.into_owned().into(), &mut found);
            }
            if SHAPE_VALUED.contains(&t.predicate) {
                add(t.object.into_owned(), &mut found);
            }
        }
        for logical in [sh::AND, sh::OR, sh::XONE] {
            let lists: Vec<Term> = g
                .triples_for_predicate(logical)
                .map(|t| t.object.into_owned())
                .collect();
            for head in lists {
                if let Ok(items) = list(g, &head) {
                    for item in items {
                        add(item, &mut found);
                    }
                }
            }
        }
        found
    }

    fn shape(&mut self, node: &Term, components: &[sparql::Component]) -> Shape {
        let g = self.graph;
        let path_term = single(g, node, sh::PATH);
        let path = path_term.as_ref().and_then(|p| match self.path(p, 0) {
            Ok(path) => Some(path),
            Err(reason) => {
                self.problem(node, reason);
                None
            }
        });
        let typed_property = contains(g, node, rdf::TYPE, sh::PROPERTY_SHAPE.into());
        if typed_property && path_term.is_none() {
            self.problem(node, "is a sh:PropertyShape but has no sh:path");
        }
        if path_term.is_some() && contains(g, node, rdf::TYPE, sh::NODE_SHAPE.into()) {
            self.problem(node, "is a sh:NodeShape but has a sh:path");
        }
        if values(g, node, sh::PATH).len() > 1 {
            self.problem(node, "has more than one sh:path");
        }
        let severity = single(g, node, sh::SEVERITY).unwrap_or_else(|| sh::VIOLATION.into());
        let deactivated = match single(g, node, sh::DEACTIVATED) {
            None => false,
            Some(v) => self.boolean(node, sh::DEACTIVATED, &v),
        };
        let targets = self.targets(node);
        let result_path = path.as_ref().map(|p| p.to_expr(&self.terms));
        let mut shape = Shape {
            node: node.clone(),
            path,
            result_path,
            targets,
            severity,
            messages: values(g, node, sh::MESSAGE),
            deactivated,
            constraints: Vec::new(),
        };
        self.constraints(&mut shape);
        for component in components {
            match component.instantiate(g, &shape) {
                Ok(mut cs) => shape.constraints.append(&mut cs),
                Err(reason) => self.problem(node, reason),
            }
        }
        for sparql_node in values(g, node, sh::SPARQL) {
            match sparql::SparqlConstraint::from_sh_sparql(g, &shape, &sparql_node) {
                Ok(c) => shape.constraints.push(Constraint::Sparql(Box::new(c))),
                Err(reason) => self.problem(node, reason),
            }
        }
        shape
    }

    fn targets(&mut self, node: &Term) -> Targets {
        let g = self.graph;
        let mut targets = Targets::default();
        for v in values(g, node, sh::TARGET_NODE) {
            targets.nodes.push(self.intern(&v));
        }
        for (p, into) in [
            (sh::TARGET_CLASS, 0),
            (sh::TARGET_SUBJECTS_OF, 1),
            (sh::TARGET_OBJECTS_OF, 2),
        ] {
            for v in values(g, node, p) {
                if !matches!(v, Term::NamedNode(_)) {
                    self.problem(
                        node,
                        format!("the value of {} must be an IRI, not {v}", short(p)),
                    );
                    continue;
                }
                let id = self.intern(&v);
                [
                    &mut targets.classes,
                    &mut targets.subjects_of,
                    &mut targets.objects_of,
                ][into]
                    .push(id);
            }
        }
        if matches!(node, Term::NamedNode(_)) && self.is_class(node) {
            let id = self.intern(node);
            targets.classes.push(id);
        }
        targets
    }

    /// Whether `node` is a SHACL instance of `rdfs:Class` in the shapes graph (implicit target).
    fn is_class(&self, node: &Term) -> bool {
        let g = self.graph;
        let mut stack = values(g, node, rdf::TYPE);
        let mut seen = FxHashSet::default();
        while let Some(t) = stack.pop() {
            if t == Term::from(rdf::CLASS.into_owned()) {
                return true;
            }
            if seen.insert(t.clone()) {
                stack.extend(values(g, &t, rdf::SUB_CLASS_OF));
            }
        }
        false
    }

    fn path(&mut self, term: &Term, depth: usize) -> Result<Path, String> {
        if depth > 64 {
            return Err("sh:path is nested too deeply (cyclic?)".into());
        }
        let g = self.graph;
        match term {
            Term::NamedNode(_) => Ok(Path::Predicate(self.intern(term))),
            Term::BlankNode(_) => {
                if contains_any(g, term, rdf::FIRST) {
                    let items = list(g, term)?;
                    if items.len() < 2 {
                        return Err("a sequence path needs at least two members".into());
                    }
                    let steps = items
                        .iter()
                        .map(|i| self.path(i, depth + 1))
                        .collect::<Result<_, _>>()?;
                    return Ok(Path::Sequence(steps));
                }
                let mut kinds = Vec::new();
                for (p, k) in [
                    (sh::INVERSE_PATH, 0),
                    (sh::ALTERNATIVE_PATH, 1),
                    (sh::ZERO_OR_MORE_PATH, 2),
                    (sh::ONE_OR_MORE_PATH, 3),
                    (sh::ZERO_OR_ONE_PATH, 4),
                ] {
                    for v in values(g, term, p) {
                        kinds.push((k, v));
                    }
                }
                let [(kind, value)] = <[_; 1]>::try_from(kinds).map_err(|_| {
                    format!(
                        "{term} is not a well-formed SHACL path (needs exactly one path property)"
                    )
                })?;
                if kind == 1 {
                    let items = list(g, &value)?;
                    if items.len() < 2 {
                        return Err("sh:alternativePath needs at least two members".into());
                    }
                    let options = items
                        .iter()
                        .map(|i| self.path(i, depth + 1))
                        .collect::<Result<_, _>>()?;
                    return Ok(Path::Alternative(options));
                }
                let inner = Box::new(self.path(&value, depth + 1)?);
                Ok(match kind {
                    0 => Path::Inverse(inner),
                    2 => Path::ZeroOrMore(inner),
                    3 => Path::OneOrMore(inner),
                    _ => Path::ZeroOrOne(inner),
                })
            }
            _ => Err(format!("{term} cannot be a SHACL path")),
        }
    }

    /// Sets each disjoint qualified constraint's siblings: the qualified value shapes of the other
    /// property shapes of the same parent shapes.
    fn link_qualified_siblings(&self, shapes: &mut [Shape]) {
        let g = self.graph;
        let mut parents: FxHashMap<ShapeIdx, Vec<ShapeIdx>> = FxHashMap::default();
        for (i, s) in shapes.iter().enumerate() {
            for c in &s.constraints {
                if let Constraint::Property(p) = c {
                    parents.entry(*p).or_default().push(i);
                }
            }
        }
        for i in 0..shapes.len() {
            let disjoint = single(g, &shapes[i].node, sh::QUALIFIED_VALUE_SHAPES_DISJOINT)
                .is_some_and(|v| literal_value(&v) == "true");
            if !disjoint {
                continue;
            }
            let mut siblings = Vec::new();
            for parent in parents.get(&i).into_iter().flatten() {
                for c in &shapes[*parent].constraints {
                    let Constraint::Property(other) = c else {
                        continue;
                    };
                    if *other == i {
                        continue;
                    }
                    for oc in &shapes[*other].constraints {
                        if let Constraint::Qualified(q) = oc {
                            siblings.push(q.shape);
                        }
                    }
                }
            }
            siblings.sort_unstable();
            siblings.dedup();
            for c in &mut shapes[i].constraints {
                if let Constraint::Qualified(q) = c {
                    q.siblings = siblings.iter().copied().filter(|s| *s != q.shape).collect();
                }
            }
        }
    }

    /// Resolves a reference to another shape; a reference to a node that the shapes graph never
    /// describes is refused (a typo or a missing file, never an empty shape by accident).
    pub(super) fn reference(
        &mut self,
        node: &Term,
        p: NamedNodeRef<'_>,
        target: &Term,
    ) -> Option<ShapeIdx> {
        let described =
            as_subject(target).is_some_and(|s| self.graph.triples_for_subject(s).next().is_some());
        if !described {
            self.problem(
                node,
                format!(
                    "{} refers to {target}, which the shapes graph does not define",
                    short(p)
                ),
            );
            return None;
        }
        if p == sh::PROPERTY && !contains_any(self.graph, target, sh::PATH) {
            self.problem(
                node,
                format!("sh:property refers to {target}, a property shape without sh:path"),
            );
            return None;
        }
        self.index.get(target).copied()
    }
}

/// `sh:minCount` for SHACL terms, the IRI in angle brackets otherwise.
pub(super) fn short(p: NamedNodeRef<'_>) -> String {
    p.as_str()
        .strip_prefix(super::vocab::SH)
        .map_or_else(|| p.to_string(), |l| format!("sh:{l}"))
}

/// The one value of `node p`, if any (a second value is ignored here and checked where it matters).
pub(crate) fn single(g: &Graph, node: &Term, p: NamedNodeRef<'_>) -> Option<Term> {
    values(g, node, p).into_iter().next()
}

fn contains(g: &Graph, node: &Term, p: NamedNodeRef<'_>, o: TermRef<'_>) -> bool {
    as_subject(node).is_some_and(|s| g.contains(TripleRef::new(s, p, o)))
}

fn contains_any(g: &Graph, node: &Term, p: NamedNodeRef<'_>) -> bool {
    as_subject(node).is_some_and(|s| g.object_for_subject_predicate(s, p).is_some())
}

/// The lexical form of a literal (or the text of another term).
pub(crate) fn literal_value(t: &Term) -> String {
    match t {
        Term::Literal(l) => l.value().to_owned(),
        Term::NamedNode(n) => n.as_str().to_owned(),
        other => other.to_string(),
    }
}
