//! Tempo's TraceQL metrics for window RCA: span counts and median durations per
//! `service.operation` and error spans per service, computed by Tempo's queriers over every
//! span of a range, so only a sample of traces has to be fetched.
//!
//! Three metrics queries per range, each asked of the instant API (`/api/metrics/query`,
//! one value per series over the whole range) and, where that route is missing (HTTP 404
//! on a Tempo that serves only ranges), of `/api/metrics/query_range` with one step as long
//! as the range. Answers are `tempopb.QueryInstantResponse` / `QueryRangeResponse` as
//! Tempo's frontend marshals them with `jsonpb`: camelCase keys, 64-bit integers as
//! strings, `labels` as OTLP `KeyValue`s.
//!
//! Anything but a complete answer is a reason to fetch traces instead, never an error: no
//! metrics API (404), metrics not enabled (Tempo answers "localblocks processor not found"
//! without the metrics-generator's local-blocks processor), any other failed status, a body
//! that is not the expected JSON, a partial answer, a timeout.

use serde::Deserialize;

use crate::model::span_metrics::SpanMetrics;

use super::http::{first_bytes, Response};
use super::tempo::Tempo;

/// Spans per `service.operation`.
const COUNT_BY_OP: &str = "{ } | count_over_time() by (resource.service.name, name)";
/// Median span duration per `service.operation`, in seconds.
const MEDIAN_BY_OP: &str =
    "{ } | quantile_over_time(duration, .5) by (resource.service.name, name)";
/// Error spans per service.
const ERRORS_BY_SERVICE: &str = "{ status = error } | count_over_time() by (resource.service.name)";

const SERVICE: &str = "resource.service.name";
const NAME: &str = "name";

/// A float as jsonpb writes a double: a number, or a string for NaN and infinities.
#[derive(Debug, Clone, Copy, Default)]
struct Float(f64);

impl<'de> Deserialize<'de> for Float {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Float, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(f64),
            S(String),
        }
        Ok(Float(match Raw::deserialize(d)? {
            Raw::N(n) => n,
            Raw::S(s) => s.trim().parse().unwrap_or(f64::NAN),
        }))
    }
}

/// An OTLP `AnyValue` as a label value: only strings name services and operations.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AnyValue {
    #[serde(default)]
    string_value: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Label {
    key: String,
    #[serde(default)]
    value: Option<AnyValue>,
}

#[derive(Debug, Deserialize)]
struct Sample {
    #[serde(default)]
    value: Float,
}

/// A series of either answer: instant series carry `value`, range series `samples`.
#[derive(Debug, Deserialize)]
struct Series {
    #[serde(default)]
    labels: Vec<Label>,
    #[serde(default)]
    value: Option<Float>,
    #[serde(default)]
    samples: Vec<Sample>,
}

#[derive(Debug, Deserialize)]
struct Answer {
    #[serde(default)]
    series: Vec<Series>,
    /// `PARTIAL` when Tempo gave up on part of the data (series limit, failed jobs).
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// One series as `(service, operation, values)`; a label the query did not group by is "".
type Row = (String, String, Vec<f64>);

impl Series {
    fn label(&self, key: &str) -> String {
        self.labels
            .iter()
            .find(|l| l.key == key)
            .and_then(|l| l.value.as_ref())
            .and_then(|v| v.string_value.clone())
            .unwrap_or_default()
    }

