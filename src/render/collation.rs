//! Names in the order readers of a language expect (Czech: `Č` after all `C`, `Ch` after `H`,
//! `Ú` with `U`), by ICU4X's collator with CLDR's data compiled in: byte order puts `Č`, `Š`,
//! `Ú`, `Ž` after `Z`.

use icu_collator::options::CollatorOptions;
use icu_collator::CollatorBorrowed;
use icu_locale_core::Locale;
use std::cmp::Ordering;

/// Compares texts as readers of a language sort them.
pub struct Collation(CollatorBorrowed<'static>);

impl Collation {
    /// For `language` (a BCP 47 tag such as `cs`); the root order (CLDR's, for any language
    /// without rules of its own) when it has none or does not parse.
    pub fn new(language: Option<&str>) -> Self {
        let options = CollatorOptions::default();
        let collator = language
            .and_then(|l| l.parse::<Locale>().ok())
            .and_then(|locale| CollatorBorrowed::try_new((&locale).into(), options).ok())
            .unwrap_or_else(|| {
                CollatorBorrowed::try_new(Default::default(), options)
                    .expect("the root collation is compiled in")
            });
        Self(collator)
    }

    /// For the first of the reader's `languages` (most preferred first).
    pub fn for_reader(languages: &[String]) -> Self {
        Self::new(languages.first().map(String::as_str))
    }

    /// The order of `a` and `b`.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.0.compare(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: &str, words: &[&str]) -> Vec<String> {
        let collation = Collation::new(Some(language));
        let mut words: Vec<String> = words.iter().map(|w| w.to_string()).collect();
        words.sort_by(|a, b| collation.compare(a, b));
        words
    }

    #[test]
    fn czech_names_sort_as_czech_readers_expect() {
        let kraje = [
            "Zlínský",
            "Ústecký",
            "Středočeský",
            "Severní",
            "Chomutov",
            "Hradec",
            "Čáslav",
            "Cheb",
            "Brno",
            "Dačice",
        ];
        assert_eq!(
            sorted("cs", &kraje),
            [
                "Brno",
                "Čáslav",
                "Dačice",
                "Hradec",
                "Cheb",
                "Chomutov",
                "Severní",
                "Středočeský",
                "Ústecký",
                "Zlínský"
            ]
        );
        // English readers: accents are secondary, `ch` is two letters.
        assert_eq!(
            sorted("en", &["Zebra", "Čáslav", "apple", "Cheb", "Banana"]),
            ["apple", "Banana", "Čáslav", "Cheb", "Zebra"]
        );
        // A tag that does not parse falls back to the root order.
        assert_eq!(sorted("not a tag", &["b", "A", "á"]), ["A", "á", "b"]);
    }
}
