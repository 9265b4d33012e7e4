//! The resolver over HTTP: requests whose host is a rule's source host are answered with the
//! rule's redirect before any other route, and `/resolve` looks up code-list items by data
//! element.

use super::error_page;
use super::params::Params;
use super::problem::Problem;
use super::{wire_iri, App};
use crate::resolve::Outcome;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use oxigraph::model::NamedNode;
use std::borrow::Cow;
use std::sync::Arc;

/// The host a request was sent to (lower case, without port): `X-Forwarded-Host` when the proxy
/// is trusted, else `Host`.
fn request_host(headers: &HeaderMap, trust_proxy: bool) -> Option<Cow<'_, str>> {
    let forwarded = trust_proxy
        .then(|| headers.get("x-forwarded-host"))
        .flatten()
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next());
    let host = forwarded.or_else(|| headers.get(header::HOST)?.to_str().ok())?;
    let host = host.trim();
    let host = match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    };
    Some(match host.bytes().any(|b| b.is_ascii_uppercase()) {
        true => Cow::Owned(host.to_ascii_lowercase()),
        false => Cow::Borrowed(host),
    })
}

/// The whole HTTP surface as one service: a request for a reference host is answered by the
/// resolver before any routing (CORS headers included); every other request, and CORS
/// preflights, go to the router.
#[derive(Clone)]
pub struct ByHost {
    app: Arc<App>,
    router: axum::Router,
}

impl ByHost {
    /// `router` behind the resolver.
    pub fn new(app: Arc<App>, router: axum::Router) -> Self {
        Self { app, router }
    }

    /// The answer to `request`: the resolver's at once (a problem to a browser as a page, see
    /// `error_page`), else the router's.
    pub fn respond(&self, request: Request) -> <Self as tower_service::Service<Request>>::Future {
        if let Some(response) = by_host(&self.app, &request) {
            let (app, asked) = (Arc::clone(&self.app), error_page::Asked::of(&request));
            return Box::pin(async move {
                Ok(error_page::for_browser(&app.config.languages, asked, response).await)
            });
        }
        let mut router = self.router.clone();
        Box::pin(async move { tower_service::Service::call(&mut router, request).await })
    }
}

impl tower_service::Service<Request> for ByHost {
    type Response = Response;
    type Error = std::convert::Infallible;
    type Future =
        std::pin::Pin<Box<dyn std::future::Future<Output = Result<Response, Self::Error>> + Send>>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Self::Error>> {
        // The router is always ready.
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        self.respond(request)
    }
}

/// The resolver's answer when `request` is for a reference host (and not a CORS preflight).
fn by_host(app: &App, request: &Request) -> Option<Response> {
    if request.method() == axum::http::Method::OPTIONS {
        return None;
    }
    let host = request_host(request.headers(), app.config.trust_proxy)?;
    let routes = app.routes.get();
    if !routes.serves_host(&host) {
        return None;
    }
    let accept = request
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok());
    let path = request.uri().path();
    let outcome = routes.resolve(&host, path, accept);
    let mut response = answer(&outcome, &routes, request.headers(), &host, path);
    let h = response.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("location"),
    );
    Some(response)
}

/// Whether the client prefers JSON to HTML.
fn wants_json(headers: &HeaderMap) -> bool {
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok());
    // Most clients send no JSON at all: skip the negotiation then.
    accept.is_some_and(|a| a.contains("json"))
        && crate::conneg::choose(accept, &["text/html", "application/json"]) == Some(1)
}

