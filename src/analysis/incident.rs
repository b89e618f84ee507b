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

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::model::IndexedTrace;

use super::self_time::self_times;

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
}

/// Everything the comparison needs from one set of traces, in milliseconds.
#[derive(Debug, Default)]
struct Profile {
    traces: usize,
    /// (service, operation) → self times of spans that call no other service.
    own: HashMap<(String, String), Vec<f64>>,
    /// (caller, callee) → caller-side time of each call.
    edge: HashMap<(String, String), Vec<f64>>,
    /// service → durations of its server spans (entered from another service or the root).
    total: HashMap<String, Vec<f64>>,
    /// (entry, service, operation) → invocations.
    invocations: HashMap<(String, String, String), usize>,
    /// (entry, service, operation, downstream service.operation) → calls.
    calls: HashMap<(String, String, String, String), usize>,
    /// service → spans failing on their own.
    error_origins: HashMap<String, usize>,
    /// (service, operation) of an invocation → invocations, and how many of them failed.
    by_op: HashMap<(String, String), OpCount>,
    /// (service, operation) → callee service → calls from invocations that did not fail, and
    /// the sum of their start offsets into the invocation (ms), for the expected call order.
    callees_of_op: HashMap<(String, String), BTreeMap<String, (usize, f64)>>,
    /// Every failed invocation, with what it still called.
    failures: Vec<FailedInvocation>,
    services: BTreeSet<String>,
    /// caller → callees.
    callees: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Debug, Default, Clone, Copy)]
struct OpCount {
    invocations: usize,
    failed: usize,
}

/// An invocation of a service (its spans from entry until it calls another service) that
/// failed: one of its spans is an error, or it ran an error handler.
#[derive(Debug)]
struct FailedInvocation {
    service: String,
    operation: String,
    /// Services it still called.
    called: BTreeSet<String>,
    /// The callee whose call ended last before the failure surfaced (the error handler's
    /// start, else the invocation's end).
    last_callee: Option<String>,
}

/// Spring's error endpoint (`BasicErrorController.error`, or a custom `*ErrorController`):
/// the only trace of a failed request when the instrumentation records no status.
fn is_error_handler(operation: &str) -> bool {
    operation.ends_with("ErrorController.error")
}

fn ms(ns: i64) -> f64 {
    ns as f64 / 1e6
}

impl Profile {
    fn of(traces: &[IndexedTrace]) -> Profile {
        let mut p = Profile::default();
        for t in traces {
            p.add(t);
        }
        p
    }

    fn add(&mut self, t: &IndexedTrace) {
        let spans = &t.trace.spans;
        if spans.is_empty() {
            return;
        }
        self.traces += 1;
        let st = self_times(t);
        let entry = entry_endpoint(t);
        let parent_of = |i: usize| t.tree.parent.get(i).copied().flatten();
        // The invocation each span belongs to: the nearest ancestor-or-self entered from
        // another service. Pre-order visits parents first, so one pass fills it.
        let mut invocation: Vec<usize> = (0..spans.len()).collect();
        for &i in &t.tree.preorder {
            if let Some(p) = parent_of(i) {
                if spans[p].service == spans[i].service {
                    invocation[i] = invocation[p];
                }
            }
        }
        for &i in &t.tree.preorder {
            let s = &spans[i];
            self.services.insert(s.service.clone());
            let kids = t.tree.children.get(i).map(Vec::as_slice).unwrap_or(&[]);
            let callee = kids
                .iter()
                .map(|&c| &spans[c])
                .find(|c| c.service != s.service);
            let own = st.get(i).copied().unwrap_or(0);
            match callee {
                Some(c) => {
                    self.edge
                        .entry((s.service.clone(), c.service.clone()))
                        .or_default()
                        .push(ms(own));
                    self.callees
                        .entry(s.service.clone())
                        .or_default()
                        .insert(c.service.clone());
                }
                None => self
                    .own
                    .entry((s.service.clone(), s.operation.clone()))
                    .or_default()
                    .push(ms(own)),
            }
            if s.is_error() && !kids.iter().any(|&c| spans[c].is_error()) {
                *self.error_origins.entry(s.service.clone()).or_default() += 1;
            }
            let entered = parent_of(i).is_none_or(|p| spans[p].service != s.service);
            if entered {
                self.total
                    .entry(s.service.clone())
                    .or_default()
                    .push(ms(s.duration_ns.max(0)));
                *self
                    .invocations
                    .entry((entry.clone(), s.service.clone(), s.operation.clone()))
                    .or_default() += 1;
                if let Some(p) = parent_of(i) {
                    let inv = &spans[invocation[p]];
                    *self
                        .calls
                        .entry((
                            entry.clone(),
                            inv.service.clone(),
                            inv.operation.clone(),
                            s.label(),
                        ))
                        .or_default() += 1;
                }
            }
        }
        self.add_invocations(t, &invocation);
    }

