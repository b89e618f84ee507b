//! Latency statistics across traces, per group (service, service.operation, or an attribute
//! value): count, error rate, mean, p50/p95/p99, max, self-time share, and outliers: spans
//! slower than 2× the p99 of their group, as the seed's `analyze_p99_latency` flags them.
//!
//! Traces are fed one at a time ([`StatsBuilder::add`]) and not kept; per group only the
//! durations are, as (duration, trace number) pairs — 16 bytes a span — up to
//! [`SAMPLE_CAP`] per group, beyond which a uniform reservoir sample stands in and the
//! result says it is approximate. Memory is therefore bounded whatever the number of traces.
//!
//! Percentiles are PostgreSQL's `percentile_cont` (linear interpolation between the two
//! nearest ranks: position p·(n−1) in the sorted values; numpy's default too), so a SQL
//! pushdown and this in-memory computation give the same numbers.

use std::collections::HashMap;

use crate::model::{IndexedTrace, Span};

use super::self_time::self_times;

/// Durations kept per group before sampling starts.
pub const SAMPLE_CAP: usize = 1 << 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GroupBy {
    Service,
    /// `service.operation` (the default).
    Operation,
    /// The value of a span (or resource) attribute; spans without it form `(none)`.
    Attr(String),
}

impl GroupBy {
    pub fn parse(s: &str) -> Result<GroupBy, String> {
        match s {
            "service" => Ok(GroupBy::Service),
            "operation" => Ok(GroupBy::Operation),
            _ => match s.strip_prefix("attr:") {
                Some(k) if !k.trim().is_empty() => Ok(GroupBy::Attr(k.trim().to_string())),
                _ => Err(format!(
                    "expected service, operation or attr:<key>, got '{s}'"
                )),
            },
        }
    }

    fn key(&self, s: &Span) -> String {
        match self {
            GroupBy::Service => s.service.to_string(),
            GroupBy::Operation => s.label(),
            GroupBy::Attr(k) => s
                .attr(k)
                .map_or_else(|| "(none)".to_string(), |v| v.as_text()),
        }
    }
}

/// Which spans count: with a service and/or operation given, only spans with them, so the
/// statistics are of the operation's own durations rather than of whole traces (as the
/// seed's `analyze_p99_latency` takes them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpanFilter {
    pub service: Option<String>,
    pub operation: Option<String>,
}

impl SpanFilter {
    fn keeps(&self, s: &Span) -> bool {
        self.service.as_ref().is_none_or(|x| s.service == x)
            && self.operation.as_ref().is_none_or(|x| s.operation == x)
    }
}

#[derive(Debug, Clone, Default)]
struct Acc {
    count: u64,
    errors: u64,
    sum_ns: i128,
    max_ns: i64,
    self_ns: i128,
    /// (duration, trace number), complete up to SAMPLE_CAP, then a reservoir sample.
    samples: Vec<(i64, u32)>,
}

/// Streaming accumulator: feed traces, then [`StatsBuilder::finish`].
#[derive(Debug, Clone)]
pub struct StatsBuilder {
    group_by: GroupBy,
    filter: SpanFilter,
    groups: HashMap<String, Acc>,
    trace_ids: Vec<String>,
    total_self_ns: i128,
    spans: u64,
    sampled: bool,
    rng: u64,
}

/// One group's numbers. Durations in ns (percentiles interpolate, hence f64).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupStats {
    pub key: String,
    pub count: u64,
    pub errors: u64,
    pub error_rate: f64,
    pub avg_ns: f64,
    pub p50_ns: f64,
    pub p95_ns: f64,
    pub p99_ns: f64,
    pub max_ns: i64,
    pub self_ns: i64,
    /// This group's self time over the self time of every span read (also of spans the
    /// filter left out), so it says how much of all the work happened here.
    pub self_share: f64,
}

/// A trace with a span slower than `factor` × its group's p99.
#[derive(Debug, Clone, PartialEq)]
pub struct Outlier {
    pub trace_id: String,
    pub key: String,
    pub duration_ns: i64,
    pub p99_ns: f64,
    pub ratio: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub group_by: GroupBy,
    /// Slowest p99 first.
    pub groups: Vec<GroupStats>,
    /// Largest ratio first; one entry per (trace, group), its slowest span.
    pub outliers: Vec<Outlier>,
    pub traces: usize,
    pub spans: u64,
    /// Percentiles come from a sample (some group had more than [`SAMPLE_CAP`] spans).
    pub approximate: bool,
}

/// `percentile_cont(p)` of sorted values: linear interpolation at position p·(n−1).
pub fn percentile_cont(sorted: &[i64], p: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 || !p.is_finite() {
        return None;
    }
    let pos = p.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    let (a, b) = (*sorted.get(lo)? as f64, *sorted.get(hi)? as f64);
    Some(a + (b - a) * (pos - lo as f64))
}

