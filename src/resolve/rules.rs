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

/// A compiled rule. The fields a redirect reads come first, in this order (`repr(C)`), so that
/// serving one touches a cache line or two of it, not every field.
#[derive(Debug)]
#[repr(C)]
pub struct Rule {
    /// The default target (none when gone).
    pub target: Option<Target>,
    /// Targets per media type.
    pub typed: Vec<(String, Target)>,
    /// The names of the captured variables, in pattern order.
    pub names: Vec<String>,
    /// The status code of its redirects (410 when gone).
    pub code: u16,
    /// Its state.
    pub status: Status,
    /// The kind of match.
    pub kind: MatchKind,
    /// Unique id.
    pub id: String,
    /// What it is for.
    pub description: String,
    /// Who answers for it.
    pub owner: String,
    /// The match as written, and its kind.
    pub source: String,
    /// The parsed match.
    pub pattern: Pattern,
    /// Other hosts it answers on besides the match's own (`hosts` in the file).
    pub aliases: Vec<String>,
    /// `created` and `modified` dates, when given.
    pub created: Option<String>,
    /// See `created`.
    pub modified: Option<String>,
    /// Built-in tests.
    pub tests: Vec<RuleTest>,
    /// Where it is written.
    pub origin: Origin,
}

/// A file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file (shared by its rules).
    pub file: Arc<Path>,
    /// The line (from 1).
    pub line: usize,
}

impl Rule {
    /// Every host the rule answers on: the match's own, then the aliases.
    pub fn hosts(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.pattern.host.as_str()).chain(self.aliases.iter().map(String::as_str))
    }
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
    /// The rules, in file order (boxed: see [`super::Routes::rules`]).
    pub rules: Vec<Box<Rule>>,
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
            Err(e) => diagnostics.push(error(
                Origin {
                    file: Arc::from(file.as_path()),
                    line: 1,
                },
                format!("cannot read: {e}"),
            )),
        }
    }
    parsed
}

fn error(origin: Origin, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        origin,
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

/// Files larger than this are read in pieces, in parallel.
const PIECE_BYTES: usize = 1 << 20;

/// Reads one file's rules and elements into `parsed`. A large file is split before its
/// `[[rule]]` and `[[element]]` headers and the pieces are read in parallel (TOML tables after
/// such a header belong to it); if a piece does not parse, the whole file is read again so the
/// error is reported as for any file.
pub fn read_file(file: &Path, text: &str, parsed: &mut Parsed, diagnostics: &mut Vec<Diagnostic>) {
    let file: Arc<Path> = Arc::from(file);
    let pieces = pieces(text);
    if pieces.len() <= 1 {
        read_piece(&file, text, 1, parsed, diagnostics);
        return;
    }
    let threads = std::thread::available_parallelism().map_or(2, usize::from);
    let per_thread = pieces.len().div_ceil(threads);
    let results: Vec<(Parsed, Vec<Diagnostic>, bool)> = std::thread::scope(|scope| {
        let handles: Vec<_> = pieces
            .chunks(per_thread)
            .map(|group| {
                let file = Arc::clone(&file);
                scope.spawn(move || {
                    let mut parsed = Parsed::default();
                    let mut found = Vec::new();
                    let mut ok = true;
                    for (piece, line) in group {
                        ok &= read_piece(&file, piece, *line, &mut parsed, &mut found);
                    }
                    (parsed, found, ok)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a reader thread"))
            .collect()
    });
    if results.iter().any(|(_, _, ok)| !ok) {
        read_piece(&file, text, 1, parsed, diagnostics);
        return;
    }
    for (piece, found, _) in results {
        parsed.rules.extend(piece.rules);
        parsed.elements.extend(piece.elements);
        diagnostics.extend(found);
    }
}

/// `text` cut before header lines into pieces of about [`PIECE_BYTES`], each with the line it
/// starts on.
fn pieces(text: &str) -> Vec<(&str, usize)> {
    let mut pieces = Vec::new();
    let (mut start, mut start_line, mut line, mut offset) = (0, 1, 1, 0);
    for raw in text.split_inclusive('\n') {
        let header = matches!(raw.trim(), "[[rule]]" | "[[element]]");
        if header && offset - start >= PIECE_BYTES {
            pieces.push((&text[start..offset], start_line));
            start = offset;
            start_line = line;
        }
        offset += raw.len();
        line += 1;
    }
    pieces.push((&text[start..], start_line));
    pieces
}

/// Reads one piece of a file (starting on line `first_line`); false when it does not parse.
fn read_piece(
    file: &Arc<Path>,
    text: &str,
    first_line: usize,
    parsed: &mut Parsed,
    diagnostics: &mut Vec<Diagnostic>,
) -> bool {
    let at = |line: usize| Origin {
        file: Arc::clone(file),
        line: first_line - 1 + line,
    };
    let content: File = match toml::from_str(text) {
        Ok(c) => c,
        Err(e) => {
            let line = e.span().map_or(1, |s| line_of(text, s.start));
            let message = e.message().trim().to_owned();
            diagnostics.push(error(at(line), format!("syntax: {message}")));
            return false;
        }
    };
    // Lines are counted once, walking forward through the spans (files may hold many rules).
    let mut counter = LineCounter::new(text);
    for spec in content.rule {
        let origin = at(counter.line(spec.span().start));
        match compile(spec.into_inner(), &origin) {
            Ok(rule) => parsed.rules.push(Box::new(rule)),
            Err(message) => diagnostics.push(error(origin, message)),
        }
    }
    for spec in content.element {
        let origin = at(counter.line(spec.span().start));
        let spec = spec.into_inner();
        let item = spec.item.unwrap_or_else(|| ITEM_TEMPLATE.to_owned());
        if template::split_iri(&spec.code_list).is_err() || !item.contains("{code}") {
            diagnostics.push(error(
                origin,
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
    true
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
fn compile(spec: RuleSpec, origin: &Origin) -> Result<Rule, String> {
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
    let mut aliases: Vec<String> = Vec::new();
    for host in spec.hosts {
        let host = host.to_ascii_lowercase();
        if host.is_empty() || host.contains(['/', '{', '}', ' ']) {
            return Err(fail(format!("`{host}` is not a host name")));
        }
        if host != pattern.host && !aliases.contains(&host) {
            aliases.push(host);
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
        (false, Some(t)) => Some(template::parse_target(&t, &known).map_err(|e| fail(e.0))?),
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
        aliases,
        names,
        target,
        typed,
        created: spec.created.map(|d| d.to_string()),
        modified: spec.modified.map(|d| d.to_string()),
        tests: spec.test,
        origin: origin.clone(),
    })
}
