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

/// Frames kept of a critical-path chain, from the root. Time of spans deeper than this is
/// drawn under one last [`DEEPER_FRAME`]: a flame graph of deeper stacks is not readable,
/// and writing out every span's full chain is quadratic on a deep trace.
pub const MAX_STACK_FRAMES: usize = 128;

/// The frame standing for the spans below [`MAX_STACK_FRAMES`].
pub const DEEPER_FRAME: &str = "…deeper spans";

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
            let key = (s.service.to_string(), s.operation.to_string());
            *out.self_ns.entry(key.clone()).or_default() += st.get(i).copied().unwrap_or(0) as f64;
            *out.cp_ns.entry(key).or_default() += cp.on_path_ns.get(i).copied().unwrap_or(0) as f64;
        }
        // The span at the deepest kept level above each span (None: the span is not
        // deeper than that), filled in pre-order so each lookup is O(1).
        let tree = &t.tree;
        let mut top: Vec<Option<usize>> = vec![None; spans.len()];
        for &i in &tree.preorder {
            let levels = tree.depth.get(i).map_or(0, |&d| d as usize + 1);
            let here = match levels.cmp(&MAX_STACK_FRAMES) {
                std::cmp::Ordering::Less => None,
                std::cmp::Ordering::Equal => Some(i),
                std::cmp::Ordering::Greater => tree
                    .parent
                    .get(i)
                    .copied()
                    .flatten()
                    .and_then(|p| top.get(p).copied().flatten()),
            };
            if let Some(slot) = top.get_mut(i) {
                *slot = here;
            }
        }
        // Frame names once per span: a chain repeats its ancestors' names.
        let names: Vec<String> = spans
            .iter()
            .map(|s| frame_name(&s.service, &s.operation))
            .collect();
        // The last chain cut at MAX_STACK_FRAMES: on a deep trace every deeper segment has it.
        let mut cut_chain: Option<(usize, String)> = None;
        for seg in &cp.segments {
            // The chain from the root to the span holding this stretch of the critical path,
            // cut after MAX_STACK_FRAMES frames.
            let deeper = top
                .get(seg.span)
                .copied()
                .flatten()
                .filter(|&d| d != seg.span);
            let key = match (&cut_chain, deeper) {
                (Some((at, key)), Some(d)) if *at == d => key.clone(),
                _ => {
                    let mut chain: Vec<&str> = Vec::new();
                    if deeper.is_some() {
                        chain.push(DEEPER_FRAME);
                    }
                    let mut cur = Some(deeper.unwrap_or(seg.span));
                    while let Some(i) = cur {
                        if chain.len() > MAX_STACK_FRAMES {
                            break; // a cut cycle cannot loop here, but a bound costs nothing
                        }
                        if let Some(name) = names.get(i) {
                            chain.push(name);
                        }
                        cur = tree.parent.get(i).copied().flatten();
                    }
                    chain.reverse();
                    let key = chain.join(";");
                    if let Some(d) = deeper {
                        cut_chain = Some((d, key.clone()));
                    }
                    key
                }
            };
            *out.stacks.entry(key).or_default() += (seg.end_ns - seg.start_ns).max(0) as f64;
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
