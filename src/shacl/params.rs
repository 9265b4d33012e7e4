//! Reads a shape's constraint parameters into [`Constraint`]s, checking each value's form.

use super::compile::{literal_value, short, single, Compiler, Param};
use super::graph::Id;
use super::rdf_read::{list, values};
use super::shape::{Constraint, NodeKind, Qualified, RangeKind, Shape, ShapeIdx};
use super::vocab::{sh, xsd};
use oxigraph::model::{NamedNodeRef, Term};
use regex::RegexBuilder;
use rustc_hash::FxHashSet;

impl Compiler<'_> {
    pub(super) fn constraints(&mut self, shape: &mut Shape) {
        let g = self.graph;
        let node = shape.node.clone();
        let is_property = shape.path.is_some();
        let mut out = Vec::new();
        for v in values(g, &node, sh::CLASS) {
            match v {
                Term::Literal(_) => self.problem(&node, "sh:class must be an IRI"),
                _ => out.push(Constraint::Class(self.intern(&v))),
            }
        }
        for v in values(g, &node, sh::DATATYPE) {
            match v {
                Term::NamedNode(n) => out.push(Constraint::Datatype(n)),
                _ => self.problem(&node, "sh:datatype must be an IRI"),
            }
        }
        for v in values(g, &node, sh::NODE_KIND) {
            match node_kind(&v) {
                Some(k) => out.push(Constraint::NodeKind(k)),
                None => self.problem(&node, format!("{v} is not a sh:NodeKind")),
            }
        }
        let counts: [Param<'_, usize>; 4] = [
            (sh::MIN_COUNT, Constraint::MinCount),
            (sh::MAX_COUNT, Constraint::MaxCount),
            (sh::MIN_LENGTH, Constraint::MinLength),
            (sh::MAX_LENGTH, Constraint::MaxLength),
        ];
        for (p, make) in counts {
            for v in values(g, &node, p) {
                if !is_property && (p == sh::MIN_COUNT || p == sh::MAX_COUNT) {
                    self.problem(
                        &node,
                        format!("{} is only allowed on property shapes", short(p)),
                    );
                }
                if let Some(n) = self.count(&node, p, &v) {
                    out.push(make(n));
                }
            }
        }
        for (p, kind) in [
            (sh::MIN_EXCLUSIVE, RangeKind::MinExclusive),
            (sh::MIN_INCLUSIVE, RangeKind::MinInclusive),
            (sh::MAX_EXCLUSIVE, RangeKind::MaxExclusive),
            (sh::MAX_INCLUSIVE, RangeKind::MaxInclusive),
        ] {
            for v in values(g, &node, p) {
                match v {
                    Term::Literal(_) => {
                        out.push(Constraint::Range(kind, super::value::comparable_term(&v)))
                    }
                    _ => self.problem(&node, format!("{} must be a literal", short(p))),
                }
            }
        }
        self.pattern(&node, &mut out);
        for head in values(g, &node, sh::LANGUAGE_IN) {
            match list(g, &head) {
                Ok(items) => {
                    let tags = items
                        .iter()
                        .filter_map(|t| match t {
                            Term::Literal(l) => Some(l.value().to_ascii_lowercase()),
                            _ => None,
                        })
                        .collect();
                    out.push(Constraint::LanguageIn(tags));
                }
                Err(e) => self.problem(&node, format!("sh:languageIn: {e}")),
            }
        }
        for v in values(g, &node, sh::UNIQUE_LANG) {
            if !is_property {
                self.problem(&node, "sh:uniqueLang is only allowed on property shapes");
            }
            if self.boolean(&node, sh::UNIQUE_LANG, &v) {
                out.push(Constraint::UniqueLang);
            }
        }
        let pairs: [Param<'_, Id>; 4] = [
            (sh::EQUALS, Constraint::Equals),
            (sh::DISJOINT, Constraint::Disjoint),
            (sh::LESS_THAN, Constraint::LessThan),
            (sh::LESS_THAN_OR_EQUALS, Constraint::LessThanOrEquals),
        ];
        for (p, make) in pairs {
            for v in values(g, &node, p) {
                if !matches!(v, Term::NamedNode(_)) {
                    self.problem(&node, format!("{} must be an IRI", short(p)));
                    continue;
                }
                if !is_property && (p == sh::LESS_THAN || p == sh::LESS_THAN_OR_EQUALS) {
                    self.problem(
                        &node,
                        format!("{} is only allowed on property shapes", short(p)),
                    );
                }
                out.push(make(self.intern(&v)));
            }
        }
        let refs: [Param<'_, ShapeIdx>; 3] = [
            (sh::NOT, Constraint::Not),
            (sh::NODE, Constraint::Node),
            (sh::PROPERTY, Constraint::Property),
        ];
        for (p, make) in refs {
            for v in values(g, &node, p) {
                if let Some(i) = self.reference(&node, p, &v) {
                    out.push(make(i));
                }
            }
        }
        let logical: [Param<'_, Vec<ShapeIdx>>; 3] = [
            (sh::AND, Constraint::And),
            (sh::OR, Constraint::Or),
            (sh::XONE, Constraint::Xone),
        ];
        for (p, make) in logical {
            for head in values(g, &node, p) {
                match list(g, &head) {
                    Ok(items) => {
                        let refs: Option<Vec<_>> =
                            items.iter().map(|i| self.reference(&node, p, i)).collect();
                        if let Some(refs) = refs {
                            out.push(make(refs));
                        }
                    }
                    Err(e) => self.problem(&node, format!("{}: {e}", short(p))),
                }
            }
        }
        self.qualified(&node, &mut out);
        self.closed(&node, &mut out);
        for v in values(g, &node, sh::HAS_VALUE) {
            out.push(Constraint::HasValue(self.intern(&v)));
        }
        for head in values(g, &node, sh::IN) {
            match list(g, &head) {
                Ok(items) => {
                    let set = items.iter().map(|i| self.intern(i)).collect();
                    out.push(Constraint::In(set));
                }
                Err(e) => self.problem(&node, format!("sh:in: {e}")),
            }
        }
        shape.constraints = out;
    }

    fn pattern(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let flags = single(g, node, sh::FLAGS).map(|f| literal_value(&f));
        for v in values(g, node, sh::PATTERN) {
            let Term::Literal(l) = &v else {
                self.problem(node, "sh:pattern must be a literal");
                continue;
            };
            match build_regex(l.value(), flags.as_deref().unwrap_or("")) {
                Ok(r) => out.push(Constraint::Pattern(Box::new(r))),
                Err(e) => self.problem(node, format!("sh:pattern {:?}: {e}", l.value())),
            }
        }
    }

    fn qualified(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let min = single(g, node, sh::QUALIFIED_MIN_COUNT)
            .and_then(|v| self.count(node, sh::QUALIFIED_MIN_COUNT, &v));
        let max = single(g, node, sh::QUALIFIED_MAX_COUNT)
            .and_then(|v| self.count(node, sh::QUALIFIED_MAX_COUNT, &v));
        for v in values(g, node, sh::QUALIFIED_VALUE_SHAPE) {
            let Some(shape) = self.reference(node, sh::QUALIFIED_VALUE_SHAPE, &v) else {
                continue;
            };
            if min.is_none() && max.is_none() {
                self.problem(
                    node,
                    "sh:qualifiedValueShape needs sh:qualifiedMinCount or sh:qualifiedMaxCount",
                );
            }
            if let Some(min) = min {
                out.push(Constraint::Qualified(Qualified {
                    shape,
                    min: Some(min),
                    max: None,
                    siblings: Vec::new(),
                }));
            }
            if let Some(max) = max {
                out.push(Constraint::Qualified(Qualified {
                    shape,
                    min: None,
                    max: Some(max),
                    siblings: Vec::new(),
                }));
            }
        }
    }

    fn closed(&mut self, node: &Term, out: &mut Vec<Constraint>) {
        let g = self.graph;
        let Some(v) = single(g, node, sh::CLOSED) else {
            return;
        };
        if !self.boolean(node, sh::CLOSED, &v) {
            return;
        }
        let mut allowed = FxHashSet::default();
        for p in values(g, node, sh::PROPERTY) {
            for path in values(g, &p, sh::PATH) {
                if matches!(path, Term::NamedNode(_)) {
                    allowed.insert(self.intern(&path));
                }
            }
        }
        for head in values(g, node, sh::IGNORED_PROPERTIES) {
            match list(g, &head) {
                Ok(items) => allowed.extend(items.iter().map(|i| self.intern(i))),
                Err(e) => self.problem(node, format!("sh:ignoredProperties: {e}")),
            }
        }
        out.push(Constraint::Closed(allowed));
    }

    pub(super) fn count(&mut self, node: &Term, p: NamedNodeRef<'_>, v: &Term) -> Option<usize> {
        let parsed = match v {
            Term::Literal(l) => l.value().trim().parse::<usize>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.problem(
                node,
                format!("{} must be a non-negative integer, not {v}", short(p)),
            );
        }
        parsed
    }

    pub(super) fn boolean(&mut self, node: &Term, p: NamedNodeRef<'_>, v: &Term) -> bool {
        // Only the literal `true` activates a parameter: "1"^^xsd:boolean does not (W3C test
        // uniqueLang-002), though it is a well-formed boolean.
        match v {
            Term::Literal(l) if l.datatype() == xsd::BOOLEAN => l.value() == "true",
            _ => {
                self.problem(
                    node,
                    format!("{} must be an xsd:boolean, not {v}", short(p)),
                );
                false
            }
        }
    }
}

