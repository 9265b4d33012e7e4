//! datafond's own SHACL engine: SHACL Core and SHACL-SPARQL.
//!
//! A shapes graph is compiled once into [`Shapes`] (refusing unknown terms, unimplemented
//! features, dangling references and ill-formed parameters, and linting against the
//! SHACL-for-SHACL shapes); data graphs are then indexed and validated against it, giving a
//! [`ValidationReport`].

mod compile;
mod error;
mod graph;
mod lint;
mod params;
mod path;
mod prebind;
mod rdf_read;
mod report;
mod shape;
mod sparql;
mod sparql_view;
mod validate;
mod value;
pub mod vocab;

pub use error::{Problem, ShapesError, ValidationError};
pub use graph::{DataGraph, DataGraphBuilder};
pub use path::{PathExpr, PathOf};
pub use report::{ValidationReport, ValidationResult};
pub use shape::Shapes;

use oxigraph::io::RdfFormat;
use oxigraph::model::{Graph, GraphNameRef, NamedNodeRef};
use oxigraph::store::{StorageError, Store};
use std::sync::OnceLock;

/// How a shapes graph that is not clean SHACL is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Strictness {
    /// Refuse unknown `sh:` terms and SHACL-for-SHACL violations (norms, the CLI default).
    #[default]
    Strict,
    /// Plain SHACL semantics: ignore unknown triples, keep them as warnings. Features that are
    /// known but not implemented are refused in both modes.
    Lenient,
}

/// The SHACL-for-SHACL shapes (SHACL §C), which every shapes graph is linted against.
const SHACL_SHACL: &str = include_str!("../../shapes/shacl-shacl.ttl");

fn shacl_shacl() -> &'static Shapes {
    static SHAPES: OnceLock<Shapes> = OnceLock::new();
    SHAPES.get_or_init(|| {
        let graph = crate::rdf_file::parse_graph(
            SHACL_SHACL.as_bytes(),
            RdfFormat::Turtle,
            "shapes/shacl-shacl.ttl",
            None,
        )
        .expect("the bundled SHACL-for-SHACL shapes parse");
        compile::compile(graph, "shapes/shacl-shacl.ttl", true)
            .expect("the bundled SHACL-for-SHACL shapes compile")
    })
}

impl Shapes {
    /// Compiles a shapes graph read from `source` (named in errors), strictly: a shapes graph
    /// that is not well-formed SHACL (SHACL-for-SHACL) or uses a term that is not SHACL is
    /// refused. This is how datafond loads norms.
    pub fn from_graph(graph: Graph, source: &str) -> Result<Self, ShapesError> {
        Self::compile(graph, source, Strictness::Strict)
    }

    /// Compiles a shapes graph with the chosen [`Strictness`].
    pub fn compile(
        graph: Graph,
        source: &str,
        strictness: Strictness,
    ) -> Result<Self, ShapesError> {
        let strict = strictness == Strictness::Strict;
        let lint = shacl_shacl().validate(&graph).map_err(|e| ShapesError {
            source: source.to_owned(),
            problems: vec![Problem {
                shape: None,
                reason: e.to_string(),
            }],
        })?;
        let findings: Vec<Problem> = lint
            .results
            .iter()
            .map(|r| Problem {
                shape: Some(r.focus.to_string()),
                reason: format!(
                    "is not well-formed SHACL (SHACL-for-SHACL {} on {})",
                    r.component.as_str().trim_start_matches(vocab::SH),
                    r.path
                        .as_ref()
                        .map_or_else(|| "the node".into(), ToString::to_string)
                ),
            })
            .collect();
        // The compiler's own problems come first: they are the more specific ones.
        match compile::compile(graph, source, strict) {
            Ok(_) if strict && !findings.is_empty() => Err(ShapesError {
                source: source.to_owned(),
                problems: findings,
            }),
            Err(mut e) => {
                if strict {
                    e.problems.extend(findings);
                }
                Err(e)
            }
            Ok(mut shapes) => {
                shapes.warnings.extend(findings);
                Ok(shapes)
            }
        }
    }

    /// Validates the data graph `data`.
    pub fn validate(&self, data: &Graph) -> Result<ValidationReport, ValidationError> {
        self.validate_with_reference(data, &[])
    }

    /// Validates `data`, letting lookups (classes, paths) also see the read-only `reference`
    /// graphs, e.g. the authority tables a norm's `sh:class` constraints point into. Focus nodes
    /// come from `data` alone.
    pub fn validate_with_reference(
        &self,
        data: &Graph,
        reference: &[&Graph],
    ) -> Result<ValidationReport, ValidationError> {
        self.validate_indexed(&DataGraph::new(self.terms.clone(), data, reference))
    }

    /// A builder for the indexed data graph these shapes validate: feed it triples straight from
    /// a parser (data first, then reference triples) to skip building an intermediate graph.
    pub fn data_graph_builder(&self) -> DataGraphBuilder {
        DataGraphBuilder::new(self.terms.clone())
    }

    /// Validates a data graph indexed with [`Shapes::data_graph_builder`].
    pub fn validate_indexed(&self, data: &DataGraph) -> Result<ValidationReport, ValidationError> {
        validate::Run::new(self, data).validate()
    }

    /// Validates the named graph `graph` of `store`, with other named graphs as reference data.
    pub fn validate_store_graph(
        &self,
        store: &Store,
        graph: NamedNodeRef<'_>,
        reference: &[NamedNodeRef<'_>],
    ) -> Result<Result<ValidationReport, ValidationError>, StorageError> {
        let data = store_graph(store, graph)?;
        let refs = reference
            .iter()
            .map(|r| store_graph(store, *r))
            .collect::<Result<Vec<_>, _>>()?;
        let refs: Vec<&Graph> = refs.iter().collect();
        Ok(self.validate_with_reference(&data, &refs))
    }

    /// How many shapes were compiled.
    pub fn len(&self) -> usize {
        self.shapes.len()
    }

    /// Whether the shapes graph defines no shape.
    pub fn is_empty(&self) -> bool {
        self.shapes.is_empty()
    }
}

fn store_graph(store: &Store, name: NamedNodeRef<'_>) -> Result<Graph, StorageError> {
    let mut g = Graph::new();
    for q in store.quads_for_pattern(None, None, None, Some(GraphNameRef::NamedNode(name))) {
        g.insert(&q?.into());
    }
    Ok(g)
}
