//! The verdict before the causes: is this request fine, slow, failed, or is the trace itself
//! incomplete or broken — with one sentence why. Root causes only make sense for a request
//! that is not fine; a healthy request's biggest span is where the time goes in that system,
//! not a fault.
//!
//! Slow needs a reference. With a baseline (other requests of the same root operation) a
//! request is slow when far beyond its operation's spread (see `baseline`). Without one,
//! only time lost waiting counts: a cross-service leg no span covers (NETWORK_TIMEOUT) or an
//! uninstrumented gap over the gap threshold — a share of the trace never does.

use serde::Serialize;

use crate::model::IndexedTrace;

use super::anomalies::AnomalyKind;
use super::baseline::{Baseline, Judgement};
use super::breakdown::{breakdown, Breakdown};
use super::root_cause::Category;
use super::units::fmt_ms as human;
use super::Diagnosis;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Completed without failing and not slow against what was available to judge it.
    Ok,
    /// Took far longer than its operation usually does, or lost time waiting.
    Slow,
    /// The request failed: its root span records an error.
    Failed,
    /// Part of the trace is missing: spans whose parent was never received.
    Partial,
    /// The trace cannot be read as one request: no root, several roots, or parent cycles.
    Broken,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Slow => "slow",
            Verdict::Failed => "failed",
            Verdict::Partial => "partial",
            Verdict::Broken => "broken",
        }
    }
}

