//! Anomalies as the seed's SQL `diagnose_execution_trace` defines them, computed on the tree:
//! spans k× slower than their operation's mean, long gaps, failed spans.

use serde::Serialize;

use crate::model::IndexedTrace;

use super::gaps::{Gap, GapPosition, Leg};
use super::labels::Labels;
use super::thresholds::Thresholds;
use super::units::fmt_ms;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AnomalyKind {
    /// Longer than `slow_factor` × the mean of the same service.operation in this trace
    /// (only when the operation occurs at least twice).
    SlowerThanPeers { ratio: f64, mean_ns: i64 },
    /// A gap inside the span longer than the gap threshold; `gap` indexes `Diagnosis::gaps`.
    LongGap { gap: usize, gap_ns: i64 },
    /// The span failed.
    Failed { message: Option<String> },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Anomaly {
    pub span: usize,
    pub kind: AnomalyKind,
    /// One line for people, with the numbers (`Gap of 156117ms after router.inference_request`).
    pub reason: String,
}

/// In span pre-order; a span can have several anomalies (failed first, then slow, then its
/// long gaps in time order).
pub fn find_anomalies(t: &IndexedTrace, gaps: &[Gap], th: &Thresholds) -> Vec<Anomaly> {
    find_anomalies_with(t, gaps, th, &Labels::of(&t.trace.spans))
}

/// [`find_anomalies`] with label ids already computed (shared with the pattern search).
pub(crate) fn find_anomalies_with(
    t: &IndexedTrace,
    gaps: &[Gap],
    th: &Thresholds,
    labels: &Labels,
) -> Vec<Anomaly> {
    let spans = &t.trace.spans;
    let n = spans.len();

    // Mean duration of each service.operation in this trace (the seed's avg_duration).
    let label = &labels.ids;
    let mut stats: Vec<(i128, u32)> = vec![(0, 0); labels.count];
    for (s, &l) in spans.iter().zip(label) {
        if let Some(e) = stats.get_mut(l as usize) {
            e.0 += i128::from(s.duration_ns.max(0));
            e.1 = e.1.saturating_add(1);
        }
    }

    // Long gaps grouped by their span in pre-order, whatever order the slice is in.
    let mut pos = vec![usize::MAX; n];
    for (k, &i) in t.tree.preorder.iter().enumerate() {
        if let Some(p) = pos.get_mut(i) {
            *p = k;
        }
    }
    let mut long: Vec<usize> = (0..gaps.len())
        .filter(|&g| gaps[g].duration_ns > th.gap_ns && gaps[g].span() < n)
        .collect();
    long.sort_by_key(|&g| (pos[gaps[g].span()], gaps[g].start_ns, g));
    let mut next_gap = 0;

    let mut out = Vec::new();
    for &i in &t.tree.preorder {
        let Some(s) = spans.get(i) else { continue };
        if s.is_error() {
            let message = s.status.message.clone().filter(|m| !m.trim().is_empty());
            let reason = format!(
                "Operation failed: {}",
                message.as_deref().unwrap_or("Unknown error")
            );
            out.push(Anomaly {
                span: i,
                kind: AnomalyKind::Failed { message },
                reason,
            });
        }
        if let Some(&(sum, count)) = label.get(i).and_then(|&l| stats.get(l as usize)) {
            // One occurrence has no peers to be slower than.
            if count >= 2 {
                let mean = (sum / i128::from(count)) as i64;
                let dur = s.duration_ns.max(0);
                if mean > 0 && dur as f64 > th.slow_factor * mean as f64 {
                    let ratio = dur as f64 / mean as f64;
                    let reason = format!(
                        "Operation took {} ({:.1}x the average {} of {} {} calls)",
                        fmt_ms(dur),
                        ratio,
                        fmt_ms(mean),
                        count,
                        s.label()
                    );
                    out.push(Anomaly {
                        span: i,
                        kind: AnomalyKind::SlowerThanPeers {
                            ratio,
                            mean_ns: mean,
                        },
                        reason,
                    });
                }
            }
        }
        while let Some(&g) = long.get(next_gap) {
            if pos[gaps[g].span()] > pos[i] {
                break;
            }
            next_gap += 1;
            if gaps[g].span() != i {
                continue; // span not in pre-order (cannot happen with a built tree)
            }
            let gap = &gaps[g];
            out.push(Anomaly {
                span: i,
                kind: AnomalyKind::LongGap {
                    gap: g,
                    gap_ns: gap.duration_ns,
                },
                reason: gap_reason(t, gap),
            });
        }
    }
    out
}

/// `Gap of 156117ms after router.inference_request (response leg router→runner)`.
pub fn gap_reason(t: &IndexedTrace, gap: &Gap) -> String {
    let spans = &t.trace.spans;
    let label = |c: Option<usize>| c.and_then(|c| spans.get(c)).map(|s| s.label());
    let parent_service = spans.get(gap.span()).map_or("?", |s| s.service.as_str());
    let service = |c: Option<usize>| {
        c.and_then(|c| spans.get(c))
            .map_or("?", |s| s.service.as_str())
    };
    let mut text = format!("Gap of {}", fmt_ms(gap.duration_ns));
    match (
        gap.position,
        label(gap.after_child()),
        label(gap.before_child()),
    ) {
        (GapPosition::BetweenChildren, Some(a), Some(b)) => {
            text.push_str(&format!(" between {a} and {b}"))
        }
        (_, Some(a), _) => text.push_str(&format!(" after {a}")),
        (_, None, Some(b)) => text.push_str(&format!(" before {b}")),
        (_, None, None) => {}
    }
    match gap.leg {
        Some(Leg::Response) => {
            text.push_str(&format!(
                " (response leg {}→{parent_service})",
                service(gap.after_child())
            ));
        }
        Some(Leg::Request) => {
            text.push_str(&format!(
                " (request leg {parent_service}→{})",
                service(gap.before_child())
            ));
        }
        None => {}
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::gaps::find_gaps;
    use crate::analysis::test_support::*;

    #[test]
    fn seed_2193_long_gap() {
        let t = execution_2193();
        let gaps = find_gaps(&t);
        let a = find_anomalies(&t, &gaps, &Thresholds::default());
        assert_eq!(a.len(), 1, "{a:?}");
        assert_eq!(a[0].span, idx(&t, "2"));
        assert_eq!(
            a[0].reason,
            "Gap of 156117ms after router.inference_request (response leg router→runner)"
        );
        assert!(matches!(a[0].kind, AnomalyKind::LongGap { gap_ns, .. } if gap_ns == ms(156_117)));
    }

    #[test]
    fn slower_than_peers_and_failed() {
        // Four cache.get calls: 10, 10, 10, 100 ms; mean 32.5 ms; 100 > 3 × 32.5.
        let t = indexed(vec![
            span_ms("r", None, "api.r", 0, 1000),
            span_ms("a", Some("r"), "cache.get", 0, 10),
            span_ms("b", Some("r"), "cache.get", 10, 10),
            span_ms("c", Some("r"), "cache.get", 20, 10),
            failed(span_ms("d", Some("r"), "cache.get", 30, 100), ""),
        ]);
        let a = find_anomalies(&t, &find_gaps(&t), &Thresholds::default());
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!(a[0].reason, "Operation failed: Unknown error");
        assert!(
            matches!(a[1].kind, AnomalyKind::SlowerThanPeers { ratio, mean_ns } if (ratio - 100.0 / 32.5).abs() < 1e-9 && mean_ns == 32_500_000)
        );
        assert_eq!(
            a[1].reason,
            "Operation took 100ms (3.1x the average 33ms of 4 cache.get calls)"
        );
    }
}
