//! The bundled demo datasets, published when the server starts on an empty store so that a
//! newcomer can dereference something at once. `{base}` in the files becomes the configured base.

use crate::push::{Part, Push, PushError, PushReport};

/// A version of a demo dataset: its date, if dated, and its text.
type Version = (Option<&'static str>, &'static str);

/// The demo datasets: id, norm, media type, and each version (its date, if dated, and text),
/// oldest first. The two code lists come in the norm's own forms, the official JSON-LD and the
/// CSV table, with dated versions as the public data fund publishes them.
const DATASETS: &[(&str, &str, &str, &[Version])] = &[
    (
        "území",
        "vocabulary",
        "text/turtle",
        &[(None, include_str!("../demo/území.ttl"))],
    ),
    (
        "obce",
        "generic",
        "text/turtle",
        &[(None, include_str!("../demo/obce.ttl"))],
    ),
    (
        "druhy-dopravy",
        "ciselniky",
        "application/ld+json",
        &[
            (
                Some("2020-01-01"),
                include_str!("../demo/druhy-dopravy-1.jsonld"),
            ),
            (
                Some("2024-01-01"),
                include_str!("../demo/druhy-dopravy-2.jsonld"),
            ),
        ],
    ),
    (
        "způsoby-doručení",
        "ciselniky",
        "text/csv",
        &[
            (
                Some("2012-07-01"),
                include_str!("../demo/způsoby-doručení-1.csv"),
            ),
            (
                Some("2025-01-01"),
                include_str!("../demo/způsoby-doručení-2.csv"),
            ),
        ],
    ),
];

/// Publishes every version of every demo dataset.
pub fn publish(push: &Push<'_>) -> Result<Vec<PushReport>, PushError> {
    let mut reports = Vec::new();
    for (id, norm, media_type, versions) in DATASETS {
        for (date, text) in *versions {
            let text = text.replace("{base}", push.base);
            let part = Part {
                bytes: text.as_bytes(),
                media_type,
                name: id,
            };
            reports.push(push.run_dated(id, Some(norm), &[part], None, *date)?);
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
    "zdroj/číselníky/druhy-dopravy/2024-01-01",
];
