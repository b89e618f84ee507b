//! What window RCA needs from one set of traces (a window or a baseline), aggregated: the
//! one type both the in-memory path (`analysis::incident`, from fetched traces) and a store
//! that aggregates where the spans live (PostgreSQL) fill, so one ranking reads either.
//!
//! Every distribution is summarised by count, median and MAD (the median absolute deviation
//! from the median), as SQL's `percentile_cont(0.5)` computes them, plus the excess over a
//! reference median: for a window, the sum of `max(x − baseline median, 0)` over its samples.

use std::collections::{BTreeMap, BTreeSet};

/// Spring's error endpoint (`BasicErrorController.error`, or a custom `*ErrorController`)
/// ends so: the only trace of a failed request when the instrumentation records no status.
pub const ERROR_HANDLER_SUFFIX: &str = "ErrorController.error";

/// A distribution of milliseconds, summarised.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Dist {
    pub n: usize,
    pub median: f64,
    pub mad: f64,
    /// Sum of `max(x − reference median, 0)` over the samples; 0 without a reference.
    pub excess: f64,
}

/// Invocations of a `service.operation` and how many of them failed.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct OpCount {
    pub invocations: usize,
    pub failed: usize,
}

/// Failed invocations alike for the ranking: same operation, same services called, same
/// callee whose call ended last before the failure surfaced.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FailureKey {
    pub service: String,
    pub operation: String,
    /// Services the invocation still called.
    pub called: BTreeSet<String>,
    /// The callee whose call ended last before the failure (latest end; ties: the
    /// greatest name).
    pub last_callee: Option<String>,
}

/// Keys: `(service, operation)`, `(caller, callee)`, `(entry endpoint, service,
/// operation)`, `(entry, service, operation, downstream service.operation)`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WindowStats {
    pub traces: usize,
    /// Spans the statistics were computed over.
    pub spans: u64,
    /// When the statistics cover a sample of the range's traces (a store bounding its
    /// work): about how many traces start in the range, estimated from the sample. None:
    /// every trace of the range.
    pub sampled_from: Option<u64>,
    /// Self times of spans that call no other service.
    pub own: BTreeMap<(String, String), Dist>,
    /// Caller-side time (the caller span's self time) of each call into another service.
    pub edge: BTreeMap<(String, String), Dist>,
    /// Durations of each service's server spans (entered from another service or the root).
    pub total: BTreeMap<String, Dist>,
    pub invocations: BTreeMap<(String, String, String), usize>,
    pub calls: BTreeMap<(String, String, String, String), usize>,
    /// Spans failing on their own (an error none of whose children failed), per service.
    pub error_origins: BTreeMap<String, usize>,
    pub by_op: BTreeMap<(String, String), OpCount>,
    /// Per operation, per callee service: invocations that did not fail and called it, and
    /// the sum of the earliest call's start offset into the invocation (ms).
    pub callees_of_op: BTreeMap<(String, String), BTreeMap<String, (usize, f64)>>,
    /// Failed invocations, grouped.
    pub failures: BTreeMap<FailureKey, usize>,
    pub services: BTreeSet<String>,
    /// caller → callees.
    pub callees: BTreeMap<String, BTreeSet<String>>,
}

/// The median as `percentile_cont(0.5)`: the mean of the two middle values for an even
/// count. Sorts `v`.
pub fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

impl Dist {
    /// Summarise `values`, with the excess over `reference` (a baseline median) if given.
    pub fn of(values: &[f64], reference: Option<f64>) -> Dist {
        let mut v = values.to_vec();
        let m = median(&mut v);
        let mut dev: Vec<f64> = v.iter().map(|x| (x - m).abs()).collect();
        let mad = median(&mut dev);
        let excess = reference.map_or(0.0, |r| values.iter().map(|x| (x - r).max(0.0)).sum());
        Dist {
            n: values.len(),
            median: m,
            mad,
            excess,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_mad_and_excess() {
        let d = Dist::of(&[1.0, 2.0, 4.0, 10.0], Some(3.0));
        assert_eq!((d.n, d.median), (4, 3.0));
        // deviations 2, 1, 1, 7 → median 1.5
        assert_eq!(d.mad, 1.5);
        assert_eq!(d.excess, 1.0 + 7.0);
        assert_eq!(Dist::of(&[], None), Dist::default());
    }
}
