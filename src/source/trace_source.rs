//! One interface over every source, so each command works the same on a file, stdin,
//! Jaeger, Tempo or PostgreSQL; and fetching many traces through it with bounded
//! concurrency.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::model::span_metrics::SpanMetrics;
use crate::model::window_stats::WindowStats;
use crate::model::{id_matches, Trace};

use super::pushdown::{OperationStats, StatsQuery};
use super::search::{SearchQuery, TraceSummary};

pub trait TraceSource: Send + Sync {
    /// The source for messages, secrets masked.
    fn describe(&self) -> String;
    /// The trace with this id (leading zeros may be omitted).
    fn trace(&self, id: &str) -> Result<Trace>;
    /// The only trace when the user named none. Remote sources hold many, so they ask for one.
    fn only_trace(&self) -> Result<Trace> {
        Err(Error::Usage(format!(
            "name the trace to read from {}: tracediag diagnose <TRACE_ID> (find one with `tracediag search`)",
            self.describe()
        )))
    }
    fn search(&self, q: &SearchQuery) -> Result<Vec<TraceSummary>>;
    fn services(&self) -> Result<Vec<String>>;
    fn operations(&self, service: &str) -> Result<Vec<String>>;
    /// Concurrency for fetching many traces; 1 where it buys nothing (files).
    fn concurrency(&self) -> usize {
        1
    }
    /// Traces and spans read up front (files and stdin), for `-v`.
    fn loaded(&self) -> Option<(usize, usize)> {
        None
    }
    /// Many traces at once, when the source can do better than one request per trace (a
    /// database answers them with one query). None: fetch one by one.
    fn traces(&self, _ids: &[String]) -> Option<Vec<Result<Trace>>> {
        None
    }
    /// `stats` aggregates computed by the source itself (pushdown). None: the caller
    /// aggregates the spans in memory.
    fn stats(&self, _q: &StatsQuery) -> Option<Result<Vec<OperationStats>>> {
        None
    }
    /// How many traces have a span `q` selects, counted by the source (pushdown); None when
    /// it cannot.
    fn count_traces(&self, _q: &StatsQuery) -> Option<Result<u64>> {
        None
    }
    /// Window RCA's aggregates of the traces whose first span starts in `[start_ns,
    /// end_ns)`, computed by the source itself (pushdown), latency excess against
    /// `reference`'s medians; over a uniform sample of about `max_traces` of those traces
    /// when the range holds more (0: all of them). Err when it cannot, with the reason
    /// (empty for a source that is no store, such as a file), and the caller fetches traces.
    fn window_stats(
        &self,
        _start_ns: i64,
        _end_ns: i64,
        _reference: Option<&WindowStats>,
        _max_traces: usize,
    ) -> std::result::Result<Result<WindowStats>, String> {
        Err(String::new())
    }
    /// Span counts and median durations per `service.operation` and error spans per
    /// service, of the spans starting in `[start_ns, end_ns)`, computed by the source itself
    /// (Tempo's TraceQL metrics). Err with the reason when it cannot (a server without
    /// metrics, a failed query; empty for a source with no such engine): never fatal, the
    /// caller fetches traces instead.
    fn span_metrics(
        &self,
        _start_ns: i64,
        _end_ns: i64,
    ) -> std::result::Result<SpanMetrics, String> {
        Err(String::new())
    }
}

/// The trace named by `id` among `traces`, or the only one when `id` is None.
pub fn pick(traces: &[Trace], id: Option<&str>, what: &str) -> Result<Trace> {
    let n = traces.len();
    let known = || {
        let ids: Vec<&str> = traces.iter().take(5).map(|t| t.id.as_str()).collect();
        format!("{}{}", ids.join(", "), if n > 5 { ", …" } else { "" })
    };
    match id {
        Some(id) => traces
            .iter()
            .find(|t| id_matches(&t.id, id))
            .cloned()
            .ok_or_else(|| Error::TraceNotFound {
                id: id.to_string(),
                source_name: what.to_string(),
                hint: if n == 0 {
                    String::new()
                } else {
                    format!(" (it holds {n} trace(s): {})", known())
                },
            }),
        None => match n {
            1 => Ok(traces[0].clone()),
            0 => Err(Error::input(what, "holds no traces")),
            _ => Err(Error::Usage(format!(
                "{what} holds {n} traces; name one: {}",
                known()
            ))),
        },
    }
}

/// Fetch many traces with at most `source.concurrency()` requests in flight, in input order.
/// A progress bar goes to stderr only when it is a terminal (and not with `quiet`).
pub fn fetch_many(source: &dyn TraceSource, ids: &[String], quiet: bool) -> Vec<Result<Trace>> {
    let mut out = Vec::with_capacity(ids.len());
    fetch_each(source, ids, quiet, ids.len().max(1), |_, r| out.push(r));
    out
}

/// Fetch `ids` like [`fetch_many`], handing each result (with its index in `ids`) to
/// `each` in input order, `chunk` ids at a time: at most `chunk` traces are held at once,
/// so commands that look at thousands of traces (similar, stats) run in bounded memory.
/// One progress bar covers all chunks.
pub fn fetch_each(
    source: &dyn TraceSource,
    ids: &[String],
    quiet: bool,
    chunk: usize,
    mut each: impl FnMut(usize, Result<Trace>),
) {
    let bar = (!quiet && ids.len() > 1 && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new(ids.len() as u64);
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} traces {elapsed}")
        {
            bar.set_style(style);
        }
        bar
    });
    let mut done = 0;
    for part in ids.chunks(chunk.max(1)) {
        for (k, r) in fetch_chunk(source, part, bar.as_ref())
            .into_iter()
            .enumerate()
        {
            each(done + k, r);
        }
        done += part.len();
    }
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

fn fetch_chunk(
    source: &dyn TraceSource,
    ids: &[String],
    bar: Option<&indicatif::ProgressBar>,
) -> Vec<Result<Trace>> {
    // Sources that fetch many traces in one request (Postgres: one `= ANY($1)` query).
    if let Some(all) = source.traces(ids) {
        if let Some(bar) = bar {
            bar.inc(ids.len() as u64);
        }
        return all;
    }
    let workers = source.concurrency().clamp(1, ids.len().max(1));
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<Trace>>>> =
        Mutex::new((0..ids.len()).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(id) = ids.get(i) else { break };
                let r = source.trace(id);
                if let Ok(mut slots) = results.lock() {
                    slots[i] = Some(r);
                }
                if let Some(bar) = bar {
                    bar.inc(1);
                }
            });
        }
    });
    let slots = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    slots
        .into_iter()
        .zip(ids)
        .map(|(r, id)| {
            r.unwrap_or_else(|| Err(Error::Unreachable(format!("trace {id} was not fetched"))))
        })
        .collect()
}
