//! What views show, through real HTTP: HTML pages (escaping, labels by language, backlinks,
//! parts, the home page, dead links), CSV long tables, JSON-LD compaction. Vocabularies' pages
//! are in `vocabulary_pages.rs`.

mod client;

use client::things::{server, Canonical, BROWSER};
use client::{config, get, parse, push, start};
use oxigraph::io::RdfFormat;

#[test]
fn html_shows_labels_by_language_escapes_values_and_lists_backlinks() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let en = get(&url, &[("Accept", "text/html"), ("Accept-Language", "en")]).text();
    assert!(
        en.contains("<title>Thing A — Things</title>")
            && en.contains("<h1 lang=\"en\">Thing A</h1>"),
        "{en}"
    );
    assert!(en.contains(">Thing B</a>"), "the linked resource's label");
    assert!(en.contains(">links to</a>"), "the property's label");
    let cs = get(
        &url,
        &[("Accept", "text/html"), ("Accept-Language", "cs, en;q=0.5")],
    )
    .text();
    assert!(cs.contains("<h1 lang=\"cs\">Věc A</h1>") && cs.contains(">odkazuje na</a>"));
    let language = |accept_language| {
        let r = get(
            &url,
            &[
                ("Accept", "text/html"),
                ("Accept-Language", accept_language),
            ],
        );
        r.header("content-language").map(str::to_owned)
    };
    assert_eq!(language("cs, en;q=0.5").as_deref(), Some("cs"));
    assert_eq!(language("de, en").as_deref(), Some("en"));
    // The page's own words follow the languages too; text in a language says which.
    assert!(
        cs.contains("<html lang=\"cs\">") && cs.contains(">Vlastnosti</h2>"),
        "{cs}"
    );
    assert!(cs.contains("Odkazy na tento zdroj (1)") && cs.contains(">Další formáty</h2>"));
    assert!(
        en.contains("<html lang=\"en\">") && en.contains(">Properties</h2>"),
        "{en}"
    );
    assert!(
        cs.contains("lang=\"cs\">Věc B</a>") && cs.contains("lang=\"cs\">odkazuje na</a>"),
        "{cs}"
    );
    assert!(
        cs.contains("<span class=\"literal\" lang=\"en\">Thing A</span>"),
        "{cs}"
    );
    assert!(cs.contains("<span class=\"literal\">42</span>"), "{cs}");
    // Hostile literals are text.
    assert!(!en.contains("<script>alert(1)</script>"));
    assert!(en.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!en.contains("<img src=x"));
    assert!(en.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // The embedded JSON-LD cannot close its script element.
    let script = en
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap();
    let json = script.split("</script>").next().unwrap();
    assert!(serde_json::from_str::<serde_json::Value>(json).is_ok());
    // Blank nodes nested, local IRIs as links, external ones outbound, datatypes shown.
    assert!(en.contains("Brno"));
    assert!(en.contains("href=\"/zdroj/b\""));
    assert!(en.contains("class=\"external\""));
    assert!(en.contains("xsd:integer"));
    // Backlinks and the dataset.
    assert!(en.contains("Links to this resource (1)") && en.contains("href=\"/zdroj/c\""));
    assert!(en.contains("href=\"/zdroj/datové-sady/věci\""));
    // The dataset by its title; a property's texts in the reader's languages first.
    assert!(en.contains("lang=\"en\">Things</a> — version"), "{en}");
    assert!(cs.contains("lang=\"cs\">Věci</a> — verze"), "{cs}");
    let first = |page: &str, a: &str, b: &str| page.find(a).unwrap() < page.find(b).unwrap();
    let (věc, thing) = (">Věc A</span>", ">Thing A</span>");
    assert!(first(&cs, věc, thing) && first(&en, thing, věc));
    // When it was published, for people and (exactly) for machines.
    assert!(
        en.contains(" UTC</time>") && en.contains("<time datetime=\"20"),
        "{en}"
    );
    // Every other format, by name.
    for (ext, name) in [("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("rdf", "RDF/XML")] {
        assert!(
            en.contains(&format!("<a href=\"/zdroj/a.{ext}\""))
                && en.contains(&format!(">{name}</a>")),
            "{ext}: {en}"
        );
    }
    let css = get(&format!("{}assets/datafond.css", server.url()), &[]);
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
}

#[test]
fn csv_is_a_long_table() {
    let server = server();
    let r = get(
        &format!("{}zdroj/a.csv", server.url()),
        &[("Accept-Language", "en")],
    );
    let text = r.text();
    assert!(!text.starts_with('\u{feff}'));
    let mut lines = text.lines();
    assert_eq!(
        lines.next(),
        Some("property,property_label,value,value_label,language,datatype")
    );
    assert!(
        text.contains("http://example.org/links,links to,http://data.example/zdroj/b,Thing B,,")
    );
    assert!(
        text.contains("\"\"\"><img src=x onerror=alert(1)>\""),
        "RFC 4180 quoting: {text}"
    );
    assert!(text.contains("http://www.w3.org/2004/02/skos/core#prefLabel,,Thing A,,en,"));
}

#[test]
fn labels_of_linked_iris_follow_publishes() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let html = [("Accept", "text/html"), ("Accept-Language", "en")];
    let before = get(&url, &html).text();
    assert!(before.contains(">http://example.org/Thing</a>"), "{before}");
    // Another dataset labels the type the page links to: the page shows the label at once.
    let label = "<http://example.org/Thing> <http://www.w3.org/2000/01/rdf-schema#label> \"Kind of thing\"@en .\n";
    let labels = "štítky";
    assert_eq!(
        push(&server, labels, "application/n-triples", label.as_bytes()).status,
        201
    );
    assert!(get(&url, &html).text().contains(">Kind of thing</a>"));
    // A new version without it takes the label away again.
    let other =
        "<http://example.org/Other> <http://www.w3.org/2000/01/rdf-schema#label> \"Other\"@en .\n";
    assert_eq!(
        push(&server, labels, "application/n-triples", other.as_bytes()).status,
        201
    );
    let after = get(&url, &html).text();
    assert!(!after.contains("Kind of thing"), "{after}");
    assert!(after.contains(">http://example.org/Thing</a>"));
    // A label by a less used predicate (looked for once the IRI is known to be described).
    let named =
        "<http://example.org/Thing> <http://xmlns.com/foaf/0.1/name> \"Named thing\"@en .\n";
    assert_eq!(
        push(&server, labels, "application/n-triples", named.as_bytes()).status,
        201
    );
    assert!(get(&url, &html).text().contains(">Named thing</a>"));
}

