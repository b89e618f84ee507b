//! Root-cause classification: ranked candidates, each with a category, the span, evidence
//! with concrete numbers, and a recommendation.
//!
//! # Scoring
//!
//! A score is a confidence in [0, 1] built from two things: how directly the finding
//! answers "why did it fail / why was it slow", and how much of the request it accounts for.
//! "Explained share" below is the part of the main root's duration the finding covers *on
//! the critical path* (time off the path delayed nothing the caller waited for).
//!
//! - Failures before slowness when the root failed. An error origin whose chain of failed
//!   ancestors reaches the failed root explains the failure outright: 0.88, +0.07 when the
//!   category rests on a specific signal (status code, recognised message) rather than the
//!   EXECUTION_FAILURE fallback. Nothing about slowness can score that high (max 0.85).
//! - An error that stops short of a failed root (an ancestor in between succeeded) is a
//!   weaker explanation of the root's failure: 0.55 (+0.07).
//! - An error in a successful request was handled; it matters only through the time it
//!   cost: 0.30 (+0.07) + 0.25 × the origin's duration as a share of the trace, when the
//!   origin lies on the critical path.
//! - NETWORK_TIMEOUT: 0.30 + 0.10 × (gap / caller duration) + 0.45 × explained share
//!   (max 0.85). A stretch on a cross-service leg that no span covers is a more specific
//!   explanation than "this span was slow", so it outranks PERFORMANCE_DEGRADATION of the
//!   same size, and the time it explains is not counted again as the caller's self time.
//! - PERFORMANCE_DEGRADATION: a span whose own time on the critical path is at least half
//!   the trace: 0.20 + 0.50 × share (0.45–0.70); a span slower than its peers:
//!   0.25 + 0.45 × its excess over the mean as a share of the trace (0 off the critical
//!   path); N+1 calls taking at least 30% of the trace: 0.20 + 0.50 × share. One candidate
//!   per span, with the highest of its scores.
//! - BROKEN_TRACE (orphans, cycles, several roots) is always listed when the tree is
//!   broken: 0.60 when nothing else scores 0.40 or more, else 0.20. Every other score is then
//!   multiplied by 0.85: conclusions drawn from a broken tree are less certain.
//! - UNKNOWN (0.10) when nothing else was found, pointing at the slowest critical-path spans.
//!
//! Ties are broken by category, then span index, so the ranking is deterministic.
//!
//! This file holds the candidate model, the context every builder shares and the ranking;
//! each kind of candidate is built in its own file: `network` (uncovered legs), `failures`
//! (error origins, classified by `classify`), `performance` and `integrity` (broken trees).

mod classify;
mod failures;
mod integrity;
mod network;
mod performance;

use serde::Serialize;

use std::collections::HashMap;

use crate::model::{IndexedTrace, Span};

use super::anomalies::Anomaly;
use super::critical_path::CriticalPath;
use super::errors::ErrorOrigin;
use super::gaps::Gap;
use super::patterns::Patterns;
use super::thresholds::Thresholds;
use super::units::{fmt_ms, fmt_pct};

pub use classify::{classify_error, ErrorClass};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Category {
    NetworkTimeout,
    ConnectionFailure,
    ServiceTimeout,
    RateLimited,
    ExecutionFailure,
    PerformanceDegradation,
    BrokenTrace,
    Unknown,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::NetworkTimeout => "NETWORK_TIMEOUT",
            Category::ConnectionFailure => "CONNECTION_FAILURE",
            Category::ServiceTimeout => "SERVICE_TIMEOUT",
            Category::RateLimited => "RATE_LIMITED",
            Category::ExecutionFailure => "EXECUTION_FAILURE",
            Category::PerformanceDegradation => "PERFORMANCE_DEGRADATION",
            Category::BrokenTrace => "BROKEN_TRACE",
            Category::Unknown => "UNKNOWN",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub category: Category,
    /// The span the cause is located at (None only for UNKNOWN on an empty trace).
    pub span: Option<usize>,
    /// For cross-service findings, the other side (e.g. the callee whose response was late).
    pub peer_span: Option<usize>,
    /// Confidence in [0, 1]; candidates are sorted by it, highest first.
    pub score: f64,
    /// Facts with numbers and timestamps, one per line.
    pub evidence: Vec<String>,
    pub recommendation: String,
}

