//! Match patterns and target templates of routing rules.
//!
//! A pattern is a reference IRI whose path segments are literals or variables: `{name}` (one
//! non-empty segment), `{name:int}` (digits), `{name:date}` (`YYYY-MM-DD`), or, last, `{name*}`
//! (the rest of the path, one or more segments). A prefix rule matches any path starting with
//! its prefix and captures the remainder as `{rest}`. A target template is an IRI whose path may
//! use the captured variables, and which may start with `{base}` (the local IRI space); its scheme
//! and host are fixed, so no captured value can send a client to another host.

use std::collections::BTreeSet;
use std::fmt;

/// The kind of value a variable segment takes, most specific first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VarKind {
    /// `YYYY-MM-DD`.
    Date,
    /// One or more ASCII digits.
    Int,
    /// Any non-empty segment.
    Segment,
}

impl VarKind {
    /// Whether `value` (a decoded path segment) is of this kind.
    pub fn accepts(self, value: &str) -> bool {
        match self {
            Self::Date => {
                let b = value.as_bytes();
                b.len() == 10
                    && b.iter().enumerate().all(|(i, c)| match i {
                        4 | 7 => *c == b'-',
                        _ => c.is_ascii_digit(),
                    })
            }
            Self::Int => !value.is_empty() && value.bytes().all(|c| c.is_ascii_digit()),
            Self::Segment => !value.is_empty(),
        }
    }

    /// A value of this kind no literal segment is likely to equal (to probe for shadowing).
    pub fn sample(self) -> &'static str {
        match self {
            Self::Date => "1999-12-31",
            Self::Int => "987654321",
            Self::Segment => "datafond-probe",
        }
    }
}

/// One segment of a pattern's path.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Segment {
    /// Exactly this text.
    Literal(String),
    /// A named variable of a kind.
    Var(String, VarKind),
    /// A named variable taking the rest of the path.
    Rest(String),
}

/// A parsed match: the host, and the path as segments (a prefix rule keeps its last, partial
/// segment apart).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Lower-case host.
    pub host: String,
    /// Segments of the path after the leading `/`.
    pub segments: Vec<Segment>,
    /// For a prefix rule, the start of the segment after `segments`.
    pub partial: Option<String>,
}

