//! SHACL property paths: the compiled form and its evaluation over a [`DataGraph`].

use super::graph::{DataGraph, Id, Interner};
use oxigraph::model::{BlankNode, Graph, NamedNode, Term, Triple};
use rustc_hash::FxHashSet;
use std::fmt;

/// A SHACL property path over predicates of type `P`: ids in the compiled form (`Path`),
/// IRIs in reports and SPARQL ([`PathExpr`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathOf<P> {
    /// An IRI: follow the predicate.
    Predicate(P),
    /// `sh:inversePath`.
    Inverse(Box<PathOf<P>>),
    /// An RDF list of paths.
    Sequence(Vec<PathOf<P>>),
    /// `sh:alternativePath`.
    Alternative(Vec<PathOf<P>>),
    /// `sh:zeroOrMorePath`.
    ZeroOrMore(Box<PathOf<P>>),
    /// `sh:oneOrMorePath`.
    OneOrMore(Box<PathOf<P>>),
    /// `sh:zeroOrOnePath`.
    ZeroOrOne(Box<PathOf<P>>),
}

/// A compiled path: predicates are interned ids.
pub type Path = PathOf<Id>;

/// A path with its IRIs: what reports name in `sh:resultPath` and SPARQL gets as `$PATH`.
pub type PathExpr = PathOf<NamedNode>;

impl<P> PathOf<P> {
    /// The same path with every predicate mapped by `f`.
    pub fn map<Q>(&self, f: &impl Fn(&P) -> Q) -> PathOf<Q> {
        let inner = |p: &PathOf<P>| Box::new(p.map(f));
        let all = |ps: &[PathOf<P>]| ps.iter().map(|p| p.map(f)).collect();
        match self {
            Self::Predicate(p) => PathOf::Predicate(f(p)),
            Self::Inverse(p) => PathOf::Inverse(inner(p)),
            Self::Sequence(ps) => PathOf::Sequence(all(ps)),
            Self::Alternative(ps) => PathOf::Alternative(all(ps)),
            Self::ZeroOrMore(p) => PathOf::ZeroOrMore(inner(p)),
            Self::OneOrMore(p) => PathOf::OneOrMore(inner(p)),
            Self::ZeroOrOne(p) => PathOf::ZeroOrOne(inner(p)),
        }
    }
}

impl Path {
    /// The value nodes reached from `node`, sorted and without duplicates.
    pub fn values(&self, graph: &DataGraph, node: Id) -> Vec<Id> {
        let mut out = Vec::new();
        self.eval(graph, node, false, &mut out);
        if !matches!(self, Self::Predicate(_)) {
            out.sort_unstable();
            out.dedup();
        }
        out
    }

    /// Appends the nodes reached from `node` (walking backwards when `inverse`) to `out`.
    fn eval(&self, graph: &DataGraph, node: Id, inverse: bool, out: &mut Vec<Id>) {
        match self {
            Self::Predicate(p) => {
                if inverse {
                    out.extend(graph.subjects(*p, node));
                } else {
                    out.extend(graph.objects(node, *p));
                }
            }
            Self::Inverse(inner) => inner.eval(graph, node, !inverse, out),
            Self::Sequence(steps) => {
                let mut current = vec![node];
                let ordered: Box<dyn Iterator<Item = &Path>> = if inverse {
                    Box::new(steps.iter().rev())
                } else {
                    Box::new(steps.iter())
                };
                for step in ordered {
                    let mut next = Vec::new();
                    for n in current {
                        step.eval(graph, n, inverse, &mut next);
                    }
                    next.sort_unstable();
                    next.dedup();
                    current = next;
                }
                out.extend(current);
            }
            Self::Alternative(options) => {
                for option in options {
                    option.eval(graph, node, inverse, out);
                }
            }
            Self::ZeroOrOne(inner) => {
                out.push(node);
                inner.eval(graph, node, inverse, out);
            }
            Self::ZeroOrMore(inner) => closure(inner, graph, node, inverse, true, out),
            Self::OneOrMore(inner) => closure(inner, graph, node, inverse, false, out),
        }
    }

    /// The path with its IRIs, for reports and SPARQL.
    pub fn to_expr(&self, terms: &Interner) -> PathExpr {
        self.map(&|p: &Id| match terms.term(*p) {
            Term::NamedNode(n) => n.clone(),
            other => unreachable!("path predicates are IRIs, not {other}"),
        })
    }
}

/// Breadth-first transitive closure of `step` from `start`.
fn closure(
    step: &Path,
    graph: &DataGraph,
    start: Id,
    inverse: bool,
    reflexive: bool,
    out: &mut Vec<Id>,
) {
    let mut seen = FxHashSet::default();
    let mut frontier = vec![start];
    if reflexive {
        seen.insert(start);
        out.push(start);
    }
    while let Some(node) = frontier.pop() {
        let mut next = Vec::new();
        step.eval(graph, node, inverse, &mut next);
        for n in next {
            if seen.insert(n) {
                out.push(n);
                frontier.push(n);
            }
        }
    }
}

impl PathExpr {
    /// Writes the path's SHACL description into `out` (fresh blank nodes); returns its node.
    pub fn write_rdf(&self, out: &mut Graph) -> Term {
        use super::vocab::sh;
        let wrap = |p, inner: &PathExpr, out: &mut Graph| {
            let node = BlankNode::default();
            let value = inner.write_rdf(out);
            out.insert(&Triple::new(node.clone(), p, value));
            Term::from(node)
        };
        match self {
            Self::Predicate(n) => n.clone().into(),
            Self::Inverse(p) => wrap(sh::INVERSE_PATH, p, out),
            Self::ZeroOrMore(p) => wrap(sh::ZERO_OR_MORE_PATH, p, out),
            Self::OneOrMore(p) => wrap(sh::ONE_OR_MORE_PATH, p, out),
            Self::ZeroOrOne(p) => wrap(sh::ZERO_OR_ONE_PATH, p, out),
            Self::Sequence(ps) => write_list(ps, out),
            Self::Alternative(ps) => {
                let node = BlankNode::default();
                let list = write_list(ps, out);
                out.insert(&Triple::new(node.clone(), sh::ALTERNATIVE_PATH, list));
                node.into()
            }
        }
    }
}

fn write_list(items: &[PathExpr], out: &mut Graph) -> Term {
    use super::vocab::rdf;
    let mut next: Term = rdf::NIL.into_owned().into();
    for item in items.iter().rev() {
        let node = BlankNode::default();
        let value = item.write_rdf(out);
        out.insert(&Triple::new(node.clone(), rdf::FIRST, value));
        out.insert(&Triple::new(node.clone(), rdf::REST, next));
        next = node.into();
    }
    next
}

impl fmt::Display for PathExpr {
    /// SPARQL property path syntax.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let join = |f: &mut fmt::Formatter<'_>, ps: &[PathExpr], sep: &str| {
            for (i, p) in ps.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                write!(f, "({p})")?;
            }
            Ok(())
        };
        match self {
            Self::Predicate(n) => write!(f, "{n}"),
            Self::Inverse(p) => write!(f, "^({p})"),
            Self::Sequence(ps) => join(f, ps, "/"),
            Self::Alternative(ps) => join(f, ps, "|"),
            Self::ZeroOrMore(p) => write!(f, "({p})*"),
            Self::OneOrMore(p) => write!(f, "({p})+"),
            Self::ZeroOrOne(p) => write!(f, "({p})?"),
        }
    }
}
