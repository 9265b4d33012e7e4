//! `/sparql`: the SPARQL 1.1 Protocol for queries. GET `?query=`, POST form-encoded, POST
//! `application/sparql-query`; `default-graph-uri` and `named-graph-uri`; results chosen by
//! `Accept` or `?format=`. Without a query, the service description; for browsers, the query
//! page (`page`).

mod page;

use super::problem::Problem;
use super::App;
use crate::conneg;
use crate::sparql::{self, Protocol, QueryError};
use axum::body::{Body, Bytes};
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// The endpoint's shared state: permits for concurrent queries, and the answers of recent
/// queries (keyed by the registry generation, so a publish makes every entry unreachable).
pub struct Endpoint {
    permits: Arc<tokio::sync::Semaphore>,
    cache: moka::sync::Cache<CacheKey, Bytes>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct CacheKey {
    generation: u64,
    query: String,
    default_graphs: Vec<String>,
    named_graphs: Vec<String>,
    media_type: &'static str,
}

impl Endpoint {
    /// State for `settings`.
    pub fn new(settings: &crate::config::SparqlSettings) -> Self {
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(
                usize::try_from(settings.max_concurrent).unwrap_or(usize::MAX),
            )),
            cache: moka::sync::Cache::builder()
                .max_capacity(settings.cache_bytes)
                .weigher(|key: &CacheKey, body: &Bytes| {
                    u32::try_from(key.query.len() + body.len() + 64).unwrap_or(u32::MAX)
                })
                .build(),
        }
    }
}

/// `name=value` pairs of a form or query string (`+` is a space).
pub(super) fn pairs(text: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((n, v)) => (decode(n), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// Answers GET and POST on `/sparql`.
pub async fn endpoint(
    State(app): State<Arc<App>>,
    method: Method,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let limit = usize::try_from(app.config.sparql.max_request_bytes).unwrap_or(usize::MAX);
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "request-too-large",
            format!(
                "the request is larger than {limit} bytes ([sparql] max_request_bytes); \
                 send a shorter query"
            ),
        )
        .in_czech(format!(
            "požadavek je větší než {limit} bajtů ([sparql] max_request_bytes); pošlete \
             kratší dotaz"
        ))
        .into_response()
    };
    if raw.as_ref().is_some_and(|q| q.len() > limit) {
        return too_large();
    }
    let Ok(body) = axum::body::to_bytes(body, limit).await else {
        return too_large();
    };
    let mut params = pairs(raw.as_deref().unwrap_or(""));
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let mut query = None;
    if method == Method::POST {
        match content_type.as_str() {
            "application/x-www-form-urlencoded" => {
                params.extend(pairs(&String::from_utf8_lossy(&body)))
            }
            "application/sparql-query" => query = Some(String::from_utf8_lossy(&body).into_owned()),
            "application/sparql-update" => {
                return update(&app, String::from_utf8_lossy(&body).into_owned(), &headers).await
            }
            other => {
                return Problem::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported-media-type",
                    format!(
                        "a query is POSTed as application/sparql-query or \
                         application/x-www-form-urlencoded, not `{other}`"
                    ),
                )
                .in_czech(format!(
                    "dotaz se posílá metodou POST jako application/sparql-query nebo \
                     application/x-www-form-urlencoded, ne `{other}`"
                ))
                .into_response()
            }
        }
    }
    let value = |name: &str| {
        params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    };
    let all = |name: &str| -> Vec<String> {
        params
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    };
    if let (true, Some(text)) = (method == Method::POST, value("update")) {
        return update(&app, text, &headers).await;
    }
    // A browser asking for HTML gets the query page, with the answer rendered in it.
    let html = value("format").is_none() && wants_html(&headers);
    // The page's languages, read only for the page: `?lang=` chooses one (a value no language
    // tag is taken for none, as any parameter the protocol does not name).
    let lang = value("lang");
    let chosen = super::language::chosen(lang.as_deref()).ok().flatten();
    let languages = || super::language::languages(&headers, chosen, &app.config.languages);
    let Some(text) = query.or_else(|| value("query")) else {
        return match html {
            true => page::respond(page::render(&app, &languages(), None, None), chosen),
            false => service_description(&app, &headers),
        };
    };
    let parsed = match sparql::parse(&text) {
        Ok(p) => p,
        Err(e) if html => {
            return page::respond(
                page::render(&app, &languages(), Some(&text), Some(Err(e.to_string()))),
                chosen,
            )
        }
        Err(e) => return Failure::Query(e).into_response(),
    };
    let offered = sparql::offered(parsed.form);
    let media_type = match (html, value("format")) {
        // The page reads the answer back from JSON results or N-Triples.
        (true, _) => Some(match parsed.form {
            sparql::Form::Solutions => "application/sparql-results+json",
            sparql::Form::Graph => "application/n-triples",
        }),
        (false, Some(name)) => offered.iter().find(|(_, n)| *n == name).map(|(m, _)| *m),
        (false, None) => {
            let types: Vec<&str> = offered.iter().map(|(m, _)| *m).collect();
            let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
            conneg::choose_rdf(accept, &types).map(|i| types[i])
        }
    };
    let Some(media_type) = media_type else {
        let types: Vec<&str> = offered.iter().map(|(m, _)| *m).collect();
        return Problem::new(
            StatusCode::NOT_ACCEPTABLE,
            "not-acceptable",
            format!("this query's answer is available as {}", types.join(", ")),
        )
        .in_czech(format!(
            "odpověď na tento dotaz je k dispozici jako {}",
            types.join(", ")
        ))
        .into_response();
    };
    let protocol = Protocol {
        default_graphs: all("default-graph-uri"),
        named_graphs: all("named-graph-uri"),
    };
    let form = parsed.form;
    let answered = run(&app, text.clone(), parsed, protocol, media_type).await;
    match (html, answered) {
        (false, Ok((body, cache))) => answer(body, media_type, cache),
        (false, Err(failure)) => failure.into_response(),
        (true, outcome) => {
            let table = outcome
                .map_err(|f| f.to_string())
                .and_then(|(body, _)| page::Table::of(form, &body));
            page::respond(
                page::render(&app, &languages(), Some(&text), Some(table)),
                chosen,
            )
        }
    }
}

