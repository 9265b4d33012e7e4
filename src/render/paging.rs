//! The links of a page to its other pages (of backlinks, of long properties' values, of a code
//! list's items): each keeps what else the page shows.

use super::html::{Escaped, Page};
use std::fmt::Write;

impl Page<'_> {
    /// A paragraph of links to the pages around `page` of `pages`, `?{param}=N#{anchor}` on the
    /// resource's `path` ("previous · page 2 of 5 (420) · next", with the `count` of what is
    /// paged); the links keep the other pages and the order this page shows.
    pub(super) fn pager(
        &self,
        out: &mut String,
        path: &str,
        (param, anchor): (&str, &str),
        (page, pages): (usize, usize),
        count: Option<usize>,
    ) {
        let [previous, next, page_word, of] = self.words().paging;
        let link = |n: usize| {
            let query = self.query(&[(param, Some(n.to_string()))]);
            format!("{}{query}#{anchor}", Escaped(path))
        };
        out.push_str("<p class=\"paging\">");
        if page > 1 {
            write!(
                out,
                "<a href=\"{}\" rel=\"prev\">{previous}</a> ",
                link(page - 1)
            )
            .ok();
        }
        write!(out, "{page_word} {page} {of} {pages}").ok();
        if let Some(count) = count {
            write!(out, " ({count})").ok();
        }
        if page < pages {
            write!(
                out,
                " <a href=\"{}\" rel=\"next\">{next}</a>",
                link(page + 1)
            )
            .ok();
        }
        out.push_str("</p>");
    }

    /// The query of a link to this page showing what it shows with `changes` made (`None`
    /// drops a parameter): the other pages (of items, values, backlinks) and the items' order
    /// are kept, first pages left out; `lang` is set by the language switcher. Escaped for an
    /// attribute; empty when nothing is left.
    pub(super) fn query(&self, changes: &[(&str, Option<String>)]) -> String {
        let page = |n: usize| (n > 1).then(|| n.to_string());
        let items = self.description.items.as_ref();
        let shown = [
            (
                "sort",
                items
                    .filter(|i| i.sort != Default::default())
                    .map(|i| i.sort.name().to_owned()),
            ),
            ("items", items.and_then(|i| page(i.page))),
            ("values", page(self.values_page)),
            ("backlinks", page(self.backlinks_page)),
            // Set by the language switcher only: the chosen language is kept in a cookie.
            ("lang", None),
        ];
        let mut parts = Vec::new();
        for (name, value) in shown {
            let value = changes
                .iter()
                .find(|(changed, _)| *changed == name)
                .map_or(value, |(_, changed)| changed.clone());
            if let Some(value) = value {
                parts.push(format!("{name}={}", Escaped(&value)));
            }
        }
        match parts.is_empty() {
            true => String::new(),
            false => format!("?{}", parts.join("&amp;")),
        }
    }
}
