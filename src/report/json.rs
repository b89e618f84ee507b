//! The JSON document (`--format json`), schema version [`SCHEMA_VERSION`].
//!
//! Conventions, relied on by CI jobs and LLM tools:
//! - Every number carries its unit in its key (`duration_ms`, `gap_ms`, `self_time_ms`);
//!   milliseconds are floats rounded to 3 decimals (whole microseconds). Offsets
//!   (`start_offset_ms`) are from the start of the trace.
//! - Ids (trace, span) are always strings. Span indices never appear.
//! - Key order is the field order below and never changes within a schema version.
//! - NaN and infinity are never emitted (see [`text::finite`]).
//! - Summaries come first (`trace`, then `root_causes`), details last (`spans`).
//! - Lists that can grow with the trace (`spans`, `gaps`) are capped by `--max-spans`, and
//!   a cut is always stated (`truncated`, `omitted_spans`, `omitted_gaps`,
//!   `omitted_reason`): a consumer that cannot see truncation would present partial data as
//!   complete.
//! - Every subcommand prints the same envelope (`schema_version`, `command`, `trace`) with
//!   only its own sections; absent sections are omitted, not null.

// Every field is part of the documented schema (the README links these structs).
#![warn(missing_docs)]

use serde::Serialize;

use crate::analysis::anomalies::AnomalyKind;
use crate::analysis::gaps::{GapPosition, Leg};
use crate::analysis::patterns::RepeatKind;
use crate::model::{SpanKind, StatusCode};

use super::text::{finite, ms, rfc3339_ms};
use super::waterfall::{select, select_gaps};
use super::{Ctx, SCHEMA_VERSION};

/// How many span ids a pattern lists before counting the rest in `omitted_call_span_ids`.
const PATTERN_IDS: usize = 20;

/// The document every subcommand prints.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Report {
    /// Version of this layout ([`SCHEMA_VERSION`]); compare it before reading anything else.
    pub schema_version: &'static str,
    /// The subcommand that produced the document: `diagnose`, `gaps`, `root-cause`,
    /// `timeline` or `summary`.
    pub command: &'static str,
    /// Identity and size of the trace; present in every document.
    pub trace: TraceDoc,
    /// `summary` only: where the time went and what failed first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<SummaryDoc>,
    /// Structural problems of the trace; conclusions are less certain when `broken`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<IntegrityDoc>,
    /// Root-cause candidates, most likely first (`rank` 1). Never empty in `diagnose` and
    /// `root-cause`: `UNKNOWN` when nothing stands out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub root_causes: Option<Vec<RootCauseDoc>>,
    /// Where each error started and the errored ancestors it travelled through.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_origins: Option<Vec<ErrorOriginDoc>>,
    /// Spans much slower than their peers, long gaps, failures; in span pre-order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anomalies: Option<Vec<AnomalyDoc>>,
    /// Uninstrumented time inside spans, in span pre-order then time order. When capped,
    /// the longest gaps are kept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gaps: Option<Vec<GapDoc>>,
    /// The critical path in time order; consecutive segments of one span are merged.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub critical_path: Option<Vec<CriticalSegmentDoc>>,
    /// Sequential fan-out and repeated calls (N+1, retries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patterns: Option<PatternsDoc>,
    /// The spans, in tree pre-order (parents before children, siblings by start).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spans: Option<Vec<SpanDoc>>,
    /// True when any list in this document was cut (see `omitted_spans`, `omitted_gaps`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truncated: Option<bool>,
    /// Spans of the trace not listed in `spans`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub omitted_spans: Option<usize>,
    /// Gaps not listed in `gaps`.
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
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CriticalSegmentDoc {
    /// Span id.
    pub span_id: String,
    /// Service name.
    pub service: String,
    /// Operation (span name).
    pub operation: String,
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
}

/// Pretty-printed (two spaces), newline-terminated.
pub fn to_string<T: Serialize>(r: &T) -> String {
    let mut s = serde_json::to_string_pretty(r).unwrap_or_else(|e| {
        // Unreachable for these types (string keys, finite floats); still never panic.
        format!(
            "{{\"schema_version\":\"{SCHEMA_VERSION}\",\"error\":{:?}}}",
            e.to_string()
        )
    });
    s.push('\n');
    s
}

