//! The ranked causes, corrected with what the verdict knows: against a baseline, the span
//! whose slowness explains the request's comes first (the rank of one trace alone can only
//! see where the time goes, which is the same span on every request); and an error a
//! caller handled never outranks the request's own failure or slowness.

use crate::model::IndexedTrace;

use super::anomalies::AnomalyKind;
use super::baseline::{Baseline, Judgement};
use super::root_cause::{Candidate, Category};
use super::units::{fmt_ms, fmt_pct};
use super::verdict::{longest_gap_in, Judged, Verdict};
use super::Diagnosis;

/// A child explains its parent's slowness when it carries at least this share of the
/// parent's excess over its typical duration.
const EXPLAINS: f64 = 0.5;

pub fn rerank(t: &IndexedTrace, d: &mut Diagnosis, v: &Judged, baseline: Option<&Baseline>) {
    // A leg no span covers already names where the time went; a baseline would only call
    // the waiting caller slow.
    let waited = d.root_causes.first().is_some_and(|c| {
        c.category == Category::NetworkTimeout
            && v.request
                .is_none_or(|j| longest_gap_in(d, c.span) >= j.typical.p50_ns)
    });
    if v.verdict == Verdict::Slow && v.request.is_some() && !waited {
        // A wait the baseline calls usual is not why this request was slow.
        let usual = |c: &Candidate| c.category == Category::NetworkTimeout;
        d.root_causes.retain(|c| !usual(c));
    }
    if v.verdict == Verdict::Slow && !waited {
        if let Some(c) = baseline.and_then(|b| slowest_against(t, b)) {
            d.root_causes
                .retain(|x| !(x.category == Category::PerformanceDegradation && x.span == c.span));
            d.root_causes.insert(0, c);
        }
    }
    if v.request.is_none() {
        // Judged alone: a span's share of the trace says where the time goes, not that
        // anything degraded. What remains is time lost waiting, when the verdict found it.
        d.root_causes
            .retain(|c| c.category != Category::PerformanceDegradation);
        if v.verdict == Verdict::Slow && !waited {
            if let Some(c) = uncovered_wait(t, d) {
                d.root_causes.insert(0, c);
            }
        }
        if d.root_causes.is_empty() {
            d.root_causes.push(unknown());
        }
    }
    // Handled errors after everything else, keeping the order within each group.
    let handled = |c: &Candidate| {
        c.span
            .is_some_and(|s| v.handled_errors.iter().any(|h| h.origin == s))
    };
    d.root_causes.sort_by_key(|c| handled(c));
}

/// Walk down from the root along the child that carries most of the excess, while it
/// explains its parent's: the deepest span whose own slowness made the request slow.
fn slowest_against(t: &IndexedTrace, b: &Baseline) -> Option<Candidate> {
    let spans = &t.trace.spans;
    let root = t.tree.main_root(&t.trace)?;
    let excess = |i: usize| -> Option<(Judgement, i64)> {
        let j = b.judge_span(spans.get(i)?)?;
        j.slow
            .then(|| (j, j.duration_ns.saturating_sub(j.typical.p50_ns)))
    };
    let mut at = root;
    let mut at_judged = excess(root);
    let mut steps = 0;
    loop {
        let best = t
            .tree
            .children
            .get(at)?
            .iter()
            .filter_map(|&c| excess(c).map(|e| (c, e)))
            .max_by_key(|&(c, (_, ex))| (ex, std::cmp::Reverse(c)));
        let Some((child, judged)) = best else {
            break;
        };
        let explains =
            at_judged.is_none_or(|(_, parent_ex)| judged.1 as f64 >= EXPLAINS * parent_ex as f64);
        if !explains || steps > spans.len() {
            break;
        }
        at = child;
        at_judged = Some(judged);
        steps += 1;
    }
    let (j, _) = at_judged?;
    let s = spans.get(at)?;
    let request = b.judge_request(t);
    let mut evidence = vec![format!(
        "{} took {}, typically {} (p95 {}, {} executions): {:.1}× its median",
        s.label(),
        fmt_ms(j.duration_ns),
        fmt_ms(j.typical.p50_ns),
        fmt_ms(j.typical.p95_ns),
        j.typical.count,
        j.ratio
    )];
    if let Some(r) = request {
        evidence.push(format!(
            "The request took {}, typically {} (p95 {}, {} requests)",
            fmt_ms(r.duration_ns),
            fmt_ms(r.typical.p50_ns),
            fmt_ms(r.typical.p95_ns),
            r.typical.count
        ));
    }
    Some(Candidate {
        category: Category::PerformanceDegradation,
        span: Some(at),
        peer_span: None,
        score: 0.9,
        evidence,
        recommendation: format!(
            "Find what changed in {}: compare this execution with a typical one (tracediag compare), \
             and look at its inputs, its dependencies and the resources it waited on.",
            s.label()
        ),
    })
}

/// The longest uninstrumented gap, as the cause of a request that waited on it.
fn uncovered_wait(t: &IndexedTrace, d: &Diagnosis) -> Option<Candidate> {
    let (gap_ns, span) = d
        .anomalies
        .iter()
        .filter_map(|a| match a.kind {
            AnomalyKind::LongGap { gap_ns, .. } => Some((gap_ns, a.span)),
            _ => None,
        })
        .max_by_key(|&(g, s)| (g, std::cmp::Reverse(s)))?;
    let s = t.trace.spans.get(span)?;
    let root_ns = t
        .tree
        .main_root(&t.trace)
        .and_then(|r| t.trace.spans.get(r))
        .map_or(0, |r| r.duration_ns);
    Some(Candidate {
        category: Category::PerformanceDegradation,
        span: Some(span),
        peer_span: None,
        score: 0.7,
        evidence: vec![
            format!(
                "{} of {}'s {} is covered by no span: it waited on, or worked at, something uninstrumented",
                fmt_ms(gap_ns),
                s.label(),
                fmt_ms(s.duration_ns)
            ),
            format!("That is {} of the request's {}", fmt_pct(gap_ns, root_ns), fmt_ms(root_ns)),
        ],
        recommendation: format!(
            "Instrument what {} does in that stretch (outgoing calls, queues, locks, model calls) \
             to see where the time goes; until then, its logs for the window tell.",
            s.label()
        ),
    })
}

fn unknown() -> Candidate {
    Candidate {
        category: Category::Unknown,
        span: None,
        peer_span: None,
        score: 0.1,
        evidence: vec!["Nothing in this trace alone explains it; give a baseline (--baseline-from) to compare with".into()],
        recommendation: "Compare the trace with a typical one of the same operation (tracediag compare, tracediag similar).".into(),
    }
}
