//! SPARQL queries over the published data: which graphs a query sees, evaluation with a
//! deadline, and results in the format the client asked for.
//!
//! The default graph is the union of the current versions of all datasets; every published
//! version is a named graph (its version IRI), so earlier versions are queried by naming them.
//! The private graph (version records, later tokens and subscriptions) is never part of either,
//! whatever the query or the protocol's `default-graph-uri` / `named-graph-uri` ask for.

pub mod graphs;
mod star;
pub mod update;

use crate::store::registry::{VersionRecord, PRIVATE_GRAPH};
use crate::store::Storage;
use oxigraph::io::{RdfFormat, RdfSerializer};
use oxigraph::model::{GraphName, NamedNode, NamedOrBlankNode};
use oxigraph::sparql::results::{QueryResultsFormat, QueryResultsSerializer};
use oxigraph::sparql::{
    CancellationToken, QueryDataset, QueryEvaluationError, QueryResults, SparqlEvaluator,
};

/// The graphs the protocol's parameters name.
#[derive(Debug, Default, Clone)]
pub struct Protocol {
    /// `default-graph-uri` values.
    pub default_graphs: Vec<String>,
    /// `named-graph-uri` values.
    pub named_graphs: Vec<String>,
}

/// Why a query has no answer.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    /// The query does not parse (the message gives the position).
    #[error("{0}")]
    Syntax(String),
    /// A graph IRI of the protocol is not an IRI.
    #[error("`{0}` is not an IRI")]
    BadGraph(String),
    /// It ran longer than allowed and was stopped.
    #[error("the query ran longer than {0} s and was stopped")]
    Timeout(u64),
    /// The answer would pass a configured cap.
    #[error("the answer has more than {0}; narrow the query or page it with LIMIT and OFFSET")]
    TooLarge(Cap),
    /// Evaluation failed.
    #[error("{0}")]
    Evaluation(String),
    /// The answer holds a property RDF/XML cannot write (see
    /// [`crate::render::rdf::rdfxml_can_write`]).
    #[error(
        "RDF/XML cannot write the property <{0}> (it ends in no XML name): ask for another syntax"
    )]
    NotInRdfXml(String),
}

/// The cap an answer would pass, with its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// Rows of a table.
    Rows(u64),
    /// Bytes of the serialized answer.
    Bytes(u64),
}

impl std::fmt::Display for Cap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Rows(n) => write!(f, "{n} rows"),
            Self::Bytes(n) => write!(f, "{n} bytes"),
        }
    }
}

impl Cap {
    /// The limit in Czech.
    pub fn czech(self) -> String {
        match self {
            Self::Rows(n) => format!("{n} řádků"),
            Self::Bytes(n) => format!("{n} bajtů"),
        }
    }
}

/// Caps on one answer.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Most rows (solutions or triples).
    pub rows: u64,
    /// Most bytes.
    pub bytes: u64,
}

/// The form of a query's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// SELECT and ASK: a results format.
    Solutions,
    /// CONSTRUCT and DESCRIBE: an RDF syntax.
    Graph,
}

/// A parsed query and the form of its answer.
pub struct Parsed {
    query: spargebra::Query,
    /// Solutions or a graph.
    pub form: Form,
}

/// Parses `text`; syntax errors keep the parser's message and position. `SELECT *` gets its
/// columns in the order `text` names them (see `sparql/star.rs`).
pub fn parse(text: &str) -> Result<Parsed, QueryError> {
    let mut query = spargebra::SparqlParser::new()
        .parse_query(text)
        .map_err(|e| QueryError::Syntax(e.to_string()))?;
    star::in_order_of_appearance(&mut query, text);
    let form = match &query {
        spargebra::Query::Construct { .. } | spargebra::Query::Describe { .. } => Form::Graph,
        _ => Form::Solutions,
    };
    Ok(Parsed { query, form })
}

