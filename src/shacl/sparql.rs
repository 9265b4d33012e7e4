//! SHACL-SPARQL: `sh:sparql` constraints and SPARQL-based constraint components, evaluated with
//! Oxigraph's SPARQL engine and SHACL's pre-binding of `$this`, `$value`, `$currentShape`,
//! `$shapesGraph` and the component parameters.

use super::compile::{literal_value, single};
use super::prebind;
use super::rdf_read::values;
use super::shape::{Constraint, Shape};
use super::sparql_view::SparqlView;
use super::vocab::{rdf, sh};
use oxigraph::model::{Graph, NamedNode, Term, Variable};
use oxigraph::sparql::{PreparedSparqlQuery, QueryResults, SparqlEvaluator};
use spargebra::{Query, SparqlParser};

/// The graph name under which the shapes graph is visible to queries as `$shapesGraph`.
pub const SHAPES_GRAPH: &str = "urn:datafond:shapes-graph";

/// A compiled SPARQL-based constraint, ready to run for one focus node at a time.
pub struct SparqlConstraint {
    /// `sh:SPARQLConstraintComponent`, or the IRI of a SPARQL-based constraint component.
    pub component: NamedNode,
    /// The `sh:sparql` node, reported as `sh:sourceConstraint` (none for components).
    pub source: Option<Term>,
    /// ASK validators run per value node; SELECT queries once per focus node.
    pub ask: bool,
    /// `sh:message` of the constraint or validator.
    pub messages: Vec<Term>,
    /// Parameter bindings of a component instance (`$lang` → `"de"`).
    pub bindings: Vec<(Variable, Term)>,
    /// Pre-bound variables the query mentions (the others are not substituted).
    mentioned: Vec<String>,
    /// The query (an ASK turned into a SELECT), into which values are substituted as constants.
    query: Query,
    /// The same query with the pre-bound variables projected, unoptimised, for values that
    /// cannot be written as constants (blank nodes): they are bound at run time instead.
    fallback: PreparedSparqlQuery,
}

impl std::fmt::Debug for SparqlConstraint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SparqlConstraint")
            .field("component", &self.component)
            .field("source", &self.source)
            .field("ask", &self.ask)
            .finish_non_exhaustive()
    }
}

/// A violation a SPARQL constraint found: the value and path it names and its `?message`.
#[derive(Debug)]
pub struct SparqlHit {
    /// `?value`, or the focus node for node shapes, or the value node for ASK validators.
    pub value: Option<Term>,
    /// `?path` when bound to an IRI.
    pub path: Option<Term>,
    /// `?message`, as the query bound it.
    pub message: Option<Term>,
    /// Every variable the solution bound, for `{?var}` in message templates.
    pub solution: Vec<(Variable, Term)>,
}

impl SparqlConstraint {
    /// Compiles the `sh:sparql` value `node` of `shape`.
    pub fn from_sh_sparql(g: &Graph, shape: &Shape, node: &Term) -> Result<Self, String> {
        if single(g, node, sh::DEACTIVATED).is_some_and(|v| literal_value(&v) == "true") {
            return Err(format!(
                "{node}: deactivated SPARQL constraints are not supported"
            ));
        }
        let select = values(g, node, sh::SELECT);
        let [text] = select.as_slice() else {
            return Err(format!("{node} must have exactly one sh:select"));
        };
        let query = build_query(g, node, &literal_value(text), shape)?;
        Self::new(
            sh::SPARQL_CONSTRAINT_COMPONENT.into_owned(),
            Some(node.clone()),
            false,
            values(g, node, sh::MESSAGE),
            Vec::new(),
            query,
        )
    }

