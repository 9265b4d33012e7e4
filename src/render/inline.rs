//! Small pieces of a page written inline: the language of a text, a publish time, a licence's
//! short name.

use super::html::Escaped;
use oxigraph::model::Literal;

/// ` lang="…"` for text in a language (a label, a literal with a language tag), so that screen
/// readers and translators treat it as such (WCAG 2 "language of parts"); nothing otherwise.
pub struct LangOf<'a>(pub Option<&'a Literal>);

impl std::fmt::Display for LangOf<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.and_then(Literal::language) {
            Some(lang) => write!(f, " lang=\"{}\"", Escaped(lang)),
            None => Ok(()),
        }
    }
}

/// A label as text that says its language (`<span lang="cs">Obce a kraje</span>`, or the text
/// alone for a label without one).
pub struct Labelled<'a>(pub &'a Literal);

impl std::fmt::Display for Labelled<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.language() {
            Some(_) => write!(
                f,
                "<span{}>{}</span>",
                LangOf(Some(self.0)),
                Escaped(self.0.value())
            ),
            None => write!(f, "{}", Escaped(self.0.value())),
        }
    }
}

/// A publish time for people, `2026-11-28 11:11 UTC`, in a `<time>` element that keeps the
/// instant (`2026-11-28T11:11:25.565Z`) for machines; anything not in that form is shown as it
/// is.
pub struct When<'a>(pub &'a str);

impl std::fmt::Display for When<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let instant = self.0;
        let shown = match (instant.get(..16), instant.ends_with('Z')) {
            (Some(minute), true) if instant.as_bytes().get(10) == Some(&b'T') => {
                format!("{} {} UTC", &minute[..10], &minute[11..])
            }
            _ => instant.to_owned(),
        };
        write!(
            f,
            "<time datetime=\"{}\">{}</time>",
            Escaped(&html_instant(instant)),
            Escaped(&shown)
        )
    }
}

/// An `xsd:dateTime` as HTML's `datetime` attribute takes it: at most three digits of a
/// second's fraction (versions are stamped to the nanosecond).
fn html_instant(instant: &str) -> std::borrow::Cow<'_, str> {
    let Some((whole, fraction)) = instant.split_once('.') else {
        return instant.into();
    };
    let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
    if digits <= 3 {
        return instant.into();
    }
    format!("{whole}.{}{}", &fraction[..3], &fraction[digits..]).into()
}

/// The usual short name of a Creative Commons licence or public-domain tool from its IRI
/// (`https://creativecommons.org/licenses/by/4.0/` → `CC BY 4.0`, `…/publicdomain/zero/1.0/` →
/// `CC0 1.0`), as licence choosers and catalogs show them; other licences have none.
pub fn license_name(iri: &str) -> Option<String> {
    let path = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))?
        .strip_prefix("creativecommons.org/")?;
    let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    match parts.as_slice() {
        ["licenses", kind, version, rest @ ..] if rest.len() <= 1 => Some(format!(
            "CC {} {version}{}",
            kind.to_uppercase(),
            rest.first()
                .map(|j| format!(" {}", j.to_uppercase()))
                .unwrap_or_default()
        )),
        ["publicdomain", "zero", version] => Some(format!("CC0 {version}")),
        ["publicdomain", "mark", version] => Some(format!("Public Domain Mark {version}")),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_fractions_and_offsets_are_kept() {
        let html = |i| When(i).to_string();
        assert!(html("2026-11-28T17:30:14.36Z").contains("\"2026-11-28T17:30:14.36Z\""));
        assert!(html("2026-11-28T17:30:14Z").contains("\"2026-11-28T17:30:14Z\""));
        assert!(
            html("2026-11-28T17:30:14.1234+01:00").contains("\"2026-11-28T17:30:14.123+01:00\"")
        );
    }

    #[test]
    fn creative_commons_licences_have_their_short_names() {
        let name = license_name;
        assert_eq!(
            name("https://creativecommons.org/licenses/by/4.0/").as_deref(),
            Some("CC BY 4.0")
        );
        assert_eq!(
            name("http://creativecommons.org/licenses/by-sa/3.0/cz").as_deref(),
            Some("CC BY-SA 3.0 CZ")
        );
        assert_eq!(
            name("https://creativecommons.org/publicdomain/zero/1.0/").as_deref(),
            Some("CC0 1.0")
        );
        assert_eq!(name("https://opendatacommons.org/licenses/odbl/1-0/"), None);
        assert_eq!(name("https://creativecommons.org/about/"), None);
    }

    #[test]
    fn publish_times_are_shown_to_the_minute_and_kept_to_the_millisecond() {
        // HTML's `datetime` takes at most three digits of a second's fraction.
        assert_eq!(
            When("2026-11-28T11:11:25.565826285Z").to_string(),
            "<time datetime=\"2026-11-28T11:11:25.565Z\">2026-11-28 11:11 UTC</time>"
        );
        assert_eq!(
            When("yesterday <b>").to_string(),
            "<time datetime=\"yesterday &lt;b&gt;\">yesterday &lt;b&gt;</time>"
        );
    }
}
