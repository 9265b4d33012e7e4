//! The HTML page of a resource: readable without JavaScript, accessible, every value escaped,
//! with the resource's JSON-LD embedded for machines that read pages.

use super::inline::{license_name, LangOf, When};
use super::words::{self, Words};
use crate::describe::{best_label, owners, Description};
use oxigraph::model::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};
use std::collections::HashMap;
use std::fmt::Write;

/// What a page needs besides the description.
pub struct Page<'a> {
    /// The description.
    pub description: &'a Description,
    /// Preferred languages, most preferred first.
    pub languages: &'a [String],
    /// The local IRI space (IRIs under it link to this server).
    pub base: &'a str,
    /// The resource's JSON-LD (none embedded when empty).
    pub json_ld: &'a str,
    /// The page of backlinks shown (from 1).
    pub backlinks_page: usize,
    /// The page of long properties' values shown (from 1).
    pub values_page: usize,
    /// The other representations and their explicit URLs.
    pub formats: &'a [super::Alternate],
    /// The languages the page can be switched to (the configured label languages).
    pub offered: &'a [String],
}

/// `rdf:type`: types are shown first, and group an ontology's terms.
pub(super) const RDF_TYPE: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

/// Text escaped for HTML content and attribute values, written straight into the page (no copy
/// of the text is made).
pub struct Escaped<'a>(pub &'a str);

impl std::fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut rest = self.0;
        while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..at])?;
            f.write_str(match rest.as_bytes()[at] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[at + 1..];
        }
        f.write_str(rest)
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    Escaped(text).to_string()
}

