//! Turns a shapes graph into [`Shapes`]: finds the shapes, reads their targets and parameters,
//! and refuses anything ill-formed, unknown or unimplemented with the shape and the reason.

use super::error::{Problem, ShapesError};
use super::graph::{Id, Interner};
use super::path::Path;
use super::rdf_read::{as_subject, list, values};
use super::shape::{
    Constraint, NodeKind, Qualified, RangeKind, Shape, ShapeIdx, Shapes, Targets, WellKnown,
};
use super::sparql;
use super::vocab::{rdf, sh, xsd};
use oxigraph::model::{Graph, NamedNodeRef, Term, TermRef, TripleRef};
use regex::RegexBuilder;
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
type Param<'a, T> = (NamedNodeRef<'a>, fn(T) -> Constraint);

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

struct Compiler<'a> {
    graph: &'a Graph,
    terms: Interner,
    index: FxHashMap<Term, ShapeIdx>,
    problems: Vec<Problem>,
}

impl Compiler<'_> {
    fn problem(&mut self, shape: &Term, reason: impl Into<String>) {
        self.problems.push(Problem {
            shape: Some(shape.to_string()),
            reason: reason.into(),
        });
    }

    fn intern(&mut self, term: &Term) -> Id {
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

    fn constraints(&mut self, shape: &mut Shape) {
        let g = self.graph;
        let node = shape.node.clone();
        let is_property = shape.path.is_some();
        let mut out = Vec::new();
        for v in values(g, &node, sh::CLASS) {
            match v {
                Term::Literal(_) => self.problem(&node, "sh:class must be an IRI"),
                _ => out.push(Constraint::Class(self.intern(&v))),
            }
        }
        for v in values(g, &node, sh::DATATYPE) {
            match v {
                Term::NamedNode(n) => out.push(Constraint::Datatype(n)),
                _ => self.problem(&node, "sh:datatype must be an IRI"),
            }
        }
        for v in values(g, &node, sh::NODE_KIND) {
            match node_kind(&v) {
                Some(k) => out.push(Constraint::NodeKind(k)),
                None => self.problem(&node, format!("{v} is not a sh:NodeKind")),
            }
        }
        let counts: [Param<'_, usize>; 4] = [
            (sh::MIN_COUNT, Constraint::MinCount),
            (sh::MAX_COUNT, Constraint::MaxCount),
            (sh::MIN_LENGTH, Constraint::MinLength),
            (sh::MAX_LENGTH, Constraint::MaxLength),
        ];
        for (p, make) in counts {
            for v in values(g, &node, p) {
                if !is_property && (p == sh::MIN_COUNT || p == sh::MAX_COUNT) {
                    self.problem(
                        &node,
                        format!("{} is only allowed on property shapes", short(p)),
                    );
                }
                if let Some(n) = self.count(&node, p, &v) {
                    out.push(make(n));
                }
            }
        }
        for (p, kind) in [
            (sh::MIN_EXCLUSIVE, RangeKind::MinExclusive),
            (sh::MIN_INCLUSIVE, RangeKind::MinInclusive),
            (sh::MAX_EXCLUSIVE, RangeKind::MaxExclusive),
            (sh::MAX_INCLUSIVE, RangeKind::MaxInclusive),
        ] {
            for v in values(g, &node, p) {
                match v {
                    Term::Literal(_) => {
                        out.push(Constraint::Range(kind, super::value::comparable_term(&v)))
                    }
                    _ => self.problem(&node, format!("{} must be a literal", short(p))),
                }
            }
        }
        self.pattern(&node, &mut out);
        for head in values(g, &node, sh::LANGUAGE_IN) {
            match list(g, &head) {
                Ok(items) => {
                    let tags = items
                        .iter()
                        .filter_map(|t| match t {
                            Term::Literal(l) => Some(l.value().to_ascii_lowercase()),
                            _ => None,
                        })
                        .collect();
                    out.push(Constraint::LanguageIn(tags));
                }
                Err(e) => self.problem(&node, format!("sh:languageIn: {e}")),
            }
        }
        for v in values(g, &node, sh::UNIQUE_LANG) {
            if !is_property {
                self.problem(&node, "sh:uniqueLang is only allowed on property shapes");
            }
            if self.boolean(&node, sh::UNIQUE_LANG, &v) {
                out.push(Constraint::UniqueLang);
            }
        }
        let pairs: [Param<'_, Id>; 4] = [
            (sh::EQUALS, Constraint::Equals),
            (sh::DISJOINT, Constraint::Disjoint),
            (sh::LESS_THAN, Constraint::LessThan),
            (sh::LESS_THAN_OR_EQUALS, Constraint::LessThanOrEquals),
        ];
        for (p, make) in pairs {
            for v in values(g, &node, p) {
                if !matches!(v, Term::NamedNode(_)) {
                    self.problem(&node, format!("{} must be an IRI", short(p)));
                    continue;
                }
                if !is_property && (p == sh::LESS_THAN || p == sh::LESS_THAN_OR_EQUALS) {
                    self.problem(
                        &node,
                        format!("{} is only allowed on property shapes", short(p)),
                    );
                }
                out.push(make(self.intern(&v)));
            }
        }
        let refs: [Param<'_, ShapeIdx>; 3] = [
            (sh::NOT, Constraint::Not),
            (sh::NODE, Constraint::Node),
            (sh::PROPERTY, Constraint::Property),
        ];
        for (p, make) in refs {
            for v in values(g, &node, p) {
                if let Some(i) = self.reference(&node, p, &v) {
                    out.push(make(i));
                }
            }
        }
        let logical: [Param<'_, Vec<ShapeIdx>>; 3] = [
            (sh::AND, Constraint::And),
            (sh::OR, Constraint::Or),
            (sh::XONE, Constraint::Xone),
        ];
        for (p, make) in logical {
            for head in values(g, &node, p) {
                match list(g, &head) {
                    Ok(items) => {
                        let refs: Option<Vec<_>> =
                            items.iter().map(|i| self.reference(&node, p, i)).collect();
                        if let Some(refs) = refs {
                            out.push(make(refs));
                        }
                    }
                    Err(e) => self.problem(&node, format!("{}: {e}", short(p))),
                }
            }
        }
        self.qualified(&node, &mut out);
        self.closed(&node, &mut out);
        for v in values(g, &node, sh::HAS_VALUE) {
            out.push(Constraint::HasValue(self.intern(&v)));
        }
        for head in values(g, &node, sh::IN) {
            match list(g, &head) {
                Ok(items) => {
                    let set = items.iter().map(|i| self.intern(i)).collect();
                    out.push(Constraint::In(set));
                }
                Err(e) => self.problem(&node, format!("sh:in: {e}")),
            }
        }
        shape.constraints = out;
    }

    fn pattern(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let flags = single(g, node, sh::FLAGS).map(|f| literal_value(&f));
        for v in values(g, node, sh::PATTERN) {
            let Term::Literal(l) = &v else {
                self.problem(node, "sh:pattern must be a literal");
                continue;
            };
            match build_regex(l.value(), flags.as_deref().unwrap_or("")) {
                Ok(r) => out.push(Constraint::Pattern(Box::new(r))),
                Err(e) => self.problem(node, format!("sh:pattern {:?}: {e}", l.value())),
            }
        }
    }

    fn qualified(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let min = single(g, node, sh::QUALIFIED_MIN_COUNT)
            .and_then(|v| self.count(node, sh::QUALIFIED_MIN_COUNT, &v));
        let max = single(g, node, sh::QUALIFIED_MAX_COUNT)
            .and_then(|v| self.count(node, sh::QUALIFIED_MAX_COUNT, &v));
        for v in values(g, node, sh::QUALIFIED_VALUE_SHAPE) {
            let Some(shape) = self.reference(node, sh::QUALIFIED_VALUE_SHAPE, &v) else {
                continue;
            };
            if min.is_none() && max.is_none() {
                self.problem(
                    node,
                    "sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount",
                );
            }
            if let Some(min) = min {
                out.push(Constraint::Qualified(Qualified {
                    shape,
                    min: Some(min),
                    max: None,
                    siblings: Vec::new(),
                }));
            }
            if let Some(max) = max {
                out.push(Constraint::Qualified(Qualified {
                    shape,
                    min: None,
                    max: Some(max),
                    siblings: Vec::new(),
                }));
            }
        }
    }

    fn closed(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let Some(v) = single(g, node, sh::CLOSED) else {
            return;
        };
        if !self.boolean(node, sh::CLOSED, &v) {
            return;
        }
        let mut allowed = FxHashSet::default();
        for p in values(g, node, sh::PROPERTY) {
            for path in values(g, &p, sh::PATH) {
                if matches!(path, Term::NamedNode(_)) {
                    allowed.insert(self.intern(&path));
                }
            }
        }
        for head in values(g, node, sh::IGNORED_PROPERTIES) {
            match list(g, &head) {
                Ok(items) => allowed.extend(items.iter().map(|i| self.intern(i))),
                Err(e) => self.problem(node, format!("sh:ignoredProperties: {e}")),
            }
        }
        out.push(Constraint::Closed(allowed));
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
    fn reference(&mut self, node: &Term, p: NamedNodeRef<'_>, target: &Term) -> Option<ShapeIdx> {
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

    fn count(&mut self, node: &Term, p: NamedNodeRef<'_>, v: &Term) -> Option<usize> {
        let parsed = match v {
            Term::Literal(l) => l.value().trim().parse::<usize>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                node,
                format!("{} must be a non-negative integer, not {v}", short(p)),
            );
        }
        parsed
    }

    fn boolean(&mut self, node: &Term, p: NamedNodeRef<'_>, v: &Term) -> bool {
        // Only the literal `true` activates a parameter: "1"^^xsd:boolean does not (W3C test
        // uniqueLang-002), though it is a well-formed boolean.
        match v {
            Term::Literal(l) if l.datatype() == xsd::BOOLEAN => l.value() == "true",
            _ => {
                self.problem(
                    node,
                    format!("{} must be an xsd:boolean, not {v}", short(p)),
                );
                false
            }
        }
    }
}

/// `sh:minCount` for SHACL terms, the IRI in angle brackets otherwise.
fn short(p: NamedNodeRef<'_>) -> String {
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

fn node_kind(v: &Term) -> Option<NodeKind> {
    let Term::NamedNode(n) = v else { return None };
    let k = |iri, blank, literal| {
        Some(NodeKind {
            iri,
            blank,
            literal,
        })
    };
    match n.as_ref() {
        x if x == sh::IRI => k(true, false, false),
        x if x == sh::BLANK_NODE => k(false, true, false),
        x if x == sh::LITERAL => k(false, false, true),
        x if x == sh::BLANK_NODE_OR_IRI => k(true, true, false),
        x if x == sh::BLANK_NODE_OR_LITERAL => k(false, true, true),
        x if x == sh::IRI_OR_LITERAL => k(true, false, true),
        _ => None,
    }
}

/// Builds a regex with XPath's flags (`s`, `m`, `i`, `x`, `q`), as `sh:flags` defines them.
pub(crate) fn build_regex(pattern: &str, flags: &str) -> Result<regex::Regex, String> {
    let mut b_pattern = pattern.to_owned();
    if flags.contains('q') {
        b_pattern = regex::escape(pattern);
    }
    let mut builder = RegexBuilder::new(&b_pattern);
    for f in flags.chars() {
        match f {
            'i' => builder.case_insensitive(true),
            'm' => builder.multi_line(true),
            's' => builder.dot_matches_new_line(true),
            'x' => builder.ignore_whitespace(true),
            'q' => &mut builder,
            other => return Err(format!("unknown regex flag {other:?}")),
        };
    }
    builder.build().map_err(|e| e.to_string())
}