    /// Per invocation: did it fail, whom did it call and when. `invocation[i]` is the
    /// entered span that span `i` belongs to.
    fn add_invocations(&mut self, t: &IndexedTrace, invocation: &[usize]) {
        let spans = &t.trace.spans;
        // invocation root → (failure surfaced at, calls out: (callee, start, end)).
        let mut failed_at: HashMap<usize, i64> = HashMap::new();
        let mut calls: HashMap<usize, Vec<(usize, i64, i64)>> = HashMap::new();
        for &i in &t.tree.preorder {
            let s = &spans[i];
            let inv = invocation[i];
            if s.is_error() || is_error_handler(&s.operation) {
                let at = if is_error_handler(&s.operation) {
                    s.start_ns
                } else {
                    s.start_ns.saturating_add(s.duration_ns.max(0))
                };
                let e = failed_at.entry(inv).or_insert(at);
                *e = (*e).min(at);
            }
            if inv == i {
                if let Some(p) = t.tree.parent.get(i).copied().flatten() {
                    let end = s.start_ns.saturating_add(s.duration_ns.max(0));
                    calls
                        .entry(invocation[p])
                        .or_default()
                        .push((i, s.start_ns, end));
                }
            }
        }
        for &r in &t.tree.preorder {
            if invocation[r] != r {
                continue;
            }
            let root = &spans[r];
            let key = (root.service.clone(), root.operation.clone());
            let count = self.by_op.entry(key.clone()).or_default();
            count.invocations += 1;
            let out = calls.get(&r).map(Vec::as_slice).unwrap_or(&[]);
            match failed_at.get(&r) {
                None => {
                    let expected = self.callees_of_op.entry(key).or_default();
                    let mut seen = BTreeSet::new();
                    for &(c, start, _) in out {
                        // Count each callee once per invocation: "is it called", not how often.
                        if seen.insert(&spans[c].service) {
                            let e = expected.entry(spans[c].service.clone()).or_default();
                            e.0 += 1;
                            e.1 += ms(start.saturating_sub(root.start_ns));
                        }
                    }
                }
                Some(&at) => {
                    count.failed += 1;
                    let last_callee = out
                        .iter()
                        .filter(|&&(_, _, end)| end <= at)
                        .max_by_key(|&&(_, _, end)| end)
                        .map(|&(c, _, _)| spans[c].service.clone());
                    self.failures.push(FailedInvocation {
                        service: root.service.clone(),
                        operation: root.operation.clone(),
                        called: out
                            .iter()
                            .map(|&(c, _, _)| spans[c].service.clone())
                            .collect(),
                        last_callee,
                    });
                }
            }
        }
    }
}

/// The endpoint a trace entered through: the first span of another service under the root's
/// service (the service behind a gateway), else the root itself.
pub fn entry_endpoint(t: &IndexedTrace) -> String {
    let spans = &t.trace.spans;
    let Some(root) = t.tree.main_root(&t.trace).and_then(|r| spans.get(r)) else {
        return String::new();
    };
    let hop = t
        .tree
        .preorder
        .iter()
        .filter_map(|&i| {
            let p = t.tree.parent.get(i).copied().flatten()?;
            let (s, ps) = (spans.get(i)?, spans.get(p)?);
            (ps.service == root.service && s.service != root.service).then_some(s)
        })
        .min_by_key(|s| s.start_ns);
    hop.unwrap_or(root).label()
}

fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// A latency comparison: medians, robust z and extra ms per window trace.
struct Shift {
    base_median: f64,
    window_median: f64,
    z: f64,
    extra_ms_per_trace: f64,
    n_window: usize,
    n_base: usize,
}

impl Shift {
    fn score(&self) -> f64 {
        if self.z < Z_MIN || self.extra_ms_per_trace < MIN_EXTRA_MS_PER_TRACE {
            return 0.0;
        }
        (self.z.min(Z_CAP) * self.extra_ms_per_trace.max(0.0)).sqrt()
    }
}