/// A SPARQL Update (token required): applied to the current content of the one dataset it
/// writes, then pushed, so the result is validated and published as a new version.
async fn update(app: &Arc<App>, text: String, headers: &HeaderMap) -> Response {
    use crate::sparql::update::{self, UpdateError};
    if let Err(problem) = app.authorize(headers) {
        return problem.into_response();
    }
    let refused = |code: &'static str, e: UpdateError| {
        let czech = match &e {
            UpdateError::Syntax(m) => format!("chyba syntaxe aktualizace: {m}"),
            UpdateError::Target(m) => format!("aktualizace nezapisuje jednu datovou sadu: {m}"),
            UpdateError::Evaluation(m) => format!("aktualizaci nelze provést: {m}"),
        };
        Problem::new(StatusCode::BAD_REQUEST, code, e.to_string())
            .in_czech(czech)
            .into_response()
    };
    let parsed = match update::parse(&text) {
        Ok(p) => p,
        Err(e @ UpdateError::Syntax(_)) => return refused("update-syntax", e),
        Err(e) => return refused("update-target", e),
    };
    let Some((id, current)) = super::store::dataset_of(app, &parsed.graph) else {
        let message = format!("<{}> is not a dataset's graph", parsed.graph);
        return refused("update-target", UpdateError::Target(message));
    };
    let worker = Arc::clone(app);
    let pushed = tokio::task::spawn_blocking(move || {
        let triples = super::store::triples_of(&worker, current.as_slice());
        let content = update::apply(parsed, triples)?;
        let part = crate::push::Part {
            bytes: &content,
            media_type: "application/n-triples",
            name: "updated content",
        };
        Ok::<_, UpdateError>(worker.push().run(&id, None, &[part], None))
    })
    .await
    .expect("the update task panicked");
    match pushed {
        Err(e) => refused("update-evaluation", e),
        Ok(Ok(report)) => axum::Json(report).into_response(),
        Ok(Err(crate::push::PushError::Rejected(r))) => super::api::rejection(r, headers),
        Ok(Err(e)) => super::api::push_problem(e).into_response(),
    }
}

/// Whether the client asks for HTML by name (browsers do; tools that send no `Accept` or
/// `*/*` get results).
fn wants_html(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    accept.is_some_and(|a| a.contains("text/html"))
        && conneg::choose(accept, &["text/html", "application/sparql-results+json"]) == Some(0)
}

/// Why a query got no answer.
enum Failure {
    /// The query's own fault, or its deadline.
    Query(QueryError),
    /// Too many queries are running.
    Busy(u64),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Query(e) => write!(f, "{e}"),
            Self::Busy(n) => write!(
                f,
                "{n} queries are running, the most this server evaluates at once; retry shortly"
            ),
        }
    }
}

