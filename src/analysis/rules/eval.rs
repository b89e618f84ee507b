//! Evaluate a rule on one diagnosed trace.

use crate::analysis::gaps::Gap;
use crate::analysis::patterns::RepeatKind;
use crate::analysis::units::fmt_ms;
use crate::analysis::Diagnosis;
use crate::model::IndexedTrace;

use crate::analysis::verdict::{self, Verdict};

use super::selector::{field_text, Field, Filter, Selector};
use super::{Rule, RuleKind};

/// How many offending spans a failure lists; the rest are counted.
const EVIDENCE: usize = 5;

/// The outcome of one rule on one trace.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleResult {
    pub passed: bool,
    /// One line: what was found (`3 of 7 spans fail`, `duration 5.2s > 2s`).
    pub message: String,
    /// Facts behind a failure, one per entry (span, value, expectation).
    pub evidence: Vec<String>,
}

fn pass(message: impl Into<String>) -> RuleResult {
    RuleResult {
        passed: true,
        message: message.into(),
        evidence: Vec::new(),
    }
}

fn fail(message: impl Into<String>, evidence: Vec<String>) -> RuleResult {
    RuleResult {
        passed: false,
        message: message.into(),
        evidence,
    }
}

/// `svc.op (span id)`.
fn span_name(t: &IndexedTrace, i: usize) -> String {
    t.trace.spans.get(i).map_or_else(
        || "?".into(),
        |s| format!("{} (span {})", s.label(), s.span_id),
    )
}

/// Capped list, with `… and N more` when cut, so nothing is dropped silently.
fn capped(mut lines: Vec<String>) -> Vec<String> {
    if lines.len() > EVIDENCE {
        let more = lines.len() - EVIDENCE;
        lines.truncate(EVIDENCE);
        lines.push(format!("… and {more} more"));
    }
    lines
}

pub fn evaluate(rule: &Rule, t: &IndexedTrace, d: &Diagnosis) -> RuleResult {
    match &rule.kind {
        RuleKind::NoErrors => no_errors(t),
        RuleKind::NoAnomalies => no_anomalies(t, d),
        RuleKind::MaxGap(max) => max_gap(t, d, *max),
        RuleKind::MaxDuration(max) => max_duration(t, *max),
        RuleKind::NoBrokenTrace => {
            let g = &t.tree.integrity;
            if g.is_broken() {
                fail("the trace is broken", capped(g.lines()))
            } else {
                pass("the span tree is sound")
            }
        }
        RuleKind::NoNPlusOne(n) => no_n_plus_one(t, d, *n),
        RuleKind::Spans { selector, check } => spans_satisfy(t, d, selector, check),
        RuleKind::Count { selector, op, n } => {
            let selected = selector.select(t, Some(&d.self_time_ns));
            let count = i64::try_from(selected.len()).unwrap_or(i64::MAX);
            let msg = format!(
                "count({}) = {count}, expected {} {n}",
                selector.text,
                op.as_str()
            );
            if op.compare(count, *n) {
                pass(msg)
            } else {
                let lines = selected.iter().map(|&i| span_name(t, i)).collect();
                fail(msg, capped(lines))
            }
        }
    }
}

fn no_errors(t: &IndexedTrace) -> RuleResult {
    let spans = &t.trace.spans;
    let errors: Vec<String> = (0..spans.len())
        .filter(|&i| spans[i].is_error())
        .map(|i| match &spans[i].status.message {
            Some(m) => format!("{} failed: {m}", span_name(t, i)),
            None => format!("{} failed", span_name(t, i)),
        })
        .collect();
    if errors.is_empty() {
        pass(format!("no error among {} spans", spans.len()))
    } else {
        fail(format!("{} error span(s)", errors.len()), capped(errors))
    }
}

/// Follows the verdict: a request that is fine passes even when a caller handled an error
/// or a span ran longer than its peers; a slow, failed, partial or broken one fails, with
/// the verdict's reason first and the anomalies after it.
fn no_anomalies(t: &IndexedTrace, d: &Diagnosis) -> RuleResult {
    let v = verdict::judge(t, d, None);
    if v.verdict == Verdict::Ok {
        return pass(format!("the request is ok: {}", v.reason));
    }
    let lines = std::iter::once(format!("{}: {}", v.verdict.as_str(), v.reason))
        .chain(
            d.anomalies
                .iter()
                .map(|a| format!("{}: {}", span_name(t, a.span), a.reason)),
        )
        .collect();
    fail(
        format!(
            "the request is {} ({} anomaly(ies))",
            v.verdict.as_str(),
            d.anomalies.len()
        ),
        capped(lines),
    )
}

