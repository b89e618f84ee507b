//! `root-cause --window`: rank the services that explain what changed between a baseline
//! and a window of traces.
//!
//! With `--pushdown`, a source that aggregates where the spans live (PostgreSQL) computes
//! the ranking's statistics itself, over every span of both ranges; only a sample of traces
//! is fetched, for the attribute comparison and the exemplars. A source that aggregates spans
//! but not traces (Tempo's TraceQL metrics) computes median span durations and error spans
//! over every span, shown beside a ranking computed on a sample of fetched traces. Otherwise
//! (the default, and any other source) up to `--max-traces` traces per range are fetched and
//! aggregated here. Both feed the same ranking.

use crate::analysis::attributes::{compare_counts, AttributeCounts, AttributeOptions};
use crate::analysis::incident::{rank_profiles, rank_stats, Profile};
use crate::error::{Error, Result};
use crate::model::window_stats::WindowStats;
use crate::model::{IndexedTrace, Trace};
use crate::report::attributes::AttributesDoc;
use crate::report::coverage::{Coverage, RangeSample};
use crate::report::document::WindowReport;
use crate::report::store_metrics::StoreMetricsDoc;
use crate::report::Document;
use crate::source::backend::TraceSource;
use crate::source::config::Config;
use crate::source::search::now_ns;
use crate::source::spec::SourceSpec;

use super::options::WindowRequest;
use super::select::{open_source, open_spec};
use super::window::{parse_range, traces_in, Range};
use super::{Options, Outcome};

/// Traces fetched per range when the store computed the ranking: for the attribute
/// comparison and the exemplars only.
pub const SAMPLE_TRACES: usize = 200;

/// What the ranking and the attribute comparison need from one range's traces.
#[derive(Default)]
struct Side {
    profile: Profile,
    attributes: AttributeCounts,
    traces: usize,
    spans: u64,
}

impl Side {
    /// Each trace indexed, read and let go in turn: the indexes of a hundred thousand
    /// traces are never held at once.
    fn of(traces: Vec<Trace>, max_skew: Option<i64>) -> Side {
        let mut side = Side::default();
        for t in traces {
            let t = IndexedTrace::new(t, max_skew);
            side.traces += 1;
            side.spans += t.trace.spans.len() as u64;
            side.profile.add(&t);
            side.attributes.add(&t);
        }
        side
    }
}

/// Both sides, and the sources read.
struct Sides {
    win: Side,
    base: Side,
    sources: Vec<String>,
}

pub fn build(opts: &Options, inc: &WindowRequest) -> Result<Outcome> {
    let now = now_ns();
    let window = parse_range(inc.window.as_str(), "--window", now)?;
    let baseline = match inc.baseline.as_deref() {
        Some(b) => parse_range(b, "--baseline", now)?,
        None => Range {
            start_ns: window.start_ns.saturating_sub(window.len_ns()),
            end_ns: window.start_ns,
        },
    };
    let source = open_source(opts)?;
    let mut coverage = Coverage::default();
    let mut pushed = None;
    // Where the exemplar traces are read from: the whole ranges unless the store ranked.
    let mut reads = (window, baseline);
    let mut store_metrics = None;
    if inc.pushdown && inc.baseline_sources.is_empty() {
        let bound = inc.pushdown_traces;
        match source.window_stats(baseline.start_ns, baseline.end_ns, None, bound) {
            Ok(b) => {
                let b = b?;
                let w = source
                    .window_stats(window.start_ns, window.end_ns, Some(&b), bound)
                    .unwrap_or_else(|e| Err(Error::Unreachable(e)))?;
                coverage.add(
                    "ranking",
                    true,
                    (w.traces + b.traces) as u64,
                    w.spans + b.spans,
                );
                for (name, s) in [("window", &w), ("baseline", &b)] {
                    if let Some(of) = s.sampled_from {
                        coverage.add_sample(RangeSample {
                            range: name.to_string(),
                            traces: s.traces as u64,
                            spans: s.spans,
                            of_traces: of,
                            of_traces_estimated: true,
                        });
                    }
                }
                let held = |s: &WindowStats| s.sampled_from.unwrap_or(s.traces as u64);
                let n = inc.max_traces.min(SAMPLE_TRACES);
                reads = (tail(window, held(&w), n), tail(baseline, held(&b), n));
                pushed = Some(rank_stats(&w, &b));
            }
            Err(reason) if !reason.is_empty() => coverage.fallback = Some(reason),
            Err(_) => {
                store_metrics = span_metrics(source.as_ref(), (window, baseline), &mut coverage)
            }
        }
    }
    let limit = if pushed.is_some() || store_metrics.is_some() {
        inc.max_traces.min(SAMPLE_TRACES)
    } else {
        inc.max_traces
    };
    let Sides { win, base, sources } =
        fetch(opts, inc, source.as_ref(), (window, baseline), reads, limit)?;
    let (traces, spans) = ((win.traces + base.traces) as u64, win.spans + base.spans);
    let incident = match pushed {
        Some(i) => i,
        None => {
            coverage.add("ranking", false, traces, spans);
            rank_profiles(win.profile, base.profile)
        }
    };
    if incident.window_traces == 0 {
        return Err(Error::Usage(format!(
            "no traces start in the window {} in {}; widen --window or check the source's time range",
            inc.window,
            source.describe()
        )));
    }
    let attributes = (base.traces > 0 && win.traces > 0).then(|| {
        coverage.add("attributes", false, traces, spans);
        let c = compare_counts(
            &win.attributes,
            &base.attributes,
            &AttributeOptions::default(),
        );
        AttributesDoc::new(&c, source.describe(), "the window", "the baseline")
    });
    if incident.baseline_traces == 0 && !opts.quiet {
        eprintln!("tracediag: warning: no baseline traces; give --baseline or --baseline-source");
    }
    Ok(Outcome::ok(Document::Window(Box::new(WindowReport {
        incident,
        window,
        baseline,
        sources,
        attributes,
        coverage,
        store_metrics,
    }))))
}

