//! Which attribute values a selection of traces shares: for every service and attribute key
//! (span and resource), the share of selected traces whose spans of that service carry each
//! value, against the share among baseline traces — "v2.3 of checkout is in 80 % of the slow
//! requests and 10 % of the others". Honeycomb's BubbleUp and Grafana's Traces Drilldown
//! answer this; here it is local and tested for significance. Pure: no I/O.
//!
//! The unit is the trace, not the span: spans of one request are not independent (a slow
//! request with forty spans of one pod would count forty times), and the tests below assume
//! independent units. Each value is tested with Fisher's exact test on its 2×2 table, and the
//! Benjamini–Hochberg procedure across every key and value tested bounds the share of false
//! discoveries at `alpha`.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{AttrValue, IndexedTrace};

/// How the comparison is bounded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AttributeOptions {
    /// A key with more distinct values than this (per service) is an identifier, a
    /// timestamp or a free text, and is left out.
    pub max_values: usize,
    /// The false discovery rate controlled across all tests.
    pub alpha: f64,
}

impl Default for AttributeOptions {
    fn default() -> AttributeOptions {
        AttributeOptions {
            max_values: 20,
            alpha: 0.05,
        }
    }
}

/// One value of one key of one service.
#[derive(Debug, Clone, PartialEq)]
pub struct AttributeRow {
    pub service: String,
    pub key: String,
    pub value: String,
    /// Selected traces whose spans of `service` carry `key = value`.
    pub a_with: usize,
    /// Selected traces whose spans of `service` carry `key` at all.
    pub a_total: usize,
    pub b_with: usize,
    pub b_total: usize,
    pub a_share: f64,
    pub b_share: f64,
    /// `a_share − b_share`: how much more often the selection carries the value.
    pub difference: f64,
    /// Fisher's exact test, two-sided.
    pub p_value: f64,
    /// Benjamini–Hochberg adjusted p-value across every test made.
    pub q_value: f64,
    pub significant: bool,
}

/// A key left out, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct ExcludedKey {
    pub service: String,
    pub key: String,
    pub distinct_values: usize,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AttributeComparison {
    pub a_traces: usize,
    pub b_traces: usize,
    /// Values more frequent in the selection than in the baseline: significant ones first,
    /// then by `difference`, largest first.
    pub rows: Vec<AttributeRow>,
    /// How many (service, key, value) tests were made (the BH family).
    pub tests: usize,
    pub alpha: f64,
    /// Keys with too many values to compare, per service.
    pub excluded: Vec<ExcludedKey>,
}

/// One side of a comparison: (service, key) → value → traces carrying it; and (service,
/// key) → traces carrying the key.
#[derive(Debug, Default)]
pub struct AttributeCounts {
    traces: usize,
    with: BTreeMap<(String, String), BTreeMap<String, usize>>,
    total: BTreeMap<(String, String), usize>,
}

impl AttributeCounts {
    fn of(traces: &[&IndexedTrace]) -> AttributeCounts {
        let mut side = AttributeCounts::default();
        for t in traces {
            side.add(t);
        }
        side
    }

    /// Count what `t` carries: a trace at a time, so that a caller need not hold every
    /// trace at once.
    pub fn add(&mut self, t: &IndexedTrace) {
        self.traces += 1;
        // Each trace counts once per (service, key, value), however many spans carry it.
        let mut seen: BTreeMap<(&str, &str), BTreeSet<String>> = BTreeMap::new();
        for s in t.trace.spans.iter() {
            for (k, v) in s.attributes_and_scope().chain(s.resource()) {
                if let Some(text) = comparable(v) {
                    seen.entry((&s.service, k)).or_default().insert(text);
                }
            }
        }
        for ((service, key), values) in seen {
            let id = (service.to_string(), key.to_string());
            *self.total.entry(id.clone()).or_default() += 1;
            let counts = self.with.entry(id).or_default();
            for v in values {
                *counts.entry(v).or_default() += 1;
            }
        }
    }
}

/// Scalar values only: lists and long texts (stack traces, SQL) are not categories.
fn comparable(v: &AttrValue) -> Option<String> {
    match v {
        AttrValue::List(_) => None,
        AttrValue::Str(s) if s.chars().count() > 120 => None,
        _ => Some(v.as_text()),
    }
}

/// Compare the attribute values of selection `a` with baseline `b`.
pub fn compare_attributes(
    a: &[&IndexedTrace],
    b: &[&IndexedTrace],
    opts: &AttributeOptions,
) -> AttributeComparison {
    compare_counts(&AttributeCounts::of(a), &AttributeCounts::of(b), opts)
}

