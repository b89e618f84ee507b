//! `search`: find traces worth diagnosing, optionally diagnosing each hit in one line.

use crate::analysis::{diagnose, Diagnosis, Thresholds};
use crate::cli::{Cli, SearchArgs, SearchFilters, StatusArg};
use crate::error::{exit, Error, Result};
use crate::model::IndexedTrace;
use crate::report::search::{render as render_search, Hit, OneLine, SearchDoc};
use crate::report::RenderOptions;
use crate::source::backend::fetch_many;
use crate::source::search::{now_ns, parse_time, rfc3339, SearchQuery, StatusFilter, TraceSummary};

use super::output::write_stdout;
use super::select::open_source;
use super::trace_report::thresholds;

/// The backend-neutral query for `filters`, returning at most `limit` traces.
/// The top root cause of a trace, in one line (search --diagnose, similar).
pub(super) fn one_line(indexed: &IndexedTrace, th: &Thresholds) -> Option<OneLine> {
    one_line_of(indexed, &diagnose(indexed, th))
}

pub(super) fn one_line_of(indexed: &IndexedTrace, d: &Diagnosis) -> Option<OneLine> {
    d.root_causes.first().map(|c| {
        let span = c.span.and_then(|i| indexed.trace.spans.get(i));
        OneLine {
            category: c.category.as_str().to_string(),
            service: span.map(|s| s.service.clone()),
            operation: span.map(|s| s.operation.clone()),
            span_id: span.map(|s| s.span_id.clone()),
            score: c.score,
        }
    })
}

pub fn query(args: &SearchFilters, limit: usize) -> Result<SearchQuery> {
    let now = now_ns();
    let (start_ns, end_ns) = match args.since {
        Some(since) => (now.saturating_sub(since), now),
        None => {
            let end = args
                .end
                .as_deref()
                .map(|e| parse_time(e, now))
                .transpose()
                .map_err(Error::Usage)?
                .unwrap_or(now);
            let start = args
                .start
                .as_deref()
                .map(|s| parse_time(s, now))
                .transpose()
                .map_err(Error::Usage)?
                .unwrap_or(end.saturating_sub(3_600_000_000_000));
            (start, end)
        }
    };
    if start_ns >= end_ns {
        return Err(Error::Usage(format!(
            "the search window is empty: --start {} is not before --end {}",
            rfc3339(start_ns),
            rfc3339(end_ns)
        )));
    }
    if let (Some(min), Some(max)) = (args.min_duration, args.max_duration) {
        if max < min {
            return Err(Error::Usage(
                "--max-duration is shorter than --min-duration".into(),
            ));
        }
    }
    Ok(SearchQuery {
        service: args.service.clone(),
        operation: args.operation.clone(),
        min_duration_ns: args.min_duration,
        max_duration_ns: args.max_duration,
        status: args.status.map(|s| match s {
            StatusArg::Error => StatusFilter::Error,
            StatusArg::Ok => StatusFilter::Ok,
        }),
        tags: args.tags.clone(),
        start_ns,
        end_ns,
        explicit_window: args.since.is_some() || args.start.is_some() || args.end.is_some(),
        limit: limit.max(1),
        traceql: args.traceql.clone(),
    })
}

pub fn run(cli: &Cli, args: &SearchArgs) -> Result<i32> {
    let text = render(cli, args)?;
    if !cli.global.quiet {
        write_stdout(&text)?;
    }
    Ok(exit::OK)
}

/// The search's output in `cli.global.format`, without printing it (the MCP server uses it).
pub fn render(cli: &Cli, args: &SearchArgs) -> Result<String> {
    let q = query(&args.filters, args.limit)?;
    let source = open_source(&cli.global)?;
    let mut found = source.search(&q)?;
    if q.status == Some(StatusFilter::Ok) {
        // Jaeger has no "no errors" filter and TraceQL's is per span: drop what reports errors.
        found.retain(|h| h.error_count.is_none_or(|n| n == 0));
    }
    if cli.global.verbose > 0 {
        eprintln!(
            "tracediag: {} hit(s) from {}",
            found.len(),
            source.describe()
        );
    }
    let mut hits: Vec<Hit> = found.iter().map(hit).collect();
    if args.diagnose {
        let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
        let max_skew = (!args.analysis.no_skew_adjust).then_some(args.analysis.max_skew);
        let th = thresholds(&args.analysis);
        for (h, fetched) in hits
            .iter_mut()
            .zip(fetch_many(source.as_ref(), &ids, cli.global.quiet))
        {
            match fetched {
                Ok(trace) => {
                    let indexed = IndexedTrace::new(trace, max_skew);
                    h.diagnosis = one_line(&indexed, &th);
                    // Counts from the full trace beat a backend's partial ones.
                    h.span_count = Some(indexed.trace.spans.len());
                    h.error_count = Some(indexed.trace.error_count());
                }
                Err(e) => h.error = Some(e.to_string()),
            }
        }
    }
    let doc = SearchDoc {
        schema_version: crate::report::SCHEMA_VERSION.to_string(),
        source: source.describe(),
        traces: hits,
    };
    let text = render_search(
        &doc,
        args.diagnose,
        cli.global.format,
        &RenderOptions::default(),
    );
    Ok(text)
}

fn hit(s: &TraceSummary) -> Hit {
    Hit {
        trace_id: s.trace_id.clone(),
        start: rfc3339(s.start_ns),
        start_ns: s.start_ns,
        duration_ms: s.duration_ns as f64 / 1e6,
        root_service: s.root_service.clone(),
        root_operation: s.root_operation.clone(),
        span_count: s.span_count,
        error_count: s.error_count,
        diagnosis: None,
        error: None,
    }
}