/// An error a caller absorbed: the span that failed and the nearest ancestor that did not.
#[derive(Debug, Clone, PartialEq)]
pub struct HandledError {
    pub origin: usize,
    pub handler: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Judged {
    pub verdict: Verdict,
    /// One sentence, with numbers.
    pub reason: String,
    /// The request against its root operation's baseline, when there was one.
    pub request: Option<Judgement>,
    /// Traces the baseline held (0: none was available).
    pub baseline_traces: usize,
    pub handled_errors: Vec<HandledError>,
    /// Where the time went, whatever the verdict.
    pub breakdown: Breakdown,
}

/// The verdict on `t`, diagnosed as `d`, against `baseline` when there is one.
pub fn judge(t: &IndexedTrace, d: &Diagnosis, baseline: Option<&Baseline>) -> Judged {
    let integrity = &t.tree.integrity;
    let root = t
        .tree
        .main_root(&t.trace)
        .and_then(|r| t.trace.spans.get(r).map(|s| (r, s)));
    let request = baseline.and_then(|b| b.judge_request(t));
    let span = baseline.and_then(|b| slow_span(t, b, request.as_ref()));
    let handled_errors = handled_errors(t, d);
    let (verdict, reason) = if let Some(why) = broken(t) {
        (Verdict::Broken, why)
    } else if let Some((_, root_span)) = root.filter(|(_, s)| s.is_error()) {
        let origin = d
            .error_origins
            .iter()
            .find(|o| !handled_errors.iter().any(|h| h.origin == o.origin))
            .and_then(|o| t.trace.spans.get(o.origin));
        let from = match origin {
            Some(o) if o.span_id != root_span.span_id => format!(", starting at {}", o.label()),
            _ => String::new(),
        };
        (
            Verdict::Failed,
            format!(
                "the request failed: {} recorded an error{from}",
                root_span.label()
            ),
        )
    } else if !integrity.orphans.is_empty() {
        let n = integrity.orphans.len();
        (
            Verdict::Partial,
            format!(
                "{n} span(s) point to a parent the trace does not hold: part of the trace was lost or not yet received"
            ),
        )
    } else if let Some(why) = slow(t, d, request.as_ref(), span) {
        (Verdict::Slow, why)
    } else {
        (
            Verdict::Ok,
            ok_reason(t, request.as_ref(), baseline, &handled_errors),
        )
    };
    Judged {
        verdict,
        reason,
        request,
        baseline_traces: baseline.map_or(0, |b| b.traces),
        handled_errors,
        breakdown: breakdown(t, d),
    }
}

fn broken(t: &IndexedTrace) -> Option<String> {
    let integrity = &t.tree.integrity;
    if t.trace.spans.is_empty() {
        return Some("the trace holds no spans".into());
    }
    if !integrity.cycles.is_empty() {
        return Some(format!(
            "{} parent cycle(s): spans are their own ancestors, so no request can be read from it",
            integrity.cycles.len()
        ));
    }
    if integrity.root_span_ids.len() > 1 {
        return Some(format!(
            "{} spans have no parent: the trace holds several requests or lost its links",
            integrity.root_span_ids.len()
        ));
    }
    None
}

/// Why the request is slow, or None.
fn slow(
    t: &IndexedTrace,
    d: &Diagnosis,
    request: Option<&Judgement>,
    span: Option<(usize, Judgement)>,
) -> Option<String> {
    let against = |j: &Judgement, what: &str| {
        format!(
            "took {}, {:.1}× its typical {} (p95 {}, {} {what})",
            human(j.duration_ns),
            j.ratio,
            human(j.typical.p50_ns),
            human(j.typical.p95_ns),
            j.typical.count
        )
    };
    if let Some(j) = request.filter(|j| j.slow) {
        return Some(against(j, "requests"));
    }
    if let Some((i, j)) = span {
        let label = t
            .trace
            .spans
            .get(i)
            .map_or_else(|| "?".into(), |s| s.label());
        return Some(format!("{label} {}", against(&j, "executions")));
    }
    // Waiting counts when nothing says the request was normal, or when the wait alone is
    // longer than a typical request: some systems wait seconds on every request (a cold
    // start on the request leg), and that is not slow for them.
    let abnormal = |wait_ns: i64| request.is_none_or(|j| wait_ns >= j.typical.p50_ns);
    if let Some(c) = d
        .root_causes
        .iter()
        .find(|c| c.category == Category::NetworkTimeout && abnormal(longest_gap_in(d, c.span)))
    {
        let at = c
            .span
            .and_then(|i| t.trace.spans.get(i))
            .map_or_else(String::new, |s| format!(" at {}", s.label()));
        let first = c
            .evidence
            .get(1)
            .or(c.evidence.first())
            .cloned()
            .unwrap_or_default();
        return Some(format!(
            "time was lost waiting on a cross-service leg{at}: {first}"
        ));
    }
    let longest_gap = d
        .anomalies
        .iter()
        .filter_map(|a| match a.kind {
            AnomalyKind::LongGap { gap_ns, .. } => Some((gap_ns, a.span)),
            _ => None,
        })
        .filter(|&(g, _)| abnormal(g))
        .max_by_key(|&(g, _)| g);
    longest_gap.map(|(gap_ns, span)| {
        let label = t.trace.spans.get(span).map_or_else(|| "?".into(), |s| s.label());
        format!(
            "{} inside {label} is covered by no span: the request waited on something uninstrumented",
            human(gap_ns)
        )
    })
}

/// A span of the request slow against its operation's baseline whose excess is a real part
/// of the request (a quarter of its typical duration), the largest such: a dominant step
/// can be far out of its range while the request as a whole still looks within its own.
fn slow_span(
    t: &IndexedTrace,
    b: &Baseline,
    request: Option<&Judgement>,
) -> Option<(usize, Judgement)> {
    let root_ns = t
        .tree
        .main_root(&t.trace)
        .and_then(|r| t.trace.spans.get(r))
        .map_or(0, |r| r.duration_ns);
    let reference = request.map_or(root_ns, |j| j.typical.p50_ns);
    let floor = reference / 4;
    t.trace
        .spans
        .iter()
        .enumerate()
        .filter_map(|(i, s)| b.judge_span(s).map(|j| (i, j)))
        .filter(|(_, j)| j.slow && j.duration_ns.saturating_sub(j.typical.p50_ns) >= floor)
        .max_by_key(|&(i, j)| {
            (
                j.duration_ns.saturating_sub(j.typical.p50_ns),
                std::cmp::Reverse(i),
            )
        })
}

/// The longest gap inside `span` (0 without one).
pub(crate) fn longest_gap_in(d: &Diagnosis, span: Option<usize>) -> i64 {
    d.gaps
        .iter()
        .filter(|g| Some(g.span()) == span)
        .map(|g| g.duration_ns)
        .max()
        .unwrap_or(0)
}

fn ok_reason(
    t: &IndexedTrace,
    request: Option<&Judgement>,
    baseline: Option<&Baseline>,
    handled: &[HandledError],
) -> String {
    // The root span's duration is what the caller waited; work that outlived it is said
    // apart.
    let root_ns = t
        .tree
        .main_root(&t.trace)
        .and_then(|r| t.trace.spans.get(r))
        .map_or(0, |r| r.duration_ns.max(0));
    let extent_ns = t.trace.duration_ns().max(0);
    let took = if extent_ns > root_ns {
        format!(
            "{} (asynchronous work went on to {} after the start)",
            human(root_ns),
            human(extent_ns)
        )
    } else {
        human(root_ns)
    };
    let against = match (request, baseline) {
        (Some(j), _) => format!(
            ", typical {} (p95 {}, {} requests)",
            human(j.typical.p50_ns),
            human(j.typical.p95_ns),
            j.typical.count
        ),
        (None, Some(b)) if b.traces > 0 => {
            ", no baseline for its root operation (too few other requests of it)".into()
        }
        _ => ", no baseline available (judged on this trace alone)".into(),
    };
    let handled = match handled.len() {
        0 => String::new(),
        n => format!("; {n} error(s) were handled by their callers"),
    };
    format!("completed without error in {took}{against}{handled}")
}

/// Error origins absorbed by a caller that did not fail: for each, the nearest ancestor
/// without an error. When the root failed, errors whose every ancestor up to the root also
/// failed are the request's failure, not handled.
pub fn handled_errors(t: &IndexedTrace, d: &Diagnosis) -> Vec<HandledError> {
    let mut out = Vec::new();
    for o in &d.error_origins {
        let mut at = t.tree.parent.get(o.origin).copied().flatten();
        let mut steps = 0;
        while let Some(p) = at {
            let Some(s) = t.trace.spans.get(p) else {
                break;
            };
            if !s.is_error() && absorbs(s) {
                out.push(HandledError {
                    origin: o.origin,
                    handler: p,
                });
                break;
            }
            at = t.tree.parent.get(p).copied().flatten();
            steps += 1;
            if steps > t.trace.spans.len() {
                break;
            }
        }
    }
    out
}

/// Whether a span that did not fail can have absorbed its children's errors. A client span
/// without a status of its own did not record the call's outcome either way, so the error
/// passes through it to whoever called it.
fn absorbs(s: &crate::model::Span) -> bool {
    use crate::model::{SpanKind, StatusCode};
    s.status.code == StatusCode::Ok || s.kind != SpanKind::Client
}