fn node_kind(v: &Term) -> Option<NodeKind> {
    let Term::NamedNode(n) = v else { return None };
    let k = |iri, blank, literal| {
        Some(NodeKind {
            iri,
            blank,
            literal,
        })
    };
    match n.as_ref() {
        x if x == sh::IRI => k(true, false, false),
        x if x == sh::BLANK_NODE => k(false, true, false),
        x if x == sh::LITERAL => k(false, false, true),
        x if x == sh::BLANK_NODE_OR_IRI => k(true, true, false),
        x if x == sh::BLANK_NODE_OR_LITERAL => k(false, true, true),
        x if x == sh::IRI_OR_LITERAL => k(true, false, true),
        _ => None,
    }
}

/// Builds a regex with XPath's flags (`s`, `m`, `i`, `x`, `q`), as `sh:flags` defines them.
pub(crate) fn build_regex(pattern: &str, flags: &str) -> Result<regex::Regex, String> {
    let mut b_pattern = pattern.to_owned();
    if flags.contains('q') {
        b_pattern = regex::escape(pattern);
    }
    let mut builder = RegexBuilder::new(&b_pattern);
    for f in flags.chars() {
        match f {
            'i' => builder.case_insensitive(true),
            'm' => builder.multi_line(true),
            's' => builder.dot_matches_new_line(true),
            'x' => builder.ignore_whitespace(true),
            'q' => &mut builder,
            other => return Err(format!("unknown regex flag {other:?}")),
        };
    }
    builder.build().map_err(|e| e.to_string())
}