fn max_gap(t: &IndexedTrace, d: &Diagnosis, max: i64) -> RuleResult {
    let mut over: Vec<&Gap> = d.gaps.iter().filter(|g| g.duration_ns > max).collect();
    over.sort_by_key(|g| std::cmp::Reverse(g.duration_ns));
    let Some(g) = over.first() else {
        let longest = d.gaps.iter().map(|g| g.duration_ns).max().unwrap_or(0);
        return pass(format!(
            "longest gap {} <= {}",
            fmt_ms(longest),
            fmt_ms(max)
        ));
    };
    let lines = over
        .iter()
        .map(|g| {
            format!(
                "gap of {} inside {} at +{}",
                fmt_ms(g.duration_ns),
                span_name(t, g.span()),
                fmt_ms(g.start_ns.saturating_sub(t.trace.start_ns()))
            )
        })
        .collect();
    fail(
        format!(
            "{} gap(s) longer than {}; longest {}",
            over.len(),
            fmt_ms(max),
            fmt_ms(g.duration_ns)
        ),
        capped(lines),
    )
}

/// The request's duration is its root span's: how long the caller waited. Asynchronous
/// work that outlived the root is named, not counted.
fn max_duration(t: &IndexedTrace, max: i64) -> RuleResult {
    let root = t.tree.main_root(&t.trace);
    let dur = root
        .and_then(|i| t.trace.spans.get(i))
        .map_or_else(|| t.trace.duration_ns(), |s| s.duration_ns)
        .max(0);
    let extent = t.trace.duration_ns().max(0);
    let beyond = if extent > dur {
        format!(" (asynchronous work ran on to {})", fmt_ms(extent))
    } else {
        String::new()
    };
    if dur <= max {
        return pass(format!(
            "duration {} <= {}{beyond}",
            fmt_ms(dur),
            fmt_ms(max)
        ));
    }
    let root = root
        .map(|i| format!("root {}", span_name(t, i)))
        .unwrap_or_else(|| "no root span".into());
    fail(
        format!("duration {} > {}{beyond}", fmt_ms(dur), fmt_ms(max)),
        vec![root],
    )
}

fn no_n_plus_one(t: &IndexedTrace, d: &Diagnosis, n: usize) -> RuleResult {
    let spans = &t.trace.spans;
    let hits: Vec<String> = d
        .patterns
        .repeated
        .iter()
        .filter(|r| r.kind == RepeatKind::NPlusOne && r.calls.len() >= n)
        .map(|r| {
            let call = r.calls.first().map_or_else(
                || "?".into(),
                |&c| spans.get(c).map_or_else(|| "?".into(), |s| s.label()),
            );
            format!(
                "{} calls {call} {} times ({} in total)",
                span_name(t, r.parent),
                r.calls.len(),
                fmt_ms(r.total_ns)
            )
        })
        .collect();
    if hits.is_empty() {
        pass(format!(
            "no operation repeated {n} or more times under one parent"
        ))
    } else {
        fail(
            format!("{} N+1 pattern(s) of {n} or more calls", hits.len()),
            capped(hits),
        )
    }
}

/// Every span the selector matches must pass `check`; a selector that matches nothing fails,
/// so a typo in it cannot pass silently.
fn spans_satisfy(
    t: &IndexedTrace,
    d: &Diagnosis,
    selector: &Selector,
    check: &Filter,
) -> RuleResult {
    let selected = selector.select(t, Some(&d.self_time_ns));
    if selected.is_empty() {
        return fail(
            format!(
                "no span matches {}; assert absence with count({}) = 0",
                selector.text, selector.text
            ),
            Vec::new(),
        );
    }
    let bad: Vec<String> = selected
        .iter()
        .copied()
        .filter(|&i| !check.matches(t, Some(&d.self_time_ns), i))
        .map(|i| {
            format!(
                "{}: {} (expected {check})",
                span_name(t, i),
                actual(t, d, check, i)
            )
        })
        .collect();
    if bad.is_empty() {
        pass(format!(
            "{} span(s) match {}; all have {check}",
            selected.len(),
            selector.text
        ))
    } else {
        fail(
            format!(
                "{} of {} span(s) matching {} fail {check}",
                bad.len(),
                selected.len(),
                selector.text
            ),
            capped(bad),
        )
    }
}

/// The span's actual value of the asserted field, for evidence.
fn actual(t: &IndexedTrace, d: &Diagnosis, check: &Filter, i: usize) -> String {
    let Some(s) = t.trace.spans.get(i) else {
        return "?".into();
    };
    match &check.field {
        Field::Duration => format!("duration {}", fmt_ms(s.duration_ns)),
        Field::SelfTime => format!(
            "self_time {}",
            fmt_ms(d.self_time_ns.get(i).copied().unwrap_or(s.duration_ns))
        ),
        f => match field_text(s, f) {
            Some(v) => format!("{f} = {v:?}"),
            None => format!("no {f}"),
        },
    }
}
