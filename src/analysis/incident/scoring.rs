//! The statistics behind every signal: a robust shift of medians for latencies, a Poisson z
//! for counts.

use crate::model::window_stats::Dist;

use super::{
    Evidence, EvidenceKind, ABS_FLOOR_MS, MIN_EXTRA_MS_PER_TRACE, MIN_SAMPLES, REL_FLOOR, Z_CAP,
    Z_MIN,
};

/// A latency comparison: medians, robust z and extra ms per window trace.
pub(super) struct Shift {
    pub(super) base_median: f64,
    pub(super) window_median: f64,
    pub(super) z: f64,
    pub(super) extra_ms_per_trace: f64,
    pub(super) n_window: usize,
    pub(super) n_base: usize,
}

impl Shift {
    pub(super) fn score(&self) -> f64 {
        if self.z < Z_MIN || self.extra_ms_per_trace < MIN_EXTRA_MS_PER_TRACE {
            return 0.0;
        }
        (self.z.min(Z_CAP) * self.extra_ms_per_trace.max(0.0)).sqrt()
    }
}

/// The window's distribution against the baseline's: robust z of the median shift (the
/// baseline's MAD, with a floor) and the window's excess over the baseline median per trace.
pub(super) fn shift(base: &Dist, window: &Dist, window_traces: usize) -> Option<Shift> {
    if base.n < MIN_SAMPLES || window.n < MIN_SAMPLES {
        return None;
    }
    let mb = base.median;
    let spread = 1.4826 * base.mad + REL_FLOOR * mb.abs() + ABS_FLOOR_MS;
    Some(Shift {
        base_median: mb,
        window_median: window.median,
        z: (window.median - mb) / spread,
        extra_ms_per_trace: window.excess / window_traces.max(1) as f64,
        n_window: window.n,
        n_base: base.n,
    })
}

/// Poisson z of `observed` against `expected`, with +1 so a zero expectation is not infinitely
/// surprising.
pub(super) fn poisson_z(observed: f64, expected: f64) -> f64 {
    (observed - expected) / (expected + 1.0).sqrt()
}

pub(super) fn latency_evidence(
    kind: EvidenceKind,
    op: Option<&str>,
    peer: Option<&str>,
    s: &Shift,
    weight: f64,
) -> Evidence {
    Evidence {
        kind,
        operation: op.map(str::to_string),
        peer: peer.map(str::to_string),
        baseline: s.base_median,
        window: s.window_median,
        z: s.z,
        extra_ms_per_trace: Some(s.extra_ms_per_trace * weight),
        window_samples: s.n_window,
        baseline_samples: s.n_base,
        score: s.score() * weight.sqrt(),
    }
}