/// JSON made safe inside `<script>`: `<`, `>` and `&` only occur in JSON strings, where their
/// `\u` escapes mean the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl Page<'_> {
    /// The page's own words, in the first of its languages there are words in.
    pub(super) fn words(&self) -> &'static Words {
        words::for_languages(self.languages)
    }

    pub(super) fn label_of(&self, iri: &NamedNode) -> Option<&Literal> {
        self.description
            .labels
            .get(iri)
            .and_then(|l| best_label(l, self.languages))
    }

    /// Where an IRI links: a path on this server for local IRIs, the IRI itself otherwise.
    pub(super) fn href(&self, iri: &str) -> (String, bool) {
        href(iri, self.base)
    }

    pub(super) fn link(&self, iri: &NamedNode) -> String {
        let (href, local) = self.href(iri.as_str());
        let label = self.label_of(iri);
        let text = label.map_or_else(|| compact(iri.as_str()), |l| l.value().to_owned());
        let external = if local {
            ""
        } else {
            " class=\"external\" rel=\"external noopener\""
        };
        format!(
            "<a href=\"{}\" title=\"{}\"{external}{}>{}</a>",
            Escaped(&href),
            Escaped(iri.as_str()),
            LangOf(label),
            Escaped(&text)
        )
    }

    /// The whole page.
    pub fn render(&self) -> String {
        let d = self.description;
        let iri = NamedNode::new_unchecked(d.iri.clone());
        let label = self.label_of(&iri);
        let title = match label {
            Some(l) => l.value().to_owned(),
            None => self.part_title().unwrap_or_else(|| compact(&d.iri)),
        };
        // The browser's title names where the resource comes from too, as Skosmos does ("Brno —
        // Municipalities"): the title of its dataset, when it has one and is not the resource.
        let source = d
            .versions
            .first()
            .filter(|v| v.dataset_iri != d.iri)
            .and_then(|v| self.label_of(&NamedNode::new_unchecked(v.dataset_iri.clone())));
        let tab = match source {
            Some(dataset) => format!("{title} — {}", dataset.value()),
            None => title.clone(),
        };
        let mut by_subject: HashMap<NamedOrBlankNode, Vec<&Triple>> = HashMap::new();
        for t in &d.triples {
            by_subject.entry(t.subject.clone()).or_default().push(t);
        }
        let own = by_subject
            .get(&NamedOrBlankNode::from(iri.clone()))
            .cloned()
            .unwrap_or_default();
        let (path, _) = self.href(&d.iri);
        let words = self.words();
        let mut out = String::new();
        // The page's own words are in its language; labels and literals say their own each.
        write!(
            out,
            "<!doctype html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
             <title>{}</title><link rel=\"stylesheet\" href=\"/assets/datafond.css\">",
            words.lang,
            Escaped(&tab)
        )
        .ok();
        // Only linked to: no representation but this page.
        let described = !(d.versions.is_empty() && d.triples.is_empty());
        for a in self.formats.iter().filter(|_| described) {
            write!(
                out,
                "<link rel=\"alternate\" type=\"{}\" href=\"{}\">",
                a.media_type,
                Escaped(&a.url)
            )
            .ok();
        }
        // The reference IRI to cite is the page's canonical address (as the `Link` header says);
        // HTML allows `rel="canonical"` on `<link>` only.
        if let Some(reference) = d.references.first() {
            write!(
                out,
                "<link rel=\"canonical\" href=\"{}\">",
                Escaped(reference)
            )
            .ok();
        }
        if !self.json_ld.is_empty() {
            write!(
                out,
                "<script type=\"application/ld+json\">{}</script>",
                script_safe(self.json_ld)
            )
            .ok();
        }
        // The switcher shows this page (its pages and order kept) in another language.
        let switch = |tag: &str| self.query(&[("lang", Some(tag.to_owned()))]);
        let header =
            super::header::header(words, None, (self.offered, self.languages), Some(&switch));
        write!(
            out,
            "</head><body>{header}<main><h1{}>{}</h1><p class=\"iri\"><code>{}</code></p>",
            LangOf(label),
            Escaped(&title),
            Escaped(&d.iri)
        )
        .ok();
        for reference in &d.references {
            write!(
                out,
                "<p class=\"reference\">{} \
                 <a href=\"{1}\"><code>{1}</code></a></p>",
                words.reference,
                Escaped(reference)
            )
            .ok();
        }
        let types: Vec<String> = own
            .iter()
            .filter(|t| t.predicate.as_str() == RDF_TYPE)
            .filter_map(|t| match &t.object {
                Term::NamedNode(n) => Some(self.link(n)),
                _ => None,
            })
            .collect();
        if !types.is_empty() {
            write!(out, "<p class=\"types\">{}</p>", types.join(" ")).ok();
        }
        if !described {
            write!(out, "<p class=\"notice\">{}</p>", words.undescribed).ok();
            self.backlinks(&mut out, &path);
            out.push_str("</main></body></html>\n");
            return out;
        }
        write!(
            out,
            "<section aria-labelledby=\"section-properties\"><h2 id=\"section-properties\">{}</h2>",
            words.properties
        )
        .ok();
        out.push_str(&self.table(&own, &by_subject, 0));
        out.push_str("</section>");
        self.vocabulary(&mut out);
        self.terms(&mut out, &by_subject);
        if let Some(items) = &d.items {
            let query = |changes: &[(&str, Option<String>)]| self.query(changes);
            let href = |iri: &str| self.href(iri).0;
            out.push_str(&super::items::section(items, &path, words, &href, &query));
        }
        self.sources(&mut out);
        self.history(&mut out);
        self.backlinks(&mut out, &path);
        write!(
            out,
            "<nav aria-labelledby=\"section-formats\"><h2 id=\"section-formats\">{}</h2><ul class=\"formats\">",
            words.other_formats
        )
        .ok();
        for a in self.formats {
            // The URL's tail: `.ttl`, or `?format=ttl` where `.ttl` is a file (a dataset's).
            let suffix = format!(".{}", a.ext);
            let tail = match a.url.ends_with(&suffix) {
                true => suffix,
                false => format!("?format={}", a.ext),
            };
            write!(
                out,
                "<li><a href=\"{}\" type=\"{}\">{}</a> <code>{}</code></li>",
                Escaped(&a.url),
                a.media_type,
                a.name,
                Escaped(&tail)
            )
            .ok();
        }
        out.push_str("</ul></nav></main></body></html>\n");
        out
    }

    /// For a vocabulary term: sub-classes and sub-properties, the properties whose domain or
    /// range it is, and how many resources have it as type.
    fn vocabulary(&self, out: &mut String) {
        let d = self.description;
        let typed = d
            .backlink_predicates
            .iter()
            .find(|(p, _)| p.as_str() == RDF_TYPE)
            .map_or(0, |(_, n)| *n);
        let words = self.words();
        let sections = [
            "http://www.w3.org/2000/01/rdf-schema#subClassOf",
            "http://www.w3.org/2000/01/rdf-schema#subPropertyOf",
            "http://www.w3.org/2000/01/rdf-schema#domain",
            "http://www.w3.org/2000/01/rdf-schema#range",
        ];
        let lists: Vec<_> = sections
            .iter()
            .zip(words.schema)
            .filter_map(|(p, title)| d.schema_links.get(*p).map(|l| (title, l)))
            .collect();
        if lists.is_empty() && typed == 0 {
            return;
        }
        write!(
            out,
            "<section aria-labelledby=\"section-vocabulary\"><h2 id=\"section-vocabulary\">{}</h2>",
            words.in_vocabulary
        )
        .ok();
        if typed > 0 {
            write!(out, "<p>{} <strong>{typed}</strong></p>", words.typed).ok();
        }
        for (title, terms) in lists {
            write!(out, "<h3>{}</h3><ul>", Escaped(title)).ok();
            for term in terms {
                write!(out, "<li>{}</li>", self.link(term)).ok();
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>");
    }

    fn sources(&self, out: &mut String) {
        let words = self.words();
        write!(
            out,
            "<section aria-labelledby=\"section-dataset\"><h2 id=\"section-dataset\">{}</h2><ul>",
            words.dataset
        )
        .ok();
        for v in &self.description.versions {
            let dataset = NamedNode::new_unchecked(v.dataset_iri.clone());
            let version = NamedNode::new_unchecked(v.iri.clone());
            let (version_href, _) = self.href(version.as_str());
            write!(
                out,
                "<li>{} — {} <a href=\"{}.ttl\">{}</a>, {}",
                self.link(&dataset),
                words.version,
                Escaped(&version_href),
                Escaped(&v.label()),
                When(&v.created)
            )
            .ok();
            if let Some(license) = &v.license {
                write!(
                    out,
                    " — {} <a rel=\"license\" href=\"{}\">{}</a>",
                    words.licence,
                    Escaped(license),
                    Escaped(&license_name(license).unwrap_or_else(|| license.clone()))
                )
                .ok();
            }
            out.push_str("</li>");
        }
        out.push_str("</ul></section>");
    }

    /// The versions in which the resource changed, newest first, with what changed.
    fn history(&self, out: &mut String) {
        let history = &self.description.history;
        if history.is_empty() {
            return;
        }
        let words = self.words();
        write!(
            out,
            "<section aria-labelledby=\"section-history\"><h2 id=\"section-history\">{}</h2><ol>",
            words.history
        )
        .ok();
        for (i, a) in history.iter().enumerate() {
            let (href, _) = self.href(&a.version);
            let what = match (a.present, i + 1 == history.len()) {
                (false, _) => words.what[0],
                (true, true) => words.what[1],
                (true, false) => words.what[2],
            };
            let scheduled = if a.scheduled {
                format!(" <strong>({})</strong>", words.scheduled)
            } else {
                String::new()
            };
            write!(
                out,
                "<li><a href=\"{}.ttl\">{} {}</a>{scheduled}, {} {}: {what}",
                Escaped(&href),
                words.version,
                Escaped(&a.label),
                words.published,
                When(&a.created)
            )
            .ok();
            if a.present && i + 1 < history.len() {
                out.push_str("<ul>");
                for (sign, changes) in [("+", &a.added), ("−", &a.removed)] {
                    for (property, value) in changes {
                        write!(
                            out,
                            "<li><span class=\"change\">{sign}</span> {}: {}</li>",
                            self.link(property),
                            Escaped(value)
                        )
                        .ok();
                    }
                }
                out.push_str("</ul>");
            }
            out.push_str("</li>");
        }
        out.push_str("</ol></section>");
    }

    /// The title of an unlabelled part (see [`crate::describe::is_part`]): the label of the
    /// nearest resource it is a part of, then the path it adds (`data box › platnost ›
    /// začátek`), as a breadcrumb; `None` when no such resource has a label.
    fn part_title(&self) -> Option<String> {
        let iri = &self.description.iri;
        owners(iri).find_map(|owner| {
            let label = self.label_of(&NamedNode::new_unchecked(owner))?;
            let path: Vec<&str> = iri[owner.len()..]
                .split('/')
                .filter(|s| !s.is_empty())
                .collect();
            Some(format!("{} › {}", label.value(), path.join(" › ")))
        })
    }

    /// What a page shows for a node: its label, else its IRI (a blank node: nothing).
    /// A blank node's: that of the resource it hangs from, if known.
    fn name_of<'t>(&'t self, node: &'t NamedOrBlankNode) -> &'t str {
        match node {
            NamedOrBlankNode::NamedNode(n) => self.label_of(n).map_or(n.as_str(), Literal::value),
            NamedOrBlankNode::BlankNode(b) => match self.description.backlink_owners.get(b) {
                Some((owner, _)) => self.label_of(owner).map_or(owner.as_str(), Literal::value),
                None => "",
            },
        }
    }

    fn backlinks(&self, out: &mut String, path: &str) {
        let d = self.description;
        if d.backlink_count == 0 {
            return;
        }
        let words = self.words();
        write!(
            out,
            "<section aria-labelledby=\"section-backlinks\"><h2 id=\"section-backlinks\">{} ({})</h2>",
            words.backlinks, d.backlink_count
        )
        .ok();
        if d.backlink_predicates.len() > 1 {
            out.push_str("<p class=\"by-predicate\">");
            let counts: Vec<String> = d
                .backlink_predicates
                .iter()
                .map(|(p, n)| format!("{} {n}", self.link(p)))
                .collect();
            out.push_str(&counts.join(" · "));
            out.push_str("</p>");
        }
        // A page of backlinks comes in the store's order; shown by name, as values are.
        let mut shown: Vec<_> = d.backlinks.iter().collect();
        if shown.len() > 1 {
            let collation = super::collation::Collation::for_reader(self.languages);
            shown.sort_by(|(s1, p1), (s2, p2)| {
                collation
                    .compare(self.name_of(s1), self.name_of(s2))
                    .then_with(|| p1.as_str().cmp(p2.as_str()))
            });
        }
        out.push_str("<ul>");
        for (s, p) in shown {
            // From a blank node: the resource it hangs from, and the way to the link
            // ("Company X — sídlo › obec").
            let (subject, via) = match s {
                NamedOrBlankNode::NamedNode(n) => (self.link(n), String::new()),
                NamedOrBlankNode::BlankNode(b) => match d.backlink_owners.get(b) {
                    Some((owner, path)) => {
                        let hops: Vec<String> = path.iter().map(|p| self.link(p)).collect();
                        (self.link(owner), format!("{} › ", hops.join(" › ")))
                    }
                    None => (escape(&b.to_string()), String::new()),
                },
            };
            write!(out, "<li>{subject} — {via}{}</li>", self.link(p)).ok();
        }
        out.push_str("</ul>");
        let pages = d
            .backlink_count
            .div_ceil(crate::describe::BACKLINKS_PER_PAGE);
        if pages > 1 {
            let at = ("backlinks", "section-backlinks");
            self.pager(out, path, at, (self.backlinks_page, pages), None);
        }
        out.push_str("</section>");
    }
}

/// Where `iri` links from a page of the server at `base`, and whether it is local: a path on
/// this server for local IRIs (a `?` in one is part of its path, escaped so that the link does
/// not make it a query; a `#` still begins its fragment), the IRI itself otherwise.
pub fn href(iri: &str, base: &str) -> (String, bool) {
    let Some(path) = iri.strip_prefix(base) else {
        return (iri.to_owned(), false);
    };
    let (path, fragment) = match path.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (path, None),
    };
    let mut href = format!("/{}", path.replace('?', "%3F"));
    if let Some(fragment) = fragment {
        href.push('#');
        href.push_str(fragment);
    }
    (href, true)
}

/// The local name of an IRI: what follows its last `#` or `/`.
pub fn local_name(iri: &str) -> &str {
    iri.rsplit(['#', '/']).next().unwrap_or(iri)
}

/// A short form of an IRI: a prefixed name for the common vocabularies, else the IRI.
pub fn compact(iri: &str) -> String {
    super::PREFIXES
        .iter()
        .find_map(|(prefix, ns)| {
            iri.strip_prefix(ns)
                .map(|local| format!("{prefix}:{local}"))
        })
        .unwrap_or_else(|| iri.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped_and_the_rest_kept() {
        assert_eq!(
            escape(r#"<a href="x">'č&ř'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;č&amp;ř&#39;&lt;/a&gt;"
        );
        assert_eq!(format!("[{}]", Escaped("plain")), "[plain]");
        assert_eq!(escape(""), "");
    }
}
