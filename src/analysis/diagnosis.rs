//! Everything `diagnose` computes about one trace, in one pass over the model.

use crate::model::IndexedTrace;

use super::anomalies::{self, Anomaly};
use super::critical_path::{self, CriticalPath};
use super::errors::{self, ErrorOrigin};
use super::gaps::{self, Gap};
use super::labels::Labels;
use super::patterns::{self, Patterns};
use super::root_cause::{self, Candidate};
use super::self_time;

/// Thresholds of the diagnosis; each is a command-line flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A span is anomalous when longer than this many times the mean of its
    /// service.operation in the trace (seed 000: 3×).
    pub slow_factor: f64,
    /// A gap longer than this is an anomaly (seed 000: 5 s).
    pub gap_ns: i64,
    /// An uncovered stretch on a cross-service leg longer than this, and at least
    /// `network_share` of the parent, is a NETWORK_TIMEOUT candidate (seed 000: 60 s is its
    /// fixed rule; a relative share catches short traces too).
    pub network_gap_ns: i64,
    pub network_share: f64,
    /// Siblings with the same service.operation repeated at least this often are N+1 calls.
    pub repeat_min: usize,
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds {
            slow_factor: 3.0,
            gap_ns: 5_000_000_000,
            network_gap_ns: 1_000_000_000,
            network_share: 0.2,
            repeat_min: 10,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub thresholds: Thresholds,
    /// Self time of each span, by span index.
    pub self_time_ns: Vec<i64>,
    pub gaps: Vec<Gap>,
    pub critical_path: CriticalPath,
    pub anomalies: Vec<Anomaly>,
    pub error_origins: Vec<ErrorOrigin>,
    pub patterns: Patterns,
    /// Ranked, most likely first. Never empty: UNKNOWN when nothing stands out.
    pub root_causes: Vec<Candidate>,
}

pub fn diagnose(t: &IndexedTrace, thresholds: &Thresholds) -> Diagnosis {
    let self_time_ns = self_time::self_times(t);
    let gaps = gaps::find_gaps(t);
    let critical_path = critical_path::critical_path(t);
    // Both group spans by service.operation; label them once.
    let labels = Labels::of(&t.trace.spans);
    let anomalies = anomalies::find_anomalies_with(t, &gaps, thresholds, &labels);
    let error_origins = errors::error_origins(t);
    let patterns = patterns::find_patterns_with(t, thresholds, &labels);
    let mut d = Diagnosis {
        thresholds: *thresholds,
        self_time_ns,
        gaps,
        critical_path,
        anomalies,
        error_origins,
        patterns,
        root_causes: Vec::new(),
    };
    d.root_causes = root_cause::rank(t, &d);
    d
}
