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
/// `EXISTS` in filters, binds, ordering and aggregates included).
pub fn rewrite_query(query: &mut spargebra::Query, aliases: &Aliases) {
    if aliases.is_empty() {
        return;
    }
    let (spargebra::Query::Select { pattern, .. }
    | spargebra::Query::Construct { pattern, .. }
    | spargebra::Query::Describe { pattern, .. }
    | spargebra::Query::Ask { pattern, .. }) = query;
    rewrite_pattern(pattern, aliases);
}

fn rewrite_pattern(pattern: &mut GraphPattern, aliases: &Aliases) {
    match pattern {
        GraphPattern::Graph { name, inner } => {
            if let NamedNodePattern::NamedNode(iri) = name {
                *iri = resolve(aliases, iri.clone());
            }
            rewrite_pattern(inner, aliases);
        }
        GraphPattern::Join { left, right }
        | GraphPattern::Lateral { left, right }
        | GraphPattern::Union { left, right }
        | GraphPattern::Minus { left, right } => {
            rewrite_pattern(left, aliases);
            rewrite_pattern(right, aliases);
        }
        GraphPattern::LeftJoin {
            left,
            right,
            expression,
        } => {
            rewrite_pattern(left, aliases);
            rewrite_pattern(right, aliases);
            if let Some(e) = expression {
                rewrite_expression(e, aliases);
            }
        }
        GraphPattern::Filter { expr, inner }
        | GraphPattern::Extend {
            inner,
            expression: expr,
            ..
        } => {
            rewrite_expression(expr, aliases);
            rewrite_pattern(inner, aliases);
        }
        GraphPattern::OrderBy { inner, expression } => {
            for order in expression {
                let (OrderExpression::Asc(e) | OrderExpression::Desc(e)) = order;
                rewrite_expression(e, aliases);
            }
            rewrite_pattern(inner, aliases);
        }
        GraphPattern::Group {
            inner, aggregates, ..
        } => {
            for (_, aggregate) in aggregates {
                if let AggregateExpression::FunctionCall { expr, .. } = aggregate {
                    rewrite_expression(expr, aliases);
                }
            }
            rewrite_pattern(inner, aliases);
        }
        GraphPattern::Project { inner, .. }
        | GraphPattern::Distinct { inner }
        | GraphPattern::Reduced { inner }
        | GraphPattern::Slice { inner, .. }
        | GraphPattern::Service { inner, .. } => rewrite_pattern(inner, aliases),
        GraphPattern::Bgp { .. } | GraphPattern::Path { .. } | GraphPattern::Values { .. } => {}
    }
}

fn rewrite_expression(expression: &mut Expression, aliases: &Aliases) {
    match expression {
        Expression::Exists(pattern) => rewrite_pattern(pattern, aliases),
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
            rewrite_expression(a, aliases);
            rewrite_expression(b, aliases);
        }
        Expression::UnaryPlus(a) | Expression::UnaryMinus(a) | Expression::Not(a) => {
            rewrite_expression(a, aliases)
        }
        Expression::If(a, b, c) => {
            for e in [a, b, c] {
                rewrite_expression(e, aliases);
            }
        }
        Expression::In(a, list) => {
            rewrite_expression(a, aliases);
            list.iter_mut().for_each(|e| rewrite_expression(e, aliases));
        }
        Expression::Coalesce(list) | Expression::FunctionCall(_, list) => {
            list.iter_mut().for_each(|e| rewrite_expression(e, aliases))
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
        rewrite_query(&mut query, &aliases);
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
    fn other_graphs_and_variables_are_left_alone() {
        let out = rewritten("ASK { GRAPH ?g { ?s ?p ?o } GRAPH <http://x/other> { ?s ?p ?o } }");
        assert!(
            out.contains("GRAPH ?g") && out.contains("<http://x/other>"),
            "{out}"
        );
    }
}