impl StatsBuilder {
    pub fn new(group_by: GroupBy, filter: SpanFilter) -> StatsBuilder {
        StatsBuilder {
            group_by,
            filter,
            groups: HashMap::new(),
            trace_ids: Vec::new(),
            total_self_ns: 0,
            spans: 0,
            sampled: false,
            rng: 0x9e37_79b9_7f4a_7c15,
        }
    }

    pub fn traces(&self) -> usize {
        self.trace_ids.len()
    }

    pub fn add(&mut self, t: &IndexedTrace) {
        let number = u32::try_from(self.trace_ids.len()).unwrap_or(u32::MAX);
        self.trace_ids.push(t.trace.id.clone());
        let self_ns = self_times(t);
        for (i, s) in t.trace.spans.iter().enumerate() {
            let own = self_ns.get(i).copied().unwrap_or(0);
            self.total_self_ns += i128::from(own);
            if !self.filter.keeps(s) {
                continue;
            }
            self.spans += 1;
            let dur = s.duration_ns.max(0);
            let acc = self.groups.entry(self.group_by.key(s)).or_default();
            acc.count += 1;
            acc.errors += u64::from(s.is_error());
            acc.sum_ns += i128::from(dur);
            acc.max_ns = acc.max_ns.max(dur);
            acc.self_ns += i128::from(own);
            if acc.samples.len() < SAMPLE_CAP {
                acc.samples.push((dur, number));
            } else {
                // Algorithm R: the k-th value replaces a random slot with probability cap/k.
                self.sampled = true;
                self.rng ^= self.rng << 13;
                self.rng ^= self.rng >> 7;
                self.rng ^= self.rng << 17;
                let slot = self.rng % acc.count;
                if let Some(v) = acc.samples.get_mut(slot as usize) {
                    *v = (dur, number);
                }
            }
        }
    }

