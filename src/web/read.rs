//! The read path for any other path: the IRI is `base` + the decoded path. A distribution file's
//! URL serves the file; any other IRI the store holds data about gets its views
//! (`views`).

use super::compress;
use super::conditional;
use super::params::Params;
use super::problem::Problem;
use super::quads::{self, QuadSyntax};
use super::ranges;
use super::views;
use super::App;
use crate::render::Format;
use crate::store::registry::ServedFile;
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Most quads a view reads from each index range on the connection's async worker (a few
/// milliseconds of reading at most, label lookups counted too); a resource with more is read on
/// the blocking pool, so that no worker stalls.
const INLINE_QUADS: usize = 256;

/// The highest page number of backlinks or items asked for (higher numbers ask for this one).
const MAX_PAGE: usize = u32::MAX as usize;

/// Answers GET and HEAD on any path the router does not name; PUT, POST and DELETE at a
/// dataset's IRI are Graph Store Protocol writes (`store::direct`).
pub async fn dereference(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    Params(mut query): Params<ReadQuery>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    if method != Method::GET && method != Method::HEAD {
        let writes = [Method::PUT, Method::POST, Method::DELETE];
        if let (true, Some(path)) = (writes.contains(&method), request_path(&uri)) {
            let iri = format!("{}{path}", app.config.base);
            if let Some(response) =
                super::store::direct(app, method.clone(), &iri, headers, body).await
            {
                return response;
            }
        }
        let mut response = Problem::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method-not-allowed",
            format!("{method} is not allowed here; resources are read with GET or HEAD"),
        )
        .in_czech(format!(
            "metoda {method} zde není povolena; zdroje se čtou metodou GET nebo HEAD"
        ))
        .into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let Some(mut path) = read_path(&app, &uri) else {
        return views::not_found(uri.path().trim_start_matches('/'));
    };
    // An IRI may hold a `?`: when the query is none of ours and the path names nothing, the
    // path with its query may.
    let theirs = uri.query().filter(|_| query.is_empty());
    if let Some(with_query) = theirs.and_then(|q| iri_with_query(&app, &uri, &path, q)) {
        (path, query) = (with_query, ReadQuery::default());
    }
    let chosen = match super::language::chosen(query.lang.as_deref()) {
        Ok(chosen) => chosen.map(str::to_owned),
        Err(bad) => return *bad,
    };
    let iri = format!("{}{path}", app.config.base);
    let file = app.storage.registry().file(&iri).cloned();
    let mut response = match file {
        Some(file) => serve_file(&file, &headers).await,
        None => view(&app, path, query, &headers).await,
    };
    super::language::remember(&mut response, chosen.as_deref());
    if method == Method::HEAD {
        // HEAD answers like GET: the same Content-Length, no body.
        let length = axum::body::HttpBody::size_hint(response.body()).exact();
        if let (false, Some(length)) = (
            response.headers().contains_key(header::CONTENT_LENGTH),
            length,
        ) {
            response
                .headers_mut()
                .insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        *response.body_mut() = Body::empty();
    }
    response
}

/// A resource's view, from the cache when the same request was answered since the last publish.
async fn view(app: &Arc<App>, path: String, query: ReadQuery, headers: &HeaderMap) -> Response {
    let format = query.format.filter(|f| !f.is_empty());
    let names_format =
        |f: &str| Format::from_name(f).is_some() || QuadSyntax::from_name(f).is_some();
    if let Some(unknown) = format.as_deref().filter(|f| !names_format(f)) {
        let views = Format::ALL.iter().map(|f| f.ext());
        let known: Vec<&str> = views.chain(QuadSyntax::ALL.map(QuadSyntax::ext)).collect();
        let known = known.join(", ");
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-parameter",
            format!("`format={unknown}` names no format; one of: {known}"),
        )
        .in_czech(format!(
            "`format={unknown}` neoznačuje žádný formát; jeden z: {known}"
        ))
        .into_response();
    }
    // Pages past any list's end are empty; bounded, their offsets cannot overflow.
    let page_number = |page: Option<usize>| page.unwrap_or(1).clamp(1, MAX_PAGE);
    let page = views::Paging {
        backlinks: page_number(query.backlinks),
        items: page_number(query.items),
        values: page_number(query.values),
        sort: crate::describe::code_list::Sort::from_name(query.sort.as_deref()),
    };
    // Read before describing: a publish racing with this view makes it older, not fresher.
    let generation = app.storage.registry().generation();
    let key = ViewKey {
        routes: app.routes.generation(),
        path: path.clone(),
        format: format.clone(),
        asked: views::Asked::of(headers, query.lang.as_deref(), &app.config.languages),
        page,
    };
    // A whole dataset in a syntax that names graphs: streamed, never a cached view.
    let quads = key.asked.quads;
    if let Some(answer) = quads::at_dataset(app, &path, format.as_deref(), quads, headers) {
        return answer;
    }
    if let Some(cached) = app.views.get(&key) {
        let now = {
            let registry = app.storage.registry();
            (!registry.changed_since(cached.generation, &cached.rendered.deps))
                .then(|| registry.generation())
        };
        if let Some(now) = now {
            if now != cached.generation {
                // Still good: remember it as checked up to now.
                app.views.insert(
                    key,
                    Arc::new(CachedView {
                        rendered: Arc::clone(&cached.rendered),
                        generation: now,
                    }),
                );
            }
            return with_cache_status(respond(app, &cached.rendered, headers).await, "HIT");
        }
    }
    // Never cached as a view (answered before one is made): looked for on a miss only. A
    // document's CSV named explicitly is its whole table too, the same bytes as its file.
    let explicit = format.as_deref().and_then(Format::from_name);
    let wanted = match explicit {
        None => key.asked.format.map(|f| (f, key.asked.expanded)),
        Some(Format::Csv) => Some((Format::Csv, false)),
        Some(_) => None,
    };
    if let Some((wanted, expanded)) = wanted {
        if let Some(file) = views::large_document_file(app, &path, wanted, expanded) {
            return document_file(&file, &path, wanted, explicit.is_none(), headers).await;
        }
    }
    let asked = &key.asked;
    // A resource's view is a few index reads, answered right here (a hand-off to the blocking
    // pool would cost a fifth of the work); a read that turns out to be long (a large
    // resource, a long history), or a page that also reads a code list's items or a norm's
    // table, goes to the blocking pool.
    let inline = views::answer(
        app,
        &path,
        format.as_deref(),
        asked,
        page,
        Some(INLINE_QUADS),
    );
    let answered = match inline {
        Ok(Some(rendered)) => Ok(rendered),
        Err(response) => Err(response),
        Ok(None) => {
            let app = Arc::clone(app);
            let asked = asked.clone();
            let permit = Arc::clone(&app.long_views)
                .acquire_owned()
                .await
                .expect("the permits of long views are never closed");
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                views::answer(&app, &path, format.as_deref(), &asked, page, None)
                    .map(|r| r.expect("an unbounded view always answers"))
            })
            .await
            .expect("answering panicked")
        }
    };
    match answered {
        Ok(rendered) => {
            let rendered = Arc::new(rendered);
            let response = respond(app, &rendered, headers).await;
            app.views.insert(
                key,
                Arc::new(CachedView {
                    rendered,
                    generation,
                }),
            );
            with_cache_status(response, "MISS")
        }
        Err(response) => *response,
    }
}

