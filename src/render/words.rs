//! The words of the pages themselves (headings, notes, paging; resource pages and the home page)
//! in English and Czech, chosen by the request's languages like the labels are: a Czech reader of
//! Czech labels gets Czech headings too.

/// A page's own words in one language.
#[derive(Debug)]
pub struct Words {
    /// The language's tag (the page's `<html lang>`).
    pub lang: &'static str,
    /// The heading of the resource's properties.
    pub properties: &'static str,
    /// Before a reference IRI that resolves to the resource.
    pub reference: &'static str,
    /// The heading of a vocabulary term's place in its vocabulary.
    pub in_vocabulary: &'static str,
    /// Before the number of resources typed with a class.
    pub typed: &'static str,
    /// Headings of sub-classes, sub-properties, properties with this domain and with this range.
    pub schema: [&'static str; 4],
    /// The heading of an ontology's terms.
    pub terms: &'static str,
    /// The name of the terms' table of contents.
    pub contents: &'static str,
    /// The headings of the kinds of terms: classes, object, datatype and annotation
    /// properties, other properties, other terms.
    pub kinds: [&'static str; 6],
    /// The heading of the dataset (and version) a resource comes from.
    pub dataset: &'static str,
    /// Before a version's name.
    pub version: &'static str,
    /// Before a licence.
    pub licence: &'static str,
    /// The heading of the resource's history.
    pub history: &'static str,
    /// Before when a version was published.
    pub published: &'static str,
    /// What a version did to the resource: removed it, published it first, changed it.
    pub what: [&'static str; 3],
    /// Said of a version dated after today.
    pub scheduled: &'static str,
    /// The heading of the backlinks.
    pub backlinks: &'static str,
    /// Paging links: previous, next, and "page" / "of" of "page 2 of 5".
    pub paging: [&'static str; 4],
    /// The heading of the links to the other formats.
    pub other_formats: &'static str,
    /// The note of a page of an IRI no data describes but some resources link to.
    pub undescribed: &'static str,
    /// A code list's items: heading, code, name, valid from, valid to, and its pages' label.
    pub items: [&'static str; 6],
    /// The name of the header's links to the site's own pages (home, SPARQL).
    pub site: &'static str,
    /// The name of the header's list of languages to switch to.
    pub language: &'static str,
    /// The home page's heading.
    pub datasets: &'static str,
    /// The home page's heading of the published vocabularies.
    pub vocabularies: &'static str,
    /// The home page's columns: dataset, norm, version, triples, files.
    pub columns: [&'static str; 5],
    /// After a scheduled version's date ("next: 2025-01-01, scheduled").
    pub next: [&'static str; 2],
    /// The home page's note, in parts around the base IRI: every IRI under it answers in every
    /// format, then where the push API and the SPARQL endpoint are (markup).
    pub note: [&'static str; 3],
    /// The query page's words.
    pub sparql: SparqlWords,
}

/// The words of the SPARQL query page.
#[derive(Debug)]
pub struct SparqlWords {
    /// Its title and heading.
    pub title: &'static str,
    /// The editor's label.
    pub editor: &'static str,
    /// The button that runs the query.
    pub run: &'static str,
    /// The heading of the examples.
    pub examples: &'static str,
    /// The titles of the built-in examples: classes in use, labels, properties in use.
    pub example_titles: [&'static str; 3],
    /// The heading of the answer.
    pub answer: &'static str,
    /// Before the download links.
    pub download: &'static str,
    /// How many rows the answer has.
    pub rows: fn(usize) -> String,
}

fn rows_en(n: usize) -> String {
    format!("{n} rows")
}

fn rows_cs(n: usize) -> String {
    format!("Řádků: {n}")
}

/// English, the default.
pub const EN: Words = Words {
    lang: "en",
    properties: "Properties",
    reference: "Reference IRI (cite this):",
    in_vocabulary: "In the vocabulary",
    typed: "Resources of this type:",
    schema: [
        "Sub-classes",
        "Sub-properties",
        "Properties with this domain",
        "Properties with this range",
    ],
    terms: "Terms",
    contents: "Contents",
    kinds: [
        "Classes",
        "Object properties",
        "Datatype properties",
        "Annotation properties",
        "Other properties",
        "Other terms",
    ],
    dataset: "Dataset",
    version: "version",
    licence: "licence",
    history: "History",
    published: "published",
    what: ["removed", "first published", "changed"],
    scheduled: "scheduled: not yet current",
    backlinks: "Links to this resource",
    paging: ["previous", "next", "page", "of"],
    other_formats: "Other formats",
    undescribed: "No data here describes this IRI; the resources below link to it.",
    items: [
        "Items",
        "Code",
        "Name",
        "Valid from",
        "Valid to",
        "item pages",
    ],
    site: "Site",
    language: "Language",
    datasets: "Published datasets",
    vocabularies: "Vocabularies",
    columns: ["dataset", "norm", "version", "triples", "files"],
    next: ["next", "scheduled"],
    note: [
        "Every IRI under",
        "answers in HTML, Turtle, JSON-LD, N-Triples, RDF/XML and CSV.",
        "Data is pushed with <code>PUT /api/v1/datasets/&lt;id&gt;</code> and queried at \
         <a href=\"/sparql\">/sparql</a>.",
    ],
    sparql: SparqlWords {
        title: "SPARQL query",
        editor: "Query (the default graph is every dataset's current version)",
        run: "Run",
        examples: "Examples",
        example_titles: ["Classes in use", "Labels", "Properties in use"],
        answer: "Answer",
        download: "Download:",
        rows: rows_en,
    },
};

/// Czech.
pub const CS: Words = Words {
    lang: "cs",
    properties: "Vlastnosti",
    reference: "Referenční IRI (citujte je):",
    in_vocabulary: "Ve slovníku",
    typed: "Zdrojů tohoto typu:",
    schema: [
        "Podtřídy",
        "Podvlastnosti",
        "Vlastnosti s tímto definičním oborem",
        "Vlastnosti s tímto oborem hodnot",
    ],
    terms: "Pojmy",
    contents: "Obsah",
    kinds: [
        "Třídy",
        "Objektové vlastnosti",
        "Datové vlastnosti",
        "Anotační vlastnosti",
        "Další vlastnosti",
        "Další pojmy",
    ],
    dataset: "Datová sada",
    version: "verze",
    licence: "licence",
    history: "Historie",
    published: "zveřejněna",
    what: ["odstraněn", "poprvé zveřejněn", "změněn"],
    scheduled: "naplánována: zatím neplatí",
    backlinks: "Odkazy na tento zdroj",
    paging: ["předchozí", "další", "strana", "z"],
    other_formats: "Další formáty",
    undescribed: "Žádná data zde toto IRI nepopisují; odkazují na něj zdroje níže.",
    items: [
        "Položky",
        "Kód",
        "Název",
        "Platnost od",
        "Platnost do",
        "strany položek",
    ],
    site: "Stránky",
    language: "Jazyk",
    datasets: "Zveřejněné datové sady",
    vocabularies: "Slovníky",
    columns: ["datová sada", "norma", "verze", "trojic", "soubory"],
    next: ["další", "naplánována"],
    note: [
        "Každé IRI pod",
        "odpovídá v HTML, Turtle, JSON-LD, N-Triples, RDF/XML a CSV.",
        "Data se nahrávají přes <code>PUT /api/v1/datasets/&lt;id&gt;</code> a dotazují na \
         <a href=\"/sparql\">/sparql</a>.",
    ],
    sparql: SparqlWords {
        title: "Dotaz SPARQL",
        editor: "Dotaz (výchozí graf je platná verze každé datové sady)",
        run: "Spustit",
        examples: "Příklady",
        example_titles: ["Použité třídy", "Názvy", "Použité vlastnosti"],
        answer: "Odpověď",
        download: "Stáhnout:",
        rows: rows_cs,
    },
};

/// The words for the first of `languages` (most preferred first; primary subtags count, so
/// `cs-CZ` is Czech) that there are words in; English when none.
pub fn for_languages(languages: &[String]) -> &'static Words {
    languages
        .iter()
        .find_map(|tag| {
            let primary = tag.split('-').next().unwrap_or(tag);
            [&EN, &CS]
                .into_iter()
                .find(|w| w.lang.eq_ignore_ascii_case(primary))
        })
        .unwrap_or(&EN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_preferred_language_with_words_wins() {
        let langs = |tags: &[&str]| tags.iter().map(|t| t.to_string()).collect::<Vec<_>>();
        assert_eq!(for_languages(&langs(&["cs", "en"])).lang, "cs");
        assert_eq!(for_languages(&langs(&["de", "CS-cz", "en"])).lang, "cs");
        assert_eq!(for_languages(&langs(&["de", "en", "cs"])).lang, "en");
        assert_eq!(for_languages(&langs(&["de"])).lang, "en");
        assert_eq!(for_languages(&[]).lang, "en");
    }
}
