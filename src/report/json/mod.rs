//! The JSON document (`--format json`), schema version [`SCHEMA_VERSION`].
//!
//! Conventions, relied on by CI jobs and LLM tools:
//! - Every number carries its unit in its key (`duration_ms`, `gap_ms`, `self_time_ms`);
//!   milliseconds are floats rounded to 3 decimals (whole microseconds). Offsets
//!   (`start_offset_ms`) are from the start of the trace.
//! - Ids (trace, span) are always strings. Span indices never appear.
//! - Key order is the field order of the types in `docs.rs` and never changes within a
//!   schema version.
//! - NaN and infinity are never emitted (see [`text::finite`]).
//! - Summaries come first (`trace`, then `root_causes`), details last (`spans`).
//! - Lists that can grow with the trace (`spans`, `gaps`) are capped by `--max-spans`, and
//!   a cut is always stated (`truncated`, `omitted_spans`, `omitted_gaps`,
//!   `omitted_reason`): a consumer that cannot see truncation would present partial data as
//!   complete.
//! - Every subcommand prints the same envelope (`schema_version`, `command`, `trace`) with
//!   only its own sections; absent sections are omitted, not null.
//!
//! The document's types are in `docs.rs`; the functions here build them from a trace and its
//! diagnosis.

mod docs;
mod docs_as_written;
mod pretty;
mod verdict;

pub use docs::*;

use std::io::Write;

use serde::Serialize;

use crate::analysis::anomalies::AnomalyKind;
use crate::model::{SpanKind, StatusCode};

use super::gap_list::{largest, listing};
use super::span::{attr_map, event_docs};
use super::text::{finite, ms, rfc3339_ms};
use super::waterfall::select;
use super::{Ctx, TRACE_SCHEMA_VERSION as SCHEMA_VERSION};

/// How many span ids a pattern lists before counting the rest in `omitted_call_span_ids`.
const PATTERN_IDS: usize = 20;

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

/// [`to_string`] written to `out` as it is serialised.
pub fn write<T: Serialize>(r: &T, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // The serialiser writes every brace, comma and indent on its own: through a buffer it
    // knows the type of, each is an inlined copy rather than a call through `dyn Write`
    // (a tenth of writing a 14 MB report).
    let mut buffered = std::io::BufWriter::with_capacity(1 << 16, out);
    let mut serializer =
        serde_json::Serializer::with_formatter(&mut buffered, pretty::Pretty::default());
    r.serialize(&mut serializer)
        .map_err(std::io::Error::other)?;
    buffered.write_all(b"\n")?;
    buffered.flush()
}

