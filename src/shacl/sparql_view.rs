//! The indexed data graph (default graph) and the shapes graph (named graph `$shapesGraph`) as a
//! dataset Oxigraph's SPARQL engine can query directly, without copying the data.

use super::graph::{DataGraph, Id};
use oxigraph::model::{Graph, Term, TermRef};
use spareval::{InternalQuad, QueryableDataset};
use std::convert::Infallible;

/// A term as the SPARQL engine holds it: an id of the data graph's table, or (for terms the
/// query computes or the shapes graph alone holds) the term itself. Terms the table knows are
/// always ids, so equality is term equality.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ViewTerm {
    /// A term of the data graph's table.
    Known(Id),
    /// Any other term.
    Other(Term),
}

/// What SPARQL constraints query.
#[derive(Clone, Copy)]
pub struct SparqlView<'a> {
    graph: &'a DataGraph,
    shapes: &'a Graph,
    shapes_name: &'a Term,
}

impl<'a> SparqlView<'a> {
    /// The data as the default graph, `shapes` as the named graph `shapes_name`.
    pub fn new(graph: &'a DataGraph, shapes: &'a Graph, shapes_name: &'a Term) -> Self {
        Self {
            graph,
            shapes,
            shapes_name,
        }
    }

    fn view(&self, term: TermRef<'_>) -> ViewTerm {
        match self.graph.id_of(term) {
            Some(id) => ViewTerm::Known(id),
            None => ViewTerm::Other(term.into_owned()),
        }
    }

    fn is_shapes_graph(&self, name: &ViewTerm) -> bool {
        match name {
            ViewTerm::Known(id) => self.graph.term(*id) == self.shapes_name,
            ViewTerm::Other(t) => t == self.shapes_name,
        }
    }

    fn data_quads(
        self,
        s: Option<&ViewTerm>,
        p: Option<&ViewTerm>,
        o: Option<&ViewTerm>,
    ) -> Box<dyn Iterator<Item = (Id, Id, Id)> + 'a> {
        let known = |t: Option<&ViewTerm>| match t {
            None => Some(None),
            Some(ViewTerm::Known(id)) => Some(Some(*id)),
            Some(ViewTerm::Other(_)) => None,
        };
        let (Some(s), Some(p), Some(o)) = (known(s), known(p), known(o)) else {
            return Box::new(std::iter::empty());
        };
        let g = self.graph;
        let matches = move |x: Option<Id>, y: Id| x.is_none_or(|x| x == y);
        match (s, p, o) {
            (Some(s), _, _) => Box::new(
                g.outgoing(s)
                    .iter()
                    .filter(move |(pp, oo)| matches(p, *pp) && matches(o, *oo))
                    .map(move |&(pp, oo)| (s, pp, oo)),
            ),
            (None, _, Some(o)) => Box::new(
                g.incoming(o)
                    .iter()
                    .filter(move |(pp, _)| matches(p, *pp))
                    .map(move |&(pp, ss)| (ss, pp, o)),
            ),
            (None, Some(p), None) => Box::new(g.pairs(p).iter().map(move |&(ss, oo)| (ss, p, oo))),
            (None, None, None) => Box::new(g.triples()),
        }
    }
}

impl<'a> QueryableDataset<'a> for SparqlView<'a> {
    type InternalTerm = ViewTerm;
    type Error = Infallible;

    fn internal_quads_for_pattern(
        &self,
        subject: Option<&ViewTerm>,
        predicate: Option<&ViewTerm>,
        object: Option<&ViewTerm>,
        graph_name: Option<Option<&ViewTerm>>,
    ) -> impl Iterator<Item = Result<InternalQuad<ViewTerm>, Infallible>> + use<'a> {
        let this = *self;
        let (default, named) = match graph_name {
            None => (true, true),
            Some(None) => (true, false),
            Some(Some(name)) => (false, this.is_shapes_graph(name)),
        };
        let data = default
            .then(|| this.data_quads(subject, predicate, object))
            .into_iter()
            .flatten()
            .map(|(s, p, o)| {
                Ok(InternalQuad {
                    subject: ViewTerm::Known(s),
                    predicate: ViewTerm::Known(p),
                    object: ViewTerm::Known(o),
                    graph_name: None,
                })
            });
        let (s, p, o) = (subject.cloned(), predicate.cloned(), object.cloned());
        let shapes_name = this.view(this.shapes_name.as_ref());
        let shapes = named
            .then(|| this.shapes.iter())
            .into_iter()
            .flatten()
            .filter_map(move |t| {
                let (ts, tp, to) = (
                    this.view(t.subject.into()),
                    this.view(t.predicate.into()),
                    this.view(t.object),
                );
                let ok = s.as_ref().is_none_or(|x| *x == ts)
                    && p.as_ref().is_none_or(|x| *x == tp)
                    && o.as_ref().is_none_or(|x| *x == to);
                ok.then(|| {
                    Ok(InternalQuad {
                        subject: ts,
                        predicate: tp,
                        object: to,
                        graph_name: Some(shapes_name.clone()),
                    })
                })
            });
        data.chain(shapes)
    }

    fn internal_named_graphs(
        &self,
    ) -> impl Iterator<Item = Result<ViewTerm, Infallible>> + use<'a> {
        std::iter::once(Ok(self.view(self.shapes_name.as_ref())))
    }

    fn contains_internal_graph_name(&self, graph_name: &ViewTerm) -> Result<bool, Infallible> {
        Ok(self.is_shapes_graph(graph_name))
    }

    fn internalize_term(&self, term: Term) -> Result<ViewTerm, Infallible> {
        Ok(match self.graph.terms().get(term.as_ref()) {
            Some(id) => ViewTerm::Known(id),
            None => ViewTerm::Other(term),
        })
    }

    fn externalize_term(&self, term: ViewTerm) -> Result<Term, Infallible> {
        Ok(match term {
            ViewTerm::Known(id) => self.graph.term(id).clone(),
            ViewTerm::Other(t) => t,
        })
    }
}
