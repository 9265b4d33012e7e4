//! A resource's views: which resource and representation a request asks for (suffix,
//! `?format=`, or negotiation of `Accept` and `Accept-Language`), the 303 pattern, and the
//! answer with its validators and links.

mod asked;
mod beyond;
mod linked_only;
mod target;

pub use asked::Asked;
use beyond::{document_graphs, list_items, norm_table, reads_beyond_description, resource_history};
pub use beyond::{large_document_file, Paging};
use target::files_at;
pub use target::{known, Target};

use super::compress;
use super::conditional;
use super::problem::Problem;
use super::{wire_iri, App};
use crate::describe::code_list;
use crate::describe::dataset::{describe_dataset, describe_version_record, void_triples};
use crate::describe::{
    complete, describe, describe_version, ontology_version, with_whole_graphs, Description,
};
use crate::render::{csv, html, jsonld, rdf, Alternate, Format};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use oxigraph::store::StorageError;
use sha2::Digest;

/// The path prefix of document URLs in the 303 pattern: `/doc/<path>` describes `base` + path.
pub const DOC_PREFIX: &str = "doc/";

/// What a path names.
pub enum Resolved {
    /// A resource and its description.
    Found(Target, Box<Description>),
    /// Nothing the store knows.
    Nothing,
    /// Reading it would pass the bound given for reads on an async worker.
    TooLarge,
}

/// Finds the resource `path` (decoded, without the leading `/`) names and describes it, in one
/// pass: `base` + path, else an ontology's version IRI, else `base` + stem when the path ends in a
/// format suffix. With `within` (on an async worker), only a view within that bound is read (see
/// [`describe`] and [`complete`]); anything more — a page that also reads a code list's items, a
/// history or a norm's table, an ontology's page, a whole version graph — is
/// [`Resolved::TooLarge`].
pub fn resolve(
    app: &App,
    path: &str,
    format_param: Option<&str>,
    negotiated: Option<Format>,
    paging: Paging,
    within: Option<usize>,
) -> Result<Resolved, StorageError> {
    let (document, path) = match path.strip_prefix(DOC_PREFIX) {
        Some(rest) => (true, rest),
        None => (false, path),
    };
    let mut candidates = vec![(path, format_param.and_then(Format::from_name))];
    if let Some((stem, ext)) = path.rsplit_once('.') {
        if let Some(format) = Format::from_name(ext).filter(|f| f.ext() == ext) {
            candidates.push((stem, Some(format)));
        }
    }
    for (path, explicit) in candidates {
        let Ok(iri) = NamedNode::new(format!("{}{path}", app.config.base)) else {
            continue;
        };
        let mut target = Target {
            path: path.to_owned(),
            explicit,
            document,
            version: None,
            files: Vec::new(),
        };
        let format = explicit.or(negotiated);
        let values_page = (format == Some(Format::Html)).then_some(paging.values);
        let Some(description) = describe(&app.storage, iri.as_ref(), within, values_page)? else {
            return Ok(Resolved::TooLarge);
        };
        if !description.is_empty() {
            let description = with_void(app, description);
            return found(app, target, description, format, paging, within);
        }
        if let Some((graph, ontology)) = ontology_version(&app.storage, iri.as_ref())? {
            if within.is_some() {
                // A whole version graph: not on an async worker.
                return Ok(Resolved::TooLarge);
            }
            let description = describe_version(&app.storage, &graph, &ontology)?;
            target.version = Some((graph, ontology));
            target.files = files_at(app, iri.as_str());
            return Ok(Resolved::Found(target, Box::new(description)));
        }
        let registry = app.storage.registry();
        let described = describe_dataset(&app.config.base, &registry, &app.norms, iri.as_str())
            .or_else(|| describe_version_record(&registry, iri.as_str()));
        drop(registry);
        if let Some(description) = described {
            return found(app, target, description, format, paging, within);
        }
    }
    Ok(Resolved::Nothing)
}