/// The answer for a resolved reference IRI.
fn answer(
    outcome: &Outcome,
    routes: &crate::resolve::Routes,
    headers: &HeaderMap,
    host: &str,
    path: &str,
) -> Response {
    let requested = || format!("https://{host}{path}");
    let mut response = match outcome {
        Outcome::Redirect {
            rule,
            code,
            location,
            ..
        } => redirect(*code, location, &routes.rules[*rule].id, headers),
        Outcome::Gone { rule } => Problem::new(
            StatusCode::GONE,
            "gone",
            format!(
                "<{}> is gone (rule `{}`): its identifier is no longer in use",
                requested(),
                routes.rules[*rule].id
            ),
        )
        .in_czech(format!(
            "<{}> již neplatí (pravidlo `{}`): jeho identifikátor se už nepoužívá",
            requested(),
            routes.rules[*rule].id
        ))
        .into_response(),
        Outcome::NoRule => Problem::new(
            StatusCode::NOT_FOUND,
            "no-rule",
            format!("no routing rule matched <{}>", requested()),
        )
        .in_czech(format!(
            "<{}> neodpovídá žádné směrovací pravidlo",
            requested()
        ))
        .into_response(),
    };
    // The body's type, and for some rules the target, follow Accept.
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}

/// A redirect to `location` (IRI form; percent-encoded on the wire) with a tiny HTML or JSON
/// body naming it.
fn redirect(code: u16, location: &str, rule: &str, headers: &HeaderMap) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::SEE_OTHER);
    let (content_type, body) = if wants_json(headers) {
        (
            "application/json",
            serde_json::json!({ "location": location, "rule": rule }).to_string(),
        )
    } else {
        let body = format!(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Moved</title></head>\
             <body><p>See <a href=\"{0}\">{0}</a></p></body></html>\n",
            crate::render::html::Escaped(location)
        );
        ("text/html; charset=utf-8", body)
    };
    let mut response = (status, Body::from(body)).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_maybe_shared(axum::body::Bytes::from(wire_iri(location))) {
        h.insert(header::LOCATION, v);
    }
    response
}

/// Query of `/resolve`.
#[derive(Debug, serde::Deserialize)]
pub struct Lookup {
    /// The data element's code.
    element: Option<String>,
    /// The item's code.
    code: Option<String>,
}

/// `GET /resolve?element=…&code=…`: 303 to the reference IRI of the item (or JSON about it).
pub async fn lookup(
    State(app): State<Arc<App>>,
    Params(query): Params<Lookup>,
    headers: HeaderMap,
) -> Response {
    let (Some(element), Some(code)) = (query.element, query.code) else {
        return Problem::new(
            StatusCode::BAD_REQUEST,
            "bad-lookup",
            "give both parameters: /resolve?element=<data element code>&code=<item code>",
        )
        .in_czech("zadejte oba parametry: /resolve?element=<kód datového prvku>&code=<kód položky>")
        .into_response();
    };
    let routes = app.routes.get();
    let Some((reference, found)) = routes.lookup(&element, &code) else {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-element",
            format!("no data element `{element}` is declared as coded by a code list"),
        )
        .in_czech(format!(
            "žádný datový prvek `{element}` není vyhlášen jako kódovaný číselníkem"
        ))
        .into_response();
    };
    // The item must exist: its reference IRI resolves to a local IRI the store knows.
    let local = match routes.resolve_iri(&reference, None) {
        Outcome::Redirect { location, .. } => Some(location),
        _ => None,
    };
    let known = {
        let app = Arc::clone(&app);
        let local = local.clone();
        tokio::task::spawn_blocking(move || {
            local.and_then(|l| NamedNode::new(l).ok()).is_some_and(|n| {
                crate::describe::has_data(&app.storage, n.as_ref()).unwrap_or(false)
            })
        })
        .await
        .unwrap_or(false)
    };
    if !known {
        return Problem::new(
            StatusCode::NOT_FOUND,
            "unknown-code",
            format!(
                "code list <{}> (data element `{element}`) has no item `{code}`",
                found.code_list
            ),
        )
        .in_czech(format!(
            "číselník <{}> (datový prvek `{element}`) nemá položku `{code}`",
            found.code_list
        ))
        .into_response();
    }
    let mut response = if wants_json(&headers) {
        axum::Json(serde_json::json!({
            "element": element,
            "code": code,
            "code_list": found.code_list,
            "reference": reference,
            "local": local,
        }))
        .into_response()
    } else {
        redirect(303, &reference, "lookup", &headers)
    };
    response
        .headers_mut()
        .insert(header::VARY, HeaderValue::from_static("Accept"));
    response
}