    /// The statistics; `outlier_factor` lists spans slower than that many times their p99.
    pub fn finish(self, outlier_factor: Option<f64>) -> Stats {
        let total_self = self.total_self_ns;
        let mut groups = Vec::with_capacity(self.groups.len());
        let mut outliers = Vec::new();
        for (key, mut acc) in self.groups {
            acc.samples.sort_unstable();
            let sorted: Vec<i64> = acc.samples.iter().map(|&(d, _)| d).collect();
            let pct = |p| percentile_cont(&sorted, p).unwrap_or(0.0);
            let p99 = pct(0.99);
            if let Some(f) = outlier_factor {
                let limit = p99 * f;
                let mut worst: HashMap<u32, i64> = HashMap::new();
                for &(d, n) in acc.samples.iter().rev() {
                    if (d as f64) <= limit {
                        break; // sorted: nothing further down is slower
                    }
                    let w = worst.entry(n).or_insert(d);
                    *w = (*w).max(d);
                }
                for (n, d) in worst {
                    outliers.push(Outlier {
                        trace_id: self.trace_ids.get(n as usize).cloned().unwrap_or_default(),
                        key: key.clone(),
                        duration_ns: d,
                        p99_ns: p99,
                        ratio: if p99 > 0.0 {
                            d as f64 / p99
                        } else {
                            f64::INFINITY
                        },
                    });
                }
            }
            let count = acc.count.max(1) as f64;
            groups.push(GroupStats {
                count: acc.count,
                errors: acc.errors,
                error_rate: acc.errors as f64 / count,
                avg_ns: (acc.sum_ns as f64) / count,
                p50_ns: pct(0.5),
                p95_ns: pct(0.95),
                p99_ns: p99,
                max_ns: acc.max_ns,
                self_ns: i64::try_from(acc.self_ns).unwrap_or(i64::MAX),
                self_share: if total_self > 0 {
                    acc.self_ns as f64 / total_self as f64
                } else {
                    0.0
                },
                key,
            });
        }
        groups.sort_by(|a, b| b.p99_ns.total_cmp(&a.p99_ns).then(a.key.cmp(&b.key)));
        outliers.sort_by(|a, b| {
            b.ratio
                .total_cmp(&a.ratio)
                .then(a.trace_id.cmp(&b.trace_id))
                .then(a.key.cmp(&b.key))
        });
        Stats {
            group_by: self.group_by,
            groups,
            outliers,
            traces: self.trace_ids.len(),
            spans: self.spans,
            approximate: self.sampled,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::AttrValue;

    /// The textbook definition, written independently: the p-quantile is the value at
    /// fractional rank 1 + p·(n−1) (1-based) of the fully sorted data, interpolated.
    fn reference(values: &[i64], p: f64) -> f64 {
        let mut v: Vec<f64> = values.iter().map(|&x| x as f64).collect();
        // Insertion sort: slow and obviously right.
        for i in 1..v.len() {
            let mut j = i;
            while j > 0 && v[j - 1] > v[j] {
                v.swap(j - 1, j);
                j -= 1;
            }
        }
        let rank = 1.0 + p * (v.len() as f64 - 1.0);
        let below = rank.floor();
        let frac = rank - below;
        let k = below as usize; // 1-based
        if k >= v.len() {
            return v[v.len() - 1];
        }
        v[k - 1] + frac * (v[k] - v[k - 1])
    }

    #[test]
    fn percentiles_match_known_values() {
        let v: Vec<i64> = (1..=100).collect();
        // numpy.percentile(range(1, 101), [50, 95, 99]) and PostgreSQL percentile_cont.
        assert_eq!(percentile_cont(&v, 0.5), Some(50.5));
        assert!((percentile_cont(&v, 0.95).unwrap() - 95.05).abs() < 1e-9);
        assert!((percentile_cont(&v, 0.99).unwrap() - 99.01).abs() < 1e-9);
        assert_eq!(percentile_cont(&[1, 2, 3, 4], 0.5), Some(2.5));
        assert_eq!(percentile_cont(&[7], 0.99), Some(7.0));
        assert_eq!(percentile_cont(&[], 0.5), None);
    }

    #[test]
    fn percentiles_match_the_reference_on_generated_data() {
        let mut x: u64 = 0x1234_5678_9abc_def1;
        for round in 0..200 {
            let n = 1 + (round * 7) % 300;
            let values: Vec<i64> = (0..n)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Heavy-tailed like latencies: mostly small, sometimes huge.
                    let v = (x % 1_000_000) as i64;
                    if x % 50 == 0 {
                        v * 1000
                    } else {
                        v
                    }
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            for p in [0.0, 0.5, 0.95, 0.99, 1.0] {
                let got = percentile_cont(&sorted, p).unwrap();
                let want = reference(&values, p);
                assert!(
                    (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                    "round {round} p{p}: {got} vs {want}"
                );
            }
        }
    }

    fn trace_with(id: &str, modal_ms: i64, fail: bool) -> IndexedTrace {
        let mut m = span_ms("m", Some("r"), "modal.inference", 1, modal_ms);
        if fail {
            m = failed(m, "boom");
        }
        m = with_attr(
            m,
            "region",
            AttrValue::Str(if fail { "eu" } else { "us" }.into()),
        );
        let mut t = indexed(vec![span_ms("r", None, "router.call", 0, modal_ms + 2), m]);
        t.trace.id = id.into();
        t
    }

    #[test]
    fn groups_errors_self_time_and_outliers() {
        let mut b = StatsBuilder::new(GroupBy::Operation, SpanFilter::default());
        for i in 0..99 {
            b.add(&trace_with(&format!("t{i}"), 100, i % 10 == 0));
        }
        b.add(&trace_with("slow", 10_000, false));
        let s = b.finish(Some(2.0));
        assert_eq!(s.traces, 100);
        let modal = s
            .groups
            .iter()
            .find(|g| g.key == "modal.inference")
            .unwrap();
        assert_eq!(modal.count, 100);
        assert_eq!(modal.errors, 10);
        assert!((modal.error_rate - 0.1).abs() < 1e-12);
        assert_eq!(modal.max_ns, ms(10_000));
        assert_eq!(modal.p50_ns, ms(100) as f64);
        // p99 of 99×100ms and one 10s: position 98.01 → 100 + 0.01·9900 = 199ms.
        assert!((modal.p99_ns - ms(199) as f64).abs() < 1.0);
        let router = s.groups.iter().find(|g| g.key == "router.call").unwrap();
        let total = modal.self_share + router.self_share;
        assert!((total - 1.0).abs() < 1e-9);
        assert!(modal.self_share > 0.9);
        let keys: Vec<(&str, &str)> = s
            .outliers
            .iter()
            .map(|o| (o.trace_id.as_str(), o.key.as_str()))
            .collect();
        assert_eq!(
            keys,
            vec![("slow", "modal.inference"), ("slow", "router.call")]
        );

        let mut b = StatsBuilder::new(
            GroupBy::Attr("region".into()),
            SpanFilter {
                service: Some("modal".into()),
                operation: None,
            },
        );
        for i in 0..10 {
            b.add(&trace_with(&format!("t{i}"), 100, i < 3));
        }
        let s = b.finish(None);
        let keys: Vec<(&str, u64)> = s.groups.iter().map(|g| (g.key.as_str(), g.count)).collect();
        assert!(
            keys.contains(&("eu", 3)) && keys.contains(&("us", 7)),
            "{keys:?}"
        );
        assert_eq!(s.spans, 10);
    }

    #[test]
    fn group_by_parses() {
        assert_eq!(GroupBy::parse("service"), Ok(GroupBy::Service));
        assert_eq!(
            GroupBy::parse("attr:model_id"),
            Ok(GroupBy::Attr("model_id".into()))
        );
        assert!(GroupBy::parse("attr:").is_err());
        assert!(GroupBy::parse("host").is_err());
    }

    #[test]
    fn empty_input() {
        let s = StatsBuilder::new(GroupBy::Service, SpanFilter::default()).finish(Some(2.0));
        assert!(s.groups.is_empty() && s.outliers.is_empty());
    }
}