/// The view of a resource found: for the RDF formats its triples alone; for pages (HTML, CSV,
/// JSON-LD) with what they show besides — labels, backlinks, schema links — unless that would
/// pass `within`, or the page reads more than its description (then [`Resolved::TooLarge`]).
fn found(
    app: &App,
    mut target: Target,
    description: Description,
    format: Option<Format>,
    paging: Paging,
    within: Option<usize>,
) -> Result<Resolved, StorageError> {
    // Which formats' suffix URLs are files: only for what was found, not every candidate path.
    target.files = files_at(app, &format!("{}{}", app.config.base, target.path));
    // The RDF formats carry the triples only: no labels or backlinks to read for them; a
    // norm's document (a code list, an ontology), its whole dataset (not on an async worker).
    if format.and_then(Format::rdf).is_some() {
        let mut description = description;
        let graphs = document_graphs(app, &description);
        if !graphs.is_empty() {
            if within.is_some() {
                return Ok(Resolved::TooLarge);
            }
            with_whole_graphs(&app.storage, &mut description, &graphs)?;
        }
        return Ok(Resolved::Found(target, Box::new(description)));
    }
    // A page that reads more than its description is never made on an async worker: known
    // before its backlinks and labels are read.
    if within.is_some() && format.is_some_and(|f| reads_beyond_description(app, f, &description)) {
        return Ok(Resolved::TooLarge);
    }
    Ok(
        match complete_page(app, description, paging.backlinks, within)? {
            Some(description) => Resolved::Found(target, Box::new(description)),
            None => Resolved::TooLarge,
        },
    )
}

/// What a page shows besides the description: labels, backlinks (page `backlinks_page`),
/// schema links; `None` when reading them would pass `within` (see [`complete`]).
fn complete_page(
    app: &App,
    description: Description,
    backlinks_page: usize,
    within: Option<usize>,
) -> Result<Option<Description>, StorageError> {
    complete(
        &app.storage,
        &app.labels,
        description,
        backlinks_page,
        within,
    )
}

/// A dataset's IRI that the data also describes (its licence, say) still says what the dataset
/// is: its VoID description joins the data's triples.
fn with_void(app: &App, mut description: Description) -> Description {
    let registry = app.storage.registry();
    if let Some((id, _)) = registry.dataset_with_iri(&description.iri) {
        for t in void_triples(&app.config.base, &registry, id, &app.norms) {
            if !description.triples.contains(&t) {
                description.triples.push(t);
            }
        }
    }
    description
}

/// Whether `target` answers with the 303 pattern: its path has a configured `see_other` prefix,
/// or the norm of a dataset it comes from says so. Explicit formats and document URLs never
/// redirect.
pub fn uses_see_other(app: &App, target: &Target, description: &Description) -> bool {
    if target.document || target.explicit.is_some() {
        return false;
    }
    app.config
        .see_other
        .iter()
        .any(|p| target.path.starts_with(p.as_str()))
        || description
            .versions
            .iter()
            .filter_map(|v| app.norms.get(&v.norm))
            .any(|norm| norm.see_other)
}

/// The 303 from a thing IRI to its document URL (which then negotiates).
pub fn see_other(target: &Target) -> Response {
    let location = wire_iri(&format!("/{DOC_PREFIX}{}", target.path));
    let mut response = StatusCode::SEE_OTHER.into_response();
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::LOCATION, v);
    }
    h.insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// A rendered view: its headers (without the validator check) and body, and the body gzipped
/// once a client takes it so. Cached as is.
#[derive(Clone)]
pub struct Rendered {
    /// Headers of the 200 answer.
    pub headers: HeaderMap,
    /// The body.
    pub body: axum::body::Bytes,
    /// The body gzipped, made when first asked for.
    gzipped: std::sync::OnceLock<axum::body::Bytes>,
    /// Its strong validator.
    pub etag: String,
    /// When what it shows was published (Unix seconds): its `Last-Modified`.
    pub modified: u64,
    /// What it shows, so that publishes touching none of it keep it cached.
    pub deps: crate::store::changes::Dependencies,
}

