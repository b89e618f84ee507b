//! `stats`: latency per group across the traces a search selects.
//!
//! Traces are fetched in chunks and folded into [`StatsBuilder`] one at a time; none is kept
//! after it is counted, so memory is bounded by the chunk and the per-group durations (see
//! `analysis::stats`), whatever --limit is.

use crate::analysis::stats::{SpanFilter, StatsBuilder};
use crate::cli::{Cli, StatsArgs};
use crate::error::{exit, Result};
use crate::model::IndexedTrace;
use crate::report::stats::StatsDoc;
use crate::report::{self, RenderOptions};
use crate::source::backend::{fetch_each, TraceSource};
use crate::source::search::{SearchQuery, StatusFilter};

use super::output::write_stdout;
use super::search::query;
use super::select::open_source;

/// Traces held at once while counting.
const CHUNK: usize = 64;

/// SQL PUSHDOWN CALL SITE. When `TraceSource` gains `stats()` (the PostgreSQL source answers
/// it with one GROUP BY and `percentile_cont`), call it here and return its document; `None`
/// means the source cannot push the query down and the traces are streamed instead.
fn pushdown(
    _source: &dyn TraceSource,
    _q: &SearchQuery,
    _args: &StatsArgs,
) -> Option<Result<StatsDoc>> {
    None
}

pub fn run(cli: &Cli, args: &StatsArgs, color: bool) -> Result<i32> {
    let source = open_source(&cli.global)?;
    let q = query(&args.filters, args.limit)?;
    let outlier_factor = args.outliers.then_some(args.outlier_factor);
    let doc = match pushdown(source.as_ref(), &q, args) {
        Some(doc) => doc?,
        None => streamed(cli, source.as_ref(), &q, args, outlier_factor)?,
    };
    let options = RenderOptions {
        color,
        wide: args.wide,
        ..RenderOptions::default()
    };
    let text = report::stats::stats(&doc, cli.global.format, &options);
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}

fn streamed(
    cli: &Cli,
    source: &dyn TraceSource,
    q: &SearchQuery,
    args: &StatsArgs,
    outlier_factor: Option<f64>,
) -> Result<StatsDoc> {
    let mut found = source.search(q)?;
    if q.status == Some(StatusFilter::Ok) {
        // As in `search`: backends without a "no errors" filter return failed traces too.
        found.retain(|h| h.error_count.is_none_or(|n| n == 0));
    }
    let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
    if cli.global.verbose > 0 {
        eprintln!(
            "tracediag: {} trace(s) from {}",
            ids.len(),
            source.describe()
        );
    }
    let max_skew = (!args.no_skew_adjust).then_some(args.max_skew);
    let mut builder = StatsBuilder::new(
        args.group_by.clone(),
        SpanFilter {
            service: args.filters.service.clone(),
            operation: args.filters.operation.clone(),
        },
    );
    let mut errors = 0usize;
    fetch_each(source, &ids, cli.global.quiet, CHUNK, |_, r| match r {
        Ok(t) => builder.add(&IndexedTrace::new(t, max_skew)),
        Err(e) => {
            errors += 1;
            if cli.global.verbose > 0 {
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
