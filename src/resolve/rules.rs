//! Rule files: the TOML format of `routing-rules/*.toml`, read into compiled [`Rule`]s and
//! [`Element`]s with the file and line each comes from. Mistakes come back as [`Diagnostic`]s.

use super::template::{self, Pattern, Target};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A rule's life-cycle state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Redirects.
    Active,
    /// Still redirects; publishers are asked to move away from it.
    Deprecated,
    /// Answers 410 Gone.
    Gone,
}

impl Status {
    /// The lower-case name used in files and RDF.
    pub fn name(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Deprecated => "deprecated",
            Self::Gone => "gone",
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    rule: Vec<toml::Spanned<RuleSpec>>,
    #[serde(default)]
    element: Vec<toml::Spanned<ElementSpec>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    owner: String,
    #[serde(default = "active")]
    status: Status,
    #[serde(default)]
    hosts: Vec<String>,
    exact: Option<String>,
    prefix: Option<String>,
    template: Option<String>,
    target: Option<String>,
    code: Option<u16>,
    #[serde(default)]
    targets: BTreeMap<String, String>,
    created: Option<toml::value::Date>,
    modified: Option<toml::value::Date>,
    #[serde(default)]
    test: Vec<RuleTest>,
}

fn active() -> Status {
    Status::Active
}

/// A rule's built-in test: requesting `from` (with `accept`) answers `status` and `location`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleTest {
    /// The reference IRI requested.
    pub from: String,
    /// The `Accept` header sent, if any.
    pub accept: Option<String>,
    /// The expected status code.
    pub status: u16,
    /// The expected `Location` (IRI form; `{base}` is the local IRI space).
    pub location: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ElementSpec {
    code: String,
    code_list: String,
    item: Option<String>,
    #[serde(default)]
    description: String,
}

/// How a rule matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    /// One IRI.
    Exact,
    /// Every IRI starting with the text.
    Prefix,
    /// A template with variables.
    Template,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// Unique id.
    pub id: String,
    /// What it is for.
    pub description: String,
    /// Who answers for it.
    pub owner: String,
    /// Its state.
    pub status: Status,
    /// The status code of its redirects (410 when gone).
    pub code: u16,
    /// The match as written, and its kind.
    pub source: String,
    /// The kind of match.
    pub kind: MatchKind,
    /// The parsed match.
    pub pattern: Pattern,
    /// Every host it answers on (the match's first).
    pub hosts: Vec<String>,
    /// The names of the captured variables, in pattern order.
    pub names: Vec<String>,
    /// The default target as written and parsed (none when gone).
    pub target: Option<(String, Target)>,
    /// Targets per media type.
    pub typed: Vec<(String, Target)>,
    /// `created` and `modified` dates, when given.
    pub created: Option<String>,
    /// See `created`.
    pub modified: Option<String>,
    /// Built-in tests.
    pub tests: Vec<RuleTest>,
    /// Where it is written.
    pub origin: Arc<Origin>,
}

/// A file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file.
    pub file: PathBuf,
    /// The line (from 1).
    pub line: usize,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file.display(), self.line)
    }
}

/// A data element coded by a code list, for `/resolve?element=…&code=…`.
#[derive(Debug, Clone)]
pub struct Element {
    /// The data element's code.
    pub code: String,
    /// The code list's reference IRI.
    pub code_list: String,
    /// The item reference IRI template (`{code_list}` and `{code}`).
    pub item: String,
    /// What it is.
    pub description: String,
}

/// The default item template of an element.
pub const ITEM_TEMPLATE: &str = "{code_list}/položky/{code}";

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The rules are not used.
    Error,
    /// Reported; the rules are used.
    Warning,
}

/// One finding of loading or checking, with where it is.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where.
    pub origin: Origin,
    /// What.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{}: {level}: {}", self.origin, self.message)
    }
}

/// Everything the files of a folder define.
#[derive(Debug, Default)]
pub struct Parsed {
    /// The rules, in file order.
    pub rules: Vec<Rule>,
    /// The data elements.
    pub elements: Vec<Element>,
}

/// Reads every `*.toml` file of `dir` (sorted by name); errors are collected in `diagnostics`.
pub fn read_dir(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Parsed {
    let mut parsed = Parsed::default();
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    for file in files {
        match std::fs::read_to_string(&file) {
            Ok(text) => read_file(&file, &text, &mut parsed, diagnostics),
            Err(e) => diagnostics.push(error(&file, 1, format!("cannot read: {e}"))),
        }
    }
    parsed
}

fn error(file: &Path, line: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        origin: Origin {
            file: file.to_owned(),
            line,
        },
        message,
    }
}

/// The line (from 1) of byte `offset` in `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

