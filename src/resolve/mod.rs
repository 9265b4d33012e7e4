//! The resolver: routing rules from `routing-rules/` redirect persistent reference IRIs (on
//! other hosts, such as `vdf.gov.cz`) to the local IRIs where the data lives, find the reference
//! IRIs of a local resource, and look up code-list items by data element.
//!
//! Loading reads the files ([`rules`]), compiles every rule into one [`matcher::Matcher`] per
//! direction, and checks the whole set ([`check`]): syntax, variables, conflicts, shadowing and
//! each rule's tests. A set with errors is never used.

pub mod check;
pub mod export;
pub mod live;
pub mod matcher;
pub mod rdf;
pub mod rules;
pub mod template;

use crate::conneg;
use matcher::Matcher;
use rules::{Diagnostic, Element, Rule, Severity, Status};
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// A checked, compiled set of rules.
#[derive(Debug, Default)]
pub struct Routes {
    /// The rules, in file order (indexes are the matcher's rule ids); boxed, so that growing and
    /// merging the list moves pointers, not rules.
    pub rules: Vec<Box<Rule>>,
    /// Data elements by code.
    pub elements: HashMap<String, Element>,
    base: String,
    forward: Matcher,
    /// Local IRIs (the default targets of rules that are not gone) back to rules; built when
    /// first needed (checking rules never needs it).
    reverse: std::sync::OnceLock<Matcher>,
    /// Hosts a redirect may send clients to: those the targets name, and the base's.
    allowed: HashSet<String>,
}

/// What a reference IRI resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Redirect with `code` to `location` (IRI form); `vary` when the target depended on
    /// `Accept`.
    Redirect {
        /// The rule.
        rule: usize,
        /// 301, 302, 303, 307 or 308.
        code: u16,
        /// The target IRI.
        location: String,
        /// Whether `Accept` chose the target.
        vary: bool,
    },
    /// The rule is gone: 410.
    Gone {
        /// The rule.
        rule: usize,
    },
    /// No rule matched: 404.
    NoRule,
}

impl Outcome {
    /// The status code of the answer.
    pub fn status(&self) -> u16 {
        match self {
            Self::Redirect { code, .. } => *code,
            Self::Gone { .. } => 410,
            Self::NoRule => 404,
        }
    }
}