/// Media types offered for each form, most preferred first, with `?format=` names.
pub fn offered(form: Form) -> &'static [(&'static str, &'static str)] {
    match form {
        Form::Solutions => &[
            ("application/sparql-results+json", "json"),
            ("application/sparql-results+xml", "xml"),
            ("text/csv", "csv"),
            ("text/tab-separated-values", "tsv"),
            ("application/json", "json"),
        ],
        Form::Graph => &[
            ("text/turtle", "ttl"),
            ("application/n-triples", "nt"),
            ("application/ld+json", "jsonld"),
            ("application/rdf+xml", "rdf"),
        ],
    }
}

/// Evaluates `parsed` on the public graphs, writing the answer as `media_type` (one of
/// [`offered`]). Cancelling `token` (at the deadline) stops the evaluation: the answer is then
/// [`QueryError::Timeout`] for `timeout` seconds.
pub fn evaluate(
    storage: &Storage,
    parsed: Parsed,
    protocol: &Protocol,
    media_type: &str,
    (token, timeout): (CancellationToken, u64),
    caps: Caps,
) -> Result<Vec<u8>, QueryError> {
    let aliases = current_graphs(storage);
    let mut query = parsed.query;
    let uses_named_graphs = graphs::rewrite_query(&mut query, &aliases);
    let mut prepared = SparqlEvaluator::new()
        .with_cancellation_token(token.clone())
        .for_query(query);
    select_graphs(
        storage,
        &aliases,
        prepared.dataset_mut(),
        protocol,
        uses_named_graphs,
    )?;
    if !uses_named_graphs {
        // Setting up graphs no pattern reads costs a store lookup each.
        prepared
            .dataset_mut()
            .set_available_named_graphs(Vec::new());
    }
    let results = prepared.on_store(storage.store()).execute();
    match write(results, media_type, caps) {
        Err(_) if token.is_cancelled() => Err(QueryError::Timeout(timeout)),
        other => other,
    }
}

/// Each dataset's IRI and its current version's graph.
pub fn current_graphs(storage: &Storage) -> graphs::Aliases {
    storage
        .registry()
        .current_versions()
        .map(|v| (v.dataset_iri.clone(), v.iri.clone()))
        .collect()
}

/// Sets the dataset the query sees: protocol graphs win over the query's own `FROM`; without
/// either, the union of current versions and (when the query has GRAPH patterns: `named`)
/// every version as a named graph. A dataset's IRI stands for its current version's graph. The
/// private graph is taken out of all of them.
fn select_graphs(
    storage: &Storage,
    aliases: &graphs::Aliases,
    dataset: &mut QueryDataset,
    protocol: &Protocol,
    named: bool,
) -> Result<(), QueryError> {
    let public = |iri: &NamedNode| iri.as_ref() != PRIVATE_GRAPH;
    let iris = |list: &[String]| -> Result<Vec<NamedNode>, QueryError> {
        list.iter()
            .map(|s| NamedNode::new(s).map_err(|_| QueryError::BadGraph(s.clone())))
            .map(|iri| iri.map(|iri| graphs::resolve(aliases, iri)))
            .collect()
    };
    let alias = |g: &GraphName| match g {
        GraphName::NamedNode(n) => GraphName::from(graphs::resolve(aliases, n.clone())),
        other => other.clone(),
    };
    if !protocol.default_graphs.is_empty() || !protocol.named_graphs.is_empty() {
        let default = iris(&protocol.default_graphs)?;
        dataset.set_default_graph(
            default
                .into_iter()
                .filter(public)
                .map(GraphName::from)
                .collect(),
        );
        let named = iris(&protocol.named_graphs)?;
        dataset.set_available_named_graphs(
            named
                .into_iter()
                .filter(public)
                .map(NamedOrBlankNode::from)
                .collect(),
        );
        return Ok(());
    }
    if !dataset.is_default_dataset() {
        // The query's own FROM and FROM NAMED, without the private graph.
        let default: Vec<GraphName> = dataset
            .default_graph_graphs()
            .unwrap_or(&[])
            .iter()
            .filter(|g| !matches!(g, GraphName::NamedNode(n) if !public(n)))
            .map(alias)
            .collect();
        let named: Vec<NamedOrBlankNode> = dataset
            .available_named_graphs()
            .unwrap_or(&[])
            .iter()
            .filter(|g| !matches!(g, NamedOrBlankNode::NamedNode(n) if !public(n)))
            .map(|g| match g {
                NamedOrBlankNode::NamedNode(n) => graphs::resolve(aliases, n.clone()).into(),
                other => other.clone(),
            })
            .collect();
        dataset.set_default_graph(default);
        dataset.set_available_named_graphs(named);
        return Ok(());
    }
    let registry = storage.registry();
    let graph = |v: &VersionRecord| NamedNode::new_unchecked(v.iri.clone());
    let current = registry
        .current_versions()
        .map(|v| graph(v).into())
        .collect();
    // Every version's graph name, only for a query that has GRAPH patterns to read them.
    let all = match named {
        true => registry
            .datasets()
            .flat_map(|(_, versions)| versions)
            .map(|v| graph(v).into())
            .collect(),
        false => Vec::new(),
    };
    dataset.set_default_graph(current);
    dataset.set_available_named_graphs(all);
    Ok(())
}

