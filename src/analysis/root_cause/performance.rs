//! PERFORMANCE_DEGRADATION: a span that dominates the critical path, a span slower than its
//! peers, N+1 calls that take a large part of the trace. One candidate per span.

use std::collections::HashMap;

use crate::analysis::anomalies::AnomalyKind;
use crate::analysis::patterns::RepeatKind;
use crate::analysis::units::{fmt_ms, fmt_pct, share};

use super::{Candidate, Category, Context, MAX_PER_KIND};

/// A span whose own critical-path time is at least this share of the trace dominates it.
const DOMINANT_SHARE: f64 = 0.5;
/// N+1 calls are a candidate when they take at least this share of the trace.
const REPEAT_SHARE: f64 = 0.3;

/// Add a PERFORMANCE_DEGRADATION finding, merged into the span's existing one if any: one
/// candidate per span, with the highest score and all the evidence.
fn add_perf(
    out: &mut Vec<Candidate>,
    span: usize,
    peer: Option<usize>,
    score: f64,
    evidence: Vec<String>,
    rec: String,
) {
    match out.iter_mut().find(|c| c.span == Some(span)) {
        Some(c) => {
            c.score = c.score.max(score);
            c.evidence.extend(evidence);
        }
        None => out.push(Candidate {
            category: Category::PerformanceDegradation,
            span: Some(span),
            peer_span: peer,
            score,
            evidence,
            recommendation: rec,
        }),
    }
}

pub(super) fn performance_candidates(
    cx: &Context,
    claimed: &HashMap<usize, i64>,
) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = Vec::new();
    dominant_spans(cx, claimed, &mut out);
    slower_than_peers(cx, &mut out);
    n_plus_one_calls(cx, &mut out);
    out
}

/// A span whose own time dominates the critical path. A root without children has
/// nothing to compare with (a one-span trace, or only orphans around it), so it is not
/// flagged. `claimed` is each span's critical-path time that an uncovered network stretch
/// (NETWORK_TIMEOUT) already accounts for; it is not counted again as the span's own.
fn dominant_spans(cx: &Context, claimed: &HashMap<usize, i64>, out: &mut Vec<Candidate>) {
    let root_has_children =
        cx.t.tree
            .children
            .get(cx.root)
            .is_some_and(|c| !c.is_empty());
    if root_has_children {
        for (i, &on_path) in cx.findings.critical_path.on_path_ns.iter().enumerate() {
            let own = (on_path - claimed.get(&i).copied().unwrap_or(0)).max(0);
            let s = share(own, cx.total_ns).min(1.0);
            // Without a baseline, dominance alone is no degradation in a fast request: a
            // 28 ms render in a 48 ms page is simply where the time goes.
            if s < DOMINANT_SHARE || own < cx.findings.thresholds.slow_span_ns {
                continue;
            }
            let Some(span) = cx.spans.get(i) else {
                continue;
            };
            let leaf = cx.t.tree.children.get(i).is_none_or(<[usize]>::is_empty);
            let mut evidence = vec![format!(
                "{} spends {} of its own time on the critical path: {} of the trace's {}",
                span.label(),
                fmt_ms(own),
                cx.pct_of_trace(own),
                fmt_ms(cx.total_ns)
            )];
            let self_ns = cx.findings.self_time_ns.get(i).copied().unwrap_or(0);
            evidence.push(format!(
                "Duration {}, self time {} ({} of the span not covered by child spans)",
                fmt_ms(span.duration_ns),
                fmt_ms(self_ns),
                fmt_pct(self_ns, span.duration_ns)
            ));
            let rec = if leaf {
                format!(
                    "Investigate the performance of {} in {}: it is this request's bottleneck. Check its resource \
                     utilisation, scaling and the input it received.",
                    span.service, span.operation
                )
            } else {
                format!(
                    "Most of the time is spent in {} itself, outside its child spans: profile {} or add spans around \
                     its uninstrumented work, and check resource utilisation and scaling.",
                    span.label(),
                    span.service
                )
            };
            add_perf(out, i, None, 0.20 + 0.50 * s, evidence, rec);
        }
    }
}

/// Spans slower than their peers, by the time their excess explains.
fn slower_than_peers(cx: &Context, out: &mut Vec<Candidate>) {
    let mut slow: Vec<(f64, usize, f64, i64)> = Vec::new();
    for a in cx.findings.anomalies {
        if let AnomalyKind::SlowerThanPeers { ratio, mean_ns } = a.kind {
            let Some(s) = cx.spans.get(a.span) else {
                continue;
            };
            let excess = s.duration_ns.saturating_sub(mean_ns).max(0);
            let explained = if cx.on_path(a.span) {
                share(excess, cx.total_ns).min(1.0)
            } else {
                0.0
            };
            slow.push((0.25 + 0.45 * explained, a.span, ratio, mean_ns));
        }
    }
    slow.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(score, i, ratio, mean_ns) in slow.iter().take(MAX_PER_KIND) {
        let Some(s) = cx.spans.get(i) else { continue };
        let evidence = vec![format!(
            "{} took {}, {ratio:.1}x the average {} of {} in this trace ({} of the trace{})",
            s.label(),
            fmt_ms(s.duration_ns),
            fmt_ms(mean_ns),
            s.operation,
            cx.pct_of_trace(s.duration_ns),
            if cx.on_path(i) {
                ", on the critical path"
            } else {
                ", off the critical path"
            }
        )];
        let rec = format!(
            "Compare this {} call with its faster siblings (inputs, attributes, host) to see why it was slower.",
            s.label()
        );
        add_perf(out, i, None, score, evidence, rec);
    }
}

/// N+1 calls that take a large part of the trace.
fn n_plus_one_calls(cx: &Context, out: &mut Vec<Candidate>) {
    let mut repeated: Vec<(f64, usize)> = Vec::new();
    for (k, r) in cx.findings.patterns.repeated.iter().enumerate() {
        if r.kind != RepeatKind::NPlusOne || !cx.on_path(r.parent) {
            continue;
        }
        let parent_ns = cx.spans.get(r.parent).map_or(0, |p| p.duration_ns.max(0));
        let s = share(r.total_ns.min(parent_ns), cx.total_ns).min(1.0);
        if s >= REPEAT_SHARE {
            repeated.push((0.20 + 0.50 * s, k));
        }
    }
    repeated.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    for &(score, k) in repeated.iter().take(MAX_PER_KIND) {
        let Some(r) = cx.findings.patterns.repeated.get(k) else {
            continue;
        };
        let Some(&first) = r.calls.first() else {
            continue;
        };
        let call = cx.label(first);
        let n = r.calls.len() as i64;
        let evidence = vec![format!(
            "{} made {n} calls to {call}, {} in total ({} of the trace), {} each on average (N+1)",
            cx.label(r.parent),
            fmt_ms(r.total_ns),
            cx.pct_of_trace(r.total_ns),
            fmt_ms(r.total_ns / n.max(1))
        )];
        let rec = format!(
            "Batch the {n} {call} calls into one (a single query for all items, eager loading) or run them concurrently."
        );
        add_perf(out, r.parent, Some(first), score, evidence, rec);
    }
}