/// A template or pattern that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError(pub String);

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Splits an absolute `http(s)` IRI into its lower-cased host and its path (with the leading
/// `/`), refusing queries and fragments.
pub fn split_iri(iri: &str) -> Result<(String, &str), TemplateError> {
    let rest = iri
        .strip_prefix("https://")
        .or_else(|| iri.strip_prefix("http://"))
        .ok_or_else(|| TemplateError(format!("`{iri}` is not an http(s) IRI")))?;
    if rest.contains(['?', '#']) {
        return Err(TemplateError(format!(
            "`{iri}`: queries and fragments are not matched"
        )));
    }
    let (host, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    if host.is_empty() || host.contains(['{', '}', '@']) {
        return Err(TemplateError(format!("`{iri}` has no fixed host")));
    }
    Ok((host.to_ascii_lowercase(), path))
}

/// Parses a template pattern (`{…}` variables) or an exact IRI (`exact`: braces are literal).
pub fn parse_pattern(iri: &str, exact: bool) -> Result<Pattern, TemplateError> {
    let (host, path) = split_iri(iri)?;
    let parts: Vec<&str> = path[1..].split('/').collect();
    let mut segments = Vec::with_capacity(parts.len());
    let mut names = BTreeSet::new();
    for (i, part) in parts.iter().enumerate() {
        let segment = match (
            exact,
            part.strip_prefix('{').and_then(|p| p.strip_suffix('}')),
        ) {
            (false, Some(var)) => {
                let (name, kind) = match var.split_once(':') {
                    Some((name, "int")) => (name, Some(VarKind::Int)),
                    Some((name, "date")) => (name, Some(VarKind::Date)),
                    Some((name, other)) => {
                        return Err(TemplateError(format!(
                            "variable `{name}` has unknown type `{other}` (int, date)"
                        )))
                    }
                    None => (var, Some(VarKind::Segment)),
                };
                let (name, rest) = match name.strip_suffix('*') {
                    Some(name) => (name, true),
                    None => (name, false),
                };
                check_name(name)?;
                if !names.insert(name.to_owned()) {
                    return Err(TemplateError(format!("variable `{name}` appears twice")));
                }
                match (rest, kind) {
                    (true, _) if i + 1 != parts.len() => {
                        return Err(TemplateError(format!(
                            "`{{{name}*}}` takes the rest of the path: it must come last"
                        )))
                    }
                    (true, _) => Segment::Rest(name.to_owned()),
                    (false, Some(kind)) => Segment::Var(name.to_owned(), kind),
                    (false, None) => unreachable!("kinds are set above"),
                }
            }
            (false, None) if part.contains(['{', '}']) => {
                return Err(TemplateError(format!(
                    "`{part}`: a variable must be a whole path segment"
                )))
            }
            _ => Segment::Literal((*part).to_owned()),
        };
        segments.push(segment);
    }
    Ok(Pattern {
        host,
        segments,
        partial: None,
    })
}

/// Parses a prefix match: literal, its last segment possibly partial; captures `{rest}`.
pub fn parse_prefix(iri: &str) -> Result<Pattern, TemplateError> {
    let (host, path) = split_iri(iri)?;
    let path = &path[1..];
    let (complete, partial) = match path.rfind('/') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let segments = if complete.is_empty() && !path.contains('/') {
        Vec::new()
    } else {
        complete
            .split('/')
            .map(|s| Segment::Literal(s.to_owned()))
            .collect()
    };
    Ok(Pattern {
        host,
        segments,
        partial: Some(partial.to_owned()),
    })
}

fn check_name(name: &str) -> Result<(), TemplateError> {
    let ok = !name.is_empty()
        && name != "base"
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    if ok {
        Ok(())
    } else {
        Err(TemplateError(format!(
            "`{name}` is not a usable variable name (letters, digits, `_`, `-`; not `base`)"
        )))
    }
}

impl Pattern {
    /// The names of the variables the pattern captures.
    pub fn variables(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self
            .segments
            .iter()
            .filter_map(|s| match s {
                Segment::Var(n, _) | Segment::Rest(n) => Some(n.clone()),
                Segment::Literal(_) => None,
            })
            .collect();
        if self.partial.is_some() {
            names.insert("rest".to_owned());
        }
        names
    }

    /// Whether the last variable takes the rest of the path (a prefix, or `{x*}`).
    pub fn takes_rest(&self) -> bool {
        self.partial.is_some() || matches!(self.segments.last(), Some(Segment::Rest(_)))
    }

    /// An IRI this pattern matches (variables replaced by unlikely sample values).
    pub fn sample(&self) -> String {
        let mut path: Vec<&str> = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Literal(l) => l.as_str(),
                Segment::Var(_, kind) => kind.sample(),
                Segment::Rest(_) => "datafond-probe",
            })
            .collect();
        let last;
        if let Some(partial) = &self.partial {
            last = format!("{partial}datafond-probe");
            path.push(&last);
        }
        format!("https://{}/{}", self.host, path.join("/"))
    }
}

/// A target: a fixed `scheme://host` head (or `{base}`) and a path of text and variables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Whether the template starts with `{base}`.
    pub base: bool,
    /// The template after `{base}`: text with `{name}` for each variable (checked when parsed).
    /// One string rather than a list of pieces: a redirect reads it in one memory access.
    rest: Box<str>,
}