    fn values(&self) -> Vec<f64> {
        let all: Vec<f64> = match self.value {
            Some(v) => vec![v.0],
            None => self.samples.iter().map(|s| s.value.0).collect(),
        };
        all.into_iter().filter(|v| v.is_finite()).collect()
    }
}

/// Why the store did not aggregate, for `coverage.fallback`.
fn not_enabled(detail: &str) -> Option<String> {
    let lower = detail.to_ascii_lowercase();
    let off = lower.contains("localblocks processor not found")
        || lower.contains("local-blocks")
        || lower.contains("local blocks")
        || lower.contains("metrics generator")
        || lower.contains("metrics-generator")
        || (lower.contains("metrics") && lower.contains("not enabled"));
    off.then(|| {
        format!(
            "TraceQL metrics are not enabled on this Tempo (they need the metrics-generator's local-blocks processor): {detail}"
        )
    })
}

impl Tempo {
    /// [`SpanMetrics`] of the spans starting in `[start_ns, end_ns)`, or why not.
    pub(super) fn traceql_metrics(
        &self,
        start_ns: i64,
        end_ns: i64,
    ) -> Result<SpanMetrics, String> {
        let mut m = SpanMetrics::default();
        for (svc, op, v) in self.metrics_query(COUNT_BY_OP, start_ns, end_ns)? {
            let n = v.iter().sum::<f64>().max(0.0).round() as u64;
            m.spans += n;
            if !svc.is_empty() || !op.is_empty() {
                m.ops.entry((svc, op)).or_default().spans += n;
            }
        }
        for (svc, op, v) in self.metrics_query(MEDIAN_BY_OP, start_ns, end_ns)? {
            if v.is_empty() {
                continue;
            }
            // One step covers the range; a range query may split it over two steps, whose
            // medians are averaged.
            let secs = v.iter().sum::<f64>() / v.len() as f64;
            m.ops.entry((svc, op)).or_default().median_ms = Some(secs * 1000.0);
        }
        for (svc, _, v) in self.metrics_query(ERRORS_BY_SERVICE, start_ns, end_ns)? {
            let n = v.iter().sum::<f64>().max(0.0).round() as u64;
            *m.error_spans.entry(svc).or_default() += n;
        }
        Ok(m)
    }

    /// One metrics query over the range, instant first, then as a one-step range query
    /// where the instant route is missing.
    fn metrics_query(&self, q: &str, start_ns: i64, end_ns: i64) -> Result<Vec<Row>, String> {
        let mut params = vec![
            ("q", q.to_string()),
            ("start", start_ns.to_string()),
            ("end", end_ns.to_string()),
        ];
        let r = self.metrics_get(&["api", "metrics", "query"], &params)?;
        let r = if r.status.as_u16() == 404 && not_enabled(&first_bytes(&r.body)).is_none() {
            let step_s = ((end_ns - start_ns).max(1_000_000_000) / 1_000_000_000).to_string();
            params.push(("step", format!("{step_s}s")));
            self.metrics_get(&["api", "metrics", "query_range"], &params)?
        } else {
            r
        };
        if !r.is_success() {
            let detail = first_bytes(&r.body);
            if let Some(why) = not_enabled(&detail) {
                return Err(why);
            }
            return Err(if r.status.as_u16() == 404 {
                format!(
                    "Tempo has no TraceQL metrics API ({} answered HTTP 404)",
                    r.url
                )
            } else {
                format!(
                    "Tempo's TraceQL metrics query failed ({} answered HTTP {}: {detail})",
                    r.url,
                    r.status.as_u16()
                )
            });
        }
        let answer: Answer = r
            .json(self.http.server())
            .map_err(|e| format!("Tempo's TraceQL metrics answer could not be read ({e})"))?;
        if answer
            .status
            .as_deref()
            .is_some_and(|s| s.eq_ignore_ascii_case("PARTIAL"))
        {
            return Err(format!(
                "Tempo's TraceQL metrics answer at {} is partial ({})",
                r.url,
                answer.message.as_deref().unwrap_or("no reason given")
            ));
        }
        Ok(answer
            .series
            .iter()
            .map(|s| (s.label(SERVICE), s.label(NAME), s.values()))
            .collect())
    }

    /// GET a metrics route; a request that gets no response (timeout, refused, a server
    /// error that outlasted the retries) is a reason, not an error.
    fn metrics_get(
        &self,
        segments: &[&str],
        params: &[(&str, String)],
    ) -> Result<Response, String> {
        let url = self.http.endpoint(segments, params);
        self.http.get(&url).map_err(|e| {
            let m = e.to_string();
            not_enabled(&m).unwrap_or_else(|| format!("Tempo's TraceQL metrics query failed: {m}"))
        })
    }
}
