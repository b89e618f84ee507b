//! `similar`: rank the traces of the source by likeness to one trace.
//!
//! Candidates come from the source's own search (same root service and operation unless
//! --any-root, the --match attribute values, the window and filters), are fetched in
//! chunks and scored one by one, and only the best --limit are kept: memory stays bounded
//! by the chunk and the top list, not by the number of candidates.

use crate::analysis::diagnose;
use crate::analysis::similarity::{Measure, Scorer, TopK};
use crate::analysis::verdict::judge;
use crate::error::{Error, Result};
use crate::model::{id_matches, IndexedTrace, Trace};
use crate::report::similar::{AttributeDoc, SimilarDoc, SimilarTraceDoc};
use crate::report::Document;
use crate::source::backend::fetch_each;
use crate::source::search::{rfc3339, SearchQuery, TraceSummary};

use super::options::{AnalysisOptions, SimilarRequest};
use super::search::one_line_of;
use super::select::open_source;
use super::{Options, Outcome};

/// Traces held at once while scoring (beyond the top list).
const CHUNK: usize = 64;

/// The value of `key` in `trace`: on the root span if it has it, else on the earliest span
/// that does (beacon traces carry model_id and region on every span, others only on some).
fn attribute(trace: &Trace, key: &str) -> Option<String> {
    let mut spans: Vec<&crate::model::Span> = trace.spans.iter().collect();
    spans.sort_by_key(|s| (s.parent_id.is_some(), s.start_ns));
    spans
        .into_iter()
        .find_map(|s| s.attr(key))
        .map(|v| v.as_text())
}

/// JSON numbers are rounded to 3 decimals and never NaN (see `report::json`).
fn round3(v: f64) -> f64 {
    let r = (v * 1e3).round() / 1e3;
    if r.is_finite() {
        r
    } else {
        0.0
    }
}

/// One row: the trace's status, failure point and root cause.
pub(super) fn describe(
    t: &IndexedTrace,
    score: f64,
    analysis: &AnalysisOptions,
) -> SimilarTraceDoc {
    let d = diagnose(t, &analysis.thresholds);
    // The failure point is where the failure started (the earliest error origin: a failed
    // span whose children did not fail), not the root that merely reports it; the seed's
    // MAX(service || '.' || operation) picked an arbitrary failed span.
    let first_error = d
        .error_origins
        .iter()
        .filter_map(|o| t.trace.spans.get(o.origin))
        .min_by_key(|s| s.start_ns)
        .or_else(|| {
            t.trace
                .spans
                .iter()
                .filter(|s| s.is_error())
                .min_by_key(|s| s.start_ns)
        });
    let cause = one_line_of(t, &d, &judge(t, &d, None));
    SimilarTraceDoc {
        trace_id: t.trace.id.clone(),
        score: round3(score),
        status: if t.trace.error_count() > 0 {
            "error"
        } else {
            "ok"
        },
        duration_ms: round3(t.trace.duration_ns().max(0) as f64 / 1e6),
        start_time: rfc3339(t.trace.start_ns()),
        span_count: t.trace.spans.len(),
        error_count: t.trace.error_count(),
        failure_point: first_error.map(|s| s.label()),
        root_cause_at: match (&cause.service, &cause.operation) {
            (Some(s), Some(o)) => Some(format!("{s}.{o}")),
            _ => None,
        },
        root_cause: cause.category,
    }
}

/// How far either side of the target candidates are sought when no window is given.
pub const DEFAULT_SIMILAR_WINDOW_NS: i64 = 24 * 3_600_000_000_000;

/// The search that defines a candidate: the target's root service and operation (unless
/// --any-root), the --match values, the filters, and a window — the one given, else 24 h
/// either side of the target — with the traces nearest the target kept under the cap.
fn candidate_query(
    args: &SimilarRequest,
    target: &Trace,
    root: &TraceSummary,
) -> Result<(SearchQuery, Vec<AttributeDoc>)> {
    let mut q = args.query.clone();
    if !args.any_root && !root.root_service.is_empty() {
        q.service.get_or_insert_with(|| root.root_service.clone());
        q.operation
            .get_or_insert_with(|| root.root_operation.clone());
        q.root_only = true;
    }
    if !q.explicit_window {
        let at = target.start_ns();
        q.start_ns = at.saturating_sub(DEFAULT_SIMILAR_WINDOW_NS);
        q.end_ns = at.saturating_add(DEFAULT_SIMILAR_WINDOW_NS);
    }
    q.near_ns = Some(target.start_ns());
    let mut matched = Vec::new();
    for key in args
        .match_attrs
        .iter()
        .map(|k| k.trim())
        .filter(|k| !k.is_empty())
    {
        let value = attribute(target, key).ok_or_else(|| {
            Error::Usage(format!(
                "--match {key}: trace {} has no attribute {key}",
                target.id
            ))
        })?;
        q.tags.push((key.to_string(), value.clone()));
        matched.push(AttributeDoc {
            key: key.to_string(),
            value,
        });
    }
    Ok((q, matched))
}

