//! The bundled demo datasets, published when the server starts on an empty store so that a
//! newcomer can dereference something at once. `{base}` in the files becomes the configured base.

use crate::push::{Part, Push, PushError, PushReport};

/// The demo datasets: id, norm, media type, and the text of each version, oldest first. The
/// two code lists come in the norm's own forms: the official JSON-LD and the CSV table.
const DATASETS: &[(&str, &str, &str, &[&str])] = &[
    (
        "území",
        "vocabulary",
        "text/turtle",
        &[include_str!("../demo/území.ttl")],
    ),
    (
        "obce",
        "generic",
        "text/turtle",
        &[include_str!("../demo/obce.ttl")],
    ),
    (
        "druhy-dopravy",
        "ciselniky",
        "application/ld+json",
        &[
            include_str!("../demo/druhy-dopravy-1.jsonld"),
            include_str!("../demo/druhy-dopravy-2.jsonld"),
        ],
    ),
    (
        "způsoby-doručení",
        "ciselniky",
        "text/csv",
        &[
            include_str!("../demo/způsoby-doručení-1.csv"),
            include_str!("../demo/způsoby-doručení-2.csv"),
        ],
    ),
];

/// Publishes every version of every demo dataset.
pub fn publish(push: &Push<'_>) -> Result<Vec<PushReport>, PushError> {
    let mut reports = Vec::new();
    for (id, norm, media_type, versions) in DATASETS {
        for text in *versions {
            let text = text.replace("{base}", push.base);
            let part = Part {
                bytes: text.as_bytes(),
                media_type,
                name: id,
            };
            reports.push(push.run(id, Some(norm), &[part], None)?);
        }
    }
    Ok(reports)
}

/// IRIs worth dereferencing in the demo data, relative to the base.
pub const EXAMPLE_PATHS: &[&str] = &[
    "zdroj/obce/582786",
    "zdroj/kraje/CZ064",
    "slovník/území/pojem/obec",
    "zdroj/datové-sady/obce.ttl",
    "zdroj/číselníky/druhy-dopravy",
    "zdroj/číselníky/druhy-dopravy/položky/LAN",
];
