//! Licences through real HTTP: a version is published under the licence its data states for
//! its dataset (`dcterms:license`), else the server's default (config `license`); resource
//! pages show it, every representation links it (`Link: <…>; rel="license"`), and the
//! dataset's VoID description and the API name it.

mod client;

use client::{config, get, push, start, url_of};

const CC0: &str = "http://creativecommons.org/publicdomain/zero/1.0/";
const CC_BY: &str = "https://creativecommons.org/licenses/by/4.0/";

fn dataset(id: &str, license: Option<&str>) -> String {
    let stated = license.map_or(String::new(), |l| {
        format!("<http://data.example/zdroj/datové-sady/{id}> <http://purl.org/dc/terms/license> <{l}> .\n")
    });
    format!(
        "{stated}<http://data.example/{id}/1> <http://www.w3.org/2000/01/rdf-schema#label> \"one\"@en .\n"
    )
}

#[test]
fn versions_carry_the_licence_their_data_states_or_the_servers_default() {
    let mut cfg = config(None);
    cfg.license = Some(CC_BY.into());
    let server = start(cfg);
    for (id, license) in [("stated", Some(CC0)), ("default", None)] {
        let r = push(&server, id, "text/turtle", dataset(id, license).as_bytes());
        assert_eq!(r.status, 201, "{}", r.text());
    }
    for (id, expected, name) in [("stated", CC0, "CC0 1.0"), ("default", CC_BY, "CC BY 4.0")] {
        let resource = url_of(&server, &format!("http://data.example/{id}/1"));
        let page = get(&resource, &[("Accept", "text/html")]);
        // Linked, by the short name people know it by.
        assert!(
            page.text().contains(&format!(
                "licence <a rel=\"license\" href=\"{expected}\">{name}</a>"
            )),
            "{id}: {}",
            page.text()
        );
        let turtle = get(&resource, &[("Accept", "text/turtle")]);
        let link = turtle.header("link").unwrap_or_default();
        assert!(
            link.contains(&format!("<{expected}>; rel=\"license\"")),
            "{id}: {link}"
        );
        let void = get(
            &url_of(
                &server,
                &format!("http://data.example/zdroj/datové-sady/{id}"),
            ),
            &[("Accept", "application/n-triples")],
        )
        .text();
        assert!(
            void.contains(&format!("<http://purl.org/dc/terms/license> <{expected}>")),
            "{id}: {void}"
        );
        // Also where the data itself describes the dataset's IRI (its licence): still VoID.
        assert!(
            void.contains("<http://rdfs.org/ns/void#Dataset>")
                && void.contains("<http://rdfs.org/ns/void#triples>"),
            "{id}: {void}"
        );
        let api = get(&format!("{}api/v1/datasets/{id}", server.url()), &[]).json();
        assert_eq!(api["current"]["license"], expected, "{id}");
    }
}

#[test]
fn without_a_default_a_version_states_no_licence() {
    let server = start(config(None));
    let r = push(
        &server,
        "plain",
        "text/turtle",
        dataset("plain", None).as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let resource = url_of(&server, "http://data.example/plain/1");
    let page = get(&resource, &[("Accept", "text/html")]).text();
    assert!(!page.contains("rel=\"license\""), "{page}");
    let api = get(&format!("{}api/v1/datasets/plain", server.url()), &[]).json();
    assert!(api["current"].get("license").is_none(), "{api}");
}
