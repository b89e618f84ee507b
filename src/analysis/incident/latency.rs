//! Latency signals: a service's own self time, the delay its callers see on calls into it,
//! and, for services without other evidence, its total latency.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::window_stats::WindowStats;

use super::scoring::{latency_evidence, shift, Shift};
use super::{
    add_evidence, EvidenceByService, EvidenceKind, CALLER_SHARE_WEIGHT, FALLBACK_WEIGHT, Z_CAP,
    Z_MIN,
};

/// Own self time per `service.operation` (signal 1).
pub(super) fn self_time(w: &WindowStats, b: &WindowStats, evidence: &mut EvidenceByService) {
    for ((svc, op), vals) in &w.own {
        if let Some(s) = b
            .own
            .get(&(svc.clone(), op.clone()))
            .and_then(|base| shift(base, vals, w.traces))
        {
            add_evidence(
                evidence,
                svc,
                latency_evidence(EvidenceKind::SelfTime, Some(op), None, &s, 1.0),
            );
        }
    }
}

/// Caller-side delay per edge (signal 2), split between its ends by how widespread the delay
/// is on the caller's outgoing side and on the callee's incoming side.
pub(super) fn edge_delays(w: &WindowStats, b: &WindowStats, evidence: &mut EvidenceByService) {
    let mut shifts: BTreeMap<(String, String), Shift> = BTreeMap::new();
    for (key, vals) in &w.edge {
        if let Some(s) = b.edge.get(key).and_then(|base| shift(base, vals, w.traces)) {
            shifts.insert(key.clone(), s);
        }
    }
    let share = |pick: &dyn Fn(&(String, String)) -> bool| {
        let (mut all, mut slow) = (0usize, 0usize);
        for (k, s) in &shifts {
            if pick(k) {
                all += 1;
                slow += usize::from(s.z >= Z_MIN);
            }
        }
        if all == 0 {
            0.0
        } else {
            slow as f64 / all as f64
        }
    };
    for ((caller, callee), s) in &shifts {
        if s.score() <= 0.0 {
            continue;
        }
        let into = share(&|k: &(String, String)| &k.1 == callee);
        let out = share(&|k: &(String, String)| &k.0 == caller) * CALLER_SHARE_WEIGHT;
        let to_callee = if into + out > 0.0 {
            into / (into + out)
        } else {
            1.0
        };
        add_evidence(
            evidence,
            callee,
            latency_evidence(
                EvidenceKind::CallerSideDelay,
                None,
                Some(caller),
                s,
                to_callee,
            ),
        );
        add_evidence(
            evidence,
            caller,
            latency_evidence(
                EvidenceKind::OutgoingDelay,
                None,
                Some(callee),
                s,
                1.0 - to_callee,
            ),
        );
    }
}

/// The call-graph fallback (signal 6) for services without evidence of their own; run last,
/// after every other signal.
pub(super) fn total_latency(w: &WindowStats, b: &WindowStats, evidence: &mut EvidenceByService) {
    let has_evidence: BTreeSet<String> = evidence.keys().cloned().collect();
    for svc in &w.services {
        if has_evidence.contains(svc) {
            continue;
        }
        let Some(s) = w.total.get(svc).and_then(|vals| {
            b.total
                .get(svc)
                .and_then(|base| shift(base, vals, w.traces))
        }) else {
            continue;
        };
        let explained = w
            .callees
            .get(svc)
            .is_some_and(|cs| cs.iter().any(|c| has_evidence.contains(c)));
        let weight = FALLBACK_WEIGHT * if explained { 0.5 } else { 1.0 };
        let mut e = latency_evidence(EvidenceKind::TotalLatency, None, None, &s, 1.0);
        e.score = (s.z.clamp(0.0, Z_CAP) * s.extra_ms_per_trace.max(0.0)).sqrt() * weight;
        add_evidence(evidence, svc, e);
    }
}
