//! A code list's page through real HTTP: its items table sorted by code, by name in the
//! reader's language's order, or by validity, paged 500 at a time, with links that keep the
//! page's other pages.

mod client;

use client::code_lists::{item, push_list, server, LIST};
use client::get;

#[test]
fn a_code_list_page_shows_its_items_in_a_sortable_table() {
    let server = server();
    let list = format!(
        "{LIST}{}{}{}",
        item("10", "zelená", Some("green")),
        item("9", "oranžová", Some("amber"))
            .replace("oranžová\"@cs", "<script>alert(1)</script>\"@cs"),
        item("2", "modrá", Some("blue"))
    );
    let r = push_list(&server, "barvy", "list.ttl", list.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let page = |query: &str| {
        let url = format!("{}zdroj/číselníky/barvy{query}", server.url());
        let r = get(&url, &[("Accept", "text/html"), ("Accept-Language", "en")]);
        assert_eq!(r.status, 200);
        let html = r.text();
        let start = html
            .find("<section aria-labelledby=\"section-items\">")
            .expect("an items table");
        html[start..].split("</section>").next().unwrap().to_owned()
    };
    let by_code = page("");
    assert!(by_code.contains("Items (3)"), "{by_code}");
    // Codes sort by value: 2, 9, 10; every name is escaped.
    let order = |html: &str, codes: &[&str]| {
        let at: Vec<usize> = codes
            .iter()
            .map(|c| html.find(&format!(">{c}</a></th>")).unwrap())
            .collect();
        at.windows(2).all(|w| w[0] < w[1])
    };
    assert!(order(&by_code, &["2", "9", "10"]), "{by_code}");
    assert!(by_code.contains("&lt;script&gt;") && !by_code.contains("<script>"));
    assert!(by_code.contains("<td lang=\"en\">green</td>") && by_code.contains("Name (cs)"));
    // By English name: amber (9), blue (2), green (10).
    let by_name = page("?sort=name");
    assert!(order(&by_name, &["9", "2", "10"]), "{by_name}");
    assert!(
        by_name.contains("aria-sort=\"ascending\">Name (en)"),
        "{by_name}"
    );
    // Sorting links land on the table, not the top of the page.
    assert!(by_name.contains("?sort=code#section-items\""), "{by_name}");
}

/// Pushes the list `barvy` with `items` (Turtle), which must be accepted.
fn push_items(server: &datafond::serve::Running, items: &str) {
    let list = format!("{LIST}{items}");
    let r = push_list(server, "barvy", "list.ttl", list.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
}

/// The list's page (`query` appended) for a reader of `lang`.
fn list_page(server: &datafond::serve::Running, query: &str, lang: &str) -> String {
    let url = format!("{}zdroj/číselníky/barvy{query}", server.url());
    let r = get(&url, &[("Accept", "text/html"), ("Accept-Language", lang)]);
    assert_eq!(r.status, 200, "{query}");
    r.text()
}

/// The codes of the items table's rows, in order.
fn item_codes(html: &str) -> Vec<u32> {
    html.split("</a></th>")
        .filter_map(|row| row.rsplit('>').next()?.parse().ok())
        .collect()
}

#[test]
fn items_sorted_by_name_follow_the_readers_language() {
    let server = server();
    let names = [
        ("1", "zlatá", "gold"),
        ("2", "červená", "red"),
        ("3", "úzká", "amber"),
        ("4", "chromová", "chrome"),
        ("5", "hnědá", "brown"),
    ];
    let items: String = names
        .iter()
        .map(|(code, cs, en)| item(code, cs, Some(en)))
        .collect();
    push_items(&server, &items);
    let codes = |lang: &str| {
        let html = list_page(&server, "?sort=name", lang);
        let start = html
            .find("<section aria-labelledby=\"section-items\">")
            .unwrap();
        item_codes(html[start..].split("</section>").next().unwrap())
    };
    // Czech: č after c, ch after h, ú with u (byte order would put č and ú after z).
    assert_eq!(codes("cs"), [2, 5, 4, 3, 1]);
    assert_eq!(codes("en"), [3, 5, 4, 1, 2]);
}

#[test]
fn a_long_code_list_pages_its_items_and_links_keep_the_other_pages_and_the_order() {
    let server = server();
    let items: String = (1..=1001)
        .map(|i| {
            item(
                &i.to_string(),
                &format!("barva{i}"),
                Some(&format!("colour{i}")),
            )
        })
        .collect();
    push_items(&server, &items);
    let page = |query: &str| list_page(&server, query, "en");
    // 500 items a page, by code: the second page has 501 to 1000.
    let second = page("?items=2");
    assert!(second.contains("Items (1001)"));
    assert_eq!(item_codes(&second), (501..=1000).collect::<Vec<_>>());
    assert!(second.contains("<li aria-current=\"page\">2</li>"));
    // Every item links to the list (`skos:inScheme`): 21 pages of backlinks. On the second
    // page of items sorted by name and the third of backlinks, each link changes one thing.
    let html = page("?sort=name&items=2&backlinks=3");
    for link in [
        "?sort=name&amp;items=3&amp;backlinks=3#section-items\">3</a>",
        "?sort=code&amp;backlinks=3#section-items\">Code</a>",
        "?sort=name&amp;items=2&amp;backlinks=4#section-backlinks\" rel=\"next\"",
        "?sort=name&amp;items=2&amp;backlinks=2#section-backlinks\" rel=\"prev\"",
    ] {
        assert!(html.contains(link), "{link}");
    }
    // The default order is not repeated in links.
    assert!(page("?backlinks=2").contains("barvy?backlinks=3#section-backlinks\""));
}

/// A list's rows are read once per set of current versions and kept for its other pages and
/// orders; a publish (of the list or of any dataset) makes them read again, never stale.
#[test]
fn a_lists_rows_follow_publishes() {
    let server = server();
    push_items(&server, &item("1", "červená", Some("red")));
    assert!(list_page(&server, "", "en").contains(">red</td>"));
    // Another order, not in the view cache: from the kept rows.
    assert!(list_page(&server, "?sort=name", "en").contains(">red</td>"));
    // The list renamed its item: every order shows the new name.
    push_items(&server, &item("1", "červená", Some("crimson")));
    for query in ["?sort=begin", "?sort=name", ""] {
        let page = list_page(&server, query, "en");
        assert!(
            page.contains(">crimson</td>") && !page.contains(">red</td>"),
            "{page}"
        );
    }
}

/// Each item's validity (`dcterms:temporal`: an interval's beginning and end instants) shows in
/// its row, and orders the table by beginning.
#[test]
fn items_show_their_validity_and_sort_by_its_beginning() {
    let server = server();
    let valid = |code: &str, cs: &str, begin: &str, end: Option<&str>| {
        let instant = |date: Option<&str>| {
            match date {
            Some(date) => format!("[ a time:Instant ; time:inXSDDate \"{date}\"^^xsd:date ]"),
            None => "[ a time:Instant ; <https://slovník.gov.cz/generický/čas/pojem/je-nespecifikovaný> true ]".into(),
        }
        };
        let validity = format!(
            " ; dcterms:temporal [ a time:ProperInterval ; time:hasBeginning {} ; time:hasEnd {} ] .\n",
            instant(Some(begin)),
            instant(end)
        );
        item(code, cs, Some(cs)).replace(" .\n", &validity)
    };
    let items = [
        valid("1", "stará", "2001-01-01", Some("2010-12-31")),
        valid("2", "nová", "2020-06-01", None),
        valid("3", "střední", "2011-01-01", None),
    ];
    push_items(&server, &items.concat());
    let page = list_page(&server, "", "cs");
    let row = |code: &str| {
        let at = page.find(&format!(">{code}</a></th>")).unwrap();
        page[at..].split("</tr>").next().unwrap().to_owned()
    };
    assert!(
        row("1").contains("2001-01-01") && row("1").contains("2010-12-31"),
        "{page}"
    );
    assert!(row("2").contains("2020-06-01"), "{page}");
    let by_begin = list_page(&server, "?sort=begin", "cs");
    let at = |code: &str| by_begin.find(&format!(">{code}</a></th>")).unwrap();
    assert!(at("1") < at("3") && at("3") < at("2"), "{by_begin}");
}
