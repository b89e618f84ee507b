//! Call patterns worth naming: sequential fan-out (children run one after another where they
//! could run concurrently, the seed's "Sequential execution detected" check) and repeated
//! sibling calls (N+1 queries, retries).

use serde::Serialize;

use crate::model::tree::is_async_edge;
use crate::model::{IndexedTrace, Span};

use super::gaps::window;
use super::labels::Labels;
use super::thresholds::Thresholds;

#[derive(Debug, Clone, PartialEq)]
pub struct SequentialFanOut {
    pub parent: usize,
    /// At least two children to other spans that run one after another, not overlapping.
    pub children: Vec<usize>,
    pub children_sum_ns: i64,
    pub parent_ns: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepeatKind {
    /// Many calls to the same operation under one parent (N+1).
    NPlusOne,
    /// The same call repeated after failures.
    Retry,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RepeatedCalls {
    pub parent: usize,
    pub kind: RepeatKind,
    /// The repeated siblings, in start order.
    pub calls: Vec<usize>,
    pub total_ns: i64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Patterns {
    pub sequential: Vec<SequentialFanOut>,
    pub repeated: Vec<RepeatedCalls>,
}

/// Attribute keys that mark a call as a retry (OpenTelemetry's `http.request.resend_count`,
/// its older `http.resend_count`, and the ad-hoc spellings instrumentations use).
const RETRY_KEYS: &[&str] = &[
    "http.request.resend_count",
    "http.resend_count",
    "retry",
    "retry.count",
    "retry_count",
    "retry.attempt",
    "rpc.retry",
];

/// Whether the span carries a retry attribute. One pass over its attributes with a cheap
/// first-byte filter: this runs on every sibling in a group, which can be the whole trace.
fn has_retry_marker(s: &Span) -> bool {
    s.attributes.iter().any(|(k, _)| {
        matches!(k.as_bytes().first(), Some(b'h' | b'r')) && RETRY_KEYS.contains(&k.as_str())
    })
}

/// Patterns in span pre-order of the parent (repeated calls: then by the first call's start).
pub fn find_patterns(t: &IndexedTrace, th: &Thresholds) -> Patterns {
    find_patterns_with(t, th, &Labels::of(&t.trace.spans))
}

/// [`find_patterns`] with label ids already computed (shared with the anomaly search).
pub(crate) fn find_patterns_with(t: &IndexedTrace, th: &Thresholds, labels: &Labels) -> Patterns {
    let spans = &t.trace.spans;
    let mut out = Patterns::default();
    let label = &labels.ids;
    for &p in &t.tree.preorder {
        let Some(children) = t.tree.children.get(p) else {
            continue;
        };
        if children.len() < 2 {
            continue;
        }
        if let Some(seq) = sequential(t, p, children) {
            out.sequential.push(seq);
        }

        // Group the children by service.operation; a stable sort keeps start order within a
        // group (children are already in start order).
        let mut by_label: Vec<usize> = children
            .iter()
            .copied()
            .filter(|&c| c < spans.len())
            .collect();
        by_label.sort_by_key(|&c| label.get(c).copied().unwrap_or(u32::MAX));
        let mut found: Vec<RepeatedCalls> = Vec::new();
        for group in by_label.chunk_by(|&a, &b| label.get(a) == label.get(b)) {
            if group.len() < 2 {
                continue;
            }
            let failed_before_last = group[..group.len() - 1]
                .iter()
                .all(|&c| spans[c].is_error());
            let marked = group.iter().any(|&c| has_retry_marker(&spans[c]));
            let kind = if failed_before_last || marked {
                RepeatKind::Retry
            } else if group.len() >= th.repeat_min.max(2) {
                RepeatKind::NPlusOne
            } else {
                continue;
            };
            let total_ns = group
                .iter()
                .map(|&c| spans[c].duration_ns.max(0))
                .fold(0i64, i64::saturating_add);
            found.push(RepeatedCalls {
                parent: p,
                kind,
                calls: group.to_vec(),
                total_ns,
            });
        }
        found.sort_by_key(|r| r.calls.first().map(|&c| (spans[c].start_ns, c)));
        out.repeated.extend(found);
    }
    out
}

/// The parent's synchronous children when they all run one after another (each starting
/// after the previous ended, with 1% of the parent as slack for clock jitter) and together
/// fill at least 80% of the parent: the parent waited for them in turn, so running them
/// concurrently is the first thing to try.
fn sequential(t: &IndexedTrace, p: usize, children: &[usize]) -> Option<SequentialFanOut> {
    let spans = &t.trace.spans;
    let (ps, pe) = window(spans.get(p)?);
    let parent_ns = pe - ps;
    if parent_ns <= 0 {
        return None;
    }
    let tolerance = parent_ns / 100;
    let mut kids = Vec::new();
    let mut sum = 0i64;
    let mut prev_end: Option<i64> = None;
    for &c in children {
        let cs = spans.get(c)?;
        if is_async_edge(&t.trace, p, c) {
            continue; // fire-and-forget work does not make the parent wait
        }
        let (s, e) = window(cs);
        let (s, e) = (s.max(ps), e.min(pe));
        if e <= s {
            continue;
        }
        if prev_end.is_some_and(|pe| s < pe.saturating_sub(tolerance)) {
            return None; // overlaps an earlier child: already (partly) parallel
        }
        prev_end = Some(prev_end.map_or(e, |pe| pe.max(e)));
        sum = sum.saturating_add(e - s);
        kids.push(c);
    }
    // sum ≥ 0.8 × parent, in integers.
    (kids.len() >= 2 && sum.saturating_mul(5) >= parent_ns.saturating_mul(4)).then_some(
        SequentialFanOut {
            parent: p,
            children: kids,
            children_sum_ns: sum,
            parent_ns,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::AttrValue;

    #[test]
    fn n_plus_one_with_twelve_db_calls() {
        let mut spans = vec![
            span_ms("r", None, "api.list", 0, 200),
            span_ms("q", Some("r"), "db.list", 0, 10),
        ];
        for k in 0..12 {
            spans.push(span_ms(
                &format!("d{k}"),
                Some("r"),
                "db.get_item",
                10 + k * 15,
                12,
            ));
        }
        let t = indexed(spans);
        let p = find_patterns(&t, &Thresholds::default());
        assert_eq!(p.repeated.len(), 1);
        let r = &p.repeated[0];
        assert_eq!(
            (r.parent, r.kind, r.calls.len(), r.total_ns),
            (idx(&t, "r"), RepeatKind::NPlusOne, 12, ms(144))
        );
        assert_eq!(r.calls[0], idx(&t, "d0"));
    }

    #[test]
    fn retries() {
        let t = indexed(vec![
            span_ms("r", None, "w.task", 0, 100),
            failed(
                span_ms("a", Some("r"), "bedrock.invoke", 0, 10),
                "ThrottlingException",
            ),
            failed(
                span_ms("b", Some("r"), "bedrock.invoke", 20, 10),
                "ThrottlingException",
            ),
            ok(span_ms("c", Some("r"), "bedrock.invoke", 40, 10)),
            span_ms("x", Some("r"), "s3.get", 60, 5),
            with_attr(
                span_ms("y", Some("r"), "s3.get", 70, 5),
                "http.request.resend_count",
                AttrValue::Int(1),
            ),
        ]);
        let p = find_patterns(&t, &Thresholds::default());
        let got: Vec<_> = p.repeated.iter().map(|r| (r.kind, r.calls.len())).collect();
        assert_eq!(got, vec![(RepeatKind::Retry, 3), (RepeatKind::Retry, 2)]);
    }

    #[test]
    fn sequential_fan_out() {
        // 4 calls of 22 ms one after another fill 88 of 100 ms; a 0.5 ms overlap is jitter.
        let t = indexed(vec![
            span_ms("r", None, "api.page", 0, 100),
            span_ms("a", Some("r"), "users.get", 2, 22),
            span("b", Some("r"), "orders.get", ms(24) - 500_000, ms(22)),
            span_ms("c", Some("r"), "stock.get", 50, 22),
            span_ms("d", Some("r"), "price.get", 72, 22),
            // A parallel pair elsewhere is not sequential.
            span_ms("s", None, "api.other", 200, 100),
            span_ms("e", Some("s"), "x.a", 200, 90),
            span_ms("f", Some("s"), "x.b", 205, 90),
        ]);
        let p = find_patterns(&t, &Thresholds::default());
        assert_eq!(p.sequential.len(), 1);
        let s = &p.sequential[0];
        assert_eq!(s.parent, idx(&t, "r"));
        assert_eq!(s.children.len(), 4);
        assert_eq!((s.children_sum_ns, s.parent_ns), (ms(88), ms(100)));
    }
}