/// The candidates' ids: the search's hits but the target, those whose root is not the
/// target's dropped before the cap (backends that cannot filter on the root return others),
/// nearest the target first. Also how many matched.
fn candidate_ids(
    found: Vec<TraceSummary>,
    q: &SearchQuery,
    target: &Trace,
    cap: usize,
) -> (Vec<String>, usize) {
    let mut hits: Vec<TraceSummary> = found
        .into_iter()
        .filter(|h| !id_matches(&h.trace_id, &target.id) && !id_matches(&target.id, &h.trace_id))
        .filter(|h| q.root_matches(h))
        .collect();
    let matched = hits.len();
    q.keep(&mut hits);
    hits.truncate(cap);
    (hits.into_iter().map(|h| h.trace_id).collect(), matched)
}

pub fn build(opts: &Options, args: &SimilarRequest) -> Result<Outcome> {
    let source = open_source(opts)?;
    let target = source.trace(&args.trace_id)?;
    let max_skew = args.analysis.max_skew;
    let measure = args.measure;
    let root = TraceSummary::of(&target);
    let (q, matched) = candidate_query(args, &target, &root)?;
    let same_root = q.root_only;
    // A file holds exports of the past: unless a window was chosen, all of it is searched.
    let whole_file = source.loaded().is_some() && !q.explicit_window;
    let found = source.search(&q)?;
    let searched = found.len();
    let (ids, matching) = candidate_ids(found, &q, &target, args.candidates);
    if opts.verbose > 0 {
        eprintln!(
            "tracediag: {} candidate(s) from {}",
            ids.len(),
            source.describe()
        );
    }

    let scorer = Scorer::new(&target, measure);
    let mut top: TopK<Trace> = TopK::new(args.limit);
    let (mut scored, mut excluded, mut errors) = (0usize, 0usize, 0usize);
    let mut first_error = None;
    fetch_each(source.as_ref(), &ids, opts.quiet, CHUNK, |i, r| {
        let t = match r {
            Ok(t) => t,
            Err(e) => {
                errors += 1;
                first_error.get_or_insert_with(|| e.to_string());
                return;
            }
        };
        // Searches match any span; the root and the attribute values are checked here.
        let sum = TraceSummary::of(&t);
        let root_ok = !same_root
            || (sum.root_service == root.root_service && sum.root_operation == root.root_operation);
        let attrs_ok = matched
            .iter()
            .all(|a| attribute(&t, &a.key).as_deref() == Some(a.value.as_str()));
        if !root_ok || !attrs_ok {
            excluded += 1;
            return;
        }
        scored += 1;
        if let Some(s) = scorer.score(&t, top.threshold(args.min_score)) {
            top.push(s, i, t);
        }
    });

    let indexed_target = IndexedTrace::new(target, max_skew);
    let mut doc = SimilarDoc::new(
        source.describe(),
        match measure {
            Measure::Sequence => "sequence",
            Measure::Structure => "structure",
        },
        args.min_score,
        describe(&indexed_target, 1.0, &args.analysis),
    );
    doc.matched_attributes = matched;
    doc.same_root = same_root;
    doc.root = same_root.then(|| format!("{}.{}", root.root_service, root.root_operation));
    if !whole_file {
        doc.window_start = Some(rfc3339(q.start_ns));
        doc.window_end = Some(rfc3339(q.end_ns));
    }
    doc.window_chosen = q.explicit_window;
    doc.candidates_found = matching;
    doc.candidates_scored = scored;
    doc.candidates_excluded = excluded;
    doc.fetch_errors = errors;
    doc.first_fetch_error = first_error;
    doc.candidate_limit_reached = searched > args.candidates;
    doc.hits = top
        .into_sorted()
        .into_iter()
        .map(|r| {
            describe(
                &IndexedTrace::new(r.item, max_skew),
                r.score,
                &args.analysis,
            )
        })
        .collect();
    Ok(Outcome::ok(Document::Similar(Box::new(doc))))
}