/// The answer of a rendered view to a request with `headers`. A large body a client takes
/// gzipped, not yet compressed, is compressed on the blocking pool (a code list's page can take
/// tens of milliseconds) with a permit of the long views, then kept with the view.
async fn respond(app: &App, rendered: &Arc<views::Rendered>, headers: &HeaderMap) -> Response {
    if rendered.body.len() > INLINE_GZIP_BYTES && rendered.needs_gzipping(headers) {
        let permit = Arc::clone(&app.long_views)
            .acquire_owned()
            .await
            .expect("the permits of long views are never closed");
        let rendered = Arc::clone(rendered);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            rendered.gzipped();
        })
        .await
        .expect("gzip panicked");
    }
    rendered.respond(headers)
}

/// Bodies up to this size are gzipped right on the connection's worker (well under a
/// millisecond).
const INLINE_GZIP_BYTES: usize = 64 * 1024;

/// Permits for views answered on the blocking pool, two per core: a long view (a large
/// resource, a code list's page, a long history) waits for one instead of taking a thread of its own,
/// so many at once (a crawler) cannot hold hundreds of threads, each with a page of megabytes in
/// memory, while the short views answered on the workers go on.
pub fn long_view_permits() -> Arc<tokio::sync::Semaphore> {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    Arc::new(tokio::sync::Semaphore::new(2 * cores))
}