fn envelope(c: &Ctx, command: &'static str) -> Report {
    Report {
        schema_version: SCHEMA_VERSION,
        command,
        trace: trace_doc(c),
        summary: None,
        integrity: None,
        root_causes: None,
        error_origins: None,
        anomalies: None,
        gaps: None,
        critical_path: None,
        patterns: None,
        spans: None,
        truncated: None,
        omitted_spans: None,
        omitted_gaps: None,
        omitted_reason: None,
    }
}

pub fn diagnose(c: &Ctx) -> Report {
    let mut r = envelope(c, "diagnose");
    r.integrity = Some(integrity_doc(c));
    r.root_causes = Some(root_causes(c));
    r.error_origins = Some(error_origins(c));
    r.anomalies = Some(anomalies(c));
    let (gaps, omitted_gaps) = gaps_list(c);
    r.gaps = Some(gaps);
    r.critical_path = Some(critical_path(c));
    r.patterns = Some(patterns(c));
    let sel = select(c, c.o.max_spans);
    r.spans = Some(sel.spans.iter().map(|&i| span_doc(c, i)).collect());
    let reasons: Vec<String> = sel
        .reason
        .into_iter()
        .chain((omitted_gaps > 0).then(|| {
            format!(
                "{omitted_gaps} shorter gaps omitted (max_spans {})",
                c.o.max_spans
            )
        }))
        .collect();
    r.truncated = Some(sel.omitted > 0 || omitted_gaps > 0);
    r.omitted_spans = Some(sel.omitted);
    r.omitted_gaps = Some(omitted_gaps);
    r.omitted_reason = Some((!reasons.is_empty()).then(|| reasons.join("; ")));
    r
}

pub fn gaps(c: &Ctx) -> Report {
    let mut r = envelope(c, "gaps");
    let (gaps, omitted) = gaps_list(c);
    r.gaps = Some(gaps);
    r.truncated = Some(omitted > 0);
    r.omitted_gaps = Some(omitted);
    r.omitted_reason = Some((omitted > 0).then(|| {
        format!(
            "{omitted} shorter gaps omitted (max_spans {}): the longest are kept",
            c.o.max_spans
        )
    }));
    r
}

pub fn root_cause(c: &Ctx) -> Report {
    let mut r = envelope(c, "root-cause");
    r.integrity = Some(integrity_doc(c));
    r.root_causes = Some(root_causes(c));
    r.error_origins = Some(error_origins(c));
    r
}

pub fn timeline(c: &Ctx) -> Report {
    let mut r = envelope(c, "timeline");
    let sel = select(c, c.o.max_spans);
    r.spans = Some(sel.spans.iter().map(|&i| span_doc(c, i)).collect());
    r.truncated = Some(sel.omitted > 0);
    r.omitted_spans = Some(sel.omitted);
    r.omitted_reason = Some(sel.reason);
    r
}

pub fn summary(c: &Ctx) -> Report {
    let mut r = envelope(c, "summary");
    r.summary = Some(SummaryDoc {
        slowest_span: c.slowest().map(|i| span_ref(c, i)),
        first_error: c.first_error().map(|i| span_ref(c, i)),
        top_root_cause: root_causes(c).into_iter().next(),
        anomaly_count: c.d.anomalies.len(),
        gap_count: c.d.gaps.len(),
    });
    r
}

fn trace_doc(c: &Ctx) -> TraceDoc {
    let trace = &c.t.trace;
    let root = c.root.and_then(|i| c.span(i));
    let services: Vec<String> = trace.services().into_iter().map(String::from).collect();
    TraceDoc {
        trace_id: trace.id.clone(),
        root_service: root.map(|s| s.service.clone()),
        root_operation: root.map(|s| s.operation.clone()),
        root_span_id: root.map(|s| s.span_id.clone()),
        start_time: rfc3339_ms(c.start_ns),
        duration_ms: ms(c.duration_ns),
        span_count: trace.spans.len(),
        service_count: services.len(),
        services,
        error_count: trace.error_count(),
        warnings: trace.warnings.clone(),
        llm: crate::model::llm::LlmUsage::of(trace),
    }
}

