//! The verdict part of the JSON document: `verdict`, `verdict_reason`, the baseline it was
//! judged against, handled errors and where the time went.

use serde::Serialize;

use crate::analysis::verdict::Verdict;

use super::super::text::ms;
use super::super::Ctx;

/// The baseline the verdict used.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BaselineDoc {
    /// Other traces the baseline was computed from (0: none was available, the trace was
    /// judged alone).
    pub traces: usize,
    /// The request against its root operation's requests; absent without enough of them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<JudgementDoc>,
}

/// A duration against its operation's distribution.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct JudgementDoc {
    pub duration_ms: f64,
    /// The median of the operation.
    pub typical_ms: f64,
    pub p95_ms: f64,
    /// Samples the distribution holds.
    pub count: u64,
    /// duration / median.
    pub ratio: f64,
    /// Far beyond the spread: over median + 3 × (median − p25), and over 2× the median.
    pub slow: bool,
}

/// An error a caller absorbed.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct HandledErrorDoc {
    pub span_id: String,
    pub service: String,
    pub operation: String,
    pub message: Option<String>,
    /// The nearest ancestor that did not fail.
    pub handled_by_span_id: String,
    pub handled_by: String,
}

/// Where the time went.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct BreakdownDoc {
    /// The root span's duration: how long the caller waited.
    pub root_span_ms: f64,
    /// From the earliest span start to the latest span end; larger than `root_span_ms` when
    /// asynchronous work outlived the root.
    pub trace_extent_ms: f64,
    /// The spans with the most time on the critical path, most first.
    pub top: Vec<TimeShareDoc>,
    /// The asynchronous chain that ended last, when work outlived the root span.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub async_tail: Option<AsyncTailDoc>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TimeShareDoc {
    pub span_id: String,
    pub service: String,
    pub operation: String,
    pub critical_path_ms: f64,
    /// Share of the root span's duration.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AsyncTailDoc {
    /// The span that ended last.
    pub span_id: String,
    /// The chain below the root that carried the work, nearest the root first.
    pub chain_span_ids: Vec<String>,
    pub after_root_ms: f64,
}

/// The verdict fields of a single-trace document.
pub struct VerdictFields {
    pub verdict: Verdict,
    pub reason: String,
    pub baseline: BaselineDoc,
    pub handled_errors: Vec<HandledErrorDoc>,
    pub time_breakdown: BreakdownDoc,
}

pub fn fields(c: &Ctx) -> VerdictFields {
    let v = &c.v;
    let span = |i: usize| c.span(i);
    let b = &v.breakdown;
    VerdictFields {
        verdict: v.verdict,
        reason: v.reason.clone(),
        baseline: BaselineDoc {
            traces: v.baseline_traces,
            request: v.request.map(|j| JudgementDoc {
                duration_ms: ms(j.duration_ns),
                typical_ms: ms(j.typical.p50_ns),
                p95_ms: ms(j.typical.p95_ns),
                count: j.typical.count,
                ratio: super::super::text::finite(j.ratio),
                slow: j.slow,
            }),
        },
        handled_errors: v
            .handled_errors
            .iter()
            .map(|h| HandledErrorDoc {
                span_id: c.id(h.origin),
                service: c.service(h.origin),
                operation: c.operation(h.origin),
                message: span(h.origin).and_then(|s| s.status.message.clone()),
                handled_by_span_id: c.id(h.handler),
                handled_by: c.label(h.handler),
            })
            .collect(),
        time_breakdown: BreakdownDoc {
            root_span_ms: ms(b.root_ns),
            trace_extent_ms: ms(b.extent_ns),
            top: b
                .top
                .iter()
                .map(|&(i, ns)| TimeShareDoc {
                    span_id: c.id(i),
                    service: c.service(i),
                    operation: c.operation(i),
                    critical_path_ms: ms(ns),
                    share: super::super::text::finite(ns as f64 / b.root_ns.max(1) as f64),
                })
                .collect(),
            async_tail: b.async_tail.as_ref().map(|t| AsyncTailDoc {
                span_id: c.id(t.last),
                chain_span_ids: t.chain.iter().map(|&i| c.id(i)).collect(),
                after_root_ms: ms(t.after_root_ns),
            }),
        },
    }
}
