//! What normal looks like: the duration distribution of each service.operation, and of
//! each root operation, over other traces of the same source. A trace is slow only against
//! this — never for the share of itself a span takes, which is simply where the time goes
//! in that system on every request.
//!
//! Quartiles, not means or tails: a baseline drawn from production holds faulty requests —
//! a third of them in some tables — which inflate its p95 and p99 but not its median, nor
//! the spread below the median. A duration is slow when it lies far above the median in
//! units of that lower spread (a fence like Tukey's, one-sided) and at least twice the
//! median, so both a wide uniform spread and a tight log-normal one are judged fairly.

use std::collections::HashMap;

use crate::model::{IndexedTrace, Span};

/// Fewer samples than this and an operation has no usable baseline: its p95 would be one
/// of a handful of values.
pub const MIN_SAMPLES: u64 = 20;
/// A duration is slow when it is more than this many lower spreads (median − p25) above
/// the median …
pub const SLOW_SPREADS: f64 = 3.0;
/// … and over this many times the median, so a tight distribution does not call a small
/// wobble slow.
pub const SLOW_OVER_MEDIAN: f64 = 2.0;

/// The distribution of one operation's durations.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Distribution {
    pub count: u64,
    pub p25_ns: i64,
    pub p50_ns: i64,
    pub p95_ns: i64,
    pub p99_ns: i64,
}

/// One duration judged against its operation's distribution.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Judgement {
    pub duration_ns: i64,
    pub typical: Distribution,
    /// duration / median.
    pub ratio: f64,
    pub slow: bool,
}

/// Distributions by service, then operation: looked up with borrowed names, so judging a
/// trace allocates nothing per span.
pub type ByOperation = HashMap<String, HashMap<String, Distribution>>;

/// The distributions of a set of traces.
#[derive(Debug, Clone, Default)]
pub struct Baseline {
    /// Traces the distributions were computed from.
    pub traces: usize,
    /// Every span, by service and operation.
    pub operations: ByOperation,
    /// The whole request, by the service and operation of its root span.
    pub roots: ByOperation,
}

/// Samples by service, then operation, borrowing the names from the traces.
type Samples<'a> = HashMap<&'a str, HashMap<&'a str, Vec<i64>>>;

impl Baseline {
    /// The baseline of `traces`, leaving out the trace being judged (`exclude`).
    pub fn of<'a>(traces: impl IntoIterator<Item = &'a IndexedTrace>, exclude: &str) -> Baseline {
        let mut spans: Samples<'a> = HashMap::new();
        let mut roots: Samples<'a> = HashMap::new();
        let mut n = 0;
        for t in traces {
            if t.trace.id == exclude {
                continue;
            }
            n += 1;
            for s in t.trace.spans.iter() {
                push(&mut spans, s);
            }
            if let Some(r) = t
                .tree
                .main_root(&t.trace)
                .and_then(|r| t.trace.spans.get(r))
            {
                push(&mut roots, r);
            }
        }
        Baseline {
            traces: n,
            operations: distributions(spans),
            roots: distributions(roots),
        }
    }

    /// A duration of `service.operation` against its distribution; None without one.
    pub fn judge_span(&self, s: &Span) -> Option<Judgement> {
        judge(lookup(&self.operations, s)?, s.duration_ns)
    }

    /// The request's duration against its root operation's requests; None without them.
    pub fn judge_request(&self, t: &IndexedTrace) -> Option<Judgement> {
        let r = t.tree.main_root(&t.trace)?;
        let root = t.trace.spans.get(r)?;
        // The root span's duration: asynchronous work after it answered does not make the
        // request slower for its caller.
        judge(lookup(&self.roots, root)?, root.duration_ns)
    }
}

fn push<'a>(samples: &mut Samples<'a>, s: &'a Span) {
    samples
        .entry(s.service.as_str())
        .or_default()
        .entry(s.operation.as_str())
        .or_default()
        .push(s.duration_ns);
}

fn lookup<'b>(table: &'b ByOperation, s: &Span) -> Option<&'b Distribution> {
    table.get(s.service.as_str())?.get(s.operation.as_str())
}

fn judge(d: &Distribution, duration_ns: i64) -> Option<Judgement> {
    if d.count < MIN_SAMPLES {
        return None;
    }
    let median = d.p50_ns.max(1) as f64;
    let v = duration_ns as f64;
    Some(Judgement {
        duration_ns,
        typical: *d,
        ratio: v / median,
        slow: v > median + SLOW_SPREADS * (median - d.p25_ns as f64).max(0.0)
            && v > SLOW_OVER_MEDIAN * median,
    })
}

fn distributions(samples: Samples<'_>) -> ByOperation {
    samples
        .into_iter()
        .map(|(service, ops)| {
            let ops = ops
                .into_iter()
                .map(|(op, mut v)| {
                    v.sort_unstable();
                    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
                    let d = Distribution {
                        count: v.len() as u64,
                        p25_ns: at(0.25),
                        p50_ns: at(0.50),
                        p95_ns: at(0.95),
                        p99_ns: at(0.99),
                    };
                    (op.to_string(), d)
                })
                .collect();
            (service.to_string(), ops)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    fn trace_of(id: &str, root_ms: i64, child_ms: i64) -> IndexedTrace {
        let mut t = indexed(vec![
            span("r", None, "api.get", 0, root_ms * 1_000_000),
            span("c", Some("r"), "db.query", 1_000_000, child_ms * 1_000_000),
        ]);
        t.trace.id = id.to_string();
        t
    }

    #[test]
    fn slow_only_far_beyond_the_spread() {
        let traces: Vec<IndexedTrace> = (0..40)
            .map(|i| trace_of(&format!("t{i}"), 100 + i % 10, 50 + i % 5))
            .collect();
        let b = Baseline::of(&traces, "t0");
        assert_eq!(b.traces, 39);
        let normal = trace_of("x", 108, 52);
        let j = b.judge_request(&normal).unwrap();
        assert!(!j.slow, "{j:?}");
        let slow = trace_of("y", 2000, 1900);
        assert!(b.judge_request(&slow).unwrap().slow);
        assert!(b.judge_span(&slow.trace.spans[1]).unwrap().slow);
    }

    #[test]
    fn too_few_samples_is_no_baseline() {
        let traces: Vec<IndexedTrace> = (0..5)
            .map(|i| trace_of(&format!("t{i}"), 100, 50))
            .collect();
        let b = Baseline::of(&traces, "");
        assert!(b.judge_request(&trace_of("y", 9000, 50)).is_none());
    }
}
