//! The compiled matcher: a tree per host whose edges are path segments, so finding the rule for
//! an IRI costs a walk down its path whatever the number of rules (no scan over patterns).
//!
//! Specificity, most specific first at each segment: a literal, a typed variable (`date`, then
//! `int`), a plain variable, a rest variable (`{x*}`), then prefixes (the longest first). The
//! first complete match in that order wins, so two rules can only tie when their patterns have the
//! same shape, which [`Matcher::insert`] refuses.

use super::template::{Pattern, Segment, VarKind};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// Rules by host and path, each identified by its index.
#[derive(Debug, Default)]
pub struct Matcher {
    hosts: HashMap<String, Node>,
}

/// A point in the path. Most nodes are leaves (the last segment of one IRI), so what lies below
/// is boxed apart: a leaf costs two words.
#[derive(Debug, Default)]
struct Node {
    /// The rule whose pattern ends here.
    end: Option<usize>,
    below: Option<Box<Below>>,
}

#[derive(Debug, Default)]
struct Below {
    /// Literal segments (keys come from rule files, not from requests: a fast hash is safe).
    literals: FxHashMap<Box<str>, Node>,
    /// Variable children, most specific kind first.
    vars: Vec<(VarKind, Node)>,
    /// The rule whose rest variable starts here.
    rest: Option<usize>,
    /// Prefix rules whose prefix continues with this text; longest first.
    prefixes: Vec<(Box<str>, usize)>,
}

impl Node {
    fn below(&mut self) -> &mut Below {
        self.below.get_or_insert_with(Box::default)
    }
}

/// A match: the rule's index and the values of its variables, in pattern order.
#[derive(Debug, PartialEq, Eq)]
pub struct Found {
    /// The rule.
    pub rule: usize,
    /// Captured values (decoded), in the order of the pattern's variables.
    pub values: Vec<String>,
}

impl Matcher {
    /// Adds `rule`'s pattern on `host`. Fails with the index of a rule that has the same shape.
    pub fn insert(&mut self, host: &str, pattern: &Pattern, rule: usize) -> Result<(), usize> {
        if !self.hosts.contains_key(host) {
            self.hosts.insert(host.to_owned(), Node::default());
        }
        let mut node = self.hosts.get_mut(host).expect("inserted");
        for (i, segment) in pattern.segments.iter().enumerate() {
            match segment {
                Segment::Literal(text) => {
                    node = node
                        .below()
                        .literals
                        .entry(text.as_str().into())
                        .or_default();
                }
                Segment::Var(_, kind) => {
                    let vars = &mut node.below().vars;
                    let at = match vars.iter().position(|(k, _)| k == kind) {
                        Some(at) => at,
                        None => {
                            vars.push((*kind, Node::default()));
                            vars.sort_by_key(|(k, _)| *k);
                            vars.iter().position(|(k, _)| k == kind).expect("added")
                        }
                    };
                    node = &mut vars[at].1;
                }
                Segment::Rest(_) => {
                    debug_assert_eq!(i + 1, pattern.segments.len());
                    return claim(&mut node.below().rest, rule);
                }
            }
        }
        match &pattern.partial {
            None => claim(&mut node.end, rule),
            Some(partial) => {
                let prefixes = &mut node.below().prefixes;
                if let Some((_, other)) = prefixes.iter().find(|(p, _)| **p == **partial) {
                    return Err(*other);
                }
                prefixes.push((partial.as_str().into(), rule));
                prefixes.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
                Ok(())
            }
        }
    }

    /// Whether any rule has `host` as its source.
    pub fn has_host(&self, host: &str) -> bool {
        self.hosts.contains_key(host)
    }

    /// The hosts rules match on.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        self.hosts.keys().map(String::as_str)
    }

    /// The most specific rule matching `path` (decoded segments after the leading `/`) on
    /// `host`.
    pub fn find(&self, host: &str, segments: &[&str]) -> Option<Found> {
        let mut values = Vec::new();
        let rule = walk(self.hosts.get(host)?, segments, 0, &mut values)?;
        Some(Found { rule, values })
    }
}

