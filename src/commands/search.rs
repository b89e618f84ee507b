//! `search`: find traces worth diagnosing, optionally diagnosing each hit in one line.

use crate::analysis::baseline::Baseline;
use crate::analysis::rerank::rerank;
use crate::analysis::verdict::{judge, Judged, Verdict};
use crate::analysis::{diagnose, Diagnosis, Thresholds};
use crate::error::Result;
use crate::model::IndexedTrace;
use crate::report::search::{Hit, OneLine, SearchDoc};
use crate::report::Document;
use crate::source::backend::{fetch_many, TraceSource};
use crate::source::search::{rfc3339, StatusFilter, TraceSummary};

use super::options::SearchRequest;
use super::select::open_source;
use super::{Options, Outcome};

/// A trace's verdict and, when it is not fine, its top root cause, in one line (search
/// --diagnose, similar).
pub(super) fn one_line(
    indexed: &IndexedTrace,
    th: &Thresholds,
    baseline: Option<&Baseline>,
) -> OneLine {
    let mut d = diagnose(indexed, th);
    let v = judge(indexed, &d, baseline);
    rerank(indexed, &mut d, &v, baseline);
    one_line_of(indexed, &d, &v)
}

pub(super) fn one_line_of(indexed: &IndexedTrace, d: &Diagnosis, v: &Judged) -> OneLine {
    let top = d.root_causes.first().filter(|_| v.verdict != Verdict::Ok);
    let span = top
        .and_then(|c| c.span)
        .and_then(|i| indexed.trace.spans.get(i));
    OneLine {
        category: top.map(|c| c.category.as_str().to_string()),
        service: span.map(|s| s.service.to_string()),
        operation: span.map(|s| s.operation.to_string()),
        span_id: span.map(|s| s.span_id.to_string()),
        // Three decimals, as every score in JSON.
        score: top.map(|c| (c.score * 1000.0).round() / 1000.0),
        verdict: v.verdict,
    }
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
        diagnose_hits(opts, source.as_ref(), &found, &mut hits, args);
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

/// Fetch and judge every hit. The hits are their own baseline (with PostgreSQL, one
/// aggregate query over their window instead).
fn diagnose_hits(
    opts: &Options,
    source: &dyn TraceSource,
    found: &[TraceSummary],
    hits: &mut [Hit],
    args: &SearchRequest,
) {
    let ids: Vec<String> = found.iter().map(|h| h.trace_id.clone()).collect();
    let max_skew = args.analysis.max_skew;
    let th = args.analysis.thresholds;
    let fetched: Vec<Result<IndexedTrace>> = fetch_many(source, &ids, opts.quiet)
        .into_iter()
        .map(|r| r.map(|t| IndexedTrace::new(t, max_skew)))
        .collect();
    let traces: Vec<&IndexedTrace> = fetched.iter().filter_map(|r| r.as_ref().ok()).collect();
    let baseline = super::baseline::for_many(opts, source, &traces, &args.baseline);
    for (h, r) in hits.iter_mut().zip(&fetched) {
        match r {
            Ok(indexed) => {
                h.diagnosis = Some(one_line(indexed, &th, baseline.as_ref()));
                // Counts from the full trace beat a backend's partial ones.
                h.span_count = Some(indexed.trace.spans.len());
                h.error_count = Some(indexed.trace.error_count());
            }
            Err(e) => h.error = Some(e.to_string()),
        }
    }
}
