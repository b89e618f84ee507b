//! The trace-shape signal: how often an operation calls downstream, against the baseline.

use std::collections::BTreeSet;

use crate::model::window_stats::WindowStats;

use super::scoring::poisson_z;
use super::{add_evidence, Evidence, EvidenceByService, EvidenceKind, MIN_INVOCATIONS, Z_MIN};

/// Calls per invocation against the baseline rate (signal 3), per entry endpoint, operation
/// and downstream call.
pub(super) fn call_counts(w: &WindowStats, b: &WindowStats, evidence: &mut EvidenceByService) {
    let keys: BTreeSet<&(String, String, String, String)> =
        w.calls.keys().chain(b.calls.keys()).collect();
    for key in keys {
        let (entry, svc, op, call) = key;
        let inv_key = (entry.clone(), svc.clone(), op.clone());
        let nb = b.invocations.get(&inv_key).copied().unwrap_or(0);
        let nw = w.invocations.get(&inv_key).copied().unwrap_or(0);
        if nb < MIN_INVOCATIONS || nw == 0 {
            continue; // not invoked in the window: its callers' shape says why, not its own
        }
        let rate_b = b.calls.get(key).copied().unwrap_or(0) as f64 / nb as f64;
        let obs = w.calls.get(key).copied().unwrap_or(0) as f64;
        let z = poisson_z(obs, rate_b * nw as f64);
        if z.abs() < Z_MIN {
            continue;
        }
        add_evidence(
            evidence,
            svc,
            Evidence {
                kind: if z < 0.0 {
                    EvidenceKind::MissingCalls
                } else {
                    EvidenceKind::NewCalls
                },
                operation: Some(op.clone()),
                peer: Some(call.clone()),
                baseline: rate_b,
                window: obs / nw as f64,
                z,
                extra_ms_per_trace: None,
                window_samples: nw,
                baseline_samples: nb,
                score: z.abs(),
            },
        );
    }
}
