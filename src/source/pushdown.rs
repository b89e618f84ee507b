//! Aggregates a source may compute itself rather than ship every span to the client: a
//! database answers `stats` over ten million rows with one `GROUP BY`. A source that cannot
//! returns None from [`super::backend::TraceSource::stats`] and the caller aggregates the
//! traces in memory.

use serde::Serialize;

use super::search::StatusFilter;

/// How spans are grouped into rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatsGroup {
    /// One row per service and operation.
    #[default]
    Operation,
    /// One row per service.
    Service,
    /// One row for everything that matched.
    All,
}

/// Which spans to aggregate. Every filter applies to the span itself; times are ns since the
/// epoch and bound the span's start.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct StatsQuery {
    pub service: Option<String>,
    pub operation: Option<String>,
    pub start_ns: Option<i64>,
    pub end_ns: Option<i64>,
    /// Only error spans, or only spans without an error.
    pub status: Option<StatusFilter>,
    pub min_duration_ns: Option<i64>,
    pub group_by: StatsGroup,
}

/// One row of `stats`. Durations in milliseconds; percentiles interpolate linearly between
/// the closest ranks, as SQL's `percentile_cont` does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationStats {
    /// None when grouped by nothing.
    pub service: Option<String>,
    /// None unless grouped by operation.
    pub operation: Option<String>,
    pub count: u64,
    pub error_count: u64,
    /// error_count / count.
    pub error_rate: f64,
    pub avg_ms: f64,
    pub p50_ms: f64,
    pub p95_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// The lower quartile: the spread below the median, which slow outliers cannot inflate
    /// (a baseline's typical range, see `analysis::baseline`).
    pub p25_ms: f64,
}

/// The documented row order, shared by every implementation so their outputs compare equal.
pub fn sort_rows(rows: &mut [OperationStats]) {
    rows.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.service.cmp(&b.service))
            .then_with(|| a.operation.cmp(&b.operation))
    });
}