fn envelope<'a>(c: &Ctx, command: &'static str) -> Report<'a> {
    Report {
        schema_version: SCHEMA_VERSION,
        command,
        trace: trace_doc(c),
        verdict: None,
        verdict_reason: None,
        baseline: None,
        handled_errors: None,
        time_breakdown: None,
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

/// The verdict fields, and the root causes when the request is not fine.
fn judged(r: &mut Report<'_>, c: &Ctx) {
    let f = verdict::fields(c);
    r.verdict = Some(f.verdict);
    r.verdict_reason = Some(f.reason);
    r.baseline = Some(f.baseline);
    r.handled_errors = Some(f.handled_errors);
    r.time_breakdown = Some(f.time_breakdown);
    r.root_causes = Some(if super::verdict_text::shows_causes(c) {
        root_causes(c)
    } else {
        Vec::new()
    });
}

pub fn diagnose<'a>(c: &'a Ctx<'a>) -> Report<'a> {
    let mut r = envelope(c, "diagnose");
    r.integrity = Some(integrity_doc(c));
    judged(&mut r, c);
    r.error_origins = Some(error_origins(c));
    r.anomalies = Some(anomalies(c));
    let (gaps, omitted_gaps) = gaps_list(c);
    r.gaps = Some(gaps);
    r.critical_path = Some(critical_path(c));
    r.patterns = Some(patterns(c));
    let sel = select(c, c.o.max_spans);
    r.spans = Some(SpanDocs::spans(c, sel.spans));
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

/// Gaps reaching `--gap-threshold`, largest first; the rest counted in `omitted_gaps`.
pub fn gaps<'a>(c: &'a Ctx<'a>) -> Report<'a> {
    let mut r = envelope(c, "gaps");
    let list = listing(c);
    r.gaps = Some(gap_docs(c, &list.shown));
    r.truncated = Some(list.omitted() > 0);
    r.omitted_gaps = Some(list.omitted());
    r.omitted_reason = Some(list.omitted_reason(c.o.max_spans));
    r
}

pub fn root_cause<'a>(c: &'a Ctx<'a>) -> Report<'a> {
    let mut r = envelope(c, "root-cause");
    r.integrity = Some(integrity_doc(c));
    judged(&mut r, c);
    r.error_origins = Some(error_origins(c));
    r
}

pub fn timeline<'a>(c: &'a Ctx<'a>) -> Report<'a> {
    let mut r = envelope(c, "timeline");
    let sel = select(c, c.o.max_spans);
    r.spans = Some(SpanDocs::spans(c, sel.spans));
    r.truncated = Some(sel.omitted > 0);
    r.omitted_spans = Some(sel.omitted);
    r.omitted_reason = Some(sel.reason);
    r
}

pub fn summary<'a>(c: &'a Ctx<'a>) -> Report<'a> {
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
        root_service: root.map(|s| s.service.to_string()),
        root_operation: root.map(|s| s.operation.to_string()),
        root_span_id: root.map(|s| s.span_id.to_string()),
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
                service: s.map(|s| s.service.to_string()),
                operation: s.map(|s| s.operation.to_string()),
                span_id: s.map(|s| s.span_id.to_string()),
                peer_service: p.map(|s| s.service.to_string()),
                peer_operation: p.map(|s| s.operation.to_string()),
                peer_span_id: p.map(|s| s.span_id.to_string()),
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
                service: c.service(e.origin),
                operation: c.operation(e.origin),
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
            let mut doc = AnomalyDoc {
                span_id: c.id(a.span),
                service: c.service(a.span),
                operation: c.operation(a.span),
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

/// The longest gaps within `--max-spans`, largest first, and how many were left out.
fn gaps_list(c: &Ctx) -> (Vec<GapDoc>, usize) {
    let (idx, omitted) = largest(&c.d.gaps, c.o.max_spans);
    (gap_docs(c, &idx), omitted)
}

fn gap_docs(c: &Ctx, idx: &[usize]) -> Vec<GapDoc> {
    idx.iter()
        .filter_map(|&gi| c.d.gaps.get(gi))
        .map(|g| GapDoc {
            span_id: c.id(g.span()),
            service: c.service(g.span()),
            operation: c.operation(g.span()),
            position: g.position,
            leg: g.leg,
            start_offset_ms: ms(g.start_ns.saturating_sub(c.start_ns)),
            gap_ms: ms(g.duration_ns),
            after_span_id: g.after_child().map(|i| c.id(i)),
            before_span_id: g.before_child().map(|i| c.id(i)),
        })
        .collect()
}

fn critical_path<'a>(c: &'a Ctx<'a>) -> CriticalPathDocs<'a> {
    // Merge consecutive segments of one span: the path re-enters a parent between children,
    // and listing each sliver separately would only add noise.
    let mut merged: Vec<(usize, i64, i64)> = Vec::new();
    for s in &c.d.critical_path.segments {
        match merged.last_mut() {
            Some(last) if last.0 == s.span => last.2 = last.2.max(s.end_ns),
            _ => merged.push((s.span, s.start_ns, s.end_ns)),
        }
    }
    CriticalPathDocs::new(c, merged, |c, &(i, start, end)| {
        let s = c.span(i);
        CriticalSegmentDoc {
            span_id: s.map_or("?", |s| s.span_id.as_str()),
            service: s.map_or("", |s| s.service.as_str()),
            operation: s.map_or("", |s| s.operation.as_str()),
            start_offset_ms: ms(start.saturating_sub(c.start_ns)),
            duration_ms: ms(end.saturating_sub(start)),
        }
    })
}

fn patterns(c: &Ctx) -> PatternsDoc {
    let p = &c.d.patterns;
    PatternsDoc {
        sequential: p
            .sequential
            .iter()
            .map(|s| SequentialDoc {
                parent_span_id: c.id(s.parent),
                parent_service: c.service(s.parent),
                parent_operation: c.operation(s.parent),
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
                    parent_service: c.service(r.parent),
                    parent_operation: c.operation(r.parent),
                    kind: r.kind,
                    service: first.map_or_else(String::new, |i| c.service(i)),
                    operation: first.map_or_else(String::new, |i| c.operation(i)),
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
        service: c.service(i),
        operation: c.operation(i),
        start_offset_ms: ms(c.offset_ns(i)),
        duration_ms: ms(c.duration(i)),
        self_time_ms: c.self_ns(i).map(ms),
        status_message: s.and_then(|s| s.status.message.clone()),
    }
}

pub(super) fn span_doc(c: &Ctx, i: usize) -> SpanDoc {
    let s = c.span(i);
    let parent = c.t.tree.parent.get(i).copied().flatten();
    SpanDoc {
        span_id: c.id(i),
        // The parent as written, so orphans still show which parent they were missing.
        parent_span_id: s
            .and_then(|s| s.parent_id.as_deref().map(str::to_string))
            .or_else(|| parent.map(|p| c.id(p))),
        service: c.service(i),
        operation: c.operation(i),
        kind: s.map_or(SpanKind::Unspecified, |s| s.kind),
        depth: c.depth(i),
        start_offset_ms: ms(c.offset_ns(i)),
        duration_ms: ms(c.duration(i)),
        self_time_ms: c.self_ns(i).map(ms),
        status: s.map_or(StatusCode::Unset, |s| s.status.code),
        status_message: s.and_then(|s| s.status.message.clone()),
        on_critical_path: c.is_critical(i),
        anomaly: c.anomaly_reason(i),
        attributes: s
            .filter(|_| c.o.span_attributes)
            .map(|s| attr_map(s.attributes_and_scope())),
        events: s
            .filter(|_| c.o.span_events)
            .map(|s| event_docs(&s.events, s.start_ns)),
    }
}