    fn new(
        component: NamedNode,
        source: Option<Term>,
        ask: bool,
        messages: Vec<Term>,
        bindings: Vec<(Variable, Term)>,
        query: Query,
    ) -> Result<Self, String> {
        let mut prebound: Vec<String> = ["this", "shapesGraph", "currentShape"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        if ask {
            prebound.push("value".into());
        }
        prebound.extend(bindings.iter().map(|(v, _)| v.as_str().to_owned()));
        prebind::check(&query, &prebound)?;
        let text = query.to_string();
        let mentioned: Vec<String> = prebound
            .into_iter()
            .filter(|v| text.contains(&format!("?{v}")) || text.contains(&format!("${v}")))
            .collect();
        let query = prebind::ask_as_select(query);
        // The optimiser takes pre-bound variables for never bound (it folds `bound($this)` to
        // false), so the run-time-bound fallback runs unoptimised, as written.
        let fallback = SparqlEvaluator::new()
            .without_optimizations()
            .for_query(prebind::project(query.clone(), &mentioned));
        Ok(Self {
            component,
            source,
            ask,
            messages,
            bindings,
            mentioned,
            query,
            fallback,
        })
    }

    /// Runs the constraint for `focus` (and its `value_nodes`, for ASK validators).
    pub fn run(
        &self,
        dataset: SparqlView<'_>,
        shape: &Shape,
        focus: &Term,
        value_nodes: &[Term],
    ) -> Result<Vec<SparqlHit>, String> {
        let mut base: Vec<(Variable, Term)> = vec![
            (Variable::new_unchecked("this"), focus.clone()),
            (Variable::new_unchecked("currentShape"), shape.node.clone()),
            (
                Variable::new_unchecked("shapesGraph"),
                NamedNode::new_unchecked(SHAPES_GRAPH).into(),
            ),
        ];
        base.extend(self.bindings.iter().cloned());
        let mut hits = Vec::new();
        if self.ask {
            for v in value_nodes {
                let mut b = base.clone();
                b.push((Variable::new_unchecked("value"), v.clone()));
                let QueryResults::Solutions(mut solutions) = self.execute(dataset, b)? else {
                    return Err("an ASK validator must be an ASK query".into());
                };
                let holds = solutions
                    .next()
                    .transpose()
                    .map_err(|e| e.to_string())?
                    .is_some();
                if !holds {
                    hits.push(SparqlHit {
                        value: Some(v.clone()),
                        path: None,
                        message: None,
                        solution: Vec::new(),
                    });
                }
            }
            return Ok(hits);
        }
        let QueryResults::Solutions(solutions) = self.execute(dataset, base)? else {
            return Err("a SELECT query was expected".into());
        };
        for solution in solutions {
            let solution = solution.map_err(|e| e.to_string())?;
            if solution
                .get("failure")
                .is_some_and(|f| literal_value(f) == "true")
            {
                return Err("the query reported ?failure".into());
            }
            let value = solution
                .get("value")
                .cloned()
                .or_else(|| shape.path.is_none().then(|| focus.clone()));
            let path = solution
                .get("path")
                .filter(|p| matches!(p, Term::NamedNode(_)))
                .cloned();
            let message = solution.get("message").cloned();
            let solution = solution
                .iter()
                .map(|(var, term)| (var.clone(), term.clone()))
                .collect();
            hits.push(SparqlHit {
                value,
                path,
                message,
                solution,
            });
        }
        Ok(hits)
    }

    fn execute<'a>(
        &self,
        dataset: SparqlView<'a>,
        bindings: Vec<(Variable, Term)>,
    ) -> Result<QueryResults<'a>, String> {
        let bindings: Vec<_> = bindings
            .into_iter()
            .filter(|(v, _)| self.mentioned.iter().any(|m| m == v.as_str()))
            .collect();
        let result = match prebind::substitute(&self.query, &bindings) {
            Some(query) => SparqlEvaluator::new()
                .for_query(query)
                .on_queryable_dataset(dataset)
                .execute(),
            None => {
                let mut q = self.fallback.clone().on_queryable_dataset(dataset);
                for (var, term) in bindings {
                    q = q.substitute_variable(var, term);
                }
                q.execute()
            }
        };
        result.map_err(|e| e.to_string())
    }

    /// Fills `{$var}` and `{?var}` in a message template with this constraint's bindings and
    /// then with the variables of the `solution` that found the problem.
    pub fn fill(&self, template: &Term, solution: &[(Variable, Term)]) -> Term {
        let Term::Literal(l) = template else {
            return template.clone();
        };
        let mut text = l.value().to_owned();
        for (var, value) in self.bindings.iter().chain(solution) {
            let v = literal_value(value);
            text = text
                .replace(&format!("{{${}}}", var.as_str()), &v)
                .replace(&format!("{{?{}}}", var.as_str()), &v);
        }
        match l.language() {
            Some(lang) => {
                oxigraph::model::Literal::new_language_tagged_literal_unchecked(text, lang)
            }
            None => oxigraph::model::Literal::new_typed_literal(text, l.datatype()),
        }
        .into()
    }
}

/// Prefix declarations reachable through `sh:prefixes` of `node`, as a SPARQL prologue.
fn prologue(g: &Graph, node: &Term) -> Result<String, String> {
    let mut out = String::new();
    let imports =
        oxigraph::model::NamedNodeRef::new_unchecked("http://www.w3.org/2002/07/owl#imports");
    let mut holders = values(g, node, sh::PREFIXES);
    let mut seen = std::collections::HashSet::new();
    while let Some(p) = holders.pop() {
        if !seen.insert(p.clone()) {
            continue;
        }
        holders.extend(values(g, &p, imports));
        for decl in values(g, &p, sh::DECLARE) {
            let prefix = single(g, &decl, sh::PREFIX).map(|t| literal_value(&t));
            let ns = single(g, &decl, sh::NAMESPACE).map(|t| literal_value(&t));
            match (prefix, ns) {
                (Some(prefix), Some(ns)) => out.push_str(&format!("PREFIX {prefix}: <{ns}>\n")),
                _ => return Err(format!("{decl} needs sh:prefix and sh:namespace")),
            }
        }
    }
    Ok(out)
}