/// `X-Cache`: whether the view came from the cache (`HIT`) or was rendered (`MISS`).
fn with_cache_status(mut response: Response, status: &'static str) -> Response {
    response
        .headers_mut()
        .insert("x-cache", HeaderValue::from_static(status));
    response
}

/// A cached view and the registry generation it is known good at. Publishes after that
/// generation that touch none of its dependencies leave it good (see
/// [`crate::store::changes`]); any other one makes it stale, and it is rendered again.
pub struct CachedView {
    rendered: Arc<views::Rendered>,
    generation: u64,
}

/// What selects a cached view: the request (path, parameters, the headers negotiation reads)
/// and the routes generation, which changes with every rules reload.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ViewKey {
    routes: u64,
    path: String,
    format: Option<String>,
    /// What the headers negotiate.
    asked: views::Asked,
    page: views::Paging,
}

/// The in-memory cache of rendered views, bounded in bytes.
pub type ViewCache = moka::sync::Cache<ViewKey, Arc<CachedView>>;

/// A view cache holding at most `max_bytes` of bodies and headers.
pub fn view_cache(max_bytes: u64) -> ViewCache {
    moka::sync::Cache::builder()
        .max_capacity(max_bytes)
        .weigher(|key: &ViewKey, value: &Arc<CachedView>| {
            let value = &value.rendered;
            let headers: usize = value
                .headers
                .iter()
                .map(|(n, v)| n.as_str().len() + v.len())
                .sum();
            // A quarter of the body more for its gzipped copy, kept once a client takes it.
            let bytes = value.body.len() * 5 / 4 + headers + value.deps.bytes();
            u32::try_from(bytes + key.path.len() + 16 * key.asked.languages.len() + 64)
                .unwrap_or(u32::MAX)
        })
        .build()
}

/// Query parameters of a read.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ReadQuery {
    /// An explicit format (`ttl`, `jsonld`, `nt`, `rdf`, `csv`, `html`; `trig`, `nq` for a
    /// dataset or a version).
    format: Option<String>,
    /// The page of backlinks (from 1).
    backlinks: Option<usize>,
    /// The page of a code list's items (from 1).
    items: Option<usize>,
    /// The page of long properties' values (from 1).
    values: Option<usize>,
    /// The order of a code list's items: `code`, `name` or `begin`.
    sort: Option<String>,
    /// The language to read in first (a tag; kept in a cookie for the next pages; empty:
    /// forget the kept one). See [`super::language`].
    lang: Option<String>,
}

impl ReadQuery {
    /// Whether it sets no parameter of ours.
    fn is_empty(&self) -> bool {
        let Self {
            format,
            backlinks,
            items,
            values,
            sort,
            lang,
        } = self;
        format.is_none()
            && backlinks.is_none()
            && items.is_none()
            && values.is_none()
            && sort.is_none()
            && lang.is_none()
    }
}

/// The IRI path a request names, without its leading `/` (see [`super::iri_path`]).
fn request_path(uri: &Uri) -> Option<String> {
    super::iri_path::candidates(uri.path()).into_iter().next()
}

/// The IRI path a request to read names: of the paths it may name (see
/// [`super::iri_path::candidates`]), the first that names a file or something the store knows,
/// else the first.
fn read_path(app: &App, uri: &Uri) -> Option<String> {
    let mut paths = super::iri_path::candidates(uri.path());
    if paths.len() > 1 {
        if let Some(at) = paths.iter().position(|p| known(app, p)) {
            return Some(paths.swap_remove(at));
        }
    }
    paths.into_iter().next()
}

/// The IRI path `path` with the request's `query`, when `path` names nothing and it does: a
/// resource whose IRI holds a `?` (`…/q?x=1`), asked for by that IRI itself.
fn iri_with_query(app: &App, uri: &Uri, path: &str, query: &str) -> Option<String> {
    if known(app, path) {
        return None;
    }
    let candidates = super::iri_path::candidates(&format!("{}?{query}", uri.path()));
    candidates.into_iter().find(|p| known(app, p))
}

/// Whether `path` names a file or something the store knows.
fn known(app: &App, path: &str) -> bool {
    let iri = format!("{}{path}", app.config.base);
    app.storage.registry().file(&iri).is_some() || views::known(app, path)
}

