//! `stats`: latency per group across the traces a search selects.
//!
//! Traces are fetched in chunks and folded into [`StatsBuilder`] one at a time; none is kept
//! after it is counted, so memory is bounded by the chunk and the per-group durations (see
//! `analysis::stats`), whatever --limit is.

use crate::analysis::stats::{GroupBy, SpanFilter, StatsBuilder};
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::stats::{GroupDoc, StatsDoc};
use crate::report::{Document, SCHEMA_VERSION};
use crate::source::backend::{fetch_each, TraceSource};
use crate::source::pushdown::{OperationStats, StatsGroup, StatsQuery};
use crate::source::search::{SearchQuery, StatusFilter};

use super::options::StatsRequest;
use super::select::open_source;
use super::{Options, Outcome};

/// Traces held at once while counting.
const CHUNK: usize = 64;

/// Ask the source to aggregate on its side (PostgreSQL: one GROUP BY with
/// `percentile_cont`) when the query means the same there: span-level groups by service or
/// operation, filtered by service, operation and time only. Trace-level filters (status,
/// duration, tags), attribute groups and outliers need the traces, so they are streamed.
/// `None` means the source cannot push the query down.
fn pushdown(
    source: &dyn TraceSource,
    q: &SearchQuery,
    args: &StatsRequest,
) -> Option<Result<StatsDoc>> {
    let group_by = match args.group_by {
        GroupBy::Operation => StatsGroup::Operation,
        GroupBy::Service => StatsGroup::Service,
        GroupBy::Attr(_) => return None,
    };
    let span_level = q.status.is_none()
        && q.min_duration_ns.is_none()
        && q.max_duration_ns.is_none()
        && q.tags.is_empty()
        && q.traceql.is_none();
    if !span_level || args.outlier_factor.is_some() || args.stream {
        return None;
    }
    let sq = StatsQuery {
        service: q.service.clone(),
        operation: q.operation.clone(),
        start_ns: q.explicit_window.then_some(q.start_ns),
        end_ns: q.explicit_window.then_some(q.end_ns),
        status: None,
        min_duration_ns: None,
        group_by,
    };
    let rows = source.stats(&sq)?;
    let doc = rows.and_then(|rows| {
        let traces = match source.count_traces(&sq) {
            Some(n) => usize::try_from(n?).unwrap_or(usize::MAX),
            None => 0,
        };
        Ok(pushdown_doc(
            &rows,
            traces,
            &source.describe(),
            group_name(&args.group_by),
        ))
    });
    Some(doc)
}

fn group_name(g: &GroupBy) -> &'static str {
    match g {
        GroupBy::Service => "service",
        _ => "operation",
    }
}

/// The document for rows the source aggregated itself. Self time needs the span tree, which
/// SQL rows do not give, so it is left empty rather than guessed.
fn pushdown_doc(rows: &[OperationStats], traces: usize, source: &str, group_by: &str) -> StatsDoc {
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    StatsDoc {
        schema_version: SCHEMA_VERSION,
        command: "stats",
        source: source.to_string(),
        group_by: group_by.to_string(),
        percentile_method: "percentile_cont",
        computed_in: "pushdown",
        traces,
        spans: rows.iter().map(|r| r.count).sum(),
        approximate: false,
        trace_limit_reached: false,
        fetch_errors: 0,
        self_time_unavailable: Some(
            "self time needs each span's children, which the server's aggregate does not see; --stream reads the traces and computes it".into(),
        ),
        groups: rows
            .iter()
            .map(|r| GroupDoc {
                group: match (&r.service, &r.operation) {
                    (Some(s), Some(o)) => format!("{s}.{o}"),
                    (Some(s), None) => s.clone(),
                    _ => "all".into(),
                },
                count: r.count,
                error_count: r.error_count,
                error_rate: finite(r.error_rate),
                avg_ms: finite(r.avg_ms),
                p50_ms: finite(r.p50_ms),
                p95_ms: finite(r.p95_ms),
                p99_ms: finite(r.p99_ms),
                max_ms: finite(r.max_ms),
                self_time_ms: None,
                self_time_share: None,
            })
            .collect(),
        outliers: None,
        outlier_factor: None,
    }
}

pub fn build(opts: &Options, args: &StatsRequest) -> Result<Outcome> {
    let source = open_source(opts)?;
    let doc = match pushdown(source.as_ref(), &args.query, args) {
        Some(doc) => doc?,
        None => streamed(opts, source.as_ref(), args)?,
    };
    Ok(Outcome::ok(Document::Stats(Box::new(doc))))
}

fn streamed(opts: &Options, source: &dyn TraceSource, args: &StatsRequest) -> Result<StatsDoc> {
    let q = &args.query;
    let outlier_factor = args.outlier_factor;
    let mut found = source.search(q)?;
    if q.status == Some(StatusFilter::Ok) {
        // As in `search`: backends without a "no errors" filter return failed traces too.
        found.retain(|h| h.error_count.is_none_or(|n| n == 0));
    }
    let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
    if opts.verbose > 0 {
        eprintln!(
            "tracediag: {} trace(s) from {}",
            ids.len(),
            source.describe()
        );
    }
    let max_skew = args.max_skew;
    let mut builder = StatsBuilder::new(
        args.group_by.clone(),
        SpanFilter {
            service: q.service.clone(),
            operation: q.operation.clone(),
        },
    );
    let mut errors = 0usize;
    fetch_each(source, &ids, opts.quiet, CHUNK, |_, r| match r {
        Ok(t) => builder.add(&IndexedTrace::new(t, max_skew)),
        Err(e) => {
            errors += 1;
            if opts.verbose > 0 {
                eprintln!("tracediag: skipped a trace: {e}");
            }
        }
    });
    let stats = builder.finish(outlier_factor);
    let mut doc = StatsDoc::build(&stats, &source.describe(), outlier_factor);
    doc.trace_limit_reached = found.len() >= q.limit;
    doc.fetch_errors = errors;
    Ok(doc)
}
