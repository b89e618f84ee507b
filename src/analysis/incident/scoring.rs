//! The statistics behind every signal: a robust shift of medians for latencies, a Poisson z
//! for counts.

use super::{
    Evidence, EvidenceKind, ABS_FLOOR_MS, MIN_EXTRA_MS_PER_TRACE, MIN_SAMPLES, REL_FLOOR, Z_CAP,
    Z_MIN,
};

fn median(v: &mut [f64]) -> f64 {
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

pub(super) fn shift(base: &[f64], window: &[f64], window_traces: usize) -> Option<Shift> {
    if base.len() < MIN_SAMPLES || window.len() < MIN_SAMPLES {
        return None;
    }
    let mut b = base.to_vec();
    let mb = median(&mut b);
    let mut dev: Vec<f64> = b.iter().map(|x| (x - mb).abs()).collect();
    let mad = median(&mut dev);
    let mut w = window.to_vec();
    let mw = median(&mut w);
    let spread = 1.4826 * mad + REL_FLOOR * mb.abs() + ABS_FLOOR_MS;
    let extra: f64 = window.iter().map(|x| (x - mb).max(0.0)).sum();
    Some(Shift {
        base_median: mb,
        window_median: mw,
        z: (mw - mb) / spread,
        extra_ms_per_trace: extra / window_traces.max(1) as f64,
        n_window: window.len(),
        n_base: base.len(),
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
