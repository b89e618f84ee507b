//! Cohort comparison: where two groups of traces spend their critical-path time, per
//! `service.operation`, and the critical-path chains as folded stacks for a differential
//! flame graph (CRISP's idea, without a profiler). Pure: no I/O.

use std::collections::BTreeMap;

use crate::model::IndexedTrace;

use super::critical_path::critical_path;
use super::self_time::self_times;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct OperationRow {
    pub service: String,
    pub operation: String,
    /// Share of the cohort's total trace time this operation spends on the critical path.
    pub a_share: f64,
    pub b_share: f64,
    /// Critical-path and self time per trace, in ms.
    pub a_cp_ms: f64,
    pub b_cp_ms: f64,
    pub a_self_ms: f64,
    pub b_self_ms: f64,
    pub in_a: bool,
    pub in_b: bool,
}

impl OperationRow {
    /// `both`, `only_a` (new in A) or `only_b` (missing from A).
    pub fn presence(&self) -> &'static str {
        match (self.in_a, self.in_b) {
            (true, false) => "only_a",
            (false, true) => "only_b",
            _ => "both",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct CohortComparison {
    pub a_traces: usize,
    pub b_traces: usize,
    pub a_mean_ms: f64,
    pub b_mean_ms: f64,
    /// Largest change of critical-path share first.
    pub rows: Vec<OperationRow>,
    /// Folded critical-path stacks, `frame;frame` → mean µs per trace.
    pub a_folded: BTreeMap<String, u64>,
    pub b_folded: BTreeMap<String, u64>,
}

#[derive(Default)]
struct Side {
    traces: usize,
    total_ns: f64,
    cp_ns: BTreeMap<(String, String), f64>,
    self_ns: BTreeMap<(String, String), f64>,
    stacks: BTreeMap<String, f64>,
}

/// A frame name safe for the folded format and the SVG: `;` separates frames and a newline
/// ends a line, so both (and every control character) become `_`; very long names are cut.
pub fn frame_name(service: &str, operation: &str) -> String {
    let raw = format!("{service}:{operation}");
    let mut s: String = raw
        .chars()
        .map(|c| if c == ';' || c.is_control() { '_' } else { c })
        .take(200)
        .collect();
    s = s.trim().to_string();
    if s.is_empty() {
        s.push('?');
    }
    s
}

fn side(traces: &[&IndexedTrace]) -> Side {
    let mut out = Side::default();
    for t in traces {
        let spans = &t.trace.spans;
        if spans.is_empty() {
            continue;
        }
        out.traces += 1;
        out.total_ns += t.trace.duration_ns().max(0) as f64;
        let cp = critical_path(t);
        let st = self_times(t);
        for (i, s) in spans.iter().enumerate() {
            let key = (s.service.clone(), s.operation.clone());
            *out.self_ns.entry(key.clone()).or_default() += st.get(i).copied().unwrap_or(0) as f64;
            *out.cp_ns.entry(key).or_default() += cp.on_path_ns.get(i).copied().unwrap_or(0) as f64;
        }
        for seg in &cp.segments {
            // The chain from the root to the span holding this stretch of the critical path.
            let mut chain = Vec::new();
            let mut cur = Some(seg.span);
            while let Some(i) = cur {
                if chain.len() > 10_000 {
                    break; // a cut cycle cannot loop here, but a bound costs nothing
                }
                if let Some(s) = spans.get(i) {
                    chain.push(frame_name(&s.service, &s.operation));
                }
                cur = t.tree.parent.get(i).copied().flatten();
            }
            chain.reverse();
            *out.stacks.entry(chain.join(";")).or_default() +=
                (seg.end_ns - seg.start_ns).max(0) as f64;
        }
    }
    out
}

fn per_trace_us(stacks: &BTreeMap<String, f64>, n: usize) -> BTreeMap<String, u64> {
    stacks
        .iter()
        .filter_map(|(k, ns)| {
            let us = (ns / 1e3 / n.max(1) as f64).round();
            (us >= 1.0).then(|| (k.clone(), us as u64))
        })
        .collect()
}

/// Compare cohort A with cohort B.
pub fn compare(a: &[&IndexedTrace], b: &[&IndexedTrace]) -> CohortComparison {
    let (sa, sb) = (side(a), side(b));
    let mut keys: Vec<&(String, String)> = sa.cp_ns.keys().chain(sb.cp_ns.keys()).collect();
    keys.sort();
    keys.dedup();
    let frac = |v: f64, total: f64| if total > 0.0 { v / total } else { 0.0 };
    let per = |v: f64, n: usize| v / 1e6 / n.max(1) as f64;
    let mut rows: Vec<OperationRow> = keys
        .into_iter()
        .map(|k| {
            let get = |m: &BTreeMap<(String, String), f64>| m.get(k).copied().unwrap_or(0.0);
            OperationRow {
                service: k.0.clone(),
                operation: k.1.clone(),
                a_share: frac(get(&sa.cp_ns), sa.total_ns),
                b_share: frac(get(&sb.cp_ns), sb.total_ns),
                a_cp_ms: per(get(&sa.cp_ns), sa.traces),
                b_cp_ms: per(get(&sb.cp_ns), sb.traces),
                a_self_ms: per(get(&sa.self_ns), sa.traces),
                b_self_ms: per(get(&sb.self_ns), sb.traces),
                in_a: sa.cp_ns.contains_key(k),
                in_b: sb.cp_ns.contains_key(k),
            }
        })
        .collect();
    rows.sort_by(|x, y| {
        (y.a_share - y.b_share)
            .abs()
            .total_cmp(&(x.a_share - x.b_share).abs())
            .then_with(|| (&x.service, &x.operation).cmp(&(&y.service, &y.operation)))
    });
    CohortComparison {
        a_traces: sa.traces,
        b_traces: sb.traces,
        a_mean_ms: per(sa.total_ns, sa.traces),
        b_mean_ms: per(sb.total_ns, sb.traces),
        rows,
        a_folded: per_trace_us(&sa.stacks, sa.traces),
        b_folded: per_trace_us(&sb.stacks, sb.traces),
    }
}

/// The default cohorts: A = the slowest 5 % of traces (at least one), B = the median band
/// (45th to 55th percentile, at least one). Indices into `durations_ns`.
pub fn default_split(durations_ns: &[i64]) -> (Vec<usize>, Vec<usize>) {
    let n = durations_ns.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (durations_ns[i], i));
    if n == 0 {
        return (Vec::new(), Vec::new());
    }
    let slow = (n as f64 * 0.05).ceil().max(1.0) as usize;
    let a: Vec<usize> = order[n - slow.min(n)..].to_vec();
    let lo = (n as f64 * 0.45).floor() as usize;
    let hi = ((n as f64 * 0.55).ceil() as usize).clamp(lo + 1, n);
    let b: Vec<usize> = order[lo.min(n - 1)..hi].to_vec();
    (a, b)
}

/// Folded stack lines (`frame;frame count`), the input of inferno and flamegraph.pl.
pub fn folded_lines(stacks: &BTreeMap<String, u64>) -> String {
    stacks.iter().map(|(k, v)| format!("{k} {v}\n")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;

    /// api.get → db.query, with `extra` ms injected into db.query's own time, and a cache
    /// lookup only in the fast traces.
    fn request(i: i64, slow: bool) -> IndexedTrace {
        let q = 10 + i % 3 + if slow { 300 } else { 0 };
        let mut spans = vec![
            span_ms("r", None, "api.get", 0, q + 10),
            span_ms("q", Some("r"), "db.query", 5, q),
        ];
        if !slow {
            spans.push(span_ms("c", Some("r"), "cache.lookup", 1, 2));
        }
        indexed(spans)
    }

    #[test]
    fn finds_the_injected_difference() {
        let traces: Vec<IndexedTrace> = (0..40).map(|i| request(i, i % 10 == 0)).collect();
        let durations: Vec<i64> = traces.iter().map(|t| t.trace.duration_ns()).collect();
        let (a, b) = default_split(&durations);
        assert_eq!(a.len(), 2);
        assert!(
            a.iter().all(|&i| i % 10 == 0),
            "A must be the slow traces: {a:?}"
        );
        assert!(b.iter().all(|&i| i % 10 != 0));
        let pick = |ix: &[usize]| ix.iter().map(|&i| &traces[i]).collect::<Vec<_>>();
        let c = compare(&pick(&a), &pick(&b));
        let top = &c.rows[0];
        assert_eq!(
            (top.service.as_str(), top.operation.as_str()),
            ("db", "query")
        );
        assert!(top.a_share > 0.9 && top.b_share < 0.6, "{top:?}");
        assert!(top.a_self_ms > 300.0 && top.b_self_ms < 20.0, "{top:?}");
        let cache = c
            .rows
            .iter()
            .find(|r| r.service == "cache")
            .map(OperationRow::presence);
        assert_eq!(cache, Some("only_b"));
        // The critical-path chain of the slow query dominates A's stacks.
        assert!(
            c.a_folded
                .get("api:get;db:query")
                .is_some_and(|&us| us > 300_000),
            "{:?}",
            c.a_folded
        );
    }

    #[test]
    fn frame_names_cannot_break_the_folded_format() {
        assert_eq!(frame_name("a;b", "op\nx 1"), "a_b:op_x 1");
        assert_eq!(frame_name("", ""), ":");
        assert_eq!(frame_name(" ", "\u{7}"), ":_");
        assert_eq!(frame_name("s", &"x".repeat(500)).chars().count(), 200);
        assert_eq!(default_split(&[]), (vec![], vec![]));
        assert_eq!(default_split(&[5]), (vec![0], vec![0]));
    }
}
