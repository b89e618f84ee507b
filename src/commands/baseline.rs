//! Where a trace's baseline comes from: the other traces of a file, one aggregate query on
//! PostgreSQL (pushdown: no trace is fetched), or the same root operation's requests in the
//! window before the trace on Jaeger and Tempo — or another source named by the user.

use crate::analysis::baseline::{Baseline, ByOperation, Distribution};
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::source::backend::{fetch_many, TraceSource};
use crate::source::pushdown::{OperationStats, StatsGroup, StatsQuery};
use crate::source::search::{SearchQuery, TraceSummary};

use super::options::{BaselineChoice, BaselineRequest};
use super::select::open_named;
use super::Options;

/// The baseline for the trace `target` summarises, or None when the user turned it off or none can be had. A
/// baseline that cannot be read is reported on stderr and the trace judged alone: the
/// diagnosis of the trace itself must not fail for it.
pub fn for_trace(
    opts: &Options,
    source: &dyn TraceSource,
    target: &TraceSummary,
    req: &BaselineRequest,
) -> Option<Baseline> {
    let result = match &req.choice {
        BaselineChoice::Off => return None,
        BaselineChoice::From(spec) => {
            open_named(opts, spec).and_then(|other| from_source(opts, other.as_ref(), target, req))
        }
        BaselineChoice::Auto => from_source(opts, source, target, req),
    };
    match result {
        Ok(b) => Some(b),
        Err(e) => {
            if !opts.quiet {
                eprintln!("tracediag: warning: no baseline ({e}); the trace is judged alone");
            }
            None
        }
    }
}

/// Requests fetched for a search that make a baseline by themselves: beyond this, an
/// aggregate query over the window would say the same at a higher cost.
const ENOUGH_IN_HAND: usize = 1000;

/// One baseline for many traces (search --diagnose): PostgreSQL's aggregate over their
/// window, another source's traces, or the traces themselves.
pub fn for_many(
    opts: &Options,
    source: &dyn TraceSource,
    traces: &[&IndexedTrace],
    req: &BaselineRequest,
) -> Option<Baseline> {
    let first = traces.iter().min_by_key(|t| t.trace.start_ns())?;
    match &req.choice {
        BaselineChoice::Off => None,
        BaselineChoice::From(_) => for_trace(opts, source, &TraceSummary::of(&first.trace), req),
        BaselineChoice::Auto => {
            // Enough requests in hand are their own baseline, without another query.
            if source.loaded().is_none() && traces.len() < ENOUGH_IN_HAND {
                let end = traces.iter().map(|t| t.trace.start_ns()).max().unwrap_or(0);
                let q = stats_query(first.trace.start_ns().saturating_sub(req.window_ns), end);
                if let Some(Ok(rows)) = source.stats(&q) {
                    let roots = traces.iter().map(|t| TraceSummary::of(&t.trace));
                    return Some(from_rows(&rows, roots));
                }
            }
            Some(Baseline::of(traces.iter().copied(), ""))
        }
    }
}

fn stats_query(start_ns: i64, end_ns: i64) -> StatsQuery {
    StatsQuery {
        service: None,
        operation: None,
        start_ns: Some(start_ns),
        end_ns: Some(end_ns),
        status: None,
        min_duration_ns: None,
        group_by: StatsGroup::Operation,
    }
}

fn from_source(
    opts: &Options,
    source: &dyn TraceSource,
    target: &TraceSummary,
    req: &BaselineRequest,
) -> Result<Baseline> {
    let root = target.clone();
    let start = target.start_ns;
    let window = (start.saturating_sub(req.window_ns), start);
    let files = source.loaded().is_some();
    // A table answers with one aggregate query.
    if !files {
        if let Some(rows) = source.stats(&stats_query(window.0, window.1)) {
            return Ok(from_rows(&rows?, std::iter::once(root)));
        }
    }
    // Otherwise the requests themselves: a file's all, a server's same root operation in
    // the window before the trace.
    let mut q = SearchQuery {
        limit: req.max_traces.max(1),
        ..SearchQuery::default()
    };
    if !files {
        q.service = Some(root.root_service.clone()).filter(|s| !s.is_empty());
        q.operation = Some(root.root_operation.clone()).filter(|s| !s.is_empty());
        (q.start_ns, q.end_ns) = window;
        q.explicit_window = true;
    }
    let ids: Vec<String> = source
        .search(&q)?
        .into_iter()
        .map(|h| h.trace_id)
        .filter(|id| *id != target.trace_id)
        .collect();
    let traces: Vec<IndexedTrace> = fetch_many(source, &ids, opts.quiet)
        .into_iter()
        .filter_map(|r| r.ok())
        .map(|t| IndexedTrace::new(t, None))
        .collect();
    Ok(Baseline::of(&traces, &target.trace_id))
}

/// A baseline from aggregate rows: per operation, and each root operation's row standing
/// in for its requests (an entry endpoint's spans are its requests).
fn from_rows(rows: &[OperationStats], roots: impl Iterator<Item = TraceSummary>) -> Baseline {
    let ms = |v: f64| (v * 1e6).round() as i64;
    let mut operations = ByOperation::new();
    for r in rows {
        let (Some(service), Some(operation)) = (&r.service, &r.operation) else {
            continue;
        };
        let d = Distribution {
            count: r.count,
            p25_ns: ms(r.p25_ms),
            p50_ns: ms(r.p50_ms),
            p95_ns: ms(r.p95_ms),
            p99_ns: ms(r.p99_ms),
        };
        operations
            .entry(service.clone())
            .or_default()
            .insert(operation.clone(), d);
    }
    let mut root_table = ByOperation::new();
    let mut traces = 0;
    for r in roots {
        let Some(d) = operations
            .get(&r.root_service)
            .and_then(|o| o.get(&r.root_operation))
        else {
            continue;
        };
        let ops = root_table.entry(r.root_service.clone()).or_default();
        if ops.insert(r.root_operation.clone(), *d).is_none() {
            traces += d.count as usize;
        }
    }
    Baseline {
        traces,
        operations,
        roots: root_table,
    }
}