impl Failure {
    /// The message in Czech (the engine's own words stay as they are within it).
    fn czech(&self) -> String {
        match self {
            Self::Busy(n) => format!(
                "běží {n} dotazů, nejvíc, kolik tento server vyhodnocuje naráz; zkuste to za chvíli"
            ),
            Self::Query(QueryError::Syntax(e)) => format!("chyba syntaxe dotazu: {e}"),
            Self::Query(QueryError::BadGraph(g)) => format!("`{g}` není IRI"),
            Self::Query(QueryError::Timeout(s)) => {
                format!("dotaz běžel déle než {s} s a byl zastaven")
            }
            Self::Query(QueryError::TooLarge(cap)) => format!(
                "odpověď má víc než {}; zužte dotaz nebo ji stránkujte pomocí LIMIT a OFFSET",
                cap.czech()
            ),
            Self::Query(QueryError::Evaluation(e)) => format!("dotaz nelze vyhodnotit: {e}"),
            Self::Query(QueryError::NotInRdfXml(p)) => format!(
                "RDF/XML nedokáže zapsat vlastnost <{p}> (nekončí jménem přípustným v XML): \
                 požádejte o jinou syntaxi"
            ),
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let (message, czech) = (self.to_string(), self.czech());
        let (status, code) = match &self {
            Self::Busy(_) => (StatusCode::SERVICE_UNAVAILABLE, "too-many-queries"),
            Self::Query(QueryError::Syntax(_)) => (StatusCode::BAD_REQUEST, "query-syntax"),
            Self::Query(QueryError::BadGraph(_)) => (StatusCode::BAD_REQUEST, "bad-graph"),
            Self::Query(QueryError::Timeout(_)) => {
                (StatusCode::SERVICE_UNAVAILABLE, "query-timeout")
            }
            Self::Query(QueryError::TooLarge(_)) => (StatusCode::BAD_REQUEST, "result-too-large"),
            Self::Query(QueryError::Evaluation(_)) => (StatusCode::BAD_REQUEST, "query-evaluation"),
            Self::Query(QueryError::NotInRdfXml(_)) => {
                (StatusCode::NOT_ACCEPTABLE, "not-acceptable")
            }
        };
        let mut response = Problem::new(status, code, message)
            .in_czech(czech)
            .into_response();
        if matches!(self, Self::Busy(_)) {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

/// Evaluates a query (from the cache when the same one was answered since the last publish)
/// within the caps, the deadline and the concurrency cap. The answer and whether it was a
/// cache `hit` or `miss`.
async fn run(
    app: &Arc<App>,
    text: String,
    parsed: sparql::Parsed,
    protocol: Protocol,
    media_type: &'static str,
) -> Result<(Bytes, &'static str), Failure> {
    let key = CacheKey {
        generation: app.storage.registry().generation(),
        query: text,
        default_graphs: protocol.default_graphs.clone(),
        named_graphs: protocol.named_graphs.clone(),
        media_type,
    };
    let settings = app.config.sparql;
    let cached = settings.cache_bytes > 0;
    if let Some(body) = cached.then(|| app.sparql.cache.get(&key)).flatten() {
        return Ok((body, "hit"));
    }
    // Beyond the cap on concurrent queries, ask the client to come back rather than queue.
    let Ok(permit) = Arc::clone(&app.sparql.permits).try_acquire_owned() else {
        return Err(Failure::Busy(settings.max_concurrent));
    };
    let caps = sparql::Caps {
        rows: settings.max_rows,
        bytes: settings.max_bytes,
    };
    let worker = Arc::clone(app);
    let token = oxigraph::sparql::CancellationToken::new();
    let deadline = (token.clone(), settings.timeout);
    let evaluation = tokio::task::spawn_blocking(move || {
        // The permit is held until the evaluation has really stopped.
        let _permit = permit;
        sparql::evaluate(
            &worker.storage,
            parsed,
            &protocol,
            media_type,
            deadline,
            caps,
        )
    });
    // At the deadline the client hears so, and the evaluation is cancelled.
    let timeout = Duration::from_secs(settings.timeout);
    let answered = match tokio::time::timeout(timeout, evaluation).await {
        Ok(joined) => joined.expect("query evaluation panicked"),
        Err(_) => {
            token.cancel();
            Err(QueryError::Timeout(settings.timeout))
        }
    };
    let body = Bytes::from(answered.map_err(Failure::Query)?);
    if cached {
        app.sparql.cache.insert(key, body.clone());
    }
    Ok((body, "miss"))
}

/// A 200 answer in `media_type`; `cache` says whether it came from the result cache.
fn answer(body: Bytes, media_type: &str, cache: &'static str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let h = response.headers_mut();
    let content_type = match media_type {
        "application/sparql-results+json" | "application/json" | "application/ld+json" => {
            media_type.to_owned()
        }
        _ => format!("{media_type}; charset=utf-8"),
    };
    if let Ok(v) = HeaderValue::from_str(&content_type) {
        h.insert(header::CONTENT_TYPE, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    h.insert("x-datafond-cache", HeaderValue::from_static(cache));
    response
}

/// The SPARQL service description of the endpoint, in the RDF syntax `Accept` prefers.
fn service_description(app: &App, headers: &HeaderMap) -> Response {
    let endpoint = format!("{}sparql", app.config.base);
    let turtle = format!(
        "@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .\n\
         @prefix formats: <http://www.w3.org/ns/formats/> .\n\
         <{endpoint}> a sd:Service ;\n\
         \tsd:endpoint <{endpoint}> ;\n\
         \tsd:supportedLanguage sd:SPARQL11Query ;\n\
         \tsd:resultFormat formats:SPARQL_Results_JSON, formats:SPARQL_Results_XML, \
         formats:SPARQL_Results_CSV, formats:SPARQL_Results_TSV, formats:Turtle, \
         formats:N-Triples, formats:JSON-LD, formats:RDF_XML ;\n\
         \tsd:feature sd:UnionDefaultGraph ;\n\
         \tsd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .\n"
    );
    super::described::turtle_answer(&turtle, headers, "the service description")
}
