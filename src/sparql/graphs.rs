//! Dataset IRIs as graph names: a dataset's IRI names its current content, which is stored as
//! the named graph of its newest version. Queries are rewritten before evaluation so that
//! `GRAPH <dataset>`, `FROM <dataset>`, `FROM NAMED <dataset>` and the protocol's graph
//! parameters read that version's graph.

use oxigraph::model::NamedNode;
use spargebra::algebra::{AggregateExpression, Expression, GraphPattern, OrderExpression};
use spargebra::term::NamedNodePattern;
use std::collections::HashMap;

/// Dataset IRI → IRI of its current version graph.
pub type Aliases = HashMap<String, String>;

/// The graph a name stands for: the current version's graph for a dataset IRI, else itself.
pub fn resolve(aliases: &Aliases, name: NamedNode) -> NamedNode {
    match aliases.get(name.as_str()) {
        Some(version) => NamedNode::new_unchecked(version.clone()),
        None => name,
    }
}

/// Rewrites the graph names of a query's `GRAPH <…>` patterns, at every depth (subqueries,
/// `EXISTS` in filters, binds, ordering and aggregates included). Whether the query has any
/// `GRAPH` pattern at all (without one, its named graphs need not be set up).
pub fn rewrite_query(query: &mut spargebra::Query, aliases: &Aliases) -> bool {
    let (spargebra::Query::Select { pattern, .. }
    | spargebra::Query::Construct { pattern, .. }
    | spargebra::Query::Describe { pattern, .. }
    | spargebra::Query::Ask { pattern, .. }) = query;
    let mut any = false;
    visit_pattern(pattern, &mut |name| {
        any = true;
        if let NamedNodePattern::NamedNode(iri) = name {
            *iri = resolve(aliases, iri.clone());
        }
    });
    any
}

/// Calls `f` on the name of every `GRAPH` pattern in `pattern`.
fn visit_pattern(pattern: &mut GraphPattern, f: &mut impl FnMut(&mut NamedNodePattern)) {
    match pattern {
        GraphPattern::Graph { name, inner } => {
            f(name);
            visit_pattern(inner, f);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            visit_pattern(left, f);
            visit_pattern(right, f);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            visit_pattern(left, f);
            visit_pattern(right, f);
            if let Some(e) = expression {
                visit_expression(e, f);
            }
        }
        GraphPattern::Filter { expr, inner }
        | GraphPattern::Extend {
            inner,
            expression: expr,
            ..
        } => {
            visit_expression(expr, f);
            visit_pattern(inner, f);
        }
        GraphPattern::OrderBy { inner, expression } => {
            for order in expression {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                visit_expression(e, f);
            }
            visit_pattern(inner, f);
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                    visit_expression(expr, f);
                }
            }
            visit_pattern(inner, f);
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Service { inner, .. } => visit_pattern(inner, f),
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {}
    }
}

fn visit_expression(expression: &mut Expression, f: &mut impl FnMut(&mut NamedNodePattern)) {
    match expression {
        Expression::Exists(pattern) => visit_pattern(pattern, f),
        Expression::Or(a, b)
        | Expression::And(a, b)
        | Expression::Equal(a, b)
        | Expression::SameTerm(a, b)
        | Expression::Greater(a, b)
        | Expression::GreaterOrEqual(a, b)
        | Expression::Less(a, b)
        | Expression::LessOrEqual(a, b)
        | Expression::Add(a, b)
        | Expression::Subtract(a, b)
        | Expression::Multiply(a, b)
        | Expression::Divide(a, b) => {
            visit_expression(a, f);
            visit_expression(b, f);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            visit_expression(a, f)
        }
        Expression::If(a, b, c) => {
            for e in [a, b, c] {
                visit_expression(e, f);
            }
        }
        Expression::In(a, list) => {
            visit_expression(a, f);
            list.iter_mut().for_each(|e| visit_expression(e, f));
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter_mut().for_each(|e| visit_expression(e, f))
        }
        Expression::NamedNode(_)
        | Expression::Literal(_)
        | Expression::Variable(_)
        | Expression::Bound(_) => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(text: &str) -> String {
        let mut query = spargebra::SparqlParser::new().parse_query(text).unwrap();
        let aliases = Aliases::from([("http://x/d".to_owned(), "http://x/d/verze/2".to_owned())]);
        assert!(rewrite_query(&mut query, &aliases));
        query.to_string()
    }

    #[test]
    fn graph_patterns_at_every_depth_read_the_current_version() {
        let out = rewritten(
            "SELECT ?s WHERE { { SELECT ?s { GRAPH <http://x/d> { ?s ?p ?o } } } \
             FILTER NOT EXISTS { GRAPH <http://x/d> { ?s a ?t } } \
             BIND(IF(EXISTS { GRAPH <http://x/d> { ?s ?q 1 } }, 1, 0) AS ?b) }",
        );
        assert_eq!(out.matches("<http://x/d/verze/2>").count(), 3, "{out}");
        assert!(!out.contains("<http://x/d>"), "{out}");
    }

    #[test]
    fn queries_without_graph_patterns_say_so() {
        let mut query = spargebra::SparqlParser::new()
            .parse_query("SELECT * { ?s ?p ?o FILTER EXISTS { ?s a ?t } }")
            .unwrap();
        assert!(!rewrite_query(&mut query, &Aliases::new()));
    }

    #[test]
    fn other_graphs_and_variables_are_left_alone() {
        let out = rewritten("ASK { GRAPH ?g { ?s ?p ?o } GRAPH <http://x/other> { ?s ?p ?o } }");
        assert!(
            out.contains("GRAPH ?g") && out.contains("<http://x/other>"),
            "{out}"
        );
    }
}