impl Routes {
    /// Loads and checks the rules in `dir` for the local IRI space `base`. Returns the routes
    /// with the warnings, or every finding when there is an error.
    pub fn load(dir: &Path, base: &str) -> Result<(Self, Vec<Diagnostic>), Vec<Diagnostic>> {
        let mut diagnostics = Vec::new();
        let parsed = rules::read_dir(dir, &mut diagnostics);
        let routes = Self::compile(parsed, base, &mut diagnostics);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(diagnostics);
        }
        check::run(&routes, &mut diagnostics);
        if diagnostics.iter().any(|d| d.severity == Severity::Error) {
            return Err(diagnostics);
        }
        Ok((routes, diagnostics))
    }

    /// Builds the matchers, reporting duplicate ids and conflicting rules.
    fn compile(parsed: rules::Parsed, base: &str, diagnostics: &mut Vec<Diagnostic>) -> Self {
        let mut routes = Self {
            base: base.to_owned(),
            ..Self::default()
        };
        if let Ok((host, _)) = template::split_iri(base) {
            routes.allowed.insert(host);
        }
        let mut ids: rustc_hash::FxHashMap<&str, usize> = Default::default();
        ids.reserve(parsed.rules.len());
        for (index, rule) in parsed.rules.iter().enumerate() {
            if let Some(first) = ids.insert(&rule.id, index) {
                diagnostics.push(conflict(rule, &parsed.rules[first], "has the same id as"));
            }
            for host in rule.hosts() {
                if let Err(other) = routes.forward.insert(host, &rule.pattern, index) {
                    diagnostics.push(conflict(
                        rule,
                        &parsed.rules[other],
                        "matches the same IRIs with the same specificity as",
                    ));
                }
            }
            let targets = rule.target.iter();
            for target in targets.chain(rule.typed.iter().map(|(_, t)| t)) {
                // `{base}` targets stay on the base's host, allowed above.
                if let Some(host) = target_host(target).filter(|h| !routes.allowed.contains(h)) {
                    routes.allowed.insert(host);
                }
            }
        }
        routes.rules = parsed.rules;
        for element in parsed.elements {
            routes.elements.insert(element.code.clone(), element);
        }
        routes
    }

    /// The local IRI space targets' `{base}` stands for.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// Whether requests with this `Host` (lower case, without port) are answered by the resolver.
    pub fn serves_host(&self, host: &str) -> bool {
        self.forward.has_host(host)
    }

    /// The hosts the rules answer on.
    pub fn hosts(&self) -> Vec<&str> {
        let mut hosts: Vec<&str> = self.forward.hosts().collect();
        hosts.sort_unstable();
        hosts
    }

    /// Resolves a request for `path` (as sent on the wire: percent-encoded, without query) on
    /// `host` (lower case, as the request handler and [`template::split_iri`] give it).
    pub fn resolve(&self, host: &str, path: &str, accept: Option<&str>) -> Outcome {
        let path = path.strip_prefix('/').unwrap_or(path);
        // Most paths have no escapes: their segments are borrowed, not decoded.
        let decoded: Vec<std::borrow::Cow<'_, str>>;
        let segments: Vec<&str> = if path.contains('%') {
            let Some(list) = path
                .split('/')
                .map(|s| percent_encoding::percent_decode_str(s).decode_utf8().ok())
                .collect::<Option<Vec<_>>>()
            else {
                return Outcome::NoRule;
            };
            decoded = list;
            decoded.iter().map(|s| &**s).collect()
        } else {
            path.split('/').collect()
        };
        let Some(found) = self.forward.find(host, &segments) else {
            return Outcome::NoRule;
        };
        let rule = &self.rules[found.rule];
        let Some(default) = &rule.target else {
            return Outcome::Gone { rule: found.rule };
        };
        let count = found.values.len();
        // Exact rules capture nothing: their redirect reads no more of the rule than it needs.
        let last_takes_rest = count > 0 && rule.pattern.takes_rest();
        let mut values = Vec::with_capacity(count);
        for (i, (name, value)) in rule.names.iter().zip(found.values).enumerate() {
            // A value that would climb out of the path matches nothing.
            let slashes = last_takes_rest && i + 1 == count;
            let Some(safe) = template::path_value(&value, slashes) else {
                return Outcome::NoRule;
            };
            values.push((name.clone(), safe));
        }
        let (target, vary) = match self.typed_target(rule, accept) {
            Some(t) => (t, true),
            None => (default, !rule.typed.is_empty()),
        };
        let location = target.expand(&self.base, &values);
        // Defence in depth: never send a client to a host the rule files did not name.
        let target_host = location
            .split_once("://")
            .map(|(_, rest)| &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())]);
        let allowed = target_host.is_some_and(|h| {
            self.allowed.contains(h) || self.allowed.contains(&h.to_ascii_lowercase())
        });
        if !allowed {
            tracing::error!(
                "rule {} produced a target on another host: {location}",
                rule.id
            );
            return Outcome::NoRule;
        }
        Outcome::Redirect {
            rule: found.rule,
            code: rule.code,
            location,
            vary,
        }
    }

    /// Resolves a reference IRI (IRI or URI form).
    pub fn resolve_iri(&self, iri: &str, accept: Option<&str>) -> Outcome {
        match template::split_iri(iri) {
            Ok((host, path)) => self.resolve(&host, path, accept),
            Err(_) => Outcome::NoRule,
        }
    }

    /// The per-media-type target `accept` prefers, if the rule has any and one is acceptable.
    fn typed_target<'a>(
        &self,
        rule: &'a Rule,
        accept: Option<&str>,
    ) -> Option<&'a template::Target> {
        if rule.typed.is_empty() {
            return None;
        }
        let accept = accept.filter(|a| !a.trim().is_empty())?;
        let offered: Vec<&str> = rule.typed.iter().map(|(m, _)| m.as_str()).collect();
        // Wildcards alone (`*/*`) do not pick a specific type: the default target answers.
        if accept.split(',').all(|r| r.trim().starts_with("*/*")) {
            return None;
        }
        conneg::choose(Some(accept), &offered).map(|i| &rule.typed[i].1)
    }

    /// The reference IRIs that resolve to `local` (IRI form), from rules that are not gone.
    pub fn references(&self, local: &str) -> Vec<String> {
        let Ok((host, path)) = template::split_iri(local) else {
            return Vec::new();
        };
        let segments: Vec<&str> = path[1..].split('/').collect();
        let reverse = self.reverse.get_or_init(|| self.reverse_matcher());
        let Some(found) = reverse.find(&host, &segments) else {
            return Vec::new();
        };
        let rule = &self.rules[found.rule];
        let values: Vec<(String, String)> = rule.names.iter().cloned().zip(found.values).collect();
        let mut references = Vec::new();
        for host in rule.hosts() {
            let scheme = if rule.source.starts_with("http://") {
                "http"
            } else {
                "https"
            };
            let reference = template::instantiate(&rule.pattern, scheme, host, &values);
            // Only what really resolves back (the most specific rule may be another one).
            if matches!(self.resolve_iri(&reference, None),
                Outcome::Redirect { location, .. } if location == local)
            {
                references.push(reference);
            }
        }
        references
    }

    /// The matcher from local IRIs back to the rules that target them.
    fn reverse_matcher(&self) -> Matcher {
        let mut reverse = Matcher::default();
        for (index, rule) in self.rules.iter().enumerate() {
            if rule.status == Status::Gone {
                continue;
            }
            let rest_last = rule.pattern.takes_rest();
            if let Some(pattern) = rule
                .target
                .as_ref()
                .and_then(|t| template::reverse_pattern(t, &self.base, &rule.names, rest_last))
            {
                // Several rules may target the same local IRIs: the first one names them.
                let _ = reverse.insert(&pattern.host.clone(), &pattern, index);
            }
        }
        reverse
    }

    /// The reference IRI of item `code` of the code list coding data element `element`.
    pub fn lookup(&self, element: &str, code: &str) -> Option<(String, &Element)> {
        let element = self.elements.get(element)?;
        let code = template::path_value(code, false).filter(|c| !c.is_empty())?;
        let iri = element
            .item
            .replace("{code_list}", element.code_list.trim_end_matches('/'))
            .replace("{code}", &code);
        Some((iri, element))
    }
}

fn conflict(rule: &Rule, other: &Rule, what: &str) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        origin: rule.origin.clone(),
        message: format!(
            "rule `{}` {what} rule `{}` ({})",
            rule.id, other.id, other.origin
        ),
    }
}

/// The host a target template that does not start with `{base}` sends clients to.
fn target_host(target: &template::Target) -> Option<String> {
    if target.base {
        return None;
    }
    let Some(template::Piece::Text(head)) = target.pieces().next() else {
        return None;
    };
    let rest = head.split_once("://")?.1;
    Some(rest[..rest.find('/')?].to_ascii_lowercase())
}