/// A buffer refusing to grow past a cap.
struct Capped {
    buf: Vec<u8>,
    max: u64,
}

impl std::io::Write for Capped {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        if (self.buf.len() + data.len()) as u64 > self.max {
            return Err(std::io::Error::other(CAPPED));
        }
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

const CAPPED: &str = "datafond: answer over the byte cap";

/// Serializes the results within `caps`.
fn write(
    results: Result<QueryResults<'_>, QueryEvaluationError>,
    media_type: &str,
    caps: Caps,
) -> Result<Vec<u8>, QueryError> {
    let evaluation = |e: QueryEvaluationError| QueryError::Evaluation(e.to_string());
    let io = |e: std::io::Error| {
        if e.to_string() == CAPPED {
            QueryError::TooLarge(Cap::Bytes(caps.bytes))
        } else {
            QueryError::Evaluation(e.to_string())
        }
    };
    let too_many = || QueryError::TooLarge(Cap::Rows(caps.rows));
    let results_format =
        QueryResultsFormat::from_media_type(media_type).unwrap_or(QueryResultsFormat::Json);
    // XML (results or RDF/XML) keeps a literal's carriage returns only escaped.
    let xml = results_format == QueryResultsFormat::Xml
        || RdfFormat::from_media_type(media_type) == Some(RdfFormat::RdfXml);
    let out = crate::render::rdf::CrEscaped::new(
        Capped {
            buf: Vec::new(),
            max: caps.bytes,
        },
        xml,
    );
    let written = match results.map_err(evaluation)? {
        QueryResults::Solutions(solutions) => {
            let mut writer = QueryResultsSerializer::from_format(results_format)
                .serialize_solutions_to_writer(out, solutions.variables().to_vec())
                .map_err(io)?;
            for (row, solution) in solutions.enumerate() {
                if row as u64 >= caps.rows {
                    return Err(too_many());
                }
                writer
                    .serialize(&solution.map_err(evaluation)?)
                    .map_err(io)?;
            }
            writer.finish().map_err(io)?
        }
        QueryResults::Boolean(value) => QueryResultsSerializer::from_format(results_format)
            .serialize_boolean_to_writer(out, value)
            .map_err(io)?,
        QueryResults::Graph(triples) => {
            let format = RdfFormat::from_media_type(media_type).unwrap_or(RdfFormat::Turtle);
            let mut writer = RdfSerializer::from_format(format).for_writer(out);
            for (row, triple) in triples.enumerate() {
                if row as u64 >= caps.rows {
                    return Err(too_many());
                }
                let triple = triple.map_err(evaluation)?;
                let predicate = triple.predicate.as_str();
                if format == RdfFormat::RdfXml && !crate::render::rdf::rdfxml_can_write(predicate) {
                    return Err(QueryError::NotInRdfXml(predicate.to_owned()));
                }
                writer.serialize_triple(&triple).map_err(io)?;
            }
            writer.finish().map_err(io)?
        }
    };
    Ok(written.into_inner().buf)
}
