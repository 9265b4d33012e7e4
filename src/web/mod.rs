//! The HTTP server: the router, the shared application state, and authentication of writes.
//! Handlers stay thin: they call [`crate::push`], [`crate::describe`] and the registry.

mod api;
mod compress;
mod conditional;
mod described;
mod error_page;
mod home;
mod iri_path;
pub mod language;
mod params;
pub mod problem;
pub(crate) mod quads;
mod ranges;
pub mod read;
pub mod resolver;
pub mod sparql;
mod store;
mod views;
pub(crate) mod workers;

use crate::config::Config;
use crate::norm::Norms;
use crate::push::Push;
use crate::store::Storage;
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::get;
use axum::Router;
use problem::Problem;
use std::sync::Arc;
use tower_http::compression::predicate::{DefaultPredicate, NotForContentType, Predicate};
use tower_http::compression::CompressionLayer;

/// What every handler shares.
pub struct App {
    /// The settings.
    pub config: Config,
    /// The loaded norms.
    pub norms: Norms,
    /// The store, files and registry.
    pub storage: Storage,
    /// Rendered views, bounded in bytes (config `cache_bytes`).
    pub views: read::ViewCache,
    /// Labels of IRIs, shared by all views until the next publish.
    pub labels: crate::describe::LabelCache,
    /// The rows of code lists' items, for their pages.
    pub list_rows: crate::describe::code_list::RowsCache,
    /// The routing rules in force.
    pub routes: crate::resolve::live::Live,
    /// The SPARQL endpoint's permits and result cache.
    pub sparql: sparql::Endpoint,
    /// Permits for views answered on the blocking pool (see [`read::long_view_permits`]).
    pub long_views: Arc<tokio::sync::Semaphore>,
    /// Permits for whole datasets streamed from the store (config `max_streams`).
    pub streams: Arc<tokio::sync::Semaphore>,
}

impl App {
    /// The push pipeline with this server's settings.
    pub fn push(&self) -> Push<'_> {
        Push {
            storage: &self.storage,
            norms: &self.norms,
            base: &self.config.base,
            limits: self.config.limits,
            license: self.config.license.as_deref(),
        }
    }

    /// Checks the bearer token of a write.
    fn authorize(&self, headers: &HeaderMap) -> Result<(), Problem> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let problem = |en: &str, cs: &str| {
            Problem::new(StatusCode::UNAUTHORIZED, "unauthorized", en).in_czech(cs)
        };
        match token {
            _ if self.config.tokens.is_empty() => Err(problem(
                "writes are disabled: no write token is configured ([auth] tokens or \
                 DATAFOND_AUTH_TOKENS)",
                "zápis je vypnutý: není nastaven žádný token pro zápis ([auth] tokens nebo \
                 DATAFOND_AUTH_TOKENS)",
            )),
            None => Err(problem(
                "send a write token as `Authorization: Bearer <token>`",
                "pošlete token pro zápis jako `Authorization: Bearer <token>`",
            )),
            Some(t)
                if self
                    .config
                    .tokens
                    .iter()
                    .any(|known| constant_time_eq(known, t)) =>
            {
                Ok(())
            }
            Some(_) => Err(problem(
                "the token is not a write token of this server",
                "token není tokenem pro zápis na tento server",
            )),
        }
    }
}

/// Compares tokens without an early exit on the first differing byte.
fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// The whole HTTP surface: the resolver for reference hosts, then the router.
pub fn service(app: Arc<App>) -> resolver::ByHost {
    resolver::ByHost::new(Arc::clone(&app), router(app))
}

/// The router of the HTTP surface under `base`.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(home::home))
        .route("/api/v1/datasets", get(api::list_datasets))
        .route(
            "/api/v1/datasets/{*id}",
            get(api::get_dataset).put(api::put_dataset),
        )
        .route("/sparql", get(sparql::endpoint).post(sparql::endpoint))
        .route("/.well-known/void", get(described::void))
        .route(
            "/store",
            get(store::graph_store)
                .put(store::graph_store)
                .post(store::graph_store)
                .delete(store::graph_store),
        )
        // Query results and graphs can be large: gzipped, as they stream, for clients that take
        // it. Views and files come gzipped their own way (compressed once, kept).
        .route_layer(compression())
        .route(
            "/health",
            get(|| async { axum::Json(serde_json::json!({ "status": "ok" })) }),
        )
        .route("/assets/datafond.css", get(stylesheet))
        .route("/resolve", get(resolver::lookup))
        .fallback(read::dereference)
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&app),
            error_page::for_browsers,
        ))
        .with_state(app)
        .layer(cors())
}

/// gzip for clients that take it, at the fastest level: results are compressed as they stream,
/// and a query answer should not wait on its compression. Problems stay as they are: they are
/// small, and a browser's is turned into a page ([`error_page`]) after this layer.
fn compression() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .quality(tower_http::CompressionLevel::Fastest)
        .compress_when(
            DefaultPredicate::new().and(NotForContentType::const_new("application/problem+json")),
        )
}

/// CORS on every response (errors and redirects too), with the headers clients need to read
/// exposed; preflight requests are answered.
fn cors() -> tower_http::cors::CorsLayer {
    use axum::http::Method;
    use tower_http::cors::{Any, CorsLayer};
    CorsLayer::new()
        .allow_origin(Any)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::POST,
            Method::DELETE,
            Method::OPTIONS,
        ])
        .allow_headers(Any)
        .expose_headers([
            header::LINK,
            header::ETAG,
            header::LOCATION,
            header::CONTENT_LOCATION,
            header::LAST_MODIFIED,
            header::VARY,
        ])
}

/// The server's own stylesheet (no CDN).
async fn stylesheet() -> impl axum::response::IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        include_str!("../../assets/datafond.css"),
    )
}

/// An IRI in its wire form for HTTP headers: non-ASCII characters percent-encoded as UTF-8.
pub fn wire_iri(iri: &str) -> String {
    use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};
    // Non-ASCII bytes are always encoded; of ASCII, only what an IRI cannot hold literally.
    const UNSAFE: &AsciiSet = &CONTROLS.add(b' ').add(b'"').add(b'<').add(b'>');
    // Most IRIs need no encoding: one copy, no formatting machinery.
    String::from(std::borrow::Cow::from(utf8_percent_encode(iri, UNSAFE)))
}
