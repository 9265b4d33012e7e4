//! Choosing the language to read in, through real HTTP: `?lang=` puts a language before the
//! browser's (labels, the page's words, the CSV's labels), a cookie keeps it for the pages
//! opened next, an empty `?lang=` forgets it; every page's header offers the configured
//! languages; answers that depend on it say `Vary: Accept-Language, Cookie`; RDF syntaxes do not
//! depend on it; a value that is no language tag is refused. And in headless Chromium: a reader
//! whose browser asks for English switches a page to Czech and the next page they open is Czech.

mod client;

use client::things::{server, BROWSER};
use client::{config, get, push, start};

const ENGLISH: [(&str, &str); 2] = [("Accept", BROWSER), ("Accept-Language", "en")];

#[test]
fn lang_puts_a_language_first_and_a_cookie_keeps_it() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let english = get(&url, &ENGLISH);
    assert!(english.text().contains("<h1 lang=\"en\">Thing A</h1>"));
    assert!(english.header("set-cookie").is_none());

    let czech = get(&format!("{url}?lang=cs"), &ENGLISH);
    assert_eq!(czech.status, 200);
    let page = czech.text();
    assert!(page.contains("<h1 lang=\"cs\">Věc A</h1>"), "{page}");
    assert!(page.contains("<html lang=\"cs\">") && page.contains(">Vlastnosti</h2>"));
    assert_eq!(czech.header("content-language"), Some("cs"));
    assert!(czech
        .header("vary")
        .unwrap()
        .starts_with("Accept, Accept-Language, Cookie"));
    assert_eq!(
        czech.header("set-cookie"),
        Some("lang=cs; Path=/; Max-Age=31536000; SameSite=Lax")
    );
    assert_ne!(czech.header("etag"), english.header("etag"));
    // The switcher: every configured language in itself, the current one marked; local links
    // stay the resources' own paths (the cookie carries the language, not the links).
    assert!(
        page.contains(
            "<nav class=\"languages\" aria-label=\"Jazyk\">\
             <a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>\
             <a href=\"?lang=cs\" hreflang=\"cs\" lang=\"cs\" aria-current=\"true\">čeština</a></nav>"
        ),
        "{page}"
    );
    assert!(page.contains("href=\"/zdroj/b\""), "{page}");

    // The cookie alone: the next page is Czech though the browser asks for English.
    let cookie = [ENGLISH[0], ENGLISH[1], ("Cookie", "theme=dark; lang=cs")];
    let next = get(&format!("{}zdroj/b", server.url()), &cookie);
    assert!(next.text().contains("<h1 lang=\"cs\">Věc B</h1>"));
    assert!(next.header("set-cookie").is_none());
    // The cached English page is not given to the Czech reader, nor the other way round.
    assert!(get(&url, &cookie).text().contains("Věc A</h1>"));
    assert!(get(&url, &ENGLISH).text().contains("Thing A</h1>"));
    // The home page, the SPARQL page and an error page follow it too.
    let home = get(&server.url(), &cookie).text();
    assert!(home.contains("<h1>Zveřejněné datové sady</h1>"), "{home}");
    assert!(home.contains("<a href=\"/?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"));
    let sparql = get(&format!("{}sparql?query=ASK%7B%7D", server.url()), &cookie).text();
    assert!(sparql.contains("<html lang=\"cs\">"), "{sparql}");
    assert!(
        sparql.contains("href=\"?query=ASK%7B%7D&amp;lang=en\""),
        "{sparql}"
    );
    let missing = get(&format!("{}zdroj/nic", server.url()), &cookie);
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-language"), Some("cs"));
    // An error page anywhere offers the switcher too, and `?lang=` there is kept as well (once).
    for path in ["zdroj/nic", "api/v1/datasets/nic"] {
        let r = get(&format!("{}{path}?lang=cs", server.url()), &ENGLISH);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.text().contains("<html lang=\"cs\">"), "{path}");
        assert!(r
            .text()
            .contains("<a href=\"?lang=en\" hreflang=\"en\" lang=\"en\">English</a>"));
        let cookies = r.headers.iter().filter(|(n, _)| n == "set-cookie").count();
        assert_eq!(cookies, 1, "{path}: {:?}", r.headers);
    }

    // An empty `?lang=` forgets it: back to the browser's languages.
    let forgotten = get(&format!("{url}?lang="), &cookie);
    assert!(forgotten.text().contains("Thing A</h1>"));
    assert_eq!(
        forgotten.header("set-cookie"),
        Some("lang=; Path=/; Max-Age=0; SameSite=Lax")
    );
}

#[test]
fn lang_keeps_the_page_shown_and_leaves_rdf_alone() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    // The CSV's labels follow the language; Turtle carries every language whatever is chosen.
    let csv = |lang: &str| get(&format!("{url}?lang={lang}"), &[("Accept", "text/csv")]).text();
    assert!(csv("cs").contains("odkazuje na") && csv("en").contains("links to"));
    let turtle = |query: &str| get(&format!("{url}{query}"), &[("Accept", "text/turtle")]).body;
    assert_eq!(turtle("?lang=cs"), turtle(""));
    // The switcher of a page of backlinks or values keeps that page.
    let paged = get(&format!("{url}?backlinks=2&lang=cs"), &ENGLISH).text();
    assert!(
        paged.contains("href=\"?backlinks=2&amp;lang=en\""),
        "{paged}"
    );
    // A value that is no language tag: 400, no cookie.
    for bad in ["%3Cscript%3E", "cs_CZ", "x"] {
        let r = get(&format!("{url}?lang={bad}"), &ENGLISH);
        assert_eq!(r.status, 400, "{bad}");
        assert!(r.header("set-cookie").is_none(), "{bad}");
        let home = get(&format!("{}?lang={bad}", server.url()), &ENGLISH);
        assert_eq!(home.status, 400, "{bad}");
    }
}

#[test]
fn one_configured_language_offers_no_switcher() {
    let mut cfg = config(None);
    cfg.languages = vec!["cs".into()];
    let server = start(cfg);
    let data =
        "<http://data.example/zdroj/a> <http://www.w3.org/2000/01/rdf-schema#label> \"a\" .\n";
    assert_eq!(
        push(&server, "a", "application/n-triples", data.as_bytes()).status,
        201
    );
    let page = get(&format!("{}zdroj/a", server.url()), &ENGLISH).text();
    assert!(
        page.contains("<a href=\"/sparql\">SPARQL</a></nav></header>"),
        "{page}"
    );
}

#[test]
fn a_reader_switches_to_czech_in_chromium_and_the_next_page_follows() {
    let server = server();
    let stdout = client::browser_script(
        "switch_language.mjs",
        &[
            format!("{}zdroj/a", server.url()),
            "čeština".into(),
            "a[href=\"/zdroj/b\"]".into(),
        ],
    );
    let seen: Vec<&str> = stdout.lines().collect();
    assert_eq!(seen, ["en Thing A", "cs Věc A", "cs Věc B",], "{stdout}");
}
