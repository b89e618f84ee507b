//! What a store can tell about the spans of a time range without assembling traces: per
//! `service.operation` how many spans and their median duration, per service how many
//! spans failed. Tempo's TraceQL metrics fill it; it holds no self time, no call edges and
//! no trace shapes, which need whole traces.

use std::collections::BTreeMap;

/// One operation's spans in a range.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct OpSpans {
    pub spans: u64,
    /// Median span duration in milliseconds; None when the store gave no quantile.
    pub median_ms: Option<f64>,
}

/// Span statistics of one range, computed by the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SpanMetrics {
    /// Spans counted (every operation together).
    pub spans: u64,
    /// Keyed by `(service, operation)`.
    pub ops: BTreeMap<(String, String), OpSpans>,
    /// Spans with an error status, per service.
    pub error_spans: BTreeMap<String, u64>,
}

impl SpanMetrics {
    /// Spans of `service`, every operation together.
    pub fn service_spans(&self, service: &str) -> u64 {
        self.ops
            .iter()
            .filter(|((s, _), _)| s == service)
            .map(|(_, o)| o.spans)
            .sum()
    }
}