impl Rendered {
    /// The answer to a request with `request` headers: 304 when its validators show the
    /// client's copy current (the variant is already chosen), else 200; gzipped, with a tag of
    /// its own, when the client takes gzip and the body is worth compressing.
    pub fn respond(&self, request: &HeaderMap) -> Response {
        let dated = conditional::date_is_final(self.modified);
        let modified = dated.then_some(self.modified);
        let gzip = self.compressible() && compress::accepts_gzip(request);
        let etag: std::borrow::Cow<'_, str> = match gzip {
            true => compress::gzip_etag(&self.etag).into(),
            false => self.etag.as_str().into(),
        };
        let mut response = if conditional::not_modified(request, &etag, modified) {
            StatusCode::NOT_MODIFIED.into_response()
        } else if gzip {
            Response::new(axum::body::Body::from(self.gzipped().clone()))
        } else {
            Response::new(axum::body::Body::from(self.body.clone()))
        };
        // One copy of the whole map: no per-header hashing on the cached path.
        *response.headers_mut() = self.headers.clone();
        let h = response.headers_mut();
        if !dated {
            h.remove(header::LAST_MODIFIED);
        }
        if gzip {
            h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ASCII"));
        }
        if gzip && response.status() == StatusCode::OK {
            let h = response.headers_mut();
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        }
        response
    }

    /// Whether the body is large enough to be sent gzipped to clients that take it.
    fn compressible(&self) -> bool {
        self.body.len() >= compress::MIN_BYTES
    }

    /// Whether answering `request` would gzip the body now (it was not yet).
    pub fn needs_gzipping(&self, request: &HeaderMap) -> bool {
        self.compressible() && self.gzipped.get().is_none() && compress::accepts_gzip(request)
    }

    /// The body gzipped: compressed on the first call, kept after.
    pub fn gzipped(&self) -> &axum::body::Bytes {
        self.gzipped.get_or_init(|| compress::gzip(&self.body))
    }
}

