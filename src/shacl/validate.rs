//! The validator: finds focus nodes, walks each shape's constraints over the indexed data graph
//! and collects results. Nested shapes (`sh:node`, `sh:not`, logical and qualified components)
//! are checked for conformance only, memoised per (shape, node).

use super::error::ValidationError;
use super::graph::{DataGraph, Id};
use super::path::PathExpr;
use super::report::{ValidationReport, ValidationResult};
use super::shape::{Constraint, RangeKind, Shape, ShapeIdx, Shapes};
use super::sparql::{SparqlConstraint, SparqlHit, SHAPES_GRAPH};
use super::sparql_view::SparqlView;
use super::value;
use oxigraph::model::{NamedNode, Term};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::cmp::Ordering;

/// One validation run over one data graph.
pub struct Run<'a> {
    shapes: &'a Shapes,
    graph: &'a DataGraph,
    shapes_graph_name: Term,
    superclasses: RefCell<FxHashMap<Id, Vec<Id>>>,
    memo: RefCell<FxHashMap<(ShapeIdx, Id), bool>>,
    active: RefCell<FxHashSet<(ShapeIdx, Id)>>,
    error: RefCell<Option<ValidationError>>,
}

/// Where a shape's results go: collected, or only whether there is one (stop at the first).
type Sink<'s> = Option<&'s mut Vec<ValidationResult>>;

impl<'a> Run<'a> {
    /// Prepares a run of `shapes` over `graph`.
    pub fn new(shapes: &'a Shapes, graph: &'a DataGraph) -> Self {
        Self {
            shapes,
            graph,
            shapes_graph_name: NamedNode::new_unchecked(SHAPES_GRAPH).into(),
            superclasses: RefCell::default(),
            memo: RefCell::default(),
            active: RefCell::default(),
            error: RefCell::default(),
        }
    }

    /// Validates every focus node of every shape with targets.
    pub fn validate(&self) -> Result<ValidationReport, ValidationError> {
        let mut results = Vec::new();
        let types = self.type_index();
        for (i, shape) in self.shapes.shapes.iter().enumerate() {
            if shape.deactivated || shape.targets.is_empty() {
                continue;
            }
            for focus in self.focus_nodes(shape, &types) {
                self.check(i, focus, &mut Some(&mut results));
            }
            if let Some(e) = self.error.borrow_mut().take() {
                return Err(e);
            }
        }
        Ok(ValidationReport { results })
    }

    /// Subjects of `rdf:type` triples of the data graph, by class.
    fn type_index(&self) -> FxHashMap<Id, Vec<Id>> {
        let mut index: FxHashMap<Id, Vec<Id>> = FxHashMap::default();
        for &(s, o) in self.graph.data_pairs(self.shapes.ids.rdf_type) {
            index.entry(o).or_default().push(s);
        }
        index
    }

    fn focus_nodes(&self, shape: &Shape, types: &FxHashMap<Id, Vec<Id>>) -> Vec<Id> {
        let t = &shape.targets;
        let mut nodes = t.nodes.clone();
        for &class in &t.classes {
            for sub in self.subclasses(class) {
                nodes.extend(types.get(&sub).into_iter().flatten());
            }
        }
        for &p in &t.subjects_of {
            nodes.extend(self.graph.data_pairs(p).iter().map(|(s, _)| *s));
        }
        for &p in &t.objects_of {
            nodes.extend(self.graph.data_pairs(p).iter().map(|(_, o)| *o));
        }
        nodes.sort_unstable();
        nodes.dedup();
        nodes
    }

    /// `class` and everything below it through `rdfs:subClassOf*`.
    fn subclasses(&self, class: Id) -> Vec<Id> {
        let sub = self.shapes.ids.sub_class_of;
        reachable(class, |c| self.graph.subjects(sub, c).collect())
    }

