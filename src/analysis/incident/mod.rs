//! Window-level root cause: which service best explains what changed between a baseline set
//! of traces and a window set of traces.
//!
//! The method is fixed; its constants are below and in the README, and were settled before
//! looking at individual labelled cases (the harness in `tests/accuracy.rs` only measures it).
//!
//! Signals, each compared window against baseline per key:
//! 1. **Own self time** per `service.operation`, counting only spans that do not call another
//!    service (a span that does is the caller's side of a call edge, see 2). A robust z of the
//!    median shift (baseline MAD, with a floor) says whether it moved; the extra milliseconds
//!    per window trace above the baseline median say how much of the incident it explains.
//!    Score `sqrt(min(z, Z_CAP) · extra_ms_per_trace)`: significance times effect size.
//!    CPU contention shows here, on the service's own spans.
//! 2. **Caller-side delay** per call edge `caller → callee`: the caller span's time not covered
//!    by the callee's server span (its self time). A shift seen only by the caller is the
//!    network or the callee's ingress, so it is blamed on the callee, unless the caller's
//!    outgoing edges are all slow while the callee's other incoming edges are not (the caller
//!    itself is slow at sending, as under CPU contention). The edge's score is split between
//!    the two ends in proportion to those shares; ties lean to the callee
//!    ([`CALLER_SHARE_WEIGHT`]).
//! 3. **Trace shape** per `(entry endpoint, service.operation invoked, downstream call)`: the
//!    calls per invocation against the baseline rate, a Poisson z. A service that is still
//!    invoked but whose own downstream calls vanished (or appeared) is the suspect, not the
//!    callees that stopped being called. Score `|z|` per changed call.
//! 4. **Error origins** per service (error spans none of whose children failed): a Poisson z
//!    of the count against the baseline rate, times [`ERROR_WEIGHT`].
//! 5. **Failed invocations** per `service.operation` (an error span or a Spring error handler,
//!    `*ErrorController.error`, inside the invocation): a Poisson z of the failures against the
//!    baseline failure rate, times [`ERROR_WEIGHT`]. Each failure splits its weight between the
//!    failing service (1) and, at [`FAILURE_CALLEE_WEIGHT`] each, the callee whose call returned
//!    last before the failure and the first expected callee it no longer called (failed calls
//!    often leave no spans at all), so a dependency shared by several failing operations rises.
//! 6. **Call graph**: a service with none of the above ranks by the shift of its total (server
//!    span) latency, scaled down by [`FALLBACK_WEIGHT`], and halved again when one of its
//!    callees carries evidence, so a service slow only because a callee is slow ranks below it.
//!
//! Pure: no I/O. Traces are grouped by entry endpoint: the first span of a different service
//! under the root (the first service behind a gateway), so shapes are compared like for like.
//!
//! This file holds the constants, the result types and the ranking; `profile` collects what
//! one set of traces shows, `scoring` holds the statistics, and the signals are computed in
//! `latency` (1, 2, 6), `shape` (3) and `failures` (4, 5).

mod failures;
mod latency;
mod profile;
mod scoring;
mod shape;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::window_stats::WindowStats;
use crate::model::IndexedTrace;

pub use profile::{entry_endpoint, Profile};

/// Fewest samples on each side for a latency comparison.
pub const MIN_SAMPLES: usize = 3;
/// Fewest baseline invocations of an operation for a shape comparison.
pub const MIN_INVOCATIONS: usize = 3;
/// A robust z at least this large is a shift (latency) or a changed call rate (shape).
pub const Z_MIN: f64 = 3.0;
/// Cap on the latency z before it is combined with the effect size: past it, everything is
/// certain and only the size of the effect should order candidates.
pub const Z_CAP: f64 = 50.0;
/// Least extra time per window trace for a latency shift to count: a significant shift that
/// adds less than a millisecond to a request cannot be what made an incident visible (and
/// sub-millisecond database spans shift with load alone).
pub const MIN_EXTRA_MS_PER_TRACE: f64 = 1.0;
/// Floor of the latency spread: this share of the baseline median ...
pub const REL_FLOOR: f64 = 0.1;
/// ... plus this many milliseconds, so a near-constant baseline does not make noise significant.
pub const ABS_FLOOR_MS: f64 = 0.1;
/// Weight of the caller's share when an edge delay is split between its two ends; below 1 so
/// that a tie goes to the callee (the delay was measured outside the caller's own work).
pub const CALLER_SHARE_WEIGHT: f64 = 0.8;
/// Weight of each callee a failed invocation points at (the one whose call had just returned,
/// the one it never got to call), against 1 for the failing service itself: the failure was
/// seen in the service, the callees are hypotheses.
pub const FAILURE_CALLEE_WEIGHT: f64 = 0.25;

/// Multiplier of the error-origin z.
pub const ERROR_WEIGHT: f64 = 2.0;
/// Scale of the total-latency fallback score, far below any real signal.
pub const FALLBACK_WEIGHT: f64 = 0.001;

