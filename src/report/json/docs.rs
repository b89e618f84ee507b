//! The types of the JSON document: every field is part of the documented schema (the README
//! links these structs), in the order it is printed. The conventions are in the parent
//! module's documentation.

#![warn(missing_docs)]

use serde::Serialize;

use crate::analysis::gaps::{GapPosition, Leg};
use crate::analysis::patterns::RepeatKind;
use crate::model::{SpanKind, StatusCode};

pub use super::docs_as_written::{CriticalPathDocs, SpanDocs};

/// The document every subcommand prints.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report<'a> {
    /// Version of this layout ([`TRACE_SCHEMA_VERSION`](crate::report::TRACE_SCHEMA_VERSION)):
    /// "2" added the verdict. Compare it before reading anything else.
    pub schema_version: &'static str,
    /// The subcommand that produced the document: `diagnose`, `gaps`, `root-cause`,
    /// `timeline` or `summary`.
    pub command: &'static str,
    /// Identity and size of the trace; present in every document.
    pub trace: TraceDoc,
    /// `diagnose` and `root-cause`: the verdict on the request — `ok`, `slow`, `failed`,
    /// `partial` (spans of the trace are missing) or `broken` (no single root, cycles).
    /// Root causes are listed only when it is not `ok`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict: Option<crate::analysis::verdict::Verdict>,
    /// One sentence saying why, with numbers.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verdict_reason: Option<String>,
    /// What the verdict was judged against.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<super::verdict::BaselineDoc>,
    /// Errors a caller absorbed while the request went on: not the cause of anything by
    /// themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled_errors: Option<Vec<super::verdict::HandledErrorDoc>>,
    /// Where the time went, whatever the verdict: a breakdown, not a cause.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_breakdown: Option<super::verdict::BreakdownDoc>,
    /// `summary` only: where the time went and what failed first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<SummaryDoc>,
    /// Structural problems of the trace; conclusions are less certain when `broken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<IntegrityDoc>,
    /// Root-cause candidates, most likely first (`rank` 1). Empty when the verdict is `ok`;
    /// otherwise never empty in `diagnose` and `root-cause` (`UNKNOWN` when nothing stands
    /// out).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_causes: Option<Vec<RootCauseDoc>>,
    /// Where each error started and the errored ancestors it travelled through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_origins: Option<Vec<ErrorOriginDoc>>,
    /// Spans much slower than their peers, long gaps, failures; in span pre-order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomalies: Option<Vec<AnomalyDoc>>,
    /// Uninstrumented time inside spans, largest first (equal ones in span pre-order).
    /// `diagnose` lists every gap, `gaps` those at least `--gap-threshold` long; both keep
    /// the longest when capped by `--max-spans`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<GapDoc>>,
    /// The critical path in time order; consecutive segments of one span are merged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical_path: Option<CriticalPathDocs<'a>>,
    /// Sequential fan-out and repeated calls (N+1, retries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<PatternsDoc>,
    /// The spans, in tree pre-order (parents before children, siblings by start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spans: Option<SpanDocs<'a>>,
    /// True when any list in this document was cut (see `omitted_spans`, `omitted_gaps`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
    /// Spans of the trace not listed in `spans`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted_spans: Option<usize>,
    /// Gaps not listed in `gaps`: shorter than `--gap-threshold` (`gaps` only) or beyond
    /// `--max-spans`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted_gaps: Option<usize>,
    /// Why lists were cut and what was kept; null when nothing was cut.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted_reason: Option<Option<String>>,
}

/// Identity and size of the trace.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct TraceDoc {
    /// Normalised trace id (lower-case hex, or the id as written when not hex).
    pub trace_id: String,
    /// Service of the root span (null for an empty trace).
    pub root_service: Option<String>,
    /// Operation of the root span.
    pub root_operation: Option<String>,
    /// Span id of the root span.
    pub root_span_id: Option<String>,
    /// Start of the earliest span, RFC 3339 UTC with milliseconds.
    pub start_time: String,
    /// From the earliest span start to the latest span end.
    pub duration_ms: f64,
    /// Number of spans in the trace.
    pub span_count: usize,
    /// Number of distinct services.
    pub service_count: usize,
    /// Distinct services, sorted.
    pub services: Vec<String>,
    /// Spans whose status is error (after all error conventions were applied).
    pub error_count: usize,
    /// Warnings the trace source attached (partial results, Jaeger warnings).
    pub warnings: Vec<String>,
    /// Token and cost totals of LLM spans; absent when no span reports them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub llm: Option<crate::model::llm::LlmUsage>,
}