/// A piece of a target template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text copied as is.
    Text(&'a str),
    /// A captured variable's value.
    Var(&'a str),
}

/// Parses a target template, checking its variables against `known`.
pub fn parse_target(template: &str, known: &BTreeSet<String>) -> Result<Target, TemplateError> {
    let (base, rest) = match template.strip_prefix("{base}") {
        Some(rest) => (true, rest),
        None => {
            let head = template.split('{').next().unwrap_or("");
            let fixed = head
                .strip_prefix("https://")
                .or_else(|| head.strip_prefix("http://"))
                .is_some_and(|rest| rest.find('/').is_some_and(|i| i > 0));
            if !fixed {
                return Err(TemplateError(format!(
                    "target `{template}` must start with `{{base}}` or a fixed http(s) scheme and \
                     host; variables may only appear in the path"
                )));
            }
            (false, template)
        }
    };
    // Every `{` opens a variable: check each against the match's.
    let mut at = 0;
    while let Some(open) = rest[at..].find('{').map(|i| at + i) {
        let end = rest[open..]
            .find('}')
            .ok_or_else(|| TemplateError(format!("target `{template}`: unclosed `{{`")))?;
        let name = &rest[open + 1..open + end];
        if name == "base" {
            return Err(TemplateError(format!(
                "target `{template}`: `{{base}}` may only start the target"
            )));
        }
        if !known.contains(name) {
            return Err(TemplateError(format!(
                "target `{template}` uses `{{{name}}}`, which the match does not capture"
            )));
        }
        at = open + end + 1;
    }
    Ok(Target {
        base,
        rest: rest.into(),
    })
}

impl fmt::Display for Target {
    /// The template as written.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.base {
            f.write_str("{base}")?;
        }
        f.write_str(&self.rest)
    }
}

impl Target {
    /// The pieces after `{base}`, in order.
    pub fn pieces(&self) -> impl Iterator<Item = Piece<'_>> {
        let mut rest = &*self.rest;
        std::iter::from_fn(move || {
            if rest.is_empty() {
                return None;
            }
            let piece = match rest.strip_prefix('{').and_then(|r| r.split_once('}')) {
                Some((name, after)) => {
                    rest = after;
                    Piece::Var(name)
                }
                None => {
                    let end = rest.find('{').filter(|&i| i > 0).unwrap_or(rest.len());
                    let (text, after) = rest.split_at(end);
                    rest = after;
                    Piece::Text(text)
                }
            };
            Some(piece)
        })
    }

    /// The target IRI for captured `values` (each already safe for a path: see
    /// [`path_value`]).
    pub fn expand(&self, base: &str, values: &[(String, String)]) -> String {
        let mut out = String::with_capacity(base.len() + self.rest.len() + 16);
        if self.base {
            out.push_str(base);
        }
        for piece in self.pieces() {
            match piece {
                Piece::Text(t) => out.push_str(t),
                Piece::Var(name) => {
                    if let Some((_, v)) = values.iter().find(|(n, _)| n == name) {
                        out.push_str(v);
                    }
                }
            }
        }
        out
    }
}

