//! Helpers of the code-list tests: a server requiring cs and en, pushes under the code-list
//! norm, the official examples, and a small list of colours.

use super::{config, push, start, Response};

/// Where the official examples are, under `../shared`.
pub const EXAMPLES: &str = "ofn/cz-ofn-ciselniky";

/// A server requiring Czech and English labels.
pub fn server() -> datafond::serve::Running {
    let mut cfg = config(None);
    cfg.required_languages = vec!["cs".into(), "en".into()];
    start(cfg)
}

/// An official example of the code-list norm.
pub fn example(name: &str) -> Vec<u8> {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    std::fs::read(shared.join(EXAMPLES).join(name)).unwrap()
}

/// The media type of a file name's extension.
pub fn media_type(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("jsonld") => "application/ld+json",
        Some("csv") => "text/csv",
        _ => "text/turtle",
    }
}

/// Pushes a code list under the code-list norm.
pub fn push_list(server: &datafond::serve::Running, id: &str, name: &str, body: &[u8]) -> Response {
    push(
        server,
        &format!("{id}?norm=ciselniky"),
        media_type(name),
        body,
    )
}

/// A code list `barvy`, without items.
pub const LIST: &str = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<http://data.example/zdroj/číselníky/barvy> a skos:ConceptScheme ;
    skos:prefLabel \"Barvy\"@cs, \"Colours\"@en .
";

/// An item of `barvy`.
pub fn item(code: &str, cs: &str, en: Option<&str>) -> String {
    let en = en.map_or(String::new(), |en| format!(", \"{en}\"@en"));
    format!(
        "<http://data.example/zdroj/číselníky/barvy/položky/{code}-{cs}> a skos:Concept ; \
         skos:inScheme <http://data.example/zdroj/číselníky/barvy> ; skos:notation \"{code}\" ; \
         skos:prefLabel \"{cs}\"@cs{en} .\n"
    )
}