/// `summary`: the seed's `/summary` beyond the counts already in `trace`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SummaryDoc {
    /// The span with the most self time: where time was actually spent (the root always
    /// has the longest duration, so duration alone says little).
    pub slowest_span: Option<SpanRefDoc>,
    /// The earliest failed span.
    pub first_error: Option<SpanRefDoc>,
    /// The most likely root cause.
    pub top_root_cause: Option<RootCauseDoc>,
    /// Number of anomalies found.
    pub anomaly_count: usize,
    /// Number of gaps found (of any length).
    pub gap_count: usize,
}

/// A span named in a summary.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SpanRefDoc {
    /// Span id.
    pub span_id: String,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// Start, from the start of the trace.
    pub start_offset_ms: f64,
    /// Duration.
    pub duration_ms: f64,
    /// Null when self time was not computed.
    pub self_time_ms: Option<f64>,
    /// The status message (error message for failed spans).
    pub status_message: Option<String>,
}

/// Structural findings. Times in milliseconds.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IntegrityDoc {
    /// True when any finding below is present.
    pub has_findings: bool,
    /// True when the tree itself is unreliable (orphans, cycles, several roots).
    pub broken: bool,
    /// One human sentence per finding, as the table prints them.
    pub findings: Vec<String>,
    /// Spans whose parent is not in the trace.
    pub orphans: Vec<OrphanDoc>,
    /// Spans without a parent id; more than one means several roots.
    pub root_span_ids: Vec<String>,
    /// Parent loops, each as span ids from the span where it was cut.
    pub cycles: Vec<Vec<String>>,
    /// Span ids that occur more than once; children attach to the first.
    pub duplicate_span_ids: Vec<String>,
    /// Children that start before or end after their parent.
    pub outside_parent: Vec<OutsideParentDoc>,
    /// Spans with zero or negative duration.
    pub non_positive_durations: Vec<String>,
    /// Clock-skew shifts applied.
    pub skew_adjustments: Vec<SkewDoc>,
    /// Parent links were inferred from time containment.
    pub inferred_parents: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OrphanDoc {
    pub span_id: String,
    pub missing_parent_id: String,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutsideParentDoc {
    pub span_id: String,
    pub parent_id: String,
    /// How much earlier than its parent the child starts.
    pub early_ms: f64,
    /// How much later than its parent the child ends.
    pub late_ms: f64,
    /// FOLLOWS_FROM or producer→consumer: outliving the parent is expected.
    pub asynchronous: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SkewDoc {
    pub span_id: String,
    /// Shift applied to the span's timestamps (negative: moved earlier).
    pub shift_ms: f64,
}

/// One root-cause candidate.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RootCauseDoc {
    /// 1 for the most likely cause.
    pub rank: usize,
    /// `NETWORK_TIMEOUT`, `CONNECTION_FAILURE`, `SERVICE_TIMEOUT`, `RATE_LIMITED`,
    /// `EXECUTION_FAILURE`, `PERFORMANCE_DEGRADATION`, `BROKEN_TRACE` or `UNKNOWN`.
    pub category: String,
    /// Where the cause is located (null only for `UNKNOWN` on an empty trace).
    pub service: Option<String>,
    /// Operation of that span.
    pub operation: Option<String>,
    /// Span id of the span where the cause is located.
    pub span_id: Option<String>,
    /// For cross-service findings, the other side (e.g. the callee whose response was late).
    pub peer_service: Option<String>,
    /// Operation of the peer span.
    pub peer_operation: Option<String>,
    /// Span id of the peer span.
    pub peer_span_id: Option<String>,
    /// Confidence in [0, 1].
    pub score: f64,
    /// Facts with numbers and timestamps, one per entry.
    pub evidence: Vec<String>,
    /// What to check or change next.
    pub recommendation: String,
}

/// Where an error started.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ErrorOriginDoc {
    /// The deepest failed span with no failed children.
    pub span_id: String,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// Its error message, when it has one.
    pub message: Option<String>,
    /// Failed ancestors the error propagated through, nearest first.
    pub chain: Vec<String>,
}

