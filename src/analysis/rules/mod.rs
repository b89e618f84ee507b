//! `tracediag check` rules: built-in gates from the diagnosis (`no-errors`, `max-gap 5s`, …)
//! and assertions on selected spans (`span[service="db" name~"SELECT"] duration < 200ms`,
//! `count(span[service="cache"]) <= 3`).
//!
//! Pure: parsing turns text into a [`Rule`] (errors carry the column), evaluation turns a
//! trace and its diagnosis into a [`RuleResult`]. No I/O, no printing.
//!
//! Selector grammar (Tracetest-like, see README "check"):
//! ```text
//! selector  := step ( (" " | ">") step )*      descendant (space) or child (>)
//! step      := "span" [ "[" filters "]" ]
//! filters   := all ( ("or" | ",") all )*         or binds looser than and
//! all       := filter ( ["and"] filter )*        a space means and
//! filter    := key op value                      op: = != ~ !~ < <= > >= contains
//! ```
//! Keys: `service`, `name` (also `operation`), `kind`, `status`, `status_message`,
//! `duration`, `self_time`; anything else is a span or resource attribute (`attr.` forces one).

mod eval;
mod lex;
mod parse;
mod selector;

pub use eval::{evaluate, RuleResult};
pub use parse::parse_rule;
pub use selector::{Field, Filter, Op, Selector, Step, Value};

use std::fmt;

use serde::Deserialize;

/// One rule as written, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// The rule text as written (trimmed): its identity in reports and JUnit.
    pub text: String,
    /// Optional human name from a rules file.
    pub name: Option<String>,
    pub kind: RuleKind,
}

impl Rule {
    /// The name when given, else the text.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.text)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum RuleKind {
    /// No span has error status.
    NoErrors,
    /// The diagnosis found no anomaly.
    NoAnomalies,
    /// No uninstrumented gap inside a span is longer than this (ns).
    MaxGap(i64),
    /// The trace, first span start to last span end, is at most this long (ns).
    MaxDuration(i64),
    /// The tree is sound: no orphans, cycles or several roots.
    NoBrokenTrace,
    /// No parent calls the same operation this many times or more (N+1).
    NoNPlusOne(usize),
    /// Every span the selector matches satisfies `field op value`; at least one must match.
    Spans { selector: Selector, check: Filter },
    /// The number of spans the selector matches compares to `n`.
    Count { selector: Selector, op: Op, n: i64 },
}

/// A parse error: what is wrong and where.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleError {
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl RuleError {
    /// `rule 'TEXT': column N: MESSAGE`, one line.
    pub fn with_rule(&self, text: &str) -> String {
        format!(
            "rule '{}': column {}: {}",
            text.trim(),
            self.column,
            self.message
        )
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "column {}: {}", self.column, self.message)
    }
}

/// A rules file, YAML or TOML:
/// ```yaml
/// rules:
///   - no-errors
///   - name: database is fast
///     rule: span[service="db"] duration < 200ms
/// ```
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    rules: Vec<RuleEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RuleEntry {
    Text(String),
    Named { name: Option<String>, rule: String },
}

/// Parse a rules file; YAML unless the path ends in `.toml`. Errors name the path, the rule's
/// position in the list and the column inside the rule.
pub fn parse_rules_file(path: &str, text: &str) -> Result<Vec<Rule>, String> {
    let file: RulesFile = if path.to_ascii_lowercase().ends_with(".toml") {
        toml::from_str(text).map_err(|e| {
            let msg = e.message().to_string();
            format!("{path}: not a valid rules file: {}", one_line(&msg))
        })?
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| {
            format!(
                "{path}: not a valid rules file: {}",
                one_line(&e.to_string())
            )
        })?
    };
    if file.rules.is_empty() {
        return Err(format!("{path}: `rules` is empty"));
    }
    file.rules
        .into_iter()
        .enumerate()
        .map(|(k, entry)| {
            let (name, text) = match entry {
                RuleEntry::Text(t) => (None, t),
                RuleEntry::Named { name, rule } => (name, rule),
            };
            let mut rule = parse_rule(&text)
                .map_err(|e| format!("{path}: rule {}: {}", k + 1, e.with_rule(&text)))?;
            rule.name = name.filter(|n| !n.trim().is_empty());
            Ok(rule)
        })
        .collect()
}

/// Collapse a multi-line library message into one line (errors are one line).
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests;