/// The view `path` asks for, for a request with `headers`: resolves and describes the resource,
/// negotiates, renders, and sets the headers. Anything but a 200 (404, 303, 406, 500) comes back
/// as the answer itself. Blocking: reads the store. With `within` (on an async worker), `None`
/// when the view would read more than that many quads; without, always an answer.
pub fn answer(
    app: &App,
    path: &str,
    format_param: Option<&str>,
    asked: &Asked,
    paging: Paging,
    within: Option<usize>,
) -> Result<Option<Rendered>, Box<Response>> {
    let backlinks_page = paging.backlinks;
    let (target, mut description) =
        match resolve(app, path, format_param, asked.format, paging, within) {
            Ok(Resolved::Found(target, description)) => (target, description),
            Ok(Resolved::Nothing) => {
                return match linked_only::answer(
                    app,
                    path,
                    format_param,
                    asked,
                    backlinks_page,
                    within,
                ) {
                    Ok(Some(response)) => Err(Box::new(response)),
                    Ok(None) => Ok(None),
                    Err(e) => Err(Box::new(internal(path, &e))),
                };
            }
            Ok(Resolved::TooLarge) => return Ok(None),
            Err(e) => return Err(Box::new(internal(path, &e))),
        };
    description.references = app.routes.get().references(&description.iri);
    if uses_see_other(app, &target, &description) {
        return Err(Box::new(see_other(&target)));
    }
    let negotiated = target.explicit.is_none();
    let format = match target.explicit.or(asked.format) {
        Some(f) => f,
        None => return Err(Box::new(not_acceptable(&target, None))),
    };
    // RDF/XML cannot write every predicate: then another RDF syntax the client takes, or 406;
    // and RDF/XML is not among the other formats offered.
    let unwritable = rdf::rdfxml_obstacle(&description.triples).cloned();
    let format = match (format, &unwritable) {
        (Format::RdfXml, Some(predicate)) => match asked.instead_of_rdfxml.filter(|_| negotiated) {
            Some(instead) => instead,
            None => return Err(Box::new(not_acceptable(&target, Some(predicate)))),
        },
        _ => format,
    };
    let others = target.alternates(Some(format), unwritable.is_none());
    let languages = &asked.languages;
    if format == Format::Html && code_list::is_list(&description.triples, &description.iri) {
        description.items = list_items(app, &description.iri, paging, languages);
    }
    if format == Format::Html {
        match resource_history(app, &description, within.is_some()) {
            Some(history) => description.history = history,
            None => return Ok(None),
        }
    }
    let expanded = asked.expanded;
    let mut deps = description.dependencies();
    let table = match format {
        Format::Csv => norm_table(app, &description).map(|(table, read)| {
            read.iter().for_each(|iri| deps.iri(iri));
            table
        }),
        _ => None,
    };
    let norm_context = description
        .versions
        .iter()
        .find_map(|v| app.norms.get(&v.norm)?.jsonld.as_ref())
        .filter(|_| format == Format::JsonLd && !expanded);
    let body = match (table, norm_context) {
        (Some(table), _) => table.to_csv(),
        (None, Some(context)) => {
            let graph: oxigraph::model::Graph = description.triples.iter().collect();
            let document = context.document(&graph, Some(&description.iri));
            serde_json::to_vec_pretty(&document).unwrap_or_default()
        }
        (None, None) => render(
            &description,
            format,
            (languages, &app.config.languages),
            &app.config.base,
            paging,
            expanded,
            &others,
        ),
    };
    let etag = format!(
        "\"{}\"",
        crate::identifiers::hex(&sha2::Sha256::digest(&body)[..12])
    );
    let mut h = HeaderMap::new();
    let content_type = format!("{}; charset=utf-8", format.media_type());
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(&content_type).expect("ASCII"),
    );
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("ASCII"));
    h.insert(header::CACHE_CONTROL, conditional::cache_control(false));
    let modified = conditional::last_modified(description.modified());
    h.insert(header::LAST_MODIFIED, modified);
    let location = wire_iri(&target.url_for(format));
    if let Ok(v) = HeaderValue::from_str(&location) {
        h.insert(header::CONTENT_LOCATION, v);
    }
    let mut vary = Vec::new();
    if negotiated {
        vary.push("Accept");
    }
    if matches!(format, Format::Html | Format::Csv) {
        vary.push(crate::web::language::VARY);
    }
    if format == Format::Html {
        // The language of the page's own words (labels and texts say their own).
        let lang = crate::render::words::for_languages(languages).lang;
        h.insert(header::CONTENT_LANGUAGE, HeaderValue::from_static(lang));
    }
    if body.len() >= compress::MIN_BYTES {
        vary.push("Accept-Encoding");
    }
    if !vary.is_empty() {
        h.insert(
            header::VARY,
            HeaderValue::from_str(&vary.join(", ")).expect("ASCII"),
        );
    }
    if let Ok(v) = HeaderValue::from_str(&links(&others, &description)) {
        h.insert(header::LINK, v);
    }
    Ok(Some(Rendered {
        headers: h,
        body: body.into(),
        gzipped: std::sync::OnceLock::new(),
        etag,
        modified: description.modified(),
        deps: deps.finish(),
    }))
}