/// Candidates of each kind formatted at most; keeps the work and the output bounded on
/// traces with thousands of similar findings.
const MAX_PER_KIND: usize = 5;
/// Candidates returned at most.
const MAX_CANDIDATES: usize = 12;

/// What the diagnosis found in one trace, that the ranking weighs against each other.
#[derive(Debug, Clone, Copy)]
pub struct Findings<'a> {
    pub thresholds: &'a Thresholds,
    /// Self time of each span, by span index.
    pub self_time_ns: &'a [i64],
    pub gaps: &'a [Gap],
    pub critical_path: &'a CriticalPath,
    pub anomalies: &'a [Anomaly],
    pub error_origins: &'a [ErrorOrigin],
    pub patterns: &'a Patterns,
}

/// Ranked candidates, most likely first; never empty.
pub fn rank(t: &IndexedTrace, findings: &Findings) -> Vec<Candidate> {
    let spans = &t.trace.spans;
    let Some(root) = t.tree.main_root(&t.trace).filter(|&r| r < spans.len()) else {
        return vec![Candidate {
            category: Category::Unknown,
            span: None,
            peer_span: None,
            score: 0.1,
            evidence: vec!["The trace has no spans".into()],
            recommendation:
                "Check that the trace id is right and that the spans were exported and sampled."
                    .into(),
        }];
    };
    let cx = Context::new(t, *findings, root);

    let mut out = Vec::new();
    let mut claimed: HashMap<usize, i64> = HashMap::new();
    out.extend(network::network_candidates(&cx, &mut claimed));
    out.extend(failures::error_candidates(&cx));
    out.extend(performance::performance_candidates(&cx, &claimed));

    if t.tree.integrity.is_broken() {
        integrity::weigh_broken_tree(&cx, &mut out);
    }
    if out.iter().all(|c| c.category == Category::BrokenTrace) {
        out.push(unknown_candidate(&cx));
    }

    out.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(a.category.cmp(&b.category))
            .then(a.span.cmp(&b.span))
            .then(a.peer_span.cmp(&b.peer_span))
    });
    if out.len() > MAX_CANDIDATES {
        // Keep BROKEN_TRACE even when many findings outrank it: the user must know the tree
        // is unreliable.
        let broken = out.iter().position(|c| c.category == Category::BrokenTrace);
        if let Some(b) = broken.filter(|&b| b >= MAX_CANDIDATES) {
            let c = out.remove(b);
            out.truncate(MAX_CANDIDATES - 1);
            out.push(c);
        } else {
            out.truncate(MAX_CANDIDATES);
        }
    }
    out
}

/// What every candidate builder needs, computed once.
struct Context<'a> {
    t: &'a IndexedTrace,
    findings: Findings<'a>,
    spans: &'a [Span],
    root: usize,
    /// The main root's duration; the denominator of every share.
    total_ns: i64,
    root_failed: bool,
    /// Spans with time on the critical path, or with a descendant that has.
    on_path_any: Vec<bool>,
    /// Critical-path segments grouped by span (span `i`'s are
    /// `seg_ranges[seg_start[i]..seg_start[i + 1]]`, in time order), to measure overlaps
    /// without scanning the whole path.
    seg_start: Vec<usize>,
    seg_ranges: Vec<(i64, i64)>,
}