/// What a store that aggregates spans but not traces (Tempo's TraceQL metrics) computes over
/// both ranges; None when it cannot, with the reason in `coverage.fallback`, and the caller
/// fetches traces as without pushdown.
fn span_metrics(
    source: &dyn TraceSource,
    (window, baseline): (Range, Range),
    coverage: &mut Coverage,
) -> Option<StoreMetricsDoc> {
    let both = source
        .span_metrics(baseline.start_ns, baseline.end_ns)
        .and_then(|b| Ok((source.span_metrics(window.start_ns, window.end_ns)?, b)));
    match both {
        Ok((w, b)) => {
            coverage.add_store_spans("span_latency_and_errors", w.spans + b.spans);
            coverage.notes.push(
                "the store gives no self time, call edges or trace shapes, so the ranking is computed on a sample of fetched traces"
                    .to_string(),
            );
            Some(StoreMetricsDoc::new(&w, &b))
        }
        Err(reason) => {
            if !reason.is_empty() {
                coverage.fallback = Some(reason);
            }
            None
        }
    }
}

/// The last stretch of `r` expected to hold four times `limit` of the `traces` it holds.
/// A search keeps the newest traces of its range, so the tail gives the same ones as the
/// whole range while reading a sliver of it: finding the traces of the whole hour took most
/// of a pushed-down run at ten million spans (28 s for 200 traces).
fn tail(r: Range, traces: u64, limit: usize) -> Range {
    let want = 4 * limit.max(1) as u64;
    if traces <= want {
        return r;
    }
    let len = (r.len_ns() as f64 * want as f64 / traces as f64) as i64;
    Range {
        start_ns: r.end_ns - len.max(1),
        end_ns: r.end_ns,
    }
}

/// Up to `limit` traces of `full`, looked for in `read` (its tail) first, in all of it when
/// the tail holds fewer.
fn newest_in(
    opts: &Options,
    source: &dyn TraceSource,
    full: Range,
    read: Range,
    limit: usize,
) -> Result<Vec<crate::model::Trace>> {
    let (q, v) = (opts.quiet, opts.verbose);
    let got = traces_in(source, Some(read), limit, q, v)?;
    if got.len() >= limit || read == full {
        return Ok(got);
    }
    traces_in(source, Some(full), limit, q, v)
}

/// The traces of the window and the baseline (from the source and any baseline sources),
/// at most `limit` per range and source; the source's looked for in `reads` first.
fn fetch(
    opts: &Options,
    inc: &WindowRequest,
    source: &dyn TraceSource,
    (window, baseline): (Range, Range),
    reads: (Range, Range),
    limit: usize,
) -> Result<Sides> {
    let g = opts;
    let win = newest_in(opts, source, window, reads.0, limit)?;
    let mut base = newest_in(opts, source, baseline, reads.1, limit)?;
    let mut sources = vec![source.describe()];
    if !inc.baseline_sources.is_empty() {
        let config = Config::load()?;
        for s in &inc.baseline_sources {
            let (spec, settings) = SourceSpec::resolve(s, &config)?;
            let extra = open_spec(opts, &spec, &settings)?;
            // A file is an export made for the purpose: all of it is baseline.
            let range = spec.is_remote().then_some(baseline);
            base.extend(traces_in(extra.as_ref(), range, limit, g.quiet, g.verbose)?);
            sources.push(extra.describe());
        }
    }
    let max_skew = inc.analysis.max_skew;
    Ok(Sides {
        win: Side::of(win, max_skew),
        base: Side::of(base, max_skew),
        sources,
    })
}