    /// Whether `node` is a SHACL instance of `class`: some `rdf:type` of it is `class` or one of
    /// its subclasses.
    fn is_instance(&self, node: Id, class: Id) -> bool {
        self.graph
            .objects(node, self.shapes.ids.rdf_type)
            .any(|t| t == class || self.supers(t).binary_search(&class).is_ok())
    }

    /// `class` and everything above it through `rdfs:subClassOf*`, sorted, computed once.
    fn supers(&self, class: Id) -> std::cell::Ref<'_, Vec<Id>> {
        if !self.superclasses.borrow().contains_key(&class) {
            let sub = self.shapes.ids.sub_class_of;
            let mut all = reachable(class, |c| self.graph.objects(c, sub).collect());
            all.sort_unstable();
            self.superclasses.borrow_mut().insert(class, all);
        }
        std::cell::Ref::map(self.superclasses.borrow(), |m| &m[&class])
    }

    /// Whether `node` conforms to shape `idx` (no result of any severity). A (shape, node) pair
    /// met again while being checked is assumed to conform, which gives recursive shapes the
    /// greatest-fixpoint reading.
    fn conforms(&self, idx: ShapeIdx, node: Id) -> bool {
        if let Some(&known) = self.memo.borrow().get(&(idx, node)) {
            return known;
        }
        if !self.active.borrow_mut().insert((idx, node)) {
            return true;
        }
        let ok = self.check(idx, node, &mut None);
        self.active.borrow_mut().remove(&(idx, node));
        self.memo.borrow_mut().insert((idx, node), ok);
        ok
    }

    /// Validates `focus` against shape `idx`, sending results to `sink`; returns conformance.
    fn check(&self, idx: ShapeIdx, focus: Id, sink: &mut Sink<'_>) -> bool {
        let shape = &self.shapes.shapes[idx];
        if shape.deactivated {
            return true;
        }
        let values = match &shape.path {
            Some(path) => path.values(self.graph, focus),
            None => vec![focus],
        };
        let mut ok = true;
        for constraint in &shape.constraints {
            let mut report = Reporter {
                run: self,
                shape,
                focus,
                constraint,
                sink,
                failed: false,
            };
            self.evaluate(constraint, focus, &values, &mut report);
            if report.failed {
                ok = false;
                if sink.is_none() {
                    return false;
                }
            }
        }
        ok
    }

    fn evaluate(&self, c: &Constraint, focus: Id, values: &[Id], r: &mut Reporter<'_, '_, '_>) {
        let g = self.graph;
        let each = |r: &mut Reporter<'_, '_, '_>, test: &dyn Fn(Id) -> bool| {
            for &v in values {
                if !test(v) && r.value(v) {
                    return;
                }
            }
        };
        match c {
            Constraint::Class(class) => each(r, &|v| self.is_instance(v, *class)),
            Constraint::Datatype(dt) => each(r, &|v| match g.term(v) {
                Term::Literal(l) => value::has_datatype(l, dt.as_str()),
                _ => false,
            }),
            Constraint::NodeKind(k) => each(r, &|v| match g.term(v) {
                Term::NamedNode(_) => k.iri,
                Term::BlankNode(_) => k.blank,
                Term::Literal(_) => k.literal,
                #[allow(unreachable_patterns)]
                _ => false,
            }),
            Constraint::MinCount(n) => {
                if values.len() < *n {
                    r.focus_only();
                }
            }
            Constraint::MaxCount(n) => {
                if values.len() > *n {
                    r.focus_only();
                }
            }
            Constraint::Range(kind, bound) => each(r, &|v| {
                let ord = bound
                    .as_ref()
                    .and_then(|b| value::compare_values(&value::comparable_term(g.term(v))?, b));
                match kind {
                    RangeKind::MinExclusive => ord == Some(Ordering::Greater),
                    RangeKind::MinInclusive => {
                        matches!(ord, Some(Ordering::Greater | Ordering::Equal))
                    }
                    RangeKind::MaxExclusive => ord == Some(Ordering::Less),
                    RangeKind::MaxInclusive => {
                        matches!(ord, Some(Ordering::Less | Ordering::Equal))
                    }
                }
            }),
            Constraint::MinLength(n) => each(r, &|v| {
                value::text(g.term(v)).is_some_and(|t| t.chars().count() >= *n)
            }),
            Constraint::MaxLength(n) => each(r, &|v| {
                value::text(g.term(v)).is_some_and(|t| t.chars().count() <= *n)
            }),
            Constraint::Pattern(re) => each(r, &|v| {
                value::text(g.term(v)).is_some_and(|t| re.is_match(t))
            }),
            Constraint::LanguageIn(ranges) => each(r, &|v| match g.term(v) {
                Term::Literal(l) => l
                    .language()
                    .is_some_and(|tag| ranges.iter().any(|range| value::lang_matches(tag, range))),
                _ => false,
            }),
            Constraint::UniqueLang => {
                let mut seen: FxHashMap<String, usize> = FxHashMap::default();
                for &v in values {
                    if let Term::Literal(l) = g.term(v) {
                        if let Some(tag) = l.language() {
                            *seen.entry(tag.to_ascii_lowercase()).or_default() += 1;
                        }
                    }
                }
                let mut dups: Vec<_> = seen.into_iter().filter(|(_, n)| *n > 1).collect();
                dups.sort();
                for _ in dups {
                    if r.focus_only() {
                        return;
                    }
                }
            }
            Constraint::Equals(p) => {
                let other: Vec<Id> = g.objects(focus, *p).collect();
                for &v in values {
                    if !other.contains(&v) && r.value(v) {
                        return;
                    }
                }
                for &o in &other {
                    if !values.contains(&o) && r.value(o) {
                        return;
                    }
                }
            }
            Constraint::Disjoint(p) => each(r, &|v| !g.contains(focus, *p, v)),
            Constraint::LessThan(p) | Constraint::LessThanOrEquals(p) => {
                // One result per failing (value, other value) pair, as the W3C tests expect.
                let strict = matches!(c, Constraint::LessThan(_));
                let other: Vec<Id> = g.objects(focus, *p).collect();
                for &v in values {
                    for &o in &other {
                        let ok = match value::compare(g.term(v), g.term(o)) {
                            Some(Ordering::Less) => true,
                            Some(Ordering::Equal) => !strict,
                            _ => false,
                        };
                        if !ok && r.value(v) {
                            return;
                        }
                    }
                }
            }
            Constraint::Not(s) => each(r, &|v| !self.conforms(*s, v)),
            Constraint::And(list) => each(r, &|v| list.iter().all(|s| self.conforms(*s, v))),
            Constraint::Or(list) => each(r, &|v| list.iter().any(|s| self.conforms(*s, v))),
            Constraint::Xone(list) => each(r, &|v| {
                list.iter().filter(|s| self.conforms(**s, v)).count() == 1
            }),
            Constraint::Node(s) => each(r, &|v| self.conforms(*s, v)),
            Constraint::Property(s) => {
                for &v in values {
                    let nested_ok = self.check(*s, v, r.sink);
                    if !nested_ok {
                        r.failed = true;
                        if r.sink.is_none() {
                            return;
                        }
                    }
                }
            }
            Constraint::Qualified(q) => {
                let count = values
                    .iter()
                    .filter(|&&v| {
                        self.conforms(q.shape, v)
                            && !q.siblings.iter().any(|s| self.conforms(*s, v))
                    })
                    .count();
                let bad = q.min.is_some_and(|m| count < m) || q.max.is_some_and(|m| count > m);
                if bad {
                    r.focus_only();
                }
            }
            Constraint::Closed(allowed) => {
                for &v in values {
                    for &(p, o) in g.outgoing(v) {
                        if !allowed.contains(&p) && r.closed(p, o) {
                            return;
                        }
                    }
                }
            }
            Constraint::HasValue(h) => {
                if !values.contains(h) {
                    r.focus_only();
                }
            }
            Constraint::In(set) => each(r, &|v| set.contains(&v)),
            Constraint::Sparql(sc) => self.sparql(sc, focus, values, r),
        }
    }

    fn sparql(
        &self,
        sc: &SparqlConstraint,
        focus: Id,
        values: &[Id],
        r: &mut Reporter<'_, '_, '_>,
    ) {
        let g = self.graph;
        let dataset = SparqlView::new(g, &self.shapes.graph, &self.shapes_graph_name);
        let value_terms: Vec<Term> = values.iter().map(|v| g.term(*v).clone()).collect();
        match sc.run(dataset, r.shape, g.term(focus), &value_terms) {
            Ok(hits) => {
                for hit in hits {
                    if r.sparql(sc, hit) {
                        return;
                    }
                }
            }
            Err(message) => {
                r.failed = true;
                self.error
                    .borrow_mut()
                    .get_or_insert(ValidationError::Sparql {
                        shape: r.shape.node.to_string(),
                        message,
                    });
            }
        }
    }
}