/// A norm's large document asked for at its dataset's IRI (see
/// [`views::large_document_file`]): its file, answered as the file is, naming it
/// (`Content-Location`), and varying by `Accept` when `negotiated`.
async fn document_file(
    file: &ServedFile,
    path: &str,
    format: Format,
    negotiated: bool,
    headers: &HeaderMap,
) -> Response {
    let mut response = serve_file(file, headers).await;
    let location = super::wire_iri(&format!("/{path}.{}", format.ext()));
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::CONTENT_LOCATION, v);
    }
    if negotiated {
        vary(&mut response, "Accept");
    }
    response
}

/// Serves a distribution file: validators, 304, the gzipped copy when the client takes gzip,
/// and one byte range when asked (a broken-off download resumes).
async fn serve_file(file: &ServedFile, headers: &HeaderMap) -> Response {
    let gzip = file
        .gz_path
        .as_ref()
        .filter(|_| compress::accepts_gzip(headers));
    let etag = match gzip {
        Some(_) => compress::gzip_etag(&file.etag),
        None => file.etag.clone(),
    };
    let dated = conditional::date_is_final(file.modified);
    let last_modified = dated.then_some(file.modified);
    let mut response = if conditional::not_modified(headers, &etag, last_modified) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let path = gzip.unwrap_or(&file.path);
        let answered = async {
            let f = tokio::fs::File::open(path).await?;
            let length = f.metadata().await?.len();
            let wanted = ranges::wanted(headers, length, &etag, last_modified);
            file_part(f, length, wanted).await
        };
        let mut response = match answered.await {
            Ok(response) => response,
            Err(e) => {
                tracing::error!("cannot read {}: {e}", path.display());
                return Problem::internal(
                    format!("the file cannot be read: {e}"),
                    format!("soubor nelze přečíst: {e}"),
                )
                .into_response();
            }
        };
        if response.status() != StatusCode::RANGE_NOT_SATISFIABLE {
            set_content_type(&mut response, &file.media_type);
            if gzip.is_some() {
                response
                    .headers_mut()
                    .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
            }
        }
        response
    };
    let h = response.headers_mut();
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, etag);
    }
    if dated {
        h.insert(
            header::LAST_MODIFIED,
            conditional::last_modified(file.modified),
        );
    }
    h.insert(
        header::CACHE_CONTROL,
        conditional::cache_control(file.immutable),
    );
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    vary(&mut response, "Accept-Encoding");
    response
}

/// The answer with what `wanted` asks of the open file `f` of `length` bytes: all of it (200),
/// one range (206 with `Content-Range`), or 416 naming the length.
async fn file_part(
    mut f: tokio::fs::File,
    length: u64,
    wanted: ranges::Wanted,
) -> std::io::Result<Response> {
    use tokio::io::{AsyncReadExt, AsyncSeekExt};
    let stream = |f| Body::from_stream(tokio_util::io::ReaderStream::new(f));
    let (status, body, sent, range) = match wanted {
        ranges::Wanted::Whole => (StatusCode::OK, stream(f.take(length)), length, None),
        ranges::Wanted::Part { start, end } => {
            f.seek(std::io::SeekFrom::Start(start)).await?;
            let sent = end - start + 1;
            let range = format!("bytes {start}-{end}/{length}");
            (
                StatusCode::PARTIAL_CONTENT,
                stream(f.take(sent)),
                sent,
                Some(range),
            )
        }
        ranges::Wanted::Unsatisfiable => {
            let mut response = Problem::new(
                StatusCode::RANGE_NOT_SATISFIABLE,
                "range-not-satisfiable",
                format!("the file has {length} bytes"),
            )
            .in_czech(format!("soubor má {length} bajtů"))
            .into_response();
            let range = HeaderValue::from_str(&format!("bytes */{length}")).expect("ASCII");
            response.headers_mut().insert(header::CONTENT_RANGE, range);
            return Ok(response);
        }
    };
    let mut response = (status, body).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_LENGTH, HeaderValue::from(sent));
    if let Some(range) = range {
        h.insert(
            header::CONTENT_RANGE,
            HeaderValue::from_str(&range).expect("ASCII"),
        );
    }
    Ok(response)
}

/// `Content-Type` with `charset=utf-8` (every syntax served is UTF-8 text).
pub(super) fn set_content_type(response: &mut Response, media_type: &str) {
    if let Ok(value) = HeaderValue::from_str(&format!("{media_type}; charset=utf-8")) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
}

fn vary(response: &mut Response, on: &'static str) {
    response
        .headers_mut()
        .append(header::VARY, HeaderValue::from_static(on));
}
