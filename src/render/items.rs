//! The items table of a code list's page: code, a name column per language and validity, with
//! sorting and paging by links (no JavaScript needed).

use super::html::escape;
use super::words::Words;
use crate::describe::code_list::{Items, Sort, PER_PAGE};
use std::fmt::Write;

/// A link's query for the page showing what it shows with some parameters changed (`None`
/// drops one), the other pages kept.
pub type Query<'a> = &'a dyn Fn(&[(&str, Option<String>)]) -> String;

/// The section listing `items`; `path` is the list's page, `words` the page's own words, `href`
/// turns an item IRI into a link, `query` makes the query of a sorting or paging link.
pub fn section(
    items: &Items,
    path: &str,
    words: &Words,
    href: &dyn Fn(&str) -> String,
    query: Query<'_>,
) -> String {
    let [heading, code, name, begin, end, pages_label] = words.items;
    let mut out = format!(
        "<section aria-labelledby=\"section-items\"><h2 id=\"section-items\">{heading} ({})</h2>\
         <table class=\"items\"><thead><tr>",
        items.total
    );
    let header = |out: &mut String, label: &str, sort: Option<Sort>| {
        match sort {
            Some(s) if s == items.sort => write!(
                out,
                "<th scope=\"col\" aria-sort=\"ascending\">{}</th>",
                escape(label)
            ),
            Some(s) => write!(
                out,
                "<th scope=\"col\"><a href=\"{}{}#section-items\">{}</a></th>",
                escape(path),
                query(&[("sort", Some(s.name().to_owned())), ("items", None)]),
                escape(label)
            ),
            None => write!(out, "<th scope=\"col\">{}</th>", escape(label)),
        }
        .ok();
    };
    header(&mut out, code, Some(Sort::Code));
    for (i, lang) in items.languages.iter().enumerate() {
        let sort = (i == 0).then_some(Sort::Name);
        header(&mut out, &format!("{name} ({lang})"), sort);
    }
    header(&mut out, begin, Some(Sort::Begin));
    header(&mut out, end, None);
    out.push_str("</tr></thead><tbody>");
    for row in &items.rows {
        write!(
            out,
            "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th>",
            escape(&href(&row.iri)),
            escape(&row.code)
        )
        .ok();
        for lang in &items.languages {
            let name = row.names.get(lang).map_or("", String::as_str);
            write!(out, "<td lang=\"{}\">{}</td>", escape(lang), escape(name)).ok();
        }
        for date in [&row.begin, &row.end] {
            write!(out, "<td>{}</td>", escape(date.as_deref().unwrap_or(""))).ok();
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    let pages = items.total.div_ceil(PER_PAGE);
    if pages > 1 {
        write!(
            out,
            "<nav aria-label=\"{}\"><ul class=\"pages\">",
            escape(pages_label)
        )
        .ok();
        for page in 1..=pages {
            if page == items.page {
                write!(out, "<li aria-current=\"page\">{page}</li>").ok();
            } else {
                write!(
                    out,
                    "<li><a href=\"{}{}#section-items\">{page}</a></li>",
                    escape(path),
                    query(&[("items", Some(page.to_string()))])
                )
                .ok();
            }
        }
        out.push_str("</ul></nav>");
    }
    out.push_str("</section>");
    out
}
