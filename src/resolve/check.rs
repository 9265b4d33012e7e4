//! Checks of a compiled rule set beyond what compiling finds: rules shadowed by others
//! (warnings) and every rule's built-in tests (errors when they fail).

use super::rules::{Diagnostic, MatchKind, Severity};
use super::{Outcome, Routes};

/// Adds the findings about `routes` to `diagnostics`.
pub fn run(routes: &Routes, diagnostics: &mut Vec<Diagnostic>) {
    shadowed(routes, diagnostics);
    tests(routes, diagnostics);
}

/// A rule is shadowed when an IRI of its own shape, with values no literal is likely to hold,
/// is answered by another rule: it can then only answer IRIs that other rules leave.
fn shadowed(routes: &Routes, diagnostics: &mut Vec<Diagnostic>) {
    for (index, rule) in routes.rules.iter().enumerate() {
        // An exact IRI is literal all the way down: only a rule of the same shape, a conflict
        // reported already, could take it.
        if rule.kind == MatchKind::Exact {
            continue;
        }
        let sample = rule.pattern.sample();
        let answered_by = match routes.resolve_iri(&sample, None) {
            Outcome::Redirect { rule, .. } | Outcome::Gone { rule } => Some(rule),
            Outcome::NoRule => None,
        };
        if let Some(other) = answered_by.filter(|other| *other != index) {
            let other = &routes.rules[other];
            diagnostics.push(Diagnostic {
                severity: Severity::Warning,
                origin: rule.origin.clone(),
                message: format!(
                    "rule `{}` is shadowed: <{sample}> is answered by rule `{}` ({})",
                    rule.id, other.id, other.origin
                ),
            });
        }
    }
}

/// Runs every rule's tests against the whole set (so a test also catches another rule taking
/// its IRIs).
fn tests(routes: &Routes, diagnostics: &mut Vec<Diagnostic>) {
    for rule in &routes.rules {
        for test in &rule.tests {
            let outcome = routes.resolve_iri(&test.from, test.accept.as_deref());
            let expected = test
                .location
                .as_ref()
                .map(|l| l.replace("{base}", routes.base()));
            let location = match &outcome {
                Outcome::Redirect { location, .. } => Some(location.clone()),
                _ => None,
            };
            if outcome.status() == test.status && location == expected {
                continue;
            }
            let accept = test
                .accept
                .as_ref()
                .map(|a| format!(" (Accept: {a})"))
                .unwrap_or_default();
            let got = match (&outcome, &location) {
                (Outcome::Redirect { rule: r, .. }, Some(l)) => {
                    format!(
                        "{} to <{l}> by rule `{}`",
                        outcome.status(),
                        routes.rules[*r].id
                    )
                }
                (Outcome::Gone { rule: r }, _) => format!("410 by rule `{}`", routes.rules[*r].id),
                _ => "404, no rule matched".to_owned(),
            };
            let want = match &expected {
                Some(l) => format!("{} to <{l}>", test.status),
                None => test.status.to_string(),
            };
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                origin: rule.origin.clone(),
                message: format!(
                    "rule `{}`: test <{}>{accept} expected {want}, got {got}",
                    rule.id, test.from
                ),
            });
        }
    }
}