/// `Link`: every other representation (`others`, with their URLs) as `alternate`, and the
/// datasets the resource comes from.
fn links(others: &[Alternate], description: &Description) -> String {
    let mut links: Vec<String> = others
        .iter()
        .map(|a| {
            format!(
                "<{}>; rel=\"alternate\"; type=\"{}\"",
                wire_iri(&a.url),
                a.media_type
            )
        })
        .collect();
    for reference in &description.references {
        links.push(format!("<{}>; rel=\"canonical\"", wire_iri(reference)));
    }
    for v in &description.versions {
        links.push(format!(
            "<{}>; rel=\"http://rdfs.org/ns/void#inDataset\"",
            wire_iri(&v.dataset_iri)
        ));
    }
    let mut licenses: Vec<&str> = description
        .versions
        .iter()
        .filter_map(|v| v.license.as_deref())
        .collect();
    licenses.sort_unstable();
    licenses.dedup();
    for license in licenses {
        // RFC 4946: the licence the representation is published under.
        links.push(format!("<{}>; rel=\"license\"", wire_iri(license)));
    }
    links.join(", ")
}

/// The representation of `description` in `format` (JSON-LD compacted with a prefix context,
/// or expanded when `expanded`; a page links the other formats at their URLs, `formats`), for
/// a reader of `languages` (preferred first) on a server `offering` labels in some.
pub fn render(
    description: &Description,
    format: Format,
    (languages, offered): (&[String], &[String]),
    base: &str,
    paging: Paging,
    expanded: bool,
    formats: &[Alternate],
) -> Vec<u8> {
    match (format, format.rdf()) {
        (Format::JsonLd, Some(rdf_format)) if expanded => {
            rdf::write(&description.triples, rdf_format)
        }
        (Format::JsonLd, _) => jsonld::compacted(&description.triples),
        (_, Some(rdf_format)) => rdf::write(&description.triples, rdf_format),
        (Format::Csv, None) => csv::long_table(description, languages),
        _ => {
            // Embedded without indentation: the page is for people, the script for machines.
            let json_ld = jsonld::compacted_document(&description.triples).to_string();
            html::Page {
                description,
                languages,
                base,
                json_ld: &json_ld,
                backlinks_page: paging.backlinks,
                values_page: paging.values,
                formats,
                offered,
            }
            .render()
            .into_bytes()
        }
    }
}

/// 500: the store failed while reading `path`'s view (logged).
fn internal(path: &str, e: &StorageError) -> Response {
    tracing::error!("describe /{path}: {e}");
    Problem::internal(
        format!("the store failed to read /{path}: {e}"),
        format!("úložiště selhalo při čtení /{path}: {e}"),
    )
    .into_response()
}

/// 404: nothing is known about the path.
pub fn not_found(path: &str) -> Response {
    Problem::new(
        StatusCode::NOT_FOUND,
        "not-found",
        format!("the store holds no data about /{path}"),
    )
    .in_czech(format!("úložiště nemá o /{path} žádná data"))
    .into_response()
}

/// 406: the body lists every type and its URL; with `unwritable`, says why RDF/XML cannot
/// write this resource (see [`rdf::rdfxml_can_write`]).
fn not_acceptable(target: &Target, unwritable: Option<&NamedNode>) -> Response {
    let offered = target.alternates(None, unwritable.is_none());
    let available: Vec<serde_json::Value> = offered
        .iter()
        .map(|a| serde_json::json!({ "type": a.media_type, "url": a.url }))
        .collect();
    let types: Vec<&str> = available
        .iter()
        .filter_map(|a| a["type"].as_str())
        .collect();
    let (en, cs) = match unwritable {
        Some(p) => (
            format!(
                "RDF/XML cannot write this resource: its property <{p}> ends in no XML name; \
                 available: {}",
                types.join(", ")
            ),
            format!(
                "RDF/XML tento zdroj zapsat nedokáže: jeho vlastnost <{p}> nekončí jménem \
                 přípustným v XML; k dispozici: {}",
                types.join(", ")
            ),
        ),
        None => (
            format!("available: {}", types.join(", ")),
            format!("k dispozici: {}", types.join(", ")),
        ),
    };
    let mut response = Problem::new(StatusCode::NOT_ACCEPTABLE, "not-acceptable", en)
        .in_czech(cs)
        .with(serde_json::json!({ "available": available }))
        .into_response();
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}