fn build_query(g: &Graph, node: &Term, text: &str, shape: &Shape) -> Result<Query, String> {
    let mut text = text.to_owned();
    if text.contains("$PATH") {
        let path = shape
            .result_path
            .as_ref()
            .ok_or_else(|| format!("{node} uses $PATH but the shape has no path"))?;
        text = text.replace("$PATH", &path.to_string());
    }
    let full = format!("{}{text}", prologue(g, node)?);
    SparqlParser::new()
        .parse_query(&full)
        .map_err(|e| format!("{node}: SPARQL syntax error: {e}"))
}

/// A SPARQL-based constraint component declared in the shapes graph.
#[derive(Debug)]
pub struct Component {
    iri: NamedNode,
    params: Vec<Parameter>,
    validator: Option<Term>,
    node_validator: Option<Term>,
    property_validator: Option<Term>,
}

#[derive(Debug)]
struct Parameter {
    path: NamedNode,
    name: String,
    optional: bool,
}

/// Every `sh:ConstraintComponent` of the shapes graph.
pub fn components(g: &Graph) -> Vec<Component> {
    let mut out = Vec::new();
    // SHACL instances: typed with sh:ConstraintComponent or one of its subclasses.
    let mut classes: Vec<Term> = vec![sh::CONSTRAINT_COMPONENT.into_owned().into()];
    let mut i = 0;
    while i < classes.len() {
        let subs: Vec<Term> = g
            .subjects_for_predicate_object(rdf::SUB_CLASS_OF, &classes[i])
            .map(|s| s.into_owned().into())
            .collect();
        for sub in subs {
            if !classes.contains(&sub) {
                classes.push(sub);
            }
        }
        i += 1;
    }
    let nodes: Vec<_> = classes
        .iter()
        .flat_map(|c| g.subjects_for_predicate_object(rdf::TYPE, c))
        .collect();
    for node in nodes {
        let oxigraph::model::NamedOrBlankNodeRef::NamedNode(iri) = node else {
            continue;
        };
        let node: Term = iri.into_owned().into();
        let params = values(g, &node, sh::PARAMETER)
            .iter()
            .filter_map(|p| {
                let Some(Term::NamedNode(path)) = single(g, p, sh::PATH) else {
                    return None;
                };
                let name = local_name(path.as_str()).to_owned();
                let optional =
                    single(g, p, sh::OPTIONAL).is_some_and(|o| literal_value(&o) == "true");
                Some(Parameter {
                    path,
                    name,
                    optional,
                })
            })
            .collect();
        out.push(Component {
            iri: iri.into_owned(),
            params,
            validator: single(g, &node, sh::VALIDATOR),
            node_validator: single(g, &node, sh::NODE_VALIDATOR),
            property_validator: single(g, &node, sh::PROPERTY_VALIDATOR),
        });
    }
    out
}

fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

impl Component {
    /// The constraints this component contributes to `shape`: one per combination of parameter
    /// values, when the shape has every mandatory parameter.
    pub fn instantiate(&self, g: &Graph, shape: &Shape) -> Result<Vec<Constraint>, String> {
        let mut combos: Vec<Vec<(Variable, Term)>> = vec![Vec::new()];
        for p in &self.params {
            let vals = values(g, &shape.node, p.path.as_ref());
            if vals.is_empty() {
                if p.optional {
                    continue;
                }
                return Ok(Vec::new());
            }
            combos = combos
                .into_iter()
                .flat_map(|c| {
                    vals.iter().map(move |v| {
                        let mut c = c.clone();
                        c.push((Variable::new_unchecked(p.name.clone()), v.clone()));
                        c
                    })
                })
                .collect();
        }
        if self.params.iter().all(|p| p.optional) {
            return Ok(Vec::new());
        }
        let specific = if shape.path.is_some() {
            &self.property_validator
        } else {
            &self.node_validator
        };
        let Some(validator) = specific.as_ref().or(self.validator.as_ref()) else {
            return Ok(Vec::new());
        };
        let (ask, text) = match (
            single(g, validator, sh::ASK),
            single(g, validator, sh::SELECT),
        ) {
            (Some(a), None) => (true, literal_value(&a)),
            (None, Some(s)) => (false, literal_value(&s)),
            _ => {
                return Err(format!(
                    "validator {validator} of {} needs exactly one of sh:ask or sh:select",
                    self.iri
                ))
            }
        };
        let mut out = Vec::new();
        for bindings in combos {
            let query = build_query(g, validator, &text, shape)?;
            let c = SparqlConstraint::new(
                self.iri.clone(),
                None,
                ask,
                values(g, validator, sh::MESSAGE),
                bindings,
                query,
            )
            .map_err(|e| format!("validator {validator} of {}: {e}", self.iri))?;
            out.push(Constraint::Sparql(Box::new(c)));
        }
        Ok(out)
    }
}