/// One anomaly. Fields after `reason` depend on `type` and are omitted for other types.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct AnomalyDoc {
    /// Span id of the anomalous span.
    pub span_id: String,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// `slower_than_peers`, `long_gap` or `failed`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// One sentence with the numbers.
    pub reason: String,
    /// `slower_than_peers`: duration ÷ mean of the same service.operation in this trace.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ratio: Option<f64>,
    /// `slower_than_peers`: that mean.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mean_ms: Option<f64>,
    /// `long_gap`: the gap's length.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gap_ms: Option<f64>,
    /// `failed`: the error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// Uninstrumented time inside a span.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct GapDoc {
    /// The span the gap is inside.
    pub span_id: String,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// `before_first_child`, `between_children` or `after_last_child`.
    pub position: GapPosition,
    /// `request` or `response` when the gap borders a child in another service (network
    /// time on the way to, or back from, the callee); null otherwise.
    pub leg: Option<Leg>,
    /// Start, from the start of the trace.
    pub start_offset_ms: f64,
    /// Length of the gap.
    pub gap_ms: f64,
    /// The child that ended just before the gap.
    pub after_span_id: Option<String>,
    /// The child that starts right after the gap.
    pub before_span_id: Option<String>,
}

/// A stretch of the critical path spent in one span.
// Its text is borrowed from the trace (masked before the report is made): a path can have
// as many stretches as the trace has spans.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CriticalSegmentDoc<'a> {
    /// Span id.
    pub span_id: &'a str,
    /// Service name.
    pub service: &'a str,
    /// Operation (span name).
    pub operation: &'a str,
    /// Start of the stretch, from the start of the trace.
    pub start_offset_ms: f64,
    /// Time this stretch of the path spends in the span.
    pub duration_ms: f64,
}

/// Call patterns worth naming.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PatternsDoc {
    /// Children that ran one after another where they could perhaps run in parallel.
    pub sequential: Vec<SequentialDoc>,
    /// Many calls to the same operation under one parent.
    pub repeated: Vec<RepeatedDoc>,
}

/// Children of one span that ran strictly one after another.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SequentialDoc {
    /// Span id of the parent.
    pub parent_span_id: String,
    /// Service of the parent.
    pub parent_service: String,
    /// Operation of the parent.
    pub parent_operation: String,
    /// Number of children that ran one after another.
    pub child_count: usize,
    /// The first 20 children, in start order.
    pub child_span_ids: Vec<String>,
    /// Sum of the children's durations.
    pub children_sum_ms: f64,
    /// Duration of the parent.
    pub parent_duration_ms: f64,
}

/// Repeated sibling calls: N+1 queries or retries.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct RepeatedDoc {
    /// Span id of the parent.
    pub parent_span_id: String,
    /// Service of the parent.
    pub parent_service: String,
    /// Operation of the parent.
    pub parent_operation: String,
    /// `n_plus_one` or `retry`.
    pub kind: RepeatKind,
    /// The repeated call's service and operation.
    pub service: String,
    /// Operation of the repeated call.
    pub operation: String,
    /// Number of repeated calls.
    pub count: usize,
    /// Sum of the repeated calls' durations.
    pub total_ms: f64,
    /// The first 20 calls, in start order.
    pub call_span_ids: Vec<String>,
    /// Calls not listed in `call_span_ids`.
    pub omitted_call_span_ids: usize,
}

/// One span of the waterfall.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SpanDoc {
    /// Span id.
    pub span_id: String,
    /// Null for roots.
    pub parent_span_id: Option<String>,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
    /// `server`, `client`, `internal`, `producer`, `consumer` or `unspecified`.
    pub kind: SpanKind,
    /// Distance from the span's root (0 for roots).
    pub depth: u32,
    /// Start, from the start of the trace.
    pub start_offset_ms: f64,
    /// Duration.
    pub duration_ms: f64,
    /// Time no child covers; null when not computed.
    pub self_time_ms: Option<f64>,
    /// `ok`, `error` or `unset`.
    pub status: StatusCode,
    /// The status message (the error message for failed spans).
    pub status_message: Option<String>,
    /// True when some of the span's time is on the critical path.
    pub on_critical_path: bool,
    /// The span's anomaly reasons joined by `; `, null when it has none.
    pub anomaly: Option<String>,
    /// With `--attributes`: the span's attributes (Jaeger tags), keys sorted, values typed
    /// as read, cut at `--max-attr-size` and redacted like every value. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<crate::report::span::AttrMap>,
    /// With `--events`: the span's events (Jaeger logs) in time order, each with its
    /// offset from the span start, name and attributes. Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<crate::report::span::EventDoc>>,
}
