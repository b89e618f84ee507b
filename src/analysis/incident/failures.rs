//! Failure signals: error origins per service, and operations that fail more often than in
//! the baseline, with the callees each failure points at.

use std::collections::BTreeMap;

use crate::model::window_stats::{FailureKey, OpCount, WindowStats};

use super::scoring::poisson_z;
use super::{
    add_evidence, Evidence, EvidenceByService, EvidenceKind, ERROR_WEIGHT, FAILURE_CALLEE_WEIGHT,
    Z_MIN,
};

/// Error origins per trace (signal 4).
pub(super) fn error_origins(w: &WindowStats, b: &WindowStats, evidence: &mut EvidenceByService) {
    for (svc, &obs) in &w.error_origins {
        let base = b.error_origins.get(svc).copied().unwrap_or(0) as f64;
        let rate = (base + 0.5) / (b.traces as f64 + 1.0);
        let z = poisson_z(obs as f64, rate * w.traces as f64);
        if z >= Z_MIN {
            add_evidence(
                evidence,
                svc,
                Evidence {
                    kind: EvidenceKind::ErrorOrigins,
                    operation: None,
                    peer: None,
                    baseline: base / b.traces.max(1) as f64,
                    window: obs as f64 / w.traces.max(1) as f64,
                    z,
                    extra_ms_per_trace: None,
                    window_samples: w.traces,
                    baseline_samples: b.traces,
                    score: z * ERROR_WEIGHT,
                },
            );
        }
    }
}

/// Failed invocations (signal 5): an operation failing more often than in the baseline. The
/// failure surfaced in the operation's service, but the cause may be the call it had just
/// made (a callee that returned an error or a wrong value) or the call it never got to make
/// (a callee whose failed call left no spans); each failure splits its weight over those.
pub(super) fn failed_invocations(
    w: &WindowStats,
    b: &WindowStats,
    evidence: &mut EvidenceByService,
) {
    for ((svc, op), count) in &w.by_op {
        if count.failed == 0 {
            continue;
        }
        let base = b
            .by_op
            .get(&(svc.clone(), op.clone()))
            .copied()
            .unwrap_or(OpCount::default());
        let rate = (base.failed as f64 + 0.5) / (base.invocations as f64 + 1.0);
        let z = poisson_z(count.failed as f64, rate * count.invocations as f64);
        if z < Z_MIN {
            continue;
        }
        let expected = b.callees_of_op.get(&(svc.clone(), op.clone()));
        let healthy = base.invocations - base.failed;
        let mut shares: BTreeMap<(EvidenceKind, String), f64> = BTreeMap::new();
        let mut n = 0usize;
        for (f, &count) in w
            .failures
            .range(failures_of(svc, op))
            .filter(|(f, _)| &f.service == svc && &f.operation == op)
        {
            n += count;
            let cands = suspects(f, svc, expected, healthy);
            let total: f64 = cands.iter().map(|c| c.2).sum();
            for (kind, who, wgt) in cands {
                *shares.entry((kind, who)).or_default() += count as f64 * wgt / total;
            }
        }
        for ((kind, who), share) in shares {
            let share = share / n.max(1) as f64;
            add_evidence(
                evidence,
                &who,
                Evidence {
                    kind,
                    operation: Some(op.clone()),
                    peer: (who != *svc).then(|| svc.clone()),
                    baseline: base.failed as f64 / base.invocations.max(1) as f64,
                    window: count.failed as f64 / count.invocations.max(1) as f64,
                    z,
                    extra_ms_per_trace: None,
                    window_samples: count.invocations,
                    baseline_samples: base.invocations,
                    score: z * ERROR_WEIGHT * share,
                },
            );
        }
    }
}

/// The range of failure keys of `svc.op`: every key starts with them.
fn failures_of(svc: &str, op: &str) -> std::ops::RangeFrom<FailureKey> {
    FailureKey {
        service: svc.to_string(),
        operation: op.to_string(),
        called: Default::default(),
        last_callee: None,
    }..
}

/// The services one failure of `svc` points at, with their weights: `svc` itself, the callee
/// whose call had just returned, and the first callee a healthy invocation calls (in at least
/// half of them) that this one no longer called.
fn suspects(
    f: &FailureKey,
    svc: &str,
    expected: Option<&BTreeMap<String, (usize, f64)>>,
    healthy: usize,
) -> Vec<(EvidenceKind, String, f64)> {
    let missing = expected.and_then(|e| {
        e.iter()
            .filter(|(c, &(calls, _))| 2 * calls >= healthy && !f.called.contains(*c))
            .min_by(|a, b| (a.1 .1 / a.1 .0 as f64).total_cmp(&(b.1 .1 / b.1 .0 as f64)))
            .map(|(c, _)| c.clone())
    });
    let mut cands: Vec<(EvidenceKind, String, f64)> =
        vec![(EvidenceKind::FailedInvocations, svc.to_string(), 1.0)];
    if let Some(c) = f.last_callee.as_ref().filter(|c| c.as_str() != svc) {
        cands.push((
            EvidenceKind::FailedAfterCall,
            c.clone(),
            FAILURE_CALLEE_WEIGHT,
        ));
    }
    if let Some(c) = missing.filter(|c| c != svc) {
        cands.push((EvidenceKind::VanishedCall, c, FAILURE_CALLEE_WEIGHT));
    }
    cands
}