/// [`compare_attributes`] from what each side's traces carried, counted a trace at a time
/// ([`AttributeCounts::add`]).
pub fn compare_counts(
    sa: &AttributeCounts,
    sb: &AttributeCounts,
    opts: &AttributeOptions,
) -> AttributeComparison {
    let keys: BTreeSet<&(String, String)> = sa.total.keys().chain(sb.total.keys()).collect();
    let logf = LogFactorials::new(sa.traces + sb.traces);
    let mut rows = Vec::new();
    let mut excluded = Vec::new();
    let empty = BTreeMap::new();
    for id in keys {
        let (wa, wb) = (
            sa.with.get(id).unwrap_or(&empty),
            sb.with.get(id).unwrap_or(&empty),
        );
        let values: BTreeSet<&String> = wa.keys().chain(wb.keys()).collect();
        if values.len() > opts.max_values {
            excluded.push(ExcludedKey {
                service: id.0.clone(),
                key: id.1.clone(),
                distinct_values: values.len(),
            });
            continue;
        }
        // One value everywhere tells nothing apart.
        if values.len() < 2 {
            continue;
        }
        let (a_total, b_total) = (
            sa.total.get(id).copied().unwrap_or(0),
            sb.total.get(id).copied().unwrap_or(0),
        );
        for v in values {
            let (a_with, b_with) = (
                wa.get(v).copied().unwrap_or(0),
                wb.get(v).copied().unwrap_or(0),
            );
            rows.push(row(id, v, (a_with, a_total), (b_with, b_total), &logf));
        }
    }
    let tests = rows.len();
    adjust(&mut rows, opts.alpha);
    rows.retain(|r| r.difference > 0.0);
    rows.sort_by(|x, y| {
        y.significant
            .cmp(&x.significant)
            .then(y.difference.total_cmp(&x.difference))
            .then(x.q_value.total_cmp(&y.q_value))
            .then_with(|| (&x.service, &x.key, &x.value).cmp(&(&y.service, &y.key, &y.value)))
    });
    AttributeComparison {
        a_traces: sa.traces,
        b_traces: sb.traces,
        rows,
        tests,
        alpha: opts.alpha,
        excluded,
    }
}

fn row(
    id: &(String, String),
    value: &str,
    (a_with, a_total): (usize, usize),
    (b_with, b_total): (usize, usize),
    logf: &LogFactorials,
) -> AttributeRow {
    let share = |w: usize, n: usize| if n == 0 { 0.0 } else { w as f64 / n as f64 };
    let (a_share, b_share) = (share(a_with, a_total), share(b_with, b_total));
    AttributeRow {
        service: id.0.clone(),
        key: id.1.clone(),
        value: value.to_string(),
        a_with,
        a_total,
        b_with,
        b_total,
        a_share,
        b_share,
        difference: a_share - b_share,
        p_value: fisher_two_sided(a_with, a_total - a_with, b_with, b_total - b_with, logf),
        q_value: 1.0,
        significant: false,
    }
}

/// Benjamini–Hochberg: q_(i) = min over j ≥ i of p_(j)·m/j; significant when q ≤ alpha.
fn adjust(rows: &mut [AttributeRow], alpha: f64) {
    let m = rows.len();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&x, &y| rows[x].p_value.total_cmp(&rows[y].p_value));
    let mut running = 1.0f64;
    for (rank, &i) in order.iter().enumerate().rev() {
        let q = (rows[i].p_value * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(q);
        rows[i].q_value = running;
        rows[i].significant = running <= alpha;
    }
}

/// ln(n!) for n up to a bound, summed once.
struct LogFactorials(Vec<f64>);

impl LogFactorials {
    fn new(n: usize) -> LogFactorials {
        let mut v = Vec::with_capacity(n + 1);
        v.push(0.0);
        for i in 1..=n {
            v.push(v[i - 1] + (i as f64).ln());
        }
        LogFactorials(v)
    }

    fn get(&self, n: usize) -> f64 {
        self.0.get(n).copied().unwrap_or_else(|| {
            // Beyond the table (not reached by the callers): Stirling's series.
            let x = n as f64;
            x * x.ln() - x + 0.5 * (2.0 * std::f64::consts::PI * x).ln()
        })
    }
}

/// Fisher's exact test on [[a, b], [c, d]], two-sided: the probability of tables with the
/// same margins no likelier than the one observed.
fn fisher_two_sided(a: usize, b: usize, c: usize, d: usize, lf: &LogFactorials) -> f64 {
    let (r1, r2, c1) = (a + b, c + d, a + c);
    let n = r1 + r2;
    if r1 == 0 || r2 == 0 || c1 == 0 || c1 == n {
        return 1.0;
    }
    let fixed = lf.get(r1) + lf.get(r2) + lf.get(c1) + lf.get(n - c1) - lf.get(n);
    let p_of = |x: usize| {
        (fixed - lf.get(x) - lf.get(r1 - x) - lf.get(c1 - x) - lf.get(r2 + x - c1)).exp()
    };
    let observed = p_of(a);
    let lo = c1.saturating_sub(r2);
    let hi = r1.min(c1);
    let total: f64 = (lo..=hi)
        .map(p_of)
        .filter(|&p| p <= observed * (1.0 + 1e-7))
        .sum();
    total.min(1.0)
}

#[cfg(test)]
mod tests;
