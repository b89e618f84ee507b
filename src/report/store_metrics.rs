//! What a store computed over every span of the window and the baseline (Tempo's TraceQL
//! metrics): median span duration per `service.operation` and error spans per service, the
//! largest changes first. Shown beside the ranking, which the fetched sample computes.

use serde::Serialize;

use crate::model::span_metrics::SpanMetrics;

/// Operations and services shown in the text sentence.
const TOP_IN_TEXT: usize = 3;

fn round(v: f64) -> f64 {
    let r = (v * 1000.0).round() / 1000.0;
    if r.is_finite() {
        r
    } else {
        0.0
    }
}

/// `store_metrics` in `root-cause --window --format json`.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct StoreMetricsDoc {
    /// Spans the store counted in the window and in the baseline.
    pub window_spans: u64,
    pub baseline_spans: u64,
    /// Per `service.operation`, the largest rise of the median span duration first.
    pub operations: Vec<OperationMetricsDoc>,
    /// Per service, the largest rise of the error-span share first.
    pub error_spans: Vec<ServiceErrorsDoc>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OperationMetricsDoc {
    pub service: String,
    pub operation: String,
    pub window_spans: u64,
    pub baseline_spans: u64,
    /// Median span duration (the span's whole duration, children included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window_median_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline_median_ms: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ServiceErrorsDoc {
    pub service: String,
    pub window_error_spans: u64,
    pub baseline_error_spans: u64,
    /// Error spans per span of the service (0..1).
    pub window_error_share: f64,
    pub baseline_error_share: f64,
}

impl OperationMetricsDoc {
    fn rise_ms(&self) -> f64 {
        match (self.window_median_ms, self.baseline_median_ms) {
            (Some(w), Some(b)) => w - b,
            _ => f64::NEG_INFINITY,
        }
    }
}

impl StoreMetricsDoc {
    pub fn new(window: &SpanMetrics, baseline: &SpanMetrics) -> StoreMetricsDoc {
        let keys: std::collections::BTreeSet<&(String, String)> =
            window.ops.keys().chain(baseline.ops.keys()).collect();
        let mut operations: Vec<OperationMetricsDoc> = keys
            .into_iter()
            .map(|k| {
                let (w, b) = (window.ops.get(k), baseline.ops.get(k));
                OperationMetricsDoc {
                    service: k.0.clone(),
                    operation: k.1.clone(),
                    window_spans: w.map_or(0, |o| o.spans),
                    baseline_spans: b.map_or(0, |o| o.spans),
                    window_median_ms: w.and_then(|o| o.median_ms).map(round),
                    baseline_median_ms: b.and_then(|o| o.median_ms).map(round),
                }
            })
            .collect();
        operations.sort_by(|a, b| {
            b.rise_ms()
                .total_cmp(&a.rise_ms())
                .then_with(|| (&a.service, &a.operation).cmp(&(&b.service, &b.operation)))
        });
        let services: std::collections::BTreeSet<&String> = window
            .error_spans
            .keys()
            .chain(baseline.error_spans.keys())
            .collect();
        let share = |m: &SpanMetrics, s: &str| {
            let n = m.error_spans.get(s).copied().unwrap_or(0);
            (n, round(n as f64 / m.service_spans(s).max(1) as f64))
        };
        let mut error_spans: Vec<ServiceErrorsDoc> = services
            .into_iter()
            .map(|s| {
                let (wn, ws) = share(window, s);
                let (bn, bs) = share(baseline, s);
                ServiceErrorsDoc {
                    service: s.clone(),
                    window_error_spans: wn,
                    baseline_error_spans: bn,
                    window_error_share: ws,
                    baseline_error_share: bs,
                }
            })
            .collect();
        error_spans.sort_by(|a, b| {
            (b.window_error_share - b.baseline_error_share)
                .total_cmp(&(a.window_error_share - a.baseline_error_share))
                .then_with(|| a.service.cmp(&b.service))
        });
        StoreMetricsDoc {
            window_spans: window.spans,
            baseline_spans: baseline.spans,
            operations,
            error_spans,
        }
    }

    /// One sentence for text outputs: the operations whose median rose most and the
    /// services whose error share rose most.
    pub fn sentence(&self) -> String {
        let slower: Vec<String> = self
            .operations
            .iter()
            .filter(|o| o.rise_ms() > 0.0)
            .take(TOP_IN_TEXT)
            .map(|o| {
                format!(
                    "{}.{} {:.1} → {:.1} ms",
                    o.service,
                    o.operation,
                    o.baseline_median_ms.unwrap_or(0.0),
                    o.window_median_ms.unwrap_or(0.0)
                )
            })
            .collect();
        let failing: Vec<String> = self
            .error_spans
            .iter()
            .filter(|e| e.window_error_share > e.baseline_error_share)
            .take(TOP_IN_TEXT)
            .map(|e| {
                format!(
                    "{} {} → {} ({:.1}% → {:.1}% of its spans)",
                    e.service,
                    e.baseline_error_spans,
                    e.window_error_spans,
                    e.baseline_error_share * 100.0,
                    e.window_error_share * 100.0
                )
            })
            .collect();
        let or_none = |v: Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        format!(
            "In the store, over {} window and {} baseline spans: median span duration rose most for {}; error spans rose most in {}.",
            self.window_spans,
            self.baseline_spans,
            or_none(slower),
            or_none(failing)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::span_metrics::OpSpans;

    fn metrics(ops: &[(&str, &str, u64, f64)], errors: &[(&str, u64)]) -> SpanMetrics {
        let mut m = SpanMetrics::default();
        for &(s, o, n, med) in ops {
            m.spans += n;
            m.ops.insert(
                (s.into(), o.into()),
                OpSpans {
                    spans: n,
                    median_ms: Some(med),
                },
            );
        }
        for &(s, n) in errors {
            m.error_spans.insert(s.into(), n);
        }
        m
    }

    #[test]
    fn largest_rises_come_first() {
        let b = metrics(
            &[("pay", "charge", 100, 10.0), ("db", "query", 200, 2.0)],
            &[("pay", 1)],
        );
        let w = metrics(
            &[("pay", "charge", 100, 50.0), ("db", "query", 200, 2.5)],
            &[("pay", 20), ("db", 2)],
        );
        let d = StoreMetricsDoc::new(&w, &b);
        assert_eq!(d.operations[0].operation, "charge");
        assert_eq!(d.operations[0].window_median_ms, Some(50.0));
        assert_eq!(d.error_spans[0].service, "pay");
        assert_eq!(d.error_spans[0].window_error_share, 0.2);
        assert_eq!(d.error_spans[0].baseline_error_share, 0.01);
        assert_eq!(
            d.sentence(),
            "In the store, over 300 window and 300 baseline spans: median span duration rose most for pay.charge 10.0 → 50.0 ms, db.query 2.0 → 2.5 ms; error spans rose most in pay 1 → 20 (1.0% → 20.0% of its spans), db 0 → 2 (0.0% → 1.0% of its spans)."
        );
    }
}