/// One number-backed reason a service is ranked where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub kind: EvidenceKind,
    /// The operation concerned (self time, shape), or None.
    pub operation: Option<String>,
    /// The other end: the caller of a slow edge, the downstream call that changed.
    pub peer: Option<String>,
    /// Medians (latency) or calls per invocation / per trace (shape, errors).
    pub baseline: f64,
    pub window: f64,
    /// Robust z (latency) or Poisson z (counts); signed.
    pub z: f64,
    /// Extra milliseconds per window trace above the baseline median (latency kinds).
    pub extra_ms_per_trace: Option<f64>,
    /// Samples in the window and the baseline.
    pub window_samples: usize,
    pub baseline_samples: usize,
    /// This evidence's contribution to the service's score.
    pub score: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EvidenceKind {
    /// The service's own work got slower.
    SelfTime,
    /// Callers see a delay on calls into the service that its server spans do not show.
    CallerSideDelay,
    /// The service's calls out were slow to leave it (its whole outgoing side slowed).
    OutgoingDelay,
    /// A downstream call the service used to make is made less often.
    MissingCalls,
    /// A downstream call is made more often (or is new).
    NewCalls,
    /// More spans failing in this service on their own.
    ErrorOrigins,
    /// An operation of the service fails more often (error span or error handler).
    FailedInvocations,
    /// A caller's operation fails right after its call into this service returned.
    FailedAfterCall,
    /// A caller's operation fails where it used to call this service, and the call is gone.
    VanishedCall,
    /// Only its total latency moved (weak: the call-graph fallback).
    TotalLatency,
}

impl EvidenceKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceKind::SelfTime => "self_time",
            EvidenceKind::CallerSideDelay => "caller_side_delay",
            EvidenceKind::OutgoingDelay => "outgoing_delay",
            EvidenceKind::MissingCalls => "missing_calls",
            EvidenceKind::NewCalls => "new_calls",
            EvidenceKind::ErrorOrigins => "error_origins",
            EvidenceKind::FailedInvocations => "failed_invocations",
            EvidenceKind::FailedAfterCall => "failed_after_call",
            EvidenceKind::VanishedCall => "vanished_call",
            EvidenceKind::TotalLatency => "total_latency",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankedService {
    pub rank: usize,
    pub service: String,
    pub score: f64,
    /// Strongest first.
    pub evidence: Vec<Evidence>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Incident {
    pub window_traces: usize,
    pub baseline_traces: usize,
    /// Every service seen in the window, best explanation first.
    pub services: Vec<RankedService>,
    /// Whether any evidence reached significance (a shift, a changed call rate, more
    /// failures). Without it the ranking holds only the weak total-latency fallback, and
    /// nothing moved enough to be a finding.
    pub significant: bool,
}

impl Incident {
    /// The services some evidence points at; the others are seen but not ranked by anything.
    pub fn with_evidence(&self) -> impl Iterator<Item = &RankedService> {
        self.services.iter().filter(|s| !s.evidence.is_empty())
    }
}

/// Evidence gathered so far, by the service it points at.
type EvidenceByService = BTreeMap<String, Vec<Evidence>>;

/// Keep `e` for `svc` when it contributes anything.
fn add_evidence(evidence: &mut EvidenceByService, svc: &str, e: Evidence) {
    if e.score > 0.0 {
        evidence.entry(svc.to_string()).or_default().push(e);
    }
}

/// Rank every service seen in `window` by how well it explains the change from `baseline`.
pub fn rank(window: &[IndexedTrace], baseline: &[IndexedTrace]) -> Incident {
    rank_profiles(Profile::of(window), Profile::of(baseline))
}

/// [`rank`] from what a window's and its baseline's traces showed, gathered a trace at a
/// time ([`Profile::add`]).
pub fn rank_profiles(window: Profile, baseline: Profile) -> Incident {
    let b = baseline.stats(None);
    let w = window.stats(Some(&b));
    rank_stats(&w, &b)
}

/// The aggregates of a window and its baseline (`window` measured against `baseline`'s
/// medians): see [`WindowStats`]. Whether they were computed from fetched traces or by the
/// store, the ranking is this one.
pub fn rank_stats(w: &WindowStats, b: &WindowStats) -> Incident {
    let (w, b) = (w, b);
    let mut evidence = EvidenceByService::new();
    latency::self_time(w, b, &mut evidence);
    latency::edge_delays(w, b, &mut evidence);
    shape::call_counts(w, b, &mut evidence);
    failures::error_origins(w, b, &mut evidence);
    failures::failed_invocations(w, b, &mut evidence);
    // Last: it scores only the services that no signal above points at.
    latency::total_latency(w, b, &mut evidence);
    let significant = evidence
        .values()
        .flatten()
        .any(|e| e.kind != EvidenceKind::TotalLatency);
    Incident {
        window_traces: w.traces,
        baseline_traces: b.traces,
        services: ranked_services(&w.services, evidence),
        significant,
    }
}

/// Every service seen in the window, and any service evidence points at although it no
/// longer shows up (a callee whose failed calls left no spans), best explanation first.
fn ranked_services(seen: &BTreeSet<String>, mut evidence: EvidenceByService) -> Vec<RankedService> {
    let ranked: BTreeSet<String> = seen.iter().chain(evidence.keys()).cloned().collect();
    let mut services: Vec<RankedService> = ranked
        .iter()
        .map(|svc| {
            let mut ev = evidence.remove(svc).unwrap_or_default();
            ev.sort_by(|a, b| b.score.total_cmp(&a.score));
            RankedService {
                rank: 0,
                service: svc.clone(),
                // + 0.0: an empty float sum is -0.0, printed "-0.00".
                score: ev.iter().map(|e| e.score).sum::<f64>() + 0.0,
                evidence: ev,
            }
        })
        .collect();
    services.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.service.cmp(&b.service))
    });
    for (i, s) in services.iter_mut().enumerate() {
        s.rank = i + 1;
    }
    services
}

#[cfg(test)]
mod tests;
