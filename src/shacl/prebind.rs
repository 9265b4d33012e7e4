//! SHACL's pre-binding (SHACL §5.2.1) over SPARQL algebra: the query forms it excludes, and
//! the substitution of pre-bound variables by their values, so that Oxigraph's optimiser sees
//! constants instead of variables it would take for never bound.

use oxigraph::model::{Term, Variable};
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::{NamedNodePattern, TermPattern, TriplePattern};
use spargebra::Query;

/// Refuses the query forms SHACL's pre-binding excludes: MINUS, VALUES, SERVICE, `AS ?var` of
/// a pre-bound variable, and subqueries that do not return every pre-bound variable.
pub fn check(query: &Query, prebound: &[String]) -> Result<(), String> {
    walk(strip_top(pattern_of(query)), prebound)
}

fn pattern_of(query: &Query) -> &GraphPattern {
    match query {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    }
}

/// Skips the solution modifiers and projection of the query itself (not of a subquery).
fn strip_top(p: &GraphPattern) -> &GraphPattern {
    match p {
        GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::OrderBy { inner, .. } => strip_top(inner),
        GraphPattern::Project { inner, .. } => inner,
        other => other,
    }
}

fn walk(p: &GraphPattern, prebound: &[String]) -> Result<(), String> {
    use GraphPattern as G;
    match p {
        G::Minus { .. } => Err("SPARQL constraints must not use MINUS (SHACL §5.2.1)".into()),
        G::Values { .. } => Err("SPARQL constraints must not use VALUES (SHACL §5.2.1)".into()),
        G::Service { .. } => Err("SPARQL constraints must not use SERVICE (SHACL §5.2.1)".into()),
        G::Extend {
            inner, variable, ..
        } => {
            if prebound.iter().any(|v| v == variable.as_str()) {
                return Err(format!(
                    "SPARQL constraints must not assign the pre-bound variable ?{variable} with AS"
                ));
            }
            walk(inner, prebound)
        }
        G::Project { inner, variables } => {
            for required in prebound {
                if required == "shapesGraph" || required == "currentShape" {
                    continue;
                }
                if !variables.iter().any(|v| v.as_str() == required) {
                    return Err(format!(
                        "a subquery must return the pre-bound variable ?{required} (SHACL §5.2.1)"
                    ));
                }
            }
            walk(inner, prebound)
        }
        G::Join { left, right }
        | G::LeftJoin { left, right, .. }
        | G::Lateral { left, right }
        | G::Union { left, right } => {
            walk(left, prebound)?;
            walk(right, prebound)
        }
        G::Filter { inner, .. }
        | G::Graph { inner, .. }
        | G::OrderBy { inner, .. }
        | G::Distinct { inner }
        | G::Reduced { inner }
        | G::Slice { inner, .. }
        | G::Group { inner, .. } => walk(inner, prebound),
        G::Bgp { .. } | G::Path { .. } => Ok(()),
    }
}

/// Turns an ASK into a SELECT of nothing (true when it has a solution), so both run the same way.
pub fn ask_as_select(query: Query) -> Query {
    match query {
        Query::Ask {
            dataset,
            pattern,
            base_iri,
        } => {
            // The parser wraps the pattern in a projection of its in-scope variables.
            let inner = match pattern {
                GraphPattern::Project { inner, .. } => *inner,
                other => other,
            };
            Query::Select {
                dataset,
                pattern: GraphPattern::Project {
                    inner: Box::new(inner),
                    variables: Vec::new(),
                },
                base_iri,
            }
        }
        other => other,
    }
}

/// Adds `variables` to a SELECT's projection: Oxigraph substitutes only projected variables, and
/// a projected variable bound up front is seen throughout the pattern.
pub fn project(mut query: Query, variables: &[String]) -> Query {
    fn top(p: &mut GraphPattern) -> Option<&mut Vec<Variable>> {
        match p {
            GraphPattern::Distinct { inner }
            | GraphPattern::Reduced { inner }
            | GraphPattern::Slice { inner, .. }
            | GraphPattern::OrderBy { inner, .. } => top(inner),
            GraphPattern::Project { variables, .. } => Some(variables),
            _ => None,
        }
    }
    if let Query::Select { pattern, .. } = &mut query {
        if let Some(vars) = top(pattern) {
            for v in variables {
                if !vars.iter().any(|x| x.as_str() == v) {
                    vars.push(Variable::new_unchecked(v.clone()));
                }
            }
        }
    }
    query
}

/// Replaces the pre-bound variables by their values throughout the pattern. Returns `None` when
/// a value cannot be written as a constant (a blank node, or a literal in predicate position);
/// the caller then binds it at run time instead.
pub fn substitute(query: &Query, bindings: &[(Variable, Term)]) -> Option<Query> {
    let mut q = query.clone();
    let pattern = match &mut q {
        Query::Select { pattern, .. }
        | Query::Construct { pattern, .. }
        | Query::Describe { pattern, .. }
        | Query::Ask { pattern, .. } => pattern,
    };
    Substitution { bindings }.pattern(pattern).then_some(q)
}

