//! The query page for people: an editor (a form that GETs `/sparql`, so every query has a
//! shareable URL), example queries, the answer as a table whose IRIs link to their pages,
//! downloads in every format, and errors shown in place. Rendered on the server: it needs no
//! JavaScript and no CDN.

use super::App;
use crate::render::html::escape;
use crate::render::words::{self, SparqlWords};
use crate::sparql::{self, Form};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use std::fmt::Write;

/// Built-in examples (the config's `[[sparql.examples]]` come first, then the norms'); their
/// titles are in [`SparqlWords::example_titles`], in the page's language.
const EXAMPLES: [&str; 3] = [
    "SELECT ?class (COUNT(?s) AS ?resources)\nWHERE { ?s a ?class }\nGROUP BY ?class\nORDER BY DESC(?resources)\nLIMIT 50",
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?resource ?label\nWHERE { ?resource skos:prefLabel|rdfs:label ?label }\nLIMIT 50",
    "SELECT ?property (COUNT(*) AS ?uses)\nWHERE { ?s ?property ?o }\nGROUP BY ?property\nORDER BY DESC(?uses)\nLIMIT 50",
];

/// One cell of the answer.
#[derive(Debug)]
pub enum Cell {
    /// An IRI.
    Iri(String),
    /// A literal, with its language or datatype.
    Literal(String, Option<String>),
    /// A blank node.
    Blank(String),
    /// Unbound.
    Empty,
}

/// An answer as a table.
#[derive(Debug)]
pub struct Table {
    form: Form,
    head: Vec<String>,
    rows: Vec<Vec<Cell>>,
    boolean: Option<bool>,
}

impl Table {
    /// The table of an answer: SPARQL JSON results for solutions, N-Triples for graphs.
    pub fn of(form: Form, body: &[u8]) -> Result<Self, String> {
        match form {
            Form::Solutions => Self::of_json(body),
            Form::Graph => Self::of_triples(body),
        }
    }

