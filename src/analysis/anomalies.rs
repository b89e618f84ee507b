//! Anomalies in the seed's sense (`diagnose_execution_trace`), computed on the tree:
//! spans k× slower than their operation's mean, long gaps, failed spans.

use serde::Serialize;

use crate::model::IndexedTrace;

use super::diagnosis::Thresholds;
use super::gaps::Gap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnomalyKind {
    /// Longer than `slow_factor` × the mean of the same service.operation in this trace
    /// (only when the operation occurs at least twice).
    SlowerThanPeers { ratio: f64, mean_ns: i64 },
    /// A gap inside the span longer than the gap threshold; `gap` indexes `Diagnosis::gaps`.
    LongGap { gap: usize, gap_ns: i64 },
    /// The span failed.
    Failed { message: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub span: usize,
    pub kind: AnomalyKind,
    /// One line for people, with the numbers (`Gap of 156117ms after router.inference_request`).
    pub reason: String,
}

/// In span pre-order; a span can have several anomalies.
pub fn find_anomalies(_t: &IndexedTrace, _gaps: &[Gap], _th: &Thresholds) -> Vec<Anomaly> {
    unimplemented!("find_anomalies")
}
