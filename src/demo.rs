//! The bundled demo datasets, published when the server starts on an empty store so that a
//! newcomer can dereference something at once. `{base}` in the files becomes the configured base.

use crate::push::{Part, Push, PushError, PushReport};

/// The demo datasets: id, norm, Turtle text.
const DATASETS: &[(&str, &str, &str)] = &[
    ("území", "vocabulary", include_str!("../demo/území.ttl")),
    ("obce", "generic", include_str!("../demo/obce.ttl")),
];

/// Publishes every demo dataset.
pub fn publish(push: &Push<'_>) -> Result<Vec<PushReport>, PushError> {
    DATASETS
        .iter()
        .map(|(id, norm, text)| {
            let text = text.replace("{base}", push.base);
            let part = Part {
                bytes: text.as_bytes(),
                media_type: "text/turtle",
                name: id,
            };
            push.run(id, Some(norm), &[part], None)
        })
        .collect()
}

/// IRIs worth dereferencing in the demo data, relative to the base.
pub const EXAMPLE_PATHS: &[&str] = &[
    "zdroj/obce/582786",
    "zdroj/kraje/CZ064",
    "slovník/území/pojem/obec",
    "zdroj/datové-sady/obce.ttl",
];