    fn of_json(body: &[u8]) -> Result<Self, String> {
        let json: serde_json::Value = serde_json::from_slice(body).map_err(|e| e.to_string())?;
        if let Some(b) = json["boolean"].as_bool() {
            return Ok(Self {
                form: Form::Solutions,
                head: Vec::new(),
                rows: Vec::new(),
                boolean: Some(b),
            });
        }
        let head: Vec<String> = json["head"]["vars"]
            .as_array()
            .map(|v| {
                v.iter()
                    .filter_map(|s| s.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let rows = json["results"]["bindings"]
            .as_array()
            .map(|b| b.as_slice())
            .unwrap_or_default()
            .iter()
            .map(|binding| {
                head.iter()
                    .map(|var| {
                        let value = &binding[var];
                        let text = value["value"].as_str().unwrap_or("").to_owned();
                        match value["type"].as_str() {
                            Some("uri") => Cell::Iri(text),
                            Some("bnode") => Cell::Blank(text),
                            Some(_) => Cell::Literal(
                                text,
                                value["xml:lang"]
                                    .as_str()
                                    .map(|l| format!("@{l}"))
                                    .or_else(|| value["datatype"].as_str().map(str::to_owned)),
                            ),
                            None => Cell::Empty,
                        }
                    })
                    .collect()
            })
            .collect();
        Ok(Self {
            form: Form::Solutions,
            head,
            rows,
            boolean: None,
        })
    }

    fn of_triples(body: &[u8]) -> Result<Self, String> {
        use oxigraph::model::{NamedOrBlankNode, Term};
        let term = |t: Term| match t {
            Term::NamedNode(n) => Cell::Iri(n.into_string()),
            Term::BlankNode(b) => Cell::Blank(b.as_str().to_owned()),
            Term::Literal(l) => {
                let tag = l
                    .language()
                    .map(|l| format!("@{l}"))
                    .or_else(|| Some(l.datatype().as_str().to_owned()));
                Cell::Literal(l.value().to_owned(), tag)
            }
        };
        let mut rows = Vec::new();
        for quad in
            oxigraph::io::RdfParser::from_format(oxigraph::io::RdfFormat::NTriples).for_slice(body)
        {
            let quad = quad.map_err(|e| e.to_string())?;
            let subject = match quad.subject {
                NamedOrBlankNode::NamedNode(n) => Cell::Iri(n.into_string()),
                NamedOrBlankNode::BlankNode(b) => Cell::Blank(b.as_str().to_owned()),
            };
            rows.push(vec![
                subject,
                Cell::Iri(quad.predicate.into_string()),
                term(quad.object),
            ]);
        }
        Ok(Self {
            form: Form::Graph,
            head: vec!["subject".into(), "predicate".into(), "object".into()],
            rows,
            boolean: None,
        })
    }
}

/// The page, with `query` in the editor and its `answer` (a table or an error) below, in the
/// first of `languages` there are words in.
pub fn render(
    app: &App,
    languages: &[String],
    query: Option<&str>,
    answer: Option<Result<Table, String>>,
) -> String {
    let base = &app.config.base;
    let all = words::for_languages(languages);
    let words = &all.sparql;
    let text = query.unwrap_or(EXAMPLES[0]);
    // The switcher shows this page, with its query, in another language.
    let switch = |tag: &str| match query {
        Some(q) => format!("?query={}&amp;lang={}", encode(q), escape(tag)),
        None => format!("?lang={}", escape(tag)),
    };
    let header = crate::render::header::header(
        all,
        Some("/sparql"),
        (&app.config.languages, languages),
        Some(&switch),
    );
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"/assets/datafond.css\">\
         </head><body>{header}<main><h1>{title}</h1>\
         <form method=\"get\" action=\"/sparql\"><label for=\"query\">{}</label>\
         <textarea id=\"query\" name=\"query\" rows=\"12\" cols=\"100\" spellcheck=\"false\">{}</textarea>\
         <p><button type=\"submit\">{}</button></p></form>\
         <section aria-labelledby=\"examples\"><h2 id=\"examples\">{}</h2><ul>",
        all.lang,
        words.editor,
        escape(text),
        words.run,
        words.examples,
        title = words.title,
    );
    let configured = app
        .config
        .sparql_examples
        .iter()
        .chain(app.norms.iter().flat_map(|n| n.examples.iter()))
        .map(|(t, q)| (t.as_str(), q.as_str()));
    let built_in = words.example_titles.into_iter().zip(EXAMPLES);
    for (title, example) in configured.chain(built_in) {
        let _ = write!(
            out,
            "<li><a href=\"/sparql?query={}\">{}</a></li>",
            escape(&encode(example)),
            escape(title)
        );
    }
    out.push_str("</ul></section>");
    if let (Some(query), Some(answer)) = (query, answer) {
        let _ = write!(
            out,
            "<section aria-labelledby=\"answer\"><h2 id=\"answer\">{}</h2>",
            words.answer
        );
        match answer {
            Err(message) => {
                let _ = write!(
                    out,
                    "<p class=\"error\" role=\"alert\">{}</p>",
                    escape(&message)
                );
            }
            Ok(table) => {
                let _ = write!(out, "<p class=\"downloads\">{} ", words.download);
                let links: Vec<String> = sparql::offered(table.form)
                    .iter()
                    .filter(|(m, _)| *m != "application/json")
                    .map(|(_, name)| {
                        format!(
                            "<a href=\"/sparql?query={}&amp;format={name}\">{name}</a>",
                            escape(&encode(query))
                        )
                    })
                    .collect();
                out.push_str(&links.join(" · "));
                out.push_str("</p>");
                write_table(&mut out, &table, base, words);
            }
        }
        out.push_str("</section>");
    }
    out.push_str("</main></body></html>\n");
    out
}

fn write_table(out: &mut String, table: &Table, base: &str, words: &SparqlWords) {
    if let Some(b) = table.boolean {
        let _ = write!(out, "<p class=\"boolean\">{b}</p>");
        return;
    }
    let _ = write!(
        out,
        "<p>{}</p><table class=\"results\"><thead><tr>",
        (words.rows)(table.rows.len())
    );
    for var in &table.head {
        let _ = write!(out, "<th scope=\"col\">{}</th>", escape(var));
    }
    out.push_str("</tr></thead><tbody>");
    for row in &table.rows {
        out.push_str("<tr>");
        for cell in row {
            out.push_str("<td>");
            match cell {
                Cell::Iri(iri) => {
                    let (href, _) = crate::render::html::href(iri, base);
                    let _ = write!(out, "<a href=\"{}\">{}</a>", escape(&href), escape(iri));
                }
                Cell::Literal(value, tag) => {
                    let _ = write!(out, "<span class=\"literal\">{}</span>", escape(value));
                    if let Some(tag) = tag {
                        let _ = write!(out, " <span class=\"datatype\">{}</span>", escape(tag));
                    }
                }
                Cell::Blank(id) => {
                    let _ = write!(out, "_:{}", escape(id));
                }
                Cell::Empty => {}
            }
            out.push_str("</td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
}

/// A query as a URL parameter value.
fn encode(query: &str) -> String {
    percent_encoding::utf8_percent_encode(query, percent_encoding::NON_ALPHANUMERIC).to_string()
}

/// The page as a response; keeps the language `chosen` by `?lang=`, if any.
pub fn respond(html: String, chosen: Option<&str>) -> Response {
    let mut response = (StatusCode::OK, html).into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::VARY,
        HeaderValue::from_static(crate::web::language::VARY_WITH_ACCEPT),
    );
    crate::web::language::remember(&mut response, chosen);
    response
}
