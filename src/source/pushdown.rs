//! Aggregates a source may compute itself rather than ship every span to the client: a
//! database answers `stats` over ten million rows with one `GROUP BY`. A source that cannot
//! returns None from [`super::backend::TraceSource::stats`] and the caller aggregates the
//! traces in memory; [`compute_stats`] is that computation, and the reference the pushed-down
//! SQL is tested against.

use serde::Serialize;

use super::search::StatusFilter;
use crate::analysis::stats::percentile_cont;
use crate::model::{Span, Trace};

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
}

impl StatsQuery {
    /// Whether the span passes every filter.
    pub fn matches(&self, s: &Span) -> bool {
        self.service.as_ref().is_none_or(|x| &s.service == x)
            && self.operation.as_ref().is_none_or(|x| &s.operation == x)
            && self.start_ns.is_none_or(|t| s.start_ns >= t)
            && self.end_ns.is_none_or(|t| s.start_ns <= t)
            && self.min_duration_ns.is_none_or(|d| s.duration_ns >= d)
            && match self.status {
                Some(StatusFilter::Error) => s.is_error(),
                Some(StatusFilter::Ok) => !s.is_error(),
                None => true,
            }
    }
}

/// The stats of the spans of `traces` that `q` selects, rows ordered by count (descending),
/// then service and operation: the in-memory path, and the reference for pushed-down SQL.
pub fn compute_stats(traces: &[Trace], q: &StatsQuery) -> Vec<OperationStats> {
    use std::collections::BTreeMap;
    type Key = (Option<String>, Option<String>);
    let mut groups: BTreeMap<Key, (Vec<i64>, u64)> = BTreeMap::new();
    for s in traces
        .iter()
        .flat_map(|t| &t.spans)
        .filter(|s| q.matches(s))
    {
        let key = match q.group_by {
            StatsGroup::Operation => (Some(s.service.clone()), Some(s.operation.clone())),
            StatsGroup::Service => (Some(s.service.clone()), None),
            StatsGroup::All => (None, None),
        };
        let entry = groups.entry(key).or_default();
        entry.0.push(s.duration_ns);
        entry.1 += u64::from(s.is_error());
    }
    let mut rows: Vec<OperationStats> = groups
        .into_iter()
        .map(|((service, operation), (mut d, errors))| {
            d.sort_unstable();
            let count = d.len() as u64;
            let ms = |ns: f64| ns / 1e6;
            let p = |q: f64| percentile_cont(&d, q).map_or(f64::NAN, ms);
            OperationStats {
                service,
                operation,
                count,
                error_count: errors,
                error_rate: errors as f64 / count.max(1) as f64,
                avg_ms: ms(d.iter().map(|&v| v as f64).sum::<f64>() / count.max(1) as f64),
                p50_ms: p(0.5),
                p95_ms: p(0.95),
                p99_ms: p(0.99),
                max_ms: d.last().map_or(0.0, |&v| ms(v as f64)),
            }
        })
        .collect();
    sort_rows(&mut rows);
    rows
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::StatusCode;

    #[test]
    fn groups_filters_and_orders() {
        let mut spans = Vec::new();
        for (i, (svc, op, ms, err)) in [
            ("a", "x", 10, false),
            ("a", "x", 30, true),
            ("a", "y", 5, false),
            ("b", "z", 100, false),
            ("a", "x", 20, false),
        ]
        .into_iter()
        .enumerate()
        {
            let mut s = Span {
                span_id: i.to_string(),
                service: svc.into(),
                operation: op.into(),
                start_ns: i as i64,
                duration_ns: ms * 1_000_000,
                ..Span::default()
            };
            if err {
                s.status.code = StatusCode::Error;
            }
            spans.push(s);
        }
        let mut t = Trace::new("t".into());
        t.spans = spans;
        let traces = [t];
        let rows = compute_stats(&traces, &StatsQuery::default());
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[0].operation.as_deref(), Some("x"));
        assert_eq!((rows[0].count, rows[0].error_count), (3, 1));
        assert!((rows[0].avg_ms - 20.0).abs() < 1e-9);
        assert_eq!((rows[0].p50_ms, rows[0].max_ms), (20.0, 30.0));
        let by_service = compute_stats(
            &traces,
            &StatsQuery {
                group_by: StatsGroup::Service,
                min_duration_ns: Some(10_000_000),
                ..StatsQuery::default()
            },
        );
        assert_eq!(by_service.len(), 2);
        assert_eq!(
            (by_service[0].service.as_deref(), by_service[0].count),
            (Some("a"), 3)
        );
        let errors = compute_stats(
            &traces,
            &StatsQuery {
                status: Some(StatusFilter::Error),
                group_by: StatsGroup::All,
                ..StatsQuery::default()
            },
        );
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].count, errors[0].error_rate), (1, 1.0));
    }
}
