//! Error answers: `application/problem+json` (RFC 9457) with a stable `code`, the HTTP status, a
//! title in English and Czech, and the specific detail (also in Czech, `details`, for every
//! problem but internal errors of the read path).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Value};

/// One error answer.
#[derive(Debug)]
pub struct Problem {
    /// HTTP status.
    pub status: StatusCode,
    /// Stable machine-readable code (`syntax-error`, `not-conforming`, …).
    pub code: &'static str,
    /// What exactly went wrong (English).
    pub detail: String,
    /// More members for the body (e.g. validation results).
    pub extra: Option<Value>,
}

/// Titles of the codes: English, Czech.
const TITLES: &[(&str, &str, &str)] = &[
    (
        "bad-dataset-id",
        "Invalid dataset id",
        "Neplatný identifikátor datové sady",
    ),
    ("unknown-norm", "Unknown norm", "Neznámá norma"),
    (
        "norm-mismatch",
        "The dataset has another norm",
        "Datová sada má jinou normu",
    ),
    (
        "syntax-error",
        "The data does not parse",
        "Data nejsou syntakticky správně",
    ),
    (
        "not-conforming",
        "The data violates the norm",
        "Data nesplňují normu",
    ),
    (
        "unsupported-media-type",
        "Unsupported media type",
        "Nepodporovaný typ obsahu",
    ),
    (
        "too-large",
        "The data is too large",
        "Data jsou příliš velká",
    ),
    (
        "unauthorized",
        "A write token is needed",
        "Je potřeba token pro zápis",
    ),
    ("not-found", "Not found", "Nenalezeno"),
    (
        "not-acceptable",
        "No acceptable representation",
        "Žádná přijatelná reprezentace",
    ),
    (
        "bad-version-date",
        "Invalid version date",
        "Neplatné datum verze",
    ),
    (
        "version-order",
        "The version is not newer than the current one",
        "Verze není novější než platná verze",
    ),
    (
        "request-too-large",
        "The request is too large",
        "Požadavek je příliš velký",
    ),
    (
        "bad-parameter",
        "Invalid query parameter",
        "Neplatný parametr dotazu",
    ),
    ("gone", "Gone", "Již neplatí"),
    (
        "no-rule",
        "No routing rule matches",
        "Žádné směrovací pravidlo neodpovídá",
    ),
    ("bad-lookup", "Invalid lookup", "Neplatné vyhledání"),
    ("unknown-element", "Unknown element", "Neznámý prvek"),
    ("unknown-code", "Unknown code", "Neznámý kód"),
    (
        "method-not-allowed",
        "Method not allowed",
        "Nepovolená metoda",
    ),
    ("no-graph", "No graph named", "Není určen graf"),
    ("bad-graph", "Invalid graph IRI", "Neplatné IRI grafu"),
    ("no-such-graph", "No such graph", "Takový graf neexistuje"),
    (
        "read-only-graph",
        "The graph is read-only",
        "Graf je jen pro čtení",
    ),
    (
        "query-syntax",
        "The query does not parse",
        "Dotaz není syntakticky správně",
    ),
    (
        "query-evaluation",
        "The query failed",
        "Vyhodnocení dotazu selhalo",
    ),
    (
        "query-timeout",
        "The query took too long",
        "Dotaz trval příliš dlouho",
    ),
    (
        "result-too-large",
        "The result is too large",
        "Výsledek je příliš velký",
    ),
    (
        "too-many-queries",
        "Too many queries at once",
        "Příliš mnoho dotazů najednou",
    ),
    (
        "update-syntax",
        "The update does not parse",
        "Aktualizace není syntakticky správně",
    ),
    (
        "update-evaluation",
        "The update failed",
        "Provedení aktualizace selhalo",
    ),
    (
        "update-target",
        "The update writes no single dataset",
        "Aktualizace nezapisuje do jedné datové sady",
    ),
    (
        "range-not-satisfiable",
        "The range is outside the file",
        "Rozsah je mimo soubor",
    ),
    ("internal", "Internal error", "Vnitřní chyba"),
];

impl Problem {
    /// A problem with `status`, `code` and `detail`.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        Self {
            status,
            code,
            detail: detail.into(),
            extra: None,
        }
    }

    /// 500: the server failed (`english` and `czech` say at what; logged by the caller).
    pub fn internal(english: impl Into<String>, czech: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", english).in_czech(czech)
    }

    /// Adds the detail in Czech (DESIGN: messages in English and the national language): the
    /// body then has `details` in English and Czech too, and an error page shows the reader's.
    pub fn in_czech(self, detail: impl Into<String>) -> Self {
        let details = json!({ "details": { "en": self.detail, "cs": detail.into() } });
        self.with(details)
    }

    /// Adds members to the body.
    pub fn with(mut self, extra: Value) -> Self {
        match (&mut self.extra, extra) {
            (Some(Value::Object(members)), Value::Object(more)) => members.extend(more),
            (_, extra) => self.extra = Some(extra),
        }
        self
    }

    /// The JSON body.
    pub fn body(&self) -> Value {
        let (en, cs) = TITLES
            .iter()
            .find(|(c, _, _)| *c == self.code)
            .map_or(("Error", "Chyba"), |(_, en, cs)| (*en, *cs));
        let mut body = json!({
            "type": format!("urn:datafond:problem:{}", self.code),
            "code": self.code,
            "status": self.status.as_u16(),
            "title": en,
            "titles": { "en": en, "cs": cs },
            "detail": self.detail,
        });
        if let (Some(Value::Object(extra)), Value::Object(body)) = (&self.extra, &mut body) {
            body.extend(extra.clone());
        }
        body
    }
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let mut response = (self.status, self.body().to_string()).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}
