//! The thresholds of a diagnosis: when a span is slow, a gap long, a repetition an N+1.

/// Thresholds of the diagnosis; each is a command-line flag.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A span is anomalous when longer than this many times the mean of its
    /// service.operation in the trace (3×, as the seed's SQL `diagnose_execution_trace`).
    pub slow_factor: f64,
    /// A gap longer than this is an anomaly (5 s, as the seed's `diagnose_execution_trace`).
    pub gap_ns: i64,
    /// An uncovered stretch on a cross-service leg longer than this, and at least
    /// `network_share` of the parent, is a NETWORK_TIMEOUT candidate. The seed's
    /// `identify_root_cause` uses a fixed 60 s; a shorter floor plus a share of the parent
    /// catches the same stall in short traces too.
    pub network_gap_ns: i64,
    pub network_share: f64,
    /// A span must spend at least this long of its own time on the critical path before its
    /// dominance counts as PERFORMANCE_DEGRADATION.
    pub slow_span_ns: i64,
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
            slow_span_ns: 1_000_000_000,
            repeat_min: 10,
        }
    }
}