fn integrity_doc(c: &Ctx) -> IntegrityDoc {
    let g = &c.t.tree.integrity;
    IntegrityDoc {
        has_findings: g.has_findings(),
        broken: g.is_broken(),
        findings: g.lines(),
        orphans: g
            .orphans
            .iter()
            .map(|o| OrphanDoc {
                span_id: o.span_id.clone(),
                missing_parent_id: o.missing_parent_id.clone(),
            })
            .collect(),
        root_span_ids: g.root_span_ids.clone(),
        cycles: g.cycles.clone(),
        duplicate_span_ids: g.duplicate_span_ids.clone(),
        outside_parent: g
            .outside_parent
            .iter()
            .map(|o| OutsideParentDoc {
                span_id: o.span_id.clone(),
                parent_id: o.parent_id.clone(),
                early_ms: ms(o.early_ns),
                late_ms: ms(o.late_ns),
                asynchronous: o.asynchronous,
            })
            .collect(),
        non_positive_durations: g.non_positive_durations.clone(),
        skew_adjustments: g
            .skew_adjustments
            .iter()
            .map(|s| SkewDoc {
                span_id: s.span_id.clone(),
                shift_ms: ms(s.shift_ns),
            })
            .collect(),
        inferred_parents: g.inferred_parents,
    }
}

fn root_causes(c: &Ctx) -> Vec<RootCauseDoc> {
    c.d.root_causes
        .iter()
        .enumerate()
        .map(|(k, rc)| {
            let s = rc.span.and_then(|i| c.span(i));
            let p = rc.peer_span.and_then(|i| c.span(i));
            RootCauseDoc {
                rank: k + 1,
                category: rc.category.as_str().to_string(),
                service: s.map(|s| s.service.clone()),
                operation: s.map(|s| s.operation.clone()),
                span_id: s.map(|s| s.span_id.clone()),
                peer_service: p.map(|s| s.service.clone()),
                peer_operation: p.map(|s| s.operation.clone()),
                peer_span_id: p.map(|s| s.span_id.clone()),
                score: finite(rc.score),
                evidence: rc.evidence.clone(),
                recommendation: rc.recommendation.clone(),
            }
        })
        .collect()
}

fn error_origins(c: &Ctx) -> Vec<ErrorOriginDoc> {
    c.d.error_origins
        .iter()
        .map(|e| {
            let s = c.span(e.origin);
            ErrorOriginDoc {
                span_id: c.id(e.origin),
                service: s.map_or_else(String::new, |s| s.service.clone()),
                operation: s.map_or_else(String::new, |s| s.operation.clone()),
                message: s.and_then(|s| s.status.message.clone()),
                chain: e.chain.iter().map(|&i| c.id(i)).collect(),
            }
        })
        .collect()
}

fn anomalies(c: &Ctx) -> Vec<AnomalyDoc> {
    c.d.anomalies
        .iter()
        .map(|a| {
            let s = c.span(a.span);
            let mut doc = AnomalyDoc {
                span_id: c.id(a.span),
                service: s.map_or_else(String::new, |s| s.service.clone()),
                operation: s.map_or_else(String::new, |s| s.operation.clone()),
                kind: "",
                reason: a.reason.clone(),
                ratio: None,
                mean_ms: None,
                gap_ms: None,
                message: None,
            };
            match &a.kind {
                AnomalyKind::SlowerThanPeers { ratio, mean_ns } => {
                    doc.kind = "slower_than_peers";
                    doc.ratio = Some(finite(*ratio));
                    doc.mean_ms = Some(ms(*mean_ns));
                }
                AnomalyKind::LongGap { gap_ns, .. } => {
                    doc.kind = "long_gap";
                    doc.gap_ms = Some(ms(*gap_ns));
                }
                AnomalyKind::Failed { message } => {
                    doc.kind = "failed";
                    doc.message = message.clone();
                }
            }
            doc
        })
        .collect()
}

fn gaps_list(c: &Ctx) -> (Vec<GapDoc>, usize) {
    let (idx, omitted) = select_gaps(&c.d.gaps, c.o.max_spans);
    let docs = idx
        .into_iter()
        .filter_map(|gi| c.d.gaps.get(gi))
        .map(|g| {
            let s = c.span(g.span);
            GapDoc {
                span_id: c.id(g.span),
                service: s.map_or_else(String::new, |s| s.service.clone()),
                operation: s.map_or_else(String::new, |s| s.operation.clone()),
                position: g.position,
                leg: g.leg,
                start_offset_ms: ms(g.start_ns.saturating_sub(c.start_ns)),
                gap_ms: ms(g.duration_ns),
                after_span_id: g.after_child.map(|i| c.id(i)),
                before_span_id: g.before_child.map(|i| c.id(i)),
            }
        })
        .collect();
    (docs, omitted)
}