fn claim(slot: &mut Option<usize>, rule: usize) -> Result<(), usize> {
    match slot {
        Some(other) => Err(*other),
        None => {
            *slot = Some(rule);
            Ok(())
        }
    }
}

fn walk(node: &Node, segments: &[&str], i: usize, values: &mut Vec<String>) -> Option<usize> {
    let Some(segment) = segments.get(i) else {
        return node.end;
    };
    let below = node.below.as_deref()?;
    if let Some(found) = below
        .literals
        .get(*segment)
        .and_then(|child| walk(child, segments, i + 1, values))
    {
        return Some(found);
    }
    for (kind, child) in &below.vars {
        if kind.accepts(segment) {
            values.push((*segment).to_owned());
            if let Some(found) = walk(child, segments, i + 1, values) {
                return Some(found);
            }
            values.pop();
        }
    }
    let remainder = || segments[i..].join("/");
    if let Some(rule) = below.rest {
        if segments[i..].iter().all(|s| !s.is_empty()) {
            values.push(remainder());
            return Some(rule);
        }
    }
    if !below.prefixes.is_empty() {
        let remainder = remainder();
        for (partial, rule) in &below.prefixes {
            if let Some(rest) = remainder.strip_prefix(&**partial) {
                values.push(rest.to_owned());
                return Some(*rule);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::template::{parse_pattern, parse_prefix};
    use super::*;

    fn matcher(patterns: &[&str]) -> Matcher {
        let mut m = Matcher::default();
        for (i, p) in patterns.iter().enumerate() {
            let pattern = match p.strip_prefix("prefix:") {
                Some(p) => parse_prefix(p).unwrap(),
                None => parse_pattern(p, false).unwrap(),
            };
            m.insert(&pattern.host.clone(), &pattern, i).unwrap();
        }
        m
    }

    fn find(m: &Matcher, path: &str) -> Option<(usize, Vec<String>)> {
        let segments: Vec<&str> = path[1..].split('/').collect();
        m.find("h", &segments).map(|f| (f.rule, f.values))
    }

    #[test]
    fn the_most_specific_rule_wins() {
        let m = matcher(&[
            "https://h/c/{id}",
            "https://h/c/{id}/{date:date}",
            "https://h/c/{id}/položky/{code}",
            "https://h/c/special",
            "https://h/c/{id}/{n:int}",
            "prefix:https://h/c/",
            "https://h/files/{path*}",
        ]);
        assert_eq!(find(&m, "/c/X"), Some((0, vec!["X".into()])));
        assert_eq!(find(&m, "/c/special"), Some((3, vec![])));
        assert_eq!(
            find(&m, "/c/X/2024-01-31"),
            Some((1, vec!["X".into(), "2024-01-31".into()]))
        );
        assert_eq!(
            find(&m, "/c/X/42"),
            Some((4, vec!["X".into(), "42".into()]))
        );
        assert_eq!(
            find(&m, "/c/X/položky/7"),
            Some((2, vec!["X".into(), "7".into()]))
        );
        // Nothing more specific: the prefix.
        assert_eq!(find(&m, "/c/X/other"), Some((5, vec!["X/other".into()])));
        assert_eq!(find(&m, "/c/"), Some((5, vec!["".into()])));
        assert_eq!(find(&m, "/files/a/b"), Some((6, vec!["a/b".into()])));
        assert_eq!(find(&m, "/files//evil"), None);
        assert_eq!(find(&m, "/other"), None);
        assert_eq!(m.find("elsewhere", &["c", "X"]), None);
    }

    #[test]
    fn same_shapes_conflict() {
        let mut m = matcher(&["https://h/c/{id}", "prefix:https://h/p"]);
        let same = parse_pattern("https://h/c/{other}", false).unwrap();
        assert_eq!(m.insert("h", &same, 9), Err(0));
        let prefix = parse_prefix("https://h/p").unwrap();
        assert_eq!(m.insert("h", &prefix, 9), Err(1));
        let typed = parse_pattern("https://h/c/{n:int}", false).unwrap();
        assert_eq!(m.insert("h", &typed, 9), Ok(()));
    }
}