/// `start` and every node reachable from it through `step`, in discovery order.
fn reachable(start: Id, step: impl Fn(Id) -> Vec<Id>) -> Vec<Id> {
    let mut seen = vec![start];
    let mut stack = vec![start];
    while let Some(node) = stack.pop() {
        for next in step(node) {
            if !seen.contains(&next) {
                seen.push(next);
                stack.push(next);
            }
        }
    }
    seen
}

/// Turns failed checks of one constraint into results (or just marks failure).
struct Reporter<'r, 'a, 's> {
    run: &'r Run<'a>,
    shape: &'r Shape,
    focus: Id,
    constraint: &'r Constraint,
    sink: &'r mut Sink<'s>,
    failed: bool,
}

impl Reporter<'_, '_, '_> {
    /// Records a result; returns true when the caller should stop (conformance-only mode).
    fn push(
        &mut self,
        value: Option<Term>,
        path: Option<PathExpr>,
        messages: Vec<Term>,
        source: Option<Term>,
    ) -> bool {
        self.failed = true;
        let Some(sink) = self.sink.as_deref_mut() else {
            return true;
        };
        let g = self.run.graph;
        sink.push(ValidationResult {
            focus: g.term(self.focus).clone(),
            path: path.or_else(|| self.shape.result_path.clone()),
            value,
            source_shape: self.shape.node.clone(),
            component: self.constraint.component(),
            severity: self.shape.severity.clone(),
            messages: if self.shape.messages.is_empty() {
                messages
            } else {
                self.shape.messages.clone()
            },
            source_constraint: source,
        });
        false
    }

    fn value(&mut self, v: Id) -> bool {
        let term = self.run.graph.term(v).clone();
        self.push(Some(term), None, Vec::new(), None)
    }

    fn focus_only(&mut self) -> bool {
        self.push(None, None, Vec::new(), None)
    }

    fn closed(&mut self, p: Id, o: Id) -> bool {
        let g = self.run.graph;
        let path = match g.term(p) {
            Term::NamedNode(n) => Some(PathExpr::Predicate(n.clone())),
            _ => None,
        };
        self.push(Some(g.term(o).clone()), path, Vec::new(), None)
    }

    fn sparql(&mut self, sc: &SparqlConstraint, hit: SparqlHit) -> bool {
        let messages = match hit.message {
            Some(m) => vec![m],
            None => sc
                .messages
                .iter()
                .map(|m| sc.fill(m, &hit.solution))
                .collect(),
        };
        let path = match hit.path {
            Some(Term::NamedNode(n)) => Some(PathExpr::Predicate(n)),
            _ => None,
        };
        self.push(hit.value, path, messages, sc.source.clone())
    }
}
