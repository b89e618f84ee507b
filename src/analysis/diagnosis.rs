//! Everything `diagnose` computes about one trace, in one pass over the model.

use crate::model::IndexedTrace;

use super::anomalies::{self, Anomaly};
use super::critical_path::{self, CriticalPath};
use super::errors::{self, ErrorOrigin};
use super::gaps::{self, Gap};
use super::labels::Labels;
use super::patterns::{self, Patterns};
use super::root_cause::{self, Candidate, Findings};
use super::self_time;
use super::thresholds::Thresholds;
use crate::side_by_side::{side_by_side, SPLIT_FROM_SPANS};

#[derive(Debug, Clone)]
pub struct Diagnosis {
    pub thresholds: Thresholds,
    /// Self time of each span, by span index.
    pub self_time_ns: Vec<i64>,
    pub gaps: Vec<Gap>,
    pub critical_path: CriticalPath,
    pub anomalies: Vec<Anomaly>,
    pub error_origins: Vec<ErrorOrigin>,
    pub patterns: Patterns,
    /// Ranked, most likely first. Never empty: UNKNOWN when nothing stands out.
    pub root_causes: Vec<Candidate>,
}

pub fn diagnose(t: &IndexedTrace, thresholds: &Thresholds) -> Diagnosis {
    // Both group spans by service.operation; label them once.
    let labels = Labels::of(&t.trace.spans);
    // Gaps and the anomalies drawn from them on one core, the other analyses on the other
    // (a big trace's analyses are a fifth of its diagnosis).
    let ((gaps, anomalies), (self_time_ns, critical_path, error_origins, patterns)) = side_by_side(
        t.trace.spans.len() >= SPLIT_FROM_SPANS,
        || {
            let gaps = gaps::find_gaps(t);
            let anomalies = anomalies::find_anomalies_with(t, &gaps, thresholds, &labels);
            (gaps, anomalies)
        },
        || {
            (
                self_time::self_times(t),
                critical_path::critical_path(t),
                errors::error_origins(t),
                patterns::find_patterns_with(t, thresholds, &labels),
            )
        },
    );
    let root_causes = root_cause::rank(
        t,
        &Findings {
            thresholds,
            self_time_ns: &self_time_ns,
            gaps: &gaps,
            critical_path: &critical_path,
            anomalies: &anomalies,
            error_origins: &error_origins,
            patterns: &patterns,
        },
    );
    Diagnosis {
        thresholds: *thresholds,
        self_time_ns,
        gaps,
        critical_path,
        anomalies,
        error_origins,
        patterns,
        root_causes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::{AttrValue, RefType, SpanKind, StatusCode};

    /// Small deterministic generator (xorshift), so the test needs no dependency.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n.max(1)
        }
        fn time(&mut self) -> i64 {
            match self.below(8) {
                // Quarter range: Tree::build subtracts timestamps unchecked, so full-range
                // extremes would overflow in the model before reaching the analyses.
                0 => i64::MIN / 4,
                1 => i64::MAX / 4,
                2 => -(self.below(1_000) as i64),
                3 => 0,
                _ => self.below(1_000) as i64 * 1_000_000,
            }
        }
    }

    /// Garbage in — extreme and negative times, cycles, duplicates, orphans, async edges —
    /// must never panic (debug builds check overflow) and must keep the documented invariants.
    #[test]
    fn never_panics_on_hostile_traces() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for round in 0..3000 {
            let n = rng.below(25) as usize;
            let mut spans = Vec::new();
            for i in 0..n {
                let parent = match rng.below(6) {
                    0 => None,
                    1 => Some(format!("missing{}", rng.below(3))),
                    _ => Some(format!("s{}", rng.below(n as u64))),
                };
                let id = if rng.below(10) == 0 {
                    "s0".to_string()
                } else {
                    format!("s{i}")
                };
                let label = ["a.x", "a.y", "b.x", "c.z"][rng.below(4) as usize];
                let mut s = span(&id, parent.as_deref(), label, rng.time(), rng.time());
                if rng.below(3) == 0 {
                    s = failed(
                        s,
                        ["", "connection refused", "429", "deadline exceeded", "boom"]
                            [rng.below(5) as usize],
                    );
                }
                if rng.below(5) == 0 {
                    s.kind = [SpanKind::Producer, SpanKind::Consumer, SpanKind::Client]
                        [rng.below(3) as usize];
                }
                if rng.below(7) == 0 {
                    s.parent_ref = RefType::FollowsFrom;
                }
                if rng.below(7) == 0 {
                    s = with_attr(
                        s,
                        "http.status_code",
                        AttrValue::Int([429, 503, 504, 200][rng.below(4) as usize]),
                    );
                }
                spans.push(s);
            }
            let t = indexed(spans);
            let th = Thresholds {
                gap_ns: 1,
                network_gap_ns: 1,
                network_share: 0.0,
                repeat_min: 2,
                ..Thresholds::default()
            };
            for th in [Thresholds::default(), th] {
                let d = diagnose(&t, &th);
                assert!(!d.root_causes.is_empty(), "round {round}");
                assert!(d.self_time_ns.iter().all(|&v| v >= 0), "round {round}");
                for w in d.critical_path.segments.windows(2) {
                    assert!(
                        w[0].end_ns <= w[1].start_ns,
                        "round {round}: overlapping segments"
                    );
                }
                if let Some(r) = t.tree.main_root(&t.trace) {
                    let total: i64 = d.critical_path.on_path_ns.iter().sum();
                    let root = &t.trace.spans[r];
                    assert_eq!(total, root.end_ns() - root.start_ns, "round {round}");
                }
                for c in &d.root_causes {
                    assert!((0.0..=1.0).contains(&c.score), "round {round}: {c:?}");
                }
                assert!(d
                    .error_origins
                    .iter()
                    .all(|o| t.trace.spans[o.origin].status.code == StatusCode::Error));
            }
        }
    }
}