fn critical_path(c: &Ctx) -> Vec<CriticalSegmentDoc> {
    // Merge consecutive segments of one span: the path re-enters a parent between children,
    // and listing each sliver separately would only add noise.
    let mut merged: Vec<(usize, i64, i64)> = Vec::new();
    for s in &c.d.critical_path.segments {
        match merged.last_mut() {
            Some(last) if last.0 == s.span => last.2 = last.2.max(s.end_ns),
            _ => merged.push((s.span, s.start_ns, s.end_ns)),
        }
    }
    merged
        .into_iter()
        .map(|(i, start, end)| {
            let s = c.span(i);
            CriticalSegmentDoc {
                span_id: c.id(i),
                service: s.map_or_else(String::new, |s| s.service.clone()),
                operation: s.map_or_else(String::new, |s| s.operation.clone()),
                start_offset_ms: ms(start.saturating_sub(c.start_ns)),
                duration_ms: ms(end.saturating_sub(start)),
            }
        })
        .collect()
}

fn patterns(c: &Ctx) -> PatternsDoc {
    let p = &c.d.patterns;
    let svc = |i: usize| c.span(i).map_or_else(String::new, |s| s.service.clone());
    let op = |i: usize| c.span(i).map_or_else(String::new, |s| s.operation.clone());
    PatternsDoc {
        sequential: p
            .sequential
            .iter()
            .map(|s| SequentialDoc {
                parent_span_id: c.id(s.parent),
                parent_service: svc(s.parent),
                parent_operation: op(s.parent),
                child_count: s.children.len(),
                child_span_ids: s
                    .children
                    .iter()
                    .take(PATTERN_IDS)
                    .map(|&i| c.id(i))
                    .collect(),
                children_sum_ms: ms(s.children_sum_ns),
                parent_duration_ms: ms(s.parent_ns),
            })
            .collect(),
        repeated: p
            .repeated
            .iter()
            .map(|r| {
                let first = r.calls.first().copied();
                RepeatedDoc {
                    parent_span_id: c.id(r.parent),
                    parent_service: svc(r.parent),
                    parent_operation: op(r.parent),
                    kind: r.kind,
                    service: first.map_or_else(String::new, svc),
                    operation: first.map_or_else(String::new, op),
                    count: r.calls.len(),
                    total_ms: ms(r.total_ns),
                    call_span_ids: r.calls.iter().take(PATTERN_IDS).map(|&i| c.id(i)).collect(),
                    omitted_call_span_ids: r.calls.len().saturating_sub(PATTERN_IDS),
                }
            })
            .collect(),
    }
}

fn span_ref(c: &Ctx, i: usize) -> SpanRefDoc {
    let s = c.span(i);
    SpanRefDoc {
        span_id: c.id(i),
        service: s.map_or_else(String::new, |s| s.service.clone()),
        operation: s.map_or_else(String::new, |s| s.operation.clone()),
        start_offset_ms: ms(c.offset_ns(i)),
        duration_ms: ms(c.duration(i)),
        self_time_ms: c.self_ns(i).map(ms),
        status_message: s.and_then(|s| s.status.message.clone()),
    }
}

fn span_doc(c: &Ctx, i: usize) -> SpanDoc {
    let s = c.span(i);
    let parent = c.t.tree.parent.get(i).copied().flatten();
    SpanDoc {
        span_id: c.id(i),
        // The parent as written, so orphans still show which parent they were missing.
        parent_span_id: s
            .and_then(|s| s.parent_id.clone())
            .or_else(|| parent.map(|p| c.id(p))),
        service: s.map_or_else(String::new, |s| s.service.clone()),
        operation: s.map_or_else(String::new, |s| s.operation.clone()),
        kind: s.map_or(SpanKind::Unspecified, |s| s.kind),
        depth: c.depth(i),
        start_offset_ms: ms(c.offset_ns(i)),
        duration_ms: ms(c.duration(i)),
        self_time_ms: c.self_ns(i).map(ms),
        status: s.map_or(StatusCode::Unset, |s| s.status.code),
        status_message: s.and_then(|s| s.status.message.clone()),
        on_critical_path: c.is_critical(i),
        anomaly: c.anomaly_reason(i),
    }
}