fn shift(base: &[f64], window: &[f64], window_traces: usize) -> Option<Shift> {
    if base.len() < MIN_SAMPLES || window.len() < MIN_SAMPLES {
        return None;
    }
    let mut b = base.to_vec();
    let mb = median(&mut b);
    let mut dev: Vec<f64> = b.iter().map(|x| (x - mb).abs()).collect();
    let mad = median(&mut dev);
    let mut w = window.to_vec();
    let mw = median(&mut w);
    let spread = 1.4826 * mad + REL_FLOOR * mb.abs() + ABS_FLOOR_MS;
    let extra: f64 = window.iter().map(|x| (x - mb).max(0.0)).sum();
    Some(Shift {
        base_median: mb,
        window_median: mw,
        z: (mw - mb) / spread,
        extra_ms_per_trace: extra / window_traces.max(1) as f64,
        n_window: window.len(),
        n_base: base.len(),
    })
}

/// Poisson z of `observed` against `expected`, with +1 so a zero expectation is not infinitely
/// surprising.
fn poisson_z(observed: f64, expected: f64) -> f64 {
    (observed - expected) / (expected + 1.0).sqrt()
}

fn latency_evidence(
    kind: EvidenceKind,
    op: Option<&str>,
    peer: Option<&str>,
    s: &Shift,
    weight: f64,
) -> Evidence {
    Evidence {
        kind,
        operation: op.map(str::to_string),
        peer: peer.map(str::to_string),
        baseline: s.base_median,
        window: s.window_median,
        z: s.z,
        extra_ms_per_trace: Some(s.extra_ms_per_trace * weight),
        window_samples: s.n_window,
        baseline_samples: s.n_base,
        score: s.score() * weight.sqrt(),
    }
}