#[test]
fn a_property_lists_its_values_by_what_the_reader_sees() {
    let server = start(config(None));
    let mut data = String::from(
        "@prefix ex: <http://example.org/> .\n\
         @prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
         <http://data.example/zdroj/košík> ex:holds <http://data.example/zdroj/f/1>, \
         <http://data.example/zdroj/f/2>, <http://data.example/zdroj/f/3>, \
         <http://data.example/zdroj/f/4>, <http://data.example/zdroj/f/5>, \
         <http://data.example/zdroj/f/6>, <http://data.example/zdroj/f/7> ; \
         ex:note \"zebra\", \"Apple\", \"mango\" .\n",
    );
    // Labels in another order than the IRIs; one in the reader's language, one in another.
    for (i, cs, en) in [
        (1, "Třešeň", "cherry"),
        (2, "Jablko", "Apple"),
        (3, "Banán", "banana"),
        (5, "Čočka", "lentil"),
        (6, "Chřest", "asparagus"),
        (7, "Cibule", "onion"),
    ] {
        data += &format!(
            "<http://data.example/zdroj/f/{i}> skos:prefLabel \"{cs}\"@cs, \"{en}\"@en ; \
             ex:in <http://data.example/zdroj/košík> .\n"
        );
    }
    let r = push(&server, "ovoce", "text/turtle", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/košík", server.url());
    let page = |lang: &str| get(&url, &[("Accept", "text/html"), ("Accept-Language", lang)]).text();
    let order = |html: &str, texts: &[&str]| {
        let at: Vec<usize> = texts
            .iter()
            .map(|t| {
                html.find(&format!(">{t}</"))
                    .unwrap_or_else(|| panic!("{t}: {html}"))
            })
            .collect();
        at.windows(2).all(|w| w[0] < w[1])
    };
    // By label in the reader's language (an unlabelled IRI by its IRI, after them here);
    // texts by their text, whatever their case.
    let en = page("en");
    assert!(
        order(
            &en,
            &["Apple", "banana", "cherry", "http://data.example/zdroj/f/4"]
        ),
        "{en}"
    );
    assert!(order(&en, &["Apple", "mango", "zebra"]), "{en}");
    assert!(order(&en, &["Apple", "asparagus", "banana"]), "{en}");
    // Czech readers get Czech order: Č after all C, Ch after H (byte order would put Č last).
    let cs = page("cs");
    let czech = ["Banán", "Cibule", "Čočka", "Chřest", "Jablko", "Třešeň"];
    assert!(order(&cs, &czech), "{cs}");
    // What links to it, likewise (the store gives a page of backlinks in its own order).
    let backlinks = |html: &str| html[html.find("id=\"section-backlinks\"").unwrap()..].to_owned();
    assert!(order(&backlinks(&cs), &czech), "{cs}");
    let english = ["Apple", "asparagus", "banana", "cherry", "lentil", "onion"];
    assert!(order(&backlinks(&en), &english), "{en}");
}

/// Nodes named after their owner (`<contract>/term`, as CSV-on-the-Web mappings name what
/// JSON-LD nests without a name) show inside it in every format, as blank nodes do; one with a
/// label of its own is a thing of its own, a link; other IRIs stay links.
#[test]
fn a_resource_shows_its_unlabelled_parts_inside_it() {
    let server = start(config(None));
    let data = "@prefix ex: <http://example.org/> .\n\
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\
        <http://data.example/zdroj/smlouva> rdfs:label \"Contract\"@en ; \
          ex:term <http://data.example/zdroj/smlouva/doba> ; \
          ex:signer <http://data.example/zdroj/smlouva/strana> ; \
          ex:see <http://data.example/zdroj/smlouvy> , <http://data.example/zdroj/smlouva-2> .\n\
        <http://data.example/zdroj/smlouva/doba> ex:from \"2020-01-01\" ; \
          ex:end <http://data.example/zdroj/smlouva/doba/konec> .\n\
        <http://data.example/zdroj/smlouva/doba/konec> ex:day \"2020-12-31\" .\n\
        <http://data.example/zdroj/smlouva/strana> rdfs:label \"Signer\"@en ; ex:own \"strany\" .\n\
        <http://data.example/zdroj/smlouvy> ex:own \"jiné\" .\n\
        <http://data.example/zdroj/smlouva-2> ex:own \"další\" .\n";
    let r = push(&server, "smlouvy", "text/turtle", data.as_bytes());
    assert_eq!(r.status, 201, "{}", r.text());
    let url = format!("{}zdroj/smlouva", server.url());
    let nt = get(&url, &[("Accept", "application/n-triples")]);
    let graph = parse(&nt.body, RdfFormat::NTriples);
    let text = nt.text();
    assert_eq!(graph.len(), 8, "{text}");
    assert!(
        text.contains("\"2020-12-31\"") && !text.contains("strany"),
        "{text}"
    );
    assert!(!text.contains("jiné") && !text.contains("další"), "{text}");
    // The JSON-LD is the same graph, the part nested in its owner.
    let jsonld = get(&url, &[("Accept", "application/ld+json")]);
    let format = RdfFormat::JsonLd {
        profile: Default::default(),
    };
    assert_eq!(parse(&jsonld.body, format), graph, "{}", jsonld.text());
    // The page nests the part's table under the path it adds, its own part in it.
    let page = get(&url, &[("Accept", "text/html")]).text();
    let doba = page.find(">…/doba</a><table").expect("the part, nested");
    let konec = page.find(">…/konec</a><table").expect("its part, nested");
    assert!(
        doba < konec && page[konec..].contains("2020-12-31"),
        "{page}"
    );
    assert!(
        page.contains(">Signer</a>") && !page.contains("strany"),
        "{page}"
    );
    // A part is a resource of its own too, named after its owner when it has no name.
    let page = get(&format!("{url}/doba/konec"), &[("Accept", "text/html")]).text();
    assert!(page.contains("<h1>Contract › doba › konec</h1>"), "{page}");
    let part = get(
        &format!("{url}/doba"),
        &[("Accept", "application/n-triples")],
    );
    assert_eq!(
        parse(&part.body, RdfFormat::NTriples).len(),
        3,
        "{}",
        part.text()
    );
    // A publish elsewhere that adds to a part changes its owner's views (no stale cache).
    let more = "<http://data.example/zdroj/smlouva/doba/konec> <http://example.org/note> \"prodloužena\" .\n";
    assert_eq!(
        push(&server, "dodatky", "text/turtle", more.as_bytes()).status,
        201
    );
    let page = get(&url, &[("Accept", "text/html")]).text();
    assert!(page.contains("prodloužena"), "{page}");
}

#[test]
fn json_ld_is_compacted_with_prefixes_or_expanded_by_profile() {
    let server = server();
    let url = format!("{}zdroj/a", server.url());
    let compacted = get(&url, &[("Accept", "application/ld+json")]).json();
    let context = compacted["@context"].as_object().unwrap();
    assert_eq!(context["skos"], "http://www.w3.org/2004/02/skos/core#");
    let node = compacted["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["@id"] == "http://data.example/zdroj/a")
        .unwrap();
    assert!(node["skos:prefLabel"].is_array(), "{node}");
    let expanded_accept = "application/ld+json;profile=\"http://www.w3.org/ns/json-ld#expanded\"";
    let expanded = get(&url, &[("Accept", expanded_accept)]);
    assert!(expanded.json().get("@context").is_none());
    assert!(expanded
        .text()
        .contains("http://www.w3.org/2004/02/skos/core#prefLabel"));
    // Both are the same graph as the Turtle.
    let turtle = parse(
        &get(&url, &[("Accept", "text/turtle")]).body,
        RdfFormat::Turtle,
    );
    for body in [
        get(&url, &[("Accept", "application/ld+json")]).body,
        expanded.body,
    ] {
        let graph = parse(
            &body,
            RdfFormat::JsonLd {
                profile: Default::default(),
            },
        );
        let dataset = oxigraph::model::Dataset::from_iter(
            graph
                .iter()
                .map(|t| t.in_graph(oxigraph::model::GraphNameRef::DefaultGraph)),
        );
        assert!(dataset.canonicalize_equal(&turtle));
    }
}

#[test]
fn the_home_page_lists_the_datasets() {
    let server = server();
    let html = get(&server.url(), &[("Accept", BROWSER)]);
    assert_eq!(html.status, 200);
    assert!(html
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    assert!(
        html.text().contains("href=\"/zdroj/datové-sady/věci\""),
        "{}",
        html.text()
    );
    assert!(html.text().contains("href=\"/zdroj/datové-sady/věci.ttl\""));
    assert!(html
        .text()
        .contains("href=\"/zdroj/datové-sady/věci.nq\">nq</a>"));
    assert!(html.text().contains(">Published datasets</h1>"));
    // Vocabularies apart, after the datasets.
    let vocabulary =
        "<http://data.example/slovník/v> a <http://www.w3.org/2002/07/owl#Ontology> ;\n\
                      <http://www.w3.org/2000/01/rdf-schema#label> \"Vocabulary V\"@en .\n";
    let r = push(
        &server,
        "v?norm=vocabulary",
        "text/turtle",
        vocabulary.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let page = get(&server.url(), &[("Accept", BROWSER)]).text();
    let at = |needle: &str| {
        page.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {page}"))
    };
    assert!(at("href=\"/zdroj/datové-sady/věci\"") < at("<h2>Vocabularies</h2>"));
    assert!(at("<h2>Vocabularies</h2>") < at(">Vocabulary V</span></a> <code>v</code>"));
    let json = get(&server.url(), &[("Accept", "application/json")]).json();
    assert_eq!(json["datasets"].as_array().unwrap().len(), 3);
    // A dataset whose data gives it a title is listed by it, in the reader's language, and the
    // page's own words follow that language too.
    let titled = "<http://data.example/zdroj/datové-sady/obce> \
                  <http://purl.org/dc/terms/title> \"Obce\"@cs, \"Municipalities\"@en .\n";
    assert_eq!(
        push(&server, "obce", "text/turtle", titled.as_bytes()).status,
        201
    );
    // The JSON listing gives the title as a language map.
    let json = get(&format!("{}api/v1/datasets", server.url()), &[]).json();
    let obce = json["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == "obce")
        .unwrap();
    assert_eq!(obce["title"]["cs"], "Obce");
    assert_eq!(obce["title"]["en"], "Municipalities");
    let en = get(&server.url(), &[("Accept", BROWSER)]).text();
    assert!(
        en.contains("<span lang=\"en\">Municipalities</span></a> <code>obce</code>"),
        "{en}"
    );
    let cs = get(
        &server.url(),
        &[("Accept", BROWSER), ("Accept-Language", "cs")],
    );
    assert_eq!(cs.header("content-language"), Some("cs"));
    let cs = cs.text();
    assert!(cs.contains("<span lang=\"cs\">Obce</span></a>"), "{cs}");
    assert!(cs.contains("<html lang=\"cs\">") && cs.contains(">Zveřejněné datové sady</h1>"));
    // Untitled datasets keep their id.
    assert!(cs.contains(">jiné</a>"), "{cs}");
}

#[test]
fn a_browser_following_a_dead_link_gets_a_page_and_scripts_get_problem_json() {
    let server = server();
    // A hostile path is text on the page, not markup: its IRI keeps `<` escaped (an IRI holds
    // none), and what it holds literally, such as `&lt;`, is escaped on the page.
    let dead = format!(
        "{}zdroj/%3Cscript%3Ealert(1)%3C%2Fscript%3E&lt;b&gt;",
        server.url()
    );
    let page = get(&dead, &[("Accept", BROWSER)]);
    assert_eq!(page.status, 404);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let text = page.text();
    assert!(
        text.contains("<h1>Not found</h1>") && text.contains("<html lang=\"en\">"),
        "{text}"
    );
    assert!(
        text.contains("/zdroj/%3Cscript%3Ealert(1)%3C%2Fscript%3E&amp;lt;b&amp;gt;")
            && !text.contains("<script>")
            && !text.contains("<b>"),
        "{text}"
    );
    assert!(page.header("vary").unwrap().contains("Accept-Language"));
    assert_eq!(page.header("access-control-allow-origin"), Some("*"));
    let czech = get(&dead, &[("Accept", BROWSER), ("Accept-Language", "cs")]);
    assert_eq!(czech.header("content-language"), Some("cs"));
    let czech = czech.text();
    assert!(czech.contains("<h1>Nenalezeno</h1>"), "{czech}");
    // The detail too, where the problem gives it in Czech.
    assert!(
        czech.contains("<span lang=\"cs\">úložiště nemá o /zdroj/%3Cscript%3E"),
        "{czech}"
    );
    assert!(text.contains("<span lang=\"en\">the store holds no data about"));
    // curl, scripts and RDF clients: the problem as JSON, as before.
    for accept in [
        None,
        Some("*/*"),
        Some("text/turtle"),
        Some("application/json"),
    ] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let r = get(&dead, &headers);
        assert_eq!(r.status, 404);
        assert_eq!(
            r.header("content-type"),
            Some("application/problem+json"),
            "{accept:?}"
        );
        assert_eq!(r.json()["code"], "not-found");
        let cs = r.json()["details"]["cs"].as_str().unwrap().to_owned();
        assert!(cs.starts_with("úložiště nemá o /zdroj/"), "{cs}");
    }
    // A bad parameter, too, is a page for a browser.
    let bad = get(
        &format!("{}zdroj/a?backlinks=x", server.url()),
        &[("Accept", BROWSER)],
    );
    assert_eq!(bad.status, 400);
    assert!(
        bad.text().contains("<h1>Invalid query parameter</h1>"),
        "{}",
        bad.text()
    );
}

#[test]
fn an_iri_only_linked_to_shows_browsers_what_links_to_it() {
    let server = server();
    let data = "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n\
                <http://data.example/zdroj/úřad> skos:prefLabel \"Úřad\"@cs, \"Office\"@en ;\n\
                  <http://purl.org/dc/terms/publisher> <http://data.example/zdroj/nikdo> .\n";
    assert_eq!(
        push(&server, "úřady", "text/turtle", data.as_bytes()).status,
        201
    );
    let url = format!("{}zdroj/nikdo", server.url());
    let page = get(&url, &[("Accept", BROWSER), ("Accept-Language", "en")]);
    assert_eq!(page.status, 404);
    assert!(page
        .header("content-type")
        .unwrap()
        .starts_with("text/html"));
    let text = page.text();
    assert!(text.contains("No data here describes this IRI"), "{text}");
    assert!(
        text.contains("Links to this resource (1)")
            && text.contains("href=\"/zdroj/úřad\"")
            && text.contains(">Office</a>"),
        "{text}"
    );
    // Nothing else to offer: no other formats, no embedded JSON-LD.
    assert!(!text.contains("rel=\"alternate\"") && !text.contains("application/ld+json"));
    let cs = get(&url, &[("Accept", BROWSER), ("Accept-Language", "cs")]).text();
    assert!(cs.contains("Žádná data zde toto IRI nepopisují") && cs.contains(">Úřad</a>"));
    let suffixed = get(&format!("{url}.html"), &[]);
    assert_eq!(suffixed.status, 404);
    assert!(suffixed.text().contains("Links to this resource (1)"));
    assert_eq!(suffixed.header("vary"), Some("Accept-Language, Cookie"));
    // RDF clients get the problem: there is no description to give them.
    let turtle = get(&url, &[("Accept", "text/turtle")]);
    assert_eq!(turtle.status, 404);
    assert_eq!(turtle.json()["code"], "not-found");
    // An IRI nothing links to: the plain not-found page.
    let nothing = get(
        &format!("{}zdroj/nic", server.url()),
        &[("Accept", BROWSER)],
    );
    assert_eq!(nothing.status, 404);
    assert!(!nothing.text().contains("Links to this resource"));
    // Once described, the IRI has its page.
    let described = "<http://data.example/zdroj/nikdo> <http://www.w3.org/2000/01/rdf-schema#label> \"Někdo\"@cs .\n";
    assert_eq!(
        push(&server, "nikdo", "text/turtle", described.as_bytes()).status,
        201
    );
    assert_eq!(get(&url, &[("Accept", BROWSER)]).status, 200);
}
