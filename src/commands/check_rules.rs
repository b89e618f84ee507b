//! What `check` and `check --run` share: the rules as given, the thresholds they need, the
//! masking of what is printed, and every rule on one trace.

use crate::analysis::rules::{self, evaluate, parse_rule, Rule, RuleKind};
use crate::analysis::{diagnose, Thresholds};
use crate::error::{Error, Result};
use crate::model::IndexedTrace;
use crate::report::check::{CheckResultDoc, CheckTraceDoc};
use crate::report::redact::redact_text;

use super::options::CheckRequest;
use super::Options;

/// The rules from `--rule` and `--rules`, parsed; errors name the rule and the column.
pub fn load_rules(args: &CheckRequest) -> Result<Vec<Rule>> {
    let mut out = Vec::new();
    if let Some(path) = &args.rules_file {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            what: path.clone(),
            source: e,
        })?;
        out.extend(rules::parse_rules_file(path, &text).map_err(Error::Usage)?);
    }
    for text in &args.rules {
        out.push(parse_rule(text).map_err(|e| Error::Usage(e.with_rule(text)))?);
    }
    if out.is_empty() {
        return Err(Error::Usage(
            "no rules: give --rule '<rule>' (e.g. --rule no-errors --rule 'max-duration 2s') or --rules <file>".into(),
        ));
    }
    Ok(out)
}

/// The thresholds the rules need. N+1 groups are found from `repeat_min` up: lower it when a
/// rule asks for fewer calls.
pub fn thresholds(args: &CheckRequest, rules: &[Rule]) -> Thresholds {
    let mut th = args.analysis.thresholds;
    for r in rules {
        if let RuleKind::NoNPlusOne(n) = r.kind {
            th.repeat_min = th.repeat_min.min(n);
        }
    }
    th
}

/// What every printed string goes through: masked unless `--no-redact`.
pub fn cleaner(opts: &Options) -> impl Fn(String) -> String {
    let redact = opts.redaction.enabled;
    move |s: String| {
        if redact {
            redact_text(&s).into_owned()
        } else {
            s
        }
    }
}

/// Every rule on one trace. Rules see the trace as recorded; only what is printed is
/// masked (`clean`).
pub fn check_trace(
    t: IndexedTrace,
    rules: &[Rule],
    th: &Thresholds,
    clean: &dyn Fn(String) -> String,
) -> CheckTraceDoc {
    let d = diagnose(&t, th);
    let root = t
        .tree
        .main_root(&t.trace)
        .and_then(|i| t.trace.spans.get(i));
    let results: Vec<CheckResultDoc> = rules
        .iter()
        .map(|r| {
            let res = evaluate(r, &t, &d);
            CheckResultDoc {
                rule: r.text.clone(),
                name: r.name.clone(),
                passed: res.passed,
                message: clean(res.message),
                evidence: res.evidence.into_iter().map(&clean).collect(),
            }
        })
        .collect();
    CheckTraceDoc {
        trace_id: t.trace.id.clone(),
        root_service: root.map(|s| clean(s.service.to_string())),
        root_operation: root.map(|s| clean(s.operation.to_string())),
        duration_ms: Some((t.trace.duration_ns().max(0) / 1_000) as f64 / 1_000.0),
        passed: results.iter().all(|r| r.passed),
        error: None,
        results,
    }
}