/// Rank every service seen in `window` by how well it explains the change from `baseline`.
pub fn rank(window: &[IndexedTrace], baseline: &[IndexedTrace]) -> Incident {
    let w = Profile::of(window);
    let b = Profile::of(baseline);
    let mut evidence: BTreeMap<String, Vec<Evidence>> = BTreeMap::new();
    fn push(evidence: &mut BTreeMap<String, Vec<Evidence>>, svc: &str, e: Evidence) {
        if e.score > 0.0 {
            evidence.entry(svc.to_string()).or_default().push(e);
        }
    }

    // 1. Own self time.
    for ((svc, op), vals) in &w.own {
        if let Some(s) = b
            .own
            .get(&(svc.clone(), op.clone()))
            .and_then(|base| shift(base, vals, w.traces))
        {
            push(
                &mut evidence,
                svc,
                latency_evidence(EvidenceKind::SelfTime, Some(op), None, &s, 1.0),
            );
        }
    }

    // 2. Caller-side delay per edge, split between its ends by how widespread the delay is on
    // the caller's outgoing side and on the callee's incoming side.
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
        push(
            &mut evidence,
            callee,
            latency_evidence(
                EvidenceKind::CallerSideDelay,
                None,
                Some(caller),
                s,
                to_callee,
            ),
        );
        push(
            &mut evidence,
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

    // 3. Trace shape: calls per invocation against the baseline rate.
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
        push(
            &mut evidence,
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

    // 4. Error origins per trace.
    for (svc, &obs) in &w.error_origins {
        let base = b.error_origins.get(svc).copied().unwrap_or(0) as f64;
        let rate = (base + 0.5) / (b.traces as f64 + 1.0);
        let z = poisson_z(obs as f64, rate * w.traces as f64);
        if z >= Z_MIN {
            push(
                &mut evidence,
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

    // 5. Failed invocations: an operation failing more often than in the baseline. The
    // failure surfaced in the operation's service, but the cause may be the call it had just
    // made (a callee that returned an error or a wrong value) or the call it never got to make
    // (a callee whose failed call left no spans); each failure splits its weight over those.
    for ((svc, op), count) in &w.by_op {
        if count.failed == 0 {
            continue;
        }
        let base = b
            .by_op
            .get(&(svc.clone(), op.clone()))
            .copied()
            .unwrap_or_default();
        let rate = (base.failed as f64 + 0.5) / (base.invocations as f64 + 1.0);
        let z = poisson_z(count.failed as f64, rate * count.invocations as f64);
        if z < Z_MIN {
            continue;
        }
        let expected = b.callees_of_op.get(&(svc.clone(), op.clone()));
        let healthy = base.invocations - base.failed;
        let mut shares: BTreeMap<(EvidenceKind, String), f64> = BTreeMap::new();
        let mut n = 0usize;
        for f in w
            .failures
            .iter()
            .filter(|f| &f.service == svc && &f.operation == op)
        {
            n += 1;
            let missing = expected.and_then(|e| {
                e.iter()
                    .filter(|(c, &(calls, _))| 2 * calls >= healthy && !f.called.contains(*c))
                    .min_by(|a, b| (a.1 .1 / a.1 .0 as f64).total_cmp(&(b.1 .1 / b.1 .0 as f64)))
                    .map(|(c, _)| c.clone())
            });
            let mut cands: Vec<(EvidenceKind, String, f64)> =
                vec![(EvidenceKind::FailedInvocations, svc.clone(), 1.0)];
            if let Some(c) = f.last_callee.as_ref().filter(|c| *c != svc) {
                cands.push((
                    EvidenceKind::FailedAfterCall,
                    c.clone(),
                    FAILURE_CALLEE_WEIGHT,
                ));
            }
            if let Some(c) = missing.filter(|c| c != svc) {
                cands.push((EvidenceKind::VanishedCall, c, FAILURE_CALLEE_WEIGHT));
            }
            let total: f64 = cands.iter().map(|c| c.2).sum();
            for (kind, who, wgt) in cands {
                *shares.entry((kind, who)).or_default() += wgt / total;
            }
        }
        for ((kind, who), share) in shares {
            let share = share / n.max(1) as f64;
            push(
                &mut evidence,
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

    // 6. The call-graph fallback for services without evidence of their own.
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
        push(&mut evidence, svc, e);
    }

    // Every service seen in the window, and any service evidence points at although it no
    // longer shows up (a callee whose failed calls left no spans).
    let ranked: BTreeSet<String> = w.services.iter().chain(evidence.keys()).cloned().collect();
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
    Incident {
        window_traces: w.traces,
        baseline_traces: b.traces,
        services,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::test_support::*;
    use crate::model::Span;

    /// What a scenario changes in one trace of the window.
    #[derive(Clone, Copy, PartialEq)]
    enum Fault {
        None,
        SlowLeaf,
        SlowEdgeToC,
        FailingC,
        BStopsCallingD,
        BFailsWithoutD,
    }

    /// gw.entry → a.handle → { a.call-b → b.handle → { b.db, b.call-d → d.get },
    ///                          a.call-c → c.handle }
    /// with a few ms of deterministic jitter, so spreads are not zero.
    fn request(i: i64, fault: Fault) -> IndexedTrace {
        let j = (i * 7) % 5;
        let leaf = 5 + j + if fault == Fault::SlowLeaf { 200 } else { 0 };
        let net = 1 + j % 2 + if fault == Fault::SlowEdgeToC { 300 } else { 0 };
        let d_call = !matches!(fault, Fault::BStopsCallingD | Fault::BFailsWithoutD);
        let b_len = leaf + 2 + if d_call { 12 } else { 0 };
        let c_start = 2 + b_len + 4;
        let c_len = 10 + j;
        let a_len = c_start + c_len + 2 * net + 3;
        let mut spans: Vec<Span> = vec![
            span_ms("gw", None, "gw.entry", 0, a_len + 4),
            span_ms("a", Some("gw"), "a.handle", 1, a_len),
            span_ms("ab", Some("a"), "a.call-b", 2, b_len + 2),
            span_ms("b", Some("ab"), "b.handle", 3, b_len),
            span_ms("bdb", Some("b"), "b.db", 4, leaf),
            span_ms("ac", Some("a"), "a.call-c", c_start, c_len + 2 * net),
        ];
        if d_call {
            spans.push(span_ms("bd", Some("b"), "b.call-d", 5 + leaf, 11));
            spans.push(span_ms("d", Some("bd"), "d.get", 6 + leaf, 9));
        }
        if fault == Fault::BFailsWithoutD {
            spans.push(span_ms(
                "berr",
                Some("b"),
                "b.BasicErrorController.error",
                5 + leaf,
                1,
            ));
        }
        let c = span_ms("c", Some("ac"), "c.handle", c_start + net, c_len);
        spans.push(if fault == Fault::FailingC {
            failed(c, "boom")
        } else {
            c
        });
        indexed(spans)
    }

    fn top(fault: Fault) -> (Incident, String) {
        let baseline: Vec<IndexedTrace> = (0..30).map(|i| request(i, Fault::None)).collect();
        let window: Vec<IndexedTrace> = (0..20).map(|i| request(i, fault)).collect();
        let inc = rank(&window, &baseline);
        let first = inc
            .services
            .first()
            .map(|s| s.service.clone())
            .unwrap_or_default();
        (inc, first)
    }

    /// A callee that starts long before its caller (clock skew at the edges of i64) must not
    /// overflow the call's start offset. Found by fuzzing.
    #[test]
    fn extreme_start_offsets_do_not_overflow() {
        let t = indexed(vec![
            span("a", None, "a.x", i64::MAX - 10, 5),
            span("b", Some("a"), "b.y", i64::MIN + 10, 5),
        ]);
        let inc = rank(std::slice::from_ref(&t), std::slice::from_ref(&t));
        assert_eq!(inc.window_traces, 1);
    }

    #[test]
    fn nothing_changed_means_no_evidence() {
        let (inc, _) = top(Fault::None);
        assert_eq!(inc.window_traces, 20);
        assert_eq!(inc.baseline_traces, 30);
        assert!(
            inc.services.iter().all(|s| s.score == 0.0),
            "{:#?}",
            inc.services
        );
        // Every service seen in the window is ranked, ranks 1..n.
        let names: Vec<&str> = inc.services.iter().map(|s| s.service.as_str()).collect();
        assert_eq!(names, ["a", "b", "c", "d", "gw"]);
        assert_eq!(inc.services.last().map(|s| s.rank), Some(5));
    }

    #[test]
    fn slow_leaf_blames_its_service_not_the_callers() {
        let (inc, first) = top(Fault::SlowLeaf);
        assert_eq!(first, "b", "{:#?}", inc.services);
        let ev = &inc.services[0].evidence[0];
        assert_eq!(ev.kind, EvidenceKind::SelfTime);
        assert_eq!(ev.operation.as_deref(), Some("db"));
        assert!(ev.window - ev.baseline > 150.0, "{ev:?}");
        // The callers are slower in total only: they rank below.
        assert!(inc
            .services
            .iter()
            .filter(|s| s.service != "b")
            .all(|s| s.score < inc.services[0].score / 10.0));
    }

    #[test]
    fn delay_seen_only_by_the_caller_blames_the_callee() {
        let (inc, first) = top(Fault::SlowEdgeToC);
        assert_eq!(first, "c", "{:#?}", inc.services);
        let ev = &inc.services[0].evidence[0];
        assert_eq!(ev.kind, EvidenceKind::CallerSideDelay);
        assert_eq!(ev.peer.as_deref(), Some("a"));
    }

    #[test]
    fn failing_callee_is_the_error_origin() {
        let (inc, first) = top(Fault::FailingC);
        assert_eq!(first, "c", "{:#?}", inc.services);
        assert_eq!(inc.services[0].evidence[0].kind, EvidenceKind::ErrorOrigins);
    }

    #[test]
    fn missing_downstream_call_blames_the_service_that_stopped_calling() {
        let (inc, first) = top(Fault::BStopsCallingD);
        assert_eq!(first, "b", "{:#?}", inc.services);
        let ev = &inc.services[0].evidence[0];
        assert_eq!(ev.kind, EvidenceKind::MissingCalls);
        assert_eq!(ev.peer.as_deref(), Some("d.get"));
        assert!(ev.window < 0.01 && ev.baseline > 0.99, "{ev:?}");
        // d is never called in the window, so it is not ranked at all.
        assert!(inc.services.iter().all(|s| s.service != "d"));
    }

    #[test]
    fn failing_invocation_blames_its_service_and_points_at_the_vanished_call() {
        let (inc, first) = top(Fault::BFailsWithoutD);
        assert_eq!(first, "b", "{:#?}", inc.services);
        let ev = &inc.services[0].evidence[0];
        assert_eq!(ev.kind, EvidenceKind::FailedInvocations);
        assert_eq!(ev.operation.as_deref(), Some("handle"));
        assert!(ev.baseline < 0.01 && ev.window > 0.99, "{ev:?}");
        // d is never called in the window, yet it is ranked: the failing invocation stopped
        // where it used to call d, so d is a suspect, with a quarter of b's share.
        let d = inc
            .services
            .iter()
            .find(|s| s.service == "d")
            .expect("d ranked");
        assert_eq!(d.evidence[0].kind, EvidenceKind::VanishedCall);
        assert_eq!(d.evidence[0].peer.as_deref(), Some("b"));
        assert!((d.score / inc.services[0].evidence[0].score - FAILURE_CALLEE_WEIGHT).abs() < 1e-9);
    }

    #[test]
    fn empty_and_odd_input_do_not_panic() {
        assert!(rank(&[], &[]).services.is_empty());
        let odd = indexed(vec![
            span_ms("x", Some("x"), "s.op", 0, -5),
            span_ms("y", Some("nope"), "t.op", 3, 0),
        ]);
        let inc = rank(std::slice::from_ref(&odd), &[]);
        assert_eq!(inc.window_traces, 1);
    }
}