impl<'a> Context<'a> {
    fn new(t: &'a IndexedTrace, findings: Findings<'a>, root: usize) -> Context<'a> {
        let spans = t.trace.spans.as_slice();
        let root_span = &spans[root];
        let mut total_ns = root_span.duration_ns.max(0);
        if total_ns == 0 {
            // Trace::duration_ns subtracts unchecked; extreme timestamps must not overflow.
            total_ns = t.trace.end_ns().saturating_sub(t.trace.start_ns()).max(0);
        }
        let cp: &CriticalPath = findings.critical_path;
        let mut on_path_any = vec![false; spans.len()];
        for seg in &cp.segments {
            // Mark the span and its ancestors; stop at the first already marked, so the
            // total work is linear.
            let mut cur = Some(seg.span);
            while let Some(i) = cur {
                match on_path_any.get_mut(i) {
                    Some(m) if !*m => *m = true,
                    _ => break,
                }
                cur = t.tree.parent.get(i).copied().flatten();
            }
        }
        // Counting sort by span: linear, and keeps each span's segments in time order.
        let mut seg_start = vec![0usize; spans.len() + 1];
        for seg in &cp.segments {
            if let Some(c) = seg_start.get_mut(seg.span + 1) {
                *c += 1;
            }
        }
        for i in 1..seg_start.len() {
            seg_start[i] += seg_start[i - 1];
        }
        let mut fill = seg_start.clone();
        let mut seg_ranges = vec![(0i64, 0i64); cp.segments.len()];
        for seg in &cp.segments {
            if let Some(f) = fill.get_mut(seg.span) {
                if let Some(slot) = seg_ranges.get_mut(*f) {
                    *slot = (seg.start_ns, seg.end_ns);
                }
                *f += 1;
            }
        }
        Context {
            t,
            findings,
            spans,
            root,
            total_ns,
            root_failed: root_span.is_error(),
            on_path_any,
            seg_start,
            seg_ranges,
        }
    }

    fn label(&self, i: usize) -> String {
        self.spans.get(i).map_or_else(|| "?".into(), Span::label)
    }

    /// Time of `span`'s own critical-path segments inside `[from, to)`.
    fn on_path_within(&self, span: usize, from: i64, to: i64) -> i64 {
        let (Some(&a), Some(&b)) = (self.seg_start.get(span), self.seg_start.get(span + 1)) else {
            return 0;
        };
        let segs = self.seg_ranges.get(a..b).unwrap_or(&[]);
        let first = segs.partition_point(|&(_, end)| end <= from);
        segs[first..]
            .iter()
            .take_while(|&&(start, _)| start < to)
            .map(|&(start, end)| (end.min(to) - start.max(from)).max(0))
            .sum()
    }

    fn on_path(&self, i: usize) -> bool {
        self.on_path_any.get(i).copied().unwrap_or(false)
    }

    /// `share` as a percentage of the trace, for evidence.
    fn pct_of_trace(&self, ns: i64) -> String {
        fmt_pct(ns, self.total_ns)
    }
}

fn unknown_candidate(cx: &Context) -> Candidate {
    // The three spans with the most time on the critical path, without sorting everything.
    let mut top: Vec<(i64, usize)> = Vec::new();
    for (i, &ns) in cx.findings.critical_path.on_path_ns.iter().enumerate() {
        if ns <= 0 {
            continue;
        }
        top.push((ns, i));
        top.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        top.truncate(3);
    }
    let th = cx.findings.thresholds;
    let mut evidence = vec![format!(
        "Nothing stands out: no failed span, no uncovered cross-service stretch over {}, no span with half of the \
         critical path",
        fmt_ms(th.network_gap_ns)
    )];
    let listed: Vec<String> = top
        .iter()
        .map(|&(ns, i)| format!("{} {} ({})", cx.label(i), fmt_ms(ns), cx.pct_of_trace(ns)))
        .collect();
    evidence.push(format!(
        "The trace took {}; most critical-path time is in {}",
        fmt_ms(cx.total_ns),
        if listed.is_empty() {
            "no span".to_string()
        } else {
            listed.join(", ")
        }
    ));
    let names: Vec<String> = top.iter().map(|&(_, i)| cx.label(i)).collect();
    Candidate {
        category: Category::Unknown,
        span: Some(top.first().map_or(cx.root, |&(_, i)| i)),
        peer_span: None,
        score: 0.1,
        evidence,
        recommendation: format!(
            "Inspect the slowest critical-path spans ({}) and compare them with a fast trace of the same request.",
            if names.is_empty() { cx.label(cx.root) } else { names.join(", ") }
        ),
    }
}

#[cfg(test)]
mod tests;
