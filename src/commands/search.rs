//! `search`: find traces worth diagnosing, optionally diagnosing each hit in one line.

use crate::analysis::{diagnose, Diagnosis, Thresholds};
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::search::{Hit, OneLine, SearchDoc};
use crate::report::Document;
use crate::source::backend::fetch_many;
use crate::source::search::{rfc3339, StatusFilter, TraceSummary};

use super::options::SearchRequest;
use super::select::open_source;
use super::{Options, Outcome};

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

pub fn build(opts: &Options, args: &SearchRequest) -> Result<Outcome> {
    let q = &args.query;
    let source = open_source(opts)?;
    let mut found = source.search(q)?;
    if q.status == Some(StatusFilter::Ok) {
        // Jaeger has no "no errors" filter and TraceQL's is per span: drop what reports errors.
        found.retain(|h| h.error_count.is_none_or(|n| n == 0));
    }
    if opts.verbose > 0 {
        eprintln!(
            "tracediag: {} hit(s) from {}",
            found.len(),
            source.describe()
        );
    }
    let mut hits: Vec<Hit> = found.iter().map(hit).collect();
    if args.diagnose {
        let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
        let max_skew = args.analysis.max_skew;
        let th = args.analysis.thresholds;
        for (h, fetched) in hits
            .iter_mut()
            .zip(fetch_many(source.as_ref(), &ids, opts.quiet))
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
    Ok(Outcome::ok(Document::Search {
        doc: Box::new(doc),
        diagnosed: args.diagnose,
    }))
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