/// A pre-bound value as it can be written in a query.
enum Constant {
    Iri(oxigraph::model::NamedNode),
    Literal(oxigraph::model::Literal),
}

struct Substitution<'a> {
    bindings: &'a [(Variable, Term)],
}

impl Substitution<'_> {
    fn value(&self, v: &Variable) -> Option<&Term> {
        self.bindings.iter().find(|(b, _)| b == v).map(|(_, t)| t)
    }

    fn pattern(&self, p: &mut GraphPattern) -> bool {
        use GraphPattern as G;
        match p {
            G::Bgp { patterns } => patterns.iter_mut().all(|t| self.triple(t)),
            G::Path {
                subject, object, ..
            } => self.term(subject) && self.term(object),
            G::Join { left, right } | G::Lateral { left, right } | G::Union { left, right } => {
                self.pattern(left) && self.pattern(right)
            }
            G::LeftJoin {
                left,
                right,
                expression,
            } => {
                self.pattern(left)
                    && self.pattern(right)
                    && expression.as_mut().is_none_or(|e| self.expression(e))
            }
            G::Minus { left, right } => self.pattern(left) && self.pattern(right),
            G::Filter { expr, inner } => self.expression(expr) && self.pattern(inner),
            G::Graph { name, inner } => self.named_node(name) && self.pattern(inner),
            G::Extend {
                inner, expression, ..
            } => self.pattern(inner) && self.expression(expression),
            G::OrderBy { inner, expression } => {
                self.pattern(inner)
                    && expression.iter_mut().all(|o| match o {
                        OrderExpression::Asc(e) | OrderExpression::Desc(e) => self.expression(e),
                    })
            }
            G::Group {
                inner, aggregates, ..
            } => {
                self.pattern(inner)
                    && aggregates.iter_mut().all(|(_, a)| match a {
                        AggregateExpression::FunctionCall { expr, .. } => self.expression(expr),
                        AggregateExpression::CountSolutions { .. } => true,
                    })
            }
            G::Project { inner, .. }
            | G::Distinct { inner }
            | G::Reduced { inner }
            | G::Slice { inner, .. }
            | G::Service { inner, .. } => self.pattern(inner),
            G::Values { .. } => true,
        }
    }

    fn triple(&self, t: &mut TriplePattern) -> bool {
        self.term(&mut t.subject) && self.named_node(&mut t.predicate) && self.term(&mut t.object)
    }

    /// The value of `v` as a constant: `Some(None)` when `v` is not pre-bound, `None` when its
    /// value cannot be written in the query (a blank node).
    fn constant(&self, v: &Variable) -> Option<Option<Constant>> {
        match self.value(v) {
            None => Some(None),
            Some(Term::NamedNode(n)) => Some(Some(Constant::Iri(n.clone()))),
            Some(Term::Literal(l)) => Some(Some(Constant::Literal(l.clone()))),
            Some(_) => None,
        }
    }

    fn term(&self, t: &mut TermPattern) -> bool {
        if let TermPattern::Variable(v) = t {
            match self.constant(v) {
                None => return false,
                Some(Some(Constant::Iri(n))) => *t = TermPattern::NamedNode(n),
                Some(Some(Constant::Literal(l))) => *t = TermPattern::Literal(l),
                Some(None) => {}
            }
        }
        true
    }

    fn named_node(&self, n: &mut NamedNodePattern) -> bool {
        if let NamedNodePattern::Variable(v) = n {
            match self.constant(v) {
                Some(Some(Constant::Iri(iri))) => *n = NamedNodePattern::NamedNode(iri),
                Some(None) => {}
                _ => return false,
            }
        }
        true
    }

    fn expression(&self, e: &mut Expression) -> bool {
        use Expression as E;
        match e {
            E::Variable(v) => match self.constant(v) {
                None => false,
                Some(c) => {
                    match c {
                        Some(Constant::Iri(n)) => *e = E::NamedNode(n),
                        Some(Constant::Literal(l)) => *e = E::Literal(l),
                        None => {}
                    }
                    true
                }
            },
            E::Bound(v) => {
                if self.value(v).is_some() {
                    *e = E::Literal(true.into());
                }
                true
            }
            E::NamedNode(_) | E::Literal(_) => true,
            E::Or(a, b)
            | E::And(a, b)
            | E::Equal(a, b)
            | E::SameTerm(a, b)
            | E::Greater(a, b)
            | E::GreaterOrEqual(a, b)
            | E::Less(a, b)
            | E::LessOrEqual(a, b)
            | E::Add(a, b)
            | E::Subtract(a, b)
            | E::Multiply(a, b)
            | E::Divide(a, b) => self.expression(a) && self.expression(b),
            E::In(a, list) => self.expression(a) && list.iter_mut().all(|x| self.expression(x)),
            E::UnaryPlus(a) | E::UnaryMinus(a) | E::Not(a) => self.expression(a),
            E::Exists(p) => self.pattern(p),
            E::If(a, b, c) => self.expression(a) && self.expression(b) && self.expression(c),
            E::Coalesce(list) | E::FunctionCall(_, list) => {
                list.iter_mut().all(|x| self.expression(x))
            }
        }
    }
}
