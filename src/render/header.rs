//! The header of every page: the links home and to the SPARQL query page and, where the server
//! has labels in more than one language, the languages a reader can switch the page to
//! (`?lang=`, which the server keeps in a cookie for the pages opened next), each named in its
//! own language, the current one marked.

use super::html::Escaped;
use super::words::Words;
use std::fmt::Write;

/// The site's own pages the header links to: path and name.
const SITE: [(&str, &str); 2] = [("/", "datafond"), ("/sparql", "SPARQL")];

/// The page header. `here` is the path of the site page shown, if it is one of [`SITE`] (its
/// link is marked current); `offered` are the configured label languages; `languages` the
/// reader's, preferred first (the first offered one among them is the current one); `switch`
/// the link (escaped for an attribute) that shows this page in a language, or `None` for no
/// switcher.
pub fn header(
    words: &Words,
    here: Option<&str>,
    (offered, languages): (&[String], &[String]),
    switch: Option<&dyn Fn(&str) -> String>,
) -> String {
    let mut out = format!("<header><nav class=\"site\" aria-label=\"{}\">", words.site);
    for (path, name) in SITE {
        let marked = match here == Some(path) {
            true => " aria-current=\"page\"",
            false => "",
        };
        write!(out, "<a href=\"{path}\"{marked}>{name}</a>").ok();
    }
    out.push_str("</nav>");
    if let (Some(switch), true) = (switch, offered.len() > 1) {
        let current = current(offered, languages);
        write!(
            out,
            "<nav class=\"languages\" aria-label=\"{}\">",
            words.language
        )
        .ok();
        for tag in offered {
            let marked = match Some(tag.as_str()) == current {
                true => " aria-current=\"true\"",
                false => "",
            };
            write!(
                out,
                "<a href=\"{}\" hreflang=\"{tag}\" lang=\"{tag}\"{marked}>{}</a>",
                switch(tag),
                Escaped(endonym(tag)),
                tag = Escaped(tag),
            )
            .ok();
        }
        out.push_str("</nav>");
    }
    out.push_str("</header>");
    out
}

/// The offered language a reader with `languages` reads in: the first of theirs whose primary
/// subtag is one offered.
fn current<'a>(offered: &'a [String], languages: &[String]) -> Option<&'a str> {
    let primary = |tag: &str| {
        tag.split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    languages.iter().find_map(|l| {
        offered
            .iter()
            .find(|o| primary(o) == primary(l))
            .map(String::as_str)
    })
}

/// A language's name in itself (the tag where the table has none): the languages of the EU and
/// its neighbours.
fn endonym(tag: &str) -> &str {
    let primary = tag
        .split('-')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    ENDONYMS
        .iter()
        .find(|(t, _)| *t == primary)
        .map_or(tag, |(_, name)| name)
}

const ENDONYMS: &[(&str, &str)] = &[
    ("bg", "български"),
    ("cs", "čeština"),
    ("da", "dansk"),
    ("de", "Deutsch"),
    ("el", "Ελληνικά"),
    ("en", "English"),
    ("es", "español"),
    ("et", "eesti"),
    ("fi", "suomi"),
    ("fr", "français"),
    ("ga", "Gaeilge"),
    ("hr", "hrvatski"),
    ("hu", "magyar"),
    ("it", "italiano"),
    ("lt", "lietuvių"),
    ("lv", "latviešu"),
    ("mt", "Malti"),
    ("nl", "Nederlands"),
    ("no", "norsk"),
    ("pl", "polski"),
    ("pt", "português"),
    ("ro", "română"),
    ("ru", "русский"),
    ("sk", "slovenčina"),
    ("sl", "slovenščina"),
    ("sr", "српски"),
    ("sv", "svenska"),
    ("uk", "українська"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(tags: &[&str]) -> Vec<String> {
        tags.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn the_switcher_names_each_language_in_itself_and_marks_the_current_one() {
        let words = super::super::words::for_languages(&tags(&["cs"]));
        let switch = |tag: &str| format!("?lang={tag}");
        let html = header(
            words,
            None,
            (&tags(&["en", "cs"]), &tags(&["cs-CZ", "en"])),
            Some(&switch),
        );
        assert_eq!(
            html,
            "<header><nav class=\"site\" aria-label=\"Stránky\"><a href=\"/\">datafond</a>\
             <a href=\"/sparql\">SPARQL</a></nav><nav class=\"languages\" aria-label=\"Jazyk\">\
             <a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>\
             <a href=\"?lang=cs\" hreflang=\"cs\" lang=\"cs\" aria-current=\"true\">čeština</a>\
             </nav></header>"
        );
        // One language, or no switch: the site's links only.
        let home = "<header><nav class=\"site\" aria-label=\"Stránky\"><a href=\"/\">datafond</a>\
                    <a href=\"/sparql\">SPARQL</a></nav></header>";
        let one = tags(&["cs"]);
        assert_eq!(header(words, None, (&one, &one), Some(&switch)), home);
        assert_eq!(header(words, None, (&tags(&["en", "cs"]), &[]), None), home);
        // The SPARQL page's link is marked as the page shown.
        assert!(header(words, Some("/sparql"), (&one, &one), None)
            .contains("<a href=\"/sparql\" aria-current=\"page\">SPARQL</a>"));
        assert_eq!(endonym("lv"), "latviešu");
        assert_eq!(endonym("x-klingon"), "x-klingon");
    }
}