/// A captured value made safe for a target path: `None` when it holds a dot segment (`.` or
/// `..`, which would climb out of the path); otherwise characters that would end or escape a path segment
/// (`/` unless `slashes`, `?`, `#`, `%`, `\`, spaces and controls) percent-encoded.
pub fn path_value(value: &str, slashes: bool) -> Option<String> {
    if value.split('/').any(|s| s == "." || s == "..") {
        return None;
    }
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '/' if slashes => out.push('/'),
            '/' | '?' | '#' | '%' | '\\' | ' ' | '"' | '<' | '>' | '{' | '}' | '|' | '^' | '`' => {
                out.push_str(&format!("%{:02X}", c as u32))
            }
            c if c.is_control() => {
                let mut buf = [0u8; 4];
                for b in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{b:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    Some(out)
}

/// The pattern matching the IRIs a target produces, for finding reference IRIs from local ones:
/// `None` when a variable of the target is not a whole path segment. `names` are the rule's
/// variables; the last takes the rest of the path when `rest_last`.
pub fn reverse_pattern(
    target: &Target,
    base: &str,
    names: &[String],
    rest_last: bool,
) -> Option<Pattern> {
    let mut text = String::new();
    if target.base {
        text.push_str(base);
    }
    for piece in target.pieces() {
        match piece {
            Piece::Text(t) if t.contains(['{', '}']) => return None,
            Piece::Text(t) => text.push_str(t),
            Piece::Var(name) if rest_last && names.last().is_some_and(|n| n == name) => {
                text.push_str(&format!("{{{name}*}}"))
            }
            Piece::Var(name) => text.push_str(&format!("{{{name}}}")),
        }
    }
    let pattern = parse_pattern(&text, false).ok()?;
    // Every captured variable must be recovered, or the reference cannot be rebuilt.
    (pattern.variables().len() == names.len()).then_some(pattern)
}

/// The IRI `pattern` matches with `values` for its variables, on `host`.
pub fn instantiate(
    pattern: &Pattern,
    scheme: &str,
    host: &str,
    values: &[(String, String)],
) -> String {
    let value = |name: &str| {
        values
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut path: Vec<String> = pattern
        .segments
        .iter()
        .map(|s| match s {
            Segment::Literal(l) => l.clone(),
            Segment::Var(name, _) | Segment::Rest(name) => value(name).to_owned(),
        })
        .collect();
    if let Some(partial) = &pattern.partial {
        path.push(format!("{partial}{}", value("rest")));
    }
    format!("{scheme}://{host}/{}", path.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_parse_and_refuse_mistakes() {
        let p = parse_pattern("https://VDF.gov.cz/a/{id}/položky/{code:int}", false).unwrap();
        assert_eq!(p.host, "vdf.gov.cz");
        assert_eq!(p.segments[1], Segment::Var("id".into(), VarKind::Segment));
        assert_eq!(p.segments[3], Segment::Var("code".into(), VarKind::Int));
        assert!(parse_pattern("https://h/{a}/{a}", false).is_err());
        assert!(parse_pattern("https://h/x{a}", false).is_err());
        assert!(parse_pattern("https://h/{rest*}/x", false).is_err());
        assert!(parse_pattern("https://h/{a:float}", false).is_err());
        assert!(parse_pattern("ftp://h/a", false).is_err());
        assert!(parse_pattern("https://{h}/a", false).is_err());
    }

    #[test]
    fn targets_check_variables_and_keep_the_host_fixed() {
        let known: BTreeSet<String> = ["id".to_owned()].into();
        let t = parse_target("{base}zdroj/{id}", &known).unwrap();
        assert_eq!(
            t.expand("https://data.example/", &[("id".into(), "X".into())]),
            "https://data.example/zdroj/X"
        );
        assert!(parse_target("{base}zdroj/{code}", &known).is_err());
        assert!(parse_target("https://{id}.example/", &known).is_err());
        assert!(parse_target("https://example{id}/", &known).is_err());
        assert!(parse_target("{id}", &known).is_err());
        assert!(parse_target("https://x.example/{base}", &known).is_err());
    }

    #[test]
    fn targets_read_back_as_text_and_variables() {
        let known: BTreeSet<String> = ["id".to_owned(), "code".to_owned()].into();
        let written = "{base}číselníky/{id}/položky/{code}";
        let t = parse_target(written, &known).unwrap();
        assert_eq!(
            t.pieces().collect::<Vec<_>>(),
            [
                Piece::Text("číselníky/"),
                Piece::Var("id"),
                Piece::Text("/položky/"),
                Piece::Var("code"),
            ]
        );
        assert_eq!(t.to_string(), written);
        let values = [("id".into(), "A".into()), ("code".into(), "1".into())];
        assert_eq!(
            t.expand("https://d.example/", &values),
            "https://d.example/číselníky/A/položky/1"
        );
        let fixed = parse_target("https://d.example/x}y", &known).unwrap();
        assert_eq!(
            fixed.pieces().collect::<Vec<_>>(),
            [Piece::Text("https://d.example/x}y")]
        );
    }

    #[test]
    fn values_cannot_escape_the_path() {
        assert_eq!(path_value("..", false), None);
        assert_eq!(path_value(".", false), None);
        assert_eq!(path_value("a/../b", true), None);
        assert_eq!(path_value("../", false), None);
        assert_eq!(
            path_value("//evil.example", false).unwrap(),
            "%2F%2Fevil.example"
        );
        assert_eq!(path_value("a?b#c", false).unwrap(), "a%3Fb%23c");
        assert_eq!(path_value("položka 1", false).unwrap(), "položka%201");
    }
}