/// Reads one file's rules and elements into `parsed`.
pub fn read_file(file: &Path, text: &str, parsed: &mut Parsed, diagnostics: &mut Vec<Diagnostic>) {
    let content: File = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().trim().to_owned();
            diagnostics.push(error(file, line, format!("syntax: {message}")));
            return;
        }
    };
    // Lines are counted once, walking forward through the spans (files may hold many rules).
    let mut counter = LineCounter::new(text);
    for spec in content.rule {
        let line = counter.line(spec.span().start);
        let origin = Arc::new(Origin {
            file: file.to_owned(),
            line,
        });
        match compile(spec.into_inner(), &origin) {
            Ok(rule) => parsed.rules.push(rule),
            Err(message) => diagnostics.push(error(file, line, message)),
        }
    }
    for spec in content.element {
        let line = counter.line(spec.span().start);
        let spec = spec.into_inner();
        let item = spec.item.unwrap_or_else(|| ITEM_TEMPLATE.to_owned());
        if template::split_iri(&spec.code_list).is_err() || !item.contains("{code}") {
            diagnostics.push(error(
                file,
                line,
                format!(
                    "element `{}`: code_list must be an http(s) IRI and item must use {{code}}",
                    spec.code
                ),
            ));
            continue;
        }
        parsed.elements.push(Element {
            code: spec.code,
            code_list: spec.code_list,
            item,
            description: spec.description,
        });
    }
}

/// Counts lines up to increasing offsets without rescanning the text.
struct LineCounter<'a> {
    text: &'a [u8],
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self {
            text: text.as_bytes(),
            offset: 0,
            line: 1,
        }
    }

    fn line(&mut self, offset: usize) -> usize {
        if offset < self.offset {
            *self = Self::new(std::str::from_utf8(self.text).unwrap_or(""));
        }
        let end = offset.min(self.text.len());
        self.line += self.text[self.offset..end]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.offset = end;
        self.line
    }
}

/// Checks and compiles one rule.
fn compile(spec: RuleSpec, origin: &Arc<Origin>) -> Result<Rule, String> {
    let id = spec.id;
    let fail = |m: String| format!("rule `{id}`: {m}");
    let (kind, source) = match (spec.exact, spec.prefix, spec.template) {
        (Some(s), None, None) => (MatchKind::Exact, s),
        (None, Some(s), None) => (MatchKind::Prefix, s),
        (None, None, Some(s)) => (MatchKind::Template, s),
        _ => return Err(fail("give exactly one of exact, prefix, template".into())),
    };
    let pattern = match kind {
        MatchKind::Exact => template::parse_pattern(&source, true),
        MatchKind::Prefix => template::parse_prefix(&source),
        MatchKind::Template => template::parse_pattern(&source, false),
    }
    .map_err(|e| fail(e.0))?;
    let known = pattern.variables();
    let mut names: Vec<String> = pattern
        .segments
        .iter()
        .filter_map(|s| match s {
            template::Segment::Var(n, _) | template::Segment::Rest(n) => Some(n.clone()),
            template::Segment::Literal(_) => None,
        })
        .collect();
    if pattern.partial.is_some() {
        names.push("rest".to_owned());
    }
    let mut hosts = vec![pattern.host.clone()];
    for host in spec.hosts {
        let host = host.to_ascii_lowercase();
        if host.is_empty() || host.contains(['/', '{', '}', ' ']) {
            return Err(fail(format!("`{host}` is not a host name")));
        }
        if !hosts.contains(&host) {
            hosts.push(host);
        }
    }
    let gone = spec.status == Status::Gone;
    let code = match (gone, spec.code) {
        (true, None | Some(410)) => 410,
        (true, Some(c)) => return Err(fail(format!("a gone rule answers 410, not {c}"))),
        (false, None) => 303,
        (false, Some(c @ (301 | 302 | 303 | 307 | 308))) => c,
        (false, Some(c)) => {
            return Err(fail(format!(
                "status code {c} is not a redirect (301, 302, 303, 307, 308)"
            )))
        }
    };
    let target = match (gone, spec.target) {
        (true, None) => None,
        (true, Some(_)) => return Err(fail("a gone rule has no target".into())),
        (false, None) => return Err(fail("target is missing".into())),
        (false, Some(t)) => Some((
            t.clone(),
            template::parse_target(&t, &known).map_err(|e| fail(e.0))?,
        )),
    };
    let mut typed = Vec::new();
    for (media, t) in spec.targets {
        if gone || !media.contains('/') {
            return Err(fail(format!(
                "targets: `{media}` must be a media type of a rule that is not gone"
            )));
        }
        typed.push((
            media.to_ascii_lowercase(),
            template::parse_target(&t, &known).map_err(|e| fail(e.0))?,
        ));
    }
    Ok(Rule {
        id,
        description: spec.description,
        owner: spec.owner,
        status: spec.status,
        code,
        source,
        kind,
        pattern,
        hosts,
        names,
        target,
        typed,
        created: spec.created.map(|d| d.to_string()),
        modified: spec.modified.map(|d| d.to_string()),
        tests: spec.test,
        origin: Arc::clone(origin),
    })
}
